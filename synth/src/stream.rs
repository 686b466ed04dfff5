//! The streaming generator: minute by minute, normal traffic plus every active scenario.

use super::*;

// The streaming generator

/// The load curve's factor at instant `t` (mean 1 over a day): peaks at 14:00 UTC, trough at 02:00.
pub(crate) fn diurnal(t: i64) -> f64 {
    let hour = t.rem_euclid(86_400_000) as f64 / 3_600_000.0;
    1.0 + 0.6 * (std::f64::consts::TAU * (hour - 8.0) / 24.0).sin()
}

pub(crate) struct Generator {
    pub(crate) n: Norm,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) clients: Vec<Client>,
    pub(crate) cum: Vec<f64>,
    pub(crate) attacks: Vec<AttackSpec>,
    pub(crate) next_product: u64,
    /// The scenarios after the first seven attacks, and their own stream.
    pub(crate) scenarios: Vec<Scenario>,
    pub(crate) srng: ChaCha8Rng,
    pub(crate) outage: Option<Outage>,
    /// Outage retries that fall in a later minute than the request they repeat.
    pub(crate) pending: Vec<GenEvent>,
    pub(crate) minute: u32,
    pub(crate) buf: std::vec::IntoIter<GenEvent>,
}

impl Generator {
    pub(crate) fn new(n: &Norm) -> Self {
        let (clients, cum) = population(n);
        let mut rng = stream_rng(n.seed, STREAM_TRAFFIC);
        let next_product = rng.random_range(20_000..40_000);
        let scenarios = build_scenarios(n);
        let outage = scenarios.iter().find_map(|s| match s.kind {
            ScenarioKind::Outage { auth_ms } => {
                Some(Outage { start_ms: s.info.start_ms, auth_ms, end_ms: s.info.end_ms })
            }
            _ => None,
        });
        Self {
            n: *n,
            rng,
            clients,
            cum,
            attacks: build_attacks(n),
            next_product,
            scenarios,
            srng: stream_rng(n.seed, STREAM_SCENARIO_TRAFFIC),
            outage,
            pending: Vec::new(),
            minute: 0,
            buf: Vec::new().into_iter(),
        }
    }

    /// Expected events in the minute starting at `t`.
    pub(crate) fn rate_at(&self, t: i64) -> f64 {
        self.n.rate * diurnal(t + MINUTE_MS / 2)
    }

    pub(crate) fn fill_minute(&mut self) {
        let m0 = self.n.start_ms + i64::from(self.minute) * MINUTE_MS;
        let m1 = m0 + MINUTE_MS;
        self.minute += 1;
        let lambda = self.rate_at(m0);
        let count = poisson(&mut self.rng, lambda);
        let mut batch = Vec::with_capacity(count as usize + 16);
        for _ in 0..count {
            let t = m0 + self.rng.random_range(0..MINUTE_MS);
            batch.push(normal_event(&mut self.rng, &self.clients, &self.cum, t));
        }
        for a in &self.attacks {
            for seg in &a.segments {
                let (lo, hi) = (seg.start_ms.max(m0), seg.end_ms.min(m1));
                if lo >= hi {
                    continue;
                }
                let mut k = poisson(&mut self.rng, a.rate_per_min * (hi - lo) as f64 / MINUTE_MS as f64);
                // Every segment leaves at least one trace, even when a tiny run shrank it.
                if k == 0 && seg.start_ms >= m0 && seg.start_ms < m1 {
                    k = 1;
                }
                let mut times: Vec<i64> = (0..k).map(|_| lo + self.rng.random_range(0..hi - lo)).collect();
                // Sorted first so sequential state (enumeration ids) follows time.
                times.sort_unstable();
                for t in times {
                    batch.push(attack_event(&mut self.rng, a, seg, t, &mut self.next_product));
                }
            }
        }
        let scenarios_from = batch.len();
        for s in &self.scenarios {
            for lg in &s.legs {
                let (lo, hi) = (lg.start_ms.max(m0), lg.end_ms.min(m1));
                if lo >= hi {
                    continue;
                }
                let expected = lg.rate.per_min(lo + (hi - lo) / 2) * (hi - lo) as f64 / MINUTE_MS as f64;
                let mut k = poisson(&mut self.srng, expected);
                if k == 0 && lg.start_ms >= m0 && lg.start_ms < m1 {
                    k = 1;
                }
                for _ in 0..k {
                    let t = lo + self.srng.random_range(0..hi - lo);
                    batch.push(scenario_event(&mut self.srng, s, lg, t));
                }
            }
        }
        // The outage hits normal clients and the added scenarios' ones, not the first attacks.
        if let Some(o) = self.outage.filter(|o| o.start_ms < m1 && m0 < o.end_ms) {
            let run_end = run_end(&self.n);
            let mut retries = Vec::new();
            for i in (0..count as usize).chain(scenarios_from..batch.len()) {
                o.hit(&mut self.srng, &mut batch[i], &mut retries, run_end);
            }
            self.pending.extend(retries);
        }
        let (due, later): (Vec<GenEvent>, Vec<GenEvent>) =
            std::mem::take(&mut self.pending).into_iter().partition(|e| e.time_ms < m1);
        batch.extend(due);
        self.pending = later;
        // Stable sort: ties keep generation order, so output stays deterministic.
        batch.sort_by_key(|e| e.time_ms);
        self.buf = batch.into_iter();
    }
}

impl Iterator for Generator {
    type Item = GenEvent;
    fn next(&mut self) -> Option<GenEvent> {
        loop {
            if let Some(e) = self.buf.next() {
                return Some(e);
            }
            if self.minute >= self.n.minutes {
                return None;
            }
            self.fill_minute();
        }
    }
}

// ---------------------------------------------------------------------------------------------
