//! No silent loss when a replica's database goes back in time (issue 14): a laptop restored from
//! an old copy of its data directory (written back over the same files, so even the file's inode
//! stays), a data directory deleted and set up again, and one device token used from a second
//! data directory. Each keeps pushing with sequence numbers the server has seen before; every
//! later edit must still reach every replica (`sync status` must never report a change pushed
//! that the server did not store).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Device, Server};

/// Every regular file under `dir`, relative to it.
fn files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    Ok(out)
}

/// Copies the data directory `from` into `to` (a backup).
fn back_up(from: &Path, to: &Path) -> Result<()> {
    for rel in files(from)? {
        let target = to.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from.join(&rel), &target).with_context(|| format!("back up {}", rel.display()))?;
    }
    Ok(())
}

/// Writes the backup `from` back over the data directory `to`, file by file (existing files are
/// overwritten in place, keeping their inodes), and removes files the backup does not have.
fn restore(from: &Path, to: &Path) -> Result<()> {
    let backed_up = files(from)?;
    for rel in files(to)? {
        if !backed_up.contains(&rel) {
            std::fs::remove_file(to.join(&rel))?;
        }
    }
    back_up(from, to)
}

fn emails(device: &Device) -> Result<BTreeSet<String>> {
    let list = device.cli(&["contacts", "list", "--limit", "1000"])?;
    Ok(list.as_array().context("a list")?.iter().map(|c| s(c, "email")).collect())
}

fn add(device: &Device, email: &str) -> Result<Value> {
    device.cli(&["contacts", "add", "--first-name", "Lead", "--email", email])
}

fn synced_clean(device: &Device, name: &str) -> Result<()> {
    device.sync(&["now"])?;
    let status = device.sync(&["status"])?;
    ensure!(status["pending"] == 0 && status["last_error"].is_null(), "{name} did not sync cleanly: {status}");
    Ok(())
}

#[test]
fn edits_made_after_restoring_an_old_copy_of_a_replica_reach_every_replica() -> Result<()> {
    let server = Server::start()?;
    server.add_user("max@acme.test", "manager")?;
    let (laptop, phone) = (server.device()?, server.device()?);
    let manager = server.device_of("max@acme.test")?;

    let first = add(&laptop, "one@restore.example")?;
    add(&laptop, "two@restore.example")?;
    synced_clean(&laptop, "laptop")?;
    let backup = tempfile::tempdir()?;
    back_up(laptop.ws.data_dir(), backup.path())?;

    // Pushed after the backup: the server holds these under sequence numbers the restored copy
    // will use again for other changes.
    add(&laptop, "three@restore.example")?;
    add(&laptop, "four@restore.example")?;
    synced_clean(&laptop, "laptop")?;

    restore(backup.path(), laptop.ws.data_dir())?;
    ensure!(!emails(&laptop)?.contains("three@restore.example"), "the restore did not take the laptop back");
    add(&laptop, "five@restore.example")?;
    add(&laptop, "six@restore.example")?;
    laptop.cli(&["contacts", "update", &s(&first, "id"), "--title", "Edited after the restore"])?;
    synced_clean(&laptop, "restored laptop")?;

    // A data directory set up again from nothing, and the laptop's token used from another one.
    let fresh = server.device_with_token(laptop.token())?;
    add(&fresh, "seven@restore.example")?;
    synced_clean(&fresh, "second data dir with the laptop's token")?;
    add(&laptop, "eight@restore.example")?;
    synced_clean(&laptop, "laptop")?;

    let want: BTreeSet<String> = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
        .iter()
        .map(|n| format!("{n}@restore.example"))
        .collect();
    for (name, device) in [("laptop", &laptop), ("phone", &phone), ("manager", &manager), ("fresh", &fresh)] {
        device.sync(&["now"])?;
        device.sync(&["now"])?;
        let got = emails(device)?;
        ensure!(got == want, "{name} is missing edits: has {got:?}, want {want:?}");
        let edited = device.cli(&["contacts", "show", &s(&first, "id")])?;
        ensure!(edited["title"] == "Edited after the restore", "{name} lost the post-restore edit: {edited}");
    }
    ensure!(laptop.dump()? == phone.dump()? && phone.dump()? == manager.dump()?, "replicas differ");
    Ok(())
}

/// Writes a lead list of `count` people `{prefix}{i}@restore.example` and imports it on `device`.
fn import_leads(device: &Device, prefix: &str, count: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join(format!("{prefix}.csv"));
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 0..count {
        text.push_str(&format!("Lead,{prefix} {i},{prefix}{i}@restore.example\n"));
    }
    std::fs::write(&csv, text)?;
    let imported = device.cli(&["import", &csv.to_string_lossy()])?;
    ensure!(imported["imported"].as_u64() == Some(count as u64), "import of {prefix}: {imported}");
    Ok(())
}

fn all_emails(device: &Device) -> Result<BTreeSet<String>> {
    let list = device.cli(&["contacts", "list", "--limit", "10000"])?;
    Ok(list.as_array().context("a list")?.iter().map(|c| s(c, "email")).collect())
}

/// The push is pipelined: the next batch is prepared (and, for a bulk import, its records
/// documented) while one is at the server. When a restored replica's first batch is refused as
/// reused sequence numbers, the batch prepared meanwhile still carries the old epoch: it must be
/// dropped, not sent, and the whole backlog — several batches, part of it documented during the
/// push — pushed again under the new epoch.
#[test]
fn a_restored_replica_pushes_a_backlog_of_several_batches_under_a_new_epoch() -> Result<()> {
    let server = Server::start()?;
    let (laptop, phone) = (server.device()?, server.device()?);
    // Imports above 500 records leave their documents to the push, which builds them batch by
    // batch while earlier batches are at the server.
    laptop.cli(&["settings", "set", "import-document-max", "500"])?;
    synced_clean(&laptop, "laptop")?;
    let backup = tempfile::tempdir()?;
    back_up(laptop.ws.data_dir(), backup.path())?;

    // The server now holds 1,200 updates under sequence numbers the restored copy uses again.
    import_leads(&laptop, "before", 1_200)?;
    synced_clean(&laptop, "laptop")?;

    restore(backup.path(), laptop.ws.data_dir())?;
    import_leads(&laptop, "after", 2_600)?;
    synced_clean(&laptop, "restored laptop")?;

    phone.sync(&["now"])?;
    let got = all_emails(&phone)?;
    let want: BTreeSet<String> = (0..1_200)
        .map(|i| format!("before{i}@restore.example"))
        .chain((0..2_600).map(|i| format!("after{i}@restore.example")))
        .collect();
    let missing: Vec<&String> = want.difference(&got).take(5).collect();
    ensure!(missing.is_empty(), "the phone misses {} leads, e.g. {missing:?}", want.difference(&got).count());
    let laptop_has = all_emails(&laptop)?;
    let lost: Vec<&String> = want.difference(&laptop_has).take(5).collect();
    ensure!(
        lost.is_empty(),
        "the restored laptop misses {} leads, e.g. {lost:?}",
        want.difference(&laptop_has).count()
    );
    Ok(())
}
