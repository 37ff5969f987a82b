//! Sequence and epoch replay, duplicate bytes, and erase and kind squatting.

use anyhow::{Context, Result};
use outpost_sync::doc::{natural_key_doc_id, DocId, RecordDoc};
use outpost_sync::entity::natural_key::natural_company_id;
use outpost_sync::protocol::{PushOutcome, Visibility};
use serde_json::json;

use super::peer::{item, outcome, Peer};
use super::probes::Probes;
use super::server::{HostileServer, ANN, BOB, MAX};

fn seq_of(ack: &outpost_sync::protocol::PushAck) -> Option<u64> {
    match ack.results.first().map(|r| &r.outcome) {
        Some(PushOutcome::Stored { seq } | PushOutcome::Duplicate { seq }) => Some(*seq),
        _ => None,
    }
}

/// Runs the replay and squatting probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let ann = Peer::new(&server.base, &server.token(ANN)?, 0x5eed);
    let bob = Peer::new(&server.base, &server.token(BOB)?, 0xb0b);
    let max = Peer::new(&server.base, &server.token(MAX)?, 0x3a3);

    // Sequence numbers and epochs.
    let doc = RecordDoc::new(31);
    let id = DocId::new_random();
    let first = doc.set_field("title", json!("first"))?;
    let ack = ann.push(vec![item(id, "task", Visibility::Org, first.clone(), 1, ann.epoch)]).await?;
    probes.check("a first push", "stored", &outcome(&ack, 0));
    let stored_seq = seq_of(&ack);
    let digest = ack.results[0].digest.clone().unwrap_or_default();
    probes.check(
        "the acknowledgement carries the stored bytes' digest",
        &outpost_sync::protocol::update_digest(&first),
        &digest,
    );
    let again = ann.push(vec![item(id, "task", Visibility::Org, first.clone(), 1, ann.epoch)]).await?;
    probes.check("a retry (same epoch, sequence number and bytes)", "duplicate", &outcome(&again, 0));
    probes.check(
        "a retry names the first push's sequence",
        &format!("{stored_seq:?}"),
        &format!("{:?}", seq_of(&again)),
    );
    let second = doc.set_field("title", json!("second, from a restored database"))?;
    let reused = ann.push_one(item(id, "task", Visibility::Org, second.clone(), 1, ann.epoch)).await?;
    probes.check("other bytes under a used sequence number (a restored database)", "sequence_reused", &reused);
    let stored: Vec<_> = ann.pull_all().await?.into_iter().filter(|u| u.doc_id == id).collect();
    probes.check("a reused sequence number stores nothing", "1", &stored.len().to_string());
    let fresh = ann.push_one(item(id, "task", Visibility::Org, second.clone(), 1, ann.epoch + 1)).await?;
    probes.check("the same change under a new epoch", "stored", &fresh);
    let copy = ann.push(vec![item(id, "task", Visibility::Org, second.clone(), 99, ann.epoch + 1)]).await?;
    probes.check("the same bytes under a new sequence number", "duplicate", &outcome(&copy, 0));
    let stored: Vec<_> = ann.pull_all().await?.into_iter().filter(|u| u.doc_id == id).collect();
    probes.check("duplicate bytes are stored once", "2", &stored.len().to_string());
    let other_device = Peer::new(&server.base, &server.token(ANN)?, ann.epoch);
    let third = doc.set_field("title", json!("third, from another device"))?;
    let got = other_device.push_one(item(id, "task", Visibility::Org, third, 1, ann.epoch)).await?;
    probes.check("another device may use the same epoch and sequence number", "stored", &got);
    let dangling = RecordDoc::new(32);
    dangling.set_field("title", json!("never pushed"))?;
    let orphan = dangling.set_field("title", json!("builds on it"))?;
    let got = ann.push_one(item(DocId::new_random(), "task", Visibility::Org, orphan, 2, ann.epoch + 1)).await?;
    probes.check("an update building on changes the server never had", "bad_request", &got);
    let got =
        ann.push_one(item(DocId::new_random(), "task", Visibility::Org, b"not yrs".to_vec(), 3, ann.epoch + 1)).await?;
    probes.check("bytes that are not a yrs update", "bad_request", &got);

    // Erase squatting: erasing an id nobody created is refused and leaves it free.
    let victim = natural_key_doc_id("outpost", "contact", "lee@squat.example");
    let mut erase = item(victim, "contact", Visibility::Org, Vec::new(), 10, bob.epoch);
    erase.erase = true;
    probes.check("erasing a natural-key id nobody created", "not_found", &bob.push_one(erase).await?);
    let lee = RecordDoc::new(40);
    let created = lee.set_fields([("email", &json!("lee@squat.example")), ("first_name", &json!("Lee"))])?;
    let got = ann.push_one(item(victim, "contact", Visibility::Org, created.clone(), 11, ann.epoch + 1)).await?;
    probes.check("the rightful contact after an erase squat", "stored", &got);
    let mut erase = item(victim, "contact", Visibility::Org, Vec::new(), 11, bob.epoch);
    erase.erase = true;
    probes.check("another rep erases the colleague's contact", "forbidden", &bob.push_one(erase).await?);

    // Kind squatting: a natural-key id under another kind is refused and never claims the id.
    let company = natural_key_doc_id("outpost", "contact", "kim@squat.example");
    let task = RecordDoc::new(41).set_field("title", json!("squatting"))?;
    for (n, kind) in ["task", "deal", "copilot_memory"].iter().enumerate() {
        let got = bob.push_one(item(company, kind, Visibility::Org, task.clone(), 20 + n as u64, bob.epoch)).await?;
        probes.check(&format!("a {kind} under a contact's natural-key id"), "invalid", &got);
    }
    let kim = RecordDoc::new(42).set_field("email", json!("kim@squat.example"))?;
    let got = ann.push_one(item(company, "contact", Visibility::Org, kim, 12, ann.epoch + 1)).await?;
    probes.check("the rightful contact after kind squats", "stored", &got);
    let private = natural_key_doc_id("outpost", "contact", "pat@squat.example");
    let pat = RecordDoc::new(43).set_field("email", json!("pat@squat.example"))?;
    let got = bob.push_one(item(private, "contact", Visibility::Private, pat.clone(), 30, bob.epoch)).await?;
    probes.check("a private contact under a natural-key id", "invalid", &got);
    let got = ann.push_one(item(private, "contact", Visibility::Org, pat, 13, ann.epoch + 1)).await?;
    probes.check("the rightful contact after a private squat", "stored", &got);
    let meeting = DocId::new_random();
    let brief_id = natural_key_doc_id("outpost", "brief", &DocId::new_random().to_string());
    let brief = RecordDoc::new(44).set_field("meeting_id", json!(meeting.to_string()))?;
    let got = bob.push_one(item(brief_id, "brief", Visibility::Org, brief, 31, bob.epoch)).await?;
    probes.check("a brief under another meeting's brief id", "invalid", &got);
    let mismatch = RecordDoc::new(45).set_field("title", json!("x"))?;
    let got = bob.push_one(item(victim, "deal", Visibility::Org, mismatch, 32, bob.epoch)).await?;
    probes.check("a deal pushed over an existing contact", "kind_mismatch", &got);
    let still: Vec<_> = max.pull_all().await?.into_iter().filter(|u| u.doc_id == victim).collect();
    probes.check("the contact keeps its kind", "contact", still.first().map(|u| u.kind.as_str()).unwrap_or("missing"));
    let mut erase = item(victim, "contact", Visibility::Org, Vec::new(), 40, max.epoch);
    erase.erase = true;
    probes.check("a manager erases the contact", "stored", &max.push_one(erase.clone()).await?);
    erase.client_seq = 41;
    probes.check("erasing it again", "duplicate", &max.push_one(erase).await?);
    let stale = lee.set_field("title", json!("stale"))?;
    let got = ann.push_one(item(victim, "contact", Visibility::Org, stale, 14, ann.epoch + 1)).await?;
    probes.check("an update of the erased contact", "erased", &got);
    natural_key_squatting(&bob, &ann, probes).await
}

