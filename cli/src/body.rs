//! A request body given on the command line (JSON text), checked against
//! the operation's body schema before anything is sent (`schema`), then
//! encoded as the client encodes it: JSON in protojson form, or a form.

use drun_runtime::request::{FormBody, MultipartBody};
use serde_json::Value;

use crate::schema::{Encoded, Mismatch};
use crate::table::{Body, Encoding, ModuleTable};

/// A body ready to send.
pub struct Sendable {
    /// Its `Content-Type`.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// What was left out and why, one line each.
    pub notes: Vec<String>,
}

/// Reads `given` as JSON text, checks it against the body's schema and
/// encodes it as the body's media type says.
pub fn encode(module: &ModuleTable, body: &Body, given: &[u8]) -> Result<Sendable, Mismatch> {
    if body.encoding == Encoding::Raw {
        return Ok(Sendable { content_type: body.media_type.clone(), bytes: given.to_vec(), notes: Vec::new() });
    }
    let value = parse(given)?;
    let Encoded { value, notes } = crate::schema::encode(&module.schemas, &body.schema, &value)?;
    let (content_type, bytes) = match body.encoding {
        Encoding::Form => {
            let mut form = FormBody::default();
            for (name, value) in fields(value)? {
                form.text(&name, &value);
            }
            (body.media_type.clone(), form.finish().1.to_vec())
        }
        Encoding::Multipart => {
            let mut form = MultipartBody::new();
            for (name, value) in fields(value)? {
                form.text(&name, &value);
            }
            let (content_type, bytes) = form.finish();
            (content_type.into_owned(), bytes.to_vec())
        }
        Encoding::Json | Encoding::Raw => (body.media_type.clone(), value.to_string().into_bytes()),
    };
    Ok(Sendable { content_type, bytes, notes })
}

/// A body sent verbatim, on purpose: only checked to be JSON when the
/// body is JSON, so that a typo in the syntax still stops it.
pub fn verbatim(body: &Body, given: &[u8]) -> Result<Sendable, Mismatch> {
    if body.encoding != Encoding::Raw {
        parse(given)?;
    }
    let content_type = match body.encoding {
        Encoding::Multipart => {
            return Err(Mismatch {
                path: String::new(),
                message: "a multipart body cannot be sent verbatim; use --body".to_owned(),
                known: Vec::new(),
            });
        }
        _ => body.media_type.clone(),
    };
    Ok(Sendable { content_type, bytes: given.to_vec(), notes: Vec::new() })
}

/// `given` as JSON, or where its syntax breaks.
pub fn parse(given: &[u8]) -> Result<Value, Mismatch> {
    serde_json::from_slice(given).map_err(|e| Mismatch {
        path: String::new(),
        message: format!("not JSON: {e}"),
        known: Vec::new(),
    })
}

/// The properties of a form, as the client writes them: text as it is,
/// arrays one field per item, anything else as JSON text.
fn fields(value: Value) -> Result<Vec<(String, String)>, Mismatch> {
    let Value::Object(properties) = value else {
        return Err(Mismatch {
            path: String::new(),
            message: "a form body must be a JSON object".to_owned(),
            known: Vec::new(),
        });
    };
    let mut out = Vec::new();
    for (name, value) in properties {
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                Value::Null => {}
                Value::String(text) => out.push((name.clone(), text)),
                other => out.push((name.clone(), other.to_string())),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn module() -> ModuleTable {
        serde_json::from_value(json!({
            "name": "m", "title": "", "document_title": "", "tags": [],
            "schemas": {"Spec": {"type": "object", "properties": {
                "replicas": {"type": "integer", "format": "int32"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }}}
        }))
        .unwrap()
    }

    fn body(encoding: &str, media_type: &str) -> Body {
        serde_json::from_value(json!({
            "type_name": "Spec", "media_type": media_type, "encoding": encoding, "schema": {"$ref": "#/$defs/Spec"}
        }))
        .unwrap()
    }

    #[test]
    fn a_mismatch_is_named_by_its_place() {
        let json = body("json", "application/json");
        let error = encode(&module(), &json, br#"{"replicas": "three"}"#).err().unwrap();
        assert_eq!(error.path, "replicas");
        let error = encode(&module(), &json, b"{\"replicas\": 1} trailing").err().unwrap();
        assert!(error.to_string().contains("trailing"), "{error}");
    }

    #[test]
    fn a_body_is_sent_as_given_in_its_media_type() {
        let sent = encode(&module(), &body("json", "application/json"), br#"{"replicas": 2}"#).unwrap();
        assert_eq!(sent.bytes, br#"{"replicas":2}"#);
        let form = body("form", "application/x-www-form-urlencoded");
        let sent = encode(&module(), &form, br#"{"replicas": 2, "tags": ["a b", "c"]}"#).unwrap();
        assert_eq!(sent.bytes, b"replicas=2&tags=a+b&tags=c");
        let sent = verbatim(&body("json", "application/json"), br#"{"replicas": 2, "new": 1}"#).unwrap();
        assert_eq!(sent.bytes, br#"{"replicas": 2, "new": 1}"#);
        assert!(verbatim(&body("json", "application/json"), b"{oops").is_err());
    }
}
