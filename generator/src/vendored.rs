//! One module of a family, loaded from disk: its configuration, its
//! document and what its crate recorded when last generated. Every caller
//! that generates from the family (xtask, the test and fuzz build scripts,
//! the drift test, the benchmarks, the compile-time application) starts
//! here, so they read the same document the same way.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::config::FamilyConfig;
use crate::error::{Error, ErrorKind};
use crate::load::Source;
use crate::previous::Previous;

/// A module ready to generate.
#[derive(Debug, Clone)]
pub struct VendoredModule {
    /// Its configuration (the family's defaults merged with its own).
    pub config: Config,
    /// The document's path as generated files and messages show it:
    /// relative to the family folder's parent (`specs/ghippo-v0.48.1.json`).
    pub display_path: String,
    /// The document.
    pub bytes: Vec<u8>,
    /// The folder its crate is written to.
    pub out: PathBuf,
    /// What the crate there recorded when last generated (type names,
    /// version, the document's digest).
    pub previous: Previous,
}

impl VendoredModule {
    /// The document, as the generator's entry points take it.
    pub fn source(&self) -> Source<'_> {
        Source { display_path: &self.display_path, bytes: &self.bytes }
    }

    /// The module's name in the family.
    pub fn name(&self) -> String {
        self.config.module_name()
    }
}

/// Loads `config`, a module of the family whose file is in `dir`; an error
/// names the module and the file it could not read.
pub fn load(dir: &Path, config: Config) -> Result<VendoredModule, Error> {
    let name = config.module_name();
    let missing = |what: &str| Error::new(ErrorKind::Config, "", format!("module `{name}` names no {what}"));
    let spec = config.spec.clone().ok_or_else(|| missing("document (`spec`)"))?;
    let out = config.out_path(dir).ok_or_else(|| missing("output folder (`out`)"))?;
    let path = dir.join(&spec);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(ErrorKind::Io, "", format!("module `{name}`: cannot read its document: {e}"))
            .in_file(&path.display().to_string())
    })?;
    let folder = dir.file_name().map(|f| format!("{}/", f.to_string_lossy())).unwrap_or_default();
    let previous = Previous::read(&out);
    Ok(VendoredModule { config, display_path: format!("{folder}{spec}"), bytes, out, previous })
}

/// Every module of the family in file `family_path`, in order.
pub fn load_all(family_path: &Path) -> Result<Vec<VendoredModule>, Error> {
    let family = FamilyConfig::read(family_path)?;
    let dir = family_path.parent().unwrap_or(Path::new("."));
    family.module_configs()?.into_iter().map(|config| load(dir, config)).collect()
}

/// The module named `name` of the family in file `family_path`.
pub fn load_one(family_path: &Path, name: &str) -> Result<VendoredModule, Error> {
    let config = FamilyConfig::read(family_path)?.module(name)?;
    load(family_path.parent().unwrap_or(Path::new(".")), config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_is_loaded_with_its_document_and_its_crates_record() {
        let family = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/drun.yaml");
        let ghippo = load_one(&family, "ghippo").expect("ghippo loads");
        assert!(ghippo.display_path.starts_with("specs/ghippo-v"), "{}", ghippo.display_path);
        assert!(ghippo.out.ends_with("generated-client/modules/ghippo"), "{}", ghippo.out.display());
        assert_eq!(ghippo.previous.spec_sha256.as_deref(), Some(crate::digest::sha256_hex(&ghippo.bytes).as_str()));
        let all = load_all(&family).expect("the family loads");
        assert_eq!(all.len(), 27);
        assert!(all.iter().any(|m| m.name() == "kpanda"));
    }

    #[test]
    fn a_missing_document_is_an_error_naming_module_and_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let config =
            Config { spec: Some("nowhere-v1.json".to_owned()), out: Some("x".to_owned()), ..Config::default() };
        let error = load(&dir, config).expect_err("no such file").to_string();
        assert!(error.contains("cannot read its document") && error.contains("nowhere-v1.json"), "{error}");
    }
}
