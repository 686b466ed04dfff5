//! What each destination receives for one alert event. The same functions serve
//! `gatewatch alerts --format ocsf|cef|hec`, so a destination can be debugged from the shell.
//! Every value comes from the alert's JSON, which holds scrubbed text only.

use gatewatch_store::OutboxEvent;
use serde_json::{Value, json};

const PRODUCT: &str = "gatewatch";
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The OCSF schema version the findings follow.
pub const OCSF_VERSION: &str = "1.1.0";

fn time_ms(alert: &Value, field: &str) -> Option<i64> {
    let s = alert[field].as_str()?;
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis())
}

fn summary(alert: &Value) -> String {
    alert["evidence"]["summary"].as_str().map(str::to_string).unwrap_or_else(|| {
        format!(
            "{} {}:{}",
            alert["rule"].as_str().unwrap_or(""),
            alert["subject"]["type"],
            alert["subject"]["value"]
        )
    })
}

fn title(alert: &Value) -> String {
    let rule = alert["rule"].as_str().unwrap_or("alert").replace('_', " ");
    let subject = format!(
        "{}:{}",
        alert["subject"]["type"].as_str().unwrap_or(""),
        alert["subject"]["value"].as_str().unwrap_or("")
    );
    format!("{rule} by {subject}")
}

const SEVERITY_NAMES: [&str; 6] = ["Unknown", "Informational", "Low", "Medium", "High", "Critical"];

/// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
fn severity_id(alert: &Value) -> u8 {
    match alert["severity"].as_str() {
        Some("low") => 2,
        Some("medium") => 3,
        Some("high") => 4,
        Some("critical") => 5,
        _ => 1,
    }
}

/// Source addresses named by the evidence: the subject if it is an IP, and the top IPs.
fn ips(alert: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if alert["subject"]["type"] == "ip" {
        out.extend(alert["subject"]["value"].as_str().map(str::to_string));
    }
    for key in ["top_ips", "ips"] {
        if let Some(list) = alert["evidence"][key].as_array() {
            for v in list {
                let ip = v["ip"].as_str().or_else(|| v.as_str());
                if let Some(ip) = ip.filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
                    && !out.iter().any(|o| o == ip)
                {
                    out.push(ip.to_string());
                }
            }
        }
    }
    out
}

/// An OCSF 1.1 Detection Finding (class_uid 2004).
pub fn ocsf(ev: &OutboxEvent) -> Value {
    let a = &ev.alert;
    // activity: 1 Create, 2 Update, 3 Close.
    let (activity_id, activity) = match ev.event.as_str() {
        "opened" => (1, "Create"),
        "resolved" => (3, "Close"),
        _ => (2, "Update"),
    };
    // status: 1 New, 2 In Progress, 4 Resolved.
    let (status_id, status) = match a["status"].as_str() {
        Some("acknowledged") => (2, "In Progress"),
        Some("resolved") => (4, "Resolved"),
        _ => (1, "New"),
    };
    let sev = severity_id(a);
    let mut observables = Vec::new();
    for ip in ips(a) {
        observables.push(json!({"name": "src_endpoint.ip", "type_id": 2, "type": "IP Address", "value": ip}));
    }
    match a["subject"]["type"].as_str() {
        Some("principal" | "iam") => observables.push(json!({
            "name": "actor.user.uid", "type_id": 4, "type": "User Name", "value": a["subject"]["value"],
        })),
        Some("api_key") => observables.push(json!({
            "name": "api_key", "type_id": 99, "type": "Other", "value": a["subject"]["value"],
        })),
        _ => {}
    }
    let mut f = json!({
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": 2004,
        "class_name": "Detection Finding",
        "activity_id": activity_id,
        "activity_name": activity,
        "type_uid": 200400 + activity_id,
        "type_name": format!("Detection Finding: {activity}"),
        "severity_id": sev,
        "severity": SEVERITY_NAMES[sev as usize],
        "status_id": status_id,
        "status": status,
        "time": ev.created_at,
        "message": summary(a),
        "metadata": {
            "version": OCSF_VERSION,
            "uid": ev.idempotency_key(),
            "product": {"name": PRODUCT, "vendor_name": PRODUCT, "version": VERSION},
        },
        "finding_info": {
            "uid": a["id"],
            "title": title(a),
            "desc": summary(a),
            "types": [a["kind"], a["rule"]],
            "analytic": {"name": a["rule"], "type_id": 1, "type": "Rule"},
        },
        "observables": observables,
        "unmapped": {"gatewatch": {"event": ev.event, "subject": a["subject"], "count": a["count"], "evidence": a["evidence"]}},
    });
    for (field, name) in
        [("first_seen", "first_seen_time"), ("last_seen", "last_seen_time"), ("detected_at", "created_time")]
    {
        if let Some(t) = time_ms(a, field) {
            f["finding_info"][name] = json!(t);
        }
    }
    f
}

