//! Format detection: picks the format of an input from its first bytes.
//!
//! Captures are recognised by their magic numbers (pcap in both byte orders, with micro- or
//! nanosecond stamps, and pcapng). Text inputs are split into lines and every format votes on
//! each of the first [`SNIFF_LINES`] non-blank lines through its module's `looks_like`; the format
//! with the most votes wins, ties going to the earlier format in [`FormatKind::ALL`]. Voting,
//! rather than trusting the first line, lets a mixed syslog file whose first lines come from
//! other programs still be recognised by its firewall lines.
//!
//! Two fallbacks keep busy system logs readable: when none of the first lines gets a vote, the
//! rest of the head votes too (a `/var/log/syslog` may start with hundreds of lines of other
//! programs); and when still nothing votes but most lines carry a syslog header, the input is
//! read as netfilter, whose parser counts other programs' lines as skipped rather than failing
//! the whole file.
//!
//! This module only reads the bytes it is given; the caller decides how much to read ahead
//! (64 KiB is plenty) and decompresses first.

use crate::{
    asa, cef, checkpoint, fortigate, huawei, juniper, mikrotik, netfilter, paloalto, pf, sonicwall,
    sophos, syslog, windows, zeek, FormatKind, TimeContext,
};

/// How many non-blank lines vote.
pub const SNIFF_LINES: usize = 50;

/// Picks the format of an input from `head`, the first bytes (up to 64 KiB) of the already
/// decompressed input. Returns `None` when no format recognises any line and the lines are not
/// syslog lines either.
pub fn sniff(head: &[u8]) -> Option<FormatKind> {
    if is_capture(head) {
        return Some(FormatKind::Pcap);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut votes = [0usize; FormatKind::ALL.len()];
    let mut lines = complete_lines(head)
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.trim_ascii().is_empty());
    let mut first_lines = 0;
    let mut syslog_lines = 0;
    let mut time = TimeContext::utc(2000);
    for line in lines.by_ref().take(SNIFF_LINES) {
        first_lines += 1;
        vote(line, &mut votes);
        if syslog::split_header(line, &mut time).is_some() {
            syslog_lines += 1;
        }
    }
    if votes.iter().all(|&count| count == 0) {
        // Nothing among the first lines: let the rest of the head vote, up to SNIFF_LINES lines
        // that some format recognises.
        let mut recognised = 0;
        for line in lines {
            if vote(line, &mut votes) {
                recognised += 1;
                if recognised == SNIFF_LINES {
                    break;
                }
            }
        }
    }
    let mut best: Option<(usize, FormatKind)> = None;
    for (index, kind) in FormatKind::ALL.into_iter().enumerate() {
        let count = votes[index];
        if count > 0 && best.is_none_or(|(best_count, _)| count > best_count) {
            best = Some((count, kind));
        }
    }
    match best {
        Some((_, kind)) => Some(kind),
        None if first_lines > 0 && syslog_lines * 2 >= first_lines => Some(FormatKind::Netfilter),
        None => None,
    }
}

/// Lets every format vote on one line; true when at least one recognised it.
fn vote(line: &[u8], votes: &mut [usize; FormatKind::ALL.len()]) -> bool {
    let mut recognised = false;
    for (index, kind) in FormatKind::ALL.into_iter().enumerate() {
        if line_looks_like(kind, line) {
            votes[index] += 1;
            recognised = true;
        }
    }
    recognised
}

/// True when `head` starts with a pcap or pcapng magic number.
fn is_capture(head: &[u8]) -> bool {
    matches!(
        head.get(..4),
        Some(
            [0xa1, 0xb2, 0xc3, 0xd4]
                | [0xd4, 0xc3, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0x3c, 0x4d]
                | [0x4d, 0x3c, 0xb2, 0xa1]
                | [0x0a, 0x0d, 0x0d, 0x0a]
        )
    )
}

/// The lines of `head`, leaving out a last line that may have been cut by the read-ahead limit
/// (one without a line end), unless it is the only line.
fn complete_lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    let usable = match memchr::memrchr(b'\n', head) {
        Some(last_newline) => &head[..last_newline],
        None => head,
    };
    usable.split(|&b| b == b'\n')
}

