//! `drun mcp`: a Model Context Protocol server over stdio (the official
//! Rust SDK, `rmcp`) that lets an agent reach every operation through four
//! tools instead of 3,385: list the modules, search operations in plain
//! words, describe one, call one.
//!
//! Calls go through the command line's own path: the same table, the
//! same checks of every value (`values::check`) and body (its type) before
//! anything is sent, the same runtime (request safety, retries, timeouts).
//! Only operations that change nothing (`GET`, `HEAD`, `OPTIONS`) can be
//! called unless the server was started with `--allow-writes`. The access
//! key never appears in a result or in the log (stderr: one line per call,
//! with its operation id).

use std::sync::Arc;

use drun_runtime::Client;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, ServiceExt as _};
use serde_json::{Map, Value, json};

use crate::fail::Failure;
use crate::search::Index;
use crate::table::{Answer, Kind, Location, Method, ModuleTable, Operation, Param, Target};

/// How the server was started.
pub struct Settings {
    /// Operations that change something may be called too.
    pub allow_writes: bool,
    /// The modules served (all when empty).
    pub modules: Vec<String>,
    /// The default cap on a `call_operation` result, in bytes of JSON.
    pub max_bytes: usize,
}

/// How many pages `all_pages` follows unless told otherwise, and at most.
const DEFAULT_PAGES: u64 = 5;
const MAX_PAGES: u64 = 50;
/// How many of a stream's messages a call returns unless it says.
const STREAM_MESSAGES: u64 = 20;
/// How long a call reads a stream unless it says, in seconds.
const STREAM_SECONDS: u64 = 10;

struct Server {
    client: Client,
    modules: Vec<&'static ModuleTable>,
    index: Index,
    allow_writes: bool,
    max_bytes: usize,
}

/// Serves MCP on stdin and stdout until the client hangs up.
pub fn run(access: &crate::access::Access, settings: Settings) -> Result<(), Failure> {
    if let Some(unknown) = settings.modules.iter().find(|n| crate::table::entries().iter().all(|e| e.name != *n)) {
        return Err(Failure::usage(format!("--module {unknown}: no such module")));
    }
    let modules: Vec<&'static ModuleTable> = crate::table::entries()
        .iter()
        .filter(|e| settings.modules.is_empty() || settings.modules.iter().any(|n| n == e.name))
        .map(crate::table::Entry::module)
        .collect();
    let client = crate::call::client(access, false)?;
    let server = Server {
        client,
        index: Index::new(&modules),
        modules,
        allow_writes: settings.allow_writes,
        max_bytes: settings.max_bytes.clamp(1024, crate::cap::MAX_BYTES),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::config(format!("cannot start: {e}")))?;
    eprintln!(
        "drun mcp: serving {} modules ({}), on stdio",
        server.modules.len(),
        if server.allow_writes { "every operation" } else { "read-only operations" }
    );
    runtime.block_on(async move {
        let service = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Failure::config(format!("MCP start-up failed: {e}")))?;
        service.waiting().await.map_err(|e| Failure::config(format!("MCP server stopped: {e}")))?;
        Ok(())
    })
}

fn schema(value: Value) -> Arc<Map<String, Value>> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(Map::new()),
    }
}