/// CEF header fields escape `\` and `|`.
fn cef_header(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// CEF extension values escape `\` and `=`, and newlines as `\n`.
fn cef_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('=', "\\=")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// An ArcSight CEF line (without the syslog header).
pub fn cef(ev: &OutboxEvent) -> String {
    let a = &ev.alert;
    // CEF severity 0-10.
    let sev = match a["severity"].as_str() {
        Some("low") => 3,
        Some("medium") => 5,
        Some("high") => 8,
        Some("critical") => 10,
        _ => 0,
    };
    let mut ext: Vec<(&str, String)> = vec![
        ("rt", ev.created_at.to_string()),
        ("externalId", a["id"].as_str().unwrap_or("").to_string()),
        ("cat", a["kind"].as_str().unwrap_or("").to_string()),
        ("act", ev.event.clone()),
        ("outcome", a["status"].as_str().unwrap_or("").to_string()),
        ("msg", summary(a)),
        ("cs1Label", "subject".into()),
        (
            "cs1",
            format!(
                "{}:{}",
                a["subject"]["type"].as_str().unwrap_or(""),
                a["subject"]["value"].as_str().unwrap_or("")
            ),
        ),
        ("cs2Label", "idempotencyKey".into()),
        ("cs2", ev.idempotency_key()),
        ("cnt", a["count"].as_u64().unwrap_or(0).to_string()),
    ];
    if let Some(t) = time_ms(a, "first_seen") {
        ext.push(("start", t.to_string()));
    }
    if let Some(t) = time_ms(a, "last_seen") {
        ext.push(("end", t.to_string()));
    }
    if let Some(ip) = ips(a).first() {
        ext.push(("src", ip.clone()));
    }
    if matches!(a["subject"]["type"].as_str(), Some("principal" | "iam")) {
        ext.push(("suser", a["subject"]["value"].as_str().unwrap_or("").to_string()));
    }
    let ext: Vec<String> = ext.into_iter().map(|(k, v)| format!("{k}={}", cef_value(&v))).collect();
    format!(
        "CEF:0|{}|{}|{}|{}|{}|{}|{}",
        cef_header(PRODUCT),
        cef_header(PRODUCT),
        cef_header(VERSION),
        cef_header(a["rule"].as_str().unwrap_or("alert")),
        cef_header(&title(a)),
        sev,
        ext.join(" ")
    )
}

/// An RFC 5424 syslog message carrying the CEF line, octet-counted for TCP (RFC 6587):
/// `LEN <PRI>1 TIMESTAMP HOST gatewatch - alert - CEF:0|…`. Facility 10 (security/authorization);
/// the syslog severity follows the alert's.
pub fn syslog_frame(ev: &OutboxEvent, host: &str) -> String {
    let severity = match ev.alert["severity"].as_str() {
        Some("critical") => 2,
        Some("high") => 3,
        Some("medium") => 4,
        _ => 5,
    };
    let host: String = host.chars().filter(|c| c.is_ascii_graphic()).take(255).collect();
    let host = if host.is_empty() { "-".to_string() } else { host };
    let msg = format!(
        "<{}>1 {} {host} gatewatch - alert - {}",
        10 * 8 + severity,
        gatewatch_core::time::rfc3339(ev.created_at),
        cef(ev)
    );
    format!("{} {msg}", msg.len())
}

/// A Splunk HEC event envelope.
pub fn hec(ev: &OutboxEvent, host: &str, index: &str, sourcetype: &str) -> Value {
    let mut e = json!({
        "time": ev.created_at as f64 / 1000.0,
        "source": PRODUCT,
        "sourcetype": if sourcetype.is_empty() { "gatewatch:alert" } else { sourcetype },
        "event": webhook(ev),
    });
    if !host.is_empty() {
        e["host"] = json!(host);
    }
    if !index.is_empty() {
        e["index"] = json!(index);
    }
    e
}

/// The generic JSON of an alert event (webhooks, and the body of HEC events).
pub fn webhook(ev: &OutboxEvent) -> Value {
    json!({
        "id": ev.idempotency_key(),
        "event": ev.event,
        "time": gatewatch_core::time::rfc3339(ev.created_at),
        "alert": ev.alert,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> OutboxEvent {
        OutboxEvent {
            id: 7,
            alert_id: "a1".into(),
            event: "opened".into(),
            alert: json!({
                "id": "a1", "kind": "credential_abuse", "rule": "brute_force", "severity": "high", "status": "open",
                "subject": {"type": "ip", "value": "203.0.113.9"},
                "first_seen": "2026-11-24T00:02:00Z", "last_seen": "2026-11-24T00:06:59Z", "detected_at": "2026-11-24T00:05:00Z",
                "count": 3,
                "evidence": {"summary": "203.0.113.9 failed | a=b \\ 140 times\nnext", "top_ips": [{"ip": "198.51.100.4", "requests": 3}]},
            }),
            created_at: 1_795_478_700_000,
        }
    }

    #[test]
    fn ocsf_is_a_detection_finding() {
        let f = ocsf(&event());
        assert_eq!(
            (f["class_uid"].as_u64(), f["category_uid"].as_u64(), f["type_uid"].as_u64()),
            (Some(2004), Some(2), Some(200401))
        );
        assert_eq!(f["severity_id"], 4);
        assert_eq!(f["finding_info"]["uid"], "a1");
        assert_eq!(f["finding_info"]["first_seen_time"], 1_795_478_520_000i64);
        assert_eq!(f["metadata"]["uid"], "a1:7");
        let ips: Vec<&str> =
            f["observables"].as_array().unwrap().iter().filter_map(|o| o["value"].as_str()).collect();
        assert_eq!(ips, ["203.0.113.9", "198.51.100.4"]);
    }

    #[test]
    fn cef_escapes_headers_and_extensions() {
        let line = cef(&event());
        assert!(line.starts_with("CEF:0|gatewatch|gatewatch|"), "{line}");
        // Seven unescaped pipes end the header; pipes in extension values need no escape.
        let header = &line[..line.find("|rt=").unwrap() + 1];
        let header_pipes = header.match_indices('|').filter(|(i, _)| !header[..*i].ends_with('\\')).count();
        assert_eq!(header_pipes, 7, "{line}");
        assert!(line.contains(r"msg=203.0.113.9 failed | a\=b \\ 140 times\nnext"), "{line}");
        assert!(!line.contains('\n'));
        assert!(line.contains("src=203.0.113.9") && line.contains("cs2=a1:7"), "{line}");
    }

    #[test]
    fn syslog_frames_are_octet_counted_rfc5424() {
        let f = syslog_frame(&event(), "gw-1");
        let (len, msg) = f.split_once(' ').unwrap();
        assert_eq!(len.parse::<usize>().unwrap(), msg.len());
        assert!(msg.starts_with("<83>1 2026-11-24T00:05:00Z gw-1 gatewatch - alert - CEF:0|"), "{msg}");
    }

    #[test]
    fn hec_envelope_has_time_in_seconds() {
        let e = hec(&event(), "gw-1", "security", "");
        assert_eq!(e["time"].as_f64(), Some(1_795_478_700.0));
        assert_eq!(
            (e["index"].as_str(), e["host"].as_str(), e["sourcetype"].as_str()),
            (Some("security"), Some("gw-1"), Some("gatewatch:alert"))
        );
        assert_eq!(e["event"]["id"], "a1:7");
    }
}
