//! [`DateTime`], the `dateTime.iso8601` value, and `serde(with = ...)` modules for chrono.
//!
//! # Time zones
//!
//! XML-RPC's `dateTime.iso8601` has no time zone: the specification's form is
//! `19980717T14:08:55`, and what it means is agreed between the two ends. This crate reads
//! every form seen in the wild (basic `19980717T14:08:55`, dashed `1998-07-17T14:08:55`,
//! fractional seconds, and a `Z`, `+hh:mm`, `+hhmm` or `+hh` suffix) and keeps what the text
//! says: a [`DateTime`] holds the wall-clock time as written plus the offset when there was
//! one. It always writes the basic form without fraction or suffix, the one every peer
//! parses; a value that carries an offset is converted to UTC first, so the instant stays
//! right. Conversions follow the same rule: [`NaiveDateTime`] gets the wall-clock time as
//! written, while `chrono::DateTime<Utc>` and `chrono::DateTime<FixedOffset>` apply the offset
//! and take a value without one to be UTC, the convention of most servers.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Timelike, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::error::{Error, Result};
use crate::excerpt::truncate;

/// The newtype name that carries a date-time between this crate's serializer and
/// deserializer; other formats see a plain string.
pub(crate) const MARKER: &str = "$xmlrpc::private::DateTime";

/// An XML-RPC `dateTime.iso8601` value: a date and time, and the UTC offset when the text
/// had one.
///
/// See the [module documentation](self) for the time-zone policy.
///
/// # Examples
///
/// ```
/// use xmlrpc::DateTime;
///
/// let when: DateTime = "19980717T14:08:55".parse()?;
/// assert_eq!(when.to_string(), "19980717T14:08:55");
///
/// let with_zone: DateTime = "1998-07-17T16:08:55.25+02:00".parse()?;
/// assert_eq!(with_zone.offset().map(|o| o.local_minus_utc()), Some(7200));
/// // On the wire it is written in UTC, in the basic form.
/// assert_eq!(
///     xmlrpc::to_string(&with_zone)?,
///     "<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>"
/// );
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
}

impl DateTime {
    /// A date-time without offset.
    pub fn new(naive: NaiveDateTime) -> Self {
        DateTime {
            naive,
            offset: None,
        }
    }

    /// A date-time from its wall-clock time and UTC offset.
    pub fn with_offset(naive_local: NaiveDateTime, offset: FixedOffset) -> Self {
        DateTime {
            naive: naive_local,
            offset: Some(offset),
        }
    }

    /// A date-time from its parts, without offset; `None` when they do not form a valid
    /// date and time.
    ///
    /// ```
    /// let when = xmlrpc::DateTime::from_ymd_hms(1998, 7, 17, 14, 8, 55).unwrap();
    /// assert_eq!(when.to_string(), "19980717T14:08:55");
    /// ```
    pub fn from_ymd_hms(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let time = NaiveTime::from_hms_opt(hour, minute, second)?;
        Some(Self::new(date.and_time(time)))
    }

    /// The current local time, without offset, as Python's `datetime.now()` gives it.
    pub fn now() -> Self {
        Self::new(chrono::Local::now().naive_local())
    }

    /// The current time in UTC, with offset `+00:00`.
    pub fn now_utc() -> Self {
        Self::from(Utc::now())
    }

    /// The wall-clock date and time as written.
    pub fn naive_local(&self) -> NaiveDateTime {
        self.naive
    }

    /// The UTC offset, when the value had one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The date and time in UTC, taking a value without offset to be UTC already.
    pub fn naive_utc(&self) -> NaiveDateTime {
        match self.offset {
            Some(off) => self.naive - chrono::Duration::seconds(off.local_minus_utc().into()),
            None => self.naive,
        }
    }

    /// As a chrono `DateTime<Utc>`, taking a value without offset to be UTC.
    pub fn to_utc(&self) -> chrono::DateTime<Utc> {
        self.naive_utc().and_utc()
    }

