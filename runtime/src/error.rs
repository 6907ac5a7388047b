//! The one error type of every operation.
use std::fmt;

use crate::status::Status;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: bad base URL or token.
    Config(String),
    /// The request could not be formed (e.g. a header value with a
    /// line break).
    InvalidRequest {
        /// The operation's id.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The request body could not be serialised.
    Encode {
        /// The operation's id.
        operation: &'static str,
        /// The serialiser's error.
        source: serde_json::Error,
    },
    /// The request did not complete: connection, TLS, timeout, or a
    /// middleware's own failure.
    Transport {
        /// The operation's id.
        operation: &'static str,
        /// The underlying error.
        source: reqwest_middleware::Error,
    },
    /// The server answered with a status other than 2xx.
    Api(Box<ApiError>),
    /// A stream of messages broke off: it went silent for longer than its
    /// idle timeout, or its body ended in the middle of a message.
    Stream {
        /// The operation's id.
        operation: &'static str,
        /// What happened.
        message: String,
        /// Whether it was the idle timeout.
        idle: bool,
    },
    /// A success response's body did not have the documented shape.
    Decode {
        /// The operation's id.
        operation: &'static str,
        /// Where and why decoding failed.
        source: serde_json::Error,
        /// The start of the body, for diagnosis.
        body: String,
    },
}

impl Error {
    /// A transport failure, with the URL's query taken out of the error
    /// (an API key may travel there).
    pub(crate) fn transport(operation: &'static str, mut source: reqwest_middleware::Error) -> Self {
        if let reqwest_middleware::Error::Reqwest(e) = &mut source
            && let Some(url) = e.url_mut()
        {
            url.set_query(None);
        }
        Error::Transport { operation, source }
    }

    /// The API error, if the server answered with a non-2xx status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one: the non-2xx
    /// status of [`Error::Api`], or a status a middleware failed on.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether the request timed out (connecting, or waiting for the
    /// answer).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if cause(source) == Some(Cause::TimedOut))
            || matches!(self, Error::Stream { idle: true, .. })
    }

    /// Whether no connection could be made (refused, unreachable, DNS,
    /// TLS handshake).
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Transport { source: reqwest_middleware::Error::Reqwest(e), .. } if e.is_connect()
        )
    }
}

/// The root cause of a transport failure, in the words a user searches
/// for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    TimedOut,
    ConnectionRefused,
    ConnectionClosed,
    Dns,
    /// The proxy the environment names would not open a tunnel.
    Proxy,
    /// A CA certificate presented as the server's own: a self-signed
    /// certificate with the CA flag, given as a root.
    CaAsServer,
    UnknownIssuer,
    WrongName,
    Expired,
    Certificate,
    Tls,
}

impl Cause {
    fn words(self) -> &'static str {
        match self {
            Cause::TimedOut => "timed out",
            Cause::ConnectionRefused => "connection refused",
            Cause::ConnectionClosed => "connection closed by the server",
            Cause::Dns => "DNS lookup failed",
            Cause::Proxy => {
                "the proxy refused to open a tunnel to the server (the proxy comes from `HTTPS_PROXY` or \
                 `ALL_PROXY`; hosts listed in `NO_PROXY` are reached directly)"
            }
            Cause::CaAsServer => {
                "TLS certificate not trusted: the server presents a CA certificate as its own (self-signed \
                 with the CA flag), which no root can vouch for; if it is this server's, trust exactly that \
                 certificate with `ClientBuilder::trust_server_certificate_pem`"
            }
            Cause::UnknownIssuer => {
                "TLS certificate not trusted: no trusted root issued it; add its CA with \
                 `ClientBuilder::add_root_certificate_pem`, or trust a self-signed server certificate with \
                 `ClientBuilder::trust_server_certificate_pem`"
            }
            Cause::WrongName => "TLS certificate not trusted: it is not valid for this host name",
            Cause::Expired => "TLS certificate not trusted: it has expired or is not valid yet",
            Cause::Certificate => "TLS certificate not trusted",
            Cause::Tls => "TLS handshake failed",
        }
    }
}

