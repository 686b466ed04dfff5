//! CloudWatch Logs subscription envelopes (gzip, the documented fields), as Kinesis and
//! Firehose deliver them.

use super::*;

// CloudWatch Logs subscription envelopes

pub(crate) struct LogEvent {
    pub(crate) id: String,
    pub(crate) timestamp: i64,
    pub(crate) message: String,
}

pub(crate) struct Batch {
    pub(crate) group: String,
    pub(crate) stream: String,
    pub(crate) events: Vec<LogEvent>,
}

impl Batch {
    pub(crate) fn first_ms(&self) -> i64 {
        self.events.first().map_or(i64::MAX, |e| e.timestamp)
    }
}

/// Buffers one open envelope per log group (API), as CloudWatch Logs batches each group
/// independently, and writes them gzip-compressed.
pub(crate) struct CwlWriter<'a, W: Write> {
    pub(crate) out: &'a mut W,
    pub(crate) base64: bool,
    pub(crate) seed: u64,
    pub(crate) seq: u64,
    pub(crate) batches: [Batch; 2],
}

impl<'a, W: Write> CwlWriter<'a, W> {
    pub(crate) fn new(out: &'a mut W, base64: bool, seed: u64) -> Self {
        let stream = |api: u64| {
            let a = splitmix64(seed ^ api.wrapping_mul(0x5851_f42d_4c95_7f2d));
            format!("{:016x}{:016x}", a, splitmix64(a))
        };
        let batch = |api_id: &str, s: String| Batch {
            group: format!("API-Gateway-Access-Logs_{api_id}/{STAGE}"),
            stream: s,
            events: Vec::with_capacity(CWL_MAX_EVENTS),
        };
        Self {
            out,
            base64,
            seed,
            seq: 0,
            batches: [batch(REST_API_ID, stream(1)), batch(HTTP_API_ID, stream(2))],
        }
    }

    pub(crate) fn control_message(&mut self, timestamp: i64) -> io::Result<()> {
        let mut json = String::from(
            r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":"#,
        );
        json.push_str(&timestamp.to_string());
        json.push_str(
            r#","message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}"#,
        );
        self.emit(json.as_bytes())
    }

    pub(crate) fn push(&mut self, e: &GenEvent) -> io::Result<()> {
        // Deliver any envelope that has spanned 10 s, oldest first, so envelopes stay in time order.
        let order = if self.batches[0].first_ms() <= self.batches[1].first_ms() { [0, 1] } else { [1, 0] };
        for i in order {
            if !self.batches[i].events.is_empty() && e.time_ms - self.batches[i].first_ms() >= CWL_MAX_SPAN_MS
            {
                self.flush(i)?;
            }
        }
        let idx = if e.api == Api::Rest { 0 } else { 1 };
        if self.batches[idx].events.len() >= CWL_MAX_EVENTS {
            self.flush(idx)?;
        }
        let id = self.event_id(e.time_ms);
        self.batches[idx].events.push(LogEvent { id, timestamp: e.time_ms, message: json_line(e) });
        Ok(())
    }

    /// 56 decimal digits like CloudWatch's: a time-ordered prefix, a sequence, a scrambler.
    pub(crate) fn event_id(&mut self, ts: i64) -> String {
        self.seq += 1;
        let ts = ts.clamp(0, 999_999_999_999_999);
        format!("3{ts:015}{:020}{:020}", self.seq, splitmix64(self.seed ^ self.seq))
    }

    pub(crate) fn finish(&mut self) -> io::Result<()> {
        let order = if self.batches[0].first_ms() <= self.batches[1].first_ms() { [0, 1] } else { [1, 0] };
        for i in order {
            self.flush(i)?;
        }
        Ok(())
    }

    pub(crate) fn flush(&mut self, i: usize) -> io::Result<()> {
        let b = &mut self.batches[i];
        if b.events.is_empty() {
            return Ok(());
        }
        let mut json = String::with_capacity(b.events.len() * 700 + 256);
        json.push_str(r#"{"messageType":"DATA_MESSAGE","owner":"#);
        push_json_str(&mut json, ACCOUNT_ID);
        json.push_str(r#","logGroup":"#);
        push_json_str(&mut json, &b.group);
        json.push_str(r#","logStream":"#);
        push_json_str(&mut json, &b.stream);
        json.push_str(r#","subscriptionFilters":["#);
        push_json_str(&mut json, SUBSCRIPTION_FILTER);
        json.push_str(r#"],"logEvents":["#);
        for (k, ev) in b.events.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            json.push_str(r#"{"id":"#);
            push_json_str(&mut json, &ev.id);
            json.push_str(r#","timestamp":"#);
            json.push_str(&ev.timestamp.to_string());
            json.push_str(r#","message":"#);
            push_json_str(&mut json, &ev.message);
            json.push('}');
        }
        json.push_str("]}");
        b.events.clear();
        self.emit(json.as_bytes())
    }

    pub(crate) fn emit(&mut self, json: &[u8]) -> io::Result<()> {
        let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4 + 64), Compression::default());
        gz.write_all(json)?;
        let gz = gz.finish()?;
        if self.base64 {
            self.out.write_all(base64::engine::general_purpose::STANDARD.encode(&gz).as_bytes())?;
            self.out.write_all(b"\n")
        } else {
            self.out.write_all(&gz)
        }
    }
}

// ---------------------------------------------------------------------------------------------
