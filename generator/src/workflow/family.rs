//! A whole family: every module's crate, the provenance record, the
//! command line's table and the umbrella crate.

use std::collections::BTreeMap;
use std::path::Path;

use similar::TextDiff;

use super::{Mode, ModuleRun, Outcome, Repository, Step, generate_module, read, relative_path};
use crate::config::FamilyConfig;
use crate::emit::cli::CliModule;
use crate::error::{Error, ErrorKind};
use crate::provenance::Provenance;

/// What generating (or checking) a family did, in the order it was done.
#[derive(Debug)]
pub struct FamilyRun {
    /// The provenance record, when a module's document was replaced.
    pub provenance: Option<Step>,
    /// Each module, in the family's order.
    pub modules: Vec<ModuleRun>,
    /// The command line's table, when the family has one.
    pub cli_table: Option<Step>,
    /// The umbrella crate.
    pub umbrella: Step,
}

impl FamilyRun {
    /// Whether everything is (now) what the generator produces.
    pub fn is_clean(&self) -> bool {
        self.modules.iter().all(ModuleRun::is_clean) && self.steps().all(|s| s.outcome.is_clean())
    }

    /// The steps beyond the modules, in order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.provenance.iter().chain(&self.cli_table).chain(std::iter::once(&self.umbrella))
    }

    /// Operations in all modules.
    pub fn operations(&self) -> usize {
        self.modules.iter().map(|m| m.stats.operations).sum()
    }

    /// The change reports of the modules whose API changed, as one
    /// Markdown text (empty when none did): for a pull request's comment.
    pub fn markdown(&self) -> String {
        self.modules.iter().filter_map(ModuleRun::markdown).map(|report| report + "\n").collect()
    }
}

/// Generates (or checks) every module of the family configured in
/// `family_path`, then the command line's table and the umbrella crate.
/// Modules are independent: they are generated on every core.
pub fn generate_family(repo: &Repository<'_>, family_path: &Path, mode: Mode) -> Result<FamilyRun, Error> {
    let dir = family_path.parent().unwrap_or(Path::new("."));
    let mut family = FamilyConfig::read(family_path)?;
    let provenance = refresh_provenance(repo, dir, &mut family, mode)?;
    let runtime = dir.join(&family.runtime);
    let configs = family.module_configs().map_err(|e| e.in_file(&repo.shown(family_path)))?;
    let runs = crate::parallel::map(&configs, |config| {
        let mut module = crate::vendored::load(dir, config.clone())?;
        if module.config.runtime_path.is_none() {
            module.config.runtime_path = Some(relative_path(&module.out, &runtime));
        }
        generate_module(repo, module, mode)
    })
    .ok_or_else(|| Error::internal("a generating thread panicked"))?;
    let modules = runs.into_iter().collect::<Result<Vec<_>, _>>()?;

    let cli_table = match &family.cli_table {
        Some(folder) => {
            let mut files = BTreeMap::new();
            let mut index = Vec::new();
            for module in &modules {
                let file = module.name.replace('-', "_");
                files.insert(format!("{file}.json"), module.cli_table.clone());
                index.push(CliModule {
                    module: module.name.clone(),
                    file,
                    title: module.member.english.clone().unwrap_or_default(),
                    document_title: module.member.title.clone(),
                });
            }
            files.insert("mod.rs".to_owned(), crate::emit::cli::index(&index));
            Some(Step::folder(repo, &dir.join(folder), &files, mode, "the command line's table")?)
        }
        None => None,
    };

    let umbrella_out = dir.join(&family.umbrella.out);
    let guide = match &family.umbrella.readme {
        Some(path) => Some(read_text(&dir.join(path))?),
        None => None,
    };
    let members: Vec<_> = modules.iter().map(|m| m.member.clone()).collect();
    let files = crate::emit::umbrella::files(
        &family.umbrella,
        &relative_path(&umbrella_out, &runtime),
        &members,
        guide.as_deref(),
    );
    let umbrella = Step::folder(repo, &umbrella_out, &files, mode, "the umbrella crate")?;
    Ok(FamilyRun { provenance, modules, cli_table, umbrella })
}

/// Finds each module's document in the family's folder by its file name
/// and brings the provenance record up to date with it, so that replacing
/// a document needs no other edit. `family` takes the new record (in
/// [`Mode::Check`] too, so the modules are checked against the documents
/// that are there); the file is written only in [`Mode::Write`]. No step
/// when the record was up to date, or the family keeps none.
fn refresh_provenance(
    repo: &Repository<'_>,
    dir: &Path,
    family: &mut FamilyConfig,
    mode: Mode,
) -> Result<Option<Step>, Error> {
    // A family without a record names each module's `spec` itself.
    let Some(recorded) = family.provenance.clone() else { return Ok(None) };
    let mut updated = recorded.clone();
    for (module, own) in &family.modules {
        if own.contains_key("spec") {
            continue;
        }
        let file = Provenance::locate(dir, module)?;
        updated.record(module, &file, &read(&dir.join(&file))?);
    }
    family.provenance = Some(updated.clone());
    if updated == recorded {
        return Ok(None);
    }
    let path = dir.join(Provenance::FILE);
    let shown = repo.shown(&path);
    let replaced: Vec<&str> = updated
        .documents
        .iter()
        .filter(|(module, document)| recorded.documents.get(*module) != Some(document))
        .map(|(module, _)| module.as_str())
        .collect();
    let what = format!("the provenance record: a new document of {}", replaced.join(", "));
    let outcome = match mode {
        Mode::Check => Outcome::OutOfDate {
            diff: TextDiff::from_lines(recorded.to_json().as_str(), updated.to_json().as_str())
                .unified_diff()
                .context_radius(2)
                .header(&shown, &shown)
                .to_string(),
            writes: 1,
            strays: 0,
        },
        Mode::Write => {
            crate::write::write_atomic(&path, updated.to_json().as_bytes())?;
            Outcome::Written { written: 1, unchanged: 0, removed: 0 }
        }
    };
    Ok(Some(Step { what, shown, outcome }))
}

fn read_text(path: &Path) -> Result<String, Error> {
    String::from_utf8(read(path)?).map_err(|_| {
        Error::new(ErrorKind::Syntax, "", "not UTF-8 text".to_owned()).in_file(&path.display().to_string())
    })
}
