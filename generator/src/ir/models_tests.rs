//! The type registry, one kind of schema at a time: each test walks a
//! small document's component schemas and reads the models it defined.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Registry;
use crate::config::Config;
use crate::error::{Error, Warning};
use crate::ir::{Field, Model, ModelKind, Presence, Type};

/// The models of `schemas` (the document's `components.schemas`), with
/// the walk's warnings; `protojson` as grpc-gateway's documents set it.
fn walk(schemas: Value, protojson: bool) -> Result<(BTreeMap<String, Model>, Vec<Warning>), Error> {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    });
    let loaded = crate::load::load(doc.to_string().as_bytes())?;
    let config = Config::default();
    let mut registry = Registry::new(&loaded.document, loaded.version, false, protojson, &config, &BTreeMap::new())?;
    registry.convert_components()?;
    let (models, warnings) = registry.finish()?;
    Ok((models.into_iter().map(|m| (m.name.clone(), m)).collect(), warnings))
}

fn models(schemas: Value) -> BTreeMap<String, Model> {
    walk(schemas, false).expect("the schemas walk").0
}

fn fields(model: &Model) -> &[Field] {
    match &model.kind {
        ModelKind::Struct { fields, .. } => fields,
        other => panic!("{} is not a struct: {other:?}", model.name),
    }
}

fn field<'m>(model: &'m Model, wire: &str) -> &'m Field {
    fields(model).iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("no field {wire}"))
}

#[test]
fn an_object_is_a_struct_of_its_properties_and_an_inline_one_is_named_after_its_place() {
    let m = models(json!({
        "Pet": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string", "description": "What it answers to."},
                "owner": {"type": "object", "properties": {"email": {"type": "string"}}},
            },
        },
    }));
    let pet = &m["Pet"];
    assert_eq!(pet.pointer, "/components/schemas/Pet");
    let id = field(pet, "id");
    assert_eq!((&id.ty, id.presence, id.listed_required), (&Type::I64, Presence::Required, true));
    let name = field(pet, "name");
    assert_eq!(
        (&name.ty, name.presence, name.doc.as_deref()),
        (&Type::String, Presence::Optional, Some("What it answers to."))
    );
    assert_eq!(field(pet, "owner").ty, Type::Model("PetOwner".into()));
    assert_eq!(m["PetOwner"].pointer, "/components/schemas/Pet/properties/owner");
    assert_eq!(field(&m["PetOwner"], "email").ty, Type::String);
}

#[test]
fn a_string_enum_is_open_and_its_catch_all_takes_a_free_name() {
    let m = models(json!({
        "Color": {"type": "string", "enum": ["red", "green", "red"]},
        "State": {"type": "string", "enum": ["unknown", "ready"]},
    }));
    let ModelKind::Enum { variants, other } = &m["Color"].kind else { panic!("{:?}", m["Color"].kind) };
    let names: Vec<(&str, &str)> = variants.iter().map(|v| (v.rust_name.as_str(), v.wire.as_str())).collect();
    assert_eq!(names, [("Red", "red"), ("Green", "green")], "listed once each, in order");
    assert_eq!(other, "Unknown");
    let ModelKind::Enum { other, .. } = &m["State"].kind else { panic!("{:?}", m["State"].kind) };
    assert_eq!(other, "UnknownValue", "`unknown` is a listed value");
}

#[test]
fn an_object_of_additional_properties_only_is_a_map_and_beside_properties_it_is_kept() {
    let m = models(json!({
        "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "Free": {"type": "object", "additionalProperties": true},
        "Tagged": {
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "additionalProperties": {"type": "integer", "format": "int32"},
        },
    }));
    assert!(matches!(&m["Labels"].kind, ModelKind::Alias(Type::Map(v)) if **v == Type::String));
    assert!(matches!(&m["Free"].kind, ModelKind::Alias(Type::Map(v)) if **v == Type::Json));
    assert!(matches!(&m["Tagged"].kind, ModelKind::Struct { additional: Some(Type::I32), .. }));
}

