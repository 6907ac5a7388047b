//! Generates a typed Rust client crate from a Swagger 2.0, `OpenAPI` 3.0 or
//! `OpenAPI` 3.1 document.
//!
//! The pipeline has four stages, each in its own module and testable alone;
//! data flows one way (load -> IR -> emit -> write), and the change report
//! reads the IR and nothing in the IR reads it:
//!
//! 1. [`load`]: read JSON or YAML, detect the version, bring 3.1 down to the
//!    3.0 shape (`load/openapi31.rs`) and upconvert Swagger 2.0
//!    (`load/swagger2.rs`) into the [`openapiv3`] model.
//! 2. [`ir`]: resolve references, name every type and operation once, and
//!    group operations by tag. Pure data, no tokens: `ir/mod.rs` (the IR
//!    types; `Type::display_name` names a type for people, while
//!    `emit/types.rs` alone spells it in emitted code), `ir/models.rs`
//!    (schemas to models), `ir/operations.rs` (operations and parameters),
//!    `ir/naming.rs` (every Rust name, setters included),
//!    `ir/schema_names.rs`, `ir/pagination.rs`, `ir/secrets.rs`.
//! 3. [`emit`]: Rust source from the IR, by one rule: files of regular shape
//!    and most of the bulk (`emit/models.rs`: models) are written as text in
//!    `prettyplease`'s layout (`emit/layout.rs`; a test prints them again
//!    and compares); irregular code (`emit/apis.rs`, `oneOf` enums, the
//!    crate root in `emit/runtime.rs`) is built as tokens with `quote!` and
//!    printed by `prettyplease`; TOML and Markdown (`emit/manifest.rs`,
//!    `emit/umbrella.rs`) are text. The runtime every crate uses is not
//!    generated: it is the `drun-runtime` crate, ordinary Rust source.
//! 4. [`write`](mod@write): compare the files, which [`generate`] returns in
//!    memory, with an output folder; print a diff (check mode) or write what
//!    changed, each file atomically.
//!
//! Beside them: [`config`] (what the document does not say), [`previous`]
//! (names and version the last output recorded), [`provenance`] (where each
//! vendored document came from), [`diff`] (the change report), [`parallel`]
//! (work spread over the cores), [`family`] (a family's modules, loaded
//! from disk), [`workflow`] (what `cargo xtask generate`, `diff` and
//! `report` do with them: generate or check, provenance, the umbrella
//! crate, change reports), [`error`] (errors with an [`ErrorKind`] a
//! caller can act on, located by file and JSON pointer; warnings for what is
//! served loosely).

#![warn(missing_docs)]

pub mod config;
/// Test support: the conformance suite's calls and the fuzz targets'
/// decoders, generated from a document. Not part of the generator's API;
/// behind the `test-support` feature.
#[cfg(feature = "test-support")]
pub mod conformance;
pub mod diff;
pub mod emit;
pub mod error;
pub mod family;
pub mod ir;
pub mod load;
pub mod parallel;
pub mod previous;
pub mod provenance;
pub mod workflow;
pub mod write;

use std::collections::BTreeMap;

pub use config::Config;
pub use error::{Error, ErrorKind, Warning};
pub use load::Source;
pub use previous::Previous;

/// Everything one generation run produced, still in memory.
#[derive(Debug)]
pub struct Output {
    /// File contents keyed by their path relative to the crate root, with `/`
    /// separators. A `BTreeMap` so that iteration order is deterministic.
    pub files: BTreeMap<String, String>,
    /// Constructs that were served loosely (e.g. as `serde_json::Value`).
    pub warnings: Vec<Warning>,
    /// Counts for the summary line.
    pub stats: Stats,
    /// The document's `info.title`.
    pub title: String,
    /// The model the files were emitted from, for the family's other
    /// outputs (the command line's table).
    pub api: ir::Api,
}

/// Counts of what was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Tag modules.
    pub tags: usize,
    /// Operation methods.
    pub operations: usize,
    /// Model types (structs, enums and aliases).
    pub models: usize,
}

/// Runs the whole pipeline for a first generation: load, model, emit.
pub fn generate(source: &Source<'_>, config: &Config) -> Result<Output, Error> {
    generate_with(source, config, &Previous::default())
}

/// Loads and models a document, without emitting anything.
pub fn model(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<(ir::Api, Vec<Warning>), Error> {
    let loaded = load::load(source.bytes).map_err(|e| e.in_file(source.display_path))?;
    let mut warnings = loaded.warnings;
    let api = ir::build(&loaded.document, loaded.version, config, &previous.names, emit::KEPT_NAMES, &mut warnings)
        .map_err(|e| e.in_file(source.display_path))?;
    Ok((api, warnings))
}

/// Runs the whole pipeline, keeping the type names and version that the
/// previous output recorded.
pub fn generate_with(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<Output, Error> {
    let (api, mut warnings) = model(source, config, previous)?;
    let mut config = config.clone();
    // The recorded version (bumped by each update's report) wins, unless
    // the configuration asks for a higher one: a release by hand (1.0.0).
    if let Some(v) = previous.version.as_ref().filter(|v| version_key(v) > version_key(&config.crate_version)) {
        config.crate_version = v.clone();
    }
    let config = &config;
    let stats = Stats {
        tags: api.tags.len(),
        operations: api.tags.iter().map(|t| t.operations.len()).sum(),
        models: api.models.len(),
    };
    let files = emit::emit(&api, config, source).map_err(|e| e.in_file(source.display_path))?;
    for w in &mut warnings {
        w.file = Some(source.display_path.to_owned());
    }
    let title = api.title.clone();
    Ok(Output { files, warnings, stats, title, api })
}

/// A version's numeric parts, for ordering (`0.10.0` > `0.9.3`); what does
/// not parse counts as zero.
fn version_key(version: &str) -> Vec<u64> {
    version.split(['.', '-', '+']).take(3).map(|part| part.parse().unwrap_or(0)).collect()
}

/// Lower-case hex SHA-256 of `bytes`, as recorded in generated crates.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    emit::hex(&sha2::Sha256::digest(bytes))
}