    /// As a chrono `DateTime<FixedOffset>`, with offset `+00:00` when the value had none.
    pub fn to_fixed_offset(&self) -> chrono::DateTime<FixedOffset> {
        let offset = self.offset.unwrap_or_else(utc);
        self.to_utc().with_timezone(&offset)
    }

    /// Parses every `dateTime.iso8601` form seen in the wild; see the
    /// [module documentation](self).
    ///
    /// # Errors
    ///
    /// The text is not a date-time in one of those forms, or names a day that does not exist.
    pub fn parse(text: &str) -> Result<Self> {
        parse(text.trim()).ok_or_else(|| {
            Error::invalid_value(format!(
                "invalid dateTime.iso8601 value {:?}",
                truncate(text, 40)
            ))
        })
    }

    /// The basic form written on the wire: `YYYYMMDDTHH:MM:SS`, in UTC when there is an offset.
    pub(crate) fn wire_form(&self) -> WireForm {
        let t = self.naive_utc();
        let mut buf = [0u8; 17];
        let year = t.year();
        if !(0..=9999).contains(&year) {
            return WireForm { buf, len: 0 };
        }
        let digits = |buf: &mut [u8], mut v: u32| {
            for b in buf.iter_mut().rev() {
                *b = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        digits(&mut buf[0..4], year as u32);
        digits(&mut buf[4..6], t.month());
        digits(&mut buf[6..8], t.day());
        buf[8] = b'T';
        digits(&mut buf[9..11], t.hour());
        buf[11] = b':';
        digits(&mut buf[12..14], t.minute());
        buf[14] = b':';
        digits(&mut buf[15..17], t.second().min(59));
        WireForm { buf, len: 17 }
    }
}

fn utc() -> FixedOffset {
    Utc.fix()
}

/// The wire form of a date-time on the stack.
pub(crate) struct WireForm {
    buf: [u8; 17],
    len: usize,
}

impl WireForm {
    /// The text, or `None` for years outside 0000-9999, which the form cannot hold.
    pub(crate) fn as_str(&self) -> Option<&str> {
        if self.len == 0 {
            return None;
        }
        std::str::from_utf8(&self.buf[..self.len]).ok()
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn parse(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    // Date: YYYYMMDD or YYYY-MM-DD.
    let (year, month, day, rest) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?, &b[10..])
    } else if b.len() >= 8 {
        (num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?, &b[8..])
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let rest = match rest.first() {
        Some(b'T' | b't' | b' ') => &rest[1..],
        _ => return None,
    };
    // Time: HH:MM:SS or HHMMSS.
    let (hour, minute, second, mut rest) = if rest.len() >= 8 && rest[2] == b':' && rest[5] == b':'
    {
        (
            num(&rest[0..2])?,
            num(&rest[3..5])?,
            num(&rest[6..8])?,
            &rest[8..],
        )
    } else if rest.len() >= 6 {
        (
            num(&rest[0..2])?,
            num(&rest[2..4])?,
            num(&rest[4..6])?,
            &rest[6..],
        )
    } else {
        return None;
    };
    let mut nanos = 0u32;
    if let Some(b'.' | b',') = rest.first() {
        let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let mut scale = 100_000_000u32;
        for &c in &rest[1..1 + digits.min(9)] {
            nanos += u32::from(c - b'0') * scale;
            scale /= 10;
        }
        rest = &rest[1 + digits..];
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let offset = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(utc()),
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz {
                [h1, h2] => (num(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (num(&[*h1, *h2])?, num(&[*m1, *m2])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let secs = (h * 3600 + m * 60) as i32;
            Some(FixedOffset::east_opt(if *sign == b'-' {
                -secs
            } else {
                secs
            })?)
        }
        _ => return None,
    };
    Some(DateTime {
        naive: date.and_time(time),
        offset,
    })
}

impl FromStr for DateTime {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        DateTime::parse(s)
    }
}

impl fmt::Display for DateTime {
    /// The basic form, followed by the fraction and offset when the value has them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.naive.format("%Y%m%dT%H:%M:%S"))?;
        let nanos = self.naive.nanosecond() % 1_000_000_000;
        if nanos != 0 {
            let frac = format!("{nanos:09}");
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        match self.offset {
            None => Ok(()),
            Some(off) if off.local_minus_utc() == 0 => f.write_str("Z"),
            Some(off) => {
                let secs = off.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)
            }
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl From<NaiveDateTime> for DateTime {
    fn from(naive: NaiveDateTime) -> Self {
        DateTime::new(naive)
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(dt: chrono::DateTime<Utc>) -> Self {
        DateTime::with_offset(dt.naive_utc(), utc())
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    fn from(dt: chrono::DateTime<FixedOffset>) -> Self {
        DateTime::with_offset(dt.naive_local(), *dt.offset())
    }
}

impl From<DateTime> for NaiveDateTime {
    /// The wall-clock time as written.
    fn from(dt: DateTime) -> Self {
        dt.naive
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    /// The instant, taking a value without offset to be UTC.
    fn from(dt: DateTime) -> Self {
        dt.to_utc()
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    /// The instant with its offset, `+00:00` when the value had none.
    fn from(dt: DateTime) -> Self {
        dt.to_fixed_offset()
    }
}

/// Serializes as the marker newtype around the wire form; formats other than XML-RPC see a
/// string.
impl serde::Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let wire = self.wire_form();
        match wire.as_str() {
            Some(text) => serializer.serialize_newtype_struct(MARKER, text),
            None => Err(serde::ser::Error::custom(format!(
                "dateTime.iso8601 cannot hold the year of {self}"
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(MARKER, DateTimeVisitor)
    }
}

pub(crate) struct DateTimeVisitor;

impl<'de> Visitor<'de> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("dateTime.iso8601")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        parse(v.trim()).ok_or_else(|| {
            E::custom(format!(
                "invalid dateTime.iso8601 value {:?}",
                truncate(v, 40)
            ))
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<DateTime, D::Error> {
        // `any`, not `str`: serde's buffered content (`#[serde(flatten)]`, untagged enums)
        // holds a date-time read by this crate as the one-member marker map.
        d.deserialize_any(self)
    }
}

macro_rules! with_module {
    ($(#[$doc:meta])* $name:ident, $ty:ty) => {
        $(#[$doc])*
        pub mod $name {
            use super::*;

            /// Writes the value as `dateTime.iso8601`.
            ///
            /// # Errors
            ///
            /// The year is outside 0000-9999.
            pub fn serialize<S: Serializer>(value: &$ty, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&DateTime::from(*value), serializer)
            }

            /// Reads a `dateTime.iso8601` value.
            ///
            /// # Errors
            ///
            /// The value is not a date-time.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let dt: DateTime = serde::Deserialize::deserialize(deserializer)?;
                Ok(dt.into())
            }

            /// The same for `Option` fields: `None` travels as nil.
            pub mod option {
                use super::*;

                /// Writes `Some` as `dateTime.iso8601` and `None` as nil.
                ///
                /// # Errors
                ///
                /// The year is outside 0000-9999, or nil is refused by the dialect.
                pub fn serialize<S: Serializer>(
                    value: &Option<$ty>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(v) => serializer.serialize_some(&DateTime::from(*v)),
                        None => serializer.serialize_none(),
                    }
                }

                /// Reads nil, a missing member, or a `dateTime.iso8601` value.
                ///
                /// # Errors
                ///
                /// The value is neither nil nor a date-time.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<$ty>, D::Error> {
                    let dt: Option<DateTime> = serde::Deserialize::deserialize(deserializer)?;
                    Ok(dt.map(Into::into))
                }
            }
        }
    };
}

with_module!(
    /// `#[serde(with = "xmlrpc::datetime::naive")]` for `chrono::NaiveDateTime` fields (the
    /// wall-clock time as written).
    ///
    /// ```
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct Event {
    ///     #[serde(with = "xmlrpc::datetime::naive")]
    ///     at: chrono::NaiveDateTime,
    /// }
    /// let xml = "<value><struct><member><name>at</name><value>\
    ///            <dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>\
    ///            </member></struct></value>";
    /// let event: Event = xmlrpc::from_str(xml)?;
    /// assert_eq!(event.at.to_string(), "1998-07-17 14:08:55");
    /// assert_eq!(xmlrpc::to_string(&event)?, xml);
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    naive,
    NaiveDateTime
);
with_module!(
    /// `#[serde(with = "xmlrpc::datetime::utc")]` for `chrono::DateTime<Utc>` fields (written
    /// in UTC; read values without offset are taken to be UTC).
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct Event {
    ///     #[serde(with = "xmlrpc::datetime::utc")]
    ///     at: DateTime<Utc>,
    /// }
    /// let xml = "<value><struct><member><name>at</name><value>\
    ///            <dateTime.iso8601>1998-07-17T16:08:55+02:00</dateTime.iso8601></value>\
    ///            </member></struct></value>";
    /// let event: Event = xmlrpc::from_str(xml)?;
    /// assert_eq!(event.at.to_rfc3339(), "1998-07-17T14:08:55+00:00");
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    utc,
    chrono::DateTime<Utc>
);
with_module!(
    /// `#[serde(with = "xmlrpc::datetime::fixed_offset")]` for
    /// `chrono::DateTime<FixedOffset>` fields (the offset read is kept; written in UTC).
    ///
    /// ```
    /// use chrono::{DateTime, FixedOffset};
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct Event {
    ///     #[serde(with = "xmlrpc::datetime::fixed_offset")]
    ///     at: DateTime<FixedOffset>,
    /// }
    /// let xml = "<value><struct><member><name>at</name><value>\
    ///            <dateTime.iso8601>19980717T16:08:55+0200</dateTime.iso8601></value>\
    ///            </member></struct></value>";
    /// let event: Event = xmlrpc::from_str(xml)?;
    /// assert_eq!(event.at.to_rfc3339(), "1998-07-17T16:08:55+02:00");
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    fixed_offset,
    chrono::DateTime<FixedOffset>
);

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, shown: &str) {
        assert_eq!(DateTime::parse(text).unwrap().to_string(), shown, "{text}");
    }

    #[test]
    fn reads_every_form() {
        check("19980717T14:08:55", "19980717T14:08:55");
        check(" 19980717T14:08:55\n", "19980717T14:08:55");
        check("1998-07-17T14:08:55", "19980717T14:08:55");
        check("19980717T140855", "19980717T14:08:55");
        check("19980717T14:08:55.250", "19980717T14:08:55.25");
        check("19980717T14:08:55Z", "19980717T14:08:55Z");
        check("19980717T14:08:55+02:00", "19980717T14:08:55+02:00");
        check("19980717T14:08:55-0530", "19980717T14:08:55-05:30");
        check("19980717T14:08:55+02", "19980717T14:08:55+02:00");
        check("2014-11-10T23:38:51+0000", "20141110T23:38:51Z");
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in [
            "",
            "1998",
            "19980717",
            "19981317T14:08:55",
            "19980230T14:08:55",
            "19980717T25:08:55",
            "19980717T14:08:55+2",
            "19980717T14:08:55 junk",
            "19980717X14:08:55",
            "19980717T14:08:55.",
        ] {
            assert!(DateTime::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn writes_basic_form_in_utc() {
        let dt = DateTime::parse("1998-07-17T16:08:55.5+02:00").unwrap();
        assert_eq!(dt.wire_form().as_str(), Some("19980717T14:08:55"));
        assert_eq!(dt.to_utc().to_rfc3339(), "1998-07-17T14:08:55.500+00:00");
        let naive: NaiveDateTime = dt.into();
        assert_eq!(naive.to_string(), "1998-07-17 16:08:55.500");
    }
}
