//! Schemas to models: one Rust type per distinct schema, inline schemas
//! named after where they appear.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat,
    Type as OaType, VariantOrUnknownOrEmpty,
};

use super::naming::{Namespace, snake_ident, type_ident};
use super::schema_names::{self, SchemaNames};
use super::{Field, Model, ModelKind, Presence, Type, Variant, Wire};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Warning, pointer};
use crate::load::SpecVersion;

/// A schema or a reference to one, whichever way `openapiv3` boxes it.
#[derive(Clone, Copy)]
pub(crate) enum Sch<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Sch<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Sch::Ref(reference),
            ReferenceOr::Item(s) => Sch::Item(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Sch<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Sch::Ref(reference),
            ReferenceOr::Item(s) => Sch::Item(s),
        }
    }
}

/// A field before presence is decided (that needs every model known).
#[derive(Debug, Clone)]
struct RawField {
    field: Field,
    nullable: bool,
}

/// Where the walk stands in the document: the name an inline schema found
/// here would be given (`hint`), the model file it would go to (`group`),
/// and its JSON pointer (`ptr`), for errors and warnings. Every step of
/// the walk takes one and hands its parts a derived one.
#[derive(Debug, Clone)]
pub(crate) struct SchemaAt<'g> {
    pub(crate) hint: String,
    pub(crate) group: &'g str,
    pub(crate) ptr: String,
}

impl<'g> SchemaAt<'g> {
    pub(crate) fn new(hint: impl Into<String>, group: &'g str, ptr: impl Into<String>) -> Self {
        Self { hint: hint.into(), group, ptr: ptr.into() }
    }

    /// A part of the schema here: named after this one with `suffix`, at
    /// `keys` below it.
    fn part(&self, suffix: &str, keys: &[&str]) -> Self {
        let ptr = keys.iter().fold(self.ptr.clone(), |ptr, key| pointer(&ptr, key));
        Self { hint: format!("{}{suffix}", self.hint), group: self.group, ptr }
    }

    /// Another name for the schema here.
    fn named(&self, hint: String) -> Self {
        Self { hint, group: self.group, ptr: self.ptr.clone() }
    }
}

/// Collects models while the document is walked, and the warnings of the
/// walk (what is served loosely), in the order it met them.
pub(crate) struct Registry<'a> {
    schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    version: SpecVersion,
    protojson: bool,
    names: SchemaNames,
    taken: Namespace,
    models: BTreeMap<String, (Model, Vec<RawField>)>,
    pub(crate) warnings: Vec<Warning>,
}

/// A model's shape, and its fields before presence is decided.
type Shape = (ModelKind, Vec<RawField>);

static EMPTY: std::sync::LazyLock<IndexMap<String, ReferenceOr<Schema>>> = std::sync::LazyLock::new(IndexMap::new);

impl<'a> Registry<'a> {
    pub(crate) fn new(
        doc: &'a OpenAPI,
        version: SpecVersion,
        strip: bool,
        protojson: bool,
        config: &Config,
        previous_names: &BTreeMap<String, String>,
    ) -> Result<Self, Error> {
        let schemas: &IndexMap<_, _> = doc.components.as_ref().map_or(&EMPTY, |c| &c.schemas);
        // Keys sorted: two schemas that list the same properties in another
        // order are the same type.
        // A schema that cannot be written back (it never happens with
        // `openapiv3`'s types) must not read as an empty one, which would
        // merge it with every other such schema: it is an error.
        let json: BTreeMap<String, String> = schemas
            .iter()
            .map(|(k, v)| {
                let value = serde_json::to_value(v)
                    .map_err(|e| Error::internal(format!("schema `{k}` cannot be compared: {e}")))?;
                Ok((k.clone(), canonical_json(&value)))
            })
            .collect::<Result<_, Error>>()?;
        let names = schema_names::assign(&json, strip, &config.renames, previous_names);
        let mut taken = Namespace::default();
        for name in names.rust.values() {
            taken.claim(name);
        }
        Ok(Self { schemas, version, protojson, names, taken, models: BTreeMap::new(), warnings: Vec::new() })
    }

    /// Schema name -> Rust type name, for every component schema.
    pub(crate) fn schema_names(&self) -> BTreeMap<String, String> {
        self.names
            .canonical
            .iter()
            .map(|(name, canonical)| (name.clone(), self.names.rust[canonical].clone()))
            .collect()
    }

