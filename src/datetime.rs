//! Date-times as the API sends them: RFC 3339, or without an offset (taken as UTC).

use chrono::{NaiveDateTime, TimeZone, Utc};
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
        // Without an offset (nothing after the seconds but digits and a dot), skip the RFC 3339
        // attempt: building its error costs more than the whole naive parse.
        let offset_less = s
            .get(19..)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        if offset_less && let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            return Ok(DateTime(Utc.from_utc_datetime(&naive)));
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
