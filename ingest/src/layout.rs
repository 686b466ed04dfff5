//! Which layout an input has (NDJSON access logs, CloudWatch Logs subscription envelopes, base64
//! Kinesis records, CLF text, gzip of any of them), decided from its first bytes, and how one
//! line of it reads.

use crate::pipeline::GZIP_MAGIC;
use flate2::bufread::GzDecoder;
use std::io::Read;

/// Input format chosen on the command line (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Detected from the first bytes of the input.
    #[default]
    Auto,
    /// API Gateway JSON access logs, one object per line (optionally gzip-compressed).
    Ndjson,
    /// AWS's CLF access-log format (optionally gzip-compressed).
    Clf,
    /// CloudWatch Logs subscription envelopes: raw gzip members, base64 lines or JSON lines.
    Cwl,
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Self::Auto),
            "ndjson" | "json" => Ok(Self::Ndjson),
            "clf" => Ok(Self::Clf),
            "cwl" => Ok(Self::Cwl),
            _ => Err(format!("unknown format `{s}`; expected auto, ndjson, clf or cwl")),
        }
    }
}

/// How the input is laid out, once detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One access-log line per line; `gzip` if the whole stream is compressed.
    AccessLines { gzip: bool, kind: LineKind },
    /// One base64-encoded gzip CWL envelope per line (Kinesis record data).
    CwlBase64Lines,
    /// One uncompressed CWL envelope JSON per line.
    CwlJsonLines,
    /// Concatenated gzip members, each one CWL envelope (Firehose/Kinesis records on disk).
    CwlGzipMembers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// JSON or CLF, decided per line.
    Sniff,
    Json,
    Clf,
}

impl Layout {
    /// Unit of the checkpoint position for this layout.
    pub(crate) fn unit(self) -> &'static str {
        match self {
            Layout::CwlGzipMembers => "members",
            _ => "lines",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Layout::AccessLines { gzip: false, kind: LineKind::Json } => "ndjson",
            Layout::AccessLines { gzip: true, kind: LineKind::Json } => "ndjson (gzip)",
            Layout::AccessLines { gzip: false, kind: LineKind::Clf } => "clf",
            Layout::AccessLines { gzip: true, kind: LineKind::Clf } => "clf (gzip)",
            Layout::AccessLines { gzip: false, kind: LineKind::Sniff } => "access log lines",
            Layout::AccessLines { gzip: true, kind: LineKind::Sniff } => "access log lines (gzip)",
            Layout::CwlBase64Lines => "cwl (base64 lines)",
            Layout::CwlJsonLines => "cwl (json lines)",
            Layout::CwlGzipMembers => "cwl (gzip)",
        }
    }
}

/// Whether `b` starts with a CloudWatch Logs envelope: a JSON object with a top-level
/// `messageType` or `logEvents` key, in any key order (AWS writes `messageType` first; a tool
/// that sorts keys puts `logEvents` first and `messageType` after every event). Only keys count:
/// an access-log line whose value is the text `messageType` is not an envelope. Reads at most
/// the first object, and stops at the first top-level key that decides.
pub(crate) fn is_envelope_json(b: &[u8]) -> bool {
    let t = trim_ascii_start(b);
    if !t.starts_with(b"{") {
        return false;
    }
    let (mut depth, mut i) = (0usize, 0usize);
    // At depth 1, a string right after `{` or `,` is a key.
    let mut expect_key = false;
    while i < t.len() {
        match t[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < t.len() && t[i] != b'"' {
                    i += if t[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    let key = &t[start..i.min(t.len())];
                    if key == b"messageType" || key == b"logEvents" {
                        return true;
                    }
                    expect_key = false;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1 && t[i] == b'{';
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            b',' => expect_key = depth == 1,
            _ => {}
        }
        i += 1;
    }
    false
}

pub(crate) fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Decides the layout from the first bytes of the input.
pub fn detect(head: &[u8], format: InputFormat) -> Layout {
    if head.starts_with(&GZIP_MAGIC) {
        // Peek at the decompressed start (errors just mean "not enough head": decide on what we got).
        let mut inner = Vec::new();
        let _ = GzDecoder::new(head).take(8192).read_to_end(&mut inner);
        let cwl = match format {
            InputFormat::Cwl => true,
            InputFormat::Auto => is_envelope_json(&inner),
            _ => false,
        };
        return if cwl {
            Layout::CwlGzipMembers
        } else {
            Layout::AccessLines { gzip: true, kind: line_kind(format, &inner) }
        };
    }
    let first = head.split(|&b| b == b'\n').map(trim_ascii_start).find(|l| !l.is_empty()).unwrap_or(b"");
    match format {
        InputFormat::Cwl | InputFormat::Auto if first.starts_with(b"H4sI") => Layout::CwlBase64Lines,
        InputFormat::Cwl | InputFormat::Auto if is_envelope_json(first) => Layout::CwlJsonLines,
        InputFormat::Cwl => Layout::CwlBase64Lines,
        _ => Layout::AccessLines { gzip: false, kind: line_kind(format, first) },
    }
}

fn line_kind(format: InputFormat, _sample: &[u8]) -> LineKind {
    match format {
        InputFormat::Ndjson => LineKind::Json,
        InputFormat::Clf => LineKind::Clf,
        _ => LineKind::Sniff,
    }
}
