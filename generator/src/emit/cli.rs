//! The command line's table of operations: for each module, a JSON
//! document describing every operation (its name on the command line,
//! method, path, parameters with their kinds and allowed values, body and
//! answer with their JSON Schemas), which the `drun` binary (`cli/`)
//! embeds and reads on first use.
//!
//! Data rather than code: compiled as Rust, the table (and one typed check
//! per body and answer type) made the binary's one crate take ten minutes
//! and 5.6 GB to build; as data it costs nothing to compile, and the binary
//! parses only the module a command names. Bodies and answers are checked
//! against the schemas the table carries, which say what protojson needs
//! to know (`format` of every integer, `required`, `readOnly`, enums).
//!
//! Laid out for review: one line per operation and per schema, so a
//! changed operation is a changed line in a diff.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::ir::{Api, ArrayStyle, BodyEncoding, Framing, ModelKind, Operation, Param, Presence, ResponseKind, Type};

/// The options the binary defines on every command. A parameter whose flag
/// would be one of them gets a `param-` prefix instead (the binary's tests
/// check that this list covers its options).
pub const RESERVED_FLAGS: &[&str] = &[
    "all",
    "base-url",
    "body",
    "body-template",
    "cacert",
    "columns",
    "dry-run",
    "help",
    "idle-timeout",
    "insecure",
    "jq",
    "max-messages",
    "output",
    "profile",
    "raw-body",
    "set",
    "verbose",
    "version",
];

/// One module of the family, as the table's index names it.
#[derive(Debug, Clone)]
pub struct CliModule {
    /// The module's name (`mcamel-kafka`): its command.
    pub module: String,
    /// Its table's file name, without `.json` (`mcamel_kafka`).
    pub file: String,
    /// Its name in English, or empty.
    pub title: String,
    /// Its document's `info.title`.
    pub document_title: String,
}

/// The first key of every table file: it marks the file as generated (the
/// write plan recognises the generator's files by it).
fn marker() -> String {
    format!("{{{}: ", json_text(crate::write::GENERATED))
}

/// The table file of one module, as JSON. `title` is the module's name in
/// English, when the configuration gives one.
pub fn module_table(api: &Api, module: &str, title: Option<&str>) -> Result<String, Error> {
    let mut out = marker();
    out.push_str(&json_text("do not edit by hand; change the generator or the documents, and regenerate"));
    out.push_str(",\n");
    for (key, value) in [("name", module), ("title", title.unwrap_or("")), ("document_title", api.title.as_str())] {
        let _ = writeln!(out, "{}: {},", json_text(key), json_text(value));
    }
    out.push_str("\"tags\": [");
    for (t, tag) in api.tags.iter().enumerate() {
        out.push_str(if t == 0 { "\n" } else { ",\n" });
        let mut head = Map::new();
        head.insert("name".into(), tag_command(tag).into());
        head.insert("title".into(), tag.name.clone().into());
        let about = one_line(tag.description.as_deref().unwrap_or(""));
        if !about.is_empty() {
            head.insert("about".into(), about.into());
        }
        let head = Value::Object(head).to_string();
        out.push_str(&head[..head.len() - 1]);
        out.push_str(",\"operations\": [");
        for (o, op) in tag.operations.iter().enumerate() {
            out.push_str(if o == 0 { "\n" } else { ",\n" });
            out.push_str(&operation(api, op).to_string());
        }
        out.push_str("\n]}");
    }
    out.push_str("\n],\n\"schemas\": {");
    let mut models: Vec<&crate::ir::Model> = api.models.iter().collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    for (m, model) in models.iter().enumerate() {
        out.push_str(if m == 0 { "\n" } else { ",\n" });
        out.push_str(&json_text(&model.name));
        out.push_str(": ");
        out.push_str(&model_schema(api, model).to_string());
    }
    out.push_str("\n}}\n");
    Ok(out)
}

/// The index of the table: every module, in order, with its file embedded.
pub fn index(modules: &[CliModule]) -> String {
    let mut out = header();
    out.push_str("//! Every module's table of operations: JSON, embedded, parsed on first use.\n\n");
    out.push_str("use crate::table::Entry;\n\n");
    out.push_str("/// The modules, sorted by name.\n");
    let _ = writeln!(out, "pub static MODULES: [Entry; {}] = [", modules.len());
    for m in modules {
        let _ = writeln!(
            out,
            "    Entry::new({}, {}, {}, include_str!(\"{}.json\")),",
            rust_text(&m.module),
            rust_text(&m.title),
            rust_text(&m.document_title),
            m.file
        );
    }
    out.push_str("];\n");
    out
}

