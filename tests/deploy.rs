//! The deployment artefacts checked by their own tools: the CloudFormation template by
//! cfn-lint, the Dockerfile by hadolint, the systemd unit by `systemd-analyze verify` with the
//! binary built here. (The template's moto deployment is in `tests/live.rs`.) `scripts/test`
//! installs the three tools.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tool args`, failing with its output unless it exits 0.
fn passes(tool: &str, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{tool} is required (scripts/test installs it): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?} found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cloudformation_template_passes_cfn_lint() {
    passes("cfn-lint", &["deploy/cloudformation.yaml"]);
}

#[test]
fn dockerfile_passes_hadolint() {
    // Info-level findings fail too: hadolint exits non-zero on any finding by default.
    passes("hadolint", &["Dockerfile"]);
}

#[test]
fn systemd_unit_passes_systemd_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(root().join("dist/gatewatch.service")).unwrap();
    assert!(unit.contains("/usr/local/bin/gatewatch"));
    // The unit as installed, pointing at the binary built for these tests.
    let unit = unit.replace("/usr/local/bin/gatewatch", env!("CARGO_BIN_EXE_gatewatch"));
    let path = dir.path().join("gatewatch.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .expect("systemd-analyze (Debian package systemd; scripts/test installs it)");
    let err = String::from_utf8_lossy(&out.stderr);
    // verify also reports on units the host lacks (no systemd running here): only lines about
    // this unit count.
    let ours: Vec<&str> = err.lines().filter(|l| l.contains("gatewatch")).collect();
    assert!(out.status.success() && ours.is_empty(), "systemd-analyze verify:\n{err}");
}