/// The four tools, with the hints MCP clients show: the first three read
/// the embedded table only; `call_operation` reaches the API, and can
/// change or delete data only when the server allows writes.
fn tools(allow_writes: bool) -> Vec<Tool> {
    let local = || ToolAnnotations::new().read_only(true).open_world(false);
    let operation =
        json!({"type": "string", "description": "The operation, as `module/tag/operation` (from search_operations)."});
    vec![
        Tool::new(
            "list_modules",
            "List the d.run API modules served: name, English name and document title, and how many operations each has.",
            schema(json!({"type": "object", "properties": {}})),
        )
        .annotate(local()),
        Tool::new(
            "search_operations",
            "Find d.run API operations for a task in plain words (\"list the users\", \"delete a cluster's namespace\"). \
             Returns ranked hits: id (`module/tag/operation`), method, path, summary, and whether it can be called.",
            schema(json!({
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "What to do, in plain words."},
                    "module": {"type": "string", "description": "Only this module (from list_modules)."},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "How many hits (default 10)."}
                },
                "required": ["query"]
            })),
        )
        .annotate(local()),
        Tool::new(
            "describe_operation",
            "Describe one operation: method, path, its parameters (where each goes, type, allowed values, description), \
             the JSON Schema of its body and of its answer, and whether it is a paged list.",
            schema(json!({"type": "object", "properties": {"operation": operation}, "required": ["operation"]})),
        )
        .annotate(local()),
        Tool::new(
            "call_operation",
            "Call one operation and return its JSON answer. `arguments` holds path, query and header parameters by name \
             (as describe_operation lists them; arrays as JSON arrays); `body` the request body as JSON. Values are \
             checked before anything is sent. For a paged list, `all_pages` follows the pages (at most `max_pages`, \
             default 5) and returns the items. Operations that change something need a server started with \
             --allow-writes.",
            schema(json!({
                "type": "object",
                "properties": {
                    "operation": operation,
                    "arguments": {"type": "object", "description": "Parameters by name."},
                    "body": {"description": "The request body (JSON), for operations that take one; checked field by field against its schema."},
                    "raw_body": {"type": "boolean", "description": "Send `body` exactly as given, unchecked (fields newer than the document)."},
                    "all_pages": {"type": "boolean", "description": "Follow every page of a paged list."},
                    "jq": {"type": "string", "description": "A jq expression applied to the answer (to the items list with all_pages), e.g. `.items[] | {id, name}`."},
                    "max_bytes": {"type": "integer", "minimum": 1024, "description": "Cap on the result's JSON (default: the server's, 16 KiB); a longer list is cut, saying how many items were left out."},
                    "max_pages": {"type": "integer", "minimum": 1, "maximum": MAX_PAGES},
                    "max_messages": {"type": "integer", "minimum": 1, "maximum": 200, "description": "For a streaming operation: return after this many messages (default 20)."},
                    "max_seconds": {"type": "integer", "minimum": 1, "maximum": 60, "description": "For a streaming operation: return after this many seconds (default 10). The result says whether the stream ended or was cut."}
                },
                "required": ["operation"]
            })),
        )
        .annotate(
            ToolAnnotations::new().read_only(!allow_writes).destructive(allow_writes).open_world(true),
        ),
    ]
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build()).with_instructions(
            "The d.run platform API. Find an operation with search_operations, read its parameters with \
             describe_operation, then call it with call_operation.",
        )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools(self.allow_writes)))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        let result = match request.name.as_ref() {
            "list_modules" => Ok(self.list_modules()),
            "search_operations" => self.search(&arguments),
            "describe_operation" => self.find(&arguments).map(describe),
            "call_operation" => self.call(&arguments).await,
            other => Err(format!(
                "no tool `{other}`; the tools are list_modules, search_operations, describe_operation, call_operation"
            )),
        };
        Ok(match result {
            Ok(value) => CallToolResult::success(vec![ContentBlock::text(value.to_string())]),
            Err(message) => CallToolResult::error(vec![ContentBlock::text(message)]),
        }
        .into())
    }
}

impl Server {
    fn list_modules(&self) -> Value {
        Value::Array(
            self.modules
                .iter()
                .map(|m| {
                    let operations: usize = m.tags.iter().map(|t| t.operations.len()).sum();
                    json!({"module": m.name, "name": m.title, "title": m.document_title, "operations": operations})
                })
                .collect(),
        )
    }

    fn search(&self, arguments: &Map<String, Value>) -> Result<Value, String> {
        let query = arguments.get("query").and_then(Value::as_str).ok_or("`query` (text) is required")?;
        let limit = arguments.get("limit").and_then(Value::as_u64).unwrap_or(10).clamp(1, 50);
        let module = arguments.get("module").and_then(Value::as_str);
        let limit = usize::try_from(limit).unwrap_or(10);
        let hits = self.index.search(query, if module.is_some() { 3385 } else { limit });
        let hits: Vec<Value> = hits
            .iter()
            .filter(|h| module.is_none_or(|m| h.module.name == m))
            .take(limit)
            .map(|h| {
                json!({
                    "id": h.id(),
                    "method": h.op.method.as_str(),
                    "path": &h.op.path,
                    "summary": first_line(h.op),
                    "callable": self.allow_writes || read_only(h.op),
                })
            })
            .collect();
        Ok(Value::Array(hits))
    }

