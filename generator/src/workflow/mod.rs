//! The maintainers' workflow, as `cargo xtask generate`, `diff` and `report`
//! run it: generate or check each module's crate ([`generate_module`]);
//! for a whole family, also keep the provenance record, the command line's
//! table and the umbrella crate ([`generate_family`]); report how the API
//! changed between documents ([`compare_documents`], [`changes_since`]).
//!
//! Values in, values out: nothing here prints. Each result says what was
//! done (an [`Outcome`]) and renders its own lines, so a caller decides
//! where they go.

mod changes;
mod family;
mod module;

use std::fmt::Write as _;
use std::path::{Component, Path};

pub use changes::{changes_since, compare_documents};
pub use family::{FamilyRun, generate_family};
pub use module::{ModuleRun, Update, generate_module};

use crate::error::Error;
use crate::write::Plan;

/// Whether to write the output or only compare it with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what changed; report API changes and bump crate versions.
    Write,
    /// Write nothing: say what is out of date, with a diff.
    Check,
}

/// The repository the generated crates are committed in.
#[derive(Clone, Copy)]
pub struct Repository<'a> {
    /// Its root: messages and change reports show paths relative to it.
    pub root: &'a Path,
    /// The committed bytes of a file by its path relative to `root` (git's
    /// `HEAD`), for the document a crate was generated from once the work
    /// tree no longer holds it; `None` when there is no such file.
    pub committed: &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync),
}

impl<'a> Repository<'a> {
    /// A repository whose history is not consulted: a document replaced in
    /// the work tree is then not compared with its predecessor.
    pub fn without_history(root: &'a Path) -> Self {
        Self { root, committed: &no_history }
    }

    /// `path` relative to the root, with `/`, if it is inside it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = std::fs::canonicalize(path).ok()?;
        let root = std::fs::canonicalize(self.root).ok()?;
        Some(absolute.strip_prefix(&root).ok()?.to_string_lossy().replace('\\', "/"))
    }

    /// `path` as messages show it: relative to the root when inside it (so
    /// output is the same on every machine), else as given.
    pub fn shown(&self, path: &Path) -> String {
        self.relative(path).unwrap_or_else(|| path.display().to_string())
    }
}

fn no_history(_: &str) -> Option<Vec<u8>> {
    None
}

/// What one step did to its output (a crate's folder, a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// [`Mode::Write`]: changed files written, stray ones removed.
    Written {
        /// Files written.
        written: usize,
        /// Files that were already up to date.
        unchanged: usize,
        /// Stray files removed.
        removed: usize,
    },
    /// [`Mode::Check`]: the output is what would be written.
    UpToDate {
        /// Files compared.
        unchanged: usize,
    },
    /// [`Mode::Check`]: it is not.
    OutOfDate {
        /// A unified diff from what is on disk to what would be written.
        diff: String,
        /// Files that would be written.
        writes: usize,
        /// Files that would be removed.
        strays: usize,
    },
}

impl Outcome {
    /// Carries out `plan` for the folder `out` (shown as `shown`) in `mode`.
    fn of(plan: &Plan, out: &Path, shown: &str, mode: Mode) -> Result<Self, Error> {
        Ok(match mode {
            Mode::Write => {
                let report = plan.apply(out)?;
                Self::Written { written: report.written, unchanged: plan.unchanged, removed: report.removed }
            }
            Mode::Check if plan.is_clean() => Self::UpToDate { unchanged: plan.unchanged },
            Mode::Check => Self::OutOfDate {
                diff: plan.diff(Path::new(shown)),
                writes: plan.writes.len(),
                strays: plan.strays.len(),
            },
        })
    }

    /// Whether the output is (now) what the generator produces.
    pub fn is_clean(&self) -> bool {
        !matches!(self, Self::OutOfDate { .. })
    }

    /// Whether anything was written or removed.
    pub fn changed_files(&self) -> bool {
        matches!(self, Self::Written { written, removed, .. } if written + removed > 0)
    }
}

/// A step of the family's beyond its modules: the provenance record, the
/// command line's table, the umbrella crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What the output is, in words (`the umbrella crate`).
    pub what: String,
    /// Its path as shown.
    pub shown: String,
    /// What was done.
    pub outcome: Outcome,
}

impl Step {
    /// Writes `files` into the folder `out` in `mode`.
    fn folder(
        repo: &Repository<'_>,
        out: &Path,
        files: &std::collections::BTreeMap<String, String>,
        mode: Mode,
        what: &str,
    ) -> Result<Self, Error> {
        let shown = repo.shown(out);
        let outcome = Outcome::of(&crate::write::plan(out, files)?, out, &shown, mode)?;
        Ok(Self { what: what.to_owned(), shown, outcome })
    }

    /// The lines for standard output: the diff when out of date, a line
    /// when files were written, else nothing.
    pub fn summary(&self) -> String {
        match &self.outcome {
            Outcome::OutOfDate { diff, .. } => diff.clone(),
            Outcome::Written { written, removed, .. } if written + removed > 0 => {
                format!("{}: {}, {} written, {removed} removed\n", self.shown, self.what, files(*written))
            }
            Outcome::Written { .. } | Outcome::UpToDate { .. } => String::new(),
        }
    }

    /// The error line when the output is out of date.
    pub fn problem(&self) -> Option<String> {
        (!self.outcome.is_clean()).then(|| format!("error: {} ({}) is out of date", self.shown, self.what))
    }
}

/// `n` files, in words.
fn files(n: usize) -> String {
    if n == 1 { "1 file".to_owned() } else { format!("{n} files") }
}

/// The path from folder `from` to folder `to`, with `/`, for a manifest's
/// path dependency (`../../../runtime`).
pub fn relative_path(from: &Path, to: &Path) -> String {
    let normal = |p: &Path| -> Vec<String> {
        let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut parts: Vec<String> = Vec::new();
        for component in absolute.components() {
            match component {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        parts
    };
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<String> = vec!["..".to_owned(); from.len() - common];
    out.extend(to[common..].iter().cloned());
    if out.is_empty() { ".".to_owned() } else { out.join("/") }
}

/// A file's bytes; an error names the file.
fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| {
        Error::new(crate::error::ErrorKind::Io, "", format!("cannot read it: {e}")).in_file(&path.display().to_string())
    })
}

/// Appends `line` and a newline to `text`.
fn line(text: &mut String, line: std::fmt::Arguments<'_>) {
    let _ = text.write_fmt(line);
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        assert_eq!(relative_path(Path::new("/r/gen/modules/a"), Path::new("/r/runtime")), "../../../runtime");
        assert_eq!(relative_path(Path::new("/r/a/../b"), Path::new("/r/b/c")), "c");
        assert_eq!(relative_path(Path::new("/r"), Path::new("/r")), ".");
    }

    #[test]
    fn paths_are_shown_relative_to_the_root_when_inside_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = Repository::without_history(root);
        assert_eq!(repo.shown(&root.join("src/lib.rs")), "src/lib.rs");
        assert_eq!(repo.shown(Path::new("/no/such/file")), "/no/such/file");
        assert_eq!((repo.committed)("src/lib.rs"), None);
    }
}

#[cfg(test)]
mod family_tests;
