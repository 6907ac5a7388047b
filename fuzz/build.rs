//! Writes the `responses` target's decoders (one per success type of the
//! vendored document's operations) into OUT_DIR.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_path = root.join("specs/drun.yaml");
    println!("cargo::rerun-if-changed={}", config_path.display());
    let module = drun_generator::vendored::load_one(&config_path, "ghippo").unwrap_or_else(|e| panic!("{e}"));
    println!("cargo::rerun-if-changed={}", root.join(&module.display_path).display());
    let (source, config, previous) = (module.source(), &module.config, &module.previous);
    let code = drun_generator::conformance::decoders(&source, config, previous).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("decoders.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
