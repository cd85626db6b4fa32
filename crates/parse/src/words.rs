//! The words vendors write: the table that maps a vendor's action words to an [`Action`]
//! ([`ActionWords`]), ASCII-case-insensitive `contains` and `strip_prefix` on byte slices, and
//! the splitting of running text into a fixed array of words ([`split_words`]).
//!
//! The word lists themselves stay in each format's module, because the same word means different
//! things to different vendors (FortiGate's `reset` rejects, Sophos has no reject word at all, and
//! a PAN-OS `alert` allows). PAN-OS and SonicWall match words by prefix or inside messages and do
//! not use the table.

use fwseen_event::Action;

/// The words of one vendor for each action, matched whole and ignoring ASCII case. A word found
/// in none of the lists is [`Action::Other`]; the lists are asked in the order allow, drop,
/// reject.
pub(crate) struct ActionWords {
    pub allow: &'static [&'static [u8]],
    pub drop: &'static [&'static [u8]],
    pub reject: &'static [&'static [u8]],
}

impl ActionWords {
    /// The action `word` stands for.
    #[inline]
    pub(crate) fn action_of(&self, word: &[u8]) -> Action {
        if is_one_of(word, self.allow) {
            Action::Allow
        } else if is_one_of(word, self.drop) {
            Action::Drop
        } else if is_one_of(word, self.reject) {
            Action::Reject
        } else {
            Action::Other
        }
    }
}

/// True when `word` equals one of `list`, ignoring ASCII case.
#[inline]
fn is_one_of(word: &[u8], list: &[&[u8]]) -> bool {
    list.iter()
        .any(|candidate| candidate.eq_ignore_ascii_case(word))
}

/// True when `needle` occurs in `haystack`, ignoring ASCII case (an empty needle always does).
#[inline]
pub(crate) fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// `text` after `prefix`, when it starts with it ignoring ASCII case.
#[inline]
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    (text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix))
        .then(|| &text[prefix.len()..])
}

/// Splits `text` into the words between separators (runs of separators count once), stores them
/// in order in `words` and returns how many it stored; words beyond `words.len()` are dropped.
#[inline]
pub(crate) fn split_words<'a>(
    text: &'a [u8],
    is_separator: impl Fn(u8) -> bool,
    words: &mut [&'a [u8]],
) -> usize {
    let mut count = 0;
    for word in text.split(|byte| is_separator(*byte)) {
        if word.is_empty() {
            continue;
        }
        if count == words.len() {
            break;
        }
        words[count] = word;
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: ActionWords = ActionWords {
        allow: &[b"accept", b"drop"],
        drop: &[b"drop"],
        reject: &[b"reset"],
    };

    #[test]
    fn action_words_are_whole_case_insensitive_and_asked_in_order() {
        assert_eq!(WORDS.action_of(b"ACCEPT"), Action::Allow);
        // A word in two lists takes the first: allow before drop.
        assert_eq!(WORDS.action_of(b"drop"), Action::Allow);
        assert_eq!(WORDS.action_of(b"Reset"), Action::Reject);
        assert_eq!(WORDS.action_of(b"accepted"), Action::Other);
        assert_eq!(WORDS.action_of(b""), Action::Other);
    }

    #[test]
    fn words_between_separators_up_to_the_array_length() {
        let mut words: [&[u8]; 3] = [&[]; 3];
        let count = split_words(b"  a\tb  c d", |byte| byte == b' ', &mut words);
        assert_eq!(&words[..count], [&b"a\tb"[..], b"c", b"d"]);
        let count = split_words(b"a\tb c d", |byte| matches!(byte, b' ' | b'\t'), &mut words);
        assert_eq!(&words[..count], [&b"a"[..], b"b", b"c"]);
        assert_eq!(split_words(b"   ", |byte| byte == b' ', &mut words), 0);
    }

    #[test]
    fn case_insensitive_search_and_prefix() {
        assert!(contains_ignore_case(b"TCP Connection Dropped", b"dropped"));
        assert!(!contains_ignore_case(b"drop", b"dropped"));
        assert!(contains_ignore_case(b"", b""));
        assert_eq!(
            strip_prefix_ignore_case(b"Access-List x", b"access-list"),
            Some(&b" x"[..])
        );
        assert_eq!(strip_prefix_ignore_case(b"acc", b"access"), None);
    }
}
