//! The command line of `cargo xtask`: its subcommands and their arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Repository tasks for the d.run client")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Generate a client crate from an API document.
    Generate(GenerateArgs),
    /// Print, as Markdown, how the generated API changes from one document
    /// to another, and the version bump that needs.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// The module (default: the one whose document NEW's file name is a
        /// version of, `kpanda-v0.50.0.json` -> `kpanda`).
        #[arg(long)]
        module: Option<String>,
        /// Write the Markdown report to this file as well (a CI job can
        /// post it as a pull-request comment).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Run every check and test: drift, clippy, rustdoc, test suites,
    /// conformance against Prism.
    Test,
    /// Only the conformance suite against Prism (installed and started
    /// here), for the named modules or all of them.
    Conformance {
        /// The modules to check (default: every module).
        #[arg(long = "module")]
        modules: Vec<String>,
    },
    /// The change report of every module whose document differs from the
    /// one at a git revision (a pull request's base), as Markdown.
    Report {
        /// The revision to compare with.
        #[arg(long)]
        base: String,
        /// Write the report to this file as well.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Hold the change report's verdict (breaking or not) against
    /// cargo-semver-checks' on the crates generated from OLD and NEW; without
    /// documents, on every synthetic update (`--all`: and the real ghippo
    /// updates), printing the README's table.
    Semver {
        /// The old document.
        old: Option<PathBuf>,
        /// The new document.
        #[arg(requires = "old")]
        new: Option<PathBuf>,
        /// The module the documents belong to (default: from NEW's file name,
        /// or none: a crate of its own).
        #[arg(long)]
        module: Option<String>,
        /// Without documents: the real ghippo updates too.
        #[arg(long, conflicts_with = "old")]
        all: bool,
    },
    /// Run the criterion benchmarks and print medians and ratios.
    Bench,
    /// Package every publishable crate, check what each archive holds, and
    /// build and test a crate outside the workspace that depends on
    /// `drun-client` by version, resolved to those archives; prints the
    /// archives' sizes.
    Packages,
    /// Which crates a release publishes, in dependency order, which are
    /// skipped (already on the index), and how long crates.io's limits make
    /// it take; `--publish` carries it out.
    ReleasePlan {
        /// The index to ask: crates.io's sparse index, or a folder laid out
        /// the same way (a stand-in, for trying the plan).
        #[arg(long, default_value = "https://index.crates.io")]
        index: String,
        /// Publish, paced, after printing the plan (a rerun resumes).
        #[arg(long)]
        publish: bool,
    },
    /// Print a document as the `OpenAPI` 3.0 JSON the generator works from
    /// (a Swagger 2.0 document upconverted), e.g. to feed other tools.
    Openapi3 {
        /// The API document (Swagger 2.0 or `OpenAPI` 3.0/3.1, JSON or YAML).
        spec: PathBuf,
    },
    /// Measure clean build and check times of the ghippo crate alone, or
    /// (`--family`) of every module's crate, the whole family and an
    /// application calling every ghippo operation as well.
    CompileTimes {
        /// How many clean builds to take the median of.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Every module's crate, the whole family and the application too.
        #[arg(long)]
        family: bool,
        /// Instead: a new user's first build for each TLS choice, with
        /// `--timings`.
        #[arg(long, conflicts_with = "family")]
        tls: bool,
        /// Instead: the ghippo crate without and with its `full-serde` and
        /// `mocks` features, side by side.
        #[arg(long, conflicts_with_all = ["family", "tls"])]
        mocks: bool,
        /// Instead: `cargo install --locked --path cli` from a fresh clone
        /// (wall, CPU, peak memory, binary size, start-up), beside the
        /// family's clean release build.
        #[arg(long, conflicts_with_all = ["family", "tls", "mocks"])]
        install: bool,
    },
}

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// Write nothing; exit non-zero with a diff if the crate is out of date.
    #[arg(long)]
    pub check: bool,
    /// Generator configuration (YAML): a family (default: specs/drun.yaml)
    /// or, with --spec, one crate's.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The API document (Swagger 2.0 or `OpenAPI` 3.0/3.1, JSON or YAML).
    #[arg(long, requires = "out")]
    pub spec: Option<PathBuf>,
    /// The folder to write the crate into.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Cargo package name of the generated crate.
    #[arg(long)]
    pub crate_name: Option<String>,
}
