//! The crate around the modules: `lib.rs` with the crate docs, and `Cargo.toml`.

use super::{Features, docs};
use crate::Config;
use crate::ir::{
    Api, Credential, Literal, Operation, Parameter, Primitive, SecuritySchemeKind, TypeDef,
    TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// `lib.rs`: crate docs, modules, re-exports and the default server.
pub fn lib(api: &Api, config: &Config, features: &Features) -> TokenStream {
    let mut text = format!("# {} {}\n\n", api.title, api.version);
    if let Some(description) = &api.description {
        text.push_str(description);
    }
    // The spec's text is cleaned; the examples are the generator's own Rust, which
    // rustdoc compiles.
    let mut crate_docs = docs::lines(&text);
    crate_docs.push(String::new());
    let krate = package_name(&config.crate_name).replace('-', "_");
    crate_docs.extend(usage(api, &krate, features).lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    }));
    let base_url = api
        .servers
        .first()
        .map(String::as_str)
        .unwrap_or("http://localhost");
    let digest = features.digest.then(|| quote! { mod digest; });
    let oauth = features
        .oauth_token_url
        .is_some()
        .then(|| quote! { mod oauth; });
    let oauth_export = features
        .oauth_token_url
        .is_some()
        .then(|| quote! { pub use oauth::ServiceAccount; });
    let security = features.security.then(|| {
        quote! {
            #[rustfmt::skip]
            mod security;
        }
    });
    let pagination = features.pagination.then(|| quote! { mod pagination; });
    let style = features.style.then(|| quote! { mod style; });
    let form = features.form.then(|| quote! { mod form; });
    let multipart = features.multipart.then(|| quote! { mod multipart; });
    let multipart_export = features
        .multipart
        .then(|| quote! { pub use multipart::File; });
    let pagination_export = features
        .pagination
        .then(|| quote! { pub use pagination::Items; });
    let runtime_exports = [
        "Argument",
        "Bound",
        "BuildError",
        "ByteStream",
        "Client",
        "ClientBuilder",
        "Constraint",
        "ConstraintViolation",
        "ConstraintViolations",
        "Error",
        "ErrorBody",
        "HeaderMap",
        "InvalidRequest",
        "Pending",
        "PreparedRequest",
        "Response",
        "SendResult",
        "StatusCode",
        "UnknownFields",
    ]
    .map(|name| proc_macro2::Ident::new(name, proc_macro2::Span::call_site()));
    let token_url = features.oauth_token_url.as_ref().map(|url| {
        quote! {
            /// The OAuth 2.0 token endpoint of the spec's client-credentials flow. When the
            /// client has another base URL, the token is requested from the same path there.
            pub const OAUTH_TOKEN_URL: &str = #url;
        }
    });
    let result = result_alias(api, &config.crate_name.replace('-', "_"));
    let subset = super::gates::plan(api).is_some().then(|| {
        quote! {
            // With only some tags' features, support code and shared checks that no
            // compiled operation uses are left unused.
            #![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]
        }
    });
    quote! {
        #(#![doc = #crate_docs])*
        #subset

        // Generated modules are formatted by prettyplease when they are generated; rustfmt's
        // slightly different style would only make them stale.
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #security
        // Support modules, in the order rustfmt keeps them.
        mod auth;
        #digest
        #form
        #multipart
        #oauth
        #pagination
        mod request;
        mod retry;
        mod runtime;
        #style

        // The command line (`--features cli`): its tables, and the machinery reading them.
        #[cfg(feature = "cli")]
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod cli;
        #[cfg(feature = "cli")]
        mod cli_support;

        pub use auth::AuthError;
        pub use auth::Secret;
        pub use auth::TokenFn;
        pub use auth::TokenFuture;
        pub use auth::TokenSource;
        pub use auth::token_fn;
        #multipart_export
        #oauth_export
        #pagination_export
        pub use retry::RetryPolicy;
        // One item per line: a list would be wrapped differently by prettyplease and rustfmt.
        #(pub use runtime::#runtime_exports;)*
        #token_url

        /// The server that operation paths are relative to unless the client is given
        /// another: the first of the spec's `servers`.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #result
    }
}

