//! Operations: named from their `operationId`, grouped into one module per
//! tag, with parameters, bodies and responses typed.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody, Response,
    SchemaKind, StatusCode,
};

use super::models::{Registry, Sch, SchemaAt};
use super::naming::{Namespace, snake_ident, type_ident};
use super::{
    ArrayStyle, Body, BodyEncoding, EventsMethod, Framing, KeptNames, Operation, Param, PathTemplate, ResponseKind,
    Stream, Tag, Type,
};
use crate::error::{Error, ErrorKind, Warning, pointer};
use crate::load::SpecVersion;

/// Tag used for operations that have none.
const UNTAGGED: &str = "default";

/// A tag's operations before their method names are handed out.
struct TagDraft {
    name: String,
    description: Option<String>,
    /// (path, method) -> operation, so names are handed out in an order that
    /// does not depend on where the operation sits in the document.
    ops: BTreeMap<(String, String), Draft>,
}

/// An operation whose method name waits for the names of its tag's other
/// operations: `finish` builds it, whole, once the name is handed out.
struct Draft {
    base_name: String,
    has_optional: bool,
    /// Whether it gets a second method for its answer as events.
    has_events: bool,
    finish: Box<dyn FnOnce(NamedAs) -> Operation>,
}

/// The names an operation gets in its tag's module.
struct NamedAs {
    fn_name: String,
    /// Its optional parameters' struct, when it has some.
    params_struct: Option<String>,
    /// Its events method's name, when it has one.
    events_fn_name: Option<String>,
}

/// Where an operation is in the document.
struct Site<'d> {
    path: &'d str,
    method: &'d str,
    item: &'d openapiv3::PathItem,
    op: &'d openapiv3::Operation,
    tag: &'d str,
}

/// Builds the tag modules and finds the shared error body type.
pub(crate) fn build<'d>(
    doc: &'d OpenAPI,
    version: SpecVersion,
    registry: &mut Registry<'d>,
    kept: KeptNames<'_>,
) -> Result<(Vec<Tag>, Option<Type>), Error> {
    let mut tags: BTreeMap<String, TagDraft> = BTreeMap::new();
    let mut error_types: Vec<Option<Type>> = Vec::new();
    for (path, item) in doc.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(Error::unsupported(pointer("/paths", path), "path item references are not supported"));
        };
        for (method, op) in item.iter() {
            let tag = op.tags.first().map_or(UNTAGGED, String::as_str);
            let site = Site { path, method, item, op, tag };
            let (draft, error_type) = draft(doc, version, registry, &site, kept)?;
            error_types.push(error_type);
            let entry = tags.entry(snake_ident(tag)).or_insert_with(|| TagDraft {
                name: tag.to_owned(),
                description: doc.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.clone()),
                ops: BTreeMap::new(),
            });
            entry.ops.insert((path.clone(), method.to_owned()), draft);
        }
    }
    let modules = tags.into_iter().map(|(module, draft)| name_operations(module, draft)).collect();
    Ok((modules, shared_error(error_types)))
}

