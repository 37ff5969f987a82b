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
