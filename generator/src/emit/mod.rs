//! Emission: the IR as token streams, one function per kind of item.
//!
//! Nothing here knows OpenAPI; what it needs it reads from the IR. Formatting is left to
//! `render`, and file headers and paths to `crate::generate`.

pub mod cli;
pub mod conformance;
pub mod docs;
pub mod gates;
pub(crate) mod krate;
pub mod models;
pub mod operations;
mod parameters;
pub mod security;
pub(crate) mod syntax;
mod validate;

use crate::ir::{Api, Body, Primitive, SecuritySchemeKind, TypeId, TypeKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use krate::{lib, manifest};
pub use models::models;
pub use operations::operations;

/// Which optional dependencies the generated crate needs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Features {
    pub chrono: bool,
    pub uuid: bool,
    /// Some pattern is checked by an ECMA-262 engine rather than direct code.
    pub regress: bool,
    /// The spec declares a security scheme: the crate has `security.rs`.
    pub security: bool,
    /// The spec declares HTTP Digest authentication.
    pub digest: bool,
    /// The spec declares OAuth 2.0 client credentials; holds the token URL.
    pub oauth_token_url: Option<String>,
    /// Some operation is paginated.
    pub pagination: bool,
    /// Some parameter is written by the `style` module (an object, a union, a cookie), or
    /// some request body is form-urlencoded (whose fields it writes too).
    pub style: bool,
    /// Some request body is form-urlencoded (the `form` module).
    pub form: bool,
    /// Some request body is multipart (the `multipart` module, and streaming request
    /// bodies from reqwest and tokio).
    pub multipart: bool,
}

/// Scans the IR for what the crate depends on: every type reference the emitters turn into
/// code (named types, parameters, request and response bodies, paginated items) and every
/// pattern they compile, so that no emitted `chrono::`, `uuid::` or `regress::` path lacks
/// its dependency.
pub fn features(api: &Api) -> Features {
    let mut features = Features::default();
    let mut note = |p: Primitive| match p {
        Primitive::DateTime | Primitive::Date => features.chrono = true,
        Primitive::Uuid => features.uuid = true,
        _ => {}
    };
    for ty in type_refs(api) {
        visit_primitives(ty, &mut note);
    }
    // A constrained scalar's base is named directly by its newtype.
    for def in &api.types {
        if let TypeKind::Constrained(c) = &def.kind {
            note(c.base);
        }
    }
    for scheme in &api.security_schemes {
        match &scheme.kind {
            SecuritySchemeKind::Digest => features.digest = true,
            SecuritySchemeKind::ClientCredentials { token_url, .. } => {
                features
                    .oauth_token_url
                    .get_or_insert_with(|| token_url.clone());
            }
            SecuritySchemeKind::Supplied(_) => {}
        }
    }
    features.security = security::needed(api);
    features.pagination = api.operations.iter().any(|op| op.pagination.is_some());
    features.style = parameters::needs_style_module(api);
    let request_bodies = api
        .operations
        .iter()
        .flat_map(|op| op.request_body.iter().flat_map(|b| &b.content));
    for content in request_bodies {
        match content.body {
            // Form fields are written by the `style` module's writer.
            Body::Form(_) => {
                features.form = true;
                features.style = true;
            }
            Body::Multipart(_) => features.multipart = true,
            _ => {}
        }
    }
    let checks = models::CheckPlan::new(api);
    features.regress = models::emitted_patterns(api, &checks).any(validate::needs_engine);
    features
}

/// Every type reference that ends up in the code, named types' own included.
fn type_refs(api: &Api) -> impl Iterator<Item = &TypeRef> {
    let in_types = api.types.iter().flat_map(|def| -> Vec<&TypeRef> {
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(&s.additional_properties)
                .collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Constrained(_) | TypeKind::Enum(_) => Vec::new(),
        }
    });
    let in_operations = api.operations.iter().flat_map(operation_type_refs);
    in_types.chain(in_operations)
}

/// The type references of one operation: parameters, request and response bodies,
/// paginated items.
pub(crate) fn operation_type_refs(op: &crate::ir::Operation) -> Vec<&TypeRef> {
    let parameters = op.parameters.iter().map(|p| &p.ty);
    let requests = op.request_body.iter().flat_map(|b| &b.content);
    let bodies = requests
        .chain(op.responses.iter().flat_map(|r| &r.content))
        .filter_map(|c| c.body.type_ref());
    let items = op.pagination.iter().map(|p| &p.item_type);
    parameters.chain(bodies).chain(items).collect()
}

fn visit_primitives(ty: &TypeRef, f: &mut impl FnMut(Primitive)) {
    match ty {
        TypeRef::Primitive(p) => f(*p),
        TypeRef::Array(inner) | TypeRef::Map(inner) => visit_primitives(inner, f),
        TypeRef::Named(_) | TypeRef::Any => {}
    }
}

