//! How models travel as JSON: the shared half of every model's `Serialize`
//! and `Deserialize`.
//!
//! Each model's own impls only list its properties; the loop over an
//! object, key handling, skipping of zero values and error messages live
//! here, once. serde's derive would write all of that out again for every
//! model, which is most of what a client with hundreds of models costs to
//! compile.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A struct model, read from a JSON object one property at a time.
pub trait Object: Default {
    /// The model's name, for error messages.
    const NAME: &'static str;
    /// Wire names of the properties that must be present.
    const REQUIRED: &'static [&'static str] = &[];

    /// Reads the value of property `key` into its field. Returns `false`,
    /// leaving the value unread, when the model has no such property.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        let _ = (key, map);
        Ok(false)
    }
}

/// `Deserialize::deserialize` of every [`Object`]: properties the model
/// does not know are skipped, absent ones keep their default, and a
/// property given twice keeps its last value.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        // Empty, so free, for models without required properties.
        let mut seen = vec![false; T::REQUIRED.len()];
        while let Some(Key(key)) = map.next_key()? {
            if !value.read(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            } else if let Some(i) = T::REQUIRED.iter().position(|name| *name == key) {
                seen[i] = true;
            }
        }
        match seen.iter().position(|seen| !seen) {
            Some(i) => Err(de::Error::missing_field(T::REQUIRED[i])),
            None => Ok(value),
        }
    }
}

/// Reads a property's value; `null` reads as the field's default, as the
/// proto3 JSON mapping asks of every parser (grpc-gateway writes `null`
/// for unset messages when it writes unpopulated fields).
pub fn value<'de, T, A>(map: &mut A) -> Result<T, A::Error>
where
    T: Deserialize<'de> + Default,
    A: MapAccess<'de>,
{
    Ok(map.next_value::<Option<T>>()?.unwrap_or_default())
}

/// [`value`] for 64-bit integers (and their lists and maps) that travel as
/// strings.
pub fn int64<'de, T, A>(map: &mut A) -> Result<T, A::Error>
where
    T: Int64Repr + Default,
    A: MapAccess<'de>,
{
    Ok(map.next_value::<Option<Int64<T>>>()?.map(|Int64(v)| v).unwrap_or_default())
}

/// What `Debug` shows in place of a secret's value.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A property name, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Writes a model as a JSON object, one property at a time.
pub struct Writer<M>(M);

impl<M: SerializeMap> Writer<M> {
    /// Starts the object.
    pub fn new<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        serializer.serialize_map(None).map(Writer)
    }

    /// A property that is always written.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    /// A property left out when it holds its type's zero value (proto3).
    pub fn nonzero<T: Serialize + Zero + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        if value.is_zero() { Ok(()) } else { self.0.serialize_entry(key, value) }
    }

    /// A property left out when it is absent.
    pub fn some<T: Serialize>(&mut self, key: &'static str, value: Option<T>) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_entry(key, &value),
            None => Ok(()),
        }
    }

    /// Properties the schema does not list, kept by the model as a map.
    pub fn rest<V: Serialize>(&mut self, properties: &BTreeMap<String, V>) -> Result<(), M::Error> {
        properties.iter().try_for_each(|(key, value)| self.0.serialize_entry(key, value))
    }

    /// Ends the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

/// Whether a value is its type's zero value, which proto3 leaves out.
pub trait Zero {
    fn is_zero(&self) -> bool;
}

macro_rules! zero_is_default {
    ($($t:ty),*) => {
        $(impl Zero for $t {
            fn is_zero(&self) -> bool {
                *self == <$t>::default()
            }
        })*
    };
}

zero_is_default!(bool, i32, i64, u32, u64, f32, f64);

impl Zero for String {
    fn is_zero(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Zero for Vec<T> {
    fn is_zero(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Zero for BTreeMap<K, V> {
    fn is_zero(&self) -> bool {
        self.is_empty()
    }
}

impl Zero for serde_json::Value {
    fn is_zero(&self) -> bool {
        self.is_null()
    }
}

/// A 64-bit integer (or an `Option`, `Vec` or map of them) that travels
/// as a JSON string, as protojson writes it; numbers are accepted too.
pub struct Int64<T>(pub T);

/// The shapes [`Int64`] wraps.
pub trait Int64Repr: Sized {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl<'de, T: Int64Repr> Deserialize<'de> for Int64<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Int64)
    }
}

impl<T: Int64Repr> Serialize for Int64<&T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

impl<T: Int64Repr + Zero> Zero for Int64<&T> {
    fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

macro_rules! int64_repr {
    ($($t:ty),*) => {
        $(impl Int64Repr for $t {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IntVisitor(PhantomData))
            }

            fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        })*
    };
}

int64_repr!(i64, u64);

impl<T: Int64Repr> Int64Repr for Option<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Int64<T>>::deserialize(deserializer).map(|v| v.map(|Int64(v)| v))
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => v.write(serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Int64Repr> Int64Repr for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Seq<T>(PhantomData<T>);
        impl<'de, T: Int64Repr> Visitor<'de> for Seq<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of integers")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(Int64(v)) = seq.next_element()? {
                    out.push(v);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_any(Seq(PhantomData))
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Int64))
    }
}

impl<T: Int64Repr> Int64Repr for BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Int64<T>>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, Int64(v))| (k, v)).collect())
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Int64(v))))
    }
}

/// Reads an integer from a JSON string or number.
struct IntVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for IntVisitor<T>
where
    T: FromStr + TryFrom<i64> + TryFrom<u64>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, as a number or a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // protojson accepts exponent forms such as 1e3 for integers.
        if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// Reads an open enum from its name; a name (or number) the enum does not
/// list becomes its catch-all variant instead of an error.
pub fn deserialize_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    struct Name<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for Name<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum value name")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Ok(T::from(v.to_string().as_str()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Ok(T::from(v.to_string().as_str()))
        }
    }
    deserializer.deserialize_any(Name(PhantomData))
}

/// `Display`, `Serialize`, `Deserialize` and [`Zero`] for an open enum (one
/// with `as_str()`, `From<&str>`, a default and a catch-all variant),
/// written once here rather than in full for every enum.
#[macro_export]
#[doc(hidden)]
macro_rules! impl_open_enum {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::codec::deserialize_enum(deserializer)
            }
        }

        impl $crate::codec::Zero for $name {
            fn is_zero(&self) -> bool {
                *self == Self::default()
            }
        }
    };
}

#[doc(inline)]
pub use crate::impl_open_enum;

/// Reads a `oneOf` without a discriminator: the first alternative, in
/// the document's order, that accepts the value.
pub fn first_match<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    name: &str,
    alternatives: &[fn(&serde_json::Value) -> Option<T>],
) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    alternatives
        .iter()
        .find_map(|try_one| try_one(&value))
        .ok_or_else(|| de::Error::custom(format_args!("data did not match any alternative of {name}")))
}
