//! `gatewatch serve`: the API and dashboard until a signal.

use crate::*;

pub(crate) async fn serve(store: Store, cfg: &Config, listen: SocketAddr) -> Result<()> {
    gatewatch_api::serve(
        store,
        &cfg.api,
        listen,
        |addr| {
            println!("gatewatch API listening on http://{addr}");
            let _ = std::io::stdout().flush();
        },
        shutdown_signal(),
    )
    .await
    .with_context(|| format!("serving on {listen}"))
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}
