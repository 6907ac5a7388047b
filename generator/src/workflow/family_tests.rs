//! The family workflow on a family of two modules in a temporary folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::provenance::{Document, Provenance};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A temporary folder with `specs/` in it, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("drun-workflow-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("specs")).expect("temp folder");
        Self(dir)
    }

    fn specs(&self) -> PathBuf {
        self.0.join("specs")
    }

    /// Copies a fixture document into `specs/` as `name`.
    fn document(&self, fixture: &str, name: &str) {
        std::fs::copy(Path::new(FIXTURES).join(fixture), self.specs().join(name)).expect("copy");
    }

    /// Writes the family configuration; `modules` is its YAML mapping.
    fn family(&self, modules: &str) -> PathBuf {
        let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        let text = format!(
            "runtime: {}\numbrella: {{crate_name: fam, out: ../generated, description: d, module_prefix: fam-}}\n\
             modules:\n{modules}",
            runtime.display()
        );
        let path = self.specs().join("family.yaml");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Every file under `generated/`, by path.
    fn generated(&self) -> BTreeMap<String, String> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).expect("readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else {
                    let relative = path.strip_prefix(base).expect("below").to_string_lossy().replace('\\', "/");
                    out.insert(relative, std::fs::read_to_string(&path).expect("text"));
                }
            }
        }
        let mut files = BTreeMap::new();
        let base = self.0.join("generated");
        if base.exists() {
            walk(&base, &base, &mut files);
        }
        files
    }

    fn repo(&self) -> Repository<'_> {
        Repository::without_history(&self.0)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_check_writes_nothing_and_says_what_is_out_of_date() {
    let scratch = Scratch::new("check");
    scratch.document("update/old.yaml", "pets-v1.0.0.yaml");
    let family = scratch.family("  pets: {spec: pets-v1.0.0.yaml}\n");
    let run = generate_family(&scratch.repo(), &family, Mode::Check).expect("checks");
    assert!(!run.is_clean());
    assert!(scratch.generated().is_empty(), "the check wrote files");
    let pets = &run.modules[0];
    let Outcome::OutOfDate { diff, writes, .. } = &pets.outcome else { panic!("{:?}", pets.outcome) };
    assert!(*writes > 0 && diff.contains("+++ ") && diff.contains("modules/pets/src/lib.rs"), "{diff}");
    assert!(
        pets.problems().iter().any(|p| p.starts_with("error: pets: ") && p.contains("out of date")),
        "{:?}",
        pets.problems()
    );
    assert!(run.umbrella.problem().is_some());

    let written = generate_family(&scratch.repo(), &family, Mode::Write).expect("generates");
    assert!(written.is_clean() && written.modules[0].outcome.changed_files());
    assert!(scratch.generated().contains_key("modules/pets/src/lib.rs"));
    let checked = generate_family(&scratch.repo(), &family, Mode::Check).expect("checks");
    assert!(checked.is_clean(), "{:?}", checked.modules[0].problems());
    assert!(matches!(checked.modules[0].outcome, Outcome::UpToDate { unchanged } if unchanged > 0));
}

