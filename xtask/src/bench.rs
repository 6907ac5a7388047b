//! `cargo xtask bench`: the runtime and generation figures of the README's
//! Performance section, measured the same way on any machine.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

/// Each comparison: criterion group, the measured function, its baseline.
const RATIOS: [(&str, &str, &str); 3] = [
    ("decode_list_users_10k", "client_decode_path", "serde_json_from_slice"),
    ("list_users_loopback", "generated_client", "hand_written_reqwest"),
    ("generate_ghippo", "whole_pipeline", "parse_json_value"),
];

/// The stages `generate_stages` measures, in pipeline order.
const STAGES: [&str; 7] =
    ["load", "model", "emit_models", "emit_operations", "emit_mocks", "emit_cli_table", "check_against_committed"];

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs the criterion benches, then prints their medians and ratios.
pub fn bench(root: &Path) -> Result<()> {
    for (package, bench) in
        [("drun-e2e", "decode"), ("drun-e2e", "request"), ("drun-e2e", "request_pairs"), ("drun-generator", "generate")]
    {
        eprintln!("==> cargo bench -p {package} --bench {bench}");
        let status = Command::new(cargo())
            .args(["bench", "--locked", "-p", package, "--bench", bench])
            .current_dir(root)
            .status()
            .context("cannot run cargo")?;
        if !status.success() {
            bail!("bench {bench} failed ({status})");
        }
    }
    let instructions = instructions_per_call(root)?;
    println!("| benchmark | median | baseline median | ratio |");
    println!("| --- | --- | --- | --- |");
    for (group, measured, baseline) in RATIOS {
        let m = median_ns(root, group, measured)?;
        let b = median_ns(root, group, baseline)?;
        println!("| {group}: {measured} vs {baseline} | {} | {} | {:.2}x |", human(m), human(b), m / b);
    }
    // Each stage of generating one module, so that a regression names its
    // stage.
    println!("\n| generation stage (ghippo) | median |\n| --- | --- |");
    for stage in STAGES {
        println!("| {stage} | {} |", human(median_ns(root, "generate_stages", stage)?));
    }
    match instructions {
        Some((generated, hand)) => println!(
            "| list_users instructions per call: generated_client vs hand_written_reqwest | {generated:.0} | {hand:.0} | {:.3}x |",
            generated / hand
        ),
        None => println!("(valgrind not found: instruction counts skipped)"),
    }
    Ok(())
}

/// Instructions per `list_users` call for the generated client and the
/// hand-written one, counted by callgrind at two call counts so that
/// set-up cancels out; `None` without valgrind.
fn instructions_per_call(root: &Path) -> Result<Option<(f64, f64)>> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        return Ok(None);
    }
    eprintln!("==> instructions per call (callgrind)");
    let out = Command::new(cargo())
        .args([
            "bench",
            "--locked",
            "-p",
            "drun-e2e",
            "--bench",
            "request_instructions",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root)
        .output()
        .context("cannot run cargo")?;
    if !out.status.success() {
        bail!("building request_instructions failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let binary = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["target"]["name"] == "request_instructions")
        .find_map(|v| v["executable"].as_str().map(str::to_owned))
        .context("cargo named no request_instructions executable")?;
    let count = |client: &str, calls: u64| -> Result<f64> {
        let out = Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", &binary, client, &calls.to_string()])
            .output()
            .context("cannot run valgrind")?;
        let text = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            bail!("valgrind {client} {calls} failed:\n{text}");
        }
        text.lines()
            .find_map(|l| l.split_once("Collected :").and_then(|(_, n)| n.trim().parse::<f64>().ok()))
            .with_context(|| format!("no instruction count in valgrind's output:\n{text}"))
    };
    let (few, many) = (100, 600);
    let per_call =
        |client: &str| -> Result<f64> { Ok((count(client, many)? - count(client, few)?) / (many - few) as f64) };
    Ok(Some((per_call("generated")?, per_call("hand")?)))
}

/// Criterion's median estimate, in nanoseconds.
fn median_ns(root: &Path, group: &str, function: &str) -> Result<f64> {
    let path = root.join("target/criterion").join(group).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let v: Value = serde_json::from_str(&text).with_context(|| format!("invalid JSON in {}", path.display()))?;
    v["median"]["point_estimate"].as_f64().with_context(|| format!("{}: no median", path.display()))
}

fn human(ns: f64) -> String {
    if ns >= 1e6 { format!("{:.2} ms", ns / 1e6) } else { format!("{:.1} µs", ns / 1e3) }
}
