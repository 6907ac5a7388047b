//! The whole pipeline on the vendored document (load, upconvert, model,
//! emit, format) beside merely parsing the same bytes into a
//! `serde_json::Value`, so the ratio comes from one run; then each stage on
//! its own (`generate_stages`), so that a regression names its stage.
//!
//! `cargo bench -p drun-generator --bench generate`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use drun_generator::emit::Artefact;
use drun_generator::{Config, Source};

fn generate(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // The document the family configuration names, so a spec update needs no edit here.
    let module = drun_generator::vendored::load_one(&root.join("specs/drun.yaml"), "ghippo").expect("ghippo loads");
    let (config, bytes, source): (&Config, &[u8], Source<'_>) = (&module.config, &module.bytes, module.source());

    let mut group = c.benchmark_group("generate_ghippo");
    group.sample_size(30);
    group.bench_function("parse_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).expect("parses"));
    });
    group.bench_function("load_and_upconvert", |b| {
        b.iter(|| drun_generator::load::load(black_box(bytes)).expect("loads"));
    });
    group.bench_function("whole_pipeline", |b| {
        b.iter(|| drun_generator::generate(black_box(&source), config).expect("generates"));
    });
    group.finish();

    let previous = &module.previous;
    let (api, _) = drun_generator::model(&source, config, previous).expect("models");
    let out = root.join("generated-client/modules/ghippo");
    let files = drun_generator::emit::emit(&api, config, &source).expect("emits");
    let mut stages = c.benchmark_group("generate_stages");
    stages.sample_size(20);
    stages.bench_function("load", |b| b.iter(|| drun_generator::load::load(black_box(bytes)).expect("loads")));
    stages.bench_function("model", |b| {
        b.iter(|| drun_generator::model(black_box(&source), config, previous).expect("models"));
    });
    for (name, artefact) in
        [("emit_models", Artefact::Models), ("emit_operations", Artefact::Operations), ("emit_mocks", Artefact::Mocks)]
    {
        stages.bench_function(name, |b| {
            b.iter(|| drun_generator::emit::emit_only(&api, config, black_box(&source), &[artefact]).expect("emits"));
        });
    }
    stages.bench_function("emit_cli_table", |b| {
        b.iter(|| drun_generator::emit::cli::module_table(black_box(&api), "ghippo", Some("Global Management")));
    });
    stages.bench_function("check_against_committed", |b| {
        b.iter(|| drun_generator::write::plan(&out, black_box(&files)).expect("plans"));
    });
    stages.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
