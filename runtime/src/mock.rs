//! Typed mocks, for the tests of code that calls d.run: a real HTTP server
//! on loopback ([`wiremock`]'s), on which each module's generated `mocks`
//! declare the calls expected and their answers. Feature `mocks`.
//!
//! Each module crate generates, with feature `mocks`, one function per
//! operation (`drun_ghippo::mocks::users::list_users(...)`) returning an
//! [`Expect`]: which calls it matches, by the operation's method and path
//! template and by the typed values of its parameters and body, and what
//! it answers, typed by the operation's response. [`MockServer::expect`]
//! mounts it.
//!
//! ```
//! # async fn example() -> Result<(), drun_runtime::Error> {
//! use drun_runtime::mock::MockServer;
//!
//! let server = MockServer::start().await;
//! let client = server.client_builder().build()?;
//! // server.expect(drun_ghippo::mocks::users::list_users(Arg::Any).respond(page)).await;
//! // ... the code under test, with `client` ...
//! # let _ = client;
//! server.verify().await;
//! # Ok(())
//! # }
//! ```
//!
//! What is checked:
//! - a request that matches no expectation is answered `404` with a
//!   `google.rpc.Status` that says so, and fails the test when the server
//!   is dropped (or at [`MockServer::verify`]), showing the request and the
//!   expectations declared for its operation;
//! - each expectation is called at least once, or exactly
//!   [`times`](Expect::times) times, checked the same way.

use std::fmt::Write as _;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::request::RequestParts;

mod paced;
use crate::{ClientBuilder, RetryPolicy, Status};

/// One piece of an operation's path template.
#[doc(hidden)]
#[derive(Debug)]
pub enum Piece {
    /// Text sent as it is.
    Lit(&'static str),
    /// A path parameter, by its name in the document: one segment.
    Var(&'static str),
}

/// An operation's route: what every call of it has in common.
#[doc(hidden)]
#[derive(Debug)]
pub struct Route {
    /// The operation id.
    pub operation: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, as the document writes it.
    pub template: &'static str,
    /// The template, parsed.
    pub pieces: &'static [Piece],
}

impl Route {
    /// The path parameters of `path` (as received, percent-encoded),
    /// decoded, when `path` fits the template.
    fn captures(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let mut out = Vec::new();
        fit(self.pieces, path, &mut out).then_some(out)
    }

    /// Whether `request` is a call of this operation, whatever its values.
    fn fits(&self, request: &wiremock::Request) -> bool {
        request.method.as_str() == self.method && self.captures(request.url.path()).is_some()
    }
}

/// Whether `path` fits `pieces`, each variable taking one non-empty
/// segment; the variables' decoded values are pushed on `out`.
fn fit(pieces: &[Piece], path: &str, out: &mut Vec<(&'static str, String)>) -> bool {
    match pieces.split_first() {
        None => path.is_empty(),
        Some((Piece::Lit(text), rest)) => path.strip_prefix(text).is_some_and(|path| fit(rest, path, out)),
        Some((Piece::Var(name), rest)) => {
            let limit = path.find('/').unwrap_or(path.len());
            (1..=limit).rev().filter(|end| path.is_char_boundary(*end)).any(|end| {
                let mark = out.len();
                let value = percent_encoding::percent_decode_str(&path[..end]).decode_utf8_lossy().into_owned();
                out.push((name, value));
                let fits = fit(rest, &path[end..], out);
                if !fits {
                    out.truncate(mark);
                }
                fits
            })
        }
    }
}

/// A typed parameter of an expected call: any value, or exactly this one.
/// A plain value converts into [`Arg::Is`].
#[derive(Debug, Clone)]
pub enum Arg<T> {
    /// Whatever the call sends (or leaves out).
    Any,
    /// Only calls that send this value, written as the client writes it.
    Is(T),
}

impl<T> From<T> for Arg<T> {
    fn from(value: T) -> Self {
        Self::Is(value)
    }
}

impl From<&str> for Arg<String> {
    fn from(value: &str) -> Self {
        Self::Is(value.to_owned())
    }
}

/// The expected body of a call: any, one equal to this value (compared as
/// the JSON the client sends), or one for which a predicate holds once
/// decoded. A plain value converts into [`Body::Is`].
pub enum Body<B> {
    /// Whatever the call sends.
    Any,
    /// Only calls whose body is this value.
    Is(B),
    /// Only calls whose body decodes and satisfies the predicate.
    Matches(Box<dyn Fn(&B) -> bool + Send + Sync>),
}

impl<B> Body<B> {
    /// Only calls whose body decodes as `B` and satisfies `predicate`.
    pub fn matching(predicate: impl Fn(&B) -> bool + Send + Sync + 'static) -> Self {
        Self::Matches(Box::new(predicate))
    }
}

impl<B> From<B> for Body<B> {
    fn from(value: B) -> Self {
        Self::Is(value)
    }
}

/// [`Arg::Any`] stands for [`Body::Any`], so that every argument of a
/// mock takes it.
impl<B> From<Arg<B>> for Body<B> {
    fn from(arg: Arg<B>) -> Self {
        match arg {
            Arg::Any => Self::Any,
            Arg::Is(value) => Self::Is(value),
        }
    }
}

impl<B> std::fmt::Debug for Body<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Any => "Any",
            Self::Is(_) => "Is(..)",
            Self::Matches(_) => "Matches(..)",
        })
    }
}

