//! One regression test per class of real-world export that used to land wrong (issue 15), each
//! named after what broke: Google/Outlook columns, the email domain overriding the row's company,
//! consent columns and Outpost's own export round trip, company and deal files becoming people,
//! encodings, spreadsheet artefacts, the phone region, home addresses, identical people twice and
//! a closed stdout pipe, deals known only by company domain or by contact. All through the real
//! `outpost` binary on fresh data directories.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{Context, Result};
use outpost_tests::{workspace_bin, Workspace};
use serde_json::Value;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    Ok(path)
}

fn import(ws: &Workspace, path: &Path, extra: &[&str]) -> Result<Value> {
    let path = path.to_string_lossy().into_owned();
    let mut args = vec!["import", path.as_str()];
    args.extend_from_slice(extra);
    ws.json(&args)
}

fn list(ws: &Workspace, what: &str) -> Result<Vec<Value>> {
    let args: &[&str] = if what == "deals" { &["deals", "list"] } else { &[what, "list", "--limit", "10000"] };
    Ok(ws.json(args)?.as_array().cloned().unwrap_or_default())
}

fn find<'a>(records: &'a [Value], key: &str, value: &str) -> Result<&'a Value> {
    records.iter().find(|r| r[key] == value).with_context(|| format!("no record with {key} = {value}: {records:?}"))
}

#[test]
fn google_contacts_and_outlook_columns_were_not_mapped() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let google = write(
        dir.path(),
        "google.csv",
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,\
Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,\
Address 1 - Type,Address 1 - City,Address 1 - Region,Address 1 - Country\n\
Ann Lee,Ann,Lee,* Work,ann@initech.com,Home,ann.lee@gmail.com,Mobile,+44 7700 900123,,Initech,CFO,Home,Leeds,West Yorkshire,United Kingdom\n\
,,,* ,only.email@globex.com ::: second@globex.com,,,,,,,,,,,\n"
            .as_bytes(),
    )?;
    let job = import(&ws, &google, &[])?;
    assert_eq!((job["imported"].as_u64(), job["failed"].as_u64()), (Some(2), Some(0)), "{job}");
    let people = list(&ws, "contacts")?;
    let ann = find(&people, "email", "ann@initech.com")?;
    assert_eq!((ann["title"].as_str(), ann["company_name"].as_str()), (Some("CFO"), Some("Initech")));
    assert_eq!(ann["phone"], "+44 7700 900123");
    assert_eq!(ann["custom_fields"]["E-mail 2 - Value"], "ann.lee@gmail.com", "second email kept: {ann}");
    assert_eq!(ann["custom_fields"]["home_city"], "Leeds", "a Home address is the person's: {ann}");
    let only = find(&people, "email", "only.email@globex.com")?;
    assert_eq!(only["custom_fields"]["E-mail 1 - Value (more)"], "second@globex.com");
    let initech = find(&list(&ws, "companies")?, "name", "Initech")?.clone();
    assert_eq!(initech["location"], Value::Null, "home address is not the company's location: {initech}");

    let outlook = write(
        dir.path(),
        "outlook.csv",
        "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,Business City,\
Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Home State,Home Postal Code,\
Home Country/Region,Business Phone,Home Phone,Mobile Phone,E-mail Address,E-mail 2 Address\n\
Ms.,Bea,,Kim,,Umbrella Corp,Sales,VP Sales,1 Main St,Boston,MA,02110,United States,9 Elm Rd,Salem,MA,01970,United States,\
(617) 555-0143,(978) 555-0100,,bea.kim@umbrella.com,bea@hotmail.com\n"
            .as_bytes(),
    )?;
    import(&ws, &outlook, &[])?;
    let bea = find(&list(&ws, "contacts")?, "email", "bea.kim@umbrella.com")?.clone();
    assert_eq!(bea["title"], "VP Sales", "Outlook's Title is the honorific: {bea}");
    assert_eq!(bea["phone"], "(617) 555-0143");
    assert_eq!(bea["custom_fields"]["home_city"], "Salem");
    let umbrella = find(&list(&ws, "companies")?, "name", "Umbrella Corp")?.clone();
    assert_eq!(umbrella["location"], "Boston, MA, United States", "{umbrella}");
    Ok(())
}

