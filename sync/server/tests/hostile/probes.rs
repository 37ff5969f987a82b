//! The probe ledger: each probe's name, expectation and observation, printed as it runs.

use anyhow::{bail, Result};

/// Every probe run so far.
#[derive(Default)]
pub struct Probes {
    run: usize,
    failures: Vec<String>,
}

impl Probes {
    /// Records one probe: passes when `observed == expected`.
    pub fn check(&mut self, name: &str, expected: &str, observed: &str) {
        self.run += 1;
        let ok = expected == observed;
        println!(
            "{} probe {:>3} {name}: expected {expected}, observed {observed}",
            if ok { "ok  " } else { "FAIL" },
            self.run
        );
        if !ok {
            self.failures.push(format!("{name}: expected {expected}, observed {observed}"));
        }
    }

    /// Records one probe with a yes/no expectation described by `expected`.
    pub fn check_that(&mut self, name: &str, expected: &str, held: bool, observed: &str) {
        let shown = if held { expected.to_string() } else { observed.to_string() };
        self.check(name, expected, &shown);
    }

    /// Fails unless at least 100 probes ran and none failed.
    pub fn finish(self, backend: &str) -> Result<()> {
        let backend = backend.split(':').next().unwrap_or(backend);
        println!("hostile suite on {backend}: {} probes, {} failures", self.run, self.failures.len());
        if self.run < 100 {
            bail!("only {} probes ran on {backend}; the suite needs at least 100", self.run);
        }
        if !self.failures.is_empty() {
            bail!("{} of {} probes failed on {backend}:\n{}", self.failures.len(), self.run, self.failures.join("\n"));
        }
        Ok(())
    }
}