#[test]
fn updating_one_module_changes_only_that_module_and_reports_its_bump() {
    let scratch = Scratch::new("update");
    scratch.document("update/old.yaml", "pets-v1.0.0.yaml");
    scratch.document("equiv/swagger.yaml", "shop-v1.yaml");
    let family = scratch.family("  pets: {spec: pets-v1.0.0.yaml}\n  shop: {spec: shop-v1.yaml}\n");
    let first = generate_family(&scratch.repo(), &family, Mode::Write).expect("generates");
    assert!(first.modules.iter().all(|m| m.update.is_none()), "a first generation is no update");
    assert_eq!(first.markdown(), "");
    let before = scratch.generated();

    // One endpoint (and its model) added to `pets` only; the old document stays in the work tree.
    scratch.document("update/added.yaml", "pets-v1.1.0.yaml");
    let family = scratch.family("  pets: {spec: pets-v1.1.0.yaml}\n  shop: {spec: shop-v1.yaml}\n");
    let run = generate_family(&scratch.repo(), &family, Mode::Write).expect("generates");
    let after = scratch.generated();
    let changed: Vec<&String> = after.keys().chain(before.keys()).filter(|p| before.get(*p) != after.get(*p)).collect();
    assert!(changed.iter().any(|p| p.as_str() == "modules/pets/src/apis/pets.rs"), "{changed:?}");
    // Beside pets' crate, only the umbrella's line of pets' version.
    assert!(changed.iter().all(|p| p.starts_with("modules/pets/") || p.as_str() == "Cargo.toml"), "{changed:?}");
    let umbrella = |files: &BTreeMap<String, String>| -> Vec<String> {
        files["Cargo.toml"].lines().filter(|l| !l.contains("fam-pets")).map(str::to_owned).collect()
    };
    assert_eq!(umbrella(&before), umbrella(&after));

    let pets = run.modules.iter().find(|m| m.name == "pets").expect("pets");
    let update = pets.update.as_ref().expect("an update of pets");
    assert_eq!((update.old_version.as_str(), update.new_version.as_str()), ("0.1.0", "0.1.1"));
    assert!(pets.summary().contains("fam-pets 0.1.0 -> 0.1.1"), "{}", pets.summary());
    assert!(after["modules/pets/Cargo.toml"].contains("version = \"0.1.1\""));
    assert!(run.modules.iter().find(|m| m.name == "shop").expect("shop").update.is_none());
    assert!(run.markdown().contains("fam-pets"), "{}", run.markdown());
    assert!(generate_family(&scratch.repo(), &family, Mode::Check).expect("checks").is_clean());
}

#[test]
fn a_lost_document_leaves_the_version_unless_the_history_has_it() {
    let scratch = Scratch::new("history");
    scratch.document("update/old.yaml", "pets-v1.0.0.yaml");
    let old_family = scratch.family("  pets: {spec: pets-v1.0.0.yaml}\n");
    generate_family(&scratch.repo(), &old_family, Mode::Write).expect("generates");
    let old_bytes = std::fs::read(scratch.specs().join("pets-v1.0.0.yaml")).expect("read");
    std::fs::remove_file(scratch.specs().join("pets-v1.0.0.yaml")).expect("remove");
    scratch.document("update/added.yaml", "pets-v1.1.0.yaml");
    let family = scratch.family("  pets: {spec: pets-v1.1.0.yaml}\n");

    // Not in the work tree, and no history: the version stays.
    let run = generate_module_of(&family, &Repository::without_history(&scratch.0));
    assert_eq!(run.lost_document.as_deref(), Some("specs/pets-v1.0.0.yaml"));
    assert!(run.update.is_none());
    assert!(run.problems().iter().any(|p| p.contains("version left as is")), "{:?}", run.problems());

    // In the history (as `git show HEAD:specs/pets-v1.0.0.yaml` gives it): compared and bumped.
    let committed = |path: &str| (path == "specs/pets-v1.0.0.yaml").then(|| old_bytes.clone());
    let run = generate_module_of(&family, &Repository { root: &scratch.0, committed: &committed });
    assert!(run.lost_document.is_none());
    assert_eq!(run.update.expect("compared with the committed document").new_version, "0.1.1");
}

