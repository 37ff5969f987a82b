//! Seeded random edits on three devices through the real server and CLI, with syncs interleaved;
//! after two full sync rounds all replicas must be equal. The seed is printed; replay one with
//! `OUTPOST_SEED=N`.

use anyhow::{ensure, Result};
use serde_json::Value;

use super::support::{s, Device, Server};

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

fn ids(device: &Device, what: &str) -> Result<Vec<String>> {
    let list = device.cli(&[what, "list"])?;
    Ok(list.as_array().map(|a| a.iter().map(|r| s(r, "id")).collect()).unwrap_or_default())
}

fn step(rng: &mut Rng, device: &Device, n: usize) -> Result<()> {
    let deals = ids(device, "deals")?;
    let contacts = ids(device, "contacts")?;
    let word = ["alpha", "beta", "gamma", "delta"][rng.below(4)];
    let result: Result<Value> = match rng.below(7) {
        0 => device.cli(&[
            "deals",
            "add",
            "--title",
            &format!("Deal {n}"),
            "--value",
            &format!("{}", rng.below(900) + 100),
        ]),
        1 => device.cli(&["contacts", "add", "--first-name", word, "--email", &format!("{word}@shared.example")]),
        2 if !deals.is_empty() => {
            let id = &deals[rng.below(deals.len())];
            device.cli(&["deals", "update", id, "--next-step", &format!("{word} {n}")])
        }
        3 if !deals.is_empty() => {
            let id = &deals[rng.below(deals.len())];
            device.cli(&["deals", "move", id, "--stage", ["Qualified", "Proposal", "Won"][rng.below(3)]])
        }
        4 if !contacts.is_empty() => {
            let id = &contacts[rng.below(contacts.len())];
            device.cli(&["contacts", "update", id, "--title", word])
        }
        5 if !contacts.is_empty() && rng.below(3) == 0 => {
            device.cli(&["contacts", "delete", &contacts[rng.below(contacts.len())]])
        }
        _ => device.sync(&["now"]),
    };
    // Refusals (a duplicate e-mail here, a record deleted elsewhere) are legitimate outcomes.
    if let Err(e) = result {
        let text = e.to_string();
        ensure!(text.contains("already exists") || text.contains("deleted on another device"), "{text}");
    }
    Ok(())
}

#[test]
fn random_edits_on_three_devices_converge() -> Result<()> {
    let seed = std::env::var("OUTPOST_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
    });
    println!("sync random: seed {seed} (replay with OUTPOST_SEED={seed})");
    let mut rng = Rng(seed);
    let server = Server::start()?;
    let devices = [server.device()?, server.device()?, server.device()?];
    for n in 0..30 {
        let device = &devices[rng.below(devices.len())];
        step(&mut rng, device, n)?;
    }
    for _ in 0..2 {
        for device in &devices {
            device.sync(&["now"])?;
        }
    }
    let first = devices[0].dump()?;
    for (i, device) in devices.iter().enumerate().skip(1) {
        let dump = device.dump()?;
        ensure!(dump == first, "seed {seed}: device {i} differs:\n{dump:#}\nvs device 0:\n{first:#}");
    }
    Ok(())
}
