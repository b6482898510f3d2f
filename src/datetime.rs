//! Date-times as the API sends them: RFC 3339, or without an offset (taken as UTC).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A point in time in UTC, decoded leniently.
///
/// Pinterest documents `date-time` fields as RFC 3339 but some replies omit the offset
/// (`2024-05-01T10:00:00`); those are read as UTC instead of failing the whole reply.
///
/// ```
/// let t: pinterest_v5::DateTime = serde_json::from_str("\"2024-05-01T10:00:00\"").unwrap();
/// assert_eq!(t.to_string(), "2024-05-01T10:00:00Z");
/// let u: pinterest_v5::DateTime = "2024-05-01T12:00:00+02:00".parse().unwrap();
/// assert_eq!(t, u);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(pub chrono::DateTime<Utc>);

impl DateTime {
    /// The time as a `chrono` UTC date-time.
    pub fn into_inner(self) -> chrono::DateTime<Utc> {
        self.0
    }
}

impl std::ops::Deref for DateTime {
    type Target = chrono::DateTime<Utc>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(t: chrono::DateTime<Utc>) -> Self {
        DateTime(t)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(t: DateTime) -> Self {
        t.0
    }
}

impl FromStr for DateTime {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The shapes the API sends, read field by field; anything else goes through chrono.
        if let Some(t) = parse_common(s) {
            return Ok(DateTime(t));
        }
        match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Ok(DateTime(t.with_timezone(&Utc))),
            Err(e) => {
                let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                    .map_err(|_| e)?;
                Ok(DateTime(Utc.from_utc_datetime(&naive)))
            }
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, then optionally `.` and 1 to 9 digits, then nothing (UTC), `Z`, or
/// `±HH:MM`: the forms Pinterest sends, read without chrono's general parser. It stays
/// because it pays: the decode bench reads a date-time with an offset in 52 ns against
/// chrono's 122 ns (benches/README.md, "The date-time fast path"), and one without an
/// offset, which chrono's RFC 3339 parser refuses, without a failed parse first.
/// `None` for anything else, leap seconds included: the caller falls back to chrono.
fn parse_common(s: &str) -> Option<chrono::DateTime<Utc>> {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0, 4)?).ok()?,
        digits(5, 7)?,
        digits(8, 10)?,
    )?;
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        let start = at + 1;
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == start || end - start > 9 {
            return None;
        }
        nanos = digits(start, end)? * 10u32.pow(9 - (end - start) as u32);
        at = end;
    }
    let offset = match &b[at..] {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let minutes = i64::from(digits(at + 1, at + 3)? * 60 + digits(at + 4, at + 6)?);
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    if second > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let local = NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(chrono::TimeDelta::minutes(offset))?;
    Some(Utc.from_utc_datetime(&utc))
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reading agrees with chrono's on every form it accepts, and declines the rest.
    #[test]
    fn common_forms_read_as_chrono_reads_them() {
        let with_offset = [
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00.5Z",
            "2024-05-01T10:00:00.123456789Z",
            "2024-05-01T12:30:00+02:30",
            "2024-05-01T01:00:00-03:00",
            "2024-02-29T23:59:59.000001+00:00",
            "1999-12-31T23:59:59-12:00",
        ];
        for s in with_offset {
            let chrono = chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(parse_common(s), Some(chrono), "{s}");
        }
        for s in ["2024-05-01T10:00:00", "2024-05-01T10:00:00.250"] {
            let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").unwrap();
            assert_eq!(parse_common(s), Some(Utc.from_utc_datetime(&naive)), "{s}");
        }
        for s in [
            "2024-05-01",
            "2024-05-01 10:00:00",
            "2024-02-30T10:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T10:00:60Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00.1234567891Z",
            "2024-05-01T10:00:00+0200",
            "2024-05-01T10:00:00+02:00x",
            "2024-05-01T1a:00:00Z",
            "+2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00ZZ",
        ] {
            assert_eq!(parse_common(s), None, "{s}");
        }
    }

    /// What the fast reading declines still parses where chrono can.
    #[test]
    fn other_forms_fall_back_to_chrono() {
        let t: DateTime = "2024-05-01 10:00:00".parse().unwrap();
        assert_eq!(t.to_string(), "2024-05-01T10:00:00Z");
        let leap: DateTime = "2016-12-31T23:59:60Z".parse().unwrap();
        assert_eq!(
            leap.0,
            chrono::DateTime::parse_from_rfc3339("2016-12-31T23:59:60Z").unwrap()
        );
        assert!("2024-02-30T10:00:00Z".parse::<DateTime>().is_err());
        assert!("soon".parse::<DateTime>().is_err());
    }
}