#[test]
fn the_email_domain_overrode_the_rows_own_company() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    // A consultancy's staff placed at clients: one mail domain, many companies.
    let mut text = String::from("First Name,Last Name,Email,Company\n");
    for (i, company) in ["Initech", "Globex", "Hooli", "Vandelay Industries"].iter().enumerate() {
        text.push_str(&format!("P{i},Consultant,p{i}@bigconsult.com,{company}\n"));
    }
    text.push_str("Jo,Own,jo@gmail.com,Jo's Bakery\nAl,Acme,al@acme.com,ACME Ltd\nNo,Company,no@bigconsult.com,\n");
    let job = import(&ws, &write(dir.path(), "placed.csv", text.as_bytes())?, &[])?;
    assert_eq!(job["imported"], 7, "{job}");
    let people = list(&ws, "contacts")?;
    for (i, company) in ["Initech", "Globex", "Hooli", "Vandelay Industries"].iter().enumerate() {
        assert_eq!(find(&people, "email", &format!("p{i}@bigconsult.com"))?["company_name"], *company);
    }
    let companies = list(&ws, "companies")?;
    assert!(
        companies.iter().all(|c| c["domain"] != "bigconsult.com"),
        "domain not supported by the names: {companies:?}"
    );
    assert!(companies.iter().all(|c| c["domain"] != "gmail.com"), "free mail is never a website: {companies:?}");
    assert_eq!(find(&companies, "name", "ACME Ltd")?["domain"], "acme.com", "the name supports acme.com");
    assert_eq!(find(&people, "email", "no@bigconsult.com")?["company_name"], Value::Null);
    Ok(())
}

#[test]
fn consent_columns_were_kept_as_custom_fields() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "consent.csv",
        b"Email,Email Opt Out,Do Not Call,SMS Opt Out,GDPR consent\n\
a@example.com,true,no,,yes\n\
b@example.com,,Yes,1,granted\n\
c@example.com,false,,,No\n\
d@example.com,2023-04-01 10:00:00,,,\n\
e@example.com,maybe,,,\n",
    )?;
    let job = import(&ws, &file, &[])?;
    let people = list(&ws, "contacts")?;
    let flags = |email: &str| -> Result<(bool, bool, bool)> {
        let c = find(&people, "email", email)?;
        Ok((c["email_opt_out"] == true, c["sms_opt_out"] == true, c["do_not_call"] == true))
    };
    assert_eq!(flags("a@example.com")?, (true, false, false));
    assert_eq!(flags("b@example.com")?, (false, true, true));
    assert_eq!(flags("c@example.com")?, (true, false, false), "no GDPR consent means no email");
    assert_eq!(flags("d@example.com")?, (true, false, false), "a date of opting out is an opt-out");
    assert_eq!(flags("e@example.com")?, (true, false, false), "an unreadable opt-out is respected");
    let warning = &job["warnings"][0];
    assert_eq!(warning["row"], 5, "{job}");
    assert!(warning["message"].as_str().unwrap_or_default().contains("'maybe'"), "{job}");
    for c in &people {
        let custom = c["custom_fields"].as_object().cloned().unwrap_or_default();
        assert!(!custom.contains_key("Email Opt Out") || c["email"] == "e@example.com", "{c}");
    }

    // HubSpot's and Salesforce's spellings.
    let sf = write(
        dir.path(),
        "sf.csv",
        b"FirstName,LastName,Email,HasOptedOutOfEmail,DoNotCall,Unsubscribed from all email\nS,F,sf@example.com,1,true,\nH,S,hs@example.com,0,false,true\n",
    )?;
    import(&ws, &sf, &[])?;
    let people = list(&ws, "contacts")?;
    assert_eq!(
        (
            find(&people, "email", "sf@example.com")?["email_opt_out"].clone(),
            find(&people, "email", "sf@example.com")?["do_not_call"].clone()
        ),
        (Value::Bool(true), Value::Bool(true))
    );
    assert_eq!(find(&people, "email", "hs@example.com")?["email_opt_out"], true);
    Ok(())
}

