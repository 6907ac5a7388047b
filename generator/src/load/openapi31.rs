//! `OpenAPI` 3.1 brought down to the 3.0 shape the rest of the pipeline
//! reads, at the JSON level, before typing.
//!
//! What 3.1 changed in the schemas this generator reads, and what becomes
//! of it:
//! - `type: [T, "null"]` -> `type: T, nullable: true`; several non-null
//!   types -> `anyOf` of one schema each;
//! - `const: v` -> `enum: [v]`;
//! - `examples: [...]` -> `example` (the first);
//! - `$ref` beside other keywords -> `allOf: [{$ref}]` with them (3.0 would
//!   drop them; `description` alone stays beside the `$ref`);
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` -> the bound and `true`;
//! - `contentMediaType: application/octet-stream` on a string ->
//!   `format: binary`;
//! - `prefixItems` (tuples): a located error, as no Rust type is right for
//!   every tuple.
//!
//! At the top: `webhooks` are left out with a warning (they are requests
//! the server makes, not a client's), `jsonSchemaDialect` is ignored, and a
//! missing `paths` is an empty one.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Warning, pointer};

/// Rewrites a 3.1 document in place into 3.0.3.
pub(crate) fn downgrade(doc: &mut Value, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let Value::Object(root) = doc else {
        return Err(Error::new(ErrorKind::NotOpenApi, "", "the document is not an object"));
    };
    if root.remove("webhooks").is_some_and(|w| w.as_object().is_some_and(|w| !w.is_empty())) {
        warnings.push(Warning::at(
            "/webhooks",
            "webhooks are requests the server sends; no client code is generated for them",
        ));
    }
    root.remove("jsonSchemaDialect");
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    root.insert("openapi".to_owned(), Value::String("3.0.3".to_owned()));

    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.remove("pathItems");
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                downgrade_schema(schema, &pointer("/components/schemas", name), warnings)?;
            }
        }
        for kind in ["parameters", "headers"] {
            if let Some(Value::Object(items)) = components.get_mut(kind) {
                for (name, item) in items.iter_mut() {
                    with_schema(item, &pointer(&pointer("/components", kind), name), warnings)?;
                }
            }
        }
        for kind in ["requestBodies", "responses"] {
            if let Some(Value::Object(items)) = components.get_mut(kind) {
                for (name, item) in items.iter_mut() {
                    body_like(item, &pointer(&pointer("/components", kind), name), warnings)?;
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let path_ptr = pointer("/paths", path);
            for (key, value) in item.iter_mut() {
                let ptr = pointer(&path_ptr, key);
                if key == "parameters" {
                    parameters(value, &ptr, warnings)?;
                    continue;
                }
                let Value::Object(op) = value else { continue };
                if let Some(params) = op.get_mut("parameters") {
                    parameters(params, &pointer(&ptr, "parameters"), warnings)?;
                }
                if let Some(body) = op.get_mut("requestBody") {
                    body_like(body, &pointer(&ptr, "requestBody"), warnings)?;
                }
                if let Some(Value::Object(responses)) = op.get_mut("responses") {
                    for (code, response) in responses.iter_mut() {
                        body_like(response, &pointer(&pointer(&ptr, "responses"), code), warnings)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn parameters(list: &mut Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    if let Value::Array(items) = list {
        for (i, p) in items.iter_mut().enumerate() {
            with_schema(p, &pointer(ptr, &i.to_string()), warnings)?;
        }
    }
    Ok(())
}

/// A parameter or header: its `schema`, or the schemas of its `content`.
fn with_schema(item: &mut Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    if let Some(schema) = item.get_mut("schema") {
        downgrade_schema(schema, &pointer(ptr, "schema"), warnings)?;
    }
    body_like(item, ptr, warnings)
}

/// A request body or response: the schema of each media type, and the
/// response's headers.
fn body_like(item: &mut Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    if let Some(Value::Object(content)) = item.get_mut("content") {
        for (media, m) in content.iter_mut() {
            if let Some(schema) = m.get_mut("schema") {
                downgrade_schema(schema, &pointer(&pointer(&pointer(ptr, "content"), media), "schema"), warnings)?;
            }
        }
    }
    if let Some(Value::Object(headers)) = item.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            with_schema(header, &pointer(&pointer(ptr, "headers"), name), warnings)?;
        }
    }
    Ok(())
}

/// One schema and every schema inside it.
fn downgrade_schema(schema: &mut Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    let Value::Object(s) = schema else { return Ok(()) };
    if s.contains_key("prefixItems") {
        // A tuple has no one Rust type short of a struct per shape; the
        // value is served as it comes (JSON), with its description.
        s.retain(|k, _| matches!(k.as_str(), "description" | "title" | "nullable"));
        warnings.push(Warning::at(
            pointer(ptr, "prefixItems"),
            "a tuple (`prefixItems`) is served as a JSON value (`serde_json::Value`)",
        ));
        return Ok(());
    }
    // Nested schemas first, so that rewriting this one sees them done.
    super::each_child(s, ptr, &mut |child, child_ptr| downgrade_schema(child, child_ptr, warnings))?;
    for key in ["$defs", "patternProperties", "dependentSchemas", "if", "then", "else", "unevaluatedProperties"] {
        if s.remove(key).is_some() {
            warnings
                .push(Warning::at(pointer(ptr, key), format!("`{key}` is not read; the schema is served without it")));
        }
    }

    renamed_keywords(s);
    type_arrays(s);
    null_alternatives(s);
    ref_siblings(s);
    Ok(())
}

/// 3.1 keywords with a 3.0 spelling: `examples` (the first), `const` (a
/// one-value `enum`), numeric `exclusiveMinimum`/`Maximum`, binary
/// `contentMediaType`.
fn renamed_keywords(s: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Array(examples)) = s.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        s.entry("example").or_insert(first);
    }
    if let Some(value) = s.remove("const") {
        if !s.contains_key("type") {
            let inferred = match &value {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(t) = inferred {
                s.insert("type".to_owned(), Value::String(t.to_owned()));
            }
        }
        s.insert("enum".to_owned(), Value::Array(vec![value]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = s.get(exclusive).cloned() {
            s.insert(bound.to_owned(), Value::Number(n));
            s.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if s.get("contentMediaType").and_then(Value::as_str) == Some("application/octet-stream") {
        s.entry("format").or_insert_with(|| Value::String("binary".to_owned()));
    }
    s.remove("contentMediaType");
    s.remove("contentEncoding");
}

/// `type: [A, "null"]`: one type and `nullable`, or `anyOf` the types.
fn type_arrays(s: &mut serde_json::Map<String, Value>) {
    if let Some(Value::Array(types)) = s.get("type").cloned() {
        let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        let nullable = named.contains(&"null");
        let real: Vec<&str> = named.into_iter().filter(|t| *t != "null").collect();
        match real.as_slice() {
            [] => {
                s.remove("type");
            }
            [one] => {
                s.insert("type".to_owned(), Value::String((*one).to_owned()));
            }
            many => {
                s.remove("type");
                let alternatives = many.iter().map(|t| serde_json::json!({ "type": t })).collect();
                s.insert("anyOf".to_owned(), Value::Array(alternatives));
            }
        }
        if nullable {
            s.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
}

/// `anyOf: [X, {type: null}]`, 3.1's other way to say nullable.
fn null_alternatives(s: &mut serde_json::Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(parts)) = s.get_mut(key) {
            let before = parts.len();
            parts.retain(|p| p.get("type").and_then(Value::as_str) != Some("null"));
            if parts.len() < before {
                s.insert("nullable".to_owned(), Value::Bool(true));
                if let Some(Value::Array(parts)) = s.get(key).cloned()
                    && let [only] = parts.as_slice()
                {
                    s.remove(key);
                    let mut combined = vec![only.clone()];
                    if let Some(Value::Array(all)) = s.remove("allOf") {
                        combined.extend(all);
                    }
                    s.insert("allOf".to_owned(), Value::Array(combined));
                }
            }
        }
    }
}

/// A `$ref` with siblings (allowed in 3.1, ignored in 3.0): `allOf` the
/// reference and the rest.
fn ref_siblings(s: &mut serde_json::Map<String, Value>) {
    if s.contains_key("$ref") && s.keys().any(|k| !matches!(k.as_str(), "$ref" | "description" | "summary")) {
        let reference = s.remove("$ref").unwrap_or_default();
        let mut parts = vec![serde_json::json!({ "$ref": reference })];
        if let Some(Value::Array(all)) = s.remove("allOf") {
            parts.extend(all);
        }
        s.insert("allOf".to_owned(), Value::Array(parts));
    } else if s.contains_key("$ref") {
        s.retain(|k, _| k == "$ref");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn down(schema: Value) -> Result<Value, Error> {
        let mut s = schema;
        downgrade_schema(&mut s, "/components/schemas/X", &mut Vec::new())?;
        Ok(s)
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(down(json!({"type": ["string", "null"]})).unwrap(), json!({"type": "string", "nullable": true}));
        assert_eq!(
            down(json!({"type": ["string", "integer"]})).unwrap(),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            down(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})).unwrap(),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn const_examples_and_refs_with_siblings() {
        assert_eq!(down(json!({"const": "chat"})).unwrap(), json!({"type": "string", "enum": ["chat"]}));
        assert_eq!(
            down(json!({"type": "integer", "examples": [3, 4]})).unwrap(),
            json!({"type": "integer", "example": 3})
        );
        assert_eq!(
            down(json!({"$ref": "#/components/schemas/A", "nullable": true})).unwrap(),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            down(json!({"$ref": "#/components/schemas/A", "description": "d"})).unwrap(),
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(
            down(json!({"type": "number", "exclusiveMinimum": 0})).unwrap(),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn tuples_are_served_as_json_values_with_a_located_warning() {
        let mut s =
            json!({"properties": {"pair": {"type": "array", "description": "d", "prefixItems": [{"type": "string"}]}}});
        let mut warnings = Vec::new();
        downgrade_schema(&mut s, "/components/schemas/X", &mut warnings).unwrap();
        assert_eq!(s, json!({"properties": {"pair": {"description": "d"}}}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "/components/schemas/X/properties/pair/prefixItems");
    }
}
