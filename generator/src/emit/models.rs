//! `src/models/`: serde types, grouped into files.

use std::collections::BTreeMap;

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::sanitize;
use super::layout::{self, LineKind as At};
use super::types::{Place, is_int64, owned, owned_text};
use super::{Context, ident};
use crate::error::Error;
use crate::ir::{Api, Field, Model, ModelKind, Presence, Type, Variant};

/// Appends a formatted line; writing to a `String` cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Models by group, each group sorted by name (as the model is).
pub(crate) fn groups(api: &Api) -> BTreeMap<String, Vec<&Model>> {
    let mut out: BTreeMap<String, Vec<&Model>> = BTreeMap::new();
    for m in &api.models {
        out.entry(file_stem(&m.group)).or_default().push(m);
    }
    out
}

/// A group's file (and module) name: snake case, a keyword escaped, never
/// `mod` (which would be `mod.rs`) nor `models` (`models::models`, which
/// clippy's `module_inception` refuses).
fn file_stem(group: &str) -> String {
    let s = crate::ir::naming::snake_ident(group);
    match s.as_str() {
        "mod" | "models" => format!("{s}_"),
        _ => s,
    }
}

pub(crate) fn mod_rs(ctx: &Context<'_>) -> TokenStream {
    let groups: Vec<_> = groups(ctx.api).into_keys().map(|g| ident(&g)).collect();
    quote! {
        //! The document's schemas as serde types.
        //!
        //! Files group models by protobuf package (or hold one model each);
        //! everything is re-exported here, so paths do not depend on files.
        #( mod #groups; pub use #groups::*; )*
    }
}

/// A group's file, without its header.
///
/// Models are most of a client and come in three fixed shapes, so they are
/// written as text, already laid out the way `prettyplease` prints code
/// (a test checks that printing changes nothing), instead of being built as
/// tokens and parsed back with `syn`, which was most of the generator's
/// time. `oneOf` enums, rare and irregular, still go through tokens.
pub(crate) fn group_text(ctx: &Context<'_>, group: &str, models: &[&Model]) -> Result<String, Error> {
    let mut out = format!("//! Models from the `{group}` group.\n");
    for (i, m) in models.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        model(ctx, m, &mut out)?;
    }
    Ok(out)
}

fn model(ctx: &Context<'_>, m: &Model, out: &mut String) -> Result<(), Error> {
    let mut doc = m.doc.as_deref().map(sanitize).unwrap_or_default();
    if m.doc.is_some() {
        doc.push(String::new());
    }
    doc.push(format!(" Schema `{}`.", m.pointer.trim_start_matches('/')));
    match &m.kind {
        ModelKind::Struct { fields, additional } => {
            doc_lines(out, "", &doc);
            struct_text(ctx, m, fields, additional.as_ref(), out)?;
        }
        ModelKind::Enum { variants, other } => {
            doc_lines(out, "", &doc);
            open_enum(&m.name, variants, other, out)?;
        }
        ModelKind::OneOf { variants, discriminator } => {
            let doc = quote!(#( #[doc = #doc] )*);
            // A union of scalars (or enums) has a text form: its variant's,
            // as a parameter needs.
            let displayable = variants.iter().all(|(_, ty)| displayed(ctx, ty));
            let tokens = one_of(&ident(&m.name), doc, variants, discriminator.as_ref(), displayable, m.wire);
            out.push_str(&super::print_items(&format!("model {}", m.name), tokens)?);
        }
        ModelKind::Alias(ty) => {
            doc_lines(out, "", &doc);
            layout::put(out, At::Item, 0, &format!("pub type {} = {};", m.name, owned_text(ty, Place::Models)))?;
        }
    }
    Ok(())
}

/// Whether a union's alternative has a text form: a scalar, an enum, or
/// another name for one (a pattern-checked `Name` string).
fn displayed(ctx: &Context<'_>, ty: &Type) -> bool {
    match ty {
        Type::Bool | Type::I32 | Type::I64 | Type::U32 | Type::U64 | Type::F32 | Type::F64 | Type::String => true,
        Type::Model(name) => ctx.api.model(name).is_some_and(|m| match &m.kind {
            ModelKind::Enum { .. } => true,
            ModelKind::Alias(inner) => displayed(ctx, inner),
            _ => false,
        }),
        _ => false,
    }
}

/// `///` lines, as `prettyplease` prints `#[doc]` attributes.
fn doc_lines(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        put!(out, "{indent}///{}", line.trim_end());
    }
}