/// `Result<T>` with the error most operations have, so that a caller's signatures need
/// not spell `Error<models::...>`.
fn result_alias(api: &Api, krate: &str) -> TokenStream {
    let models = quote! { models:: };
    let (error, count) =
        most_common_error(api).map_or((quote! { serde_json::Value }, 0), |(op, count)| {
            (
                super::operations::error_type(api, &api.operations[op], &models).0,
                count,
            )
        });
    let shown = error.to_string().replace(' ', "");
    let total = api.operations.len();
    let which = if count == total {
        "every operation's".to_owned()
    } else {
        format!(
            "the error of {count} of the {total} operations (the others name theirs in `send()`)"
        )
    };
    let docs = docs::attrs(&format!(
        "`std::result::Result` with this API's error: `Error<{shown}>`, {which}. A function that calls operations can return `{krate}::Result<T>`.",
    ));
    quote! {
        #docs
        pub type Result<T, E = Error<#error>> = std::result::Result<T, E>;
    }
}

/// The operation whose error type is the most common (the first in operation order on a
/// tie), and how many operations have that error type.
fn most_common_error(api: &Api) -> Option<(usize, usize)> {
    let models = quote! { models:: };
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let (ty, _) = super::operations::error_type(api, op, &models);
        let key = ty.to_string();
        match counts.iter_mut().find(|(k, ..)| *k == key) {
            Some((.., count)) => *count += 1,
            None => counts.push((key, index, 1)),
        }
    }
    counts
        .iter()
        .max_by(|a, b| a.2.cmp(&b.2).then(std::cmp::Ordering::Greater))
        .map(|(_, op, count)| (*op, *count))
}

/// The named types the crate's `Result` alias names, which every build compiles.
pub(crate) fn result_error(api: &Api) -> Vec<crate::ir::TypeId> {
    let Some((op, _)) = most_common_error(api) else {
        return Vec::new();
    };
    let op = &api.operations[op];
    if !super::operations::error_type(api, op, &quote! { models:: }).1 {
        return Vec::new();
    }
    op.error_responses()
        .filter_map(|r| r.content.first())
        .filter_map(|c| c.body.type_ref())
        .filter_map(|ty| ty.innermost().direct())
        .take(1)
        .collect()
}

/// A `no_run` example calling the first operation, with the spec's example values where it
/// has them.
fn usage(api: &Api, krate: &str, features: &Features) -> String {
    let Some(op) = api.operations.first() else {
        return String::new();
    };
    let (bindings, arguments) = example_arguments(api, op, krate);
    let allow = if op.deprecated {
        "#[allow(deprecated)]\n"
    } else {
        ""
    };
    let method = &op.rust_name;
    let fence_start =
        "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {\n";
    let fence_end = "# Ok(())\n# }\n```\n";
    let mut out = String::from("## Example\n\n");
    let setters = example_setters(op);
    out.push_str(&format!(
        "{fence_start}let client = {krate}::Client::builder()\n    .base_url({krate}::DEFAULT_BASE_URL)\n    .build()?;\n{bindings}{allow}let response = client\n    .{method}({arguments}){setters}\n    .send()\n    .await?;\nprintln!(\"{{}} {{:?}}\", response.status(), response.body());\n{fence_end}"
    ));
    if features.security {
        out.push_str(&authentication(api, krate));
    }
    if let Some(paginated) = api.operations.iter().find(|op| op.pagination.is_some()) {
        let allow = if paginated.deprecated {
            "#[allow(deprecated)]\n"
        } else {
            ""
        };
        let (bindings, arguments) = example_arguments(api, paginated, krate);
        out.push_str(&format!(
            "\n## Pagination\n\n`items()` streams every item across pages and stops after the last one:\n\n{fence_start}use futures_util::TryStreamExt;\n\nlet client = {krate}::Client::new();\n{bindings}{allow}let mut items = client\n    .{method}({arguments})\n    .items();\nwhile let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}\n{fence_end}",
            method = paginated.rust_name,
        ));
    }
    out.push_str(&models_usage(api, krate));
    out
}

