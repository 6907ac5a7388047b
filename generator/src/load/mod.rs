//! Stage 1: read a document and bring it into the `openapiv3` model.
//!
//! JSON and YAML are both read into a `serde_json::Value` first; the version
//! field then picks the path: `OpenAPI` 3.0 is deserialised directly, Swagger
//! 2.0 goes through the typed upconversion in [`swagger2`].

mod openapi31;

/// Where the document came from, for the generated files' headers.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The path shown in headers (keep it relative, so output does not depend
    /// on where the repository is checked out).
    pub display_path: &'a str,
    /// The document's bytes.
    pub bytes: &'a [u8],
}

pub mod swagger2;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Warning};

/// Which kind of document was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0, upconverted.
    Swagger2,
    /// `OpenAPI` 3.0.x.
    OpenApi3,
}

/// A document in the one model the rest of the pipeline reads.
#[derive(Debug)]
pub struct Loaded {
    /// The document as `OpenAPI` 3.0.
    pub document: OpenAPI,
    /// What it was before.
    pub version: SpecVersion,
    /// Constructs the upconversion served loosely.
    pub warnings: Vec<Warning>,
}

/// Parses JSON or YAML bytes and upconverts them if needed.
pub fn load(bytes: &[u8]) -> Result<Loaded, Error> {
    let mut value = parse_tree(bytes)?;
    let mut early_warnings = Vec::new();
    without_responses(&mut value, &mut early_warnings);
    let Value::Object(root) = &value else {
        return Err(Error::new(ErrorKind::NotOpenApi, "", "the document is not an object"));
    };
    if let Some(v) = root.get("swagger") {
        return match v.as_str() {
            Some("2.0") => {
                let mut warnings = early_warnings;
                let document = swagger2::upconvert(value, &mut warnings)?;
                Ok(Loaded { document, version: SpecVersion::Swagger2, warnings })
            }
            _ => Err(Error::new(
                ErrorKind::NotOpenApi,
                "/swagger",
                format!("unsupported Swagger version {v}; only 2.0 is read"),
            )),
        };
    }
    if let Some(v) = root.get("openapi").cloned() {
        let version = v.as_str().unwrap_or_default().to_owned();
        let mut warnings = early_warnings;
        if version.starts_with("3.1.") {
            openapi31::downgrade(&mut value, &mut warnings)?;
        } else if !version.starts_with("3.0.") {
            return Err(Error::new(
                ErrorKind::NotOpenApi,
                "/openapi",
                format!("unsupported OpenAPI version {v}; 3.0.x, 3.1.x and Swagger 2.0 are read"),
            ));
        }
        let document = match typed::<OpenAPI>(value.clone(), "") {
            Ok(d) => d,
            Err(e) => return Err(locate_openapi3_error(&value).unwrap_or(e)),
        };
        return Ok(Loaded { document, version: SpecVersion::OpenApi3, warnings });
    }
    if root.contains_key("swaggerVersion") {
        return Err(Error::new(
            ErrorKind::NotOpenApi,
            "/swaggerVersion",
            "Swagger 1.x documents are not supported; convert to 2.0 or OpenAPI 3.0",
        ));
    }
    Err(Error::new(
        ErrorKind::NotOpenApi,
        "",
        "not an OpenAPI document: neither `swagger: \"2.0\"` nor `openapi: 3.x` is present",
    ))
}

/// Calls `f` on every schema directly inside `schema`, with its pointer:
/// `items`, `additionalProperties`, `not`, each property, each part of
/// `allOf`/`oneOf`/`anyOf`. The one walk over a schema's children; an `f`
/// that fails stops it. Under `items`, `additionalProperties` and `not`
/// only an object is a schema (`additionalProperties: true` is not walked
/// into); a property or part of any other kind is passed on, to be refused
/// where it is.
pub(crate) fn each_child(
    schema: &mut serde_json::Map<String, Value>,
    ptr: &str,
    f: &mut dyn FnMut(&mut Value, &str) -> Result<(), Error>,
) -> Result<(), Error> {
    use crate::error::pointer;
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child @ Value::Object(_)) = schema.get_mut(key) {
            f(child, &pointer(ptr, key))?;
        }
    }
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        let props_ptr = pointer(ptr, "properties");
        for (name, child) in props.iter_mut() {
            f(child, &pointer(&props_ptr, name))?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = schema.get_mut(key) {
            let parts_ptr = pointer(ptr, key);
            for (i, child) in parts.iter_mut().enumerate() {
                f(child, &pointer(&parts_ptr, &i.to_string()))?;
            }
        }
    }
    Ok(())
}

