//! Normalising mapped rows of real files into lead candidates, and the helper functions.

use outpost_core::{
    canonical::company::is_free_mail,
    canonical::company::jaro_winkler,
    canonical::company::normalized_company_name,
    canonical::company::website_domain,
    canonical::names::split_full_name,
    import::{auto_map, neutralise_for_export, normalize_row, LeadRow, NormalizeOptions, RawRow, RowFailure},
};

use super::support::read;

/// Every row of a fixture, auto-mapped and normalised with default options.
fn normalized(name: &str) -> Vec<Result<LeadRow, RowFailure>> {
    let (headers, rows) = read(name);
    let mapping = auto_map(&headers);
    rows.iter().map(|row| normalize_row(&mapping, &headers, row, &NormalizeOptions::default())).collect()
}

fn ok(name: &str, index: usize) -> LeadRow {
    normalized(name).remove(index).unwrap_or_else(|e| panic!("{name}[{index}]: {e}"))
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn utf8_names_emails_and_phones() {
    let jose = ok("utf8.csv", 0);
    assert_eq!((jose.first_name, jose.last_name), (s("José"), s("Núñez")));
    assert_eq!(jose.email, s("jose@acme.es"), "lower-cased");
    assert_eq!(jose.phone, s("+34 912 345 678"), "as given");
    assert_eq!(jose.phone_e164, s("+34912345678"));
    assert_eq!(jose.company_domain, s("acme.es"), "inferred from a business email");
    let zoe = ok("utf8.csv", 1);
    assert_eq!(zoe.phone_e164, s("+442079460958"), "national number read in the default region GB");
    assert_eq!(zoe.company_domain, None, "gmail says nothing about the company");
}

#[test]
fn full_name_is_split_and_website_reduced_to_its_domain() {
    let lead = ok("utf8-bom.csv", 0);
    assert_eq!((lead.first_name, lead.last_name), (s("Jürgen"), s("Müller")));
    assert_eq!(lead.website_domain, s("mueller-bau.de"));
    assert_eq!(lead.company_domain, s("mueller-bau.de"));
    assert_eq!(lead.company, s("Müller Bau GmbH"));
}

#[test]
fn german_windows_1252_export() {
    let lead = ok("windows-1252.csv", 0);
    assert_eq!(lead.last_name, s("Müller"));
    assert_eq!(lead.company, s("Café Müller GmbH"));
    assert_eq!(lead.notes, s("Preis 5 € – bar"));
    assert_eq!(lead.company_domain, s("cafe-mueller.de"));
    let (headers, rows) = read("semicolon.csv");
    let german = NormalizeOptions { default_region: "DE".to_string() };
    let petra = normalize_row(&auto_map(&headers), &headers, &rows[1], &german).expect("valid row");
    assert_eq!(petra.phone_e164, s("+491712345678"), "national number read in the chosen region");
    assert_eq!(petra.company_domain, None, "web.de is free mail");
    let hans = normalize_row(&auto_map(&headers), &headers, &rows[0], &german).expect("valid row");
    assert_eq!(hans.company, s("Schmidt, Meyer & Partner"));
    assert_eq!(hans.phone_e164, s("+49301234567"));
}

#[test]
fn country_column_decides_how_national_phones_are_read() {
    let spanish = ok("spanish.csv", 0);
    assert_eq!(
        (spanish.first_name.as_deref(), spanish.last_name.as_deref()),
        (Some("María José"), Some("García López"))
    );
    assert_eq!(spanish.phone_e164, s("+34912345678"), "España → ES, not the default GB");
    assert_eq!(spanish.title, s("Directora Comercial"));
    let french = ok("french.csv", 0);
    assert_eq!(french.phone_e164, s("+33123456789"));
    assert_eq!(french.company_domain, None, "orange.fr is an ISP mailbox");
    let hubspot = ok("hubspot-export.csv", 0);
    assert_eq!(hubspot.phone_e164, s("+12025550143"), "United States → US");
    assert_eq!(hubspot.website_domain, s("fbi.gov"));
    assert_eq!(hubspot.status, s("New"));
    assert_eq!(hubspot.lead_source, s("Offline Sources"));
    assert_eq!(hubspot.custom.get("Record ID"), s("101").as_ref());
    assert_eq!(hubspot.custom.get("Lifecycle Stage"), s("Lead").as_ref());
}

#[test]
fn apollo_and_salesforce_exports() {
    let tim = ok("apollo-export.csv", 0);
    assert_eq!(tim.phone, s("+1 408-996-1010"), "the spreadsheet's text-marking apostrophe is dropped");
    assert_eq!(tim.phone_e164, s("+14089961010"));
    assert_eq!(tim.status, s("Cold"), "Apollo's Stage is the person's status");
    assert_eq!(tim.custom.get("Mobile Phone"), s("+1 650 253 0000").as_ref(), "mobile kept, phone had a value");
    assert_eq!(tim.linkedin, s("https://www.linkedin.com/in/tim-cook"), "stored in its one https form");
    assert_eq!(tim.website_domain, s("apple.com"));
    let marc = ok("salesforce-export.csv", 0);
    assert_eq!(marc.company, s("Salesforce, Inc."));
    assert_eq!(marc.website_domain, s("salesforce.com"));
    assert_eq!(marc.notes, s("Founder.\nLikes aloha."));
    assert_eq!(marc.status, s("Open - Not Contacted"));
    assert_eq!(marc.custom.get("Zip/Postal Code"), s("94105").as_ref());
}

#[test]
fn linkedin_rows_without_email_still_import() {
    let satya = ok("linkedin-preamble.csv", 0);
    assert_eq!(satya.email, None);
    assert_eq!(satya.linkedin, s("https://www.linkedin.com/in/satyanadella"));
    assert_eq!(satya.title, s("Chairman and CEO"));
    assert_eq!(satya.custom.get("Connected On"), s("12 Mar 2021").as_ref());
}

#[test]
fn ragged_rows_extra_fields_fail_padded_rows_pass() {
    let results = normalized("ragged.csv");
    assert_eq!(results[0].as_ref().map(|l| l.email.clone()), Ok(s("short@acme.com")));
    let failure = results[1].as_ref().expect_err("extra fields fail");
    assert_eq!(failure.row, 2);
    assert!(failure.message.starts_with("row has 6 fields, header has 4: extra values 'unexpected', 'values'"));
    assert!(results[2].is_ok() && results[3].is_ok());
}

#[test]
fn an_invalid_email_loses_only_the_email_unidentifiable_rows_fail_bad_phones_do_not() {
    let headers: Vec<String> = ["Name", "Email", "Phone", "Notes"].map(String::from).to_vec();
    let mapping = auto_map(&headers);
    let run = |fields: [&str; 4]| {
        let row = RawRow { row: 7, fields: fields.map(String::from).to_vec(), issue: None };
        normalize_row(&mapping, &headers, &row, &NormalizeOptions::default())
    };
    let ann = run(["Ann", "ann(at)example.com", "", ""]).expect("the person is imported without the email");
    assert_eq!((ann.first_name, ann.email), (s("Ann"), None));
    assert_eq!(ann.custom.get("Email").map(String::as_str), Some("ann(at)example.com"), "the value is kept");
    assert_eq!(ann.warnings, vec!["invalid email 'ann(at)example.com' left out (kept as custom field 'Email')"]);
    let failure = run(["", "not-an-email", "", ""]).expect_err("nothing else identifies the row");
    assert!(
        failure.message.starts_with("row has no name, valid email or phone (invalid email 'not-an-email'"),
        "{failure}"
    );
    let failure = run(["  ", "", " ", "just a note"]).expect_err("nothing to identify");
    assert_eq!(failure.message, "row has no name, valid email or phone");
    let lead = run(["", "", "call reception", ""]).expect("a phone, even unparseable, identifies");
    assert_eq!((lead.phone, lead.phone_e164), (s("call reception"), None));
    let lead = run([" Bob ", " MAILTO:Bob@Example.COM ", "", "  "]).expect("valid");
    assert_eq!((lead.first_name, lead.email, lead.notes), (s("Bob"), s("bob@example.com"), None));
}

#[test]
fn formula_like_cells_are_stored_verbatim_and_neutralised_on_export() {
    let eve = ok("formula-injection.csv", 0);
    assert_eq!(eve.notes, s("=HYPERLINK(\"http://evil.example\",\"click\")"));
    assert_eq!(eve.phone_e164, s("+442079460958"));
    let mallory = ok("formula-injection.csv", 1);
    assert_eq!(mallory.notes, s("@SUM(A1:A9)"));
    assert_eq!(mallory.phone_e164, None);
    assert_eq!(neutralise_for_export("=1+1"), "'=1+1");
    assert_eq!(neutralise_for_export("+cmd"), "'+cmd");
    assert_eq!(neutralise_for_export("-2"), "'-2");
    assert_eq!(neutralise_for_export("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralise_for_export("\tx"), "'\tx");
    assert!(matches!(neutralise_for_export("Acme"), std::borrow::Cow::Borrowed("Acme")));
}

#[test]
fn duplicate_headers_keep_every_value() {
    let lead = ok("duplicate-headers.csv", 0);
    assert_eq!(lead.email, s("one@acme.com"));
    assert_eq!(lead.custom.get("Email (2)"), s("two@acme.com").as_ref());
    assert_eq!(lead.custom.get("Email (3)"), s("three@acme.com").as_ref());
    assert_eq!(lead.phone_e164, s("+442079460001"));
}

#[test]
fn company_names_are_canonicalised() {
    assert_eq!(normalized_company_name("ACME, Inc."), "acme");
    assert_eq!(normalized_company_name("Acme Ltd"), "acme");
    assert_eq!(normalized_company_name("Müller GmbH & Co. KG"), "muller");
    assert_eq!(normalized_company_name("Société Générale S.A."), "societe generale");
    assert_eq!(normalized_company_name("  Globex   Corporation  "), "globex");
    assert_eq!(normalized_company_name("Initech B.V."), "initech");
    assert_eq!(normalized_company_name("Tesco PLC"), "tesco");
    assert_eq!(normalized_company_name("Co"), "co", "never emptied");
}

#[test]
fn free_mail_domains() {
    for domain in ["gmail.com", "googlemail.com", "hotmail.co.uk", "outlook.de", "yahoo.co.jp", "icloud.com", "me.com"]
    {
        assert!(is_free_mail(domain), "{domain}");
    }
    for domain in ["gmx.net", "web.de", "proton.me", "protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com"] {
        assert!(is_free_mail(domain), "{domain}");
    }
    for domain in ["acme.com", "live-nation.com", "mailchimp.com", "gmail.acme.com", "salesforce.com"] {
        assert!(!is_free_mail(domain), "{domain}");
    }
}

#[test]
fn websites_names_and_similarity() {
    assert_eq!(website_domain("HTTPS://WWW.Acme.io/about?x=1#top"), s("acme.io"));
    assert_eq!(website_domain("acme.co.uk/"), s("acme.co.uk"));
    assert_eq!(website_domain("http://user@shop.acme.com:8080"), s("shop.acme.com"));
    assert_eq!(website_domain("n/a"), None);
    assert_eq!(website_domain("bob@acme.com"), None);
    assert_eq!(split_full_name("Smith, Jane"), (s("Jane"), s("Smith")));
    assert_eq!(split_full_name("Dr. Jane Q. Public"), (s("Jane Q."), s("Public")));
    assert_eq!(split_full_name("Ludwig van Beethoven"), (s("Ludwig"), s("van Beethoven")));
    assert_eq!(split_full_name("Cher"), (s("Cher"), None));
    assert_eq!(split_full_name("Dr. Jane Smith PhD"), (s("Jane"), s("Smith")), "a degree is not a last name");
    assert_eq!(split_full_name("John Smith, Jr."), (s("John"), s("Smith")), "nor a first name after a comma");
    assert_eq!(split_full_name("Smith, John, Jr."), (s("John"), s("Smith")));
    assert_eq!(split_full_name("Martin Luther King Jr."), (s("Martin Luther"), s("King")));
    assert_eq!(split_full_name("Li Na Ma"), (s("Li Na"), s("Ma")), "a surname that looks like a degree stays");
    assert!((jaro_winkler("acme", "acme") - 1.0).abs() < f64::EPSILON);
    assert!(jaro_winkler("jonathan", "jonathon") > 0.9);
    assert!(jaro_winkler("acme", "globex") < 0.6);
}

#[test]
fn imported_values_over_the_entity_bounds_are_row_errors_not_values_peers_would_refuse() {
    let headers: Vec<String> = ["First Name", "Email", "Company"].map(String::from).to_vec();
    let mapping = auto_map(&headers);
    let long_name = "A".repeat(501);
    let row = RawRow { row: 3, fields: vec![long_name, "ada@engines.io".into(), "Engines".into()], issue: None };
    let err = normalize_row(&mapping, &headers, &row, &NormalizeOptions::default()).expect_err("over 500 characters");
    assert_eq!(err.row, 3);
    assert!(err.message.contains("first_name") && err.message.contains("at most 500"), "{}", err.message);
    let fine = RawRow { row: 4, fields: vec!["Ada".into(), "ada@engines.io".into(), "Engines".into()], issue: None };
    assert!(normalize_row(&mapping, &headers, &fine, &NormalizeOptions::default()).is_ok());
}

/// Normalises one row of `headers` (auto-mapped) with default options.
fn one_row(headers: &[&str], fields: &[&str]) -> Result<LeadRow, RowFailure> {
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let row = RawRow { row: 1, fields: fields.iter().map(|f| (*f).to_owned()).collect(), issue: None };
    normalize_row(&auto_map(&headers), &headers, &row, &NormalizeOptions::default())
}

#[test]
fn an_empty_first_email_or_phone_column_falls_back_to_the_next_one() {
    let headers =
        ["first_name", "email_work", "email_home", "email_other", "phone_work", "phone_home", "manager_email"];
    let jane = one_row(&headers, &["Jane", "", "", "jane@doe.example", "", "740.647.3802", "boss@doe.example"])
        .expect("Jane has an email, in her third email column");
    assert_eq!(jane.email, s("jane@doe.example"));
    assert_eq!(jane.phone, s("740.647.3802"));
    assert!(!jane.custom.contains_key("email_other") && !jane.custom.contains_key("phone_home"), "moved, not copied");
    assert_eq!(jane.custom.get("manager_email").map(String::as_str), Some("boss@doe.example"), "someone else's");
    let john = one_row(&headers, &["John", "john@doe.example", "john@gmail.com", "", "", "", ""]).expect("valid");
    assert_eq!(john.email, s("john@doe.example"), "the first filled column wins");
    assert_eq!(john.custom.get("email_home").map(String::as_str), Some("john@gmail.com"), "the rest stay custom");
    let zoho = one_row(&["Last Name", "Email", "Secondary Email"], &["Ng", "", "ng@example.org"]).expect("valid");
    assert_eq!(zoho.email, s("ng@example.org"));
}

#[test]
fn an_email_in_a_name_column_is_not_a_name() {
    let eri = one_row(&["email", "firstname", "lastname"], &["eri@bla.com", "Eri Chan", "tom@bla.com"]).expect("valid");
    assert_eq!((eri.first_name, eri.last_name), (s("Eri Chan"), None));
    assert_eq!(eri.custom.get("lastname").map(String::as_str), Some("tom@bla.com"));
    assert!(eri.warnings[0].contains("is an email address, not a name"), "{:?}", eri.warnings);
}

#[test]
fn a_status_of_unsubscribed_is_an_email_opt_out() {
    let gone = one_row(&["email", "status"], &["a@example.org", "Unsubscribed"]).expect("valid");
    assert!(gone.email_opt_out && !gone.do_not_call);
    let stays = one_row(&["email", "status"], &["b@example.org", "Subscribed"]).expect("valid");
    assert!(!stays.email_opt_out);
    let never = one_row(&["email", "Lead Status"], &["c@example.org", "Do not contact"]).expect("valid");
    assert!(never.email_opt_out && never.sms_opt_out && never.do_not_call);
}
