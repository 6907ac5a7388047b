//! Bodies and answers checked against the JSON Schemas of the table of
//! operations, with protojson's rules (the generated clients' codec):
//!
//! - a body a user gives is refused, before anything is sent, where it
//!   does not fit: a field its type does not have (with the nearest names),
//!   a value of the wrong kind, an enum value the document does not name,
//!   a missing required field. What is sent is what the user wrote, in
//!   protojson form: 64-bit integers as strings (`"format": "int64"`);
//!   `null`, and a field's zero value (its schema's `default`: proto3 reads
//!   absent as that value), left out as the client leaves them out;
//!   read-only fields left out too, with a note;
//! - an answer is checked as the client reads it, leniently: fields the
//!   document does not know are allowed, enums are open, `null` is the
//!   default; what the server sent is kept byte for byte.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde_json::{Map, Value};

/// Why a value does not fit its schema, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where (`spec.replicas`, `items[0].name`), or empty for the whole value.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// For a field the type does not have: the type's fields.
    pub known: Vec<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

/// A body checked and put in the form it is sent in.
#[derive(Debug)]
pub struct Encoded {
    /// The value to send.
    pub value: Value,
    /// What was left out and why (read-only fields), one line each.
    pub notes: Vec<String>,
}

/// The definition a `$ref` schema names (`#/$defs/<name>`), with its name;
/// `None` when `schema` is not a reference or names nothing.
pub fn referenced<'a>(defs: &'a BTreeMap<String, Value>, schema: &Value) -> Option<(&'a str, &'a Value)> {
    let reference = schema.get("$ref")?.as_str()?;
    let (name, def) = defs.get_key_value(reference.strip_prefix("#/$defs/").unwrap_or(reference))?;
    Some((name.as_str(), def))
}

/// `schema` with `$ref`s followed to the definition they name.
pub fn resolve<'a>(defs: &'a BTreeMap<String, Value>, mut schema: &'a Value) -> &'a Value {
    // Bounded: a reference cycle with no schema in between would loop.
    for _ in 0..32 {
        match referenced(defs, schema) {
            Some((_, def)) => schema = def,
            None => break,
        }
    }
    schema
}

/// Checks a body against `schema` (models in `defs`) and encodes it.
pub fn encode(defs: &BTreeMap<String, Value>, schema: &Value, given: &Value) -> Result<Encoded, Mismatch> {
    if given.is_null() {
        return Err(Mismatch { path: String::new(), message: "the body is `null`".to_owned(), known: Vec::new() });
    }
    let mut walk = Walk { defs, send: true, path: Vec::new(), notes: Vec::new() };
    let value = walk.value(schema, given, None)?.unwrap_or(Value::Null);
    Ok(Encoded { value, notes: walk.notes })
}

/// Checks an answer against `schema` (models in `defs`) as the client
/// reads it.
pub fn check_answer(defs: &BTreeMap<String, Value>, schema: &Value, answer: &Value) -> Result<(), Mismatch> {
    let mut walk = Walk { defs, send: false, path: Vec::new(), notes: Vec::new() };
    walk.value(schema, answer, None).map(drop)
}

/// A step of a path into a value.
enum Step {
    Key(String),
    Index(usize),
}

struct Walk<'a> {
    defs: &'a BTreeMap<String, Value>,
    /// A body to send (strict, encoded) rather than an answer (lenient).
    send: bool,
    path: Vec<Step>,
    notes: Vec<String>,
}

