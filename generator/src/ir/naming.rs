//! Rust names for things the document names: case conversion, keyword
//! escaping, protobuf package prefixes, and deterministic de-duplication.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions): such a name gets a
/// trailing underscore.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified; a model of that name would
/// shadow them, so it gets a `Model` suffix.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Deserialize",
    "Err",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Serialize",
    "Some",
    "String",
    "Vec",
    "Value",
];

/// Whether `word` is a Rust keyword (which [`snake_ident`] escapes with a
/// trailing `_`).
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// A field's setter: `set_<field>`, for models and parameter structs alike.
/// The prefix keeps setters clear of the methods every type has
/// (`default`, `clone`) and of the names clippy reserves (`add`, `is_*`,
/// `to_*`, `from_*`...), whatever the document calls its fields.
pub fn setter_name(field: &str) -> String {
    let base = field.trim_start_matches("r#");
    // `type_` (a keyword, escaped) is set with `set_type`.
    let base = base.strip_suffix('_').filter(|b| is_keyword(b)).unwrap_or(base);
    format!("set_{base}")
}

/// `snake_case` identifier for a field, parameter, method or module.
pub fn snake_ident(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `UpperCamelCase` identifier for a type or variant.
pub fn type_ident(name: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&s.as_str()) || KEYWORDS.contains(&s.as_str()) {
        s.push_str("Model");
    }
    s
}

/// Keeps ASCII letters and digits, turns every other character into a word
/// break, and spells non-ASCII letters as `u` + hex code point so that two
/// different names never meet in one identifier (`名称` -> `u540D_u79F0`).
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            let _ = write!(out, "_U{:04X}_", c as u32);
        } else {
            out.push('_');
        }
    }
    out
}

/// Splits a protobuf-style definition name into its package prefix and the
/// type name: `v1alpha1userPagination` -> (`v1alpha1user`, `Pagination`).
/// A name without a lowercase prefix, or with nothing after it, is all name.
pub fn split_package(name: &str) -> (&str, &str) {
    match name.find(|c: char| c.is_ascii_uppercase()) {
        Some(0) | None => ("", name),
        Some(i) => (&name[..i], &name[i..]),
    }
}

/// The package of a prefix without its API version (`v1alpha1user` -> `user`),
/// for qualifying colliding names and grouping models into files.
pub fn package_of(prefix: &str) -> String {
    let mut rest = prefix.trim_matches('_');
    if let Some(after_v) = rest.strip_prefix('v') {
        let digits = after_v.len() - after_v.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            let mut tail = &after_v[digits..];
            for stage in ["alpha", "beta"] {
                if let Some(t) = tail.strip_prefix(stage) {
                    tail = t.trim_start_matches(|c: char| c.is_ascii_digit());
                }
            }
            rest = tail.trim_start_matches('_');
        }
    }
    rest.to_owned()
}

/// Hands out names unique within one namespace, in the order asked: the
/// first asker of `Foo` gets `Foo`, the next `Foo2`, and so on.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// Claims `wanted`, or the first free `wanted2`, `wanted3`...
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }

    /// Whether `name` is already taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_idents_escape_keywords_and_symbols() {
        assert_eq!(snake_ident("pageSize"), "page_size");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("@type"), "type_");
        assert_eq!(snake_ident("payload.name"), "payload_name");
        assert_eq!(snake_ident("page-size"), "page_size");
        assert_eq!(snake_ident("2fa"), "n2fa");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident(""), "value");
    }

    #[test]
    fn type_idents_avoid_prelude_names() {
        assert_eq!(type_ident("SSHKey"), "SshKey");
        assert_eq!(type_ident("String"), "StringModel");
        assert_eq!(type_ident("Self"), "SelfModel");
        assert_eq!(type_ident("match"), "Match");
        assert_eq!(type_ident("Result"), "ResultModel");
        assert_eq!(type_ident("3d-model"), "V3dModel");
        assert_ne!(type_ident("名称"), type_ident("名字"));
        assert!(type_ident("名称").is_ascii());
    }

    #[test]
    fn package_prefixes_split_off() {
        assert_eq!(split_package("v1alpha1userPagination"), ("v1alpha1user", "Pagination"));
        assert_eq!(split_package("googlerpcStatus"), ("googlerpc", "Status"));
        assert_eq!(split_package("_gateFeatureGateID"), ("_gate", "FeatureGateID"));
        assert_eq!(split_package("User"), ("", "User"));
        assert_eq!(split_package("lowercase"), ("", "lowercase"));
        assert_eq!(package_of("v1alpha1user"), "user");
        assert_eq!(package_of("v1alpha3audit"), "audit");
        assert_eq!(package_of("v2beta"), "");
        assert_eq!(package_of("feature_gate"), "feature_gate");
        assert_eq!(package_of("googlerpc"), "googlerpc");
        assert_eq!(package_of("vip"), "vip");
    }

    #[test]
    fn namespace_numbers_repeats_in_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo"), "Foo");
        assert_eq!(ns.claim("Foo"), "Foo2");
        assert_eq!(ns.claim("V1"), "V1");
        assert_eq!(ns.claim("V1"), "V1_2");
        assert!(ns.is_taken("Foo2"));
    }
}
