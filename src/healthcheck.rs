//! `gatewatch healthcheck URL`: a container health check without curl in the image. One
//! HTTP/1.1 GET over plain TCP (the probe listens on loopback); success is a 2xx status.

use anyhow::{Context as _, Result, bail};
use std::io::{Read as _, Write as _};
use std::net::{TcpStream, ToSocketAddrs as _};
use std::time::Duration;

/// Fetches `url` (`http://host:port/path`) and fails unless it answers 2xx within `timeout`.
pub fn check(url: &str, timeout: Duration) -> Result<()> {
    let rest = url
        .strip_prefix("http://")
        .with_context(|| format!("healthcheck URL {url:?}: only http:// is supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = authority
        .to_socket_addrs()
        .with_context(|| format!("healthcheck URL {url:?}: host:port"))?
        .next()
        .with_context(|| format!("healthcheck URL {url:?}: {authority} resolves to nothing"))?;
    let mut conn = TcpStream::connect_timeout(&addr, timeout).with_context(|| format!("connect {addr}"))?;
    conn.set_read_timeout(Some(timeout))?;
    conn.set_write_timeout(Some(timeout))?;
    write!(conn, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n")?;
    let mut head = Vec::new();
    conn.take(4096).read_to_end(&mut head).with_context(|| format!("read from {addr}"))?;
    let head = String::from_utf8_lossy(&head);
    let status = head.lines().next().unwrap_or_default();
    let code: u16 = status.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    if !(200..300).contains(&code) {
        bail!("{url}: {}", if status.is_empty() { "no answer" } else { status });
    }
    println!("{url}: {status}");
    Ok(())
}
