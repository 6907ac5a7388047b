//! The hand-designed part of every generated crate: the client and its
//! builder, bearer authentication, the error type, and the protojson and
//! serde helpers (`templates/`).
//! It changes only with the generator, never with the document.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use super::docs::sanitize;
use super::types::{Place, owned};
use crate::ir::SecurityScheme;

pub(crate) fn lib_rs(ctx: &Context<'_>) -> TokenStream {
    let api = ctx.api;
    let title = format!(" # {}", ctx.config.crate_name);
    let about = format!(
        " A typed client for the {} API, version {} (crate version {}), generated from `{}`.",
        api.title, api.version, ctx.config.crate_version, ctx.spec_path
    );
    let description: Vec<String> = api.description.as_deref().map(sanitize).unwrap_or_default();
    let first_tag = api.tags.first();
    let example_call = first_tag.and_then(|t| {
        let op = t.operations.iter().find(|o| o.path_params.is_empty() && o.body.is_none() && o.query_params.iter().all(|p| !p.required))?;
        let args = op.params_struct.as_ref().map(|s| format!("&{}::apis::{}::{}::default()", ctx.config.crate_ident(), t.module, s)).unwrap_or_default();
        Some(format!("let _result = client.{}().{}({}).await?;", t.module, op.fn_name, args))
    });
    let mut example = vec![
        " ```no_run".to_owned(),
        format!(" # async fn example() -> Result<(), {}::Error> {{", ctx.config.crate_ident()),
        format!(" let client = {}::Client::builder(\"{}\")", ctx.config.crate_ident(), api.default_base_url.as_deref().unwrap_or("https://api.example.com")),
        "     .bearer_token(\"my-access-key\")".to_owned(),
        "     .build()?;".to_owned(),
    ];
    if let Some(call) = example_call {
        example.push(format!(" {call}"));
    }
    example.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    let version = api.version.as_str();
    let sha = ctx.spec_sha256.as_str();
    let default_url = api.default_base_url.as_deref().map(|url| {
        quote! {
            /// The base URL: the first server the document names, or the
            /// configured `base_url` when it names none.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #about]
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = " ```text"]
        #![doc = " Client -> client.<tag>() -> method per operation -> Call (a future) -> crate::Result<model>"]
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " Every request goes through a `reqwest-middleware` chain that starts with"]
        #![doc = " [`BearerAuth`] when a token is set; add retry or tracing middlewares with"]
        #![doc = " [`ClientBuilder::with`]."]
        #![doc = ""]
        #( #![doc = #example] )*
        // Descriptions come from the document: bare URLs in them are text.
        #![allow(rustdoc::bare_urls)]

        pub mod apis;
        mod auth;
        mod client;
        mod codec;
        mod error;
        pub mod models;
        pub mod protojson;

        pub use auth::BearerAuth;
        pub use client::{Call, Client, ClientBuilder};
        pub use error::{ApiError, Error, ErrorBody, Result};
        pub use bytes;
        pub use reqwest;
        pub use reqwest_middleware;

        /// The API version (`info.version`) this crate was generated for.
        pub const API_VERSION: &str = #version;

        /// SHA-256 of the document this crate was generated from.
        pub const SPEC_SHA256: &str = #sha;

        #default_url
    }
}

