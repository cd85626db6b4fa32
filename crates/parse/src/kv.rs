//! Scanning of `key=value` text shared by the vendor parsers: the space-separated pairs with
//! optionally double-quoted values of FortiGate, Sophos, SonicWall and ScreenOS
//! ([`KeyValues`]), and the end of a double-quoted value with backslash escapes
//! ([`closing_quote`]), which Check Point pair lists and RFC 5424 structured data use too.
//!
//! Not here, because their rules differ: CEF extensions (unquoted values that run to the next
//! key, in [`crate::cef`]), Huawei's comma-separated pairs (a quote ends at the next quote, no
//! escapes, in [`crate::huawei`]) and Check Point's `key:"value";` lists (a pair that breaks off
//! fails the list, in [`crate::checkpoint`]). Nothing here allocates; every value is a sub-slice
//! of the input with its quotes removed and its escapes left as written.

/// The index of the `"` that closes a quoted value starting at `from` (just after the opening
/// quote), passing over backslash escapes; `text.len()` when the value is never closed.
#[inline]
pub(crate) fn closing_quote(text: &[u8], from: usize) -> usize {
    // A byte loop: quoted values are short, and memchr's call costs more than it saves on them.
    let mut end = from;
    while end < text.len() && text[end] != b'"' {
        // A backslash escapes the byte after it, whatever it is.
        end += if text[end] == b'\\' { 2 } else { 1 };
    }
    end.min(text.len())
}

/// Iterates over the `key=value` pairs of a line, separated by spaces. Values may be
/// double-quoted (with `\"` inside); words without `=` are passed over.
pub(crate) struct KeyValues<'a> {
    text: &'a [u8],
    position: usize,
}

impl<'a> KeyValues<'a> {
    #[inline]
    pub(crate) fn new(text: &'a [u8]) -> Self {
        Self { text, position: 0 }
    }
}

impl<'a> Iterator for KeyValues<'a> {
    type Item = (&'a [u8], &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let text = self.text;
        loop {
            while self.position < text.len() && text[self.position] == b' ' {
                self.position += 1;
            }
            if self.position >= text.len() {
                return None;
            }
            let start = self.position;
            // The key runs to `=`; a word that ends first is no pair and is passed over. Keys and
            // values are short, so byte loops beat memchr here.
            while self.position < text.len()
                && text[self.position] != b'='
                && text[self.position] != b' '
            {
                self.position += 1;
            }
            if self.position >= text.len() || text[self.position] == b' ' {
                continue;
            }
            let key = &text[start..self.position];
            self.position += 1;
            if text.get(self.position) == Some(&b'"') {
                let value_start = self.position + 1;
                let end = closing_quote(text, value_start);
                self.position = (end + 1).min(text.len());
                return Some((key, &text[value_start..end]));
            }
            let value_start = self.position;
            while self.position < text.len() && text[self.position] != b' ' {
                self.position += 1;
            }
            return Some((key, &text[value_start..self.position]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values_with_quotes_and_bare_words() {
        let pairs: Vec<_> =
            KeyValues::new(br#"Jan 2 host date=2024-01-02 msg="a \"b\" c" x= y"#).collect();
        assert_eq!(
            pairs,
            vec![
                (&b"date"[..], &b"2024-01-02"[..]),
                (&b"msg"[..], &br#"a \"b\" c"#[..]),
                (&b"x"[..], &b""[..]),
            ]
        );
        // An unterminated quote ends at the end of the line.
        let pairs: Vec<_> = KeyValues::new(br#"a="open"#).collect();
        assert_eq!(pairs, vec![(&b"a"[..], &b"open"[..])]);
        // An empty key is still a pair; a quote at the very end is an empty value.
        let pairs: Vec<_> = KeyValues::new(br#"=v k=""#).collect();
        assert_eq!(pairs, vec![(&b""[..], &b"v"[..]), (&b"k"[..], &b""[..])]);
    }

    #[test]
    fn closing_quotes_pass_over_escapes() {
        assert_eq!(closing_quote(br#"ab"c"#, 0), 2);
        assert_eq!(closing_quote(br#"a\"b"c"#, 0), 4);
        assert_eq!(closing_quote(br#"a\\"b"#, 0), 3);
        // A backslash at the very end escapes nothing and the value runs to the end.
        assert_eq!(closing_quote(br"ab\", 0), 3);
        assert_eq!(closing_quote(b"abc", 0), 3);
        assert_eq!(closing_quote(b"abc", 3), 3);
    }

    /// The scanner above must return exactly what the first byte-at-a-time scanner did.
    #[test]
    fn closing_quote_matches_a_byte_loop() {
        fn byte_loop(text: &[u8], from: usize) -> usize {
            let mut end = from;
            while end < text.len() && text[end] != b'"' {
                end += if text[end] == b'\\' { 2 } else { 1 };
            }
            end.min(text.len())
        }
        let alphabet = [b'a', b'"', b'\\', b' '];
        for length in 0..=7u32 {
            for mut code in 0..4usize.pow(length) {
                let mut text = Vec::new();
                for _ in 0..length {
                    text.push(alphabet[code % 4]);
                    code /= 4;
                }
                for from in 0..=text.len() {
                    assert_eq!(
                        closing_quote(&text, from),
                        byte_loop(&text, from),
                        "{text:?}"
                    );
                }
            }
        }
    }

    /// The iterator above must yield exactly the pairs of the scanner FortiGate first had, on
    /// every short text over the bytes that matter to it.
    #[test]
    fn key_values_match_a_byte_loop() {
        fn byte_loop(text: &[u8]) -> Vec<(&[u8], &[u8])> {
            let mut pairs = Vec::new();
            let mut position = 0;
            loop {
                while position < text.len() && text[position] == b' ' {
                    position += 1;
                }
                if position >= text.len() {
                    return pairs;
                }
                let start = position;
                while position < text.len() && text[position] != b'=' && text[position] != b' ' {
                    position += 1;
                }
                if position >= text.len() || text[position] == b' ' {
                    continue;
                }
                let key = &text[start..position];
                position += 1;
                if text.get(position) == Some(&b'"') {
                    let value_start = position + 1;
                    let mut end = value_start;
                    while end < text.len() && text[end] != b'"' {
                        end += if text[end] == b'\\' { 2 } else { 1 };
                    }
                    let end = end.min(text.len());
                    position = (end + 1).min(text.len());
                    pairs.push((key, &text[value_start..end]));
                    continue;
                }
                let value_start = position;
                while position < text.len() && text[position] != b' ' {
                    position += 1;
                }
                pairs.push((key, &text[value_start..position]));
            }
        }
        let alphabet = [b'a', b'=', b'"', b'\\', b' '];
        for length in 0..=7u32 {
            for mut code in 0..5usize.pow(length) {
                let mut text = Vec::new();
                for _ in 0..length {
                    text.push(alphabet[code % 5]);
                    code /= 5;
                }
                let pairs: Vec<_> = KeyValues::new(&text).collect();
                assert_eq!(pairs, byte_loop(&text), "{text:?}");
            }
        }
    }
}
