//! `cargo xtask compile-times --tls`: a new user's first build, for each
//! TLS choice. A crate that depends on `drun-client` with `ghippo` is
//! built from nothing (every dependency included, as on a fresh machine
//! with the registry already downloaded) with `--timings`; the table gives
//! the median wall time, the CPU time summed over every unit, and the units
//! that took longest.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use crate::bench::cargo;

/// The choices: a name, and how the user crate depends on `drun-client`.
const CHOICES: [(&str, &str); 3] = [
    ("rustls + ring (default)", r#"features = ["ghippo"]"#),
    ("rustls + aws-lc-rs", r#"default-features = false, features = ["rustls-aws-lc", "ghippo"]"#),
    ("native-tls (OpenSSL)", r#"default-features = false, features = ["native-tls", "ghippo"]"#),
];

/// How many units the table names, longest first.
const SLOWEST: usize = 4;

/// One unit of a `--timings` report: its name and seconds.
struct Unit {
    name: String,
    seconds: f64,
}

pub fn run(root: &Path, runs: usize) -> Result<String> {
    let base = root.join("target/first-build");
    let mut table = String::from(
        "| TLS choice | first build, median | CPU time (sum of units) | longest units |\n| --- | --- | --- | --- |\n",
    );
    for (i, (name, dependency)) in CHOICES.iter().enumerate() {
        let dir = base.join(format!("user-{i}"));
        write_user_crate(root, &dir, dependency)?;
        let mut walls = Vec::new();
        let mut last = Vec::new();
        for _ in 0..runs {
            let target = dir.join("target");
            if target.exists() {
                std::fs::remove_dir_all(&target).with_context(|| format!("cannot remove {}", target.display()))?;
            }
            let t = Instant::now();
            let out = Command::new(cargo())
                .args(["build", "--offline", "--timings"])
                .env("CARGO_INCREMENTAL", "0")
                .env_remove("CARGO_TARGET_DIR")
                .current_dir(&dir)
                .output()
                .context("cannot run cargo")?;
            if !out.status.success() {
                bail!("the {name} user crate does not build:\n{}", String::from_utf8_lossy(&out.stderr));
            }
            walls.push(t.elapsed().as_secs_f64());
            last = units(&target.join("cargo-timings/cargo-timing.html"))?;
        }
        walls.sort_by(f64::total_cmp);
        let cpu: f64 = last.iter().map(|u| u.seconds).sum();
        last.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
        let slowest: Vec<String> =
            last.iter().take(SLOWEST).map(|u| format!("{} {:.1} s", u.name, u.seconds)).collect();
        let _ = writeln!(
            table,
            "| {name} | {:.1} s ({} runs) | {cpu:.1} s | {} |",
            walls[walls.len() / 2],
            walls.len(),
            slowest.join(", ")
        );
    }
    Ok(table)
}

/// A crate that depends on `drun-client` as `dependency` says, with the
/// workspace's lock file: how a new user's crate looks.
pub(crate) fn write_user_crate(root: &Path, dir: &Path, dependency: &str) -> Result<()> {
    std::fs::create_dir_all(dir.join("src")).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"first-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
         [dependencies]\ndrun-client = {{ path = {:?}, {dependency} }}\n",
        root.join("generated-client").display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).context("cannot write a user crate")?;
    std::fs::write(dir.join("src/lib.rs"), "pub use drun_client::Client;\n").context("cannot write a user crate")?;
    crate::share_lock(root, dir)
}

/// The units of a `--timings` report (its `UNIT_DATA` line), a build
/// script's run named as such.
fn units(report: &Path) -> Result<Vec<Unit>> {
    let html = std::fs::read_to_string(report).with_context(|| format!("cannot read {}", report.display()))?;
    let (_, data) = html.split_once("const UNIT_DATA = ").context("no UNIT_DATA in the --timings report")?;
    // The list spans lines and is followed by more script: read one value.
    let data: serde_json::Value = serde_json::Deserializer::from_str(data)
        .into_iter()
        .next()
        .context("UNIT_DATA is empty")?
        .context("the --timings UNIT_DATA is not JSON")?;
    let units = data.as_array().context("UNIT_DATA is not a list")?;
    Ok(units
        .iter()
        .map(|u| {
            let name = u["name"].as_str().unwrap_or("?");
            let target = u["target"].as_str().unwrap_or("");
            Unit { name: format!("{name}{target}"), seconds: u["duration"].as_f64().unwrap_or(0.0) }
        })
        .collect())
}
