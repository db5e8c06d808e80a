//! Parameters in request builders: how each is taken, kept until the request is prepared,
//! and written into the path, query, headers or cookies.
//!
//! Builders keep their parameters in a struct of their own (`self.params`), and the code
//! that prepares a request reads them only through it. Spec names therefore become
//! fields of that struct and nothing else: they can never shadow or collide with the
//! builder's own fields (`client`, `body`) or with the locals the generated code uses
//! (`query`, `headers`, `value`, ...), whatever a spec calls its parameters.

use super::{docs, ident, resolved, type_tokens};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// How a parameter is taken and stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A validated newtype: the argument is anything that converts into it, and the result
    /// of that conversion is kept until the request is prepared.
    Validated,
    /// Anything else: the argument is anything `Into` the type.
    Plain,
}

pub(super) fn kind(api: &Api, p: &Parameter) -> Kind {
    match &p.ty {
        TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Constrained(_)) => {
            Kind::Validated
        }
        _ => Kind::Plain,
    }
}

/// Required parameters are the method's arguments; the rest are builder calls.
pub(super) fn is_argument(p: &Parameter) -> bool {
    p.required
}

pub(super) fn argument_type(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let ty = type_tokens(api, &p.ty, models);
    match kind(api, p) {
        Kind::Validated => {
            quote! { impl crate::Argument<#ty> }
        }
        Kind::Plain if is_copy_primitive(&p.ty) => ty,
        Kind::Plain => quote! { impl Into<#ty> },
    }
}

/// The stored field type: validation results wait for `send`.
pub(super) fn field_type(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let ty = type_tokens(api, &p.ty, models);
    match (kind(api, p), p.required) {
        (Kind::Validated, true) => quote! { Result<#ty, crate::InvalidRequest> },
        (Kind::Validated, false) => quote! { Result<Option<#ty>, crate::InvalidRequest> },
        (Kind::Plain, true) => ty,
        (Kind::Plain, false) => quote! { Option<#ty> },
    }
}

/// The stored value for an argument `value`.
pub(super) fn convert(api: &Api, p: &Parameter, value: &TokenStream) -> TokenStream {
    let api_name = &p.api_name;
    match kind(api, p) {
        Kind::Validated if p.required => quote! { crate::request::argument(#api_name, #value) },
        Kind::Validated => quote! { crate::request::optional(#api_name, #value) },
        Kind::Plain if is_copy_primitive(&p.ty) && p.required => quote! { #value },
        Kind::Plain if is_copy_primitive(&p.ty) => quote! { Some(#value) },
        Kind::Plain if p.required => quote! { #value.into() },
        Kind::Plain => quote! { Some(#value.into()) },
    }
}

/// Booleans and numbers are taken as they are: `impl Into<bool>` would only make
/// the signature harder to read.
pub(super) fn is_copy_primitive(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Primitive(
            Primitive::Bool | Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64
        )
    )
}

/// The stored value of a parameter not given yet.
pub(super) fn empty_value(api: &Api, p: &Parameter) -> TokenStream {
    match kind(api, p) {
        Kind::Validated => quote! { Ok(None) },
        Kind::Plain => quote! { None },
    }
}

/// A builder method setting an optional parameter.
pub(super) fn setter(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = argument_type(api, p, models);
    let value = convert(api, p, &quote! { value });
    let mut text = p
        .description
        .clone()
        .unwrap_or_else(|| format!("{}.", docs::code(&p.api_name)));
    if let Some(default) = &p.default {
        let default = docs::literal(default);
        text.push_str(&format!("\n\nWhen not set, the server uses {default}."));
    }
    let docs = docs::attrs(&text);
    let deprecated = p
        .deprecated
        .then(|| quote! { #[deprecated = "deprecated in the API specification"] });
    quote! {
        #docs
        #deprecated
        pub fn #name(mut self, value: #ty) -> Self {
            self.params.#name = #value;
            self
        }
    }
}

/// An expression borrowing a parameter's stored value once it is known to be valid: `&T`
/// for a required parameter, `&Option<T>` for an optional one. A validated argument that
/// is not valid returns its `InvalidRequest` from `prepare`.
pub(super) fn stored(api: &Api, p: &Parameter) -> TokenStream {
    let name = ident(&p.rust_name);
    match kind(api, p) {
        Kind::Validated => quote! { crate::runtime::valid(&self.params.#name)? },
        Kind::Plain => quote! { &self.params.#name },
    }
}

/// [`stored`] as a receiver for a method call: the field itself where it is not validated.
fn stored_place(api: &Api, p: &Parameter) -> TokenStream {
    let name = ident(&p.rust_name);
    match kind(api, p) {
        Kind::Validated => stored(api, p),
        Kind::Plain => quote! { self.params.#name },
    }
}

/// How the generated code writes a parameter's value.
enum Writing<'a> {
    /// A scalar, by its `Display` text (RFC 3339 for date-times).
    Scalar(&'a TypeRef),
    /// An array of scalars, its items repeated or joined.
    Scalars(&'a TypeRef),
    /// Anything else, taken as JSON by the crate's `style` module.
    Json,
    /// The value's JSON text, as one string (a parameter described by `content`).
    JsonText,
}

/// Whether values of a type print as one scalar with `Display`.
fn is_scalar(api: &Api, ty: &TypeRef) -> bool {
    match resolved(api, ty) {
        TypeRef::Primitive(_) => true,
        TypeRef::Named(id) => matches!(
            api.type_def(*id).kind,
            TypeKind::Constrained(_) | TypeKind::Enum(_)
        ),
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => false,
    }
}

fn writing<'a>(api: &'a Api, p: &'a Parameter) -> Writing<'a> {
    if p.media_type.is_some() {
        return Writing::JsonText;
    }
    let ty = resolved(api, &p.ty);
    let joins = matches!(
        p.placement,
        Placement::Header { .. }
            | Placement::Query(
                QueryStyle::Form { .. } | QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited
            )
    );
    match (p.placement, ty) {
        // Cookie values are encoded so they cannot end their cookie: always the module.
        (Placement::Cookie { .. }, _) => Writing::Json,
        (_, ty) if is_scalar(api, ty) => Writing::Scalar(ty),
        (_, TypeRef::Array(item)) if joins && is_scalar(api, item) => {
            Writing::Scalars(resolved(api, item))
        }
        _ => Writing::Json,
    }
}

/// Whether some parameter of the API needs the `style` support module.
pub(crate) fn needs_style_module(api: &Api) -> bool {
    api.operations
        .iter()
        .flat_map(|op| &op.parameters)
        .any(|p| {
            p.location() == ParameterLocation::Cookie || matches!(writing(api, p), Writing::Json)
        })
}

/// The `style` module's name for a parameter's style, and whether it explodes.
fn style_tokens(placement: Placement) -> (TokenStream, bool) {
    let style = match placement {
        Placement::Path { style, .. } => match style {
            PathStyle::Simple => quote! { Simple },
            PathStyle::Label => quote! { Label },
            PathStyle::Matrix => quote! { Matrix },
        },
        Placement::Query(style) => match style {
            QueryStyle::Form { .. } => quote! { Form },
            QueryStyle::SpaceDelimited => quote! { SpaceDelimited },
            QueryStyle::PipeDelimited => quote! { PipeDelimited },
            QueryStyle::DeepObject => quote! { DeepObject },
        },
        Placement::Header { .. } => quote! { Simple },
        Placement::Cookie { .. } => quote! { Form },
    };
    (quote! { crate::style::Style::#style }, placement.explode())
}

/// Whether a query parameter keeps reserved characters (`allowReserved`).
fn allow_reserved(p: &Parameter) -> bool {
    matches!(
        p.placement,
        Placement::Query(QueryStyle::Form {
            allow_reserved: true,
            ..
        })
    )
}

/// The JSON of `value` (a reference), or the `Encode` error that ends `prepare`.
fn json(value: &TokenStream) -> TokenStream {
    quote! { &serde_json::to_value(#value).map_err(crate::Error::Encode)? }
}

/// The JSON text of `value` (a reference), or the `Encode` error that ends `prepare`.
fn json_text(value: &TokenStream) -> TokenStream {
    quote! { serde_json::to_string(#value).map_err(crate::Error::Encode)? }
}

/// Statements filling in `path` (a `crate::request::Path` on the template), one per
/// parameter in template order: each value percent-encoded with the literal prefix its
/// style asks for (`.` for `label`, `;name=` for `matrix`), or as its style's module
/// writes it.
pub(super) fn build_path(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for segment in &op.path_segments {
        let PathSegment::Parameter(index) = segment else {
            continue;
        };
        let p = &op.parameters[*index];
        let api_name = &p.api_name;
        let step = match writing(api, p) {
            Writing::Scalar(ty) => {
                let prefix = match p.placement {
                    Placement::Path {
                        style: PathStyle::Label,
                        ..
                    } => Some(".".to_owned()),
                    Placement::Path {
                        style: PathStyle::Matrix,
                        ..
                    } => Some(format!(";{}=", percent_encoded(api_name))),
                    _ => None,
                };
                let text = as_text(api, ty, &stored_place(api, p));
                match prefix {
                    Some(prefix) => quote! { path.text_after(#prefix, #text)?; },
                    None => quote! { path.text(#text)?; },
                }
            }
            Writing::JsonText => {
                let text = json_text(&stored(api, p));
                quote! { path.text(&#text)?; }
            }
            Writing::Scalars(_) | Writing::Json => {
                let json = json(&stored(api, p));
                let (style, explode) = style_tokens(p.placement);
                quote! { path.encoded(&crate::style::path(#api_name, #json, #style, #explode)?); }
            }
        };
        steps.push(step);
    }
    steps
}

/// A parameter name as it may stand in a path: unreserved characters as they are, the
/// rest percent-encoded.
fn percent_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An expression borrowing the wire text of a scalar `value` (a reference): `&str`
/// without allocating where the type holds its text.
fn as_text(api: &Api, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    let holds_text = match ty {
        TypeRef::Primitive(Primitive::String | Primitive::Binary) => true,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Constrained(c) => c.base == Primitive::String,
            TypeKind::Enum(e) => e.repr == EnumRepr::String,
            _ => false,
        },
        _ => false,
    };
    if holds_text {
        quote! { #value.as_str() }
    } else {
        let owned = to_text(ty, value);
        quote! { &#owned }
    }
}

/// An expression making the wire text of a scalar `value`, as a `String`.
fn to_text(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::DateTime) => {
            quote! { #value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true) }
        }
        _ => quote! { #value.to_string() },
    }
}

/// Writes a query parameter into `query` (a `crate::runtime::Query`), when it is set.
pub(super) fn push_query(api: &Api, p: &Parameter) -> TokenStream {
    let api_name = &p.api_name;
    let value = quote! { value };
    let reserved = allow_reserved(p);
    let body = match writing(api, p) {
        // `Display` writes every scalar's wire text but a date-time's.
        Writing::Scalar(ty) if !p.required && *ty != TypeRef::Primitive(Primitive::DateTime) => {
            let name = ident(&p.rust_name);
            return quote! { query.optional(#api_name, &self.params.#name, #reserved); };
        }
        Writing::Scalar(ty) => {
            let text = as_text(api, ty, &value);
            quote! { query.push(#api_name, #text, #reserved); }
        }
        Writing::Scalars(item) if p.placement.explode() => {
            let text = as_text(api, item, &quote! { item });
            quote! {
                for item in value {
                    query.push(#api_name, #text, #reserved);
                }
            }
        }
        Writing::Scalars(item) => {
            let text = to_text(item, &quote! { item });
            let delimiter = match p.placement {
                Placement::Query(QueryStyle::SpaceDelimited) => "%20",
                Placement::Query(QueryStyle::PipeDelimited) => "|",
                _ => ",",
            };
            quote! {
                query.push_joined(#api_name, value.iter().map(|item| #text), #delimiter, #reserved);
            }
        }
        Writing::Json => {
            let json = json(&value);
            let (style, explode) = style_tokens(p.placement);
            quote! { crate::style::query(&mut query, #api_name, #json, #style, #explode, #reserved); }
        }
        Writing::JsonText => {
            let text = json_text(&value);
            quote! { query.push(#api_name, &#text, #reserved); }
        }
    };
    when_set(api, p, body)
}

/// Writes a header parameter into `headers`, when it is set.
pub(super) fn push_header(api: &Api, p: &Parameter) -> TokenStream {
    let api_name = &p.api_name;
    let value = quote! { value };
    let body = match writing(api, p) {
        Writing::Scalar(ty) => {
            let text = to_text(ty, &value);
            quote! { headers.push((#api_name, #text)); }
        }
        Writing::Scalars(item) => {
            let text = to_text(item, &quote! { item });
            quote! {
                let joined: Vec<String> = value.iter().map(|item| #text).collect();
                headers.push((#api_name, joined.join(",")));
            }
        }
        Writing::Json => {
            let json = json(&value);
            let explode = p.placement.explode();
            quote! {
                if let Some(text) = crate::style::header(#json, #explode) {
                    headers.push((#api_name, text));
                }
            }
        }
        Writing::JsonText => {
            let text = json_text(&value);
            quote! { headers.push((#api_name, #text)); }
        }
    };
    when_set(api, p, body)
}

/// Writes a cookie parameter into `cookies` (the `name=value` pairs of one `Cookie`
/// header), when it is set.
pub(super) fn push_cookie(api: &Api, p: &Parameter) -> TokenStream {
    let api_name = &p.api_name;
    let json = match writing(api, p) {
        // Its JSON text, as one string the cookie encoding keeps intact.
        Writing::JsonText => {
            let text = json_text(&quote! { value });
            quote! { &serde_json::Value::String(#text) }
        }
        _ => json(&quote! { value }),
    };
    let explode = p.placement.explode();
    let body = quote! {
        if let Some(pair) = crate::style::cookie(#api_name, #json, #explode) {
            cookies.push(pair);
        }
    };
    when_set(api, p, body)
}

/// `body`, run with `value` borrowing the parameter's value, when it has one.
fn when_set(api: &Api, p: &Parameter, body: TokenStream) -> TokenStream {
    let stored = stored(api, p);
    if p.required {
        quote! {
            let value = #stored;
            #body
        }
    } else {
        quote! {
            if let Some(value) = #stored {
                #body
            }
        }
    }
}
