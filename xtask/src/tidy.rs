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

    /// The first segment after every `crate::` path a file names, in `use`
    /// items and inline alike, outside its tests and outside `quote!`
    /// (which spells paths of the generated crate, not of this one).
    fn crate_paths(path: &Path) -> BTreeSet<String> {
        use proc_macro2::{TokenStream, TokenTree};
        fn walk(stream: TokenStream, out: &mut BTreeSet<String>) {
            let tokens: Vec<TokenTree> = stream.into_iter().collect();
            let mut i = 0;
            while i < tokens.len() {
                let word = |k: usize| match tokens.get(k) {
                    Some(TokenTree::Ident(id)) => Some(id.to_string()),
                    _ => None,
                };
                let colon = |k: usize| matches!(tokens.get(k), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                match (word(i).as_deref(), &tokens[i]) {
                    // `quote! { ... }` and `mod tests { ... }`: skipped whole.
                    (Some("quote"), _) if matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') =>
                    {
                        i += 3;
                        continue;
                    }
                    (Some("mod"), _) if word(i + 1).as_deref() == Some("tests") => {
                        i += 3;
                        continue;
                    }
                    (Some("crate"), _) if colon(i + 1) && colon(i + 2) => {
                        match (word(i + 3), tokens.get(i + 3)) {
                            (Some(name), _) => {
                                out.insert(name);
                            }
                            // `use crate::{a, b::c}`: each first segment.
                            (None, Some(TokenTree::Group(g))) => {
                                for item in g.stream().to_string().split(',') {
                                    let first = item.trim().split([':', ' ']).next().unwrap_or("");
                                    if !first.is_empty() {
                                        out.insert(first.to_owned());
                                    }
                                }
                            }
                            _ => {}
                        }
                        i += 3;
                        continue;
                    }
                    (_, TokenTree::Group(g)) => walk(g.stream(), out),
                    _ => {}
                }
                i += 1;
            }
        }
        let text = std::fs::read_to_string(path).expect("a source file");
        let tokens: TokenStream = text.parse().unwrap_or_else(|e| panic!("{}: {e:?}", shown(path)));
        let mut out = BTreeSet::new();
        walk(tokens, &mut out);
        out
    }

    /// What each of the generator's modules may name of the others. The
    /// stages run load -> ir -> emit; the pipeline drives them; the
    /// workflow drives the pipeline. The leaves (errors, settings, digests,
    /// records) name only each other. Every path names the module that
    /// defines an item: the crate root only re-exports, so no import runs
    /// back up to it.
    const GENERATOR_LAYERS: &[(&str, &[&str])] = &[
        ("error", &[]),
        ("digest", &[]),
        ("parallel", &[]),
        ("previous", &["error"]),
        ("provenance", &["error", "digest"]),
        ("config", &["error", "provenance"]),
        ("load", &["load", "error", "config"]),
        ("ir", &["load", "ir", "error", "config", "parallel"]),
        ("emit", &["load", "ir", "emit", "write", "error", "config", "digest", "parallel", "previous"]),
        ("write", &["write", "error"]),
        ("compare", &["ir"]),
        ("pipeline", &["load", "ir", "emit", "error", "config", "previous"]),
        ("vendored", &["load", "error", "config", "previous", "digest"]),
        ("conformance", &["load", "ir", "emit", "pipeline", "error", "config", "previous"]),
        (
            "workflow",
            &[
                "load",
                "ir",
                "emit",
                "write",
                "compare",
                "pipeline",
                "vendored",
                "workflow",
                "error",
                "config",
                "previous",
                "provenance",
                "digest",
                "parallel",
            ],
        ),
    ];

    /// Every file of the generator names only the modules its layer
    /// allows, and names them by the module that defines each item.
    #[test]
    fn imports_run_one_way_through_the_generators_stages() {
        let src = root().join("generator/src");
        let mut wrong = Vec::new();
        for file in rust_files("generator/src", &["bin"]) {
            let below = file.strip_prefix(&src).expect("under src");
            let first = below.components().next().expect("a file").as_os_str().to_string_lossy();
            let module = first.trim_end_matches(".rs");
            if module == "lib" {
                continue;
            }
            let Some((_, allowed)) = GENERATOR_LAYERS.iter().find(|(m, _)| *m == module) else {
                wrong.push(format!("{}: a module the layers do not list (add it to GENERATOR_LAYERS)", shown(&file)));
                continue;
            };
            for import in crate_paths(&file) {
                if !allowed.contains(&import.as_str()) {
                    wrong.push(format!("{} names crate::{import}", shown(&file)));
                }
            }
        }
        assert!(wrong.is_empty(), "paths that run back up the layers: {wrong:#?}");
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
        for dir in ["generated-client", "cli/src/generated", "tests/fixture-clients", "tests/features"] {
            for path in crate::files_under(&root().join(dir)) {
                // The feature documents and their guide lie beside the
                // clients: only what is inside a client's folder is generated.
                if dir == "tests/features" && path.parent() == Some(root().join(dir).as_path()) {
                    continue;
                }
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
