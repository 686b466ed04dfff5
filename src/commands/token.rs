//! `gatewatch token`: create, list and revoke API tokens.

use crate::*;

pub(crate) async fn token_cmd(config: Option<&std::path::Path>, cmd: TokenCmd) -> Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    match cmd {
        TokenCmd::Create { scope, name, db } => {
            let cfg = load_config(config, Some(&db))?;
            let store = open_store(&cfg.db).await?;
            let (id, token, hash) = gatewatch_api::auth::new_token();
            store.create_token(&id, &name, &scope, &hash, now).await?;
            store.close().await;
            eprintln!("created {scope} token {id}; it is shown only now (the store keeps a hash):");
            println!("{token}");
        }
        TokenCmd::List { db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = open_store(&cfg.db).await?;
            let t = |ms: Option<i64>| ms.map_or("-".to_string(), gatewatch_core::time::rfc3339);
            println!(
                "{:<18} {:<6} {:<20} {:<20} {:<20}  NAME",
                "ID", "SCOPE", "CREATED", "LAST USED", "REVOKED"
            );
            for k in store.tokens().await? {
                println!(
                    "{:<18} {:<6} {:<20} {:<20} {:<20}  {}",
                    k.id,
                    k.scope,
                    t(Some(k.created_at)),
                    t(k.last_used),
                    t(k.revoked_at),
                    k.name
                );
            }
            store.close().await;
        }
        TokenCmd::Revoke { id, db } => {
            let cfg = load_config(config, Some(&db))?;
            require_existing_sqlite(&cfg.db)?;
            let store = open_store(&cfg.db).await?;
            let done = store.revoke_token(&id, now).await?;
            store.close().await;
            if !done {
                bail!("no active token {id} (see `gatewatch token list`)");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}