/// `code` for a stored or duplicate item, `code:field` for a refused one naming a field.
pub fn code_and_field(ack: &outpost_sync::protocol::PushAck) -> String {
    match ack.results.first().map(|r| &r.outcome) {
        Some(PushOutcome::Rejected { error }) => match &error.field {
            Some(field) => format!("{}:{field}", outcome(ack, 0)),
            None => outcome(ack, 0),
        },
        _ => outcome(ack, 0),
    }
}

/// Natural-key squatting: a contact's or company's natural-key id must be the one its e-mail or
/// domain derives, so nobody can take the id a colleague's device will derive for someone else.
async fn natural_key_squatting(bob: &Peer, ann: &Peer, probes: &mut Probes) -> Result<()> {
    let contact = |email: Option<&str>| -> Result<Vec<u8>> {
        let doc = RecordDoc::new(50);
        let name = doc.set_field("first_name", json!("Squatter"))?;
        Ok(match email {
            Some(email) => doc.set_field("email", json!(email))?,
            None => name,
        })
    };
    let noor = natural_key_doc_id("outpost", "contact", "noor@squat.example");
    let cases = [
        ("a contact under another e-mail's natural-key id", contact(Some("bob@squat.example"))?, "invalid:email"),
        ("a contact without an e-mail under a natural-key id", contact(None)?, "invalid:email"),
    ];
    for (n, (name, update, want)) in cases.into_iter().enumerate() {
        let ack = bob.push(vec![item(noor, "contact", Visibility::Org, update, 50 + n as u64, bob.epoch)]).await?;
        probes.check(name, want, &code_and_field(&ack));
    }
    let got = ann
        .push(vec![item(noor, "contact", Visibility::Org, contact(Some(" Noor@Squat.Example "))?, 60, ann.epoch + 1)])
        .await?;
    probes.check(
        "the rightful contact (e-mail in another case) after natural-key squats",
        "stored",
        &code_and_field(&got),
    );

    let company = |domain: &str| -> Result<Vec<u8>> {
        let doc = RecordDoc::new(51);
        doc.set_field("name", json!("Initech"))?;
        Ok(doc.set_field("domain", json!(domain))?)
    };
    let initech = natural_key_doc_id("outpost", "company", "domain:initech.example");
    let ack =
        bob.push(vec![item(initech, "company", Visibility::Org, company("evil.example")?, 55, bob.epoch)]).await?;
    probes.check("a company under another domain's natural-key id", "invalid:domain", &code_and_field(&ack));
    let got = ann
        .push(vec![item(initech, "company", Visibility::Org, company("initech.example")?, 61, ann.epoch + 1)])
        .await?;
    probes.check("the rightful company after a natural-key squat", "stored", &code_and_field(&got));

    // A company without a domain is keyed by its normalised name (legal form, case, accents and
    // punctuation folded): the same rule, checked with the devices' own normaliser.
    let named = |name: Option<&str>| -> Result<Vec<u8>> {
        let doc = RecordDoc::new(52);
        let industry = doc.set_field("industry", json!("Staplers"))?;
        Ok(match name {
            Some(name) => doc.set_field("name", json!(name))?,
            None => industry,
        })
    };
    let initrode = DocId(natural_company_id(None, "Initrode").context("a name key")?);
    let cases = [
        ("a company under another name's natural-key id", named(Some("Evil Staplers"))?, "invalid:name"),
        ("a company without a name under a name-keyed id", named(None)?, "invalid:name"),
    ];
    for (n, (name, update, want)) in cases.into_iter().enumerate() {
        let ack = bob.push(vec![item(initrode, "company", Visibility::Org, update, 70 + n as u64, bob.epoch)]).await?;
        probes.check(name, want, &code_and_field(&ack));
    }
    let got = ann
        .push(vec![item(initrode, "company", Visibility::Org, named(Some("INITRODE, Ltd."))?, 62, ann.epoch + 1)])
        .await?;
    probes.check("the rightful name-keyed company (another legal form) after squats", "stored", &code_and_field(&got));
    Ok(())
}
