//! The client, its builder, and the one function every operation
//! calls to send a request.
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest_middleware::Middleware;
use crate::{BearerAuth, Error};

/// The entry point: one per base URL and credentials; cheap to clone.
///
/// Operations are grouped by tag: `client.users().list_users(...)`.
#[derive(Clone)]
pub struct Client {
    http: reqwest_middleware::ClientWithMiddleware,
    base_url: Arc<reqwest::Url>,
    api_keys: Arc<[ApiKey]>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client for `base_url` (scheme, host and any
    /// path prefix, e.g. `https://console.d.run`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            bearer: None,
            api_keys: Vec::new(),
            middlewares: Vec::new(),
            http: None,
            timeout: None,
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.base_url
    }

    /// The future of an operation: sends `parts` when first polled
    /// and reads the answer with `read`.
    pub(crate) fn call<T>(
        &self,
        parts: RequestParts,
        read: fn(ResponseBody) -> Result<T, Error>,
    ) -> Call<'_, T> {
        Call {
            response: Box::pin(self.execute(parts)),
            read,
        }
    }

    /// Sends one request and returns the body of a success response.
    /// Not generic, so it is compiled once for all operations.
    async fn execute(&self, parts: RequestParts) -> Result<ResponseBody, Error> {
        if let Some(error) = parts.error {
            return Err(error);
        }
        let operation = parts.operation;
        let mut url = (*self.base_url).clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), parts.path);
        url.set_path(&path);
        let in_query = self.api_keys.iter().filter(|k| k.in_query);
        if !parts.query.0.is_empty() || in_query.clone().next().is_some() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &parts.query.0 {
                pairs.append_pair(name, value);
            }
            for key in in_query {
                pairs.append_pair(key.name, &key.value);
            }
        }
        let mut request = self
            .http
            .request(parts.method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        for key in self.api_keys.iter().filter(|k| !k.in_query) {
            request = request
                .header(key.name, header_value(operation, &key.value, true)?);
        }
        for (name, value) in &parts.headers.0 {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest {
                    operation,
                    message: format!("`{name}` is not a valid header name"),
                })?;
            request = request.header(name, header_value(operation, value, false)?);
        }
        if let Some((content_type, body)) = parts.body {
            let content_type = HeaderValue::try_from(content_type.into_owned())
                .map_err(|_| Error::InvalidRequest {
                    operation,
                    message: "invalid content type".to_owned(),
                })?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|source| Error::transport(operation, source))?;
        let status = response.status();
        let headers = if status.is_success() {
            None
        } else {
            Some(response.headers().clone())
        };
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::transport(operation, source.into()))?;
        if let Some(headers) = headers {
            return Err(
                Error::Api(
                    Box::new(crate::ApiError::new(operation, status, headers, &body)),
                ),
            );
        }
        Ok(ResponseBody { operation, body })
    }
}

fn header_value(
    operation: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest {
            operation,
            message: "a header value contains characters not allowed in HTTP headers"
                .to_owned(),
        })?;
    v.set_sensitive(sensitive);
    Ok(v)
}

