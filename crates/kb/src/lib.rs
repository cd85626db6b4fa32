//! fwseen-kb (work in progress).