/// Generates `family`'s module `pets` into a copy of its crate: write mode
/// is what compares documents, and the crate itself stays as it was.
fn generate_module_of(family: &Path, repo: &Repository<'_>) -> ModuleRun {
    let mut module = crate::vendored::load_one(family, "pets").expect("loads");
    module.config.runtime_path = Some("../../runtime".to_owned());
    let copy = std::env::temp_dir().join(format!("drun-workflow-copy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&module.out, &copy);
    module.out.clone_from(&copy);
    let run = generate_module(repo, module, Mode::Write).expect("generates");
    let _ = std::fs::remove_dir_all(&copy);
    run
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn a_replaced_document_is_found_and_recorded_with_no_other_edit() {
    let scratch = Scratch::new("provenance");
    scratch.document("update/old.yaml", "pets-v1.0.0.yaml");
    let family = scratch.family("  pets: {}\n");
    let family_text = std::fs::read_to_string(&family).expect("family");
    let mut record = Provenance { repository: "https://example.com/apis".to_owned(), ..Provenance::default() };
    record.documents.insert(
        "pets".to_owned(),
        Document {
            file: "pets-v1.0.0.yaml".to_owned(),
            version: "v1.0.0".to_owned(),
            upstream_path: "openapi/pets/v1.0.0.yaml".to_owned(),
            sha256: crate::digest::sha256_hex(&std::fs::read(scratch.specs().join("pets-v1.0.0.yaml")).expect("read")),
        },
    );
    let record_path = scratch.specs().join(Provenance::FILE);
    std::fs::write(&record_path, record.to_json()).expect("write");
    let run = |mode| generate_family(&scratch.repo(), &family, mode).expect("runs");
    assert!(run(Mode::Write).provenance.is_none(), "the record was up to date");
    assert!(run(Mode::Check).is_clean());

    // The maintainer's whole update: the old document out, the new one in.
    std::fs::remove_file(scratch.specs().join("pets-v1.0.0.yaml")).expect("remove");
    scratch.document("update/added.yaml", "pets-v1.1.0.yaml");
    let checked = run(Mode::Check);
    assert!(!checked.is_clean(), "the check sees the record and the crate out of date");
    let step = checked.provenance.as_ref().expect("a provenance step");
    let added = |l: &str| l.starts_with('+') && l.contains("\"file\": \"pets-v1.1.0.yaml\"");
    assert!(step.summary().lines().any(added), "{}", step.summary());
    assert_eq!(Provenance::read(&record_path).expect("record"), record, "the check wrote nothing");
    assert!(run(Mode::Write).is_clean());
    assert!(run(Mode::Check).is_clean());

    let updated = Provenance::read(&record_path).expect("record");
    let pets = &updated.documents["pets"];
    assert_eq!((pets.file.as_str(), pets.version.as_str()), ("pets-v1.1.0.yaml", "v1.1.0"));
    assert_eq!(pets.upstream_path, "openapi/pets/v1.1.0.yaml");
    let bytes = std::fs::read(scratch.specs().join("pets-v1.1.0.yaml")).expect("read");
    assert_eq!(pets.sha256, crate::digest::sha256_hex(&bytes));
    assert!(
        scratch.generated()["modules/pets/Cargo.toml"].contains(&pets.sha256),
        "the crate records the new document"
    );
    assert_eq!(std::fs::read_to_string(&family).expect("family"), family_text, "the configuration is untouched");
}

#[test]
fn changes_since_a_base_report_changed_and_new_modules_only() {
    let scratch = Scratch::new("changes");
    scratch.document("update/added.yaml", "pets-v1.1.0.yaml");
    scratch.document("equiv/swagger.yaml", "shop-v1.yaml");
    scratch.document("update/old.yaml", "fish-v1.0.0.yaml");
    let family = scratch
        .family("  pets: {spec: pets-v1.1.0.yaml}\n  shop: {spec: shop-v1.yaml}\n  fish: {spec: fish-v1.0.0.yaml}\n");
    let base_family = "runtime: r\numbrella: {crate_name: fam, out: o, description: d, module_prefix: fam-}\n\
                       modules:\n  pets: {spec: pets-v1.0.0.yaml}\n  shop: {spec: shop-v1.yaml}\n";
    let read = |fixture: &str| std::fs::read(Path::new(FIXTURES).join(fixture)).ok();
    // At the base: pets had its old document, shop the same, fish none.
    let at_base = |path: &str| match path {
        "specs/family.yaml" => Some(base_family.as_bytes().to_vec()),
        "specs/pets-v1.0.0.yaml" => read("update/old.yaml"),
        "specs/shop-v1.yaml" => read("equiv/swagger.yaml"),
        _ => None,
    };
    let markdown = changes_since(&scratch.repo(), &family, &at_base).expect("reports");
    assert!(markdown.contains("<!-- module pets: specs/pets-v1.0.0.yaml -> specs/pets-v1.1.0.yaml -->"), "{markdown}");
    assert!(markdown.contains("## fam-fish (`fish`)\n\nA new module: "), "{markdown}");
    assert!(!markdown.contains("module shop"), "an unchanged document is not reported: {markdown}");

    let config = crate::config::FamilyConfig::read(&family).expect("family").module("pets").expect("pets");
    let old = Path::new(FIXTURES).join("update/old.yaml");
    let direct =
        compare_documents(&family, &config, &old, &scratch.specs().join("pets-v1.1.0.yaml")).expect("compares");
    assert!(markdown.contains(&direct), "the report holds the module's comparison:\n{direct}\n---\n{markdown}");
}
