//! Stage 2: the model of the API that the emitter reads.
//!
//! Pure data: every type and operation named once, references resolved,
//! operations grouped by tag, everything sorted, so that emitting is a plain
//! walk and the output does not depend on the order of the document.

mod models;
pub mod naming;
mod operations;
mod pagination;
pub mod schema_names;
mod validate;

pub(crate) mod secrets;

use openapiv3::OpenAPI;

use crate::config::Config;
use crate::error::{Error, Warning};
use crate::load::SpecVersion;

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`: the API's version, not the crate's.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server's URL, if the document names one.
    pub default_base_url: Option<String>,
    /// Tag modules, sorted by module name.
    pub tags: Vec<Tag>,
    /// Models, sorted by (group, name).
    pub models: Vec<Model>,
    /// The type of the error body that every operation's `default` (or
    /// error) response shares, if they share one.
    pub error_body: Option<Type>,
    /// Authentication schemes the document declares.
    pub security: Vec<SecurityScheme>,
    /// Whether proto3/protojson rules apply.
    pub protojson: bool,
    /// Every component schema's Rust type name (merged ones included),
    /// recorded in the output so the next run keeps them.
    pub schema_names: std::collections::BTreeMap<String, String>,
}

impl Api {
    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        find_model(&self.models, name)
    }

    /// Whether `ty` is a model of this shape (`ModelKind::Enum`, ...).
    pub fn is_model(&self, ty: &Type, shape: fn(&ModelKind) -> bool) -> bool {
        matches!(ty, Type::Model(name) if self.model(name).is_some_and(|m| shape(&m.kind)))
    }
}

/// The model named `name` among `models` (sorted by group then name, so
/// searched in full).
pub(crate) fn find_model<'a>(models: &'a [Model], name: &str) -> Option<&'a Model> {
    models.iter().find(|m| m.name == name)
}

/// A declared authentication scheme the client can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic ...`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in a query parameter.
    ApiKeyQuery(String),
}

/// One tag: one Rust module with one API struct.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as written in the document.
    pub name: String,
    /// The module (file) name: `users`.
    pub module: String,
    /// The struct reached from the client: `UsersApi`.
    pub type_name: String,
    /// The tag's description.
    pub description: Option<String>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
}

/// One operation: one async method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Method name: `list_users`.
    pub fn_name: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template as in the document.
    pub path: String,
    /// The same, split at its variables.
    pub template: PathTemplate,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path parameters, in document order.
    pub path_params: Vec<Param>,
    /// Query parameters, in document order.
    pub query_params: Vec<Param>,
    /// Header parameters, in document order.
    pub header_params: Vec<Param>,
    /// Request body.
    pub body: Option<Body>,
    /// What a success returns.
    pub response: ResponseKind,
    /// The same answer as a stream of events, when the document offers
    /// `text/event-stream` beside JSON (a request asks for one or the
    /// other): a second method.
    pub events: Option<EventsMethod>,
    /// Name of the struct holding optional parameters, if there are any.
    pub params_struct: Option<String>,
    /// How to page through it, when it is a paged list.
    pub paging: Option<Paging>,
}

impl Operation {
    /// The method's positional arguments, in order: path parameters (in
    /// template order), then required query and header parameters. The
    /// emitted methods and the conformance calls both follow this.
    pub fn positional_params(&self) -> impl Iterator<Item = &Param> {
        self.path_params
            .iter()
            .chain(self.query_params.iter().filter(|p| p.required))
            .chain(self.header_params.iter().filter(|p| p.required))
    }

    /// The optional query and header parameters: the fields of
    /// `params_struct`.
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.query_params.iter().chain(&self.header_params).filter(|p| !p.required)
    }
}

/// How a paged list operation pages: its parameters, and where its answer
/// keeps the items and the total (Rust names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The page-number parameter.
    pub page_param: String,
    /// Its type (an integer).
    pub page_ty: Type,
    /// The page-size parameter.
    pub size_param: String,
    /// The answer's model.
    pub response: String,
    /// Its items field.
    pub items_field: String,
    /// Whether the items field is an `Option` (a document without
    /// protojson's zero values).
    pub items_optional: bool,
    /// The items' type.
    pub item: Type,
    /// Its pagination field (a message).
    pub pagination_field: String,
    /// The pagination's total field.
    pub total_field: String,
    /// Whether the total is an `Option`.
    pub total_optional: bool,
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Name in Rust.
    pub rust_name: String,
    /// Its type.
    pub ty: Type,
    /// Whether the caller must give it.
    pub required: bool,
    /// Its description.
    pub description: Option<String>,
    /// How an array is written.
    pub style: ArrayStyle,
}

