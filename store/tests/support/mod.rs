//! A PostgreSQL database per test: created from the admin URL in `GATEWATCH_TEST_PG` (default
//! the local server), dropped at the end.

#![allow(dead_code)]

pub struct PgDb {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDb {
    pub async fn new(tag: &str) -> PgDb {
        let admin = std::env::var("GATEWATCH_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let name = format!("gatewatch_store_{tag}_{}", std::process::id());
        let pool = sqlx::PgPool::connect(&admin).await.unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is required for these tests (set GATEWATCH_TEST_PG): {e}")
        });
        for q in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
            sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        PgDb { admin, name, url }
    }

    pub async fn drop_db(self) {
        let pool = sqlx::PgPool::connect(&self.admin).await.unwrap();
        let q = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::query(sqlx::AssertSqlSafe(q)).execute(&pool).await.unwrap();
    }
}