    /// JSON pointer of a component schema in the original document.
    pub(crate) fn schema_pointer(&self, name: &str) -> String {
        match self.version {
            SpecVersion::Swagger2 => pointer("/definitions", name),
            SpecVersion::OpenApi3 => pointer("/components/schemas", name),
        }
    }

    /// Defines one model per canonical component schema.
    pub(crate) fn convert_components(&mut self) -> Result<(), Error> {
        let canonical: BTreeSet<String> = self.names.canonical.values().cloned().collect();
        for name in canonical {
            let rust = self.names.rust[&name].clone();
            let group = self.names.group[&name].clone();
            let at = SchemaAt::new(rust, &group, self.schema_pointer(&name));
            let schema = Sch::from(&self.schemas[&name]);
            self.define(schema, &at, true)?;
        }
        Ok(())
    }

    /// The type of a schema; an inline schema that needs a type of its own is
    /// defined under a name claimed from the hint.
    pub(crate) fn type_of(&mut self, schema: Sch<'a>, at: &SchemaAt<'_>) -> Result<Type, Error> {
        let s = match schema {
            Sch::Ref(r) => return self.ref_type(r, &at.ptr),
            Sch::Item(s) => s,
        };
        if let Some(ty) = scalar(s) {
            return Ok(ty);
        }
        match &s.schema_kind {
            SchemaKind::Type(OaType::Array(a)) => {
                let item_at = at.part("Item", &["items"]);
                let item = match &a.items {
                    Some(items) => self.type_of(items.into(), &item_at)?,
                    None => Type::Json,
                };
                Ok(Type::Vec(Box::new(self.named_if_deep(item, &item_at))))
            }
            SchemaKind::Any(a) if a.typ.as_deref() == Some("array") => {
                let item = match &a.items {
                    Some(items) => self.type_of(items.into(), &at.part("Item", &["items"]))?,
                    None => Type::Json,
                };
                Ok(Type::Vec(Box::new(item)))
            }
            // `allOf` of one schema is that schema, with a title,
            // description or `nullable` beside it: what a `$ref` with
            // siblings becomes, and how schema generators wrap a variant.
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of((&all_of[0]).into(), &at.part("", &["allOf", "0"]))
            }
            _ => {
                if let Some(ty) = self.map_type(s, at)? {
                    return Ok(ty);
                }
                if !needs_model(s) {
                    if let SchemaKind::Not { .. } = s.schema_kind {
                        self.warnings.push(Warning::at(&at.ptr, "`not` is served as serde_json::Value"));
                    }
                    return Ok(Type::Json);
                }
                let name = self.taken.claim(&type_ident(&at.hint));
                self.define(Sch::Item(s), &at.named(name.clone()), false)?;
                Ok(Type::Model(name))
            }
        }
    }

    /// A list's item or a map's value that is itself a list or map of
    /// lists or maps gets a name (a type alias): fields of types nested
    /// deeper read badly, and clippy's `type_complexity` refuses them.
    fn named_if_deep(&mut self, ty: Type, at: &SchemaAt<'_>) -> Type {
        fn depth(ty: &Type) -> usize {
            match ty {
                Type::Vec(inner) | Type::Map(inner) => 1 + depth(inner),
                _ => 0,
            }
        }
        if depth(&ty) < 2 {
            return ty;
        }
        let name = self.taken.claim(&type_ident(&at.hint));
        self.insert(&at.named(name.clone()), None, (ModelKind::Alias(ty), Vec::new()));
        Type::Model(name)
    }

    fn ref_type(&self, reference: &str, ptr: &str) -> Result<Type, Error> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| Error::unsupported(pointer(ptr, "$ref"), format!("unsupported reference `{reference}`")))?;
        let name = unescape(name);
        let canonical = self.names.canonical.get(&name).ok_or_else(|| {
            let shown = match self.version {
                SpecVersion::Swagger2 => format!("#/definitions/{name}"),
                SpecVersion::OpenApi3 => reference.to_owned(),
            };
            Error::new(
                ErrorKind::DanglingReference,
                pointer(ptr, "$ref"),
                format!("dangling reference `{shown}`: no such schema"),
            )
        })?;
        Ok(Type::Model(self.names.rust[canonical].clone()))
    }

    /// A free-form or `additionalProperties`-only object is a map.
    fn map_type(&mut self, s: &'a Schema, at: &SchemaAt<'_>) -> Result<Option<Type>, Error> {
        let Some(obj) = object_parts(s) else { return Ok(None) };
        if !obj.properties.is_empty() {
            return Ok(None);
        }
        Ok(Some(match obj.additional {
            Some(AdditionalProperties::Schema(inner)) => {
                let value_at = at.part("Value", &["additionalProperties"]);
                let v = self.type_of(inner.as_ref().into(), &value_at)?;
                Type::Map(Box::new(self.named_if_deep(v, &value_at)))
            }
            Some(AdditionalProperties::Any(true)) => Type::Map(Box::new(Type::Json)),
            _ => Type::Json,
        }))
    }

    /// Defines the model named by `at.hint` from a schema: one case per
    /// shape, tried in this order.
    fn define(&mut self, schema: Sch<'a>, at: &SchemaAt<'_>, component: bool) -> Result<(), Error> {
        let s = match schema {
            Sch::Ref(r) => {
                let shape = (ModelKind::Alias(self.ref_type(r, &at.ptr)?), Vec::new());
                self.insert(at, None, shape);
                return Ok(());
            }
            Sch::Item(s) => s,
        };
        let shape = if let Some(values) = string_enum(s) {
            (enum_kind(&values), Vec::new())
        } else if let Some(obj) = object_parts(s).filter(|o| component || !o.properties.is_empty()) {
            self.object_shape(s, &obj, at)?
        } else if let SchemaKind::OneOf { one_of: parts } = &s.schema_kind {
            (self.one_of(s, (parts, "oneOf"), at)?, Vec::new())
        } else if let SchemaKind::AnyOf { any_of: parts } = &s.schema_kind {
            (self.one_of(s, (parts, "anyOf"), at)?, Vec::new())
        } else if let SchemaKind::AllOf { all_of } = &s.schema_kind {
            self.all_of_shape(all_of, at)?
        } else {
            self.alias_shape(s, at)?
        };
        self.insert(at, doc_of(s), shape);
        Ok(())
    }

    fn insert(&mut self, at: &SchemaAt<'_>, doc: Option<String>, (kind, fields): Shape) {
        let model = Model {
            name: at.hint.clone(),
            group: at.group.to_owned(),
            pointer: at.ptr.clone(),
            doc,
            kind,
            wire: Wire::default(),
        };
        self.models.insert(at.hint.clone(), (model, fields));
    }

    /// An object: a struct of its properties (the other properties kept
    /// when `additionalProperties` says so), or a map when it has none.
    fn object_shape(&mut self, s: &'a Schema, obj: &ObjectParts<'a>, at: &SchemaAt<'_>) -> Result<Shape, Error> {
        let fields = self.fields(obj, at)?;
        let additional = match obj.additional {
            Some(AdditionalProperties::Schema(inner)) if !obj.properties.is_empty() => {
                Some(self.type_of(inner.as_ref().into(), &at.part("Value", &["additionalProperties"]))?)
            }
            Some(AdditionalProperties::Any(true)) if !obj.properties.is_empty() => Some(Type::Json),
            _ => None,
        };
        Ok(if obj.properties.is_empty() && obj.additional.is_some() {
            (ModelKind::Alias(self.map_type(s, at)?.unwrap_or(Type::Json)), Vec::new())
        } else {
            (ModelKind::Struct { fields: Vec::new(), additional }, fields)
        })
    }

    /// `allOf` of several schemas: one struct of all their properties.
    fn all_of_shape(&mut self, all_of: &'a [ReferenceOr<Schema>], at: &SchemaAt<'_>) -> Result<Shape, Error> {
        let obj = self.flatten_all_of(all_of, &at.ptr)?;
        let fields = self.fields(&obj, at)?;
        Ok((ModelKind::Struct { fields: Vec::new(), additional: None }, fields))
    }

    /// A scalar or array under a name of its own.
    fn alias_shape(&mut self, s: &'a Schema, at: &SchemaAt<'_>) -> Result<Shape, Error> {
        let inner = self.type_of(Sch::Item(s), &at.part("Item", &[]))?;
        Ok((ModelKind::Alias(inner), Vec::new()))
    }

    /// `oneOf`/`anyOf`: an enum with a variant per alternative.
    fn one_of(
        &mut self,
        s: &'a Schema,
        (parts, key): (&'a [ReferenceOr<Schema>], &str),
        at: &SchemaAt<'_>,
    ) -> Result<ModelKind, Error> {
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut ns = Namespace::default();
        let mut variants = Vec::new();
        let mut values = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.part(&format!("Variant{}", i + 1), &[key, &i.to_string()]);
            let ty = self.type_of(part.into(), &part_at)?;
            // Variants live in the enum's namespace, so `String` is fine
            // here. An inline alternative's `title` names it best.
            let title = match part {
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().filter(|t| !t.trim().is_empty()),
                ReferenceOr::Reference { .. } => None,
            };
            let variant = match (&ty, title) {
                (_, Some(title)) => type_ident(title),
                (Type::Model(m), None) => m.clone(),
                (Type::Json, None) => "Json".to_owned(),
                (other, None) => heck::ToUpperCamelCase::to_upper_camel_case(other.display_name().as_str()),
            };
            if let (Some(d), ReferenceOr::Reference { reference }) = (discriminator, part) {
                let schema_name = reference.rsplit('/').next().unwrap_or_default();
                let value = d
                    .mapping
                    .iter()
                    .find(|(_, target)| target.as_str() == reference || target.as_str() == schema_name)
                    .map_or_else(|| schema_name.to_owned(), |(v, _)| v.clone());
                values.push(value);
            }
            variants.push((ns.claim(&variant), ty));
        }
        let discriminator = match discriminator {
            Some(d) if values.len() == variants.len() => Some((d.property_name.clone(), values)),
            Some(_) => {
                self.warnings.push(Warning::at(
                    &at.ptr,
                    "a discriminator over inline schemas is ignored; variants are tried in order",
                ));
                None
            }
            None => None,
        };
        Ok(ModelKind::OneOf { variants, discriminator })
    }

    /// A struct's fields, each inline property type named after the
    /// struct and the property (`Pet` + `owner` -> `PetOwner`).
    fn fields(&mut self, obj: &ObjectParts<'a>, at: &SchemaAt<'_>) -> Result<Vec<RawField>, Error> {
        let mut ns = Namespace::default();
        let mut out = Vec::new();
        for (wire, prop) in &obj.properties {
            let prop_at = SchemaAt::new(
                format!("{}_{}", at.hint, type_ident(wire)),
                at.group,
                pointer(&pointer(&at.ptr, "properties"), wire),
            );
            let ty = self.type_of(*prop, &prop_at)?;
            let (doc, nullable, read_only, password_format) = match prop {
                Sch::Item(s) => (doc_of(s), s.schema_data.nullable, s.schema_data.read_only, is_password(s)),
                Sch::Ref(_) => (None, false, false, false),
            };
            out.push(RawField {
                field: Field {
                    wire_name: wire.clone(),
                    rust_name: ns.claim(&snake_ident(wire)),
                    ty,
                    presence: Presence::Optional,
                    boxed: false,
                    read_only,
                    doc,
                    password_format,
                    secret: false,
                    listed_required: obj.required.contains(wire),
                },
                nullable,
            });
        }
        Ok(out)
    }

    /// Merges the object parts of an `allOf` into one object.
    fn flatten_all_of(&self, parts: &'a [ReferenceOr<Schema>], ptr: &str) -> Result<ObjectParts<'a>, Error> {
        let mut out = ObjectParts::default();
        let mut seen = BTreeSet::new();
        let schemas: &'a IndexMap<String, ReferenceOr<Schema>> = self.schemas;
        let mut stack: Vec<(Sch<'a>, String)> = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.into(), pointer(&pointer(ptr, "allOf"), &i.to_string())))
            .collect();
        while let Some((part, mut part_ptr)) = stack.pop() {
            let s = match part {
                Sch::Ref(r) => {
                    let name = unescape(r.strip_prefix("#/components/schemas/").unwrap_or(r));
                    if !seen.insert(name.clone()) {
                        return Err(Error::invalid(pointer(&part_ptr, "$ref"), "allOf refers to itself"));
                    }
                    match schemas.get(&name) {
                        // Its parts are then found under its own place.
                        Some(ReferenceOr::Item(s)) => {
                            part_ptr = self.schema_pointer(&name);
                            s
                        }
                        Some(ReferenceOr::Reference { reference }) => {
                            stack.push((Sch::Ref(reference), self.schema_pointer(&name)));
                            continue;
                        }
                        None => {
                            return Err(Error::new(
                                ErrorKind::DanglingReference,
                                pointer(&part_ptr, "$ref"),
                                format!("dangling reference `{r}`"),
                            ));
                        }
                    }
                }
                Sch::Item(s) => s,
            };
            if let SchemaKind::AllOf { all_of } = &s.schema_kind {
                stack.extend(
                    all_of
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, p)| (p.into(), pointer(&pointer(&part_ptr, "allOf"), &i.to_string()))),
                );
                continue;
            }
            if let Some(obj) = object_parts(s) {
                for (k, v) in obj.properties {
                    out.properties.insert(k, v);
                }
                out.required.extend(obj.required);
            }
        }
        Ok(out)
    }

    /// Decides field presence and boxing, and returns models sorted by
    /// (group, name). A cycle of aliases (`A: $ref B`, `B: $ref A`) is no
    /// type at all, and an error.
    pub(crate) fn finish(self) -> Result<(Vec<Model>, Vec<Warning>), Error> {
        self.refuse_alias_cycles()?;
        let kinds: BTreeMap<&str, &ModelKind> = self.models.iter().map(|(k, (m, _))| (k.as_str(), &m.kind)).collect();
        let is_struct = |ty: &Type| -> bool {
            let mut ty = ty;
            for _ in 0..64 {
                match ty {
                    Type::Model(n) => match kinds.get(n.as_str()) {
                        Some(ModelKind::Struct { .. } | ModelKind::OneOf { .. }) => return true,
                        Some(ModelKind::Alias(inner)) => ty = inner,
                        _ => return false,
                    },
                    _ => return false,
                }
            }
            false
        };
        let edges = self.direct_edges();
        let mut decided: Vec<Model> = Vec::with_capacity(self.models.len());
        for (name, (model, raw)) in &self.models {
            let mut model = model.clone();
            if let ModelKind::Struct { fields, .. } = &mut model.kind {
                *fields = raw
                    .iter()
                    .map(|r| {
                        let mut f = r.field.clone();
                        f.presence = if self.protojson {
                            if is_struct(&f.ty) || r.nullable { Presence::Optional } else { Presence::Defaulted }
                        } else if r.field.listed_required && !r.nullable {
                            Presence::Required
                        } else {
                            Presence::Optional
                        };
                        f.boxed = matches!(&f.ty, Type::Model(t) if reaches(&edges, t, name));
                        f
                    })
                    .collect();
            }
            decided.push(model);
        }
        decided.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
        Ok((decided, self.warnings))
    }

    /// Refuses aliases that refer to each other in a ring: no type at the end.
    fn refuse_alias_cycles(&self) -> Result<(), Error> {
        for (name, (model, _)) in &self.models {
            let mut seen = BTreeSet::from([name.as_str()]);
            let mut kind = &model.kind;
            while let ModelKind::Alias(Type::Model(next)) = kind {
                if !seen.insert(next.as_str()) {
                    return Err(Error::invalid(&model.pointer, "a cycle of references that never reaches a type"));
                }
                match self.models.get(next) {
                    Some((m, _)) => kind = &m.kind,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// The direct (unboxed) struct-to-struct edges, for finding cycles.
    fn direct_edges(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, (_, fields)) in &self.models {
            for f in fields {
                if let Type::Model(target) = &f.field.ty {
                    edges.entry(name.as_str()).or_default().push(target.as_str());
                }
            }
            match &self.models[name].0.kind {
                ModelKind::Alias(Type::Model(target)) => edges.entry(name.as_str()).or_default().push(target.as_str()),
                // A union holds its alternative inline: a cycle through
                // one is broken at the struct fields on it.
                ModelKind::OneOf { variants, .. } => {
                    for (_, ty) in variants {
                        if let Type::Model(target) = ty {
                            edges.entry(name.as_str()).or_default().push(target.as_str());
                        }
                    }
                }
                _ => {}
            }
        }
        edges
    }
}

/// A string enum, open to the values the document did not list: its
/// catch-all variant takes the first of three names no listed value took.
fn enum_kind(values: &[String]) -> ModelKind {
    let mut ns = Namespace::default();
    let variants: Vec<Variant> =
        values.iter().map(|v| Variant { rust_name: ns.claim(&type_ident(v)), wire: v.clone() }).collect();
    let other = ["Unknown", "UnknownValue", "Unrecognized"]
        .into_iter()
        .find(|n| !ns.is_taken(n))
        .map_or_else(|| ns.claim("Unknown"), str::to_owned);
    ModelKind::Enum { variants, other }
}

/// The object-describing parts of a schema, wherever `openapiv3` put them.
#[derive(Default)]
struct ObjectParts<'a> {
    properties: IndexMap<String, Sch<'a>>,
    required: Vec<String>,
    additional: Option<&'a AdditionalProperties>,
}

fn object_parts(s: &Schema) -> Option<ObjectParts<'_>> {
    let (props, required, additional) = match &s.schema_kind {
        SchemaKind::Type(OaType::Object(o)) => (&o.properties, &o.required, o.additional_properties.as_ref()),
        SchemaKind::Any(a)
            if a.typ.as_deref() == Some("object") || !a.properties.is_empty() || a.additional_properties.is_some() =>
        {
            (&a.properties, &a.required, a.additional_properties.as_ref())
        }
        _ => return None,
    };
    Some(ObjectParts {
        properties: props.iter().map(|(k, v)| (k.clone(), v.into())).collect(),
        required: required.clone(),
        additional,
    })
}

