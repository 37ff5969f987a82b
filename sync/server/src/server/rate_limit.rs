//! Per-device token-bucket rate limiting (in memory, per server process), on a clock tests can
//! hold still or move by hand ([`RateClock::Manual`]) so no test depends on how fast it runs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use outpost_sync::protocol::{ErrorCode, ErrorMessage};

/// Where the rate limiter reads the time.
#[derive(Debug, Clone, Default)]
pub enum RateClock {
    /// The system's monotonic clock.
    #[default]
    System,
    /// A clock that moves only when told to (tests).
    Manual(ManualClock),
}

impl RateClock {
    fn now(&self) -> Instant {
        match self {
            RateClock::System => Instant::now(),
            RateClock::Manual(clock) => clock.now(),
        }
    }
}

/// A clock standing still until [`ManualClock::advance`] moves it; clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<Instant>>);

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock(Arc::new(Mutex::new(Instant::now())))
    }
}

impl ManualClock {
    /// The clock's current time.
    pub fn now(&self) -> Instant {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

/// A token bucket per device: `burst` requests at once, refilled at `per_sec`.
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    clock: RateClock,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_sec` requests per second on average and bursts of `burst`, timed
    /// by `clock`.
    pub fn new(per_sec: f64, burst: f64, clock: RateClock) -> Self {
        RateLimiter { per_sec: per_sec.max(0.001), burst: burst.max(1.0), clock, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `device`, or returns a `rate_limited` error (HTTP 429).
    pub fn check(&self, device: &str) -> Result<(), ErrorMessage> {
        let now = self.clock.now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (tokens, last) = buckets.entry(device.to_string()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_sec).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait_ms = ((1.0 - *tokens) / self.per_sec * 1000.0).ceil();
            Err(ErrorMessage::new(
                ErrorCode::RateLimited,
                format!(
                    "too many requests from this device; wait {wait_ms} ms and retry (batch changes into fewer pushes)"
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_then_refills() {
        let clock = ManualClock::default();
        let limiter = RateLimiter::new(1000.0, 3.0, RateClock::Manual(clock.clone()));
        for _ in 0..3 {
            assert!(limiter.check("d").is_ok());
        }
        assert_eq!(limiter.check("d").map_err(|e| e.code), Err(ErrorCode::RateLimited));
        assert!(limiter.check("other").is_ok());
        // Just under one token's worth of time refills nothing; reaching it refills exactly one.
        clock.advance(Duration::from_micros(999));
        assert_eq!(limiter.check("d").map_err(|e| e.code), Err(ErrorCode::RateLimited));
        clock.advance(Duration::from_micros(1));
        assert!(limiter.check("d").is_ok());
        assert_eq!(limiter.check("d").map_err(|e| e.code), Err(ErrorCode::RateLimited));
    }
}