type BodyCheck = Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// What an expectation matches.
#[derive(Clone)]
struct Matcher {
    route: &'static Route,
    /// Path parameters by name: the decoded text expected.
    path: Vec<(&'static str, String)>,
    /// Query parameters by name: every value expected, in order.
    query: Vec<(String, Vec<String>)>,
    /// Header parameters likewise.
    headers: Vec<(String, Vec<String>)>,
    body: Option<(String, BodyCheck)>,
}

impl Matcher {
    fn describe(&self) -> String {
        let mut text = format!("{}: {} {}", self.route.operation, self.route.method, self.route.template);
        let mut with: Vec<String> = self.path.iter().map(|(name, value)| format!("{name}={value:?}")).collect();
        with.extend(self.query.iter().map(|(name, values)| format!("?{name}={}", values.join(","))));
        with.extend(self.headers.iter().map(|(name, values)| format!("header {name}: {}", values.join(","))));
        if let Some((what, _)) = &self.body {
            with.push(format!("body {what}"));
        }
        if !with.is_empty() {
            let _ = write!(text, " with {}", with.join(", "));
        }
        text
    }
}

impl wiremock::Match for Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if request.method.as_str() != self.route.method {
            return false;
        }
        let Some(captures) = self.route.captures(request.url.path()) else { return false };
        let path = self.path.iter().all(|(name, value)| captures.iter().any(|(n, v)| n == name && v == value));
        let query = self.query.iter().all(|(name, values)| {
            let sent: Vec<String> =
                request.url.query_pairs().filter(|(n, _)| n == name).map(|(_, v)| v.into_owned()).collect();
            &sent == values
        });
        let headers = self.headers.iter().all(|(name, values)| {
            let sent: Vec<&str> =
                request.headers.get_all(name.as_str()).iter().filter_map(|v| v.to_str().ok()).collect();
            sent == *values
        });
        path && query && headers && self.body.as_ref().is_none_or(|(_, check)| check(&request.body))
    }
}

/// Adds `pairs` to `expected`, grouped by name in order.
fn add_pairs(expected: &mut Vec<(String, Vec<String>)>, pairs: &crate::request::Pairs) {
    for (name, value) in pairs.iter() {
        match expected.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.to_owned()),
            None => expected.push((name.to_owned(), vec![value.to_owned()])),
        }
    }
}

/// One answer: status, body and how long to wait before sending it.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
}

impl Answer {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Self { status, content_type, body, headers: Vec::new(), delay: None }
    }
}

/// The answers of one expectation, in turn; the last one repeats.
struct Answers {
    list: Vec<Answer>,
    next: AtomicUsize,
}

impl wiremock::Respond for Answers {
    fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
        let turn = self.next.fetch_add(1, Ordering::Relaxed).min(self.list.len().saturating_sub(1));
        let Some(answer) = self.list.get(turn) else { return wiremock::ResponseTemplate::new(500) };
        let mut template = wiremock::ResponseTemplate::new(answer.status);
        if !answer.body.is_empty() {
            template = template.set_body_raw(answer.body.clone(), answer.content_type);
        }
        for (name, value) in &answer.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        if let Some(delay) = answer.delay {
            template = template.set_delay(delay);
        }
        template
    }
}

