//! Server-streaming operations: one HTTP answer that carries messages
//! until the stream ends, read as a [`Stream`] of decoded messages as each
//! arrives.
//!
//! Two framings exist in the documents the generator reads:
//! - grpc-gateway's: one JSON object per line, `{"result": {...}}` per
//!   message and `{"error": {...}}` if the stream fails
//!   ([`Framing::JsonLines`]);
//! - server-sent events (`text/event-stream`), each event's `data` one
//!   message ([`Framing::ServerSentEvents`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf as _, Bytes, BytesMut};
use serde::de::{Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::client::Client;
use crate::error::{ApiError, Error};
use crate::request::RequestParts;
use crate::retry::RetryPolicy;

/// How messages are laid out in the answer's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// One JSON object per line: `{"result": message}` or `{"error": status}`
    /// (grpc-gateway's server streaming).
    JsonLines,
    /// Server-sent events; each event's `data` is one message. An event
    /// whose data is `[DONE]` ends the stream (what OpenAI-style APIs
    /// send last).
    ServerSentEvents,
}

/// How one message's bytes become a `T`: JSON, or the text as it is.
#[doc(hidden)]
pub type Decode<T> = fn(&[u8]) -> Result<T, serde_json::Error>;

/// Decodes a message as JSON. Called by generated code.
#[doc(hidden)]
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    crate::protojson::decode(bytes)
}

/// Keeps a message as text (an event stream whose data has no declared
/// schema). Called by generated code.
#[doc(hidden)]
pub fn text(bytes: &[u8]) -> Result<String, serde_json::Error> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// The messages of a server-streaming operation, decoded as each arrives
/// (the body is never buffered whole).
///
/// Like [`Call`](crate::Call), the request is sent when the stream is
/// first polled; until then it takes per-call settings. Authentication,
/// middlewares, tracing and the request-safety rules are those of every
/// call. A stream:
///
/// - yields `Ok(message)` per message and ends with `None` when the server
///   ends it;
/// - yields one `Err` and then ends when it fails: the server's error
///   message becomes [`Error::Api`] with its [`Status`](crate::Status), as
///   a unary call's error would; a body that ends in the middle of a
///   message, or a stream silent for longer than its idle timeout, is
///   [`Error::Stream`];
/// - is not cut by the client's request timeout while messages keep
///   coming: that timeout holds until the answer's head arrives;
///   afterwards the [idle timeout](Self::idle_timeout) (by default the
///   client's request timeout, [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)
///   unless set) ends a stream that stays silent;
/// - is retried, under the client's [`RetryPolicy`], only before its
///   answer's head arrives, so never after a message;
/// - closes its connection when dropped.
///
/// ```no_run
/// # async fn run(client: drun_runtime::Client, watch: drun_runtime::Stream<'_, serde_json::Value>) -> drun_runtime::Result<()> {
/// use drun_runtime::futures_util::StreamExt as _;
/// let mut messages = std::pin::pin!(watch.idle_timeout(None));
/// while let Some(message) = messages.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a request is sent only when its stream is polled"]
pub struct Stream<'a, T> {
    state: State<'a>,
    framing: Framing,
    decode: Decode<T>,
    idle: Option<Option<Duration>>,
    /// The answer's status and headers, kept when the stream ends.
    finished: Option<(reqwest::StatusCode, reqwest::header::HeaderMap)>,
}

