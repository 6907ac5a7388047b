//! `src/models/`: serde types, grouped into files.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::types::{Place, is_int64, owned};
use super::{Context, ident};
use crate::ir::{Api, Field, Model, ModelKind, Presence, Type, Variant};

/// Models by group, each group sorted by name (as the model is).
pub(crate) fn groups(api: &Api) -> BTreeMap<String, Vec<&Model>> {
    let mut out: BTreeMap<String, Vec<&Model>> = BTreeMap::new();
    for m in &api.models {
        out.entry(file_stem(&m.group)).or_default().push(m);
    }
    out
}

/// A group's file (and module) name: snake case, a keyword escaped, never
/// `mod` (which would be `mod.rs`).
fn file_stem(group: &str) -> String {
    let s = crate::ir::naming::snake_ident(group);
    if s == "mod" { "mod_".to_owned() } else { s }
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

pub(crate) fn group_rs(ctx: &Context<'_>, group: &str, models: &[&Model]) -> TokenStream {
    let doc = format!(" Models from the `{group}` group.");
    let items = models.iter().map(|m| model(ctx, m));
    quote! {
        #![doc = #doc]
        #( #items )*
    }
}

fn model(ctx: &Context<'_>, m: &Model) -> TokenStream {
    let name = ident(&m.name);
    let doc = doc_attrs(m.doc.as_deref().unwrap_or(""));
    let source = format!(" Schema `{}`.", m.pointer.trim_start_matches('/'));
    let doc = if m.doc.is_some() { quote!(#doc #[doc = ""] #[doc = #source]) } else { quote!(#[doc = #source]) };
    match &m.kind {
        ModelKind::Struct { fields, additional } => {
            let declared = fields.iter().map(field);
            let extra = additional.as_ref().map(|ty| {
                let ty = owned(ty, Place::Models);
                quote! {
                    /// Properties not listed in the schema.
                    pub additional_properties: std::collections::BTreeMap<String, #ty>,
                }
            });
            let read = read_impls(ctx, m, fields, additional.is_some());
            let write = write_impl(ctx, m, fields, additional.is_some());
            quote! {
                #doc
                #[derive(Debug, Clone, Default, PartialEq)]
                pub struct #name {
                    #( #declared )*
                    #extra
                }

                #read
                #write
            }
        }
        ModelKind::Enum { variants, other } => open_enum(&name, doc, variants, other),
        ModelKind::OneOf { variants, discriminator } => one_of(&name, doc, variants, discriminator.as_ref()),
        ModelKind::Alias(ty) => {
            let ty = owned(ty, Place::Models);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut doc = f.doc.clone().unwrap_or_default();
    if f.ty == Type::Base64 {
        doc.push_str(if doc.is_empty() { "Base64-encoded bytes." } else { "\n\nBase64-encoded bytes." });
    }
    let doc = if doc.is_empty() {
        let d = format!(" `{}`", f.wire_name);
        quote!(#[doc = #d])
    } else {
        doc_attrs(&doc)
    };
    let mut ty = owned(&f.ty, Place::Models);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.presence == Presence::Optional {
        ty = quote!(Option<#ty>);
    }
    quote! {
        #doc
        pub #name: #ty,
    }
}

/// serde code is written only for the directions a model travels (the bulk
/// of a client's compile time is serde code); the other direction is behind
/// the crate's `full-serde` feature, for users who want to (de)serialise
/// every model themselves.
fn unless_travels(travels: bool) -> Option<TokenStream> {
    (!travels).then(|| quote!(#[cfg(feature = "full-serde")]))
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

/// `Deserialize` through `codec::Object`: the model only says which field
/// each property goes to.
fn read_impls(ctx: &Context<'_>, m: &Model, fields: &[Field], additional: bool) -> TokenStream {
    let name = ident(&m.name);
    let name_str = &m.name;
    let cfg = unless_travels(m.wire.received);
    let arms = fields.iter().map(|f| {
        let wire = &f.wire_name;
        let rust = ident(&f.rust_name);
        if carries_int64(ctx, f) {
            quote!(#wire => self.#rust = map.next_value::<crate::codec::Int64<_>>()?.0,)
        } else {
            quote!(#wire => self.#rust = map.next_value()?,)
        }
    });
    let otherwise = if additional {
        quote!(other => {
            self.additional_properties.insert(other.to_owned(), map.next_value()?);
        })
    } else {
        quote!(_ => return Ok(false),)
    };
    let read = (!fields.is_empty() || additional).then(|| {
        quote! {
            fn read<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
                match key {
                    #( #arms )*
                    #otherwise
                }
                Ok(true)
            }
        }
    });
    let required: Vec<&str> =
        fields.iter().filter(|f| f.presence == Presence::Required).map(|f| f.wire_name.as_str()).collect();
    let required = (!required.is_empty()).then(|| quote!(const REQUIRED: &'static [&'static str] = &[#(#required),*];));
    quote! {
        #cfg
        impl crate::codec::Object for #name {
            const NAME: &'static str = #name_str;
            #required
            #read
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::codec::deserialize(deserializer)
            }
        }
    }
}

/// `Serialize`: one line per property, which says when it is left out.
fn write_impl(ctx: &Context<'_>, m: &Model, fields: &[Field], additional: bool) -> TokenStream {
    let name = ident(&m.name);
    let cfg = unless_travels(m.wire.sent);
    // readOnly properties are set by the server; sending one back would be
    // rejected or ignored.
    let mut lines: Vec<TokenStream> = fields
        .iter()
        .filter(|f| !f.read_only)
        .map(|f| {
            let wire = &f.wire_name;
            let rust = ident(&f.rust_name);
            let int64 = carries_int64(ctx, f);
            match (f.presence, int64) {
                (Presence::Required, false) => quote!(out.field(#wire, &self.#rust)?;),
                (Presence::Required, true) => quote!(out.field(#wire, &crate::codec::Int64(&self.#rust))?;),
                (Presence::Defaulted, false) => quote!(out.nonzero(#wire, &self.#rust)?;),
                (Presence::Defaulted, true) => quote!(out.nonzero(#wire, &crate::codec::Int64(&self.#rust))?;),
                (Presence::Optional, false) => quote!(out.some(#wire, self.#rust.as_ref())?;),
                (Presence::Optional, true) => quote!(out.some(#wire, self.#rust.as_ref().map(crate::codec::Int64))?;),
            }
        })
        .collect();
    if additional {
        lines.push(quote!(out.rest(&self.additional_properties)?;));
    }
    let binding = if lines.is_empty() { quote!(out) } else { quote!(mut out) };
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #binding = crate::codec::Writer::new(serializer)?;
                #( #lines )*
                out.end()
            }
        }
    }
}

/// A string enum that keeps values it does not know.
fn open_enum(name: &proc_macro2::Ident, doc: TokenStream, variants: &[Variant], other: &str) -> TokenStream {
    let other = ident(other);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<_> = variants.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "")));
    let first = idents.first();
    let rest = idents.iter().skip(1);
    let rest_docs = docs.clone().skip(1);
    let first_doc = docs.clone().next();
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #[doc = #first_doc]
            #[default]
            #first,
            #( #[doc = #rest_docs] #rest, )*
            /// A value this client does not know yet, kept as it was sent.
            #other(String),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::#other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        crate::codec::impl_open_enum!(#name);
    }
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
) -> TokenStream {
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #idents(#types), )*
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#idents(value) => serde::Serialize::serialize(value, serializer), )*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}