fn header() -> String {
    crate::write::RUST_MARKER.to_owned()
        + ": do not edit by hand.\n\
     // Source: the family configuration (specs/drun.yaml) and each module's document.\n\
     // Change the generator or the documents instead, and regenerate.\n\n"
}

/// `text` as a JSON string.
fn json_text(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

/// `text` as a Rust string literal.
fn rust_text(text: &str) -> String {
    format!("{text:?}")
}

fn operation(api: &Api, op: &Operation) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), command_name(op).into());
    out.insert("id".into(), op.id.clone().into());
    out.insert("method".into(), op.method.to_ascii_uppercase().into());
    out.insert("path".into(), op.path.clone().into());
    let (pieces, names) = (&op.template.pieces, &op.template.names);
    let segments: Vec<Value> = pieces
        .iter()
        .enumerate()
        .flat_map(|(i, piece)| {
            let literal = (!piece.is_empty()).then(|| json!({"literal": piece}));
            let param = names.get(i).map(|n| json!({"param": n}));
            literal.into_iter().chain(param)
        })
        .collect();
    out.insert("segments".into(), segments.into());
    let summary = one_line(op.summary.as_deref().unwrap_or(""));
    if !summary.is_empty() {
        out.insert("summary".into(), summary.into());
    }
    let description = op.description.as_deref().unwrap_or("").trim();
    if !description.is_empty() {
        out.insert("description".into(), description.into());
    }
    if op.deprecated {
        out.insert("deprecated".into(), true.into());
    }
    let params: Vec<Value> = op
        .path_params
        .iter()
        .map(|p| (p, "path"))
        .chain(op.query_params.iter().map(|p| (p, "query")))
        .chain(op.header_params.iter().map(|p| (p, "header")))
        .map(|(p, location)| param(api, p, location))
        .collect();
    if !params.is_empty() {
        out.insert("params".into(), params.into());
    }
    if let Some(body) = &op.body {
        let encoding = match body.encoding {
            BodyEncoding::Json => "json",
            BodyEncoding::Form => "form",
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Bytes | BodyEncoding::Text => "raw",
        };
        out.insert(
            "body".into(),
            json!({
                "type_name": body.ty.display_name(),
                "media_type": body.media_type,
                "encoding": encoding,
                "schema": type_schema(api, &body.ty),
            }),
        );
    }
    let answer = match &op.response {
        ResponseKind::Json(ty) => {
            json!({"kind": "json", "type_name": ty.display_name(), "schema": type_schema(api, ty)})
        }
        ResponseKind::Text => json!({"kind": "text"}),
        ResponseKind::Bytes => json!({"kind": "bytes"}),
        ResponseKind::Empty => json!({"kind": "empty"}),
        ResponseKind::Stream(stream) => {
            let framing = match stream.framing {
                Framing::JsonLines => "json-lines",
                Framing::ServerSentEvents => "events",
            };
            match &stream.message {
                Some(ty) => {
                    json!({"kind": "stream", "framing": framing, "type_name": ty.display_name(), "schema": type_schema(api, ty)})
                }
                None => json!({"kind": "stream", "framing": framing}),
            }
        }
    };
    out.insert("answer".into(), answer);
    if let Some([page, page_size, items, pagination, total]) = paging(api, op) {
        out.insert(
            "paging".into(),
            json!({"page": page, "page_size": page_size, "items": items, "pagination": pagination, "total": total}),
        );
    }
    Value::Object(out)
}

/// A parameter's flag (`--page-size`, without the dashes), or its value's
/// name when it is a path parameter: the method argument's name in kebab
/// case, prefixed `param-` where the binary has an option of that name.
pub fn flag_name(p: &Param) -> String {
    let flag = kebab(p.rust_name.trim_start_matches("r#").trim_end_matches('_'));
    if RESERVED_FLAGS.contains(&flag.as_str()) { format!("param-{flag}") } else { flag }
}

/// An operation's command (`list-users`).
pub fn command_name(op: &Operation) -> String {
    kebab(&op.fn_name)
}

/// A tag's command (`notebook-service`).
pub fn tag_command(tag: &crate::ir::Tag) -> String {
    kebab(&tag.module)
}

