//! What the baselines learn from a closed minute, once every rule has judged it. A subject a
//! rule found anomalous does not learn from the minute (an attack is not the new normal), and
//! nothing learns during an authentication outage.

use crate::Detector;
use crate::alerts::Finding;
use crate::profile::Places;
use foldhash::HashSet;
use gatewatch_core::{ClientKind, Rule, Subject, SubjectKind};

/// The rules whose finding on a client keeps its rate baseline from learning the minute.
const CLIENT_RULES: [Rule; 4] =
    [Rule::Enumeration, Rule::ThrottleEvasion, Rule::CredentialReplay, Rule::VolumeSpike];

/// Folds minute `m` into the baselines. `places` is where each credential had been by the end
/// of the minute (from the geographic rules); `outage` says authentication failed broadly.
pub(super) fn learn(
    d: &mut Detector,
    m: i64,
    findings: &[Finding],
    places: Vec<(String, Places)>,
    outage: bool,
) {
    let fired: HashSet<(Rule, &Subject)> = findings.iter().map(|f| (f.rule, &f.subject)).collect();
    let found = |rules: &[Rule], kind: SubjectKind, value: &str| {
        !fired.is_empty() && {
            let s = Subject::new(kind, value);
            rules.iter().any(|r| fired.contains(&(*r, &s)))
        }
    };
    let Some(b) = d.closed.back().filter(|b| b.minute == m) else { return };

    // Clients: rate, breadth and addresses per minute.
    let mut clients = Vec::new();
    for kind in ClientKind::ALL {
        for (key, c) in b.clients(kind) {
            let anomalous = found(&CLIENT_RULES, kind.into(), key);
            clients.push((format!("{kind}:{key}"), anomalous, c.total, c.paths.len(), c.ips.len() as u32));
        }
    }
    // Networks: addresses failing on auth routes, and anonymous addresses.
    let networks: Vec<(u32, usize, usize, bool, bool)> = b
        .asns
        .iter()
        .map(|(asn, e)| {
            let subject = format!("AS{asn}");
            let stuffing = found(&[Rule::CredentialStuffing], SubjectKind::Asn, &subject);
            let scraping = found(&[Rule::DistributedScraping], SubjectKind::Asn, &subject);
            (*asn, e.fail_ips.len(), e.anon_ips.len(), stuffing, scraping)
        })
        .collect();
    // Auth routes: failing addresses and failure ratio, when not under attack.
    let routes: Vec<(String, f64, f64)> = b
        .auth_routes
        .values()
        .filter(|r| r.total > 0 && !found(&[Rule::CredentialStuffing], SubjectKind::Route, &r.label))
        .map(|r| {
            (format!("route:{}", r.label), r.fail_ips.len() as f64, f64::from(r.fail) / f64::from(r.total))
        })
        .collect();
    // Failures outside the auth routes.
    let other = (b.total - b.auth_route_total.min(b.total), b.auth_fail - b.auth_route_fail.min(b.auth_fail));

    for (pkey, p) in places {
        d.client_profile(&pkey, m).set_places(p);
    }
    for (pkey, anomalous, total, paths, ips) in clients {
        let p = d.client_profile(&pkey, m);
        if anomalous {
            p.skip(m);
        } else {
            p.fold(m, f64::from(total), paths as f64, ips);
        }
    }
    for (asn, fail_ips, anon_ips, stuffing, scraping) in networks {
        if fail_ips > 0 && !stuffing {
            d.group_profile(&format!("stuff:AS{asn}"), m).fold(m, fail_ips as f64);
        }
        if anon_ips > 0 && !scraping {
            d.group_profile(&format!("anon:AS{asn}"), m).fold(m, anon_ips as f64);
        }
    }
    for (gkey, fail_ips, ratio) in routes {
        let g = d.group_profile(&gkey, m);
        g.fold(m, fail_ips);
        g.fold_ratio(ratio);
    }
    let (total, fail) = other;
    if total > 0 && !outage {
        let g = d.group_profile("other_auth", m);
        g.n += 1;
        g.fold_ratio(fail as f64 / total as f64);
    }
}
