//! Support for the generated types' tolerant decoding (see `codegen`'s `tolerant_enums`).

use serde::Deserializer;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
use serde::de::{DeserializeSeed, Error, IntoDeserializer, MapAccess, SeqAccess, Visitor};
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

/// A `oneOf` whose member is named by a tag property (a discriminator). Implemented by the
/// generated unions (see `codegen`'s `discriminated_unions`).
pub(crate) trait TaggedUnion: Sized {
    /// The tag property.
    const TAG: &'static str;
    /// The tag value as the description spells it, if it names a member.
    fn known(tag: &str) -> Option<&'static str>;
    /// Decodes the member `tag` names (one [`TaggedUnion::known`] returned).
    fn decode_tagged<'de, D: Deserializer<'de>>(
        tag: &str,
        deserializer: D,
    ) -> Result<Self, D::Error>;
    /// Decodes the first member that fits (an unknown or missing tag).
    fn decode_untagged(value: serde_json::Value) -> Result<Self, serde_json::Error>;
}

/// Decodes a tagged union in one pass.
///
/// - The tag first (as Pinterest writes it): the member's own decoder reads the tag, then the
///   rest of the object straight from the input. Nothing is buffered or allocated.
/// - The tag later: the entries before it are buffered, then replayed to the member's decoder,
///   which reads on from the input.
/// - An unknown or missing tag: the first member that fits.
pub(crate) fn deserialize_tagged<'de, D, U>(deserializer: D) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
    U: TaggedUnion,
{
    struct TaggedVisitor<U>(PhantomData<U>);
    impl<'de, U: TaggedUnion> Visitor<'de> for TaggedVisitor<U> {
        type Value = U;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object with a `{}` property", U::TAG)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
            let mut before: Vec<(String, serde_json::Value)> = Vec::new();
            while let Some(key) = map.next_key_seed(Key(U::TAG))? {
                let key = match key {
                    Some(other) => other,
                    None => match map.next_value_seed(TagValue(PhantomData::<U>))? {
                        Ok(tag) if before.is_empty() => {
                            let rest = TagFirst::<A, U> {
                                tag: Some(tag),
                                value_next: false,
                                map,
                                _union: PhantomData,
                            };
                            return U::decode_tagged(tag, MapAccessDeserializer::new(rest));
                        }
                        Ok(tag) => {
                            before.push((U::TAG.to_owned(), serde_json::Value::from(tag)));
                            let rest = Replay {
                                buffered: before.into_iter(),
                                pending: None,
                                map,
                            };
                            return U::decode_tagged(tag, MapAccessDeserializer::new(rest));
                        }
                        Err(unknown) => {
                            before.push((U::TAG.to_owned(), unknown));
                            continue;
                        }
                    },
                };
                let value: serde_json::Value = map.next_value()?;
                before.push((key, value));
            }
            let object: serde_json::Map<String, serde_json::Value> = before.into_iter().collect();
            U::decode_untagged(serde_json::Value::Object(object)).map_err(A::Error::custom)
        }
    }
    deserializer.deserialize_map(TaggedVisitor(PhantomData))
}

/// A key of a tagged union's object: `None` for the tag property (read without allocating),
/// the key itself for any other.
struct Key(&'static str);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Option<String>, E> {
        Ok((key != self.0).then(|| key.to_owned()))
    }
}

/// The tag's value: `Ok` with the description's spelling when it names a member, else `Err`
/// with the value as read (kept for the fallback).
struct TagValue<U>(PhantomData<U>);

impl<'de, U: TaggedUnion> DeserializeSeed<'de> for TagValue<U> {
    type Value = Result<&'static str, serde_json::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, U: TaggedUnion> Visitor<'de> for TagValue<U> {
    type Value = Result<&'static str, serde_json::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tag value")
    }

    fn visit_str<E: Error>(self, tag: &str) -> Result<Self::Value, E> {
        Ok(U::known(tag).ok_or_else(|| serde_json::Value::from(tag)))
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Err(v.into()))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Err(v.into()))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Err(v.into()))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Err(v.into()))
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(Err(serde_json::Value::Null))
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(Err(serde_json::Value::Null))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        serde::Deserialize::deserialize(SeqAccessDeserializer::new(seq)).map(Err)
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        serde::Deserialize::deserialize(MapAccessDeserializer::new(map)).map(Err)
    }
}

/// A map whose first entry, the tag, was already read: it gives the tag again, then reads on
/// from the input.
struct TagFirst<A, U> {
    tag: Option<&'static str>,
    value_next: bool,
    map: A,
    _union: PhantomData<U>,
}

impl<'de, A: MapAccess<'de>, U: TaggedUnion> MapAccess<'de> for TagFirst<A, U> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if self.tag.is_some() && !self.value_next {
            self.value_next = true;
            return seed.deserialize(StrDeserializer::new(U::TAG)).map(Some);
        }
        self.map.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.tag.take() {
            Some(tag) => seed.deserialize(StrDeserializer::new(tag)),
            None => self.map.next_value_seed(seed),
        }
    }
}

/// A map that first replays buffered entries, then reads on from the input.
struct Replay<A> {
    buffered: std::vec::IntoIter<(String, serde_json::Value)>,
    pending: Option<serde_json::Value>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.buffered.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(value).map_err(A::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }
}

/// A field name of a generated struct, read as its index in the struct's list of fields
/// (`None`: a field this version of the crate does not know) by the struct's own lookup
/// function. One visitor for every struct (see `codegen`'s `compact_deserialize`) instead of a
/// field enum and visitor per struct.
pub(crate) struct Field(pub(crate) fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Field {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok((self.0)(name))
    }

    fn visit_bytes<E: Error>(self, name: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(name).ok().and_then(self.0))
    }
}
