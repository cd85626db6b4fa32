//! Integrity tests of the compiled knowledge base: order, unique ids, no conflicting overlaps,
//! both languages everywhere, every IANA row loaded, only known tags, resolvable related ports.
//!
//! These check the *compiled* tables against independent readings of the sources (the IANA CSV
//! and the tag table of SCHEMA.md), so a bug in build.rs shows up here as well as bad data.

use std::collections::BTreeSet;
use std::net::IpAddr;

use fwseen_kb::*;

/// Pairs of port entries whose ranges partially overlap on purpose, with the reason.
/// A partial overlap (neither range contains the other) usually means a typo in a range, so
/// every one must be listed here.
const ALLOWED_PARTIAL_OVERLAPS: &[(&str, &str, &str)] = &[];

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'     // CJK Unified Ideographs Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}' // Extensions B and later
    )
}

/// Every text of the knowledge base, labelled for error messages.
fn all_texts() -> Vec<(String, Text)> {
    let mut texts = Vec::new();
    for e in all_ports() {
        let mut add = |field: &str, t: Text| texts.push((format!("port {} {field}", e.id), t));
        add("title", e.title);
        add("meaning", e.meaning);
        add("benign_or_hostile", e.benign_or_hostile);
        add("advice", e.advice);
        if let Some(t) = e.era {
            add("era", t);
        }
        if let Some(t) = e.outbound {
            add("outbound", t);
        }
    }
    for e in all_source_ports() {
        texts.push((format!("source port {} meaning", e.id), e.meaning));
        texts.push((format!("source port {} advice", e.id), e.advice));
    }
    for e in all_icmp() {
        let label = format!("icmp v{} {}/{:?}", e.version, e.icmp_type, e.code);
        texts.push((format!("{label} meaning"), e.meaning));
        if let Some(t) = e.advice {
            texts.push((format!("{label} advice"), t));
        }
    }
    for e in all_addresses() {
        texts.push((format!("address {} as_source", e.id), e.as_source));
        texts.push((format!("address {} as_destination", e.id), e.as_destination));
    }
    for e in all_ephemeral() {
        texts.push((format!("ephemeral {} note", e.id), e.note));
    }
    for class in [
        PortClass::WellKnown,
        PortClass::Registered,
        PortClass::Dynamic,
    ] {
        texts.push((format!("class {}", class.as_str()), class.describe()));
    }
    texts
}

#[test]
fn tables_are_sorted() {
    let ports = all_ports();
    assert!(
        ports
            .windows(2)
            .all(|w| (w[0].low, w[0].high, w[0].id) < (w[1].low, w[1].high, w[1].id)),
        "port entries are not sorted by (low, high, id)"
    );
    let sources = all_source_ports();
    assert!(
        sources
            .windows(2)
            .all(|w| (w[0].low, w[0].high, w[0].id) < (w[1].low, w[1].high, w[1].id)),
        "source-port entries are not sorted by (low, high, id)"
    );
    let icmp = all_icmp();
    assert!(
        icmp.windows(2)
            .all(|w| (w[0].version, w[0].icmp_type, w[0].code)
                < (w[1].version, w[1].icmp_type, w[1].code)),
        "ICMP entries are not sorted by (version, type, code)"
    );
    let key = |a: &AddressEntry| {
        let value = match a.network {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        };
        (a.network.is_ipv6(), value, a.prefix_len, a.id)
    };
    let addresses = all_addresses();
    assert!(
        addresses.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "address entries are not sorted by (family, network, prefix length)"
    );
    let eph = all_ephemeral();
    assert!(
        eph.windows(2)
            .all(|w| (w[0].low, w[0].high, w[0].id) < (w[1].low, w[1].high, w[1].id)),
        "ephemeral ranges are not sorted"
    );
    let rank = |p: &str| ["tcp", "udp", "sctp", "dccp"].iter().position(|x| *x == p);
    let iana = all_iana();
    assert!(
        iana.windows(2)
            .all(|w| (w[0].port, rank(w[0].protocol)) <= (w[1].port, rank(w[1].protocol))),
        "IANA records are not sorted by (port, protocol)"
    );
    assert!(iana.iter().all(|r| rank(r.protocol).is_some()));
}

