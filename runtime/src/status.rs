//! `google.rpc.Status`, the error body of every grpc-gateway service, and
//! `google.protobuf.Any`, what its details are.

use std::collections::BTreeMap;

use serde::de::{Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, Serializer};

use crate::codec::{self, Object, Writer};

/// An error status: a code (a `google.rpc.Code`), a message for developers,
/// and details whose `@type` says what they hold.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Status {
    /// The `google.rpc.Code` (5 is `NOT_FOUND`, 7 `PERMISSION_DENIED`...).
    pub code: i32,
    /// A message for developers, in English.
    pub message: String,
    /// Typed details (`google.rpc.BadRequest`, `ErrorInfo`...).
    pub details: Vec<Any>,
}

impl Status {
    /// A status with `code` (a `google.rpc.Code`) and `message`, no details.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: Vec::new() }
    }

    /// The status with `detail` added.
    #[must_use]
    pub fn with_detail(mut self, detail: Any) -> Self {
        self.details.push(detail);
        self
    }
}

impl Object for Status {
    const NAME: &'static str = "Status";

    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "code" => self.code = codec::value(map)?,
            "message" => self.message = codec::value(map)?,
            "details" => self.details = codec::value(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        codec::deserialize(deserializer)
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = Writer::new(serializer)?;
        out.nonzero("code", &self.code)?;
        out.nonzero("message", &self.message)?;
        out.nonzero("details", &self.details)?;
        out.end()
    }
}

/// A message of any type: `@type` names it, the other properties are its
/// fields, kept as they came.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Any {
    /// `@type`: `type.googleapis.com/google.rpc.BadRequest`, say.
    pub type_url: String,
    /// Every other property.
    pub fields: BTreeMap<String, serde_json::Value>,
}

impl Any {
    /// A message of type `type_url` (`type.googleapis.com/google.rpc.ErrorInfo`,
    /// say), with no fields yet.
    pub fn new(type_url: impl Into<String>) -> Self {
        Self { type_url: type_url.into(), fields: BTreeMap::new() }
    }

    /// The message with field `name` set to `value`.
    #[must_use]
    pub fn with_field(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.fields.insert(name.into(), value);
        self
    }
}

impl Object for Any {
    const NAME: &'static str = "Any";

    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "@type" => self.type_url = codec::value(map)?,
            other => {
                self.fields.insert(other.to_owned(), codec::value(map)?);
            }
        }
        Ok(true)
    }
}

impl<'de> Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        codec::deserialize(deserializer)
    }
}

impl Serialize for Any {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = Writer::new(serializer)?;
        out.nonzero("@type", &self.type_url)?;
        out.rest(&self.fields)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_status_reads_its_details_and_nulls() {
        let status: Status = serde_json::from_value(json!({
            "code": 5,
            "message": null,
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "NOT_FOUND"}],
        }))
        .expect("decodes");
        assert_eq!(status.code, 5);
        assert_eq!(status.message, "");
        assert_eq!(status.details[0].type_url, "type.googleapis.com/google.rpc.ErrorInfo");
        assert_eq!(status.details[0].fields["reason"], json!("NOT_FOUND"));
        let back = serde_json::to_value(&status).expect("encodes");
        assert_eq!(back["details"][0]["reason"], json!("NOT_FOUND"));
    }
}
