//! An operation's request, from the values on the command line: built with
//! the runtime's `RequestParts`, exactly as a generated client method
//! builds it (each path value one checked segment, arrays and objects in
//! the query as the document says).

use std::io::Read as _;

use clap::ArgMatches;
use drun_runtime::request::RequestParts;

use crate::fail::Failure;
use crate::table::{Answer, Kind, List, Location, ModuleTable, Operation, Param, Segment};

/// The checked values of one call, owned, so that `--all` can build the
/// request again for each page.
pub struct Inputs {
    /// Each given parameter and its values (several for an array).
    values: Vec<(&'static Param, Vec<String>)>,
    /// The body, encoded, and its content type.
    body: Option<(String, Vec<u8>)>,
    /// Where the body came from, for a dry run of a raw body.
    pub body_source: Option<String>,
    /// What the body check left out and why (read-only fields).
    pub notes: Vec<String>,
}

/// A body as the caller gave it.
pub struct GivenBody {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Where it came from (`@file`, `@-`, or the text itself), for a dry run.
    pub source: String,
    /// Sent as given, unchecked (`--raw-body`), rather than checked against
    /// the body's schema.
    pub verbatim: bool,
}

impl Inputs {
    /// Reads an operation's values from its matches (clap has checked
    /// each one); the body is read, checked against its schema and encoded
    /// here, before anything is sent.
    pub fn read(module: &'static ModuleTable, op: &'static Operation, matches: &ArgMatches) -> Result<Self, Failure> {
        let mut values = Vec::new();
        for p in &op.params {
            let Some(given) = matches.get_many::<String>(&p.flag) else { continue };
            values.push((p, given.cloned().collect()));
        }
        let body = match &op.body {
            Some(spec) => {
                let checked = matches.get_one::<String>("body").map(|g| (g, false));
                let verbatim = matches.get_one::<String>("raw-body").map(|g| (g, true));
                let given = checked.or(verbatim).map(|(given, verbatim)| read_body(given, verbatim)).transpose()?;
                let sets: Vec<String> =
                    matches.get_many::<String>("set").map(|s| s.cloned().collect()).unwrap_or_default();
                if sets.is_empty() { given } else { Some(with_sets(module, spec, given, &sets)?) }
            }
            None => None,
        };
        let inputs = Self::new(module, op, values, body)?;
        for note in &inputs.notes {
            eprintln!("drun: note: --body: {note}");
        }
        Ok(inputs)
    }

