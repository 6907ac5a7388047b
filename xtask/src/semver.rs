//! `cargo xtask semver`: the change report's verdict (breaking or not) held
//! against cargo-semver-checks', which reads the public API of the two
//! crates the generator makes from the old and the new document.
//!
//! The two must agree: when they do not, the report (or the shape of the
//! generated types) is what is wrong.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow, bail};
use drun_generator::compare::Bump;
use drun_generator::{Config, Previous, Source};

/// The cargo-semver-checks release this check is pinned to (its lints
/// change between releases).
const VERSION: &str = "0.51.0";

/// The synthetic updates: `base.yaml` and one document per kind of change.
const SYNTHETIC: &str = "generator/tests/fixtures/semver";

/// The real ghippo updates, oldest first.
const HISTORY: [(&str, &str); 3] = [
    ("specs/history/ghippo-v0.45.1.json", "specs/history/ghippo-v0.46.0.json"),
    ("specs/history/ghippo-v0.46.0.json", "specs/history/ghippo-v0.48.0.json"),
    ("specs/history/ghippo-v0.48.0.json", "specs/ghippo-v0.48.1.json"),
];

/// Which pairs `cargo xtask semver` checks when not given two documents.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pairs {
    /// The synthetic updates only (small crates: what CI runs).
    Synthetic,
    /// The synthetic updates and the real ghippo updates.
    All,
}

/// One pair's verdicts.
struct Verdicts {
    report: Bump,
    report_summary: String,
    /// Every breaking change the report names is a changed type.
    only_type_changes: bool,
    checker_breaking: bool,
    checker_summary: String,
    /// Whether the pair's probe (code written against the old crate)
    /// stops compiling against the new one; `None` without a probe.
    compiler_breaking: Option<bool>,
}

impl Verdicts {
    /// The report agrees with cargo-semver-checks, or, where the two differ
    /// on changed types only, with the compiler. cargo-semver-checks has no
    /// lint that compares types (its issues #148 and #149): a changed field
    /// or return type passes it, though no code using the old type compiles.
    fn agree(&self) -> bool {
        let report = self.report == Bump::Major;
        report == self.checker_breaking || (report && self.only_type_changes && self.compiler_breaking == Some(true))
    }

    fn judges(&self) -> String {
        let verdict = |breaking: bool| if breaking { "breaking" } else { "not breaking" };
        let mut text = format!("{} ({})", verdict(self.checker_breaking), self.checker_summary);
        if let Some(compiler) = self.compiler_breaking {
            let _ = write!(text, "; compiler, on a probe: {}", verdict(compiler));
        }
        text
    }
}

/// Checks one pair; fails if the verdicts differ.
pub fn pair(root: &Path, old: &Path, new: &Path, module: Option<&str>) -> Result<()> {
    let tool = install(root)?;
    let v = check(root, &tool, old, new, module)?;
    println!("report: {}", v.report_summary);
    println!("cargo-semver-checks {VERSION} and compiler: {}", v.judges());
    if v.agree() {
        println!("verdicts agree: {}", if v.report == Bump::Major { "breaking" } else { "not breaking" });
        Ok(())
    } else {
        Err(anyhow!("the change report and cargo-semver-checks disagree on whether this update is breaking"))
    }
}

/// Checks every pair of `which` and prints the README's table; fails if
/// any verdicts differ.
pub fn table(root: &Path, which: Pairs) -> Result<()> {
    let tool = install(root)?;
    table_with(root, which, &tool)
}

/// A cargo-semver-checks install under way (or none, when the pinned
/// version is already there); dropping it stops the install.
pub struct PendingInstall {
    child: Option<std::process::Child>,
    tool: PathBuf,
    /// Where its output goes, when not to the terminal.
    log: Option<&'static str>,
}

impl PendingInstall {
    /// Waits for the install; the tool's path.
    pub fn wait(mut self) -> Result<PathBuf> {
        if let Some(mut child) = self.child.take() {
            let status = child.wait().context("cannot wait for cargo install")?;
            if !status.success() {
                let see = self.log.map(|l| format!("; see {l}")).unwrap_or_default();
                bail!("cargo install cargo-semver-checks {VERSION} failed ({status}){see}");
            }
        }
        Ok(self.tool.clone())
    }
}

