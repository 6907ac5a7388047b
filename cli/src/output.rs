//! Writing answers: JSON as the server sent it (fields in its order,
//! unknown ones kept), pretty on a terminal and compact otherwise; YAML;
//! a table of a list's items; or one item per line (NDJSON).

use std::io::{IsTerminal as _, Write};

use serde_json::value::RawValue;

use crate::fail::Failure;

/// How to write an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON, pretty when stdout is a terminal.
    Json,
    /// YAML.
    Yaml,
    /// A table of a list's items.
    Table,
    /// One JSON value per line.
    Ndjson,
}

impl Format {
    /// From `--output`.
    pub fn parse(name: Option<&str>) -> Self {
        match name {
            Some("yaml") => Format::Yaml,
            Some("table") => Format::Table,
            Some("ndjson") => Format::Ndjson,
            _ => Format::Json,
        }
    }
}

/// Where answers go, and how.
pub struct Printer {
    /// The format.
    pub format: Format,
    /// `--columns`.
    pub columns: Vec<String>,
    /// Whether stdout is a terminal.
    pretty: bool,
    /// `--jq`: applied to an answer, or to each item of `--all`.
    query: Option<crate::query::Query>,
}

fn io_error(e: &std::io::Error) -> Failure {
    Failure::config(format!("cannot write the answer: {e}"))
}

impl Printer {
    /// A printer for stdout.
    pub fn new(format: Format, columns: Vec<String>, query: Option<crate::query::Query>) -> Self {
        Self { format, columns, pretty: std::io::stdout().is_terminal(), query }
    }

    /// What the query keeps of `value` (all of it without one), as JSON.
    fn queried(&self, value: &[u8]) -> Result<Vec<Box<RawValue>>, Failure> {
        let Some(query) = &self.query else {
            let raw = serde_json::from_slice::<Box<RawValue>>(value).map_err(|e| Failure::config(e.to_string()))?;
            return Ok(vec![raw]);
        };
        let input = serde_json::from_slice(value).map_err(|e| Failure::config(e.to_string()))?;
        let outputs = query.run(input).map_err(|why| Failure::usage(format!("--jq: {why}")))?;
        outputs.iter().map(|v| serde_json::value::to_raw_value(v).map_err(|e| Failure::config(e.to_string()))).collect()
    }

    /// Writes one JSON document; `items` names the field that holds a
    /// list's items, for tables and NDJSON. With `--jq`, what the query
    /// gives: one value as a document, several as a list of items.
    pub fn document(&self, body: &[u8], items: Option<&str>) -> Result<(), Failure> {
        if self.query.is_some() {
            let mut outputs = self.queried(body)?;
            return match outputs.len() {
                1 => self.whole(outputs.remove(0).get().as_bytes(), None),
                _ => self.items(&outputs),
            };
        }
        self.whole(body, items)
    }

    fn whole(&self, body: &[u8], items: Option<&str>) -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        match self.format {
            Format::Json => self.json(&mut out, body)?,
            Format::Yaml => yaml(&mut out, body)?,
            Format::Ndjson | Format::Table => {
                let rows = rows(body, items)?;
                if self.format == Format::Ndjson {
                    for row in &rows {
                        writeln!(out, "{}", row.get()).map_err(|e| io_error(&e))?;
                    }
                } else {
                    self.table(&mut out, &rows)?;
                }
            }
        }
        out.flush().map_err(|e| io_error(&e))
    }

    /// What `--jq` keeps of each item of `--all` (each item without it).
    pub fn each(&self, items: Vec<Box<RawValue>>) -> Result<Vec<Box<RawValue>>, Failure> {
        if self.query.is_none() {
            return Ok(items);
        }
        let mut out = Vec::new();
        for item in items {
            out.extend(self.queried(item.get().as_bytes())?);
        }
        Ok(out)
    }

    /// Writes the items of every page (`--all`).
    pub fn items(&self, items: &[Box<RawValue>]) -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        match self.format {
            Format::Table => self.table(&mut out, items)?,
            Format::Ndjson => {
                for item in items {
                    writeln!(out, "{}", item.get()).map_err(|e| io_error(&e))?;
                }
            }
            Format::Json | Format::Yaml => {
                let list = serde_json::to_vec(items).map_err(|e| Failure::config(e.to_string()))?;
                if self.format == Format::Json { self.json(&mut out, &list)? } else { yaml(&mut out, &list)? }
            }
        }
        out.flush().map_err(|e| io_error(&e))
    }

    /// Writes one item as a line, as it arrives (`--all --output ndjson`).
    pub fn line(&self, item: &RawValue) -> Result<(), Failure> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", item.get()).map_err(|e| io_error(&e))
    }

    fn json(&self, out: &mut impl Write, body: &[u8]) -> Result<(), Failure> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let written = if self.pretty {
            let mut ser = serde_json::Serializer::pretty(&mut *out);
            serde_transcode::transcode(&mut de, &mut ser)
        } else {
            let mut ser = serde_json::Serializer::new(&mut *out);
            serde_transcode::transcode(&mut de, &mut ser)
        };
        written.map_err(|e| Failure::config(format!("cannot write the answer as JSON: {e}")))?;
        writeln!(out).map_err(|e| io_error(&e))
    }

    fn table(&self, out: &mut impl Write, rows: &[Box<RawValue>]) -> Result<(), Failure> {
        let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
            .iter()
            .map(|row| match serde_json::from_str::<serde_json::Value>(row.get()) {
                Ok(serde_json::Value::Object(map)) => map,
                Ok(other) => serde_json::Map::from_iter([("value".to_owned(), other)]),
                Err(_) => serde_json::Map::new(),
            })
            .collect();
        let columns = if self.columns.is_empty() { default_columns(rows) } else { self.columns.clone() };
        let mut table = comfy_table::Table::new();
        table.load_preset(comfy_table::presets::NOTHING).set_header(columns.iter().map(|c| c.to_uppercase()));
        for object in &objects {
            table.add_row(columns.iter().map(|c| cell(lookup(object, c))));
        }
        writeln!(out, "{}", table.to_string().lines().map(str::trim_end).collect::<Vec<_>>().join("\n"))
            .map_err(|e| io_error(&e))
    }
}

