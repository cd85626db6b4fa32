//! End-to-end tests of `fwseen explain`: golden-file snapshots of its text (English and
//! Traditional Chinese) and JSON output, exit codes for bad queries, and colour handling.
//!
//! Snapshots live in `tests/snapshots/` and are compared byte for byte. When the knowledge base
//! or the output format changes on purpose, regenerate them with
//!
//! ```text
//! FWSEEN_BLESS=1 cargo test --test explain_cli
//! ```
//!
//! and read the diff before committing it.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the fwseen binary with a clean, predictable environment (no colour, no locale).
fn fwseen(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fwseen"));
    command.args(args);
    for name in [
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "NO_COLOR",
        "TERM",
        "COLUMNS",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("running fwseen")
}

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots")
        .join(name)
}

/// Compares `actual` with the golden file `name`, or rewrites it when FWSEEN_BLESS=1.
fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    if std::env::var_os("FWSEEN_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; create it with FWSEEN_BLESS=1 cargo test --test explain_cli",
            path.display()
        )
    });
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "snapshot {name} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             (run FWSEEN_BLESS=1 cargo test --test explain_cli to accept the new output)\n\
             --- full actual output ---\n{actual}",
            first_difference + 1,
            expected.lines().nth(first_difference).unwrap_or("<end>"),
            actual.lines().nth(first_difference).unwrap_or("<end>"),
        );
    }
}

