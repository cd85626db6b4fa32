//! fwseen-report (work in progress).