/// Types one operation's parameters, body and answers; the draft waits for
/// its method name. Beside it, the error body it declares, if any.
fn draft<'d>(
    doc: &'d OpenAPI,
    version: SpecVersion,
    registry: &mut Registry<'d>,
    site: &Site<'d>,
    kept: KeptNames<'_>,
) -> Result<(Draft, Option<Type>), Error> {
    let Site { path, method, item, op, tag } = *site;
    let ptr = pointer(&pointer("/paths", path), method);
    let module = snake_ident(tag);
    let id = op.operation_id.clone().unwrap_or_else(|| derived_id(method, path));
    let base_name = snake_ident(strip_tag_prefix(&id, tag));
    let hint = base_name.to_upper_camel_case();

    let template =
        PathTemplate::parse(path).ok_or_else(|| Error::invalid(&ptr, format!("unclosed `{{` in path `{path}`")))?;
    let mut typing = Typing { doc, registry, hint: &hint, module: &module, ptr: &ptr };
    let Parameters { path: path_params, query: query_params, header: header_params } =
        parameters(&mut typing, (path, &template, &item.parameters, &op.parameters), kept)?;
    let body = match &op.request_body {
        Some(rb) => Some(typing.body(rb, version)?),
        None => None,
    };
    let (response, events) = typing.success_response(&op.responses)?;
    let error_type = typing.error_type(&op.responses)?;

    let has_optional = query_params.iter().chain(&header_params).any(|p| !p.required);
    let has_events = events.is_some();
    let (summary, description, deprecated) = (op.summary.clone(), op.description.clone(), op.deprecated);
    let (http_method, path_text) = (method.to_ascii_uppercase(), path.to_owned());
    let finish = move |named: NamedAs| Operation {
        id,
        fn_name: named.fn_name,
        method: http_method,
        path: path_text,
        template,
        pointer: ptr,
        summary,
        description,
        deprecated,
        path_params,
        query_params,
        header_params,
        body,
        response,
        events: events.map(|stream| EventsMethod { fn_name: named.events_fn_name.unwrap_or_default(), stream }),
        params_struct: named.params_struct,
        paging: None,
    };
    Ok((Draft { base_name, has_optional, has_events, finish: Box::new(finish) }, error_type))
}

/// Hands out a tag's method names (in path and method order, so a name
/// does not depend on where the operation sits in the document) and builds
/// its module.
fn name_operations(module: String, draft: TagDraft) -> Tag {
    let mut names = Namespace::default();
    // The API struct's own constructor.
    names.claim("new");
    let mut operations: Vec<Operation> = draft
        .ops
        .into_values()
        .map(|d| {
            let fn_name = names.claim(&d.base_name);
            let params_struct = d.has_optional.then(|| format!("{}Params", fn_name.to_upper_camel_case()));
            let events_fn_name = d.has_events.then(|| names.claim(&format!("{fn_name}_stream")));
            (d.finish)(NamedAs { fn_name, params_struct, events_fn_name })
        })
        .collect();
    operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    Tag {
        type_name: format!("{}Api", type_ident(&draft.name)),
        name: draft.name,
        module,
        description: draft.description,
        operations,
    }
}

/// The error body is shared if every operation that declares one agrees.
fn shared_error(declared: Vec<Option<Type>>) -> Option<Type> {
    let declared: Vec<Type> = declared.into_iter().flatten().collect();
    match declared.split_first() {
        Some((first, rest)) if rest.iter().all(|t| t == first) => Some(first.clone()),
        _ => None,
    }
}

/// `Users_ListUsers` under tag `Users` -> `ListUsers`.
fn strip_tag_prefix<'a>(id: &'a str, tag: &str) -> &'a str {
    let squash = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    match id.split_once('_') {
        Some((prefix, rest)) if !rest.is_empty() && squash(prefix) == squash(tag) => rest,
        _ => id,
    }
}

/// A name for an operation without `operationId`: `GET /users/{id}` ->
/// `get_users_by_id`.
fn derived_id(method: &str, path: &str) -> String {
    let mut out = method.to_owned();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('_');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                out.push_str("by_");
                out.push_str(param);
            }
            None => out.push_str(seg),
        }
    }
    out
}

/// An operation's parameters, typed and named, by where they are sent.
struct Parameters {
    path: Vec<Param>,
    query: Vec<Param>,
    header: Vec<Param>,
}

