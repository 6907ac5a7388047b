//! Writes the `responses` target's decoders (one per success type of the
//! vendored document's operations) into OUT_DIR.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_path = root.join("specs/drun.yaml");
    println!("cargo::rerun-if-changed={}", config_path.display());
    let config_text = std::fs::read_to_string(&config_path).expect("specs/drun.yaml is readable");
    let family = drun_generator::config::Family::from_yaml(&config_text).expect("valid configuration");
    let config = family.module("ghippo").expect("ghippo is a module");
    let spec_name = config.spec.clone().expect("`spec` is set");
    let spec = root.join("specs").join(&spec_name);
    println!("cargo::rerun-if-changed={}", spec.display());
    let bytes = std::fs::read(&spec).expect("the vendored document is readable");
    let display = format!("specs/{spec_name}");
    let source = drun_generator::Source { display_path: &display, bytes: &bytes };
    let previous = drun_generator::Previous::read(&root.join("generated-client/modules/ghippo"));
    let code = drun_generator::conformance::decoders(&source, &config, &previous).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("decoders.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
