//! Support for the generated types' tolerant decoding (see `codegen`'s `tolerant_enums`).

use serde::Deserializer;
use serde::de::{Error, Visitor};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Decodes a string through `T::from_str`, borrowing the input where the format allows.
/// Generated string enums never fail `from_str` (an unknown value is kept), so only a
/// non-string fails here.
pub(crate) fn deserialize_from_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    struct StrVisitor<T>(PhantomData<T>);
    impl<T: FromStr> Visitor<'_> for StrVisitor<T>
    where
        T::Err: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
            v.parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_str(StrVisitor(PhantomData))
}