    fn find(&self, arguments: &Map<String, Value>) -> Result<Target, String> {
        let id = arguments
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("`operation` (`module/tag/operation`) is required")?;
        let mut parts = id.splitn(3, '/');
        let (Some(module), Some(tag), Some(op)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("`{id}` is not `module/tag/operation`; search_operations gives ids"));
        };
        let module = self
            .modules
            .iter()
            .copied()
            .find(|m| m.name == module)
            .ok_or_else(|| format!("no module `{module}` is served"))?;
        let tag =
            module.tags.iter().find(|t| t.name == tag).ok_or_else(|| format!("no tag `{tag}` in {}", module.name))?;
        let op = tag.operations.iter().find(|o| o.name == op).ok_or_else(|| format!("no operation `{id}`"))?;
        Ok(Target { module, tag, op })
    }

    async fn call(&self, arguments: &Map<String, Value>) -> Result<Value, String> {
        let target = self.find(arguments)?;
        let op = target.op;
        let id = target.id();
        if !self.allow_writes && !read_only(op) {
            eprintln!("drun mcp: refused {} ({id}): {} changes data", op.id, op.method.as_str());
            return Err(format!(
                "{id} is a {} operation, which can change data; this server only calls read-only operations. \
                 Start it with `drun mcp --allow-writes` to allow it.",
                op.method.as_str()
            ));
        }
        let given = match arguments.get("arguments") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(_) => return Err("`arguments` must be an object of parameters by name".to_owned()),
        };
        let values = checked_values(op, &given)?;
        let verbatim = arguments.get("raw_body").and_then(Value::as_bool).unwrap_or(false);
        let body = match (&op.body, arguments.get("body")) {
            (Some(_), Some(body)) => Some(crate::inputs::GivenBody {
                bytes: body.to_string().into_bytes(),
                source: "@-".to_owned(),
                verbatim,
            }),
            (Some(spec), None) => {
                return Err(format!("{id} takes a body: a {} (see describe_operation)", spec.type_name));
            }
            (None, Some(_)) => return Err(format!("{id} takes no body")),
            (None, None) => None,
        };
        let inputs = crate::inputs::Inputs::new(target.module, op, values, body).map_err(|f| {
            if f.known_fields.is_empty() {
                f.message
            } else {
                format!("{}; the fields are: {}", f.message, f.known_fields.join(", "))
            }
        })?;
        let query = match arguments.get("jq") {
            None | Some(Value::Null) => None,
            Some(Value::String(code)) => Some(crate::query::Query::new(code)?),
            Some(_) => return Err("`jq` must be a jq expression (text)".to_owned()),
        };
        let started = std::time::Instant::now();
        let all = arguments.get("all_pages").and_then(Value::as_bool).unwrap_or(false);
        let result = match (all, &op.paging) {
            (true, Some(paging)) => {
                let max =
                    arguments.get("max_pages").and_then(Value::as_u64).unwrap_or(DEFAULT_PAGES).clamp(1, MAX_PAGES);
                self.pages(target, &inputs, paging, max).await
            }
            (true, None) => Err(format!("{id} is not a paged list; call it without all_pages")),
            _ if matches!(op.answer, Answer::Stream { .. }) => self.messages(target, &inputs, arguments).await,
            _ => self.one(target, &inputs).await,
        };
        let max_bytes = arguments
            .get("max_bytes")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .map_or(self.max_bytes, |n| n.clamp(1024, crate::cap::MAX_BYTES));
        let result = match query {
            Some(query) => result.and_then(|value| {
                let mut outputs = query.run(value)?;
                Ok(if outputs.len() == 1 { outputs.remove(0) } else { Value::Array(outputs) })
            }),
            None => result,
        };
        let items = op.paging.as_ref().map(|p| p.items.as_str());
        let result = result.map(|value| crate::cap::cap(value, max_bytes, items));
        let outcome = match &result {
            Ok(_) => "ok".to_owned(),
            Err(message) => message.clone(),
        };
        eprintln!("drun mcp: called {} ({id}) in {} ms: {outcome}", op.id, started.elapsed().as_millis());
        result
    }

    async fn one(&self, target: Target, inputs: &crate::inputs::Inputs) -> Result<Value, String> {
        let command = format!("{} {}", target.tag.name, target.op.name);
        let body = crate::call::send(&self.client, target, inputs, false)
            .await
            .map_err(|e| Failure::from_client(&command, &e).message)?;
        Ok(match target.op.answer {
            Answer::Json { .. } => serde_json::from_slice(&body).map_err(|e| format!("the answer is not JSON: {e}"))?,
            Answer::Text => Value::String(String::from_utf8_lossy(&body).into_owned()),
            Answer::Bytes => json!({"bytes": body.len()}),
            Answer::Empty | Answer::Stream { .. } => Value::Null,
        })
    }

    /// A stream's messages, up to `max_messages` (default 20, at most
    /// 200) and `max_seconds` (default 10, at most 60), saying whether it
    /// was cut there or ended.
    async fn messages(
        &self,
        target: Target,
        inputs: &crate::inputs::Inputs,
        arguments: &Map<String, Value>,
    ) -> Result<Value, String> {
        use drun_runtime::futures_util::StreamExt as _;
        let command = format!("{} {}", target.tag.name, target.op.name);
        let max = arguments.get("max_messages").and_then(Value::as_u64).unwrap_or(STREAM_MESSAGES).clamp(1, 200);
        let seconds = arguments.get("max_seconds").and_then(Value::as_u64).unwrap_or(STREAM_SECONDS).clamp(1, 60);
        let limits = crate::call::StreamLimits::default();
        let mut stream = std::pin::pin!(crate::call::stream(&self.client, target, inputs, limits));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
        let mut messages = Vec::new();
        let cut = loop {
            if messages.len() as u64 >= max {
                break Some(format!("after {max} messages (max_messages)"));
            }
            match tokio::time::timeout_at(deadline, stream.next()).await {
                Err(_) => break Some(format!("after {seconds} s (max_seconds)")),
                Ok(None) => break None,
                Ok(Some(message)) => {
                    let message = message.map_err(|e| Failure::from_client(&command, &e).message)?;
                    let value = serde_json::from_slice(&message)
                        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&message).into_owned()));
                    messages.push(value);
                }
            }
        };
        Ok(match cut {
            Some(why) => json!({"messages": messages, "stream": "cut", "why": why}),
            None => json!({"messages": messages, "stream": "ended"}),
        })
    }

    async fn pages(
        &self,
        target: Target,
        inputs: &crate::inputs::Inputs,
        paging: &'static crate::table::Paging,
        max: u64,
    ) -> Result<Value, String> {
        use drun_runtime::Page as _;
        let command = format!("{} {}", target.tag.name, target.op.name);
        let mut pages = crate::call::pages(&self.client, target, inputs, paging, false);
        let mut items = Vec::new();
        let mut fetched = 0;
        let mut complete = true;
        while let Some(page) = pages.next_page().await {
            let page = page.map_err(|e| Failure::from_client(&command, &e).message)?;
            fetched += 1;
            for item in page.into_items() {
                items.push(serde_json::from_str::<Value>(item.get()).map_err(|e| e.to_string())?);
            }
            if fetched >= max {
                complete = pages.next_page().await.is_none();
                break;
            }
        }
        Ok(json!({"items": items, "pages": fetched, "complete": complete}))
    }
}

