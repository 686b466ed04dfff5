//! The alert lifecycle: one open alert per (rule, subject), updated while the rule keeps firing,
//! resolved after a quiet period of event time, never raised when a suppression matches.

use foldhash::HashMap;
use gatewatch_core::Suppression;
use gatewatch_core::net::{Cidr, parse_cidr};
use gatewatch_core::{Alert, Rule, Severity, Status, Subject, SubjectKind};
use sha2::Digest;
use std::net::IpAddr;

struct CompiledSuppression {
    rule: Option<Rule>,
    subject: Option<Subject>,
    cidr: Option<Cidr>,
    until: Option<i64>,
}

fn compile(s: &Suppression) -> CompiledSuppression {
    CompiledSuppression {
        rule: s.rule.parse().ok(),
        subject: s.subject.parse().ok(),
        cidr: parse_cidr(&s.cidr),
        until: gatewatch_core::time::parse_time_param(&s.until),
    }
}

/// What a rule found, before the lifecycle decides whether it opens or updates an alert.
pub struct Finding {
    pub rule: Rule,
    pub subject: Subject,
    pub severity: Severity,
    pub first_seen: i64,
    pub last_seen: i64,
    /// End of the minute whose close raised it.
    pub detected_at: i64,
    /// Source addresses involved (suppression by CIDR).
    pub ips: Vec<IpAddr>,
    pub evidence: serde_json::Value,
}

#[derive(Default)]
pub struct AlertBook {
    open: HashMap<(Rule, Subject), Alert>,
    changed: Vec<String>,
    by_id: HashMap<String, (Rule, Subject)>,
    resolved: Vec<Alert>,
    suppressions: Vec<CompiledSuppression>,
    pub suppressed: u64,
    resolve_after_ms: i64,
}

impl AlertBook {
    /// `unresolved`: the store's alerts that are still open or acknowledged.
    pub fn new(suppressions: &[Suppression], resolve_after_minutes: i64, unresolved: Vec<Alert>) -> Self {
        let mut book = AlertBook {
            suppressions: suppressions.iter().map(compile).collect(),
            resolve_after_ms: resolve_after_minutes * 60_000,
            ..Default::default()
        };
        for a in unresolved {
            book.by_id.insert(a.id.clone(), (a.rule, a.subject.clone()));
            book.open.insert((a.rule, a.subject.clone()), a);
        }
        book
    }

    /// Replaces the suppressions that came from the store (made through the API); those of the
    /// config file (`fixed`, the first ones given to `new`) stay.
    pub fn set_store_suppressions(&mut self, fixed: usize, list: &[Suppression]) {
        self.suppressions.truncate(fixed);
        self.suppressions.extend(list.iter().map(compile));
    }

    fn suppressed_by(&self, f: &Finding) -> bool {
        let subject_ip: Option<IpAddr> =
            (f.subject.kind == SubjectKind::Ip).then(|| f.subject.value.parse().ok()).flatten();
        self.suppressions.iter().any(|s| {
            s.rule.is_none_or(|r| r == f.rule)
                && s.subject.as_ref().is_none_or(|x| *x == f.subject)
                && s.until.is_none_or(|u| f.detected_at < u)
                && s.cidr.is_none_or(|c| match subject_ip {
                    Some(ip) => c.contains(ip),
                    None => !f.ips.is_empty() && f.ips.iter().all(|ip| c.contains(*ip)),
                })
        })
    }

    pub fn raise(&mut self, f: Finding) {
        if self.suppressed_by(&f) {
            self.suppressed += 1;
            return;
        }
        let key = (f.rule, f.subject.clone());
        if let Some(a) = self.open.get_mut(&key) {
            a.last_seen = a.last_seen.max(f.last_seen);
            a.count += 1;
            a.severity = a.severity.max(f.severity);
            a.evidence = f.evidence;
            let id = a.id.clone();
            self.mark(id);
            return;
        }
        let mut h = sha2::Sha256::new();
        h.update(f.rule.as_str().as_bytes());
        h.update(b"\0");
        h.update(f.subject.to_string().as_bytes());
        h.update(b"\0");
        h.update(f.first_seen.to_le_bytes());
        let id = format!("alt_{}", &hex::encode(h.finalize())[..20]);
        let alert = Alert {
            id: id.clone(),
            kind: f.rule.kind(),
            rule: f.rule,
            severity: f.severity,
            status: Status::Open,
            subject: f.subject,
            first_seen: f.first_seen,
            last_seen: f.last_seen,
            detected_at: f.detected_at,
            count: 1,
            evidence: f.evidence,
        };
        metrics::counter!("gatewatch_alerts_raised_total", "rule" => alert.rule.as_str(), "severity" => alert.severity.as_str())
            .increment(1);
        self.by_id.insert(id.clone(), key.clone());
        self.open.insert(key, alert);
        self.mark(id);
    }

