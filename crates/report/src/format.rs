//! Number, time and duration formatting shared by the human-readable reports.

use fwseen_event::Timestamp;
use fwseen_kb::Lang;

/// `1234567` → `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count for a headline: exact below a million (`2,001`), then rounded (`1.2 M`, `3.4 G`).
pub fn human_count(n: u64) -> String {
    match n {
        0..=999_999 => group_digits(n),
        1_000_000..=999_999_999 => format!("{:.1} M", n as f64 / 1e6),
        _ => format!("{:.1} G", n as f64 / 1e9),
    }
}

/// `2024-01-15 08:02:11` (UTC, whole seconds).
pub fn time(timestamp: Timestamp) -> String {
    let text = timestamp.to_string();
    let text = text.split_once('.').map_or(text.as_str(), |(s, _)| s);
    text.trim_end_matches('Z').replacen('T', " ", 1)
}

/// The time of day of `later` alone when it falls on the same day as `earlier`, else the full
/// time: for "from → to" ranges.
pub fn time_after(earlier: Timestamp, later: Timestamp) -> String {
    let (a, b) = (time(earlier), time(later));
    if a.get(..10) == b.get(..10) {
        b[11..].to_string()
    } else {
        b
    }
}

/// A duration for people: `45 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h` (or the Chinese units);
/// the same words the finding summaries use.
pub fn duration(seconds: f64, lang: Lang) -> String {
    fwseen_detect::summary::duration_text(seconds, lang)
}

/// A rate with a sensible number of digits: `120`, `3.4`, `0.05`.
pub fn rate(per_second: f64) -> String {
    if per_second >= 100.0 {
        format!("{per_second:.0}")
    } else if per_second >= 1.0 {
        format!("{per_second:.1}")
    } else {
        let text = format!("{per_second:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(1_234_567), "1,234,567");
        assert_eq!(human_count(2001), "2,001");
        assert_eq!(human_count(1_200_000), "1.2 M");
        assert_eq!(human_count(3_400_000_000), "3.4 G");
    }

    #[test]
    fn times_and_durations() {
        let t = Timestamp {
            unix_micros: 1_705_305_731_500_000,
            original_offset_seconds: None,
        };
        assert_eq!(time(t), "2024-01-15 08:02:11");
        let later = Timestamp {
            unix_micros: t.unix_micros + 60_000_000,
            original_offset_seconds: None,
        };
        assert_eq!(time_after(t, later), "08:03:11");
        assert_eq!(duration(45.0, Lang::En), "45 s");
        assert_eq!(duration(192.0, Lang::En), "3 min 12 s");
        assert_eq!(duration(7500.0, Lang::En), "2 h 5 min");
        assert_eq!(duration(2.5, Lang::En), "2.5 s");
        assert_eq!(duration(0.00005, Lang::En), "< 0.1 s");
        assert_eq!(duration(192.0, Lang::ZhHant), "3分12秒");
        assert_eq!(rate(0.05), "0.05");
        assert_eq!(rate(3.44), "3.4");
        assert_eq!(rate(250.2), "250");
    }
}
