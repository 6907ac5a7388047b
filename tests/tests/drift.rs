//! The committed crates are exactly what the generator produces now from
//! the vendored documents: every module's, as `specs/drun.yaml` lists them.

use std::path::Path;

#[test]
fn every_module_crate_matches_its_vendored_document() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stale = Vec::new();
    for module in drun_generator::vendored::load_all(&root.join("specs/drun.yaml")).expect("the family loads") {
        let mut config = module.config.clone();
        config.runtime_path = Some("../../../runtime".to_owned());
        // The recorded digest is the vendored file's.
        let sha = drun_generator::sha256_hex(&module.bytes);
        assert_eq!(module.previous.spec_sha256.as_deref(), Some(sha.as_str()), "{}", module.display_path);
        let (source, previous, out) = (module.source(), &module.previous, &module.out);
        let output = drun_generator::generate_with(&source, &config, previous).expect("generates");
        let plan = drun_generator::write::plan(out, &output.files).expect("readable");
        if !plan.is_clean() {
            stale.push(format!("{}:\n{}", config.module_name(), plan.diff(Path::new("generated-client"))));
        }
    }
    assert!(stale.is_empty(), "out of date; run `cargo xtask generate`:\n{}", stale.join("\n"));
}