/// Types and names one operation's parameters: the path item's `shared`
/// ones, overridden by its `own`; path parameters in template order.
fn parameters<'d>(
    typing: &mut Typing<'d, '_>,
    (path, template, shared, own): (&str, &PathTemplate, &'d [ReferenceOr<Parameter>], &'d [ReferenceOr<Parameter>]),
    kept: KeptNames<'_>,
) -> Result<Parameters, Error> {
    let (doc, ptr) = (typing.doc, typing.ptr);
    let mut params = Vec::new();
    for (i, p) in shared.iter().chain(own).enumerate() {
        let p_ptr = pointer(&pointer(ptr, "parameters"), &i.to_string());
        params.push(resolve(doc, "parameters", |c| &c.parameters, p, &p_ptr)?);
    }
    // An operation-level parameter overrides a path-level one.
    let mut seen = BTreeMap::new();
    for (i, (p, _)) in params.iter().enumerate() {
        seen.insert((location(p), p.parameter_data_ref().name.clone()), i);
    }
    let keep: Vec<usize> = seen.into_values().collect();
    let mut arg_names = Namespace::default();
    // Names the method's own arguments take (setters of the
    // parameters struct are `set_<name>`, clear of `Default`,
    // `Clone`...).
    for argument in kept.arguments {
        arg_names.claim(argument);
    }
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let mut header_params = Vec::new();
    let mut ordered: Vec<usize> = keep;
    ordered.sort_unstable();
    for i in ordered {
        let (p, p_ptr) = &params[i];
        let data = p.parameter_data_ref();
        let ty = typing.parameter_type(p, p_ptr)?;
        let style = array_style(p);
        // A positional argument must not shadow a local of the
        // generated method.
        let mut name = snake_ident(&data.name);
        if data.required && kept.locals.contains(&name.as_str()) {
            name.push('_');
        }
        let param = Param {
            wire_name: data.name.clone(),
            rust_name: arg_names.claim(&name),
            ty,
            required: data.required,
            description: data.description.clone(),
            style,
        };
        match p {
            Parameter::Path { .. } => path_params.push(param),
            Parameter::Query { .. } => query_params.push(param),
            Parameter::Header { .. } => header_params.push(param),
            Parameter::Cookie { .. } => {
                typing.registry.warnings.push(Warning::at(p_ptr.as_str(), "cookie parameters are not sent"));
            }
        }
    }
    order_path_params(
        (path, template),
        &mut path_params,
        (&mut arg_names, kept.locals),
        ptr,
        &mut typing.registry.warnings,
    );
    Ok(Parameters { path: path_params, query: query_params, header: header_params })
}

/// A query parameter that takes "one or many" (`oneOf`/`anyOf` of a value
/// and an array of such values) is a list: one value is a list of one, and
/// both are sent the same way. The array's items, and where they are.
fn one_or_many<'s>(
    schema: &'s ReferenceOr<openapiv3::Schema>,
    ptr: &str,
) -> Option<(&'s ReferenceOr<Box<openapiv3::Schema>>, String)> {
    let ReferenceOr::Item(s) = schema else { return None };
    let (parts, key) = match &s.schema_kind {
        SchemaKind::OneOf { one_of } => (one_of, "oneOf"),
        SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
        _ => return None,
    };
    let arrays: Vec<(usize, &ReferenceOr<Box<openapiv3::Schema>>)> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, part)| match part {
            ReferenceOr::Item(openapiv3::Schema {
                schema_kind: SchemaKind::Type(openapiv3::Type::Array(a)), ..
            }) => a.items.as_ref().map(|items| (i, items)),
            _ => None,
        })
        .collect();
    match (parts.len(), arrays.as_slice()) {
        (2, [(i, items)]) => {
            Some((items, pointer(&pointer(&pointer(&pointer(ptr, "schema"), key), &i.to_string()), "items")))
        }
        _ => None,
    }
}

