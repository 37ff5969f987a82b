//! Column auto-mapping from the headers of real exports, JSON mapping files and fingerprints.

use outpost_core::{
    error::import::ImportError,
    import::{auto_map, header_fingerprint, Field, Mapping, Target},
};

use super::support::{open, strings};

fn f(field: Field) -> Target {
    Target::Field(field)
}

fn c(header: &str) -> Target {
    Target::Custom(header.to_string())
}

/// The auto-mapping of a fixture's detected headers.
fn mapped(name: &str) -> Vec<Target> {
    auto_map(&open(name).info().headers).columns
}

#[test]
fn linkedin_connections() {
    use Field::*;
    let want = vec![f(FirstName), f(LastName), f(LinkedIn), f(Email), f(Company), f(Title), c("Connected On")];
    assert_eq!(mapped("linkedin-preamble.csv"), want);
}

#[test]
fn hubspot_export() {
    use Field::*;
    let want = vec![
        c("Record ID"),
        f(FirstName),
        f(LastName),
        f(Email),
        f(Phone),
        f(Company),
        f(Title),
        c("Lifecycle Stage"), // weak status synonym; the strong "Lead Status" wins
        f(Status),
        c("Contact owner"),
        c("Create Date"),
        f(Website),
        f(City),
        f(Country),
        f(LeadSource),
    ];
    assert_eq!(mapped("hubspot-export.csv"), want);
}

#[test]
fn apollo_export() {
    use Field::*;
    let got = mapped("apollo-export.csv");
    let headers = open("apollo-export.csv").info().headers.clone();
    let by_header = |h: &str| got[headers.iter().position(|x| x == h).expect(h)].clone();
    assert_eq!(by_header("First Name"), f(FirstName));
    assert_eq!(by_header("Title"), f(Title));
    assert_eq!(by_header("Company"), f(Company));
    assert_eq!(by_header("Company Name for Emails"), c("Company Name for Emails"));
    assert_eq!(by_header("Email"), f(Email));
    assert_eq!(by_header("Email Status"), c("Email Status"));
    assert_eq!(by_header("Work Direct Phone"), f(Phone));
    assert_eq!(by_header("Home Phone"), c("Home Phone"), "phone already taken");
    assert_eq!(by_header("Mobile Phone"), f(Mobile));
    assert_eq!(by_header("Corporate Phone"), c("Corporate Phone"));
    assert_eq!(by_header("Stage"), f(DealStage), "a person's stage: read as their status in a contact list");
    assert_eq!(by_header("Industry"), f(Industry));
    assert_eq!(by_header("Person Linkedin Url"), f(LinkedIn));
    assert_eq!(by_header("Company Linkedin Url"), c("Company Linkedin Url"));
    assert_eq!(by_header("Website"), f(Website));
    assert_eq!(by_header("City"), f(City));
    assert_eq!(by_header("State"), f(Region), "a region is kept, not lost");
    assert_eq!(by_header("Country"), f(Country));
}

#[test]
fn salesforce_export() {
    use Field::*;
    let want = vec![
        f(FirstName),
        f(LastName),
        f(Title),
        f(Company),
        f(Email),
        f(Phone),
        f(Mobile),
        f(LeadSource),
        f(Status),
        f(Industry),
        f(Website),
        c("Street"),
        f(City),
        f(Region),
        c("Zip/Postal Code"),
        f(Country),
        f(Notes),
        c("Lead Owner"),
    ];
    assert_eq!(mapped("salesforce-export.csv"), want);
}

#[test]
fn german_french_and_spanish_headers() {
    use Field::*;
    assert_eq!(mapped("semicolon.csv"), vec![f(FirstName), f(LastName), f(Email), f(Phone), f(Company)]);
    assert_eq!(mapped("windows-1252.csv"), vec![f(FirstName), f(LastName), f(Email), f(Company), f(Notes)]);
    let french = vec![f(FirstName), f(LastName), f(Email), f(Phone), f(Company), f(Title), f(City), f(Country)];
    assert_eq!(mapped("french.csv"), french);
    assert_eq!(mapped("spanish.csv"), french);
}

#[test]
fn japanese_portuguese_and_dutch_headers_map_like_english_ones() {
    use Field::*;
    let japanese =
        strings(&["姓", "名", "会社名", "役職", "メールアドレス", "電話番号", "携帯電話", "都道府県", "備考"]);
    let want =
        vec![f(LastName), f(FirstName), f(Company), f(Title), f(Email), f(Phone), f(Mobile), f(Region), f(Notes)];
    assert_eq!(auto_map(&japanese).columns, want);
    let portuguese = strings(&["Nome", "Sobrenome", "E-mail", "Telefone", "Celular", "Empresa", "Cargo", "Cidade"]);
    let want = vec![f(FirstName), f(LastName), f(Email), f(Phone), f(Mobile), f(Company), f(Title), f(City)];
    assert_eq!(auto_map(&portuguese).columns, want);
    let dutch = strings(&["Voornaam", "Achternaam", "E-mailadres", "Telefoon", "Bedrijf", "Functie", "Woonplaats"]);
    let want = vec![f(FirstName), f(LastName), f(Email), f(Phone), f(Company), f(Title), f(City)];
    assert_eq!(auto_map(&dutch).columns, want);
}