/// Whether an inline schema needs a named type (objects with fields, enums,
/// compositions).
fn needs_model(s: &Schema) -> bool {
    string_enum(s).is_some()
        || object_parts(s).is_some_and(|o| !o.properties.is_empty())
        || matches!(s.schema_kind, SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. })
}

/// Scalars that need no model.
fn scalar(s: &Schema) -> Option<Type> {
    Some(match &s.schema_kind {
        SchemaKind::Type(OaType::String(st)) if st.enumeration.is_empty() => match &st.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Type::Bytes,
            VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Type::Base64,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "int64" => Type::I64,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => Type::U64,
            _ => Type::String,
        },
        SchemaKind::Type(OaType::Integer(it)) => integer(&it.format),
        SchemaKind::Type(OaType::Number(nt)) => match nt.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Type::F32,
            _ => Type::F64,
        },
        SchemaKind::Type(OaType::Boolean(_)) => Type::Bool,
        // A typed schema with a keyword of another type (a `required` list
        // on a string, which protoc-gen-openapiv2 writes for required
        // fields) is read by `openapiv3` as `Any`; its format still counts.
        SchemaKind::Any(a) if a.properties.is_empty() && a.enumeration.is_empty() => {
            match (a.typ.as_deref(), a.format.as_deref()) {
                (Some("string"), Some("binary")) => Type::Bytes,
                (Some("string"), Some("byte")) => Type::Base64,
                (Some("string" | "integer"), Some("int64")) => Type::I64,
                (Some("string" | "integer"), Some("uint64")) => Type::U64,
                (Some("string"), _) => Type::String,
                (Some("boolean"), _) => Type::Bool,
                (Some("number"), Some("float")) => Type::F32,
                (Some("number"), _) => Type::F64,
                (Some("integer"), Some("int32")) => Type::I32,
                (Some("integer"), Some("uint32")) => Type::U32,
                (Some("integer"), _) => Type::I64,
                _ => return None,
            }
        }
        _ => return None,
    })
}

