//! Per-batch aggregation: folds records into one [`MinuteAgg`] per client per minute of event
//! time. The aggregator holds only the current batch (it is drained at every commit), so its
//! memory is bounded by the batch size and the number of active clients, never by the number of
//! events that have passed (DESIGN.md invariant 4). Merging with already-stored minutes happens
//! in the store's transaction.

use foldhash::HashMap;
use gatewatch_core::store::MinuteRow;
use gatewatch_core::{ClientKey, ClientKind, MinuteAgg};

#[derive(Default)]
pub struct BatchAggregator {
    /// Client key (kind tag + value) → index into `clients`.
    index: HashMap<String, usize>,
    /// Per client: its key and its (minute, aggregate) pairs of this batch.
    clients: Vec<(ClientKey, Vec<(i64, MinuteAgg)>)>,
    /// Reused lookup buffer, so a known client costs no allocation.
    scratch: String,
    events: u64,
}

impl BatchAggregator {
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Counts one request of client `(kind, value)` in `minute` (epoch ms of the minute start).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn observe(
        &mut self,
        kind: ClientKind,
        value: &str,
        minute: i64,
        status: u16,
        bytes: u64,
        latency_ms: Option<f64>,
        path: &str,
        ip: Option<&str>,
    ) {
        self.scratch.clear();
        self.scratch.push(kind_tag(kind));
        self.scratch.push_str(value);
        let idx = match self.index.get(self.scratch.as_str()) {
            Some(&i) => i,
            None => {
                self.clients.push((ClientKey::new(kind, value), Vec::new()));
                self.index.insert(self.scratch.clone(), self.clients.len() - 1);
                self.clients.len() - 1
            }
        };
        let minutes = &mut self.clients[idx].1;
        // A batch touches few minutes per client, most often the latest: search from the end.
        let agg = match minutes.iter().rposition(|(m, _)| *m == minute) {
            Some(i) => &mut minutes[i].1,
            None => {
                minutes.push((minute, MinuteAgg::new()));
                &mut minutes.last_mut().expect("just pushed").1
            }
        };
        agg.observe(status, bytes, latency_ms, path, ip);
        self.events += 1;
    }

    /// Drains the batch into store rows.
    pub fn take(&mut self) -> Vec<MinuteRow> {
        self.index.clear();
        self.events = 0;
        let mut rows = Vec::new();
        for (client, minutes) in self.clients.drain(..) {
            for (minute, agg) in minutes {
                rows.push(MinuteRow { client: client.clone(), minute, agg });
            }
        }
        rows
    }
}

fn kind_tag(k: ClientKind) -> char {
    match k {
        ClientKind::Principal => 'p',
        ClientKind::ApiKey => 'k',
        ClientKind::Iam => 'i',
        ClientKind::Ip => 'a',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_client_and_minute() {
        let mut a = BatchAggregator::default();
        a.observe(ClientKind::Ip, "1.1.1.1", 0, 200, 1, None, "/a", Some("1.1.1.1"));
        a.observe(ClientKind::Ip, "1.1.1.1", 0, 404, 1, None, "/b", Some("1.1.1.1"));
        a.observe(ClientKind::Ip, "1.1.1.1", 60_000, 200, 1, None, "/a", Some("1.1.1.1"));
        // Same value, different kind: a different client.
        a.observe(ClientKind::Principal, "1.1.1.1", 0, 200, 1, None, "/a", None);
        assert_eq!(a.events(), 4);
        let mut rows = a.take();
        rows.sort_by(|x, y| (&x.client, x.minute).cmp(&(&y.client, y.minute)));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].client.kind, ClientKind::Principal);
        assert_eq!(rows[1].agg.counts.total, 2);
        assert_eq!(rows[1].agg.counts.s404, 1);
        assert_eq!(rows[1].agg.distinct_paths(), 2);
        assert_eq!(rows[2].minute, 60_000);
        assert_eq!(a.events(), 0);
        assert!(a.take().is_empty());
    }
}