/// How an array parameter is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `a=1&a=2`.
    Multi,
    /// `a=1,2`.
    Comma,
    /// `a=1 2`.
    Space,
    /// `a=1|2`.
    Pipe,
    /// An object as `a[key]=value` pairs (`style: deepObject`).
    DeepObject,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: Type,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
}

/// Request body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes (`application/octet-stream` and anything else).
    Bytes,
    /// `text/*`.
    Text,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// Decoded JSON.
    Json(Type),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body.
    Empty,
    /// Messages, one after another, for as long as the stream lasts.
    Stream(Stream),
}

impl ResponseKind {
    /// The type a success is decoded as: the answer's, or each message's.
    pub fn decoded(&self) -> Option<&Type> {
        match self {
            ResponseKind::Json(t) => Some(t),
            ResponseKind::Stream(stream) => stream.message.as_ref(),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => None,
        }
    }
}

/// A server-streaming answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// How the messages are laid out.
    pub framing: Framing,
    /// Each message's type; `None`: text (events with no declared schema).
    pub message: Option<Type>,
}

/// An operation's second method, for its answer as server-sent events.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsMethod {
    /// Its name: `<method>_stream`.
    pub fn_name: String,
    /// What it streams.
    pub stream: Stream,
}

/// How a stream's messages are laid out in the answer's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// grpc-gateway's: one `{"result": ...}` (or `{"error": ...}`) per line.
    JsonLines,
    /// `text/event-stream`: each event's data is one message.
    ServerSentEvents,
}

/// A Rust type, by structure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`, written as a JSON string under protojson.
    I64,
    /// `u32`.
    U32,
    /// `u64`, written as a JSON string under protojson.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Base64 text (`format: byte`), kept as a `String`.
    Base64,
    /// Any JSON (`serde_json::Value`).
    Json,
    /// A named model.
    Model(String),
    /// `Vec<T>`.
    Vec(Box<Type>),
    /// `BTreeMap<String, T>`.
    Map(Box<Type>),
}

impl Type {
    /// The type as users of the generated crate see it, models by their
    /// names alone (`Vec<User>`, `Bytes`): for change reports and variant
    /// names. How emitted code spells it is `emit/types.rs`'s business.
    pub fn display_name(&self) -> String {
        match self {
            Type::Bool => "bool".into(),
            Type::I32 => "i32".into(),
            Type::I64 => "i64".into(),
            Type::U32 => "u32".into(),
            Type::U64 => "u64".into(),
            Type::F32 => "f32".into(),
            Type::F64 => "f64".into(),
            Type::String | Type::Base64 => "String".into(),
            Type::Bytes => "Bytes".into(),
            Type::Json => "serde_json::Value".into(),
            Type::Model(n) => n.clone(),
            Type::Vec(t) => format!("Vec<{}>", t.display_name()),
            Type::Map(t) => format!("BTreeMap<String, {}>", t.display_name()),
        }
    }
}

/// A path template split at its variables: `/users/{id}/keys` is pieces
/// `["/users/", "/keys"]` around names `["id"]`, one more piece than names
/// (pieces may be empty). The one parser of path templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The literal text between variables.
    pub pieces: Vec<String>,
    /// The variables' names, in order.
    pub names: Vec<String>,
}

