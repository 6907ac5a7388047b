//! `cargo xtask compile-times --install`: what getting `drun` costs a new
//! user, measured the way the README tells them to get it, beside the
//! whole family's clean release build in the same run so that a regression
//! of either shows against the other.
//!
//! Each build runs in a fresh clone of the committed tree with an empty
//! target folder (dependencies included, the registry cache as it is),
//! under GNU time for wall and CPU time and the peak memory of the largest
//! single process (rustc on the biggest crate).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::bench::cargo;

/// Where the clone and its builds go.
const WORK: &str = "target/install-times";

/// Start-up is the median of this many runs of each command.
const STARTS: usize = 31;

/// What GNU time measured of one command.
struct Cost {
    wall: f64,
    user: f64,
    system: f64,
    peak_mb: f64,
}

/// Runs `args` in `dir` under `/usr/bin/time -v`.
fn measured(dir: &Path, args: &[&str]) -> Result<Cost> {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(cargo())
        .args(args)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir)
        .output()
        .context("cannot run /usr/bin/time (GNU time: apt-get install time)")?;
    let report = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("cargo {} failed:\n{report}", args.join(" "));
    }
    let field = |name: &str| -> Result<String> {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned()))
            .with_context(|| format!("GNU time did not report `{name}`"))
    };
    let seconds = |text: &str| -> f64 {
        // h:mm:ss or m:ss.ss
        text.split(':').fold(0.0, |total, part| total * 60.0 + part.parse::<f64>().unwrap_or(0.0))
    };
    Ok(Cost {
        wall: seconds(&field("Elapsed (wall clock) time (h:mm:ss or m:ss):")?),
        user: field("User time (seconds):")?.parse().unwrap_or(0.0),
        system: field("System time (seconds):")?.parse().unwrap_or(0.0),
        peak_mb: field("Maximum resident set size (kbytes):")?.parse::<f64>().unwrap_or(0.0) / 1024.0,
    })
}

/// The median wall time of `STARTS` runs of `bin args`, in milliseconds.
fn start_up(bin: &Path, args: &[&str]) -> Result<f64> {
    let mut times = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let t = Instant::now();
        let out = Command::new(bin).args(args).output().with_context(|| format!("cannot run {}", bin.display()))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !out.status.success() {
            bail!("drun {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn row(table: &mut String, what: &str, cost: &Cost) {
    let _ = writeln!(
        table,
        "| {what} | {:.0} s | {:.0} s + {:.0} s | {:.0} MB |",
        cost.wall, cost.user, cost.system, cost.peak_mb
    );
}

/// Clones `HEAD` afresh, installs `drun` from it and builds the family,
/// each with an empty target folder; prints the figures as Markdown.
pub fn run(root: &Path) -> Result<()> {
    let work = root.join(WORK);
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| format!("cannot empty {}", work.display()))?;
    }
    let clone = work.join("clone");
    let status = Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(root)
        .arg(&clone)
        .status()
        .context("cannot run git")?;
    if !status.success() {
        bail!("git clone of {} failed", root.display());
    }
    let installed = work.join("installed");
    let install_target = work.join("install-target");
    eprintln!("==> cargo install --locked --path cli, from a fresh clone and an empty target");
    let install = measured(
        &clone,
        &[
            "install",
            "--locked",
            "--path",
            "cli",
            "--root",
            &path_text(&installed),
            "--target-dir",
            &path_text(&install_target),
        ],
    )?;
    let bin: PathBuf = installed.join("bin/drun");
    let size = std::fs::metadata(&bin).with_context(|| format!("no {}", bin.display()))?.len();
    let starts = [
        ("`drun --help`", start_up(&bin, &["--help"])?),
        ("`drun ghippo users list-users --help`", start_up(&bin, &["ghippo", "users", "list-users", "--help"])?),
        ("`drun amamba --help` (the largest module)", start_up(&bin, &["amamba", "--help"])?),
    ];
    eprintln!("==> the family's clean release build, from the same clone and an empty target");
    let family = measured(
        &clone,
        &[
            "build",
            "--release",
            "--locked",
            "-p",
            "drun-client",
            "--features",
            "full",
            "--target-dir",
            &path_text(&work.join("family-target")),
        ],
    )?;
    let mut table =
        String::from("| build | wall | CPU (user + sys) | peak memory of one process |\n| --- | --- | --- | --- |\n");
    row(&mut table, "`cargo install --locked --path cli` (drun)", &install);
    row(&mut table, "`cargo build --release -p drun-client --features full` (the 27 modules)", &family);
    let _ = writeln!(table, "\n| drun | figure |\n| --- | --- |");
    let _ = writeln!(table, "| installed binary | {:.1} MB |", size as f64 / 1_000_000.0);
    for (what, ms) in starts {
        let _ = writeln!(table, "| start-up, {what}, median of {STARTS} | {ms:.1} ms |");
    }
    print!("{table}");
    Ok(())
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
