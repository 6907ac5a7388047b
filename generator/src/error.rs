//! Errors and warnings that name the place in the document they are about.

use std::fmt;

/// A generation failure: which file, where in it (a JSON pointer), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The document's path, once known.
    pub file: Option<String>,
    /// JSON pointer into the document (`""` is the whole document).
    pub pointer: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Error {
    /// An error at `pointer`.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: None, pointer: pointer.into(), message: message.into() }
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
        let e = Error::at("/definitions/Foo", "dangling $ref").in_file("spec.json");
        assert_eq!(e.to_string(), "spec.json: at #/definitions/Foo: dangling $ref");
    }
}
