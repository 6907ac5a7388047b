//! Bearer-token authentication as a `reqwest-middleware` middleware.
use crate::Error;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use std::fmt;

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
