//! The file/stdin source behind `gatewatch replay`: reads an input once, from its last
//! checkpoint, and commits each batch with its position in one transaction.
//!
//! An input is identified by a fingerprint of its first 4 KiB (or by `--source NAME`), so a
//! renamed or re-piped copy of the same log resumes where it stopped instead of counting twice,
//! and an appended file continues after its last committed line.
//!
//! Reading and parsing run on a blocking thread; commits run on the async runtime, so the two
//! cores overlap parse work with store writes. The channel between them holds two batches:
//! enough to keep both busy, small enough to bound memory.

use crate::pipeline::{
    CountingReader, IngestError, InputFormat, PendingBatch, Progress, ReadSummary, Reader, Settings, detect,
};
use gatewatch_core::alert::Observer;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_store::{BatchWrite, CommitOutcome};
use sha2::{Digest, Sha256};
use std::io::{self, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;

/// Bytes of the input's start that name it.
const FINGERPRINT_BYTES: usize = 4096;
/// Bytes read ahead for format detection.
const HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn parse(s: &str) -> Self {
        if s == "-" { Input::Stdin } else { Input::File(PathBuf::from(s)) }
    }

    fn describe(&self) -> String {
        match self {
            Input::File(p) => format!("`{}`", p.display()),
            Input::Stdin => "standard input".into(),
        }
    }

    /// Size in bytes, when known (for progress).
    pub fn size(&self) -> Option<u64> {
        match self {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Stdin => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReplaySummary {
    pub source: String,
    pub read: ReadSummary,
}

fn read_head(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    r.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Source name of an input: `--source` if given, else a fingerprint of its first bytes.
pub fn source_id(name: Option<&str>, head: &[u8]) -> String {
    match name {
        Some(n) => format!("name:{n}"),
        None => {
            let digest = Sha256::digest(&head[..head.len().min(FINGERPRINT_BYTES)]);
            format!("input:{}", hex::encode(&digest[..12]))
        }
    }
}

/// Replays `input` into `store`, resuming from the source's checkpoint.
pub async fn replay(
    store: &Store,
    settings: Arc<Settings>,
    input: Input,
    format: InputFormat,
    source_name: Option<String>,
    progress: Arc<Progress>,
    observer: Option<Box<dyn Observer>>,
) -> Result<ReplaySummary, IngestError> {
    let what = input.describe();
    let io_err = {
        let what = what.clone();
        move |e| IngestError::Io { what: what.clone(), source: e }
    };
    let mut raw: Box<dyn Read + Send> = match &input {
        Input::File(p) => Box::new(std::fs::File::open(p).map_err(&io_err)?),
        Input::Stdin => Box::new(io::stdin()),
    };
    let head = tokio::task::block_in_place(|| read_head(&mut raw)).map_err(&io_err)?;
    let source = source_id(source_name.as_deref(), &head);
    let layout = detect(&head, format);
    let checkpoint = store.checkpoint(&source).await?;
    tracing::debug!(source = %source, layout = layout.describe(), resume = ?checkpoint.as_ref().map(|c| &c.position), "replay starting");

    let (tx, rx) = tokio::sync::mpsc::channel::<PendingBatch>(2);
    let detecting = observer.is_some();
    let reader = {
        let settings = settings.clone();
        let progress = progress.clone();
        let source = source.clone();
        let resume = checkpoint.as_ref().map(|c| c.position.clone());
        progress.bytes_read.fetch_add(head.len() as u64, std::sync::atomic::Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let rest = CountingReader { inner: raw, progress: &progress };
            let input = BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest));
            let reader = Reader::new(&settings, source, &progress).with_observations(detecting);
            reader.run(input, layout, resume.as_deref(), &mut |b| {
                tx.blocking_send(b).map_err(|_| IngestError::Aborted)
            })
        })
    };

    // The detector runs as a stage of its own (a second core) between reader and committer;
    // its output joins the batch it came from, so it commits in the same transaction.
    let (mut rx, detector_stage) = match observer {
        None => (rx, None),
        Some(mut det) => {
            let (tx2, rx2) = tokio::sync::mpsc::channel::<PendingBatch>(1);
            let mut rx = rx;
            let stage = tokio::task::spawn_blocking(move || {
                while let Some(mut b) = rx.blocking_recv() {
                    b.detect(det.as_mut());
                    if tx2.blocking_send(b).is_err() {
                        break;
                    }
                }
            });
            (rx2, Some(stage))
        }
    };
    let mut prev = checkpoint.map(|c| c.position);
    let mut commit_error = None;
    while let Some(b) = rx.recv().await {
        let events = b.events;
        let position = b.position.clone();
        let figures = crate::metrics::BatchFigures::of(&source, &b);
        let write = BatchWrite {
            source: source.clone(),
            prev_position: prev.clone(),
            position: b.position,
            events: b.events,
            rows: b.rows,
            routes: b.routes,
            countries: b.countries,
            dead_letters: b.dead_letters,
            alerts: b.alerts,
            profiles: b.profiles,
            forget: b.forget,
        };
        match store.commit_batch(write).await {
            Ok(CommitOutcome::Committed) => {
                figures.committed();
                prev = Some(position);
                progress.committed_events.fetch_add(events, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(CommitOutcome::Stale) => {
                commit_error = Some(IngestError::Stale(source.clone()));
                break;
            }
            Err(e) => {
                commit_error = Some(e.into());
                break;
            }
        }
    }
    drop(rx);
    if let Some(stage) = detector_stage {
        let _ = stage.await;
    }
    let read = reader.await.map_err(|e| IngestError::Io { what, source: io::Error::other(e) });
    if let Some(e) = commit_error {
        return Err(e);
    }
    Ok(ReplaySummary { source, read: read?? })
}
