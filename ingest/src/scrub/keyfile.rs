//! The deployment key behind the pseudonyms: from config, or a key file created once with mode
//! 0600.

use std::path::Path;

pub(super) fn parse_key(s: &str) -> Result<Vec<u8>, String> {
    let key = hex::decode(s).map_err(|_| "expected hex".to_string())?;
    if key.len() < 32 {
        return Err(format!("{} bytes is too short; use at least 32 (64 hex digits)", key.len()));
    }
    Ok(key)
}

/// Reads the key file, or creates it (mode 0600) with 32 random bytes.
pub(super) fn load_or_create_key(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) => parse_key(s.trim()).map_err(|e| format!("key file `{}`: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|e| format!("no randomness for a new key: {e}"))?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating `{}` for the key file: {e}", dir.display()))?;
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            use std::io::Write as _;
            match opts.open(path) {
                Ok(mut f) => {
                    f.write_all(hex::encode(key).as_bytes())
                        .map_err(|e| format!("writing key file `{}`: {e}", path.display()))?;
                    tracing::info!(path = %path.display(), "created a new scrubber key");
                    Ok(key.to_vec())
                }
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
                Err(e) => Err(format!("creating key file `{}`: {e}", path.display())),
            }
        }
        Err(e) => Err(format!("reading key file `{}`: {e}", path.display())),
    }
}

/// An ephemeral random key (fingerprints will not match another process's).
pub fn ephemeral_key() -> Vec<u8> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("OS randomness");
    key.to_vec()
}
