//! The umbrella crate of a family: one dependency line for users, a Cargo
//! feature per module, the runtime re-exported, and a prelude with every
//! enabled module's `client.<module>()` accessor.
//!
//! It names each module and its crate, nothing that changes with a
//! module's document but the crate's version, so that updating one
//! module's document changes that module's files and one line here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::crate_root::{entry_type, module_method};
use crate::config::Umbrella;

/// One module, as the umbrella names it.
#[derive(Debug, Clone)]
pub struct Member {
    /// The module's name (`mcamel-kafka`): also its Cargo feature.
    pub module: String,
    /// Its crate's package name (`drun-mcamel-kafka`).
    pub crate_name: String,
    /// Its crate's version.
    pub version: String,
    /// Its document's title.
    pub title: String,
    /// Its name in English, from the family configuration.
    pub english: Option<String>,
}

impl Member {
    /// How docs name the module: `Global Management (全局管理)`, or the
    /// document's title alone when no English name is configured or it is
    /// the same.
    fn shown_title(&self) -> String {
        let title = self.title.replace('\n', " ");
        match &self.english {
            Some(english) if *english != title => format!("{english} ({title})"),
            _ => title,
        }
    }
}

/// The umbrella crate's files, keyed by path; `runtime` is the runtime's
/// folder relative to the umbrella's, `guide` the text of the README the
/// family configuration names (`umbrella.readme`).
pub fn files(umbrella: &Umbrella, runtime: &str, members: &[Member], guide: Option<&str>) -> BTreeMap<String, String> {
    let header = format!(
        "{}: do not edit by hand.\nChange the family configuration (specs/drun.yaml) or the generator instead, and regenerate.\n",
        crate::write::GENERATED
    );
    BTreeMap::from([
        ("Cargo.toml".to_owned(), manifest(umbrella, runtime, members, &header)),
        (
            "README.md".to_owned(),
            guide.map_or_else(|| format!("# {}\n\n{}.\n", umbrella.crate_name, umbrella.description), str::to_owned),
        ),
        ("rustfmt.toml".to_owned(), super::RUSTFMT_TOML.to_owned()),
        ("src/lib.rs".to_owned(), lib_rs(umbrella, members, guide, &header)),
    ])
}

