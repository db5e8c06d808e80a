//! The command line's part of the crate (`src/cli.rs`, behind the `cli` feature): every
//! operation as data (its tag, name, flags with their types, constraints and defaults)
//! and one small function per operation that turns parsed flags into the library's
//! request builder. The machinery that reads these tables is spec-independent support
//! code (`support/cli.rs`, copied as `src/cli_support.rs`).

use super::operations::{Decoded, body_type};
use super::syntax::{self, Stmts, parsed};
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
pub fn module(api: &Api, config: &Config) -> syn::Result<syn::File> {
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
        let description = super::string_literal(description);
        quote! { #cfg cli::Tag { name: #t, description: #description } }
    });
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    order.sort_by_key(|&i| (&op_tags[i], &api.operations[i].api_name));
    // A flag that several commands have alike is written once, in `mod flags`.
    let flags: Vec<Vec<Flag>> = api
        .operations
        .iter()
        .map(|op| op.parameters.iter().map(|p| Flag::new(api, p)).collect())
        .collect();
    let shared = SharedFlags::new(order.iter().flat_map(|&i| &flags[i]));
    let commands = order.iter().map(|&i| {
        let cfg = gates.as_ref().and_then(|g| g.operation(i));
        let mut command = command(
            op_tags[i].as_str(),
            &api.operations[i],
            &flags[i],
            &shared,
            i,
        )?;
        if let (Some(cfg), syn::Expr::Struct(literal)) = (cfg, &mut command) {
            literal.attrs = parsed::<syntax::Attributes>(cfg)?.0;
        }
        Ok::<_, syn::Error>(command)
    });
    let commands = syntax::slice_expr(commands.collect::<syn::Result<Vec<_>>>()?);
    let shared_flags = shared.items();
    let (auth, authenticate) = authentication(api);
    let mut file: syn::File = syn::parse2(quote! {
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
            commands: &[],
            auth: &[#(#auth),*],
            authenticate,
        };

        #authenticate
    })?;
    file.items.extend(shared_flags?);
    // The commands, built apart: parsing them back would cost more than the rest.
    let app = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Static(app) if app.ident == "APP" => syntax::struct_literal(&mut app.expr),
        _ => None,
    });
    syntax::set_field(
        app.expect("`static APP` is a struct literal"),
        "commands",
        commands,
    );
    Ok(file)
}

