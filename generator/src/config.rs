//! Generator configuration: what the spec alone does not say.
//!
//! Read from a YAML file (see `specs/drun.yaml`, the family's); every field has a
//! default so that `--spec X --out DIR` works on any document without one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, ErrorKind};

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
    /// The API module's name (`ghippo`, `mcamel-kafka`): the accessor
    /// `client.<module>()` and the entry type. Default: the crate name.
    pub module: Option<String>,
    /// Path of the `drun-runtime` crate, relative to the output folder
    /// (what the generated `Cargo.toml` depends on). `cargo xtask generate`
    /// fills it in.
    pub runtime_path: Option<String>,
    /// Cargo package version of the generated crate on its first
    /// generation. Afterwards each update bumps the version the crate
    /// records; this setting only takes effect again when it is higher (to
    /// release a new major version by hand, say).
    pub crate_version: String,
    /// The module's name in English (`Global Management`), shown beside
    /// its document's title wherever modules are listed.
    pub title: Option<String>,
    /// One-line package description; defaults to one built from `info.title`.
    pub description: Option<String>,
    /// The API's base URL when the document names no server (Swagger 2.0
    /// without `host`): `DEFAULT_BASE_URL` and the documentation example.
    pub base_url: Option<String>,
    /// SPDX license expression of the generated crate.
    pub license: Option<String>,
    /// Where the crate's source lives (`repository` in its manifest).
    pub repository: Option<String>,
    /// The project's home page (`homepage`).
    pub homepage: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
    /// crates.io category slugs.
    pub categories: Vec<String>,
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
    /// How paged list operations are recognised (see `ir/pagination.rs`).
    pub pagination: Pagination,
}

/// The wire names that make an operation a paged list, and operations to
/// leave out.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pagination {
    /// The page-number query parameter.
    pub page: String,
    /// The page-size query parameter.
    pub page_size: String,
    /// The answer's items array.
    pub items: String,
    /// The answer's pagination message.
    pub pagination: String,
    /// The pagination's total.
    pub total: String,
    /// Operation ids that get no helper.
    pub exclude: Vec<String>,
}

impl Default for Pagination {
    fn default() -> Self {
        Self {
            page: "page".to_owned(),
            page_size: "pageSize".to_owned(),
            items: "items".to_owned(),
            pagination: "pagination".to_owned(),
            total: "total".to_owned(),
            exclude: Vec::new(),
        }
    }
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
            module: None,
            runtime_path: None,
            title: None,
            description: None,
            base_url: None,
            license: None,
            repository: None,
            homepage: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            strip_package_prefixes: None,
            protojson: None,
            renames: BTreeMap::new(),
            secrets: Secrets::default(),
            pagination: Pagination::default(),
        }
    }
}

impl Config {
    /// Parses a YAML configuration file's text.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        serde_saphyr::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Config, "", format!("invalid configuration: {e}")))
    }

    /// `spec`, resolved against the configuration file's folder.
    pub fn spec_path(&self, dir: &Path) -> Option<PathBuf> {
        self.spec.as_ref().map(|p| dir.join(p))
    }

    /// `out`, resolved against the configuration file's folder.
    pub fn out_path(&self, dir: &Path) -> Option<PathBuf> {
        self.out.as_ref().map(|p| dir.join(p))
    }

    /// The module's name: `module`, or else the crate name.
    pub fn module_name(&self) -> String {
        self.module.clone().unwrap_or_else(|| self.crate_name.clone())
    }

    /// The crate name as a Rust identifier (`drun-client` -> `drun_client`).
    pub fn crate_ident(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// A family of API modules (`specs/drun.yaml`): one crate per module, all
/// on the shared runtime, and an umbrella crate with a Cargo feature per
/// module.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyConfig {
    /// The runtime crate's folder, relative to the configuration file.
    pub runtime: String,
    /// The umbrella crate.
    pub umbrella: Umbrella,
    /// Where the command line's table of operations goes: a folder,
    /// relative to the configuration file, that holds nothing else (one
    /// file per module and their index). None: no command line.
    #[serde(default)]
    pub cli_table: Option<String>,
    /// Settings every module takes unless it sets its own.
    #[serde(default)]
    pub defaults: serde_json::Map<String, serde_json::Value>,
    /// The modules, by name (`ghippo`, `mcamel-kafka`): each a [`Config`]
    /// whose `module` is its name, `crate_name` `<prefix><name>` and `out`
    /// `<umbrella out>/modules/<name>` unless it says otherwise.
    pub modules: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// Where each module's document came from (`provenance.json` beside the
    /// configuration): a module that names no `spec` takes its file name
    /// from here.
    #[serde(skip)]
    pub provenance: Option<crate::provenance::Provenance>,
}

/// The crate that gathers a family's modules behind Cargo features.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Umbrella {
    /// Its package name (`drun-client`).
    pub crate_name: String,
    /// Its folder, relative to the configuration file; modules go in its
    /// `modules/` folder.
    pub out: String,
    /// Its package description.
    pub description: String,
    /// Prefix of the module crates' names (`drun-`).
    pub module_prefix: String,
    /// Where the crates' source lives (`repository`), for the umbrella's
    /// manifest; the modules take theirs from `defaults`.
    #[serde(default)]
    pub repository: Option<String>,
    /// crates.io keywords of the umbrella.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io categories of the umbrella.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The crate's guide (its README, shown on its docs page with its
    /// examples compiled as doctests), relative to the configuration file;
    /// without one, a README is written from the description.
    #[serde(default)]
    pub readme: Option<String>,
    /// The module feature the guide's examples need, if any.
    #[serde(default)]
    pub guide_feature: Option<String>,
}