#[test]
fn outposts_own_export_lost_fields_when_re_imported() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let ada = ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--email",
        "ada@engines.io",
        "--phone",
        "+44 20 7946 0000",
        "--title",
        "Analyst",
        "--company",
        "Analytical Engines",
        "--email-opt-out",
        "true",
    ])?;
    ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "=cmd",
        "--last-name",
        "O'Brien",
        "--phone",
        "020 7946 0001",
        "--do-not-call",
        "true",
        "--sms-opt-out",
        "true",
        "--notes=-multi\nline, \"quoted\"",
    ])?;
    let leads = write(
        dir.path(),
        "leads.csv",
        b"Name,Email,City,Region,LinkedIn,Lead Source,Status\nGrace Hopper,grace@cobol.dev,Arlington,VA,https://linkedin.com/in/grace,Referral,Hot\n",
    )?;
    import(&ws, &leads, &[])?;
    assert_eq!(ada["email_opt_out"], true);
    let exported = dir.path().join("contacts.csv");
    ws.json(&["contacts", "export", "--csv", &exported.to_string_lossy()])?;

    let fresh = Workspace::new()?;
    let job = import(&fresh, &exported, &[])?;
    assert_eq!((job["imported"].as_u64(), job["failed"].as_u64()), (Some(3), Some(0)), "{job}");
    let strip = |mut c: Value| {
        if let Some(o) = c.as_object_mut() {
            // Not in the export: when the record was last touched, and the company's own id
            // (the company is re-created by name).
            for key in ["updated_at", "company_id", "last_contacted_at"] {
                o.remove(key);
            }
        }
        c
    };
    let mut before: Vec<Value> = list(&ws, "contacts")?.into_iter().map(strip).collect();
    let mut after: Vec<Value> = list(&fresh, "contacts")?.into_iter().map(strip).collect();
    before.sort_by_key(|c| c["id"].to_string());
    after.sort_by_key(|c| c["id"].to_string());
    assert_eq!(before, after, "every exported field round-trips");
    Ok(())
}