fn param(api: &Api, p: &Param, location: &str) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), p.wire_name.clone().into());
    out.insert("flag".into(), flag_name(p).into());
    out.insert("in".into(), location.into());
    if p.required {
        out.insert("required".into(), true.into());
    }
    let item = match &p.ty {
        Type::Vec(inner) => {
            let list = match p.style {
                ArrayStyle::Multi | ArrayStyle::DeepObject => json!("repeat"),
                ArrayStyle::Comma => json!({"joined": ","}),
                ArrayStyle::Space => json!({"joined": " "}),
                ArrayStyle::Pipe => json!({"joined": "|"}),
            };
            out.insert("list".into(), list);
            &**inner
        }
        ty => ty,
    };
    let (kind, values) = kind(api, item, p.style == ArrayStyle::DeepObject);
    out.insert("kind".into(), kind.into());
    if !values.is_empty() {
        out.insert("values".into(), values.into());
    }
    let description = one_line(p.description.as_deref().unwrap_or(""));
    if !description.is_empty() {
        out.insert("description".into(), description.into());
    }
    Value::Object(out)
}

/// A scalar's kind on the command line, and its allowed values (an enum's).
fn kind(api: &Api, ty: &Type, deep: bool) -> (&'static str, Vec<String>) {
    let object = if deep { "deep-object" } else { "object" };
    let kind = match ty {
        Type::Bool => "bool",
        Type::I32 => "i32",
        Type::I64 => "i64",
        Type::U32 => "u32",
        Type::U64 => "u64",
        Type::F32 | Type::F64 => "float",
        Type::String | Type::Base64 | Type::Bytes => "text",
        Type::Json | Type::Map(_) | Type::Vec(_) => object,
        Type::Model(name) => match api.model(name).map(|m| &m.kind) {
            Some(ModelKind::Enum { variants, .. }) => {
                return ("text", variants.iter().map(|v| v.wire.clone()).collect());
            }
            Some(ModelKind::Alias(inner)) => return kind(api, inner, deep),
            Some(ModelKind::Struct { .. }) => object,
            // A union of scalars is written as the text of its value.
            Some(ModelKind::OneOf { .. }) | None => "text",
        },
    };
    (kind, Vec::new())
}

/// The wire names of a paged list's page and size parameters, its items,
/// pagination and total fields.
fn paging(api: &Api, op: &Operation) -> Option<[String; 5]> {
    let paging = op.paging.as_ref()?;
    let wire_param = |rust: &str| op.query_params.iter().find(|p| p.rust_name == rust).map(|p| p.wire_name.clone());
    let fields = |model: &str| match api.model(model).map(|m| &m.kind) {
        Some(ModelKind::Struct { fields, .. }) => Some(fields),
        _ => None,
    };
    let response = fields(&paging.response)?;
    let wire_field = |fields: &[crate::ir::Field], rust: &str| fields.iter().find(|f| f.rust_name == rust).cloned();
    let items = wire_field(response, &paging.items_field)?;
    let pagination = wire_field(response, &paging.pagination_field)?;
    let Type::Model(pagination_model) = &pagination.ty else { return None };
    let total = wire_field(fields(pagination_model)?, &paging.total_field)?;
    Some([
        wire_param(&paging.page_param)?,
        wire_param(&paging.size_param)?,
        items.wire_name,
        pagination.wire_name,
        total.wire_name,
    ])
}

/// A type's JSON Schema, as it travels: models by `$ref` to the module's
/// `schemas` (`#/$defs/<name>`); every integer with its `format`, 64-bit
/// ones as protojson strings where the document is protojson.
fn type_schema(api: &Api, ty: &Type) -> Value {
    match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::I64 if api.protojson => json!({"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"}),
        Type::U64 if api.protojson => json!({"type": "string", "format": "uint64", "pattern": "^[0-9]+$"}),
        Type::I32 => json!({"type": "integer", "format": "int32"}),
        Type::U32 => json!({"type": "integer", "format": "uint32"}),
        Type::I64 => json!({"type": "integer", "format": "int64"}),
        Type::U64 => json!({"type": "integer", "format": "uint64"}),
        Type::F32 => json!({"type": "number", "format": "float"}),
        Type::F64 => json!({"type": "number", "format": "double"}),
        Type::String => json!({"type": "string"}),
        Type::Base64 => json!({"type": "string", "contentEncoding": "base64"}),
        Type::Bytes => json!({"type": "string", "format": "binary"}),
        Type::Json => json!({}),
        Type::Model(name) => json!({"$ref": format!("#/$defs/{name}")}),
        Type::Vec(inner) => json!({"type": "array", "items": type_schema(api, inner)}),
        Type::Map(inner) => json!({"type": "object", "additionalProperties": type_schema(api, inner)}),
    }
}

