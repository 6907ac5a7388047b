//! Documents beyond ghippo: broken ones fail with the place of the problem;
//! Swagger 2.0 and `OpenAPI` 3.0 constructs generate what users expect. (That
//! the generated crates compile cleanly and behave is checked by
//! `cargo xtask test`, which builds every fixture's client.)

use drun_generator::{Config, Error, Output, Source};

fn read(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn generate(path: &str) -> Result<Output, Error> {
    let bytes = read(path);
    drun_generator::generate(&Source { display_path: path, bytes: &bytes }, &Config::default())
}

#[test]
fn broken_documents_name_the_file_and_the_place() {
    let cases = [
        (
            "broken/dangling_ref.json",
            "/paths/~1a/get/responses/200/schema/$ref",
            "dangling reference `#/definitions/Missing`",
        ),
        ("broken/ref_cycle.json", "/definitions/A", "cycle of references"),
        ("broken/missing_paths.json", "", "missing `paths`"),
        ("broken/wrong_type.json", "/definitions/A/properties/x", ""),
        ("broken/invalid_json.json", "", "invalid JSON"),
        ("broken/invalid_yaml.yaml", "", "invalid YAML"),
        ("broken/openapi_4.json", "/openapi", "unsupported OpenAPI version"),
        ("broken/swagger_1_2.json", "/swaggerVersion", "Swagger 1.x"),
    ];
    for (path, pointer, message) in cases {
        let e = generate(path).expect_err(path);
        assert_eq!(e.file.as_deref(), Some(path), "{e}");
        assert_eq!(e.pointer, pointer, "{path}: {e}");
        assert!(e.message.contains(message), "{path}: {e}");
    }
}

#[test]
fn swagger_constructs_generate() {
    let out = generate("clients/swagger_breadth.yaml").expect("generates");
    let items = &out.files["src/apis/items.rs"];
    // Several tags: the first one's module, once.
    assert!(!out.files.contains_key("src/apis/extra.rs"));
    assert!(items.contains("pub fn get_item("));
    // Without an operationId: named from method and path.
    assert!(items.contains("pub fn delete_items_by_item_id("), "{items}");
    assert!(out.files["src/apis/default.rs"].contains("pub fn get_health("));
    // Wire names kept, Rust names sanitised.
    assert!(items.contains("\"payload.name\"") && items.contains("pub payload_name: Option<String>"));
    assert!(items.contains("\"page-size\"") && items.contains("pub type_: Option<crate::models::GetItemType>"));
    // Header parameters: required positional, optional in the params.
    assert!(items.contains("x_request_id: &str") && items.contains("request.headers.one(\"X-Request-Id\""));
    // Collection formats.
    for call in ["joined(\"csv\"", "joined(\"ssv\"", "joined(\"pipes\"", "each(\"multi\""] {
        assert!(items.contains(call), "{call}");
    }
    // Multipart upload, form body, file download, text and empty responses.
    assert!(items.contains("form.file(\"file\""));
    assert!(items.contains("crate::request::FormBody::default()"));
    assert!(items.contains("-> crate::Call<'a, crate::bytes::Bytes>"));
    assert!(out.files["src/apis/default.rs"].contains("-> crate::Call<'a, String>"));
    assert!(items.contains("-> crate::Call<'a, ()>"));
    // Models: recursion boxed, keywords and non-ASCII names, enums, maps.
    let item = &out.files["src/models/item.rs"];
    assert!(item.contains("pub parent: Option<Box<super::Item>>"), "{item}");
    assert!(item.contains("pub labels: Option<std::collections::BTreeMap<String, String>>"));
    assert!(item.contains("\"id\" => self.id = crate::codec::value(map)?"), "readOnly id is read: {item}");
    assert!(!item.contains("out.some(\"id\""), "readOnly id is not sent: {item}");
    let status = &out.files["src/models/status.rs"];
    for variant in ["InStock", "SoldOut", "V3d", "SoldOut2", "Value", "Unknown,", "UnknownValue(String)"] {
        assert!(status.contains(variant), "{variant}: {status}");
    }
    assert!(out.files["src/models/type_.rs"].contains("pub struct Type {"));
    assert!(out.files.keys().any(|k| k.contains("u540d")), "{:?}", out.files.keys());
    assert!(out.files["src/models/composite.rs"].contains("pub code: Option<i64>"));
    // serde impls only in the direction a model travels; the rest behind
    // the `full-serde` feature. A model no operation reaches is left out.
    assert!(!out.files.keys().any(|k| k.contains("unused")), "{:?}", out.files.keys());
    let error = &out.files["src/models/error.rs"];
    assert!(error.contains("}\n\nimpl<'de> serde::Deserialize<'de> for Error {"), "{error}");
    assert!(error.contains("#[cfg(feature = \"full-serde\")]\nimpl serde::Serialize for Error {"), "{error}");
    assert!(out.files["src/models/items.rs"].contains("pub struct UploadItemBody"));
    let composite = &out.files["src/models/composite.rs"];
    assert!(
        composite.contains("#[cfg(feature = \"full-serde\")]\nimpl serde::Serialize for Composite {"),
        "{composite}"
    );
    let item = &out.files["src/models/item.rs"];
    assert!(item.contains("impl serde::Serialize for Item {") && !item.contains("full-serde"), "{item}");
    // Declared security schemes become builder methods.
    assert!(out.files["src/lib.rs"].contains("api_key_header(\"X-Api-Key\", key)"));
    assert!(out.files["src/lib.rs"].contains("\"https://api.example.com/v2\""));
}

#[test]
fn openapi3_constructs_generate() {
    let out = generate("clients/openapi_breadth.yaml").expect("generates");
    let shapes = &out.files["src/apis/shapes.rs"];
    assert!(shapes.contains("pub fn get_shape("));
    assert!(shapes.contains("form.file(\"image\""));
    assert!(out.files["src/apis/auth.rs"].contains("FormBody"));
    let shape = &out.files["src/models/shape.rs"];
    assert!(shape.contains("pub enum Shape") && shape.contains("\"circle\" =>"), "{shape}");
    assert!(out.files["src/models/any_shape.rs"].contains("crate::codec::first_match("));
    assert!(out.files["src/models/node.rs"].contains("Option<Box<super::Node>>"));
    assert!(out.files["src/lib.rs"].contains("pub type ErrorBody = crate::models::Problem;"));
    assert!(out.files["src/lib.rs"].contains("api_key_query(\"key\", key)"));
    assert!(out.files["src/lib.rs"].contains("\"https://shapes.example.com/api\""));
}

/// A file without the lines that say where it came from.
fn without_provenance(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.contains("Source:")
                && !l.starts_with("spec = ")
                && !l.contains("Schema `")
                && !l.contains("sha256")
                && !l.contains("SHA256")
                && !l.contains("generated from")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn swagger2_and_the_same_api_in_openapi3_give_the_same_client() {
    let a = generate("equiv/swagger.yaml").expect("swagger generates");
    let b = generate("equiv/openapi.yaml").expect("openapi generates");
    assert_eq!(a.files.keys().collect::<Vec<_>>(), b.files.keys().collect::<Vec<_>>());
    for (path, text) in &a.files {
        assert_eq!(without_provenance(text), without_provenance(&b.files[path]), "{path} differs");
    }
}

#[test]
fn names_that_would_shadow_methods_are_renamed_or_prefixed() {
    let doc = br#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
        "operationId": "new", "tags": ["t"],
        "parameters": [{"name": "default", "in": "query", "type": "string"}, {"name": "clone", "in": "query", "type": "string"}],
        "responses": {"204": {"description": "done"}}}}}}"#;
    let out = drun_generator::generate(&Source { display_path: "x.json", bytes: doc }, &Config::default())
        .expect("generates");
    let api = &out.files["src/apis/t.rs"];
    assert!(api.contains("pub fn new2("), "{api}");
    // Setters are `set_<name>`: `default` and `clone` keep their names.
    assert!(api.contains("pub fn set_default(") && api.contains("pub fn set_clone("), "{api}");
    assert!(api.contains("\"default\"") && api.contains("\"clone\""), "sent under their wire names");
}