/// A type with its aliases followed to what they name.
pub(crate) fn resolved<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    // Alias cycles are refused when lowering; the bound only guards against a bug there.
    for _ in 0..api.types.len() + 1 {
        match ty {
            TypeRef::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Alias(target) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// How a struct field is held in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Always there: `T`.
    Always,
    /// Always there but may be null: `Option<T>`, sent as `null` when `None`.
    Null,
    /// May be absent: `Option<T>`, left out when `None`.
    Optional,
    /// May be absent or null, and the two differ (a PATCH that clears a value):
    /// `Option<Option<T>>`, `None` absent and `Some(None)` null.
    OptionalNull,
}

pub(crate) fn presence(f: &crate::ir::Field, owner: &crate::ir::TypeDef) -> Presence {
    match (f.always_present(owner), f.nullable) {
        (true, false) => Presence::Always,
        (true, true) => Presence::Null,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNull,
    }
}

/// The type a field of `owner` is held in. Integers that responses carry are `i64` even
/// where the spec says `int32`: a count past `i32::MAX` from a server must not make a
/// whole response undecodable, and `constraint_violations()` reports the breach of the
/// format instead. Types only requests carry keep `i32`.
pub(crate) fn held_type(ty: &TypeRef, owner: &crate::ir::TypeDef) -> TypeRef {
    if !owner.in_response {
        return ty.clone();
    }
    match ty {
        TypeRef::Primitive(Primitive::I32) => TypeRef::Primitive(Primitive::I64),
        TypeRef::Array(inner) => TypeRef::Array(Box::new(held_type(inner, owner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(held_type(inner, owner))),
        other => other.clone(),
    }
}

/// An identifier, raw where the name says so (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a reference. `models` is the path prefix for named types: empty
/// inside the models module, `models::` elsewhere.
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => named(api, *id, models),
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(inner) => {
            let inner = type_tokens(api, inner, models);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner, models);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Any => quote! { serde_json::Value },
    }
}

fn named(api: &Api, id: TypeId, models: &TokenStream) -> TokenStream {
    let name = ident(&api.type_def(id).rust_name);
    quote! { #models #name }
}

pub(crate) fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote! { String },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::DateTime => quote! { chrono::DateTime<chrono::Utc> },
        Primitive::Date => quote! { chrono::NaiveDate },
        Primitive::Uuid => quote! { uuid::Uuid },
        // Binary data inside JSON has no standard encoding; keep the text as sent.
        Primitive::Binary => quote! { String },
    }
}

/// A string literal, token for token what `quote!` makes of a `&str` (proc_macro2's
/// `Literal::string`), made faster for the usual text: printable ASCII with line breaks,
/// quotes and backslashes is escaped here, a run at a time, where `Literal::string`
/// escapes every character on its own (a tenth of codegen went to that). Any other text is
/// left to `Literal::string`.
pub(crate) fn string_literal(text: &str) -> proc_macro2::Literal {
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    if !text
        .bytes()
        .all(|b| plain(b) || matches!(b, b'"' | b'\\' | b'\n' | b'\t' | b'\r'))
    {
        return proc_macro2::Literal::string(text);
    }
    let mut repr = String::with_capacity(text.len() + 8);
    repr.push('"');
    let mut rest = text;
    while !rest.is_empty() {
        let run = rest.bytes().position(|b| !plain(b)).unwrap_or(rest.len());
        repr.push_str(&rest[..run]);
        let Some(&special) = rest.as_bytes().get(run) else {
            break;
        };
        repr.push_str(match special {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            _ => "\\r",
        });
        rest = &rest[run + 1..];
    }
    repr.push('"');
    repr.parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// An unsuffixed integer literal (`24`, not `24u64`), for readable output.
pub(crate) fn uint(n: u64) -> TokenStream {
    let literal = proc_macro2::Literal::u64_unsuffixed(n);
    quote! { #literal }
}

/// A signed integer literal; negative values as a negated literal.
pub(crate) fn int(n: i64) -> TokenStream {
    let literal = proc_macro2::Literal::u64_unsuffixed(n.unsigned_abs());
    if n < 0 {
        quote! { -#literal }
    } else {
        quote! { #literal }
    }
}

/// A float literal that always reads as a float (`1.0`, not `1`).
pub(crate) fn float(f: f64) -> TokenStream {
    let literal = proc_macro2::Literal::f64_unsuffixed(f.abs());
    if f < 0.0 {
        quote! { -#literal }
    } else {
        quote! { #literal }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literals_are_those_of_quote() {
        for text in [
            "",
            "plain text",
            "a \"quoted\" word, a \\ backslash, 'single' quotes",
            "lines\nand\ttabs\r\n",
            "\\[escaped\\] brackets and `code`",
            "non-ASCII: caf\u{e9} \u{301} \u{200b}",
            "a nul \0 and \u{7f}",
        ] {
            assert_eq!(
                super::string_literal(text).to_string(),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }
}
