//! The crates as users get them: `cargo package` of every publishable
//! crate, each archive's file list checked (sources, manifest and README;
//! nothing a user does not need), and a user's crate outside the workspace
//! that depends on `drun-client = "0.1"` by version, resolved to the
//! unpacked archives (never to the workspace's folders), built and tested
//! against the typed mocks; then every other archive compiled from its own
//! files: the user's crate with every module turned on, and the generator
//! and the command line each on its own, their workspace dependencies
//! resolved to the archives too.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// A packaged crate: its archive and where it was unpacked.
struct Package {
    name: String,
    version: String,
    bytes: u64,
    unpacked: PathBuf,
}

fn cargo() -> Command {
    Command::new(crate::bench::cargo())
}

/// Packages every publishable crate (no verification build: the user
/// crate below builds the ones it uses from their archives) and unpacks
/// each under `target/packages`.
fn package_all(root: &Path) -> Result<Vec<Package>> {
    let crates = crate::release::dependency_order(&crate::release::workspace_crates(root)?)?;
    let mut args = vec!["package", "--no-verify", "--offline", "--locked", "--allow-dirty", "--quiet"];
    for c in &crates {
        args.extend(["-p", c.name.as_str()]);
    }
    let status = cargo().args(&args).current_dir(root).status().context("cannot run cargo package")?;
    if !status.success() {
        bail!("cargo package failed");
    }
    let unpacked_root = root.join("target/packages");
    if unpacked_root.exists() {
        std::fs::remove_dir_all(&unpacked_root).context("cannot clear target/packages")?;
    }
    std::fs::create_dir_all(&unpacked_root)?;
    let mut out = Vec::new();
    for c in crates {
        let archive = root.join(format!("target/package/{}-{}.crate", c.name, c.version));
        let bytes = std::fs::metadata(&archive).with_context(|| format!("no archive {}", archive.display()))?.len();
        let status = Command::new("tar")
            .arg("xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&unpacked_root)
            .status()
            .context("cannot run tar")?;
        if !status.success() {
            bail!("cannot unpack {}", archive.display());
        }
        let unpacked = unpacked_root.join(format!("{}-{}", c.name, c.version));
        out.push(Package { name: c.name, version: c.version, bytes, unpacked });
    }
    Ok(out)
}

/// Files an archive may hold: what cargo adds, the manifest, the README,
/// the sources; the command line's table and its search tasks.
fn allowed(name: &str, file: &str) -> bool {
    matches!(file, "Cargo.toml" | "Cargo.toml.orig" | "Cargo.lock" | "README.md" | ".cargo_vcs_info.json")
        || (file.starts_with("src/") && file.ends_with(".rs"))
        || (name == "drun-cli"
            && (file.starts_with("src/generated/") && file.ends_with(".json") || file == "tests/data/search-tasks.tsv"))
}

/// A user's crate, as the README tells one to write it, with every
/// publishable crate patched to its unpacked archive.
fn user_crate(root: &Path, packages: &[Package]) -> Result<PathBuf> {
    let dir = root.join("target/user-crate");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::create_dir_all(dir.join("tests"))?;
    let mut manifest = String::from(
        "[package]\nname = \"user-crate\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n\
         [dependencies]\ndrun-client = { version = \"0.1\", features = [\"ghippo\"] }\n\n\
         [dev-dependencies]\ndrun-client = { version = \"0.1\", features = [\"ghippo\", \"mocks\"] }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n\n\
         # The packaged archives, as crates.io would serve them.\n[patch.crates-io]\n",
    );
    for p in packages {
        let _ = writeln!(manifest, "{} = {{ path = \"{}\" }}", p.name, p.unpacked.display());
    }
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(
        dir.join("src/lib.rs"),
        "//! A user's code: the names of the platform's users.\n\n\
         use drun_client::ghippo::apis::users::ListUsersParams;\n\
         use drun_client::prelude::*;\n\n\
         /// The names of the first page of users.\n\
         pub async fn user_names(client: &drun_client::Client) -> drun_client::Result<Vec<String>> {\n    \
             let users = client.ghippo().users().list_users(&ListUsersParams::default()).await?;\n    \
             Ok(users.items.into_iter().map(|u| u.name).collect())\n}\n",
    )?;
    std::fs::write(
        dir.join("tests/mocked.rs"),
        "use drun_client::ghippo::{self, models::{ListUsersResponse, User}};\n\
         use drun_client::mock::{Arg, MockServer};\n\n\
         #[tokio::test]\n\
         async fn lists_the_names_from_the_mock() {\n    \
             let server = MockServer::start().await;\n    \
             let answer = ListUsersResponse::default().set_items(vec![User::default().set_name(\"ann\"), User::default().set_name(\"bob\")]);\n    \
             server.expect(ghippo::mocks::users::list_users(Arg::Any).respond(answer)).await;\n    \
             let client = server.client_builder().build().unwrap();\n    \
             assert_eq!(user_crate::user_names(&client).await.unwrap(), [\"ann\", \"bob\"]);\n}\n",
    )?;
    Ok(dir)
}

/// The whole check: packages, their contents, the user's crate; returns
/// the sizes table for the docs.
pub fn check(root: &Path) -> Result<String> {
    let packages = package_all(root)?;
    let mut problems = Vec::new();
    let mut table = String::from("| crate | version | archive |\n| --- | --- | --- |\n");
    for p in &packages {
        let files: Vec<String> = crate::files_under(&p.unpacked)
            .iter()
            .map(|f| f.strip_prefix(&p.unpacked).unwrap_or(f).to_string_lossy().replace('\\', "/"))
            .collect();
        problems.extend(files.iter().filter(|f| !allowed(&p.name, f)).map(|f| format!("{}: {f} is packaged", p.name)));
        if !files.iter().any(|f| f == "README.md") {
            problems.push(format!("{}: no README.md", p.name));
        }
        let _ = writeln!(table, "| {} | {} | {} KB |", p.name, p.version, p.bytes.div_ceil(1000));
    }
    if !problems.is_empty() {
        bail!("archives hold what users do not need:\n{}", problems.join("\n"));
    }
    let largest = packages.iter().map(|p| p.bytes).max().unwrap_or_default();
    eprintln!(
        "==> {} crates packaged; the largest archive {} KB (crates.io allows 10 MiB)",
        packages.len(),
        largest / 1000
    );
    let dir = user_crate(root, &packages)?;
    let target = root.join("target").to_string_lossy().into_owned();
    let status = cargo()
        .args(["test", "--offline", "--quiet", "--target-dir", &target])
        .current_dir(&dir)
        // Standard output is the sizes table.
        .stdout(std::process::Stdio::from(std::io::stderr()))
        .status()
        .context("cannot run cargo test in the user crate")?;
    if !status.success() {
        bail!("the user crate that depends on drun-client 0.1 by version does not build or pass its test");
    }
    // Resolved to the archives, not to the workspace's folders.
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).context("the user crate's lock file")?;
    let metadata = cargo()
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(&dir)
        .output()
        .context("cargo metadata")?;
    let metadata = String::from_utf8_lossy(&metadata.stdout);
    if !lock.contains("name = \"drun-ghippo\"") || metadata.contains(&format!("{}/generated-client", root.display())) {
        bail!("the user crate did not resolve drun-ghippo to its archive");
    }
    eprintln!("==> a crate outside the workspace built and tested against drun-client 0.1 from its archive");
    check_every_archive(root, &dir, &packages)?;
    Ok(table)
}

