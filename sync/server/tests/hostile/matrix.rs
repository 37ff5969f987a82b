//! The role × kind × action write-authorisation matrix, with the expectations written out here
//! from README's "Write authorisation" table (not computed by the server's own rules).

use anyhow::Result;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::entity::{entities, Entity};
use outpost_sync::protocol::Visibility;
use serde_json::json;

use super::peer::{item, Peer};
use super::probes::Probes;
use super::records::{edit, valid_record};
use super::server::{HostileServer, ADA, ANN, BOB, GUS, MAX};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Actor {
    Owner,
    OtherRep,
    Manager,
    Admin,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Action {
    Update,
    Delete,
    Erase,
    ChangeOwner,
}

/// README's table: may `actor` do `action` on a rep's document of a kind (`owner_only`,
/// `erasable`), with records shared and shared records editable by reps or not?
fn allowed(actor: Actor, action: Action, owner_only: bool, erasable: bool, reps_edit_shared: bool) -> bool {
    use Action::*;
    use Actor::*;
    match (actor, action) {
        (_, Erase) if !erasable => false,
        (_, _) if owner_only => actor == Owner && action != ChangeOwner,
        (Owner, ChangeOwner) | (OtherRep, Delete | Erase | ChangeOwner) => false,
        (OtherRep, Update) => reps_edit_shared,
        (Owner, _) | (Manager | Admin, _) => true,
    }
}

fn visibility(owner_only: bool) -> Visibility {
    if owner_only {
        Visibility::Private
    } else {
        Visibility::Org
    }
}

/// A new valid document of `entity` owned by `owner`; returns its id, state and the outcome.
async fn create(owner: &Peer, entity: &Entity, seq: &mut u64) -> Result<(DocId, Vec<u8>, String)> {
    let doc = valid_record(entity, 1000 + *seq, ANN)?;
    let id = DocId::new_random();
    *seq += 1;
    let owner_only = entity.owner_only();
    let outcome =
        owner.push_one(item(id, entity.kind, visibility(owner_only), doc.snapshot(), *seq, owner.epoch)).await?;
    Ok((id, doc.snapshot(), outcome))
}

/// The actor's change for `action` on a document of `entity` whose state is `state`.
fn change(entity: &Entity, action: Action, state: &[u8], client: u64) -> Result<(Vec<u8>, bool)> {
    let doc = RecordDoc::from_updates(client, &[state])?;
    Ok(match action {
        Action::Update => (edit(entity, &doc)?, false),
        Action::Delete => (doc.delete(), false),
        Action::ChangeOwner => (doc.set_field(entity.owner_field.unwrap_or("owner"), json!(BOB))?, false),
        Action::Erase => (Vec::new(), true),
    })
}

fn word(allowed: bool) -> &'static str {
    if allowed {
        "stored"
    } else {
        "forbidden"
    }
}