#[test]
fn company_and_deal_exports_became_people() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let companies = write(
        dir.path(),
        "companies.csv",
        b"Company name,Company Domain Name,Industry,Number of Employees,City,State/Region,Country/Region,Phone Number\n\
Initech,initech.com,Software,51-200,Austin,TX,United States,(512) 555-0100\n\
Globex Corporation,https://www.globex.io/,Energy,5000,Springfield,OR,United States,(541) 555-0199\n",
    )?;
    let preview = ws.json(&["import", &companies.to_string_lossy(), "--preview"])?;
    assert_eq!(preview["record_type"], "companies", "the preview says which: {preview}");
    let job = import(&ws, &companies, &[])?;
    assert_eq!((job["record_type"].as_str(), job["imported"].as_u64()), (Some("companies"), Some(2)), "{job}");
    assert!(list(&ws, "contacts")?.is_empty(), "company names are not people");
    let all = list(&ws, "companies")?;
    let globex = find(&all, "name", "Globex Corporation")?;
    assert_eq!(
        (globex["domain"].as_str(), globex["industry"].as_str(), globex["size"].as_str()),
        (Some("globex.io"), Some("Energy"), Some("5000"))
    );
    assert_eq!(globex["location"], "Springfield, OR, United States");

    let deals = write(
        dir.path(),
        "deals.csv",
        "Deal Name,Deal Stage,Amount,Close Date,Associated Company,Contact Email,Contact Name\n\
Initech renewal,closedwon,\"$12,500.00\",05/14/2024,Initech,bill@initech.com,Bill Lumbergh\n\
Globex pilot,Presentation Scheduled,\"12.500,00 €\",14.06.2024,Globex Corporation,,\n\
Hooli expansion,appointmentscheduled,1.5E+06,2024-07-01,Hooli,gavin@hooli.xyz,Gavin Belson\n\
Mystery,Stage 9 from Mars,100,not a date,Initech,,\n"
            .as_bytes(),
    )?;
    let job = import(&ws, &deals, &[])?;
    assert_eq!((job["record_type"].as_str(), job["imported"].as_u64()), (Some("deals"), Some(4)), "{job}");
    let got = list(&ws, "deals")?;
    let renewal = find(&got, "title", "Initech renewal")?;
    assert_eq!(
        (renewal["stage"].as_str(), renewal["value"].as_f64(), renewal["currency"].as_str()),
        (Some("Won"), Some(12_500.0), Some("USD"))
    );
    assert_eq!(
        (renewal["expected_close"].as_str(), renewal["company_name"].as_str(), renewal["contact_name"].as_str()),
        (Some("2024-05-14"), Some("Initech"), Some("Bill Lumbergh"))
    );
    let pilot = find(&got, "title", "Globex pilot")?;
    assert_eq!(
        (
            pilot["stage"].as_str(),
            pilot["value"].as_f64(),
            pilot["currency"].as_str(),
            pilot["expected_close"].as_str()
        ),
        (Some("Proposal"), Some(12_500.0), Some("EUR"), Some("2024-06-14"))
    );
    assert_eq!(pilot["company_name"], "Globex Corporation", "linked to the company imported before");
    assert_eq!(find(&got, "title", "Hooli expansion")?["value"], 1_500_000.0);
    let messages: Vec<String> = job["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["message"].as_str().map(str::to_owned))
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("Stage 9 from Mars")) && messages.iter().any(|m| m.contains("not a date")),
        "{messages:?}"
    );
    assert_eq!(list(&ws, "companies")?.len(), 3, "Hooli added, Initech and Globex reused");

    // Neither people, companies nor deals: refused before any job exists.
    let other = write(dir.path(), "stock.csv", b"SKU,Quantity,Price\nA-1,3,9.99\n")?;
    let refused = ws.fails(&["import", &other.to_string_lossy()])?;
    assert_eq!(refused.code, Some(3));
    assert!(refused.stderr.contains("is not a list of contacts, companies or deals"), "{}", refused.stderr);
    assert_eq!(ws.json(&["imports", "list"])?.as_array().map(Vec::len), Some(2), "no job for the refused file");
    Ok(())
}

/// windows-1250 bytes of Polish text (test input, built from the code page's table).
fn cp1250(text: &str) -> Vec<u8> {
    let table = [
        ('ą', 0xB9),
        ('ć', 0xE6),
        ('ę', 0xEA),
        ('ł', 0xB3),
        ('ń', 0xF1),
        ('ó', 0xF3),
        ('ś', 0x9C),
        ('ź', 0x9F),
        ('ż', 0xBF),
        ('Ą', 0xA5),
        ('Ć', 0xC6),
        ('Ę', 0xCA),
        ('Ł', 0xA3),
        ('Ń', 0xD1),
        ('Ó', 0xD3),
        ('Ś', 0x8C),
        ('Ź', 0x8F),
        ('Ż', 0xAF),
    ];
    text.chars()
        .map(|c| table.iter().find(|(k, _)| *k == c).map_or_else(|| u8::try_from(c).unwrap_or(b'?'), |(_, b)| *b))
        .collect()
}

const POLISH: &str =
    "Imię;Nazwisko;Email;Miasto\nPaweł;Wróbel;pawel@firma.pl;Łódź\nZofia;Łukaszewicz;zofia@firma.pl;Kraków\n\
Grzegorz;Brzęczyszczykiewicz;g@firma.pl;Chrząszczyżewoszyce\nŚwiętosław;Żółć;s@firma.pl;Gdańsk\n";