#[test]
fn an_array_is_a_list_and_a_list_nested_two_deep_gets_a_name() {
    let m = models(json!({
        "Names": {"type": "array", "items": {"type": "string"}},
        "Grid": {"type": "array", "items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}},
    }));
    assert!(matches!(&m["Names"].kind, ModelKind::Alias(Type::Vec(v)) if **v == Type::String));
    // A named array's items are named `<name>Item` and theirs
    // `<name>ItemItem`: Grid = Vec<GridItemItem>, GridItemItem =
    // Vec<Vec<f64>>, so that no type is nested deeper than two.
    assert!(matches!(&m["Grid"].kind, ModelKind::Alias(Type::Vec(v)) if **v == Type::Model("GridItemItem".into())));
    let ModelKind::Alias(item) = &m["GridItemItem"].kind else { panic!("{:?}", m["GridItemItem"].kind) };
    assert_eq!(item, &Type::Vec(Box::new(Type::Vec(Box::new(Type::F64)))));
}

#[test]
fn one_of_is_an_enum_of_its_alternatives_with_the_discriminators_values() {
    let (m, warnings) = walk(
        json!({
            "Circle": {"type": "object", "properties": {"r": {"type": "number"}}},
            "Square": {"type": "object", "properties": {"side": {"type": "number"}}},
            "Shape": {
                "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
                "discriminator": {"propertyName": "kind", "mapping": {"round": "#/components/schemas/Circle"}},
            },
            "Loose": {
                "oneOf": [{"type": "string"}, {"type": "object", "title": "pair", "properties": {"a": {"type": "string"}}}],
                "discriminator": {"propertyName": "kind"},
            },
        }),
        false,
    )
    .expect("walks");
    let ModelKind::OneOf { variants, discriminator } = &m["Shape"].kind else { panic!("{:?}", m["Shape"].kind) };
    let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Circle", "Square"]);
    assert_eq!(discriminator, &Some(("kind".to_owned(), vec!["round".to_owned(), "Square".to_owned()])));
    // Inline alternatives: named by type or title; a discriminator over
    // them cannot be honoured, and the walk says so where it is.
    let ModelKind::OneOf { variants, discriminator } = &m["Loose"].kind else { panic!("{:?}", m["Loose"].kind) };
    let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["String", "Pair"]);
    assert_eq!(variants[1].1, Type::Model("LooseVariant2".into()));
    assert_eq!(discriminator, &None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].pointer, "/components/schemas/Loose");
}

#[test]
fn any_of_is_read_as_one_of() {
    let m = models(json!({"Id": {"anyOf": [{"type": "string"}, {"type": "integer", "format": "int32"}]}}));
    let ModelKind::OneOf { variants, .. } = &m["Id"].kind else { panic!("{:?}", m["Id"].kind) };
    assert_eq!(variants, &[("String".to_owned(), Type::String), ("I32".to_owned(), Type::I32)]);
}

#[test]
fn all_of_merges_its_parts_and_one_part_alone_is_that_part() {
    let m = models(json!({
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Named": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        ]},
        "Holder": {"type": "object", "properties": {
            "base": {"allOf": [{"$ref": "#/components/schemas/Base"}], "description": "a wrapped reference"},
        }},
    }));
    let named: Vec<(&str, Presence)> = fields(&m["Named"]).iter().map(|f| (f.wire_name.as_str(), f.presence)).collect();
    assert_eq!(named, [("id", Presence::Required), ("name", Presence::Required)]);
    assert_eq!(field(&m["Holder"], "base").ty, Type::Model("Base".into()));
}

#[test]
fn an_all_of_that_contains_itself_is_refused_where_it_refers() {
    let error = walk(json!({"Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "object"}]}}), false)
        .expect_err("a loop");
    assert_eq!(error.pointer, "/components/schemas/Loop/allOf/0/$ref");
    assert!(error.message.contains("refers to itself"), "{error}");
}

#[test]
fn a_recursive_struct_is_boxed_where_it_holds_itself_directly() {
    let m = models(json!({
        "Node": {"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "value": {"type": "string"},
        }},
    }));
    let node = &m["Node"];
    assert!(field(node, "next").boxed, "a struct cannot hold itself unboxed");
    assert!(!field(node, "children").boxed, "a list already holds its items on the heap");
    assert!(!field(node, "value").boxed);
}

#[test]
fn references_that_only_refer_to_each_other_are_refused() {
    let error = walk(json!({"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}), false)
        .expect_err("a ring of aliases");
    assert!(error.message.contains("cycle"), "{error}");
}

#[test]
fn a_dangling_reference_names_its_place() {
    let error =
        walk(json!({"Pet": {"type": "object", "properties": {"toy": {"$ref": "#/components/schemas/Toy"}}}}), false)
            .expect_err("no Toy");
    assert_eq!(error.pointer, "/components/schemas/Pet/properties/toy/$ref");
}

#[test]
fn nullable_and_required_decide_presence_and_protojson_defaults_scalars() {
    let schemas = json!({
        "Inner": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Outer": {
            "type": "object",
            "required": ["plain", "maybe"],
            "properties": {
                "plain": {"type": "string"},
                "maybe": {"type": "string", "nullable": true},
                "count": {"type": "integer", "format": "int32"},
                "inner": {"$ref": "#/components/schemas/Inner"},
            },
        },
    });
    let presence = |protojson: bool| -> Vec<(String, Presence)> {
        let (m, _) = walk(schemas.clone(), protojson).expect("walks");
        fields(&m["Outer"]).iter().map(|f| (f.wire_name.clone(), f.presence)).collect()
    };
    let p = |name: &str, presence: Presence| (name.to_owned(), presence);
    assert_eq!(
        presence(false),
        [
            p("plain", Presence::Required),
            p("maybe", Presence::Optional),
            p("count", Presence::Optional),
            p("inner", Presence::Optional),
        ]
    );
    // protojson: absent is the zero value, so a scalar defaults whatever
    // `required` says; a message, or a nullable field, stays optional.
    assert_eq!(
        presence(true),
        [
            p("plain", Presence::Defaulted),
            p("maybe", Presence::Optional),
            p("count", Presence::Defaulted),
            p("inner", Presence::Optional),
        ]
    );
}
