//! The labels file: one JSON object per line, hand-written (the values are ids, numbers and
//! addresses, which need no escaping).
//!
//! ```text
//! {"type":"pattern","id":7,"kind":"scan.vertical","src":"45.3.2.1","hosts":["203.0.113.20"],
//!  "ports":[22,80],"protocol":"tcp","packets":120,"complete":true,"first_line":1042,
//!  "last_line":1391}
//! {"type":"summary","format":"netfilter","seed":1,"lines":100004,"packets":100000,...}
//! ```
//!
//! Optional keys: `variant` (stealth scan flags, traceroute kind, spoofed-source kind, trusted
//! source port), `trojan`, `sources` (many-source patterns). Line numbers are 1-based and count the format's header
//! lines. `complete` is false for a pattern the output ended in the middle of; `visible` is false
//! when the format lacks the fields that tell the pattern apart (a zmap scan in a Windows log).

use std::io::{self, Write};
use std::net::IpAddr;

use crate::packet::Label;

fn write_addresses(out: &mut impl Write, key: &str, addresses: &[IpAddr]) -> io::Result<()> {
    write!(out, ",\"{key}\":[")?;
    for (index, address) in addresses.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\"{address}\"")?;
    }
    out.write_all(b"]")
}

/// Writes one pattern label. `header_lines` is added to event numbers to give line numbers;
/// `visible` says whether the format carries what tells this pattern apart (see
/// [`crate::render::carries`]).
pub fn write_label(
    out: &mut impl Write,
    label: &Label,
    header_lines: u64,
    visible: bool,
) -> io::Result<()> {
    write!(
        out,
        "{{\"type\":\"pattern\",\"id\":{},\"kind\":\"{}\"",
        label.id,
        label.kind.id()
    )?;
    if let Some(variant) = label.variant {
        write!(out, ",\"variant\":\"{variant}\"")?;
    }
    if let Some(trojan) = label.trojan {
        write!(out, ",\"trojan\":\"{trojan}\"")?;
    }
    match label.src {
        Some(src) => write!(out, ",\"src\":\"{src}\"")?,
        None => out.write_all(b",\"src\":null")?,
    }
    if !label.sources.is_empty() {
        write_addresses(out, "sources", &label.sources)?;
    }
    write_addresses(out, "hosts", &label.hosts)?;
    out.write_all(b",\"ports\":[")?;
    for (index, port) in label.ports.iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        write!(out, "{port}")?;
    }
    writeln!(
        out,
        "],\"protocol\":\"{}\",\"packets\":{},\"complete\":{},\"visible\":{},\"first_line\":{},\"last_line\":{}}}",
        label.protocol.as_str(),
        label.emitted,
        label.emitted == label.planned,
        visible,
        label.first_event + header_lines,
        label.last_event + header_lines
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::Kind;
    use fwseen_event::Protocol;

    #[test]
    fn label_line_shape() {
        let label = Label {
            id: 3,
            kind: Kind::ScanStealth,
            variant: Some("xmas"),
            trojan: None,
            src: Some("45.0.0.1".parse().expect("address")),
            sources: Vec::new(),
            hosts: vec!["203.0.113.9".parse().expect("address")],
            ports: vec![21, 22],
            protocol: Protocol::Tcp,
            planned: 2,
            emitted: 2,
            first_event: 10,
            last_event: 11,
        };
        let mut out = Vec::new();
        write_label(&mut out, &label, 4, true).expect("write to Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"type\":\"pattern\",\"id\":3,\"kind\":\"scan.stealth\",\"variant\":\"xmas\",\"src\":\"45.0.0.1\",\"hosts\":[\"203.0.113.9\"],\"ports\":[21,22],\"protocol\":\"tcp\",\"packets\":2,\"complete\":true,\"visible\":true,\"first_line\":14,\"last_line\":15}\n"
        );
    }
}
