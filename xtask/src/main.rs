//! Repository tasks.
//!
//! - `cargo xtask generate`: regenerate `generated-client/` from the vendored
//!   documents, as configured in `specs/drun.yaml` (every module of the family).
//! - `cargo xtask generate --check`: write nothing; fail with a unified diff
//!   if the committed crate is not what the generator produces now.
//! - `cargo xtask generate --spec X --out DIR [--crate-name NAME]`: generate
//!   a client for any other document.
//! - `cargo xtask test`: every check and test the project has (what CI runs).
//! - `cargo xtask semver [OLD NEW]`: the change report against
//!   cargo-semver-checks.
//! - `cargo xtask conformance [--module M]`: the Prism suite alone.
//! - `cargo xtask bench`, `cargo xtask compile-times`: the README's figures.

mod bench;
mod cli_conformance;
mod compile_times;
mod first_build;
mod fixtures;
mod prism;
mod semver;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Parser, Subcommand};
use drun_generator::Config;
use drun_generator::config::Family;
use drun_generator::workflow::{self, Mode, Repository};

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
    },
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// Write nothing; exit non-zero with a diff if the crate is out of date.
    #[arg(long)]
    check: bool,
    /// Generator configuration (YAML): a family (default: specs/drun.yaml)
    /// or, with --spec, one crate's.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The API document (Swagger 2.0 or `OpenAPI` 3.0/3.1, JSON or YAML).
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
        Command::Generate(args) => generate(&args),
        Command::Test => test::run(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Conformance { modules } => {
            test::conformance(&repo_root(), &modules, &mut test::Counts::default()).map(|()| ExitCode::SUCCESS)
        }
        Command::Report { base, output } => report(&base, output.as_deref()).map(|()| ExitCode::SUCCESS),
        Command::Diff { old, new, module, output } => {
            diff(&old, &new, module.as_deref(), output.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Semver { old, new, module, all } => match (old, new) {
            (Some(old), Some(new)) => semver::pair(&repo_root(), &old, &new, module.as_deref()),
            (Some(_), None) => Err(anyhow!("pass both OLD and NEW")),
            _ => semver::table(&repo_root(), if all { semver::Pairs::All } else { semver::Pairs::Synthetic }),
        }
        .map(|()| ExitCode::SUCCESS),
        Command::Bench => bench::bench(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Openapi3 { spec } => openapi3(&spec).map(|()| ExitCode::SUCCESS),
        Command::CompileTimes { runs, tls: true, .. } => first_build::run(&repo_root(), runs.max(1)).map(|table| {
            print!("{table}");
            ExitCode::SUCCESS
        }),
        Command::CompileTimes { runs, mocks: true, .. } => {
            compile_times::features(&repo_root(), runs.max(1)).map(|()| ExitCode::SUCCESS)
        }
        Command::CompileTimes { runs, family, tls: false, mocks: false } => {
            compile_times::run(&repo_root(), runs.max(1), family).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // `{:#}`: the error with its context, outermost first.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Gives a workspace of its own under `target/` (fixture clients, semver
/// crates, the compile-time application) this repository's lock file, so
/// that it builds against the same dependency versions, offline.
pub(crate) fn share_lock(root: &Path, dir: &Path) -> Result<()> {
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .with_context(|| format!("cannot copy Cargo.lock into {}", dir.display()))?;
    Ok(())
}

/// The repository root (this crate's parent folder), read when the program
/// runs: `cargo run` (so `cargo xtask`) sets `CARGO_MANIFEST_DIR` to the
/// checkout it was started in. The value compiled in is only a fallback:
/// two checkouts sharing one `CARGO_TARGET_DIR` share the xtask binary,
/// and the compiled-in folder would be the other checkout's.
fn repo_root() -> PathBuf {
    root_of(std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
}

fn root_of(manifest_dir: Option<PathBuf>) -> PathBuf {
    let manifest_dir = manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The family configuration: every d.run module.
pub(crate) const FAMILY: &str = "specs/drun.yaml";

/// A file's bytes at a git revision, by its path relative to the root.
fn git_show(root: &Path, revision: &str, path: &str) -> Option<Vec<u8>> {
    let out = std::process::Command::new("git")
        .args(["show", &format!("{revision}:{path}")])
        .current_dir(root)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

fn generate(args: &GenerateArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = repo_root();
    let committed = |path: &str| git_show(&root, "HEAD", path);
    let repo = Repository { root: &root, committed: &committed };
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let family_path = args.config.clone().unwrap_or_else(|| root.join(FAMILY));
    if args.spec.is_some() || !is_family(&family_path) {
        let run = workflow::generate_module(&repo, single_module(&root, args)?, mode)?;
        print_module(&run);
        println!("[{} ms]", started.elapsed().as_millis());
        return Ok(exit_code(run.is_clean()));
    }
    let run = workflow::generate_family(&repo, &family_path, mode)?;
    run.provenance.iter().for_each(print_step);
    run.modules.iter().for_each(print_module);
    run.cli_table.iter().chain([&run.umbrella]).for_each(print_step);
    let mut clean = run.is_clean();
    let default_family = family_path == root.join(FAMILY);
    if default_family {
        // The fixture documents' clients, committed beside the family's.
        clean &= fixtures::generate(&root, mode)?;
    }
    let reports = run.markdown();
    if !reports.is_empty() {
        if default_family {
            record_versions(&root)?;
        }
        // For a pull request comment: what changed for users, module by module.
        std::fs::create_dir_all(root.join("target")).context("cannot create target/")?;
        std::fs::write(root.join("target/api-changes.md"), &reports).context("cannot write target/api-changes.md")?;
        println!("change report written to target/api-changes.md");
    }
    let verb = if args.check { "checked" } else { "generated" };
    let state = if clean { "" } else { ": OUT OF DATE; run `cargo xtask generate`" };
    let (modules, operations) = (run.modules.len(), run.operations());
    println!("{verb} {modules} modules, {operations} operations{state} [{} ms]", started.elapsed().as_millis());
    Ok(exit_code(clean))
}

/// A bumped crate version is recorded in the lock file too; without this,
/// every `--locked` build would refuse the tree.
fn record_versions(root: &Path) -> Result<()> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["update", "--workspace", "--offline", "--quiet"])
        .current_dir(root)
        .status()
        .context("cannot run cargo update")?;
    if !status.success() {
        bail!("cargo update --workspace --offline failed: Cargo.lock is not up to date");
    }
    println!("Cargo.lock: the new crate versions recorded");
    Ok(())
}

fn print_module(run: &workflow::ModuleRun) {
    print!("{}", run.summary());
    run.problems().iter().for_each(|line| eprintln!("{line}"));
}

fn print_step(step: &workflow::Step) {
    print!("{}", step.summary());
    step.problem().iter().for_each(|line| eprintln!("{line}"));
}

fn exit_code(clean: bool) -> ExitCode {
    if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Whether a configuration file describes a family (it has `modules`).
fn is_family(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| drun_generator::config::is_family_yaml(&t))
}

/// The module of a single document (`--spec`, or a configuration that is
/// no family), shown relative to the repository when it is inside.
fn single_module(root: &Path, args: &GenerateArgs) -> Result<drun_generator::family::Module> {
    let (mut config, config_dir) = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let config = Config::from_yaml(&text).map_err(|e| e.in_file(&path.display().to_string()))?;
            (config, path.parent().map(Path::to_path_buf).unwrap_or_default())
        }
        None => (Config::default(), PathBuf::from(".")),
    };
    if let Some(name) = &args.crate_name {
        config.crate_name.clone_from(name);
    }
    let spec = (args.spec.clone())
        .or_else(|| config.spec_path(&config_dir))
        .context("no document: pass --spec or set `spec` in the configuration")?;
    let out = (args.out.clone())
        .or_else(|| config.out_path(&config_dir))
        .context("no output folder: pass --out or set `out` in the configuration")?;
    if config.runtime_path.is_none() {
        config.runtime_path = Some(workflow::relative_path(&out, &root.join("runtime")));
    }
    let bytes = std::fs::read(&spec).with_context(|| format!("cannot read {}", spec.display()))?;
    // A document outside the repository is named by its file name alone.
    let display_path = Repository::without_history(root)
        .relative(&spec)
        .or_else(|| spec.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let previous = drun_generator::Previous::read(&out);
    Ok(drun_generator::family::Module { config, display_path, bytes, out, previous })
}

fn diff(old: &Path, new: &Path, module: Option<&str>, output: Option<&Path>) -> Result<()> {
    let family_path = repo_root().join(FAMILY);
    let family = Family::read(&family_path)?;
    let config = family.module_for(new, module)?.with_context(|| {
        let modules: Vec<&str> = family.modules.keys().map(String::as_str).collect();
        format!("cannot tell which module {} belongs to; pass --module (one of {})", new.display(), modules.join(", "))
    })?;
    let markdown = workflow::compare_documents(&family_path, &config, old, new)?;
    emit_markdown(&markdown, output)
}

/// Compares every module's document with the one the family
/// configuration named at `base`, and reports the modules that changed.
fn report(base: &str, output: Option<&Path>) -> Result<()> {
    let root = repo_root();
    let at_base = |path: &str| git_show(&root, base, path);
    let mut markdown = workflow::changes_since(&Repository::without_history(&root), &root.join(FAMILY), &at_base)?;
    if markdown.is_empty() {
        markdown = format!("No API document changed since `{base}`.\n");
    }
    emit_markdown(&markdown, output)
}

/// Prints a Markdown report, and writes it to `output` as well if given.
fn emit_markdown(markdown: &str, output: Option<&Path>) -> Result<()> {
    print!("{markdown}");
    if let Some(path) = output {
        std::fs::write(path, markdown).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// A document as the `OpenAPI` 3.0 JSON the generator works from.
fn openapi3(spec: &Path) -> Result<()> {
    let bytes = std::fs::read(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let loaded = drun_generator::load::load(&bytes).map_err(|e| e.in_file(&spec.display().to_string()))?;
    let json = serde_json::to_string_pretty(&loaded.document).context("cannot write JSON")?;
    println!("{json}");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_repository_root_is_the_checkout_cargo_runs_in_not_the_one_compiled_in() {
        let other = std::path::PathBuf::from("/elsewhere/checkout/xtask");
        assert_eq!(super::root_of(Some(other)), std::path::Path::new("/elsewhere/checkout"));
        let compiled_in = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(super::root_of(None), compiled_in);
    }
}
