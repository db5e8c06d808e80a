//! Error bodies: the fields that hold an error's code and message, named by the
//! configuration (`errors.code`, `errors.message`), so the generated crate can offer
//! `err.is_error_code("...")` and display an error as a person reads it.

use crate::config;
use crate::ir::*;

/// Marks, on every struct that an error response carries, its error-code field (the first
/// configured name it has as a string or a string enum) and its message field (the first
/// configured name it has as a string, other than the code).
pub(super) fn mark(types: &mut [TypeDef], operations: &[Operation], config: &config::Errors) {
    let names = names(config);
    let mut ids: Vec<TypeId> = operations
        .iter()
        .flat_map(|op| op.error_responses())
        .flat_map(|r| &r.content)
        .filter_map(|c| match &c.body {
            Body::Json(ty) => ty.direct(),
            _ => None,
        })
        .collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let TypeKind::Struct(s) = &types[id.0].kind else {
            continue;
        };
        let text = |f: &Field, enums: bool| match &f.ty {
            TypeRef::Primitive(Primitive::String) => true,
            TypeRef::Named(other) => {
                enums
                    && matches!(&types[other.0].kind, TypeKind::Enum(e) if e.repr == EnumRepr::String)
            }
            _ => false,
        };
        let find = |wanted: &[String], enums: bool, skip: Option<&str>| {
            wanted.iter().find_map(|wanted| {
                s.fields
                    .iter()
                    .find(|f| {
                        text(f, enums)
                            && normalise_property(&f.api_name) == *wanted
                            && Some(f.api_name.as_str()) != skip
                    })
                    .map(|f| f.api_name.clone())
            })
        };
        let code = find(&names.code, true, None);
        // A property that is the code (OAuth's string `error`) is not also the message.
        let message = find(&names.message, false, code.as_deref());
        if let TypeKind::Struct(s) = &mut types[id.0].kind {
            s.error_code = code;
            s.error_message = message;
        }
    }
}

/// The configured names, normalised as they are compared.
pub(super) fn names(config: &config::Errors) -> ErrorNames {
    let normalise = |names: &[String]| names.iter().map(|n| normalise_property(n)).collect();
    ErrorNames {
        code: normalise(&config.code),
        message: normalise(&config.message),
    }
}