/// An API key sent with every request (the builder's `api_key_*`
/// methods, generated per security scheme of the document, add them).
#[derive(Clone)]
pub(crate) struct ApiKey {
    pub(crate) name: &'static str,
    pub(crate) value: String,
    pub(crate) in_query: bool,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    bearer: Option<String>,
    pub(crate) api_keys: Vec<ApiKey>,
    middlewares: Vec<Arc<dyn Middleware>>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("middlewares", &self.middlewares.len())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` with every request (the
    /// access key). The token is never shown in `Debug` output or errors.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Appends a middleware (retry, tracing...) to the chain. It runs
    /// after authentication, so it sees and may resend the final request.
    pub fn with<M: Middleware>(mut self, middleware: M) -> Self {
        self.middlewares.push(Arc::new(middleware));
        self
    }

    /// Appends a shared middleware to the chain.
    pub fn with_arc(mut self, middleware: Arc<dyn Middleware>) -> Self {
        self.middlewares.push(middleware);
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, pools...).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sets a timeout for each whole request (ignored with
    /// [`http_client`](Self::http_client): configure that client instead).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(
                format!("invalid base URL `{}`: {e}", self.base_url),
            ))?;
        if base_url.cannot_be_a_base() {
            return Err(
                Error::Config(format!("`{}` cannot be a base URL", self.base_url)),
            );
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut b = reqwest::Client::builder();
                if let Some(t) = self.timeout {
                    b = b.timeout(t);
                }
                b.build()
                    .map_err(|e| Error::Config(
                        format!("cannot build the HTTP client: {e}"),
                    ))?
            }
        };
        let mut chain = reqwest_middleware::ClientBuilder::new(http);
        if let Some(token) = &self.bearer {
            chain = chain.with(BearerAuth::new(token)?);
        }
        for m in self.middlewares {
            chain = chain.with_arc(m);
        }
        Ok(Client {
            http: chain.build(),
            base_url: Arc::new(base_url),
            api_keys: self.api_keys.into(),
        })
    }
}

/// What every operation method returns: a future that borrows only
/// the client. The request is built when the method is called and
/// sent when the future is first polled; the output is the decoded
/// response.
///
/// One future type for every operation rather than an `async fn`
/// each: every `async fn` is a type of its own for the compiler to
/// check and build, and with hundreds of operations that was a large
/// part of the crate's compile time. Sending is one boxed, non-generic
/// future shared by all operations (one allocation per request); only
/// reading the answer depends on its type.
#[must_use = "a request is sent only when its future is awaited"]
pub struct Call<'a, T> {
    response: Pin<Box<dyn Future<Output = Result<ResponseBody, Error>> + Send + 'a>>,
    read: fn(ResponseBody) -> Result<T, Error>,
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let read = self.read;
        self.response.as_mut().poll(cx).map(|response| response.and_then(read))
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// One request, as an operation method builds it.
pub(crate) struct RequestParts {
    pub operation: &'static str,
    pub method: reqwest::Method,
    /// The path, relative to the base URL, with every parameter already
    /// percent-encoded as one segment.
    pub path: String,
    pub query: Pairs,
    pub headers: Pairs,
    pub body: Option<(std::borrow::Cow<'static, str>, bytes::Bytes)>,
    /// Why the request cannot be sent, found while building it; the
    /// future returns it when polled, before anything is sent.
    pub error: Option<Error>,
}

impl RequestParts {
    pub(crate) fn new(operation: &'static str, method: reqwest::Method) -> Self {
        Self {
            operation,
            method,
            path: String::new(),
            query: Pairs::default(),
            headers: Pairs::default(),
            body: None,
            error: None,
        }
    }

    /// Appends a literal piece of the path template.
    pub(crate) fn path(&mut self, piece: &'static str) {
        self.path.push_str(piece);
    }

    /// Appends a path parameter as exactly one segment, or records why it
    /// cannot be one (see [`segment_problem`]).
    pub(crate) fn segment(&mut self, name: &'static str, value: &dyn fmt::Display) {
        let text = value.to_string();
        self.checked_segment(name, &text, encode_segment(&text));
    }

    /// Appends an array path parameter as one segment: each item
    /// percent-encoded, joined by `separator` (`,` for `csv`).
    #[allow(dead_code)]
    pub(crate) fn segment_joined<T: fmt::Display>(
        &mut self,
        name: &'static str,
        values: &[T],
        separator: &'static str,
    ) {
        let items: Vec<String> = values.iter().map(ToString::to_string).collect();
        let encoded: Vec<String> = items.iter().map(|item| encode_segment(item)).collect();
        self.checked_segment(name, &items.join(separator), encoded.join(separator));
    }

    fn checked_segment(&mut self, name: &'static str, text: &str, encoded: String) {
        match segment_problem(text) {
            None => self.path.push_str(&encoded),
            Some(problem) => self.fail(Error::InvalidRequest {
                operation: self.operation,
                // The parameter is named, its value never shown: it may be
                // a secret.
                message: format!("path parameter `{name}` {problem}"),
            }),
        }
    }

    /// Keeps the first reason the request cannot be sent.
    pub(crate) fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Serialises a JSON request body.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((content_type.into(), bytes::Bytes::from(bytes)));
            }
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
    }
}

/// The body of a success response, and what it is read as.
pub(crate) struct ResponseBody {
    operation: &'static str,
    body: bytes::Bytes,
}

#[allow(dead_code)]
impl ResponseBody {
    /// Decodes JSON straight from the received bytes (no copy).
    pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        crate::protojson::decode(&self.body)
            .map_err(|source| Error::Decode {
                operation: self.operation,
                source,
                body: crate::error::snippet(&self.body),
            })
    }

    /// The body as text (invalid UTF-8 replaced).
    pub(crate) fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as it came.
    pub(crate) fn bytes(self) -> Result<bytes::Bytes, Error> {
        Ok(self.body)
    }

    /// No body is expected; whatever came is ignored.
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}

/// Name-value pairs of the query string or headers, in order.
#[derive(Default)]
pub(crate) struct Pairs(Vec<(&'static str, String)>);

#[allow(dead_code)]
impl Pairs {
    /// A required value.
    pub(crate) fn one(&mut self, name: &'static str, value: &dyn fmt::Display) {
        self.0.push((name, value.to_string()));
    }

    /// An optional value: sent only when set.
    pub(crate) fn opt<T: fmt::Display>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) {
        if let Some(v) = value {
            self.0.push((name, v.to_string()));
        }
    }

    /// An array written as repeated pairs (`a=1&a=2`).
    pub(crate) fn each<T: fmt::Display>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.0.push((name, v.to_string()));
        }
    }

    /// An array written as one delimited value (`a=1,2`); not sent when empty.
    pub(crate) fn joined<T: fmt::Display>(
        &mut self,
        name: &'static str,
        values: &[T],
        separator: &str,
    ) {
        if !values.is_empty() {
            let joined = values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(separator);
            self.0.push((name, joined));
        }
    }
}

/// An `application/x-www-form-urlencoded` body, built field by field.
#[derive(Default)]
#[allow(dead_code)]
pub(crate) struct FormBody(String);

#[allow(dead_code)]
impl FormBody {
    /// Appends `name=value`.
    pub(crate) fn text(&mut self, name: &str, value: &dyn fmt::Display) {
        const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'*')
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b' ');
        let encode = |text: &str| {
            percent_encoding::utf8_percent_encode(text, FORM)
                .to_string()
                .replace(' ', "+")
        };
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(&encode(name));
        self.0.push('=');
        self.0.push_str(&encode(&value.to_string()));
    }

    /// The body and its content type.
    pub(crate) fn finish(self) -> (std::borrow::Cow<'static, str>, bytes::Bytes) {
        ("application/x-www-form-urlencoded".into(), bytes::Bytes::from(self.0))
    }
}

/// A `multipart/form-data` body, built field by field.
#[allow(dead_code)]
pub(crate) struct MultipartBody {
    boundary: String,
    body: Vec<u8>,
}

#[allow(dead_code)]
impl MultipartBody {
    pub(crate) fn new() -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(
            0,
        );
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self {
            boundary: format!("----drun-client-{nanos:x}-{n:x}"),
            body: Vec::new(),
        }
    }

    fn part(&mut self, name: &str, file: bool, content: &[u8]) {
        let name = name.replace('"', "%22");
        self.body.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
        let disposition = if file {
            format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
        } else {
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
        };
        self.body.extend_from_slice(disposition.as_bytes());
        self.body.extend_from_slice(content);
        self.body.extend_from_slice(b"\r\n");
    }

    /// A text field.
    pub(crate) fn text(&mut self, name: &str, value: &dyn fmt::Display) {
        self.part(name, false, value.to_string().as_bytes());
    }

    /// A file field.
    pub(crate) fn file(&mut self, name: &str, content: &[u8]) {
        self.part(name, true, content);
    }

    /// The body and its content type.
    pub(crate) fn finish(mut self) -> (std::borrow::Cow<'static, str>, bytes::Bytes) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            format!("multipart/form-data; boundary={}", self.boundary).into(),
            bytes::Bytes::from(self.body),
        )
    }
}

/// A value written as JSON text, for form fields that are objects.
#[allow(dead_code)]
pub(crate) struct JsonText<'a, T: serde::Serialize>(pub &'a T);

impl<T: serde::Serialize> fmt::Display for JsonText<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self.0).map_err(|_| fmt::Error)?)
    }
}

/// Percent-encodes a path parameter so that it stays one segment
/// (`/`, `?`, `#`, `%`, `\` and spaces included).
fn encode_segment(text: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// Why a path parameter's value cannot be sent as one segment, if it
/// cannot: an empty value would drop the segment, and a dot segment (`.`
/// or `..`, also percent-encoded, as WHATWG URL parsing reads `%2e`) would
/// move the request to another route. Either would reach a route the
/// caller did not name.
fn segment_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return Some("is empty");
    }
    let decoded = percent_encoding::percent_decode_str(text).collect::<Vec<u8>>();
    if decoded == b"." || decoded == b".." {
        return Some("is a dot segment (`.` or `..`), which would change the route");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_dot_segments_are_refused_in_every_spelling() {
        for value in ["", ".", "..", "%2e", "%2E", ".%2e", "%2e.", "%2e%2E"] {
            assert!(segment_problem(value).is_some(), "{value:?}");
        }
        for value in ["...", ". ", "a.", "%2e%2e%2e", "%252e", "a/..", " "] {
            assert!(segment_problem(value).is_none(), "{value:?}");
        }
    }

    #[test]
    fn a_segment_never_holds_a_separator() {
        assert_eq!(encode_segment("a/b?c#d%e f\\g"), "a%2Fb%3Fc%23d%25e%20f%5Cg");
        assert_eq!(encode_segment("ü.-_~"), "%C3%BC.-_~");
    }
}
