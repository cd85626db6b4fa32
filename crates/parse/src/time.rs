//! Placeholder: being written (time-zone and year resolution for zone-less and year-less logs).

/// How to interpret times that lack a year or a zone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeSettings {
    /// `--year`: the year of RFC 3164 lines that carry none.
    pub year: Option<i32>,
    /// The year of the input file's modification time, used when `year` is `None`.
    pub file_year: Option<i32>,
    /// `--tz`: `None` = the local zone; otherwise `UTC`, an offset like `+02:00`, or an IANA name.
    pub zone: Option<String>,
}

/// Per-input state for resolving times (year rollover, time zone). Cheap to clone.
#[derive(Clone, Debug)]
pub struct TimeContext {
    pub settings: TimeSettings,
}

impl TimeContext {
    /// Builds a context; fails with a message when the zone is unknown.
    pub fn new(settings: &TimeSettings) -> Result<TimeContext, String> {
        Ok(TimeContext {
            settings: settings.clone(),
        })
    }

    /// A context for tests: year-less lines are in `year`, zone-less times are UTC.
    pub fn utc(year: i32) -> TimeContext {
        TimeContext {
            settings: TimeSettings {
                year: Some(year),
                file_year: None,
                zone: Some("UTC".into()),
            },
        }
    }
}
