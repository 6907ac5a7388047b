//! Which operations are paged lists, for the `<operation>_pages` helpers.
//!
//! An operation is one when it takes the page and page-size query
//! parameters (integers, optional) and answers with a model that has an
//! items array and a pagination message with a total (integer). The names
//! default to grpc-gateway's usual `page`, `pageSize`, `items`,
//! `pagination` and `total`; the configuration's `pagination` section sets
//! others for a module (AI Lab says `page.page`, `page.pageSize`, `page`)
//! and lists operations to leave out.

use super::{Model, ModelKind, Paging, Presence, ResponseKind, Tag, Type};
use crate::config::Pagination;

/// Sets [`Operation::paging`](super::Operation::paging) on every paged
/// list operation.
pub(crate) fn mark(tags: &mut [Tag], models: &[Model], config: &Pagination) {
    for op in tags.iter_mut().flat_map(|t| &mut t.operations) {
        if config.exclude.contains(&op.id) {
            continue;
        }
        op.paging = detect(op, models, config);
    }
}

fn detect(op: &super::Operation, models: &[Model], config: &Pagination) -> Option<Paging> {
    if op.body.is_some() {
        return None;
    }
    let integer = |ty: &Type| matches!(ty, Type::I32 | Type::I64 | Type::U32 | Type::U64);
    let param = |wire: &str| op.query_params.iter().find(|p| p.wire_name == wire && !p.required && integer(&p.ty));
    let page = param(&config.page)?;
    let size = param(&config.page_size)?;
    let ResponseKind::Json(Type::Model(response)) = &op.response else { return None };
    let fields = struct_fields(models, response)?;
    let items = fields.iter().find(|f| f.wire_name == config.items)?;
    let Type::Vec(item) = &items.ty else { return None };
    let pagination = fields.iter().find(|f| f.wire_name == config.pagination && f.presence == Presence::Optional)?;
    let Type::Model(pagination_model) = &pagination.ty else { return None };
    let total =
        struct_fields(models, pagination_model)?.iter().find(|f| f.wire_name == config.total && integer(&f.ty))?;
    Some(Paging {
        page_param: page.rust_name.clone(),
        page_ty: page.ty.clone(),
        size_param: size.rust_name.clone(),
        response: response.clone(),
        items_field: items.rust_name.clone(),
        items_optional: items.presence == Presence::Optional,
        item: (**item).clone(),
        pagination_field: pagination.rust_name.clone(),
        total_field: total.rust_name.clone(),
        total_optional: total.presence == Presence::Optional,
    })
}

fn struct_fields<'a>(models: &'a [Model], name: &str) -> Option<&'a [super::Field]> {
    match &super::find_model(models, name)?.kind {
        ModelKind::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}