#[test]
fn ids_are_unique() {
    fn check<'a>(kind: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            assert!(seen.insert(id), "{kind} id {id:?} appears twice");
        }
    }
    check("port", all_ports().iter().map(|e| e.id));
    check("source port", all_source_ports().iter().map(|e| e.id));
    check("address", all_addresses().iter().map(|e| e.id));
    check("ephemeral", all_ephemeral().iter().map(|e| e.id));
    let mut icmp = BTreeSet::new();
    for e in all_icmp() {
        assert!(
            icmp.insert((e.version, e.icmp_type, e.code)),
            "ICMP v{} {}/{:?} appears twice",
            e.version,
            e.icmp_type,
            e.code
        );
    }
    for e in all_ports() {
        assert_eq!(port_entry(e.id).map(|found| found.id), Some(e.id));
    }
    assert!(port_entry("no-such-entry").is_none());
}

#[test]
fn ranges_are_valid() {
    for e in all_ports() {
        assert!(e.low <= e.high, "port {}: {}-{}", e.id, e.low, e.high);
        assert!(e.protocols.0 != 0, "port {} has no protocol", e.id);
        assert!(!e.name.trim().is_empty(), "port {} has no name", e.id);
    }
    for e in all_source_ports() {
        assert!(
            e.low <= e.high,
            "source port {}: {}-{}",
            e.id,
            e.low,
            e.high
        );
        assert!(e.protocols.0 != 0, "source port {} has no protocol", e.id);
    }
    for e in all_ephemeral() {
        assert!(e.low <= e.high, "ephemeral {}: {}-{}", e.id, e.low, e.high);
    }
    for e in all_icmp() {
        assert!(e.version == 4 || e.version == 6);
    }
    for e in all_addresses() {
        let (addr, len) = e.cidr.split_once('/').expect("cidr has a /");
        assert_eq!(addr.parse::<IpAddr>().unwrap(), e.network, "{}", e.id);
        assert_eq!(len.parse::<u8>().unwrap(), e.prefix_len, "{}", e.id);
        assert!(e.contains(e.network), "{} contains its own network", e.id);
    }
}

/// Partially overlapping ranges of the same protocol are a conflict unless allowed above.
#[test]
fn no_conflicting_overlaps() {
    fn partial(a: (u16, u16), b: (u16, u16)) -> bool {
        let overlap = a.0 <= b.1 && b.0 <= a.1;
        let a_in_b = b.0 <= a.0 && a.1 <= b.1;
        let b_in_a = a.0 <= b.0 && b.1 <= a.1;
        overlap && !a_in_b && !b_in_a
    }
    let allowed = |a: &str, b: &str| {
        ALLOWED_PARTIAL_OVERLAPS
            .iter()
            .any(|(x, y, _)| (*x == a && *y == b) || (*x == b && *y == a))
    };
    let mut conflicts = Vec::new();
    let ports = all_ports();
    for (i, a) in ports.iter().enumerate() {
        for b in &ports[i + 1..] {
            if a.protocols.0 & b.protocols.0 != 0
                && partial((a.low, a.high), (b.low, b.high))
                && !allowed(a.id, b.id)
            {
                conflicts.push(format!(
                    "port {} {}-{} / {} {}-{}",
                    a.id, a.low, a.high, b.id, b.low, b.high
                ));
            }
        }
    }
    let sources = all_source_ports();
    for (i, a) in sources.iter().enumerate() {
        for b in &sources[i + 1..] {
            if a.protocols.0 & b.protocols.0 != 0
                && partial((a.low, a.high), (b.low, b.high))
                && !allowed(a.id, b.id)
            {
                conflicts.push(format!(
                    "source port {} {}-{} / {} {}-{}",
                    a.id, a.low, a.high, b.id, b.low, b.high
                ));
            }
        }
    }
    assert!(conflicts.is_empty(), "partial overlaps: {conflicts:#?}");
    // Every whitelisted pair must still exist and still overlap partially, so the list stays honest.
    for (a, b, reason) in ALLOWED_PARTIAL_OVERLAPS {
        assert!(!reason.is_empty());
        let find = |id: &str| {
            all_ports()
                .iter()
                .map(|e| (e.id, e.low, e.high))
                .chain(all_source_ports().iter().map(|e| (e.id, e.low, e.high)))
                .find(|e| e.0 == id)
                .unwrap_or_else(|| panic!("whitelisted id {id} is gone"))
        };
        let (ea, eb) = (find(a), find(b));
        assert!(
            partial((ea.1, ea.2), (eb.1, eb.2)),
            "{a}/{b} no longer overlap partially"
        );
    }
}

