//! What the update shape check (`doc::check_update_shape`, refusing updates `yrs` would decode by
//! unbounded recursion) costs next to the apply it guards: every push the server checks and every
//! update a device pulls pass through both. Record documents shaped like imported contacts (14
//! fields and a notes text, one snapshot each), checked alone and then applied to fresh documents
//! (the apply includes the check).
//!
//! cargo bench -p outpost-sync --bench shape_check
//! OUTPOST_BENCH_DOCS=100000 cargo bench -p outpost-sync --bench shape_check

use std::time::Instant;

use outpost_sync::doc::{check_update_shape, RecordDoc};
use serde_json::{json, Value};

fn contact(i: u64) -> Result<Vec<u8>, outpost_sync::doc::DocError> {
    let doc = RecordDoc::new(i + 1);
    let fields: [(&str, Value); 14] = [
        ("first_name", json!(format!("Ann{i}"))),
        ("last_name", json!("Archer")),
        ("email", json!(format!("ann{i}@acme.io"))),
        ("phone", json!("+44 20 7946 0000")),
        ("title", json!("CTO")),
        ("company_id", json!("01900000-0000-7000-8000-000000000001")),
        ("email_opt_out", json!(0)),
        ("sms_opt_out", json!(0)),
        ("do_not_call", json!(0)),
        ("lead_source", json!("import")),
        ("custom_fields", json!("{\"Region\":\"EMEA\"}")),
        ("created_at", json!("2026-12-01T00:00:00.000Z")),
        ("updated_at", json!("2026-12-01T00:00:00.000Z")),
        ("owner", json!("ann@acme.test")),
    ];
    doc.set_fields(fields.iter().map(|(k, v)| (*k, v)))?;
    doc.set_text("notes", "Met at the fair; wants a one-page summary before the call.")?;
    Ok(doc.snapshot())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let docs: u64 = std::env::var("OUTPOST_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let updates = (0..docs).map(contact).collect::<Result<Vec<_>, _>>()?;
    let bytes: usize = updates.iter().map(Vec::len).sum();
    println!("{docs} record documents, {bytes} bytes of updates");
    for round in 1..=3 {
        let started = Instant::now();
        for update in &updates {
            check_update_shape(update).map_err(|e| format!("{e:?}"))?;
        }
        let check = started.elapsed();
        let started = Instant::now();
        for update in &updates {
            RecordDoc::new(7).apply_update(update)?;
        }
        let apply = started.elapsed();
        println!(
            "round {round}: shape check {:.1} ms ({:.2} µs a document); apply with the check {:.1} ms; the check is {:.1} % of it",
            check.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e6 / docs as f64,
            apply.as_secs_f64() * 1e3,
            100.0 * check.as_secs_f64() / apply.as_secs_f64()
        );
    }
    Ok(())
}
