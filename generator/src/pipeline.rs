//! The pipeline, stage after stage: a document loaded, modelled and
//! emitted into files in memory. The workflow drives it for a module or the
//! family; tests and the command `drun-generate` call it directly.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::error::{Error, Warning};
use crate::load::Source;
use crate::previous::Previous;
use crate::{emit, ir, load};

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
