//! Names for the document's component schemas.
//!
//! With package prefixes stripped, several definitions can want one name.
//! Identical ones (structurally equal, counting references to identical
//! schemas as equal) become one type; different ones are qualified by their
//! package (`GroupUser`, `WorkspaceUser`). Configured renames come first and
//! reserve their names; then the names the previous output recorded, so that
//! a schema added later never renames an existing type (it is the one that
//! gets qualified).

use std::collections::{BTreeMap, BTreeSet};

use super::naming::{Namespace, package_of, split_package, type_ident};

/// The outcome: each schema's canonical schema and Rust name.
#[derive(Debug, Default)]
pub struct SchemaNames {
    /// Schema name -> the schema that stands for it (itself, or the one it
    /// was merged into).
    pub canonical: BTreeMap<String, String>,
    /// Canonical schema name -> Rust type name.
    pub rust: BTreeMap<String, String>,
    /// Canonical schema name -> model group (file) key.
    pub group: BTreeMap<String, String>,
}

/// Names every schema in `schemas` (name -> compact JSON text).
pub fn assign(
    schemas: &BTreeMap<String, String>,
    strip: bool,
    renames: &BTreeMap<String, String>,
    previous: &BTreeMap<String, String>,
) -> SchemaNames {
    let short = |name: &str| -> String { if strip { split_package(name).1.to_owned() } else { name.to_owned() } };
    let classes = if strip { merge_identical(schemas, &short) } else { identity(schemas) };

    // Members of each class, and classes under each wanted short name.
    let mut members: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (name, class) in &classes {
        members.entry(*class).or_default().push(name);
    }
    let mut out = SchemaNames::default();
    let mut ns = Namespace::default();
    let mut wanted: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Configured renames first, then the names kept from the previous run.
    let renamed: BTreeMap<usize, &String> =
        members.iter().filter_map(|(c, names)| Some((*c, names.iter().find_map(|n| renames.get(*n))?))).collect();
    let mut kept: BTreeMap<usize, String> = BTreeMap::new();
    for (class, r) in &renamed {
        kept.insert(*class, ns.claim(r));
    }
    for (class, names) in &members {
        if kept.contains_key(class) {
            continue;
        }
        if let Some(old) = names.iter().find_map(|n| previous.get(*n)).filter(|old| !ns.is_taken(old)) {
            kept.insert(*class, ns.claim(old));
        }
    }
    for (class, names) in &members {
        // Representative: the smallest name, so the choice is deterministic.
        let rep = names[0].to_owned();
        for n in names {
            out.canonical.insert((*n).to_owned(), rep.clone());
        }
        if let Some(name) = kept.get(class) {
            out.rust.insert(rep.clone(), name.clone());
        } else {
            wanted.entry(type_ident(&short(&rep))).or_default().push(*class);
        }
        let packages: BTreeSet<String> = names.iter().map(|n| package_of(split_package(n).0)).collect();
        let group = match packages.len() {
            1 if strip && !packages.first().is_some_and(String::is_empty) => {
                packages.into_iter().next().unwrap_or_default()
            }
            1 => rep.clone(),
            _ => "common".to_owned(),
        };
        out.group.insert(rep, group);
    }
    // Unique short names first, so that a qualified name never takes a
    // plain one's place; then the colliding ones, qualified by package.
    let rep_of = |class: &usize| members[class][0].to_owned();
    let (plain, colliding): (Vec<_>, Vec<_>) =
        wanted.into_iter().partition(|(name, cs)| cs.len() == 1 && !ns.is_taken(name));
    for (name, cs) in plain {
        out.rust.insert(rep_of(&cs[0]), ns.claim(&name));
    }
    for (name, cs) in colliding {
        for class in cs {
            let rep = rep_of(&class);
            let (prefix, _) = split_package(&rep);
            let qualified = type_ident(&format!("{}_{}", package_of(prefix), name));
            let full = type_ident(&rep);
            let pick = if !ns.is_taken(&qualified) && qualified != name { qualified } else { full };
            out.rust.insert(rep, ns.claim(&pick));
        }
    }
    out
}

fn identity(schemas: &BTreeMap<String, String>) -> BTreeMap<String, usize> {
    schemas.keys().enumerate().map(|(i, k)| (k.clone(), i)).collect()
}

/// A schema's JSON text with every `$ref` cut out, and the references'
/// targets in order: two schemas are identical when their templates are and
/// their targets are, pairwise.
struct Template<'a> {
    text: String,
    targets: Vec<&'a str>,
}

fn template(json: &str) -> Template<'_> {
    const REF: &str = "\"$ref\":\"";
    let mut text = String::with_capacity(json.len());
    let mut targets = Vec::new();
    let mut rest = json;
    while let Some(i) = rest.find(REF) {
        let after = &rest[i + REF.len()..];
        let end = after.find('"').unwrap_or(after.len());
        text.push_str(&rest[..i]);
        text.push_str("$ref");
        targets.push(after[..end].rsplit('/').next().unwrap_or_default());
        rest = &after[end..];
    }
    text.push_str(rest);
    Template { text, targets }
}