/// How many calls an expectation takes.
#[derive(Debug, Clone, Copy)]
enum Count {
    AtLeastOnce,
    Exactly(u64),
    Any,
}

/// An expected call of one operation and its answers, typed by the
/// operation's response `R` and request body `B`. Built by a module's
/// generated `mocks::<tag>::<operation>(...)`; given to
/// [`MockServer::expect`].
///
/// Answers are given in turn, one per matching call, the last one
/// repeating: `.respond(page1).respond(page2)`, or
/// `.respond_error(503, ...).respond(value)` to exercise retries.
#[must_use = "an expectation does nothing until given to `MockServer::expect`"]
pub struct Expect<R, B = ()> {
    matcher: Matcher,
    answers: Vec<Answer>,
    count: Count,
    encoding: Encoding<R>,
    types: PhantomData<fn(R, B)>,
}

impl<R, B> std::fmt::Debug for Expect<R, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expect")
            .field("matches", &self.matcher.describe())
            .field("answers", &self.answers.len())
            .finish()
    }
}

/// How an operation's answers are written: their content type, and the
/// body of a value.
#[doc(hidden)]
pub struct Encoding<R> {
    content_type: &'static str,
    encode: fn(&R) -> Result<Encoded, String>,
}

impl<R: serde::Serialize> Encoding<R> {
    /// JSON, as a server sends it (protojson: the models' own
    /// serialisation).
    pub const JSON: Self = Self {
        content_type: "application/json",
        encode: |value| serde_json::to_vec(value).map(Encoded::Body).map_err(|e| e.to_string()),
    };
}

impl Encoding<String> {
    /// Text.
    pub const TEXT: Self =
        Self { content_type: "text/plain", encode: |value| Ok(Encoded::Body(value.clone().into_bytes())) };
}

impl Encoding<bytes::Bytes> {
    /// Bytes, as they are.
    pub const BYTES: Self =
        Self { content_type: "application/octet-stream", encode: |value| Ok(Encoded::Body(value.to_vec())) };
}

impl Encoding<()> {
    /// No body.
    pub const EMPTY: Self = Self { content_type: "", encode: |()| Ok(Encoded::Body(Vec::new())) };
}

/// What a mocked stream answers: its messages in order, then how it ends
/// (cleanly, with the server's error message, or cut off in the middle of
/// a message). Give it to a streaming operation's expectation with
/// [`Expect::respond`].
#[derive(Debug, Clone)]
pub struct Messages<T> {
    items: Vec<T>,
    end: End,
    pause: Option<Duration>,
}

#[derive(Debug, Clone)]
enum End {
    Clean,
    Error(Status),
    CutOff,
}

impl<T> Messages<T> {
    /// These messages, then the end of the stream.
    pub fn new(items: impl IntoIterator<Item = T>) -> Self {
        Self { items: items.into_iter().collect(), end: End::Clean, pause: None }
    }

    /// Sends each message `pause` after the one before (the first at
    /// once), on a connection that stays open until the last: for code that
    /// acts on each message as it arrives, or times out on a silent stream.
    #[must_use]
    pub fn paced(mut self, pause: Duration) -> Self {
        self.pause = Some(pause);
        self
    }

    /// After the messages, the server's error message (`{"error": ...}`
    /// in grpc-gateway's framing, an `error` event in an event stream).
    #[must_use]
    pub fn then_error(mut self, error: Status) -> Self {
        self.end = End::Error(error);
        self
    }

    /// After the messages, half a message and the end of the body: what a
    /// dropped connection looks like.
    #[must_use]
    pub fn then_cut_off(mut self) -> Self {
        self.end = End::CutOff;
        self
    }

    /// The body in the pieces it is sent in: each message written with
    /// `write` and framed as grpc-gateway's (`lines`) or as server-sent
    /// events, then the end.
    fn parts(&self, lines: bool, write: impl Fn(&T) -> Result<Vec<u8>, String>) -> Result<Vec<Vec<u8>>, String> {
        let mut parts = Vec::new();
        for item in &self.items {
            let mut part = Vec::new();
            frame(&mut part, lines, if lines { "result" } else { "" }, &write(item)?);
            parts.push(part);
        }
        match &self.end {
            End::Clean => {}
            End::Error(error) => {
                let mut part = Vec::new();
                frame(&mut part, lines, "error", &serde_json::to_vec(error).map_err(|e| e.to_string())?);
                parts.push(part);
            }
            End::CutOff => parts.push(if lines { b"{\"result\": {".to_vec() } else { b"data: {".to_vec() }),
        }
        Ok(parts)
    }

