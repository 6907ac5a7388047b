//! A request body given on the command line (JSON text), checked against
//! the operation's body type before anything is sent, then encoded as the
//! client encodes a value of that type. The generated table names these
//! functions, one instantiation per body type.

use std::fmt;

use drun_runtime::request::{FormBody, MultipartBody};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a body does not fit its type, and where.
#[derive(Debug)]
pub struct BodyError {
    /// Where in the body (`spec.replicas`), or empty for the whole body.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

/// Reads `given` as a `T`, naming the place of the first mismatch.
fn decode<T: DeserializeOwned>(given: &[u8]) -> Result<T, BodyError> {
    let mut de = serde_json::Deserializer::from_slice(given);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| BodyError { path: e.path().to_string(), message: e.inner().to_string() })?;
    de.end().map_err(|e| BodyError { path: String::new(), message: e.to_string() })?;
    Ok(value)
}

#[allow(dead_code, reason = "form bodies: no d.run document has one today; other families' tables use it")]
fn encoded<T: Serialize>(value: &T) -> Result<serde_json::Value, BodyError> {
    serde_json::to_value(value).map_err(|e| BodyError { path: String::new(), message: e.to_string() })
}

/// A JSON body: checked, then sent as the client sends a `T`.
pub fn json<T: DeserializeOwned + Serialize>(given: &[u8]) -> Result<Vec<u8>, BodyError> {
    let value: T = decode(given)?;
    serde_json::to_vec(&value).map_err(|e| BodyError { path: String::new(), message: e.to_string() })
}

/// The properties of a form, as the client writes them: text as it is,
/// arrays one field per item, anything else as JSON text; absent and
/// `null` properties left out.
#[allow(dead_code, reason = "form bodies: no d.run document has one today; other families' tables use it")]
fn fields<T: DeserializeOwned + Serialize>(given: &[u8]) -> Result<Vec<(String, String)>, BodyError> {
    let value: T = decode(given)?;
    let serde_json::Value::Object(properties) = encoded(&value)? else {
        return Err(BodyError { path: String::new(), message: "a form body must be a JSON object".to_owned() });
    };
    let mut out = Vec::new();
    for (name, value) in properties {
        let items = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => out.push((name.clone(), text)),
                other => out.push((name.clone(), other.to_string())),
            }
        }
    }
    Ok(out)
}

/// An `application/x-www-form-urlencoded` body, given as a JSON object.
#[allow(dead_code, reason = "form bodies: no d.run document has one today; other families' tables use it")]
pub fn form<T: DeserializeOwned + Serialize>(given: &[u8]) -> Result<Vec<u8>, BodyError> {
    let mut form = FormBody::default();
    for (name, value) in fields::<T>(given)? {
        form.text(&name, &value);
    }
    Ok(form.finish().1.to_vec())
}

/// A `multipart/form-data` body, given as a JSON object: its content type
/// (with the boundary) and bytes.
#[allow(dead_code, reason = "form bodies: no d.run document has one today; other families' tables use it")]
pub fn multipart<T: DeserializeOwned + Serialize>(given: &[u8]) -> Result<(String, Vec<u8>), BodyError> {
    let mut form = MultipartBody::new();
    for (name, value) in fields::<T>(given)? {
        form.text(&name, &value);
    }
    let (content_type, bytes) = form.finish();
    Ok((content_type.into_owned(), bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Spec {
        replicas: i32,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn a_mismatch_is_named_by_its_place() {
        let error = json::<Spec>(br#"{"replicas": "three"}"#).unwrap_err();
        assert_eq!(error.path, "replicas");
        assert!(error.to_string().starts_with("at `replicas`: invalid type: string"), "{error}");
        let error = json::<Spec>(b"{\"replicas\": 1} trailing").unwrap_err();
        assert!(error.to_string().contains("trailing"), "{error}");
    }

    #[test]
    fn a_body_is_sent_as_the_type_writes_it() {
        assert_eq!(json::<Spec>(br#"{"replicas": 2}"#).unwrap(), br#"{"replicas":2,"tags":[]}"#);
        let form = form::<Spec>(br#"{"replicas": 2, "tags": ["a b", "c"]}"#).unwrap();
        assert_eq!(form, b"replicas=2&tags=a+b&tags=c");
    }
}
