//! Generator configuration: what the spec alone does not say.
//!
//! Read from a YAML file (see `specs/drun-client.yaml`); every field has a
//! default so that `--spec X --out DIR` works on any document without one.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;

/// Settings for one generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Path of the document, relative to the configuration file.
    pub spec: Option<String>,
    /// Output folder, relative to the configuration file.
    pub out: Option<String>,
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Cargo package version of the generated crate.
    pub crate_version: String,
    /// One-line package description; defaults to one built from `info.title`.
    pub description: Option<String>,
    /// The API's base URL when the document names no server (Swagger 2.0
    /// without `host`): `DEFAULT_BASE_URL` and the documentation example.
    pub base_url: Option<String>,
    /// SPDX license expression of the generated crate.
    pub license: Option<String>,
    /// Strip protobuf package prefixes from definition names
    /// (`v1alpha1userPagination` -> `Pagination`). `None`: on for documents
    /// made by grpc-gateway, off otherwise.
    pub strip_package_prefixes: Option<bool>,
    /// Apply proto3/protojson rules (omitted fields decode as zero values,
    /// int64 travels as a string). `None`: on for documents made by
    /// grpc-gateway, off otherwise.
    pub protojson: Option<bool>,
    /// Rust type names for schemas, keyed by the schema's name in the
    /// document. Applied before collision resolution.
    pub renames: BTreeMap<String, String>,
    /// Properties whose values `Debug` redacts, beyond (or instead of) the
    /// rule in `ir/secrets.rs`.
    pub secrets: Secrets,
}

/// Extends or overrides the rule that says which properties hold secrets.
/// Each entry is a property's wire name (`password`) or a model's Rust name
/// and a wire name (`SmtpSetting.password`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Secrets {
    /// Redacted whatever the rule says.
    pub secret: Vec<String>,
    /// Never redacted, whatever the rule says.
    pub not_secret: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            spec: None,
            out: None,
            crate_name: "api-client".to_owned(),
            crate_version: "0.1.0".to_owned(),
            description: None,
            base_url: None,
            license: None,
            strip_package_prefixes: None,
            protojson: None,
            renames: BTreeMap::new(),
            secrets: Secrets::default(),
        }
    }
}

impl Config {
    /// Parses a YAML configuration file's text.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        serde_saphyr::from_str(text).map_err(|e| Error::at("", format!("invalid configuration: {e}")))
    }

    /// The crate name as a Rust identifier (`drun-client` -> `drun_client`).
    pub fn crate_ident(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_with_defaults() {
        let c = Config::from_yaml("crate_name: x\nrenames:\n  fooBar: Bar\n").unwrap();
        assert_eq!(c.crate_name, "x");
        assert_eq!(c.crate_version, "0.1.0");
        assert_eq!(c.renames["fooBar"], "Bar");
        assert_eq!(c.protojson, None);
    }

    #[test]
    fn rejects_unknown_keys() {
        let e = Config::from_yaml("crate_nam: x\n").unwrap_err();
        assert!(e.message.contains("crate_nam"), "{e}");
    }
}
