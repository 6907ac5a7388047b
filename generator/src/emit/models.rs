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
            let fields = fields.iter().map(|f| field(ctx, f));
            let extra = additional.as_ref().map(|ty| {
                let ty = owned(ty, Place::Models);
                quote! {
                    /// Properties not listed in the schema.
                    #[serde(flatten)]
                    pub additional_properties: std::collections::BTreeMap<String, #ty>,
                }
            });
            let derives = serde_derives(m.wire);
            quote! {
                #doc
                #derives
                pub struct #name {
                    #( #fields )*
                    #extra
                }
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

fn field(ctx: &Context<'_>, f: &Field) -> TokenStream {
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
    let protojson_int = ctx.api.protojson && is_int64(match &f.ty {
        Type::Vec(inner) => inner,
        t => t,
    });
    let mut attrs: Vec<TokenStream> = Vec::new();
    if f.rust_name != f.wire_name {
        let wire = &f.wire_name;
        attrs.push(quote!(rename = #wire));
    }
    let vec_int = matches!(&f.ty, Type::Vec(_));
    match f.presence {
        Presence::Required => {
            if protojson_int {
                let with = if vec_int { "crate::protojson::int64_vec" } else { "crate::protojson::int64" };
                attrs.push(quote!(with = #with));
            }
        }
        Presence::Defaulted => {
            attrs.push(quote!(default));
            if !f.read_only {
                let skip = skip_if_zero(&f.ty);
                attrs.push(quote!(skip_serializing_if = #skip));
            }
            if protojson_int {
                let with = if vec_int { "crate::protojson::int64_vec" } else { "crate::protojson::int64" };
                attrs.push(quote!(with = #with));
            }
        }
        Presence::Optional => {
            ty = quote!(Option<#ty>);
            attrs.push(quote!(default));
            if !f.read_only {
                attrs.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            if protojson_int {
                let with = if vec_int { "crate::protojson::int64_vec_opt" } else { "crate::protojson::int64_opt" };
                attrs.push(quote!(with = #with));
            }
        }
    }
    if f.read_only {
        // Set by the server; sending it back would be rejected or ignored.
        attrs.push(quote!(skip_serializing));
    }
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

/// The derives of a struct: serde only in the directions it travels (the
/// bulk of a client's compile time is serde code), the rest behind the
/// crate's `full-serde` feature for users who want to (de)serialise every
/// model themselves.
fn serde_derives(wire: crate::ir::Wire) -> TokenStream {
    let mut always = vec![quote!(Debug), quote!(Clone), quote!(Default), quote!(PartialEq)];
    let mut optional = Vec::new();
    for (needed, derive) in [(wire.sent, quote!(serde::Serialize)), (wire.received, quote!(serde::Deserialize))] {
        if needed { always.push(derive) } else { optional.push(derive) }
    }
    let optional = (!optional.is_empty()).then(|| quote!(#[cfg_attr(feature = "full-serde", derive(#(#optional),*))]));
    quote! {
        #[derive(#(#always),*)]
        #optional
    }
}

/// The `skip_serializing_if` path that tests for a zero value.
fn skip_if_zero(ty: &Type) -> &'static str {
    match ty {
        Type::String | Type::Base64 => "String::is_empty",
        Type::Vec(_) | Type::Bytes => "Vec::is_empty",
        Type::Map(_) => "std::collections::BTreeMap::is_empty",
        Type::Json => "serde_json::Value::is_null",
        _ => "crate::protojson::is_default",
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

        crate::protojson::impl_open_enum!(#name);
    }
}

/// `oneOf`/`anyOf`: an enum with a variant per alternative. Without a
/// discriminator, variants are tried in order (`untagged`); with one, its
/// value picks the variant, and the variant's own struct keeps the property.
fn one_of(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    variants: &[(String, Type)],
    discriminator: Option<&(String, Vec<String>)>,
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|(v, _)| ident(v)).collect();
    let types: Vec<_> = variants.iter().map(|(_, t)| owned(t, Place::Models)).collect();
    let Some((property, values)) = discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #( #idents(#types), )*
            }
        };
    };
    let expected = format!("{property} to be one of {}", values.join(", "));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #idents(#types), )*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
                match tag.as_str() {
                    #( #values => serde_json::from_value(value).map(Self::#idents).map_err(D::Error::custom), )*
                    other => Err(D::Error::custom(format!("unexpected {:?}: expected {}", other, #expected))),
                }
            }
        }
    }
}
