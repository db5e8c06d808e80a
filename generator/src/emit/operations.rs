//! The operations module: a `Client` method and a request builder per operation.
//!
//! Required parameters are the method's arguments; every other parameter is a builder
//! call. Arguments are validated as they are given but errors are kept until `send`, so a
//! call chain reads straight through and nothing reaches the network when any argument is
//! invalid.
//!
//! Names from the spec never meet the names of the generated code: parameters live in a
//! struct of their own (see `parameters`), builders name the crate's items by path
//! (`crate::Error`) rather than importing them, so an operation called `error` or a
//! parameter called `query` is as good as any other.

use super::parameters::{self, Kind, is_argument, kind};
use super::syntax::{self, NamedField, Stmts, parsed};
use super::{docs, ident, type_tokens};
use crate::ir::*;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The whole file at once; [`head`] and [`builders`] emit it in parts, which render to
/// the same text. Not yet split by feature: `generator::module_files` renders it as the
/// crate has it.
pub fn operations(api: &Api) -> TokenStream {
    match (head(api), builders(api, 0..api.operations.len())) {
        (Ok(head), Ok(builders)) => quote! { #head #(#builders)* },
        (Err(e), _) | (_, Err(e)) => e.to_compile_error(),
    }
}

/// The module docs and imports, and the `Client` methods that start each builder.
pub fn head(api: &Api) -> syn::Result<syn::File> {
    let models = quote! { models:: };
    let locals = locals(api);
    let mut client: syn::ItemImpl = syn::parse2(quote! { impl crate::Client {} })?;
    for (op, locals) in api.operations.iter().zip(&locals) {
        let method = expand_method(api, op, locals.params.as_ref(), &models)?;
        client.items.push(syn::ImplItem::Fn(method));
    }
    let shared = expand_shared_setters(api, &shared_setters(api), &models);
    let mut file: syn::File = syn::parse2(quote! {
        //! One request builder per operation; start them from the methods of
        //! [`Client`](crate::Client).
        #![allow(deprecated, reason = "deprecated types and operations still need their code")]
        #![allow(
            clippy::should_implement_trait,
            clippy::type_complexity,
            clippy::wrong_self_convention,
            reason = "method names and parameter types are the spec's"
        )]

        #[allow(unused_imports, reason = "not every spec has models")]
        use crate::models;

        #shared
    })?;
    file.items.push(syn::Item::Impl(client));
    Ok(file)
}

/// The optional parameters whose setter is written once, in an arm of `shared_setters!`,
/// by the setter's name: a parameter defined once in the spec (one `origin`, such as a
/// component every list operation refers to) that at least two operations take under the
/// same name and type. Of two such parameters with one name, the one more operations take
/// has the arm (the first in operation order on a tie); the other's setters stay in their
/// builders.
pub(super) fn shared_setters(api: &Api) -> BTreeMap<&str, &Parameter> {
    struct Group<'a> {
        first: &'a Parameter,
        uses: usize,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut by_origin: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let setters = api
        .operations
        .iter()
        .flat_map(|op| &op.parameters)
        .filter(|p| !is_argument(p));
    for p in setters {
        let alike = by_origin.entry((&p.origin, &p.rust_name)).or_default();
        match alike.iter().find(|&&group| groups[group].first.ty == p.ty) {
            Some(&group) => groups[group].uses += 1,
            None => {
                alike.push(groups.len());
                groups.push(Group { first: p, uses: 1 });
            }
        }
    }
    let mut shared: BTreeMap<&str, &Group> = BTreeMap::new();
    for group in groups.iter().filter(|group| group.uses >= 2) {
        let name = group.first.rust_name.as_str();
        if shared.get(name).is_none_or(|kept| kept.uses < group.uses) {
            shared.insert(name, group);
        }
    }
    shared
        .into_iter()
        .map(|(name, group)| (name, group.first))
        .collect()
}

/// Whether `p`'s setter is the arm of `shared_setters!` of its name.
fn is_shared(shared: &BTreeMap<&str, &Parameter>, p: &Parameter) -> bool {
    shared
        .get(p.rust_name.as_str())
        .is_some_and(|s| s.origin == p.origin && s.ty == p.ty)
}

