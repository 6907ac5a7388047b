//! Generates a typed Rust client crate from a Swagger 2.0 or OpenAPI 3.0
//! document.
//!
//! The pipeline has four stages, each in its own module and testable alone:
//!
//! 1. [`load`]: read JSON or YAML, detect the version, and upconvert Swagger
//!    2.0 into the [`openapiv3`] model, so that everything downstream sees one
//!    input model.
//! 2. [`ir`]: resolve references, name every type and operation once, and
//!    group operations by tag. Pure data, no tokens.
//! 3. [`emit`]: turn the model into Rust tokens with `quote!`, and print them
//!    with `prettyplease`.
//! 4. [`write`](mod@write): compare the files, which [`generate`] returns in memory, with
//!    an output folder; print a diff (check mode) or write what changed.

#![warn(missing_docs)]

pub mod config;
pub mod conformance;
pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod parallel;
pub mod previous;
pub mod provenance;
pub mod write;

use std::collections::BTreeMap;

pub use config::Config;
pub use error::{Error, Warning};
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

/// Where the document came from, for the generated files' headers.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The path shown in headers (keep it relative, so output does not depend
    /// on where the repository is checked out).
    pub display_path: &'a str,
    /// The document's bytes.
    pub bytes: &'a [u8],
}

/// Runs the whole pipeline for a first generation: load, model, emit.
pub fn generate(source: &Source<'_>, config: &Config) -> Result<Output, Error> {
    generate_with(source, config, &Previous::default())
}

/// Loads and models a document, without emitting anything.
pub fn model(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<(ir::Api, Vec<Warning>), Error> {
    let loaded = load::load(source.bytes).map_err(|e| e.in_file(source.display_path))?;
    let mut warnings = loaded.warnings;
    let api = ir::build(&loaded.document, loaded.version, config, &previous.names, &mut warnings)
        .map_err(|e| e.in_file(source.display_path))?;
    Ok((api, warnings))
}

/// Runs the whole pipeline, keeping the type names and version that the
/// previous output recorded.
pub fn generate_with(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<Output, Error> {
    let (api, mut warnings) = model(source, config, previous)?;
    let mut config = config.clone();
    if let Some(v) = &previous.version {
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
    Ok(Output { files, warnings, stats, title: api.title.clone() })
}

/// Lower-case hex SHA-256 of `bytes`, as recorded in generated crates.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    emit::hex(&sha2::Sha256::digest(bytes))
}
