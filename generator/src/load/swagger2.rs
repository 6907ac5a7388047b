//! Typed upconversion of Swagger 2.0 into the `openapiv3` model.
//!
//! What moves where:
//! - `definitions` -> `components.schemas`, and every `$ref` is rewritten;
//! - `body` parameters -> `requestBody`, `formData` parameters -> a form or
//!   multipart `requestBody` whose schema is an object of those fields;
//! - `consumes`/`produces` -> the media types of request and response content;
//! - `collectionFormat` -> `style`/`explode`;
//! - `x-nullable` -> `nullable`, `type: file` -> `string`/`binary`;
//! - `host`/`basePath`/`schemes` -> `servers`;
//! - `#/parameters` and `#/responses` references are inlined; path-level
//!   parameters are merged into each operation.
//!
//! Errors carry JSON pointers into the *Swagger* document, so they name the
//! place the user can find.

use indexmap::IndexMap;
use openapiv3 as oa;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::typed;
use crate::error::{Error, ErrorKind, Warning, pointer};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Converts a parsed Swagger 2.0 document.
pub fn upconvert(value: Value, warnings: &mut Vec<Warning>) -> Result<oa::OpenAPI, Error> {
    let Value::Object(mut root) = value else {
        return Err(Error::new(ErrorKind::NotOpenApi, "", "the document is not an object"));
    };
    let mut take = |key: &str| root.remove(key);
    let info: oa::Info = typed(take("info").ok_or_else(|| Error::invalid("", "missing `info`"))?, "/info")?;
    let paths = match take("paths") {
        Some(Value::Object(p)) => p,
        Some(_) => return Err(Error::invalid("/paths", "`paths` must be an object")),
        None => return Err(Error::invalid("", "missing `paths`")),
    };
    let host: Option<String> = opt_typed(take("host"), "/host")?;
    let base_path: Option<String> = opt_typed(take("basePath"), "/basePath")?;
    let schemes: Vec<String> = opt_typed(take("schemes"), "/schemes")?.unwrap_or_default();
    let consumes: Vec<String> = opt_typed(take("consumes"), "/consumes")?.unwrap_or_default();
    let produces: Vec<String> = opt_typed(take("produces"), "/produces")?.unwrap_or_default();
    let definitions: Map<String, Value> = opt_typed(take("definitions"), "/definitions")?.unwrap_or_default();
    let parameters: Map<String, Value> = opt_typed(take("parameters"), "/parameters")?.unwrap_or_default();
    let responses: Map<String, Value> = opt_typed(take("responses"), "/responses")?.unwrap_or_default();
    let security_definitions: Map<String, Value> =
        opt_typed(take("securityDefinitions"), "/securityDefinitions")?.unwrap_or_default();
    let security: Option<Vec<oa::SecurityRequirement>> = opt_typed(take("security"), "/security")?;
    let tags: Vec<oa::Tag> = opt_typed(take("tags"), "/tags")?.unwrap_or_default();
    // protoc-gen-swagger (grpc-gateway v1) keeps streaming answers' wrappers
    // apart; grpc-gateway v2 writes them inline. Inlined here, both read
    // the same.
    let stream_definitions: Map<String, Value> =
        opt_typed(take("x-stream-definitions"), "/x-stream-definitions")?.unwrap_or_default();
    let mut paths = paths;
    inline_stream_definitions(&mut paths, &stream_definitions);

    let conv = Converter {
        consumes: if consumes.is_empty() { vec!["application/json".to_owned()] } else { consumes },
        produces: if produces.is_empty() { vec!["application/json".to_owned()] } else { produces },
        parameters,
        responses,
    };

    let mut schemas = IndexMap::new();
    for (name, schema) in definitions {
        let ptr = pointer("/definitions", &name);
        schemas.insert(name, conv.schema(schema, &ptr)?);
    }

    let mut out_paths = IndexMap::new();
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        let ptr = pointer("/paths", &path);
        out_paths.insert(path, oa::ReferenceOr::Item(conv.path_item(item, &ptr, warnings)?));
    }

    let mut security_schemes = IndexMap::new();
    for (name, def) in security_definitions {
        let ptr = pointer("/securityDefinitions", &name);
        let scheme = security_scheme(&def, &ptr, warnings)?;
        security_schemes.insert(name, oa::ReferenceOr::Item(scheme));
    }

    let servers = if let (None, None) = (&host, &base_path) {
        Vec::new()
    } else {
        let scheme = schemes.first().map_or("https", String::as_str);
        let url = match &host {
            Some(h) => format!("{scheme}://{h}{}", base_path.as_deref().unwrap_or("")),
            None => base_path.clone().unwrap_or_default(),
        };
        vec![oa::Server { url, ..Default::default() }]
    };

    Ok(oa::OpenAPI {
        openapi: "3.0.3".to_owned(),
        info,
        servers,
        paths: oa::Paths { paths: out_paths, ..Default::default() },
        components: Some(oa::Components { schemas, security_schemes, ..Default::default() }),
        security,
        tags,
        ..Default::default()
    })
}

