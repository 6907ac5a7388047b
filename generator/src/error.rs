//! Errors and warnings that name the place in the document they are about.

use std::fmt;

/// A generation failure: what kind, which file, where in it (a JSON
/// pointer), and what, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of failure, for a caller that acts on it.
    pub kind: ErrorKind,
    /// The document's path, once known.
    pub file: Option<String>,
    /// JSON pointer into the document (`""` is the whole document).
    pub pointer: String,
    /// What is wrong, in words.
    pub message: String,
}

/// The kinds of generation failure, by what a caller can do about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read: fix the path or permissions.
    Io,
    /// Not JSON or YAML (or not UTF-8): the file is damaged or not a document.
    Syntax,
    /// Not a Swagger 2.0 or `OpenAPI` 3.0/3.1 document.
    NotOpenApi,
    /// The document breaks its own specification at `pointer` (a key of the
    /// wrong type, a required key missing): the document needs fixing.
    Invalid,
    /// A `$ref` to something the document does not define.
    DanglingReference,
    /// Valid, but a construct this generator does not read (yet); the
    /// message says which.
    Unsupported,
    /// The generator configuration or the provenance record is wrong.
    Config,
    /// The output folder holds something the generator did not write; it
    /// refuses to write there.
    ForeignOutput,
    /// A bug in the generator (it built code that does not parse, a thread
    /// panicked): please report it with the document.
    Internal,
}

impl Error {
    /// An error of `kind` at `pointer`.
    pub fn new(kind: ErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, file: None, pointer: pointer.into(), message: message.into() }
    }

    /// The document is invalid at `pointer`.
    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, pointer, message)
    }

    /// A construct at `pointer` is not supported.
    pub fn unsupported(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, pointer, message)
    }

    /// The `$ref` at `pointer` leads nowhere.
    pub fn dangling(pointer: impl Into<String>, reference: &str) -> Self {
        Self::new(ErrorKind::DanglingReference, pointer, format!("dangling reference `{reference}`"))
    }

    /// A bug in the generator.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "", format!("internal error: {}", message.into()))
    }

    /// Attaches the document's path.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file.get_or_insert_with(|| file.to_owned());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        // Failures outside a document have no place in one to show.
        if self.pointer.is_empty()
            && matches!(self.kind, ErrorKind::Io | ErrorKind::ForeignOutput | ErrorKind::Internal)
        {
            return f.write_str(&self.message);
        }
        write!(f, "at #{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// A construct that was served loosely rather than failing the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The document's path, once known.
    pub file: Option<String>,
    /// JSON pointer into the document.
    pub pointer: String,
    /// What was done instead, in words.
    pub message: String,
}

impl Warning {
    /// A warning at `pointer`.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: None, pointer: pointer.into(), message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        write!(f, "at #{}: {}", self.pointer, self.message)
    }
}

/// Builds JSON pointers (RFC 6901) one segment at a time.
pub fn pointer(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        assert_eq!(pointer("/paths", "/users/{id}"), "/paths/~1users~1{id}");
        assert_eq!(pointer("", "a~b"), "/a~0b");
    }

    #[test]
    fn display_names_file_and_pointer() {
        let e = Error::dangling("/definitions/Foo/$ref", "#/definitions/Bar").in_file("spec.json");
        assert_eq!(e.to_string(), "spec.json: at #/definitions/Foo/$ref: dangling reference `#/definitions/Bar`");
        assert_eq!(e.kind, ErrorKind::DanglingReference);
    }
}
