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

/// [`owned`] as text, for files written as text.
pub(crate) fn owned_text(ty: &Type, place: Place) -> String {
    match ty {
        Type::Bool => "bool".to_owned(),
        Type::I32 => "i32".to_owned(),
        Type::I64 => "i64".to_owned(),
        Type::U32 => "u32".to_owned(),
        Type::U64 => "u64".to_owned(),
        Type::F32 => "f32".to_owned(),
        Type::F64 => "f64".to_owned(),
        Type::String | Type::Base64 => "String".to_owned(),
        Type::Bytes => match place {
            Place::Models => "Vec<u8>".to_owned(),
            Place::Crate => "bytes::Bytes".to_owned(),
        },
        Type::Json => "serde_json::Value".to_owned(),
        Type::Model(name) => match place {
            Place::Models => format!("super::{name}"),
            Place::Crate => format!("crate::models::{name}"),
        },
        Type::Vec(inner) => format!("Vec<{}>", owned_text(inner, place)),
        Type::Map(inner) => format!("std::collections::BTreeMap<String, {}>", owned_text(inner, place)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_tokens_name_the_same_types() {
        let types = [
            Type::Bool,
            Type::I64,
            Type::Base64,
            Type::Bytes,
            Type::Json,
            Type::Model("Pet".to_owned()),
            Type::Vec(Box::new(Type::Map(Box::new(Type::Model("Pet".to_owned()))))),
        ];
        for ty in &types {
            for place in [Place::Models, Place::Crate] {
                let tokens: TokenStream = owned_text(ty, place).parse().expect("parses");
                let spaceless = |t: TokenStream| t.to_string().replace(' ', "");
                assert_eq!(spaceless(tokens), spaceless(owned(ty, place)), "{ty:?}");
            }
        }
    }
}
