//! The shape of the generated table of operations (`operations/`): plain
//! static data, one [`Module`] per d.run module. The command tree, the
//! request builder and the MCP server all read it.

use drun_runtime::request::ResponseBody;

/// One d.run module (`ghippo`).
pub struct Module {
    /// Its command (`ghippo`, `mcamel-kafka`).
    pub name: &'static str,
    /// Its name in English (`Global Management`), or empty.
    pub title: &'static str,
    /// Its document's `info.title` (often Chinese: `全局管理`).
    pub document_title: &'static str,
    /// Its tags, sorted by name.
    pub tags: &'static [Tag],
    /// The JSON Schema of every model its operations send or receive, by
    /// name (sorted): what `#/$defs/<name>` in a body's or answer's schema
    /// refers to.
    pub schemas: &'static [(&'static str, &'static str)],
}

impl Module {
    /// How listings name it: the English name, then the document's title
    /// when that says something else.
    pub fn about(&self) -> String {
        match (self.title, self.document_title) {
            ("", doc) => doc.to_owned(),
            (title, doc) if doc.is_empty() || doc.eq_ignore_ascii_case(title) => title.to_owned(),
            (title, doc) => format!("{title} ({doc})"),
        }
    }
}

/// One tag of a module: a group of operations.
pub struct Tag {
    /// Its command (`users`, `notebook-service`).
    pub name: &'static str,
    /// The tag as the document writes it (`Users`).
    pub title: &'static str,
    /// The tag's description.
    pub about: &'static str,
    /// Its operations, sorted by name.
    pub operations: &'static [Operation],
}

/// One operation.
pub struct Operation {
    /// Its command (`list-users`): the Rust method's name in kebab case.
    pub name: &'static str,
    /// `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the document writes it.
    pub path: &'static str,
    /// The path template, parsed.
    pub segments: &'static [Segment],
    /// One-line summary.
    pub summary: &'static str,
    /// The description.
    pub description: &'static str,
    /// Marked deprecated in the document.
    pub deprecated: bool,
    /// Path, query and header parameters, in that order.
    pub params: &'static [Param],
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// What a success answers.
    pub answer: Answer,
    /// How to follow its pages, for a paged list.
    pub paging: Option<Paging>,
}

impl Operation {
    /// The path parameters, in template order.
    pub fn path_params(&self) -> impl Iterator<Item = &'static Param> + use<> {
        let params = self.params;
        self.segments.iter().filter_map(move |s| match s {
            Segment::Param(name) => params.iter().find(|p| p.location == Location::Path && p.name == *name),
            Segment::Literal(_) => None,
        })
    }

    /// The query and header parameters: the operation's flags.
    pub fn flags(&self) -> impl Iterator<Item = &'static Param> + use<> {
        self.params.iter().filter(|p| p.location != Location::Path)
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "the table's shape covers every document the generator reads, not only today's d.run ones")]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method as `reqwest` takes it.
    pub fn http(self) -> drun_runtime::reqwest::Method {
        use drun_runtime::reqwest::Method as M;
        match self {
            Method::Get => M::GET,
            Method::Put => M::PUT,
            Method::Post => M::POST,
            Method::Delete => M::DELETE,
            Method::Patch => M::PATCH,
            Method::Head => M::HEAD,
            Method::Options => M::OPTIONS,
            Method::Trace => M::TRACE,
        }
    }

    /// Upper case, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// A piece of a path template.
pub enum Segment {
    /// Literal text.
    Literal(&'static str),
    /// A path parameter, by its wire name.
    Param(&'static str),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// One path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// A parameter.
#[derive(Debug)]
pub struct Param {
    /// Its name on the wire.
    pub name: &'static str,
    /// Its flag (`page-size`), or its value's name for a path parameter.
    pub flag: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Whether the caller must give it.
    pub required: bool,
    /// What one value is.
    pub kind: Kind,
    /// How several values travel, for an array.
    pub list: Option<List>,
    /// Allowed values (an enum's), or empty for any.
    pub values: &'static [&'static str],
    /// The document's description.
    pub description: &'static str,
}

/// What one value of a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "the table's shape covers every document the generator reads, not only today's d.run ones")]
pub enum Kind {
    /// Text.
    Text,
    /// `true` or `false`.
    Bool,
    /// A 32-bit integer.
    I32,
    /// A 64-bit integer.
    I64,
    /// A 32-bit unsigned integer.
    U32,
    /// A 64-bit unsigned integer.
    U64,
    /// A number.
    Float,
    /// A JSON object, written property by property (`deep`: as
    /// `name[property]=value`).
    Object {
        /// `style: deepObject`.
        deep: bool,
    },
}

/// How an array parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// One pair per value (`a=1&a=2`).
    Repeat,
    /// One value, joined by this separator (`a=1,2`).
    Joined(&'static str),
}

/// A request body.
pub struct Body {
    /// Its type's Rust name, for help and errors.
    pub type_name: &'static str,
    /// The media type sent as `Content-Type`.
    pub media_type: &'static str,
    /// How the given body is checked and encoded.
    pub encode: Encode,
    /// Its JSON Schema (models as `#/$defs/<name>`).
    pub schema: &'static str,
}

/// A body given as JSON, checked and encoded: its content type and bytes.
pub type EncodeMultipart = fn(&[u8]) -> Result<(String, Vec<u8>), crate::body::BodyError>;

/// How a body given on the command line becomes the request's.
#[allow(dead_code, reason = "the table's shape covers every document the generator reads, not only today's d.run ones")]
pub enum Encode {
    /// JSON, checked against the body's type and sent as the client
    /// would send that value.
    Json(fn(&[u8]) -> Result<Vec<u8>, crate::body::BodyError>),
    /// A form, given as a JSON object of the body's type.
    Form(fn(&[u8]) -> Result<Vec<u8>, crate::body::BodyError>),
    /// A multipart form, given as a JSON object of the body's type.
    Multipart(EncodeMultipart),
    /// Sent as given.
    Raw,
}

/// What a success answers.
#[allow(dead_code, reason = "the table's shape covers every document the generator reads, not only today's d.run ones")]
pub enum Answer {
    /// JSON of a type: `read` checks that it decodes and keeps the bytes.
    Json {
        /// The type's Rust name.
        type_name: &'static str,
        /// Its JSON Schema (models as `#/$defs/<name>`).
        schema: &'static str,
        /// Checks the body against the type.
        read: fn(ResponseBody) -> Result<drun_runtime::bytes::Bytes, drun_runtime::Error>,
    },
    /// Text.
    Text,
    /// Bytes (a file).
    Bytes,
    /// Nothing.
    Empty,
}

/// The wire names a paged list pages with.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The page-number query parameter.
    pub page: &'static str,
    /// The page-size query parameter.
    pub page_size: &'static str,
    /// The answer's items.
    pub items: &'static str,
    /// The answer's pagination object.
    pub pagination: &'static str,
    /// Its total.
    pub total: &'static str,
}

/// Finds a module by name.
pub fn module(name: &str) -> Option<&'static Module> {
    crate::operations::MODULES.iter().copied().find(|m| m.name == name)
}
