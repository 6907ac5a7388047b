//! The generated crate's `Cargo.toml` (TOML, so plain text).

use std::fmt::Write;

use super::{Context, header_lines};

/// Quotes a TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn cargo_toml(ctx: &Context<'_>) -> String {
    let mut out = String::new();
    for line in header_lines(ctx, true) {
        let _ = writeln!(out, "# {line}");
    }
    let c = ctx.config;
    let description = c
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed client for the {} API {}", ctx.api.title, ctx.api.version));
    let _ = writeln!(out);
    let _ = writeln!(out, "[package]");
    let _ = writeln!(out, "name = {}", toml_str(&c.crate_name));
    let _ = writeln!(out, "version = {}", toml_str(&c.crate_version));
    let _ = writeln!(out, "edition = \"2024\"");
    let _ = writeln!(out, "rust-version = {}", toml_str(super::RUST_VERSION));
    let _ = writeln!(out, "description = {}", toml_str(&description));
    if let Some(license) = &c.license {
        let _ = writeln!(out, "license = {}", toml_str(license));
    }
    for (key, value) in [("repository", &c.repository), ("homepage", &c.homepage)] {
        if let Some(value) = value {
            let _ = writeln!(out, "{key} = {}", toml_str(value));
        }
    }
    let _ = writeln!(out, "documentation = {}", toml_str(&format!("https://docs.rs/{}", c.crate_name)));
    let _ = writeln!(out, "readme = \"README.md\"");
    for (key, values) in [("keywords", &c.keywords), ("categories", &c.categories)] {
        if !values.is_empty() {
            let quoted: Vec<String> = values.iter().map(|v| toml_str(v)).collect();
            let _ = writeln!(out, "{key} = [{}]", quoted.join(", "));
        }
    }
    // What a user needs: the crate's sources, its manifest and README; not
    // the generator's names record or formatting settings.
    let _ = writeln!(out, "include = [\"src/**/*.rs\", \"Cargo.toml\", \"README.md\"]");
    let _ = writeln!(out);
    let _ = writeln!(out, "# docs.rs builds every feature, with items marked by the feature they need.");
    let _ = writeln!(out, "[package.metadata.docs.rs]");
    let _ = writeln!(out, "all-features = true");
    let _ = writeln!(out, "rustdoc-args = [\"--cfg\", \"docsrs\"]");
    let _ = writeln!(out);
    let _ = writeln!(out, "# The API this crate speaks, and the exact document it was generated from.");
    let _ = writeln!(out, "[package.metadata.openapi]");
    let _ = writeln!(out, "api-version = {}", toml_str(&ctx.api.version));
    let _ = writeln!(out, "spec = {}", toml_str(ctx.spec_path));
    let _ = writeln!(out, "spec-sha256 = {}", toml_str(&ctx.spec_sha256));
    out.push_str(
        r#"
[features]
default = ["rustls", "gzip"]
# TLS: rustls with the ring crypto provider (default), rustls with aws-lc-rs,
# or, with default features off, the platform's library and certificate
# store. The runtime is depended on without its defaults, so the backend
# chosen here is the only one compiled.
rustls = ["drun-runtime/rustls"]
rustls-aws-lc = ["drun-runtime/rustls-aws-lc"]
native-tls = ["drun-runtime/native-tls"]
# Compressed answers: ask for gzip and decode it, answers and streams alike.
gzip = ["drun-runtime/gzip"]
# Serialize and Deserialize on every model. By default a model implements only
# what the client needs (Serialize if it is sent, Deserialize if it is
# received), which keeps the crate quick to compile.
full-serde = []
# `mocks`: typed expected calls and answers on a loopback server, for the
# tests of code that calls this API (see the module's docs).
mocks = ["full-serde", "drun-runtime/mocks"]

[dependencies]
"#,
    );
    // By path inside this repository; from crates.io, by version, for a
    // crate generated anywhere else.
    match c.runtime_path.as_deref() {
        Some(runtime) => {
            let _ = writeln!(
                out,
                "drun-runtime = {{ path = {}, version = \"0.1\", default-features = false }}",
                toml_str(runtime)
            );
        }
        None => out.push_str("drun-runtime = { version = \"0.1\", default-features = false }\n"),
    }
    out.push_str("serde = \"1\"\nserde_json = \"1\"\n");
    // For the mocks' doc tests only: never part of a user's build.
    out.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n");
    out
}