/// Asks the module of `kind` whether the line is one of its lines.
fn line_looks_like(kind: FormatKind, line: &[u8]) -> bool {
    match kind {
        FormatKind::Pcap => false,
        FormatKind::WindowsFirewall => windows::looks_like(line),
        FormatKind::ZeekTsv => zeek::looks_like_tsv(line),
        FormatKind::ZeekJson => zeek::looks_like_json(line),
        FormatKind::PfFilterlog => pf::looks_like_filterlog(line),
        FormatKind::PfTcpdump => pf::looks_like_tcpdump(line),
        FormatKind::CiscoAsa => asa::looks_like(line),
        FormatKind::FortiGate => fortigate::looks_like(line),
        FormatKind::PaloAlto => paloalto::looks_like(line),
        FormatKind::JuniperSrx => juniper::looks_like(line),
        FormatKind::MikroTik => mikrotik::looks_like(line),
        FormatKind::Netfilter => netfilter::looks_like(line),
        FormatKind::Cef => cef::looks_like(line),
        FormatKind::SonicWall => sonicwall::looks_like(line),
        FormatKind::SophosXg => sophos::looks_like(line),
        FormatKind::CheckPoint => checkpoint::looks_like(line),
        FormatKind::HuaweiUsg => huawei::looks_like(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_magic_numbers() {
        for magic in [
            [0xa1, 0xb2, 0xc3, 0xd4],
            [0xd4, 0xc3, 0xb2, 0xa1],
            [0xa1, 0xb2, 0x3c, 0x4d],
            [0x4d, 0x3c, 0xb2, 0xa1],
            [0x0a, 0x0d, 0x0d, 0x0a],
        ] {
            let mut head = magic.to_vec();
            head.extend_from_slice(&[0; 20]);
            assert_eq!(sniff(&head), Some(FormatKind::Pcap), "{magic:x?}");
        }
        assert_eq!(sniff(&[0xa1, 0xb2, 0xc3]), None);
    }

    #[test]
    fn empty_and_unknown_inputs() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\n\n  \n"), None);
        assert_eq!(sniff(b"hello world\nthis is not a firewall log\n"), None);
    }

    #[test]
    fn mixed_syslog_votes_for_its_firewall_lines() {
        let head = b"Jan  5 03:04:05 host sshd[12]: Accepted publickey for root\n\
Jan  5 03:04:06 host CRON[13]: (root) CMD (run-parts /etc/cron.hourly)\n\
Jan  5 03:04:07 host kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00 SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1 RES=0x00 SYN URGP=0\n";
        assert_eq!(sniff(head), Some(FormatKind::Netfilter));
    }

    #[test]
    fn firewall_lines_after_many_other_lines_still_vote() {
        let mut head = Vec::new();
        for second in 0..200 {
            head.extend_from_slice(
                format!(
                    "Jan  5 03:04:{:02} host sshd[12]: session opened\n",
                    second % 60
                )
                .as_bytes(),
            );
        }
        head.extend_from_slice(b"Jan  5 03:05:00 host kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=1 PROTO=2\n");
        assert_eq!(sniff(&head), Some(FormatKind::Netfilter));
    }

    #[test]
    fn syslog_without_firewall_lines_is_read_as_netfilter() {
        let head = b"Jul 18 10:51:43 localhost firewalld: ERROR: ZONE_ALREADY_SET\n\
Jul 18 10:51:44 localhost systemd[1]: Started Session 5.\n\
some line without a header\n";
        assert_eq!(sniff(head), Some(FormatKind::Netfilter));
        assert_eq!(
            sniff(b"one\ntwo\nJul 18 10:51:44 localhost systemd[1]: x\n"),
            None
        );
    }

    #[test]
    fn a_cut_last_line_does_not_vote() {
        let full = b"IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=1 PROTO=2\n";
        let mut head = b"some other text\n".to_vec();
        head.extend_from_slice(&full[..30]);
        assert_eq!(sniff(&head), None);
        // A single line without a line end is the whole (small) input and does vote.
        assert_eq!(sniff(&full[..full.len() - 1]), Some(FormatKind::Netfilter));
    }

    #[test]
    fn crlf_and_byte_order_mark_are_ignored() {
        let head = b"\xEF\xBB\xBFJan  5 03:04:07 host kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TTL=50 ID=1 PROTO=2\r\n";
        assert_eq!(sniff(head), Some(FormatKind::Netfilter));
    }
}
