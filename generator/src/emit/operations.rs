//! The operations module: a `Client` method and a request builder per operation.
//!
//! Required path parameters are the method's arguments; every other parameter is a
//! builder call. Arguments are validated as they are given but errors are kept until
//! `send`, so a call chain reads straight through and nothing reaches the network when
//! any argument is invalid.

use super::{docs, ident, type_tokens};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::ops::Range;

/// The whole file at once; [`head`] and [`builders`] emit it in parts, which render to
/// the same text.
pub fn operations(api: &Api) -> TokenStream {
    let head = head(api);
    let builders = builders(api, 0..api.operations.len());
    quote! { #head #builders }
}

/// The module docs and imports, and the `Client` methods that start each builder.
pub fn head(api: &Api) -> TokenStream {
    let models = quote! { models:: };
    let methods = api
        .operations
        .iter()
        .map(|op| expand_method(api, op, &models));
    quote! {
        //! One request builder per operation; start them from the methods of [`Client`].
        #![allow(deprecated, reason = "deprecated types and operations still need their code")]

        #[allow(unused_imports, reason = "not every spec needs every import")]
        use crate::{models, Client, ConstraintViolation, Error, InvalidRequest, PreparedRequest, Response};
        #[allow(unused_imports, reason = "not every spec has path parameters")]
        use crate::runtime::encode_path;

        impl Client {
            #(#methods)*
        }
    }
}

/// The request builders of the operations in `range` (indexes into `api.operations`).
pub fn builders(api: &Api, range: Range<usize>) -> TokenStream {
    let models = quote! { models:: };
    let builders = api.operations[range]
        .iter()
        .map(|op| expand_builder(api, op, &models));
    quote! { #(#builders)* }
}

/// How a parameter is taken and stored.
enum Kind {
    /// A validated newtype: the argument is anything that converts into it.
    Validated,
    /// Anything else: the argument is anything `Into` the type.
    Plain,
}

fn kind(api: &Api, p: &Parameter) -> Kind {
    match &p.ty {
        TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Constrained(_)) => {
            Kind::Validated
        }
        _ => Kind::Plain,
    }
}

/// Required path parameters come up front; the rest are builder calls.
fn is_argument(p: &Parameter) -> bool {
    p.required
}

fn argument_type(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let ty = type_tokens(api, &p.ty, models);
    match kind(api, p) {
        Kind::Validated => quote! { impl TryInto<#ty, Error: Into<ConstraintViolation>> },
        Kind::Plain if is_copy_primitive(&p.ty) => ty,
        Kind::Plain => quote! { impl Into<#ty> },
    }
}

/// The stored field type: validation results wait for `send`.
fn field_type(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let ty = type_tokens(api, &p.ty, models);
    match (kind(api, p), p.required) {
        (Kind::Validated, true) => quote! { Result<#ty, InvalidRequest> },
        (Kind::Validated, false) => quote! { Result<Option<#ty>, InvalidRequest> },
        (Kind::Plain, true) => ty,
        (Kind::Plain, false) => quote! { Option<#ty> },
    }
}

fn convert(api: &Api, p: &Parameter, value: &TokenStream) -> TokenStream {
    let api_name = &p.api_name;
    match kind(api, p) {
        Kind::Validated => {
            let wrap = if p.required {
                quote! {}
            } else {
                quote! { .map(Some) }
            };
            quote! { #value.try_into()#wrap.map_err(|e| InvalidRequest::new(#api_name, e.into())) }
        }
        Kind::Plain if is_copy_primitive(&p.ty) && p.required => quote! { #value },
        Kind::Plain if is_copy_primitive(&p.ty) => quote! { Some(#value) },
        Kind::Plain if p.required => quote! { #value.into() },
        Kind::Plain => quote! { Some(#value.into()) },
    }
}

/// Booleans and numbers are taken as they are: `impl Into<bool>` would only make
/// the signature harder to read.
fn is_copy_primitive(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Primitive(
            Primitive::Bool | Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64
        )
    )
}

fn empty_value(api: &Api, p: &Parameter) -> TokenStream {
    match kind(api, p) {
        Kind::Validated => quote! { Ok(None) },
        Kind::Plain => quote! { None },
    }
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path,
        op.api_name
    ));
    if let Some(version) = &op.version {
        text.push_str(&format!(
            "\n\nVersion `{version}`: this operation exists in several versions, one method each."
        ));
    }
    if let Some(pagination) = &op.pagination {
        let page = &op.parameters[pagination.page_parameter].rust_name;
        text.push_str(&format!(
            "\n\nPaginated: set `{page}` and `{}` on the builder to choose a page.",
            op.parameters[pagination.size_parameter].rust_name
        ));
    }
    docs::attrs(&text)
}

fn expand_method(api: &Api, op: &Operation, models: &TokenStream) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.builder_name);
    let docs = method_docs(op);
    let deprecated = op
        .deprecated
        .then(|| quote! { #[deprecated = "deprecated in the API specification"] });
    let arguments = op.parameters.iter().filter(|p| is_argument(p)).map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(api, p, models);
        quote! { #name: #ty }
    });
    let fields = op.parameters.iter().map(|p| {
        let name = ident(&p.rust_name);
        if is_argument(p) {
            if matches!(kind(api, p), Kind::Plain) && is_copy_primitive(&p.ty) {
                return quote! { #name };
            }
            let value = convert(api, p, &quote! { #name });
            quote! { #name: #value }
        } else {
            let empty = empty_value(api, p);
            quote! { #name: #empty }
        }
    });
    let body_field = op.request_body.as_ref().map(|_| quote! { body: None, });
    let many = (op.parameters.iter().filter(|p| is_argument(p)).count() > 6).then(|| {
        quote! { #[allow(clippy::too_many_arguments, reason = "one argument per required parameter")] }
    });
    quote! {
        #docs
        #deprecated
        #many
        pub fn #name(&self, #(#arguments),*) -> #builder<'_> {
            #builder {
                client: self,
                #(#fields,)*
                #body_field
            }
        }
    }
}

fn setter(api: &Api, p: &Parameter, models: &TokenStream) -> TokenStream {
    let name = ident(&p.rust_name);
    let ty = argument_type(api, p, models);
    let value = convert(api, p, &quote! { value });
    let mut text = p
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`.", p.api_name));
    if let Some(default) = &p.default {
        let default = match default {
            Literal::String(s) => format!("`{s:?}`"),
            Literal::Int(i) => format!("`{i}`"),
            Literal::Float(f) => format!("`{f}`"),
            Literal::Bool(b) => format!("`{b}`"),
            Literal::Null => "`null`".to_owned(),
            Literal::Json(json) => format!("`{json}`"),
        };
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
            self.#name = #value;
            self
        }
    }
}

/// How a set of responses decodes.
enum Decoded {
    /// JSON of this Rust type (`serde_json::Value` when the responses disagree).
    Json(TokenStream),
    /// A body that is not JSON, as bytes.
    Bytes,
    /// No body.
    Empty,
}

impl Decoded {
    fn ty(&self) -> TokenStream {
        match self {
            Decoded::Json(ty) => ty.clone(),
            Decoded::Bytes => quote! { bytes::Bytes },
            Decoded::Empty => quote! { () },
        }
    }

    /// The `RawResponse` method that produces it.
    fn method(&self) -> TokenStream {
        match self {
            Decoded::Json(_) => quote! { json },
            Decoded::Bytes => quote! { bytes },
            Decoded::Empty => quote! { empty },
        }
    }
}

/// One shared JSON type, bytes for non-JSON, any JSON value when they disagree, or
/// `Empty` when no response has a body.
fn body_type<'a>(
    api: &Api,
    responses: impl Iterator<Item = &'a Response>,
    models: &TokenStream,
) -> Decoded {
    let mut bodies = responses
        .flat_map(|r| r.content.first().map(|c| &c.body))
        .peekable();
    let Some(first) = bodies.peek().cloned() else {
        return Decoded::Empty;
    };
    let same = bodies.all(|b| b == first);
    match (first, same) {
        (Body::Json(ty), true) => Decoded::Json(type_tokens(api, ty, models)),
        (Body::Bytes, true) => Decoded::Bytes,
        (_, false) => Decoded::Json(quote! { serde_json::Value }),
    }
}

/// The `E` of an operation's `Error<E>`, and whether it is a schema the spec documents:
/// error bodies decode into one type; bytes or no body fall back to JSON values.
pub(crate) fn error_type(api: &Api, op: &Operation, models: &TokenStream) -> (TokenStream, bool) {
    match body_type(api, op.error_responses(), models) {
        Decoded::Json(ty) => (ty, true),
        Decoded::Bytes | Decoded::Empty => (quote! { serde_json::Value }, false),
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        Status::Range(digit) => {
            let (lo, hi) = (
                proc_macro2::Literal::u16_unsuffixed(u16::from(digit) * 100),
                proc_macro2::Literal::u16_unsuffixed(u16::from(digit) * 100 + 99),
            );
            quote! { #lo..=#hi }
        }
        Status::Default => quote! { _ },
    }
}

fn expand_builder(api: &Api, op: &Operation, models: &TokenStream) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method_name = &op.rust_name;
    let builder_doc = format!(
        " A `{} {}` request; start it with [`Client::{method_name}`].",
        op.method.as_str(),
        op.path
    );
    let fields = op.parameters.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = field_type(api, p, models);
        quote! { #name: #ty, }
    });
    let setters = op
        .parameters
        .iter()
        .filter(|p| !is_argument(p))
        .map(|p| setter(api, p, models));
    let request_body = op.request_body.as_ref().and_then(|body| {
        let content = body.content.first()?;
        let media_type = &content.media_type;
        Some(match &content.body {
            Body::Json(ty) => (
                type_tokens(api, ty, models),
                quote! { serde_json::to_vec(&body).map_err(Error::Encode)? },
                media_type.clone(),
                body,
            ),
            Body::Bytes => (
                quote! { Vec<u8> },
                quote! { body },
                media_type.clone(),
                body,
            ),
        })
    });
    let body_field = request_body
        .as_ref()
        .map(|(ty, ..)| quote! { body: Option<#ty>, });
    let body_setter = request_body.as_ref().map(|(ty, _, media_type, body)| {
        let text = format!(
            "{}\n\nSent as `{media_type}`.",
            body.description.as_deref().unwrap_or("The request body.")
        );
        let docs = docs::attrs(&text);
        quote! {
            #docs
            pub fn body(mut self, value: #ty) -> Self {
                self.body = Some(value);
                self
            }
        }
    });
    let body_send = match &request_body {
        Some((_, encode, media_type, body)) => {
            let missing = body.required.then(|| {
                quote! {
                    None => return Err(Error::InvalidRequest(InvalidRequest::new(
                        "body",
                        ConstraintViolation::new("nothing", crate::Constraint::Required),
                    ))),
                }
            });
            let none = if body.required {
                quote! {}
            } else {
                quote! { None => None, }
            };
            quote! {
                let body = match self.body {
                    Some(body) => Some((#media_type, #encode)),
                    #missing
                    #none
                };
            }
        }
        None => quote! { let body = None; },
    };

    // Validation results surface first, in parameter order, before anything is built.
    let checks = op
        .parameters
        .iter()
        .filter(|p| matches!(kind(api, p), Kind::Validated))
        .map(|p| {
            let name = ident(&p.rust_name);
            quote! { let #name = self.#name?; }
        });
    let plain = op
        .parameters
        .iter()
        .filter(|p| matches!(kind(api, p), Kind::Plain))
        .map(|p| {
            let name = ident(&p.rust_name);
            quote! { let #name = self.#name; }
        });

    let (path_format, path_args) = path_format(api, op);
    let path_expr = if path_args.is_empty() {
        quote! { #path_format.to_owned() }
    } else {
        quote! { format!(#path_format, #(#path_args),*) }
    };
    let query = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .map(|p| push(p, quote! { query }));
    let headers = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Header)
        .map(|p| push(p, quote! { headers }));
    let query_count = op
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .count();
    let query_len = proc_macro2::Literal::usize_unsuffixed(query_count);
    let query_init = if query_count == 0 {
        quote! { let query: Vec<(&'static str, String)> = Vec::new(); }
    } else {
        quote! { let mut query: Vec<(&'static str, String)> = Vec::with_capacity(#query_len); }
    };
    let has_headers = op
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Header);
    let headers_init = if has_headers {
        quote! { let mut headers = Vec::new(); }
    } else {
        quote! { let headers = Vec::new(); }
    };

    let mut accept: Vec<&str> = Vec::new();
    for content in op.success_responses().flat_map(|r| &r.content) {
        if !accept.contains(&content.media_type.as_str()) {
            accept.push(&content.media_type);
        }
    }
    let accept = if accept.is_empty() {
        "application/json".to_owned()
    } else {
        accept.join(", ")
    };

    let success = body_type(api, op.success_responses(), models);
    let success_ty = success.ty();
    let success_method = success.method();
    let success_decode = quote! { raw.#success_method() };
    let (error_ty, error_schema) = error_type(api, op, models);
    let success_statuses: Vec<_> = op
        .success_responses()
        .map(|r| status_pattern(r.status))
        .collect();
    let success_arm = if success_statuses.is_empty() {
        quote! { 200..=299 => #success_decode, }
    } else {
        quote! { #(#success_statuses)|* => #success_decode, }
    };
    let documented_errors: Vec<_> = op
        .error_responses()
        .filter(|r| r.status != Status::Default && !r.content.is_empty())
        .map(|r| status_pattern(r.status))
        .collect();
    let error_arm = (!documented_errors.is_empty())
        .then(|| quote! { #(#documented_errors)|* => Err(raw.api_error()), });
    let default_documented = op
        .error_responses()
        .any(|r| r.status == Status::Default && !r.content.is_empty());
    // An undocumented error status (a 429, a 503 from a gateway) whose body is the
    // operation's error schema is still an API error.
    let fallback = if default_documented {
        quote! { _ => Err(raw.api_error()), }
    } else if error_schema {
        quote! { _ => Err(raw.undocumented()), }
    } else {
        quote! { _ => Err(raw.unexpected()), }
    };
    let items = op
        .pagination
        .as_ref()
        .map(|pagination| expand_items(api, op, pagination, &error_ty, models));
    let method = format_ident!("{}", op.method.as_str());
    let operation_id = &op.api_name;
    let path_template = &op.path;

    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
            #body_field
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #items

            /// Validates the arguments, sends the request and decodes the response.
            ///
            /// An invalid argument is an [`Error::InvalidRequest`] and sends nothing.
            pub async fn send(self) -> Result<Response<#success_ty>, Error<#error_ty>> {
                let client = self.client;
                let request = self.prepare()?;
                let raw = client.execute(request).await?;
                match raw.status.as_u16() {
                    #success_arm
                    #error_arm
                    #fallback
                }
            }

            /// Validates the arguments and builds the request without sending it, to see
            /// what would go over the wire (its path is percent-encoded).
            pub fn prepare(self) -> Result<PreparedRequest, Error<#error_ty>> {
                #(#checks)*
                #(#plain)*
                #query_init
                #(#query)*
                #headers_init
                #(#headers)*
                #body_send
                Ok(PreparedRequest {
                    operation_id: #operation_id,
                    path_template: #path_template,
                    method: reqwest::Method::#method,
                    path: #path_expr,
                    query,
                    headers,
                    accept: #accept,
                    body,
                })
            }
        }
    }
}

/// `items()`: a stream of every item across pages, for a paginated operation.
fn expand_items(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    error_ty: &TokenStream,
    models: &TokenStream,
) -> TokenStream {
    let item_ty = type_tokens(api, &pagination.item_type, models);
    let page = &op.parameters[pagination.page_parameter];
    let size = &op.parameters[pagination.size_parameter];
    let page_name = ident(&page.rust_name);
    let default = |p: &Parameter| match p.default {
        Some(Literal::Int(n)) => Some(n),
        _ => None,
    };
    let first_default = super::int(default(page).unwrap_or(1));
    let size_default = match default(size) {
        Some(n) => {
            let n = super::int(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    };
    let current = |p: &Parameter| {
        let name = ident(&p.rust_name);
        let narrow = base_of(api, &p.ty) == Primitive::I32;
        match (kind(api, p), narrow) {
            (Kind::Validated, true) => {
                quote! { match &self.#name { Ok(Some(value)) => Some(i64::from(value.get())), _ => None } }
            }
            (Kind::Validated, false) => {
                quote! { match &self.#name { Ok(Some(value)) => Some(value.get()), _ => None } }
            }
            (Kind::Plain, true) => quote! { self.#name.map(i64::from) },
            (Kind::Plain, false) => quote! { self.#name },
        }
    };
    let current_page = current(page);
    let current_size = current(size);
    let page_struct = match &api
        .type_def(match pagination_body(op) {
            Some(id) => id,
            None => return quote! {},
        })
        .kind
    {
        TypeKind::Struct(s) => s.clone(),
        _ => return quote! {},
    };
    let field = |api_name: &str| page_struct.fields.iter().find(|f| f.api_name == api_name);
    let Some(items_field) = field(&pagination.items_field) else {
        return quote! {};
    };
    let items_name = ident(&items_field.rust_name);
    let page_def = pagination_body(op).map(|id| api.type_def(id));
    let Some(page_def) = page_def else {
        return quote! {};
    };
    let items = match super::presence(items_field, page_def) {
        super::Presence::Always => quote! { body.#items_name },
        super::Presence::Null | super::Presence::Optional => {
            quote! { body.#items_name.unwrap_or_default() }
        }
        super::Presence::OptionalNull => quote! { body.#items_name.flatten().unwrap_or_default() },
    };
    let total = match pagination.total_field.as_deref().and_then(field) {
        Some(f) => {
            let name = ident(&f.rust_name);
            let narrow = base_of(api, &super::held_type(&f.ty, page_def)) == Primitive::I32;
            let value = match super::presence(f, page_def) {
                super::Presence::Always => quote! { Some(body.#name) },
                super::Presence::Null | super::Presence::Optional => quote! { body.#name },
                super::Presence::OptionalNull => quote! { body.#name.flatten() },
            };
            if narrow {
                quote! { #value.map(i64::from) }
            } else {
                value
            }
        }
        None => quote! { None },
    };
    let doc = format!(
        " Every item across all pages, fetched one page at a time as the stream is polled,\n starting at `{}` (or page {}). The stream ends after the last page, recognised\n with or without a total count; an error ends it after being yielded. It is `Unpin`:\n `try_next()` and `try_collect()` work on it as it is.",
        page.rust_name.trim_start_matches("r#"),
        default(page).unwrap_or(1)
    );
    quote! {
        #[doc = #doc]
        pub fn items(self) -> crate::Items<'a, #item_ty, #error_ty> {
            let first_page = #current_page.unwrap_or(#first_default);
            let page_size = #current_size.or(#size_default);
            crate::pagination::items(first_page, page_size, move |page| {
                let request = self.clone().#page_name(page);
                async move {
                    let body = request.send().await?.into_inner();
                    Ok(crate::pagination::Page { items: #items, total: #total })
                }
            })
        }
    }
}

/// The type id of an operation's JSON success body.
fn pagination_body(op: &Operation) -> Option<TypeId> {
    op.success_responses()
        .flat_map(|r| &r.content)
        .find_map(|c| match &c.body {
            Body::Json(TypeRef::Named(id)) => Some(*id),
            _ => None,
        })
}

/// The integer type behind a page parameter or total field.
fn base_of(api: &Api, ty: &TypeRef) -> Primitive {
    match ty {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Constrained(c) => c.base,
            _ => Primitive::I64,
        },
        TypeRef::Primitive(p) => *p,
        _ => Primitive::I64,
    }
}

/// The `format!` string and arguments for the path, each parameter percent-encoded.
fn path_format(api: &Api, op: &Operation) -> (String, Vec<TokenStream>) {
    let mut format = String::new();
    let mut args = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => {
                format.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Parameter(index) => {
                let p = &op.parameters[*index];
                let name = ident(&p.rust_name);
                let text = as_text(api, &p.ty, &quote! { #name });
                let api_name = &p.api_name;
                format.push_str("{}");
                args.push(quote! { encode_path(#api_name, #text)? });
            }
        }
    }
    (format, args)
}

/// An expression borrowing the wire text of a value: `&str` without allocating where the
/// type holds its text.
fn as_text(api: &Api, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    let holds_text = match ty {
        TypeRef::Primitive(Primitive::String) => true,
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

/// An expression making the wire text of a value, as a `String`.
fn to_text(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::DateTime) => {
            quote! { #value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true) }
        }
        _ => quote! { #value.to_string() },
    }
}

/// Pushes a query or header parameter onto `list`: only when set, arrays exploded into
/// repeated keys or joined with commas as the parameter's `explode` says.
fn push(p: &Parameter, list: TokenStream) -> TokenStream {
    let name = ident(&p.rust_name);
    let api_name = &p.api_name;
    let value = quote! { value };
    let single = |ty: &TypeRef| {
        let text = to_text(ty, &value);
        quote! { #list.push((#api_name, #text)); }
    };
    let body = match &p.ty {
        TypeRef::Array(item) if p.explode => {
            let text = to_text(item, &quote! { item });
            quote! {
                for item in value {
                    #list.push((#api_name, #text));
                }
            }
        }
        TypeRef::Array(item) => {
            let text = to_text(item, &quote! { item });
            quote! {
                let joined: Vec<String> = value.iter().map(|item| #text).collect();
                #list.push((#api_name, joined.join(",")));
            }
        }
        ty => single(ty),
    };
    if p.required {
        quote! {
            {
                let value = &#name;
                #body
            }
        }
    } else {
        quote! {
            if let Some(value) = &#name {
                #body
            }
        }
    }
}
