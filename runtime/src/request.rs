//! What an operation method builds (the request's parts) and what it reads
//! (the response's body). Used by generated code; not a stable API.

use std::fmt;

use crate::Error;

/// One request, as an operation method builds it.
pub struct RequestParts {
    pub operation: &'static str,
    /// The tag the operation is grouped under (its module).
    pub tag: &'static str,
    /// What the answer is expected to be (the `Accept` header).
    pub accept: &'static str,
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
    /// Settings of this call only.
    pub options: CallOptions,
}

/// What a call may set for itself (see [`Call`](crate::Call)).
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Each attempt's timeout.
    pub timeout: Option<std::time::Duration>,
    /// The retry policy.
    pub retry: Option<crate::RetryPolicy>,
}

impl RequestParts {
    pub fn new(operation: &'static str, tag: &'static str, method: reqwest::Method) -> Self {
        Self {
            operation,
            tag,
            accept: "application/json",
            method,
            path: String::new(),
            query: Pairs::default(),
            headers: Pairs::default(),
            body: None,
            error: None,
            options: CallOptions::default(),
        }
    }

    /// Appends a literal piece of the path template.
    pub fn path(&mut self, piece: &'static str) {
        self.path.push_str(piece);
    }

    /// Appends a path parameter as exactly one segment, or records why it
    /// cannot be one (see [`segment_problem`]).
    pub fn segment(&mut self, name: &'static str, value: &dyn fmt::Display) {
        let text = value.to_string();
        self.checked_segment(name, &text, encode_segment(&text));
    }

    /// Appends an array path parameter as one segment: each item
    /// percent-encoded, joined by `separator` (`,` for `csv`).
    pub fn segment_joined<T: fmt::Display>(&mut self, name: &'static str, values: &[T], separator: &'static str) {
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
    pub fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Serialises a JSON request body.
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((content_type.into(), bytes::Bytes::from(bytes)));
            }
            Err(source) => self.fail(Error::Encode { operation: self.operation, source }),
        }
    }
}

/// A success response, and what its body is read as.
pub struct ResponseBody {
    pub(crate) operation: &'static str,
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: bytes::Bytes,
}

impl ResponseBody {
    /// Decodes JSON straight from the received bytes (no copy).
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        crate::protojson::decode(&self.body).map_err(|source| Error::Decode {
            operation: self.operation,
            source,
            body: crate::error::snippet(&self.body),
        })
    }

    /// The body as it came, once it has been checked to decode as `T`: for
    /// callers that pass the answer on (the command line), keeping fields
    /// `T` does not know.
    pub fn checked_json<T: serde::de::DeserializeOwned>(self) -> Result<bytes::Bytes, Error> {
        crate::protojson::decode::<T>(&self.body).map_err(|source| Error::Decode {
            operation: self.operation,
            source,
            body: crate::error::snippet(&self.body),
        })?;
        Ok(self.body)
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// The body as it came.
    pub fn bytes(self) -> Result<bytes::Bytes, Error> {
        Ok(self.body)
    }

    /// No body is expected; whatever came is ignored.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}

/// Name-value pairs of the query string or headers, in order.
#[derive(Default)]
pub struct Pairs(pub(crate) Vec<(std::borrow::Cow<'static, str>, String)>);

impl Pairs {
    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(name, value)| (name.as_ref(), value.as_str()))
    }

    /// A required value.
    pub fn one(&mut self, name: &'static str, value: &dyn fmt::Display) {
        self.0.push((name.into(), value.to_string()));
    }

    /// An optional value: sent only when set.
    pub fn opt<T: fmt::Display>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(v) = value {
            self.0.push((name.into(), v.to_string()));
        }
    }

    /// An array written as repeated pairs (`a=1&a=2`).
    pub fn each<T: fmt::Display>(&mut self, name: &'static str, values: &[T]) {
        for v in values {
            self.0.push((name.into(), v.to_string()));
        }
    }

    /// An object written property by property: `property=value` pairs
    /// (`style: form`, exploded), or `name[property]=value` ones (`style:
    /// deepObject`). Arrays repeat their pair; nested objects travel as
    /// JSON text; absent and `null` properties are left out.
    pub fn object<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T, deep: bool) {
        let Ok(serde_json::Value::Object(properties)) = serde_json::to_value(value) else { return };
        for (key, value) in properties {
            let key: std::borrow::Cow<'static, str> = if deep { format!("{name}[{key}]").into() } else { key.into() };
            let items = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                self.0.push((key.clone(), text));
            }
        }
    }

    /// An array written as one delimited value (`a=1,2`); not sent when empty.
    pub fn joined<T: fmt::Display>(&mut self, name: &'static str, values: &[T], separator: &str) {
        if !values.is_empty() {
            let joined = values.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator);
            self.0.push((name.into(), joined));
        }
    }
}

/// An `application/x-www-form-urlencoded` body, built field by field.
#[derive(Default)]
pub struct FormBody(String);

impl FormBody {
    /// Appends `name=value`.
    pub fn text(&mut self, name: &str, value: &dyn fmt::Display) {
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
    pub fn finish(self) -> (std::borrow::Cow<'static, str>, bytes::Bytes) {
        ("application/x-www-form-urlencoded".into(), bytes::Bytes::from(self.0))
    }
}

/// A `multipart/form-data` body, built field by field.
pub struct MultipartBody {
    boundary: String,
    body: Vec<u8>,
}

impl Default for MultipartBody {
    fn default() -> Self {
        Self::new()
    }
}

impl MultipartBody {
    /// An empty body with a boundary of its own.
    pub fn new() -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        Self { boundary: format!("----rust-client-{nanos:x}-{n:x}"), body: Vec::new() }
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
    pub fn text(&mut self, name: &str, value: &dyn fmt::Display) {
        self.part(name, false, value.to_string().as_bytes());
    }

    /// A file field.
    pub fn file(&mut self, name: &str, content: &[u8]) {
        self.part(name, true, content);
    }

    /// The body and its content type.
    pub fn finish(mut self) -> (std::borrow::Cow<'static, str>, bytes::Bytes) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary).into(), bytes::Bytes::from(self.body))
    }
}

/// A value written as JSON text, for form fields that are objects.
pub struct JsonText<'a, T: serde::Serialize>(pub &'a T);

impl<T: serde::Serialize> fmt::Display for JsonText<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self.0).map_err(|_| fmt::Error)?)
    }
}

/// Percent-encodes a path parameter so that it stays one segment
/// (`/`, `?`, `#`, `%`, `\` and spaces included).
fn encode_segment(text: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// Why a path parameter's value cannot be sent as one segment, if it
/// cannot: an empty value would drop the segment, and a dot segment (`.`
/// or `..`, also percent-encoded, as WHATWG URL parsing reads `%2e`) would
/// move the request to another route. Either would reach a route the
/// caller did not name.
pub fn segment_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return Some("is empty");
    }
    // The longest dot segment is `%2e%2e`: most values need no decoding.
    if text.len() > 6 {
        return None;
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

    #[test]
    fn an_array_segment_joins_encoded_items_so_an_item_comma_stays_inside_its_item() {
        let mut request = RequestParts::new("Op", "Tag", http::Method::GET);
        request.path("/ports/");
        request.segment_joined("ports", &["a b", "c,d", "e/f"], ",");
        assert_eq!(request.path, "/ports/a%20b,c%2Cd,e%2Ff");
        let mut request = RequestParts::new("Op", "Tag", http::Method::GET);
        request.segment_joined("ports", &[1, 22], ",");
        assert_eq!(request.path, "1,22");
    }
}
