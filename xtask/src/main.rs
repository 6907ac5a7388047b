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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
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
        Command::Generate(args) => generate(args),
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

/// `path` relative to the repository root, if it is inside: what generated
/// headers and messages show, so output is the same on every machine.
fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    let rel = abs.strip_prefix(&root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn generate(args: GenerateArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let root = repo_root();
    if args.spec.is_some() || args.config.as_ref().is_some_and(|c| !is_family(c)) {
        // One document, one crate.
        let (mut config, config_dir) = match &args.config {
            Some(path) => (read_config(path)?, path.parent().map(Path::to_path_buf).unwrap_or_default()),
            None => (Config::default(), PathBuf::from(".")),
        };
        if let Some(name) = &args.crate_name {
            config.crate_name.clone_from(name);
        }
        let module = single_module(&root, config, &config_dir, args.spec.as_deref(), args.out.as_deref())?;
        let outcome = generate_module(&root, module, args.check)?;
        print!("{}", outcome.text);
        eprint!("{}", outcome.errors);
        println!("[{} ms]", started.elapsed().as_millis());
        return Ok(if outcome.clean { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let family_path = args.config.clone().unwrap_or_else(|| root.join(FAMILY));
    let family_dir = family_path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut family = read_family(&family_path)?;
    let provenance_clean = refresh_provenance(&family_dir, &mut family, args.check, &root)?;
    let configs = family.module_configs().map_err(|e| anyhow!("{}: {}", family_path.display(), e.message))?;
    // Modules are independent: generated on every core, reported in order.
    let outcomes = drun_generator::parallel::map(&configs, |config| {
        let module = drun_generator::family::load(&family_dir, config.clone())?;
        generate_module(&root, module, args.check)
    })
    .context("internal error: a generating thread panicked")?;
    let mut clean = provenance_clean;
    let mut members = Vec::new();
    let mut operations = 0;
    let mut reports = String::new();
    let mut cli_files = std::collections::BTreeMap::new();
    let mut cli_modules = Vec::new();
    for outcome in outcomes {
        let outcome = outcome?;
        if let Some(report) = &outcome.report {
            reports.push_str(report);
            reports.push('\n');
        }
        print!("{}", outcome.text);
        eprint!("{}", outcome.errors);
        clean &= outcome.clean;
        operations += outcome.operations;
        let file = outcome.member.module.replace('-', "_");
        cli_files.insert(format!("{file}.rs"), outcome.cli_table);
        cli_modules.push(drun_generator::emit::cli::CliModule { module: outcome.member.module.clone(), file });
        members.push(outcome.member);
    }
    if let Some(dir) = &family.cli_table {
        cli_files.insert("mod.rs".to_owned(), drun_generator::emit::cli::index(&cli_modules)?);
        clean &= write_or_check(&family_dir.join(dir), &cli_files, args.check, &root, "the command line's table")?;
    }
    let umbrella_out = family_dir.join(&family.umbrella.out);
    let runtime = relative_path(&umbrella_out, &family_dir.join(&family.runtime));
    let guide = match &family.umbrella.readme {
        Some(path) => {
            let path = family_dir.join(path);
            Some(std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?)
        }
        None => None,
    };
    let files = drun_generator::emit::umbrella::files(&family.umbrella, &runtime, &members, guide.as_deref());
    clean &= write_or_check(&umbrella_out, &files, args.check, &root, "the umbrella crate")?;
    let default_family = family_path == root.join(FAMILY);
    if default_family {
        // The fixture documents' clients, committed beside the family's.
        clean &= fixtures::generate(&root, args.check)?;
    }
    if !reports.is_empty() && !args.check && default_family {
        // A bumped crate version is recorded in the lock file too; without
        // this, every `--locked` build would refuse the tree.
        let status = std::process::Command::new(env!("CARGO"))
            .args(["update", "--workspace", "--offline", "--quiet"])
            .current_dir(&root)
            .status()
            .context("cannot run cargo update")?;
        if !status.success() {
            bail!("cargo update --workspace --offline failed: Cargo.lock is not up to date");
        }
        println!("Cargo.lock: the new crate versions recorded");
    }
    if !reports.is_empty() {
        // For a pull request comment: what changed for users, module by module.
        let path = root.join("target/api-changes.md");
        let _ = std::fs::create_dir_all(root.join("target"));
        std::fs::write(&path, &reports).with_context(|| format!("cannot write {}", path.display()))?;
        println!("change report written to target/api-changes.md");
    }
    let verb = if args.check { "checked" } else { "generated" };
    println!(
        "{verb} {} modules, {operations} operations{} [{} ms]",
        members.len(),
        if clean { "" } else { ": OUT OF DATE" },
        started.elapsed().as_millis()
    );
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Writes `files` into `out` (only what changed), or in check mode prints
/// how they differ; the answer says whether `out` was up to date.
fn write_or_check(
    out: &Path,
    files: &std::collections::BTreeMap<String, String>,
    check: bool,
    root: &Path,
    what: &str,
) -> Result<bool> {
    let plan = drun_generator::write::plan(out, files)?;
    let shown = relative_to(out, root).unwrap_or_else(|| out.display().to_string());
    if check {
        if !plan.is_clean() {
            print!("{}", plan.diff(Path::new(&shown)));
            eprintln!("error: {shown} ({what}) is out of date; run `cargo xtask generate`");
            return Ok(false);
        }
    } else {
        let report = plan.apply(out)?;
        if report.written + report.removed > 0 {
            println!("{shown}: {what}, {} files written, {} removed", report.written, report.removed);
        }
    }
    Ok(true)
}

/// Finds each module's document in the family's folder by its file name
/// and brings the provenance record up to date with it, so that replacing
/// a document needs no other edit. In check mode nothing is written: the
/// answer says whether the record was up to date.
fn refresh_provenance(
    dir: &Path,
    family: &mut drun_generator::config::Family,
    check: bool,
    root: &Path,
) -> Result<bool> {
    use drun_generator::provenance::Provenance;
    // A family without a record names each module's `spec` itself.
    let Some(recorded) = family.provenance.clone() else { return Ok(true) };
    let mut updated = recorded.clone();
    for (module, own) in &family.modules {
        if own.contains_key("spec") {
            continue;
        }
        let file = Provenance::locate(dir, module)?;
        let path = dir.join(&file);
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        updated.record(module, &file, &bytes);
    }
    family.provenance = Some(updated.clone());
    if updated == recorded {
        return Ok(true);
    }
    let path = dir.join(Provenance::FILE);
    let shown = relative_to(&path, root).unwrap_or_else(|| path.display().to_string());
    let changed: Vec<&str> = updated
        .documents
        .iter()
        .filter(|(module, d)| recorded.documents.get(*module) != Some(d))
        .map(|(module, _)| module.as_str())
        .collect();
    if check {
        let diff = similar::TextDiff::from_lines(recorded.to_json().as_str(), updated.to_json().as_str())
            .unified_diff()
            .context_radius(2)
            .header(&shown, &shown)
            .to_string();
        print!("{diff}");
        eprintln!("error: {shown} is out of date for {}; run `cargo xtask generate`", changed.join(", "));
        return Ok(false);
    }
    drun_generator::write::write_atomic(&path, updated.to_json().as_bytes())?;
    println!("{shown}: recorded the new document of {}", changed.join(", "));
    Ok(true)
}

/// The family configuration: every d.run module.
pub(crate) const FAMILY: &str = "specs/drun.yaml";

/// Whether a configuration file describes a family (it has `modules:`).
fn is_family(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| drun_generator::config::is_family_yaml(&t))
}

/// What generating one module did, as text to print in order.
struct ModuleOutcome {
    /// The Markdown change report, when the module's document changed.
    report: Option<String>,
    text: String,
    errors: String,
    clean: bool,
    operations: usize,
    member: drun_generator::emit::umbrella::Member,
    /// The module's file of the command line's table.
    cli_table: String,
}

/// The module of a single document (`--spec`, or a configuration that is
/// no family), shown relative to the repository when it is inside.
fn single_module(
    root: &Path,
    config: Config,
    config_dir: &Path,
    spec_override: Option<&Path>,
    out_override: Option<&Path>,
) -> Result<drun_generator::family::Module> {
    let spec = spec_override
        .map(Path::to_path_buf)
        .or_else(|| config.spec_path(config_dir))
        .context("no document: pass --spec or set `spec` in the configuration")?;
    let out = out_override
        .map(Path::to_path_buf)
        .or_else(|| config.out_path(config_dir))
        .context("no output folder: pass --out or set `out` in the configuration")?;
    let bytes = std::fs::read(&spec).with_context(|| format!("cannot read {}", spec.display()))?;
    // A document outside the repository is named by its file name alone.
    let display_path = relative_to(&spec, root)
        .or_else(|| spec.file_name().map(|f| f.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let previous = drun_generator::Previous::read(&out);
    Ok(drun_generator::family::Module { config, display_path, bytes, out, previous })
}

/// Generates (or checks) one module's crate.
fn generate_module(root: &Path, module: drun_generator::family::Module, check: bool) -> Result<ModuleOutcome> {
    use std::fmt::Write as _;
    let drun_generator::family::Module { mut config, display_path: shown, bytes, out, mut previous } = module;
    if config.runtime_path.is_none() {
        config.runtime_path = Some(relative_path(&out, &root.join("runtime")));
    }
    let module = config.module_name();
    let source = Source { display_path: &shown, bytes: &bytes };

    let sha = drun_generator::sha256_hex(&bytes);
    let mut text = String::new();
    let mut errors = String::new();
    let mut api_report = None;
    // The check compares with what is committed: it never reports or bumps.
    if !check && previous.spec_sha256.as_deref().is_some_and(|old| old != sha) {
        // The document changed: report how, and bump the crate version.
        match old_document(root, &previous) {
            Some(old_bytes) => {
                let old_source =
                    Source { display_path: previous.spec_path.as_deref().unwrap_or("old"), bytes: &old_bytes };
                let (old_api, _) = drun_generator::model(&old_source, &config, &previous)?;
                let (new_api, _) = drun_generator::model(&source, &config, &previous)?;
                let report = drun_generator::diff::compare(&old_api, &new_api);
                let old_version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
                previous.version = Some(drun_generator::diff::bump_version(&old_version, report.bump()));
                api_report = Some((report, old_version));
            }
            None => {
                let _ = writeln!(
                    errors,
                    "warning: {module}: the document the crate was generated from ({}) is not in the work tree or HEAD; version left as is",
                    previous.spec_path.as_deref().unwrap_or("unknown")
                );
            }
        }
    }
    let output = drun_generator::generate_with(&source, &config, &previous)?;
    for w in &output.warnings {
        let _ = writeln!(errors, "warning: {module}: {w}");
    }
    let plan = drun_generator::write::plan(&out, &output.files)?;
    let out_shown = relative_to(&out, root).unwrap_or_else(|| out.display().to_string());
    let s = output.stats;
    let what = format!("{} tags, {} operations, {} models", s.tags, s.operations, s.models);
    let member = drun_generator::emit::umbrella::Member {
        module: module.clone(),
        crate_name: config.crate_name.clone(),
        version: drun_generator::Previous::from_files(&output.files)
            .version
            .unwrap_or_else(|| config.crate_version.clone()),
        title: output.title.clone(),
        english: config.title.clone(),
    };
    let mut clean = true;
    if check {
        if plan.is_clean() {
            let _ =
                writeln!(text, "{module}: {out_shown} is up to date with {shown} ({what}, {} files)", plan.unchanged);
        } else {
            text.push_str(&plan.diff(Path::new(&out_shown)));
            let _ = writeln!(
                errors,
                "error: {module}: {out_shown} is out of date with {shown}: {} to write, {} stray; run `cargo xtask generate`",
                plan.writes.len(),
                plan.strays.len()
            );
            clean = false;
        }
    } else {
        let report = plan.apply(&out)?;
        if let Some((api, old_version)) = &api_report {
            let _ = writeln!(text, "{module}: {}", api.summary());
            let _ = writeln!(
                text,
                "{module}: {} {old_version} -> {} (run `cargo xtask diff OLD NEW` for the full report)",
                config.crate_name,
                previous.version.as_deref().unwrap_or(old_version)
            );
        }
        let _ = writeln!(
            text,
            "{module}: generated {} from {shown}: {what}; {} files written, {} unchanged, {} removed",
            config.crate_name, report.written, plan.unchanged, report.removed
        );
    }
    let report = api_report.as_ref().map(|(api, old_version)| api.markdown(&config.crate_name, old_version));
    let cli_table =
        drun_generator::emit::cli::module_table(&output.api, &module, &config.crate_ident(), config.title.as_deref())?;
    Ok(ModuleOutcome { report, text, errors, clean, operations: s.operations, member, cli_table })
}

/// The path from folder `from` to folder `to`, with `/`, for a manifest.
pub(crate) fn relative_path(from: &Path, to: &Path) -> String {
    let normal = |p: &Path| -> Vec<String> {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut parts: Vec<String> = Vec::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    parts.pop();
                }
                std::path::Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        parts
    };
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_owned(); from.len() - common];
    out.extend(to[common..].iter().cloned());
    if out.is_empty() { ".".to_owned() } else { out.join("/") }
}

pub(crate) fn read_family(path: &Path) -> Result<drun_generator::config::Family> {
    Ok(drun_generator::config::Family::read(path)?)
}

/// A document's API as the generator models it, keeping the committed
/// crate's type names (`previous`), as `generate` would.
fn model_of(
    name: &str,
    bytes: &[u8],
    config: &Config,
    previous: &drun_generator::Previous,
) -> Result<drun_generator::ir::Api> {
    Ok(drun_generator::model(&Source { display_path: name, bytes }, config, previous)?.0)
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
    let out =
        std::process::Command::new("git").args(["show", &format!("HEAD:{path}")]).current_dir(root).output().ok()?;
    Some(out.stdout).filter(|b| out.status.success() && matches(b))
}

/// The family module a document belongs to: `module` if given (an unknown
/// name is an error), else the one whose document `doc`'s file name is a
/// version of (`kpanda-v0.50.0.json` -> `kpanda`), else none.
pub(crate) fn module_config(
    family: &drun_generator::config::Family,
    doc: &Path,
    module: Option<&str>,
) -> Result<Option<Config>> {
    if let Some(name) = module {
        return Ok(Some(family.module(name)?));
    }
    let file = doc.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(family.module_of_file(&file))
}

fn diff(old: &Path, new: &Path, module: Option<&str>, output: Option<&Path>) -> Result<()> {
    let root = repo_root();
    let family = read_family(&root.join(FAMILY))?;
    let config = module_config(&family, new, module)?.with_context(|| {
        format!(
            "cannot tell which module {} belongs to; pass --module (one of {})",
            new.display(),
            family.modules.keys().cloned().collect::<Vec<_>>().join(", ")
        )
    })?;
    let previous = drun_generator::Previous::read(&config.out_path(&root.join("specs")).unwrap_or_default());
    let model = |path: &Path| -> Result<drun_generator::ir::Api> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        model_of(&path.display().to_string(), &bytes, &config, &previous)
    };
    let report = drun_generator::diff::compare(&model(old)?, &model(new)?);
    let version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
    let markdown = report.markdown(&config.crate_name, &version);
    print!("{markdown}");
    if let Some(path) = output {
        std::fs::write(path, &markdown).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Compares every module's document with the one the family
/// configuration named at `base`, and reports the modules that changed.
fn report(base: &str, output: Option<&Path>) -> Result<()> {
    let root = repo_root();
    let family = read_family(&root.join(FAMILY))?;
    let git_show = |path: &str| -> Option<Vec<u8>> {
        let out = std::process::Command::new("git")
            .args(["show", &format!("{base}:{path}")])
            .current_dir(&root)
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    };
    let old_family = git_show(FAMILY)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| drun_generator::config::Family::from_yaml(&t).ok());
    let mut markdown = String::new();
    for config in family.module_configs()? {
        let module = config.module_name();
        let new_name = config.spec.clone().unwrap_or_default();
        let old_name = old_family
            .as_ref()
            .and_then(|f| f.module(&module).ok())
            .and_then(|c| c.spec)
            .unwrap_or_else(|| new_name.clone());
        let new_bytes = std::fs::read(root.join("specs").join(&new_name))
            .with_context(|| format!("cannot read specs/{new_name}"))?;
        let old_bytes = git_show(&format!("specs/{old_name}"));
        if old_bytes.as_deref() == Some(new_bytes.as_slice()) {
            continue;
        }
        let previous = drun_generator::Previous::read(&config.out_path(&root.join("specs")).unwrap_or_default());
        let model = |name: &str, bytes: &[u8]| model_of(name, bytes, &config, &previous);
        let new_api = model(&new_name, &new_bytes)?;
        let section = match old_bytes {
            Some(old) => {
                let report = drun_generator::diff::compare(&model(&old_name, &old)?, &new_api);
                let version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
                report.markdown(&config.crate_name, &version)
            }
            None => format!(
                "## {} (`{module}`)

A new module: {} operations.
",
                config.crate_name,
                new_api.tags.iter().map(|t| t.operations.len()).sum::<usize>()
            ),
        };
        let _ = writeln!(markdown, "<!-- module {module}: specs/{old_name} -> specs/{new_name} -->");
        markdown.push_str(&section);
        markdown.push('\n');
    }
    if markdown.is_empty() {
        markdown = format!("No API document changed since `{base}`.\n");
    }
    print!("{markdown}");
    if let Some(path) = output {
        std::fs::write(path, &markdown).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The vendored document named by `specs/drun-client.yaml`.
fn openapi3(spec: &Path) -> Result<()> {
    let bytes = std::fs::read(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let loaded = drun_generator::load::load(&bytes).map_err(|e| e.in_file(&spec.display().to_string()))?;
    let json = serde_json::to_string_pretty(&loaded.document).context("cannot write JSON")?;
    println!("{json}");
    Ok(())
}

fn read_config(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Config::from_yaml(&text).map_err(|e| anyhow!("{}: {}", path.display(), e.message))
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

    use std::collections::BTreeMap;

    use super::*;

    /// Every file below `dir`, by path relative to it.
    fn snapshot(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                snapshot(&path, base, out);
            } else {
                let rel = path.strip_prefix(base).expect("below").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("text"));
            }
        }
    }

    fn family_yaml(pets: &str) -> String {
        format!(
            "runtime: {}\numbrella: {{crate_name: fam, out: ../generated, description: d, module_prefix: fam-}}\n\
             modules:\n  pets: {{spec: {pets}}}\n  shop: {{spec: shop-v1.yaml}}\n",
            repo_root().join("runtime").display()
        )
    }

    #[test]
    fn updating_one_module_changes_only_that_module_and_its_version_line() {
        let root = repo_root();
        let dir = std::env::temp_dir().join(format!("xtask-family-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let specs = dir.join("specs");
        std::fs::create_dir_all(&specs).expect("temp folder");
        let fixtures = root.join("generator/tests/fixtures");
        std::fs::copy(fixtures.join("update/old.yaml"), specs.join("pets-v1.0.0.yaml")).expect("copy");
        std::fs::copy(fixtures.join("equiv/swagger.yaml"), specs.join("shop-v1.yaml")).expect("copy");
        let config = specs.join("family.yaml");
        std::fs::write(&config, family_yaml("pets-v1.0.0.yaml")).expect("write");
        let run = || {
            let args =
                GenerateArgs { check: false, config: Some(config.clone()), spec: None, out: None, crate_name: None };
            assert_eq!(generate(args).expect("generates"), ExitCode::SUCCESS);
        };
        run();
        let mut before = BTreeMap::new();
        snapshot(&dir.join("generated"), &dir.join("generated"), &mut before);

        // One endpoint (and its model) added to `pets` only.
        std::fs::copy(fixtures.join("update/added.yaml"), specs.join("pets-v1.1.0.yaml")).expect("copy");
        std::fs::write(&config, family_yaml("pets-v1.1.0.yaml")).expect("write");
        run();
        let mut after = BTreeMap::new();
        snapshot(&dir.join("generated"), &dir.join("generated"), &mut after);

        let changed: Vec<&String> =
            after.keys().chain(before.keys()).filter(|p| before.get(*p) != after.get(*p)).collect();
        assert!(!changed.is_empty());
        for path in &changed {
            assert!(path.starts_with("modules/pets/"), "{path} changed");
        }
        assert!(changed.iter().any(|p| p.as_str() == "modules/pets/src/apis/pets.rs"), "{changed:?}");
        // A check of the new state passes for both modules and the umbrella.
        let args = GenerateArgs { check: true, config: Some(config.clone()), spec: None, out: None, crate_name: None };
        assert_eq!(generate(args).expect("checks"), ExitCode::SUCCESS);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn a_replaced_document_is_found_and_recorded_with_no_other_edit() {
        use drun_generator::provenance::{Document, Provenance};
        let root = repo_root();
        let dir = std::env::temp_dir().join(format!("xtask-provenance-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let specs = dir.join("specs");
        std::fs::create_dir_all(&specs).expect("temp folder");
        let fixtures = root.join("generator/tests/fixtures");
        std::fs::copy(fixtures.join("update/old.yaml"), specs.join("pets-v1.0.0.yaml")).expect("copy");
        let config = specs.join("family.yaml");
        let family = format!(
            "runtime: {}\numbrella: {{crate_name: fam, out: ../generated, description: d, module_prefix: fam-}}\n\
             modules:\n  pets: {{}}\n",
            root.join("runtime").display()
        );
        std::fs::write(&config, &family).expect("write");
        let mut record = Provenance { repository: "https://example.com/apis".to_owned(), ..Provenance::default() };
        record.documents.insert(
            "pets".to_owned(),
            Document {
                file: "pets-v1.0.0.yaml".to_owned(),
                version: "v1.0.0".to_owned(),
                upstream_path: "openapi/pets/v1.0.0.yaml".to_owned(),
                sha256: drun_generator::sha256_hex(&std::fs::read(specs.join("pets-v1.0.0.yaml")).expect("read")),
            },
        );
        let record_path = specs.join(Provenance::FILE);
        std::fs::write(&record_path, record.to_json()).expect("write");
        let run = |check: bool| {
            let args = GenerateArgs { check, config: Some(config.clone()), spec: None, out: None, crate_name: None };
            generate(args).expect("runs")
        };
        assert_eq!(run(false), ExitCode::SUCCESS);
        assert_eq!(run(true), ExitCode::SUCCESS);

        // The maintainer's whole update: the old document out, the new one in.
        std::fs::remove_file(specs.join("pets-v1.0.0.yaml")).expect("remove");
        std::fs::copy(fixtures.join("update/added.yaml"), specs.join("pets-v1.1.0.yaml")).expect("copy");
        assert_eq!(run(true), ExitCode::FAILURE, "the check sees the record and the crate out of date");
        assert_eq!(Provenance::read(&record_path).expect("record"), record, "the check wrote nothing");
        assert_eq!(run(false), ExitCode::SUCCESS);
        assert_eq!(run(true), ExitCode::SUCCESS);

        let updated = Provenance::read(&record_path).expect("record");
        let pets = &updated.documents["pets"];
        assert_eq!((pets.file.as_str(), pets.version.as_str()), ("pets-v1.1.0.yaml", "v1.1.0"));
        assert_eq!(pets.upstream_path, "openapi/pets/v1.1.0.yaml");
        let bytes = std::fs::read(specs.join("pets-v1.1.0.yaml")).expect("read");
        assert_eq!(pets.sha256, drun_generator::sha256_hex(&bytes));
        let manifest = std::fs::read_to_string(dir.join("generated/modules/pets/Cargo.toml")).expect("manifest");
        assert!(manifest.contains(&pets.sha256), "the crate records the new document");
        assert_eq!(std::fs::read_to_string(&config).expect("family"), family, "the configuration is untouched");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
