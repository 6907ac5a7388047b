//! The committed crate is exactly what the generator produces now.

use std::path::Path;

#[test]
fn generated_client_matches_the_vendored_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config_text = std::fs::read_to_string(root.join("specs/drun-client.yaml")).expect("config");
    let config = drun_generator::Config::from_yaml(&config_text).expect("valid config");
    let spec = root.join("specs").join(config.spec.as_deref().expect("spec set"));
    let bytes = std::fs::read(&spec).expect("spec readable");
    let source = drun_generator::Source { display_path: "specs/ghippo-v0.48.1.json", bytes: &bytes };
    let out = root.join("generated-client");
    let previous = drun_generator::Previous::read(&out);
    let output = drun_generator::generate_with(&source, &config, &previous).expect("generates");
    let plan = drun_generator::write::plan(&out, &output.files).expect("readable");
    assert!(
        plan.is_clean(),
        "generated-client/ is out of date; run `cargo xtask generate`:\n{}",
        plan.diff(Path::new("generated-client"))
    );
}

#[test]
fn the_vendored_spec_is_the_published_one() {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/ghippo-v0.48.1.json")).expect("spec");
    // SPEC_SHA256 is what the crate was generated from; SOURCE.md's digest.
    assert_eq!(drun_client::SPEC_SHA256, "acf86a3287dfe1bc71e440a54a3aff905ee4756527557ccdc774a4152fa1bb86");
    assert_eq!(bytes.len(), 365_974);
}
