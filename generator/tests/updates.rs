//! Spec updates, as a maintainer meets them: which files a new document
//! touches, what the change report says, and that names stay put.

use std::collections::{BTreeMap, BTreeSet};

use drun_generator::compare::{Bump, ChangeKind, compare};
use drun_generator::{Config, Output, Previous, Source};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/update/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn config() -> Config {
    Config { crate_name: "pets-client".into(), ..Config::default() }
}

fn generate(name: &str, previous: &Previous) -> Output {
    let bytes = fixture(name);
    drun_generator::generate_with(&Source { display_path: name, bytes: &bytes }, &config(), previous)
        .expect("generates")
}

fn api(name: &str, previous: &Previous) -> drun_generator::ir::Api {
    let bytes = fixture(name);
    drun_generator::model(&Source { display_path: name, bytes: &bytes }, &config(), previous).expect("models").0
}

/// Files whose content differs, or that only one side has.
fn changed_files(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> BTreeSet<String> {
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

#[test]
fn adding_one_endpoint_touches_only_the_files_that_own_it() {
    let old = generate("old.yaml", &Previous::default());
    let previous = Previous::from_files(&old.files);
    let new = generate("added.yaml", &previous);
    let changed = changed_files(&old.files, &new.files);
    let expected: BTreeSet<String> = [
        "Cargo.toml",        // the document's version and digest
        "README.md",         // the API version and the operation counts
        "schema-names.json", // the new schema's name
        "src/lib.rs",        // API_VERSION and SPEC_SHA256
        "src/apis/pets.rs",  // the operation
        "src/mocks/pets.rs", // its typed mock
        "src/models/pet.rs", // its model
    ]
    .map(String::from)
    .into();
    assert_eq!(changed, expected);

    // Within the tag module, the diff is the new method and nothing else.
    let (before, after) = (&old.files["src/apis/pets.rs"], &new.files["src/apis/pets.rs"]);
    let removed: Vec<&str> = before.lines().filter(|l| !after.lines().any(|m| m == *l)).collect();
    assert!(removed.is_empty(), "lines removed from pets.rs: {removed:?}");
    assert!(after.contains("pub fn list_vaccinations("));
    let models = &new.files["src/models/pet.rs"];
    assert!(models.contains("pub struct ListVaccinationsResponse"));
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let a = generate("old.yaml", &Previous::default());
    let b = generate("old.yaml", &Previous::from_files(&a.files));
    assert_eq!(a.files, b.files);
}

#[test]
fn the_report_lists_additions_and_marks_them_compatible() {
    let previous = Previous::from_files(&generate("old.yaml", &Previous::default()).files);
    let report = compare(&api("old.yaml", &previous), &api("added.yaml", &previous));
    let names: Vec<(&str, ChangeKind)> = report.changes.iter().map(|c| (c.name.as_str(), c.kind)).collect();
    assert_eq!(
        names,
        vec![("pets::list_vaccinations", ChangeKind::Added), ("models::ListVaccinationsResponse", ChangeKind::Added)]
    );
    assert_eq!(report.bump(), Bump::Minor);
    let md = report.markdown("pets-client", "0.3.0");
    assert!(md.contains("## API changes: v1.0.0 -> v1.1.0"), "{md}");
    assert!(md.contains("0.3.0 -> **0.3.1** (minor bump)"), "{md}");
    assert!(md.contains("- Added `pets::list_vaccinations` `GET /v1/pets/{id}/vaccinations`"), "{md}");
}

#[test]
fn the_report_classifies_breaking_changes_and_names_no_unchanged_item() {
    let previous = Previous::from_files(&generate("old.yaml", &Previous::default()).files);
    let report = compare(&api("old.yaml", &previous), &api("breaking.yaml", &previous));
    let by_name: BTreeMap<&str, &drun_generator::compare::Change> =
        report.changes.iter().map(|c| (c.name.as_str(), c)).collect();

    let removed = by_name["pets::delete_pet"];
    assert_eq!((removed.kind, removed.breaking), (ChangeKind::Removed, true));

    let list = by_name["pets::list_pets"];
    assert!(list.breaking);
    assert!(
        list.details.contains(&"new required query parameter `shelter` (String) (breaking)".to_owned()),
        "{:?}",
        list.details
    );
    assert!(list.details.contains(&"new optional query parameter `sort` (String)".to_owned()), "{:?}", list.details);

    let pet = by_name["models::Pet"];
    assert!(pet.breaking);
    assert!(pet.details.contains(&"field `age`: i32 -> String (breaking)".to_owned()), "{:?}", pet.details);
    assert!(pet.details.contains(&"new field `nickname` (String)".to_owned()), "{:?}", pet.details);

    let kind = by_name["models::Kind"];
    assert_eq!(
        kind.details,
        vec!["enum value `PARROT` removed (breaking)".to_owned(), "new enum value `HAMSTER`".to_owned()]
    );

    let added = by_name["models::ShelterPagination"];
    assert_eq!((added.kind, added.breaking), (ChangeKind::Added, false));

    // Nothing else: unchanged operations and models are not listed.
    let mut names: Vec<&str> = by_name.keys().copied().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["models::Kind", "models::Pet", "models::ShelterPagination", "pets::delete_pet", "pets::list_pets"]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn a_new_colliding_schema_does_not_rename_existing_types() {
    let old = generate("old.yaml", &Previous::default());
    assert!(old.files["src/models/common.rs"].contains("pub struct Pagination"));
    let new = generate("breaking.yaml", &Previous::from_files(&old.files));
    // `Pagination` keeps its name; the newcomer is qualified by package.
    assert!(new.files["src/models/common.rs"].contains("pub struct Pagination"));
    assert!(new.files["src/models/shelter.rs"].contains("pub struct ShelterPagination"));
    // Without the record of names, the collision would have renamed it.
    let fresh = generate("breaking.yaml", &Previous::default());
    assert!(!fresh.files.values().any(|f| f.contains("pub struct Pagination ")));
}

#[test]
fn the_recorded_version_wins_unless_the_configuration_raises_it() {
    let old = generate("old.yaml", &Previous::default());
    let mut previous = Previous::from_files(&old.files);
    previous.version = Some("0.3.0".to_owned());
    let version_of = |config: &Config| {
        let bytes = fixture("old.yaml");
        let out = drun_generator::generate_with(&Source { display_path: "old.yaml", bytes: &bytes }, config, &previous)
            .expect("generates");
        Previous::from_files(&out.files).version.expect("recorded")
    };
    assert_eq!(version_of(&config()), "0.3.0", "0.1.0 in the configuration is the first version only");
    let raised = Config { crate_version: "1.0.0".into(), ..config() };
    assert_eq!(version_of(&raised), "1.0.0", "a higher configured version is a release by hand");
    let tenth = Config { crate_version: "0.10.0".into(), ..config() };
    assert_eq!(version_of(&tenth), "0.10.0", "versions compare by number, not as text");
}