/// `shared_setters!`: an arm per shared setter (see [`shared_setters`]), and one taking a
/// list of names, which is how builders call it.
fn expand_shared_setters(
    api: &Api,
    shared: &BTreeMap<&str, &Parameter>,
    models: &TokenStream,
) -> Option<TokenStream> {
    if shared.is_empty() {
        return None;
    }
    let arms = shared.iter().map(|(name, p)| {
        let name = ident(name);
        let setter = parameters::setter(api, p, models);
        quote! { (#name) => { #setter }; }
    });
    Some(quote! {
        /// The setters of parameters that several operations take, each written once: a
        /// builder's `impl` names those it has (`shared_setters!(a, b);`).
        macro_rules! shared_setters {
            #(#arms)*
            ($($name:ident),+) => {
                $(shared_setters!($name);)+
            };
        }
    })
}

/// The request builders of the operations in `range` (indexes into `api.operations`).
pub fn builders(api: &Api, range: Range<usize>) -> syn::Result<Vec<syn::Item>> {
    let models = quote! { models:: };
    let locals = locals(api);
    let shared = shared_setters(api);
    let mut items = Vec::new();
    for (op, locals) in api.operations[range.clone()].iter().zip(&locals[range]) {
        items.extend(expand_builder(api, op, locals, &shared, &models)?);
    }
    Ok(items)
}

/// The names an operation's types take in the operations module.
pub(super) struct Locals {
    /// The parameters struct, for an operation with parameters.
    pub(super) params: Option<Ident>,
    /// The enum of request bodies, for an operation offering several media types.
    pub(super) body: Option<Ident>,
    /// The multipart struct of each request media type (`None` for the others).
    pub(super) multipart: Vec<Option<Ident>>,
}

/// The names of each operation's own types: the builder's name and `Params`, `Body` or
/// `Multipart`, numbered where that is another type's name, so that every type of the
/// module has its own name.
pub(super) fn locals(api: &Api) -> Vec<Locals> {
    let mut taken: BTreeSet<String> = api
        .operations
        .iter()
        .map(|op| op.builder_name.clone())
        .collect();
    let mut fresh = |base: String| {
        let mut name = base.clone();
        let mut number = 1;
        while taken.contains(&name) {
            number += 1;
            name = format!("{base}{number}");
        }
        taken.insert(name.clone());
        format_ident!("{}", name)
    };
    api.operations
        .iter()
        .map(|op| {
            let params =
                (!op.parameters.is_empty()).then(|| fresh(format!("{}Params", op.builder_name)));
            let content = op.request_body.iter().flat_map(|b| &b.content);
            let body =
                (content.clone().count() > 1).then(|| fresh(format!("{}Body", op.builder_name)));
            let multipart = content
                .map(|c| {
                    matches!(c.body, Body::Multipart(_))
                        .then(|| fresh(format!("{}Multipart", op.builder_name)))
                })
                .collect();
            Locals {
                params,
                body,
                multipart,
            }
        })
        .collect()
}

/// The text of a `Client` method's docs.
fn method_docs(op: &Operation) -> String {
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
        "{} (operation {}).",
        docs::code(&format!("{} {}", op.method.as_str(), op.path)),
        docs::code(&op.api_name)
    ));
    if !op.tags.is_empty() {
        let tags: Vec<String> = op.tags.iter().map(|t| docs::code(t)).collect();
        text.push_str(&format!("\n\nTags: {}.", tags.join(", ")));
    }
    if let Some(version) = &op.version {
        text.push_str(&format!(
            "\n\nVersion {}: this operation exists in several versions, one method each.",
            docs::code(version)
        ));
    }
    // The documented responses, each with the spec's description of it.
    let responses: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            let status = match r.status {
                Status::Code(code) => code.to_string(),
                Status::Range(digit) => format!("{digit}XX"),
                Status::Default => "default".to_owned(),
            };
            let description = r
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if description.is_empty() {
                format!("- `{status}`")
            } else {
                format!("- `{status}`: {description}")
            }
        })
        .collect();
    if !responses.is_empty() {
        text.push_str("\n\nResponses:\n\n");
        text.push_str(&responses.join("\n"));
    }
    if let Some(pagination) = &op.pagination {
        let page = &op.parameters[pagination.page_parameter].rust_name;
        text.push_str(&format!(
            "\n\nPaginated: set `{page}` and `{}` on the builder to choose a page.",
            op.parameters[pagination.size_parameter].rust_name
        ));
    }
    text
}

