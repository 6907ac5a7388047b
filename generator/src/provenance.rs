//! `specs/provenance.json`: where each vendored document came from (the
//! upstream repository and path, its version and SHA-256), recorded once.
//!
//! `cargo xtask generate` finds each module's document in `specs/` by its
//! file name (`<module>-v<version>.json`) and keeps this record up to date,
//! so that replacing a document needs no other edit; everything else (the
//! family configuration, tests, benches) reads the file name from here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// The record: one entry per module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The upstream repository every document comes from.
    pub repository: String,
    /// Documents by module name.
    pub documents: BTreeMap<String, Document>,
}

/// One vendored document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Its file name in `specs/`.
    pub file: String,
    /// Its version, from the file name (`v0.48.1`).
    pub version: String,
    /// Its path in the upstream repository.
    pub upstream_path: String,
    /// SHA-256 of its bytes, in hex.
    pub sha256: String,
}

impl Provenance {
    /// The record's file name, next to the family configuration.
    pub const FILE: &'static str = "provenance.json";

    /// Reads the record; an error names the file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(ErrorKind::Io, "", format!("cannot read it: {e}")).in_file(&shown))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::new(ErrorKind::Config, "", format!("invalid provenance record: {e}")).in_file(&shown))
    }

    /// The record as written: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The one document of `module` in `dir`: a file named
    /// `<module>-v<version>` with a `.json`, `.yaml` or `.yml` extension.
    pub fn locate(dir: &Path, module: &str) -> Result<String, Error> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Error::new(ErrorKind::Io, "", format!("cannot read {}: {e}", dir.display())))?;
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| version_in(name, module).is_some())
            .collect();
        found.sort();
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(Error::new(
                ErrorKind::Config,
                "",
                format!(
                    "no document for module `{module}` in {}: expected a file named `{module}-v<version>.json`",
                    dir.display()
                ),
            )),
            _ => Err(Error::new(
                ErrorKind::Config,
                "",
                format!(
                    "module `{module}` has {} documents in {} ({}): keep one",
                    found.len(),
                    dir.display(),
                    found.join(", ")
                ),
            )),
        }
    }

    /// Records `module`'s document `file` with these bytes. A new version's
    /// upstream path is the old one with the version replaced.
    pub fn record(&mut self, module: &str, file: &str, bytes: &[u8]) {
        let version = version_in(file, module).map(|v| format!("v{v}")).unwrap_or_default();
        let entry = self.documents.entry(module.to_owned()).or_default();
        if !entry.version.is_empty() && entry.version != version {
            entry.upstream_path = entry.upstream_path.replace(&entry.version, &version);
        }
        file.clone_into(&mut entry.file);
        entry.version = version;
        entry.sha256 = crate::digest::sha256_hex(bytes);
    }
}

/// The version in a document's file name, `<module>-v<version>.json` (or
/// `.yaml`, `.yml`), if it is one of `module`'s: `0.48.1`.
fn version_in<'a>(file: &'a str, module: &str) -> Option<&'a str> {
    let stem = [".json", ".yaml", ".yml"].iter().find_map(|ext| file.strip_suffix(ext))?;
    let version = stem.strip_prefix(module)?.strip_prefix("-v")?;
    version.starts_with(|c: char| c.is_ascii_digit()).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_version_is_recorded_with_its_upstream_path_and_digest() {
        let mut p = Provenance::default();
        p.documents.insert(
            "ghippo".to_owned(),
            Document {
                file: "ghippo-v0.48.0.json".to_owned(),
                version: "v0.48.0".to_owned(),
                upstream_path: "docs/openapi/ghippo/v0.48.0.json".to_owned(),
                sha256: String::new(),
            },
        );
        p.record("ghippo", "ghippo-v0.48.1.json", b"{}");
        let d = &p.documents["ghippo"];
        assert_eq!((d.file.as_str(), d.version.as_str()), ("ghippo-v0.48.1.json", "v0.48.1"));
        assert_eq!(d.upstream_path, "docs/openapi/ghippo/v0.48.1.json");
        assert_eq!(d.sha256, crate::digest::sha256_hex(b"{}"));
    }

    #[test]
    fn a_module_has_exactly_one_document() {
        let dir = std::env::temp_dir().join(format!("provenance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for f in ["kpanda-v0.49.0.json", "kpanda-extra.json", "mcamel-kafka-v0.31.0.json", "drun.yaml"] {
            std::fs::write(dir.join(f), "{}").expect("write");
        }
        assert_eq!(Provenance::locate(&dir, "kpanda").expect("one"), "kpanda-v0.49.0.json");
        assert_eq!(Provenance::locate(&dir, "mcamel-kafka").expect("one"), "mcamel-kafka-v0.31.0.json");
        assert!(Provenance::locate(&dir, "ghippo").expect_err("none").message.contains("no document"));
        std::fs::write(dir.join("kpanda-v0.50.0.yaml"), "{}").expect("write");
        assert!(Provenance::locate(&dir, "kpanda").expect_err("two").message.contains("keep one"));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
