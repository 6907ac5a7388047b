//! `cargo xtask generate`, `diff`, `report` and `openapi3`: arguments in,
//! the generator's workflow called, its results printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use drun_generator::Config;
use drun_generator::config::FamilyConfig;
use drun_generator::workflow::{self, Mode, Repository};

use crate::flags::GenerateArgs;
use crate::{FAMILY, fixtures, git_show, repo_root};

pub fn generate(args: &GenerateArgs) -> Result<ExitCode> {
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
fn single_module(root: &Path, args: &GenerateArgs) -> Result<drun_generator::vendored::VendoredModule> {
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
    Ok(drun_generator::vendored::VendoredModule { config, display_path, bytes, out, previous })
}

pub fn diff(old: &Path, new: &Path, module: Option<&str>, output: Option<&Path>) -> Result<()> {
    let family_path = repo_root().join(FAMILY);
    let family = FamilyConfig::read(&family_path)?;
    let config = family.module_for(new, module)?.with_context(|| {
        let modules: Vec<&str> = family.modules.keys().map(String::as_str).collect();
        format!("cannot tell which module {} belongs to; pass --module (one of {})", new.display(), modules.join(", "))
    })?;
    let markdown = workflow::compare_documents(&family_path, &config, old, new)?;
    emit_markdown(&markdown, output)
}

/// Compares every module's document with the one the family
/// configuration named at `base`, and reports the modules that changed.
pub fn report(base: &str, output: Option<&Path>) -> Result<()> {
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
pub fn openapi3(spec: &Path) -> Result<()> {
    let bytes = std::fs::read(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let loaded = drun_generator::load::load(&bytes).map_err(|e| e.in_file(&spec.display().to_string()))?;
    let json = serde_json::to_string_pretty(&loaded.document).context("cannot write JSON")?;
    println!("{json}");
    Ok(())
}
