//! One module's crate: generated or checked, its API change reported and
//! its version bumped when its document changed.

use std::path::Path;

use super::{Mode, Outcome, Repository, line};
use crate::compare::{self, Report};
use crate::emit::umbrella::Member;
use crate::error::{Error, Warning};
use crate::load::Source;
use crate::pipeline::Stats;
use crate::previous::Previous;
use crate::vendored::VendoredModule;

/// What generating (or checking) one module's crate did.
#[derive(Debug)]
pub struct ModuleRun {
    /// The module's name (`ghippo`).
    pub name: String,
    /// Its crate's package name.
    pub crate_name: String,
    /// The document, as shown.
    pub document: String,
    /// The crate's folder, as shown.
    pub folder: String,
    /// What was done to the folder.
    pub outcome: Outcome,
    /// What the crate holds.
    pub stats: Stats,
    /// Constructs served loosely.
    pub warnings: Vec<Warning>,
    /// [`Mode::Write`], when the document changed since the crate was last
    /// generated: how the API changed, and the version it took.
    pub update: Option<Update>,
    /// [`Mode::Write`], when the document changed but the one the crate was
    /// generated from (this recorded path) is in neither the work tree nor
    /// the history: the version is left as it is.
    pub lost_document: Option<String>,
    /// The crate, as the umbrella crate lists it.
    pub member: Member,
    /// The module's file of the command line's table.
    pub cli_table: String,
}

/// How a module's API changed in an update, and the version that needs.
#[derive(Debug)]
pub struct Update {
    /// The change report.
    pub report: Report,
    /// The crate's version before.
    pub old_version: String,
    /// Its version now.
    pub new_version: String,
}

impl ModuleRun {
    /// Whether the crate is (now) what the generator produces.
    pub fn is_clean(&self) -> bool {
        self.outcome.is_clean()
    }

    /// The change report as Markdown, when the API changed.
    pub fn markdown(&self) -> Option<String> {
        self.update.as_ref().map(|u| u.report.markdown(&self.crate_name, &u.old_version))
    }

    /// The lines for standard output.
    pub fn summary(&self) -> String {
        let Self { name, crate_name, document, folder, .. } = self;
        let s = self.stats;
        let what = format!("{} tags, {} operations, {} models", s.tags, s.operations, s.models);
        let mut text = String::new();
        if let Some(update) = &self.update {
            line(&mut text, format_args!("{name}: {}", update.report.summary()));
            line(
                &mut text,
                format_args!(
                    "{name}: {crate_name} {} -> {} (run `cargo xtask diff OLD NEW` for the full report)",
                    update.old_version, update.new_version
                ),
            );
        }
        match &self.outcome {
            Outcome::Written { written, unchanged, removed } => line(
                &mut text,
                format_args!(
                    "{name}: generated {crate_name} from {document}: {what}; {written} files written, {unchanged} unchanged, {removed} removed"
                ),
            ),
            Outcome::UpToDate { unchanged } => line(
                &mut text,
                format_args!("{name}: {folder} is up to date with {document} ({what}, {unchanged} files)"),
            ),
            Outcome::OutOfDate { diff, .. } => text.push_str(diff),
        }
        text
    }

    /// The lines for standard error: warnings, and an error when the crate
    /// is out of date.
    pub fn problems(&self) -> Vec<String> {
        let name = &self.name;
        let mut lines: Vec<String> = self.warnings.iter().map(|w| format!("warning: {name}: {w}")).collect();
        if let Some(path) = &self.lost_document {
            lines.push(format!(
                "warning: {name}: the document the crate was generated from ({path}) is not in the work tree or the history; version left as is"
            ));
        }
        if let Outcome::OutOfDate { writes, strays, .. } = &self.outcome {
            lines.push(format!(
                "error: {name}: {} is out of date with {}: {writes} to write, {strays} stray",
                self.folder, self.document
            ));
        }
        lines
    }
}

/// Generates (or checks) one module's crate. A module whose configuration
/// names no runtime must have been given one (`config.runtime_path`).
pub fn generate_module(repo: &Repository<'_>, module: VendoredModule, mode: Mode) -> Result<ModuleRun, Error> {
    let VendoredModule { config, display_path: document, bytes, out, mut previous } = module;
    let name = config.module_name();
    let source = Source { display_path: &document, bytes: &bytes };
    let mut update = None;
    let mut lost_document = None;
    // The check compares with what is committed: it never reports or bumps.
    let changed = previous.spec_sha256.as_deref().is_some_and(|old| old != crate::digest::sha256_hex(&bytes));
    if mode == Mode::Write && changed {
        match old_document(repo, &previous) {
            Some(old_bytes) => {
                let old_source =
                    Source { display_path: previous.spec_path.as_deref().unwrap_or("old"), bytes: &old_bytes };
                let (old_api, _) = crate::pipeline::model(&old_source, &config, &previous)?;
                let (new_api, _) = crate::pipeline::model(&source, &config, &previous)?;
                let report = compare::compare(&old_api, &new_api);
                let old_version = previous.version.clone().unwrap_or_else(|| config.crate_version.clone());
                let new_version = compare::bump_version(&old_version, report.bump());
                previous.version = Some(new_version.clone());
                update = Some(Update { report, old_version, new_version });
            }
            None => lost_document = Some(previous.spec_path.clone().unwrap_or_else(|| "unknown".to_owned())),
        }
    }
    let output = crate::pipeline::generate_with(&source, &config, &previous)?;
    let folder = repo.shown(&out);
    let outcome = Outcome::of(&crate::write::plan(&out, &output.files)?, &out, &folder, mode)?;
    let member = Member {
        module: name.clone(),
        crate_name: config.crate_name.clone(),
        version: Previous::from_files(&output.files).version.unwrap_or_else(|| config.crate_version.clone()),
        title: output.title.clone(),
        english: config.title.clone(),
    };
    let cli_table = crate::emit::cli::module_table(&output.api, &name, config.title.as_deref())?;
    Ok(ModuleRun {
        name,
        crate_name: config.crate_name,
        document,
        folder,
        outcome,
        stats: output.stats,
        warnings: output.warnings,
        update,
        lost_document,
        member,
        cli_table,
    })
}

/// The bytes of the document the crate was generated from: the recorded
/// path in the work tree, or else in the repository's history, if its
/// SHA-256 matches the recorded one.
fn old_document(repo: &Repository<'_>, previous: &Previous) -> Option<Vec<u8>> {
    let path = previous.spec_path.as_deref()?;
    let wanted = previous.spec_sha256.as_deref()?;
    let matches = |bytes: &Vec<u8>| crate::digest::sha256_hex(bytes) == wanted;
    std::fs::read(repo.root.join(Path::new(path)))
        .ok()
        .filter(matches)
        .or_else(|| (repo.committed)(path).filter(matches))
}