impl Drop for PendingInstall {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where a background install writes its output.
const INSTALL_LOG: &str = "target/tools/install.log";

/// Starts installing cargo-semver-checks, unless it is there, at the lowest
/// CPU priority and with its output in `target/tools/install.log`: a first
/// install (minutes) then uses the cycles the other steps of `cargo xtask
/// test` leave idle, instead of adding its whole time at the end.
pub fn install_in_background(root: &Path) -> Result<PendingInstall> {
    start_install(root, true)
}

/// The pinned cargo-semver-checks, installed under `target/tools` on first
/// use (a few minutes, its output on the terminal) and reused afterwards.
fn install(root: &Path) -> Result<PathBuf> {
    start_install(root, false)?.wait()
}

/// `cargo install` of the pinned version into `target/tools`: a debug
/// build, as it installs in about half the time of a release build and on
/// crates of this size checks as fast (rustdoc takes the time).
fn start_install(root: &Path, background: bool) -> Result<PendingInstall> {
    let prefix = root.join("target/tools/cargo-semver-checks");
    let tool = prefix.join("bin/cargo-semver-checks");
    let installed = Command::new(&tool)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION));
    let log = background.then_some(INSTALL_LOG);
    if installed {
        return Ok(PendingInstall { child: None, tool, log });
    }
    let mut command = if background {
        let mut nice = Command::new("nice");
        nice.args(["-n", "19", env!("CARGO")]);
        nice
    } else {
        Command::new(env!("CARGO"))
    };
    command
        .args(["install", "cargo-semver-checks", "--debug", "--locked", "--force", "--version", VERSION, "--root"])
        .arg(&prefix);
    match log {
        Some(log) => {
            eprintln!("==> installing cargo-semver-checks {VERSION} into target/tools, in the background ({log})");
            std::fs::create_dir_all(root.join("target/tools")).context("cannot create target/tools")?;
            let file = std::fs::File::create(root.join(log)).with_context(|| format!("cannot create {log}"))?;
            command.stdout(file.try_clone().context("cannot share the install log")?).stderr(file);
        }
        None => eprintln!("==> installing cargo-semver-checks {VERSION} into target/tools (once)"),
    }
    let child = command.spawn().context("cannot run cargo install")?;
    Ok(PendingInstall { child: Some(child), tool, log })
}

/// [`table`], with cargo-semver-checks at `tool`.
pub fn table_with(root: &Path, which: Pairs, tool: &Path) -> Result<()> {
    let mut pairs: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    if which == Pairs::All {
        for (old, new) in HISTORY {
            let name = |p: &str| Path::new(p).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            pairs.push((root.join(old), root.join(new), format!("{} -> {}", name(old), name(new))));
        }
    }
    let dir = root.join(SYNTHETIC);
    let mut synthetic: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("base.yaml"))
        .collect();
    synthetic.sort();
    for new in synthetic {
        let name = new.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        pairs.push((dir.join("base.yaml"), new, format!("synthetic: {name}")));
    }
    let mut out = String::from(
        "| update | change report | cargo-semver-checks (and compiler) | agree |\n| --- | --- | --- | --- |\n",
    );
    let mut disagreements = Vec::new();
    for (old, new, name) in &pairs {
        let started = Instant::now();
        let v = check(root, tool, old, new, None)?;
        eprintln!("==> {name}: {} / {} [{:.1} s]", v.report_summary, v.judges(), started.elapsed().as_secs_f64());
        let verdict = |breaking: bool| if breaking { "breaking" } else { "not breaking" };
        let agree = match (v.agree(), v.report == Bump::Major) {
            (false, _) => "**no**",
            (true, report) if report != v.checker_breaking => "yes, with the compiler",
            (true, _) => "yes",
        };
        let _ = writeln!(
            out,
            "| {name} | {} ({}) | {} | {agree} |",
            verdict(v.report == Bump::Major),
            v.report_summary,
            v.judges(),
        );
        if !v.agree() {
            disagreements.push(name.clone());
        }
    }
    print!("{out}");
    if disagreements.is_empty() {
        Ok(())
    } else {
        Err(anyhow!("the change report and cargo-semver-checks disagree on: {}", disagreements.join(", ")))
    }
}

/// The module configuration a document belongs to (by its file name, as
/// `cargo xtask diff` finds it), or the default one.
fn config_for(root: &Path, new: &Path, module: Option<&str>) -> Result<Config> {
    let family = drun_generator::config::FamilyConfig::read(&root.join(crate::FAMILY))?;
    Ok(family
        .module_for(new, module)?
        .unwrap_or_else(|| Config { crate_name: "semver-probe".to_owned(), ..Config::default() }))
}

