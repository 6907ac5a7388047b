//! Sending an operation's request with the runtime's client and writing
//! its answer; following every page; showing a request as a `curl`
//! command instead of sending it; and `drun configure`.

use std::io::{IsTerminal as _, Write as _};

use clap::ArgMatches;
use drun_runtime::bytes::Bytes;
use drun_runtime::request::{RequestParts, ResponseBody};
use drun_runtime::{Client, Error, Page, Pages};
use serde_json::value::RawValue;

use crate::access::{self, Access, AccessFlags};
use crate::fail::Failure;
use crate::inputs::Inputs;
use crate::output::{Format, Printer};
use crate::table::{Answer, Paging, Target};

/// What the command line asked for besides the operation's values.
pub struct Options {
    /// Where requests go.
    pub access: AccessFlags,
    /// `--output`.
    pub format: Format,
    /// `--columns`.
    pub columns: Vec<String>,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--verbose`.
    pub verbose: bool,
    /// `--all`.
    pub all: bool,
    /// `--jq`, compiled before anything is sent.
    pub query: Option<crate::query::Query>,
    /// For a stream: `--max-messages` and `--idle-timeout`.
    pub stream: StreamLimits,
}

/// When a streaming command stops reading.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreamLimits {
    /// After this many messages (`--max-messages`).
    pub max_messages: Option<u64>,
    /// After this long without a message (`--idle-timeout`; `Some(None)`:
    /// never; `None`: the client's request timeout).
    pub idle: Option<Option<std::time::Duration>>,
}

/// Runs one operation.
pub fn run(target: Target, inputs: &Inputs, mut options: Options) -> Result<(), Failure> {
    let access = access::resolve(&options.access)?;
    let client = client(&access, options.dry_run)?;
    if options.dry_run {
        let parts = inputs.parts(target.op, &target.tag.title, options.all.then_some(1));
        println!("{}", curl(&client, &parts, &access, inputs.body_source.as_deref()));
        return Ok(());
    }
    if access.insecure {
        eprintln!(
            "drun: warning: --insecure: the server's certificate is not checked; anyone on the way can read the access key"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::config(format!("cannot start: {e}")))?;
    let printer = Printer::new(options.format, options.columns.clone(), options.query.take());
    match (options.all, &target.op.paging, &target.op.answer) {
        (_, _, Answer::Stream { .. }) => runtime.block_on(messages(target, inputs, &client, &printer, options.stream)),
        (true, Some(paging), _) => {
            runtime.block_on(all_pages(target, inputs, &client, paging, &printer, options.verbose))
        }
        _ => runtime.block_on(one(target, inputs, &client, &printer, options.verbose)),
    }
}

/// The runtime's framing for a table's `framing`.
pub fn framing(name: &str) -> drun_runtime::Framing {
    if name == "events" { drun_runtime::Framing::ServerSentEvents } else { drun_runtime::Framing::JsonLines }
}

/// The stream of a streaming operation's messages, each as it came.
pub fn stream<'a>(
    client: &'a Client,
    target: Target,
    inputs: &Inputs,
    limits: StreamLimits,
) -> drun_runtime::Stream<'a, Bytes> {
    let Answer::Stream { framing: name, .. } = &target.op.answer else {
        unreachable!("only a streaming operation's answer is read as a stream")
    };
    let parts = inputs.parts(target.op, &target.tag.title, None);
    let stream = client.stream(parts, framing(name), |message| Ok(Bytes::copy_from_slice(message)));
    match limits.idle {
        Some(idle) => stream.idle_timeout(idle),
        None => stream,
    }
}

/// Prints each message of a stream as one line of JSON as it arrives,
/// until the stream ends, `--max-messages` is reached, or Ctrl-C.
async fn messages(
    target: Target,
    inputs: &Inputs,
    client: &Client,
    printer: &Printer,
    limits: StreamLimits,
) -> Result<(), Failure> {
    use drun_runtime::futures_util::StreamExt as _;
    let command = target.command();
    let mut messages = std::pin::pin!(stream(client, target, inputs, limits));
    let mut seen = 0u64;
    let interrupted = tokio::signal::ctrl_c();
    let mut interrupted = std::pin::pin!(interrupted);
    while limits.max_messages.is_none_or(|max| seen < max) {
        let message = tokio::select! {
            message = messages.next() => message,
            _ = &mut interrupted => return Err(Failure::interrupted(&command, seen)),
        };
        let Some(message) = message else { break };
        let message = message.map_err(|e| Failure::from_client(&command, &e))?;
        let message = checked(target, message).map_err(|e| Failure::from_client(&command, &e))?;
        for line in printer.each(vec![to_raw(&message)?])? {
            printer.line(&line)?;
        }
        seen += 1;
    }
    Ok(())
}

fn to_raw(message: &[u8]) -> Result<Box<RawValue>, Failure> {
    serde_json::from_slice(message).or_else(|_| {
        // An event's data that is not JSON: printed as a JSON string.
        serde_json::value::to_raw_value(&String::from_utf8_lossy(message)).map_err(|e| Failure::config(e.to_string()))
    })
}

/// The runtime's client for `access`; a dry run needs no key.
pub fn client(access: &Access, dry_run: bool) -> Result<Client, Failure> {
    let mut builder = Client::builder(access.base_url.clone());
    match &access.key {
        Some(key) => builder = builder.bearer_token(key.expose()),
        None if dry_run => {}
        None => {
            return Err(Failure::config(
                "no access key: set DRUN_ACCESS_KEY, or run `drun configure` to write a profile",
            ));
        }
    }
    if let Some(path) = &access.cacert {
        let pem = std::fs::read(path).map_err(|e| Failure::config(format!("--cacert {}: {e}", path.display())))?;
        // As `curl --cacert` with OpenSSL: the file may hold a private CA
        // or the server's own self-signed certificate (with the CA flag or
        // without). Trusting a root's certificate also as a server's own
        // adds nothing: its key could sign any server's certificate.
        builder = builder.add_root_certificate_pem(pem.clone()).trust_server_certificate_pem(pem);
    }
    builder.danger_accept_invalid_certificates(access.insecure).build().map_err(|e| Failure::config(e.to_string()))
}

/// Checks a JSON answer against its schema, as the client reads it, and
/// keeps it as it came.
fn checked(target: Target, body: Bytes) -> Result<Bytes, Error> {
    let schema = match &target.op.answer {
        Answer::Json { schema, .. } | Answer::Stream { schema: Some(schema), .. } => schema,
        _ => return Ok(body),
    };
    let decode = |source: serde_json::Error| Error::Decode {
        operation: &target.op.id,
        source,
        body: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    };
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(decode)?;
    crate::schema::check_answer(&target.module.schemas, schema, &value)
        .map_err(|mismatch| decode(serde::de::Error::custom(mismatch)))?;
    Ok(body)
}

/// Sends one request; with `verbose`, the request line and the answer's
/// status go to stderr. The answer's body is checked against its schema
/// and kept as it came.
pub async fn send(client: &Client, target: Target, inputs: &Inputs, verbose: bool) -> Result<Bytes, Error> {
    let parts = inputs.parts(target.op, &target.tag.title, None);
    if verbose {
        eprintln!("> {} {}", target.op.method.as_str(), client.url(&parts));
    }
    let started = std::time::Instant::now();
    let response = client.call(parts, ResponseBody::bytes).with_metadata().await?;
    if verbose {
        let id = response.request_id().map(|id| format!(", request id {id}")).unwrap_or_default();
        eprintln!("< {} ({} ms{id})", response.status, started.elapsed().as_millis());
    }
    checked(target, response.body)
}

async fn one(
    target: Target,
    inputs: &Inputs,
    client: &Client,
    printer: &Printer,
    verbose: bool,
) -> Result<(), Failure> {
    let body = send(client, target, inputs, verbose).await.map_err(|e| Failure::from_client(&target.command(), &e))?;
    match target.op.answer {
        Answer::Json { .. } => printer.document(&body, target.op.paging.as_ref().map(|p| p.items.as_str())),
        Answer::Text | Answer::Bytes => {
            let mut out = std::io::stdout().lock();
            out.write_all(&body)
                .and_then(|()| out.flush())
                .map_err(|e| Failure::config(format!("cannot write the answer: {e}")))
        }
        Answer::Empty | Answer::Stream { .. } => Ok(()),
    }
}

/// The pages of a paged list, each read as the server sent its items.
pub fn pages<'a>(
    client: &'a Client,
    target: Target,
    inputs: &'a Inputs,
    paging: &'static Paging,
    verbose: bool,
) -> Pages<'a, RawPage> {
    Pages::from_fn(move |n| {
        let parts = inputs.parts(target.op, &target.tag.title, Some(n));
        if verbose {
            eprintln!("> {} {}", target.op.method.as_str(), client.url(&parts));
        }
        let call = client.call(parts, ResponseBody::bytes);
        Box::pin(async move {
            let body = checked(target, call.await?)?;
            RawPage::read(&body, paging).map_err(|source| Error::Decode {
                operation: &target.op.id,
                source,
                body: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            })
        })
    })
}

/// One page of a list, as the server sent its items.
pub struct RawPage {
    items: Vec<Box<RawValue>>,
    total: Option<u64>,
}

impl Page for RawPage {
    type Item = Box<RawValue>;

    fn into_items(self) -> Vec<Box<RawValue>> {
        self.items
    }

    fn total(&self) -> Option<u64> {
        self.total
    }

    fn len(&self) -> usize {
        self.items.len()
    }
}

impl RawPage {
    /// Reads the items and the total (a number, or a protojson string) of
    /// a page already checked against its type.
    fn read(body: &[u8], paging: &Paging) -> Result<Self, serde_json::Error> {
        let mut fields: std::collections::HashMap<String, Box<RawValue>> = serde_json::from_slice(body)?;
        let items = match fields.remove(&paging.items) {
            Some(list) if list.get() != "null" => serde_json::from_str(list.get())?,
            _ => Vec::new(),
        };
        let total = fields
            .remove(&paging.pagination)
            .and_then(|p| serde_json::from_str::<std::collections::HashMap<String, serde_json::Value>>(p.get()).ok())
            .and_then(|mut p| p.remove(&paging.total))
            .and_then(|t| match t {
                serde_json::Value::Number(n) => n.as_u64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            });
        Ok(Self { items, total })
    }
}

async fn all_pages(
    target: Target,
    inputs: &Inputs,
    client: &Client,
    paging: &'static Paging,
    printer: &Printer,
    verbose: bool,
) -> Result<(), Failure> {
    let command = target.command();
    let mut pages = pages(client, target, inputs, paging, verbose);
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message("page 1");
        bar
    });
    let streaming = printer.format == Format::Ndjson;
    let mut items = Vec::new();
    let mut count = 0usize;
    let mut page_number = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.map_err(|e| Failure::from_client(&command, &e));
        let page = match page {
            Ok(page) => page,
            Err(failure) => {
                if let Some(bar) = &progress {
                    bar.finish_and_clear();
                }
                return Err(failure);
            }
        };
        page_number += 1;
        count += page.len();
        if let Some(bar) = &progress {
            let of = page.total.map(|t| format!(" of {t}")).unwrap_or_default();
            bar.set_message(format!("page {page_number}: {count}{of} items"));
            bar.tick();
        }
        for item in printer.each(page.into_items())? {
            if streaming {
                printer.line(&item)?;
            } else {
                items.push(item);
            }
        }
    }
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if streaming { Ok(()) } else { printer.items(&items) }
}

/// The request as a `curl` command that sends the same thing: the key as
/// `$DRUN_ACCESS_KEY`, never its value.
fn curl(client: &Client, parts: &RequestParts, access: &Access, body_source: Option<&str>) -> String {
    let mut words = vec!["curl".to_owned()];
    if access.insecure {
        words.push("-k".to_owned());
    }
    if let Some(path) = &access.cacert {
        words.push("--cacert".to_owned());
        words.push(quote(&path.display().to_string()));
    }
    words.push("-X".to_owned());
    words.push(parts.method.to_string());
    words.push(quote(client.url(parts).as_str()));
    words.push("-H".to_owned());
    words.push("\"Authorization: Bearer $DRUN_ACCESS_KEY\"".to_owned());
    words.push("-H".to_owned());
    words.push(quote(&format!("Accept: {}", parts.accept)));
    for (name, value) in parts.headers.iter() {
        words.push("-H".to_owned());
        words.push(quote(&format!("{name}: {value}")));
    }
    if let Some((content_type, bytes)) = &parts.body {
        words.push("-H".to_owned());
        words.push(quote(&format!("Content-Type: {content_type}")));
        words.push("--data-binary".to_owned());
        match std::str::from_utf8(bytes) {
            Ok(text) if !content_type.starts_with("multipart/") => words.push(quote(text)),
            // Bytes that are not text are sent from where they came.
            _ => words.push(quote(body_source.unwrap_or("@-"))),
        }
    }
    words.join(" ")
}

/// `text` as one shell word, in single quotes.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `drun configure`: writes (or replaces) one profile, the key read from
/// stdin.
pub fn configure(flags: &AccessFlags, matches: &ArgMatches) -> Result<(), Failure> {
    let path =
        access::config_path().ok_or_else(|| Failure::config("no configuration folder: set DRUN_CONFIG or HOME"))?;
    let name = flags.profile.clone().unwrap_or_else(|| "default".to_owned());
    let mut file = access::ConfigFile::read(&path)?;
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Access key for profile `{name}` (input hidden): "))
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    }
    .map_err(|e| Failure::config(format!("cannot read the access key from stdin: {e}")))?;
    let key = key.trim().to_owned();
    if key.is_empty() {
        return Err(Failure::usage("no access key given on stdin"));
    }
    let profile = access::Profile {
        base_url: Some(flags.base_url.clone().unwrap_or_else(|| access::DEFAULT_BASE_URL.to_owned())),
        access_key: Some(key),
        cacert: matches.get_one::<String>("cacert-file").map(Into::into).or_else(|| flags.cacert.clone()),
        insecure: matches.get_flag("profile-insecure"),
    };
    file.profiles.insert(name.clone(), profile);
    file.write(&path)?;
    eprintln!("drun: profile `{name}` written to {}", path.display());
    Ok(())
}
