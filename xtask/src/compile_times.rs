//! `cargo xtask compile-times`: what the generated crates cost to compile,
//! measured side by side in one run. Every figure is a clean build (or
//! check) of the crates named, their dependencies built beforehand, without
//! incremental compilation unless said: the way cargo compiles a dependency
//! from a registry or git, and so the way applications get these crates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::bench::cargo;

/// At most this many runs of the family-wide figures.
const FAMILY_RUNS: usize = 1;

/// Where the measured builds go, apart from the workspace's own.
const TARGET: &str = "target/compile-times";

/// One cargo invocation in `dir` with its own target folder; its wall time.
fn timed(dir: &Path, target: &Path, args: &[&str], incremental: bool) -> Result<f64> {
    let t = Instant::now();
    let out = Command::new(cargo())
        .args(args)
        .arg("--target-dir")
        .arg(target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .current_dir(dir)
        .output()
        .context("cannot run cargo")?;
    if !out.status.success() {
        bail!("cargo {} failed:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    }
    Ok(t.elapsed().as_secs_f64())
}

/// The median of `runs` clean `mode`s (build or check) of `packages`:
/// each run first removes those packages' artifacts, so only they compile.
fn median(
    dir: &Path,
    target: &Path,
    mode: &str,
    packages: &[String],
    extra: &[&str],
    runs: usize,
    incremental: bool,
) -> Result<(f64, Vec<f64>)> {
    let with_packages = |first: &str| -> Vec<String> {
        let mut args = vec![first.to_owned()];
        for p in packages {
            args.extend(["-p".to_owned(), p.clone()]);
        }
        args
    };
    let mut build = with_packages(mode);
    build.extend(extra.iter().map(|s| (*s).to_owned()));
    let build: Vec<&str> = build.iter().map(String::as_str).collect();
    let clean = with_packages("clean");
    let clean: Vec<&str> = clean.iter().map(String::as_str).collect();
    eprintln!("==> dependencies of cargo {}", build.join(" "));
    timed(dir, target, &build, incremental)?;
    let mut times = Vec::new();
    for _ in 0..runs {
        timed(dir, target, &clean, incremental)?;
        times.push(timed(dir, target, &build, incremental)?);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times))
}

fn seconds(times: &[f64]) -> String {
    times.iter().map(|t| format!("{t:.2} s")).collect::<Vec<_>>().join(", ")
}

/// The ghippo crate alone, as before; with `family`, every module's crate,
/// the whole family through the umbrella crate, and an application that
/// calls every ghippo operation.
pub fn run(root: &Path, runs: usize, family: bool) -> Result<()> {
    let target = root.join(TARGET);
    let ghippo = ["drun-ghippo".to_owned()];
    let mut table = String::from("| what | median | runs |\n| --- | --- | --- |\n");
    for (how, incremental) in [("as a dependency", false), ("with incremental compilation forced on", true)] {
        for mode in ["build", "check"] {
            let (m, all) = median(root, &target, mode, &ghippo, &["--locked"], runs, incremental)?;
            let _ =
                writeln!(table, "| clean `cargo {mode}` of drun-ghippo alone, {how} | {m:.2} s | {} |", seconds(&all));
        }
    }
    let lines = count_lines(&root.join("generated-client/modules/ghippo/src"))?;
    let _ = writeln!(table, "| lines of Rust in generated-client/modules/ghippo/src | {lines} | |");
    if family {
        family_rows(root, &target, runs, &mut table)?;
    }
    print!("{table}");
    Ok(())
}

/// The ghippo crate's clean build without its optional features, with
/// `full-serde`, and with `mocks` (which turns `full-serde` on), each
/// after its dependencies are built (wiremock's, for `mocks`, once).
pub fn features(root: &Path, runs: usize) -> Result<()> {
    let target = root.join(TARGET);
    let ghippo = ["drun-ghippo".to_owned()];
    let mut table = String::from("| clean `cargo build` of drun-ghippo | median | runs |\n| --- | --- | --- |\n");
    for (what, features) in
        [("default features", None), ("`full-serde`", Some("full-serde")), ("`mocks`", Some("mocks"))]
    {
        let mut extra = vec!["--locked"];
        extra.extend(features.map(|f| ["--features", f]).into_iter().flatten());
        let (m, all) = median(root, &target, "build", &ghippo, &extra, runs, false)?;
        let _ = writeln!(table, "| {what} | {m:.2} s | {} |", seconds(&all));
    }
    print!("{table}");
    Ok(())
}

fn family_rows(root: &Path, target: &Path, runs: usize, table: &mut String) -> Result<()> {
    // Whole-family and application figures: one run each (each is minutes).
    let runs = runs.min(FAMILY_RUNS);
    let family = drun_generator::config::FamilyConfig::read(&root.join(crate::FAMILY))?;
    let configs = family.module_configs()?;
    let crates: Vec<String> = configs.iter().map(|c| format!("drun-{}", c.module_name())).collect();
    let (mut build_sum, mut check_sum) = (0.0, 0.0);
    let mut rows = String::new();
    for (config, krate) in configs.iter().zip(&crates) {
        let one = std::slice::from_ref(krate);
        // One run each: 54 clean compiles already take minutes.
        let (build, _) = median(root, target, "build", one, &["--locked"], 1, false)?;
        let (check, _) = median(root, target, "check", one, &["--locked"], 1, false)?;
        let lines = count_lines(&root.join("generated-client/modules").join(config.module_name()).join("src"))?;
        let _ = writeln!(rows, "| {krate} | {lines} | {build:.2} s | {check:.2} s |");
        build_sum += build;
        check_sum += check;
    }
    // The whole family: every module's crate and the umbrella, on both cores.
    let mut all = crates.clone();
    all.push("drun-client".to_owned());
    let full = ["--locked", "--features", "drun-client/full"];
    let (fam_build, fam_builds) = median(root, target, "build", &all, &full, runs, false)?;
    let (fam_check, fam_checks) = median(root, target, "check", &all, &full, runs, false)?;
    // An application that calls every ghippo operation: its own build with
    // the client built, and with the client (runtime excepted) built too.
    let app = write_app(root, &target.join("ghippo-app"))?;
    let app_target = target.join("app-target");
    let just_app = ["ghippo-app".to_owned()];
    let (app_build, app_builds) = median(&app, &app_target, "build", &just_app, &["--offline"], runs, false)?;
    let with_client = ["ghippo-app".to_owned(), "drun-ghippo".to_owned(), "drun-client".to_owned()];
    let (app_total, app_totals) = median(&app, &app_target, "build", &with_client, &["--offline"], runs, false)?;

    let _ = writeln!(
        table,
        "| clean `cargo build` of the whole family (27 module crates and `drun-client --features full`) | {fam_build:.2} s | {} |",
        seconds(&fam_builds)
    );
    let _ = writeln!(table, "| clean `cargo check` of the same | {fam_check:.2} s | {} |", seconds(&fam_checks));
    let _ = writeln!(
        table,
        "| the 27 module crates built one at a time, summed: build / check | {build_sum:.1} s / {check_sum:.1} s | |"
    );
    let _ = writeln!(
        table,
        "| clean build of an application calling all 242 ghippo operations, the client built | {app_build:.2} s | {} |",
        seconds(&app_builds)
    );
    let _ = writeln!(
        table,
        "| the same application with drun-ghippo and drun-client built too (what a user pays in total) | {app_total:.2} s | {} |",
        seconds(&app_totals)
    );
    table.push_str(
        "\n| module crate | lines | clean build (one run) | clean check (one run) |\n| --- | --- | --- | --- |\n",
    );
    table.push_str(&rows);
    Ok(())
}

/// A small binary crate, a workspace of its own under `target/`, that calls
/// every ghippo operation once (the conformance suite's calls).
fn write_app(root: &Path, dir: &Path) -> Result<PathBuf> {
    let module = drun_generator::vendored::load_one(&root.join(crate::FAMILY), "ghippo")?;
    let (source, config, previous) = (module.source(), &module.config, &module.previous);
    let suite = drun_generator::conformance::suite(&source, config, previous)?;
    let client = root.join("generated-client");
    let manifest = format!(
        "[package]\nname = \"ghippo-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ndrun-client = {{ path = {:?}, features = [\"ghippo\", \"full-serde\"] }}\n\
         serde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n",
        client.display().to_string()
    );
    let main = format!(
        "//! Calls every ghippo operation once.\n\nmod calls {{\n#[allow(unused_imports)]\nuse drun_client::ghippo as {};\n{suite}}}\n\n\
         #[tokio::main]\nasync fn main() {{\n    let url = std::env::var(\"DRUN_BASE_URL\").unwrap_or_else(|_| \"http://127.0.0.1:9\".to_owned());\n    \
         let client = drun_client::Client::builder(url).build().expect(\"client\");\n    \
         for (id, call) in calls::calls(&client) {{\n        println!(\"{{id}}: {{:?}}\", call.await.is_ok());\n    }}\n}}\n",
        config.crate_ident()
    );
    std::fs::create_dir_all(dir.join("src")).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), main)?;
    crate::share_lock(root, dir)?;
    Ok(dir.to_path_buf())
}

fn count_lines(dir: &Path) -> Result<usize> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            total += count_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(total)
}
