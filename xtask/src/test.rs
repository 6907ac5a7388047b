//! `cargo xtask test`: every check the project has, in the order that fails
//! fastest: the drift check, clippy, rustdoc, then the test suites.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One step: a name and the command line.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step { name: "drift check", args: &["xtask", "generate", "--check"], env: &[] },
    Step {
        name: "clippy",
        args: &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
        env: &[],
    },
    Step {
        name: "rustdoc",
        args: &["doc", "--workspace", "--no-deps", "--locked"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    Step { name: "tests", args: &["test", "--workspace", "--locked"], env: &[] },
];

/// Runs every step from `root`; stops at the first failure.
pub fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    for step in STEPS {
        eprintln!("==> {} (cargo {})", step.name, step.args.join(" "));
        let t = Instant::now();
        let status = Command::new(&cargo)
            .args(step.args)
            .envs(step.env.iter().copied())
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{} failed ({status})", step.name));
        }
        eprintln!("==> {} passed in {:.1} s", step.name, t.elapsed().as_secs_f64());
    }
    eprintln!("==> all checks passed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