/// Replaces each response schema `{"$ref": "#/x-stream-definitions/X"}`
/// with the definition it names.
fn inline_stream_definitions(paths: &mut Map<String, Value>, definitions: &Map<String, Value>) {
    if definitions.is_empty() {
        return;
    }
    let responses = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|op| op.get_mut("responses")?.as_object_mut())
        .flat_map(|responses| responses.values_mut());
    for response in responses {
        let Some(schema) = response.get_mut("schema") else { continue };
        let named = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/x-stream-definitions/"));
        if let Some(definition) = named.and_then(|name| definitions.get(name)) {
            *schema = definition.clone();
        }
    }
}

fn opt_typed<T: serde::de::DeserializeOwned>(v: Option<Value>, ptr: &str) -> Result<Option<T>, Error> {
    v.map(|v| typed(v, ptr)).transpose()
}

/// A Swagger 2.0 parameter; schema keywords of non-body parameters stay in
/// `rest` and become the `OpenAPI` 3 parameter's schema.
#[derive(Clone, Deserialize)]
struct Parameter {
    name: String,
    #[serde(rename = "in")]
    location: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    schema: Option<Value>,
    #[serde(default, rename = "collectionFormat")]
    collection_format: Option<String>,
    #[serde(default)]
    deprecated: Option<bool>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Operation {
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    operation_id: Option<String>,
    #[serde(default)]
    consumes: Option<Vec<String>>,
    #[serde(default)]
    produces: Option<Vec<String>>,
    #[serde(default)]
    parameters: Vec<Value>,
    responses: Map<String, Value>,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    security: Option<Vec<oa::SecurityRequirement>>,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    description: String,
    #[serde(default)]
    schema: Option<Value>,
}

/// `value`, or what its `$ref` into the document's top-level `section`
/// (`#/parameters/...`, `#/responses/...`) names, with its pointer.
fn inline(value: Value, ptr: &str, (section, entries): (&str, &Map<String, Value>)) -> Result<(Value, String), Error> {
    let Some(r) = value.get("$ref") else { return Ok((value, ptr.to_owned())) };
    let r = r.as_str().unwrap_or_default();
    let kind = section.trim_end_matches('s');
    let name = r
        .strip_prefix(&format!("#/{section}/"))
        .ok_or_else(|| Error::unsupported(pointer(ptr, "$ref"), format!("unsupported {kind} reference `{r}`")))?;
    let target = entries.get(name).ok_or_else(|| Error::dangling(pointer(ptr, "$ref"), r))?;
    Ok((target.clone(), pointer(&format!("/{section}"), name)))
}

struct Converter {
    consumes: Vec<String>,
    produces: Vec<String>,
    parameters: Map<String, Value>,
    responses: Map<String, Value>,
}

impl Converter {
    fn path_item(&self, item: Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<oa::PathItem, Error> {
        let Value::Object(mut item) = item else {
            return Err(Error::invalid(ptr, "a path item must be an object"));
        };
        if item.contains_key("$ref") {
            return Err(Error::unsupported(pointer(ptr, "$ref"), "path item references are not supported"));
        }
        let shared: Vec<Value> = opt_typed(item.remove("parameters"), &pointer(ptr, "parameters"))?.unwrap_or_default();
        let shared = shared
            .into_iter()
            .enumerate()
            .map(|(i, p)| self.parameter(p, &pointer(&pointer(ptr, "parameters"), &i.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = oa::PathItem::default();
        for method in METHODS {
            let Some(op) = item.remove(method) else { continue };
            let op_ptr = pointer(ptr, method);
            let op = self.operation(op, &op_ptr, &shared, warnings)?;
            let slot = match method {
                "get" => &mut out.get,
                "put" => &mut out.put,
                "post" => &mut out.post,
                "delete" => &mut out.delete,
                "options" => &mut out.options,
                "head" => &mut out.head,
                _ => &mut out.patch,
            };
            *slot = Some(op);
        }
        Ok(out)
    }

    /// Reads a parameter, inlining a `#/parameters/...` reference.
    fn parameter(&self, value: Value, ptr: &str) -> Result<(Parameter, String), Error> {
        let (value, ptr) = inline(value, ptr, ("parameters", &self.parameters))?;
        Ok((typed(value, &ptr)?, ptr))
    }

    fn operation(
        &self,
        op: Value,
        ptr: &str,
        shared: &[(Parameter, String)],
        warnings: &mut Vec<Warning>,
    ) -> Result<oa::Operation, Error> {
        let op: Operation = typed(op, ptr)?;
        let consumes = op.consumes.as_ref().unwrap_or(&self.consumes);
        let produces = op.produces.as_ref().unwrap_or(&self.produces);

        let mut params = op
            .parameters
            .into_iter()
            .enumerate()
            .map(|(i, p)| self.parameter(p, &pointer(&pointer(ptr, "parameters"), &i.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        // Path-level parameters apply unless the operation redefines them.
        for (p, p_ptr) in shared {
            if !params.iter().any(|(q, _)| q.name == p.name && q.location == p.location) {
                params.push((p.clone(), p_ptr.clone()));
            }
        }

        let mut parameters = Vec::new();
        let mut request_body = None;
        let mut form_fields: Vec<(Parameter, String)> = Vec::new();
        for (p, p_ptr) in params {
            match p.location.as_str() {
                "body" => {
                    let schema = p.schema.ok_or_else(|| Error::invalid(&p_ptr, "a body parameter needs a `schema`"))?;
                    let schema = self.schema(schema, &pointer(&p_ptr, "schema"))?;
                    request_body = Some(oa::RequestBody {
                        description: p.description,
                        content: consumes.iter().map(|mt| (mt.clone(), media(schema.clone()))).collect(),
                        required: p.required,
                        ..Default::default()
                    });
                }
                "formData" => form_fields.push((p, p_ptr)),
                "query" | "path" | "header" => {
                    parameters.push(oa::ReferenceOr::Item(self.simple_parameter(p, &p_ptr, warnings)?));
                }
                other => {
                    return Err(Error::invalid(pointer(&p_ptr, "in"), format!("unknown parameter location `{other}`")));
                }
            }
        }
        if !form_fields.is_empty() {
            if request_body.is_some() {
                return Err(Error::invalid(ptr, "an operation cannot have both `body` and `formData` parameters"));
            }
            request_body = Some(self.form_body(form_fields, consumes)?);
        }

        let mut responses = oa::Responses::default();
        for (code, resp) in op.responses {
            if code.starts_with("x-") {
                continue;
            }
            let r_ptr = pointer(&pointer(ptr, "responses"), &code);
            let resp = self.response(resp, &r_ptr, produces)?;
            if code == "default" {
                responses.default = Some(oa::ReferenceOr::Item(resp));
            } else {
                let n: u16 =
                    code.parse().map_err(|_| Error::invalid(&r_ptr, format!("`{code}` is not an HTTP status code")))?;
                responses.responses.insert(oa::StatusCode::Code(n), oa::ReferenceOr::Item(resp));
            }
        }

        Ok(oa::Operation {
            tags: op.tags,
            summary: op.summary,
            description: op.description,
            operation_id: op.operation_id,
            parameters,
            request_body: request_body.map(oa::ReferenceOr::Item),
            responses,
            deprecated: op.deprecated,
            security: op.security,
            ..Default::default()
        })
    }

    fn simple_parameter(&self, p: Parameter, ptr: &str, warnings: &mut Vec<Warning>) -> Result<oa::Parameter, Error> {
        let is_array = p.rest.get("type").and_then(Value::as_str) == Some("array");
        let format = p.collection_format.as_deref().unwrap_or("csv");
        let schema = self.schema(Value::Object(p.rest), ptr)?;
        let (explode, query_style) = match format {
            "multi" => (true, oa::QueryStyle::Form),
            "ssv" => (false, oa::QueryStyle::SpaceDelimited),
            "pipes" => (false, oa::QueryStyle::PipeDelimited),
            "csv" => (false, oa::QueryStyle::Form),
            other => {
                warnings.push(Warning::at(
                    pointer(ptr, "collectionFormat"),
                    format!("collectionFormat `{other}` is not supported; sent comma-separated"),
                ));
                (false, oa::QueryStyle::Form)
            }
        };
        if format == "multi" && p.location != "query" {
            return Err(Error::invalid(
                pointer(ptr, "collectionFormat"),
                "collectionFormat `multi` is only valid for query and formData parameters",
            ));
        }
        let data = oa::ParameterData {
            name: p.name,
            description: p.description,
            required: p.required || p.location == "path",
            deprecated: p.deprecated,
            format: oa::ParameterSchemaOrContent::Schema(schema),
            example: None,
            examples: IndexMap::new(),
            explode: is_array.then_some(explode),
            extensions: IndexMap::new(),
        };
        Ok(match p.location.as_str() {
            "query" => oa::Parameter::Query {
                parameter_data: data,
                allow_reserved: false,
                style: query_style,
                allow_empty_value: None,
            },
            "path" => oa::Parameter::Path { parameter_data: data, style: oa::PathStyle::Simple },
            _ => oa::Parameter::Header { parameter_data: data, style: oa::HeaderStyle::Simple },
        })
    }

    /// `formData` parameters become one object schema; files make it multipart.
    fn form_body(&self, fields: Vec<(Parameter, String)>, consumes: &[String]) -> Result<oa::RequestBody, Error> {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut multipart = consumes.iter().any(|c| c == "multipart/form-data");
        for (p, _) in &fields {
            if p.rest.get("type").and_then(Value::as_str) == Some("file") {
                multipart = true;
            }
            let mut schema = p.rest.clone();
            schema.remove("allowEmptyValue");
            if let Some(d) = &p.description {
                schema.insert("description".to_owned(), Value::String(d.clone()));
            }
            properties.insert(p.name.clone(), Value::Object(schema));
            if p.required {
                required.push(Value::String(p.name.clone()));
            }
        }
        let ptr = fields.first().map(|(_, p)| p.clone()).unwrap_or_default();
        let schema = self.schema(json!({"type": "object", "properties": properties, "required": required}), &ptr)?;
        let media_type = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
        Ok(oa::RequestBody {
            content: [(media_type.to_owned(), media(schema))].into_iter().collect(),
            required: !required.is_empty(),
            ..Default::default()
        })
    }

    fn response(&self, value: Value, ptr: &str, produces: &[String]) -> Result<oa::Response, Error> {
        let (value, ptr) = inline(value, ptr, ("responses", &self.responses))?;
        let resp: Response = typed(value, &ptr)?;
        let mut content = IndexMap::new();
        if let Some(schema) = resp.schema {
            if schema.get("type").and_then(Value::as_str) == Some("file") {
                let schema = self.schema(schema, &pointer(&ptr, "schema"))?;
                content.insert("application/octet-stream".to_owned(), media(schema));
            } else {
                let schema = self.schema(schema, &pointer(&ptr, "schema"))?;
                for mt in produces {
                    content.insert(mt.clone(), media(schema.clone()));
                }
            }
        }
        Ok(oa::Response { description: resp.description, content, ..Default::default() })
    }

    /// Rewrites a Swagger schema into `OpenAPI` 3 terms and types it.
    fn schema(&self, mut value: Value, ptr: &str) -> Result<oa::ReferenceOr<oa::Schema>, Error> {
        rewrite_schema(&mut value, ptr)?;
        typed(value.clone(), ptr).map_err(|e| locate_schema_error(&value, ptr).unwrap_or(e))
    }
}

fn media(schema: oa::ReferenceOr<oa::Schema>) -> oa::MediaType {
    oa::MediaType { schema: Some(schema), ..Default::default() }
}

/// `openapiv3` reads schemas through untagged and flattened types, which
/// report a nested mistake at the outermost schema; typing the nested
/// schemas one by one finds the innermost one that fails.
fn locate_schema_error(value: &Value, ptr: &str) -> Option<Error> {
    let mut value = value.clone();
    let Value::Object(map) = &mut value else { return None };
    super::each_child(map, ptr, &mut |child, child_ptr| match typed::<oa::ReferenceOr<oa::Schema>>(
        child.clone(),
        child_ptr,
    ) {
        Ok(_) => Ok(()),
        Err(e) => Err(locate_schema_error(child, child_ptr).unwrap_or(e)),
    })
    .err()
}

/// The Swagger-only schema keywords, rewritten in place.
fn rewrite_schema(value: &mut Value, ptr: &str) -> Result<(), Error> {
    let Value::Object(map) = value else { return Ok(()) };
    if let Some(Value::String(r)) = map.get_mut("$ref") {
        match r.strip_prefix("#/definitions/") {
            Some(name) => *r = format!("#/components/schemas/{name}"),
            None => {
                return Err(Error::unsupported(
                    pointer(ptr, "$ref"),
                    format!("unsupported reference `{r}`: only `#/definitions/...` is resolved"),
                ));
            }
        }
    }
    if let Some(nullable) = map.remove("x-nullable") {
        map.insert("nullable".to_owned(), nullable);
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".to_owned(), Value::String("string".to_owned()));
        map.insert("format".to_owned(), Value::String("binary".to_owned()));
    }
    if let Some(Value::String(d)) = map.get("discriminator") {
        let d = json!({ "propertyName": d });
        map.insert("discriminator".to_owned(), d);
    }
    map.remove("collectionFormat");
    super::each_child(map, ptr, &mut |child, child_ptr| rewrite_schema(child, child_ptr))
}

fn security_scheme(def: &Value, ptr: &str, warnings: &mut Vec<Warning>) -> Result<oa::SecurityScheme, Error> {
    let kind = def.get("type").and_then(Value::as_str).unwrap_or_default();
    let description = def.get("description").and_then(Value::as_str).map(str::to_owned);
    Ok(match kind {
        "basic" => oa::SecurityScheme::HTTP {
            scheme: "basic".to_owned(),
            bearer_format: None,
            description,
            extensions: IndexMap::new(),
        },
        "apiKey" => {
            let name = def
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::invalid(pointer(ptr, "name"), "an apiKey scheme needs a `name`"))?;
            let location = match def.get("in").and_then(Value::as_str) {
                Some("header") => oa::APIKeyLocation::Header,
                Some("query") => oa::APIKeyLocation::Query,
                other => {
                    return Err(Error::invalid(
                        pointer(ptr, "in"),
                        format!("apiKey location {other:?} is not header or query"),
                    ));
                }
            };
            oa::SecurityScheme::APIKey { location, name: name.to_owned(), description, extensions: IndexMap::new() }
        }
        "oauth2" => {
            warnings.push(Warning::at(ptr, "oauth2 is served as a bearer token the caller obtains"));
            oa::SecurityScheme::HTTP {
                scheme: "bearer".to_owned(),
                bearer_format: None,
                description,
                extensions: IndexMap::new(),
            }
        }
        other => {
            return Err(Error::invalid(pointer(ptr, "type"), format!("unknown security scheme type `{other}`")));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(doc: Value) -> oa::OpenAPI {
        upconvert(doc, &mut Vec::new()).unwrap()
    }

    fn base(paths: Value, definitions: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths, "definitions": definitions})
    }

    fn op(doc: &oa::OpenAPI, path: &str) -> oa::Operation {
        match &doc.paths.paths[path] {
            oa::ReferenceOr::Item(i) => i.get.clone().or(i.post.clone()).unwrap(),
            oa::ReferenceOr::Reference { .. } => panic!("reference"),
        }
    }

    #[test]
    fn body_parameter_becomes_request_body_with_rewritten_ref() {
        let doc = convert(base(
            json!({"/u": {"post": {"parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/U"}}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/U"}}}}}}),
            json!({"U": {"type": "object"}}),
        ));
        let op = op(&doc, "/u");
        assert!(op.parameters.is_empty());
        let Some(oa::ReferenceOr::Item(body)) = op.request_body else { panic!("no body") };
        assert!(body.required);
        let schema = body.content["application/json"].schema.clone().unwrap();
        assert_eq!(schema, oa::ReferenceOr::ref_("#/components/schemas/U"));
        assert!(doc.components.unwrap().schemas.contains_key("U"));
    }

    #[test]
    fn multi_query_array_explodes() {
        let doc = convert(base(
            json!({"/u": {"get": {"parameters": [
                {"name": "ids", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}],
                "responses": {"200": {"description": "ok"}}}}}),
            json!({}),
        ));
        let op = op(&doc, "/u");
        let styles: Vec<_> = op
            .parameters
            .iter()
            .map(|p| match p {
                oa::ReferenceOr::Item(oa::Parameter::Query { parameter_data, style, .. }) => {
                    (parameter_data.name.clone(), style.clone(), parameter_data.explode)
                }
                _ => panic!("not a query parameter"),
            })
            .collect();
        assert_eq!(
            styles,
            vec![
                ("ids".to_owned(), oa::QueryStyle::Form, Some(true)),
                ("tags".to_owned(), oa::QueryStyle::PipeDelimited, Some(false)),
            ]
        );
    }

    #[test]
    fn default_response_is_kept_as_default() {
        let doc = convert(base(
            json!({"/u": {"get": {"responses": {
                "200": {"description": "ok"},
                "default": {"description": "err", "schema": {"$ref": "#/definitions/Status"}}}}}}),
            json!({"Status": {"type": "object"}}),
        ));
        let op = op(&doc, "/u");
        let Some(oa::ReferenceOr::Item(d)) = op.responses.default else { panic!("no default") };
        assert_eq!(d.content["application/json"].schema, Some(oa::ReferenceOr::ref_("#/components/schemas/Status")));
        assert!(op.responses.responses.contains_key(&oa::StatusCode::Code(200)));
    }

    #[test]
    fn form_data_with_file_is_multipart() {
        let doc = convert(base(
            json!({"/f": {"post": {"consumes": ["multipart/form-data"], "parameters": [
                {"name": "file", "in": "formData", "type": "file", "required": true},
                {"name": "note", "in": "formData", "type": "string"}],
                "responses": {"204": {"description": "done"}}}}}),
            json!({}),
        ));
        let op = op(&doc, "/f");
        let Some(oa::ReferenceOr::Item(body)) = op.request_body else { panic!("no body") };
        assert!(body.content.contains_key("multipart/form-data"));
    }

    #[test]
    fn x_nullable_and_foreign_refs() {
        let doc = convert(base(json!({}), json!({"A": {"type": "string", "x-nullable": true}})));
        let oa::ReferenceOr::Item(a) = &doc.components.unwrap().schemas["A"] else { panic!() };
        assert!(a.schema_data.nullable);

        let e = upconvert(base(json!({}), json!({"A": {"$ref": "other.json#/B"}})), &mut Vec::new()).unwrap_err();
        assert_eq!(e.pointer, "/definitions/A/$ref");
    }

    #[test]
    fn missing_paths_and_dangling_parameter_refs_are_errors() {
        let e =
            upconvert(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}}), &mut Vec::new()).unwrap_err();
        assert!(e.message.contains("paths"));
        let e = upconvert(
            base(json!({"/u": {"get": {"parameters": [{"$ref": "#/parameters/nope"}], "responses": {}}}}), json!({})),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/paths/~1u/get/parameters/0/$ref");
    }
}
