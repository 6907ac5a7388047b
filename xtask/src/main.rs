//! Repository tasks.
//!
//! - `cargo xtask generate`: regenerate `generated-client/` from the vendored
//!   document, as configured in `specs/drun-client.yaml`.
//! - `cargo xtask generate --check`: write nothing; fail with a unified diff
//!   if the committed crate is not what the generator produces now.
//! - `cargo xtask generate --spec X --out DIR [--crate-name NAME]`: generate
//!   a client for any other document.
//! - `cargo xtask test`: every check and test the project has (what CI runs).
//! - `cargo xtask bench`, `cargo xtask compile-times`: the README's figures.

mod bench;
mod fixtures;
mod prism;
mod test;



use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use drun_generator::{Config, Source};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Repository tasks for the d.run client")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from an API document.
    Generate(GenerateArgs),
    /// Print, as Markdown, how the generated API changes from one document
    /// to another, and the version bump that needs.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Generator configuration (default: specs/drun-client.yaml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run every check and test: drift, clippy, rustdoc, test suites,
    /// conformance against Prism.
    Test,
    /// Run the criterion benchmarks and print medians and ratios.
    Bench,
    /// Print a document as the OpenAPI 3.0 JSON the generator works from
    /// (a Swagger 2.0 document upconverted), e.g. to feed other tools.
    Openapi3 {
        /// The API document (Swagger 2.0 or OpenAPI 3.0, JSON or YAML).
        spec: PathBuf,
    },
    /// Measure clean build and check times of the generated crate alone.
    CompileTimes {
        /// How many clean builds to take the median of.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// Write nothing; exit non-zero with a diff if the crate is out of date.
    #[arg(long)]
    check: bool,
    /// Generator configuration (YAML). Default: specs/drun-client.yaml,
    /// unless --spec is given.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The API document (Swagger 2.0 or OpenAPI 3.0, JSON or YAML).
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// The folder to write the crate into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Cargo package name of the generated crate.
    #[arg(long)]
    crate_name: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(args),
        Command::Test => test::run(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Diff { old, new, config } => diff(&old, &new, config.as_deref()).map(|()| ExitCode::SUCCESS),
        Command::Bench => bench::bench(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Openapi3 { spec } => openapi3(&spec).map(|()| ExitCode::SUCCESS),
        Command::CompileTimes { runs } => bench::compile_times(&repo_root(), runs.max(1)).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (this crate's parent folder).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `path` relative to the repository root, if it is inside: what generated
/// headers and messages show, so output is the same on every machine.
fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    let rel = abs.strip_prefix(&root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn generate(args: GenerateArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    let root = repo_root();
    let (mut config, config_dir) = match (&args.config, &args.spec) {
        (Some(path), _) => (read_config(path)?, path.parent().map(Path::to_path_buf).unwrap_or_default()),
        (None, Some(_)) => (Config::default(), PathBuf::from(".")),
        (None, None) => {
            let path = root.join("specs/drun-client.yaml");
            (read_config(&path)?, root.join("specs"))
        }
    };
    if let Some(name) = args.crate_name {
        config.crate_name = name;
    }
    let spec = match (&args.spec, &config.spec) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => config_dir.join(p),
        (None, None) => return Err("no document: pass --spec or set `spec` in the configuration".to_owned()),
    };
    let out = match (&args.out, &config.out) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => config_dir.join(p),
        (None, None) => return Err("no output folder: pass --out or set `out` in the configuration".to_owned()),
    };

    let bytes = std::fs::read(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    // A document outside the repository is named by its file name alone.
    let shown = relative_to(&spec, &root)
        .or_else(|| spec.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let source = Source { display_path: &shown, bytes: &bytes };
    let mut previous = drun_generator::Previous::read(&out);
    let sha = drun_generator::sha256_hex(&bytes);
    let mut api_report = None;
    // The check compares with what is committed: it never reports or bumps.
    if !args.check && previous.spec_sha256.as_deref().is_some_and(|old| old != sha) {
        // The document changed: report how, and bump the crate version.
        match old_document(&root, &previous) {
            Some(old_bytes) => {
                let old_source = Source { display_path: previous.spec_path.as_deref().unwrap_or("old"), bytes: &old_bytes };
                let (old_api, _) = drun_generator::model(&old_source, &config, &previous).map_err(|e| e.to_string())?;
                let (new_api, _) = drun_generator::model(&source, &config, &previous).map_err(|e| e.to_string())?;
                let report = drun_generator::diff::compare(&old_api, &new_api);
                let old_version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
                previous.version = Some(drun_generator::diff::bump_version(&old_version, report.bump()));
                api_report = Some((report, old_version));
            }
            None => eprintln!(
                "warning: the document the crate was generated from ({}) is not in the work tree or HEAD; version left as is",
                previous.spec_path.as_deref().unwrap_or("unknown")
            ),
        }
    }
    let output = drun_generator::generate_with(&source, &config, &previous).map_err(|e| e.to_string())?;
    for w in &output.warnings {
        eprintln!("warning: {w}");
    }

    let plan = drun_generator::write::plan(&out, &output.files)?;
    let out_shown = relative_to(&out, &root).unwrap_or_else(|| out.display().to_string());
    let s = output.stats;
    let what = format!("{} tags, {} operations, {} models", s.tags, s.operations, s.models);
    if args.check {
        if plan.is_clean() {
            println!(
                "{out_shown} is up to date with {shown} ({what}, {} files) [{} ms]",
                plan.unchanged,
                started.elapsed().as_millis()
            );
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", plan.diff(Path::new(&out_shown)));
        eprintln!(
            "error: {out_shown} is out of date with {shown}: {} to write, {} stray; run `cargo xtask generate`",
            plan.writes.len(),
            plan.strays.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = plan.apply(&out)?;
    if let Some((api, old_version)) = &api_report {
        println!("{}", api.summary());
        println!(
            "{} {old_version} -> {} (run `cargo xtask diff OLD NEW` for the full report)",
            config.crate_name,
            previous.version.as_deref().unwrap_or(old_version)
        );
    }
    println!(
        "generated {} from {shown}: {what}; {} files written, {} unchanged, {} removed [{} ms]",
        config.crate_name,
        report.written,
        plan.unchanged,
        report.removed,
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

/// The bytes of the document the previous output was generated from: the
/// recorded path in the work tree, or else in git's HEAD, if its SHA-256
/// matches the recorded one.
fn old_document(root: &Path, previous: &drun_generator::Previous) -> Option<Vec<u8>> {
    let path = previous.spec_path.as_deref()?;
    let wanted = previous.spec_sha256.as_deref()?;
    let matches = |b: &Vec<u8>| drun_generator::sha256_hex(b) == wanted;
    if let Some(bytes) = std::fs::read(root.join(path)).ok().filter(matches) {
        return Some(bytes);
    }
    let out = std::process::Command::new("git").args(["show", &format!("HEAD:{path}")]).current_dir(root).output().ok()?;
    Some(out.stdout).filter(|b| out.status.success() && matches(b))
}

fn diff(old: &Path, new: &Path, config: Option<&Path>) -> Result<(), String> {
    let root = repo_root();
    let config_path = config.map(Path::to_path_buf).unwrap_or_else(|| root.join("specs/drun-client.yaml"));
    let config = read_config(&config_path)?;
    // Keep the committed crate's type names, as `generate` would.
    let previous = match config.out.as_ref() {
        Some(out) => drun_generator::Previous::read(&config_path.parent().unwrap_or(&root).join(out)),
        None => drun_generator::Previous::default(),
    };
    let model = |path: &Path| -> Result<drun_generator::ir::Api, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let shown = path.display().to_string();
        let (api, _) = drun_generator::model(&Source { display_path: &shown, bytes: &bytes }, &config, &previous)
            .map_err(|e| e.to_string())?;
        Ok(api)
    };
    let report = drun_generator::diff::compare(&model(old)?, &model(new)?);
    let version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
    print!("{}", report.markdown(&config.crate_name, &version));
    Ok(())
}

/// The vendored document named by `specs/drun-client.yaml`.
fn openapi3(spec: &Path) -> Result<(), String> {
    let bytes = std::fs::read(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let loaded = drun_generator::load::load(&bytes).map_err(|e| e.in_file(&spec.display().to_string()).to_string())?;
    let json = serde_json::to_string_pretty(&loaded.document).map_err(|e| format!("cannot write JSON: {e}"))?;
    println!("{json}");
    Ok(())
}

fn vendored_spec(root: &Path) -> Result<PathBuf, String> {
    let config = read_config(&root.join("specs/drun-client.yaml"))?;
    let spec = config.spec.ok_or("specs/drun-client.yaml does not name a `spec`")?;
    Ok(root.join("specs").join(spec))
}

fn read_config(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Config::from_yaml(&text).map_err(|e| format!("{}: {}", path.display(), e.message))
}
