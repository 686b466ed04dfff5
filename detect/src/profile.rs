//! Learned baselines, persisted in the store (`profiles` table) so a restart does not forget.
//!
//! A client's request rate is an exponentially weighted mean and variance per minute of event
//! time, idle minutes included (applied lazily as decay when the client comes back), plus a
//! per-hour-of-day mean that takes over once a few days of that hour have been seen. Groups
//! (an ASN, an auth route) keep the same kind of statistics over their own signals.

use serde::{Deserialize, Serialize};

/// Weight of the newest minute: a memory of about 30 minutes.
const ALPHA: f64 = 2.0 / 31.0;
/// Weight of the newest minute in an hour-of-day mean: a memory of about three days.
const ALPHA_HOUR: f64 = 1.0 / 180.0;
/// Minutes of one hour-of-day seen before its mean is trusted (two days).
const HOUR_TRUSTED: u32 = 120;

/// An exponentially weighted mean and variance.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Ewma {
    pub mean: f64,
    pub var: f64,
}

impl Ewma {
    pub fn update(&mut self, x: f64, alpha: f64) {
        let d = x - self.mean;
        let incr = alpha * d;
        self.mean += incr;
        self.var = (1.0 - alpha) * (self.var + d * incr);
    }

    /// `n` observations of zero.
    pub fn decay(&mut self, n: i64) {
        for _ in 0..n.clamp(0, 240) {
            self.update(0.0, ALPHA);
        }
        if n > 240 {
            *self = Ewma::default();
        }
    }

    pub fn sd(&self) -> f64 {
        self.var.max(0.0).sqrt()
    }
}

/// A client's history.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ClientProfile {
    /// Event time of the first minute seen (epoch ms).
    pub first: i64,
    /// The last minute folded into the statistics.
    pub last_minute: i64,
    pub active_minutes: u64,
    /// Requests per minute.
    pub rate: Ewma,
    /// Distinct paths per active minute.
    pub paths: Ewma,
    /// Largest number of distinct IPs in one minute.
    pub max_ips: u32,
    /// Requests per minute by hour of day (UTC): (hour, mean, minutes seen), only for hours
    /// the client was active in (sparse: most clients are seen in a few hours).
    #[serde(default)]
    pub hourly: Vec<(u8, f32, u32)>,
    /// Countries the client was seen in (ISO codes).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Where and when it was last seen: (country, event time ms).
    #[serde(default)]
    pub last_location: Option<(String, i64)>,
}

impl ClientProfile {
    pub fn new(minute: i64) -> Self {
        Self { first: minute, last_minute: minute - 60_000, ..Default::default() }
    }

    /// Folds minute `minute` in which the client made `count` requests over `paths` paths.
    pub fn fold(&mut self, minute: i64, count: f64, paths: f64, ips: u32) {
        if self.active_minutes == 0 {
            // The first minute is the best estimate there is (not a decay from zero).
            self.rate = Ewma { mean: count, var: 0.0 };
            self.paths = Ewma { mean: paths, var: 0.0 };
        } else {
            let idle = (minute - self.last_minute) / 60_000 - 1;
            self.rate.decay(idle);
            self.rate.update(count, ALPHA);
            self.paths.update(paths, ALPHA);
        }
        self.last_minute = minute;
        self.active_minutes += 1;
        self.max_ips = self.max_ips.max(ips);
        let h = hour_of_day(minute) as u8;
        match self.hourly.iter_mut().find(|e| e.0 == h) {
            Some((_, m, n)) => {
                let a = ALPHA_HOUR.max(1.0 / f64::from(*n + 1));
                *m += (a * (count - f64::from(*m))) as f32;
                *n = n.saturating_add(1);
            }
            None => self.hourly.push((h, count as f32, 1)),
        }
    }

    /// Marks the minute as seen without learning from it (an anomaly is not the new normal).
    pub fn skip(&mut self, minute: i64) {
        let idle = (minute - self.last_minute) / 60_000 - 1;
        self.rate.decay(idle);
        self.last_minute = minute;
        self.active_minutes += 1;
    }

    /// The expected rate for `minute`: the running mean, or the hour-of-day mean once trusted.
    pub fn expected_rate(&self, minute: i64) -> f64 {
        let idle = ((minute - self.last_minute) / 60_000 - 1).clamp(0, 240);
        let mean = self.rate.mean * (1.0 - ALPHA).powi(idle as i32);
        let h = hour_of_day(minute) as u8;
        match self.hourly.iter().find(|e| e.0 == h) {
            Some(&(_, m, n)) if n >= HOUR_TRUSTED => mean.max(f64::from(m)),
            _ => mean,
        }
    }

