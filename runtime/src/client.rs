//! The client, its builder, and the one function every operation calls to
//! send a request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest_middleware::Middleware;

use crate::request::{RequestParts, ResponseBody};
use crate::retry::{Retry, RetryPolicy};
use crate::stream::{Decode, Framing, Stream};
use crate::tls::Trust;
use crate::{ApiError, BearerAuth, Error};

/// The entry point: one per base URL and credentials; cheap to clone, and
/// shared by every API module (`client.ghippo()`, `client.kpanda()`...).
#[derive(Clone)]
pub struct Client {
    http: reqwest_middleware::ClientWithMiddleware,
    base_url: Arc<reqwest::Url>,
    api_keys: Arc<[ApiKey]>,
    /// Each attempt's timeout, set on every request (so it holds with a
    /// caller's own `reqwest::Client` too).
    pub(crate) timeout: Option<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

/// Which operation a request belongs to. Every request carries one in its
/// `http::Extensions`, so a middleware can label metrics or logs with it
/// (`extensions.get::<drun_runtime::Operation>()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The document's `operationId` (`Users_ListUsers`).
    pub id: &'static str,
    /// The tag (module) it is grouped under (`Users`).
    pub tag: &'static str,
}

impl Client {
    /// Starts building a client for `base_url` (scheme, host and any path
    /// prefix, e.g. `https://api.example.com/v1`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            bearer: None,
            api_keys: Vec::new(),
            middlewares: Vec::new(),
            http: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: None,
            retry: RetryPolicy::default(),
            trust: Trust::default(),
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.base_url
    }

    /// The future of an operation: sends `parts` when first polled and
    /// reads the answer with `read`. Called by generated code.
    #[doc(hidden)]
    pub fn call<T>(&self, parts: RequestParts, read: fn(ResponseBody) -> Result<T, Error>) -> Call<'_, T> {
        Call { state: State::Ready(self, Box::new(parts)), read }
    }

    /// The stream of a server-streaming operation's messages: sends
    /// `parts` when first polled and decodes each message with `decode`.
    /// Called by generated code.
    #[doc(hidden)]
    pub fn stream<T>(&self, parts: RequestParts, framing: Framing, decode: Decode<T>) -> Stream<'_, T> {
        Stream::new(self, parts, framing, decode)
    }

    /// The URL a request goes to: the base URL, the request's path and its
    /// query (API keys sent in the query are not part of it). For callers
    /// that show a request instead of sending it (a dry run).
    #[doc(hidden)]
    pub fn url(&self, parts: &RequestParts) -> reqwest::Url {
        let mut url = (*self.base_url).clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), parts.path);
        url.set_path(&path);
        if !parts.query.0.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &parts.query.0 {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    /// Sends one request and returns the success response. Not generic,
    /// so it is compiled once for all operations of every module.
    async fn execute(&self, parts: Box<RequestParts>) -> Result<ResponseBody, Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            let span = tracing::info_span!(
                "drun.call",
                operation = parts.operation,
                tag = parts.tag,
                method = %parts.method,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let started = std::time::Instant::now();
            let result = self.send(*parts).instrument(span.clone()).await;
            let status = match &result {
                Ok(response) => Some(response.status),
                Err(error) => error.status(),
            };
            if let Some(status) = status {
                span.record("status", status.as_u16());
            }
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            result
        }
        #[cfg(not(feature = "tracing"))]
        self.send(*parts).await
    }

    async fn send(&self, parts: RequestParts) -> Result<ResponseBody, Error> {
        let operation = parts.operation;
        let timeout = parts.options.timeout.or(self.timeout);
        let mut response = self.open(parts, timeout).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|source| Error::transport(operation, source.into()))?;
        Ok(ResponseBody { operation, status, headers, body })
    }

    /// Sends one request and returns the response once its head has come
    /// with a success status, its body not yet read; a non-2xx answer is
    /// read whole into [`Error::Api`]. `timeout` is reqwest's: it holds
    /// until the whole body is read.
    pub(crate) async fn open(
        &self,
        parts: RequestParts,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, Error> {
        if let Some(error) = parts.error {
            return Err(error);
        }
        let operation = parts.operation;
        let mut url = self.url(&parts);
        if self.api_keys.iter().any(|k| k.in_query) {
            let mut pairs = url.query_pairs_mut();
            for key in self.api_keys.iter().filter(|k| k.in_query) {
                pairs.append_pair(&key.name, &key.value);
            }
        }
        let mut request = self
            .http
            .request(parts.method, url)
            .with_extension(Operation { id: operation, tag: parts.tag })
            .header(reqwest::header::ACCEPT, parts.accept);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        if let Some(retry) = parts.options.retry {
            request = request.with_extension(retry);
        }
        for key in self.api_keys.iter().filter(|k| !k.in_query) {
            let name = header_name(operation, &key.name)?;
            request = request.header(name, header_value(operation, &key.value, true)?);
        }
        for (name, value) in &parts.headers.0 {
            request = request.header(header_name(operation, name)?, header_value(operation, value, false)?);
        }
        if let Some((content_type, body)) = parts.body {
            let content_type = HeaderValue::try_from(content_type.into_owned())
                .map_err(|_| Error::InvalidRequest { operation, message: "invalid content type".to_owned() })?;
            request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        }
        let mut response = request.send().await.map_err(|source| Error::transport(operation, source))?;
        let status = response.status();
        if !status.is_success() {
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(|source| Error::transport(operation, source.into()))?;
            return Err(Error::Api(Box::new(ApiError::new(operation, status, headers, &body))));
        }
        Ok(response)
    }
}

