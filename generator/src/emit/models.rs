//! The models module: one item per named type of the IR.

use super::syntax;
use super::validate;
use super::{Presence, docs, held_type, ident, int, presence, primitive, resolved, type_tokens};
use crate::ir::*;
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;
use std::ops::Range;

/// Every named type, in IR order: the whole file at once. [`head`], [`types`],
/// [`error_bodies`] and [`checks`] emit it in parts, which render to the same text. Not
/// yet split by feature: `generator::module_files` renders it as the crate has it.
pub fn models(api: &Api) -> TokenStream {
    let checks = CheckPlan::new(api);
    let head = head();
    let types = types(api, &checks, 0..api.types.len());
    let error_bodies = error_bodies(api);
    let check_items = checks.items(0..checks.len());
    quote! { #head #types #error_bodies #check_items }
}

/// The module docs and lints that start the file. Nothing is imported: the crate's items
/// are named by path (`crate::ConstraintViolation`), so a schema may have any name.
pub fn head() -> TokenStream {
    quote! {
        //! Request and response types, and validated parameter types.
        #![allow(deprecated, reason = "deprecated types still need their impls")]
        #![allow(
            clippy::enum_variant_names,
            clippy::type_complexity,
            reason = "names and nesting are the spec's"
        )]
    }
}