enum State<'a> {
    Ready(&'a Client, Box<RequestParts>),
    Opening(Pin<Box<dyn Future<Output = Result<Open, Error>> + Send + 'a>>),
    Open(Box<Open>),
    Done,
}

type Chunks = Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A stream whose answer has come: its body, what is left of it to frame,
/// and the timer that ends it when it is silent.
struct Open {
    operation: &'static str,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    chunks: Chunks,
    buffer: BytesMut,
    ended: bool,
    idle: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
    event: Event,
}

/// The server-sent event being read: its data lines so far, its type.
#[derive(Default)]
struct Event {
    data: Vec<u8>,
    has_data: bool,
    kind: String,
}

impl<'a, T> Stream<'a, T> {
    /// A stream of `parts`' answer, framed by `framing`, each message
    /// decoded with `decode`. Called by generated code.
    #[doc(hidden)]
    pub fn new(client: &'a Client, parts: RequestParts, framing: Framing, decode: Decode<T>) -> Self {
        Self { state: State::Ready(client, Box::new(parts)), framing, decode, idle: None, finished: None }
    }

    /// How long the answer's head may take (each attempt), instead of the
    /// client's request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if let State::Ready(_, parts) = &mut self.state {
            parts.options.timeout = Some(timeout);
        }
        self
    }

    /// How long the stream may stay silent before it ends with
    /// [`Error::Stream`]; `None` to wait for ever (a watch that may see
    /// nothing for hours).
    pub fn idle_timeout(mut self, idle: Option<Duration>) -> Self {
        self.idle = Some(idle);
        self
    }

    /// This stream's retry policy for opening it, instead of the
    /// client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        if let State::Ready(_, parts) = &mut self.state {
            parts.options.retry = Some(policy);
        }
        self
    }
}

impl<T> Stream<'_, T> {
    /// The answer's status, once its head has come (after the first
    /// message, or the end); `None` before.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match &self.state {
            State::Open(open) => Some(open.status),
            _ => self.finished.as_ref().map(|(status, _)| *status),
        }
    }

    /// The answer's headers, once its head has come: rate limits, the
    /// request id to quote to support ([`request_id`](Self::request_id)).
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match &self.state {
            State::Open(open) => Some(&open.headers),
            _ => self.finished.as_ref().map(|(_, headers)| headers),
        }
    }

    /// The first of the usual request-id headers the server sent.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(self.headers()?)
    }
}

impl<T> fmt::Debug for Stream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream").field("framing", &self.framing).finish_non_exhaustive()
    }
}

impl<T> futures_util::Stream for Stream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Ready(..) => {
                    let State::Ready(client, parts) = std::mem::replace(&mut this.state, State::Done) else {
                        unreachable!("matched Ready above")
                    };
                    let idle = this.idle.unwrap_or(client.timeout);
                    this.state = State::Opening(Box::pin(open(client, *parts, idle)));
                }
                State::Opening(future) => match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(open)) => this.state = State::Open(Box::new(open)),
                    Poll::Ready(Err(error)) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                State::Open(open) => {
                    let item = match open.poll_message(cx, this.framing) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(item) => item,
                    };
                    let operation = open.operation;
                    let item = item.map(|message| {
                        message.and_then(|bytes| {
                            (this.decode)(&bytes).map_err(|source| Error::Decode {
                                operation,
                                source,
                                body: crate::error::snippet(&bytes),
                            })
                        })
                    });
                    if !matches!(item, Some(Ok(_))) {
                        // An error ends the stream; dropping the body
                        // closes the connection.
                        if let State::Open(open) = std::mem::replace(&mut this.state, State::Done) {
                            this.finished = Some((open.status, open.headers));
                        }
                    }
                    return Poll::Ready(item);
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

/// Sends the request; the request timeout holds only until the answer's
/// head has come.
async fn open(client: &Client, parts: RequestParts, idle: Option<Duration>) -> Result<Open, Error> {
    let operation = parts.operation;
    let head_timeout = parts.options.timeout.or(client.timeout);
    #[cfg(feature = "tracing")]
    let span = tracing::info_span!(
        "drun.stream",
        operation = parts.operation,
        tag = parts.tag,
        method = %parts.method,
        status = tracing::field::Empty,
    );
    let opening = client.open(parts, None);
    #[cfg(feature = "tracing")]
    let opening = {
        use tracing::Instrument as _;
        let recorder = span.clone();
        async move {
            let result = opening.await;
            if let Some(status) = result.as_ref().map_or_else(Error::status, |r| Some(r.status())) {
                recorder.record("status", status.as_u16());
            }
            result
        }
        .instrument(span)
    };
    let mut response = match head_timeout {
        Some(limit) => tokio::time::timeout(limit, opening).await.map_err(|_| Error::Stream {
            operation,
            message: format!("no answer within {limit:?}"),
            idle: true,
        })??,
        None => opening.await?,
    };
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let chunks: Chunks = Box::pin(futures_util::stream::unfold(response, |mut response| async move {
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), response)),
            Ok(None) => None,
            Err(error) => Some((Err(error), response)),
        }
    }));
    Ok(Open {
        operation,
        status,
        headers,
        chunks,
        buffer: BytesMut::new(),
        ended: false,
        idle: idle.map(|d| (d, Box::pin(tokio::time::sleep(d)))),
        event: Event::default(),
    })
}

