//! Rust type tokens for model types.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Type;

/// Where a type is written, which decides how models are reached.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// Inside `models/`: siblings are reached through `super::`.
    Models,
    /// Anywhere else: `crate::models::`.
    Crate,
}

/// The owned Rust type.
pub(crate) fn owned(ty: &Type, place: Place) -> TokenStream {
    match ty {
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::U32 => quote!(u32),
        Type::U64 => quote!(u64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::String | Type::Base64 => quote!(String),
        Type::Bytes => match place {
            // A file field of a form model; JSON has no form for binary.
            Place::Models => quote!(Vec<u8>),
            Place::Crate => quote!(bytes::Bytes),
        },
        Type::Json => quote!(serde_json::Value),
        Type::Model(name) => {
            let name = ident(name);
            match place {
                Place::Models => quote!(super::#name),
                Place::Crate => quote!(crate::models::#name),
            }
        }
        Type::Vec(inner) => {
            let inner = owned(inner, place);
            quote!(Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = owned(inner, place);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// The type an argument is taken as: borrowed where that saves a copy.
pub(crate) fn borrowed(ty: &Type) -> TokenStream {
    match ty {
        Type::String | Type::Base64 => quote!(&str),
        Type::Vec(inner) => {
            let inner = owned(inner, Place::Crate);
            quote!(&[#inner])
        }
        Type::Model(_) | Type::Json | Type::Map(_) => {
            let t = owned(ty, Place::Crate);
            quote!(&#t)
        }
        _ => owned(ty, Place::Crate),
    }
}

/// Whether the type is a 64-bit integer that protojson writes as a string.
pub(crate) fn is_int64(ty: &Type) -> bool {
    matches!(ty, Type::I64 | Type::U64)
}