/// The items of the named types in `range` (indexes into `api.types`).
pub fn types(api: &Api, checks: &CheckPlan, range: Range<usize>) -> TokenStream {
    let items = api.types[range]
        .iter()
        .map(|def| match type_def(api, checks, def) {
            Emitted::Tokens(tokens) => tokens,
            Emitted::Items(items) => quote! { #(#items)* },
            Emitted::Struct(parts) => parts.tokens(),
        });
    quote! { #(#items)* }
}

/// The same items as [`types`], as syntax trees for `prettyplease`. The bulk of the
/// models, the open enums' macro calls (whose rows stay tokens until they are formatted)
/// and structs' declared fields, are built as syntax trees directly (parsing tokens back
/// was most of the cost of generating); the rest is parsed from the tokens its emitters
/// make.
pub fn type_items(
    api: &Api,
    checks: &CheckPlan,
    range: Range<usize>,
) -> Result<Vec<syn::Item>, syn::Error> {
    let mut items = Vec::new();
    for def in &api.types[range] {
        match type_def(api, checks, def) {
            Emitted::Tokens(tokens) => items.extend(syn::parse2::<syn::File>(tokens)?.items),
            Emitted::Items(built) => items.extend(built),
            Emitted::Struct(parts) => items.extend(parts.items()?),
        }
    }
    Ok(items)
}

/// What the emitter of one type makes.
enum Emitted {
    Tokens(TokenStream),
    Items(Vec<syn::Item>),
    /// A struct whose fields are built apart (see [`expand_struct`]), and its methods.
    Struct(Box<StructItems>),
}

/// A struct as [`expand_struct`] makes it, in parts: `#head pub struct #name { #fields
/// #tail }`, `crate::runtime::object! { #serde }` and `impl #name { #constructor
/// #violations }`.
struct StructItems {
    /// The text of its docs.
    docs: String,
    /// Its other attributes.
    head: TokenStream,
    name: proc_macro2::Ident,
    /// The declared fields.
    fields: Vec<FieldParts>,
    /// The fields after them (unknown and additional properties).
    tail: TokenStream,
    /// The body of the `object!` call writing its serde impls, unless they are derived.
    serde: Option<TokenStream>,
    constructor: Option<Constructor>,
    violations: Option<Violations>,
}

/// A declared field: its docs, its other attributes, its name and its type.
struct FieldParts {
    docs: String,
    attrs: TokenStream,
    name: proc_macro2::Ident,
    ty: TokenStream,
}

impl StructItems {
    fn tokens(self) -> TokenStream {
        let StructItems {
            docs,
            head,
            name,
            fields,
            tail,
            serde,
            constructor,
            violations,
        } = self;
        let head = {
            let docs = docs::attrs(&docs);
            quote! { #docs #head }
        };
        let serde = serde.map(|body| quote! { crate::runtime::object! { #body } });
        let constructor = constructor.map(Constructor::tokens);
        let violations = violations.map(|violations| violations.tokens());
        let methods = (constructor.is_some() || violations.is_some()).then(|| {
            quote! {
                impl #name {
                    #constructor
                    #violations
                }
            }
        });
        let fields = fields.into_iter().map(|f| {
            let FieldParts {
                docs,
                attrs,
                name,
                ty,
            } = f;
            let docs = docs::attrs(&docs);
            quote! { #docs #attrs pub #name: #ty, }
        });
        quote! {
            #head
            pub struct #name {
                #(#fields)*
                #tail
            }

            #serde
            #methods
        }
    }

    /// The items, the declared fields built as syntax trees: of a field, only its type
    /// and its attributes other than docs are parsed, once per text (many fields share them).
    fn items(self) -> Result<Vec<syn::Item>, syn::Error> {
        let StructItems {
            docs,
            head,
            name,
            fields,
            tail,
            serde,
            constructor,
            violations,
        } = self;
        // The attributes and the fields after the declared ones are alike in many structs.
        let mut item: syn::ItemStruct =
            syntax::parsed(quote! { #head pub struct Struct { #tail } })?;
        item.ident = name.clone();
        item.attrs.splice(0..0, syntax::docs(&docs));
        let mut built = Vec::with_capacity(fields.len());
        for f in fields {
            let mut attrs = syntax::docs(&f.docs);
            attrs.extend(syntax::parsed::<syntax::Attributes>(f.attrs)?.0);
            built.push(syn::Field {
                attrs,
                vis: syn::Visibility::Public(Default::default()),
                mutability: syn::FieldMutability::None,
                ident: Some(f.name),
                colon_token: Some(Default::default()),
                ty: syntax::parsed(f.ty)?,
            });
        }
        if let syn::Fields::Named(named) = &mut item.fields {
            named.named = built
                .into_iter()
                .chain(std::mem::take(&mut named.named))
                .collect();
        }
        let mut items = vec![syn::Item::Struct(item)];
        if let Some(body) = serde {
            items.push(syntax::macro_call(&["crate", "runtime", "object"], body));
        }
        if constructor.is_some() || violations.is_some() {
            let mut methods: syn::ItemImpl = syn::parse2(quote! { impl #name {} })?;
            if let Some(constructor) = constructor {
                methods.items.push(syn::ImplItem::Fn(constructor.item()?));
            }
            if let Some(violations) = violations {
                methods.items.push(syn::ImplItem::Fn(violations.item()?));
            }
            items.push(syn::Item::Impl(methods));
        }
        Ok(items)
    }
}

/// `new` for a struct with required fields: its arguments and the values of the struct's
/// fields.
struct Constructor {
    /// The lint allowed for many arguments, if there are many.
    many: Option<TokenStream>,
    /// `name: impl Into<Type>`, one per required field.
    arguments: Vec<TokenStream>,
    /// `name: value`, one per field.
    values: Vec<TokenStream>,
}

impl Constructor {
    fn tokens(self) -> TokenStream {
        let Constructor {
            many,
            arguments,
            values,
        } = self;
        quote! {
            /// A value with the required fields; the optional ones start empty.
            #many
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#values,)*
                }
            }
        }
    }

    /// The method, its arguments and values parsed once per text: many structs share them.
    fn item(self) -> Result<syn::ImplItemFn, syn::Error> {
        let many = &self.many;
        let mut method: syn::ImplItemFn = syntax::parsed(quote! {
            /// A value with the required fields; the optional ones start empty.
            #many
            pub fn new() -> Self {
                Self {}
            }
        })?;
        for argument in self.arguments {
            method.sig.inputs.push(syntax::parsed(argument)?);
        }
        let literal = match method.block.stmts.first_mut() {
            Some(syn::Stmt::Expr(expr, None)) => syntax::struct_literal(expr),
            _ => None,
        };
        let literal = literal.expect("`new` is a struct literal");
        for value in self.values {
            literal.fields.push(syntax::parsed(value)?);
        }
        Ok(method)
    }
}

fn type_def(api: &Api, checks: &CheckPlan, def: &TypeDef) -> Emitted {
    match &def.kind {
        TypeKind::Struct(s) => Emitted::Struct(Box::new(expand_struct(api, def, s, checks))),
        TypeKind::Enum(e) if e.repr == EnumRepr::String => string_enum(def, e),
        TypeKind::Enum(e) => Emitted::Items(vec![int_enum(def, e)]),
        TypeKind::Union(u) => Emitted::Tokens(expand_union(api, def, u)),
        TypeKind::Constrained(c) => Emitted::Tokens(expand_constrained(def, c)),
        TypeKind::Alias(ty) => Emitted::Tokens(expand_alias(api, def, ty)),
    }
}

/// `ErrorBody` impls, after the types.
pub fn error_bodies(api: &Api) -> TokenStream {
    let items = error_body_impls(api);
    quote! { #(#items)* }
}

/// The check functions for constrained fields, one per distinct type and constraint set,
/// shared by every struct whose fields use it (`check_0`, `check_1`, ...).
///
/// They are numbered before anything is emitted, in the order the structs first use
/// them, so that the structs and the functions can be emitted apart and still agree.
pub struct CheckPlan {
    known: Vec<(Primitive, Constraints)>,
}

impl CheckPlan {
    pub fn new(api: &Api) -> CheckPlan {
        let mut plan = CheckPlan { known: Vec::new() };
        for def in &api.types {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for (field, base) in checked_fields(def, s) {
                if plan.index(base, &field.constraints).is_none() {
                    plan.known.push((base, field.constraints.clone()));
                }
            }
        }
        plan
    }

    /// How many check functions there are.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    fn index(&self, base: Primitive, constraints: &Constraints) -> Option<usize> {
        self.known
            .iter()
            .position(|(b, c)| *b == base && c == constraints)
    }

    /// The name of the check function for these constraints.
    fn name(&self, base: Primitive, constraints: &Constraints) -> Option<proc_macro2::Ident> {
        self.index(base, constraints)
            .map(|index| ident(&names::check_items(index).function))
    }

    /// The check functions numbered `range`.
    pub fn items(&self, range: Range<usize>) -> TokenStream {
        let items = range.map(|index| {
            let (base, constraints) = &self.known[index];
            let items = names::check_items(index);
            let name = ident(&items.function);
            if *base == Primitive::String {
                let matcher = ident(&items.matcher);
                let constant = ident(&items.constant);
                let pattern = constraints
                    .pattern
                    .as_deref()
                    .map(|p| validate::module_pattern_items(p, &matcher, &constant));
                let names = validate::PatternNames {
                    matcher: quote! { #matcher },
                    constant: quote! { #constant },
                };
                let checks = validate::string_checks(constraints, &names);
                quote! {
                    #pattern

                    fn #name(value: &str) -> Result<(), crate::ConstraintViolation> {
                        #checks
                        Ok(())
                    }
                }
            } else {
                let ty = primitive(*base);
                // An `int32` held in an `i64` (see `held_type`): the format is a check too.
                let format = (*base == Primitive::I64
                    && constraints.format.as_deref() == Some("int32"))
                .then(|| {
                    quote! {
                        if i32::try_from(value).is_err() {
                            return Err(crate::ConstraintViolation::new(value, crate::Constraint::Format("int32")));
                        }
                    }
                });
                let checks = validate::number_checks(constraints, *base);
                quote! {
                    fn #name(value: #ty) -> Result<(), crate::ConstraintViolation> {
                        #format
                        #checks
                        Ok(())
                    }
                }
            }
        });
        quote! { #(#items)* }
    }
}

/// Every pattern the models module compiles into a check: those of string newtypes and
/// those of checked struct fields.
pub(crate) fn emitted_patterns<'a>(
    api: &'a Api,
    checks: &'a CheckPlan,
) -> impl Iterator<Item = &'a str> {
    let newtypes = api.types.iter().filter_map(|def| match &def.kind {
        TypeKind::Constrained(c) if c.base == Primitive::String => c.constraints.pattern.as_deref(),
        _ => None,
    });
    let fields = checks
        .known
        .iter()
        .filter(|(base, _)| *base == Primitive::String)
        .filter_map(|(_, c)| c.pattern.as_deref());
    newtypes.chain(fields)
}

/// The fields of `s` (the struct of `def`) that get a check, with the type they are held
/// in: primitives whose constraints restrict them, of a type a check function exists for,
/// and `int32` integers held in an `i64`.
fn checked_fields<'a>(
    def: &'a TypeDef,
    s: &'a Struct,
) -> impl Iterator<Item = (&'a Field, Primitive)> {
    s.fields.iter().filter_map(move |f| {
        let TypeRef::Primitive(base) = held_type(&f.ty, def) else {
            return None;
        };
        let widened = f.ty == TypeRef::Primitive(Primitive::I32) && base == Primitive::I64;
        (widened || validate::checks_anything(&f.constraints, base)).then_some((f, base))
    })
}

/// `constraint_violations()` for a struct with constrained fields: responses decode even
/// when a server breaks its own constraints, and this says where it did. One line per
/// checked field (see `runtime::Violations`), whatever its presence: an absent or null
/// value is not checked.
fn expand_violations(def: &TypeDef, s: &Struct, checks: &CheckPlan) -> Option<Violations> {
    let steps: Vec<Check> = checked_fields(def, s)
        .filter_map(|(f, base)| {
            Some(Check {
                api_name: f.api_name.clone(),
                field: ident(&f.rust_name),
                function: checks.name(base, &f.constraints)?,
            })
        })
        .collect();
    (!steps.is_empty()).then_some(Violations(steps))
}

/// `constraint_violations()`: a check of each field with constraints, in order.
struct Violations(Vec<Check>);

/// `.check("apiName", &self.field, check_function)`.
struct Check {
    api_name: String,
    field: proc_macro2::Ident,
    function: proc_macro2::Ident,
}

impl Violations {
    fn tokens(&self) -> TokenStream {
        let steps = self.0.iter().map(|check| {
            let Check {
                api_name,
                field,
                function,
            } = check;
            quote! { .check(#api_name, &self.#field, #function) }
        });
        quote! {
            /// The fields whose values break the spec's constraints (see [`crate::ConstraintViolations`]).
            pub fn constraint_violations(&self) -> crate::ConstraintViolations {
                crate::runtime::Violations::default()
                    #(#steps)*
                    .into_vec()
            }
        }
    }

    /// The method, its chain of checks built rather than parsed.
    fn item(&self) -> Result<syn::ImplItemFn, syn::Error> {
        let mut method: syn::ImplItemFn = syntax::parsed(quote! {
            /// The fields whose values break the spec's constraints (see [`crate::ConstraintViolations`]).
            pub fn constraint_violations(&self) -> crate::ConstraintViolations {
                crate::runtime::Violations::default()
            }
        })?;
        let Some(syn::Stmt::Expr(chain, None)) = method.block.stmts.first_mut() else {
            unreachable!("the method is one expression");
        };
        for check in &self.0 {
            let field = &check.field;
            let args = [
                syntax::str_expr(&check.api_name),
                syntax::parsed(quote! { &self.#field })?,
                syn::Expr::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: check.function.clone().into(),
                }),
            ];
            let receiver = std::mem::replace(chain, syn::Expr::Verbatim(TokenStream::new()));
            *chain = syntax::method_call(receiver, "check", args);
        }
        let receiver = std::mem::replace(chain, syn::Expr::Verbatim(TokenStream::new()));
        *chain = syntax::method_call(receiver, "into_vec", []);
        Ok(method)
    }
}

/// `ErrorBody` for every type an operation's `Error<E>` carries, so that every error can
/// be displayed and `err.is_error_code("RESOURCE_NOT_FOUND")` works. A struct gets its
/// code and message from the fields lowering marked (by the configuration's `errors`
/// names); `serde_json::Value`, the body of operations without one documented error type,
/// looks for the same names when it is read; any other type gets an impl with neither.
fn error_body_impls(api: &Api) -> Vec<TokenStream> {
    // Deduplicated by their Rust spelling: `binary` and `string` are both `String`.
    let mut types: Vec<(String, TypeRef)> = Vec::new();
    for op in &api.operations {
        let mut bodies = op
            .error_responses()
            .filter_map(|r| r.content.first().map(|c| &c.body));
        // The operation's error type, as `operations` decides it: one shared JSON type,
        // else any JSON value.
        let ty = match bodies.next() {
            Some(Body::Json(first)) if bodies.all(|b| *b == Body::Json(first.clone())) => {
                resolve_alias(api, first)
            }
            _ => TypeRef::Any,
        };
        let spelling = type_tokens(api, &ty, &TokenStream::new()).to_string();
        if !types.iter().any(|(known, _)| *known == spelling) {
            types.push((spelling, ty));
        }
    }
    types
        .iter()
        .map(|(_, ty)| {
            let tokens = type_tokens(api, ty, &TokenStream::new());
            let methods = match ty {
                TypeRef::Named(id) => error_body_methods(api.type_def(*id)),
                TypeRef::Primitive(Primitive::String | Primitive::Binary) => quote! {
                    fn error_message(&self) -> Option<&str> {
                        Some(self)
                    }
                },
                TypeRef::Any => {
                    let (codes, messages) =
                        (api.error_names.code.iter(), api.error_names.message.iter());
                    quote! {
                        fn error_code(&self) -> Option<&str> {
                            crate::runtime::string_property(self, &[#(#codes),*])
                        }

                        fn error_message(&self) -> Option<&str> {
                            crate::runtime::string_property(self, &[#(#messages),*])
                        }
                    }
                }
                _ => TokenStream::new(),
            };
            quote! {
                impl crate::ErrorBody for #tokens {
                    #methods
                }
            }
        })
        .collect()
}

/// A reference with aliases followed to what they name, so that two spellings of one type
/// get one impl.
fn resolve_alias(api: &Api, ty: &TypeRef) -> TypeRef {
    let mut ty = ty.clone();
    // An alias chain is at most as long as the list of types; the bound rules out a loop.
    for _ in 0..=api.types.len() {
        match &ty {
            TypeRef::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Alias(target) => ty = target.clone(),
                _ => break,
            },
            _ => break,
        }
    }
    ty
}

/// `error_code` and `error_message` of a struct, from the first of its string properties
/// (or string enums, for the code) named as [`CODE_NAMES`] and [`MESSAGE_NAMES`] list.
fn error_body_methods(def: &TypeDef) -> TokenStream {
    let TypeKind::Struct(s) = &def.kind else {
        return TokenStream::new();
    };
    let field = |name: &Option<String>| {
        let name = name.as_deref()?;
        s.fields.iter().find(|f| f.api_name == name)
    };
    let code = field(&s.error_code);
    let message = field(&s.error_message);
    let accessor = |f: &Field| {
        let name = ident(&f.rust_name);
        let is_enum = matches!(f.ty, TypeRef::Named(_));
        match (presence(f, def), is_enum) {
            (Presence::Always, false) => quote! { Some(&self.#name) },
            (Presence::Always, true) => quote! { Some(self.#name.as_str()) },
            (Presence::Null | Presence::Optional, false) => quote! { self.#name.as_deref() },
            (Presence::Null | Presence::Optional, true) => {
                quote! { self.#name.as_ref().map(|value| value.as_str()) }
            }
            (Presence::OptionalNull, false) => {
                quote! { self.#name.as_ref().and_then(Option::as_deref) }
            }
            (Presence::OptionalNull, true) => {
                quote! { self.#name.as_ref().and_then(Option::as_ref).map(|value| value.as_str()) }
            }
        }
    };
    let code = code.map(|f| {
        let value = accessor(f);
        quote! {
            fn error_code(&self) -> Option<&str> {
                #value
            }
        }
    });
    let message = message.map(|f| {
        let value = accessor(f);
        quote! {
            fn error_message(&self) -> Option<&str> {
                #value
            }
        }
    });
    quote! { #code #message }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    docs::attrs(&type_doc_text(def))
}

/// The text of a type's docs.
fn type_doc_text(def: &TypeDef) -> String {
    match (&def.title, &def.description) {
        (Some(title), Some(description)) => format!("{title}\n\n{description}"),
        (Some(text), None) | (None, Some(text)) => text.clone(),
        (None, None) => format!("{} from the spec.", docs::code(&def.api_name)),
    }
}

fn deprecated(flag: bool) -> Option<TokenStream> {
    flag.then(|| quote! { #[deprecated = "deprecated in the API specification"] })
}

/// A name for a map of undeclared properties: `base`, or with as many `_` after it as it
/// takes to differ from every declared property's field.
fn free_field_name(s: &Struct, base: &str) -> String {
    let mut name = base.to_owned();
    while s
        .fields
        .iter()
        .any(|f| f.rust_name.trim_start_matches("r#") == name)
    {
        name.push('_');
    }
    name
}

/// A struct, with an impl holding its constructor and `constraint_violations()` when it
/// has them.
fn expand_struct(api: &Api, def: &TypeDef, s: &Struct, checks: &CheckPlan) -> StructItems {
    let name = ident(&def.rust_name);
    let all_optional = s
        .fields
        .iter()
        .all(|f| presence(f, def) != Presence::Always);
    let default = all_optional.then(|| quote! { , Default });
    // Serde's impls come from `object!` unless a field is flattened into the struct's
    // own keys (a part or `additionalProperties`): those keep the derive.
    let derived = s.additional_properties.is_some() || s.fields.iter().any(|f| f.flatten);
    let fields = s.fields.iter().map(|f| expand_field(api, def, f, derived));
    let extra = s.additional_properties.as_ref().map(|ty| {
        let ty = type_tokens(api, &held_type(ty, def), &TokenStream::new());
        let name = ident(&free_field_name(s, "additional_properties"));
        quote! {
            /// Properties beyond the ones declared, as the spec's `additionalProperties` allows.
            #[serde(flatten)]
            pub #name: std::collections::BTreeMap<String, #ty>,
        }
    });
    // What a response carries beyond the spec (a newer server's fields) is kept, so a value
    // read, changed and sent back loses nothing. A type with `additionalProperties`
    // already keeps them in its own map.
    let keeps_unknown = def.in_response && s.additional_properties.is_none();
    let unknown_name = keeps_unknown.then(|| ident(&free_field_name(s, "unknown_fields")));
    let unknown = unknown_name.as_ref().map(|name| {
        let flatten = derived.then(|| quote! { #[serde(flatten)] });
        quote! {
            /// Properties the spec does not declare, as sent: written back after the declared ones, in key order.
            #flatten
            pub #name: crate::UnknownFields,
        }
    });
    let serde = if derived {
        None
    } else {
        let rows = s.fields.iter().map(|f| {
            let name = ident(&f.rust_name);
            let wire = &f.api_name;
            let kind = ident(match presence(f, def) {
                Presence::Always => "required",
                Presence::Null => "null",
                Presence::Optional => "optional",
                Presence::OptionalNull => "nullable",
            });
            quote! { #name: #wire #kind, }
        });
        let unknown = unknown_name.map(|name| quote! { ..#name });
        Some(quote! {
            #name {
                #(#rows)*
                #unknown
            }
        })
    };
    let derives = derived.then(|| quote! { , serde::Serialize, serde::Deserialize });
    let constructor = (!all_optional).then(|| expand_constructor(api, def, s));
    let violations = expand_violations(def, s, checks);
    let deprecated = deprecated(def.deprecated);
    StructItems {
        docs: type_doc_text(def),
        head: quote! {
            #deprecated
            #[derive(Debug, Clone, PartialEq #default #derives)]
        },
        name,
        fields: fields.collect(),
        tail: quote! { #extra #unknown },
        serde,
        constructor,
        violations,
    }
}

/// `new` for a struct with required fields (one without has `Default`): the required
/// fields as arguments, every other field empty, so a value is built as
/// `Type { optional: Some(..), ..Type::new(required) }`.
fn expand_constructor(api: &Api, def: &TypeDef, s: &Struct) -> Constructor {
    let required: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| presence(f, def) == Presence::Always)
        .collect();
    let arguments = required
        .iter()
        .map(|f| {
            let name = ident(&f.rust_name);
            let ty = field_type(api, def, f);
            quote! { #name: impl Into<#ty> }
        })
        .collect();
    let mut values: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let name = ident(&f.rust_name);
            if presence(f, def) == Presence::Always {
                quote! { #name: #name.into() }
            } else {
                quote! { #name: None }
            }
        })
        .collect();
    if s.additional_properties.is_some() {
        let name = ident(&free_field_name(s, "additional_properties"));
        values.push(quote! { #name: Default::default() });
    }
    if def.in_response && s.additional_properties.is_none() {
        let name = ident(&free_field_name(s, "unknown_fields"));
        values.push(quote! { #name: Default::default() });
    }
    let many = (required.len() > 7).then(|| {
        quote! { #[allow(clippy::too_many_arguments, reason = "one argument per required field")] }
    });
    Constructor {
        many,
        arguments,
        values,
    }
}

/// The Rust type of a field: as held (see `held_type`), boxed where it closes a cycle, and
/// optional as its presence says.
fn field_type(api: &Api, owner: &TypeDef, f: &Field) -> TokenStream {
    let mut ty = type_tokens(api, &held_type(&f.ty, owner), &TokenStream::new());
    if f.boxed {
        ty = quote! { Box<#ty> };
    }
    match presence(f, owner) {
        Presence::Always => ty,
        Presence::Null | Presence::Optional => quote! { Option<#ty> },
        Presence::OptionalNull => quote! { Option<Option<#ty>> },
    }
}

/// A declared field; with its serde attributes when the struct's serde impls are
/// `derived` (otherwise `object!` has what they would say).
fn expand_field(api: &Api, owner: &TypeDef, f: &Field, derived: bool) -> FieldParts {
    let name = ident(&f.rust_name);
    let ty = field_type(api, owner, f);
    let presence = presence(f, owner);
    let rename = (f.rust_name.trim_start_matches("r#") != f.api_name).then(|| {
        let api_name = &f.api_name;
        quote! { rename = #api_name, }
    });
    let skip = match presence {
        Presence::Always => None,
        Presence::Null => Some(quote! { default, }),
        Presence::Optional => Some(quote! { default, skip_serializing_if = "Option::is_none", }),
        Presence::OptionalNull => Some(quote! {
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::runtime::nullable",
        }),
    };
    let serde = if !derived {
        None
    } else if f.flatten {
        Some(quote! { #[serde(flatten)] })
    } else {
        (rename.is_some() || skip.is_some()).then(|| quote! { #[serde(#rename #skip)] })
    };
    let mut text = f.description.clone().unwrap_or_default();
    let notes = field_notes(f);
    if !notes.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&notes.join(" "));
    }
    let deprecated = deprecated(f.deprecated);
    FieldParts {
        docs: text,
        attrs: quote! { #deprecated #serde },
        name,
        ty,
    }
}

/// Facts about a field that its type does not show: constraints and direction.
fn field_notes(f: &Field) -> Vec<String> {
    let c = &f.constraints;
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.".to_owned());
    }
    if f.write_only {
        notes.push("Write-only: never returned by the server.".to_owned());
    }
    if let Some(pattern) = &c.pattern {
        notes.push(format!("Pattern: {}.", docs::code(pattern)));
    }
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => notes.push(format!("Length: {min} to {max} characters.")),
        (Some(min), None) => notes.push(format!("Minimum length: {min} characters.")),
        (None, Some(max)) => notes.push(format!("Maximum length: {max} characters.")),
        (None, None) => {}
    }
    let number = |n: Number| match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    };
    if let Some(min) = c.minimum {
        let op = if c.exclusive_minimum {
            "greater than"
        } else {
            "at least"
        };
        notes.push(format!("Must be {op} {}.", number(min)));
    }
    if let Some(max) = c.maximum {
        let op = if c.exclusive_maximum {
            "less than"
        } else {
            "at most"
        };
        notes.push(format!("Must be {op} {}.", number(max)));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => notes.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => notes.push(format!("At least {min} item(s).")),
        (None, Some(max)) => notes.push(format!("At most {max} item(s).")),
        (None, None) => {}
    }
    if c.unique_items {
        notes.push("Items are unique.".to_owned());
    }
    if let Some(default) = &f.default {
        notes.push(format!(
            "When absent, the server uses {}.",
            docs::literal(default)
        ));
    }
    notes
}

/// The docs of an open enum written in full: the type's, then what `Unknown` is for, as
/// `open_str_enum!` and `open_int_enum!` write them.
fn enum_docs(def: &TypeDef, e: &Enum) -> TokenStream {
    let docs = type_docs(def);
    let deprecated = deprecated(def.deprecated);
    let open = docs::attrs(&format!(
        "Open: a value the spec does not list decodes into `{}` and is sent back as it came, so a new server value never breaks decoding.",
        e.catch_all
    ));
    quote! {
        #docs
        ///
        #open
        #deprecated
    }
}

/// The text of a string enum's value: its wire value, and how its docs show it.
fn shown_value(value: &Literal) -> (String, String) {
    match value {
        Literal::String(s) => (s.clone(), s.clone()),
        Literal::Int(i) => (format!("{value:?}"), i.to_string()),
        other => (format!("{other:?}"), format!("{other:?}")),
    }
}

/// The variant docs `open_str_enum!` and `open_int_enum!` write, `` `wire` ``, are the
/// docs of a variant whose wire value reads as itself in a code span: not one with a
/// backtick, a line break or only blanks, whose docs [`docs::code`] spells otherwise.
fn documented_by_macro(value: &str, shown: &str) -> bool {
    // Most values are words: no need to ask the docs.
    let word = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.:/+".contains(&b));
    value == shown && (word || docs::lines(&docs::code(shown)) == [format!(" `{shown}`")])
}

/// An open enum as its data, for `open_str_enum!` or `open_int_enum!` in `runtime.rs`:
/// the type's docs and attributes, a `Variant = wire,` row per value the spec lists, and
/// the catch-all variant holding `held`; the macro writes the rest.
fn open_enum(
    def: &TypeDef,
    e: &Enum,
    shared: &str,
    held: TokenStream,
    rows: impl Iterator<Item = TokenStream>,
) -> syn::Item {
    let name = ident(&def.rust_name);
    let unknown = ident(&e.catch_all);
    let docs = type_docs(def);
    let deprecated = deprecated(def.deprecated);
    syntax::macro_call(
        &["crate", "runtime", shared],
        quote! {
            #docs
            #deprecated
            pub enum #name {
                #(#rows)*
                /// A value this version of the crate does not know, as the server sent it.
                #unknown(#held),
            }
        },
    )
}

/// An open string enum: its data, through `open_str_enum!`. An enum with a value the
/// macro's variant docs cannot show (see [`documented_by_macro`]) is written in full.
fn string_enum(def: &TypeDef, e: &Enum) -> Emitted {
    let values: Vec<(String, String)> = e.variants.iter().map(|v| shown_value(&v.value)).collect();
    if !values
        .iter()
        .all(|(value, shown)| documented_by_macro(value, shown))
    {
        return Emitted::Tokens(string_enum_in_full(def, e));
    }
    let rows = e.variants.iter().zip(&values).map(|(v, (value, _))| {
        let variant = ident(&v.rust_name);
        let value = super::string_literal(value);
        quote! { #variant = #value, }
    });
    Emitted::Items(vec![open_enum(
        def,
        e,
        "open_str_enum",
        quote! { String },
        rows,
    )])
}

/// An open string enum written in full: the enum with each variant's docs, and its data
/// (the values the spec lists, each variant's wire value and back); the rest of its impls
/// come from `open_str_enum!`. Only for values the macro cannot document, so rare.
fn string_enum_in_full(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(&e.catch_all);
    let common = enum_docs(def, e);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let (values, shown): (Vec<String>, Vec<String>) =
        e.variants.iter().map(|v| shown_value(&v.value)).unzip();
    let variant_docs = shown.iter().map(|shown| docs::attrs(&docs::code(shown)));
    let known = super::uint(variants.len() as u64);
    quote! {
        #common
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the crate does not know, as the server sent it.
            #unknown(String),
        }

        impl #name {
            /// The values the spec lists.
            pub const KNOWN: [Self; #known] = [#(Self::#variants),*];

            /// The wire values of [`Self::KNOWN`], for ranking unions by them.
            #[allow(dead_code, reason = "only enums in unions' alternatives rank them")]
            const WIRE: &'static [&'static str] = &[#(#values),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#unknown(value) => value,
                }
            }

            /// The variant of a value the spec lists.
            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#values => Some(Self::#variants),)*
                    _ => None,
                }
            }
        }

        crate::runtime::open_str_enum!(#name, #unknown);
    }
}

/// An open integer enum (a few in a spec, if any): its data, through `open_int_enum!`.
fn int_enum(def: &TypeDef, e: &Enum) -> syn::Item {
    let rows = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = match v.value {
            Literal::Int(i) => int(i),
            _ => int(0),
        };
        quote! { #variant = #value, }
    });
    open_enum(def, e, "open_int_enum", quote! { i64 }, rows)
}

/// oneOf/anyOf as an enum with a catch-all: tagged by the discriminator when the spec has
/// one (an unknown tag decodes into `Unknown`), otherwise decoded as the alternative that
/// knows most of the object's keys.
fn expand_union(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.rust_name);
    let unknown = ident(&u.catch_all);
    let docs = type_docs(def);
    let variant_names: Vec<_> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    // Objects are boxed, also behind an alias: alternatives differ a lot in size, and one
    // may contain the union.
    let boxed: Vec<bool> = u
        .variants
        .iter()
        .map(|v| match resolved(api, &v.ty) {
            TypeRef::Named(id) => matches!(
                api.type_def(*id).kind,
                TypeKind::Struct(_) | TypeKind::Union(_)
            ),
            _ => false,
        })
        .collect();
    let variants =
        u.variants
            .iter()
            .zip(&variant_names)
            .zip(&boxed)
            .map(|((v, variant), boxed)| {
                let ty = type_tokens(api, &v.ty, &TokenStream::new());
                let ty = if *boxed {
                    quote! { Box<#ty> }
                } else {
                    ty
                };
                let text = if v.tags.is_empty() {
                    String::new()
                } else {
                    let tags: Vec<String> = v.tags.iter().map(|t| docs::code(t)).collect();
                    format!("Tagged {}.", tags.join(", "))
                };
                let docs = docs::attrs(&text);
                quote! { #docs #variant(#ty), }
            });
    let decode = match &u.discriminator {
        Some(property) => {
            // A boxed alternative decodes as its box.
            let arms = u
                .variants
                .iter()
                .zip(&variant_names)
                .filter(|(v, _)| !v.tags.is_empty())
                .map(|(v, variant)| {
                    let tags = &v.tags;
                    quote! {
                        Some(#(#tags)|*) => crate::runtime::alternative(value).map(Self::#variant),
                    }
                });
            quote! {
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
        None => {
            let alternatives = u.variants.iter().map(|v| {
                let kind = match &v.ty {
                    TypeRef::Named(id) => Some(&api.type_def(*id).kind),
                    _ => None,
                };
                let fields: &[Field] = match kind {
                    Some(TypeKind::Struct(s)) => &s.fields,
                    _ => &[],
                };
                let names = fields.iter().map(|f| f.api_name.as_str());
                // An alternative that is itself tagged is told by its tags: it would take
                // any value, keeping one it has no tag for as its `Unknown`.
                let own_tag = match kind {
                    Some(TypeKind::Union(Union {
                        discriminator: Some(property),
                        variants,
                        ..
                    })) => {
                        let tags = variants.iter().flat_map(|v| &v.tags);
                        Some(quote! { (#property, &[#(#tags),*]) })
                    }
                    _ => None,
                };
                // String-enum fields and their values: Atlas's alternatives often share
                // every key and differ in the values of one (`eventTypeName`, `typeName`).
                let tags = fields.iter().filter_map(|f| {
                    let TypeRef::Named(id) = &f.ty else {
                        return None;
                    };
                    let def = api.type_def(*id);
                    let TypeKind::Enum(e) = &def.kind else {
                        return None;
                    };
                    let name = &f.api_name;
                    // A string enum's own list of them (`runtime::open_str_enum!`).
                    let all_strings = e.repr == EnumRepr::String
                        && e.variants
                            .iter()
                            .all(|v| matches!(v.value, Literal::String(_)));
                    if all_strings && !e.variants.is_empty() {
                        let ty = ident(&def.rust_name);
                        return Some(quote! { (#name, #ty::WIRE) });
                    }
                    let values: Vec<&str> = e
                        .variants
                        .iter()
                        .filter_map(|v| match &v.value {
                            Literal::String(value) => Some(value.as_str()),
                            _ => None,
                        })
                        .collect();
                    (!values.is_empty()).then(|| quote! { (#name, &[#(#values),*]) })
                });
                let tags = own_tag.into_iter().chain(tags);
                quote! { (&[#(#names),*], &[#(#tags),*]) }
            });
            // Each alternative as an `Option<Self>`: decoded from a copy of the value, or
            // `None` (see `runtime::attempt`).
            let attempts: Vec<TokenStream> = u
                .variants
                .iter()
                .zip(&variant_names)
                .zip(&boxed)
                .map(|((v, variant), boxed)| {
                    // A union alternative takes any value, keeping one it cannot place as
                    // its own `Unknown`; such a value is this union's `Unknown` instead.
                    let inner_unknown = match resolved(api, &v.ty) {
                        TypeRef::Named(id) => match &api.type_def(*id).kind {
                            TypeKind::Union(inner) => Some(ident(&inner.catch_all)),
                            _ => None,
                        },
                        _ => None,
                    };
                    match inner_unknown {
                        Some(inner_unknown) => {
                            let ty = type_tokens(api, &v.ty, &TokenStream::new());
                            let boxing = boxed.then(|| quote! { .map(Box::new) });
                            quote! {
                                crate::runtime::attempt::<#ty>(&value)
                                    .filter(|value| !matches!(value, #ty::#inner_unknown(_)))
                                    #boxing
                                    .map(Self::#variant)
                            }
                        }
                        None => quote! { crate::runtime::attempt(&value).map(Self::#variant) },
                    }
                })
                .collect();
            // One alternative (or none) has nothing to be ranked against.
            if u.variants.len() < 2 {
                quote! {
                    #(
                        if let Some(decoded) = #attempts {
                            return Ok(decoded);
                        }
                    )*
                    Ok(Self::#unknown(value))
                }
            } else {
                let indexes = (0..attempts.len()).map(proc_macro2::Literal::usize_unsuffixed);
                quote! {
                    // Try the alternatives best first (see `union_order`), and take the
                    // first that decodes.
                    let order = crate::runtime::union_order(&value, &[#(#alternatives),*]);
                    for index in order {
                        let decoded = match index {
                            #(#indexes => #attempts,)*
                            _ => None,
                        };
                        if let Some(decoded) = decoded {
                            return Ok(decoded);
                        }
                    }
                    Ok(Self::#unknown(value))
                }
            }
        }
    };
    let serialize_arms = u.variants.iter().zip(&variant_names).map(|(v, variant)| {
        // A variant whose type has no property for the tag (Atlas's `DiskBackupReplicaSet`
        // under `DiskBackupSnapshot`, tagged by `type`) gets it back when written, so what
        // was read as this variant is written as it, and reads back as it.
        let lacks_tag = |property: &String| match &v.ty {
            TypeRef::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Struct(s) => !s.fields.iter().any(|f| &f.api_name == property),
                _ => false,
            },
            _ => false,
        };
        match (&u.discriminator, v.tags.first()) {
            (Some(property), Some(tag)) if lacks_tag(property) => quote! {
                Self::#variant(value) => {
                    let mut value = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                    if let serde_json::Value::Object(object) = &mut value {
                        object.entry(#property).or_insert_with(|| #tag.into());
                    }
                    value.serialize(serializer)
                }
            },
            _ => quote! { Self::#variant(value) => value.serialize(serializer), },
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A value that matches none of the alternatives the spec lists, kept as it came.
            #unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #decode
            }
        }
    }
}

fn expand_alias(api: &Api, def: &TypeDef, ty: &TypeRef) -> TokenStream {
    let name = ident(&def.rust_name);
    let docs = type_docs(def);
    let ty = type_tokens(api, ty, &TokenStream::new());
    quote! {
        #docs
        pub type #name = #ty;
    }
}

/// A validated newtype: construction checks every constraint, so holding one proves the
/// value is acceptable to the API.
fn expand_constrained(def: &TypeDef, c: &Constrained) -> TokenStream {
    let name = ident(&def.rust_name);
    let mut text = def
        .description
        .clone()
        .unwrap_or_else(|| docs::code(&def.api_name));
    text.push_str("\n\nChecked on construction: ");
    text.push_str(&constraint_summary(&c.constraints));
    text.push('.');
    let docs = docs::attrs(&text);
    match c.base {
        Primitive::String => expand_constrained_string(&name, &docs, &c.constraints),
        Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64 => {
            expand_constrained_number(&name, &docs, c.base, &c.constraints)
        }
        other => {
            // Constraints on other scalars (dates, booleans) have no checks to make.
            let ty = primitive(other);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn constraint_summary(c: &Constraints) -> String {
    let mut parts = Vec::new();
    if let Some(pattern) = &c.pattern {
        parts.push(format!("matches {}", docs::code(pattern)));
    }
    if let Some(min) = c.min_length {
        parts.push(format!("at least {min} characters"));
    }
    if let Some(max) = c.max_length {
        parts.push(format!("at most {max} characters"));
    }
    let number = |n: Number| match n {
        Number::Int(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    };
    if let Some(min) = c.minimum {
        let op = if c.exclusive_minimum { ">" } else { ">=" };
        parts.push(format!("{op} {}", number(min)));
    }
    if let Some(max) = c.maximum {
        let op = if c.exclusive_maximum { "<" } else { "<=" };
        parts.push(format!("{op} {}", number(max)));
    }
    if let Some(step) = c.multiple_of {
        parts.push(format!("a multiple of {}", number(step)));
    }
    parts.join(", ")
}

fn expand_constrained_string(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    c: &Constraints,
) -> TokenStream {
    let checks = validate::string_checks(c, &validate::PatternNames::associated());
    // Constraints that allow every string (`minLength: 0`) leave nothing to check.
    let value = if checks.is_empty() {
        quote! { _value }
    } else {
        quote! { value }
    };
    let pattern = c.pattern.as_deref().map(validate::pattern_items);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct #name(String);

        impl #name {
            #pattern

            /// Checks `value` against the spec's constraints.
            pub fn new(value: impl Into<String>) -> Result<Self, crate::ConstraintViolation> {
                let value = value.into();
                Self::check(&value)?;
                Ok(Self(value))
            }

            fn check(#value: &str) -> Result<(), crate::ConstraintViolation> {
                #checks
                Ok(())
            }

        }

        crate::runtime::constrained_string!(#name);
    }
}

fn expand_constrained_number(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    base: Primitive,
    c: &Constraints,
) -> TokenStream {
    let integer = matches!(base, Primitive::I32 | Primitive::I64);
    let ty = primitive(base);
    let checks = validate::number_checks(c, base);
    let derives = if integer {
        quote! { #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)] }
    } else {
        quote! { #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, serde::Serialize)] }
    };
    quote! {
        #docs
        #derives
        #[serde(transparent)]
        pub struct #name(#ty);

        impl #name {
            /// Checks `value` against the spec's constraints.
            pub fn new(value: #ty) -> Result<Self, crate::ConstraintViolation> {
                #checks
                Ok(Self(value))
            }

        }

        crate::runtime::constrained_number!(#name, #ty);
    }
}
