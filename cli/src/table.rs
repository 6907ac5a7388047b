//! The shape of the generated table of operations (`generated/`): one JSON
//! document per d.run module, embedded in the binary and parsed the first
//! time a command names the module. The command tree, the request builder
//! and the MCP server all read it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

/// A module as the index lists it: enough to list the modules without
/// parsing any table.
pub struct Entry {
    /// Its command (`ghippo`, `mcamel-kafka`).
    pub name: &'static str,
    /// Its name in English (`Global Management`), or empty.
    pub title: &'static str,
    /// Its document's `info.title` (often Chinese: `全局管理`).
    pub document_title: &'static str,
    /// Its table, as JSON.
    json: &'static str,
    /// Its table, once parsed.
    parsed: OnceLock<ModuleTable>,
}

impl Entry {
    /// An index entry (the generated index lists them).
    pub const fn new(
        name: &'static str,
        title: &'static str,
        document_title: &'static str,
        json: &'static str,
    ) -> Self {
        Entry { name, title, document_title, json, parsed: OnceLock::new() }
    }

    /// The module's table, parsed on first use.
    pub fn module(&'static self) -> &'static ModuleTable {
        self.parsed.get_or_init(|| {
            // The table is generated and embedded; a test parses every one.
            serde_json::from_str(self.json)
                .unwrap_or_else(|e| panic!("the embedded table of `{}` does not parse: {e}", self.name))
        })
    }

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

/// One d.run module's table (`ghippo`): its operations and schemas.
#[derive(Deserialize)]
pub struct ModuleTable {
    /// Its command (`ghippo`, `mcamel-kafka`).
    pub name: String,
    /// Its name in English (`Global Management`), or empty.
    pub title: String,
    /// Its document's `info.title` (often Chinese: `全局管理`).
    pub document_title: String,
    /// Its tags, sorted by name.
    pub tags: Vec<Tag>,
    /// The JSON Schema of every model its operations send or receive, by
    /// name: what `#/$defs/<name>` in a body's or answer's schema refers to.
    pub schemas: BTreeMap<String, Value>,
}

/// One tag of a module: a group of operations.
#[derive(Deserialize)]
pub struct Tag {
    /// Its command (`users`, `notebook-service`).
    pub name: String,
    /// The tag as the document writes it (`Users`).
    pub title: String,
    /// The tag's description.
    #[serde(default)]
    pub about: String,
    /// Its operations, sorted by name.
    pub operations: Vec<Operation>,
}

/// One operation.
#[derive(Deserialize)]
pub struct Operation {
    /// Its command (`list-users`): the Rust method's name in kebab case.
    pub name: String,
    /// `operationId`.
    pub id: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the document writes it.
    pub path: String,
    /// The path template, parsed.
    pub segments: Vec<Segment>,
    /// One-line summary.
    #[serde(default)]
    pub summary: String,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// Marked deprecated in the document.
    #[serde(default)]
    pub deprecated: bool,
    /// Path, query and header parameters, in that order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// What a success answers.
    pub answer: Answer,
    /// How to follow its pages, for a paged list.
    pub paging: Option<Paging>,
}

impl Operation {
    /// The path parameters, in template order.
    pub fn path_params(&'static self) -> impl Iterator<Item = &'static Param> {
        let params = &self.params;
        self.segments.iter().filter_map(move |s| match s {
            Segment::Param(name) => params.iter().find(|p| p.location == Location::Path && p.name == *name),
            Segment::Literal(_) => None,
        })
    }

    /// The query and header parameters: the operation's flags.
    pub fn flags(&'static self) -> impl Iterator<Item = &'static Param> {
        self.params.iter().filter(|p| p.location != Location::Path)
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
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
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// Literal text.
    Literal(String),
    /// A path parameter, by its wire name.
    Param(String),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// One path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// A parameter.
#[derive(Debug, Deserialize)]
pub struct Param {
    /// Its name on the wire.
    pub name: String,
    /// Its flag (`page-size`), or its value's name for a path parameter.
    pub flag: String,
    /// Where it travels.
    #[serde(rename = "in")]
    pub location: Location,
    /// Whether the caller must give it.
    #[serde(default)]
    pub required: bool,
    /// What one value is.
    pub kind: Kind,
    /// How several values travel, for an array.
    pub list: Option<List>,
    /// Allowed values (an enum's), or empty for any.
    #[serde(default)]
    pub values: Vec<String>,
    /// The document's description.
    #[serde(default)]
    pub description: String,
}

/// What one value of a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    /// A JSON object, written property by property.
    Object,
    /// A JSON object, written as `name[property]=value` (`style: deepObject`).
    DeepObject,
}

/// How an array parameter travels.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum List {
    /// One pair per value (`a=1&a=2`).
    Repeat,
    /// One value, joined by this separator (`a=1,2`).
    Joined(String),
}

/// A request body.
#[derive(Deserialize)]
pub struct Body {
    /// Its type's name, for help and errors.
    pub type_name: String,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How the given body is checked and encoded.
    pub encoding: Encoding,
    /// Its JSON Schema (models as `#/$defs/<name>`).
    pub schema: Value,
}

/// How a body given on the command line becomes the request's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// JSON, checked against the body's schema and sent in protojson form.
    Json,
    /// A form, given as a JSON object of the body's schema.
    Form,
    /// A multipart form, given as a JSON object of the body's schema.
    Multipart,
    /// Sent as given.
    Raw,
}

/// What a success answers.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Answer {
    /// JSON, checked against its schema and printed as it came.
    Json {
        /// The type's name.
        type_name: String,
        /// Its JSON Schema (models as `#/$defs/<name>`).
        schema: Value,
    },
    /// Text.
    Text,
    /// Bytes (a file).
    Bytes,
    /// Nothing.
    Empty,
    /// Messages, printed one per line as each arrives.
    Stream {
        /// `json-lines` (grpc-gateway's) or `events` (server-sent events).
        framing: String,
        /// Each message's JSON Schema, when the document gives one.
        #[serde(default)]
        schema: Option<Value>,
    },
}

/// The wire names a paged list pages with.
#[derive(Debug, Clone, Deserialize)]
pub struct Paging {
    /// The page-number query parameter.
    pub page: String,
    /// The page-size query parameter.
    pub page_size: String,
    /// The answer's items.
    pub items: String,
    /// The answer's pagination object.
    pub pagination: String,
    /// Its total.
    pub total: String,
}

/// One operation with the tag and module it belongs to: what a call needs
/// (the module's schemas check its body and answer).
#[derive(Clone, Copy)]
pub struct Target {
    /// The module.
    pub module: &'static ModuleTable,
    /// The tag.
    pub tag: &'static Tag,
    /// The operation.
    pub op: &'static Operation,
}

impl Target {
    /// `module tag operation`, as the command line names it.
    pub fn command(self) -> String {
        format!("{} {} {}", self.module.name, self.tag.name, self.op.name)
    }

    /// `module/tag/operation`, as the MCP server names it.
    pub fn id(self) -> String {
        format!("{}/{}/{}", self.module.name, self.tag.name, self.op.name)
    }
}

/// Every module's index entry, sorted by name.
pub fn entries() -> &'static [Entry] {
    &crate::generated::MODULES
}

/// Finds a module by name, and parses its table.
pub fn module(name: &str) -> Option<&'static ModuleTable> {
    entries().iter().find(|m| m.name == name).map(Entry::module)
}

/// Every module's table, parsed.
#[cfg(test)]
pub fn all_modules() -> Vec<&'static ModuleTable> {
    entries().iter().map(Entry::module).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_table_parses_and_agrees_with_the_index() {
        for entry in super::entries() {
            let module = entry.module();
            assert_eq!((module.name.as_str(), module.title.as_str()), (entry.name, entry.title));
            assert!(!module.tags.is_empty(), "{}", entry.name);
        }
    }
}