impl Open {
    /// The next message's bytes, reading more of the body as needed.
    fn poll_message(&mut self, cx: &mut Context<'_>, framing: Framing) -> Poll<Option<Result<Bytes, Error>>> {
        loop {
            let framed = match framing {
                Framing::JsonLines => self.next_line(),
                Framing::ServerSentEvents => self.next_event(),
            };
            if let Some(message) = framed {
                return Poll::Ready(message);
            }
            if self.ended {
                return Poll::Ready(self.at_end(framing));
            }
            match self.chunks.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    self.buffer.extend_from_slice(&chunk);
                    if let Some((limit, sleep)) = &mut self.idle {
                        sleep.as_mut().reset(tokio::time::Instant::now() + *limit);
                    }
                }
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Some(Err(Error::transport(self.operation, error.into()))));
                }
                Poll::Ready(None) => self.ended = true,
                Poll::Pending => {
                    if let Some((limit, sleep)) = &mut self.idle
                        && sleep.as_mut().poll(cx).is_ready()
                    {
                        return Poll::Ready(Some(Err(Error::Stream {
                            operation: self.operation,
                            message: format!("the stream was silent for {limit:?} (its idle timeout)"),
                            idle: true,
                        })));
                    }
                    return Poll::Pending;
                }
            }
        }
    }

    /// What is left when the body has ended: nothing, a last line with no
    /// line break, or a message cut off.
    fn at_end(&mut self, framing: Framing) -> Option<Result<Bytes, Error>> {
        let rest = std::mem::take(&mut self.buffer);
        let blank = rest.iter().all(u8::is_ascii_whitespace);
        match framing {
            Framing::JsonLines if blank => None,
            Framing::JsonLines if serde_json::from_slice::<IgnoredAny>(&rest).is_ok() => self.line(rest.freeze()),
            Framing::ServerSentEvents if blank && !self.event.has_data => None,
            _ => Some(Err(Error::Stream {
                operation: self.operation,
                message: "the stream ended in the middle of a message".to_owned(),
                idle: false,
            })),
        }
    }

    /// The next complete line's message, if a line has come whole.
    fn next_line(&mut self) -> Option<Option<Result<Bytes, Error>>> {
        loop {
            let end = self.buffer.iter().position(|b| *b == b'\n')?;
            let line = self.buffer.split_to(end + 1).freeze();
            let line = line.slice(..line.len() - 1);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.line(line));
        }
    }

    /// One line of grpc-gateway's framing: its `result`, or else its
    /// `error` as [`Error::Api`].
    fn line(&self, line: Bytes) -> Option<Result<Bytes, Error>> {
        let envelope: Envelope = match serde_json::from_slice(&line) {
            Ok(envelope) => envelope,
            Err(source) => {
                let body = crate::error::snippet(&line);
                return Some(Err(Error::Decode { operation: self.operation, source, body }));
            }
        };
        // grpc-gateway sends one or the other; a line with both (a mock
        // server's example) is read as its result.
        match (envelope.result, envelope.error) {
            (Some(result), _) => Some(Ok(line.slice_ref(result))),
            (None, Some(error)) => Some(Err(stream_error(self.operation, &self.headers, error))),
            // A line with neither: an empty message.
            (None, None) => Some(Ok(Bytes::from_static(b"{}"))),
        }
    }

    /// The next complete server-sent event's data, if one has come whole
    /// (a blank line ends an event; comments and other fields are read
    /// as the specification says).
    fn next_event(&mut self) -> Option<Option<Result<Bytes, Error>>> {
        loop {
            let end = self.buffer.iter().position(|b| *b == b'\n' || *b == b'\r')?;
            // `\r\n` is one line break; a lone `\r` at the end of what has
            // come may be followed by `\n`.
            let crlf = self.buffer[end] == b'\r' && self.buffer.get(end + 1) == Some(&b'\n');
            if self.buffer[end] == b'\r' && end + 1 == self.buffer.len() && !self.ended {
                return None;
            }
            let line = self.buffer.split_to(end).freeze();
            self.buffer.advance(if crlf { 2 } else { 1 });
            if line.is_empty() {
                let event = std::mem::take(&mut self.event);
                if !event.has_data {
                    continue;
                }
                let mut data = event.data;
                data.pop(); // the line break after the last data line
                if data == b"[DONE]" {
                    self.ended = true;
                    self.buffer.clear();
                    return Some(None);
                }
                if event.kind == "error" {
                    return Some(Some(Err(Error::Api(Box::new(ApiError::new(
                        self.operation,
                        reqwest::StatusCode::INTERNAL_SERVER_ERROR,
                        self.headers.clone(),
                        &data,
                    ))))));
                }
                return Some(Some(Ok(Bytes::from(data))));
            }
            if line.first() == Some(&b':') {
                continue;
            }
            let (field, value) = match line.iter().position(|b| *b == b':') {
                Some(i) => {
                    let value = &line[i + 1..];
                    (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
                }
                None => (&line[..], &b""[..]),
            };
            match field {
                b"data" => {
                    self.event.data.extend_from_slice(value);
                    self.event.data.push(b'\n');
                    self.event.has_data = true;
                }
                b"event" => self.event.kind = String::from_utf8_lossy(value).into_owned(),
                // `id` and `retry` are for reconnecting, which a call does
                // not do; other fields are ignored, as the specification says.
                _ => {}
            }
        }
    }
}