#[test]
fn windows_1250_was_read_as_windows_1252() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(dir.path(), "polish.csv", &cp1250(POLISH))?;
    let job = import(&ws, &file, &[])?;
    assert_eq!(job["encoding"], "windows-1250", "{job}");
    assert!(job["notices"][0].as_str().unwrap_or_default().contains("windows-1250"), "{job}");
    let people = list(&ws, "contacts")?;
    assert_eq!(find(&people, "email", "pawel@firma.pl")?["first_name"], "Paweł");
    assert_eq!(find(&people, "email", "s@firma.pl")?["last_name"], "Żółć");

    // The override wins, and a wrong one shows (this is what reading it as windows-1252 did).
    let other = Workspace::new()?;
    let job = import(&other, &file, &["--encoding", "windows-1252"])?;
    assert_eq!(job["encoding"], "windows-1252");
    assert_eq!(find(&list(&other, "contacts")?, "email", "pawel@firma.pl")?["first_name"], "Pawe³");
    let bad = other.fails(&["import", &file.to_string_lossy(), "--encoding", "klingon", "--force"])?;
    assert!(bad.stderr.contains("unknown encoding 'klingon'"), "{}", bad.stderr);
    Ok(())
}

#[test]
fn a_mixed_encoding_file_was_decoded_without_warning() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let mut bytes = "First Name;Last Name;Email\nZoë;Müller;zoe@example.de\nRenée;Dupré;renee@example.fr\nJosé;Núñez;jose@example.es\n"
        .as_bytes()
        .to_vec();
    bytes.extend(cp1250("Paweł;Wróbel;pawel@firma.pl\n"));
    let file = write(dir.path(), "mixed.csv", &bytes)?;
    let job = import(&ws, &file, &[])?;
    assert!(job["encoding"].as_str().unwrap_or_default().starts_with("UTF-8 + "), "{job}");
    assert!(job["notices"][0].as_str().unwrap_or_default().contains("mixed encodings"), "{job}");
    let people = list(&ws, "contacts")?;
    assert_eq!(find(&people, "email", "zoe@example.de")?["last_name"], "Müller", "the UTF-8 rows stay right");
    assert_eq!(find(&people, "email", "jose@example.es")?["last_name"], "Núñez");
    assert_eq!(find(&people, "email", "pawel@firma.pl")?["last_name"], "Wróbel", "the legacy row decodes too");
    Ok(())
}

#[test]
fn spreadsheet_artefacts_and_invalid_emails_lost_data() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "excel.csv",
        b"First Name,Last Name,Email,Phone\n\
Ann,Apostrophe,ann@example.com,'+44 20 7946 0958\n\
Sam,Scientific,sam@example.com,4.4207E+11\n\
Whole,Digits,whole@example.com,4.42079460958E+11\n\
Ivy,Invalid,ivy(at)example.com,+44 20 7946 0959\n\
,,not-an-email,\n",
    )?;
    let job = import(&ws, &file, &[])?;
    assert_eq!((job["imported"].as_u64(), job["failed"].as_u64()), (Some(4), Some(1)), "{job}");
    let people = list(&ws, "contacts")?;
    assert_eq!(find(&people, "email", "ann@example.com")?["phone"], "+44 20 7946 0958", "apostrophe stripped");
    let sam = find(&people, "email", "sam@example.com")?;
    assert_eq!(sam["phone"], Value::Null, "digits lost to scientific notation are not a phone: {sam}");
    assert_eq!(sam["custom_fields"]["Phone"], "4.4207E+11", "but the value is kept: {sam}");
    assert_eq!(find(&people, "email", "whole@example.com")?["phone"], "442079460958");
    let ivy = find(&people, "first_name", "Ivy")?;
    assert_eq!(
        (ivy["email"].clone(), ivy["phone"].as_str()),
        (Value::Null, Some("+44 20 7946 0959")),
        "imported without the email"
    );
    let rows: Vec<u64> = job["warnings"].as_array().into_iter().flatten().filter_map(|w| w["row"].as_u64()).collect();
    assert_eq!(rows, vec![2, 3, 4], "{job}");
    assert!(job["warnings"][2]["message"].as_str().unwrap_or_default().contains("ivy(at)example.com"), "{job}");
    assert!(job["errors"][0]["message"].as_str().unwrap_or_default().contains("not-an-email"), "{job}");
    Ok(())
}