/// A Rust string literal, escaped as `proc_macro2` would.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// The struct, then its serde impls: only in the directions it travels (the
/// bulk of a client's compile time is serde code); the others behind the
/// crate's `full-serde` feature, for users who (de)serialise models
/// themselves.
fn struct_text(
    ctx: &Context<'_>,
    m: &Model,
    fields: &[Field],
    additional: Option<&Type>,
    out: &mut String,
) -> Result<(), Error> {
    let name = &m.name;
    let redacts = fields.iter().any(|f| f.secret);
    declaration_text(name, fields, additional, redacts, out)?;
    let cfg = |travels: bool| if travels { "" } else { "#[cfg(feature = \"full-serde\")]\n" };
    // A model only received gets its setters with `full-serde` (which
    // `mocks` turns on): tests build answers the same way.
    if !fields.is_empty() {
        setters_text(name, fields, cfg(m.wire.sent), out)?;
    }
    if redacts {
        debug_text(name, fields, additional.is_some(), out)?;
    }
    deserialize_text(ctx, (name, fields, additional), cfg(m.wire.received), out)?;
    serialize_text(ctx, (name, fields, additional.is_some()), cfg(m.wire.sent), out)
}

/// The struct itself, each field with its docs.
fn declaration_text(
    name: &str,
    fields: &[Field],
    additional: Option<&Type>,
    redacts: bool,
    out: &mut String,
) -> Result<(), Error> {
    if redacts {
        out.push_str("#[derive(Clone, Default, PartialEq)]\n");
    } else {
        out.push_str("#[derive(Debug, Clone, Default, PartialEq)]\n");
    }
    // New properties are routine in protobuf APIs: with `non_exhaustive` a
    // new field is a compatible change (README, "Versions").
    out.push_str("#[non_exhaustive]\n");
    if fields.is_empty() && additional.is_none() {
        put!(out, "pub struct {name} {{}}");
    } else {
        put!(out, "pub struct {name} {{");
        for f in fields {
            doc_lines(out, "    ", &field_doc(f));
            let mut ty = owned_text(&f.ty, Place::Models);
            if f.boxed {
                ty = format!("Box<{ty}>");
            }
            if f.presence == Presence::Optional {
                ty = format!("Option<{ty}>");
            }
            layout::put(out, At::Field, 1, &format!("pub {}: {ty},", f.rust_name))?;
        }
        if let Some(ty) = additional {
            out.push_str("    /// Properties not listed in the schema.\n");
            let ty = owned_text(ty, Place::Models);
            layout::put(
                out,
                At::Field,
                1,
                &format!("pub additional_properties: std::collections::BTreeMap<String, {ty}>,"),
            )?;
        }
        out.push_str("}\n");
    }
    Ok(())
}

/// Deserialize, through `codec::Object`: the model only says which field
/// each property goes to. Both impls under `gate` (a `cfg` line, or nothing).
fn deserialize_text(
    ctx: &Context<'_>,
    (name, fields, additional): (&str, &[Field], Option<&Type>),
    gate: &str,
    out: &mut String,
) -> Result<(), Error> {
    out.push('\n');
    out.push_str(gate);
    layout::impl_header(out, &format!("impl crate::codec::Object for {name}"))?;
    layout::put(out, At::ImplItem, 1, &format!("const NAME: &'static str = {};", lit(name)))?;
    let required: Vec<String> =
        fields.iter().filter(|f| f.presence == Presence::Required).map(|f| lit(&f.wire_name)).collect();
    if !required.is_empty() {
        let code = format!("const REQUIRED: &'static [&'static str] = &[{}];", required.join(", "));
        layout::put(out, At::ImplItem, 1, &code)?;
    }
    if !fields.is_empty() || additional.is_some() {
        out.push_str(concat!(
            "    fn read<'de, A: serde::de::MapAccess<'de>>(\n",
            "        &mut self,\n",
            "        key: &str,\n",
            "        map: &mut A,\n",
            "    ) -> Result<bool, A::Error> {\n",
            "        match key {\n",
        ));
        for f in fields {
            let value = if carries_int64(ctx, f) { "crate::codec::int64(map)?" } else { "crate::codec::value(map)?" };
            let arm = format!("{} => self.{} = {value},", lit(&f.wire_name), f.rust_name);
            // The arm's trailing comma does not count: prettyplease writes
            // it only when the arm stays on one line.
            if 12 + arm.len() <= layout::margin() + 1 {
                layout::put(out, At::Arm, 3, &arm)?;
            } else {
                // Too long for one line: a block, as `prettyplease` makes it,
                // its statement laid out at its own depth.
                put!(out, "            {} => {{", lit(&f.wire_name));
                layout::put(out, At::Statement, 4, &format!("self.{} = {value};", f.rust_name))?;
                out.push_str("            }\n");
            }
        }
        if additional.is_some() {
            out.push_str("            other => {\n");
            let insert = "self.additional_properties.insert(other.to_owned(), crate::codec::value(map)?);";
            layout::put(out, At::Statement, 4, insert)?;
            out.push_str("            }\n");
        } else {
            out.push_str("            _ => return Ok(false),\n");
        }
        out.push_str("        }\n        Ok(true)\n    }\n");
    }
    out.push_str("}\n\n");
    out.push_str(gate);
    layout::impl_header(out, &format!("impl<'de> serde::Deserialize<'de> for {name}"))?;
    out.push_str(concat!(
        "    fn deserialize<D: serde::Deserializer<'de>>(\n",
        "        deserializer: D,\n",
        "    ) -> Result<Self, D::Error> {\n",
        "        crate::codec::deserialize(deserializer)\n",
        "    }\n",
        "}\n",
    ));

    Ok(())
}