/// The functions of the operations in `range`, from flags to requests: the rest of
/// `src/cli.rs`, emitted in parts as `operations.rs` is.
pub fn runs(api: &Api, range: std::ops::Range<usize>) -> syn::Result<syn::File> {
    let locals = super::operations::locals(api);
    let items = range
        .map(|i| run(api, &api.operations[i], i, locals[i].body.as_ref()))
        .collect::<syn::Result<_>>()?;
    Ok(syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
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

/// How a flag's value is read (a variant of `Kind`), and whether it takes several.
fn kind(api: &Api, ty: &TypeRef) -> (&'static str, bool) {
    match resolved(api, ty) {
        TypeRef::Array(inner) => match scalar_kind(api, inner) {
            Some(kind) => (kind, true),
            None => ("Json", false),
        },
        other => (scalar_kind(api, other).unwrap_or("Json"), false),
    }
}

fn scalar_kind(api: &Api, ty: &TypeRef) -> Option<&'static str> {
    let of = |p: Primitive| match p {
        Primitive::Bool => "Bool",
        Primitive::I32 | Primitive::I64 => "Integer",
        Primitive::F32 | Primitive::F64 => "Number",
        _ => "String",
    };
    match resolved(api, ty) {
        TypeRef::Primitive(p) => Some(of(*p)),
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Constrained(c) => Some(of(c.base)),
            TypeKind::Enum(e) => Some(match e.repr {
                EnumRepr::String => "String",
                EnumRepr::Integer => "Integer",
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

/// A flag's entry in the tables: what the support code needs to parse and explain it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Flag {
    name: String,
    kind: &'static str,
    list: bool,
    required: bool,
    deprecated: bool,
    description: String,
    constraint: String,
    default: Option<String>,
}

impl Flag {
    fn new(api: &Api, p: &Parameter) -> Flag {
        let (kind, list) = kind(api, &p.ty);
        Flag {
            name: p.api_name.clone(),
            kind,
            list,
            required: p.required,
            deprecated: p.deprecated,
            description: p
                .description
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            constraint: constraint_text(api, p),
            default: p.default.as_ref().map(literal),
        }
    }

    /// The `Flag` value, its types named with `prefix` (`cli::`, or nothing in `mod flags`):
    /// a literal parsed once per prefix and kind, its values filled in.
    fn value(&self, prefix: &TokenStream) -> syn::Result<syn::Expr> {
        let kind = quote::format_ident!("{}", self.kind);
        let mut value: syn::Expr = parsed(quote! {
            #prefix Flag {
                name: "",
                kind: #prefix Kind::#kind,
                list: false,
                required: false,
                deprecated: false,
                description: "",
                constraint: "",
                default: None,
            }
        })?;
        let default = match &self.default {
            Some(text) => parsed(quote! { Some(#text) })?,
            None => parsed(quote! { None })?,
        };
        let literal = syntax::struct_literal(&mut value).expect("a struct literal");
        let fields = [
            ("name", syntax::str_expr(&self.name)),
            ("list", syntax::bool_expr(self.list)),
            ("required", syntax::bool_expr(self.required)),
            ("deprecated", syntax::bool_expr(self.deprecated)),
            ("description", syntax::str_expr(&self.description)),
            ("constraint", syntax::str_expr(&self.constraint)),
            ("default", default),
        ];
        for (name, field) in fields {
            syntax::set_field(literal, name, field);
        }
        Ok(value)
    }
}

/// The flags that more than one command has, alike, each with the name of its `const` in
/// `mod flags`: the flag's own name in upper case, numbered from the second flag of that
/// name on (`CLUSTER_NAME`, `CLUSTER_NAME_2`), in the order the commands list them.
struct SharedFlags<'f> {
    names: std::collections::HashMap<&'f Flag, proc_macro2::Ident>,
    /// In order of first use.
    order: Vec<&'f Flag>,
}

impl<'f> SharedFlags<'f> {
    fn new(all: impl Iterator<Item = &'f Flag> + Clone) -> Self {
        let mut uses: std::collections::HashMap<&Flag, usize> = std::collections::HashMap::new();
        for flag in all.clone() {
            *uses.entry(flag).or_default() += 1;
        }
        let mut names = std::collections::HashMap::new();
        let mut order = Vec::new();
        let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
        for flag in all {
            if uses[flag] < 2 || names.contains_key(flag) {
                continue;
            }
            let base = match crate::names::shouty(&flag.name) {
                // `_` names nothing.
                base if base == "_" => "FLAG".to_owned(),
                base => base,
            };
            let name = (1..)
                .map(|n| match n {
                    1 => base.clone(),
                    n => format!("{base}_{n}"),
                })
                .find(|name| !taken.contains(name))
                .unwrap_or_default();
            taken.insert(name.clone());
            names.insert(flag, quote::format_ident!("{name}"));
            order.push(flag);
        }
        SharedFlags { names, order }
    }

    /// A command's entry for `flag`: the shared `const`, or the flag written out.
    fn entry(&self, flag: &Flag) -> syn::Result<syn::Expr> {
        match self.names.get(flag) {
            Some(name) => Ok(syntax::path_expr(&["flags", &name.to_string()])),
            None => flag.value(&quote! { cli:: }),
        }
    }

    /// `mod flags`, when some flag is shared.
    fn items(&self) -> syn::Result<Option<syn::Item>> {
        if self.order.is_empty() {
            return Ok(None);
        }
        let mut module: syn::ItemMod = syn::parse2(quote! {
            /// The flags that several commands have alike, written once.
            #[allow(dead_code, reason = "the commands of tags left out use none of theirs")]
            mod flags {
                use crate::cli_support::{Flag, Kind};
            }
        })?;
        let Some((_, items)) = &mut module.content else {
            unreachable!("the module has a body");
        };
        for flag in &self.order {
            let name = &self.names[flag];
            let mut item: syn::ItemConst = parsed(quote! { pub const #name: Flag = 0; })?;
            *item.expr = flag.value(&TokenStream::new())?;
            items.push(syn::Item::Const(item));
        }
        Ok(Some(syn::Item::Mod(module)))
    }
}

/// One operation's table entry: a literal every command shares, its values filled in.
fn command(
    tag: &str,
    op: &Operation,
    flags: &[Flag],
    shared: &SharedFlags,
    index: usize,
) -> syn::Result<syn::Expr> {
    // The version a spec of one version sends is its success responses' media type.
    let media = op.version.as_deref().or_else(|| {
        op.success_responses()
            .flat_map(|r| &r.content)
            .map(|c| c.media_type.as_str())
            .find(|m| m.contains("vnd."))
    });
    let version = media.map(version_label).unwrap_or_default();
    let flags = flags
        .iter()
        .map(|flag| shared.entry(flag))
        .collect::<syn::Result<Vec<_>>>()?;
    let body = match body_content(op) {
        Some(content) => {
            let media = &content.media_type;
            parsed(quote! { Some(#media) })?
        }
        None => parsed(quote! { None })?,
    };
    let mut command: syn::Expr = parsed(quote! {
        cli::Command {
            tag: "",
            id: "",
            method: "",
            path: "",
            summary: "",
            description: "",
            deprecated: false,
            version: "",
            flags: &[],
            body: None,
            paginated: false,
            run: run,
        }
    })?;
    let literal = syntax::struct_literal(&mut command).expect("a struct literal");
    let fields = [
        ("tag", syntax::str_expr(tag)),
        ("id", syntax::str_expr(&op.api_name)),
        ("method", syntax::str_expr(op.method.as_str())),
        ("path", syntax::str_expr(&op.path)),
        (
            "summary",
            syntax::str_expr(op.summary.as_deref().unwrap_or_default()),
        ),
        (
            "description",
            syntax::str_expr(op.description.as_deref().unwrap_or_default()),
        ),
        ("deprecated", syntax::bool_expr(op.deprecated)),
        ("version", syntax::str_expr(&version)),
        ("flags", syntax::slice_expr(flags)),
        ("body", body),
        ("paginated", syntax::bool_expr(op.pagination.is_some())),
        ("run", syntax::path_expr(&[&format!("run_{index}")])),
    ];
    for (name, value) in fields {
        syntax::set_field(literal, name, value);
    }
    Ok(command)
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
) -> syn::Result<syn::Item> {
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
        quote! { let b = a.set(b, #api_name, |b, v: #ty| b.#setter(v))?; }
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
    let call = quote! { cli::Call::new(b.clone().prepare(), cli::#output(b.send())) };
    let call = if op.pagination.is_some() {
        quote! {
            let items = b.clone().items();
            let total = items.total_handle();
            Ok(#call.with_items(items, total))
        }
    } else {
        quote! { Ok(#call) }
    };
    let args = if op.parameters.is_empty() && body_content(op).is_none() {
        quote! { _a }
    } else {
        quote! { a }
    };
    // The function around its statements, which many operations share, each parsed once.
    let mut item: syn::ItemFn = syn::parse2(quote! {
        fn #name<'c>(client: &'c crate::Client, #args: &cli::Args) -> cli::Built<'c> {
            let b = client.#method();
        }
    })?;
    if let Some(syn::Stmt::Local(local)) = item.block.stmts.first_mut()
        && let Some(init) = &mut local.init
        && let syn::Expr::MethodCall(start) = &mut *init.expr
    {
        for argument in arguments {
            start.args.push(parsed(argument)?);
        }
    }
    for piece in setters.chain(body).chain([call]) {
        item.block.stmts.extend(parsed::<Stmts>(piece)?.0);
    }
    Ok(syn::Item::Fn(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_flags_are_named_once_each() {
        let flag = |name: &str, description: &str| Flag {
            name: name.to_owned(),
            kind: "String",
            list: false,
            required: true,
            deprecated: false,
            description: description.to_owned(),
            constraint: String::new(),
            default: None,
        };
        let flags = [
            flag("clusterName", "a"),
            flag("clusterName", "b"),
            flag("cluster_name_2", "c"),
            flag("only", "once"),
            flag("-", "d"),
        ];
        // Each used twice, but `only`.
        let all = flags
            .iter()
            .chain(flags.iter().filter(|f| f.name != "only"));
        let shared = SharedFlags::new(all);
        let names: Vec<String> = shared
            .order
            .iter()
            .map(|f| shared.names[f].to_string())
            .collect();
        assert_eq!(
            names,
            ["CLUSTER_NAME", "CLUSTER_NAME_2", "CLUSTER_NAME_2_2", "FLAG"]
        );
        assert!(!shared.names.contains_key(&flags[3]));
    }

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
