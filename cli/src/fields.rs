//! Less to type: body fields as flags (`--set spec.replicas=3`), typed by
//! the operation's body schema and merged over `--body`; and a skeleton of
//! any body (`--body-template`), every field with its zero value, ready to
//! edit. What they build goes through the same field-by-field check as a
//! body given whole (`schema`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::schema::{referenced, resolve};

/// One step of a `--set` path.
#[derive(Debug, PartialEq)]
enum Step {
    /// A field or map key (`spec`, `labels.team`).
    Key(String),
    /// An array item by position (`ports[0]`).
    Index(usize),
    /// A new item at the end of an array (`tags[]`).
    Push,
}

/// Reads `path` (`spec.ports[0].port`, `tags[]`) into steps.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && (out.is_empty() || rest.is_empty()) {
            return Err(format!("`{path}`: an empty field name"));
        }
        if !key.is_empty() {
            out.push(Step::Key(key.to_owned()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').ok_or_else(|| format!("`{path}`: `[` without `]`"))?;
            let index = &inner[..end];
            out.push(if index.is_empty() {
                Step::Push
            } else {
                Step::Index(index.parse().map_err(|_| format!("`{path}`: `[{index}]` is not an array position"))?)
            });
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{path}`: unexpected `{rest}`"));
        }
    }
    Ok(out)
}

/// The schema one step below `schema`, if the document says.
fn below<'a>(defs: &'a BTreeMap<String, Value>, schema: Option<&'a Value>, step: &Step) -> Option<&'a Value> {
    let schema = resolve(defs, schema?);
    match step {
        Step::Key(key) => schema
            .get("properties")
            .and_then(|p| p.get(key))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object())),
        Step::Index(_) | Step::Push => schema.get("items"),
    }
}

/// `text` as the value the schema wants at that place: a string as it is,
/// numbers and booleans parsed, 64-bit integers kept as text (protojson
/// sends them as strings), objects and arrays as JSON; where the document
/// says nothing, JSON if it parses and text otherwise.
fn typed(defs: &BTreeMap<String, Value>, schema: Option<&Value>, text: &str) -> Value {
    let json = || serde_json::from_str::<Value>(text).ok();
    let Some(schema) = schema.map(|s| resolve(defs, s)) else { return json().unwrap_or_else(|| json!(text)) };
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!(text),
        Some("integer" | "number" | "boolean" | "object" | "array") => json().unwrap_or_else(|| json!(text)),
        _ if schema.get("enum").is_some() => json!(text),
        _ => json().unwrap_or_else(|| json!(text)),
    }
}

/// Applies each `path=value` of `sets`, in order, over `body` (an empty
/// object when `None`).
pub fn apply(
    defs: &BTreeMap<String, Value>,
    schema: &Value,
    body: Option<Value>,
    sets: &[String],
) -> Result<Value, String> {
    let mut body = body.unwrap_or_else(|| Value::Object(Map::new()));
    for set in sets {
        let (path, text) = set.split_once('=').ok_or_else(|| format!("`{set}` is not `path=value`"))?;
        let steps = steps(path)?;
        let mut at_schema = Some(schema);
        let mut at = &mut body;
        for (i, step) in steps.iter().enumerate() {
            at_schema = below(defs, at_schema, step);
            let last = i + 1 == steps.len();
            let next = if last {
                typed(defs, at_schema, text)
            } else if matches!(steps[i + 1], Step::Key(_)) {
                json!({})
            } else {
                json!([])
            };
            at = match step {
                Step::Key(key) => {
                    if at.is_null() {
                        *at = json!({});
                    }
                    let Value::Object(object) = at else {
                        return Err(format!("`{path}`: `{key}` is inside a value that is not an object"));
                    };
                    if last {
                        object.insert(key.clone(), next);
                        break;
                    }
                    object.entry(key.clone()).or_insert(next)
                }
                Step::Index(_) | Step::Push => {
                    if at.is_null() {
                        *at = json!([]);
                    }
                    let Value::Array(items) = at else {
                        return Err(format!("`{path}`: an array position inside a value that is not an array"));
                    };
                    let n = match step {
                        Step::Index(n) => *n,
                        _ => items.len(),
                    };
                    if n > items.len() {
                        return Err(format!("`{path}`: item {n} of an array of {}", items.len()));
                    }
                    if n == items.len() {
                        items.push(next);
                    } else if last {
                        items[n] = next;
                    }
                    if last {
                        break;
                    }
                    &mut items[n]
                }
            };
        }
    }
    Ok(body)
}

/// A body with every field the client sends at its zero value (an enum at
/// its first name, an array with one item, a map with one `key`), nested
/// types written out once along each path: what to edit before sending.
pub fn template(defs: &BTreeMap<String, Value>, schema: &Value) -> Value {
    skeleton(defs, schema, &mut Vec::new())
}

fn skeleton(defs: &BTreeMap<String, Value>, schema: &Value, seen: &mut Vec<String>) -> Value {
    if schema.get("$ref").is_some() {
        let Some((name, def)) = referenced(defs, schema) else { return json!({}) };
        if seen.iter().any(|s| s == name) {
            return json!({});
        }
        seen.push(name.to_owned());
        let out = skeleton(defs, def, seen);
        seen.pop();
        return out;
    }
    if let Some(Value::Array(names)) = schema.get("enum") {
        return names.first().cloned().unwrap_or(Value::Null);
    }
    if let Some(Value::Array(alternatives)) = schema.get("oneOf") {
        return alternatives.first().map_or(Value::Null, |first| skeleton(defs, first, seen));
    }
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    match schema.get("type").and_then(Value::as_str) {
        Some("boolean") => json!(false),
        Some("integer" | "number") => json!(0),
        Some("string") if matches!(format, "int64" | "uint64") => json!("0"),
        Some("string") => json!(""),
        Some("array") => json!([skeleton(defs, schema.get("items").unwrap_or(&Value::Null), seen)]),
        Some("object") => {
            let mut out = Map::new();
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, field) in properties {
                    if field.get("readOnly") != Some(&Value::Bool(true)) {
                        out.insert(name.clone(), skeleton(defs, field, seen));
                    }
                }
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object())
                && out.is_empty()
            {
                out.insert("key".to_owned(), skeleton(defs, extra, seen));
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// The `--set` paths of a body, each with its type (`spec.replicas`,
/// `integer`; `tags[]`, `string`; `labels.KEY`, `string`), to offer as
/// completions: fields the client sends, down to `depth` objects deep,
/// each nested type written out once along a path.
pub fn paths(defs: &BTreeMap<String, Value>, schema: &Value, depth: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk_paths(defs, schema, String::new(), depth, &mut Vec::new(), &mut out);
    out
}

fn walk_paths(
    defs: &BTreeMap<String, Value>,
    schema: &Value,
    at: String,
    depth: usize,
    seen: &mut Vec<String>,
    out: &mut Vec<(String, String)>,
) {
    if let Some((name, def)) = referenced(defs, schema) {
        if !seen.iter().any(|s| s == name) {
            seen.push(name.to_owned());
            walk_paths(defs, def, at, depth, seen, out);
            seen.pop();
        }
        return;
    }
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    let properties = schema.get("properties").and_then(Value::as_object);
    let map_of = schema.get("additionalProperties").filter(|a| a.is_object());
    let child = |name: &str| if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") };
    match (kind, properties, map_of) {
        ("object", Some(properties), _) if depth > 0 && !properties.is_empty() => {
            for (name, field) in properties {
                if field.get("readOnly") != Some(&Value::Bool(true)) {
                    walk_paths(defs, field, child(name), depth - 1, seen, out);
                }
            }
        }
        ("object", _, Some(values)) if depth > 0 => walk_paths(defs, values, child("KEY"), depth - 1, seen, out),
        ("array", _, _) => {
            let items = resolve(defs, schema.get("items").unwrap_or(&Value::Null));
            match items.get("type").and_then(Value::as_str) {
                Some("object") if depth > 0 => walk_paths(defs, items, format!("{at}[0]"), depth - 1, seen, out),
                item => out.push((format!("{at}[]"), item.unwrap_or("any").to_owned())),
            }
        }
        _ if !at.is_empty() => {
            let kind = if schema.get("enum").is_some() { "enum" } else { kind };
            out.push((at, kind.to_owned()));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs() -> BTreeMap<String, Value> {
        let mut defs = BTreeMap::new();
        defs.insert(
            "Req".to_owned(),
            json!({"type": "object", "properties": {
                "name": {"type": "string"},
                "id": {"type": "string", "readOnly": true},
                "size": {"type": "string", "format": "int64"},
                "on": {"type": "boolean"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "spec": {"$ref": "#/$defs/Spec"},
                "phase": {"$ref": "#/$defs/Phase"}
            }}),
        );
        defs.insert(
            "Spec".to_owned(),
            json!({"type": "object", "properties": {
                "replicas": {"type": "integer", "format": "int32"},
                "ports": {"type": "array", "items": {"$ref": "#/$defs/Port"}},
                "parent": {"$ref": "#/$defs/Spec"}
            }}),
        );
        defs.insert(
            "Port".to_owned(),
            json!({"type": "object", "properties": {"port": {"type": "integer"}, "name": {"type": "string"}}}),
        );
        defs.insert("Phase".to_owned(), json!({"type": "string", "enum": ["UNSPECIFIED", "Running"]}));
        defs
    }

    fn set(body: Option<Value>, sets: &[&str]) -> Result<Value, String> {
        let sets: Vec<String> = sets.iter().map(|s| (*s).to_owned()).collect();
        apply(&defs(), &json!({"$ref": "#/$defs/Req"}), body, &sets)
    }

    #[test]
    fn fields_are_set_at_nested_paths_typed_by_the_schema() {
        let body = set(
            None,
            &[
                "name=007",
                "size=3",
                "on=true",
                "spec.replicas=3",
                "labels.team=a",
                "tags[]=x",
                "tags[]=y",
                "spec.ports[0].port=80",
                "spec.ports[0].name=http",
                "phase=Running",
            ],
        )
        .unwrap();
        assert_eq!(
            body,
            json!({"name": "007", "size": "3", "on": true, "spec": {"replicas": 3, "ports": [{"port": 80, "name": "http"}]},
                   "labels": {"team": "a"}, "tags": ["x", "y"], "phase": "Running"})
        );
    }

    #[test]
    fn sets_merge_over_the_body() {
        let body =
            set(Some(json!({"name": "a", "spec": {"replicas": 1}, "tags": ["t"]})), &["spec.replicas=2", "tags[0]=u"])
                .unwrap();
        assert_eq!(body, json!({"name": "a", "spec": {"replicas": 2}, "tags": ["u"]}));
    }

    #[test]
    fn bad_paths_are_refused_with_their_place() {
        assert!(set(None, &["name"]).unwrap_err().contains("path=value"));
        assert!(set(None, &["tags[5]=x"]).unwrap_err().contains("item 5"));
        assert!(set(None, &["tags[x]=1"]).unwrap_err().contains("not an array position"));
        assert!(set(Some(json!({"name": "a"})), &["name.first=b"]).unwrap_err().contains("not an object"));
        // An unknown field is kept, as text, for the body check to refuse
        // with the nearest names.
        assert_eq!(set(None, &["nmae=bob"]).unwrap(), json!({"nmae": "bob"}));
    }

    #[test]
    fn a_template_has_every_field_the_client_sends() {
        let skeleton = template(&defs(), &json!({"$ref": "#/$defs/Req"}));
        assert_eq!(
            skeleton,
            json!({"name": "", "size": "0", "on": false, "labels": {"key": ""}, "tags": [""],
                   "spec": {"replicas": 0, "ports": [{"port": 0, "name": ""}], "parent": {}}, "phase": "UNSPECIFIED"})
        );
    }
}