/// Serialize: one line per property, which says when it is left out.
/// readOnly properties are set by the server; sending one back would be
/// rejected or ignored. Under `gate` (a `cfg` line, or nothing).
fn serialize_text(
    ctx: &Context<'_>,
    (name, fields, additional): (&str, &[Field], bool),
    gate: &str,
    out: &mut String,
) -> Result<(), Error> {
    out.push('\n');
    out.push_str(gate);
    layout::impl_header(out, &format!("impl serde::Serialize for {name}"))?;
    out.push_str("    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {\n");
    let written: Vec<&Field> = fields.iter().filter(|f| !f.read_only).collect();
    let binding = if written.is_empty() && !additional { "out" } else { "mut out" };
    put!(out, "        let {binding} = crate::codec::Writer::new(serializer)?;");
    for f in written {
        let field = format!("self.{}", f.rust_name);
        let int64 = carries_int64(ctx, f);
        let (method, value) = match f.presence {
            Presence::Optional => {
                ("some", format!("{field}.as_ref(){}", if int64 { ".map(crate::codec::Int64)" } else { "" }))
            }
            present => (
                if present == Presence::Required { "field" } else { "nonzero" },
                if int64 { format!("&crate::codec::Int64(&{field})") } else { format!("&{field}") },
            ),
        };
        layout::put(out, At::Statement, 2, &format!("out.{method}({}, {value})?;", lit(&f.wire_name)))?;
    }
    if additional {
        out.push_str("        out.rest(&self.additional_properties)?;\n");
    }
    out.push_str("        out.end()\n    }\n}\n");
    Ok(())
}

/// One setter per field, `set_<field>`, under `gate` (a `cfg` line, or
/// nothing): request bodies (and mocks' answers) are built as
/// `Model::default().set_field(value)`, which (unlike a struct literal,
/// ruled out by `non_exhaustive`) survives new fields.
fn setters_text(name: &str, fields: &[Field], gate: &str, out: &mut String) -> Result<(), Error> {
    out.push('\n');
    out.push_str(gate);
    layout::impl_header(out, &format!("impl {name}"))?;
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let setter =
            super::setters::setter(&f.rust_name, &f.ty, Place::Models, f.boxed, f.presence == Presence::Optional);
        put!(out, "    ///{}", setter.doc);
        layout::open_block(out, At::ImplItem, 1, &format!("pub fn {}(mut self, {}) -> Self", setter.name, setter.arg))?;
        layout::put(out, At::Statement, 2, &setter.assign)?;
        out.push_str("        self\n    }\n");
    }
    out.push_str("}\n");
    Ok(())
}