/// The crate docs' section on credentials: what configures each scheme, and an example
/// for the first scheme of each way of configuring one.
fn authentication(api: &Api, krate: &str) -> String {
    let fence_start =
        "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {\n";
    let fence_end = "# Ok(())\n# }\n```\n";
    let mut out = String::from(
        "\n## Authentication\n\nEach security scheme of the spec has a `ClientBuilder` method that takes its credentials. Configure the ones you have: each operation applies the first alternative of its security requirement whose schemes all have credentials, sends nothing for an operation that needs none, and fails with `Error::Auth` before sending anything when the client has credentials but none the operation accepts (a client with no credentials at all sends requests without them). Secrets never show in `Debug` output.\n\n",
    );
    let mut examples: Vec<String> = Vec::new();
    let mut digest = false;
    let mut client_credentials = false;
    let mut shown_kinds: Vec<String> = Vec::new();
    for scheme in &api.security_schemes {
        let shown = docs::code(&scheme.api_name);
        let supplied = match &scheme.kind {
            SecuritySchemeKind::Digest => {
                out.push_str(&format!(
                    "- {shown}: HTTP Digest, `digest_auth(username, password)`\n"
                ));
                if !std::mem::replace(&mut digest, true) {
                    examples.push(format!("HTTP Digest (one handshake per server nonce):\n\n{fence_start}let public_key = std::env::var(\"PUBLIC_KEY\")?;\nlet private_key = std::env::var(\"PRIVATE_KEY\")?;\nlet client = {krate}::Client::builder()\n    .digest_auth(public_key, private_key)\n    .build()?;\n{fence_end}"));
                }
                None
            }
            SecuritySchemeKind::ClientCredentials { caller, .. } => {
                out.push_str(&format!(
                    "- {shown}: OAuth 2.0 client credentials, `service_account(account)`"
                ));
                if let Some(caller) = caller {
                    out.push_str(&format!(
                        ", or a token of its other flows, `{}(token)`",
                        caller.method
                    ));
                }
                out.push('\n');
                if !std::mem::replace(&mut client_credentials, true) {
                    examples.push(format!("OAuth 2.0 client credentials (the token is fetched, cached and refreshed for you):\n\n{fence_start}let account = {krate}::ServiceAccount::new(\n    std::env::var(\"CLIENT_ID\")?,\n    std::env::var(\"CLIENT_SECRET\")?,\n);\nlet client = {krate}::Client::builder().service_account(account).build()?;\n{fence_end}"));
                }
                None
            }
            SecuritySchemeKind::Supplied(supplied) => Some(supplied),
        };
        let Some(supplied) = supplied else { continue };
        let method = &supplied.method;
        let (what, call) = match &supplied.credential {
            Credential::Basic => (
                "HTTP basic".to_owned(),
                format!("{method}(std::env::var(\"USERNAME\")?, std::env::var(\"PASSWORD\")?)"),
            ),
            Credential::ApiKey { .. } => (
                "an API key".to_owned(),
                format!("{method}(std::env::var(\"API_KEY\")?)"),
            ),
            Credential::Token { .. } => (
                "a token you supply (a fixed one, or a closure asked before each request)"
                    .to_owned(),
                format!("{method}(std::env::var(\"TOKEN\")?)"),
            ),
        };
        out.push_str(&format!("- {shown}: {what}, `{method}`\n"));
        if !shown_kinds.contains(&what) {
            shown_kinds.push(what.clone());
            examples.push(format!(
                "{}:\n\n{fence_start}let client = {krate}::Client::builder()\n    .{call}\n    .build()?;\n{fence_end}",
                capitalised(&what)
            ));
        }
    }
    // What the spec says of the schemes configured by the fixed methods (the others'
    // descriptions are on their methods).
    for scheme in &api.security_schemes {
        let fixed = matches!(
            scheme.kind,
            SecuritySchemeKind::Digest | SecuritySchemeKind::ClientCredentials { .. }
        );
        if let (true, Some(description)) = (fixed, &scheme.description) {
            out.push_str(&format!("\n{}:\n\n", docs::code(&scheme.api_name)));
            let lines: Vec<String> = docs::lines(description)
                .into_iter()
                .map(|line| line.strip_prefix(' ').map(str::to_owned).unwrap_or(line))
                .collect();
            out.push_str(&lines.join("\n"));
            out.push('\n');
        }
    }
    for example in examples {
        out.push('\n');
        out.push_str(&example);
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// How to build a model value, and what response types keep: with an example built from
/// a type requests carry (any struct when none does) that has a simple optional field.
fn models_usage(api: &Api, krate: &str) -> String {
    let mut out = String::from(
        "
## Models

A struct whose fields are all optional implements `Default`, so a value names only what it sets and ends with `..Default::default()`; a struct with required fields has `new` taking them. Types that responses carry keep the properties the spec does not declare in `unknown_fields` and write them back, so a value read, changed and sent back loses nothing.
",
    );
    let simple = |ty: &TypeRef| match ty {
        TypeRef::Primitive(Primitive::String) => Some("\"text\".to_owned()"),
        TypeRef::Primitive(Primitive::Bool) => Some("true"),
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => Some("1"),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => Some("1.0"),
        _ => None,
    };
    let example = |def: &TypeDef| -> Option<String> {
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let optional = s.fields.iter().find(|f| {
            super::presence(f, def) == super::Presence::Optional
                && simple(&super::held_type(&f.ty, def)).is_some()
        })?;
        let mut required = Vec::new();
        for f in &s.fields {
            if super::presence(f, def) == super::Presence::Always {
                required.push(simple(&super::held_type(&f.ty, def))?);
            }
        }
        let name = &def.rust_name;
        let rest = if required.is_empty() {
            "Default::default()".to_owned()
        } else {
            format!("{krate}::models::{name}::new({})", required.join(", "))
        };
        Some(format!(
            "\n```rust\nlet value = {krate}::models::{name} {{\n    {field}: Some({value}),\n    ..{rest}\n}};\n```\n",
            field = optional.rust_name,
            value = simple(&super::held_type(&optional.ty, def)).unwrap_or_default(),
        ))
    };
    let requests = api.types.iter().filter(|def| def.in_request);
    if let Some(code) = requests.chain(&api.types).find_map(example) {
        out.push_str(&code);
    }
    out
}

/// The arguments of an example call: literals where the parameter takes one (the spec's
/// example, or a value that passes its simple pattern), and for any other type a binding
/// on a hidden line of the doctest, with the type spelled out, so the example compiles
/// whatever the parameter's type. Returns the hidden lines and the argument list.
fn example_arguments(api: &Api, op: &Operation, krate: &str) -> (String, String) {
    let models = {
        let krate = proc_macro2::Ident::new(krate, proc_macro2::Span::call_site());
        quote! { #krate::models:: }
    };
    let mut bindings = String::new();
    let mut arguments = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let literal = match (super::resolved(api, &p.ty), &p.example) {
            (ty, Some(Literal::String(example))) if is_text(api, ty) => {
                Some(format!("{example:?}"))
            }
            (ty, _) if is_text(api, ty) => Some(format!("{:?}", placeholder(p))),
            (ty, Some(Literal::Int(example))) if is_integer(api, ty) => Some(example.to_string()),
            (ty, _) if is_integer(api, ty) => Some("1".to_owned()),
            (TypeRef::Primitive(Primitive::Bool), _) => Some("true".to_owned()),
            (TypeRef::Named(id), _) => match &api.type_def(*id).kind {
                TypeKind::Enum(e) => e.variants.first().map(|v| match &v.value {
                    Literal::Int(i) => format!("{i}_i64"),
                    Literal::String(s) => format!("{s:?}"),
                    other => format!("{other:?}"),
                }),
                _ => None,
            },
            _ => None,
        };
        match literal {
            Some(literal) => arguments.push(literal),
            None => {
                let ty = super::type_tokens(api, &p.ty, &models);
                bindings.push_str(&format!(
                    "# let {}: {ty} = unimplemented!();\n",
                    p.rust_name
                ));
                arguments.push(p.rust_name.clone());
            }
        }
    }
    (bindings, arguments.join(", "))
}

/// Whether a parameter of this type takes a string literal.
fn is_text(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(p) => matches!(p, Primitive::String | Primitive::Binary),
        TypeRef::Named(id) => matches!(
            &api.type_def(*id).kind,
            TypeKind::Constrained(c) if c.base == Primitive::String
        ),
        _ => false,
    }
}

/// Whether a parameter of this type takes an integer literal.
fn is_integer(api: &Api, ty: &TypeRef) -> bool {
    let integer = |p: &Primitive| matches!(p, Primitive::I32 | Primitive::I64);
    match ty {
        TypeRef::Primitive(p) => integer(p),
        TypeRef::Named(id) => matches!(
            &api.type_def(*id).kind,
            TypeKind::Constrained(c) if integer(&c.base)
        ),
        _ => false,
    }
}

/// A value for the example: the shortest one a simple pattern accepts, so the example
/// would pass validation, or the parameter's name.
fn placeholder(p: &Parameter) -> String {
    let atoms = p
        .constraints
        .pattern
        .as_deref()
        .and_then(crate::pattern::simple);
    match atoms {
        Some(atoms) if !atoms.is_empty() => atoms
            .iter()
            .flat_map(|atom| {
                let byte = atom.ranges.first().map_or(b'a', |&(lo, _)| lo);
                std::iter::repeat_n(char::from(byte), atom.min.max(1) as usize)
            })
            .collect(),
        _ => format!("<{}>", p.api_name),
    }
}

fn example_setters(op: &Operation) -> String {
    match &op.pagination {
        Some(p) => format!(
            "\n    .{}(2)\n    .{}(100)",
            op.parameters[p.page_parameter].rust_name, op.parameters[p.size_parameter].rust_name
        ),
        None => String::new(),
    }
}

/// The package name for the requested crate name: lowercase ASCII letters and digits in
/// words joined by single `-`, starting with a letter. Cargo turns `-` into `_` for the
/// library, so the crate's name is snake case by construction, whatever file name or
/// option it came from (`Pet Store (v2).json`, `1password`).
pub fn package_name(requested: &str) -> String {
    let lowered = requested.to_ascii_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut name = words.join("-");
    if name.is_empty() {
        name = "client".to_owned();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    name
}

/// `Cargo.toml`, with only the optional dependencies the spec needs.
pub fn manifest(api: &Api, config: &Config, features: &Features) -> String {
    let mut out = format!(
        "# @generated by `{}` from {}.\n# Do not edit by hand: change the spec or the generator and rerun that command.\n\n",
        config.command, config.spec_path
    );
    let description = format!("Client for the {} {}", api.title, api.version).replace('"', "'");
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"{}\"\nedition = \"2024\"\nrust-version = \"1.85\"\ndescription = \"{description}\"\npublish = false\nautobins = false\n\n",
        package_name(&config.crate_name),
        config.crate_version
    ));
    let mut dependencies = vec![
        "bytes = \"1\"".to_owned(),
        "percent-encoding = \"2\"".to_owned(),
        "reqwest = { version = \"0.12\", default-features = false, features = [\"json\", \"rustls-tls\"] }".to_owned(),
        "serde = { version = \"1\", features = [\"derive\"] }".to_owned(),
        "serde_json = \"1\"".to_owned(),
        "tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }".to_owned(),
        "httpdate = \"1\"".to_owned(),
        "serde_path_to_error = \"0.1\"".to_owned(),
        "futures-core = \"0.3\"".to_owned(),
    ];
    if features.multipart {
        dependencies[2] = "reqwest = { version = \"0.12\", default-features = false, features = [\"json\", \"rustls-tls\", \"stream\"] }".to_owned();
        dependencies.push(
            "tokio = { version = \"1\", features = [\"time\", \"sync\", \"fs\", \"io-util\"] }"
                .to_owned(),
        );
    } else {
        dependencies
            .push("tokio = { version = \"1\", features = [\"time\", \"sync\"] }".to_owned());
    }
    if features.digest {
        dependencies.push("md-5 = \"0.10\"".to_owned());
        dependencies.push("sha2 = \"0.10\"".to_owned());
        dependencies.push("getrandom = \"0.3\"".to_owned());
    }
    if features.pagination || features.multipart {
        dependencies.push(
            "futures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }"
                .to_owned(),
        );
    }
    if features.chrono {
        dependencies.push("chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }".to_owned());
    }
    if features.regress {
        dependencies.push("regress = \"0.12\"".to_owned());
    }
    if features.uuid {
        dependencies.push("uuid = { version = \"1\", features = [\"serde\"] }".to_owned());
    }
    // The command line's own: a TOML reader for profile files.
    dependencies.push("toml = { version = \"0.9\", optional = true }".to_owned());
    dependencies.sort();
    out.push_str("[dependencies]\n");
    for dependency in dependencies {
        out.push_str(&dependency);
        out.push('\n');
    }
    out.push_str(
        "\n[features]\n# The command line (`src/main.rs`): `cargo install --path . --features cli`.\ncli = [\"dep:toml\", \"tokio/rt\"]\n",
    );
    if let Some(gates) = super::gates::plan(api) {
        out.push_str(&gates.manifest());
    }
    out.push_str(&format!(
        "\n[[bin]]\nname = \"{}\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n",
        super::cli::binary(config)
    ));
    if !config.dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for dependency in &config.dev_dependencies {
            out.push_str(dependency);
            out.push('\n');
        }
    }
    for bench in &config.benches {
        out.push_str(&format!(
            "\n[[bench]]\nname = \"{bench}\"\nharness = false\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_make_snake_case_libraries() {
        let table = [
            ("atlas-admin", "atlas-admin"),
            ("swagger-petstore-3.0", "swagger-petstore-3-0"),
            ("Pet Store (v2)", "pet-store-v2"),
            ("my__api--", "my-api"),
            ("1password", "api-1password"),
            ("café", "caf"),
            ("", "client"),
            ("---", "client"),
        ];
        for (requested, package) in table {
            assert_eq!(package_name(requested), package, "{requested:?}");
        }
    }
}
