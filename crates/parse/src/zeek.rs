//! Placeholder: being written.

use crate::{Format, FormatKind, Malformed, Record, TimeContext};

/// Placeholder parser.
pub struct ZeekTsvParser {
    _time: TimeContext,
}

impl ZeekTsvParser {
    pub fn new(time: TimeContext) -> Self {
        Self { _time: time }
    }
}

impl Format for ZeekTsvParser {
    fn kind(&self) -> FormatKind {
        FormatKind::ZeekTsv
    }

    fn parse<'a>(&mut self, _line: &'a [u8]) -> Record<'a> {
        Record::Malformed(Malformed::new("parser not written yet"))
    }
}

/// Placeholder parser.
pub struct ZeekJsonParser {
    _time: TimeContext,
}

impl ZeekJsonParser {
    pub fn new(time: TimeContext) -> Self {
        Self { _time: time }
    }
}

impl Format for ZeekJsonParser {
    fn kind(&self) -> FormatKind {
        FormatKind::ZeekJson
    }

    fn parse<'a>(&mut self, _line: &'a [u8]) -> Record<'a> {
        Record::Malformed(Malformed::new("parser not written yet"))
    }
}

/// True when the line looks like this format.
pub fn looks_like(_line: &[u8]) -> bool {
    false
}
