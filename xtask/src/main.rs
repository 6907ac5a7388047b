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
//!
//! `flags.rs` holds the command line; `generate.rs` the commands that call
//! the generator's workflow (`drun_generator::workflow`); the others run
//! tools: tests, Prism, cargo-semver-checks, benchmarks, timings.

mod bench;
mod cli_conformance;
mod compile_times;
mod first_build;
mod fixtures;
mod flags;
mod generate;
mod install_times;
mod packages;
mod prism;
mod release;
mod semver;
mod test;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow};
use clap::Parser as _;

use flags::{Cli, Command};

/// See `mimalloc` in Cargo.toml: generation is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate::generate(&args),
        Command::Test => test::run(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Conformance { modules } => {
            test::conformance(&repo_root(), &modules, &mut test::Counts::default()).map(|()| ExitCode::SUCCESS)
        }
        Command::Report { base, output } => generate::report(&base, output.as_deref()).map(|()| ExitCode::SUCCESS),
        Command::Diff { old, new, module, output } => {
            generate::diff(&old, &new, module.as_deref(), output.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Semver { old, new, module, all } => match (old, new) {
            (Some(old), Some(new)) => semver::pair(&repo_root(), &old, &new, module.as_deref()),
            (Some(_), None) => Err(anyhow!("pass both OLD and NEW")),
            _ => semver::table(&repo_root(), if all { semver::Pairs::All } else { semver::Pairs::Synthetic }),
        }
        .map(|()| ExitCode::SUCCESS),
        Command::Bench => bench::bench(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::Packages => packages::check(&repo_root()).map(|table| {
            print!("{table}");
            ExitCode::SUCCESS
        }),
        Command::ReleasePlan { index, publish } => {
            release::run(&repo_root(), &index, publish).map(|()| ExitCode::SUCCESS)
        }
        Command::Openapi3 { spec } => generate::openapi3(&spec).map(|()| ExitCode::SUCCESS),
        Command::CompileTimes { runs, tls: true, .. } => first_build::run(&repo_root(), runs.max(1)).map(|table| {
            print!("{table}");
            ExitCode::SUCCESS
        }),
        Command::CompileTimes { install: true, .. } => install_times::run(&repo_root()).map(|()| ExitCode::SUCCESS),
        Command::CompileTimes { runs, mocks: true, .. } => {
            compile_times::features(&repo_root(), runs.max(1)).map(|()| ExitCode::SUCCESS)
        }
        Command::CompileTimes { runs, family, tls: false, mocks: false, install: false } => {
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
pub(crate) fn repo_root() -> PathBuf {
    root_of(std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
}

fn root_of(manifest_dir: Option<PathBuf>) -> PathBuf {
    let manifest_dir = manifest_dir.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every file under `dir`, at any depth, sorted (none when `dir` is
/// missing).
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() { pending.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

/// The family configuration: every d.run module.
pub(crate) const FAMILY: &str = "specs/drun.yaml";

/// A file's bytes at a git revision, by its path relative to the root.
pub(crate) fn git_show(root: &Path, revision: &str, path: &str) -> Option<Vec<u8>> {
    let out = std::process::Command::new("git")
        .args(["show", &format!("{revision}:{path}")])
        .current_dir(root)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
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
