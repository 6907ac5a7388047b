//! JSON-shaped documents through the whole generator: structurally valid
//! Swagger 2.0 / OpenAPI 3.0 skeletons whose paths and schemas are built
//! from arbitrary JSON, with the keywords the generator looks at, so the
//! fuzzer spends its time past the parser. Every Rust file a document
//! generates must parse.
#![no_main]

use arbitrary::Arbitrary;
use drun_generator::{Config, Source};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

/// Words that mean something in a document.
const WORDS: &[&str] = &[
    "type",
    "object",
    "string",
    "integer",
    "array",
    "boolean",
    "number",
    "format",
    "int64",
    "int32",
    "uint64",
    "byte",
    "binary",
    "properties",
    "items",
    "required",
    "enum",
    "$ref",
    "#/definitions/A",
    "#/definitions/B",
    "#/components/schemas/A",
    "#/components/schemas/B",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "nullable",
    "x-nullable",
    "readOnly",
    "discriminator",
    "in",
    "query",
    "path",
    "header",
    "body",
    "formData",
    "name",
    "schema",
    "collectionFormat",
    "multi",
    "csv",
    "parameters",
    "responses",
    "200",
    "204",
    "default",
    "operationId",
    "tags",
    "get",
    "post",
    "consumes",
    "produces",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "/a/{id}",
    "id",
    "A",
    "B",
    "file",
    "requestBody",
    "content",
    "explode",
    "style",
    "description",
    "title",
    "self",
    "type",
    "名前",
];

#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Word(u8),
    Text(String),
    Array(Vec<Json>),
    Object(Vec<(u8, Json)>),
}

impl Json {
    fn value(&self, depth: usize) -> Value {
        if depth > 8 {
            return Value::Null;
        }
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Word(w) => json!(WORDS[*w as usize % WORDS.len()]),
            Json::Text(t) => json!(t),
            Json::Array(items) => Value::Array(items.iter().map(|j| j.value(depth + 1)).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (WORDS[*k as usize % WORDS.len()].to_owned(), v.value(depth + 1)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Document {
    openapi3: bool,
    paths: Json,
    schemas: Json,
    extra: Json,
}

fuzz_target!(|doc: Document| {
    let (paths, schemas) = (doc.paths.value(0), doc.schemas.value(0));
    let value = if doc.openapi3 {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas, "parameters": doc.extra.value(0)}})
    } else {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths,
               "definitions": schemas, "parameters": doc.extra.value(0)})
    };
    let bytes = value.to_string().into_bytes();
    let Ok(out) = drun_generator::generate(&Source { display_path: "fuzz", bytes: &bytes }, &Config::default()) else {
        return;
    };
    // Whatever the document says, every file emitted is Rust (model files
    // are written as text, not printed from a syntax tree).
    for (path, text) in out.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(text) {
            panic!("{path} does not parse: {e}\n{text}");
        }
    }
});