#[test]
fn every_text_in_both_languages() {
    let mut problems = Vec::new();
    for (label, text) in all_texts() {
        if text.en.trim().is_empty() {
            problems.push(format!("{label}: empty English"));
        }
        if text.zh.trim().is_empty() {
            problems.push(format!("{label}: empty Chinese"));
        } else if !text.zh.chars().any(is_cjk) {
            problems.push(format!("{label}: the zh text has no Chinese characters"));
        }
        if text.en == text.zh {
            problems.push(format!("{label}: en and zh are identical"));
        }
        if text.get(Lang::En) != text.en || text.get(Lang::ZhHant) != text.zh {
            problems.push(format!("{label}: Text::get picks the wrong language"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// ICMP entries, address blocks and ephemeral ranges are named in both languages: the Chinese
/// name is present, written in Chinese, differs from the English one, and the `name(lang)` /
/// `os(lang)` accessors pick the right one.
#[test]
fn every_name_in_both_languages() {
    let mut problems = Vec::new();
    let mut check = |label: String, en: &str, zh: &str, by_lang: [&str; 2]| {
        if en.trim().is_empty() {
            problems.push(format!("{label}: empty English name"));
        }
        if !zh.chars().any(is_cjk) {
            problems.push(format!(
                "{label}: the Chinese name {zh:?} has no Chinese characters"
            ));
        }
        if zh.trim() != zh || zh.contains("  ") {
            problems.push(format!("{label}: stray spaces in the Chinese name {zh:?}"));
        }
        if en == zh {
            problems.push(format!("{label}: English and Chinese names are identical"));
        }
        if by_lang != [en, zh] {
            problems.push(format!("{label}: the accessor picks the wrong language"));
        }
    };
    for e in all_icmp() {
        check(
            format!("icmp v{} {}/{:?}", e.version, e.icmp_type, e.code),
            e.name,
            e.name_zh,
            [e.name(Lang::En), e.name(Lang::ZhHant)],
        );
    }
    for e in all_addresses() {
        check(
            format!("address {}", e.id),
            e.name,
            e.name_zh,
            [e.name(Lang::En), e.name(Lang::ZhHant)],
        );
    }
    for e in all_ephemeral() {
        check(
            format!("ephemeral {}", e.id),
            e.os,
            e.os_zh,
            [e.os(Lang::En), e.os(Lang::ZhHant)],
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(all_icmp().len() >= 100 && all_addresses().len() >= 50);
    assert!(all_ephemeral().len() >= 10);
    // A code entry's Chinese name starts with its type's Chinese name, as the English ones do.
    for e in all_icmp() {
        let Some(code) = e.code else { continue };
        let Some(parent) = icmp(e.version, e.icmp_type, None).filter(|p| p.code.is_none()) else {
            continue;
        };
        let parent_en = parent.name.split(" (").next().unwrap();
        let parent_zh = parent.name_zh.split('（').next().unwrap();
        if e.name.starts_with(parent_en) {
            assert!(
                e.name_zh.starts_with(parent_zh),
                "icmp v{} {}/{code}: {:?} does not start with {parent_zh:?}",
                e.version,
                e.icmp_type,
                e.name_zh
            );
        }
    }
}

/// A small RFC 4180 reader, independent of the one in build.rs.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !row.is_empty() || !field.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn every_iana_record_loaded() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/iana/service-names-port-numbers.csv"
    );
    let text = std::fs::read_to_string(path).expect("the IANA CSV is in the repo");
    let rows = csv_rows(&text);
    assert_eq!(rows[0][1], "Port Number");
    assert_eq!(rows[0][2], "Transport Protocol");
    let mut expected = 0usize;
    for row in &rows[1..] {
        let (name, port, proto, description) =
            (row[0].trim(), row[1].trim(), row[2].trim(), row[3].trim());
        if port.is_empty() || proto.is_empty() {
            continue;
        }
        let (low, high): (u16, u16) = match port.split_once('-') {
            Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
            None => (port.parse().unwrap(), port.parse().unwrap()),
        };
        for p in low..=high {
            expected += 1;
            let found = iana_at(p, Some(proto));
            assert!(
                found
                    .iter()
                    .any(|r| r.name == name && r.description == description),
                "IANA row {name:?} {port}/{proto} is missing (port {p})"
            );
        }
    }
    assert!(
        expected > 12_000,
        "the CSV should hold the whole registry, got {expected}"
    );
    assert_eq!(all_iana().len(), expected);
    let sum: usize = (0..=u16::MAX).map(|p| iana_at(p, None).len()).sum();
    assert_eq!(
        sum, expected,
        "iana_at(p, None) over all ports covers the table"
    );
}

/// The tags listed in SCHEMA.md's tag table.
fn schema_tags() -> BTreeSet<String> {
    let schema = include_str!("../data/SCHEMA.md");
    let table = schema
        .split("## Tags")
        .nth(1)
        .expect("SCHEMA.md has a Tags section");
    let mut tags = BTreeSet::new();
    for line in table.lines().filter(|l| l.starts_with('|')) {
        let first = line.split('|').nth(1).unwrap_or("").trim();
        if first == "tag" || first.starts_with("---") {
            continue;
        }
        for tag in first.split(',') {
            tags.insert(tag.trim().to_string());
        }
    }
    tags
}

#[test]
fn every_tag_known() {
    let known = schema_tags();
    assert!(known.contains("trojan") && known.contains("private"));
    let compiled: BTreeSet<String> = known_tags().iter().map(|t| t.to_string()).collect();
    assert_eq!(
        compiled, known,
        "build.rs's tag list differs from SCHEMA.md"
    );
    let mut unknown = Vec::new();
    let mut check = |what: String, tags: &[&str]| {
        for t in tags {
            if !known.contains(*t) {
                unknown.push(format!("{what}: {t}"));
            }
        }
    };
    for e in all_ports() {
        check(format!("port {}", e.id), e.tags);
    }
    for e in all_source_ports() {
        check(format!("source port {}", e.id), e.tags);
    }
    for e in all_icmp() {
        check(format!("icmp {}/{:?}", e.icmp_type, e.code), e.tags);
    }
    for e in all_addresses() {
        check(format!("address {}", e.id), e.tags);
    }
    assert!(unknown.is_empty(), "unknown tags: {unknown:?}");
    for tag in known_tags() {
        let expected: Vec<&str> = all_ports()
            .iter()
            .filter(|e| e.has_tag(tag))
            .map(|e| e.id)
            .collect();
        let got: Vec<&str> = ports_tagged(tag).map(|e| e.id).collect();
        assert_eq!(got, expected, "ports_tagged({tag})");
    }
}

#[test]
fn every_related_port_is_known() {
    let mut missing = Vec::new();
    for e in all_ports() {
        for &port in e.related {
            if ports_at(port, None).next().is_none() && iana_at(port, None).is_empty() {
                missing.push(format!("{} -> {port}", e.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "related ports with neither a kb entry nor an IANA record: {missing:?}"
    );
}

#[test]
fn lookups_agree_with_tables() {
    for e in all_ports() {
        for port in [e.low, e.high] {
            assert!(
                ports_at(port, None).any(|found| found.id == e.id),
                "ports_at({port}) misses {}",
                e.id
            );
        }
        let narrowest_first = ports_at(e.low, None)
            .map(|x| x.high - x.low)
            .collect::<Vec<_>>();
        assert!(narrowest_first.windows(2).all(|w| w[0] <= w[1]));
    }
    for e in all_icmp() {
        let found = icmp(e.version, e.icmp_type, e.code).expect("own key finds the entry");
        assert_eq!(
            (found.version, found.icmp_type, found.code),
            (e.version, e.icmp_type, e.code)
        );
    }
    for e in all_addresses() {
        assert!(addresses_containing(e.network)
            .iter()
            .any(|found| found.id == e.id));
    }
    for e in all_ephemeral() {
        assert!(ephemeral_at(e.low).any(|found| found.id == e.id));
        assert!(ephemeral_at(e.high).any(|found| found.id == e.id));
    }
}