#[test]
fn bare_us_numbers_became_uk_numbers() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let mut text = String::from("Name,Email,Phone\n");
    for i in 0..6 {
        text.push_str(&format!("Caller {i},c{i}@example.com,+1 650 253 00{i:02}\n"));
    }
    text.push_str("Bare Number,bare@example.com,(650) 253-0099\n");
    let file = write(dir.path(), "us.csv", text.as_bytes())?;
    let preview = ws.json(&["import", &file.to_string_lossy(), "--preview"])?;
    assert_eq!(preview["phone_region"]["region"], "US", "{preview}");
    assert!(preview["phone_region"]["reason"].as_str().unwrap_or_default().starts_with("inferred"), "{preview}");
    let job = import(&ws, &file, &[])?;
    assert_eq!(job["phone_region"]["region"], "US");
    let bare = find(&list(&ws, "contacts")?, "email", "bare@example.com")?.clone();
    // The bare number is read as a US one: it duplicates nobody and is a valid US number (the
    // old GB default made it invalid). Its E.164 form is checked through a second file.
    let again = write(dir.path(), "again.csv", b"Name,Phone\nBare Number,+16502530099\n")?;
    let second = import(&ws, &again, &[])?;
    assert_eq!(second["skipped"], 1, "same E.164 number as the bare one: {second} {bare}");
    let given = import(&Workspace::new()?, &file, &["--region", "GB"])?;
    assert_eq!(given["phone_region"]["reason"], "given");
    Ok(())
}

#[test]
fn a_home_address_became_the_company_location_and_a_region_was_lost() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "addresses.csv",
        b"First Name,Last Name,Email,Company,Home City,Home Country,State\n\
Hal,Home,hal@initrode.com,Initrode,Bristol,United Kingdom,\n\
Rae,Region,rae@example.org,,,,Bavaria\n",
    )?;
    import(&ws, &file, &[])?;
    let initrode = find(&list(&ws, "companies")?, "name", "Initrode")?.clone();
    assert_eq!(initrode["location"], Value::Null, "{initrode}");
    let people = list(&ws, "contacts")?;
    let hal = find(&people, "email", "hal@initrode.com")?;
    assert_eq!(
        (hal["custom_fields"]["home_city"].as_str(), hal["custom_fields"]["home_country"].as_str()),
        (Some("Bristol"), Some("United Kingdom"))
    );
    assert_eq!(find(&people, "email", "rae@example.org")?["custom_fields"]["region"], "Bavaria");
    Ok(())
}

#[test]
fn identical_people_without_email_or_company_were_imported_twice() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "twice.csv",
        b"First Name,Last Name,City\nKim,Park,Seoul\nKim,Park,Seoul\nKim,Park,Busan\nLee,Park,Seoul\n",
    )?;
    let job = import(&ws, &file, &[])?;
    // Kim Park in Busan is not the Kim Park in Seoul; Lee Park is someone else.
    assert_eq!((job["imported"].as_u64(), job["skipped"].as_u64()), (Some(3), Some(1)), "{job}");
    let again = write(dir.path(), "again.csv", b"First Name,Last Name\nKim,Park\n")?;
    assert_eq!(import(&ws, &again, &[])?["skipped"], 1);
    Ok(())
}

/// Runs `outpost ARGS` with stdout on a real pipe whose reader takes one line and closes it.
fn read_one_line_and_close(data_dir: &Path, args: &[&str]) -> Result<(Option<i32>, String)> {
    let mut child = Command::new(workspace_bin("outpost")?)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first)?;
    // The reader is gone (dropped above): the next write meets a closed pipe.
    let output = child.wait_with_output()?;
    anyhow::ensure!(!first.is_empty(), "no first line from {args:?}");
    Ok((output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned()))
}