/// The HTTP methods of a path item, in both Swagger 2.0 and `OpenAPI` 3.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// An operation without `responses` (which both versions require, and
/// which published documents leave out) is given an empty set: it answers
/// `()`, whatever body the server sends being read and dropped.
fn without_responses(document: &mut Value, warnings: &mut Vec<Warning>) {
    use crate::error::pointer;
    let Some(Value::Object(paths)) = document.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method)
                && !op.contains_key("responses")
            {
                op.insert("responses".to_owned(), Value::Object(serde_json::Map::new()));
                warnings.push(Warning::at(
                    pointer(&pointer("/paths", path), method),
                    "the operation has no `responses`; it answers `()` (the body, if any, is not read)",
                ));
            }
        }
    }
}

/// Types one component entry at its pointer, for [`locate_openapi3_error`].
type ComponentCheck = fn(&Value, &str) -> Result<(), Error>;

/// `openapiv3` flattens maps, which hides where a deserialisation error is;
/// typing the parts one by one finds the first failing one.
fn locate_openapi3_error(value: &Value) -> Option<Error> {
    use crate::error::pointer;
    if let Some(Value::Object(paths)) = value.get("paths") {
        for (path, item) in paths.iter().filter(|(k, _)| k.starts_with('/')) {
            let ptr = pointer("/paths", path);
            if item.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = typed::<openapiv3::PathItem>(item.clone(), &ptr) {
                return Some(e);
            }
        }
    }
    let components = value.get("components")?;
    // Each section's entries, typed as that section holds them.
    let sections: [(&str, ComponentCheck); 4] = [
        ("schemas", |v, ptr| typed::<openapiv3::ReferenceOr<openapiv3::Schema>>(v.clone(), ptr).map(drop)),
        ("parameters", |v, ptr| typed::<openapiv3::ReferenceOr<openapiv3::Parameter>>(v.clone(), ptr).map(drop)),
        ("responses", |v, ptr| typed::<openapiv3::ReferenceOr<openapiv3::Response>>(v.clone(), ptr).map(drop)),
        ("requestBodies", |v, ptr| typed::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(v.clone(), ptr).map(drop)),
    ];
    for (section, check) in sections {
        let Some(Value::Object(entries)) = components.get(section) else { continue };
        for (name, v) in entries {
            let ptr = pointer(&pointer("/components", section), name);
            let result = check(v, &ptr);
            if let Err(e) = result {
                return Some(e);
            }
        }
    }
    None
}

/// Reads JSON (when the text starts with `{`) or YAML into a value tree.
fn parse_tree(bytes: &[u8]) -> Result<Value, Error> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        serde_json::from_slice(bytes).map_err(|e| Error::new(ErrorKind::Syntax, "", format!("invalid JSON: {e}")))
    } else {
        let text =
            std::str::from_utf8(bytes).map_err(|e| Error::new(ErrorKind::Syntax, "", format!("invalid UTF-8: {e}")))?;
        // YAML 1.2's booleans only (`true`, `false`), as OpenAPI requires:
        // a property or enum value named `y`, `no` or `on` stays a string.
        let mut options = serde_saphyr::Options::default();
        options.strict_booleans = true;
        serde_saphyr::from_str_with_options(text, options)
            .map_err(|e| Error::new(ErrorKind::Syntax, "", format!("invalid YAML: {e}")))
    }
}

/// Deserialises `value` into `T`, naming the JSON pointer of the first
/// mismatch; `base` is the pointer of `value` itself.
pub(crate) fn typed<T: DeserializeOwned>(value: Value, base: &str) -> Result<T, Error> {
    // Fast path: tracking the path costs time on every value, so it is only
    // paid again when there is an error to locate.
    if let Ok(v) = T::deserialize(&value) {
        return Ok(v);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut ptr = base.to_owned();
        for seg in e.path() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => ptr = crate::error::pointer(&ptr, &index.to_string()),
                serde_path_to_error::Segment::Map { key } => ptr = crate::error::pointer(&ptr, key),
                serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
            }
        }
        Error::invalid(ptr, e.into_inner().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_versions_with_a_pointer() {
        let e = load(br#"{"openapi": "4.0.0", "info": {}, "paths": {}}"#).unwrap_err();
        assert_eq!(e.pointer, "/openapi");
        let e = load(br#"{"swaggerVersion": "1.2"}"#).unwrap_err();
        assert_eq!(e.pointer, "/swaggerVersion");
        let e = load(b"[1, 2]").unwrap_err();
        assert!(e.message.contains("not an object"));
    }

    #[test]
    fn reports_invalid_json_and_yaml() {
        assert!(load(b"{\"swagger\": ").unwrap_err().message.starts_with("invalid JSON"));
        assert!(load(b"swagger: [unclosed").unwrap_err().message.starts_with("invalid YAML"));
    }

    #[test]
    fn reads_openapi3_yaml() {
        let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let loaded = load(doc.as_bytes()).unwrap();
        assert_eq!(loaded.version, SpecVersion::OpenApi3);
        assert_eq!(loaded.document.info.title, "t");
    }

    #[test]
    fn type_errors_name_the_place() {
        let doc = br#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}}"#;
        let e = load(doc).unwrap_err();
        assert!(e.pointer.starts_with("/paths/~1a/get"), "{e}");
    }
}
