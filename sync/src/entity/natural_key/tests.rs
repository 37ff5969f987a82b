//! Natural-key ids: the company-name normalisation they hash, and the check the server runs on a
//! record's first write.

use serde_json::{json, Map, Value};

use super::*;

fn fields(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[test]
fn company_names_normalise_to_one_key_whatever_their_legal_form_case_and_accents() {
    assert_eq!(normalized_company_name("Müller GmbH & Co. KG"), "muller");
    assert_eq!(normalized_company_name("ACME, Inc."), "acme");
    assert_eq!(normalized_company_name("  Société   Générale S.A. "), "societe generale");
    assert_eq!(natural_company_id(None, "ACME, Inc."), natural_company_id(None, "acme"));
    assert_ne!(natural_company_id(None, "Acme"), natural_company_id(None, "Globex"));
    assert_eq!(natural_company_id(None, "  "), natural_company_id(None, ""));
    assert_eq!(natural_company_id(None, "Inc."), natural_company_id(None, "inc"));
}

#[test]
fn a_natural_key_id_must_derive_from_a_key_the_record_carries() {
    let acme = natural_company_id(None, "Acme Ltd").unwrap_or_default();
    assert_eq!(check_natural_key("company", acme, &fields(json!({"name": "ACME"}))), Ok(()));
    // A company keyed by its name that was given a domain since keeps its id.
    assert_eq!(check_natural_key("company", acme, &fields(json!({"name": "Acme", "domain": "acme.io"}))), Ok(()));
    assert_eq!(check_natural_key("company", acme, &fields(json!({"name": "Globex"}))), Err("name"));
    assert_eq!(check_natural_key("company", acme, &fields(json!({"name": "Globex", "domain": "g.io"}))), Err("domain"));
    let by_domain = natural_company_id(Some("acme.io"), "whatever").unwrap_or_default();
    assert_eq!(
        check_natural_key("company", by_domain, &fields(json!({"name": "Acme", "domain": " ACME.io "}))),
        Ok(())
    );
    let ann = natural_contact_id("Ann@Acme.test ").unwrap_or_default();
    assert_eq!(check_natural_key("contact", ann, &fields(json!({"email": "ann@acme.test"}))), Ok(()));
    assert_eq!(check_natural_key("contact", ann, &fields(json!({"email": "bob@acme.test"}))), Err("email"));
    assert_eq!(check_natural_key("contact", ann, &fields(json!({}))), Err("email"));
    assert_eq!(check_natural_key("deal", ann, &fields(json!({}))), Ok(()));
}

#[test]
fn a_creation_key_is_the_normalised_key_the_id_derives_from() {
    let ida = natural_contact_id(" Ida@Typo.example").unwrap_or_default();
    assert_eq!(
        creation_key_for("contact", ida, &fields(json!({"email": "IDA@typo.example "}))),
        Some("ida@typo.example".into())
    );
    assert_eq!(creation_key_for("contact", ida, &fields(json!({"email": "ida@right.example"}))), None);
    let acme = natural_company_id(None, "Acme Ltd").unwrap_or_default();
    assert_eq!(
        creation_key_for("company", acme, &fields(json!({"name": "ACME", "domain": "acme.io"}))),
        Some("name:acme".into())
    );
    assert_eq!(natural_id("company", "name:acme"), Some(acme));
    assert_eq!(creation_key_for("deal", ida, &fields(json!({"email": "ida@typo.example"}))), None);
}

#[test]
fn a_first_write_must_carry_a_creation_key_that_derives_its_id_and_is_its_current_key() {
    let ida = natural_contact_id("ida@typo.example").unwrap_or_default();
    let current = fields(json!({"email": "ida@typo.example"}));
    assert_eq!(check_first_write("contact", ida, Some("ida@typo.example"), &current), Ok(()));
    assert_eq!(check_first_write("contact", ida, None, &current), Ok(()));
    let field = |r: Result<(), (&'static str, String)>| r.err().map(|(field, _)| field);
    // A creation key of another person: the id is not theirs.
    assert_eq!(field(check_first_write("contact", ida, Some("bob@typo.example"), &current)), Some(CREATION_KEY_FIELD));
    // The right creation key on a record carrying another key: nobody creates a contact already edited.
    let edited = fields(json!({"email": "bob@typo.example"}));
    assert_eq!(field(check_first_write("contact", ida, Some("ida@typo.example"), &edited)), Some("email"));
    // An erased creation key is never a first write's.
    assert_eq!(field(check_first_write("contact", ida, Some(ERASED_CREATION_KEY), &current)), Some(CREATION_KEY_FIELD));
    assert_eq!(field(check_first_write("deal", ida, Some("x"), &Map::new())), Some(CREATION_KEY_FIELD));
}

#[test]
fn a_creation_key_never_changes_except_to_be_erased() {
    let ida = natural_contact_id("ida@typo.example").unwrap_or_default();
    let key = Some("ida@typo.example");
    assert!(check_creation_key_change("contact", ida, key, key).is_ok());
    assert!(check_creation_key_change("contact", ida, None, key).is_ok());
    assert!(check_creation_key_change("contact", ida, None, None).is_ok());
    assert!(check_creation_key_change("contact", ida, key, Some(ERASED_CREATION_KEY)).is_ok());
    assert!(check_creation_key_change("contact", ida, key, Some("bob@typo.example")).is_err());
    assert!(check_creation_key_change("contact", ida, key, None).is_err());
    assert!(check_creation_key_change("contact", ida, None, Some("bob@typo.example")).is_err());
    assert!(check_creation_key_change("contact", ida, Some(ERASED_CREATION_KEY), key).is_err());
}

#[test]
fn a_receiving_device_checks_the_id_against_the_creation_key_when_there_is_one() {
    let ida = natural_contact_id("ida@typo.example").unwrap_or_default();
    let edited = fields(json!({"email": "ida@right.example"}));
    assert_eq!(check_received("contact", ida, Some("ida@typo.example"), &edited), Ok(()));
    assert_eq!(check_received("contact", ida, Some("bob@typo.example"), &edited), Err(CREATION_KEY_FIELD));
    // Documents created before creation keys: the current key must derive the id.
    assert_eq!(check_received("contact", ida, None, &edited), Err("email"));
    assert_eq!(check_received("contact", ida, None, &fields(json!({"email": "ida@typo.example"}))), Ok(()));
    assert_eq!(check_received("contact", ida, Some(ERASED_CREATION_KEY), &edited), Ok(()));
}

#[test]
fn a_creation_key_is_stored_normalised() {
    let ida = natural_contact_id("ida@typo.example").unwrap_or_default();
    assert!(check_creation_key_change("contact", ida, None, Some("IDA@typo.example")).is_err());
    assert_eq!(check_received("contact", ida, Some(" ida@typo.example"), &Map::new()), Err(CREATION_KEY_FIELD));
}
