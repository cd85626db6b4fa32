//! Placeholder: being written.

use crate::{Format, FormatKind, Malformed, Record, TimeContext};

/// Placeholder parser.
pub struct FilterlogParser {
    _time: TimeContext,
}

impl FilterlogParser {
    pub fn new(time: TimeContext) -> Self {
        Self { _time: time }
    }
}

impl Format for FilterlogParser {
    fn kind(&self) -> FormatKind {
        FormatKind::PfFilterlog
    }

    fn parse<'a>(&mut self, _line: &'a [u8]) -> Record<'a> {
        Record::Malformed(Malformed::new("parser not written yet"))
    }
}

/// Placeholder parser.
pub struct TcpdumpParser {
    _time: TimeContext,
}

impl TcpdumpParser {
    pub fn new(time: TimeContext) -> Self {
        Self { _time: time }
    }
}

impl Format for TcpdumpParser {
    fn kind(&self) -> FormatKind {
        FormatKind::PfTcpdump
    }

    fn parse<'a>(&mut self, _line: &'a [u8]) -> Record<'a> {
        Record::Malformed(Malformed::new("parser not written yet"))
    }
}

/// True when the line looks like this format.
pub fn looks_like(_line: &[u8]) -> bool {
    false
}