fn header_name(operation: &'static str, name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest { operation, message: format!("`{name}` is not a valid header name") })
}

fn header_value(operation: &'static str, value: &str, sensitive: bool) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest {
        operation,
        message: "a header value contains characters not allowed in HTTP headers".to_owned(),
    })?;
    v.set_sensitive(sensitive);
    Ok(v)
}

/// An API key sent with every request.
#[derive(Clone)]
struct ApiKey {
    name: String,
    value: String,
    in_query: bool,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    bearer: Option<String>,
    api_keys: Vec<ApiKey>,
    middlewares: Vec<Arc<dyn Middleware>>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    trust: Trust,
}

/// Each attempt's timeout unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connection timeout unless [`ClientBuilder::connect_timeout`] says
/// otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("api_keys", &self.api_keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>())
            .field("middlewares", &self.middlewares.len())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("accept_invalid_certificates", &self.trust.accept_invalid)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` with every request (a d.run
    /// access key). The token is never shown in `Debug` output or errors.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Sends `key` in the header `name` of every request (an API key
    /// scheme `in: header`). Marked sensitive; never shown in `Debug`.
    pub fn api_key_header(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.api_keys.push(ApiKey { name: name.into(), value: key.into(), in_query: false });
        self
    }

    /// Sends `key` as the query parameter `name` of every request (an API
    /// key scheme `in: query`). Taken out of URLs shown in errors.
    pub fn api_key_query(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.api_keys.push(ApiKey { name: name.into(), value: key.into(), in_query: true });
        self
    }

    /// Appends a middleware (retry, tracing...) to the chain. It runs after
    /// authentication, so it sees and may resend the final request.
    pub fn with<M: Middleware>(mut self, middleware: M) -> Self {
        self.middlewares.push(Arc::new(middleware));
        self
    }

    /// Appends a shared middleware to the chain.
    pub fn with_arc(mut self, middleware: Arc<dyn Middleware>) -> Self {
        self.middlewares.push(middleware);
        self
    }

    /// Uses this `reqwest::Client` (proxies, pools...). With the rustls
    /// backend, build it after a first `drun` client or after installing a
    /// rustls crypto provider (`rustls::crypto::ring::default_provider()
    /// .install_default()`): reqwest, built here without aws-lc, has none
    /// of its own. Its own settings
    /// then rule the connection: [`connect_timeout`](Self::connect_timeout),
    /// [`add_root_certificate_pem`](Self::add_root_certificate_pem),
    /// [`trust_server_certificate_pem`](Self::trust_server_certificate_pem) and
    /// [`danger_accept_invalid_certificates`](Self::danger_accept_invalid_certificates)
    /// cannot be applied to it, and [`build`](Self::build) refuses them.
    /// [`timeout`](Self::timeout) and retries still hold: they are applied
    /// per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Each attempt's timeout, from sending the request to reading the whole
    /// answer (default [`DEFAULT_TIMEOUT`], 60 s). A retry gets its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No timeout for an attempt: a call may wait for ever.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// How long connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`],
    /// 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy of every call (default [`RetryPolicy::default`]:
    /// up to 3 retries of idempotent calls on connection failures, 429,
    /// 502, 503 and 504). [`RetryPolicy::none`] turns retries off; a call
    /// can set its own with [`Call::retry`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Trusts the certificates in `pem` (one or more, PEM) as roots besides
    /// the built-in ones: for an installation with a private CA. Every
    /// certificate they sign, for any host, is trusted. A server that
    /// presents a self-signed certificate as its own is trusted with
    /// [`trust_server_certificate_pem`](Self::trust_server_certificate_pem)
    /// instead.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.trust.roots.push(pem.into());
        self
    }

    /// Trusts a server that presents exactly one of the certificates in
    /// `pem` (one or more, PEM) as its own, and nothing else: the safe
    /// alternative to [`danger_accept_invalid_certificates`](Self::danger_accept_invalid_certificates)
    /// for an on-premises installation with a self-signed certificate
    /// (made by `openssl req -x509`, with the CA flag or without).
    ///
    /// Only the holder of that certificate's private key can complete the
    /// handshake with it. With `rustls` the certificate is matched byte for
    /// byte, so its CA flag, host names and dates are not checked; with
    /// `native-tls` the platform library takes it as a root that is also
    /// the whole chain, and checks its host name and dates.
    pub fn trust_server_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.trust.servers.push(pem.into());
        self
    }

    /// Accepts any certificate, also an expired, self-signed or wrong-host
    /// one. **Dangerous**: anyone on the path can read and change the
    /// traffic, access key included. Prefer
    /// [`trust_server_certificate_pem`](Self::trust_server_certificate_pem)
    /// (one server's own certificate) or
    /// [`add_root_certificate_pem`](Self::add_root_certificate_pem) (a
    /// private CA); this is for a test installation you knowingly trust
    /// (what `curl -k` does).
    pub fn danger_accept_invalid_certificates(mut self, accept: bool) -> Self {
        self.trust.accept_invalid = accept;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// With the rustls backend it also installs the runtime's crypto
    /// provider (ring, or aws-lc-rs with `rustls-aws-lc`) as the process
    /// default when none is installed yet, so that a `reqwest::Client` the
    /// caller builds afterwards works too (reqwest, built here without
    /// aws-lc, has none of its own).
    pub fn build(self) -> Result<Client, Error> {
        crate::tls::install_default_provider();
        let base_url = reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("invalid base URL `{}`: {e}", self.base_url)))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::Config(format!("`{}` cannot be a base URL", self.base_url)));
        }
        let connection_settings = self.connect_timeout.is_some() || !self.trust.is_default();
        let http = match self.http {
            Some(_) if connection_settings => {
                return Err(Error::Config(
                    "connect_timeout and TLS settings cannot be applied to a caller's reqwest::Client; set them on it"
                        .to_owned(),
                ));
            }
            Some(http) => http,
            None => {
                let b =
                    reqwest::Client::builder().connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
                crate::tls::apply(b, &self.trust)?
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        let mut chain = reqwest_middleware::ClientBuilder::new(http);
        if let Some(token) = &self.bearer {
            chain = chain.with(BearerAuth::new(token)?);
        }
        // Retries wrap the caller's middlewares, so each attempt passes
        // through them (and a tracing middleware sees every attempt).
        chain = chain.with(Retry { policy: self.retry });
        for m in self.middlewares {
            chain = chain.with_arc(m);
        }
        Ok(Client {
            http: chain.build(),
            base_url: Arc::new(base_url),
            api_keys: self.api_keys.into(),
            timeout: self.timeout,
        })
    }
}