/// Walks the chain of `source()`s for a cause [`Cause`] names.
fn cause(error: &reqwest_middleware::Error) -> Option<Cause> {
    if let reqwest_middleware::Error::Reqwest(e) = error
        && e.is_timeout()
    {
        return Some(Cause::TimedOut);
    }
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut found = None;
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::TimedOut => return Some(Cause::TimedOut),
                std::io::ErrorKind::ConnectionRefused => return Some(Cause::ConnectionRefused),
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::UnexpectedEof => found = found.or(Some(Cause::ConnectionClosed)),
                _ => {}
            }
        }
        // Not every layer exposes a type to match; their messages are
        // stable enough to name the cause.
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("tunnel error") {
            return Some(Cause::Proxy);
        }
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return Some(Cause::Dns);
        }
        if text.contains("certificate") {
            // rustls (webpki) and OpenSSL name the same problems their own
            // ways.
            let specific = [
                (Cause::CaAsServer, &["causedasendentity"][..]),
                (Cause::UnknownIssuer, &["unknownissuer", "unable to get local issuer", "self-signed", "self signed"]),
                (Cause::WrongName, &["notvalidforname", "hostname mismatch", "not valid for name"]),
                (Cause::Expired, &["expired", "notvalidyet", "not yet valid"]),
            ];
            return Some(
                specific
                    .into_iter()
                    .find(|(_, words)| words.iter().any(|w| text.contains(w)))
                    .map_or(Cause::Certificate, |(cause, _)| cause),
            );
        }
        if text.contains("tls") || text.contains("handshake") {
            found = found.or(Some(Cause::Tls));
        }
        if text.contains("connection closed") || text.contains("incomplete message") {
            found = found.or(Some(Cause::ConnectionClosed));
        }
        next = e.source();
    }
    found
}

/// The innermost message of an error chain: the most specific one.
fn root_message(error: &(dyn std::error::Error + 'static)) -> String {
    let mut last = error;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => {
                write!(f, "invalid client configuration: {message}")
            }
            Error::InvalidRequest { operation, message } => {
                write!(f, "{operation}: invalid request: {message}")
            }
            Error::Encode { operation, source } => {
                write!(f, "{operation}: cannot encode the request body: {source}")
            }
            Error::Transport { operation, source } => {
                // The cause first, in plain words; then what the layers
                // said. Headers are never part of it, so neither is the
                // token, and the query was taken out of the URL.
                match cause(source) {
                    Some(cause) => write!(f, "{operation}: request failed: {}", cause.words())?,
                    None => write!(f, "{operation}: request failed")?,
                }
                let root = root_message(source);
                let top = source.to_string();
                if root == top { write!(f, " ({top})") } else { write!(f, " ({top}: {root})") }
            }
            Error::Api(e) => e.fmt(f),
            Error::Stream { operation, message, .. } => write!(f, "{operation}: {message}"),
            Error::Decode { operation, source, body } => {
                write!(f, "{operation}: unexpected response body ({source}): {body}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode { source, .. } | Error::Decode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            Error::Api(e) => Some(e.as_ref()),
            Error::Config(_) | Error::InvalidRequest { .. } | Error::Stream { .. } => None,
        }
    }
}

/// A non-2xx response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation's id.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers (`Retry-After`, request ids...).
    pub headers: reqwest::header::HeaderMap,
    /// The body as a `google.rpc.Status` (what grpc-gateway answers with),
    /// when it is one: a JSON object with at least one of `code`,
    /// `message` and `details`.
    pub body: Option<Status>,
    /// The body as text, whatever it was (a proxy's HTML page, or
    /// nothing).
    pub text: String,
}

impl ApiError {
    /// Reads a non-2xx response as the client does: the body becomes
    /// [`body`](Self::body) only when it is a [`Status`], and is kept
    /// as text in any case. Public for middlewares and tests.
    pub fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Self {
        Self { operation, status, headers, body: status_body(body), text: String::from_utf8_lossy(body).into_owned() }
    }
}

/// The body read as a [`Status`], only when it is one (a proxy's
/// `{"error": "x"}` is not a status with code 0).
fn status_body(body: &[u8]) -> Option<Status> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    if !["code", "message", "details"].iter().any(|name| object.contains_key(*name)) {
        return None;
    }
    serde_json::from_value(value).ok()
}

impl ApiError {
    /// The body read as `T`: the document's own error schema, when it is
    /// not a `google.rpc.Status`.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(&self.text).ok()
    }

    /// The first of the usual request-id headers the server sent, to
    /// quote to support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

/// The headers servers and gateways put a request's id in, in the order
/// they are looked for.
const REQUEST_ID_HEADERS: [&str; 5] = ["x-request-id", "x-trace-id", "x-b3-traceid", "x-amzn-requestid", "traceparent"];

pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| headers.get(*name)?.to_str().ok())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        let text = snippet(self.text.as_bytes());
        if !text.is_empty() {
            write!(f, ": {text}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The first 200 characters of a body, on one line.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((cut, _)) = out.char_indices().nth(200) {
        out.truncate(cut);
        out.push('…');
    }
    out
}
