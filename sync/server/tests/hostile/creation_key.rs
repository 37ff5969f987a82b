//! Creation keys of natural-key records (the normalised key a contact's or company's UUIDv5 id was
//! derived from, recorded in its document so a device joining after compaction can check the id):
//! a creation key must derive the id and be the record's key when it is created, never changes
//! afterwards (only a GDPR scrub may blank it), and never appears on a random id.

use anyhow::{Context, Result};
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::entity::natural_key::{natural_company_id, natural_contact_id, ERASED_CREATION_KEY};
use outpost_sync::protocol::Visibility;
use serde_json::json;

use super::peer::{item, Peer};
use super::probes::Probes;
use super::replay::code_and_field;
use super::server::{HostileServer, ANN, BOB};

/// A contact document with `email` and creation key `key` (None: none recorded).
fn contact(client: u64, email: &str, key: Option<&str>) -> Result<RecordDoc> {
    let doc = RecordDoc::new(client);
    doc.set_fields([("first_name", &json!("Kai")), ("email", &json!(email))])?;
    if let Some(key) = key {
        doc.set_creation_key(key)?;
    }
    Ok(doc)
}

/// A copy of the server's document `id` on another device (`client`).
async fn copy_of(peer: &Peer, id: DocId, client: u64) -> Result<RecordDoc> {
    let updates: Vec<Vec<u8>> =
        peer.pull_all().await?.into_iter().filter(|u| u.doc_id == id).map(|u| u.update).collect();
    Ok(RecordDoc::from_updates(client, &updates)?)
}

/// Runs the creation-key probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let ann = Peer::new(&server.base, &server.token(ANN)?, 0xc4ea);
    let bob = Peer::new(&server.base, &server.token(BOB)?, 0xc4eb);
    let mut seq = 0;
    let mut next = || {
        seq += 1;
        seq
    };

    // First writes.
    let kai = DocId(natural_contact_id("kai@key.example").context("a contact key")?);
    let foreign = contact(60, "kai@key.example", Some("bob@key.example"))?.snapshot();
    let got = bob.push(vec![item(kai, "contact", Visibility::Org, foreign, next(), bob.epoch)]).await?;
    probes.check("a contact whose creation key does not derive its id", "invalid:creation_key", &code_and_field(&got));
    let edited = contact(61, "kai@other.example", Some("kai@key.example"))?.snapshot();
    let got = bob.push(vec![item(kai, "contact", Visibility::Org, edited, next(), bob.epoch)]).await?;
    probes.check(
        "a first write whose creation key differs from its current key",
        "invalid:email",
        &code_and_field(&got),
    );
    let blank = contact(62, "kai@key.example", Some(ERASED_CREATION_KEY))?.snapshot();
    let got = bob.push(vec![item(kai, "contact", Visibility::Org, blank, next(), bob.epoch)]).await?;
    probes.check("a first write with an erased creation key", "invalid:creation_key", &code_and_field(&got));
    let random = contact(63, "kai@key.example", Some("kai@key.example"))?.snapshot();
    let got = bob.push(vec![item(DocId::new_random(), "contact", Visibility::Org, random, next(), bob.epoch)]).await?;
    probes.check("a creation key on a random id", "invalid:creation_key", &code_and_field(&got));
    let name_keyed = DocId(natural_company_id(None, "Keystone").context("a name key")?);
    let company = RecordDoc::new(64);
    company.set_fields([("name", &json!("Keystone GmbH")), ("domain", &json!("keystone.example"))])?;
    company.set_creation_key("domain:keystone.example")?;
    let got =
        bob.push(vec![item(name_keyed, "company", Visibility::Org, company.snapshot(), next(), bob.epoch)]).await?;
    probes.check(
        "a name-keyed company whose creation key is its domain",
        "invalid:creation_key",
        &code_and_field(&got),
    );
    let rightful = contact(65, " KAI@key.example", Some("kai@key.example"))?;
    let got = ann.push(vec![item(kai, "contact", Visibility::Org, rightful.snapshot(), next(), ann.epoch)]).await?;
    probes.check("the rightful contact with its creation key after the refusals", "stored", &code_and_field(&got));

    // Later writes: the e-mail may change, the creation key never (only a GDPR scrub blanks it).
    let email = rightful.set_field("email", json!("kai@renamed.example"))?;
    let got = ann.push(vec![item(kai, "contact", Visibility::Org, email, next(), ann.epoch)]).await?;
    probes.check("its owner edits the e-mail (the id stays)", "stored", &code_and_field(&got));
    for (who, peer, client) in [("its owner", &ann, 66), ("a colleague", &bob, 67)] {
        for (what, key) in [("another", "kai@renamed.example"), ("a foreign", "bob@key.example")] {
            let doc = copy_of(peer, kai, client).await?;
            let change = doc.set_creation_key(key)?;
            let got = peer.push(vec![item(kai, "contact", Visibility::Org, change, next(), peer.epoch)]).await?;
            probes.check(
                &format!("{who} changes the creation key to {what} key"),
                "invalid:creation_key",
                &code_and_field(&got),
            );
        }
    }
    let kept = copy_of(&ann, kai, 68).await?.creation_key();
    probes.check("the creation key after refused changes", "Some(\"kai@key.example\")", &format!("{kept:?}"));

    // A document created without one (by an older device) may get its own, never another.
    let old = DocId(natural_contact_id("lou@key.example").context("a contact key")?);
    let created = contact(69, "lou@key.example", None)?.snapshot();
    let got = ann.push(vec![item(old, "contact", Visibility::Org, created, next(), ann.epoch)]).await?;
    probes.check("a contact created without a creation key (an older device)", "stored", &code_and_field(&got));
    let doc = copy_of(&bob, old, 70).await?;
    let foreign = doc.set_creation_key("bob@key.example")?;
    let got = bob.push(vec![item(old, "contact", Visibility::Org, foreign, next(), bob.epoch)]).await?;
    probes.check("adding a foreign creation key to it", "invalid:creation_key", &code_and_field(&got));
    let doc = copy_of(&bob, old, 71).await?;
    let own = doc.set_creation_key("lou@key.example")?;
    let got = bob.push(vec![item(old, "contact", Visibility::Org, own, next(), bob.epoch)]).await?;
    probes.check("adding the creation key its id derives from", "stored", &code_and_field(&got));

    // The GDPR scrub: a creation key that spelt an erased person is blanked, once and for good.
    let doc = copy_of(&ann, kai, 72).await?;
    let scrub = doc.set_creation_key(ERASED_CREATION_KEY)?;
    let got = ann.push(vec![item(kai, "contact", Visibility::Org, scrub, next(), ann.epoch)]).await?;
    probes.check("a GDPR scrub blanks the creation key", "stored", &code_and_field(&got));
    let doc = copy_of(&ann, kai, 73).await?;
    let back = doc.set_creation_key("kai@key.example")?;
    let got = ann.push(vec![item(kai, "contact", Visibility::Org, back, next(), ann.epoch)]).await?;
    probes.check("restoring an erased creation key", "invalid:creation_key", &code_and_field(&got));
    Ok(())
}
