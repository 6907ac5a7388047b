//! `drun-generate`, the installable generator: for the same document and
//! settings it writes, byte for byte, what `cargo xtask generate` commits
//! for the fixture clients; `--check` writes nothing and fails on drift.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf()
}

/// Every file under `dir`, by its path below it.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("below").to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).expect("a file")));
            }
        }
    }
    out.sort();
    out
}

fn generate(stem: &str, document: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let config = out.with_extension("yaml");
    std::fs::create_dir_all(out.parent().expect("a parent")).expect("scratch");
    let settings = format!(
        "crate_name: fixture-{}\nmodule: {stem}\nruntime_path: ../../../runtime\n",
        stem.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    std::fs::write(&config, settings).expect("settings");
    Command::new(env!("CARGO_BIN_EXE_drun-generate"))
        .args(["--spec", document, "--out"])
        .arg(out)
        .arg("--config")
        .arg(&config)
        .args(extra)
        .current_dir(root())
        .output()
        .expect("drun-generate runs")
}

#[test]
fn writes_what_the_xtask_commits_byte_for_byte_and_check_catches_drift() {
    let scratch = std::env::temp_dir().join(format!("drun-generate-{}", std::process::id()));
    for (stem, document) in [
        ("shapes", "generator/tests/fixtures/clients/shapes.yaml"),
        ("etcd-v3.4.23", "generator/tests/fixtures/clients/etcd-v3.4.23.json"),
    ] {
        let out = scratch.join(stem);
        let written = generate(stem, document, &out, &[]);
        assert!(written.status.success(), "{written:?}");
        let committed = root().join("tests/fixture-clients").join(stem);
        let (ours, theirs) = (files(&out), files(&committed));
        assert_eq!(ours.len(), theirs.len(), "{stem}: {:?}", ours.iter().map(|f| &f.0).collect::<Vec<_>>());
        for ((name, bytes), (committed_name, committed_bytes)) in ours.iter().zip(&theirs) {
            assert_eq!(name, committed_name);
            assert!(bytes == committed_bytes, "{stem}: {name} differs from the committed fixture client");
        }
        // --check: clean now; after an edit, a failure with a diff, and the
        // edit left as it was.
        assert!(generate(stem, document, &out, &["--check"]).status.success());
        let lib = out.join("src/lib.rs");
        let edited = format!("{}// edited by hand\n", std::fs::read_to_string(&lib).expect("lib.rs"));
        std::fs::write(&lib, &edited).expect("edit");
        let checked = generate(stem, document, &out, &["--check"]);
        assert_eq!(checked.status.code(), Some(1), "{checked:?}");
        assert!(String::from_utf8_lossy(&checked.stdout).contains("edited by hand"), "{checked:?}");
        assert_eq!(std::fs::read_to_string(&lib).expect("lib.rs"), edited, "--check wrote");
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn bad_arguments_say_what_and_exit_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_drun-generate")).arg("--nope").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument `--nope`"));
    let output = Command::new(env!("CARGO_BIN_EXE_drun-generate"))
        .args(["--spec", "/nonexistent.yaml", "--out", "/tmp/x"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent.yaml"), "{output:?}");
}

/// The configuration example of `docs/generator.md` is one the generator
/// takes, and each of its settings shows in the crate.
#[test]
fn the_documented_configuration_example_generates() {
    let out = root().join("target/drun-generate-tests/example-config");
    let _ = std::fs::remove_dir_all(&out);
    let output = Command::new(env!("CARGO_BIN_EXE_drun-generate"))
        .args(["--spec", "tests/features/pagination.yaml", "--config", "docs/examples/generator.yaml", "--out"])
        .arg(&out)
        .current_dir(root())
        .output()
        .expect("drun-generate runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let read = |path: &str| std::fs::read_to_string(out.join(path)).expect(path);
    let manifest = read("Cargo.toml");
    assert!(
        manifest.contains("name = \"pages-client\"") && manifest.contains("license = \"Apache-2.0\""),
        "{manifest}"
    );
    let users = read("src/apis/users.rs");
    assert!(users.contains("crate::Pages<'a, crate::models::UserPage>"), "the rename and the paging helper: {users}");
    assert!(read("src/lib.rs").contains("fn pages(&self)"), "the module's accessor");
    assert!(
        read("src/models/user.rs").contains("out.field(\"name\", &crate::codec::Redacted)"),
        "the configured secret"
    );
}
