//! Writes the conformance suite's calls (one per operation of the vendored
//! document) into OUT_DIR, so the list of operations comes from the spec.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_path = root.join("specs/drun-client.yaml");
    println!("cargo::rerun-if-changed={}", config_path.display());
    let config_text = std::fs::read_to_string(&config_path).expect("specs/drun-client.yaml is readable");
    let config = drun_generator::Config::from_yaml(&config_text).expect("valid configuration");
    let spec_name = config.spec.clone().expect("`spec` is set");
    let spec = root.join("specs").join(&spec_name);
    println!("cargo::rerun-if-changed={}", spec.display());
    let bytes = std::fs::read(&spec).expect("the vendored document is readable");
    let display = format!("specs/{spec_name}");
    let source = drun_generator::Source { display_path: &display, bytes: &bytes };
    let crate_dir = root.join("generated-client");
    println!("cargo::rerun-if-changed={}", crate_dir.join(drun_generator::previous::NAMES_FILE).display());
    let previous = drun_generator::Previous::read(&crate_dir);
    let code = drun_generator::conformance::suite(&source, &config, &previous).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("conformance_calls.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
