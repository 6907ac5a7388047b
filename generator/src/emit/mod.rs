//! Stage 3: Rust source files from the model.
//!
//! Most code is built as tokens with `quote!`, parsed with `syn` and printed
//! with `prettyplease`. Model files, the bulk of a client, are written as
//! text in the same layout (see `models.rs` and `layout.rs`).
//!
//! Layout, chosen so that a change in the document changes only the files
//! that own it:
//! - `src/apis/<tag>.rs`: one file per tag, its operations sorted by name;
//! - `src/models/<group>.rs`: models grouped by protobuf package (or one file
//!   per model when the document has no packages), sorted by name;
//! - `src/mocks/<tag>.rs`: the typed mocks of the tag's operations (feature
//!   `mocks`);
//! - `src/apis/mod.rs`, `src/models/mod.rs`, `src/mocks/mod.rs`: the
//!   registration lists;
//! - `src/lib.rs`: the module's entry point and documentation.
//!
//! The runtime (client, authentication, errors, codec) is not emitted: it is
//! the `drun-runtime` crate (`runtime/`), which every generated crate
//! depends on.

mod apis;
pub mod cli;
mod crate_root;
pub mod docs;
mod layout;
mod manifest;
mod mocks;
mod models;
mod setters;
pub mod umbrella;

pub use apis::KEPT_NAMES;
pub use crate_root::{entry_type, module_method};
pub(crate) mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::config::Config;
use crate::digest::sha256_hex;
use crate::error::Error;
use crate::ir::Api;
use crate::load::Source;

/// What every emitter needs to know besides its own part.
pub(crate) struct Context<'a> {
    pub api: &'a Api,
    pub config: &'a Config,
    pub spec_path: &'a str,
    pub spec_sha256: String,
}

/// One file to emit.
enum Job<'a> {
    Lib,
    Pages,
    ApisMod,
    Tag(&'a crate::ir::Tag),
    ModelsMod,
    Group(String, Vec<&'a crate::ir::Model>),
    MocksMod,
    MocksTag(&'a crate::ir::Tag),
}

impl Job<'_> {
    fn path(&self) -> String {
        match self {
            Job::Lib => "src/lib.rs".to_owned(),
            Job::Pages => "src/pages.rs".to_owned(),
            Job::ApisMod => "src/apis/mod.rs".to_owned(),
            Job::Tag(tag) => format!("src/apis/{}.rs", tag.module),
            Job::ModelsMod => "src/models/mod.rs".to_owned(),
            Job::Group(group, _) => format!("src/models/{group}.rs"),
            Job::MocksMod => "src/mocks/mod.rs".to_owned(),
            Job::MocksTag(tag) => format!("src/mocks/{}.rs", tag.module),
        }
    }

    /// The file's text: templates as they are, the rest built as tokens and
    /// printed.
    fn text(&self, ctx: &Context<'_>, path: &str) -> Result<String, Error> {
        let tokens = match self {
            Job::Group(group, models) => return Ok(verbatim(ctx, &models::group_text(ctx, group, models)?)),
            Job::Lib => crate_root::lib_rs(ctx),
            Job::Pages => {
                apis::pages_rs(ctx).ok_or_else(|| Error::internal("pages.rs planned without a paged operation"))?
            }
            Job::ApisMod => apis::mod_rs(ctx),
            Job::Tag(tag) => apis::tag_rs(ctx, tag)?,
            Job::ModelsMod => models::mod_rs(ctx),
            Job::MocksMod => mocks::mod_rs(ctx),
            Job::MocksTag(tag) => mocks::tag_rs(ctx, tag)?,
        };
        // Only the crate root names the document (see `header_lines`).
        Ok(header(ctx, matches!(self, Job::Lib)) + &print_items(path, tokens)?)
    }
}

/// The kinds of file a crate is made of, so that each can be measured on
/// its own (`cargo bench -p drun-generator --bench generate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artefact {
    /// The models: `src/models/`.
    Models,
    /// The operations: `src/apis/`, `src/pages.rs` and the crate root.
    Operations,
    /// The typed mocks: `src/mocks/`.
    Mocks,
}

impl Job<'_> {
    fn artefact(&self) -> Artefact {
        match self {
            Job::ModelsMod | Job::Group(..) => Artefact::Models,
            Job::Lib | Job::Pages | Job::ApisMod | Job::Tag(_) => Artefact::Operations,
            Job::MocksMod | Job::MocksTag(_) => Artefact::Mocks,
        }
    }
}

/// Emits every file of the crate, keyed by path relative to its root.
///
/// Files are independent, so they are built and printed on all cores (token
/// trees are not `Send`, so each thread makes its own); the result is a
/// sorted map, the same whatever the scheduling.
pub fn emit(api: &Api, config: &Config, source: &Source<'_>) -> Result<BTreeMap<String, String>, Error> {
    emit_only(api, config, source, &[Artefact::Models, Artefact::Operations, Artefact::Mocks])
}

