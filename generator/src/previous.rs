//! What the last generation left in the output folder, read back so that a
//! new run keeps what users depend on: type names (a new colliding schema
//! must not rename an existing type) and the crate version.

use std::collections::BTreeMap;
use std::path::Path;

/// The file in the generated crate that records schema -> type names.
pub const NAMES_FILE: &str = "schema-names.json";

/// State of the previous output; empty for a first generation.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// Schema name -> Rust type name, as last generated.
    pub names: BTreeMap<String, String>,
    /// The crate version to write; `None` takes the configuration's.
    pub version: Option<String>,
    /// SHA-256 of the document the output was generated from.
    pub spec_sha256: Option<String>,
    /// The document's path as recorded in the output.
    pub spec_path: Option<String>,
}

impl Previous {
    /// Reads the state of the crate in `out`, if there is one. Anything
    /// unreadable counts as absent: the output is regenerated either way.
    pub fn read(out: &Path) -> Self {
        let names = std::fs::read_to_string(out.join(NAMES_FILE)).unwrap_or_default();
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        Self::parse(&manifest, &names)
    }

    /// The state recorded in a generated crate's files (as
    /// [`crate::pipeline::Output::files`] holds them).
    pub fn from_files(files: &std::collections::BTreeMap<String, String>) -> Self {
        let get = |k: &str| files.get(k).map_or("", String::as_str);
        Self::parse(get("Cargo.toml"), get(NAMES_FILE))
    }

    fn parse(manifest: &str, names: &str) -> Self {
        let names = serde_json::from_str(names).unwrap_or_default();
        Self {
            names,
            version: toml_value(manifest, "version"),
            spec_sha256: toml_value(manifest, "spec-sha256"),
            spec_path: toml_value(manifest, "spec"),
        }
    }
}

/// The first `key = "value"` of a generated `Cargo.toml` (written by this
/// crate's emitter, so one key per line and basic strings only).
fn toml_value(manifest: &str, key: &str) -> Option<String> {
    manifest.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_of_a_generated_manifest() {
        let m = "# c\n[package]\nname = \"x\"\nversion = \"0.3.1\"\n[package.metadata.openapi]\nspec = \"specs/a.json\"\nspec-sha256 = \"ab\"\n";
        assert_eq!(toml_value(m, "version").as_deref(), Some("0.3.1"));
        assert_eq!(toml_value(m, "spec").as_deref(), Some("specs/a.json"));
        assert_eq!(toml_value(m, "spec-sha256").as_deref(), Some("ab"));
        assert_eq!(toml_value(m, "missing"), None);
    }
}
