//! Integration tests of `fwseen parse`, run against the built binary.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod common;
use common::{json_lines, repo};

fn fwseen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fwseen"));
    command.env("TZ", "UTC").env_remove("NO_COLOR");
    command
}

fn data(path: &str) -> PathBuf {
    repo().join("tests/data").join(path)
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    common::temp_dir("parse", name)
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    fwseen().arg("parse").args(args).output().unwrap()
}

fn of_type<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines.iter().filter(|v| v["type"] == kind).collect()
}

fn line_count(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

/// A few netfilter lines, each with a distinct destination port.
fn netfilter_lines(ports: std::ops::Range<u16>) -> String {
    ports
        .map(|port| {
            format!(
                "Jan 15 10:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.7 DST=192.0.2.1 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT={port} WINDOW=1024 RES=0x00 SYN URGP=0\n"
            )
        })
        .collect()
}

#[test]
fn json_accounts_for_every_fixture() {
    let output = run(&[data("").as_os_str(), "--json".as_ref()]);
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output.stdout);
    let files = of_type(&lines, "file");
    assert!(files.len() >= 20, "{} file lines", files.len());
    let mut events_per_path: HashMap<String, u64> = HashMap::new();
    let mut malformed_per_path: HashMap<String, u64> = HashMap::new();
    for value in &lines {
        match value["type"].as_str().unwrap() {
            "event" => {
                *events_per_path
                    .entry(value["log.file.path"].as_str().unwrap().to_string())
                    .or_default() += 1;
                assert!(value["log.file.line"].as_u64().unwrap() >= 1);
                assert!(value["event.action"].is_string());
            }
            "malformed" => {
                *malformed_per_path
                    .entry(value["path"].as_str().unwrap().to_string())
                    .or_default() += 1;
                assert!(value["reason"].is_string());
            }
            _ => {}
        }
    }
    let mut total_records = 0;
    for file in &files {
        let path = file["path"].as_str().unwrap();
        let records = file["records"].as_u64().unwrap();
        let events = file["events"].as_u64().unwrap();
        let skipped = file["skipped"].as_u64().unwrap();
        let malformed = file["malformed"].as_u64().unwrap();
        assert_eq!(records, events + skipped + malformed, "{path}");
        let by_reason: u64 = file["skipped_by_reason"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_reason, skipped, "{path}");
        assert_eq!(
            events_per_path.get(path).copied().unwrap_or(0),
            events,
            "{path}"
        );
        assert_eq!(
            malformed_per_path.get(path).copied().unwrap_or(0),
            malformed,
            "{path}"
        );
        if file["format"] != "pcap" {
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(records, line_count(&bytes), "{path}");
        }
        total_records += records;
    }
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["records"].as_u64().unwrap(), total_records);
    assert_eq!(summary["inputs_failed"], 0);
    // SOURCES.md is found by the walk but is not a log.
    assert!(of_type(&lines, "passed_over")
        .iter()
        .any(|v| v["path"].as_str().unwrap().ends_with("SOURCES.md")));
}

#[test]
fn capture_packets_are_events() {
    let output = run(&[
        "--json".as_ref(),
        data("pcap/zeek-nmap-vsn.pcap").as_os_str(),
    ]);
    assert!(output.status.success());
    let lines = json_lines(&output.stdout);
    let file = of_type(&lines, "file")[0];
    assert_eq!(file["format"], "pcap");
    assert_eq!(file["records"], 547);
    assert_eq!(file["events"], 44);
    assert_eq!(file["skipped_by_reason"]["not_packet"], 503);
    let first = of_type(&lines, "event")[0];
    assert_eq!(first["source.ip"], "192.168.1.71");
    assert_eq!(first["tcp.flags"], serde_json::json!(["SYN"]));
    assert_eq!(first["@timestamp"], "2011-09-27T18:07:20.497541Z");
}

fn compress_with(tool: &str, args: &[&str], input: &Path, output: &Path) -> bool {
    let Ok(status) = Command::new(tool)
        .args(args)
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(std::fs::File::create(output).unwrap())
        .status()
    else {
        eprintln!("{tool} is not installed; skipping it");
        return false;
    };
    assert!(status.success(), "{tool} failed");
    true
}

/// The events of a run, without their path (which differs between copies of one log).
fn events_without_path(stdout: &[u8]) -> Vec<Value> {
    json_lines(stdout)
        .into_iter()
        .filter(|v| v["type"] == "event")
        .map(|mut v| {
            v.as_object_mut().unwrap().remove("log.file.path");
            v
        })
        .collect()
}

