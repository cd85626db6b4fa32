//! `fwseen analyze --home-net` end to end: an explicit net replaces the inferred home network,
//! private ranges included, unless `private` is added (on the command line or in the config
//! file); the note on stderr says what was replaced; a net that matches no event is named in a
//! warning; exit codes do not change.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{fwseen, json_lines};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small netfilter log: the LAN host 10.1.1.48 calling the ingreslock backdoor port 1524 of
/// 85.55.114.126 six times, 30 s apart, each from a new source port (forwarded, so only the
/// addresses say which side is ours); then three internet hosts probing telnet on 203.0.113.5,
/// the public address.
fn write_lan_log(dir: &Path) -> PathBuf {
    let mut lines = Vec::new();
    for i in 0..6u32 {
        let second = 47 + i * 30;
        lines.push(format!(
            "2024-03-02T22:{:02}:{:02}+00:00 gw kernel: [489567.097101] FORWARD DROP: IN=eth2 \
             OUT=eth0 MAC=00:16:3e:5a:10:03:52:54:00:01:01:30:08:00 SRC=10.1.1.48 \
             DST=85.55.114.126 LEN=52 TOS=0x00 PREC=0x00 TTL=127 ID={} DF PROTO=TCP SPT={} \
             DPT=1524 WINDOW=64240 RES=0x00 SYN URGP=0",
            12 + second / 60,
            second % 60,
            6642 + i * 911,
            62816 - i * 1013,
        ));
    }
    for i in 0..3u32 {
        lines.push(format!(
            "2024-03-02T22:20:0{i}+00:00 gw kernel: [489999.000000] INPUT DROP: IN=eth0 OUT= \
             MAC=00:16:3e:5a:10:01:00:1b:21:3c:4d:5e:08:00 SRC=45.9.9.{} DST=203.0.113.5 LEN=40 \
             TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=44321 DPT=23 WINDOW=1024 \
             RES=0x00 SYN URGP=0",
            9 + i
        ));
    }
    let path = dir.join("lan.log");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// True when the JSON report holds the LAN host's `compromise.trojan-outbound` finding.
fn lan_host_compromised(output: &Output) -> bool {
    json_lines(&output.stdout).iter().any(|line| {
        line["type"] == "finding"
            && line["kind"] == "compromise.trojan-outbound"
            && line["src"] == "10.1.1.48"
    })
}

#[test]
fn an_explicit_home_net_drops_the_private_ranges_unless_private_is_added() {
    let dir = common::temp_dir("home-net", "private");
    let log = write_lan_log(&dir);
    let log = log.to_str().unwrap();

    // Inferred: the private LAN host is ours, and compromised.
    let inferred = fwseen(&["analyze", "--json", log]);
    assert_eq!(inferred.status.code(), Some(0), "{}", stderr(&inferred));
    assert!(lan_host_compromised(&inferred));
    assert!(
        !stderr(&inferred).contains("home network"),
        "{}",
        stderr(&inferred)
    );

    // The public /24 alone: 10.1.1.48 is no longer inside, and the finding is gone.
    let public = fwseen(&["analyze", "--json", "--home-net", "203.0.113.0/24", log]);
    assert_eq!(public.status.code(), Some(0), "{}", stderr(&public));
    assert!(!lan_host_compromised(&public));
    // The public net did match events: no warning for it.
    assert!(!stderr(&public).contains("warning"), "{}", stderr(&public));

    // With `private` too, the LAN is ours again.
    let both = fwseen(&[
        "analyze",
        "--json",
        "--home-net",
        "203.0.113.0/24",
        "--home-net",
        "private",
        log,
    ]);
    assert_eq!(both.status.code(), Some(0), "{}", stderr(&both));
    assert!(lan_host_compromised(&both));
    assert!(!stderr(&both).contains("warning"), "{}", stderr(&both));

    // The same from the config file's home_net list.
    let config = dir.join("site.toml");
    std::fs::write(&config, "home_net = [\"203.0.113.0/24\", \"private\"]\n").unwrap();
    let from_file = fwseen(&[
        "analyze",
        "--json",
        "--config",
        config.to_str().unwrap(),
        log,
    ]);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert!(lan_host_compromised(&from_file));
    let note = stderr(&from_file);
    assert!(note.contains("from --config"), "{note}");
    assert!(note.contains("site.toml"), "{note}");

    // Exit codes are unchanged: the compromise is critical whenever it is found.
    let fail = |args: &[&str]| {
        let mut all = vec!["analyze", "--fail-on", "critical"];
        all.extend_from_slice(args);
        all.push(log);
        fwseen(&all).status.code()
    };
    assert_eq!(fail(&[]), Some(1));
    assert_eq!(fail(&["--home-net", "203.0.113.0/24"]), Some(0));
    assert_eq!(
        fail(&["--home-net", "203.0.113.0/24", "--home-net", "private"]),
        Some(1)
    );
}

#[test]
fn a_home_net_matching_no_event_is_named_in_a_warning() {
    let dir = common::temp_dir("home-net", "unmatched");
    let log = write_lan_log(&dir);
    let log = log.to_str().unwrap();
    let output = fwseen(&[
        "analyze",
        "--home-net",
        "203.0.113.0/24",
        "--home-net",
        "198.51.100.0/24",
        "--home-net",
        "private",
        log,
    ]);
    // A warning, not an error.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("fwseen: warning: --home-net 198.51.100.0/24 matched no event in the input"),
        "{text}"
    );
    // The nets that held events, and `private` (10.0.0.0/8 held the LAN host), are not named.
    assert_eq!(text.matches("warning").count(), 1, "{text}");

    // Only private ranges nobody used: `private` as a whole is named.
    let public_only = dir.join("public.log");
    let lines: String = std::fs::read_to_string(dir.join("lan.log"))
        .unwrap()
        .lines()
        .filter(|line| line.contains("DST=203.0.113.5"))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&public_only, lines).unwrap();
    let output = fwseen(&[
        "analyze",
        "--home-net",
        "private",
        public_only.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("fwseen: warning: --home-net private matched no event"),
        "{}",
        stderr(&output)
    );

    // From the config file, the warning names the file.
    let config = dir.join("site.toml");
    std::fs::write(&config, "home_net = [\"192.0.2.0/24\"]\n").unwrap();
    let output = fwseen(&["analyze", "--config", config.to_str().unwrap(), log]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("fwseen: warning: home_net 192.0.2.0/24 (--config "),
        "{text}"
    );
    assert!(
        text.contains("site.toml) matched no event in the input"),
        "{text}"
    );
}