/// How a parameter's list is written: by its query `style` and `explode`.
fn array_style(p: &Parameter) -> ArrayStyle {
    let explode = p.parameter_data_ref().explode;
    match p {
        Parameter::Query { style: QueryStyle::SpaceDelimited, .. } => ArrayStyle::Space,
        Parameter::Query { style: QueryStyle::PipeDelimited, .. } => ArrayStyle::Pipe,
        Parameter::Query { style: QueryStyle::DeepObject, .. } => ArrayStyle::DeepObject,
        Parameter::Query { .. } if explode != Some(false) => ArrayStyle::Multi,
        _ => ArrayStyle::Comma,
    }
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Puts the path parameters in template order. A `{name}` that the
/// operation does not declare (published documents do this) becomes a
/// required string parameter, with a warning.
fn order_path_params(
    (path, template): (&str, &PathTemplate),
    params: &mut Vec<Param>,
    (arg_names, locals): (&mut Namespace, &[&str]),
    ptr: &str,
    warnings: &mut Vec<Warning>,
) {
    let mut ordered = Vec::new();
    for name in &template.names {
        if let Some(i) = params.iter().position(|p| p.wire_name == *name) {
            ordered.push(params.remove(i));
        } else {
            warnings.push(Warning::at(
                ptr,
                format!("path parameter `{name}` of `{path}` is not declared; it is taken as a required string"),
            ));
            let mut rust_name = snake_ident(name);
            if locals.contains(&rust_name.as_str()) {
                rust_name.push('_');
            }
            ordered.push(Param {
                wire_name: name.clone(),
                rust_name: arg_names.claim(&rust_name),
                ty: Type::String,
                required: true,
                description: None,
                style: ArrayStyle::Comma,
            });
        }
    }
    for p in params.drain(..) {
        warnings.push(Warning::at(ptr, format!("path parameter `{}` is not in the path; ignored", p.wire_name)));
    }
    *params = ordered;
}

fn is_event_stream(media: &str) -> bool {
    media.split(';').next().unwrap_or_default().trim() == "text/event-stream"
}

/// The `result` schema of grpc-gateway's streaming wrapper: a 200 answer
/// described as "(streaming responses)" whose schema is an object titled
/// "Stream result of ..." with `result` (and `error`) properties.
fn stream_result<'d>(
    schema: &'d ReferenceOr<openapiv3::Schema>,
    resp: &Response,
) -> Option<&'d ReferenceOr<Box<openapiv3::Schema>>> {
    let ReferenceOr::Item(schema) = schema else { return None };
    let SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else { return None };
    let titled = schema.schema_data.title.as_deref().is_some_and(|t| t.starts_with("Stream result of"));
    let described = resp.description.contains("(streaming responses)");
    (titled && described).then(|| object.properties.get("result")).flatten()
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// Types the body and responses of one operation.
struct Typing<'d, 'a> {
    doc: &'d OpenAPI,
    registry: &'a mut Registry<'d>,
    /// Name stem for inline types (`ListUsers`).
    hint: &'a str,
    /// The tag module, which inline types are grouped with.
    module: &'a str,
    /// The operation's JSON pointer.
    ptr: &'a str,
}

