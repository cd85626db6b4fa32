//! The ports that internet scanners commonly probe today must each have an entry of their own.
//!
//! The lists live in `data/commonly-scanned-*.txt` (every file matching that pattern; one port
//! per line, `#` starts a comment), each with a header citing its public sources. An entry of a
//! port's own is one covering at most [`SPECIFIC_MAX_SPAN`] ports: a wide block such as the
//! traceroute range explains what the block is used for, not why one of its ports is probed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fwseen_kb::*;

/// The list files, sorted by name.
fn list_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("crates/kb/data is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("commonly-scanned-") && name.ends_with(".txt"))
        })
        .collect();
    files.sort();
    files
}

/// One list file: its leading comment block and its ports, with their line numbers.
struct List {
    name: String,
    header: String,
    ports: Vec<(usize, u16)>,
}

fn read_list(path: &Path) -> List {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut header = String::new();
    let mut in_header = true;
    let mut ports = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (value, comment) = match line.split_once('#') {
            Some((value, comment)) => (value.trim(), Some(comment)),
            None => (line.trim(), None),
        };
        if value.is_empty() {
            if in_header {
                if let Some(comment) = comment {
                    header.push_str(comment);
                    header.push('\n');
                }
            }
            continue;
        }
        in_header = false;
        let port: u16 = value
            .parse()
            .unwrap_or_else(|_| panic!("{name}:{}: {value:?} is not a port number", i + 1));
        ports.push((i + 1, port));
    }
    List {
        name,
        header,
        ports,
    }
}

#[test]
fn every_commonly_scanned_port_has_an_entry_of_its_own() {
    let files = list_files();
    assert!(!files.is_empty(), "no data/commonly-scanned-*.txt file");
    let mut all = BTreeSet::new();
    let mut missing = Vec::new();
    for path in &files {
        let list = read_list(path);
        assert!(
            list.header.to_lowercase().contains("source"),
            "{}: the header must cite the list's public sources",
            list.name
        );
        assert!(!list.ports.is_empty(), "{} lists no port", list.name);
        let mut in_file = BTreeSet::new();
        for &(line, port) in &list.ports {
            assert!(
                in_file.insert(port),
                "{}:{line}: port {port} is listed twice",
                list.name
            );
            all.insert(port);
            if specific_entry(port, None).is_none() {
                let wide: Vec<&str> = ports_at(port, None).map(|e| e.id).collect();
                missing.push(format!(
                    "{}:{line}: {port} (wide entries: {wide:?})",
                    list.name
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "commonly scanned ports without an entry of their own:\n{}",
        missing.join("\n")
    );
    // The combined list is meant to hold at least 300 ports; the files are written in parts
    // (below and from 5000 up), so the total is checked once at least two parts are present.
    if files.len() >= 2 {
        assert!(
            all.len() >= 300,
            "the commonly scanned lists hold only {} distinct ports",
            all.len()
        );
    }
}

/// The list of ports below 5000 is complete on its own: at least 150 ports, all below 5000.
#[test]
fn the_low_list_holds_150_ports_below_5000() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("commonly-scanned-low.txt");
    let list = read_list(&path);
    assert!(
        list.ports.len() >= 150,
        "{} lists only {} ports",
        list.name,
        list.ports.len()
    );
    for &(line, port) in &list.ports {
        assert!(
            port < 5000,
            "{}:{line}: {port} is not below 5000",
            list.name
        );
    }
}

/// Spot checks of the entries the issue names, so that a lookup mistake is caught by name.
#[test]
fn named_ports_below_5000() {
    let expect = |port: u16, proto: fwseen_event::Protocol, word: &str| {
        let entry = specific_entry(port, Some(proto))
            .unwrap_or_else(|| panic!("no entry of its own for {port}/{proto:?}"));
        let text = format!("{} {} {}", entry.name, entry.title.en, entry.meaning.en);
        assert!(text.contains(word), "{port}: {} lacks {word:?}", entry.id);
        entry
    };
    use fwseen_event::Protocol::{Tcp, Udp};
    for port in [3388, 3390, 3391, 3395, 3399] {
        expect(port, Tcp, "RDP");
    }
    assert_eq!(specific_entry(3389, Some(Tcp)).unwrap().id, "rdp");
    expect(4444, Tcp, "Metasploit");
    assert!(expect(4444, Tcp, "Blaster").has_tag("trojan"));
    assert!(expect(4145, Tcp, "SOCKS4").has_tag("proxy"));
    assert!(expect(3283, Udp, "Apple Remote Desktop").has_tag("reflector"));
    assert!(expect(17, Udp, "QOTD").has_tag("reflector"));
    assert!(expect(520, Udp, "RIP").has_tag("reflector"));
    for (port, word) in [
        (1911, "Niagara"),
        (4911, "Niagara"),
        (2404, "IEC"),
        (4840, "OPC UA"),
    ] {
        assert!(expect(port, Tcp, word).has_tag("ics"));
    }
    expect(2404, Tcp, "Industroyer");
    expect(427, Udp, "CVE-2023-29552");
    expect(1801, Tcp, "CVE-2023-21554");
    expect(4505, Tcp, "CVE-2020-11651");
    for port in [2077, 2078, 2080, 2086, 2087, 2095, 2096] {
        expect(port, Tcp, "cPanel");
    }
    expect(2000, Tcp, "MikroTik");
    expect(4200, Tcp, "Angular");
    expect(1311, Tcp, "OpenManage");
    expect(789, Tcp, "Red Lion");
    expect(1962, Tcp, "PC WORX");
    expect(4899, Tcp, "Radmin");
    expect(4369, Tcp, "Erlang");
    // A port with no known service says so plainly.
    for port in [999, 1111, 1212, 3380, 3386] {
        let entry = specific_entry(port, Some(Tcp)).unwrap();
        assert!(entry.name.starts_with("No common service"), "{port}");
        assert_eq!(entry.verdict, Verdict::Recon);
    }
    // Where the 2000-era meaning differs, both are given.
    for port in [17, 1027, 4000, 4444] {
        assert!(ports_at(port, None).next().unwrap().era.is_some(), "{port}");
    }
}

#[test]
fn specific_means_at_most_64_ports() {
    // The traceroute block (33434-33600) is wide: it explains the block, not port 33500.
    assert!(specific_entry(33500, None).is_none());
    assert!(ports_at(33500, None).next().is_some());
    assert!(specific_entry(22, None).is_some());
    assert_eq!(SPECIFIC_MAX_SPAN, 64);
    let rdp_moved = port_entry("rdp-moved").unwrap();
    assert_eq!(
        (rdp_moved.low, rdp_moved.high, rdp_moved.span()),
        (3388, 3399, 12)
    );
}
