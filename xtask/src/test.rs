//! `cargo xtask test`: every check the project has, in the order that fails
//! fastest: the drift check, clippy, rustdoc, then the test suites.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
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

/// Test counts summed over every `test result:` line cargo prints.
#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Counts {
    /// Adds the counts of a line like
    /// `test result: ok. 9 passed; 0 failed; 1 ignored; ...`.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { return };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(n)) = (words.next(), words.next()) else { continue };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.ignored += n,
                _ => {}
            }
        }
    }
}

/// Runs every step from `root`; stops at the first failure. Ends with one
/// line that sums up every test run.
pub fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let mut counts = Counts::default();
    for step in STEPS {
        eprintln!("==> {} (cargo {})", step.name, step.args.join(" "));
        let t = Instant::now();
        let mut child = Command::new(&cargo)
            .args(step.args)
            .envs(step.env.iter().copied())
            .current_dir(root)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        // Echo the output as it comes, counting test results on the way.
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                counts.add_line(&line);
                println!("{line}");
            }
        }
        let status = child.wait().map_err(|e| format!("cannot wait for cargo: {e}"))?;
        if !status.success() {
            println!("tests: {} passed, {} failed, {} skipped", counts.passed, counts.failed.max(1), counts.ignored);
            return Err(format!("{} failed ({status})", step.name));
        }
        eprintln!("==> {} passed in {:.1} s", step.name, t.elapsed().as_secs_f64());
    }
    eprintln!("==> all checks passed in {:.1} s", started.elapsed().as_secs_f64());
    println!("tests: {} passed, {} failed, {} skipped", counts.passed, counts.failed, counts.ignored);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cargo_test_result_lines() {
        let mut c = Counts::default();
        c.add_line("test result: ok. 9 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.22s");
        c.add_line("test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out");
        c.add_line("running 9 tests");
        assert_eq!((c.passed, c.failed, c.ignored), (11, 3, 1));
    }
}