/// A model's JSON Schema: a struct's `required` (where absence is not the
/// zero value) and `readOnly` fields (which the client never sends), an
/// enum's names as the document writes them.
fn model_schema(api: &Api, model: &crate::ir::Model) -> Value {
    let mut schema = match &model.kind {
        ModelKind::Struct { fields, additional } => {
            let properties: Map<String, Value> = fields
                .iter()
                .map(|f| {
                    let mut field = type_schema(api, &f.ty);
                    if let Some(object) = field.as_object_mut() {
                        // proto3: absent is the zero value, which is not sent.
                        if f.presence == Presence::Defaulted
                            && let Some(zero) = zero_value(api, &f.ty)
                        {
                            object.insert("default".to_owned(), zero);
                        }
                        if f.read_only {
                            object.insert("readOnly".to_owned(), true.into());
                        }
                        if let Some(doc) = &f.doc {
                            object.insert("description".to_owned(), one_line(doc).into());
                        }
                    }
                    (f.wire_name.clone(), field)
                })
                .collect();
            let mut object = json!({"type": "object", "properties": properties});
            let required: Vec<&str> =
                fields.iter().filter(|f| f.presence == Presence::Required).map(|f| f.wire_name.as_str()).collect();
            if !required.is_empty() {
                object["required"] = required.into();
            }
            if let Some(extra) = additional {
                object["additionalProperties"] = type_schema(api, extra);
            }
            object
        }
        ModelKind::Enum { variants, .. } => {
            json!({"type": "string", "enum": variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>()})
        }
        ModelKind::Alias(ty) => type_schema(api, ty),
        ModelKind::OneOf { variants, .. } => {
            json!({"oneOf": variants.iter().map(|(_, ty)| type_schema(api, ty)).collect::<Vec<_>>()})
        }
    };
    if let (Some(doc), Some(object)) = (&model.doc, schema.as_object_mut()) {
        object.insert("description".to_owned(), one_line(doc).into());
    }
    schema
}

/// A type's zero value as it travels (what the client leaves out of a
/// body): `None` where the type has none to leave out.
fn zero_value(api: &Api, ty: &Type) -> Option<Value> {
    Some(match ty {
        Type::Bool => json!(false),
        Type::I64 | Type::U64 if api.protojson => json!("0"),
        Type::I32 | Type::U32 | Type::I64 | Type::U64 | Type::F32 | Type::F64 => json!(0),
        Type::String | Type::Base64 | Type::Bytes => json!(""),
        Type::Vec(_) => json!([]),
        Type::Map(_) => json!({}),
        Type::Json => return None,
        Type::Model(name) => match &api.model(name)?.kind {
            ModelKind::Enum { variants, .. } => json!(variants.first()?.wire),
            ModelKind::Alias(inner) => return zero_value(api, inner),
            ModelKind::Struct { .. } | ModelKind::OneOf { .. } => return None,
        },
    })
}

/// `list_users` -> `list-users`.
fn kebab(snake: &str) -> String {
    snake.replace('_', "-")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ArrayStyle, Param, Type};

    fn param(rust_name: &str) -> Param {
        Param {
            wire_name: rust_name.to_owned(),
            rust_name: rust_name.to_owned(),
            ty: Type::String,
            required: false,
            description: None,
            style: ArrayStyle::Multi,
        }
    }

    #[test]
    fn flags_are_kebab_case_and_clear_of_the_binarys_options() {
        assert_eq!(flag_name(&param("page_size")), "page-size");
        assert_eq!(flag_name(&param("type_")), "type");
        assert_eq!(flag_name(&param("r#match")), "match");
        assert_eq!(flag_name(&param("output")), "param-output");
        assert_eq!(flag_name(&param("all")), "param-all");
    }

    #[test]
    fn a_table_is_json_that_opens_with_the_marker_and_one_line_per_operation() {
        let index = index(&[CliModule {
            module: "ghippo".into(),
            file: "ghippo".into(),
            title: "Global \"Management\"".into(),
            document_title: "全局".into(),
        }]);
        assert!(index.starts_with(crate::write::RUST_MARKER), "{index}");
        assert!(
            index.contains(r#"Entry::new("ghippo", "Global \"Management\"", "全局", include_str!("ghippo.json"))"#)
        );
        assert!(marker().starts_with(crate::write::JSON_MARKER));
    }
}