pub(crate) fn client_rs(ctx: &Context<'_>) -> TokenStream {
    let api_key_setters = ctx.api.security.iter().filter_map(|s| {
        let (name, doc, in_query) = match s {
            SecurityScheme::ApiKeyHeader(n) => (n, format!(" Sends `key` in the `{n}` header of every request."), false),
            SecurityScheme::ApiKeyQuery(n) => (n, format!(" Sends `key` as the `{n}` query parameter of every request."), true),
            _ => return None,
        };
        let method = super::ident(&format!("api_key_{}", crate::ir::naming::snake_ident(name).trim_end_matches('_')));
        Some(quote! {
            #[doc = #doc]
            pub fn #method(mut self, key: impl Into<String>) -> Self {
                self.api_keys.push(ApiKey { name: #name, value: key.into(), in_query: #in_query });
                self
            }
        })
    });
    quote! {
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
                // Credentials live in the middleware chain and are never shown.
                f.debug_struct("Client").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
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
            pub(crate) fn call<T>(&self, parts: RequestParts, read: fn(ResponseBody) -> Result<T, Error>) -> Call<'_, T> {
                Call { response: Box::pin(self.execute(parts)), read }
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
                let mut request = self.http.request(parts.method, url).header(reqwest::header::ACCEPT, "application/json");
                for key in self.api_keys.iter().filter(|k| !k.in_query) {
                    request = request.header(key.name, header_value(operation, &key.value, true)?);
                }
                for (name, value) in &parts.headers.0 {
                    let name = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| Error::InvalidRequest { operation, message: format!("`{name}` is not a valid header name") })?;
                    request = request.header(name, header_value(operation, value, false)?);
                }
                if let Some((content_type, body)) = parts.body {
                    let content_type = HeaderValue::try_from(content_type.into_owned())
                        .map_err(|_| Error::InvalidRequest { operation, message: "invalid content type".to_owned() })?;
                    request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(body);
                }
                let response = request.send().await.map_err(|source| Error::Transport { operation, source })?;
                let status = response.status();
                let headers = if status.is_success() { None } else { Some(response.headers().clone()) };
                let body = response
                    .bytes()
                    .await
                    .map_err(|source| Error::Transport { operation, source: source.into() })?;
                if let Some(headers) = headers {
                    return Err(Error::Api(Box::new(crate::ApiError::new(operation, status, headers, &body))));
                }
                Ok(ResponseBody { operation, body })
            }
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
            name: &'static str,
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

            #( #api_key_setters )*

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
                    .map_err(|e| Error::Config(format!("invalid base URL `{}`: {e}", self.base_url)))?;
                if base_url.cannot_be_a_base() {
                    return Err(Error::Config(format!("`{}` cannot be a base URL", self.base_url)));
                }
                let http = match self.http {
                    Some(http) => http,
                    None => {
                        let mut b = reqwest::Client::builder();
                        if let Some(t) = self.timeout {
                            b = b.timeout(t);
                        }
                        b.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
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
            pub path: String,
            pub query: Pairs,
            pub headers: Pairs,
            pub body: Option<(std::borrow::Cow<'static, str>, bytes::Bytes)>,
            /// Why the request cannot be sent, found while building it; the
            /// future returns it when polled.
            pub error: Option<Error>,
        }

        impl RequestParts {
            pub(crate) fn new(operation: &'static str, method: reqwest::Method, path: String) -> Self {
                Self { operation, method, path, query: Pairs::default(), headers: Pairs::default(), body: None, error: None }
            }

            /// Serialises a JSON request body.
            #[allow(dead_code)]
            pub(crate) fn json_body<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
                match serde_json::to_vec(body) {
                    Ok(bytes) => self.body = Some((content_type.into(), bytes::Bytes::from(bytes))),
                    Err(source) => self.error = Some(Error::Encode { operation: self.operation, source }),
                }
            }
        }

        /// The body of a success response, and what it is read as.
        pub(crate) struct ResponseBody {
            operation: &'static str,
            body: bytes::Bytes,
        }

        // Not every API has every kind of response.
        #[allow(dead_code)]
        impl ResponseBody {
            /// Decodes JSON straight from the received bytes (no copy).
            pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
                crate::protojson::decode(&self.body).map_err(|source| Error::Decode {
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

        // Not every API uses every way of writing a parameter.
        #[allow(dead_code)]
        impl Pairs {
            /// A required value.
            pub(crate) fn one(&mut self, name: &'static str, value: &dyn fmt::Display) {
                self.0.push((name, value.to_string()));
            }

            /// An optional value: sent only when set.
            pub(crate) fn opt<T: fmt::Display>(&mut self, name: &'static str, value: Option<&T>) {
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
            pub(crate) fn joined<T: fmt::Display>(&mut self, name: &'static str, values: &[T], separator: &str) {
                if !values.is_empty() {
                    let joined = values.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator);
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
                const FORM: &percent_encoding::AsciiSet =
                    &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_').remove(b' ');
                let encode = |text: &str| percent_encoding::utf8_percent_encode(text, FORM).to_string().replace(' ', "+");
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
                // Unique enough per request; parts are never scanned for it.
                static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
                Self { boundary: format!("----drun-client-{nanos:x}-{n:x}"), body: Vec::new() }
            }

            fn part(&mut self, name: &str, file: bool, content: &[u8]) {
                let name = name.replace('"', "%22");
                self.body.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
                let disposition = if file {
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
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
                (format!("multipart/form-data; boundary={}", self.boundary).into(), bytes::Bytes::from(self.body))
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
        /// (`/`, `?`, `#` and spaces included).
        pub(crate) fn encode_segment(value: &dyn fmt::Display) -> String {
            const SEGMENT: &percent_encoding::AsciiSet =
                &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
            percent_encoding::utf8_percent_encode(&value.to_string(), SEGMENT).to_string()
        }

    }
}

pub(crate) fn auth_rs() -> TokenStream {
    quote! {
        //! Bearer-token authentication as a `reqwest-middleware` middleware.

        use std::fmt;

        use reqwest::header::{AUTHORIZATION, HeaderValue};

        use crate::Error;

        /// Sets `Authorization: Bearer <token>` on every request.
        ///
        /// The header value is marked sensitive, and `Debug` never shows the
        /// token.
        #[derive(Clone)]
        pub struct BearerAuth {
            value: HeaderValue,
        }

        impl BearerAuth {
            /// Creates the middleware; fails if `token` cannot be sent in a
            /// header (e.g. it contains a line break).
            pub fn new(token: &str) -> Result<Self, Error> {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                    Error::Config("the bearer token contains characters not allowed in an HTTP header".to_owned())
                })?;
                value.set_sensitive(true);
                Ok(Self { value })
            }
        }

        impl fmt::Debug for BearerAuth {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("BearerAuth").field("token", &"<redacted>").finish()
            }
        }

        #[async_trait::async_trait]
        impl reqwest_middleware::Middleware for BearerAuth {
            async fn handle(
                &self,
                mut request: reqwest::Request,
                extensions: &mut http::Extensions,
                next: reqwest_middleware::Next<'_>,
            ) -> reqwest_middleware::Result<reqwest::Response> {
                request.headers_mut().insert(AUTHORIZATION, self.value.clone());
                next.run(request, extensions).await
            }
        }
    }
}

pub(crate) fn error_rs(ctx: &Context<'_>) -> TokenStream {
    let (body_ty, body_doc) = match &ctx.api.error_body {
        Some(ty) => (owned(ty, Place::Crate), " The error body every operation declares for its error responses."),
        None => (quote!(serde_json::Value), " Error bodies are not described alike by the document, so any JSON is kept."),
    };
    quote! {
        //! The one error type of every operation.

        use std::fmt;

        #[doc = #body_doc]
        pub type ErrorBody = #body_ty;

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
            /// The API error, if the server answered with a non-2xx status.
            pub fn as_api(&self) -> Option<&ApiError> {
                match self {
                    Error::Api(e) => Some(e),
                    _ => None,
                }
            }
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::Config(message) => write!(f, "invalid client configuration: {message}"),
                    Error::InvalidRequest { operation, message } => write!(f, "{operation}: invalid request: {message}"),
                    Error::Encode { operation, source } => write!(f, "{operation}: cannot encode the request body: {source}"),
                    Error::Transport { operation, source } => write!(f, "{operation}: request failed: {source}"),
                    Error::Api(e) => e.fmt(f),
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
                    Error::Config(_) | Error::InvalidRequest { .. } => None,
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
            /// The decoded error body, when the body was one.
            pub body: Option<ErrorBody>,
            /// The body as text, whatever it was (a proxy's HTML page, or
            /// nothing).
            pub text: String,
        }

        impl ApiError {
            pub(crate) fn new(
                operation: &'static str,
                status: reqwest::StatusCode,
                headers: reqwest::header::HeaderMap,
                body: &[u8],
            ) -> Self {
                Self {
                    operation,
                    status,
                    headers,
                    body: serde_json::from_slice(body).ok(),
                    text: String::from_utf8_lossy(body).into_owned(),
                }
            }
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
    }
}

/// `src/protojson.rs` and `src/codec.rs` depend on nothing in the document,
/// so they are kept as plain Rust in `generator/templates/` (readable and
/// formatted as they will be written) and copied out as they are.
pub(crate) const PROTOJSON_RS: &str = include_str!("../../templates/protojson.rs");
pub(crate) const CODEC_RS: &str = include_str!("../../templates/codec.rs");