/// `Debug` that shows every field but the secret ones (see `ir/secrets.rs`),
/// whose values are replaced by `<redacted>`.
fn debug_text(name: &str, fields: &[Field], additional: bool, out: &mut String) -> Result<(), Error> {
    out.push('\n');
    layout::impl_header(out, &format!("impl std::fmt::Debug for {name}"))?;
    out.push_str("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n");
    layout::put(out, At::Statement, 2, &format!("let mut out = f.debug_struct({});", lit(name)))?;
    for f in fields {
        let value = if f.secret { "&crate::codec::Redacted".to_owned() } else { format!("&self.{}", f.rust_name) };
        layout::put(out, At::Statement, 2, &format!("out.field({}, {value});", lit(&f.rust_name)))?;
    }
    if additional {
        out.push_str("        out.field(\"additional_properties\", &self.additional_properties);\n");
    }
    out.push_str("        out.finish()\n    }\n}\n");
    Ok(())
}

/// A field's doc lines: its description; without one, its JSON name where
/// that differs from the field's (`pageSize`), and nothing where it would
/// only repeat the field's name.
fn field_doc(f: &Field) -> Vec<String> {
    let mut doc = f.doc.clone().unwrap_or_default();
    if f.ty == Type::Base64 {
        doc.push_str(if doc.is_empty() { "Base64-encoded bytes." } else { "\n\nBase64-encoded bytes." });
    }
    match (doc.is_empty(), f.wire_name == f.rust_name) {
        (false, _) => sanitize(&doc),
        (true, true) => Vec::new(),
        (true, false) => vec![format!(" JSON `{}`.", f.wire_name)],
    }
}

/// Whether a field travels as protojson's string-encoded 64-bit integers.
fn carries_int64(ctx: &Context<'_>, f: &Field) -> bool {
    fn inner(ty: &Type) -> bool {
        match ty {
            Type::Vec(t) | Type::Map(t) => inner(t),
            t => is_int64(t),
        }
    }
    ctx.api.protojson && inner(&f.ty)
}