#[test]
fn published_shapes_generate_with_a_located_warning_for_each_loose_part() {
    let out = generate("clients/published_shapes.yaml").expect("generates");
    let warned: Vec<(&str, &str)> = out.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
    for (pointer, words) in [
        ("/paths/~1apps~1{app_id}/delete", "path parameter `app_id` of `/apps/{app_id}` is not declared"),
        ("/paths/~1apps~1{app_id}~1restart/post", "has no `responses`"),
        ("/components/schemas/Point/properties/position/prefixItems", "served as a JSON value"),
    ] {
        assert!(warned.iter().any(|(p, m)| *p == pointer && m.contains(words)), "{pointer}: {warned:?}");
    }
    // Typed, not loose: one-or-many lists, unions named by their titles,
    // recursion boxed where the cycle is, one form per grant type.
    let items = &out.files["src/apis/items.rs"];
    assert!(items.contains("pub kind: Vec<crate::models::Kind>"), "{items}");
    let projects = &out.files["src/models/projects.rs"];
    assert!(projects.contains("Id(String)") && projects.contains("Name(super::Name)"), "{projects}");
    assert!(out.files["src/models/nested.rs"].contains("pub nested: Box<super::Filter>"));
    assert!(out.files["src/apis/auth.rs"].contains("crate::models::TokenBody::RefreshGrant(body) =>"));
}

