//! Error bodies: the string field that holds an error code, named by the configuration
//! (`errors.code`), so the generated crate can offer `err.is_error_code("...")`.

use crate::config;
use crate::ir::*;

/// Marks, on every struct that an error response carries, its error-code field: the first
/// of the configured names that it has as a string field.
pub(super) fn mark(types: &mut [TypeDef], operations: &[Operation], names: &config::Errors) {
    let mut ids: Vec<TypeId> = operations
        .iter()
        .flat_map(|op| op.error_responses())
        .flat_map(|r| &r.content)
        .filter_map(|c| match &c.body {
            Body::Json(ty) => ty.direct(),
            Body::Bytes => None,
        })
        .collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let TypeKind::Struct(s) = &mut types[id.0].kind else {
            continue;
        };
        s.error_code = names.code.iter().find_map(|name| {
            s.fields
                .iter()
                .find(|f| &f.api_name == name && f.ty == TypeRef::Primitive(Primitive::String))
                .map(|f| f.api_name.clone())
        });
    }
}