impl Walk<'_> {
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if out.is_empty() => out.push_str(key),
                Step::Key(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }

    fn fail(&self, message: String) -> Mismatch {
        Mismatch { path: self.path(), message, known: Vec::new() }
    }

    /// Checks `given` against `schema`; in send mode, returns what to
    /// send (`None`: leave it out).
    fn value(&mut self, schema: &Value, given: &Value, model: Option<&str>) -> Result<Option<Value>, Mismatch> {
        let defs = self.defs;
        if let Some((name, def)) = referenced(defs, schema) {
            return self.value(def, given, Some(name));
        }
        let Some(schema) = schema.as_object().filter(|s| !s.contains_key("$ref")) else { return Ok(self.keep(given)) };
        if given.is_null() {
            // protojson: `null` is the default value, as absent is.
            return Ok(None);
        }
        if let Some(Value::Array(alternatives)) = schema.get("oneOf") {
            return self.one_of(alternatives, given, model);
        }
        if let Some(Value::Array(names)) = schema.get("enum") {
            return self.enumerated(names, given, model);
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match schema.get("type").and_then(Value::as_str) {
            Some("boolean") => self.expect(given.is_boolean(), given, "`true` or `false`"),
            Some("integer") => self.integer(given, format),
            Some("string") if matches!(format, "int64" | "uint64") => self.int64(given, format),
            Some("number") => self.expect(given.is_number(), given, "a number"),
            Some("string") => self.expect(given.is_string(), given, "a string"),
            Some("array") => self.array(schema, given),
            Some("object") => self.object(schema, given, model),
            _ => Ok(self.keep(given)),
        }
    }

    fn keep(&self, given: &Value) -> Option<Value> {
        (self.send && !given.is_null()).then(|| given.clone())
    }

    fn expect(&self, fits: bool, given: &Value, what: &str) -> Result<Option<Value>, Mismatch> {
        if fits { Ok(self.keep(given)) } else { Err(self.fail(format!("expected {what}, found {}", describe(given)))) }
    }

    fn integer(&self, given: &Value, format: &str) -> Result<Option<Value>, Mismatch> {
        let fits = match format {
            "int32" => given.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "uint32" => given.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            "uint64" => given.is_u64(),
            _ => given.is_i64() || given.is_u64(),
        };
        let what = match format {
            "" => "an integer".to_owned(),
            format => format!("an integer ({format})"),
        };
        self.expect(fits, given, &what)
    }

    /// A 64-bit integer as protojson writes it: a string; a number or a
    /// string is accepted.
    fn int64(&self, given: &Value, format: &str) -> Result<Option<Value>, Mismatch> {
        let text = match given {
            Value::String(text) => Some(text.trim().to_owned()),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            // protojson accepts exponent forms such as 1e3 for integers.
            Value::Number(n) => {
                n.as_f64().filter(|v| v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15).map(|v| format!("{v:.0}"))
            }
            _ => None,
        };
        let parsed =
            text.filter(|t| if format == "uint64" { t.parse::<u64>().is_ok() } else { t.parse::<i64>().is_ok() });
        match parsed {
            Some(text) => Ok(self.send.then_some(Value::String(text))),
            None => Err(self
                .fail(format!("expected an integer ({format}), as a number or a string, found {}", describe(given)))),
        }
    }

    fn enumerated(&self, names: &[Value], given: &Value, model: Option<&str>) -> Result<Option<Value>, Mismatch> {
        if !self.send {
            // Enums are open: a value newer than the document is kept.
            return self.expect(given.is_string() || given.is_number(), given, "an enum value name");
        }
        let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        let Value::String(name) = given else {
            return Err(self.fail(format!("expected one of {}, found {}", listed(&names), describe(given))));
        };
        if names.contains(&name.as_str()) {
            return Ok(self.keep(given));
        }
        let of = model.map(|m| format!(" of {m}")).unwrap_or_default();
        let hint = match nearest(name, &names).as_slice() {
            [] => format!("; the values are {}", listed(&names)),
            near => format!("; did you mean {}?", listed(near)),
        };
        Err(self.fail(format!("`{name}` is not a value{of}{hint}")))
    }

    fn one_of(
        &mut self,
        alternatives: &[Value],
        given: &Value,
        model: Option<&str>,
    ) -> Result<Option<Value>, Mismatch> {
        let mut first = None;
        for alternative in alternatives {
            let depth = self.path.len();
            let notes = self.notes.len();
            match self.value(alternative, given, None) {
                Ok(value) => return Ok(value),
                Err(mismatch) => {
                    self.path.truncate(depth);
                    self.notes.truncate(notes);
                    first.get_or_insert(mismatch);
                }
            }
        }
        let name = model.unwrap_or("the union");
        Err(match first {
            Some(first) => self.fail(format!("matches none of the alternatives of {name} (the first says: {first})")),
            None => self.fail(format!("{name} has no alternatives")),
        })
    }

    fn array(&mut self, schema: &Map<String, Value>, given: &Value) -> Result<Option<Value>, Mismatch> {
        let Value::Array(items) = given else { return self.expect(false, given, "an array") };
        let empty = Value::Object(Map::new());
        let item_schema = schema.get("items").unwrap_or(&empty);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            self.path.push(Step::Index(i));
            if item.is_null() && self.send {
                return Err(self.fail("an array item cannot be `null`".to_owned()));
            }
            let value = self.value(item_schema, item, None)?;
            self.path.pop();
            out.extend(value);
        }
        Ok(self.send.then_some(Value::Array(out)))
    }

    fn object(
        &mut self,
        schema: &Map<String, Value>,
        given: &Value,
        model: Option<&str>,
    ) -> Result<Option<Value>, Mismatch> {
        let what = model.map_or_else(|| "a JSON object".to_owned(), |m| format!("a JSON object ({m})"));
        let Value::Object(fields) = given else { return self.expect(false, given, &what) };
        let empty = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let additional = schema.get("additionalProperties").filter(|a| a.is_object());
        let mut out = Map::new();
        for (key, value) in fields {
            let field_schema = match properties.get(key) {
                Some(field) => {
                    if self.send && field.get("readOnly") == Some(&Value::Bool(true)) {
                        self.path.push(Step::Key(key.clone()));
                        self.notes.push(format!("`{}` is read-only (set by the server) and is not sent", self.path()));
                        self.path.pop();
                        continue;
                    }
                    field
                }
                None => match additional {
                    Some(additional) => additional,
                    None if self.send => {
                        self.path.push(Step::Key(key.clone()));
                        return Err(self.unknown(key, properties, model));
                    }
                    None => continue,
                },
            };
            self.path.push(Step::Key(key.clone()));
            let value = self.value(field_schema, value, None)?;
            self.path.pop();
            match (value, field_schema.get("default")) {
                (Some(value), Some(zero)) if same(&value, zero) => {}
                (Some(value), _) => {
                    out.insert(key.clone(), value);
                }
                (None, _) => {}
            }
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !fields.contains_key(name) {
                    return Err(self.fail(format!("missing field `{name}`")));
                }
            }
        }
        Ok(self.send.then_some(Value::Object(out)))
    }

    fn unknown(&self, key: &str, properties: &Map<String, Value>, model: Option<&str>) -> Mismatch {
        let mut known: Vec<&str> = properties
            .iter()
            .filter(|(_, s)| s.get("readOnly") != Some(&Value::Bool(true)))
            .map(|(name, _)| name.as_str())
            .collect();
        // By name, whatever order serde_json keeps objects in (a workspace
        // build turns on `preserve_order`).
        known.sort_unstable();
        let type_name = model.unwrap_or("this object");
        let message = match (nearest(key, &known).as_slice(), known.is_empty()) {
            (_, true) => format!("no such field: {type_name} has no fields"),
            ([], false) => format!("no such field in {type_name}; its fields are {}", listed(&known)),
            (near, false) => format!("no such field in {type_name}; did you mean {}?", listed(near)),
        };
        Mismatch { path: self.path(), message, known: known.iter().map(|k| (*k).to_owned()).collect() }
    }
}

