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
//!    crate root in `emit/crate_root.rs`) is built as tokens with `quote!` and
//!    printed by `prettyplease`; TOML and Markdown (`emit/manifest.rs`,
//!    `emit/umbrella.rs`) are text. The runtime every crate uses is not
//!    generated: it is the `drun-runtime` crate, ordinary Rust source.
//! 4. [`write`](mod@write): compare the files, which [`generate`] returns in
//!    memory, with an output folder; print a diff (check mode) or write what
//!    changed, each file atomically.
//!
//! [`pipeline`] runs the first three in a row. Above it, [`workflow`] is
//! what `cargo xtask generate`, `diff` and `report` do: generate or check a
//! module or the whole family, provenance, the umbrella crate, change
//! reports. Beside them: [`config`] (what the document does not say, and
//! the family's configuration), [`previous`] (names and version the last
//! output recorded), [`provenance`] (where each vendored document came
//! from), [`digest`] (the documents' SHA-256), [`compare`] (the API
//! comparison behind a change report), [`parallel`] (work spread over the
//! cores), [`vendored`] (a family's modules as they lie on disk),
//! [`error`] (errors with an [`ErrorKind`] a caller can act on, located by
//! file and JSON pointer; warnings for what is served loosely).
//!
//! This file only declares and re-exports: every module names an item by
//! the module that defines it, so no import runs back up to the root
//! (`xtask/src/tidy.rs` holds the layers).

#![warn(missing_docs)]

pub mod compare;
pub mod config;
/// Test support: the conformance suite's calls and the fuzz targets'
/// decoders, generated from a document. Not part of the generator's API;
/// behind the `test-support` feature.
#[cfg(feature = "test-support")]
pub mod conformance;
pub mod digest;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod parallel;
pub mod pipeline;
pub mod previous;
pub mod provenance;
pub mod vendored;
pub mod workflow;
pub mod write;

pub use config::Config;
pub use digest::sha256_hex;
pub use error::{Error, ErrorKind, Warning};
pub use load::Source;
pub use pipeline::{Output, Stats, generate, generate_with, model};
pub use previous::Previous;
