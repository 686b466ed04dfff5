//! `denied_geo`: an address in a country that the country policy of the API it called does not
//! expect (a deny list, or an allow list it is not on).

use super::View;
use super::ip_window::IpCtx;
use crate::alerts::Finding;
use gatewatch_core::{Rule, Severity, Subject, SubjectKind};
use serde_json::json;

pub(super) fn check(v: &View, c: &IpCtx) -> Option<Finding> {
    let gp = &v.cfg.denied_geo;
    let e = c.now;
    if !gp.enabled || e.denied == 0 {
        return None;
    }
    let cc = e.geo.country_str()?;
    let api = e.denied_api.as_deref();
    let policy = gp.policy_for(api);
    let ip = c.ip;
    Some(Finding {
        rule: Rule::DeniedGeo,
        subject: Subject::new(SubjectKind::Ip, ip),
        severity: Severity::Medium,
        first_seen: e.first_ms,
        last_seen: e.last_ms,
        detected_at: v.detected_at(),
        ips: c.addr.into_iter().collect(),
        evidence: json!({
            "summary": format!(
                "{ip} in {cc}, a country the policy{} does not expect ({} requests this minute)",
                api.filter(|a| gp.per_api.contains_key(*a)).map(|a| format!(" of API {a}")).unwrap_or_default(),
                e.denied
            ),
            "window": v.window_json(1),
            "observed": {"country": cc, "requests": e.denied, "api": api},
            "thresholds": {"deny": policy.deny, "allow": policy.allow},
            "source": v.geo_json(e.geo),
        }),
    })
}
