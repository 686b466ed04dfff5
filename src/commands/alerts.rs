//! `gatewatch alerts`: printing alerts in the five formats.

use crate::*;

pub(crate) fn print_alerts(alerts: &[gatewatch_core::Alert], format: AlertFormat) -> Result<()> {
    use gatewatch_forward::format as siem;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // The SIEM formats frame an alert as the event of its current state.
    let as_event = |a: &gatewatch_core::Alert| gatewatch_store::OutboxEvent {
        id: 0,
        alert_id: a.id.clone(),
        event: if a.status == gatewatch_core::Status::Resolved { "resolved" } else { "opened" }.into(),
        alert: a.to_json(),
        created_at: a.last_seen,
    };
    match format {
        AlertFormat::Ocsf => {
            for a in alerts {
                writeln!(out, "{}", siem::ocsf(&as_event(a)))?;
            }
        }
        AlertFormat::Cef => {
            for a in alerts {
                writeln!(out, "{}", siem::cef(&as_event(a)))?;
            }
        }
        AlertFormat::Hec => {
            for a in alerts {
                writeln!(out, "{}", siem::hec(&as_event(a), "", "", ""))?;
            }
        }
        AlertFormat::Json => {
            for a in alerts {
                writeln!(out, "{}", a.to_json())?;
            }
        }
        AlertFormat::Table => {
            // Newest last evidence first; subjects in full (they paste into --subject).
            writeln!(
                out,
                "{:<20} {:<8} {:<12} {:<21} {:<50} {:>5}  SUMMARY",
                "LAST SEEN", "SEVERITY", "STATUS", "RULE", "SUBJECT", "COUNT"
            )?;
            for a in alerts {
                writeln!(
                    out,
                    "{:<20} {:<8} {:<12} {:<21} {:<50} {:>5}  {}",
                    gatewatch_core::time::rfc3339(a.last_seen),
                    a.severity.as_str(),
                    a.status.as_str(),
                    a.rule.as_str(),
                    a.subject.to_string(),
                    a.count,
                    a.evidence["summary"].as_str().unwrap_or("")
                )?;
            }
            if alerts.is_empty() {
                writeln!(out, "(no alerts match)")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