    /// The whole body at once, or with [`paced`](Self::paced) where it is
    /// streamed from.
    fn answer(
        &self,
        lines: bool,
        content_type: &'static str,
        write: impl Fn(&T) -> Result<Vec<u8>, String>,
    ) -> Result<Encoded, String> {
        let parts = self.parts(lines, write)?;
        Ok(match self.pause {
            Some(pause) => Encoded::Paced(paced::serve(parts, pause, content_type)),
            None => Encoded::Body(parts.concat()),
        })
    }
}

/// What an answer's value becomes: a body, or (a paced stream) the address
/// of the loopback server that streams it, which the mock redirects to.
#[doc(hidden)]
pub enum Encoded {
    Body(Vec<u8>),
    Paced(String),
}

/// Appends one message: a line `{"<key>": message}`, or an event (named
/// `key` when there is one).
fn frame(out: &mut Vec<u8>, lines: bool, key: &str, message: &[u8]) {
    if lines {
        out.extend_from_slice(format!("{{\"{key}\":").as_bytes());
        out.extend_from_slice(message);
        out.extend_from_slice(b"}\n");
    } else {
        if !key.is_empty() {
            out.extend_from_slice(format!("event: {key}\n").as_bytes());
        }
        for line in message.split(|b| *b == b'\n') {
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.push(b'\n');
    }
}

impl<T: serde::Serialize> Encoding<Messages<T>> {
    /// grpc-gateway's server streaming: a line per message.
    pub const JSON_LINES: Self = Self {
        content_type: "application/json",
        encode: |messages| {
            messages.answer(true, "application/json", |m| serde_json::to_vec(m).map_err(|e| e.to_string()))
        },
    };

    /// Server-sent events, each message's JSON as an event's data.
    pub const EVENTS: Self = Self {
        content_type: "text/event-stream",
        encode: |messages| {
            messages.answer(false, "text/event-stream", |m| serde_json::to_vec(m).map_err(|e| e.to_string()))
        },
    };
}

impl Encoding<Messages<String>> {
    /// Server-sent events whose data is text.
    pub const TEXT_EVENTS: Self = Self {
        content_type: "text/event-stream",
        encode: |messages| messages.answer(false, "text/event-stream", |m| Ok(m.clone().into_bytes())),
    };
}

impl<R, B> Expect<R, B> {
    /// Any call of `route`, answered in `encoding`.
    #[doc(hidden)]
    pub fn new(route: &'static Route, encoding: Encoding<R>) -> Self {
        Self {
            matcher: Matcher { route, path: Vec::new(), query: Vec::new(), headers: Vec::new(), body: None },
            answers: Vec::new(),
            count: Count::AtLeastOnce,
            encoding,
            types: PhantomData,
        }
    }

    /// Only calls whose path parameter `name` is `text(value)`.
    #[doc(hidden)]
    pub fn path_arg<T>(mut self, name: &'static str, arg: Arg<T>, text: fn(&T) -> String) -> Self {
        if let Arg::Is(value) = arg {
            self.matcher.path.push((name, text(&value)));
        }
        self
    }

    /// Only calls whose query and headers hold the pairs `write` writes
    /// for `value`, as the client writes them (other parameters are not
    /// looked at).
    #[doc(hidden)]
    pub fn params_arg<T>(mut self, arg: Arg<T>, write: fn(&T, &mut RequestParts)) -> Self {
        if let Arg::Is(value) = arg {
            let mut request = RequestParts::new(self.matcher.route.operation, "", reqwest::Method::GET);
            write(&value, &mut request);
            add_pairs(&mut self.matcher.query, &request.query);
            add_pairs(&mut self.matcher.headers, &request.headers);
        }
        self
    }

    /// Only calls whose JSON body is `body`.
    #[doc(hidden)]
    pub fn json_body(mut self, body: Body<B>) -> Self
    where
        B: serde::Serialize + serde::de::DeserializeOwned + 'static,
    {
        let check: Option<(String, BodyCheck)> = match body {
            Body::Any => None,
            Body::Is(value) => match serde_json::to_value(&value) {
                Ok(expected) => {
                    let shown = expected.to_string();
                    Some((
                        shown,
                        Arc::new(move |sent: &[u8]| {
                            serde_json::from_slice::<serde_json::Value>(sent).is_ok_and(|sent| sent == expected)
                        }),
                    ))
                }
                Err(e) => panic!("{}: the expected body does not serialise: {e}", self.matcher.route.operation),
            },
            Body::Matches(predicate) => Some((
                "matching a predicate".to_owned(),
                Arc::new(move |sent: &[u8]| crate::protojson::decode::<B>(sent).is_ok_and(|body| predicate(&body))),
            )),
        };
        self.matcher.body = check;
        self
    }

    /// Answers `200 OK` with `value`, serialised as the server does
    /// (protojson: 64-bit integers as strings, zero values left out).
    ///
    /// # Panics
    ///
    /// If `value` does not serialise (a map with keys JSON cannot have).
    pub fn respond(mut self, value: R) -> Self {
        let encoded = (self.encoding.encode)(&value)
            .unwrap_or_else(|e| panic!("{}: the answer does not serialise: {e}", self.matcher.route.operation));
        self.answers.push(match encoded {
            Encoded::Body(body) => Answer::new(200, self.encoding.content_type, body),
            // 307 keeps the method and the body; the client follows it to
            // the loopback server that streams the messages.
            Encoded::Paced(url) => {
                let mut answer = Answer::new(307, "", Vec::new());
                answer.headers.push(("location".to_owned(), url));
                answer
            }
        });
        self
    }

    /// Answers with an error: `status` and a `google.rpc.Status` body, as
    /// grpc-gateway does (`503` and code 14, `UNAVAILABLE`, say).
    ///
    /// # Panics
    ///
    /// If `status` is not an HTTP status code (100 to 999).
    pub fn respond_error(mut self, status: u16, error: Status) -> Self {
        assert!((100..1000).contains(&status), "{status} is not an HTTP status code");
        let body = serde_json::to_vec(&error).unwrap_or_default();
        self.answers.push(Answer::new(status, "application/json", body));
        self
    }

    /// Answers with `status` and `body` as they are: for what no typed
    /// answer can say (a body that does not decode, a proxy's HTML page).
    pub fn respond_raw(mut self, status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        self.answers.push(Answer::new(status, content_type, body.into()));
        self
    }

    /// Waits `delay` before sending the answer declared last (to exercise
    /// timeouts).
    ///
    /// # Panics
    ///
    /// If no answer is declared yet.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.last_answer("its delay").delay = Some(delay);
        self
    }

    /// Adds a header to the answer declared last (`x-request-id`, say,
    /// which [`Response::request_id`](crate::Response::request_id) reads).
    ///
    /// # Panics
    ///
    /// If no answer is declared yet.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.last_answer("a header").headers.push((name.into(), value.into()));
        self
    }

    fn last_answer(&mut self, what: &str) -> &mut Answer {
        let operation = self.matcher.route.operation;
        self.answers.last_mut().unwrap_or_else(|| panic!("{operation}: declare an answer before {what}"))
    }

    /// Expects exactly `n` matching calls; later ones go to the next
    /// expectation that matches, or are reported as unexpected. By
    /// default an expectation expects at least one call.
    pub fn times(mut self, n: u64) -> Self {
        self.count = Count::Exactly(n);
        self
    }

    /// Accepts any number of matching calls, none included.
    pub fn any_number_of_times(mut self) -> Self {
        self.count = Count::Any;
        self
    }
}