/// Whether calling `op` changes nothing.
fn read_only(op: &Operation) -> bool {
    matches!(op.method, Method::Get | Method::Head | Method::Options)
}

fn first_line(op: &'static Operation) -> &'static str {
    let text = if op.summary.is_empty() { &op.description } else { &op.summary };
    text.lines().next().unwrap_or("")
}

/// Each argument checked as the command line checks its flag; unknown
/// names and missing required parameters refused.
fn checked_values(
    op: &'static Operation,
    given: &Map<String, Value>,
) -> Result<Vec<(&'static Param, Vec<String>)>, String> {
    let find = |name: &str| op.params.iter().find(|p| p.name == name || p.flag == name);
    if let Some(unknown) = given.keys().find(|k| find(k).is_none()) {
        let known: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        return Err(format!("no parameter `{unknown}`; the parameters are: {}", known.join(", ")));
    }
    let mut values = Vec::new();
    for p in &op.params {
        let value = given.get(&p.name).or_else(|| given.get(&p.flag));
        let Some(value) = value.filter(|v| !v.is_null()) else {
            if p.required {
                return Err(format!("the parameter `{}` is required", p.name));
            }
            continue;
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) if p.list.is_some() => items.iter().collect(),
            Value::Array(_) if !matches!(p.kind, Kind::Object | Kind::DeepObject) => {
                return Err(format!("the parameter `{}` takes one value, not an array", p.name));
            }
            other => vec![other],
        };
        let mut texts = Vec::new();
        for item in items {
            let text = match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            texts.push(crate::values::check(p, &text).map_err(|why| format!("the parameter `{}`: {why}", p.name))?);
        }
        if p.location == Location::Path && p.list.is_some() {
            texts = vec![texts.join(",")];
        }
        values.push((p, texts));
    }
    Ok(values)
}