#[test]
fn outlook_localised_business_and_home_columns() {
    use Field::*;
    let german = strings(&[
        "Vorname",
        "Nachname",
        "E-Mail-Adresse",
        "Firma",
        "Telefon geschäftlich",
        "Land/Region geschäftlich",
    ]);
    assert_eq!(auto_map(&german).columns, vec![f(FirstName), f(LastName), f(Email), f(Company), f(Phone), f(Country)]);
    let french =
        strings(&["Prénom", "Nom", "Adresse de messagerie", "Téléphone (bureau)", "Tél. mobile", "Ville (domicile)"]);
    assert_eq!(auto_map(&french).columns, vec![f(FirstName), f(LastName), f(Email), f(Phone), f(Mobile), f(HomeCity)]);
}

#[test]
fn company_lists_headquarters_and_sector_columns() {
    use Field::*;
    let headers = strings(&["Symbol", "Company", "GICS Sector", "Headquarters Location", "Founded"]);
    assert_eq!(auto_map(&headers).columns, vec![c("Symbol"), f(Company), f(Industry), f(Location), c("Founded")]);
}

#[test]
fn unsubscribe_dates_and_disabled_email_are_opt_outs() {
    use Field::*;
    for header in ["unsubscribed_at", "UNSUB_TIME", "CLEAN_TIME", "email_disabled", "Unsubscribe Date"] {
        assert_eq!(auto_map(&strings(&["Email", header])).columns[1], f(EmailOptOut), "{header}");
    }
}

#[test]
fn collection_columns_like_emails_1_email_map_and_another_records_columns_stay_custom() {
    use Field::*;
    let headers = strings(&[
        "First name",
        "Emails 1 Email",
        "Phones 1 Phone",
        "Phones 2 Phone",
        "Customer Shipping Address First name",
    ]);
    let want = vec![f(FirstName), f(Email), f(Phone), c("Phones 2 Phone"), c("Customer Shipping Address First name")];
    assert_eq!(auto_map(&headers).columns, want);
}

#[test]
fn pipedrive_people_and_deals_exports() {
    use Field::*;
    let people = strings(&[
        "Person - Name",
        "Person - Organization",
        "Person - Email - Work",
        "Person - Email - Home",
        "Person - Phone - Work",
        "Person - Phone - Mobile",
        "Person - Marketing status",
    ]);
    let want =
        vec![f(FullName), f(Company), f(Email), c("Person - Email - Home"), f(Phone), f(Mobile), f(EmailConsent)];
    assert_eq!(auto_map(&people).columns, want);
    let deals = strings(&[
        "Deal - Title",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Expected close date",
    ]);
    let want = vec![f(DealName), f(Amount), f(Currency), f(DealStage), f(Status), f(CloseDate)];
    assert_eq!(auto_map(&deals).columns, want);
}

#[test]
fn a_contacts_export_with_its_associated_deal_stays_a_contacts_export() {
    let headers = strings(&["First Name", "Last Name", "Email", "Associated Deal", "Associated Deal IDs"]);
    let got = auto_map(&headers).columns;
    assert_eq!(got[3..], [c("Associated Deal"), c("Associated Deal IDs")]);
    let companies = strings(&["Company Name", "Website", "Alternate Contact", "Secondary Email"]);
    let got = auto_map(&companies).columns;
    assert_eq!(got[2..], [c("Alternate Contact"), f(Field::Email)], "another person is not the row's name");
    assert_eq!(auto_map(&strings(&["Email", "AlternateContact"])).columns[1], c("AlternateContact"));
}

#[test]
fn hubspot_marketing_contact_status_is_billing_not_consent() {
    let headers = strings(&["Email", "Marketing contact status", "Lead Status"]);
    assert_eq!(auto_map(&headers).columns[1], c("Marketing contact status"));
}

#[test]
fn google_contacts_unnumbered_organization_columns() {
    use Field::*;
    let headers = strings(&["First Name", "Last Name", "E-mail 1 - Value", "Organization Name", "Organization Title"]);
    assert_eq!(auto_map(&headers).columns, vec![f(FirstName), f(LastName), f(Email), f(Company), f(Title)]);
}

#[test]
fn hubspot_deals_link_their_company_domain_and_contact_email() {
    use Field::*;
    let headers =
        strings(&["Deal Name", "Deal Stage", "Amount", "Associated Company Domain", "Associated Contact Email"]);
    assert_eq!(auto_map(&headers).columns, vec![f(DealName), f(DealStage), f(Amount), f(Website), f(Email)]);
    let contacts = strings(&["Full Name", "Business", "Contact Email", "Additional Info"]);
    assert_eq!(auto_map(&contacts).columns, vec![f(FullName), f(Company), f(Email), f(Notes)]);
}