/// What the server has seen that no expectation matched.
#[derive(Default)]
struct Ledger {
    declared: Vec<(&'static Route, String)>,
    unexpected: Vec<String>,
}

/// A mock d.run on loopback: give it expectations, point a client at
/// [`uri`](Self::uri) (or build one with
/// [`client_builder`](Self::client_builder)), run the code under test.
/// When dropped, it fails the test if a request matched no expectation or
/// an expectation was not called as often as it said.
pub struct MockServer {
    server: wiremock::MockServer,
    ledger: Arc<Mutex<Ledger>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Unexpected(ledger.clone()))
            .with_priority(u8::MAX)
            .named("requests no expectation matches")
            .mount(&server)
            .await;
        Self { server, ledger }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder pointed at this server, with an access key set
    /// and retries that wait a millisecond instead of a second; change
    /// what the test needs, then `.build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        crate::Client::builder(self.uri())
            .bearer_token("mock-access-key")
            .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)))
    }

    /// Mounts `expectation`: from now on, calls it matches get its answers.
    /// Expectations are tried in the order they were given.
    ///
    /// # Panics
    ///
    /// If `expectation` declares no answer.
    pub async fn expect<R, B>(&self, expectation: Expect<R, B>) {
        let description = expectation.matcher.describe();
        assert!(!expectation.answers.is_empty(), "{description}: declare its answer, with `.respond(...)`");
        let route = expectation.matcher.route;
        let mut mock = wiremock::Mock::given(expectation.matcher)
            .respond_with(Answers { list: expectation.answers, next: AtomicUsize::new(0) })
            .named(description.clone());
        mock = match expectation.count {
            Count::AtLeastOnce => mock.expect(1..),
            Count::Exactly(n) => mock.up_to_n_times(n).expect(n),
            Count::Any => mock,
        };
        mock.mount(&self.server).await;
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner).declared.push((route, description));
    }

    /// The requests so far that matched no expectation, described.
    pub fn unexpected_requests(&self) -> Vec<String> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner).unexpected.clone()
    }

    /// Checks now what dropping the server checks.
    ///
    /// # Panics
    ///
    /// If a request matched no expectation, or an expectation was not
    /// called as often as it expects.
    pub async fn verify(&self) {
        let unexpected = self.unexpected_requests();
        assert!(unexpected.is_empty(), "{}", report(&unexpected));
        self.server.verify().await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let unexpected = std::mem::take(&mut self.ledger.lock().unwrap_or_else(PoisonError::into_inner).unexpected);
        // wiremock's own drop then checks the call counts.
        assert!(unexpected.is_empty(), "{}", report(&unexpected));
    }
}

