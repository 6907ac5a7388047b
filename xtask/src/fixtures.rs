//! Every fixture document's client, generated and built like a user's:
//! one workspace under `target/fixture-clients` with a crate per fixture and
//! the behaviour tests of `tests/fixture-behaviour`, checked with clippy
//! (`-D warnings`) and tested. It shares the main target folder, so the
//! dependencies are built once.

use std::path::{Path, PathBuf};

use drun_generator::{Config, Previous, Source};

/// Generates the fixture clients and the workspace around them; returns the
/// workspace folder.
pub fn prepare(root: &Path) -> Result<PathBuf, String> {
    let fixtures = root.join("generator/tests/fixtures/clients");
    let dir = root.join("target/fixture-clients");
    let mut stems = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    entries.sort();
    for spec in entries {
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let shown =
            format!("generator/tests/fixtures/clients/{}", spec.file_name().unwrap_or_default().to_string_lossy());
        let out = dir.join(&stem);
        let config = Config {
            // Cargo package names take letters, digits, `-` and `_` only.
            crate_name: format!("fixture-{}", stem.replace(|c: char| !c.is_ascii_alphanumeric(), "-")),
            module: Some(stem.clone()),
            runtime_path: Some(crate::relative_path(&out, &root.join("runtime"))),
            ..Config::default()
        };
        let output = drun_generator::generate_with(
            &Source { display_path: &shown, bytes: &bytes },
            &config,
            &Previous::default(),
        )
        .map_err(|e| e.to_string())?;
        for w in &output.warnings {
            eprintln!("warning: {w}");
        }
        drun_generator::write::plan(&out, &output.files)?.apply(&out)?;
        stems.push(stem);
    }
    // The behaviour tests, copied beside the clients they use.
    let behaviour = root.join("tests/fixture-behaviour");
    copy_dir(&behaviour, &dir.join("behaviour"))?;
    let members: Vec<String> = stems.iter().map(|s| format!("\"{s}\"")).chain(["\"behaviour\"".to_owned()]).collect();
    let manifest = format!(
        "# Written by `cargo xtask test`: the fixture clients and their behaviour tests.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // Same dependency versions as the main workspace.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(dir)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