impl PathTemplate {
    /// Splits `path`; `None` when a `{` is never closed.
    pub fn parse(path: &str) -> Option<Self> {
        let mut pieces = Vec::new();
        let mut names = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let len = rest[start..].find('}')?;
            pieces.push(rest[..start].to_owned());
            names.push(rest[start + 1..start + len].to_owned());
            rest = &rest[start + len + 1..];
        }
        pieces.push(rest.to_owned());
        Some(Self { pieces, names })
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub struct Model {
    /// Rust name.
    pub name: String,
    /// Which file it lives in (`models/<group>.rs`).
    pub group: String,
    /// Where it comes from in the document.
    pub pointer: String,
    /// `title` and `description`.
    pub doc: Option<String>,
    /// What it is.
    pub kind: ModelKind,
    /// Which way it travels: decides which serde traits it needs.
    pub wire: Wire,
}

/// Which way a model travels between client and server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wire {
    /// Part of a request body: needs `Serialize`.
    pub sent: bool,
    /// Part of a response or error body: needs `Deserialize`.
    pub received: bool,
}

/// Shapes of models.
#[derive(Debug, Clone)]
pub enum ModelKind {
    /// An object.
    Struct {
        /// Known properties.
        fields: Vec<Field>,
        /// Type of the other properties, if they are kept.
        additional: Option<Type>,
    },
    /// A string enum, open to values the document did not list.
    Enum {
        /// Listed values.
        variants: Vec<Variant>,
        /// Name of the variant holding other values.
        other: String,
    },
    /// Another name for a type.
    Alias(Type),
    /// One of several types (`oneOf`/`anyOf`).
    OneOf {
        /// Variant name and type, in document order.
        variants: Vec<(String, Type)>,
        /// With a `discriminator`: the property, and each variant's value.
        discriminator: Option<(String, Vec<String>)>,
    },
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Name in Rust.
    pub rust_name: String,
    /// Its type.
    pub ty: Type,
    /// How absence is represented.
    pub presence: Presence,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// `readOnly`: set by the server, never sent.
    pub read_only: bool,
    /// Description.
    pub doc: Option<String>,
    /// Marked `format: password` in the document.
    pub password_format: bool,
    /// Holds a secret: `Debug` shows `<redacted>` (the rule is in `ir/secrets.rs`).
    pub secret: bool,
    /// Listed in the schema's `required`; `presence` says what that means
    /// in Rust (nothing, under protojson: absent is the zero value).
    pub listed_required: bool,
}

/// How a field's absence on the wire is represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present; no default.
    Required,
    /// Absent means the zero value (proto3); zero values are not sent.
    Defaulted,
    /// `Option<T>`; `None` is not sent.
    Optional,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust name.
    pub rust_name: String,
    /// Value on the wire.
    pub wire: String,
}

/// The names the emitted methods keep for themselves, which no parameter
/// may take. The emitter declares them (`emit::KEPT_NAMES`); the model
/// names parameters around them.
#[derive(Debug, Clone, Copy)]
pub struct KeptNames<'a> {
    /// Arguments a method may have besides its parameters: no parameter
    /// is named so.
    pub arguments: &'a [&'a str],
    /// The method's own locals: a positional argument named so gets a
    /// trailing `_`.
    pub locals: &'a [&'a str],
}

/// Builds the model from an `OpenAPI` document, naming parameters around
/// the names the emitted methods keep (`kept`).
pub fn build(
    doc: &OpenAPI,
    version: SpecVersion,
    config: &Config,
    previous_names: &std::collections::BTreeMap<String, String>,
    kept: KeptNames<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Api, Error> {
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    let grpc_gateway = schemas.is_some_and(|s| s.keys().any(|k| k.ends_with("rpcStatus") || k == "protobufAny"));
    let protojson = config.protojson.unwrap_or(grpc_gateway);
    let strip = config.strip_package_prefixes.unwrap_or(grpc_gateway);

    let mut registry = models::Registry::new(doc, version, strip, protojson, config, previous_names)?;
    registry.convert_components()?;
    let (tags, error_body) = operations::build(doc, version, &mut registry, kept)?;
    let schema_names = registry.schema_names();
    let (mut models, walk_warnings) = registry.finish()?;
    warnings.extend(walk_warnings);
    mark_wire(&mut models, &tags, error_body.as_ref());
    secrets::mark(&mut models, &config.secrets);
    let mut tags = tags;
    pagination::mark(&mut tags, &models, &config.pagination);
    // Schemas no operation reaches would cost compile time and serve no
    // call; they keep their recorded names, in case they come back.
    models.retain(|m| m.wire != Wire::default());
    let security = security(doc);
    let api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        default_base_url: doc.servers.first().map(|s| s.url.clone()).or_else(|| config.base_url.clone()),
        tags,
        models,
        error_body,
        security,
        protojson,
        schema_names,
    };
    validate::check(&api)?;
    Ok(api)
}

