//! What the model accepts and the emitters can write are the same set of
//! documents: the constructs that no client can serve are refused here,
//! located, so that `model()` (the change report) and generation agree.

use super::{Api, BodyEncoding, ModelKind, Type};
use crate::error::Error;

/// Refuses an operation that sends an object where no one encoding exists:
/// as a path segment or a header, or as a form body that is neither an
/// object nor a union of objects.
pub(crate) fn check(api: &Api) -> Result<(), Error> {
    let is_struct = |ty: &Type| api.is_model(ty, |k| matches!(k, ModelKind::Struct { .. }));
    let is_object = |ty: &Type| matches!(ty, Type::Map(_)) || is_struct(ty);
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        for (params, place) in [(&op.path_params, "path segment"), (&op.header_params, "header")] {
            let what = if place == "header" { "header" } else { "path" };
            if let Some(p) = params.iter().find(|p| is_object(&p.ty)) {
                return Err(Error::unsupported(
                    &op.pointer,
                    format!(
                        "{what} parameter `{}` is an object, which has no one way to be written in a {place}",
                        p.wire_name
                    ),
                ));
            }
        }
        if let Some(body) = &op.body
            && matches!(body.encoding, BodyEncoding::Form | BodyEncoding::Multipart)
            && !is_struct(&body.ty)
            && !is_union_of_structs(api, &body.ty, &is_struct)
        {
            return Err(Error::invalid(
                &op.pointer,
                format!("a {} body must be an object with properties, or a union of such objects", body.media_type),
            ));
        }
    }
    Ok(())
}

fn is_union_of_structs(api: &Api, ty: &Type, is_struct: &dyn Fn(&Type) -> bool) -> bool {
    let Type::Model(name) = ty else { return false };
    matches!(api.model(name).map(|m| &m.kind), Some(ModelKind::OneOf { variants, .. })
        if variants.iter().all(|(_, v)| is_struct(v)))
}
