//! Escaping of untrusted text for terminals, HTML and CSV.
//!
//! Everything a log line carries (rule labels, host and interface names) is attacker-influenced:
//! a crafted line can hold escape sequences that rewrite a terminal, bidirectional-override
//! characters that make text read differently than it is, markup, or a spreadsheet formula. These
//! functions make such text inert for one destination each. JSON string escaping lives with the
//! JSON writer ([`crate::event_json::write_json_string`]).
//!
//! Each function returns the input unchanged (borrowed) when nothing needs escaping, which is
//! the common case, so that printing costs no allocation.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters that must not reach a terminal as they are: C0 controls (tab and newline
/// included, since they break a table), DEL, C1 controls, and the invisible characters that change
/// the direction or joining of text (bidi embeddings, overrides, isolates and marks).
fn is_unsafe_for_terminal(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Makes any bytes safe to print on a terminal.
///
/// Valid UTF-8 text is kept, except that control characters and bidi controls are shown as
/// `\u{...}` (ASCII controls as `\xNN`); bytes that are not valid UTF-8 are shown as `\xNN`.
/// Backslashes are kept as they are, so a log that literally contains `\x41` prints the same as an
/// escaped byte would; the output is meant to be safe and readable, not reversible (JSON output is
/// the unambiguous rendering).
pub fn terminal(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.chars().any(is_unsafe_for_terminal) {
            return Cow::Borrowed(text);
        }
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_unsafe_for_terminal(c) {
                if (c as u32) < 0x80 {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                } else {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    Cow::Owned(out)
}

/// Escapes text for HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// True when `text` is a plain decimal number (`-12`, `3.5`), which a spreadsheet cannot take
/// for a formula even though it may start with `-` or `+`.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut seen_digit = false;
    let mut seen_dot = false;
    for c in digits.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_dot => seen_dot = true,
            _ => return false,
        }
    }
    seen_digit
}

/// Makes text safe as one CSV field: quotes it when it holds a comma, a quote, or a line end
/// (doubling inner quotes), and neutralises formula injection by prefixing `'` when the text
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return (plain numbers are left alone).
pub fn csv_field(text: &str) -> Cow<'_, str> {
    let starts_like_formula =
        text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(text);
    let needs_quotes = text.contains([',', '"', '\n', '\r']);
    if !starts_like_formula && !needs_quotes {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    if needs_quotes {
        out.push('"');
    }
    if starts_like_formula {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if needs_quotes {
        out.push('"');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_keeps_plain_text_borrowed() {
        assert!(matches!(terminal(b"[UFW BLOCK] eth0"), Cow::Borrowed(_)));
        assert!(matches!(
            terminal("r\u{e8}gle".as_bytes()),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn terminal_escapes_controls_and_bad_bytes() {
        assert_eq!(terminal(b"a\x1b[31mred"), "a\\x1b[31mred");
        assert_eq!(terminal(b"tab\there\n"), "tab\\x09here\\x0a");
        assert_eq!(terminal(b"del\x7f"), "del\\x7f");
        assert_eq!(terminal(b"nul\0"), "nul\\x00");
        assert_eq!(terminal(b"bad\xff\xfe"), "bad\\xff\\xfe");
        // C1 control CSI (U+009B) encoded in UTF-8.
        assert_eq!(terminal("x\u{9b}y".as_bytes()), "x\\u{9b}y");
    }

    #[test]
    fn terminal_escapes_bidi_controls() {
        assert_eq!(terminal("evil\u{202e}txt".as_bytes()), "evil\\u{202e}txt");
        assert_eq!(
            terminal("\u{2066}a\u{2069}".as_bytes()),
            "\\u{2066}a\\u{2069}"
        );
        assert_eq!(terminal("\u{200f}".as_bytes()), "\\u{200f}");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(matches!(html("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        assert!(matches!(csv_field("eth0"), Cow::Borrowed(_)));
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+cmd"), "'+cmd");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("-12"), "-12");
        assert_eq!(csv_field("-3.5"), "-3.5");
        assert_eq!(csv_field("-"), "'-");
    }
}