/// Whether two values are equal, numbers by value (`0` and `0.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => a == b,
    }
}

/// What a JSON value is, for a message.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "`null`".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.chars().count() > 40 => "a string".to_owned(),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "a JSON object".to_owned(),
    }
}

/// `` `a`, `b` or `c` ``.
fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => "none".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The names nearest to `given`: the same apart from case and `_`/`-`
/// (`user_name` for `userName`), else within a few edits, nearest first.
pub fn nearest<'a>(given: &str, names: &[&'a str]) -> Vec<&'a str> {
    let fold = |s: &str| s.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect::<String>();
    let folded = fold(given);
    let same: Vec<&str> = names.iter().copied().filter(|n| fold(n) == folded).collect();
    if !same.is_empty() {
        return same;
    }
    let limit = (folded.chars().count() / 3).max(1);
    let mut near: Vec<(usize, &str)> =
        names.iter().map(|n| (distance(&folded, &fold(n)), *n)).filter(|(d, _)| *d <= limit).collect();
    near.sort();
    near.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Edit distance (insertions, deletions, substitutions, transpositions).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![(0..=b.len()).collect::<Vec<usize>>(); a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> BTreeMap<String, Value> {
        let mut defs = BTreeMap::new();
        defs.insert(
            "CreateUserRequest".to_owned(),
            json!({"type": "object", "properties": {
                "name": {"type": "string", "default": ""},
                "password": {"type": "string"},
                "temporary": {"type": "boolean", "default": false},
                "id": {"type": "string", "readOnly": true},
                "size": {"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"},
                "replicas": {"type": "integer", "format": "int32"},
                "phase": {"$ref": "#/$defs/Phase"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "spec": {"$ref": "#/$defs/Spec"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }}),
        );
        defs.insert("Phase".to_owned(), json!({"type": "string", "enum": ["PHASE_UNSPECIFIED", "Running", "Stopped"]}));
        defs.insert(
            "Spec".to_owned(),
            json!({"type": "object", "properties": {"image": {"type": "string"}, "ports": {"type": "array", "items": {"$ref": "#/$defs/Port"}}}, "required": ["image"]}),
        );
        defs.insert(
            "Port".to_owned(),
            json!({"type": "object", "properties": {"port": {"type": "integer", "format": "int32"}}}),
        );
        defs
    }

    fn send(body: Value) -> Result<Encoded, Mismatch> {
        encode(&defs(), &json!({"$ref": "#/$defs/CreateUserRequest"}), &body)
    }

    #[test]
    fn an_unknown_field_is_refused_at_any_depth_with_the_nearest_names() {
        let error = send(json!({"nmae": "alice"})).unwrap_err();
        assert_eq!(error.to_string(), "at `nmae`: no such field in CreateUserRequest; did you mean `name`?");
        assert!(error.known.contains(&"password".to_owned()) && !error.known.contains(&"id".to_owned()));
        let error = send(json!({"spec": {"image": "x", "ports": [{"port": 1}, {"prot": 2}]}})).unwrap_err();
        assert_eq!(error.to_string(), "at `spec.ports[1].prot`: no such field in Port; did you mean `port`?");
        let error = send(json!({"enabled": "yes"})).unwrap_err();
        assert!(
            error.message.starts_with("no such field in CreateUserRequest; its fields are `labels`, `name`"),
            "{error}"
        );
        assert_eq!(nearest("user_name", &["userName", "username2"]), ["userName"]);
    }

    #[test]
    fn values_are_checked_and_sent_in_protojson_form() {
        let zeros = send(json!({"name": "", "temporary": false, "password": ""})).unwrap();
        assert_eq!(zeros.value, json!({"password": ""}), "zero values with a default are left out, as the client does");
        let sent = send(json!({"name": "a", "size": 3, "replicas": 0, "labels": {"team": "x"}, "tags": ["t"], "phase": "Running", "password": null}))
            .unwrap();
        assert_eq!(
            sent.value,
            json!({"name": "a", "size": "3", "replicas": 0, "labels": {"team": "x"}, "tags": ["t"], "phase": "Running"})
        );
        assert_eq!(send(json!({"size": "-12"})).unwrap().value, json!({"size": "-12"}));
        assert_eq!(send(json!({"size": 1e3})).unwrap().value, json!({"size": "1000"}));
        let error = send(json!({"replicas": "three"})).unwrap_err();
        assert_eq!(error.to_string(), "at `replicas`: expected an integer (int32), found the string \"three\"");
        assert!(send(json!({"replicas": 4_294_967_296_u64})).is_err());
        assert!(
            send(json!({"size": "1.5"})).unwrap_err().to_string().starts_with("at `size`: expected an integer (int64)")
        );
        let error = send(json!({"phase": "running"})).unwrap_err();
        assert_eq!(error.to_string(), "at `phase`: `running` is not a value of Phase; did you mean `Running`?");
        assert!(send(json!({"labels": {"team": 1}})).unwrap_err().to_string().starts_with("at `labels.team`"));
        assert_eq!(send(json!({"spec": {}})).unwrap_err().to_string(), "at `spec`: missing field `image`");
        assert!(send(json!({"tags": [null]})).is_err());
        assert!(send(json!(null)).is_err() && send(json!([])).is_err());
    }

    #[test]
    fn read_only_fields_are_left_out_with_a_note() {
        let sent = send(json!({"id": "u1", "name": "a"})).unwrap();
        assert_eq!(sent.value, json!({"name": "a"}));
        assert_eq!(sent.notes, ["`id` is read-only (set by the server) and is not sent"]);
    }

    #[test]
    fn answers_are_read_leniently_as_the_client_reads_them() {
        let schema = json!({"$ref": "#/$defs/CreateUserRequest"});
        let answer =
            json!({"name": "a", "extra": {"new": 1}, "phase": "NEWER_VALUE", "size": 5, "id": "u1", "labels": null});
        assert_eq!(check_answer(&defs(), &schema, &answer), Ok(()));
        let error = check_answer(&defs(), &schema, &json!({"name": {"not": "a string"}})).unwrap_err();
        assert_eq!(error.to_string(), "at `name`: expected a string, found a JSON object");
        assert!(check_answer(&defs(), &schema, &json!({"spec": {"ports": []}})).is_err());
    }

    #[test]
    fn a_union_takes_the_first_alternative_that_fits() {
        let schema = json!({"oneOf": [{"type": "string", "format": "int64"}, {"$ref": "#/$defs/Port"}]});
        assert_eq!(encode(&defs(), &schema, &json!(7)).unwrap().value, json!("7"));
        assert_eq!(encode(&defs(), &schema, &json!({"port": 7})).unwrap().value, json!({"port": 7}));
        assert!(encode(&defs(), &schema, &json!(true)).unwrap_err().message.starts_with("matches none"));
    }
}
