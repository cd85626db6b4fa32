//! Placeholder: being written.

use crate::{Format, FormatKind, Malformed, Record, TimeContext};

/// Placeholder parser.
pub struct MikroTikParser {
    _time: TimeContext,
}

impl MikroTikParser {
    pub fn new(time: TimeContext) -> Self {
        Self { _time: time }
    }
}

impl Format for MikroTikParser {
    fn kind(&self) -> FormatKind {
        FormatKind::MikroTik
    }

    fn parse<'a>(&mut self, _line: &'a [u8]) -> Record<'a> {
        Record::Malformed(Malformed::new("parser not written yet"))
    }
}

/// True when the line looks like this format.
pub fn looks_like(_line: &[u8]) -> bool {
    false
}
