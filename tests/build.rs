//! Writes the conformance suite's calls (one per operation of every module
//! of the family in `specs/drun.yaml`, and the mock round trips of a few)
//! into `OUT_DIR`, so the list of
//! operations comes from the documents: a spec update needs no edit here.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let family_path = root.join("specs/drun.yaml");
    println!("cargo::rerun-if-changed={}", family_path.display());
    let mut code = String::new();
    let mut modules = Vec::new();
    for module in drun_generator::vendored::load_all(&family_path).unwrap_or_else(|e| panic!("{e}")) {
        let spec_name = module.config.spec.clone().unwrap_or_default();
        println!("cargo::rerun-if-changed={}", root.join(&module.display_path).display());
        println!("cargo::rerun-if-changed={}", module.out.join(drun_generator::previous::NAMES_FILE).display());
        let (source, config, previous) = (module.source(), &module.config, &module.previous);
        let suite = drun_generator::conformance::suite(&source, config, previous).unwrap_or_else(|e| panic!("{e}"));
        let trips =
            drun_generator::conformance::mock_round_trips(&source, config, previous).unwrap_or_else(|e| panic!("{e}"));
        let module = config.module_name();
        let ident = module.replace('-', "_");
        let krate = config.crate_ident();
        let _ = writeln!(
            code,
            "/// Calls of the `{module}` module.\npub mod {ident} {{\n#[allow(unused_imports)]\nuse drun_client::{ident} as {krate};\n{suite}\n{trips}}}\n"
        );
        modules.push((module, ident, spec_name));
    }
    code.push_str("/// A module's calls, one per operation.\n");
    code.push_str(
        "pub type Calls = for<'a> fn(&'a drun_client::Client) -> Vec<(&'static str, ghippo::CallFuture<'a>)>;\n\n",
    );
    code.push_str("/// A module's mock round trips.\n");
    code.push_str(
        "pub type RoundTrips = for<'a> fn(&'a drun_client::Client, &'a drun_client::Client, &'a drun_client::mock::MockServer) -> Vec<(&'static str, ghippo::RoundTrip<'a>)>;\n\n",
    );
    code.push_str("/// Every module: its name, its document, its calls and its mock round trips.\n");
    code.push_str("pub const MODULES: &[(&str, &str, Calls, RoundTrips)] = &[\n");
    for (module, ident, spec) in &modules {
        let _ = writeln!(code, "    ({module:?}, {spec:?}, {ident}::calls, {ident}::round_trips),");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo")).join("conformance_calls.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