fn check(root: &Path, tool: &Path, old: &Path, new: &Path, module: Option<&str>) -> Result<Verdicts> {
    let work = root.join("target/semver");
    let (old_dir, new_dir) = (work.join("old"), work.join("new"));
    for dir in [&old_dir, &new_dir] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
    }
    let mut config = config_for(root, new, module)?;
    config.runtime_path = Some(drun_generator::workflow::relative_path(&old_dir, &root.join("runtime")));
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let (old_bytes, new_bytes) = (read(old)?, read(new)?);
    let old_source = Source { display_path: "old", bytes: &old_bytes };
    let new_source = Source { display_path: "new", bytes: &new_bytes };

    // As a real update: the new crate is generated over the old one, so
    // its names are kept; both keep one version (the verdict is asked for
    // explicitly below).
    let old_output = drun_generator::generate_with(&old_source, &config, &Previous::default())?;
    let previous = Previous::from_files(&old_output.files);
    let old_api = drun_generator::model(&old_source, &config, &previous)?.0;
    let new_api = drun_generator::model(&new_source, &config, &previous)?.0;
    let report = drun_generator::compare::compare(&old_api, &new_api);
    let new_output = drun_generator::generate_with(&new_source, &config, &previous)?;
    standalone(root, &old_dir, &old_output.files)?;
    standalone(root, &new_dir, &new_output.files)?;

    // `--release-type minor`: only a change that needs a new major version
    // (for 0.x, a new minor) fails, which is what "breaking" means here.
    let output = Command::new(tool)
        .args(["semver-checks", "check-release", "--release-type", "minor", "--manifest-path"])
        .arg(new_dir.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&old_dir)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .with_context(|| format!("cannot run {}", tool.display()))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let checker_breaking = if output.status.success() {
        false
    } else if text.contains("requires new major version") {
        true
    } else {
        bail!("cargo-semver-checks failed ({}):\n{text}", output.status);
    };
    let failed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| l.split(':').next().unwrap_or(l).trim())
        .collect();
    let checker_summary = if failed.is_empty() { "no failure".to_owned() } else { failed.join(", ") };
    let compiler_breaking = probe(root, new, &old_dir, &new_dir)?;
    let bump = report.bump();
    let breaking = report.changes.iter().filter(|c| c.breaking).count();
    // A changed type reads `... A -> B (breaking)`.
    let only_type_changes = report
        .changes
        .iter()
        .filter(|c| c.breaking)
        .all(|c| c.details.iter().filter(|d| d.ends_with("(breaking)")).all(|d| d.contains(" -> ")))
        && report.changes.iter().all(|c| c.kind == drun_generator::compare::ChangeKind::Changed || !c.breaking);
    let report_summary = format!("{} changes, {breaking} breaking, {} bump", report.changes.len(), bump_name(bump));
    Ok(Verdicts {
        report: bump,
        report_summary,
        only_type_changes,
        checker_breaking,
        checker_summary,
        compiler_breaking,
    })
}

/// The compiler's verdict, where NEW has a probe beside it
/// (`<name>.probe.rs`): the probe must compile against the old crate (or
/// it proves nothing); it is breaking if it does not against the new one.
fn probe(root: &Path, new: &Path, old_dir: &Path, new_dir: &Path) -> Result<Option<bool>> {
    let path = new.with_extension("probe.rs");
    if !path.exists() {
        return Ok(None);
    }
    // One target folder each: both crates have the same name, version and
    // (as workspace roots) the same relative path, so cargo would take one
    // for the other's build.
    let compiles = |dir: &Path, target: &str| -> Result<bool> {
        let examples = dir.join("examples");
        std::fs::create_dir_all(&examples).with_context(|| format!("cannot create {}", examples.display()))?;
        std::fs::copy(&path, examples.join("probe.rs")).with_context(|| format!("cannot copy {}", path.display()))?;
        let status = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--example", "probe", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join("target/semver").join(target))
            .stderr(std::process::Stdio::null())
            .status()
            .context("cannot run cargo check")?;
        Ok(status.success())
    };
    if !compiles(old_dir, "probe-old")? {
        bail!("{} does not compile against the old crate", path.display());
    }
    Ok(Some(!compiles(new_dir, "probe-new")?))
}

fn bump_name(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "major",
        Bump::Minor => "minor",
        Bump::Patch => "patch",
    }
}

/// Writes a generated crate as a workspace of its own (it sits under this
/// repository's `target/`), with this repository's lock file so that both
/// crates build against the same dependency versions.
fn standalone(root: &Path, dir: &Path, files: &std::collections::BTreeMap<String, String>) -> Result<()> {
    drun_generator::write::plan(dir, files)?.apply(dir)?;
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).with_context(|| format!("cannot write {}", manifest.display()))?;
    crate::share_lock(root, dir)?;
    Ok(())
}