fn report(unexpected: &[String]) -> String {
    format!("{} request(s) matched no expectation:\n\n{}", unexpected.len(), unexpected.join("\n\n"))
}

/// The last resort: records the request and answers `404` with a status
/// saying why.
struct Unexpected(Arc<Mutex<Ledger>>);

impl wiremock::Respond for Unexpected {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let mut ledger = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut text = format!("no expectation matches {} {}", request.method, request.url.path());
        if let Some(query) = request.url.query() {
            let _ = write!(text, "?{query}");
        }
        if !request.body.is_empty() {
            let body = String::from_utf8_lossy(&request.body);
            let shown: String = body.chars().take(500).collect();
            let _ = write!(text, "\n  body: {shown}");
        }
        let same_operation: Vec<&str> =
            ledger.declared.iter().filter(|(route, _)| route.fits(request)).map(|(_, d)| d.as_str()).collect();
        if same_operation.is_empty() {
            let _ = write!(text, "\n  no expectation is declared for this route");
            if !ledger.declared.is_empty() {
                let _ = write!(text, "; declared:");
                for (_, d) in &ledger.declared {
                    let _ = write!(text, "\n  - {d}");
                }
            }
        } else {
            let _ = write!(text, "\n  expectations declared for its operation:");
            for d in same_operation {
                let _ = write!(text, "\n  - {d}");
            }
        }
        ledger.unexpected.push(text.clone());
        let status = Status::new(5, format!("drun mock: {text}"));
        wiremock::ResponseTemplate::new(404)
            .set_body_raw(serde_json::to_vec(&status).unwrap_or_default(), "application/json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROUTE: Route = Route {
        operation: "Files_Get",
        method: "GET",
        template: "/v1/files/{name}.json/{id}",
        pieces: &[Piece::Lit("/v1/files/"), Piece::Var("name"), Piece::Lit(".json/"), Piece::Var("id")],
    };

    #[test]
    fn a_path_fits_its_template_with_decoded_values() {
        let captures = ROUTE.captures("/v1/files/a%20b.c.json/42").expect("fits");
        assert_eq!(captures, vec![("name", "a b.c".to_owned()), ("id", "42".to_owned())]);
        assert!(ROUTE.captures("/v1/files/a/b.json/42").is_none(), "a variable is one segment");
        assert!(ROUTE.captures("/v1/files/.json/42").is_none(), "a variable is not empty");
        assert!(ROUTE.captures("/v1/files/a.json/42/more").is_none());
    }
}
