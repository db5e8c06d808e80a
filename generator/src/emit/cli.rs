//! The command line's part of the crate (`src/cli.rs`, behind the `cli` feature): every
//! operation as data (its tag, name, flags with their types, constraints and defaults)
//! and one small function per operation that turns parsed flags into the library's
//! request builder. The machinery that reads these tables is spec-independent support
//! code (`support/cli.rs`, copied as `src/cli_support.rs`).

use super::operations::{Decoded, body_type};
use super::{ident, resolved, type_tokens};
use crate::Config;
use crate::config::Cli;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The binary's name: the configured one, else the package's.
pub fn binary(config: &Config) -> String {
    config
        .spec_config
        .cli
        .binary
        .clone()
        .unwrap_or_else(|| super::krate::package_name(&config.crate_name))
}

/// A tag as the command line spells it: lower camel case (`Legacy Backup` is
/// `legacyBackup`).
pub fn tag_name(tag: &str) -> String {
    let upper = crate::names::camel(tag);
    let mut chars = upper.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_else(|| "default".to_owned())
}

/// The tag an operation is listed under: its first, or `default`.
fn tag_of(op: &Operation) -> String {
    op.tags
        .first()
        .map_or_else(|| "default".to_owned(), |t| tag_name(t))
}

/// The API version a media type names: `2023-01-01` of
/// `application/vnd.atlas.2023-01-01+json`, else the media type.
fn version_label(media_type: &str) -> String {
    let base = media_type.split(['+', ';']).next().unwrap_or(media_type);
    let last = base.rsplit(['.', '/']).next().unwrap_or(base);
    if last.starts_with(|c: char| c.is_ascii_digit()) || base.contains("vnd.") {
        last.to_owned()
    } else {
        media_type.to_owned()
    }
}