    pub fn established(&self, minute: i64, learning_minutes: i64, min_active: u64) -> bool {
        minute - self.first >= learning_minutes * 60_000 && self.active_minutes >= min_active
    }
}

/// Where a client has been: the countries seen (in order of first appearance, at most 32) and
/// its latest place. The geographic rules walk a copy of it through a minute's countries; the
/// baseline then keeps where the walk ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    pub countries: Vec<String>,
    pub last_location: Option<(String, i64)>,
}

impl Places {
    /// Seen in `code` until `last_ms`.
    pub fn visit(&mut self, code: &str, last_ms: i64) {
        if !self.countries.iter().any(|c| c == code) && self.countries.len() < 32 {
            self.countries.push(code.to_string());
        }
        self.last_location = Some((code.to_string(), last_ms));
    }
}

impl ClientProfile {
    pub fn places(&self) -> Places {
        Places { countries: self.countries.clone(), last_location: self.last_location.clone() }
    }

    pub fn set_places(&mut self, places: Places) {
        self.countries = places.countries;
        self.last_location = places.last_location;
    }
}

/// A group's (ASN, auth route) history of one signal per minute.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GroupProfile {
    pub first: i64,
    pub last_minute: i64,
    pub signal: Ewma,
    /// A second signal (e.g. the route's failure ratio).
    #[serde(default)]
    pub ratio: Ewma,
    /// Minutes folded so far.
    #[serde(default)]
    pub n: u64,
}

impl GroupProfile {
    pub fn new(minute: i64) -> Self {
        Self { first: minute, last_minute: minute - 60_000, ..Default::default() }
    }

    /// Folds one minute's value. Groups learn slowly (a memory of about four hours, a plain
    /// average while younger) so that the first minutes of an attack barely move their
    /// baseline; idle minutes count as zeros.
    pub fn fold(&mut self, minute: i64, x: f64) {
        let idle = ((minute - self.last_minute) / 60_000 - 1).clamp(0, 240);
        for _ in 0..idle {
            self.n += 1;
            self.signal.update(0.0, group_alpha(self.n));
        }
        self.n += 1;
        self.signal.update(x, group_alpha(self.n));
        self.last_minute = minute;
    }

    pub fn fold_ratio(&mut self, x: f64) {
        self.ratio.update(x, group_alpha(self.n.max(1)));
    }
}

fn group_alpha(n: u64) -> f64 {
    (1.0 / n as f64).max(1.0 / 240.0)
}

pub fn hour_of_day(minute: i64) -> usize {
    (minute.rem_euclid(86_400_000) / 3_600_000) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ewma_tracks_mean_and_decays_idle_minutes() {
        let mut p = ClientProfile::new(0);
        for m in 0..120 {
            p.fold(m * 60_000, 10.0, 3.0, 1);
        }
        assert!((p.rate.mean - 10.0).abs() < 0.01, "{:?}", p.rate);
        assert!(p.rate.sd() < 0.1);
        // 30 idle minutes then one active: the mean fell well below 10.
        p.fold(150 * 60_000, 10.0, 3.0, 1);
        assert!(p.rate.mean < 3.0, "{:?}", p.rate);
        assert!(p.established(150 * 60_000, 60, 30));
        assert!(!ClientProfile::new(0).established(30 * 60_000, 60, 1));
    }

    #[test]
    fn hour_of_day_mean_takes_over_when_trusted() {
        let mut p = ClientProfile::new(0);
        // Three days: busy at 14:00-15:00 (100/min), quiet otherwise (5/min).
        for m in 0..(3 * 24 * 60) {
            let minute = m * 60_000;
            let busy = hour_of_day(minute) == 14;
            p.fold(minute, if busy { 100.0 } else { 5.0 }, 1.0, 1);
        }
        let next_day_14h = (3 * 24 + 14) * 3_600_000;
        let next_day_03h = (3 * 24 + 3) * 3_600_000;
        assert!(p.expected_rate(next_day_14h) > 90.0, "{}", p.expected_rate(next_day_14h));
        assert!(p.expected_rate(next_day_03h) < 10.0);
    }
}
