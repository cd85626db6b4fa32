//! `fwseen explain --line 'RAW LOG LINE'`: reads one log line and says what it shows.
//!
//! The line's format is sniffed (or named with `--format`), the line is parsed exactly as
//! `fwseen parse` would, and the event is annotated by [`fwseen_detect::annotate`]: every field,
//! what the destination and source ports, the addresses and the ICMP type mean (from the
//! knowledge base), the direction, and what this single packet suggests on its own. A line that
//! is skipped or malformed says so and why.
//!
//! The answer is built once as [`LineAnswer`], whose serde form is the `--json` output
//! (documented in `docs/json.md`, "explain --line"), and rendered as text from the same value.
//! The line itself is untrusted: in text it goes through `escape::terminal`.

use std::fmt::Write as _;

use fwseen_detect::{annotate, Config, EventLabel, Flow, Kind};
use fwseen_event::Event;
use fwseen_kb::{Lang, PortClass};
use fwseen_parse::time::TimeSettings;
use fwseen_parse::{FormatKind, Record, TimeContext};
use fwseen_report::escape;
use fwseen_report::event_json::EventJsonWriter;
use fwseen_report::kind_text;
use fwseen_report::terminal;
use serde::Serialize;

/// The answer for one line.
#[derive(Debug, Serialize)]
pub struct LineAnswer {
    pub line: String,
    /// `en` or `zh-Hant`.
    pub lang: &'static str,
    /// The format the line was read as.
    pub format: &'static str,
    /// `event`, `skipped` or `malformed`.
    pub result: &'static str,
    /// Why the line was skipped or is malformed; null for an event.
    pub reason: Option<String>,
    /// The event's fields, with the keys of `fwseen parse --json` (null unless an event).
    pub event: Option<serde_json::Value>,
    /// `inbound`, `outbound` or `internal`, as far as one line can tell.
    pub flow: Option<&'static str>,
    pub destination_port: Option<PortJson>,
    pub source_port: Option<PortJson>,
    pub source_address: Option<AddressJson>,
    pub destination_address: Option<AddressJson>,
    pub icmp: Option<IcmpJson>,
    pub destination_is_broadcast: bool,
    /// The stealth-scan variant of the TCP flags, if they are odd.
    pub stealth: Option<&'static str>,
    /// What the packet alone suggests: a finding kind it would feed, with its explanation.
    pub suggests: Option<SuggestionJson>,
    /// A sentence on what one packet like this means.
    pub verdict: String,
}