/// Runs `fwseen explain QUERY... EXTRA...` successfully and returns its stdout.
fn explain_ok(query: &[&str], extra: &[&str]) -> String {
    let mut args = vec!["explain"];
    args.extend_from_slice(query);
    args.extend_from_slice(extra);
    let output = fwseen(&args, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "fwseen {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "fwseen {args:?} wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("explain prints UTF-8")
}

/// Checks the three snapshots of one query: English text, Traditional Chinese text, JSON.
fn check_query(query: &[&str], stem: &str) {
    let en = explain_ok(query, &["--lang", "en", "--color", "never"]);
    assert!(!en.contains('\x1b'));
    assert_snapshot(&format!("explain-{stem}.en.txt"), &en);

    let zh = explain_ok(query, &["--lang", "zh-Hant", "--color", "never"]);
    assert!(
        zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
        "the zh-Hant output has Chinese text"
    );
    assert_snapshot(&format!("explain-{stem}.zh-Hant.txt"), &zh);

    let json = explain_ok(query, &["--json", "--lang", "en"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("--json prints JSON");
    assert!(value.is_object());
    assert_eq!(value["query"], query.join(" "));
    assert_eq!(value["lang"], "en");
    let kind = value["kind"].as_str().expect("kind is a string");
    assert!(value[kind].is_object(), "the {kind} part is present");
    assert_snapshot(&format!("explain-{stem}.json"), &json);
}

#[test]
fn explain_port_31337() {
    check_query(&["31337"], "31337");
}

#[test]
fn explain_port_and_protocol_31789_udp() {
    check_query(&["31789/udp"], "31789-udp");
}

#[test]
fn explain_range_6970_7170() {
    check_query(&["6970-7170"], "6970-7170");
}

#[test]
fn explain_icmp_3_13() {
    check_query(&["icmp", "3/13"], "icmp-3-13");
}

#[test]
fn explain_address_10_1_2_3() {
    check_query(&["10.1.2.3"], "10.1.2.3");
}

#[test]
fn explain_name_ssh() {
    check_query(&["ssh"], "ssh");
}

#[test]
fn icmp_query_forms_agree() {
    let two_words = explain_ok(&["icmp", "3/13"], &["--json"]);
    let one_word = explain_ok(&["icmp:3/13"], &["--json"]);
    let parse = |s: &str| -> serde_json::Value { serde_json::from_str(s).unwrap() };
    assert_eq!(parse(&two_words)["icmp"], parse(&one_word)["icmp"]);
}

#[test]
fn language_comes_from_the_environment() {
    let output = fwseen(
        &["explain", "31337", "--color", "never"],
        &[("LANG", "zh_TW.UTF-8")],
    );
    assert_eq!(output.status.code(), Some(0));
    let zh = explain_ok(&["31337"], &["--lang", "zh-Hant", "--color", "never"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), zh);

    let output = fwseen(
        &["explain", "31337", "--color", "never"],
        &[("LANG", "zh_TW.UTF-8"), ("LC_ALL", "C")],
    );
    let en = explain_ok(&["31337"], &["--lang", "en", "--color", "never"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), en);
}

#[test]
fn bad_queries_exit_with_2() {
    let bad: &[&[&str]] = &[
        &["70000"],
        &["65536/tcp"],
        &["icmp", "300"],
        &["icmp", "3/999"],
        &["icmp"],
        &["icmp", "99"],
        &["no-such-service-name-anywhere"],
        &["$%&garbage"],
        &["22/xyz"],
        &["7170-6970"],
        &["22", "80"],
        &["1.2.3.4.5"],
    ];
    for query in bad {
        let mut args = vec!["explain"];
        args.extend_from_slice(query);
        let output = fwseen(&args, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "fwseen {args:?} should exit 2"
        );
        assert!(
            output.stdout.is_empty(),
            "fwseen {args:?} printed to stdout"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("fwseen explain:"),
            "fwseen {args:?} gave no clear message: {stderr}"
        );
    }
    // Bad options are usage errors too.
    let output = fwseen(&["explain", "22", "--lang", "klingon"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let output = fwseen(&["explain"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn colour_follows_the_option() {
    let never = fwseen(&["explain", "31337", "--color", "never"], &[]);
    assert!(
        !never.stdout.contains(&0x1b),
        "--color never printed escapes"
    );
    let always = fwseen(&["explain", "31337", "--color", "always"], &[]);
    assert!(always.stdout.contains(&0x1b), "--color always printed none");
    // Not a terminal: auto means no colour, and NO_COLOR keeps it that way.
    let auto = fwseen(&["explain", "31337"], &[("NO_COLOR", "1")]);
    assert!(!auto.stdout.contains(&0x1b));
    let auto = fwseen(&["explain", "31337", "--color", "auto"], &[]);
    assert!(!auto.stdout.contains(&0x1b));
    // JSON never carries colour.
    let json = fwseen(&["explain", "31337", "--json", "--color", "always"], &[]);
    assert!(!json.stdout.contains(&0x1b));
}

#[test]
fn every_port_class_and_ordinary_address_is_explained() {
    for port in ["0", "1023", "1024", "49151", "49152", "65535"] {
        let text = explain_ok(&[port], &["--color", "never", "--lang", "en"]);
        assert!(text.starts_with(&format!("Port {port} ")), "{text}");
    }
    let json = explain_ok(&["8.8.8.8"], &["--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["address"]["special"], false);
    let text = explain_ok(&["8.8.8.8"], &["--lang", "en"]);
    assert!(text.contains("global unicast"));
}

/// East Asian wide characters (enough of them for this test's CJK text).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

#[test]
fn text_is_wrapped_to_100_columns_when_piped() {
    // 0-65535 renders every port entry of the knowledge base.
    for (query, lang) in [
        ("31337", "en"),
        ("31337", "zh-Hant"),
        ("0-65535", "en"),
        ("0-65535", "zh-Hant"),
    ] {
        let text = explain_ok(&[query], &["--lang", lang, "--color", "never"]);
        for line in text.lines() {
            let width: usize = line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum();
            assert!(width <= 100, "line wider than 100 columns: {line:?}");
        }
    }
}

/// Every knowledge-base port entry (listed by explaining the whole port range) is explained by a
/// query for its own port or range, and can be found by its id as a name.
#[test]
fn every_kb_entry_is_explained() {
    let all = explain_ok(&["0-65535"], &["--json"]);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let entries = all["range"]["entries"].as_array().unwrap();
    assert!(entries.len() > 100, "the kb has its entries");
    for entry in entries {
        let id = entry["id"].as_str().unwrap();
        let low = entry["low"].as_u64().unwrap();
        let high = entry["high"].as_u64().unwrap();
        let query = if low == high {
            low.to_string()
        } else {
            format!("{low}-{high}")
        };
        let json = explain_ok(&[&query], &["--json"]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let found = if low == high {
            &value["port"]["as_destination"]
        } else {
            &value["range"]["entries"]
        };
        assert!(
            found.as_array().unwrap().iter().any(|e| e["id"] == id),
            "explain {query} does not show {id}"
        );
        let by_name = explain_ok(&[id], &["--json"]);
        let by_name: serde_json::Value = serde_json::from_str(&by_name).unwrap();
        let ids = by_name["name"]["entries"].as_array().unwrap();
        assert!(ids.iter().any(|e| e == id), "explain {id} does not find it");
    }
}