impl<'d> Typing<'d, '_> {
    /// A parameter's type: its schema's, a one-or-many query list's items
    /// as a list, or JSON text for a `content` parameter.
    fn parameter_type(&mut self, p: &'d Parameter, p_ptr: &str) -> Result<Type, Error> {
        let data = p.parameter_data_ref();
        let hint = format!("{}{}", self.hint, type_ident(&data.name));
        Ok(match &data.format {
            ParameterSchemaOrContent::Schema(s)
                if matches!(p, Parameter::Query { .. })
                    && let Some((items, items_ptr)) = one_or_many(s, p_ptr) =>
            {
                let item = self
                    .registry
                    .type_of(items.into(), &SchemaAt::new(format!("{hint}Item"), self.module, &items_ptr))?;
                Type::Vec(Box::new(item))
            }
            ParameterSchemaOrContent::Schema(s) => {
                self.registry.type_of(Sch::from(s), &SchemaAt::new(&hint, self.module, p_ptr))?
            }
            ParameterSchemaOrContent::Content(_) => {
                self.registry.warnings.push(Warning::at(p_ptr, "a parameter with `content` is sent as a JSON string"));
                Type::Json
            }
        })
    }

    fn body(&mut self, rb: &'d ReferenceOr<RequestBody>, version: SpecVersion) -> Result<Body, Error> {
        let (doc, hint, module, ptr) = (self.doc, self.hint, self.module, self.ptr);
        let (rb, rb_ptr) = resolve(doc, "requestBodies", |c| &c.request_bodies, rb, &pointer(ptr, "requestBody"))?;
        let rank = |media: &str| -> (u8, BodyEncoding) {
            let essence = media.split(';').next().unwrap_or_default().trim();
            if is_json(media) {
                (0, BodyEncoding::Json)
            } else if essence == "application/x-www-form-urlencoded" {
                (1, BodyEncoding::Form)
            } else if essence == "multipart/form-data" {
                (2, BodyEncoding::Multipart)
            } else if essence.starts_with("text/") {
                (3, BodyEncoding::Text)
            } else {
                (4, BodyEncoding::Bytes)
            }
        };
        let Some((media, content)) = rb.content.iter().min_by_key(|(m, _)| rank(m).0) else {
            return Err(Error::invalid(rb_ptr, "a request body without content"));
        };
        let encoding = rank(media).1;
        let body_ptr = match version {
            SpecVersion::Swagger2 => ptr.to_owned(),
            SpecVersion::OpenApi3 => pointer(&pointer(&rb_ptr, "content"), media),
        };
        let ty = match (encoding, &content.schema) {
            (BodyEncoding::Bytes, _) => Type::Bytes,
            (BodyEncoding::Text, _) => Type::String,
            (_, Some(s)) => self
                .registry
                .type_of(Sch::from(s), &SchemaAt::new(format!("{hint}Body"), module, pointer(&body_ptr, "schema")))?,
            (_, None) => Type::Json,
        };
        // A JSON body whose schema is a binary string is bytes, sent as
        // they are given.
        let encoding = if ty == Type::Bytes { BodyEncoding::Bytes } else { encoding };
        Ok(Body { ty, encoding, media_type: media.clone() })
    }

    /// How a response's content is read; `hint` names an inline schema.
    fn response_kind(&mut self, resp: &'d Response, hint: &str, ptr: &str) -> Result<ResponseKind, Error> {
        let Some((media, content)) = resp.content.iter().min_by_key(|(m, _)| !is_json(m)) else {
            return Ok(ResponseKind::Empty);
        };
        if is_event_stream(media) {
            return Ok(ResponseKind::Stream(self.events(content, hint, &pointer(&pointer(ptr, "content"), media))?));
        }
        if is_json(media)
            && let Some(result) = content.schema.as_ref().and_then(|s| stream_result(s, resp))
        {
            // grpc-gateway's server streaming: each line holds one message,
            // `{"result": ...}`; the wrapper is not a model of its own.
            let message = self.registry.type_of(
                Sch::from(result),
                &SchemaAt::new(hint, self.module, pointer(&pointer(ptr, "schema"), "properties/result")),
            )?;
            return Ok(ResponseKind::Stream(Stream { framing: Framing::JsonLines, message: Some(message) }));
        }
        if is_json(media) {
            return Ok(match &content.schema {
                Some(s) => match self
                    .registry
                    .type_of(Sch::from(s), &SchemaAt::new(hint, self.module, pointer(ptr, "schema")))?
                {
                    // `format: binary` is bytes, whatever the media type says.
                    Type::Bytes => ResponseKind::Bytes,
                    ty => ResponseKind::Json(ty),
                },
                None => ResponseKind::Json(Type::Json),
            });
        }
        Ok(if media.starts_with("text/") { ResponseKind::Text } else { ResponseKind::Bytes })
    }

    /// A `text/event-stream` content's messages: its schema's type, or
    /// text when it declares none.
    fn events(&mut self, content: &'d openapiv3::MediaType, hint: &str, ptr: &str) -> Result<Stream, Error> {
        let message =
            match &content.schema {
                Some(s) => Some(self.registry.type_of(
                    Sch::from(s),
                    &SchemaAt::new(format!("{hint}Event"), self.module, pointer(ptr, "schema")),
                )?),
                None => None,
            };
        Ok(Stream { framing: Framing::ServerSentEvents, message })
    }

    /// What the first success response with a body holds, and its
    /// answer as events when it offers `text/event-stream` beside JSON.
    fn success_response(
        &mut self,
        responses: &'d openapiv3::Responses,
    ) -> Result<(ResponseKind, Option<Stream>), Error> {
        let (doc, hint, ptr) = (self.doc, self.hint, self.ptr);
        let mut success: Vec<(u16, &ReferenceOr<Response>)> = responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                StatusCode::Range(2) => Some((200, r)),
                _ => None,
            })
            .collect();
        success.sort_by_key(|(c, _)| *c);
        let mut kinds = Vec::new();
        let mut events = None;
        for (code, r) in success {
            let r_ptr = pointer(&pointer(ptr, "responses"), &code.to_string());
            let (resp, _) = resolve(doc, "responses", |c| &c.responses, r, &r_ptr)?;
            let kind = self.response_kind(resp, &format!("{hint}Response"), &r_ptr)?;
            if events.is_none()
                && matches!(kind, ResponseKind::Json(_))
                && let Some((media, content)) = resp.content.iter().find(|(m, _)| is_event_stream(m))
            {
                let hint = format!("{hint}Response");
                events = Some(self.events(content, &hint, &pointer(&pointer(&r_ptr, "content"), media))?);
            }
            kinds.push(kind);
        }
        kinds.dedup();
        let with_body: Vec<&ResponseKind> = kinds.iter().filter(|k| **k != ResponseKind::Empty).collect();
        if with_body.len() > 1 {
            self.registry
                .warnings
                .push(Warning::at(ptr, "several success responses with different bodies; the first is decoded"));
        }
        Ok((with_body.first().map_or(ResponseKind::Empty, |k| (*k).clone()), events))
    }

    /// The JSON type of an operation's `default` response (or its first error
    /// response), used to find the error body shared by all operations.
    fn error_type(&mut self, responses: &'d openapiv3::Responses) -> Result<Option<Type>, Error> {
        let (doc, hint, ptr) = (self.doc, self.hint, self.ptr);
        let (r, r_ptr) = match &responses.default {
            Some(r) => (r, pointer(&pointer(ptr, "responses"), "default")),
            None => match responses
                .responses
                .iter()
                .find(|(c, _)| matches!(c, StatusCode::Code(400..) | StatusCode::Range(4..)))
            {
                Some((c, r)) => (r, pointer(&pointer(ptr, "responses"), &c.to_string())),
                None => return Ok(None),
            },
        };
        let (resp, _) = resolve(doc, "responses", |c| &c.responses, r, &r_ptr)?;
        Ok(match self.response_kind(resp, &format!("{hint}Error"), &r_ptr)? {
            ResponseKind::Json(t) => Some(t),
            _ => None,
        })
    }
}

