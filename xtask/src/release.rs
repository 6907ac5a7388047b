//! `cargo xtask release-plan`: which crates a release publishes, in what
//! order, which it skips because their version is already on the index,
//! and how long crates.io's rate limits make it take; with `--publish`,
//! it publishes them, paced, and a rerun resumes where a stopped one left
//! off (what is published is skipped).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

/// One publishable crate of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crate {
    pub name: String,
    pub version: String,
    /// The workspace crates it depends on (normal and build dependencies).
    pub depends_on: Vec<String>,
}

/// What the index says of a crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Not on the index at all: publishing it makes a new crate.
    New,
    /// On the index, without this version.
    NewVersion,
    /// This version is already published.
    Published,
}

/// crates.io's limits: a burst, then one more per period.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub burst: u32,
    pub every: Duration,
}

/// New crates: 5 at once, then one per 10 minutes.
pub const NEW_CRATES: Limit = Limit { burst: 5, every: Duration::from_secs(600) };
/// New versions of existing crates: 30 at once, then one per minute.
pub const NEW_VERSIONS: Limit = Limit { burst: 30, every: Duration::from_secs(60) };

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub version: String,
    pub known: Known,
    /// How long after the start it can be published (zero in the burst).
    pub at: Duration,
}

/// The workspace's publishable crates (`publish` not `false`), from
/// `cargo metadata`.
pub fn workspace_crates(root: &Path) -> Result<Vec<Crate>> {
    let output = Command::new(crate::bench::cargo())
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).context("cargo metadata's output")?;
    crates_of(&metadata)
}

/// The publishable packages of `cargo metadata`'s output.
pub fn crates_of(metadata: &serde_json::Value) -> Result<Vec<Crate>> {
    let packages = metadata["packages"].as_array().context("no packages in cargo metadata")?;
    let publishable =
        |p: &serde_json::Value| !matches!(p["publish"].as_array(), Some(registries) if registries.is_empty());
    let names: BTreeSet<&str> = packages.iter().filter(|p| publishable(p)).filter_map(|p| p["name"].as_str()).collect();
    let mut out = Vec::new();
    for package in packages.iter().filter(|p| publishable(p)) {
        let name = package["name"].as_str().context("a package without a name")?;
        let mut depends_on: Vec<String> = package["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["kind"].as_str() != Some("dev"))
            .filter_map(|d| d["name"].as_str())
            .filter(|d| names.contains(d))
            .map(str::to_owned)
            .collect();
        depends_on.sort();
        depends_on.dedup();
        let version = package["version"].as_str().context("a package without a version")?.to_owned();
        out.push(Crate { name: name.to_owned(), version, depends_on });
    }
    Ok(out)
}

/// `crates` ordered so that each comes after the crates it depends on
/// (by name where the order is free, so the plan is the same every run).
pub fn dependency_order(crates: &[Crate]) -> Result<Vec<Crate>> {
    let mut left: BTreeMap<&str, &Crate> = crates.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready: Vec<&str> = left
            .iter()
            .filter(|(_, c)| c.depends_on.iter().all(|d| done.contains(d) || !left.contains_key(d.as_str())))
            .map(|(name, _)| *name)
            .collect();
        if ready.is_empty() {
            bail!("the crates depend on each other in a cycle: {:?}", left.keys().collect::<Vec<_>>());
        }
        for name in ready {
            if let Some(c) = left.remove(name) {
                done.insert(name.to_owned());
                out.push(c.clone());
            }
        }
    }
    Ok(out)
}

/// Where a crate's file is in a sparse index (crates.io's layout).
pub fn index_path(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

/// What the index (`https://index.crates.io` or a folder laid out the
/// same way) says of `name` at `version`.
pub fn known(index: &str, name: &str, version: &str) -> Result<Known> {
    let path = index_path(name);
    let text = if index.starts_with("http://") || index.starts_with("https://") {
        let url = format!("{}/{path}", index.trim_end_matches('/'));
        let output =
            Command::new("curl").args(["-sS", "-w", "\n%{http_code}", &url]).output().context("cannot run curl")?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", ""));
        match code {
            "200" => Some(body.to_owned()),
            "404" | "410" => None,
            other => bail!("{url}: HTTP {other}"),
        }
    } else {
        let file = Path::new(index).join(&path);
        match std::fs::read_to_string(&file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => bail!("cannot read {}: {e}", file.display()),
        }
    };
    let Some(text) = text else { return Ok(Known::New) };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{name}: an index line that is not JSON"))?;
        if entry["vers"].as_str() == Some(version) {
            return Ok(Known::Published);
        }
    }
    Ok(Known::NewVersion)
}

