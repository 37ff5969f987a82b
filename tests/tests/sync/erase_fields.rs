//! GDPR erase reaches every personal free-text column (issue 14): after an erase on device A and
//! a sync, the person's e-mail and name are gone from another deal's BANT fields, a company's
//! industry and location and another contact's lead source, on both devices — and where the name
//! and e-mail sat side by side, `[erased].[erased]@their-domain` does not keep the domain.
//! A company named after the person keeps its natural-key id, but the creation key its document
//! recorded (the normalised name the id derives from) is scrubbed too, on the devices and in the
//! server's files, and a device set up afterwards still receives the redacted company.

use anyhow::{ensure, Result};

use super::support::{self, s, Server};

/// Lower-cased needles: the e-mail, its domain, the first and last name.
const NEEDLES: &[&str] = &["ottilie.brandvold@larkspur-mills.example", "larkspur-mills", "ottilie", "brandvold"];

#[test]
fn erase_redacts_bant_company_and_lead_source_text_on_every_device() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);
    let person = a.cli(&[
        "contacts",
        "add",
        "--first-name",
        "Ottilie",
        "--last-name",
        "Brandvold",
        "--email",
        "Ottilie.Brandvold@larkspur-mills.example",
    ])?;
    let mention = "ottilie.brandvold@larkspur-mills.example (Ottilie Brandvold)";
    a.cli(&[
        "deals",
        "add",
        "--title",
        "Mill retrofit",
        "--budget",
        &format!("approved by {mention}"),
        "--authority",
        mention,
        "--need",
        &format!("{mention} needs it"),
        "--timeline",
        &format!("{mention} signs in Q3"),
    ])?;
    a.cli(&["companies", "add", "--name", "Fernhill", "--industry", mention, "--location", &format!("c/o {mention}")])?;
    a.cli(&["contacts", "add", "--first-name", "Rune", "--lead-source", &format!("referred by {mention}")])?;
    let named = a.cli(&["companies", "add", "--name", "Ottilie Brandvold Consulting"])?;
    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }
    ensure!(!support::leftovers(b.ws.data_dir(), NEEDLES)?.is_empty(), "B never received the person");

    a.cli(&["contacts", "erase", &s(&person, "id")])?;
    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }
    for (name, device) in [("A", &a), ("B", &b)] {
        let found = support::leftovers(device.ws.data_dir(), NEEDLES)?;
        ensure!(found.is_empty(), "{name} still holds the person: {found:?}");
        let deals = device.cli(&["deals", "list"])?;
        ensure!(deals.to_string().contains("approved by [erased] ([erased] [erased])"), "{name}: {deals}");
    }
    let found = server.leftovers_after_scrub(NEEDLES)?;
    ensure!(found.is_empty(), "the server still holds the person: {found:?}");
    let late = server.device()?;
    late.sync(&["now"])?;
    let status = late.sync(&["status"])?;
    ensure!(status["quarantined"].as_u64().unwrap_or(0) == 0, "the late device quarantined: {status:#}");
    let company = late.cli(&["companies", "show", &s(&named, "id")])?;
    ensure!(company["name"] == "[erased] [erased] Consulting", "the late device's company: {company}");
    Ok(())
}
