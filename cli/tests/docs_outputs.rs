//! The command output the docs quote is the output `drun` gives: every
//! ```` ```console ```` block of the README and `docs/` holds `$ command`
//! lines, each followed by what it prints (standard output, then standard
//! error). Each command runs here, offline, with no key, profile or proxy
//! of the machine's, and must print exactly that. Commands that need a
//! server are quoted in ```` ```sh ```` blocks instead.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A quoted command and the lines the docs say it prints.
struct Quoted {
    file: String,
    line: usize,
    command: String,
    output: String,
}

fn quoted(root: &Path) -> Vec<Quoted> {
    let mut files: Vec<PathBuf> = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a doc");
        let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        // The indentation of the open block's fence (a block in a list
        // item is indented), stripped from each of its lines.
        let mut block: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            match block {
                None if trimmed.starts_with("```console") => block = Some(indent),
                Some(_) if trimmed.starts_with("```") => block = None,
                Some(fence) => {
                    let line = line.get(fence.min(indent)..).unwrap_or_default();
                    if let Some(command) = line.strip_prefix("$ ") {
                        let command = command.to_owned();
                        out.push(Quoted { file: shown.clone(), line: n + 1, command, output: String::new() });
                    } else if let Some(last) = out.last_mut() {
                        last.output.push_str(line);
                        last.output.push('\n');
                    }
                }
                None => {}
            }
        }
    }
    out
}

#[test]
fn every_quoted_command_prints_what_the_docs_say() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository");
    let bin = Path::new(env!("CARGO_BIN_EXE_drun")).parent().expect("the binary's folder");
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("a PATH");
    let quoted = quoted(root);
    assert!(quoted.len() >= 5, "only {} quoted commands found", quoted.len());
    let mut wrong = Vec::new();
    for q in &quoted {
        let output = Command::new("sh")
            .args(["-c", &q.command])
            .current_dir(root)
            .env("PATH", &path)
            .env("DRUN_CONFIG", "/nonexistent/drun/config.toml")
            .env("NO_COLOR", "1")
            .env_remove("DRUN_ACCESS_KEY")
            .env_remove("DRUN_BASE_URL")
            .env_remove("DRUN_PROFILE")
            .env_remove("DRUN_CA_BUNDLE")
            .output()
            .expect("sh runs");
        let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let printed: String = printed.lines().map(|l| format!("{}\n", l.trim_end())).collect();
        if printed.trim_end() != q.output.trim_end() {
            wrong.push(format!(
                "{}:{}: `{}`\n--- the docs say:\n{}--- drun prints:\n{}",
                q.file, q.line, q.command, q.output, printed
            ));
        }
    }
    assert!(wrong.is_empty(), "{} of {} quoted outputs differ:\n\n{}", wrong.len(), quoted.len(), wrong.join("\n"));
}
