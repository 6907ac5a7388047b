//! Writes the `responses` target's decoders (one per success type of the
//! vendored document's operations) into OUT_DIR.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_path = root.join("specs/drun.yaml");
    println!("cargo::rerun-if-changed={}", config_path.display());
    let family = drun_generator::config::Family::read(&config_path).unwrap_or_else(|e| panic!("{e}"));
    let config = family.module("ghippo").expect("ghippo is a module");
    let spec_name = config.spec.clone().expect("`spec` is set");
    let spec = root.join("specs").join(&spec_name);
    println!("cargo::rerun-if-changed={}", spec.display());
    let bytes = std::fs::read(&spec).expect("the vendored document is readable");
    let display = format!("specs/{spec_name}");
    let source = drun_generator::Source { display_path: &display, bytes: &bytes };
    let previous = drun_generator::Previous::read(&config.out_path(&root.join("specs")).expect("out"));
    let code = drun_generator::conformance::decoders(&source, &config, &previous).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("decoders.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