/// The files of the named artefacts only (the manifest and the names
/// record come with every call).
pub fn emit_only(
    api: &Api,
    config: &Config,
    source: &Source<'_>,
    artefacts: &[Artefact],
) -> Result<BTreeMap<String, String>, Error> {
    let ctx = Context { api, config, spec_path: source.display_path, spec_sha256: sha256_hex(source.bytes) };
    let mut jobs = vec![Job::Lib, Job::ApisMod, Job::ModelsMod, Job::MocksMod];
    if api.tags.iter().flat_map(|t| &t.operations).any(|o| o.paging.is_some()) {
        jobs.push(Job::Pages);
    }
    jobs.extend(api.tags.iter().map(Job::Tag));
    jobs.extend(api.tags.iter().map(Job::MocksTag));
    jobs.extend(models::groups(api).into_iter().map(|(g, m)| Job::Group(g, m)));
    jobs.retain(|j| artefacts.contains(&j.artefact()));
    // Largest first, so that the last job to start is a small one.
    jobs.sort_by_key(|j| std::cmp::Reverse(weight(j)));

    let results = crate::parallel::map(&jobs, |job| {
        let path = job.path();
        let text = job.text(&ctx, &path);
        (path, text)
    })
    .ok_or_else(|| Error::internal("an emitting thread panicked"))?;

    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), manifest::cargo_toml(&ctx));
    files.insert("README.md".to_owned(), crate_root::readme(&ctx));
    let names = serde_json::to_string_pretty(&api.schema_names)
        .map_err(|e| Error::internal(format!("cannot write the names record: {e}")))?;
    files.insert(crate::previous::NAMES_FILE.to_owned(), names + "\n");
    files.insert("rustfmt.toml".to_owned(), RUSTFMT_TOML.to_owned());
    for (path, text) in results {
        files.insert(path, text?);
    }
    Ok(files)
}

/// The minimum Rust version of every generated crate, the same as the
/// workspace's (`rust-version` in the root `Cargo.toml`; a test holds them
/// together). Clippy's `incompatible_msrv` checks the code against it.
pub const RUST_VERSION: &str = "1.89";

/// Every generated crate's `rustfmt.toml`: its layout is the generator's
/// (prettyplease's), compared byte for byte by the drift check, so
/// `cargo fmt` leaves it alone.
pub const RUSTFMT_TOML: &str = "# @generated: laid out by the generator (prettyplease), not by rustfmt;\n\
# the drift check compares it byte for byte.\n\
disable_all_formatting = true\n";

/// Rough size of a job, for scheduling.
fn weight(job: &Job<'_>) -> usize {
    match job {
        Job::Tag(t) => t.operations.len() * 4,
        Job::MocksTag(t) => t.operations.len() * 2,
        Job::Group(_, m) => m.len(),
        _ => 8,
    }
}

/// The comment every generated file starts with. Only `Cargo.toml` and
/// `src/lib.rs` name the document and its SHA-256: were every file to carry
/// them, every spec update would touch every file, and the diff of a new
/// endpoint would no longer be local.
pub(crate) fn header_lines(ctx: &Context<'_>, names_source: bool) -> Vec<String> {
    let mut lines = vec![format!("{}: do not edit by hand.", crate::write::GENERATED)];
    if names_source {
        lines.push(format!("Source: {} (sha256 {}).", ctx.spec_path, ctx.spec_sha256));
    } else {
        lines.push("Source: the document named in Cargo.toml, [package.metadata.openapi].".to_owned());
    }
    lines.push("Change the generator or the document instead, and regenerate.".to_owned());
    lines
}

/// Items built as tokens (those of `path`), printed as in any other file.
pub(crate) fn print_items(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error::internal(format!("generated {path} does not parse: {e}")))?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// A file written as text (or copied from a template), under the header.
fn verbatim(ctx: &Context<'_>, text: &str) -> String {
    header(ctx, false) + text
}

fn header(ctx: &Context<'_>, names_source: bool) -> String {
    let mut out = String::new();
    for line in header_lines(ctx, names_source) {
        out.push_str("// ");
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Puts a blank line between an item that ends and the next one that starts,
/// which `prettyplease` does not do, so that files read (and diff) like
/// hand-written ones.
fn space_items(code: &str) -> String {
    const STARTS: [&str; 13] =
        ["///", "#[", "#![", "pub ", "pub(", "impl", "fn ", "mod ", "const ", "type ", "struct ", "enum ", "crate::"];
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev_closed = false;
    let mut prev_mod = false;
    for line in code.lines() {
        let t = line.trim_start();
        let import = t.starts_with("pub use ") || t.starts_with("use ");
        // A run of `mod x;` declarations stays together.
        let mod_decl = (t.starts_with("mod ") || t.starts_with("pub mod ")) && t.ends_with(';');
        if prev_closed && !import && !(prev_mod && mod_decl) && STARTS.iter().any(|s| t.starts_with(s)) {
            out.push('\n');
        }
        prev_mod = mod_decl;
        let code = !t.starts_with("//");
        let top_level = !line.starts_with(' ');
        prev_closed = code && (t == "}" || t == "};" || t.ends_with("{}") || (top_level && t.ends_with(';')));
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// An identifier token.
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn generated_crates_state_the_workspaces_minimum_rust_version() {
        let workspace = include_str!("../../../Cargo.toml");
        let line = format!("rust-version = \"{}\"", super::RUST_VERSION);
        assert!(workspace.lines().any(|l| l == line), "the workspace's rust-version is not {}", super::RUST_VERSION);
    }

    #[test]
    fn blank_lines_separate_items_but_not_doc_comments() {
        let code =
            "/// a;\n/// b\npub struct A {}\n/// c\npub struct B {\n    x: u8,\n}\nimpl B {}\nm!(B);\npub use x::*;\n";
        assert_eq!(
            space_items(code),
            "/// a;\n/// b\npub struct A {}\n\n/// c\npub struct B {\n    x: u8,\n}\n\nimpl B {}\nm!(B);\npub use x::*;\n"
        );
    }
}