/// `Cargo.toml`: a feature per module (and the runtime's, forwarded), each
/// module an optional dependency.
fn manifest(umbrella: &Umbrella, runtime: &str, members: &[Member], header: &str) -> String {
    let mut toml = String::new();
    for line in header.lines() {
        let _ = writeln!(toml, "# {line}");
    }
    let _ = writeln!(toml, "\n[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"", umbrella.crate_name);
    let _ = writeln!(
        toml,
        "rust-version = \"{}\"\ndescription = \"{}\"\nlicense = \"Apache-2.0\"",
        super::RUST_VERSION,
        umbrella.description
    );
    toml.push_str("readme = \"README.md\"\n");
    if let Some(repository) = &umbrella.repository {
        let _ = writeln!(toml, "repository = \"{repository}\"\nhomepage = \"{repository}\"");
    }
    let _ = writeln!(toml, "documentation = \"https://docs.rs/{}\"", umbrella.crate_name);
    for (key, values) in [("keywords", &umbrella.keywords), ("categories", &umbrella.categories)] {
        if !values.is_empty() {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            let _ = writeln!(toml, "{key} = [{}]", quoted.join(", "));
        }
    }
    toml.push_str("include = [\"src/**/*.rs\", \"Cargo.toml\", \"README.md\"]\n");
    toml.push_str("\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n");
    toml.push_str(concat!(
        "\n# One feature per module: a module is compiled only when its feature is on.\n[features]\n",
        "default = [\"rustls\", \"gzip\"]\n",
        "# TLS: rustls with the ring crypto provider (default), rustls with\n",
        "# aws-lc-rs, or, with default features off, the platform's library and\n",
        "# certificate store: the one chosen is the only one compiled.\n",
        "rustls = [\"drun-runtime/rustls\"]\n",
        "rustls-aws-lc = [\"drun-runtime/rustls-aws-lc\"]\n",
        "native-tls = [\"drun-runtime/native-tls\"]\n",
        "# Compressed answers: ask for gzip and decode it.\n",
        "gzip = [\"drun-runtime/gzip\"]\n",
        "# A tracing span per call.\n",
        "tracing = [\"drun-runtime/tracing\"]\n",
    ));
    let all: Vec<String> = members.iter().map(|m| format!("\"{}\"", m.module)).collect();
    let _ = writeln!(toml, "full = [{}]", all.join(", "));
    toml.push_str("# Serialize and Deserialize on every model of the enabled modules.\n");
    let serde: Vec<String> = members.iter().map(|m| format!("\"{}?/full-serde\"", m.crate_name)).collect();
    let _ = writeln!(toml, "full-serde = [{}]", serde.join(", "));
    toml.push_str("# Typed mocks of the enabled modules' operations, for tests (`<module>::mocks`).\n");
    let mocks: Vec<String> = members.iter().map(|m| format!("\"{}?/mocks\"", m.crate_name)).collect();
    let _ = writeln!(toml, "mocks = [\"drun-runtime/mocks\", {}]", mocks.join(", "));
    for m in members {
        let _ = writeln!(toml, "{} = [\"dep:{}\"]", m.module, m.crate_name);
    }
    toml.push_str("\n[dependencies]\n");
    let _ = writeln!(toml, "drun-runtime = {{ path = \"{runtime}\", version = \"0.1\", default-features = false }}");
    for m in members {
        let _ = writeln!(
            toml,
            "{} = {{ path = \"modules/{}\", version = \"{}\", optional = true, default-features = false }}",
            m.crate_name, m.module, m.version
        );
    }
    toml
}

/// `src/lib.rs`: the table of modules, the runtime's items, each module
/// under its feature, the prelude of accessors; the guide as crate docs.
fn lib_rs(umbrella: &Umbrella, members: &[Member], guide: Option<&str>, header: &str) -> String {
    let mut lib = String::new();
    for line in header.lines() {
        let _ = writeln!(lib, "// {line}");
    }
    let _ = writeln!(lib);
    // No heading of its own: rustdoc titles the page, and the README
    // included below opens with the crate's name.
    let krate = umbrella.crate_name.replace('-', "_");
    // Two modules to name: the guide's first, so the two texts agree.
    let guide_module = umbrella.guide_feature.as_deref();
    let example: Vec<String> = guide_module
        .into_iter()
        .chain(members.iter().map(|m| m.module.as_str()).filter(|m| Some(*m) != guide_module))
        .take(2)
        .map(|m| format!("\"{m}\""))
        .collect();
    let _ = write!(
        lib,
        "//! Every module of the API family, on one shared [`Client`]: turn on the\n\
         //! Cargo feature of each module you call (`features = [{}]`,\n\
         //! or `full`), bring the accessors in with `use {krate}::prelude::*;`,\n\
         //! and call `client.<module>().<tag>().<operation>(...)`.\n\
         //!\n\
         //! | feature | module | crate | API |\n\
         //! | --- | --- | --- | --- |\n",
        example.join(", ")
    );
    for m in members {
        let path = m.module.replace('-', "_");
        let title = m.shown_title().replace('|', "\\|");
        let _ = writeln!(lib, "//! | `{}` | `{path}` | `{}` | {title} |", m.module, m.crate_name);
    }
    match (guide, &umbrella.guide_feature) {
        (Some(_), Some(feature)) => {
            let _ = write!(
                lib,
                "//!\n//! The guide below needs the `{feature}` feature.\n\
                 #![cfg_attr(feature = \"{feature}\", doc = include_str!(\"../README.md\"))]\n"
            );
        }
        (Some(_), None) => lib.push_str("#![doc = include_str!(\"../README.md\")]\n"),
        (None, _) => {}
    }
    lib.push_str("// docs.rs (nightly, `--cfg docsrs`) marks which feature each module needs.\n#![cfg_attr(docsrs, feature(doc_cfg))]\n");
    let _ = writeln!(lib, "\npub use drun_runtime::{{{}}};", super::crate_root::RUNTIME_REEXPORTS.join(", "));
    lib.push_str(
        "\n/// The mock server and its typed expectations, shared by every module's\n\
         /// `mocks` (feature `mocks`).\n#[cfg(feature = \"mocks\")]\npub use drun_runtime::mock;\n",
    );
    for m in members {
        let path = m.module.replace('-', "_");
        let krate = m.crate_name.replace('-', "_");
        let _ = writeln!(
            lib,
            "\n/// The `{}` module: {}.\n#[cfg(feature = \"{}\")]\npub use {krate} as {path};",
            m.module,
            m.shown_title(),
            m.module
        );
    }
    lib.push_str("\n/// The `client.<module>()` accessor of every enabled module.\npub mod prelude {\n");
    for m in members {
        let krate = m.crate_name.replace('-', "_");
        let _ = writeln!(
            lib,
            "    /// `client.{}()`.\n    #[cfg(feature = \"{}\")]\n    pub use {krate}::{}Ext;",
            module_method(&m.module),
            m.module,
            entry_type(&m.module)
        );
    }
    lib.push_str("}\n");
    lib
}
