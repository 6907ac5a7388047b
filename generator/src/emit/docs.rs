//! Documentation text from the document, made safe for rustdoc.
//!
//! Descriptions are free Markdown written for other tools: an indented or
//! fenced block would become a doctest, `[x][]` an intra-doc link, `<T>` an
//! HTML tag. They are rendered as text, not as code or links.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    quote! { #( #[doc = #lines] )* }
}

/// Turns spec text into lines of inert Markdown, each starting with a space
/// (as `///` comments do).
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.replace("\r\n", "\n").split('\n') {
        // Leading indentation would make a code block (a doctest).
        let line = raw.trim();
        let mut escaped = String::with_capacity(line.len() + 8);
        for c in line.chars() {
            match c {
                '[' | ']' | '<' | '>' | '`' | '*' | '_' | '#' | '|' | '\\' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                c if c.is_control() => {}
                c => escaped.push(c),
            }
        }
        // A line that starts like a list item or a heading would be one:
        // its marker is escaped. An ordered item's marker is the `.` or `)`
        // after the digits (a backslash before a digit is no escape in
        // Markdown, and would be shown).
        if escaped.starts_with(['-', '+', '=']) {
            escaped.insert(0, '\\');
        } else if let Some(end) = escaped.find(|c: char| !c.is_ascii_digit()).filter(|&end| end > 0)
            && escaped[end..].starts_with(['.', ')'])
        {
            escaped.insert(end, '\\');
        }
        let blank = escaped.is_empty();
        if blank && out.last().is_none_or(std::string::String::is_empty) {
            continue;
        }
        out.push(if blank { String::new() } else { format!(" {escaped}") });
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Code-like text (a path, a name) in backticks; backticks inside are
/// dropped, since they cannot be escaped within a code span.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_and_links_become_text() {
        let lines = sanitize("Example:\n\n    Foo foo = ...;\n```go\nx\n```\nsee [google.protobuf.Type][] and <T>");
        assert_eq!(
            lines,
            vec![
                " Example:",
                "",
                " Foo foo = ...;",
                " \\`\\`\\`go",
                " x",
                " \\`\\`\\`",
                " see \\[google.protobuf.Type\\]\\[\\] and \\<T\\>",
            ]
        );
    }

    #[test]
    fn list_markers_and_blank_runs() {
        assert_eq!(sanitize("\n\n- a\n\n\n1. b\n\n"), vec![" \\- a", "", " 1\\. b"]);
        assert_eq!(sanitize("64-bit, as a string\n2) two\n10"), vec![" 64-bit, as a string", " 2\\) two", " 10"]);
    }
}
