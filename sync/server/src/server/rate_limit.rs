//! Per-device token-bucket rate limiting (in memory, per server process).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use outpost_sync::protocol::{ErrorCode, ErrorMessage};

/// A token bucket per device: `burst` requests at once, refilled at `per_sec`.
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_sec` requests per second on average and bursts of `burst`.
    pub fn new(per_sec: f64, burst: f64) -> Self {
        RateLimiter { per_sec: per_sec.max(0.001), burst: burst.max(1.0), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `device`, or returns a `rate_limited` error (HTTP 429).
    pub fn check(&self, device: &str) -> Result<(), ErrorMessage> {
        let now = Instant::now();
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
        let limiter = RateLimiter::new(1000.0, 3.0);
        for _ in 0..3 {
            assert!(limiter.check("d").is_ok());
        }
        assert_eq!(limiter.check("d").map_err(|e| e.code), Err(ErrorCode::RateLimited));
        assert!(limiter.check("other").is_ok());
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(limiter.check("d").is_ok());
    }
}