/// What `describe_operation` answers.
fn describe(target: Target) -> Value {
    let Target { module, op, .. } = target;
    let params: Vec<Value> = op
        .params
        .iter()
        .map(|p| {
            let mut param = json!({
                "name": p.name,
                "in": match p.location { Location::Path => "path", Location::Query => "query", Location::Header => "header" },
                "type": crate::commands::kind_name(p.kind).to_ascii_lowercase(),
                "required": p.required,
            });
            if p.list.is_some() {
                param["array"] = json!(true);
            }
            if !p.values.is_empty() {
                param["allowed_values"] = json!(p.values);
            }
            if !p.description.is_empty() {
                param["description"] = json!(p.description);
            }
            param
        })
        .collect();
    let mut out = json!({
        "id": target.id(),
        "operation_id": op.id,
        "method": op.method.as_str(),
        "path": op.path,
        "summary": op.summary,
        "description": op.description,
        "parameters": params,
        "paged": op.paging.is_some(),
    });
    if op.deprecated {
        out["deprecated"] = json!(true);
    }
    if let Some(body) = &op.body {
        out["body"] =
            json!({"type": body.type_name, "media_type": body.media_type, "schema": with_defs(module, &body.schema)});
    }
    if let Answer::Json { type_name, schema } = &op.answer {
        out["answer"] = json!({"type": type_name, "schema": with_defs(module, schema)});
    }
    out
}

/// A schema with the definitions it reaches (`#/$defs/<name>`), followed
/// through the module's schemas.
fn with_defs(module: &ModuleTable, root: &Value) -> Value {
    let mut schema = root.clone();
    let mut defs = Map::new();
    let mut pending = Vec::new();
    refs(&schema, &mut pending);
    while let Some(name) = pending.pop() {
        if defs.contains_key(&name) {
            continue;
        }
        let Some(def) = module.schemas.get(&name).cloned() else { continue };
        refs(&def, &mut pending);
        defs.insert(name, def);
    }
    if !defs.is_empty()
        && let Some(object) = schema.as_object_mut()
    {
        object.insert("$defs".to_owned(), Value::Object(defs));
    }
    schema
}

fn refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(name) = r.strip_prefix("#/$defs/")
            {
                out.push(name.to_owned());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tool_list_stays_small() {
        let size = serde_json::to_vec(&tools(true)).expect("tools serialise").len();
        eprintln!("tool list: {} tools, {size} bytes of JSON", tools(true).len());
        assert!(size < 4096, "{size} bytes");
    }

    #[test]
    fn tools_say_which_can_change_data() {
        let annotations = |allow_writes: bool| -> Vec<(Option<bool>, Option<bool>)> {
            tools(allow_writes)
                .iter()
                .map(|t| t.annotations.as_ref().map_or((None, None), |a| (a.read_only_hint, a.destructive_hint)))
                .collect()
        };
        let local = (Some(true), None);
        assert_eq!(annotations(false), [local, local, local, (Some(true), Some(false))]);
        assert_eq!(annotations(true), [local, local, local, (Some(false), Some(true))]);
    }

    #[test]
    fn a_description_carries_the_schemas_it_reaches() {
        let module = crate::table::module("ghippo").expect("ghippo");
        let tag = module.tags.iter().find(|t| t.name == "users").expect("users");
        let op = tag.operations.iter().find(|o| o.name == "create-user").expect("create-user");
        let described = describe(Target { module, tag, op });
        assert_eq!(described["body"]["schema"]["$ref"], "#/$defs/CreateUserRequest");
        assert_eq!(described["body"]["schema"]["$defs"]["CreateUserRequest"]["type"], "object");
        assert!(described["answer"]["schema"]["$defs"].as_object().is_some_and(|d| !d.is_empty()));
    }

    #[test]
    fn arguments_are_checked_as_flags_are() {
        let module = crate::table::module("ghippo").expect("ghippo");
        let op = module.tags.iter().flat_map(|t| &t.operations).find(|o| o.id == "Users_ListUsers").expect("op");
        let args = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert!(checked_values(op, &args(json!({"page": "x"}))).unwrap_err().contains("`page`"));
        assert!(checked_values(op, &args(json!({"nope": 1}))).unwrap_err().contains("no parameter `nope`"));
        let values = checked_values(op, &args(json!({"page": 2, "pageSize": "010"}))).unwrap();
        let value = |name: &str| values.iter().find(|(p, _)| p.name == name).map(|(_, v)| v.clone());
        assert_eq!(value("page"), Some(vec!["2".to_owned()]));
        assert_eq!(value("pageSize"), Some(vec!["10".to_owned()]));
        let get = module.tags.iter().flat_map(|t| &t.operations).find(|o| o.id == "Users_GetUser").expect("op");
        assert!(checked_values(get, &args(json!({"id": ".."}))).unwrap_err().contains("dot segment"));
        assert!(checked_values(get, &args(json!({}))).unwrap_err().contains("required"));
    }
}