    fn mark(&mut self, id: String) {
        if !self.changed.contains(&id) {
            self.changed.push(id);
        }
    }

    /// Resolves alerts without new evidence for the quiet period before `watermark`.
    pub fn resolve_quiet(&mut self, watermark: i64) {
        let quiet: Vec<(Rule, Subject)> = self
            .open
            .iter()
            .filter(|(_, a)| a.last_seen + self.resolve_after_ms <= watermark)
            .map(|(k, _)| k.clone())
            .collect();
        for k in quiet {
            if let Some(mut a) = self.open.remove(&k) {
                a.status = Status::Resolved;
                self.by_id.remove(&a.id);
                self.changed.retain(|id| *id != a.id);
                self.resolved.push(a);
            }
        }
    }

    /// Alerts changed since the last call, in a stable order.
    pub fn drain(&mut self) -> Vec<Alert> {
        let mut out: Vec<Alert> = std::mem::take(&mut self.resolved);
        for id in std::mem::take(&mut self.changed) {
            if let Some(a) = self.by_id.get(&id).and_then(|k| self.open.get(k)) {
                out.push(a.clone());
            }
        }
        out
    }

    pub fn open_count(&self) -> usize {
        self.open.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: Rule, subject: &str, t: i64) -> Finding {
        Finding {
            rule,
            subject: subject.parse().unwrap(),
            severity: Severity::Medium,
            first_seen: t,
            last_seen: t + 30_000,
            detected_at: t + 60_000,
            ips: vec!["10.1.2.3".parse().unwrap()],
            evidence: serde_json::json!({"n": t}),
        }
    }

    #[test]
    fn one_open_alert_per_rule_and_subject_then_resolved_when_quiet() {
        let mut book = AlertBook::new(&[], 30, Vec::new());
        book.raise(finding(Rule::BruteForce, "ip:10.1.2.3", 0));
        book.raise(finding(Rule::BruteForce, "ip:10.1.2.3", 60_000));
        book.raise(finding(Rule::Probing, "ip:10.1.2.3", 60_000));
        let out = book.drain();
        assert_eq!(out.len(), 2);
        let bf = out.iter().find(|a| a.rule == Rule::BruteForce).unwrap();
        assert_eq!(bf.count, 2);
        assert_eq!(bf.first_seen, 0);
        assert_eq!(bf.last_seen, 90_000);
        assert!(book.drain().is_empty(), "nothing changed since");
        book.resolve_quiet(90_000 + 29 * 60_000);
        assert!(book.drain().is_empty());
        book.resolve_quiet(90_000 + 30 * 60_000);
        let out = book.drain();
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|a| a.status == Status::Resolved));
        // A new burst after resolution is a new alert with a new id.
        book.raise(finding(Rule::BruteForce, "ip:10.1.2.3", 3_600_000));
        let again = book.drain();
        assert_eq!(again.len(), 1);
        assert_ne!(again[0].id, bf.id);
    }

    #[test]
    fn suppressions_by_rule_subject_cidr_and_time() {
        let sup = |rule: &str, subject: &str, cidr: &str, until: &str| Suppression {
            rule: rule.into(),
            subject: subject.into(),
            cidr: cidr.into(),
            until: until.into(),
            reason: String::new(),
        };
        let mut book = AlertBook::new(
            &[
                sup("probing", "", "", ""),
                sup("", "", "10.0.0.0/8", "1970-01-01T01:00:00Z"),
                sup("brute_force", "principal:alice", "", ""),
            ],
            30,
            Vec::new(),
        );
        book.raise(finding(Rule::Probing, "ip:192.0.2.1", 0));
        book.raise(finding(Rule::BruteForce, "ip:10.1.2.3", 0));
        book.raise(finding(Rule::BruteForce, "principal:alice", 0));
        assert_eq!(book.suppressed, 3);
        assert!(book.drain().is_empty());
        // After `until`, the CIDR suppression no longer applies.
        book.raise(finding(Rule::BruteForce, "ip:10.1.2.3", 7_200_000));
        assert_eq!(book.drain().len(), 1);
    }
}