    /// The values of a call, each already checked (`values::check`), and
    /// its body as given.
    pub fn new(
        module: &'static ModuleTable,
        op: &'static Operation,
        mut values: Vec<(&'static Param, Vec<String>)>,
        body: Option<GivenBody>,
    ) -> Result<Self, Failure> {
        for (p, items) in &mut values {
            if p.location == Location::Path && p.list.is_some() {
                *items = items.iter().flat_map(|v| v.split(',').map(str::to_owned)).collect();
            }
        }
        let (body, body_source, notes) = match (&op.body, body) {
            (Some(spec), Some(given)) => {
                let flag = if given.verbatim { "--raw-body" } else { "--body" };
                let sendable = if given.verbatim {
                    crate::body::verbatim(spec, &given.bytes)
                } else {
                    crate::body::encode(module, spec, &given.bytes)
                }
                .map_err(|e| Failure::body(flag, &spec.type_name, e))?;
                (Some((sendable.content_type, sendable.bytes)), Some(given.source), sendable.notes)
            }
            _ => (None, None, Vec::new()),
        };
        Ok(Self { values, body, body_source, notes })
    }

    /// The values given for a parameter.
    fn get(&self, p: &Param) -> Option<&[String]> {
        self.values.iter().find(|(q, _)| std::ptr::eq(*q, p)).map(|(_, v)| v.as_slice())
    }

    /// The request, with `page` (number and default size) for one page of
    /// `--all`.
    pub fn parts(&self, op: &'static Operation, tag: &'static str, page: Option<i32>) -> RequestParts {
        let mut parts = RequestParts::new(&op.id, tag, op.method.http());
        parts.accept = match op.answer {
            Answer::Stream { ref framing, .. } if framing == "events" => "text/event-stream",
            Answer::Json { .. } | Answer::Stream { .. } => "application/json",
            Answer::Text => "text/plain, */*",
            Answer::Bytes | Answer::Empty => "*/*",
        };
        for segment in &op.segments {
            match segment {
                Segment::Literal(text) => parts.path(text),
                Segment::Param(name) => {
                    let Some(p) = op.params.iter().find(|p| p.location == Location::Path && p.name == *name) else {
                        continue;
                    };
                    let values = self.get(p).unwrap_or_default();
                    match &p.list {
                        Some(List::Joined(separator)) => parts.segment_joined(&p.name, values, separator),
                        Some(List::Repeat) => parts.segment_joined(&p.name, values, ","),
                        None => parts.segment(&p.name, &values.first().map_or("", String::as_str)),
                    }
                }
            }
        }
        let paging = op.paging.as_ref().filter(|_| page.is_some());
        for p in op.params.iter().filter(|p| p.location != Location::Path) {
            let pairs = if p.location == Location::Header { &mut parts.headers } else { &mut parts.query };
            let values: Vec<String> = match (paging, page) {
                (Some(paging), Some(n)) if p.name == paging.page => vec![n.to_string()],
                (Some(paging), Some(_)) if p.name == paging.page_size && self.get(p).is_none() => {
                    vec!["100".to_owned()]
                }
                _ => match self.get(p) {
                    Some(values) => values.to_vec(),
                    None => continue,
                },
            };
            match (p.kind, &p.list) {
                (Kind::Object | Kind::DeepObject, _) => {
                    for value in &values {
                        if let Ok(object) = serde_json::from_str::<serde_json::Value>(value) {
                            pairs.object(&p.name, &object, p.kind == Kind::DeepObject);
                        }
                    }
                }
                (_, Some(List::Repeat)) => pairs.each(&p.name, &values),
                (_, Some(List::Joined(separator))) => pairs.joined(&p.name, &values, separator),
                (_, None) => {
                    for value in &values {
                        pairs.one(&p.name, value);
                    }
                }
            }
        }
        if let Some((content_type, bytes)) = &self.body {
            parts.body = Some((content_type.clone().into(), drun_runtime::bytes::Bytes::from(bytes.clone())));
        }
        parts
    }
}

/// `--body`: JSON text, `@file`, or `-` for standard input; and how to
/// name that source in a curl command.
/// `--set` over `--body` (or over an empty object): the body the check
/// then sees, as JSON text.
fn with_sets(
    module: &ModuleTable,
    spec: &crate::table::Body,
    given: Option<GivenBody>,
    sets: &[String],
) -> Result<GivenBody, Failure> {
    let base = given
        .map(|g| crate::body::parse(&g.bytes).map_err(|e| Failure::body("--body", &spec.type_name, e)))
        .transpose()?;
    let value = crate::fields::apply(&module.schemas, &spec.schema, base, sets)
        .map_err(|why| Failure::usage(format!("--set {why}")))?;
    let text = value.to_string();
    Ok(GivenBody { bytes: text.clone().into_bytes(), source: text, verbatim: false })
}

fn read_body(given: &str, verbatim: bool) -> Result<GivenBody, Failure> {
    let (bytes, source) = read_source(given)?;
    Ok(GivenBody { bytes, source, verbatim })
}

fn read_source(given: &str) -> Result<(Vec<u8>, String), Failure> {
    if given == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::config(format!("cannot read the body from stdin: {e}")))?;
        return Ok((bytes, "@-".to_owned()));
    }
    if let Some(path) = given.strip_prefix('@') {
        let bytes = std::fs::read(path).map_err(|e| Failure::usage(format!("--body: cannot read {path}: {e}")))?;
        return Ok((bytes, given.to_owned()));
    }
    Ok((given.as_bytes().to_vec(), given.to_owned()))
}
