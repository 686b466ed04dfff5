//! `gatewatch demo`: generated traffic with labelled attacks, replayed and explained.

use crate::*;

pub(crate) async fn demo(
    config: Option<&std::path::Path>,
    listen: SocketAddr,
    minutes: u32,
    clients: usize,
    seed: u64,
    dir: Option<PathBuf>,
    no_serve: bool,
) -> Result<()> {
    if minutes == 0 || clients == 0 {
        bail!("--minutes and --clients must be at least 1");
    }
    let (dir, _tmp) = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
            (d, None)
        }
        None => {
            let t = tempfile::Builder::new().prefix("gatewatch-demo-").tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let logs = dir.join("access-logs.ndjson");
    let db_path = dir.join("demo.db");
    let _ = std::fs::remove_file(&db_path);
    let opts = generate::GenOptions { seed, clients, minutes, ..Default::default() };
    eprintln!(
        "generating {minutes} minutes of traffic from {clients} clients (seed {seed}) into {}",
        logs.display()
    );
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&logs)?);
        generate::write(&opts, generate::OutFormat::Ndjson, &mut w)?;
        w.flush()?;
    }
    let mut cfg = load_config(config, None)?;
    cfg.db = format!("sqlite://{}", db_path.display());
    if cfg.scrub.key.is_empty() {
        cfg.scrub.key_file = dir.join("gatewatch.key").display().to_string();
    }
    if cfg.detect.denied_geo.deny.is_empty() && cfg.detect.denied_geo.allow.is_empty() {
        // The demo's traffic includes a visitor from a country a policy would deny.
        cfg.detect.denied_geo.deny = vec![generate::DENIED_COUNTRY.to_string()];
        eprintln!("demo policy: detect.denied_geo.deny = [\"{}\"]", generate::DENIED_COUNTRY);
    }
    if cfg.detect.enabled && !cfg.geoip.country_path().exists() {
        let geo_dir = cfg.geoip.resolved_dir();
        eprintln!(
            "fetching the free GeoIP databases into {} (once; see `gatewatch geoip update`)",
            geo_dir.display()
        );
        if let Err(e) =
            gatewatch_detect::geo::update(&geo_dir, "https://registry.npmjs.org", &mut |l| eprintln!("  {l}"))
                .await
        {
            eprintln!("warning: {e}; the demo goes on without the geographic and per-network rules");
        }
    }
    let store = open_store(&cfg.db).await?;
    replay_with_progress(&store, &cfg, Input::File(logs.clone()), InputFormat::Auto, None).await?;
    let attacks = generate::attack_plan(&opts);
    let alerts = store.alerts(&gatewatch_store::AlertFilter { limit: 50, ..Default::default() }).await?;
    println!("\nalerts raised ({} shown, newest first):", alerts.len());
    print_alerts(&alerts, AlertFormat::Table)?;
    if no_serve {
        store.close().await;
        return Ok(());
    }
    let (from, to) =
        store.time_range().await?.map(|(a, b)| (a, b + 60_000)).unwrap_or((opts.start_ms, opts.start_ms));
    let (from, to) = (gatewatch_core::time::rfc3339(from), gatewatch_core::time::rfc3339(to));
    println!("\nstore: {}", cfg.db);
    println!("injected scenarios (ground truth; no alert may be raised on a benign one):");
    for a in &attacks {
        println!("  {a}");
    }
    let base = format!("http://{listen}");
    // The demo's own admin token: the API refuses callers without one.
    let (id, token, hash) = gatewatch_api::auth::new_token();
    store.create_token(&id, "demo", "admin", &hash, chrono::Utc::now().timestamp_millis()).await?;
    println!("\ndashboard: {base}/#token={token}");
    println!("\ntry (the demo made an admin token; `gatewatch token create` makes more):");
    println!("  export GATEWATCH_TOKEN={token}");
    let mut paths = vec!["/v1/alerts?limit=5".to_string(), "/v1/alerts?rule=brute_force".to_string()];
    paths.extend(alerts.first().map(|a| format!("/v1/alerts/{}", a.id)));
    for metric in ["s401", "s404", "distinct_paths"] {
        paths.push(format!("/v1/clients?metric={metric}&from={from}&to={to}&limit=5"));
    }
    paths.extend(attacks.first().map(|a| {
        let t = gatewatch_core::time::rfc3339;
        format!(
            "/v1/clients/{}/series?from={}&to={}",
            a.subject,
            t(a.start_ms - 300_000),
            t(a.end_ms + 300_000)
        )
    }));
    for p in paths {
        println!("  curl -s -H \"Authorization: Bearer $GATEWATCH_TOKEN\" '{base}{p}'");
    }
    println!("  curl -s '{base}/healthz'\n");
    serve(store, &cfg, listen).await
}
