//! Helpers shared by the command-line test binaries (`analyze_cli`, `parse_cli`,
//! `html_browser`, `home_net_cli`, `patterns_cli`, `bounds_cli`): where the repository is,
//! running the binary, a fresh scratch directory per test, and reading JSON Lines output. Each
//! binary uses only some of them.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root (the root package's manifest directory).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the fwseen binary from the repository root with `args`, in English and without colour.
pub fn fwseen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fwseen"))
        .args(args)
        .current_dir(repo())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .output()
        .expect("fwseen runs")
}

/// A fresh, empty temporary directory for one test: `fwseen-{binary}-{pid}-{name}` in the
/// system's temporary directory, emptied first if an earlier run left it behind.
pub fn temp_dir(binary: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fwseen-{binary}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Parses JSON Lines output, failing on output that is not UTF-8 and on any line that is not a
/// JSON object with a `type`.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(stdout).expect("JSON output is UTF-8");
    text.lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert!(value["type"].is_string(), "{line}");
            value
        })
        .collect()
}
