//! Who a record's client is, bounded per source address.
//!
//! A record is named by the first identity field it carries (`identity.order`): `principalId`,
//! `apiKeyId`, the IAM fields, the logged `Authorization` header's credential, or the source IP
//! (ARCHITECTURE.md, invariant 1, "Client identity"). API Gateway vouches for the first three
//! (an authorizer, a usage plan, SigV4); the credential a caller sends it chooses freely, however
//! invalid. Each distinct client is a row per minute and a detector entity, so one address
//! sending a new fake credential per request would multiply the store and step around every
//! per-client rule. [`ClientCap`] admits at most `identity.max_clients_per_ip_minute` distinct
//! credential-named clients per source address and event minute; past the cap, that address's
//! other such events count under the address itself.

use foldhash::HashMap;
use std::hash::BuildHasher;

/// How many event minutes behind the newest one are still tracked (late events inside that
/// span are capped exactly; older ones start a fresh count, which only errs towards admitting).
const MINUTES_KEPT: i64 = 10;

/// Distinct clients per (source address, minute), at most `cap` each.
#[derive(Debug)]
pub struct ClientCap {
    cap: usize,
    hasher: foldhash::quality::FixedState,
    /// (address hash, minute) → the client hashes admitted in it.
    seen: HashMap<(u64, i64), Vec<u64>>,
    newest_minute: i64,
}

impl ClientCap {
    /// `cap` 0 turns the cap off.
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            hasher: foldhash::quality::FixedState::with_seed(0x6970_6361),
            seen: HashMap::default(),
            newest_minute: i64::MIN,
        }
    }

    /// Whether the client `(kind, value)` may be counted as itself for an event from `ip` in
    /// `minute`; `false` means "count it under the address".
    pub fn admit(&mut self, ip: &str, minute: i64, client: impl std::hash::Hash) -> bool {
        if self.cap == 0 {
            return true;
        }
        if minute > self.newest_minute {
            self.newest_minute = minute;
            // Memory follows the active addresses of the last few minutes, not the event count.
            let floor = minute.saturating_sub(MINUTES_KEPT * 60_000);
            if self.seen.len() > 1024 {
                self.seen.retain(|&(_, m), _| m >= floor);
            }
        }
        let client = self.hasher.hash_one(client);
        let entry = self.seen.entry((self.hasher.hash_one(ip), minute)).or_default();
        if entry.contains(&client) {
            return true;
        }
        if entry.len() >= self.cap {
            return false;
        }
        entry.push(client);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_at_most_cap_clients_a_minute() {
        let mut cap = ClientCap::new(3);
        let admitted: Vec<bool> = (0..10).map(|i| cap.admit("198.51.100.7", 60_000, i)).collect();
        assert_eq!(admitted, [true, true, true, false, false, false, false, false, false, false]);
        assert!(cap.admit("198.51.100.7", 60_000, 1), "an admitted client stays admitted");
        assert!(cap.admit("198.51.100.8", 60_000, 9), "another address has its own count");
        assert!(cap.admit("198.51.100.7", 120_000, 9), "the next minute starts afresh");
        assert!(ClientCap::new(0).admit("x", 0, 1), "0 turns the cap off");
    }

    #[test]
    fn memory_follows_recent_minutes() {
        let mut cap = ClientCap::new(2);
        for m in 0..5000i64 {
            cap.admit(&format!("10.0.{}.{}", m % 200, m % 7), m * 60_000, m);
        }
        assert!(cap.seen.len() <= 1024 + MINUTES_KEPT as usize * 200, "{}", cap.seen.len());
    }
}