fn integer(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Type {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => Type::U32,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => Type::U64,
        _ => Type::I64,
    }
}

fn string_enum(s: &Schema) -> Option<Vec<String>> {
    let values: Vec<String> = match &s.schema_kind {
        SchemaKind::Type(OaType::String(st)) => st.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Any(a) if a.typ.as_deref().is_none_or(|t| t == "string") => {
            a.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
        }
        _ => return None,
    };
    let mut seen = BTreeSet::new();
    let values: Vec<String> = values.into_iter().filter(|v| seen.insert(v.clone())).collect();
    (!values.is_empty()).then_some(values)
}

fn doc_of(s: &Schema) -> Option<String> {
    match (&s.schema_data.title, &s.schema_data.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}

/// JSON text with object keys sorted, at every level.
fn canonical_json(v: &serde_json::Value) -> String {
    fn write(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::Object(m) => {
                let mut entries: Vec<_> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push(':');
                    write(v, out);
                }
                out.push('}');
            }
            serde_json::Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// Undoes JSON pointer escaping in a reference's last part.
fn unescape(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// `type: string, format: password`.
fn is_password(s: &Schema) -> bool {
    matches!(
        &s.schema_kind,
        SchemaKind::Type(openapiv3::Type::String(t))
            if matches!(t.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password))
    )
}

/// Whether `to` is reached from `from` over `edges`.
fn reaches(edges: &BTreeMap<&str, Vec<&str>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n) {
            stack.extend(edges.get(n).into_iter().flatten().copied());
        }
    }
    false
}

#[cfg(test)]
#[path = "models_tests.rs"]
mod tests;