fn security(doc: &OpenAPI) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    let Some(components) = &doc.components else { return out };
    for scheme in components.security_schemes.values() {
        let openapiv3::ReferenceOr::Item(s) = scheme else { continue };
        let s = match s {
            openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                SecurityScheme::Basic
            }
            openapiv3::SecurityScheme::HTTP { .. }
            | openapiv3::SecurityScheme::OAuth2 { .. }
            | openapiv3::SecurityScheme::OpenIDConnect { .. } => SecurityScheme::Bearer,
            openapiv3::SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, .. } => {
                SecurityScheme::ApiKeyQuery(name.clone())
            }
            openapiv3::SecurityScheme::APIKey { name, .. } => SecurityScheme::ApiKeyHeader(name.clone()),
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Marks every model reachable from a request body as sent, from a response
/// or error body as received, and from a parameter both ways. A model left
/// unmarked is one no operation can send or receive.
fn mark_wire(models: &mut [Model], tags: &[Tag], error_body: Option<&Type>) {
    use std::collections::BTreeMap;
    fn children<'t>(ty: &'t Type, out: &mut Vec<&'t str>) {
        match ty {
            Type::Model(n) => out.push(n),
            Type::Vec(t) | Type::Map(t) => children(t, out),
            _ => {}
        }
    }
    let index: BTreeMap<String, usize> = models.iter().enumerate().map(|(i, m)| (m.name.clone(), i)).collect();
    let walk = |roots: Vec<&Type>, sent: bool, models: &mut [Model]| {
        let mut stack: Vec<String> = Vec::new();
        for r in roots {
            let mut names = Vec::new();
            children(r, &mut names);
            stack.extend(names.into_iter().map(str::to_owned));
        }
        while let Some(name) = stack.pop() {
            let Some(&i) = index.get(&name) else { continue };
            let wire = &mut models[i].wire;
            let seen = if sent {
                std::mem::replace(&mut wire.sent, true)
            } else {
                std::mem::replace(&mut wire.received, true)
            };
            if seen {
                continue;
            }
            let mut next = Vec::new();
            match &models[i].kind {
                ModelKind::Struct { fields, additional } => {
                    for f in fields {
                        children(&f.ty, &mut next);
                    }
                    if let Some(a) = additional {
                        children(a, &mut next);
                    }
                }
                ModelKind::Alias(t) => children(t, &mut next),
                ModelKind::OneOf { variants, .. } => variants.iter().for_each(|(_, t)| children(t, &mut next)),
                ModelKind::Enum { .. } => {}
            }
            stack.extend(next.into_iter().map(str::to_owned));
        }
    };
    let ops = || tags.iter().flat_map(|t| &t.operations);
    let sent: Vec<&Type> = ops().filter_map(|o| o.body.as_ref().map(|b| &b.ty)).collect();
    let received: Vec<&Type> = ops()
        .flat_map(|o| o.response.decoded().into_iter().chain(o.events.as_ref().and_then(|e| e.stream.message.as_ref())))
        .chain(error_body)
        .collect();
    walk(sent, true, models);
    walk(received, false, models);
    // Parameter types (enums, mostly) are written by the client's own code;
    // they get both directions.
    let params: Vec<&Type> = ops()
        .flat_map(|o| o.path_params.iter().chain(&o.query_params).chain(&o.header_params))
        .map(|p| &p.ty)
        .collect();
    walk(params.clone(), true, models);
    walk(params, false, models);
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_templates_split_into_pieces_around_their_variables() {
        let t = super::PathTemplate::parse("/a/{id}/b/{name}").unwrap();
        assert_eq!(
            (t.pieces, t.names),
            (vec!["/a/".to_owned(), "/b/".to_owned(), String::new()], vec!["id".to_owned(), "name".to_owned()])
        );
        let t = super::PathTemplate::parse("/plain").unwrap();
        assert_eq!((t.pieces, t.names), (vec!["/plain".to_owned()], vec![]));
        assert_eq!(super::PathTemplate::parse("/a/{id"), None);
    }
}