#[test]
fn compressed_inputs_read_like_the_plain_file() {
    let dir = scratch("compressed");
    let plain = data("windows/betahydri-pfirewall-excerpt.log");
    let expected = events_without_path(&run(&["--json".as_ref(), plain.as_os_str()]).stdout);
    assert!(expected.len() > 100);
    let mut compressed = 0;
    for (tool, args) in [
        ("gzip", &["-c"][..]),
        ("bzip2", &["-c"][..]),
        ("xz", &["-c"][..]),
        ("zstd", &["-q", "-c"][..]),
    ] {
        // A misleading name: the content decides.
        let target = dir.join(format!("pfirewall-{tool}.log"));
        if !compress_with(tool, args, &plain, &target) {
            assert_ne!(tool, "gzip", "gzip is always available");
            continue;
        }
        let output = run(&["--json".as_ref(), target.as_os_str()]);
        assert!(output.status.success(), "{tool}: {output:?}");
        assert_eq!(events_without_path(&output.stdout), expected, "{tool}");
        compressed += 1;
    }
    assert!(compressed >= 1);
}

#[test]
fn rotated_sets_are_read_oldest_first() {
    let dir = scratch("rotated");
    std::fs::write(dir.join("kern.log"), netfilter_lines(30..32)).unwrap();
    std::fs::write(dir.join("kern.log.1"), netfilter_lines(20..22)).unwrap();
    let oldest = dir.join("kern.log.2");
    std::fs::write(&oldest, netfilter_lines(10..12)).unwrap();
    assert!(compress_with(
        "gzip",
        &[],
        &oldest,
        &dir.join("kern.log.2.gz")
    ));
    std::fs::remove_file(&oldest).unwrap();
    // The shell's order (by name) is not the time order.
    let output = run(&[
        "--json".as_ref(),
        dir.join("kern.log").as_os_str(),
        dir.join("kern.log.1").as_os_str(),
        dir.join("kern.log.2.gz").as_os_str(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output.stdout);
    let ports: Vec<u64> = of_type(&lines, "event")
        .iter()
        .map(|v| v["destination.port"].as_u64().unwrap())
        .collect();
    assert_eq!(ports, [10, 11, 20, 21, 30, 31]);
    let files: Vec<&str> = of_type(&lines, "file")
        .iter()
        .map(|v| v["path"].as_str().unwrap())
        .collect();
    assert!(files[0].ends_with("kern.log.2.gz") && files[2].ends_with("kern.log"));
    // A glob the shell did not expand, and a directory, give the same order.
    let pattern = dir.join("kern.log*");
    let output = run(&["--json".as_ref(), pattern.as_os_str()]);
    assert_eq!(events_without_path(&output.stdout).len(), 6);
    let output = run(&["--json".as_ref(), dir.as_os_str()]);
    let lines = json_lines(&output.stdout);
    let first = of_type(&lines, "event")[0];
    assert_eq!(first["destination.port"], 10);
}

#[test]
fn stdin_is_an_input() {
    let mut child = fwseen()
        .args(["parse", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(netfilter_lines(1..6).as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines = json_lines(&output.stdout);
    let file = of_type(&lines, "file")[0];
    assert_eq!(file["path"], "-");
    assert_eq!(file["format"], "netfilter");
    assert_eq!(file["events"], 5);
    assert_eq!(of_type(&lines, "event")[4]["log.file.path"], "-");
}

#[test]
fn truncated_gzip_is_an_error_naming_the_file() {
    let dir = scratch("truncated");
    let plain = dir.join("big.log");
    std::fs::write(&plain, netfilter_lines(1..3000)).unwrap();
    let gz = dir.join("big.log.gz");
    assert!(compress_with("gzip", &["-c"], &plain, &gz));
    let bytes = std::fs::read(&gz).unwrap();
    let cut = dir.join("cut.log.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let other = data("netfilter/csirtg-ufw.log");
    let output = run(&["--json".as_ref(), cut.as_os_str(), other.as_os_str()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cut.log.gz"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines = json_lines(&output.stdout);
    let files = of_type(&lines, "file");
    assert!(files[0]["error"].as_str().unwrap().contains("byte"));
    let records = files[0]["records"].as_u64().unwrap();
    assert!(records > 100 && records < 2999, "{records}");
    assert_eq!(
        records,
        files[0]["events"].as_u64().unwrap() + files[0]["malformed"].as_u64().unwrap()
    );
    // The other input is still read.
    assert_eq!(files[1]["events"], 11);
    assert_eq!(lines.last().unwrap()["inputs_failed"], 1);
}

#[test]
fn ten_megabyte_line_nul_bytes_and_crlf() {
    let dir = scratch("odd-lines");
    let path = dir.join("odd.log");
    let mut bytes = netfilter_lines(1..2).into_bytes();
    bytes.extend(std::iter::repeat_n(b'A', 10 * 1024 * 1024));
    bytes.push(b'\n');
    // CRLF line ends.
    bytes.extend(netfilter_lines(2..4).replace('\n', "\r\n").into_bytes());
    // NUL bytes and invalid UTF-8 in a line.
    bytes.extend(b"Jan 15 10:00:00 gw kernel: \0\0\xff\xfe garbage\n");
    bytes.extend(netfilter_lines(4..5).into_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let output = run(&[
        "--json".as_ref(),
        "--format=netfilter".as_ref(),
        path.as_os_str(),
    ]);
    assert!(
        output.status.success(),
        "{:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = json_lines(&output.stdout);
    let file = of_type(&lines, "file")[0];
    assert_eq!(file["records"], 6);
    assert_eq!(file["events"], 4);
    let long = of_type(&lines, "malformed")
        .into_iter()
        .find(|v| v["line"] == 2)
        .expect("the long line is malformed");
    assert_eq!(long["reason"], "line too long");
    let ports: Vec<u64> = of_type(&lines, "event")
        .iter()
        .map(|v| v["destination.port"].as_u64().unwrap())
        .collect();
    assert_eq!(ports, [1, 2, 3, 4]);
    let numbers: Vec<u64> = of_type(&lines, "event")
        .iter()
        .map(|v| v["log.file.line"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 3, 4, 6]);
}

#[test]
fn unreadable_input_exits_2_naming_it_and_reads_the_rest() {
    let missing = repo().join("tests/data/no-such-file.log");
    let other = data("netfilter/csirtg-ufw.log");
    let output = run(&[missing.as_os_str(), other.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-file.log"), "{stderr}");
    assert!(
        stderr.contains("csirtg-ufw.log: netfilter, 11 records"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("TIME "), "{stdout}");
    assert_eq!(stdout.lines().count(), 1 + 11);

    let output = run(&["--json".as_ref(), missing.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    let lines = json_lines(&output.stdout);
    assert_eq!(of_type(&lines, "error").len(), 1);
    // A file named on the command line that is not a log is an error too.
    let output = run(&[data("SOURCES.md").as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn table_output_escapes_log_text() {
    let dir = scratch("escape");
    let path = dir.join("evil.log");
    let line = netfilter_lines(1..2).replace("[UFW BLOCK]", "\u{1b}[31mEVIL\u{202e}");
    std::fs::write(&path, line).unwrap();
    let output = run(&["--format=netfilter".as_ref(), path.as_os_str()]);
    assert!(output.status.success());
    assert!(
        !output.stdout.contains(&0x1b),
        "no raw ESC reaches the terminal"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains('\u{202e}'));
}

#[test]
fn broken_pipe_is_not_an_error() {
    let dir = scratch("pipe");
    let path = dir.join("many.log");
    let lines = netfilter_lines(1..2).repeat(50_000);
    std::fs::write(&path, lines).unwrap();
    for json in [false, true] {
        let mut command = fwseen();
        command.arg("parse");
        if json {
            command.arg("--json");
        }
        let mut child = command
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
    }
}

#[test]
fn compressed_capture_from_stdin() {
    let dir = scratch("capture-gz");
    let gz = dir.join("capture.gz");
    assert!(compress_with(
        "gzip",
        &["-c"],
        &data("pcap/zeek-vnc-scanner.pcap"),
        &gz
    ));
    let output = fwseen()
        .args(["parse", "--json", "-"])
        .stdin(std::fs::File::open(&gz).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let lines = json_lines(&output.stdout);
    let file = of_type(&lines, "file")[0];
    assert_eq!(file["format"], "pcap");
    assert_eq!(file["events"], 20);
    // Forcing pcap on a text log is an error naming the input.
    let output = run(&[
        "--json".as_ref(),
        "--format=pcap".as_ref(),
        data("netfilter/csirtg-ufw.log").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("csirtg-ufw.log"));
}

#[test]
fn year_and_zone_options_reach_the_parser() {
    let dir = scratch("time");
    let path = dir.join("kern.log");
    std::fs::write(&path, netfilter_lines(1..2)).unwrap();
    let timestamp = |extra: &[&str]| -> String {
        let mut args: Vec<&std::ffi::OsStr> = vec!["--json".as_ref()];
        args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
        args.push(path.as_os_str());
        let output = run(&args);
        assert!(output.status.success(), "{output:?}");
        let lines = json_lines(&output.stdout);
        of_type(&lines, "event")[0]["@timestamp"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        timestamp(&["--year=2020", "--tz=UTC"]),
        "2020-01-15T10:00:00.000000Z"
    );
    assert_eq!(
        timestamp(&["--year=2021", "--tz=+02:00"]),
        "2021-01-15T08:00:00.000000Z"
    );
    let output = run(&["--tz=Nowhere/Nothing".as_ref(), path.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Nowhere/Nothing"));
}

#[test]
fn closed_stderr_and_stdout_together_is_not_a_panic() {
    // `fwseen parse ... 2>&1 | head`: warnings on stderr hit the closed pipe too.
    let dir = scratch("pipe-both");
    let path = dir.join("mixed.log");
    let mut lines = String::new();
    for _ in 0..2000 {
        lines.push_str(&netfilter_lines(1..2));
        lines.push_str("Jan 15 10:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=bad DST=192.0.2.1 PROTO=TCP SPT=1 DPT=2\n");
    }
    std::fs::write(&path, lines).unwrap();
    let output = Command::new("bash")
        .arg("-c")
        .arg(r#""$0" parse --max-warnings 100000 --format netfilter "$1" 2>&1 | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}""#)
        .arg(env!("CARGO_BIN_EXE_fwseen"))
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "0",
        "{output:?}"
    );
}