#[derive(Debug, Serialize)]
pub struct PortJson {
    pub port: u16,
    /// `well-known`, `registered` or `dynamic`.
    pub class: &'static str,
    /// The kb entry covering the port (null when the kb knows nothing of it).
    pub id: Option<&'static str>,
    pub name: Option<&'static str>,
    pub meaning: Option<&'static str>,
    pub advice: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct AddressJson {
    pub address: String,
    pub block: &'static str,
    /// The block's English name (stable whatever the language).
    pub name: &'static str,
    /// The block's name in Traditional Chinese.
    pub name_zh: &'static str,
    pub meaning: &'static str,
}

#[derive(Debug, Serialize)]
pub struct IcmpJson {
    #[serde(rename = "type")]
    pub icmp_type: u8,
    pub code: u8,
    /// The English name (stable whatever the language); null when the kb has no entry.
    pub name: Option<&'static str>,
    /// The name in Traditional Chinese; null when the kb has no entry.
    pub name_zh: Option<&'static str>,
    pub meaning: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct SuggestionJson {
    pub kind: &'static str,
    pub class: &'static str,
    pub explanation: &'static str,
    pub advice: &'static str,
}

/// Words of the text rendering.
struct Words {
    line: &'static str,
    read_as: &'static str,
    skipped: &'static str,
    malformed: &'static str,
    fields: &'static str,
    flow: &'static str,
    destination_port: &'static str,
    source_port: &'static str,
    source_address: &'static str,
    destination_address: &'static str,
    icmp: &'static str,
    broadcast: &'static str,
    stealth: &'static str,
    suggests: &'static str,
    on_its_own: &'static str,
    unknown_port: &'static str,
    advice: &'static str,
    colon: &'static str,
    /// Brackets and separator of the parenthesised details in a heading: ` (a, b)`, `（a，b）`
    /// (the English opening bracket carries its leading space; Chinese takes none).
    open: &'static str,
    close: &'static str,
    comma: &'static str,
    lone_benign: &'static str,
    lone_probe: &'static str,
    lone_outbound: &'static str,
    lone_other: &'static str,
    lone_alarm: &'static str,
    flows: [&'static str; 3],
    /// Well-known, registered, dynamic.
    port_classes: [&'static str; 3],
    /// Event, skipped, malformed.
    results: [&'static str; 3],
}

const ENGLISH: Words = Words {
    line: "Line",
    read_as: "read as",
    skipped: "skipped",
    malformed: "malformed",
    fields: "Fields",
    flow: "Direction",
    destination_port: "Destination port",
    source_port: "Source port",
    source_address: "Source address",
    destination_address: "Destination address",
    icmp: "ICMP",
    broadcast: "The destination is a broadcast or network address.",
    stealth: "Odd TCP flags (stealth-scan variant)",
    suggests: "Pattern it would feed",
    on_its_own: "On its own",
    unknown_port: "not in the knowledge base",
    advice: "What to do",
    colon: ": ",
    open: " (",
    close: ")",
    comma: ", ",
    lone_benign: "This packet matches a harmless pattern; nothing to do.",
    lone_probe: "One probe alone is background noise of the internet. It matters only when the same source sends many (a scan) or when it was allowed through.",
    lone_outbound: "Ordinary traffic from one of your hosts.",
    lone_other: "Nothing a detector looks at on its own.",
    lone_alarm: "Even alone, this packet deserves a look: see the pattern below.",
    flows: ["inbound", "outbound", "internal"],
    port_classes: ["well-known", "registered", "dynamic"],
    results: ["event", "skipped", "malformed"],
};

const CHINESE: Words = Words {
    line: "紀錄",
    read_as: "解讀格式",
    skipped: "略過",
    malformed: "格式錯誤",
    fields: "欄位",
    flow: "方向",
    destination_port: "目的連接埠",
    source_port: "來源連接埠",
    source_address: "來源位址",
    destination_address: "目的位址",
    icmp: "ICMP",
    broadcast: "目的地是廣播位址或網段位址。",
    stealth: "怪異的 TCP 旗標（隱匿掃描變體）",
    suggests: "可能屬於的模式",
    on_its_own: "單獨來看",
    unknown_port: "知識庫中沒有資料",
    advice: "建議",
    colon: "：",
    open: "（",
    close: "）",
    comma: "，",
    lone_benign: "這個封包符合無害的模式，無須處理。",
    lone_probe:
        "單一探測只是網際網路的背景雜訊；只有同一來源送出大量探測（掃描）或封包被放行時才值得注意。",
    lone_outbound: "你這端主機的一般對外流量。",
    lone_other: "單獨一個這樣的封包，偵測器不會特別看待。",
    lone_alarm: "即使只有一個，這個封包也值得一看：見下方的模式說明。",
    flows: ["外來", "外連", "內部"],
    port_classes: ["知名連接埠", "已註冊連接埠", "動態連接埠"],
    results: ["事件", "略過", "格式錯誤"],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &ENGLISH,
        Lang::ZhHant => &CHINESE,
    }
}

fn port_class_name(class: PortClass) -> &'static str {
    class.as_str()
}

/// The class name of a port in `w`'s language.
fn port_class_word(class: &str, w: &Words) -> &'static str {
    match class {
        "well-known" => w.port_classes[0],
        "registered" => w.port_classes[1],
        _ => w.port_classes[2],
    }
}

/// Reads and annotates one line. Fails with a message when the format cannot be told.
pub fn build(line: &str, format: Option<FormatKind>, lang: Lang) -> Result<LineAnswer, String> {
    let bytes = line.trim_end_matches(['\r', '\n']).as_bytes();
    let format = match format {
        Some(format) => format,
        None => fwseen_parse::sniff(bytes)
            .ok_or("cannot tell the log format of this line (name it with --format)".to_string())?,
    };
    let time = TimeContext::new(&TimeSettings {
        year: None,
        file_modified: None,
        zone: None,
    })?;
    let mut parser = format
        .line_parser(time)
        .ok_or_else(|| format!("{format} is not a line format"))?;
    let w = words(lang);
    let mut answer = LineAnswer {
        line: String::from_utf8_lossy(bytes).into_owned(),
        lang: lang.code(),
        format: format.name(),
        result: "event",
        reason: None,
        event: None,
        flow: None,
        destination_port: None,
        source_port: None,
        source_address: None,
        destination_address: None,
        icmp: None,
        destination_is_broadcast: false,
        stealth: None,
        suggests: None,
        verdict: String::new(),
    };
    match parser.parse(bytes) {
        Record::Event(mut event) => {
            event.origin.record = 1;
            fill_event(&mut answer, &event, lang, w);
        }
        Record::Skipped(reason) => {
            answer.result = "skipped";
            answer.reason = Some(fwseen_report::event_json::skip_reason_key(reason).to_string());
        }
        Record::Malformed(malformed) => {
            answer.result = "malformed";
            answer.reason = Some(malformed.reason.to_string());
        }
    }
    Ok(answer)
}

fn fill_event(answer: &mut LineAnswer, event: &Event<'_>, lang: Lang, w: &Words) {
    let mut json = Vec::new();
    EventJsonWriter::new().write_event(&mut json, event, b"\"-\"");
    if let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice(&json) {
        // One line has no file and no line number.
        map.remove("type");
        map.remove("log.file.path");
        map.remove("log.file.line");
        answer.event = Some(serde_json::Value::Object(map));
    }
    let note = annotate(event, &Config::default());
    answer.flow = Some(match note.flow {
        Flow::Inbound => "inbound",
        Flow::Outbound => "outbound",
        Flow::Internal => "internal",
    });
    answer.destination_port = event.dst_port.map(|port| PortJson {
        port,
        class: port_class_name(PortClass::of(port)),
        id: note.dst_port.map(|e| e.id),
        name: note.dst_port.map(|e| e.name),
        meaning: note.dst_port.map(|e| e.meaning.get(lang)),
        advice: note.dst_port.map(|e| e.advice.get(lang)),
    });
    answer.source_port = event.src_port.map(|port| PortJson {
        port,
        class: port_class_name(PortClass::of(port)),
        id: note.src_port.map(|e| e.id),
        name: note.src_port.map(|e| e.name),
        meaning: note.src_port.map(|e| e.meaning.get(lang)),
        advice: note.src_port.map(|e| e.advice.get(lang)),
    });
    answer.source_address = event.src.zip(note.src_address).map(|(ip, e)| AddressJson {
        address: ip.to_string(),
        block: e.cidr,
        name: e.name,
        name_zh: e.name_zh,
        meaning: e.as_source.get(lang),
    });
    answer.destination_address = event.dst.zip(note.dst_address).map(|(ip, e)| AddressJson {
        address: ip.to_string(),
        block: e.cidr,
        name: e.name,
        name_zh: e.name_zh,
        meaning: e.as_destination.get(lang),
    });
    answer.icmp = event.icmp.map(|icmp| IcmpJson {
        icmp_type: icmp.icmp_type,
        code: icmp.code,
        name: note.icmp.map(|e| e.name),
        name_zh: note.icmp.map(|e| e.name_zh),
        meaning: note.icmp.map(|e| e.meaning.get(lang)),
    });
    answer.destination_is_broadcast = note.dst_is_broadcast;
    answer.stealth = note.stealth.map(|v| v.as_str());
    answer.suggests = note.kind_hint.map(|kind: Kind| SuggestionJson {
        kind: kind.id(),
        class: kind.class().as_str(),
        explanation: kind_text::explanation(kind, lang),
        advice: kind_text::advice(kind, lang),
    });
    answer.verdict = match note.label {
        EventLabel::Benign(_) => w.lone_benign,
        EventLabel::Fraggle
        | EventLabel::Smurf
        | EventLabel::EchoChargen
        | EventLabel::TrojanOutbound
        | EventLabel::Conducent
        | EventLabel::Stealth(_)
        | EventLabel::PortZero => w.lone_alarm,
        EventLabel::Probe | EventLabel::EchoRequest => w.lone_probe,
        EventLabel::Outbound => w.lone_outbound,
        _ => w.lone_other,
    }
    .to_string();
}

/// Runs `fwseen explain --line`: prints the answer as text (or one JSON object with `json`).
pub fn run(
    line: &str,
    format: Option<FormatKind>,
    lang: Lang,
    json: bool,
    pipe_width: usize,
) -> anyhow::Result<crate::exit::Exit> {
    use std::io::{IsTerminal, Write};
    let answer = match build(line, format, lang) {
        Ok(answer) => answer,
        Err(message) => {
            eprintln!("fwseen: {}", escape::terminal(message.as_bytes()));
            return Ok(crate::exit::Exit::Error);
        }
    };
    let output = if json {
        let mut text = serde_json::to_string_pretty(&answer)?;
        text.push('\n');
        text
    } else {
        let width = if std::io::stdout().is_terminal() {
            textwrap::termwidth().clamp(40, 160)
        } else {
            pipe_width
        };
        render_text(&answer, lang, width)
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes())?;
    stdout.flush()?;
    Ok(crate::exit::Exit::Ok)
}

/// Renders the answer as text, wrapped at `width`. The line and the fields that came from it
/// are escaped for the terminal.
pub fn render_text(answer: &LineAnswer, lang: Lang, width: usize) -> String {
    let w = words(lang);
    let mut out = String::new();
    // The same wrapping as the terminal report: spaces only, unless the text is Chinese.
    let wrap = |out: &mut String, text: &str, first: &str, rest: &str| {
        terminal::wrap(out, text, first, rest, width);
    };
    let _ = writeln!(
        out,
        "{}{}{}",
        w.line,
        w.colon,
        escape::terminal(answer.line.as_bytes())
    );
    let result = match answer.result {
        "event" => w.results[0],
        "skipped" => w.results[1],
        _ => w.results[2],
    };
    let _ = writeln!(out, "{} {}{}{result}", w.read_as, answer.format, w.colon);
    if let Some(reason) = &answer.reason {
        let what = if answer.result == "skipped" {
            w.skipped
        } else {
            w.malformed
        };
        let _ = writeln!(
            out,
            "{what}{}{}",
            w.colon,
            escape::terminal(reason.as_bytes())
        );
        return out;
    }
    if let Some(serde_json::Value::Object(fields)) = &answer.event {
        let _ = writeln!(out, "\n{}", w.fields);
        let key_width = fields.keys().map(|k| k.len()).max().unwrap_or(0);
        for (key, value) in fields {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = writeln!(
                out,
                "  {key:<key_width$}  {}",
                escape::terminal(text.as_bytes())
            );
        }
    }
    out.push('\n');
    if let Some(flow) = answer.flow {
        let index = match flow {
            "inbound" => 0,
            "outbound" => 1,
            _ => 2,
        };
        let _ = writeln!(out, "{}{}{}", w.flow, w.colon, w.flows[index]);
    }
    for (title, port) in [
        (w.destination_port, &answer.destination_port),
        (w.source_port, &answer.source_port),
    ] {
        let Some(port) = port else { continue };
        let class = port_class_word(port.class, w);
        let head = match port.name {
            Some(name) => format!(
                "{title} {}{}{class}{}{name}{}{}",
                port.port, w.open, w.comma, w.close, w.colon
            ),
            None => format!(
                "{title} {}{}{class}{}{}",
                port.port, w.open, w.close, w.colon
            ),
        };
        wrap(
            &mut out,
            port.meaning.unwrap_or(w.unknown_port),
            &head,
            "    ",
        );
    }
    for (title, address) in [
        (w.source_address, &answer.source_address),
        (w.destination_address, &answer.destination_address),
    ] {
        let Some(address) = address else { continue };
        let name = lang.pick(address.name, address.name_zh);
        let head = format!(
            "{title} {}{}{}{}{name}{}{}",
            address.address, w.open, address.block, w.comma, w.close, w.colon
        );
        wrap(&mut out, address.meaning, &head, "    ");
    }
    if let Some(icmp) = &answer.icmp {
        let name = lang.pick(icmp.name, icmp.name_zh);
        let head = format!(
            "{} {}/{}{}{}{}{}",
            w.icmp,
            icmp.icmp_type,
            icmp.code,
            w.open,
            name.unwrap_or("?"),
            w.close,
            w.colon
        );
        wrap(
            &mut out,
            icmp.meaning.unwrap_or(w.unknown_port),
            &head,
            "    ",
        );
    }
    if answer.destination_is_broadcast {
        let _ = writeln!(out, "{}", w.broadcast);
    }
    if let Some(variant) = answer.stealth {
        let _ = writeln!(out, "{}{}{variant}", w.stealth, w.colon);
    }
    out.push('\n');
    wrap(
        &mut out,
        &answer.verdict,
        &format!("{}{}", w.on_its_own, w.colon),
        "    ",
    );
    if let Some(suggestion) = &answer.suggests {
        let head = format!(
            "{} {}{}{}{}{}",
            w.suggests, suggestion.kind, w.open, suggestion.class, w.close, w.colon
        );
        wrap(&mut out, suggestion.explanation, &head, "    ");
        wrap(
            &mut out,
            suggestion.advice,
            &format!("{}{}", w.advice, w.colon),
            "    ",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TROJAN_PROBE: &str = "Mar  1 10:00:00 gw kernel: [100.0] [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:5a:10:01:00:1b:21:3c:4d:5e:08:00 SRC=198.51.100.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=40000 DPT=27374 WINDOW=1024 RES=0x00 SYN URGP=0";

    #[test]
    fn a_netfilter_probe_is_annotated() {
        let answer = build(TROJAN_PROBE, None, Lang::En).unwrap();
        assert_eq!(answer.format, "netfilter");
        assert_eq!(answer.result, "event");
        let event = answer.event.as_ref().unwrap();
        assert_eq!(event["destination.port"], 27374);
        assert_eq!(event["rule.name"].as_str().unwrap().trim(), "[UFW BLOCK]");
        let port = answer.destination_port.as_ref().unwrap();
        assert_eq!(port.class, "registered");
        assert!(port.meaning.is_some(), "27374 (Sub-7) is in the kb");
        assert_eq!(
            answer.source_address.as_ref().unwrap().block,
            "198.51.100.0/24"
        );
        assert_eq!(answer.suggests.as_ref().unwrap().kind, "scan.trojan");
        let text = render_text(&answer, Lang::En, 100);
        assert!(text.contains("Destination port 27374"), "{text}");
        assert!(text.contains("Pattern it would feed scan.trojan"), "{text}");
        let zh = render_text(
            &build(TROJAN_PROBE, None, Lang::ZhHant).unwrap(),
            Lang::ZhHant,
            100,
        );
        assert!(zh.contains("目的連接埠 27374"), "{zh}");
    }

    const ICMP_PROHIBITED: &str = "Mar  1 10:00:00 gw kernel: [100.0] [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:5a:10:01:00:1b:21:3c:4d:5e:08:00 SRC=192.168.1.7 DST=203.0.113.10 LEN=56 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=ICMP TYPE=3 CODE=13";

    /// ICMP and address names follow the language; the JSON keeps the English `name` and adds
    /// `name_zh` whatever the language.
    #[test]
    fn icmp_and_address_names_follow_the_language() {
        let en = build(ICMP_PROHIBITED, None, Lang::En).unwrap();
        let icmp = en.icmp.as_ref().unwrap();
        assert_eq!(
            icmp.name,
            Some("Destination unreachable: communication administratively prohibited")
        );
        assert_eq!(icmp.name_zh, Some("目的地無法到達：通訊遭管理性禁止"));
        let text = render_text(&en, Lang::En, 100);
        assert!(
            text.contains("ICMP 3/13 (Destination unreachable: communication"),
            "{text}"
        );
        assert!(
            text.contains("(192.168.0.0/16, Private-use (RFC 1918))"),
            "{text}"
        );

        let zh = build(ICMP_PROHIBITED, None, Lang::ZhHant).unwrap();
        let json = serde_json::to_value(&zh).unwrap();
        assert_eq!(json["icmp"]["name"], icmp.name.unwrap());
        assert_eq!(json["source_address"]["name"], "Private-use (RFC 1918)");
        assert_eq!(json["source_address"]["name_zh"], "私有位址（RFC 1918）");
        let text = render_text(&zh, Lang::ZhHant, 100);
        assert!(
            text.contains("ICMP 3/13（目的地無法到達：通訊遭管理性禁止）："),
            "{text}"
        );
        assert!(
            text.contains("來源位址 192.168.1.7（192.168.0.0/16，私有位址（RFC 1918））："),
            "{text}"
        );
        assert!(text.contains("文件用途位址（TEST-NET-3）"), "{text}");
        assert!(!text.contains("Destination unreachable"), "{text}");
        assert!(!text.contains("Private-use"), "{text}");
    }

    #[test]
    fn hostile_text_in_the_line_is_escaped() {
        let line = TROJAN_PROBE.replace("[UFW BLOCK]", "\x1b[31m\u{202e}evil");
        let text = render_text(&build(&line, None, Lang::En).unwrap(), Lang::En, 100);
        assert!(
            !text.contains('\x1b') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(text.contains("\\x1b[31m\\u{202e}evil"));
    }

    #[test]
    fn an_unknown_line_is_refused() {
        assert!(build("hello world", None, Lang::En).is_err());
    }
}