/// The plan: every crate in dependency order, with when it can go out
/// under crates.io's limits (each kind of publish has its own budget).
pub fn plan(ordered: &[Crate], known_of: impl Fn(&Crate) -> Result<Known>) -> Result<Vec<Step>> {
    let mut used = BTreeMap::from([("new", 0u32), ("version", 0u32)]);
    let mut at = Duration::ZERO;
    let mut steps = Vec::new();
    for c in ordered {
        let known = known_of(c)?;
        let (bucket, limit) = match known {
            Known::New => ("new", NEW_CRATES),
            Known::NewVersion => ("version", NEW_VERSIONS),
            Known::Published => {
                steps.push(Step { name: c.name.clone(), version: c.version.clone(), known, at });
                continue;
            }
        };
        let n = used.entry(bucket).or_default();
        *n += 1;
        // The n-th of its kind waits for (n - burst) periods; publishing is
        // in order, so never before the one ahead of it.
        let earliest = limit.every * n.saturating_sub(limit.burst);
        at = at.max(earliest);
        steps.push(Step { name: c.name.clone(), version: c.version.clone(), known, at });
    }
    Ok(steps)
}

/// The plan as a table, with its totals.
pub fn describe(steps: &[Step]) -> String {
    let mut out = String::from("| # | crate | version | action | not before |\n| --- | --- | --- | --- | --- |\n");
    for (i, s) in steps.iter().enumerate() {
        let action = match s.known {
            Known::New => "publish (new crate)",
            Known::NewVersion => "publish (new version)",
            Known::Published => "skip (published)",
        };
        let _ = writeln!(out, "| {} | {} | {} | {action} | {} |", i + 1, s.name, s.version, minutes(s.at));
    }
    let publish = steps.iter().filter(|s| s.known != Known::Published).count();
    let total = steps.iter().filter(|s| s.known != Known::Published).map(|s| s.at).max().unwrap_or_default();
    let _ = write!(
        out,
        "\n{publish} to publish, {} already published; about {} in all (new crates: {} at once, then one per {} min; new versions: {} at once, then one per {} min)\n",
        steps.len() - publish,
        minutes(total),
        NEW_CRATES.burst,
        NEW_CRATES.every.as_secs() / 60,
        NEW_VERSIONS.burst,
        NEW_VERSIONS.every.as_secs() / 60,
    );
    out
}

fn minutes(d: Duration) -> String {
    let m = d.as_secs() / 60;
    if m < 60 { format!("{m} min") } else { format!("{} h {} min", m / 60, m % 60) }
}