#[test]
fn generated_methods_use_no_local_name_but_those_the_ir_keeps_for_them() {
    // Every binding an operation's method or a page helper makes: `let`,
    // `for`, `if let Some(..)` and closure parameters.
    let binding = |line: &str| -> Vec<String> {
        let mut names = Vec::new();
        for (start, end) in [("let mut ", " "), ("let ", " "), ("for ", " in"), ("Some(", ")"), ("|", "|")] {
            let mut rest = line;
            while let Some(i) = rest.find(start) {
                rest = &rest[i + start.len()..];
                if let Some(j) = rest.find(end) {
                    let name = &rest[..j];
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        names.push(name.to_owned());
                    }
                }
            }
        }
        names
    };
    let allowed: Vec<&str> = {
        let kept = drun_generator::emit::KEPT_NAMES;
        kept.locals.iter().chain(kept.arguments).copied().chain(["_", "mut"]).collect()
    };
    for fixture in ["clients/swagger_breadth.yaml", "clients/openapi_breadth.yaml", "clients/published_shapes.yaml"] {
        let out = generate(fixture).expect("generates");
        for (path, text) in out.files.iter().filter(|(p, _)| p.starts_with("src/apis/") || *p == "src/pages.rs") {
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for name in binding(line) {
                    assert!(allowed.contains(&name.as_str()), "{fixture} {path}: local `{name}` in `{line}`");
                }
            }
        }
    }
}

#[test]
fn the_model_and_generation_refuse_the_same_documents_with_the_same_error() {
    let object = r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#;
    let documents = [
        // An object as a path segment.
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{"/a/{{o}}": {{"get": {{"operationId": "getA",
            "parameters": [{{"name": "o", "in": "path", "required": true, "schema": {object}}}],
            "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        ),
        // An object as a header.
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{"/a": {{"get": {{"operationId": "getA",
            "parameters": [{{"name": "X-O", "in": "header", "schema": {object}}}],
            "responses": {{"204": {{"description": "ok"}}}}}}}}}}}}"#
        ),
        // A form body that is a list.
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {"operationId": "postA",
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "array", "items": {"type": "string"}}}}},
            "responses": {"204": {"description": "ok"}}}}}}"#
            .to_owned(),
    ];
    for document in &documents {
        let source = Source { display_path: "doc.json", bytes: document.as_bytes() };
        let config = Config::default();
        let modelled =
            drun_generator::model(&source, &config, &drun_generator::Previous::default()).expect_err("model");
        let generated = drun_generator::generate(&source, &config).expect_err("generate");
        assert_eq!(
            (modelled.kind, &modelled.pointer, &modelled.message),
            (generated.kind, &generated.pointer, &generated.message),
            "{document}"
        );
        assert_ne!(modelled.kind, drun_generator::ErrorKind::Internal, "{modelled}");
    }
}