fn yaml(out: &mut impl Write, body: &[u8]) -> Result<(), Failure> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let text = serde_saphyr::to_string(&serde_transcode::Transcoder::new(&mut de))
        .map_err(|e| Failure::config(format!("cannot write the answer as YAML: {e}")))?;
    out.write_all(text.as_bytes()).map_err(|e| io_error(&e))
}

/// The rows of a table: the list's items (`items`, or the first field that
/// holds an array of objects), the document itself when it is an array,
/// or the document as one row.
fn rows(body: &[u8], items: Option<&str>) -> Result<Vec<Box<RawValue>>, Failure> {
    let bad = |e: serde_json::Error| Failure::config(format!("the answer is not JSON: {e}"));
    if let Ok(list) = serde_json::from_slice::<Vec<Box<RawValue>>>(body) {
        return Ok(list);
    }
    let fields: Vec<(String, Box<RawValue>)> = serde_json::from_slice::<fields_in_order::Fields>(body).map_err(bad)?.0;
    let named = items.and_then(|name| fields.iter().find(|(k, _)| k == name));
    let first_list = || fields.iter().find(|(_, v)| v.get().trim_start().starts_with('['));
    match named.or_else(first_list) {
        Some((_, list)) => serde_json::from_str(list.get()).map_err(bad),
        None => Ok(vec![RawValue::from_string(String::from_utf8_lossy(body).into_owned()).map_err(bad)?]),
    }
}

/// The columns of a table when none are asked for: the first six fields
/// holding text, numbers or booleans, in the order of the first item.
fn default_columns(rows: &[Box<RawValue>]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows.iter().take(20) {
        let Ok(fields) = serde_json::from_str::<fields_in_order::Fields>(row.get()) else {
            return vec!["value".to_owned()];
        };
        for (name, value) in fields.0 {
            let scalar = !matches!(value.get().trim_start().as_bytes().first(), Some(b'{' | b'['));
            if scalar && !columns.contains(&name) && columns.len() < 6 {
                columns.push(name);
            }
        }
    }
    columns
}

/// A field by name, or by a dotted path (`metadata.name`).
fn lookup<'a>(object: &'a serde_json::Map<String, serde_json::Value>, column: &str) -> Option<&'a serde_json::Value> {
    if let Some(value) = object.get(column) {
        return Some(value);
    }
    let (first, rest) = column.split_once('.')?;
    match object.get(first)? {
        serde_json::Value::Object(inner) => lookup(inner, rest),
        _ => None,
    }
}

fn cell(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            let text = other.to_string();
            match text.char_indices().nth(40) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    }
}

/// An object's fields in the order they came, each kept as written.
mod fields_in_order {
    use std::fmt;

    use serde::de::{MapAccess, Visitor};
    use serde_json::value::RawValue;

    pub struct Fields(pub Vec<(String, Box<RawValue>)>);

    impl<'de> serde::Deserialize<'de> for Fields {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Fields;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                    let mut out = Vec::new();
                    while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                        out.push((key, value));
                    }
                    Ok(Fields(out))
                }
            }
            deserializer.deserialize_map(V)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_from_the_named_list_or_the_first_one() {
        let body = br#"{"pagination":{"total":2},"items":[{"id":"1","name":"a"},{"id":"2","name":"b","x":{}}]}"#;
        let items = rows(body, Some("items")).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(default_columns(&items), ["id", "name"]);
        assert_eq!(rows(body, None).unwrap().len(), 2);
        assert_eq!(rows(br#"{"id":"1"}"#, None).unwrap().len(), 1);
    }

    #[test]
    fn cells_follow_dotted_paths() {
        let object = serde_json::json!({"metadata": {"name": "n"}, "n": 5});
        let object = object.as_object().unwrap();
        assert_eq!(cell(lookup(object, "metadata.name")), "n");
        assert_eq!(cell(lookup(object, "n")), "5");
        assert_eq!(cell(lookup(object, "missing")), "");
    }
}