#[test]
fn the_note_names_what_the_home_nets_replaced() {
    let dir = common::temp_dir("home-net", "note");
    let log = write_lan_log(&dir);
    let log = log.to_str().unwrap();

    let output = fwseen(&["analyze", "--home-net", "203.0.113.0/24", log]);
    let text = stderr(&output);
    let notes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("home network"))
        .collect();
    assert_eq!(
        notes,
        [
            "fwseen: home network 203.0.113.0/24 (from --home-net) replaces the inferred home \
             network; private ranges (RFC 1918, CGNAT, link-local, ULA) are no longer assumed \
             ours — add --home-net private to keep them"
        ],
        "{text}"
    );

    // With `private`, nothing was dropped: the second half goes.
    let output = fwseen(&[
        "analyze",
        "--home-net",
        "203.0.113.0/24",
        "--home-net",
        "private",
        log,
    ]);
    let text = stderr(&output);
    assert!(
        text.contains(
            "fwseen: home networks 203.0.113.0/24 and the private ranges (from --home-net) \
             replace the inferred home network\n"
        ),
        "{text}"
    );
    assert!(!text.contains("no longer assumed"), "{text}");

    // The note goes to stderr only: the JSON stays parseable.
    let output = fwseen(&["analyze", "--json", "--home-net", "203.0.113.0/24", log]);
    assert!(!json_lines(&output.stdout).is_empty());
    assert!(stderr(&output).contains("no longer assumed ours"));
}