/// A stream's `error` message as [`Error::Api`]: grpc-gateway sends a
/// `google.rpc.Status` (`code`, `message`, `details`); older versions a
/// `runtime.StreamError` (`grpc_code`, `http_code`, `message`,
/// `http_status`, `details`). The HTTP status is the one the error names,
/// or the one grpc-gateway maps its code to.
fn stream_error(operation: &'static str, headers: &reqwest::header::HeaderMap, error: &[u8]) -> Error {
    let value: serde_json::Value = serde_json::from_slice(error).unwrap_or_default();
    let code = value.get("code").or_else(|| value.get("grpc_code")).and_then(serde_json::Value::as_i64).unwrap_or(2);
    let status = value
        .get("http_code")
        .and_then(serde_json::Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .and_then(|c| reqwest::StatusCode::from_u16(c).ok())
        .unwrap_or_else(|| http_status(code));
    let status_body = serde_json::json!({
        "code": code,
        "message": value.get("message").cloned().unwrap_or_default(),
        "details": value.get("details").cloned().unwrap_or_else(|| serde_json::json!([])),
    });
    let mut api = ApiError::new(operation, status, headers.clone(), status_body.to_string().as_bytes());
    api.text = String::from_utf8_lossy(error).into_owned();
    Error::Api(Box::new(api))
}

/// The HTTP status grpc-gateway answers for a `google.rpc.Code`.
fn http_status(code: i64) -> reqwest::StatusCode {
    let status = match code {
        0 => 200,
        1 => 499,
        3 | 9 | 11 => 400,
        4 => 504,
        5 => 404,
        6 | 10 => 409,
        7 => 403,
        8 => 429,
        12 => 501,
        14 => 503,
        16 => 401,
        _ => 500,
    };
    reqwest::StatusCode::from_u16(status).unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
}

/// One line of grpc-gateway's framing, its two parts kept as the bytes
/// they came as (decoded later, as the message's type).
struct Envelope<'a> {
    result: Option<&'a [u8]>,
    error: Option<&'a [u8]>,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Envelope<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a stream message: {"result": ...} or {"error": ...}"#)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Envelope { result: None, error: None };
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "result" => {
                            out.result = Some(map.next_value::<&'de serde_json::value::RawValue>()?.get().as_bytes());
                        }
                        "error" => {
                            out.error = Some(map.next_value::<&'de serde_json::value::RawValue>()?.get().as_bytes());
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                // `"error": null` is no error.
                out.error = out.error.filter(|e| *e != b"null");
                Ok(out)
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages `framing` reads from `body` when it comes in pieces of
    /// `size` bytes (errors as text).
    async fn read(body: &'static [u8], size: usize, framing: Framing) -> Vec<Result<String, String>> {
        let chunks: Vec<Result<Bytes, reqwest::Error>> = body.chunks(size).map(|c| Ok(Bytes::from_static(c))).collect();
        let mut open = Open {
            operation: "op",
            status: reqwest::StatusCode::OK,
            headers: reqwest::header::HeaderMap::new(),
            chunks: Box::pin(futures_util::stream::iter(chunks)),
            buffer: BytesMut::new(),
            ended: false,
            idle: None,
            event: Event::default(),
        };
        let mut out = Vec::new();
        while let Some(message) = std::future::poll_fn(|cx| open.poll_message(cx, framing)).await {
            let failed = message.is_err();
            out.push(message.map(|b| String::from_utf8_lossy(&b).into_owned()).map_err(|e| e.to_string()));
            if failed {
                break;
            }
        }
        out
    }

    fn ok(messages: &[&str]) -> Vec<Result<String, String>> {
        messages.iter().map(|m| Ok((*m).to_owned())).collect()
    }

    #[tokio::test]
    async fn json_lines_read_the_same_however_the_body_is_cut() {
        let body = b"{\"result\":{\"a\":1}}\n\n{\"result\": {\"b\": [1, 2]} }\r\n{\"error\":null,\"result\":{}}\n{\"result\":{\"c\":3}}";
        for size in 1..=body.len() {
            assert_eq!(
                read(body, size, Framing::JsonLines).await,
                ok(&["{\"a\":1}", "{\"b\": [1, 2]}", "{}", "{\"c\":3}"]),
                "pieces of {size}"
            );
        }
    }

    #[tokio::test]
    async fn json_lines_end_at_an_error_or_a_cut() {
        let error = read(
            b"{\"result\":{}}\n{\"error\":{\"code\":5,\"message\":\"gone\"}}\n{\"result\":{}}\n",
            7,
            Framing::JsonLines,
        )
        .await;
        assert_eq!(error.len(), 2);
        assert!(error[1].as_ref().is_err_and(|e| e.contains("404") && e.contains("gone")), "{error:?}");
        let cut = read(b"{\"result\":{}}\n{\"result\":{\"a\"", 5, Framing::JsonLines).await;
        assert!(cut[1].as_ref().is_err_and(|e| e.contains("middle of a message")), "{cut:?}");
        // A line with both (a mock server's example) is its result.
        let ok_status =
            read(b"{\"result\":{\"a\":1},\"error\":{\"code\":0,\"message\":\"\"}}\n", 3, Framing::JsonLines).await;
        assert_eq!(ok_status, ok(&["{\"a\":1}"]));
    }

    #[tokio::test]
    async fn events_read_the_same_however_the_body_is_cut() {
        let body = b": comment\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nevent: x\rdata:2\r\rid: 7\nretry: 5\ndata\n\ndata: [DONE]\n\ndata: 3\n\n";
        for size in 1..=body.len() {
            assert_eq!(
                read(body, size, Framing::ServerSentEvents).await,
                ok(&["{\"a\":\n1}", "2", ""]),
                "pieces of {size}"
            );
        }
    }
}