#[test]
fn a_closed_stdout_pipe_made_commands_panic() -> Result<()> {
    let ws = Workspace::new()?;
    let big = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports/linkedin-connections.csv");
    let job = import(&ws, &big, &[])?;
    let id = job["id"].as_str().context("job id")?.to_owned();
    for args in [
        &["--json", "contacts", "list", "--limit", "10000"][..],
        &["contacts", "list", "--limit", "10000"],
        &["--json", "companies", "list", "--limit", "10000"],
        &["--json", "audit", "--limit", "1000"],
        &["audit", "--limit", "10000"],
        &["contacts", "list", "--search", "a", "--limit", "10000"],
        &["--json", "imports", "show", &id],
        &["--json", "import", &big.to_string_lossy(), "--preview"],
    ] {
        let (code, stderr) = read_one_line_and_close(ws.data_dir(), args)?;
        assert_eq!(code, Some(0), "{args:?} exited {code:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
    Ok(())
}

/// Issue 14 leftover: imported company and deal rows were stored without the checks every other
/// boundary applies, so a row another device would refuse (a 600-character industry or deal
/// name) was imported here and could never sync.
#[test]
fn company_and_deal_rows_breaking_the_entity_definitions_are_reported_not_imported() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let long = "x".repeat(600);
    let companies = write(
        dir.path(),
        "companies.csv",
        format!("Company name,Company Domain Name,Industry\nInitech,initech.com,Software\nGlobex,globex.io,{long}\n")
            .as_bytes(),
    )?;
    let job = import(&ws, &companies, &[])?;
    assert_eq!((job["imported"].as_u64(), job["failed"].as_u64()), (Some(1), Some(1)), "{job}");
    assert!(job.to_string().contains("industry"), "the refusal names the field: {job}");
    let names: Vec<String> =
        list(&ws, "companies")?.iter().filter_map(|c| c["name"].as_str().map(str::to_owned)).collect();
    assert_eq!(names, ["Initech"], "nothing of the refused row was stored");

    let deals = write(
        dir.path(),
        "deals.csv",
        format!("Deal Name,Amount,Associated Company,Contact Email\nRenewal,100,Hooli,gavin@hooli.xyz\n{long},5,Pied Piper,richard@piedpiper.example\n")
            .as_bytes(),
    )?;
    let job = import(&ws, &deals, &[])?;
    assert_eq!((job["imported"].as_u64(), job["failed"].as_u64()), (Some(1), Some(1)), "{job}");
    assert!(job.to_string().contains("title"), "the refusal names the field: {job}");
    assert_eq!(list(&ws, "deals")?.len(), 1);
    let companies = list(&ws, "companies")?;
    assert!(find(&companies, "name", "Pied Piper").is_err(), "the refused deal's company was created: {companies:?}");
    assert!(find(&list(&ws, "contacts")?, "email", "richard@piedpiper.example").is_err(), "its contact was created");
    Ok(())
}

#[test]
fn deals_without_a_company_name_collapsed_into_one() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    // HubSpot's deals export names the company by domain and the contact by email; a Pipedrive
    // status of won outranks the stage the deal was last in.
    let hubspot = write(
        dir.path(),
        "hubspot-deals.csv",
        b"Deal Name,Deal Stage,Amount,Associated Company Domain,Associated Contact Email\n\
Renewal,Contract Sent,1000,frost.info,ann@frost.info\n\
Renewal,Contract Sent,2000,globex.com,bob@globex.com\n\
Renewal,Contract Sent,1000,frost.info,ann@frost.info\n",
    )?;
    let job = import(&ws, &hubspot, &[])?;
    assert_eq!((job["imported"].as_u64(), job["skipped"].as_u64()), (Some(2), Some(1)), "{job}");
    let deals = list(&ws, "deals")?;
    let companies = list(&ws, "companies")?;
    let frost = find(&companies, "domain", "frost.info")?;
    assert!(deals.iter().any(|d| d["company_id"] == frost["id"] && d["value"] == 1000.0), "{deals:?}");
    let loose = write(
        dir.path(),
        "contacts-only.csv",
        b"Deal - Title,Deal - Value,Deal - Stage,Deal - Status,Person - Email - Work\n\
Onboarding,500,Negotiations Started,won,cy@example.org\n\
Onboarding,700,Negotiations Started,open,dee@example.org\n",
    )?;
    let job = import(&ws, &loose, &[])?;
    assert_eq!((job["imported"].as_u64(), job["skipped"].as_u64()), (Some(2), Some(0)), "told apart by contact: {job}");
    let deals = list(&ws, "deals")?;
    let won = deals.iter().find(|d| d["value"] == 500.0).context("the 500 deal")?;
    assert_eq!(won["stage_kind"], "won", "{won}");
    Ok(())
}
