//! Change reports between documents: of one module (`cargo xtask diff`),
//! and of every module whose document changed since a revision (`cargo
//! xtask report`, for a pull request).

use std::path::Path;

use super::{Repository, line, read};
use crate::config::Config;
use crate::config::FamilyConfig;
use crate::error::Error;
use crate::load::Source;
use crate::previous::Previous;

/// The change report, as Markdown, from document `old` to document `new`
/// of the family module `config` (the family configured in `family_path`),
/// with the type names and version its committed crate recorded.
pub fn compare_documents(family_path: &Path, config: &Config, old: &Path, new: &Path) -> Result<String, Error> {
    let previous = recorded(family_path, config);
    let model = |path: &Path| -> Result<crate::ir::Api, Error> {
        let bytes = read(path)?;
        Ok(crate::pipeline::model(
            &Source { display_path: &path.display().to_string(), bytes: &bytes },
            config,
            &previous,
        )?
        .0)
    };
    let report = crate::compare::compare(&model(old)?, &model(new)?);
    Ok(report.markdown(&config.crate_name, &version(config, &previous)))
}

/// The change reports, as one Markdown text, of every module of the family
/// configured in `family_path` whose document differs from the one the
/// configuration named at a base revision. `at_base` gives a file's bytes
/// at the base by its path relative to the repository's root (`None`: no
/// such file there); a module with no document at the base is new.
pub fn changes_since(
    repo: &Repository<'_>,
    family_path: &Path,
    at_base: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<String, Error> {
    let family = FamilyConfig::read(family_path)?;
    let dir = family_path.parent().unwrap_or(Path::new("."));
    let folder = repo.shown(dir);
    let base_family = at_base(&repo.shown(family_path))
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| FamilyConfig::from_yaml(&text).ok());
    let mut markdown = String::new();
    for config in family.module_configs()? {
        let module = config.module_name();
        let new_name = config.spec.clone().unwrap_or_default();
        let old_name = base_family
            .as_ref()
            .and_then(|f| f.module(&module).ok())
            .and_then(|c| c.spec)
            .unwrap_or_else(|| new_name.clone());
        let new_bytes = read(&dir.join(&new_name))?;
        let old_bytes = at_base(&format!("{folder}/{old_name}"));
        if old_bytes.as_deref() == Some(new_bytes.as_slice()) {
            continue;
        }
        let previous = recorded(family_path, &config);
        let model = |name: &str, bytes: &[u8]| -> Result<crate::ir::Api, Error> {
            Ok(crate::pipeline::model(&Source { display_path: name, bytes }, &config, &previous)?.0)
        };
        let new_api = model(&new_name, &new_bytes)?;
        line(&mut markdown, format_args!("<!-- module {module}: {folder}/{old_name} -> {folder}/{new_name} -->"));
        if let Some(old) = old_bytes {
            let report = crate::compare::compare(&model(&old_name, &old)?, &new_api);
            markdown.push_str(&report.markdown(&config.crate_name, &version(&config, &previous)));
        } else {
            let operations: usize = new_api.tags.iter().map(|t| t.operations.len()).sum();
            line(&mut markdown, format_args!("## {} (`{module}`)\n", config.crate_name));
            line(&mut markdown, format_args!("A new module: {operations} operations."));
        }
        markdown.push('\n');
    }
    Ok(markdown)
}

/// What the module's committed crate recorded.
fn recorded(family_path: &Path, config: &Config) -> Previous {
    let dir = family_path.parent().unwrap_or(Path::new("."));
    Previous::read(&config.out_path(dir).unwrap_or_default())
}

/// The crate's version as committed.
fn version(config: &Config, previous: &Previous) -> String {
    previous.version.clone().unwrap_or_else(|| config.crate_version.clone())
}
