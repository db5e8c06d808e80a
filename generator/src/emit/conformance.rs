//! A conformance test for a generated crate: every operation called once, with arguments
//! that satisfy the spec, against a server that checks what it receives.
//!
//! `cargo xtask conformance` writes the file [`test_file`] emits into a generated crate's
//! `tests/`, starts a validating mock server (Prism) on the same spec, and runs it. Each
//! operation's arguments are its required parameters, the optional ones the spec gives an
//! example or default for, and its request body when it takes one: the spec's example (or
//! default) where it has one, otherwise a value built from the schema and its constraints
//! (formats, bounds, lengths, ECMA-262 patterns, enums, and for a union a value of one
//! alternative, with its discriminator, that matches no other alternative).
//! Where an example does not build (it breaks the spec's own constraints), the built value
//! is tried instead, and the report says so.
//!
//! The test prints one JSON line per operation (prefixed `conformance-report: `):
//! whether the server reported a request violation (Prism's `sl-violations` header, or its
//! own 422 for a request it refuses), the client failed to decode the response, the server
//! answered an error, or arguments could not be built. Judging the counts is left to the
//! command that runs it.

use super::{ident, parameters::is_argument, type_tokens};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

/// The test file for the crate whose library is `lib` (its name in Rust).
pub fn test_file(api: &Api, lib: &str) -> TokenStream {
    let lib = ident(lib);
    let models = quote! { #lib::models:: };
    let calls = api
        .operations
        .iter()
        .enumerate()
        .zip(super::operations::locals(api))
        .map(|((index, op), locals)| call(api, op, index, &locals, &lib, &models));
    let credentials = credentials(api);
    let records = api.operations.iter().enumerate().map(|(index, op)| {
        let name = quote::format_ident!("call_{index}");
        let id = &op.api_name;
        let version = op.version.as_deref().unwrap_or_default();
        // Boxed: hundreds of calls inlined into one future overflow the stack.
        quote! { report.push((#id, #version, Box::pin(#name(&client)).await)); }
    });
    quote! {
        //! Every operation called once against a validating mock server; written by
        //! `cargo xtask conformance`, which starts the server and judges the report.
        #![allow(deprecated, unused_mut, clippy::all)]

        use #lib::{Client, Error, Response};

        /// What became of one call.
        enum Outcome {
            /// The server took the request and the client decoded the answer.
            Passed(u16),
            /// The server reported request violations (its `sl-violations` header).
            Violations(String),
            /// The client could not decode the answer.
            DecodeFailed(String),
            /// Any other error (an error status, a transport failure).
            Failed(String),
            /// The arguments could not be built (a spec's example or a built value that a
            /// generated type refuses).
            Unbuilt(String),
        }

        impl Outcome {
            fn of<T, E>(result: Result<Response<T>, Error<E>>) -> Outcome
            where
                Error<E>: std::fmt::Display,
            {
                match result {
                    Ok(response) => {
                        let (request, answer) = violations(response.headers());
                        if !answer.is_empty() {
                            NOTES.lock().unwrap().push(format!(
                                "the mock's own answer breaks the spec: {}",
                                answer.join("; ")
                            ));
                        }
                        if request.is_empty() {
                            Outcome::Passed(response.status().as_u16())
                        } else {
                            Outcome::Violations(request.join("; "))
                        }
                    }
                    Err(error @ Error::Decode { .. }) => Outcome::DecodeFailed(error.to_string()),
                    // Prism's own answer to a request it finds invalid, where the spec
                    // documents no answer for that.
                    Err(error) if error.to_string().contains("prism/errors#UNPROCESSABLE_ENTITY") => {
                        Outcome::Violations(error.to_string())
                    }
                    Err(error) => Outcome::Failed(error.to_string()),
                }
            }

            fn kind(&self) -> &'static str {
                match self {
                    Outcome::Passed(_) => "passed",
                    Outcome::Violations(_) => "violations",
                    Outcome::DecodeFailed(_) => "decode",
                    Outcome::Failed(_) => "failed",
                    Outcome::Unbuilt(_) => "unbuilt",
                }
            }

            fn detail(&self) -> String {
                match self {
                    Outcome::Passed(status) => status.to_string(),
                    Outcome::Violations(text)
                    | Outcome::DecodeFailed(text)
                    | Outcome::Failed(text)
                    | Outcome::Unbuilt(text) => text.clone(),
                }
            }
        }

        /// The violations Prism reports (its `sl-violations` header, a JSON list), those of
        /// the request apart from those of its own answer (a spec's example that breaks the
        /// spec's schema), each as `location: message`.
        fn violations(headers: &reqwest::header::HeaderMap) -> (Vec<String>, Vec<String>) {
            let mut request = Vec::new();
            let mut answer = Vec::new();
            let Some(header) = headers.get("sl-violations") else {
                return (request, answer);
            };
            // Prism prefixes a long list with `Too many violations! `.
            let text = String::from_utf8_lossy(header.as_bytes());
            let json = text.trim_start_matches("Too many violations!").trim_start();
            let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(json) else {
                // A list Prism cut short: whether any of it is about the request.
                if text.contains(r#"["request""#) || !text.contains(r#"["response""#) {
                    request.push(text.into_owned());
                } else {
                    answer.push(text.into_owned());
                }
                return (request, answer);
            };
            for violation in list {
                let location: Vec<String> = violation["location"]
                    .as_array()
                    .map(|parts| {
                        parts
                            .iter()
                            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let text = format!(
                    "{}: {}",
                    location.join("."),
                    violation["message"].as_str().unwrap_or_default()
                );
                // Prism's warnings (a deprecated parameter sent) are not violations.
                if violation["severity"].as_str() != Some("Error") {
                    NOTES.lock().unwrap().push(format!("a warning: {text}"));
                } else if location.first().is_some_and(|l| l == "response") {
                    answer.push(text);
                } else {
                    request.push(text);
                }
            }
            (request, answer)
        }

        /// Notes: example values that did not build (so the built value was used), and
        /// answers of the mock that break the spec.
        static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

        /// A value of the type the binding names, from the spec's example (JSON text), or,
        /// when that does not build, from the value built from the schema; otherwise the
        /// call ends as `Unbuilt`.
        macro_rules! arg {
            ($name:literal, $json:literal) => {
                match serde_json::from_str($json) {
                    Ok(value) => value,
                    Err(error) => {
                        return Outcome::Unbuilt(format!("{}: {}: {error}", $name, $json));
                    }
                }
            };
            ($name:literal, $example:literal, $built:literal) => {
                match serde_json::from_str($example) {
                    Ok(value) => value,
                    Err(error) => {
                        NOTES.lock().unwrap().push(format!(
                            "{}: the example {} does not build ({error}); used {}",
                            $name, $example, $built
                        ));
                        arg!($name, $built)
                    }
                }
            };
        }

        #(#calls)*

        #[tokio::test]
        async fn every_operation() {
            let url = std::env::var("CONFORMANCE_URL")
                .expect("CONFORMANCE_URL names the mock server (run `cargo xtask conformance`)");
            // Prism checks that credentials are present, not what they are.
            let client = Client::builder()
                .base_url(url)
                #credentials
                .build()
                .unwrap();
            let mut report: Vec<(&str, &str, Outcome)> = Vec::new();
            #(#records)*
            // The report, one JSON value per line, for the command that runs the test.
            for (operation, version, outcome) in &report {
                let line = serde_json::json!({
                    "operation": operation,
                    "version": version,
                    "outcome": outcome.kind(),
                    "detail": outcome.detail(),
                });
                println!("conformance-report: {line}");
            }
            for note in NOTES.lock().unwrap().iter() {
                println!("conformance-report: {}", serde_json::json!({ "note": note }));
            }
        }
    }
}

/// The builder calls that give every scheme credentials: each supplied one through its
/// method, and, for a scheme the client runs itself against a server (Digest, a token
/// endpoint), a bearer token as a default header, which Prism takes as present.
fn credentials(api: &Api) -> TokenStream {
    let mut calls = Vec::new();
    let mut self_run = false;
    for scheme in &api.security_schemes {
        let supplied = match &scheme.kind {
            SecuritySchemeKind::Supplied(supplied) => supplied,
            SecuritySchemeKind::ClientCredentials {
                caller: Some(supplied),
                ..
            } => supplied,
            SecuritySchemeKind::Digest | SecuritySchemeKind::ClientCredentials { .. } => {
                self_run = true;
                continue;
            }
        };
        let method = ident(&supplied.method);
        calls.push(match supplied.credential {
            Credential::Basic => quote! { .#method("conformance", "conformance") },
            Credential::ApiKey { .. } | Credential::Token { .. } => {
                quote! { .#method("conformance") }
            }
        });
    }
    if self_run && calls.is_empty() {
        calls.push(quote! {
            .default_header(
                reqwest::header::AUTHORIZATION,
                reqwest::header::HeaderValue::from_static("Bearer conformance"),
            )
        });
    }
    quote! { #(#calls)* }
}

/// `call_N`: builds the arguments of one operation, sends it, and says what came of it.
fn call(
    api: &Api,
    op: &Operation,
    index: usize,
    locals: &super::operations::Locals,
    lib: &proc_macro2::Ident,
    models: &TokenStream,
) -> TokenStream {
    let name = quote::format_ident!("call_{index}");
    let method = ident(&op.rust_name);
    let mut lets = Vec::new();
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    for (i, p) in op.parameters.iter().enumerate() {
        let required = is_argument(p);
        // An optional parameter is sent when the spec gives a value for it, so that its
        // serialization is checked too.
        let example = p.example.as_ref().or(p.default.as_ref()).map(literal_json);
        if !required && example.is_none() {
            continue;
        }
        let built = Sampler::new(api).sample(&p.ty, &p.constraints);
        let api_name = &p.api_name;
        let value = match (example, built) {
            (Some(example), Ok(built)) if example != built => {
                let (example, built) = (example.to_string(), built.to_string());
                quote! { arg!(#api_name, #example, #built) }
            }
            (Some(value), _) | (None, Ok(value)) => {
                let value = value.to_string();
                quote! { arg!(#api_name, #value) }
            }
            (None, Err(why)) => {
                let why = format!("parameter `{}`: {why}", p.api_name);
                return unbuilt(&name, &why);
            }
        };
        let binding = quote::format_ident!("p{i}");
        let ty = type_tokens(api, &p.ty, models);
        lets.push(quote! { let #binding: #ty = #value; });
        if required {
            arguments.push(quote! { #binding });
        } else {
            let setter = ident(&p.rust_name);
            setters.push(quote! { .#setter(#binding) });
        }
    }
    if let Some(body) = &op.request_body {
        match request_body(api, body, locals, lib, models) {
            Ok(Some((statement, setter))) => {
                lets.push(statement);
                setters.push(setter);
            }
            Ok(None) => {}
            Err(why) => return unbuilt(&name, &format!("request body: {why}")),
        }
    }
    quote! {
        async fn #name(client: &Client) -> Outcome {
            #(#lets)*
            Outcome::of(client.#method(#(#arguments),*)#(#setters)*.send().await)
        }
    }
}

/// The statement binding `body` and the builder call sending it, for the first media type
/// the operation offers other than multipart (or multipart, when that is all it offers);
/// `Err` with why the value cannot be built.
fn request_body(
    api: &Api,
    body: &RequestBody,
    locals: &super::operations::Locals,
    lib: &proc_macro2::Ident,
    models: &TokenStream,
) -> Result<Option<(TokenStream, TokenStream)>, String> {
    // Multipart last: its files are made up, the other media types' values are built.
    let chosen = body
        .content
        .iter()
        .position(|c| !matches!(c.body, Body::Multipart(_)))
        .or_else(|| (!body.content.is_empty()).then_some(0));
    let Some(index) = chosen else {
        return Ok(None);
    };
    let content = &body.content[index];
    let (value, ty) = match &content.body {
        Body::Json(ty) => (json_value(api, ty)?, type_tokens(api, ty, models)),
        Body::Form(form) => (
            json_value(api, &form.ty)?,
            type_tokens(api, &form.ty, models),
        ),
        // Also base64 text, for specs that give a text body `format: byte`.
        Body::Text => (
            quote! { String::from("Y29uZm9ybWFuY2U=") },
            quote! { String },
        ),
        Body::Bytes => (quote! { b"conformance".to_vec() }, quote! { Vec<u8> }),
        Body::Multipart(multipart) => {
            let Some(Some(name)) = locals.multipart.get(index) else {
                return Err("a multipart body without its struct".to_owned());
            };
            let value = multipart_value(api, multipart, lib)?;
            (
                quote! { #lib::operations::#name #value },
                quote! { #lib::operations::#name },
            )
        }
    };
    let value = match &locals.body {
        Some(enumeration) => {
            let variant = &super::operations::variant_names(&body.content)[index];
            quote! { #lib::operations::#enumeration::#variant(#value) }
        }
        None => value,
    };
    let ty = match &locals.body {
        Some(enumeration) => quote! { #lib::operations::#enumeration },
        None => ty,
    };
    Ok(Some((
        quote! { let body: #ty = #value; },
        quote! { .body(body) },
    )))
}

/// The fields of an operation's multipart struct: each file part a file of a few bytes
/// (a list of one for an array), each other required part a value built as for JSON, each
/// optional part left out.
fn multipart_value(
    api: &Api,
    multipart: &MultipartBody,
    lib: &proc_macro2::Ident,
) -> Result<TokenStream, String> {
    let mut fields = Vec::new();
    for (field, part) in super::operations::multipart_fields(api, multipart) {
        let name = ident(&field.rust_name);
        let required = super::operations::field_required(field);
        let value = match (part.file, &field.ty) {
            (true, TypeRef::Array(_)) => {
                quote! { vec![#lib::File::from_bytes(&b"conformance"[..])] }
            }
            (true, _) => quote! { #lib::File::from_bytes(&b"conformance"[..]) },
            (false, ty) if required => constrained_json_value(api, ty, &field.constraints)?,
            (false, _) => quote! { None },
        };
        fields.push(match (required, part.file) {
            (false, true) => quote! { #name: Some(#value) },
            _ => quote! { #name: #value },
        });
    }
    Ok(quote! { { #(#fields),* } })
}

/// `arg!` for a JSON value of `ty`: the properties' examples first, and the built values
/// where those do not build.
fn json_value(api: &Api, ty: &TypeRef) -> Result<TokenStream, String> {
    constrained_json_value(api, ty, &Constraints::default())
}

/// [`json_value`] for a value with constraints of its own (a multipart part's).
fn constrained_json_value(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
) -> Result<TokenStream, String> {
    let built = Sampler::new(api).sample(ty, constraints)?;
    let example = Sampler::with_examples(api)
        .sample(ty, constraints)
        .ok()
        .filter(|example| *example != built);
    let built = built.to_string();
    Ok(match example {
        Some(example) => {
            let example = example.to_string();
            quote! { arg!("body", #example, #built) }
        }
        None => quote! { arg!("body", #built) },
    })
}

fn unbuilt(name: &proc_macro2::Ident, why: &str) -> TokenStream {
    quote! {
        async fn #name(_client: &Client) -> Outcome {
            Outcome::Unbuilt(#why.to_owned())
        }
    }
}

fn literal_json(literal: &Literal) -> Value {
    match literal {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::from(*i),
        Literal::Float(f) => Value::from(*f),
        Literal::String(s) => Value::String(s.clone()),
        Literal::Json(text) => serde_json::from_str(text).unwrap_or(Value::Null),
    }
}

/// Builds a value of a type that its constraints accept, for requests: readOnly fields
/// left out, optional fields too (but where they tell a union's alternatives apart), a
/// union as the first alternative whose value matches it alone.
struct Sampler<'a> {
    api: &'a Api,
    /// Whether a property's example is taken over a value built from its constraints.
    examples: bool,
    /// The named types being built, to stop at a type that requires itself.
    open: Vec<TypeId>,
}

impl<'a> Sampler<'a> {
    fn new(api: &'a Api) -> Self {
        Self {
            api,
            examples: false,
            open: Vec::new(),
        }
    }

    fn with_examples(api: &'a Api) -> Self {
        Self {
            examples: true,
            ..Self::new(api)
        }
    }

    fn sample(&mut self, ty: &TypeRef, constraints: &Constraints) -> Result<Value, String> {
        match ty {
            TypeRef::Primitive(p) => primitive(*p, constraints),
            TypeRef::Array(item) => {
                let count = constraints.min_items.unwrap_or(1).max(1);
                let count = match constraints.max_items {
                    Some(max) => count.min(max),
                    None => count,
                };
                let items = constraints.items.as_deref().cloned().unwrap_or_default();
                let plain = matches!(**item, TypeRef::Primitive(_))
                    && items.pattern.is_none()
                    && items.format.is_none()
                    && items.max_length.is_none()
                    && items.maximum.is_none()
                    && items.multiple_of.is_none();
                let item = self.sample(item, &items)?;
                let mut values = vec![item; count as usize];
                if constraints.unique_items && plain {
                    // Distinct items where nothing else constrains them: numbers and plain
                    // strings varied.
                    for (i, value) in values.iter_mut().enumerate().skip(1) {
                        match value {
                            Value::String(text) => text.push_str(&i.to_string()),
                            Value::Number(n) => {
                                if let Some(n) = n.as_i64() {
                                    *value = Value::from(n + i as i64);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Ok(Value::Array(values))
            }
            TypeRef::Map(_) | TypeRef::Any => Ok(Value::Object(Map::new())),
            TypeRef::Named(id) => self.named(*id, constraints),
        }
    }

    fn named(&mut self, id: TypeId, constraints: &Constraints) -> Result<Value, String> {
        let def = self.api.type_def(id);
        if self.open.contains(&id) {
            return Err(format!(
                "`{}` requires a value of its own type",
                def.api_name
            ));
        }
        self.open.push(id);
        let value = match &def.kind {
            TypeKind::Alias(ty) => self.sample(ty, constraints),
            TypeKind::Constrained(c) => primitive(c.base, &c.constraints),
            TypeKind::Enum(e) => e
                .variants
                .first()
                .map(|v| literal_json(&v.value))
                .ok_or_else(|| format!("`{}` has no values", def.api_name)),
            TypeKind::Union(u) => self.union(u, &def.api_name),
            TypeKind::Struct(s) => self.object(s, false),
        };
        self.open.pop();
        value
    }

    /// A value of a union that matches exactly one of its alternatives, as a validator
    /// that checks `oneOf` without the discriminator requires: for each alternative in
    /// turn, its value with the required properties, then with the optional ones too
    /// (an optional `enum` property often tells alternatives apart). Where no value
    /// matches one alternative alone (alternatives that overlap), the first alternative's.
    fn union(&mut self, u: &Union, name: &str) -> Result<Value, String> {
        let mut first = None;
        let mut error = None;
        for variant in &u.variants {
            let struct_of = match &variant.ty {
                TypeRef::Named(id) => match &self.api.type_def(*id).kind {
                    TypeKind::Struct(s) => Some(s),
                    _ => None,
                },
                _ => None,
            };
            let mut candidates = vec![self.sample(&variant.ty, &Constraints::default())];
            if let Some(s) = struct_of {
                candidates.push(self.object(s, true));
            }
            for candidate in candidates {
                let mut value = match candidate {
                    Ok(value) => value,
                    Err(why) => {
                        error.get_or_insert(why);
                        continue;
                    }
                };
                if let (Some(property), Some(tag), Value::Object(object)) =
                    (&u.discriminator, variant.tags.first(), &mut value)
                {
                    object.insert(property.clone(), Value::String(tag.clone()));
                }
                let matching = u
                    .variants
                    .iter()
                    .filter(|v| {
                        Matcher::new(self.api).accepts(&v.ty, &Constraints::default(), &value)
                    })
                    .count();
                if matching == 1
                    && Matcher::new(self.api).accepts(&variant.ty, &Constraints::default(), &value)
                {
                    return Ok(value);
                }
                first.get_or_insert(value);
            }
        }
        match (first, error) {
            (Some(value), _) => Ok(value),
            (None, Some(why)) => Err(why),
            (None, None) => Err(format!("`{name}` has no alternatives")),
        }
    }

    /// An object of a struct: its required properties (and, with `optional`, the others
    /// too), readOnly ones left out.
    fn object(&mut self, s: &Struct, optional: bool) -> Result<Value, String> {
        let mut object = Map::new();
        for field in &s.fields {
            if field.read_only || !(field.required || field.flatten || optional) {
                continue;
            }
            let example = field
                .example
                .as_ref()
                .filter(|_| self.examples && !field.flatten)
                .map(literal_json);
            let value = match (example, field.required || field.flatten) {
                (Some(example), _) => example,
                (None, true) => self.sample(&field.ty, &field.constraints)?,
                // An optional property that cannot be built is left out.
                (None, false) => match self.sample(&field.ty, &field.constraints) {
                    Ok(value) => value,
                    Err(_) => continue,
                },
            };
            match (field.flatten, value) {
                (true, Value::Object(part)) => object.extend(part),
                (true, _) => {}
                (false, value) => {
                    object.insert(field.api_name.clone(), value);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// Whether a JSON value is one of a type's, as a validator of the spec's schemas would
/// judge it (so far as the IR tells): the types of values, required properties, enum
/// values, lengths, bounds and item counts. Patterns and formats are not checked, and
/// an object's other properties are allowed.
struct Matcher<'a> {
    api: &'a Api,
    /// The named types being checked, to stop at a type that holds itself.
    open: Vec<TypeId>,
}

impl<'a> Matcher<'a> {
    fn new(api: &'a Api) -> Self {
        Self {
            api,
            open: Vec::new(),
        }
    }

    fn accepts(&mut self, ty: &TypeRef, c: &Constraints, value: &Value) -> bool {
        match ty {
            TypeRef::Primitive(p) => scalar_accepts(*p, c, value),
            TypeRef::Array(item) => value.as_array().is_some_and(|items| {
                c.min_items.is_none_or(|min| items.len() as u64 >= min)
                    && c.max_items.is_none_or(|max| items.len() as u64 <= max)
                    && (!c.unique_items || unique(items))
                    && items.iter().all(|i| {
                        let constraints = c.items.as_deref().cloned().unwrap_or_default();
                        self.accepts(item, &constraints, i)
                    })
            }),
            TypeRef::Map(inner) => value.as_object().is_some_and(|object| {
                object
                    .values()
                    .all(|v| self.accepts(inner, &Constraints::default(), v))
            }),
            TypeRef::Any => true,
            TypeRef::Named(id) => {
                if self.open.contains(id) {
                    return true;
                }
                self.open.push(*id);
                let accepted = self.named(*id, c, value);
                self.open.pop();
                accepted
            }
        }
    }

    fn named(&mut self, id: TypeId, c: &Constraints, value: &Value) -> bool {
        match &self.api.type_def(id).kind {
            TypeKind::Alias(ty) => self.accepts(ty, c, value),
            TypeKind::Constrained(constrained) => {
                scalar_accepts(constrained.base, &constrained.constraints, value)
            }
            TypeKind::Enum(e) => e.variants.iter().any(|v| literal_json(&v.value) == *value),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .any(|v| self.accepts(&v.ty, &Constraints::default(), value)),
            TypeKind::Struct(s) => {
                let Some(object) = value.as_object() else {
                    return false;
                };
                s.fields.iter().all(|field| {
                    if field.flatten {
                        return self.accepts(&field.ty, &Constraints::default(), value);
                    }
                    match object.get(&field.api_name) {
                        None => !field.required || field.read_only,
                        Some(Value::Null) if field.nullable => true,
                        Some(v) => self.accepts(&field.ty, &field.constraints, v),
                    }
                })
            }
        }
    }
}

fn unique(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[..i].iter().all(|b| a != b))
}

fn scalar_accepts(p: Primitive, c: &Constraints, value: &Value) -> bool {
    let number = |n: f64| {
        let low = bound(c.minimum);
        let high = bound(c.maximum);
        low.is_none_or(|l| if c.exclusive_minimum { n > l } else { n >= l })
            && high.is_none_or(|h| if c.exclusive_maximum { n < h } else { n <= h })
    };
    match p {
        Primitive::Bool => value.is_boolean(),
        Primitive::I32 | Primitive::I64 => value.as_i64().is_some_and(|n| number(n as f64)),
        Primitive::F32 | Primitive::F64 => value.as_f64().is_some_and(number),
        Primitive::String
        | Primitive::Binary
        | Primitive::DateTime
        | Primitive::Date
        | Primitive::Uuid => value.as_str().is_some_and(|text| {
            let length = text.chars().count() as u64;
            c.min_length.is_none_or(|min| length >= min)
                && c.max_length.is_none_or(|max| length <= max)
        }),
    }
}

fn primitive(p: Primitive, c: &Constraints) -> Result<Value, String> {
    Ok(match p {
        Primitive::Bool => Value::Bool(true),
        Primitive::I32 | Primitive::I64 => Value::from(integer(c)?),
        Primitive::F32 | Primitive::F64 => Value::from(float(c)),
        Primitive::DateTime => Value::from("2024-01-02T03:04:05Z"),
        Primitive::Date => Value::from("2024-01-02"),
        Primitive::Uuid => Value::from("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Primitive::String | Primitive::Binary => Value::String(string(c)?),
    })
}

fn bound(number: Option<Number>) -> Option<f64> {
    number.map(|n| match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    })
}

/// The integer nearest 1 that the bounds and `multipleOf` allow.
fn integer(c: &Constraints) -> Result<i64, String> {
    let low = bound(c.minimum).map(|m| {
        let m = m.ceil() as i64;
        if c.exclusive_minimum { m + 1 } else { m }
    });
    let high = bound(c.maximum).map(|m| {
        let m = m.floor() as i64;
        if c.exclusive_maximum { m - 1 } else { m }
    });
    let mut value = 1i64.max(low.unwrap_or(i64::MIN));
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = bound(c.multiple_of).map(|m| m as i64).filter(|m| *m > 0) {
        value = (value + step - 1).div_euclid(step) * step;
    }
    match (low, high) {
        (Some(low), Some(high)) if value < low || value > high => Err(format!(
            "no integer between {low} and {high} is a multiple of the step"
        )),
        _ => Ok(value),
    }
}

fn float(c: &Constraints) -> f64 {
    let low = bound(c.minimum);
    let high = bound(c.maximum);
    match (low, high) {
        (Some(low), Some(high)) => (low + high) / 2.0,
        (Some(low), None) => low + 1.0,
        (None, Some(high)) => high - 1.0,
        (None, None) => 1.0,
    }
}

/// A string its format, pattern and lengths accept.
fn string(c: &Constraints) -> Result<String, String> {
    let min = c.min_length.unwrap_or(0) as usize;
    let max = c.max_length.map(|m| m as usize);
    if let Some(pattern) = &c.pattern {
        return regex::sample(pattern, min, max)
            .ok_or_else(|| format!("no value is built for the pattern `{pattern}`"));
    }
    let by_format = match c.format.as_deref() {
        Some("date-time") => Some("2024-01-02T03:04:05Z"),
        Some("date") => Some("2024-01-02"),
        Some("uuid") => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("Y29uZm9ybWFuY2U="),
        _ => None,
    };
    if let Some(text) = by_format {
        return Ok(text.to_owned());
    }
    let mut text = "conformance".to_owned();
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text.truncate(max.max(min));
    }
    Ok(text)
}

/// Values for ECMA-262 patterns: the first alternative, each quantifier at its minimum
/// (lengthened where the schema's `minLength` asks), a plain character from each class
/// (a letter or digit where it allows one); where the engine refuses that value (a
/// lookaround, an anchor inside a group), other alternatives in turn.
mod regex {
    /// A piece of a pattern.
    enum Node {
        /// One character: the first that fits.
        Char(char),
        /// Alternatives, each a sequence of quantified nodes.
        Alt(Vec<Vec<(Node, u32, Option<u32>)>>),
        /// Matches no text (anchors, lookarounds).
        Empty,
    }

    struct Parser<'a> {
        chars: std::iter::Peekable<std::str::Chars<'a>>,
    }

    /// A value of the pattern with a length in `min..=max`, checked by an ECMA-262 engine:
    /// first the value of the first alternatives, then (where a lookaround or anchor
    /// refuses that) values of other alternatives, chosen in a fixed pseudo-random order.
    pub fn sample(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        let mut parser = Parser {
            chars: pattern.chars().peekable(),
        };
        let node = parser.alternatives()?;
        if parser.chars.next().is_some() {
            return None;
        }
        let Node::Alt(branches) = node else {
            return None;
        };
        // With the `u` flag, as validators compile patterns (`\p{L}` needs it).
        let engine = regress::Regex::with_flags(pattern, "u")
            .or_else(|_| regress::Regex::new(pattern))
            .ok();
        (0..ATTEMPTS).find_map(|attempt| {
            let mut chooser = Chooser(attempt);
            let text = build(&branches, min, max, &mut chooser)?;
            engine
                .as_ref()
                .is_none_or(|regex| regex.find(&text).is_some())
                .then_some(text)
        })
    }

    /// How many choices of alternatives are tried before giving up.
    const ATTEMPTS: u64 = 512;

    /// Which alternative each `|` takes: always the first on attempt 0, otherwise a
    /// choice of a small deterministic generator (xorshift) seeded by the attempt.
    struct Chooser(u64);

    impl Chooser {
        fn choose(&mut self, count: usize) -> usize {
            if self.0 == 0 || count < 2 {
                return 0;
            }
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            (x % count as u64) as usize
        }
    }

    type Sequence = Vec<(Node, u32, Option<u32>)>;

    fn build(
        branches: &[Sequence],
        min: usize,
        max: Option<usize>,
        chooser: &mut Chooser,
    ) -> Option<String> {
        let sequence = branches.get(chooser.choose(branches.len()))?;
        let mut counts: Vec<u32> = sequence.iter().map(|(_, count, _)| *count).collect();
        // Lengthen: repeat what may repeat, at the top level, until `min` is reached.
        let mut length = 0;
        for ((node, _, _), count) in sequence.iter().zip(&counts) {
            length += *count as usize * width(node);
        }
        for ((node, _, most), count) in sequence.iter().zip(&mut counts) {
            let unit = width(node);
            while length < min && unit > 0 && most.is_none_or(|m| *count < m) {
                *count += 1;
                length += unit;
            }
        }
        let mut text = String::new();
        for ((node, _, _), count) in sequence.iter().zip(&counts) {
            for _ in 0..*count {
                write(node, &mut text, chooser);
            }
        }
        let length = text.chars().count();
        (length >= min && max.is_none_or(|m| length <= m)).then_some(text)
    }

    /// The length of a node's first alternative's value.
    fn width(node: &Node) -> usize {
        let mut text = String::new();
        write(node, &mut text, &mut Chooser(0));
        text.chars().count()
    }

    fn write(node: &Node, out: &mut String, chooser: &mut Chooser) {
        match node {
            Node::Char(c) => out.push(*c),
            Node::Alt(branches) => {
                if let Some(branch) = branches.get(chooser.choose(branches.len())) {
                    for (node, count, _) in branch {
                        for _ in 0..*count {
                            write(node, out, chooser);
                        }
                    }
                }
            }
            Node::Empty => {}
        }
    }

    /// Characters a value is made of, most plain first.
    fn plain() -> impl Iterator<Item = char> {
        ('a'..='z')
            .chain('0'..='9')
            .chain('A'..='Z')
            .chain(' '..='~')
    }

    impl Parser<'_> {
        fn alternatives(&mut self) -> Option<Node> {
            let mut branches = vec![self.sequence()?];
            while self.chars.peek() == Some(&'|') {
                self.chars.next();
                branches.push(self.sequence()?);
            }
            Some(Node::Alt(branches))
        }

        fn sequence(&mut self) -> Option<Vec<(Node, u32, Option<u32>)>> {
            let mut sequence = Vec::new();
            while let Some(&c) = self.chars.peek() {
                if c == '|' || c == ')' {
                    break;
                }
                let node = self.atom()?;
                let (least, most) = self.quantifier()?;
                sequence.push((node, least, most));
            }
            Some(sequence)
        }

        fn atom(&mut self) -> Option<Node> {
            Some(match self.chars.next()? {
                '^' | '$' => Node::Empty,
                '.' => Node::Char('a'),
                '(' => {
                    let lookaround = if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                        match self.chars.next()? {
                            ':' => false,
                            '=' | '!' => true,
                            '<' => match self.chars.peek()? {
                                '=' | '!' => {
                                    self.chars.next();
                                    true
                                }
                                _ => {
                                    // A named group: skip the name.
                                    while self.chars.next()? != '>' {}
                                    false
                                }
                            },
                            _ => return None,
                        }
                    } else {
                        false
                    };
                    let inner = self.alternatives()?;
                    if self.chars.next()? != ')' {
                        return None;
                    }
                    if lookaround { Node::Empty } else { inner }
                }
                '[' => Node::Char(self.class()?),
                '\\' => match self.escape()? {
                    Escaped::Char(c) => Node::Char(c),
                    Escaped::Set(set) => Node::Char(plain().find(|c| set(*c))?),
                    Escaped::Empty => Node::Empty,
                },
                '*' | '+' | '?' | '{' | ')' => return None,
                c => Node::Char(c),
            })
        }

        /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (lazy or not): the least and most counts.
        fn quantifier(&mut self) -> Option<(u32, Option<u32>)> {
            let counts = match self.chars.peek() {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('{') => {
                    self.chars.next();
                    let mut text = String::new();
                    loop {
                        match self.chars.next()? {
                            '}' => break,
                            c => text.push(c),
                        }
                    }
                    let (least, most) = match text.split_once(',') {
                        Some((least, "")) => (least.trim().parse().ok()?, None),
                        Some((least, most)) => {
                            (least.trim().parse().ok()?, Some(most.trim().parse().ok()?))
                        }
                        None => {
                            let n = text.trim().parse().ok()?;
                            (n, Some(n))
                        }
                    };
                    if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                    }
                    return Some((least, most));
                }
                _ => return Some((1, Some(1))),
            };
            self.chars.next();
            if self.chars.peek() == Some(&'?') {
                self.chars.next();
            }
            Some(counts)
        }

        /// A bracket class after `[`: a plain character in it (or, negated, outside it).
        fn class(&mut self) -> Option<char> {
            let negated = self.chars.peek() == Some(&'^');
            if negated {
                self.chars.next();
            }
            let mut ranges: Vec<(char, char)> = Vec::new();
            let mut sets: Vec<fn(char) -> bool> = Vec::new();
            let mut first = true;
            loop {
                let c = self.chars.next()?;
                let low = match c {
                    ']' if !first => break,
                    '\\' => match self.escape()? {
                        Escaped::Char(c) => c,
                        Escaped::Set(set) => {
                            sets.push(set);
                            first = false;
                            continue;
                        }
                        Escaped::Empty => return None,
                    },
                    c => c,
                };
                first = false;
                let mut high = low;
                if self.chars.peek() == Some(&'-') {
                    let mut ahead = self.chars.clone();
                    ahead.next();
                    if let Some(&next) = ahead.peek()
                        && next != ']'
                    {
                        self.chars.next();
                        high = match self.chars.next()? {
                            '\\' => match self.escape()? {
                                Escaped::Char(c) => c,
                                _ => return None,
                            },
                            c => c,
                        };
                    }
                }
                ranges.push((low, high));
            }
            let contains = |c: char| {
                ranges.iter().any(|&(l, h)| (l..=h).contains(&c)) || sets.iter().any(|s| s(c))
            };
            if negated {
                plain().find(|c| !contains(*c))
            } else {
                plain()
                    .find(|c| contains(*c))
                    .or_else(|| ranges.first().map(|r| r.0))
            }
        }

        fn escape(&mut self) -> Option<Escaped> {
            Some(match self.chars.next()? {
                'd' => Escaped::Set(|c| c.is_ascii_digit()),
                'D' => Escaped::Set(|c| !c.is_ascii_digit()),
                'w' => Escaped::Set(|c| c.is_ascii_alphanumeric() || c == '_'),
                'W' => Escaped::Set(|c| !(c.is_ascii_alphanumeric() || c == '_')),
                's' => Escaped::Char(' '),
                'S' => Escaped::Set(|c| !c.is_whitespace()),
                'b' | 'B' => Escaped::Empty,
                'n' => Escaped::Char('\n'),
                't' => Escaped::Char('\t'),
                'p' | 'P' => {
                    if self.chars.next()? != '{' {
                        return None;
                    }
                    let mut name = String::new();
                    loop {
                        match self.chars.next()? {
                            '}' => break,
                            c => name.push(c),
                        }
                    }
                    match name.as_str() {
                        "N" | "Nd" => Escaped::Set(|c| c.is_ascii_digit()),
                        "Lu" => Escaped::Set(|c| c.is_ascii_uppercase()),
                        "Ll" => Escaped::Set(|c| c.is_ascii_lowercase()),
                        _ => Escaped::Set(|c| c.is_ascii_alphabetic()),
                    }
                }
                'u' => {
                    let hex: String = (0..4).filter_map(|_| self.chars.next()).collect();
                    Escaped::Char(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?)
                }
                'x' => {
                    let hex: String = (0..2).filter_map(|_| self.chars.next()).collect();
                    Escaped::Char(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?)
                }
                c if c.is_ascii_digit() => return None,
                c => Escaped::Char(c),
            })
        }
    }

    enum Escaped {
        Char(char),
        Set(fn(char) -> bool),
        Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value the sampler builds for the JSON body of the only operation of a spec whose
    /// `components.schemas` are `schemas` (YAML) and whose body is `Body`.
    fn body_value(schemas: &str) -> Value {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x:\n    post:\n      \
             operationId: send\n      requestBody:\n        required: true\n        content:\n          \
             application/json:\n            schema: {{$ref: '#/components/schemas/Body'}}\n      \
             responses:\n        '204': {{description: done}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let config = crate::Config {
            spec_path: "spec.yaml".to_owned(),
            ..crate::Config::default()
        };
        let api = crate::generate(&spec, &config).unwrap().api;
        let body = api.operations[0].request_body.as_ref().unwrap();
        let Body::Json(ty) = &body.content[0].body else {
            panic!("a JSON body");
        };
        Sampler::new(&api)
            .sample(ty, &Constraints::default())
            .unwrap()
    }

    #[test]
    fn a_union_value_matches_one_alternative_alone() {
        // Every value of `Password` also matches `Passkey`, which requires less: the value
        // built is `Passkey`'s, which matches it alone.
        let value = body_value(
            "    Body:
      oneOf: [{$ref: '#/components/schemas/Password'}, {$ref: '#/components/schemas/Passkey'}]
      discriminator:
        propertyName: method
        mapping: {password: '#/components/schemas/Password', passkey: '#/components/schemas/Passkey'}
    Password:
      type: object
      required: [method, password]
      properties: {method: {type: string}, password: {type: string}}
    Passkey:
      type: object
      required: [method]
      properties: {method: {type: string}, passkey_login: {type: string}}
",
        );
        assert_eq!(value, serde_json::json!({"method": "passkey"}));
    }

    #[test]
    fn an_optional_enum_tells_alternatives_apart() {
        // Nothing is required, so `{}` matches both; the optional `type` tells them apart.
        let value = body_value(
            "    Body:
      oneOf: [{$ref: '#/components/schemas/Query'}, {$ref: '#/components/schemas/Constant'}]
    Query:
      type: object
      properties: {type: {type: string, enum: [query]}, query: {type: string}}
    Constant:
      type: object
      properties: {type: {type: string, enum: [constant]}, values: {type: array, items: {type: string}}}
",
        );
        assert_eq!(
            value,
            serde_json::json!({"type": "query", "query": "conformance"})
        );
    }

    #[test]
    fn items_of_a_plain_array_keep_their_format() {
        let value = body_value(
            "    Body:
      type: object
      required: [usernames]
      properties:
        usernames: {type: array, uniqueItems: true, items: {type: string, format: email}}
",
        );
        assert_eq!(
            value,
            serde_json::json!({"usernames": ["user@example.com"]})
        );
        let value = body_value(
            "    Body:
      type: object
      required: [tags]
      properties:
        tags: {type: array, minItems: 2, uniqueItems: true, items: {type: string}}
",
        );
        assert_eq!(
            value,
            serde_json::json!({"tags": ["conformance", "conformance1"]})
        );
    }

    fn constraints(pattern: &str, min: Option<u64>, max: Option<u64>) -> Constraints {
        Constraints {
            pattern: Some(pattern.to_owned()),
            min_length: min,
            max_length: max,
            ..Constraints::default()
        }
    }

    #[test]
    fn strings_satisfy_simple_patterns_and_lengths() {
        assert_eq!(
            string(&constraints("^([a-f0-9]{24})$", None, None)).unwrap(),
            "a".repeat(24)
        );
        assert_eq!(
            string(&constraints(
                "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
                Some(3),
                Some(64)
            ))
            .unwrap(),
            "aaa"
        );
        assert_eq!(
            string(&constraints(r#"^[^/\\ "$]{1,64}$"#, None, None)).unwrap(),
            "a"
        );
        assert_eq!(
            string(&constraints(
                r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$",
                None,
                None
            ))
            .unwrap(),
            "a"
        );
        assert_eq!(
            string(&constraints(
                r"^([0-9]{1,3}\.){3}[0-9]{1,3}|(([a-z]+)\.)+$",
                None,
                None
            ))
            .unwrap(),
            "0.0.0.0"
        );
        assert_eq!(
            string(&constraints("^vpce-[0-9a-f]{17}|^%2[fF]x$", None, None)).unwrap(),
            format!("vpce-{}", "a".repeat(17))
        );
        // Lengths lengthen what may repeat.
        assert_eq!(
            string(&constraints("^a(b|c)*d$", Some(5), None)).unwrap(),
            "abbbd"
        );
        assert!(string(&constraints(r"^(a)\1$", None, None)).is_err());
        // A look-ahead the first alternatives break: other alternatives are tried.
        let cidr =
            r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";
        let value = string(&constraints(cidr, None, None)).unwrap();
        assert!(
            regress::Regex::new(cidr).unwrap().find(&value).is_some(),
            "{value}"
        );
        let plain = Constraints {
            min_length: Some(15),
            ..Constraints::default()
        };
        assert_eq!(string(&plain).unwrap().len(), 15);
    }

    #[test]
    fn integers_respect_bounds_and_steps() {
        let c = |min: Option<i64>, max: Option<i64>, step: Option<i64>| Constraints {
            minimum: min.map(Number::Int),
            maximum: max.map(Number::Int),
            multiple_of: step.map(Number::Int),
            ..Constraints::default()
        };
        assert_eq!(integer(&c(None, None, None)).unwrap(), 1);
        assert_eq!(integer(&c(Some(5), Some(500), None)).unwrap(), 5);
        assert_eq!(integer(&c(None, Some(0), None)).unwrap(), 0);
        assert_eq!(integer(&c(Some(1), None, Some(10))).unwrap(), 10);
        assert!(integer(&c(Some(1), Some(9), Some(10))).is_err());
    }
}
