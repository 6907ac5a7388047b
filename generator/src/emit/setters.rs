//! `set_<field>` setters, one spelling for the two places that have them:
//! models (`models.rs`, written as text) and operations' optional
//! parameters (`apis.rs`, built as tokens).

use super::types::{Place, owned_text};
use crate::ir::Type;

/// One setter: `pub fn <name>(mut self, <arg>) -> Self { <assign> self }`.
pub(crate) struct Setter {
    /// The setter's name, `set_<field>`.
    pub name: String,
    /// Its argument, `value: impl Into<T>` (or an iterator of them).
    pub arg: String,
    /// The statement that stores it, `self.<field> = ...;`.
    pub assign: String,
    /// Its doc line.
    pub doc: String,
}

/// The setter of `field` of type `ty`, written for `place`; `boxed` and
/// `optional` say how the field holds its value (`Box`, `Option`). An
/// array takes any iterator of values.
pub(crate) fn setter(field: &str, ty: &Type, place: Place, boxed: bool, optional: bool) -> Setter {
    let (arg, mut value) = match ty {
        Type::Vec(inner) => (
            format!("values: impl IntoIterator<Item = impl Into<{}>>", owned_text(inner, place)),
            "values.into_iter().map(Into::into).collect()".to_owned(),
        ),
        ty => (format!("value: impl Into<{}>", owned_text(ty, place)), "value.into()".to_owned()),
    };
    if boxed {
        value = format!("Box::new({value})");
    }
    if optional {
        value = format!("Some({value})");
    }
    Setter {
        name: crate::ir::naming::setter_name(field),
        arg,
        assign: format!("self.{field} = {value};"),
        doc: format!(" Sets [`{field}`](Self::{field})."),
    }
}