/// The `src/cli.rs` module.
pub fn module(api: &Api, config: &Config) -> TokenStream {
    let cli = &config.spec_config.cli;
    let binary = binary(config);
    let title = format!("{} {}", api.title, api.version);
    let prefix = crate::names::shouty(&super::krate::package_name(&config.crate_name));
    let env = |names: &[String], role: &str| {
        let names: Vec<String> = if names.is_empty() {
            vec![format!("{prefix}_{role}")]
        } else {
            names.to_vec()
        };
        quote! { &[#(#names),*] }
    };
    let env_username = env(&cli.env.username, "USERNAME");
    let env_password = env(&cli.env.password, "PASSWORD");
    let env_client_id = env(&cli.env.client_id, "CLIENT_ID");
    let env_client_secret = env(&cli.env.client_secret, "CLIENT_SECRET");
    let env_token = env(&cli.env.token, "TOKEN");
    let env_base_url = env(&cli.env.base_url, "BASE_URL");
    let profile = profile(cli);
    // Each operation's tag, spelled once.
    let op_tags: Vec<String> = api.operations.iter().map(tag_of).collect();
    let mut tags: Vec<&String> = op_tags.iter().collect();
    tags.sort();
    tags.dedup();
    let gates = super::gates::plan(api);
    // A tag is listed with any of its commands' features.
    let tag_cfg = |tag: &String| {
        let gates = gates.as_ref()?;
        let mut features: Vec<String> = Vec::new();
        for (index, op_tag) in op_tags.iter().enumerate() {
            if op_tag == tag {
                features.extend(gates.operations[index].clone()?);
            }
        }
        features.sort();
        features.dedup();
        Some(super::gates::cfg(&features))
    };
    // A tag's description is the spec's, for the first spec tag spelled as the command's.
    let spec_tags: Vec<(String, &str)> = api
        .tags
        .iter()
        .map(|t| (tag_name(&t.name), t.description.as_str()))
        .collect();
    let tag_items = tags.iter().map(|&t| {
        let cfg = tag_cfg(t);
        let description = spec_tags
            .iter()
            .find(|(name, _)| name == t)
            .map_or("", |(_, description)| description);
        quote! { #cfg cli::Tag { name: #t, description: #description } }
    });
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    order.sort_by_key(|&i| (&op_tags[i], &api.operations[i].api_name));
    let commands = order.iter().map(|&i| {
        let cfg = gates.as_ref().and_then(|g| g.operation(i));
        let command = command(api, &api.operations[i], &op_tags[i], i);
        quote! { #cfg #command }
    });
    let (auth, authenticate) = authentication(api);
    quote! {
        //! The command line's tables: one entry per operation, read by `cli_support`.

        #![allow(deprecated, reason = "deprecated operations are commands too")]

        use crate::cli_support as cli;
        #[allow(unused_imports, reason = "not every spec has models")]
        use crate::models;

        /// Runs the command line with the process's arguments.
        pub fn main() -> std::process::ExitCode {
            cli::main(&APP)
        }

        static APP: cli::App = cli::App {
            binary: #binary,
            title: #title,
            env: cli::Credentials {
                username: #env_username,
                password: #env_password,
                client_id: #env_client_id,
                client_secret: #env_client_secret,
                token: #env_token,
                base_url: #env_base_url,
            },
            profile: #profile,
            tags: &[#(#tag_items),*],
            commands: &[#(#commands),*],
            auth: &[#(#auth),*],
            authenticate,
        };

        #authenticate
    }
}

/// The functions of the operations in `range`, from flags to requests: the rest of
/// `src/cli.rs`, emitted in parts as `operations.rs` is.
pub fn runs(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let locals = super::operations::locals(api);
    let runs = range.map(|i| run(api, &api.operations[i], i, locals[i].body.as_ref()));
    quote! { #(#runs)* }
}

fn profile(cli: &Cli) -> TokenStream {
    let Some(profile) = &cli.profile else {
        return quote! { None };
    };
    let key = |k: &Option<String>| match k {
        Some(k) => quote! { Some(#k) },
        None => quote! { None },
    };
    let keys = &profile.keys;
    let (username, password, client_id, client_secret, token, base_url) = (
        key(&keys.username),
        key(&keys.password),
        key(&keys.client_id),
        key(&keys.client_secret),
        key(&keys.token),
        key(&keys.base_url),
    );
    let file = &profile.file;
    let defaults = profile
        .defaults
        .iter()
        .map(|(flag, key)| quote! { (#flag, #key) });
    quote! {
        Some(cli::ProfileFile {
            file: #file,
            keys: cli::Credentials {
                username: #username,
                password: #password,
                client_id: #client_id,
                client_secret: #client_secret,
                token: #token,
                base_url: #base_url,
            },
            defaults: &[#(#defaults),*],
        })
    }
}

/// How `--dry-run` shows each scheme, and the function applying credentials.
fn authentication(api: &Api) -> (Vec<TokenStream>, TokenStream) {
    let mut shown = Vec::new();
    let mut steps = Vec::new();
    let mut digest = false;
    let mut oauth = false;
    for scheme in &api.security_schemes {
        match &scheme.kind {
            SecuritySchemeKind::Digest if !digest => {
                digest = true;
                shown.push(quote! { cli::CurlAuth::Digest });
                steps.push(quote! {
                    if let (Some(username), Some(password)) = (&c.username, &c.password) {
                        builder = builder.digest_auth(username.clone(), password.clone());
                    }
                });
            }
            SecuritySchemeKind::ClientCredentials { .. } if !oauth => {
                oauth = true;
                shown.push(quote! { cli::CurlAuth::Bearer });
                steps.push(quote! {
                    if let (Some(id), Some(secret)) = (&c.client_id, &c.client_secret) {
                        builder = builder.service_account(crate::ServiceAccount::new(id.clone(), secret.clone()));
                    }
                });
            }
            SecuritySchemeKind::Supplied(supplied) => {
                let method = ident(&supplied.method);
                match &supplied.credential {
                    Credential::Basic => {
                        shown.push(quote! { cli::CurlAuth::Basic });
                        steps.push(quote! {
                            if let (Some(username), Some(password)) = (&c.username, &c.password) {
                                builder = builder.#method(username.clone(), password.clone());
                            }
                        });
                    }
                    Credential::ApiKey { name, location } => {
                        shown.push(match location {
                            ApiKeyLocation::Query => quote! { cli::CurlAuth::Query(#name) },
                            _ => quote! { cli::CurlAuth::Header(#name) },
                        });
                        steps.push(quote! {
                            if let Some(token) = &c.token {
                                builder = builder.#method(token.clone());
                            }
                        });
                    }
                    Credential::Token { .. } => {
                        shown.push(quote! { cli::CurlAuth::Bearer });
                        steps.push(quote! {
                            if let Some(token) = &c.token {
                                builder = builder.#method(crate::Secret::from(token.clone()));
                            }
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let binding = if steps.is_empty() {
        quote! { builder: crate::ClientBuilder, _c: &cli::Credentials<Option<String>> }
    } else {
        quote! { mut builder: crate::ClientBuilder, c: &cli::Credentials<Option<String>> }
    };
    let function = quote! {
        /// Applies the credentials found to the client.
        fn authenticate(#binding) -> crate::ClientBuilder {
            #(#steps)*
            builder
        }
    };
    (shown, function)
}

/// How a flag's value is read, and whether it takes several.
fn kind(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    match resolved(api, ty) {
        TypeRef::Array(inner) => match scalar_kind(api, inner) {
            Some(kind) => (kind, true),
            None => (quote! { cli::Kind::Json }, false),
        },
        other => (
            scalar_kind(api, other).unwrap_or(quote! { cli::Kind::Json }),
            false,
        ),
    }
}

fn scalar_kind(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let of = |p: Primitive| match p {
        Primitive::Bool => quote! { cli::Kind::Bool },
        Primitive::I32 | Primitive::I64 => quote! { cli::Kind::Integer },
        Primitive::F32 | Primitive::F64 => quote! { cli::Kind::Number },
        _ => quote! { cli::Kind::String },
    };
    match resolved(api, ty) {
        TypeRef::Primitive(p) => Some(of(*p)),
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Constrained(c) => Some(of(c.base)),
            TypeKind::Enum(e) => Some(match e.repr {
                EnumRepr::String => quote! { cli::Kind::String },
                EnumRepr::Integer => quote! { cli::Kind::Integer },
            }),
            _ => None,
        },
        _ => None,
    }
}

fn number(n: &Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Null => "null".to_owned(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => f.to_string(),
        Literal::String(s) => s.clone(),
        Literal::Json(j) => j.clone(),
    }
}

/// A parameter's constraints as a person reads them.
fn constraint_text(api: &Api, p: &Parameter) -> String {
    // A validated type's constraints are what its construction checks.
    let c = match resolved(api, &p.ty) {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Constrained(c) => &c.constraints,
            _ => &p.constraints,
        },
        _ => &p.constraints,
    };
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) if a == b => parts.push(format!("Length {a}.")),
        (Some(a), Some(b)) => parts.push(format!("Length {a} to {b}.")),
        (Some(a), None) => parts.push(format!("Length at least {a}.")),
        (None, Some(b)) => parts.push(format!("Length at most {b}.")),
        (None, None) => {}
    }
    if let Some(pattern) = &c.pattern {
        parts.push(format!("Pattern: {pattern}."));
    }
    let low = c.minimum.as_ref().map(|m| {
        let op = if c.exclusive_minimum { ">" } else { ">=" };
        format!("{op} {}", number(m))
    });
    let high = c.maximum.as_ref().map(|m| {
        let op = if c.exclusive_maximum { "<" } else { "<=" };
        format!("{op} {}", number(m))
    });
    match (low, high) {
        (Some(low), Some(high)) => parts.push(format!("Range: {low}, {high}.")),
        (Some(bound), None) | (None, Some(bound)) => parts.push(format!("Range: {bound}.")),
        (None, None) => {}
    }
    if let Some(m) = &c.multiple_of {
        parts.push(format!("Multiple of {}.", number(m)));
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} values.")),
        (Some(a), None) => parts.push(format!("At least {a} values.")),
        (None, Some(b)) => parts.push(format!("At most {b} values.")),
        (None, None) => {}
    }
    let mut ty = resolved(api, &p.ty);
    if let TypeRef::Array(inner) = ty {
        ty = resolved(api, inner);
    }
    if let TypeRef::Named(id) = ty
        && let TypeKind::Enum(e) = &api.type_def(*id).kind
    {
        let values: Vec<String> = e.variants.iter().map(|v| literal(&v.value)).collect();
        parts.push(format!("One of: {}.", values.join(", ")));
    }
    parts.join(" ")
}

/// One operation's table entry.
fn command(api: &Api, op: &Operation, tag: &str, index: usize) -> TokenStream {
    let id = &op.api_name;
    let method = op.method.as_str();
    let path = &op.path;
    let summary = op.summary.clone().unwrap_or_default();
    let description = op.description.clone().unwrap_or_default();
    let deprecated = op.deprecated;
    // The version a spec of one version sends is its success responses' media type.
    let media = op.version.as_deref().or_else(|| {
        op.success_responses()
            .flat_map(|r| &r.content)
            .map(|c| c.media_type.as_str())
            .find(|m| m.contains("vnd."))
    });
    let version = media.map(version_label).unwrap_or_default();
    let flags = op.parameters.iter().map(|p| {
        let name = &p.api_name;
        let (kind, list) = kind(api, &p.ty);
        let required = p.required;
        let deprecated = p.deprecated;
        let description = p
            .description
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let constraint = constraint_text(api, p);
        let default = match &p.default {
            Some(l) => {
                let text = literal(l);
                quote! { Some(#text) }
            }
            None => quote! { None },
        };
        quote! {
            cli::Flag {
                name: #name,
                kind: #kind,
                list: #list,
                required: #required,
                deprecated: #deprecated,
                description: #description,
                constraint: #constraint,
                default: #default,
            }
        }
    });
    let body = match body_content(op) {
        Some(content) => {
            let media = &content.media_type;
            quote! { Some(#media) }
        }
        None => quote! { None },
    };
    let paginated = op.pagination.is_some();
    let run = quote::format_ident!("run_{}", index);
    quote! {
        cli::Command {
            tag: #tag,
            id: #id,
            method: #method,
            path: #path,
            summary: #summary,
            description: #description,
            deprecated: #deprecated,
            version: #version,
            flags: &[#(#flags),*],
            body: #body,
            paginated: #paginated,
            run: #run,
        }
    }
}

/// The request media type `--file` gives: the first that is not multipart (whose files
/// the command line does not take).
fn body_content(op: &Operation) -> Option<&Content> {
    op.request_body
        .as_ref()?
        .content
        .iter()
        .find(|c| !matches!(c.body, Body::Multipart(_)))
}

/// One operation's function from flags to a request.
fn run(
    api: &Api,
    op: &Operation,
    index: usize,
    body_enum: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let models = quote! { models:: };
    let name = quote::format_ident!("run_{}", index);
    let method = ident(&op.rust_name);
    let arguments = op.parameters.iter().filter(|p| p.required).map(|p| {
        let ty = type_tokens(api, &p.ty, &models);
        let api_name = &p.api_name;
        quote! { a.required::<#ty>(#api_name)? }
    });
    let setters = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let ty = type_tokens(api, &p.ty, &models);
        let api_name = &p.api_name;
        let setter = ident(&p.rust_name);
        quote! {
            let b = match a.optional::<#ty>(#api_name)? {
                Some(value) => b.#setter(value),
                None => b,
            };
        }
    });
    let body = body_content(op).map(|content| {
        let read = match &content.body {
            Body::Json(ty) | Body::Form(FormBody { ty, .. }) => {
                let ty = type_tokens(api, ty, &models);
                quote! { a.json_body::<#ty>()? }
            }
            Body::Text => quote! { a.text_body()? },
            _ => quote! { a.bytes_body()? },
        };
        let value = match body_enum {
            Some(name) => {
                let contents = &op
                    .request_body
                    .as_ref()
                    .map(|b| b.content.clone())
                    .unwrap_or_default();
                let variants = super::operations::variant_names(contents);
                let at = contents.iter().position(|c| c == content).unwrap_or(0);
                let variant = &variants[at];
                quote! { crate::operations::#name::#variant(value) }
            }
            None => quote! { value },
        };
        quote! {
            let b = match #read {
                Some(value) => b.body(#value),
                None => b,
            };
        }
    });
    let output = match body_type(api, op.success_responses(), &models) {
        Decoded::Json(_) => quote! { json },
        Decoded::Text => quote! { text },
        Decoded::Bytes => quote! { bytes },
        Decoded::Empty => quote! { empty },
    };
    let call = if op.pagination.is_some() {
        quote! {
            {
                let items = b.clone().items();
                let total = items.total_handle();
                cli::Call::new(b.clone().prepare(), cli::#output(b.send())).with_items(items, total)
            }
        }
    } else {
        quote! { cli::Call::new(b.clone().prepare(), cli::#output(b.send())) }
    };
    let args = if op.parameters.is_empty() && body_content(op).is_none() {
        quote! { _a }
    } else {
        quote! { a }
    };
    quote! {
        fn #name<'c>(client: &'c crate::Client, #args: &cli::Args) -> Result<cli::Call<'c>, cli::Failure> {
            let b = client.#method(#(#arguments),*);
            #(#setters)*
            #body
            Ok(#call)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_versions() {
        assert_eq!(tag_name("Legacy Backup"), "legacyBackup");
        assert_eq!(tag_name("X.509 Authentication"), "x509Authentication");
        assert_eq!(
            version_label("application/vnd.atlas.2023-01-01+json"),
            "2023-01-01"
        );
        assert_eq!(
            version_label("application/vnd.atlas.preview+json"),
            "preview"
        );
        assert_eq!(version_label("application/json"), "application/json");
    }
}