/// Compiles every archive from its own files (`cargo check`: everything a
/// build does but code generation, build scripts included), so that a
/// file missing from an archive, or a dependency only the workspace
/// provides, fails here rather than on crates.io: the 27 modules and the
/// umbrella through the user's crate with `full`; the generator and the
/// command line from their unpacked folders, with the workspace's crates
/// patched to their archives.
fn check_every_archive(root: &Path, user_crate: &Path, packages: &[Package]) -> Result<()> {
    let target = root.join("target").to_string_lossy().into_owned();
    let started = std::time::Instant::now();
    let status = cargo()
        .args(["check", "--offline", "--quiet", "--target-dir", &target, "--features", "drun-client/full"])
        .current_dir(user_crate)
        .status()
        .context("cannot run cargo check in the user crate")?;
    if !status.success() {
        bail!("a module crate does not compile from its archive (drun-client with every module)");
    }
    let patches: Vec<String> = packages
        .iter()
        .map(|p| format!("patch.crates-io.{}.path={:?}", p.name, p.unpacked.display().to_string()))
        .collect();
    for name in ["drun-generator", "drun-cli"] {
        let package = packages.iter().find(|p| p.name == name).with_context(|| format!("no archive of {name}"))?;
        let mut command = cargo();
        // The library and binaries a user builds; the unit tests read the
        // repository (its documents and fixtures), which no archive holds.
        command.args(["check", "--offline", "--quiet", "--target-dir", &target]);
        for patch in patches.iter().filter(|p| !p.starts_with(&format!("patch.crates-io.{name}."))) {
            command.args(["--config", patch]);
        }
        let status = command.current_dir(&package.unpacked).status().with_context(|| format!("cannot check {name}"))?;
        if !status.success() {
            bail!("{name} does not compile from its archive");
        }
    }
    eprintln!(
        "==> every archive compiled from its own files ({} crates, {:.0} s)",
        packages.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