/// `cargo xtask release-plan`: prints the plan; with `publish`, carries it
/// out with `cargo publish`, waiting as the plan says.
pub fn run(root: &Path, index: &str, publish: bool) -> Result<()> {
    let ordered = dependency_order(&workspace_crates(root)?)?;
    let steps = plan(&ordered, |c| known(index, &c.name, &c.version))?;
    print!("{}", describe(&steps));
    if !publish {
        return Ok(());
    }
    let started = std::time::Instant::now();
    for step in steps.iter().filter(|s| s.known != Known::Published) {
        if let Some(wait) = step.at.checked_sub(started.elapsed()).filter(|w| !w.is_zero()) {
            eprintln!("==> waiting {} for crates.io's rate limit before {}", minutes(wait), step.name);
            std::thread::sleep(wait);
        }
        eprintln!("==> cargo publish -p {} ({})", step.name, step.version);
        let status = Command::new(crate::bench::cargo())
            .args(["publish", "--locked", "-p", &step.name])
            .current_dir(root)
            .status()
            .context("cannot run cargo publish")?;
        if !status.success() {
            bail!("cargo publish -p {} failed; rerun to resume (what is published is skipped)", step.name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn krate(name: &str, deps: &[&str]) -> Crate {
        Crate {
            name: name.to_owned(),
            version: "0.2.0".to_owned(),
            depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
        }
    }

    /// A stand-in index folder, laid out as crates.io's sparse index.
    fn index(entries: &[(&str, &[&str])]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("release-index-{}-{}", std::process::id(), entries.len()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, versions) in entries {
            let file = dir.join(index_path(name));
            std::fs::create_dir_all(file.parent().expect("a parent")).expect("index folder");
            let lines: Vec<String> =
                versions.iter().map(|v| format!(r#"{{"name":"{name}","vers":"{v}","deps":[],"cksum":"0"}}"#)).collect();
            std::fs::write(file, lines.join("\n") + "\n").expect("index file");
        }
        dir
    }

    #[test]
    fn index_paths_follow_the_sparse_layout() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("ab"), "2/ab");
        assert_eq!(index_path("abc"), "3/a/abc");
        assert_eq!(index_path("drun-runtime"), "dr/un/drun-runtime");
    }

    #[test]
    fn the_plan_orders_by_dependency_skips_what_is_published_and_paces_new_crates() {
        let mut crates =
            vec![krate("drun-client", &["drun-runtime", "drun-ghippo", "drun-kpanda"]), krate("drun-runtime", &[])];
        for m in ["ghippo", "kpanda", "baize", "zestu", "hydra", "leopard"] {
            crates.push(krate(&format!("drun-{m}"), &["drun-runtime"]));
        }
        crates.push(krate("drun-cli", &["drun-runtime"]));
        // The runtime's 0.2.0 is out; ghippo and kpanda exist at 0.1.0;
        // the others are new crates.
        let dir =
            index(&[("drun-runtime", &["0.1.0", "0.2.0"]), ("drun-ghippo", &["0.1.0"]), ("drun-kpanda", &["0.1.0"])]);
        let index = dir.to_string_lossy().into_owned();
        let ordered = dependency_order(&crates).expect("no cycle");
        let position = |n: &str| ordered.iter().position(|c| c.name == n).expect("listed");
        assert_eq!(position("drun-runtime"), 0);
        assert!(position("drun-client") > position("drun-ghippo") && position("drun-client") > position("drun-kpanda"));
        let steps = plan(&ordered, |c| known(&index, &c.name, &c.version)).expect("a plan");
        let of = |n: &str| steps.iter().find(|s| s.name == n).expect("planned").clone();
        assert_eq!(of("drun-runtime").known, Known::Published);
        assert_eq!((of("drun-ghippo").known, of("drun-ghippo").at), (Known::NewVersion, Duration::ZERO));
        // Six new crates (four modules, the CLI and the umbrella): five at
        // once, then one per ten minutes.
        let new: Vec<Duration> = steps.iter().filter(|s| s.known == Known::New).map(|s| s.at).collect();
        assert_eq!(new.len(), 6);
        assert_eq!(new.iter().filter(|d| d.is_zero()).count(), 5);
        assert_eq!(new.iter().max(), Some(&Duration::from_secs(600)));
        let table = describe(&steps);
        assert!(
            table.contains("skip (published)") && table.contains("8 to publish, 1 already published; about 10 min"),
            "{table}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn new_versions_burst_thirty_then_one_a_minute() {
        let crates: Vec<Crate> = (0..33).map(|i| krate(&format!("crate-{i:02}"), &[])).collect();
        let steps = plan(&crates, |_| Ok(Known::NewVersion)).expect("a plan");
        assert_eq!(steps[29].at, Duration::ZERO);
        assert_eq!(steps[32].at, Duration::from_secs(180));
    }

    #[test]
    fn the_workspace_publishes_every_library_and_the_command_line_in_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository");
        let ordered = dependency_order(&workspace_crates(root).expect("cargo metadata")).expect("no cycle");
        let names: Vec<&str> = ordered.iter().map(|c| c.name.as_str()).collect();
        // The runtime, the generator, the command line, 27 modules and
        // the umbrella; no test or tool crate.
        assert_eq!(names.len(), 31, "{names:?}");
        assert!(!names.iter().any(|n| ["xtask", "drun-e2e", "provision"].contains(n)), "{names:?}");
        let position = |n: &str| names.iter().position(|m| *m == n).expect(n);
        assert!(position("drun-runtime") < position("drun-ghippo"));
        assert!(position("drun-ghippo") < position("drun-client"));
        assert!(position("drun-runtime") < position("drun-cli"));
    }
}
