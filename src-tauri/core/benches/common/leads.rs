//! The synthetic lead lists the benchmarks import: realistic duplicates, bad emails, five phone
//! formats and 40k companies with websites, the same bytes on every run (a fixed xorshift seed).
//! Shared by the import and read-latency benches (`#[path]`-included; not a bench itself).

use std::{
    io::{BufWriter, Write},
    path::Path,
};

use anyhow::Result;

const FIRST: [&str; 24] = [
    "Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Tim",
    "Sophie", "Hans", "Petra", "Jürgen", "Chloé", "José", "Ana", "Mei", "Ravi", "Olu", "Niamh", "Søren",
];
const LAST: [&str; 24] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Wilson",
    "Müller",
    "Schmidt",
    "Weiß",
    "Dubois",
    "García",
    "Silva",
    "Chen",
    "Patel",
    "Okafor",
    "Murphy",
    "Kierkegaard",
];
const TITLES: [&str; 6] = ["CEO", "CTO", "Head of Sales", "VP Engineering", "Buyer", "Office Manager"];
const CITIES: [(&str, &str); 6] = [
    ("London", "United Kingdom"),
    ("Berlin", "Germany"),
    ("Paris", "France"),
    ("Madrid", "Spain"),
    ("New York", "United States"),
    ("Dublin", "Ireland"),
];

/// A small deterministic generator (xorshift), so every run writes the same files.
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

fn phone(rng: &mut Rng, n: usize) -> String {
    let local = 1_000_000 + n % 8_999_999;
    match rng.below(6) {
        0 => format!("+44 20 7{:03} {:04}", local / 10_000 % 1000, local % 10_000),
        1 => format!("020 7{:03} {:04}", local / 10_000 % 1000, local % 10_000),
        2 => format!("(020) 7{:03}-{:04}", local / 10_000 % 1000, local % 10_000),
        3 => format!("+1-202-555-{:04}", local % 10_000),
        4 => format!("07700 9{:05}", local % 100_000),
        _ => String::new(),
    }
}

/// Writes `rows` leads: ~5% repeat an earlier person (email in other case), ~2% have a bad email,
/// phones in five national and international formats (or none), 40k companies with domains.
/// `people` caps the distinct people: `usize::MAX` makes nearly every e-mail and phone unique
/// (the "unique" shape), a small number makes most rows repeat one of them (the "repeated" shape:
/// few distinct strings in the workbook's shared-strings table, most rows duplicates).
pub fn generate(path: &Path, rows: usize, seed: u64, offset: usize, people: usize) -> Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "First Name,Last Name,Email,Phone,Company,Website,Job Title,City,Country")?;
    let mut rng = Rng(seed);
    for i in 0..rows {
        let roll = rng.below(100);
        let n = if roll < 5 && i > 0 { offset + rng.below(i) } else { offset + i };
        let n = offset + (n - offset) % people;
        // Names are a hash of the person's number over ~14k combinations, so two people at one
        // company rarely share a name (as in real lists), while repeats of a person do.
        let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
        let first = FIRST[(h % 24) as usize];
        let last = match (h / 24) % 25 {
            24 => LAST[((h / 600) % 24) as usize].to_owned(),
            k => format!("{}-{}", LAST[k as usize], LAST[((h / 600) % 24) as usize]),
        };
        let company = n % 40_000;
        let email = if roll == 5 || roll == 6 {
            format!("{}.{}-at-company{company}.com", first.to_lowercase(), n)
        } else if roll < 5 {
            format!("{}.{n}@Company{company}.COM", first.to_uppercase())
        } else {
            format!("{}.{n}@company{company}.com", first.to_lowercase())
        };
        let (city, country) = CITIES[company % CITIES.len()];
        writeln!(
            out,
            "{first},{last},{email},{},\"Company {company}, Ltd\",https://www.company{company}.com/,{},{city},{country}",
            phone(&mut rng, n),
            TITLES[n % TITLES.len()],
        )?;
    }
    out.flush()?;
    Ok(())
}
