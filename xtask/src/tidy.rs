//! The rules of ARCHITECTURE.md that a machine can check, as tests (run by
//! `cargo xtask test` with the workspace's): every hand-written source
//! file says what it is for in its first line; imports run one way
//! through the generator's stages and between the crates; no hand-written
//! file grows past a size; every generated file carries the header.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf()
    }

    /// The `.rs` files under `dir` (relative to the root), outside folders
    /// named in `skip`.
    fn rust_files(dir: &str, skip: &[&str]) -> Vec<PathBuf> {
        let dir = root().join(dir);
        crate::files_under(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .filter(|p| {
                let below = p.strip_prefix(&dir).unwrap_or(p);
                !below.components().any(|c| skip.iter().any(|s| c.as_os_str() == *s))
            })
            .collect()
    }

    /// The hand-written Rust: every crate but the generated ones.
    fn hand_written() -> Vec<PathBuf> {
        let mut files = Vec::new();
        for dir in [
            "runtime",
            "generator/src",
            "generator/tests",
            "generator/benches",
            "cli/src",
            "cli/tests",
            "xtask/src",
            "tests/src",
            "tests/tests",
            "tests/benches",
            "tests/fixture-behaviour",
            "examples",
        ] {
            files.extend(rust_files(dir, &["generated", "target", "fixtures"]));
        }
        files
    }

    fn shown(path: &Path) -> String {
        path.strip_prefix(root()).unwrap_or(path).display().to_string()
    }

    #[test]
    fn every_hand_written_source_file_opens_with_what_it_is_for() {
        let missing: Vec<String> = hand_written()
            .into_iter()
            .filter(|p| !std::fs::read_to_string(p).is_ok_and(|t| t.starts_with("//!")))
            .map(|p| shown(&p))
            .collect();
        assert!(missing.is_empty(), "files that do not open with a `//!` line: {missing:?}");
    }

    /// The largest hand-written file is about 800 lines; one past 900 has
    /// grown more than one job and should be split.
    const MAX_LINES: usize = 900;

    #[test]
    fn no_hand_written_file_grows_past_the_limit() {
        let long: Vec<String> = hand_written()
            .into_iter()
            .filter_map(|p| {
                let lines = std::fs::read_to_string(&p).ok()?.lines().count();
                (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", shown(&p)))
            })
            .collect();
        assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
    }

    /// The first path segments after `crate::` of a file's top-level `use`
    /// items (tests inside may use anything).
    fn crate_imports(path: &Path) -> BTreeSet<String> {
        fn walk(tree: &syn::UseTree, under_crate: bool, out: &mut BTreeSet<String>) {
            match tree {
                syn::UseTree::Path(p) if !under_crate && p.ident == "crate" => walk(&p.tree, true, out),
                syn::UseTree::Path(p) if under_crate => {
                    out.insert(p.ident.to_string());
                }
                syn::UseTree::Name(n) if under_crate => {
                    out.insert(n.ident.to_string());
                }
                syn::UseTree::Rename(r) if under_crate => {
                    out.insert(r.ident.to_string());
                }
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, under_crate, out)),
                _ => {}
            }
        }
        let text = std::fs::read_to_string(path).expect("a source file");
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", shown(path)));
        let mut out = BTreeSet::new();
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                walk(&u.tree, false, &mut out);
            }
        }
        out
    }

    /// The generator's stages in order: a stage imports only from itself,
    /// the stages before it, and the shared leaves (errors, settings, the
    /// record of earlier names); only the workflow, the driver on top, may
    /// use the crate root's pipeline functions.
    #[test]
    fn imports_run_one_way_through_the_generators_stages() {
        const LEAVES: &[&str] =
            &["error", "config", "Config", "Error", "ErrorKind", "parallel", "previous", "Previous"];
        let stages: [(&str, &[&str]); 4] = [
            ("load", &["load"]),
            ("ir", &["load", "ir"]),
            ("emit", &["load", "ir", "emit", "write", "family"]),
            (
                "workflow",
                &[
                    "load",
                    "ir",
                    "emit",
                    "write",
                    "family",
                    "workflow",
                    "diff",
                    "provenance",
                    "Source",
                    "Stats",
                    "Warning",
                    "generate_with",
                    "model",
                    "sha256_hex",
                ],
            ),
        ];
        let mut wrong = Vec::new();
        for (stage, allowed) in stages {
            for file in rust_files(&format!("generator/src/{stage}"), &[]) {
                for import in crate_imports(&file) {
                    if !LEAVES.contains(&import.as_str()) && !allowed.contains(&import.as_str()) {
                        wrong.push(format!("{} imports crate::{import}", shown(&file)));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "imports that run back up the stages: {wrong:#?}");
    }

    /// The crates' own dependencies: the runtime depends on no other crate
    /// of the workspace; the command line reaches the network only through
    /// the runtime and depends on no module crate; the generator on none.
    #[test]
    fn crates_depend_one_way() {
        let manifest = |dir: &str| std::fs::read_to_string(root().join(dir).join("Cargo.toml")).expect("a manifest");
        let deps = |text: &str| -> Vec<String> {
            text.split("\n[")
                .filter(|section| section.starts_with("dependencies]"))
                .flat_map(|section| section.lines().skip(1))
                .filter_map(|line| line.split(['=', ' ']).next().map(str::to_owned))
                .filter(|name| name.starts_with("drun-"))
                .collect()
        };
        assert_eq!(deps(&manifest("runtime")), Vec::<String>::new());
        assert_eq!(deps(&manifest("generator")), Vec::<String>::new());
        assert_eq!(deps(&manifest("cli")), ["drun-runtime"]);
        for name in ["reqwest", "hyper"] {
            assert!(!manifest("cli").lines().any(|l| l.starts_with(name)), "cli depends on {name} directly");
        }
    }

    /// Every file under the generated folders carries the header (or is a
    /// generator record or setting beside it), so that a reader knows not
    /// to edit it; the drift check covers the same folders.
    #[test]
    fn every_generated_file_carries_the_header() {
        const HEADER: &str = "@generated by `cargo xtask generate`";
        let mut bare = Vec::new();
        for dir in ["generated-client", "cli/src/generated", "tests/fixture-clients"] {
            for path in crate::files_under(&root().join(dir)) {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                // The names record and the formatter's settings are data.
                if ["schema-names.json", "rustfmt.toml"].contains(&name.as_str()) {
                    continue;
                }
                let head: String = std::fs::read_to_string(&path).unwrap_or_default().lines().take(2).collect();
                // The umbrella's README is its guide, written by hand in specs/.
                let guide = shown(&path) == "generated-client/README.md";
                if !head.contains(HEADER) && !guide {
                    bare.push(shown(&path));
                }
            }
        }
        assert!(bare.is_empty(), "generated files without the header: {bare:?}");
    }
}