/// The one `$ref` resolver of operations: follows a reference into
/// `components.<section>` (one level; a reference to a reference is refused)
/// and returns the item with the pointer it lives at. `ptr` is where the
/// reference (or the item) sits.
fn resolve<'d, T>(
    doc: &'d OpenAPI,
    section: &str,
    of: fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    r: &'d ReferenceOr<T>,
    ptr: &str,
) -> Result<(&'d T, String), Error> {
    let reference = match r {
        ReferenceOr::Item(item) => return Ok((item, ptr.to_owned())),
        ReferenceOr::Reference { reference } => reference,
    };
    let name = reference.strip_prefix("#/components/").and_then(|r| r.strip_prefix(section)?.strip_prefix('/'));
    match name.and_then(|n| of(doc.components.as_ref()?).get(n)) {
        Some(ReferenceOr::Item(item)) => {
            Ok((item, pointer(&format!("/components/{section}"), name.unwrap_or_default())))
        }
        Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
            pointer(ptr, "$ref"),
            format!("`{reference}` refers to another reference, which is not supported"),
        )),
        None => Err(Error::new(
            ErrorKind::DanglingReference,
            pointer(ptr, "$ref"),
            format!("dangling reference `{reference}`"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_prefix_is_stripped_from_operation_ids() {
        assert_eq!(strip_tag_prefix("Users_ListUsers", "Users"), "ListUsers");
        assert_eq!(strip_tag_prefix("GProducts_ListGProducts", "GProducts"), "ListGProducts");
        assert_eq!(strip_tag_prefix("Smtp_Setting", "Users"), "Smtp_Setting");
        assert_eq!(strip_tag_prefix("listPets", "pets"), "listPets");
    }

    #[test]
    fn ids_are_derived_from_method_and_path() {
        assert_eq!(derived_id("get", "/users/{id}/keys"), "get_users_by_id_keys");
    }
}