/// What every operation method returns: a future that borrows only the
/// client. The request is built when the method is called and sent when
/// the future is first polled; the output is the decoded response.
///
/// One future type for every operation rather than an `async fn` each:
/// every `async fn` is a type of its own for the compiler to check and
/// build, and with hundreds of operations that was a large part of a
/// module's compile time. Sending is one boxed, non-generic future shared
/// by all operations (one allocation per request); only reading the answer
/// depends on its type.
#[must_use = "a request is sent only when its future is awaited"]
pub struct Call<'a, T> {
    state: State<'a>,
    read: fn(ResponseBody) -> Result<T, Error>,
}

/// Before the first poll the request can still take per-call settings;
/// after it, it is on its way.
enum State<'a> {
    Ready(&'a Client, Box<RequestParts>),
    Sending(Pin<Box<dyn Future<Output = Result<ResponseBody, Error>> + Send + 'a>>),
    Done,
}

impl State<'_> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<ResponseBody, Error>> {
        if let State::Ready(..) = self
            && let State::Ready(client, parts) = std::mem::replace(self, State::Done)
        {
            *self = State::Sending(Box::pin(client.execute(parts)));
        }
        match self {
            State::Sending(future) => {
                let output = std::task::ready!(future.as_mut().poll(cx));
                *self = State::Done;
                Poll::Ready(output)
            }
            _ => panic!("a Call polled after it completed"),
        }
    }

    fn parts(&mut self) -> Option<&mut RequestParts> {
        match self {
            State::Ready(_, parts) => Some(parts),
            _ => None,
        }
    }
}

