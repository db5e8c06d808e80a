//! Page-number pagination, recognised by the names the configuration gives (see
//! `config::Pagination` for the defaults any spec gets).
//!
//! Only page-number semantics: an integer page number and an integer page size in the
//! query, and a success body that is an object with an array of items. Offsets, cursors
//! and links are other schemes, and a spec whose page number does not say where pages
//! start (no default and no minimum of 1) is not paginated, since a stream started on
//! the wrong page would skip or repeat one.

use crate::config;
use crate::ir::*;

pub(super) fn detect(
    op: &Operation,
    types: &[TypeDef],
    names: &config::Pagination,
) -> Option<Pagination> {
    let is_int = |ty: &TypeRef| match ty {
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => true,
        TypeRef::Named(id) => matches!(
            &types[id.0].kind,
            TypeKind::Constrained(Constrained {
                base: Primitive::I32 | Primitive::I64,
                ..
            })
        ),
        _ => false,
    };
    let query_int = |wanted: &[String]| {
        op.parameters.iter().position(|p| {
            p.location() == ParameterLocation::Query
                && wanted.contains(&p.api_name)
                && is_int(&p.ty)
        })
    };
    let page_parameter = query_int(&names.page)?;
    let page = &op.parameters[page_parameter];
    let first_page_known = matches!(page.default, Some(Literal::Int(_)))
        || matches!(page.constraints.minimum, Some(Number::Int(1)));
    if !first_page_known {
        return None;
    }
    let size_parameter = query_int(&names.size)?;
    let body = op
        .success_responses()
        .flat_map(|r| &r.content)
        .find_map(|c| match &c.body {
            Body::Json(TypeRef::Named(id)) => Some(*id),
            _ => None,
        })?;
    let TypeKind::Struct(page) = &types[body.0].kind else {
        return None;
    };
    let (items_field, item_type) = page.fields.iter().find_map(|f| match &f.ty {
        TypeRef::Array(item) if names.items.contains(&f.api_name) => {
            Some((f.api_name.clone(), (**item).clone()))
        }
        _ => None,
    })?;
    let total_field = page
        .fields
        .iter()
        .find(|f| {
            names.total.contains(&f.api_name)
                && matches!(f.ty, TypeRef::Primitive(Primitive::I32 | Primitive::I64))
        })
        .map(|f| f.api_name.clone());
    Some(Pagination {
        page_parameter,
        size_parameter,
        items_field,
        total_field,
        item_type,
    })
}
