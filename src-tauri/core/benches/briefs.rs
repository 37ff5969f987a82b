//! Brief benchmark: generates a workspace of 100k contacts (20k companies), 50k deals and 1M
//! activities (plus memories, tasks and 500 meetings), then times brief generation per meeting:
//! the first generation (inputs gathered, scores computed, brief built and stored) and a repeat
//! read (inputs gathered and fingerprinted, stored brief reused). Reports p50/p95/max; the issue's
//! must is p95 < 50 ms. Also times one agent pass and the manager view at that size.
//!
//! `cargo bench -p outpost-core --bench briefs` (scale via `OUTPOST_BENCH_SCALE=0.1`).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use outpost_core::{assist::briefs, assist::proactive, crm::team, store, store::ids::MeetingId, Ctx};
use rusqlite::params;
use uuid::Uuid;

const TITLES: [&str; 6] = ["CEO", "Head of Operations", "Buyer", "VP Sales", "Office Manager", "Engineer"];
const KINDS: [&str; 4] = ["call", "email", "meeting", "note"];
const STAGES: [&str; 6] = [
    "01900000-0000-7000-8000-000000000101",
    "01900000-0000-7000-8000-000000000102",
    "01900000-0000-7000-8000-000000000103",
    "01900000-0000-7000-8000-000000000104",
    "01900000-0000-7000-8000-000000000105",
    "01900000-0000-7000-8000-000000000106",
];
const PIPELINE: &str = "01900000-0000-7000-8000-000000000001";
const MEETINGS: usize = 500;

/// Deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// An RFC 3339 instant `minutes` before 2026-11-24 09:00 UTC.
fn before_now(minutes: usize) -> String {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00Z").map(|t| t.to_utc()).unwrap_or_default();
    (now - chrono::Duration::minutes(minutes as i64)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn id() -> String {
    Uuid::now_v7().to_string()
}

struct Sizes {
    companies: usize,
    contacts: usize,
    deals: usize,
    activities: usize,
}

fn generate(conn: &mut rusqlite::Connection, sizes: &Sizes) -> Result<Vec<MeetingId>> {
    let mut rng = Rng(0x5eed_b41e_f000_0001);
    let tx = conn.transaction()?;
    tx.execute("INSERT INTO settings (key, value) VALUES ('competitors', 'Initech, Globex, Umbrella')", [])?;
    tx.execute("INSERT INTO settings (key, value) VALUES ('org_domains', 'ours.io')", [])?;
    let stamp = before_now(400 * 24 * 60);
    let mut companies = Vec::with_capacity(sizes.companies);
    {
        let mut stmt = tx.prepare(
            "INSERT INTO companies (id, name, domain, industry, created_at, updated_at) VALUES (?1, ?2, ?3, 'Logistics', ?4, ?4)",
        )?;
        for n in 0..sizes.companies {
            let cid = id();
            stmt.execute(params![cid, format!("Company {n}"), format!("company{n}.com"), stamp])?;
            companies.push(cid);
        }
    }
    let mut contacts = Vec::with_capacity(sizes.contacts);
    {
        let mut stmt = tx.prepare(
            "INSERT INTO contacts (id, first_name, last_name, email, title, company_id, email_opt_out, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        )?;
        for n in 0..sizes.contacts {
            let cid = id();
            let company = n % sizes.companies;
            stmt.execute(params![
                cid,
                format!("First{n}"),
                format!("Last{n}"),
                format!("person{n}@company{company}.com"),
                TITLES[n % TITLES.len()],
                companies[company],
                n % 20 == 0,
                stamp
            ])?;
            contacts.push((cid, company));
        }
    }
    let mut deals = Vec::with_capacity(sizes.deals);
    {
        let mut stmt = tx.prepare(
            "INSERT INTO deals (id, title, value_minor, currency, pipeline_id, stage_id, stage_entered_at, expected_close,
                 owner, contact_id, company_id, next_step, notes, budget, need, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'USD', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        )?;
        for n in 0..sizes.deals {
            let did = id();
            let (contact, company) = &contacts[rng.below(contacts.len())];
            let entered = before_now(rng.below(60 * 24 * 60));
            let close = format!("2026-{:02}-{:02}", 10 + rng.below(3), 1 + rng.below(28));
            stmt.execute(params![
                did,
                format!("Deal {n}"),
                (1 + rng.below(100)) as i64 * 100_000,
                PIPELINE,
                STAGES[n % STAGES.len()],
                entered,
                close,
                format!("rep{}", n % 8),
                contact,
                companies[*company],
                (n % 2 == 0).then(|| "Send the proposal".to_owned()),
                (n % 5 == 0).then(|| "They are also looking at Initech".to_owned()),
                (n % 3 == 0).then(|| "50k".to_owned()),
                (n % 4 == 0).then(|| "Route planning".to_owned()),
                stamp
            ])?;
            deals.push((did, contact.clone(), *company));
        }
    }
    {
        let mut stmt = tx.prepare(
            "INSERT INTO activities (id, kind, subject, body, occurred_at, contact_id, company_id, deal_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5)",
        )?;
        for n in 0..sizes.activities {
            let when = before_now(rng.below(365 * 24 * 60));
            let kind = KINDS[n % KINDS.len()];
            let body = (n % 50 == 0).then_some("Mentioned Globex pricing");
            if n % 10 < 7 {
                let (deal, contact, company) = &deals[rng.below(deals.len())];
                stmt.execute(params![
                    id(),
                    kind,
                    format!("Activity {n}"),
                    body,
                    when,
                    contact,
                    companies[*company],
                    deal
                ])?;
            } else {
                let (contact, _) = &contacts[rng.below(contacts.len())];
                stmt.execute(params![
                    id(),
                    kind,
                    format!("Activity {n}"),
                    body,
                    when,
                    contact,
                    None::<String>,
                    None::<String>
                ])?;
            }
        }
    }
    {
        let mut memory = tx.prepare(
            "INSERT INTO memories (id, category, content, confidence, owner, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'bench', ?5, ?5)",
        )?;
        let mut link =
            tx.prepare("INSERT INTO memory_links (memory_id, entity_type, entity_id) VALUES (?1, ?2, ?3)")?;
        let mut task = tx.prepare(
            "INSERT INTO tasks (id, title, due_date, entity_type, entity_id, created_at, updated_at) VALUES (?1, ?2, ?3, 'deal', ?4, ?5, ?5)",
        )?;
        for n in 0..sizes.deals / 2 {
            let (deal, contact, _) = &deals[rng.below(deals.len())];
            let mid = id();
            let category = ["commitment", "preference", "fact"][n % 3];
            memory.execute(params![
                mid,
                category,
                format!("Memory {n} about First{n} and the rollout"),
                0.5 + (n % 5) as f64 / 10.0,
                before_now(rng.below(200 * 24 * 60))
            ])?;
            link.execute(params![
                mid,
                if n % 2 == 0 { "deal" } else { "contact" },
                if n % 2 == 0 { deal } else { contact }
            ])?;
            task.execute(params![id(), format!("Task {n}"), format!("2026-11-{:02}", 1 + rng.below(28)), deal, stamp])?;
        }
    }
    let mut meetings = Vec::with_capacity(MEETINGS);
    {
        let mut meeting = tx.prepare(
            "INSERT INTO meetings (id, title, starts_at, description, company_id, deal_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'Review the rollout plan', ?4, ?5, ?6, ?6)",
        )?;
        let mut attendee = tx.prepare(
            "INSERT INTO meeting_attendees (meeting_id, email, contact_id, is_internal) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for n in 0..MEETINGS {
            let (deal, _, company) = &deals[rng.below(deals.len())];
            let mid = Uuid::now_v7();
            meeting.execute(params![
                mid.to_string(),
                format!("Meeting {n}"),
                before_now(0).replace("09:00", "15:00"),
                companies[*company],
                deal,
                stamp
            ])?;
            // Two people from the company (contacts n ≡ company mod companies) and the rep.
            for k in 0..2 {
                let person = (company + k * sizes.companies) % sizes.contacts;
                attendee.execute(params![
                    mid.to_string(),
                    format!("person{person}@company{company}.com"),
                    contacts[person].0,
                    false
                ])?;
            }
            attendee.execute(params![mid.to_string(), "rep@ours.io", None::<String>, true])?;
            meetings.push(MeetingId::from(mid));
        }
    }
    tx.commit()?;
    Ok(meetings)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<34} n={}  p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(times[times.len() - 1])
    );
}

fn main() -> Result<()> {
    let scale: f64 = std::env::var("OUTPOST_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let sized = |n: f64| ((n * scale) as usize).max(MEETINGS * 2);
    let sizes = Sizes {
        companies: sized(20_000.0),
        contacts: sized(100_000.0),
        deals: sized(50_000.0),
        activities: sized(1_000_000.0),
    };
    let dir = tempfile::tempdir().context("temp dir")?;
    let clock = std::sync::Arc::new(outpost_core::store::clock::ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00Z")?.to_utc(),
    ));
    let ctx = Ctx::open_with_clock(dir.path(), clock)?;
    let started = Instant::now();
    let mut conn = store::open_configured(&dir.path().join(store::DB_FILE))?;
    let meetings = generate(&mut conn, &sizes)?;
    drop(conn);
    println!(
        "generated {} companies, {} contacts, {} deals, {} activities, {} memories, {} meetings in {:.1} s",
        sizes.companies,
        sizes.contacts,
        sizes.deals,
        sizes.activities,
        sizes.deals / 2,
        MEETINGS,
        started.elapsed().as_secs_f64()
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut first = Vec::new();
        let mut sample = None;
        for meeting in &meetings {
            let t = Instant::now();
            let brief = briefs::for_meeting(&ctx, *meeting)?;
            first.push(t.elapsed());
            sample.get_or_insert(brief);
        }
        let mut again = Vec::new();
        for meeting in &meetings {
            let t = Instant::now();
            briefs::for_meeting(&ctx, *meeting)?;
            again.push(t.elapsed());
        }
        report("brief: first generation", first);
        report("brief: repeat (fingerprint match)", again);
        if let Some(b) = sample {
            let c = &b.content;
            println!(
                "sample brief: {} attendees, {} deals, {} timeline, {} tasks, {} memories, {} risks, {} questions, {} competitor mentions",
                c.attendees.len(), c.deals.len(), c.timeline.len(), c.tasks.len(), c.memories.len() + c.commitments.len(),
                c.risks.len(), c.questions.len(), c.competitors.len()
            );
        }
        let t = Instant::now();
        let raised = proactive::tick(&ctx).await?;
        println!("agent tick (first, {} alerts raised): {:.0} ms", raised.len(), t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        proactive::tick(&ctx).await?;
        println!("agent tick (second): {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        team::pipeline(&ctx)?;
        println!("manager view (team pipeline): {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
        anyhow::Ok(())
    })?;
    Ok(())
}
