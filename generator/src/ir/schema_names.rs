//! Names for the document's component schemas.
//!
//! With package prefixes stripped, several definitions can want one name.
//! Identical ones (structurally equal, counting references to identical
//! schemas as equal) become one type; different ones are qualified by their
//! package (`GroupUser`, `WorkspaceUser`). Configured renames come first and
//! reserve their names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

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

/// Names every schema in `schemas` (name -> JSON form).
pub fn assign(schemas: &BTreeMap<String, Value>, strip: bool, renames: &BTreeMap<String, String>) -> SchemaNames {
    let short = |name: &str| -> String {
        if strip { split_package(name).1.to_owned() } else { name.to_owned() }
    };
    let classes = if strip { merge_identical(schemas, &short) } else { identity(schemas) };

    // Members of each class, and classes under each wanted short name.
    let mut members: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (name, class) in &classes {
        members.entry(*class).or_default().push(name);
    }
    let mut out = SchemaNames::default();
    let mut ns = Namespace::default();
    let mut wanted: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (class, names) in &members {
        // Representative: the smallest name, so the choice is deterministic.
        let rep = names[0].to_owned();
        for n in names {
            out.canonical.insert((*n).to_owned(), rep.clone());
        }
        let renamed = names.iter().find_map(|n| renames.get(*n));
        if let Some(r) = renamed {
            let r = ns.claim(r);
            out.rust.insert(rep.clone(), r);
        } else {
            wanted.entry(type_ident(&short(&rep))).or_default().push(*class);
        }
        let packages: BTreeSet<String> = names.iter().map(|n| package_of(split_package(n).0)).collect();
        let group = match packages.len() {
            1 if strip && !packages.first().is_some_and(String::is_empty) => packages.into_iter().next().unwrap_or_default(),
            1 => rep.clone(),
            _ => "common".to_owned(),
        };
        out.group.insert(rep, group);
    }
    // Unique short names first, so that a qualified name never takes a
    // plain one's place; then the colliding ones, qualified by package.
    let rep_of = |class: &usize| members[class][0].to_owned();
    let (plain, colliding): (Vec<_>, Vec<_>) = wanted.into_iter().partition(|(name, cs)| cs.len() == 1 && !ns.is_taken(name));
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

fn identity(schemas: &BTreeMap<String, Value>) -> BTreeMap<String, usize> {
    schemas.keys().enumerate().map(|(i, k)| (k.clone(), i)).collect()
}

/// Partition refinement: start with one class per short name, split classes
/// until every member of a class has the same shape with references replaced
/// by their target's class. What is left together is identical.
fn merge_identical(schemas: &BTreeMap<String, Value>, short: &dyn Fn(&str) -> String) -> BTreeMap<String, usize> {
    let mut class: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for name in schemas.keys() {
        let next = ids.len();
        let id = *ids.entry(short(name)).or_insert(next);
        class.insert(name.clone(), id);
    }
    loop {
        let mut sigs: BTreeMap<String, usize> = BTreeMap::new();
        let mut next_class = BTreeMap::new();
        for (name, schema) in schemas {
            let sig = format!("{}|{}", class[name], signature(schema, &class));
            let next = sigs.len();
            next_class.insert(name.clone(), *sigs.entry(sig).or_insert(next));
        }
        let before: BTreeSet<_> = class.values().collect();
        let after: BTreeSet<_> = next_class.values().collect();
        let done = before.len() == after.len();
        class = next_class;
        if done {
            return class;
        }
    }
}

/// A schema's JSON with `$ref` targets replaced by their class.
fn signature(schema: &Value, class: &BTreeMap<String, usize>) -> String {
    fn walk(v: &Value, class: &BTreeMap<String, usize>, out: &mut String) {
        match v {
            Value::Object(m) => {
                out.push('{');
                for (k, v) in m {
                    out.push_str(k);
                    out.push(':');
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            let target = r.rsplit('/').next().unwrap_or_default();
                            match class.get(target) {
                                Some(c) => out.push_str(&format!("#{c}")),
                                None => out.push_str(r),
                            }
                        }
                        _ => walk(v, class, out),
                    }
                    out.push(',');
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for v in a {
                    walk(v, class, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    walk(schema, class, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn identical_prefixed_schemas_merge() {
        let s = schemas(json!({
            "v1alpha1userPagination": {"type": "object", "properties": {"page": {"type": "integer"}}},
            "v1alpha1groupPagination": {"type": "object", "properties": {"page": {"type": "integer"}}},
        }));
        let n = assign(&s, true, &BTreeMap::new());
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
        let n = assign(&s, true, &BTreeMap::new());
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
        let n = assign(&s, true, &BTreeMap::new());
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
        let n = assign(&s, true, &renames);
        assert_eq!(n.rust["v1alpha1userGetUserResponse"], "User");
        assert_eq!(n.rust["v1alpha1groupUser"], "GroupUser");
    }

    #[test]
    fn without_stripping_names_are_kept() {
        let s = schemas(json!({"pet": {}, "Pet_Status": {}}));
        let n = assign(&s, false, &BTreeMap::new());
        assert_eq!(n.rust["pet"], "Pet");
        assert_eq!(n.rust["Pet_Status"], "PetStatus");
    }
}