/// Partition refinement: start with one class per short name, split classes
/// until every member of a class has the same shape with references replaced
/// by their target's class. What is left together is identical.
fn merge_identical(schemas: &BTreeMap<String, String>, short: &dyn Fn(&str) -> String) -> BTreeMap<String, usize> {
    let templates: Vec<(&String, Template<'_>)> = schemas.iter().map(|(k, v)| (k, template(v))).collect();
    // Intern template texts so that each iteration compares numbers.
    let mut texts: BTreeMap<&str, usize> = BTreeMap::new();
    let text_ids: Vec<usize> = templates
        .iter()
        .map(|(_, t)| {
            let next = texts.len();
            *texts.entry(t.text.as_str()).or_insert(next)
        })
        .collect();
    let mut class: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for name in schemas.keys() {
        let next = ids.len();
        class.insert(name, *ids.entry(short(name)).or_insert(next));
    }
    loop {
        let mut sigs: BTreeMap<(usize, usize, Vec<usize>), usize> = BTreeMap::new();
        let mut next_class = BTreeMap::new();
        for ((name, t), text_id) in templates.iter().zip(&text_ids) {
            // A reference to a schema that does not exist keeps its name.
            let targets = t.targets.iter().map(|n| class.get(n).copied().unwrap_or(usize::MAX - texts.len())).collect();
            let next = sigs.len();
            let id = *sigs.entry((class[name.as_str()], *text_id, targets)).or_insert(next);
            next_class.insert(name.as_str(), id);
        }
        let done = sigs.len() == class.values().collect::<std::collections::BTreeSet<_>>().len();
        class = next_class;
        if done {
            return class.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_cut_out_references() {
        let t = template(r##"{"a":{"$ref":"#/components/schemas/X"},"b":{"$ref":"#/components/schemas/Y"}}"##);
        assert_eq!(t.text, r#"{"a":{$ref"},"b":{$ref"}}"#);
        assert_eq!(t.targets, vec!["X", "Y"]);
    }

    fn schemas(v: serde_json::Value) -> BTreeMap<String, String> {
        let m: BTreeMap<String, serde_json::Value> = serde_json::from_value(v).unwrap();
        m.into_iter().map(|(k, v)| (k, v.to_string())).collect()
    }

    #[test]
    fn identical_prefixed_schemas_merge() {
        let s = schemas(json!({
            "v1alpha1userPagination": {"type": "object", "properties": {"page": {"type": "integer"}}},
            "v1alpha1groupPagination": {"type": "object", "properties": {"page": {"type": "integer"}}},
        }));
        let n = assign(&s, true, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(n.canonical["v1alpha1userPagination"], "v1alpha1groupPagination");
        assert_eq!(n.rust["v1alpha1groupPagination"], "Pagination");
        assert_eq!(n.rust.len(), 1);
        assert_eq!(n.group["v1alpha1groupPagination"], "common");
    }

    #[test]
    fn different_shapes_are_qualified_by_package() {
        let s = schemas(json!({
            "v1alpha1groupUser": {"type": "object", "properties": {"a": {"type": "string"}}},
            "v1alpha1workspaceUser": {"type": "object", "properties": {"b": {"type": "string"}}},
            "v1alpha1userThing": {"type": "object"},
        }));
        let n = assign(&s, true, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(n.rust["v1alpha1groupUser"], "GroupUser");
        assert_eq!(n.rust["v1alpha1workspaceUser"], "WorkspaceUser");
        assert_eq!(n.rust["v1alpha1userThing"], "Thing");
        assert_eq!(n.group["v1alpha1userThing"], "user");
    }

    #[test]
    fn refs_to_different_targets_keep_schemas_apart() {
        let s = schemas(json!({
            "aItem": {"type": "object", "properties": {"x": {"type": "string"}}},
            "bItem": {"type": "object", "properties": {"y": {"type": "string"}}},
            "aList": {"type": "object", "properties": {"items": {"$ref": "#/components/schemas/aItem"}}},
            "bList": {"type": "object", "properties": {"items": {"$ref": "#/components/schemas/bItem"}}},
        }));
        let n = assign(&s, true, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(n.rust["aList"], "AList");
        assert_eq!(n.rust["bList"], "BList");
    }

    #[test]
    fn renames_win_and_reserve_their_name() {
        let s = schemas(json!({
            "v1alpha1userGetUserResponse": {"type": "object", "properties": {"id": {"type": "string"}}},
            "v1alpha1groupUser": {"type": "object", "properties": {"a": {"type": "string"}}},
        }));
        let renames = BTreeMap::from([("v1alpha1userGetUserResponse".to_owned(), "User".to_owned())]);
        let n = assign(&s, true, &renames, &BTreeMap::new());
        assert_eq!(n.rust["v1alpha1userGetUserResponse"], "User");
        assert_eq!(n.rust["v1alpha1groupUser"], "GroupUser");
    }

    #[test]
    fn a_new_colliding_schema_does_not_rename_an_existing_type() {
        let before = schemas(json!({
            "v1alpha1groupUser": {"type": "object", "properties": {"a": {"type": "string"}}},
        }));
        let first = assign(&before, true, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(first.rust["v1alpha1groupUser"], "User");
        let recorded: BTreeMap<String, String> =
            first.canonical.iter().map(|(k, c)| (k.clone(), first.rust[c].clone())).collect();

        let after = schemas(json!({
            "v1alpha1groupUser": {"type": "object", "properties": {"a": {"type": "string"}}},
            "v1alpha1workspaceUser": {"type": "object", "properties": {"b": {"type": "string"}}},
        }));
        // Without the record, both would be qualified...
        let fresh = assign(&after, true, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(fresh.rust["v1alpha1groupUser"], "GroupUser");
        // ...with it, the existing type keeps its name and the newcomer is qualified.
        let stable = assign(&after, true, &BTreeMap::new(), &recorded);
        assert_eq!(stable.rust["v1alpha1groupUser"], "User");
        assert_eq!(stable.rust["v1alpha1workspaceUser"], "WorkspaceUser");
    }

    #[test]
    fn without_stripping_names_are_kept() {
        let s = schemas(json!({"pet": {}, "Pet_Status": {}}));
        let n = assign(&s, false, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(n.rust["pet"], "Pet");
        assert_eq!(n.rust["Pet_Status"], "PetStatus");
    }
}