/// A string enum that keeps values it does not know.
fn open_enum(name: &str, variants: &[Variant], other: &str, out: &mut String) -> Result<(), Error> {
    out.push_str("#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    put!(out, "pub enum {name} {{");
    for (i, v) in variants.iter().enumerate() {
        put!(out, "    /// `{}`", v.wire.replace('`', ""));
        if i == 0 {
            out.push_str("    #[default]\n");
        }
        put!(out, "    {},", v.rust_name);
    }
    out.push_str("    /// A value this client does not know yet, kept as it was sent.\n");
    put!(out, "    {other}(String),\n}}\n");
    layout::impl_header(out, &format!("impl {name}"))?;
    out.push_str(concat!(
        "    /// The value as it travels on the wire.\n",
        "    pub fn as_str(&self) -> &str {\n",
        "        match self {\n",
    ));
    for v in variants {
        layout::put(out, At::Arm, 3, &format!("Self::{} => {},", v.rust_name, lit(&v.wire)))?;
    }
    put!(out, "            Self::{other}(value) => value,\n        }}\n    }}\n}}\n");
    layout::impl_header(out, &format!("impl From<&str> for {name}"))?;
    out.push_str("    fn from(value: &str) -> Self {\n        match value {\n");
    for v in variants {
        layout::put(out, At::Arm, 3, &format!("{} => Self::{},", lit(&v.wire), v.rust_name))?;
    }
    put!(out, "            other => Self::{other}(other.to_owned()),\n        }}\n    }}\n}}\n");
    put!(out, "crate::codec::impl_open_enum!({name});");
    Ok(())
}

/// `oneOf`/`anyOf`: an enum with a variant per alternative. Without a
/// discriminator, the first alternative (in the document's order) that
/// accepts the value is taken; with one, its value picks the variant, and
/// the variant's own struct keeps the property. Written out as it travels:
/// each variant as its own value.
fn one_of(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    variants: &[(String, Type)],
    discriminator: Option<&(String, Vec<String>)>,
    displayable: bool,
    wire: crate::ir::Wire,
) -> TokenStream {
    // Like structs, only in the directions it travels (see `struct_text`).
    let gate = |travels: bool| (!travels).then(|| quote!(#[cfg(feature = "full-serde")]));
    let (ser_gate, de_gate) = (gate(wire.sent), gate(wire.received));
    let idents: Vec<_> = variants.iter().map(|(v, _)| ident(v)).collect();
    let types: Vec<_> = variants.iter().map(|(_, t)| owned(t, Place::Models)).collect();
    let name_str = name.to_string();
    let read = match discriminator {
        None => quote! {
            crate::codec::first_match(deserializer, #name_str, &[
                #( |value| serde::Deserialize::deserialize(value).ok().map(Self::#idents), )*
            ])
        },
        Some((property, values)) => {
            let expected = format!("{property} to be one of {}", values.join(", "));
            quote! {
                use serde::de::Error as _;
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
                match tag.as_str() {
                    #( #values => serde_json::from_value(value).map(Self::#idents).map_err(D::Error::custom), )*
                    other => Err(D::Error::custom(format!("unexpected {:?}: expected {}", other, #expected))),
                }
            }
        }
    };
    let display = displayable.then(|| {
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #( Self::#idents(value) => value.fmt(f), )*
                    }
                }
            }
        }
    });
    let default = idents.first().map(|first| {
        quote! {
            /// The first alternative's default, so that a union can sit in a
            /// struct that has a default.
            impl Default for #name {
                fn default() -> Self {
                    Self::#first(Default::default())
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        // Variants are as large as the document's schemas make them; boxing
        // them all would cost an allocation per value for no gain in most.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #idents(#types), )*
        }

        #default

        #display

        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#idents(value) => serde::Serialize::serialize(value, serializer), )*
                }
            }
        }

        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::load::Source;
    use crate::pipeline::generate;

    /// Long names, required and int64 properties, extra properties, enums,
    /// aliases and a `oneOf`, to make lines break.
    const LONG_NAMES: &str = r##"
swagger: "2.0"
info: {title: Long, version: "1"}
paths:
  /things:
    post:
      operationId: createAnAlmostUnreasonablyLongThingWithManyWords
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/AnAlmostUnreasonablyLongModelNameThatGoesOnAndOnAndOn"}}
      responses:
        "200": {description: ok, schema: {$ref: "#/definitions/Listed"}}
definitions:
  AnAlmostUnreasonablyLongModelNameThatGoesOnAndOnAndOn:
    type: object
    required: [aVeryLongPropertyNameIndeedThatKeepsGoing, anotherVeryLongRequiredPropertyName, yetAnotherRequiredOne]
    properties:
      aVeryLongPropertyNameIndeedThatKeepsGoing: {type: string, format: int64}
      anotherVeryLongRequiredPropertyName: {type: array, items: {type: integer, format: int64}}
      yetAnotherRequiredOne: {$ref: "#/definitions/ALongEnumerationOfThingsThatCanBeChosen"}
      aMapOfListsOfLongEnumerationValuesByName:
        type: object
        additionalProperties: {type: array, items: {$ref: "#/definitions/ALongEnumerationOfThingsThatCanBeChosen"}}
    additionalProperties: {type: object, additionalProperties: {type: array, items: {type: string}}}
  ALongEnumerationOfThingsThatCanBeChosen:
    type: string
    enum: [a value that is rather long to write out in full, and another one that is long as well]
  Listed:
    type: array
    items: {$ref: "#/definitions/AnAlmostUnreasonablyLongModelNameThatGoesOnAndOnAndOn"}
"##;

    /// Model files are written as text; printing them with `prettyplease`
    /// (as every other file is) must not change a byte.
    #[test]
    fn text_written_models_are_laid_out_as_prettyplease_prints_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |p: &str| std::fs::read(root.join(p)).expect("fixture");
        let ghippo = crate::vendored::load_one(&root.join("../specs/drun.yaml"), "ghippo").expect("ghippo loads");
        let documents = [
            (ghippo.bytes, ghippo.config),
            (read("tests/fixtures/clients/swagger_breadth.yaml"), Config::default()),
            (read("tests/fixtures/clients/openapi_breadth.yaml"), Config::default()),
            (LONG_NAMES.as_bytes().to_vec(), Config::default()),
        ];
        let mut checked = 0;
        for (bytes, config) in &documents {
            let out = generate(&Source { display_path: "doc", bytes }, config).expect("generates");
            for (path, text) in out.files.iter().filter(|(p, _)| p.starts_with("src/models/") && !p.ends_with("mod.rs"))
            {
                let body = text.split_once("\n\n").map_or("", |(_header, body)| body);
                let file = syn::parse_file(body).unwrap_or_else(|e| panic!("{path}: {e}"));
                let printed = super::super::space_items(&prettyplease::unparse(&file));
                assert!(
                    printed == body,
                    "{path} differs from prettyplease's layout:\n{}",
                    first_difference(body, &printed)
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked} files");
    }

    fn first_difference(a: &str, b: &str) -> String {
        let (n, (x, y)) = a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y).unwrap_or((0, ("", "")));
        format!("line {}:\n  written: {x}\n  printed: {y}", n + 1)
    }
}