impl FamilyConfig {
    /// Reads a family configuration file; an error names the file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(ErrorKind::Io, "", format!("cannot read it: {e}")).in_file(&shown))?;
        let mut family = Self::from_yaml(&text).map_err(|e| e.in_file(&shown))?;
        let record = path.with_file_name(crate::provenance::Provenance::FILE);
        if record.exists() {
            family.provenance = Some(crate::provenance::Provenance::read(&record)?);
        }
        Ok(family)
    }

    /// Parses a family configuration's text.
    pub fn from_yaml(text: &str) -> Result<Self, Error> {
        serde_saphyr::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Config, "", format!("invalid family configuration: {e}")))
    }

    /// Each module's configuration: the defaults, then its own settings.
    pub fn module_configs(&self) -> Result<Vec<Config>, Error> {
        self.modules
            .iter()
            .map(|(name, own)| {
                let mut merged = self.defaults.clone();
                merged.insert("module".to_owned(), name.clone().into());
                merged.insert("crate_name".to_owned(), format!("{}{name}", self.umbrella.module_prefix).into());
                merged.insert("out".to_owned(), format!("{}/modules/{name}", self.umbrella.out).into());
                if let Some(document) = self.provenance.as_ref().and_then(|p| p.documents.get(name)) {
                    merged.insert("spec".to_owned(), document.file.clone().into());
                }
                merged.extend(own.clone());
                serde_json::from_value(serde_json::Value::Object(merged)).map_err(|e| {
                    Error::new(ErrorKind::Config, "", format!("invalid configuration of module `{name}`: {e}"))
                })
            })
            .collect()
    }
}

impl FamilyConfig {
    /// One module's configuration, by name.
    pub fn module(&self, name: &str) -> Result<Config, Error> {
        let known: Vec<&str> = self.modules.keys().map(String::as_str).collect();
        self.module_configs()?.into_iter().find(|c| c.module.as_deref() == Some(name)).ok_or_else(|| {
            Error::new(ErrorKind::Config, "", format!("no module `{name}`; the modules are {}", known.join(", ")))
        })
    }

    /// The module a document belongs to: `module` if given (an unknown
    /// name is an error), else the one whose document the file is a version
    /// of (`kpanda-v0.50.0.json` -> `kpanda`), else none.
    pub fn module_for(&self, document: &Path, module: Option<&str>) -> Result<Option<Config>, Error> {
        if let Some(name) = module {
            return self.module(name).map(Some);
        }
        let file = document.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(self.module_of_file(&file))
    }

    /// The module whose document a file is a version of: the configured
    /// document whose name, before `-v<version>`, is the file's.
    pub fn module_of_file(&self, file_name: &str) -> Option<Config> {
        let stem = |f: &str| f.rsplit_once("-v").map_or(f, |(s, _)| s).to_owned();
        let wanted = stem(file_name);
        self.module_configs()
            .ok()?
            .into_iter()
            .find(|c| c.spec.as_deref().map(stem).as_deref() == Some(wanted.as_str()))
    }
}

/// Whether a configuration file's text is a family's (it has `modules`)
/// rather than one module's.
pub fn is_family_yaml(text: &str) -> bool {
    serde_saphyr::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text).is_ok_and(|m| m.contains_key("modules"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_family_is_told_from_a_module_by_its_modules_key_not_by_a_line() {
        assert!(super::is_family_yaml("umbrella:\n  crate_name: x\nmodules:\n  - spec: a.json\n"));
        assert!(super::is_family_yaml("{modules: []}"));
        assert!(!super::is_family_yaml("crate_name: x\ndescription: \"modules: none\"\n"));
        assert!(!super::is_family_yaml("crate_name: x\n# modules: none\n"));
    }

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
    fn family_modules_take_the_defaults_and_their_own_settings() {
        let family = FamilyConfig::from_yaml(concat!(
            "runtime: ../runtime\n",
            "umbrella: {crate_name: c, out: ../gen, description: d, module_prefix: c-}\n",
            "defaults: {protojson: true, license: MIT}\n",
            "modules:\n",
            "  a: {spec: a.json}\n",
            "  b-c: {spec: b.json, license: Apache-2.0}\n",
        ))
        .unwrap();
        let configs = family.module_configs().unwrap();
        assert_eq!(configs[0].crate_name, "c-a");
        assert_eq!(configs[0].out.as_deref(), Some("../gen/modules/a"));
        assert_eq!(configs[0].license.as_deref(), Some("MIT"));
        assert_eq!(configs[1].module.as_deref(), Some("b-c"));
        assert_eq!(configs[1].license.as_deref(), Some("Apache-2.0"));
        assert_eq!(configs[1].protojson, Some(true));
    }

    #[test]
    fn rejects_unknown_keys() {
        let e = Config::from_yaml("crate_nam: x\n").unwrap_err();
        assert!(e.message.contains("crate_nam"), "{e}");
    }
}
