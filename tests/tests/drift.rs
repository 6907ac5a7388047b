//! The committed crates are exactly what the generator produces now from
//! the vendored documents: every module's, as `specs/drun.yaml` lists them.

use std::path::Path;

#[test]
fn every_module_crate_matches_its_vendored_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let family = drun_generator::config::Family::read(&root.join("specs/drun.yaml")).expect("valid family");
    let mut stale = Vec::new();
    for mut config in family.module_configs().expect("module configurations") {
        let spec_name = config.spec.clone().expect("spec set");
        let bytes = std::fs::read(root.join("specs").join(&spec_name)).expect("spec readable");
        let shown = format!("specs/{spec_name}");
        let out = config.out_path(&root.join("specs")).expect("out set");
        config.runtime_path = Some("../../../runtime".to_owned());
        let previous = drun_generator::Previous::read(&out);
        // The recorded digest is the vendored file's.
        assert_eq!(previous.spec_sha256.as_deref(), Some(drun_generator::sha256_hex(&bytes).as_str()), "{spec_name}");
        let source = drun_generator::Source { display_path: &shown, bytes: &bytes };
        let output = drun_generator::generate_with(&source, &config, &previous).expect("generates");
        let plan = drun_generator::write::plan(&out, &output.files).expect("readable");
        if !plan.is_clean() {
            stale.push(format!("{}:\n{}", config.module_name(), plan.diff(Path::new("generated-client"))));
        }
    }
    assert!(stale.is_empty(), "out of date; run `cargo xtask generate`:\n{}", stale.join("\n"));
}