impl<'a, T> Call<'a, T> {
    /// This call's timeout per attempt, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if let Some(parts) = self.state.parts() {
            parts.options.timeout = Some(timeout);
        }
        self
    }

    /// This call's retry policy, instead of the client's
    /// ([`RetryPolicy::none`] to send it once; `.retry_non_idempotent(true)`
    /// for a `POST` you know is safe to resend).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        if let Some(parts) = self.state.parts() {
            parts.options.retry = Some(policy);
        }
        self
    }

    /// The decoded body together with the response's status and headers
    /// (a request id to quote to support, rate-limit headers...).
    pub fn with_metadata(self) -> WithMetadata<'a, T> {
        WithMetadata { call: self }
    }
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let read = self.read;
        self.state.poll(cx).map(|response| response.and_then(read))
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// A [`Call`] whose output keeps the response's status and headers.
#[must_use = "a request is sent only when its future is awaited"]
pub struct WithMetadata<'a, T> {
    call: Call<'a, T>,
}

impl<T> Future for WithMetadata<'_, T> {
    type Output = Result<Response<T>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let read = self.call.read;
        self.call.state.poll(cx).map(|response| {
            let mut response = response?;
            let status = response.status;
            let headers = std::mem::take(&mut response.headers);
            Ok(Response { status, headers, body: read(response)? })
        })
    }
}

impl<T> fmt::Debug for WithMetadata<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithMetadata").finish_non_exhaustive()
    }
}

/// A decoded answer with its status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status (2xx).
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The first of the usual request-id headers the server sent
    /// (`x-request-id`, `x-trace-id`, `traceparent`...), to quote to
    /// support.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }
}