#[test]
fn a_personal_website_is_not_the_companys() {
    use Field::*;
    let yahoo = strings(&["First", "Last", "Email", "Personal Website", "Business Website", "Company"]);
    let want = vec![f(FirstName), f(LastName), f(Email), c("Personal Website"), f(Website), f(Company)];
    assert_eq!(auto_map(&yahoo).columns, want);
}

#[test]
fn secret_columns_are_ignored_by_automatic_mapping() {
    use Field::*;
    let headers =
        strings(&["GivenName", "Surname", "EmailAddress", "Password", "CCNumber", "CVV2", "NationalID", "Username"]);
    let got = auto_map(&headers).columns;
    assert_eq!(got[..3], [f(FirstName), f(LastName), f(Email)]);
    assert_eq!(got[3..7], [Target::Ignore, Target::Ignore, Target::Ignore, Target::Ignore]);
    assert_eq!(got[7], c("Username"));
}

#[test]
fn matching_ignores_case_accents_punctuation_and_spacing() {
    use Field::*;
    let headers = strings(&["  E-MAIL ", "TÉLÉPHONE", "prénom", "nom_de_famille", "Société", "Correo Electrónico"]);
    let got = auto_map(&headers).columns;
    assert_eq!(got[..5], [f(Email), f(Phone), f(FirstName), f(LastName), f(Company)]);
    assert_eq!(got[5], c("Correo Electrónico"), "email is mapped once; the later match stays custom");
}

#[test]
fn german_name_next_to_vorname_is_the_last_name_and_duplicates_stay_custom() {
    use Field::*;
    let got = auto_map(&strings(&["Vorname", "Name", "Email", "Email (2)", "Work Email"])).columns;
    assert_eq!(got, vec![f(FirstName), f(LastName), f(Email), c("Email (2)"), c("Work Email")]);
    assert_eq!(auto_map(&strings(&["Name", "Email"])).columns, vec![f(FullName), f(Email)]);
}

#[test]
fn mapping_round_trips_through_json() {
    let headers = open("hubspot-export.csv").info().headers.clone();
    let mut mapping = auto_map(&headers);
    mapping.columns[0] = Target::Ignore;
    let json = serde_json::to_string_pretty(&mapping).expect("serialize");
    assert!(json.contains("\"ignore\"") && json.contains("{\n      \"field\": \"first_name\""), "{json}");
    assert_eq!(Mapping::from_json(&headers, &json).expect("parse back"), mapping);
}

#[test]
fn friendly_json_form_with_auto_mapping_for_the_rest() {
    use Field::*;
    let headers = strings(&["Full", "E-mail", "Work Email", "Score", "Junk"]);
    let json = r#"{ "Full": "Full name", "Work Email": "email", "Score": "custom", "Junk": "ignore" }"#;
    let mapping = Mapping::from_json(&headers, json).expect("valid");
    // "E-mail" would auto-map to email, but the file explicitly takes email from "Work Email".
    assert_eq!(mapping.columns, vec![f(FullName), c("E-mail"), f(Email), c("Score"), Target::Ignore]);
}

#[test]
fn bad_mappings_say_what_is_wrong() {
    let headers = strings(&["Name", "Email"]);
    let message = |json: &str| match Mapping::from_json(&headers, json) {
        Err(e @ ImportError::Mapping(_)) => e.to_string(),
        other => panic!("expected a mapping error for {json}, got {other:?}"),
    };
    assert!(message(r#"{"Nmae": "email"}"#).contains("unknown column 'Nmae'; the file's columns are: Name, Email"));
    assert!(message(r#"{"Email": "e-mail-address"}"#).contains("unknown field 'e-mail-address' for column 'Email'"));
    assert!(message(r#"{"Name": "email", "Email": "email"}"#).contains("field 'email' is mapped from both"));
    assert!(message(r#"{"columns": ["ignore"]}"#).contains("it has 1 columns but the file has 2"));
    assert!(message("[1, 2]").contains("expected a JSON object"));
    assert!(message("{not json").contains("not valid JSON"));
}

#[test]
fn header_fingerprint_is_stable_normalised_and_order_sensitive() {
    let a = header_fingerprint(&strings(&["First Name", "E-Mail"]));
    assert_eq!(a.len(), 64);
    assert_eq!(a, header_fingerprint(&strings(&[" first_name ", "e mail"])));
    assert_ne!(a, header_fingerprint(&strings(&["E-Mail", "First Name"])));
    assert_ne!(a, header_fingerprint(&strings(&["First Name", "E-Mail", "Phone"])));
}

#[test]
fn fields_have_labels_and_snake_case_json() {
    assert_eq!(Field::FirstName.label(), "First name");
    assert_eq!(serde_json::to_string(&Field::LinkedIn).expect("json"), "\"linkedin\"");
    assert_eq!(serde_json::to_string(&Field::LeadSource).expect("json"), "\"lead_source\"");
    assert_eq!(Field::parse("First name"), Some(Field::FirstName));
    assert!(Field::ALL.iter().all(|f| Field::parse(f.key()) == Some(*f)));
}
