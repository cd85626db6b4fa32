//! fwseen-detect (work in progress).
