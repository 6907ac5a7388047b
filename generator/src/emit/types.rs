//! Rust types for model types, as text and as tokens.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Type;

/// Where a type is written, which decides how models are reached.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// Inside `models/`: siblings are reached through `super::`.
    Models,
    /// Anywhere else: `crate::models::`.
    Crate,
}

/// The owned Rust type, as tokens. Built from [`owned_text`], so that the
/// files written as tokens and those written as text name types alike. The
/// text is made of checked identifiers and always lexes; were it not to,
/// the type becomes a `compile_error!` that names it, so the generated
/// crate refuses to build instead of losing the type in silence.
pub(crate) fn owned(ty: &Type, place: Place) -> TokenStream {
    let text = owned_text(ty, place);
    text.parse().unwrap_or_else(|_| {
        let message = format!("internal error of the generator: the type `{text}` does not lex");
        quote!(::core::compile_error!(#message))
    })
}

/// The owned Rust type, as text: the one place emitted code spells a type.
pub(crate) fn owned_text(ty: &Type, place: Place) -> String {
    match ty {
        Type::Bytes => match place {
            // Models are plain data; the client hands out `Bytes`.
            Place::Models => "Vec<u8>".into(),
            Place::Crate => "crate::bytes::Bytes".into(),
        },
        Type::Model(n) => match place {
            Place::Models => format!("super::{n}"),
            Place::Crate => format!("crate::models::{n}"),
        },
        Type::Vec(t) => format!("Vec<{}>", owned_text(t, place)),
        Type::Map(t) => format!("std::collections::BTreeMap<String, {}>", owned_text(t, place)),
        scalar => scalar.display_name(),
    }
}

/// The type an argument is taken as: borrowed where that saves a copy
/// (see [`is_borrowed`]).
pub(crate) fn borrowed(ty: &Type) -> TokenStream {
    match ty {
        Type::String | Type::Base64 => quote!(&str),
        Type::Vec(inner) => {
            let inner = owned(inner, Place::Crate);
            quote!(&[#inner])
        }
        ty if is_borrowed(ty) => {
            let t = owned(ty, Place::Crate);
            quote!(&#t)
        }
        _ => owned(ty, Place::Crate),
    }
}

/// Whether [`borrowed`] takes the type by reference.
pub(crate) fn is_borrowed(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::Base64 | Type::Vec(_) | Type::Model(_) | Type::Json | Type::Map(_))
}

/// Whether the type is a 64-bit integer that protojson writes as a string.
pub(crate) fn is_int64(ty: &Type) -> bool {
    matches!(ty, Type::I64 | Type::U64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_by_path_from_where_they_are_written() {
        let nested = Type::Vec(Box::new(Type::Map(Box::new(Type::Model("Pet".to_owned())))));
        assert_eq!(owned_text(&nested, Place::Models), "Vec<std::collections::BTreeMap<String, super::Pet>>");
        assert_eq!(owned_text(&Type::Bytes, Place::Crate), "crate::bytes::Bytes");
        let tokens = owned(&Type::Model("Pet".to_owned()), Place::Crate).to_string().replace(' ', "");
        assert_eq!(tokens, "crate::models::Pet");
    }
}