/// Runs the matrix (every role × kind × applicable action) and the editing-setting and
/// cross-organisation probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let peer = |email: &str, epoch: u64| -> Result<Peer> { Ok(Peer::new(&server.base, &server.token(email)?, epoch)) };
    let owner = peer(ANN, 1)?;
    // The owner acts from a second device of theirs (its own sequence numbers).
    let actors = [
        (Actor::Owner, peer(ANN, 6)?),
        (Actor::OtherRep, peer(BOB, 2)?),
        (Actor::Manager, peer(MAX, 3)?),
        (Actor::Admin, peer(ADA, 4)?),
    ];
    let mut owner_seq = 0u64;
    let mut actor_seq = [0u64; 4];
    for entity in entities() {
        let (kind, owner_only) = (entity.kind, entity.owner_only());
        for (i, (actor, device)) in actors.iter().enumerate() {
            actor_seq[i] += 1;
            let doc = valid_record(entity, 5000 + actor_seq[i], ANN)?;
            let got = device
                .push_one(item(
                    DocId::new_random(),
                    kind,
                    visibility(owner_only),
                    doc.snapshot(),
                    actor_seq[i],
                    device.epoch,
                ))
                .await?;
            probes.check(&format!("{actor:?} creates a {kind}"), "stored", &got);
        }
        let mut actions = vec![Action::Update, Action::Delete, Action::Erase];
        if entity.owner_field.is_some() {
            actions.push(Action::ChangeOwner);
        }
        for (i, (actor, device)) in actors.iter().enumerate() {
            for &action in &actions {
                let (id, state, created) = create(&owner, entity, &mut owner_seq).await?;
                if created != "stored" {
                    probes.check(&format!("the owner creates a {kind} to probe"), "stored", &created);
                    continue;
                }
                let (update, erase) = change(entity, action, &state, 9000 + actor_seq[i])?;
                actor_seq[i] += 1;
                let mut pushed = item(id, kind, visibility(owner_only), update, actor_seq[i], device.epoch);
                pushed.erase = erase;
                let got = device.push_one(pushed).await?;
                let want = word(allowed(*actor, action, owner_only, entity.erasable, true));
                probes.check(&format!("{actor:?} does {action:?} on a rep's {kind}"), want, &got);
            }
        }
    }

    owner_change_moves_server_ownership(&owner, &actors, &mut owner_seq, &mut actor_seq, probes).await?;

    // The organisation setting: with editing of shared records off, another rep may not update.
    server.admin(&["org", "editing", "acme", "off"])?;
    let bob = &actors[1].1;
    for entity in entities().iter().filter(|e| !e.owner_only()).take(4) {
        let (id, state, _) = create(&owner, entity, &mut owner_seq).await?;
        let (update, _) = change(entity, Action::Update, &state, 7777)?;
        actor_seq[1] += 1;
        let got = bob.push_one(item(id, entity.kind, Visibility::Org, update, actor_seq[1], bob.epoch)).await?;
        let want = word(allowed(Actor::OtherRep, Action::Update, false, entity.erasable, false));
        probes.check(&format!("OtherRep updates a rep's {} with editing off", entity.kind), want, &got);
    }
    server.admin(&["org", "editing", "acme", "on"])?;

    // Another organisation: the same id there is another document; nothing crosses over.
    let gus = peer(GUS, 5)?;
    let deal = outpost_sync::entity::entity("deal").ok_or_else(|| anyhow::anyhow!("no deal entity"))?;
    let (id, state, _) = create(&owner, deal, &mut owner_seq).await?;
    let copy = RecordDoc::from_updates(4242, &[&state])?;
    edit(deal, &copy)?;
    let got = gus.push_one(item(id, "deal", Visibility::Org, copy.snapshot(), 1, gus.epoch)).await?;
    probes.check("another organisation's admin writes the same deal id", "stored", &got);
    let seen = owner.pull_all().await?.into_iter().filter(|u| u.doc_id == id).count();
    probes.check("the other organisation's write never reaches the owner", "1", &seen.to_string());
    Ok(())
}

/// A manager's owner change moves the document to the new owner on the server: the colleague it
/// was handed to may then delete it (only owners, managers and admins may), and every pull names
/// them as its owner. A value naming no member of the organisation leaves the owner as it was.
async fn owner_change_moves_server_ownership(
    owner: &Peer,
    actors: &[(Actor, Peer); 4],
    owner_seq: &mut u64,
    actor_seq: &mut [u64; 4],
    probes: &mut Probes,
) -> Result<()> {
    let deal = outpost_sync::entity::entity("deal").ok_or_else(|| anyhow::anyhow!("no deal entity"))?;
    let (bob, max) = (&actors[1].1, &actors[2].1);
    let owner_of = |updates: &[outpost_sync::protocol::DocUpdate], id: DocId| {
        updates.iter().rev().find(|u| u.doc_id == id).map_or("missing".to_string(), |u| u.owner.clone())
    };
    let mut next = |i: usize| {
        actor_seq[i] += 1;
        actor_seq[i]
    };
    let (handed, state, _) = create(owner, deal, owner_seq).await?;
    let deleted = RecordDoc::from_updates(6100, &[&state])?.delete();
    let got = bob.push_one(item(handed, "deal", Visibility::Org, deleted.clone(), next(1), bob.epoch)).await?;
    probes.check("OtherRep deletes a rep's deal before it is handed to them", "forbidden", &got);
    let reowned = RecordDoc::from_updates(6101, &[&state])?.set_field("owner", json!(BOB.to_uppercase()))?;
    let got = max.push_one(item(handed, "deal", Visibility::Org, reowned, next(2), max.epoch)).await?;
    probes.check("Manager hands a rep's deal to another rep", "stored", &got);
    probes.check("the server names the new owner after the hand-over", BOB, &owner_of(&max.pull_all().await?, handed));
    let got = bob.push_one(item(handed, "deal", Visibility::Org, deleted, next(1), bob.epoch)).await?;
    probes.check("the new owner deletes the deal handed to them", "stored", &got);

    let (kept, state, _) = create(owner, deal, owner_seq).await?;
    let renamed = RecordDoc::from_updates(6102, &[&state])?.set_field("owner", json!("Someone Else"))?;
    let got = max.push_one(item(kept, "deal", Visibility::Org, renamed, next(2), max.epoch)).await?;
    probes.check("Manager sets a deal's owner to a name that is no member", "stored", &got);
    probes.check(
        "the server owner stays when the new owner is no member",
        ANN,
        &owner_of(&max.pull_all().await?, kept),
    );
    Ok(())
}