/// A `Client` method starting an operation's builder: the method around its arguments
/// and its parameters struct parsed once per operation, each argument and field (most of
/// which many operations share) once per text.
fn expand_method(
    api: &Api,
    op: &Operation,
    params: Option<&Ident>,
    models: &TokenStream,
) -> syn::Result<syn::ImplItemFn> {
    let name = ident(&op.rust_name);
    let builder = ident(&op.builder_name);
    let docs = syntax::docs(&method_docs(op));
    let deprecated = op
        .deprecated
        .then(|| quote! { #[deprecated = "deprecated in the API specification"] });
    let arguments = op.parameters.iter().filter(|p| is_argument(p)).map(|p| {
        let name = ident(&p.rust_name);
        let ty = parameters::argument_type(api, p, models);
        parsed::<syn::FnArg>(quote! { #name: #ty })
    });
    let fields = params.map(|_| {
        op.parameters.iter().map(|p| {
            let name = ident(&p.rust_name);
            if is_argument(p) {
                if kind(api, p) == Kind::Plain && parameters::is_copy_primitive(&p.ty) {
                    return quote! { #name };
                }
                let value = parameters::convert(api, p, &quote! { #name });
                quote! { #name: #value }
            } else {
                let empty = parameters::empty_value(api, p);
                quote! { #name: #empty }
            }
        })
    });
    let params = params.map(|params| quote! { params: #params {}, });
    let body_field = op.request_body.as_ref().map(|_| quote! { body: None, });
    let many = (op.parameters.iter().filter(|p| is_argument(p)).count() > 6).then(|| {
        quote! { #[allow(clippy::too_many_arguments, reason = "one argument per required parameter")] }
    });
    let mut method: syn::ImplItemFn = syn::parse2(quote! {
        #deprecated
        #many
        pub fn #name(&self) -> #builder<'_> {
            #builder {
                client: self,
                #params
                #body_field
            }
        }
    })?;
    // The docs, built rather than parsed: they are most of the method's attributes.
    method.attrs.splice(0..0, docs);
    for argument in arguments {
        method.sig.inputs.push(argument?);
    }
    if let Some(fields) = fields {
        let params = match method.block.stmts.first_mut() {
            Some(syn::Stmt::Expr(expr, None)) => syntax::struct_literal(expr)
                .and_then(|builder| builder.fields.iter_mut().nth(1))
                .and_then(|params| syntax::struct_literal(&mut params.expr)),
            _ => None,
        };
        let params = params.expect("the method's block is the builder's struct literal");
        for field in fields {
            params.fields.push(parsed::<syn::FieldValue>(field)?);
        }
    }
    Ok(method)
}

/// How a set of responses decodes.
pub(super) enum Decoded {
    /// JSON of this Rust type (`serde_json::Value` when the responses disagree).
    Json(TokenStream),
    /// A body that is not JSON, as bytes.
    Bytes,
    /// A `text/*` body, as a `String`.
    Text,
    /// No body.
    Empty,
}

impl Decoded {
    fn ty(&self) -> TokenStream {
        match self {
            Decoded::Json(ty) => ty.clone(),
            Decoded::Bytes => quote! { bytes::Bytes },
            Decoded::Text => quote! { String },
            Decoded::Empty => quote! { () },
        }
    }

    /// The `RawResponse` method that produces it.
    fn method(&self) -> TokenStream {
        match self {
            Decoded::Json(_) => quote! { json },
            Decoded::Bytes => quote! { bytes },
            Decoded::Text => quote! { text },
            Decoded::Empty => quote! { empty },
        }
    }
}

/// One shared JSON type, text or bytes; any JSON value when JSON types disagree, bytes
/// when kinds disagree; or `Empty` when no response has a body.
pub(super) fn body_type<'a>(
    api: &Api,
    responses: impl Iterator<Item = &'a Response>,
    models: &TokenStream,
) -> Decoded {
    let bodies: Vec<&Body> = responses
        .flat_map(|r| r.content.first().map(|c| &c.body))
        .collect();
    let bodies = bodies.iter().copied();
    let Some(first) = bodies.clone().next() else {
        return Decoded::Empty;
    };
    let same = bodies.clone().all(|b| b == first);
    let all_json = bodies.clone().all(|b| matches!(b, Body::Json(_)));
    match (first, same) {
        (Body::Json(ty), true) => Decoded::Json(type_tokens(api, ty, models)),
        (Body::Text, true) => Decoded::Text,
        (_, false) if all_json => Decoded::Json(quote! { serde_json::Value }),
        _ => Decoded::Bytes,
    }
}

/// The `E` of an operation's `Error<E>`, and whether it is a schema the spec documents:
/// error bodies decode into one type; bytes or no body fall back to JSON values.
pub(crate) fn error_type(api: &Api, op: &Operation, models: &TokenStream) -> (TokenStream, bool) {
    match body_type(api, op.error_responses(), models) {
        Decoded::Json(ty) => (ty, true),
        Decoded::Bytes | Decoded::Text | Decoded::Empty => (quote! { serde_json::Value }, false),
    }
}

/// The match pattern for a set of statuses: each run of three or more consecutive codes
/// as one range (`200..=202`, not `200 | 201 | 202`, which clippy asks to write as one),
/// overlapping ones merged (`404` inside `4XX`), in ascending order. `None` for no status.
fn status_patterns(statuses: impl Iterator<Item = Status>) -> Option<TokenStream> {
    let mut ranges: Vec<(u16, u16)> = statuses
        .filter_map(|status| match status {
            Status::Code(code) => Some((code, code)),
            Status::Range(digit) => {
                let low = u16::from(digit) * 100;
                Some((low, low + 99))
            }
            Status::Default => None,
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::new();
    for (low, high) in ranges {
        match merged.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => merged.push((low, high)),
        }
    }
    let patterns = merged.iter().map(|&(low, high)| {
        let low_literal = proc_macro2::Literal::u16_unsuffixed(low);
        let high_literal = proc_macro2::Literal::u16_unsuffixed(high);
        match high - low {
            0 => quote! { #low_literal },
            1 => quote! { #low_literal | #high_literal },
            _ => quote! { #low_literal..=#high_literal },
        }
    });
    (!merged.is_empty()).then(|| quote! { #(#patterns)|* })
}

/// An operation's builder, its parameters struct, its body types and its `impl`: the items
/// parsed one by one, and the pieces many operations share (fields, `send`, the statements
/// of `prepare`) once per text (see [`parsed`]).
fn expand_builder(
    api: &Api,
    op: &Operation,
    locals: &Locals,
    shared: &BTreeMap<&str, &Parameter>,
    models: &TokenStream,
) -> syn::Result<Vec<syn::Item>> {
    let params = locals.params.as_ref();
    let builder = ident(&op.builder_name);
    // Intra-doc links name a method without `r#`, keyword or not.
    let method = op.rust_name.trim_start_matches("r#");
    let builder_doc = format!(
        " A {} request; start it with [`Client::{method}`](crate::Client::{method}).",
        docs::code(&format!("{} {}", op.method.as_str(), op.path)),
    );
    let params_field = params.map(|_| quote! { params: Params, });
    let params_struct = params
        .map(|params| {
            let doc = format!(" The parameters of a [`{}`] request.", op.builder_name);
            let mut item: syn::ItemStruct = parsed(quote! {
                #[derive(Debug, Clone)]
                struct Params {}
            })?;
            item.attrs.insert(0, syntax::doc(&doc));
            item.ident = params.clone();
            let syn::Fields::Named(fields) = &mut item.fields else {
                unreachable!("a struct in braces has named fields")
            };
            for p in &op.parameters {
                let name = ident(&p.rust_name);
                let ty = parameters::field_type(api, p, models);
                fields
                    .named
                    .push(parsed::<NamedField>(quote! { #name: #ty })?.0);
            }
            Ok::<_, syn::Error>(syn::Item::Struct(item))
        })
        .transpose()?;
    let (shared_names, own): (Vec<&Parameter>, Vec<&Parameter>) = op
        .parameters
        .iter()
        .filter(|p| !is_argument(p))
        .partition(|p| is_shared(shared, p));
    let setters = own.into_iter().map(|p| parameters::setter(api, p, models));
    let shared_setters = (!shared_names.is_empty()).then(|| {
        let names = shared_names.iter().map(|p| ident(&p.rust_name));
        parsed::<syn::ImplItem>(quote! { shared_setters!(#(#names),*); })
    });
    let request_body = expand_request_body(api, op, locals, models);
    let body_field = request_body.as_ref().map(|body| {
        let ty = &body.ty;
        quote! { body: Option<#ty>, }
    });
    let body_setter = request_body.as_ref().map(|body| &body.setter);
    let success = body_type(api, op.success_responses(), models);
    let (error_ty, error_schema) = error_type(api, op, models);
    let items = op
        .pagination
        .as_ref()
        .map(|pagination| expand_items(api, op, pagination, &error_ty, models));
    let send = expand_send(op, &success, &error_ty, error_schema);
    let encode = request_body.as_ref().map(|body| &body.encode);
    let prepare = expand_prepare(api, op, encode, &error_ty)?;
    // The builder's struct, parsed once per body type, its names put in.
    let mut builder_struct: syn::ItemStruct = parsed(quote! {
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct Builder<'a> {
            client: &'a crate::Client,
            #params_field
            #body_field
        }
    })?;
    builder_struct.attrs.insert(0, syntax::doc(&builder_doc));
    builder_struct.ident = builder.clone();
    if let (Some(params), syn::Fields::Named(fields)) = (params, &mut builder_struct.fields)
        && let Some(field) = fields.named.iter_mut().nth(1)
    {
        field.ty = syn::Type::Path(syn::TypePath {
            qself: None,
            path: params.clone().into(),
        });
    }
    let mut out = vec![syn::Item::Struct(builder_struct)];
    out.extend(params_struct);
    if let Some(body) = &request_body {
        out.extend(syn::parse2::<syn::File>(body.types.clone())?.items);
    }
    let mut methods: syn::ItemImpl = syn::parse2(quote! { impl<'a> #builder<'a> {} })?;
    for setter in setters {
        methods.items.push(syn::parse2(setter)?);
    }
    methods.items.extend(shared_setters.transpose()?);
    if let Some(setter) = body_setter {
        methods.items.push(syn::parse2(setter.clone())?);
    }
    if let Some(items) = items {
        methods
            .items
            .extend(syn::parse2::<syntax::ImplItems>(items)?.0);
    }
    // `send` parsed once per set of statuses and error type, its success type put in.
    let mut send = parsed::<syntax::ImplItems>(send)?.0;
    if let Some(syn::ImplItem::Fn(method)) = send.first_mut() {
        let success = parsed::<syn::Type>(success.ty())?;
        syntax::set_returned_type_argument(&mut method.sig, success);
    }
    methods.items.extend(send);
    methods.items.push(syn::ImplItem::Fn(prepare));
    out.push(syn::Item::Impl(methods));
    Ok(out)
}

/// `send()`: prepare, execute, and decode the response by its status, through
/// `runtime::send`. `send`, `prepare` and `items` are `#[inline]`: an operation's code,
/// and the decoding of its response types, is compiled in the crate that calls it, only
/// for the operations it calls, rather than every operation in this one.
///
/// The success type is written `Success`, for the caller to put in (see
/// [`syntax::set_returned_type_argument`]): the tokens are alike in many operations, and
/// parsed once.
fn expand_send(
    op: &Operation,
    success: &Decoded,
    error_ty: &TokenStream,
    error_schema: bool,
) -> TokenStream {
    let success_method = success.method();
    let success_statuses =
        status_patterns(op.success_responses().map(|r| r.status)).unwrap_or(quote! { 200..=299 });
    let documented_errors = status_patterns(
        op.error_responses()
            .filter(|r| !r.content.is_empty())
            .map(|r| r.status),
    )
    .map(|statuses| quote! { #statuses => Err(raw.api_error()), });
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
    let streaming = matches!(success, Decoded::Bytes | Decoded::Text).then(|| {
        quote! {
            /// As [`send`](Self::send), but a success body is not read into memory: it
            /// comes as a [`ByteStream`](crate::ByteStream) of chunks as they arrive, for
            /// large downloads. Error responses are read and decoded as `send` does. The
            /// client's timeout (`ClientBuilder::timeout`) covers the whole download.
            #[inline]
            pub async fn send_streaming(self) -> crate::SendResult<crate::ByteStream, #error_ty> {
                    let raw = crate::runtime::execute_streaming(self.client, self.prepare()?).await?;
                match raw.status.as_u16() {
                    #success_statuses => raw.stream(),
                    #documented_errors
                    #fallback
                }
            }
        }
    });
    quote! {
        /// Validates the arguments, sends the request and decodes the response.
        ///
        /// An invalid argument is an
        /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) and sends nothing.
        #[inline]
        pub fn send(self) -> impl crate::Pending<Success, #error_ty> {
            let decode = |raw: crate::runtime::RawResponse| match raw.status.as_u16() {
                #success_statuses => raw.#success_method(),
                #documented_errors
                #fallback
            };
            crate::runtime::send(self.client, self.prepare(), decode)
        }

        #streaming
    }
}

/// The check of an array parameter's item count and uniqueness, where its schema has
/// `minItems`, `maxItems` or `uniqueItems`.
fn item_checks(p: &Parameter) -> Option<TokenStream> {
    let c = &p.constraints;
    if !matches!(p.ty, TypeRef::Array(_))
        || (c.min_items.is_none() && c.max_items.is_none() && !c.unique_items)
    {
        return None;
    }
    let name = ident(&p.rust_name);
    let api_name = &p.api_name;
    let bound = |n: Option<u64>| match n {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    };
    let (min, max, unique) = (bound(c.min_items), bound(c.max_items), c.unique_items);
    let check = |items: TokenStream| {
        quote! { crate::runtime::check_items(#api_name, #items, #min, #max, #unique)?; }
    };
    Some(if p.required {
        check(quote! { &self.params.#name })
    } else {
        let check = check(quote! { items });
        quote! {
            if let Some(items) = &self.params.#name {
                #check
            }
        }
    })
}

/// `prepare()`: every argument checked in parameter order, then the path, query, headers,
/// cookies and body, as the spec says to send them. Built from its statements, each parsed
/// once per text: most are alike in many operations.
fn expand_prepare(
    api: &Api,
    op: &Operation,
    encode: Option<&TokenStream>,
    error_ty: &TokenStream,
) -> syn::Result<syn::ImplItemFn> {
    // Invalid arguments surface first, in parameter order, before anything is built.
    let checks = op
        .parameters
        .iter()
        .filter(|p| kind(api, p) == Kind::Validated)
        .map(|p| {
            let name = ident(&p.rust_name);
            quote! { crate::runtime::valid(&self.params.#name)?; }
        })
        .chain(op.parameters.iter().filter_map(item_checks));
    let path = parameters::build_path(api, op);
    let path_template = &op.path;
    let path_init = if path.is_empty() {
        quote! { let path = crate::request::Path::new(#path_template); }
    } else {
        quote! { let mut path = crate::request::Path::new(#path_template); }
    };
    let in_location = |location| {
        op.parameters
            .iter()
            .filter(move |p| p.location() == location)
    };
    let query_count = in_location(ParameterLocation::Query).count();
    let query = in_location(ParameterLocation::Query).map(|p| parameters::push_query(api, p));
    let query_init = if query_count == 0 {
        quote! { let query = crate::runtime::Query::default(); }
    } else {
        let capacity = proc_macro2::Literal::usize_unsuffixed(query_count);
        quote! { let mut query = crate::runtime::Query::with_capacity(#capacity); }
    };
    let pushes = in_location(ParameterLocation::Header).map(|p| parameters::push_header(api, p));
    let has_cookies = in_location(ParameterLocation::Cookie).next().is_some();
    let cookies = has_cookies.then(|| {
        let pushes =
            in_location(ParameterLocation::Cookie).map(|p| parameters::push_cookie(api, p));
        quote! {
            let mut cookies: Vec<String> = Vec::new();
            #(#pushes)*
            if !cookies.is_empty() {
                headers.push(("cookie", cookies.join("; ")));
            }
        }
    });
    let mutable_headers = in_location(ParameterLocation::Header).next().is_some() || has_cookies;
    let headers_init = mutable_headers.then(|| quote! { let mut headers = Vec::new(); });
    let headers = if mutable_headers {
        quote! { headers }
    } else {
        quote! { headers: Vec::new() }
    };
    let body = match encode {
        Some(_) => quote! { body },
        None => quote! { body: None },
    };
    // Only the media types the client decodes as it will: a JSON success takes JSON.
    let success = body_type(api, op.success_responses(), &quote! { models:: });
    let mut accept: Vec<&str> = Vec::new();
    for content in op.success_responses().flat_map(|r| &r.content) {
        let taken = match success {
            Decoded::Json(_) => matches!(content.body, Body::Json(_)),
            Decoded::Text => matches!(content.body, Body::Text),
            Decoded::Bytes | Decoded::Empty => true,
        };
        if taken && !accept.contains(&content.media_type.as_str()) {
            accept.push(&content.media_type);
        }
    }
    let accept = if accept.is_empty() {
        "application/json".to_owned()
    } else {
        accept.join(", ")
    };
    let security = super::security::requirement(api, op);
    let mut prepare: syn::ImplItemFn = parsed(quote! {
        /// Validates the arguments and builds the request without sending it, to see
        /// what would go over the wire (its path is percent-encoded).
        #[inline]
        pub fn prepare(self) -> Result<crate::PreparedRequest, crate::Error<#error_ty>> {}
    })?;
    let stmts = &mut prepare.block.stmts;
    let pieces = checks
        .chain([path_init])
        .chain(path)
        .chain([query_init])
        .chain(query)
        .chain(headers_init)
        .chain(pushes)
        .chain(cookies)
        .chain(encode.cloned());
    for piece in pieces {
        stmts.extend(parsed::<Stmts>(piece)?.0);
    }
    // The request, its operation's own values put into a literal most operations share.
    let mut request: syn::Expr = parsed(quote! {
        Ok(crate::PreparedRequest {
            operation_id: "",
            path_template: path.template(),
            method: reqwest::Method::GET,
            path: path.finish(),
            query,
            #headers,
            accept: "",
            #body,
            security: #security,
        })
    })?;
    let literal = syntax::struct_literal(&mut request).expect("`Ok` of a struct literal");
    syntax::set_field(literal, "operation_id", syntax::str_expr(&op.api_name));
    syntax::set_field(
        literal,
        "method",
        syntax::path_expr(&["reqwest", "Method", op.method.as_str()]),
    );
    syntax::set_field(literal, "accept", syntax::str_expr(&accept));
    stmts.push(syn::Stmt::Expr(request, None));
    Ok(prepare)
}

/// What an operation's request body adds to its builder.
struct RequestBodyCode {
    /// The type the builder keeps: the one media type's value, or the enum of them.
    ty: TokenStream,
    /// `body(..)`.
    setter: TokenStream,
    /// The enum of media types and the multipart structs, if any.
    types: TokenStream,
    /// Statements setting `body` to the encoded `Option<Payload>`.
    encode: TokenStream,
}

/// The request body: one media type is `body(value)` with that media type's value; several
/// are `body(OperationBody::Form(value))`, an enum with a variant per media type.
fn expand_request_body(
    api: &Api,
    op: &Operation,
    locals: &Locals,
    models: &TokenStream,
) -> Option<RequestBodyCode> {
    let body = op.request_body.as_ref()?;
    if body.content.is_empty() {
        return None;
    }
    let mut types = Vec::new();
    let values: Vec<TokenStream> = body
        .content
        .iter()
        .zip(&locals.multipart)
        .map(|(content, multipart)| match (&content.body, multipart) {
            (Body::Json(ty), _) => type_tokens(api, ty, models),
            (Body::Form(form), _) => type_tokens(api, &form.ty, models),
            (Body::Multipart(multipart), Some(name)) => {
                types.push(expand_multipart_struct(api, op, multipart, name, models));
                quote! { #name }
            }
            (Body::Text, _) => quote! { String },
            (Body::Bytes, _) | (Body::Multipart(_), None) => quote! { Vec<u8> },
        })
        .collect();
    let missing = quote! { return Err(crate::request::missing_body()) };
    let none = if body.required {
        missing
    } else {
        quote! { None }
    };
    let description = body.description.as_deref().unwrap_or("The request body.");
    match (&locals.body, body.content.as_slice()) {
        (None, [content]) => {
            let ty = values[0].clone();
            let encode = encode_content(api, content, locals.multipart[0].as_ref());
            let infallible = matches!(content.body, Body::Text | Body::Bytes);
            let text = format!(
                "{description}\n\nSent as {}.",
                docs::code(&content.media_type)
            );
            let docs = docs::attrs(&text);
            Some(RequestBodyCode {
                setter: quote! {
                    #docs
                    pub fn body(mut self, value: #ty) -> Self {
                        self.body = Some(value);
                        self
                    }
                },
                ty,
                types: quote! { #(#types)* },
                encode: if let Body::Json(_) = content.body {
                    let media_type = &content.media_type;
                    if body.required {
                        quote! {
                            let body = crate::request::required(self.body)?;
                            let media_type = #media_type;
                            let body = crate::request::json(media_type, Some(&body))?;
                        }
                    } else {
                        quote! {
                            let media_type = #media_type;
                            let body = crate::request::json(media_type, self.body.as_ref())?;
                        }
                    }
                } else if infallible && !body.required {
                    quote! { let body = self.body.map(|value| #encode); }
                } else {
                    quote! {
                        let body = match self.body {
                            Some(value) => Some(#encode),
                            None => #none,
                        };
                    }
                },
            })
        }
        (Some(name), contents) => {
            let variants = variant_names(contents);
            let arms = contents.iter().zip(&variants).zip(&locals.multipart).map(
                |((content, variant), multipart)| {
                    let encode = encode_content(api, content, multipart.as_ref());
                    quote! { Some(#name::#variant(value)) => Some(#encode), }
                },
            );
            let declared =
                contents
                    .iter()
                    .zip(&variants)
                    .zip(&values)
                    .map(|((content, variant), value)| {
                        let doc = format!(" Sent as {}.", docs::code(&content.media_type));
                        quote! {
                            #[doc = #doc]
                            #variant(#value),
                        }
                    });
            let offered: Vec<String> = contents.iter().map(|c| docs::code(&c.media_type)).collect();
            let enum_doc = format!(
                " The request body of [`{}`] requests, in one of the media types they accept.",
                op.builder_name
            );
            let text = format!(
                "{description}\n\nOne of {}: the variant given says which.",
                offered.join(", ")
            );
            let docs = docs::attrs(&text);
            let link = format!(" See [`{name}`].");
            Some(RequestBodyCode {
                ty: quote! { #name },
                setter: quote! {
                    #docs
                    #[doc = ""]
                    #[doc = #link]
                    pub fn body(mut self, value: #name) -> Self {
                        self.body = Some(value);
                        self
                    }
                },
                types: quote! {
                    #[doc = #enum_doc]
                    #[derive(Debug, Clone)]
                    #[allow(clippy::large_enum_variant, reason = "a builder holds one body, moved once")]
                    pub enum #name {
                        #(#declared)*
                    }
                    #(#types)*
                },
                encode: quote! {
                    let body = match self.body {
                        #(#arms)*
                        None => #none,
                    };
                },
            })
        }
        _ => None,
    }
}

/// The variant of each media type: the kind of body (`Json`, `Form`, `Multipart`, `Text`,
/// `Bytes`) where only one media type is of that kind, the media type's name otherwise
/// (`ApplicationXml`), numbered where that repeats.
pub(super) fn variant_names(contents: &[Content]) -> Vec<Ident> {
    let kind = |c: &Content| match c.body {
        Body::Json(_) => "Json",
        Body::Form(_) => "Form",
        Body::Multipart(_) => "Multipart",
        Body::Text => "Text",
        Body::Bytes => "Bytes",
    };
    let mut taken = BTreeSet::new();
    contents
        .iter()
        .map(|content| {
            let alike = contents.iter().filter(|c| kind(c) == kind(content)).count();
            let base = if alike == 1 {
                kind(content).to_owned()
            } else {
                crate::names::camel(&content.media_type)
            };
            let mut name = base.clone();
            let mut number = 1;
            while !taken.insert(name.clone()) {
                number += 1;
                name = format!("{base}{number}");
            }
            format_ident!("{}", name)
        })
        .collect()
}

/// An expression encoding `value` (the setter's value of this media type) as a payload.
fn encode_content(api: &Api, content: &Content, multipart: Option<&Ident>) -> TokenStream {
    let media_type = &content.media_type;
    let buffered =
        |bytes: TokenStream| quote! { crate::runtime::Payload::Buffered(#media_type, #bytes) };
    match (&content.body, multipart) {
        (Body::Json(_), _) => buffered(quote! {
            serde_json::to_vec(&value).map_err(crate::Error::Encode)?
        }),
        (Body::Form(form), _) => {
            let mut fields: Vec<(&str, FieldEncoding)> = Vec::new();
            let ordered = match form.ty.direct().map(|id| &api.type_def(id).kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().filter(|f| !f.flatten).collect(),
                _ => Vec::new(),
            };
            for field in ordered {
                let encoding = form
                    .fields
                    .iter()
                    .find(|f| f.api_name == field.api_name)
                    .map_or(FieldEncoding::Default, |f| f.encoding);
                fields.push((&field.api_name, encoding));
            }
            for field in &form.fields {
                if !fields.iter().any(|(name, _)| *name == field.api_name) {
                    fields.push((&field.api_name, field.encoding));
                }
            }
            let fields = fields.iter().map(|(name, encoding)| {
                let style = match encoding {
                    FieldEncoding::Default => quote! { Default },
                    FieldEncoding::Form { explode } => quote! { Form { explode: #explode } },
                    FieldEncoding::SpaceDelimited => quote! { SpaceDelimited },
                    FieldEncoding::PipeDelimited => quote! { PipeDelimited },
                    FieldEncoding::DeepObject => quote! { DeepObject },
                    FieldEncoding::Json => quote! { Json },
                };
                quote! { (#name, crate::form::Style::#style) }
            });
            buffered(quote! { crate::form::encode(&value, &[#(#fields),*])? })
        }
        (Body::Multipart(multipart), Some(_)) => {
            let parts = multipart_fields(api, multipart)
                .into_iter()
                .map(|(field, part)| {
                    let name = ident(&field.rust_name);
                    let api_name = &part.api_name;
                    let content_type = &part.content_type;
                    let optional = !field_required(field);
                    let many = matches!(field.ty, TypeRef::Array(_));
                    match (part.file, optional, many) {
                        (false, _, _) => {
                            quote! { form.value(#api_name, &value.#name, #content_type)?; }
                        }
                        (true, false, false) => {
                            quote! { form.file(#api_name, &value.#name, #content_type); }
                        }
                        (true, true, false) => quote! {
                            if let Some(file) = &value.#name {
                                form.file(#api_name, file, #content_type);
                            }
                        },
                        (true, false, true) => quote! {
                            for file in &value.#name {
                                form.file(#api_name, file, #content_type);
                            }
                        },
                        (true, true, true) => quote! {
                            for file in value.#name.iter().flatten() {
                                form.file(#api_name, file, #content_type);
                            }
                        },
                    }
                });
            quote! {{
                let mut form = crate::multipart::Multipart::new();
                #(#parts)*
                form.into_payload()
            }}
        }
        (Body::Text, _) => buffered(quote! { value.into_bytes() }),
        (Body::Bytes, _) | (Body::Multipart(_), None) => buffered(quote! { value }),
    }
}

/// Whether a multipart struct's field is always given (not an `Option`).
pub(super) fn field_required(field: &Field) -> bool {
    field.required && !field.nullable
}

/// Each part of a multipart body with the field of the body's struct it comes from.
pub(super) fn multipart_fields<'a>(
    api: &'a Api,
    multipart: &'a MultipartBody,
) -> Vec<(&'a Field, &'a Part)> {
    let Some(TypeKind::Struct(s)) = multipart.ty.direct().map(|id| &api.type_def(id).kind) else {
        return Vec::new();
    };
    multipart
        .parts
        .iter()
        .filter_map(|part| Some((s.fields.iter().find(|f| f.api_name == part.api_name)?, part)))
        .collect()
}

/// The operation's own struct for a multipart body: the fields of the body's schema, files
/// for its binary ones.
fn expand_multipart_struct(
    api: &Api,
    op: &Operation,
    multipart: &MultipartBody,
    name: &Ident,
    models: &TokenStream,
) -> TokenStream {
    let fields = multipart_fields(api, multipart)
        .into_iter()
        .map(|(field, part)| {
            let field_name = ident(&field.rust_name);
            let ty = match (part.file, &field.ty) {
                (true, TypeRef::Array(_)) => quote! { Vec<crate::File> },
                (true, _) => quote! { crate::File },
                (false, ty) => type_tokens(api, ty, models),
            };
            let ty = if field_required(field) {
                ty
            } else {
                quote! { Option<#ty> }
            };
            let mut text = field.description.clone().unwrap_or_default();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let what = if part.file { "a file part" } else { "a part" };
            text.push_str(&format!(
                "Sent as {what} named {} ({}).",
                docs::code(&part.api_name),
                docs::code(&part.content_type)
            ));
            let docs = docs::attrs(&text);
            quote! {
                #docs
                pub #field_name: #ty,
            }
        });
    let doc = format!(
        " The `multipart/form-data` body of [`{}`] requests: one part per field that is set,",
        op.builder_name
    );
    quote! {
        #[doc = #doc]
        #[doc = " in this order (an array, one part per item)."]
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
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
                quote! { crate::request::given(&self.params.#name).map(|value| i64::from(value.get())) }
            }
            (Kind::Validated, false) => {
                quote! { crate::request::given(&self.params.#name).map(|value| value.get()) }
            }
            (Kind::Plain, true) => quote! { self.params.#name.map(i64::from) },
            (Kind::Plain, false) => quote! { self.params.#name },
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
    // One attribute per line, as `///` lines are.
    let doc = doc.split('\n');
    quote! {
        #(#[doc = #doc])*
        #[inline]
        pub fn items(self) -> crate::Items<'a, #item_ty, #error_ty> {
            let first_page = #current_page.unwrap_or(#first_default);
            let page_size = #current_size.or(#size_default);
            let fetch = move |page: i64| {
                let request = Clone::clone(&self).#page_name(page);
                async move {
                    let body = request.send().await?.into_inner();
                    let items = #items;
                    Ok(crate::pagination::Page { items, total: #total })
                }
            };
            crate::pagination::items(first_page, page_size, fetch)
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
