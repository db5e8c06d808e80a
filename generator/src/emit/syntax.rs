//! Syntax trees built directly, for the emitters' tables: items and rows that would cost
//! more to parse back from tokens than to build (the runtime macros' calls of
//! `models::open_enum`, the fields of structs).

use proc_macro2::{Ident, Span};

/// `/// text` as attributes, one per line, as [`super::docs::attrs`] makes them.
pub fn docs(text: &str) -> Vec<syn::Attribute> {
    super::docs::lines(text)
        .into_iter()
        .map(|line| doc(&super::docs::text(line).unwrap_or_else(|line| line)))
        .collect()
}

/// `#[doc = "line"]`, the line as it is.
pub fn doc(line: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: Ident::new("doc", Span::call_site()).into(),
            eq_token: Default::default(),
            value: str_expr(line),
        }),
    }
}

/// A string literal, written as `quote!` writes it (see [`super::string_literal`]).
pub fn str_expr(value: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(super::string_literal(value)),
    })
}

/// `path! { tokens }` as an item: a call of one of the runtime's macros with the data
/// of a type.
pub fn macro_call(path: &[&str], tokens: proc_macro2::TokenStream) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: path_of(path),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens,
        },
        semi_token: None,
    })
}

/// `a::b::c` as a path.
pub fn path_of(segments: &[&str]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|segment| syn::PathSegment::from(Ident::new(segment, Span::call_site())))
            .collect(),
    }
}

/// `a::b::c` as an expression.
pub fn path_expr(segments: &[&str]) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path_of(segments),
    })
}

/// Statements, as a block holds them.
#[derive(Clone)]
pub struct Stmts(pub Vec<syn::Stmt>);

impl syn::parse::Parse for Stmts {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        syn::Block::parse_within(input).map(Stmts)
    }
}

thread_local! {
    /// The trees [`parsed`] made on this thread, by their tokens' text and type.
    static PARSED: std::cell::RefCell<std::collections::HashMap<(std::any::TypeId, String), Box<dyn std::any::Any>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Drops the trees [`parsed`] keeps on this thread.
pub fn forget_parsed() {
    PARSED.with(|cache| drop(std::mem::take(&mut *cache.borrow_mut())));
}

/// `tokens` parsed as a `T`, each text once per thread: the statements and methods that
/// many operations share (`query.optional("pretty", &self.params.pretty, false);`, a
/// `send` decoding the same types from the same statuses) are parsed the first time and
/// cloned after. Not for tokens holding deferred doc lines, whose marks differ each time.
pub fn parsed<T: syn::parse::Parse + Clone + 'static>(
    tokens: proc_macro2::TokenStream,
) -> syn::Result<T> {
    let key = (std::any::TypeId::of::<T>(), tokens.to_string());
    let hit = PARSED.with(|cache| {
        cache
            .borrow()
            .get(&key)
            .and_then(|tree| tree.downcast_ref::<T>())
            .cloned()
    });
    if let Some(tree) = hit {
        return Ok(tree);
    }
    let tree: T = syn::parse2(tokens)?;
    PARSED.with(|cache| cache.borrow_mut().insert(key, Box::new(tree.clone())));
    Ok(tree)
}

/// A named field of a struct (`name: Type` with its attributes), as `struct S { .. }` holds it.
#[derive(Clone)]
pub struct NamedField(pub syn::Field);

impl syn::parse::Parse for NamedField {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        syn::Field::parse_named(input).map(NamedField)
    }
}

/// The struct literal `expr` is, or the one it passes as its only argument
/// (`Ok(S { .. })`).
pub fn struct_literal(expr: &mut syn::Expr) -> Option<&mut syn::ExprStruct> {
    match expr {
        syn::Expr::Struct(literal) => Some(literal),
        syn::Expr::Call(call) if call.args.len() == 1 => struct_literal(call.args.first_mut()?),
        _ => None,
    }
}

/// Sets the value of the field `name` of a struct literal.
pub fn set_field(literal: &mut syn::ExprStruct, name: &str, value: syn::Expr) {
    for field in &mut literal.fields {
        if matches!(&field.member, syn::Member::Named(member) if member == name) {
            field.expr = value;
            return;
        }
    }
}

/// The items of an `impl` block, one after another.
#[derive(Clone)]
pub struct ImplItems(pub Vec<syn::ImplItem>);

impl syn::parse::Parse for ImplItems {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(ImplItems(items))
    }
}

/// Outer attributes, parsed.
#[derive(Clone)]
pub struct Attributes(pub Vec<syn::Attribute>);

impl syn::parse::Parse for Attributes {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        syn::Attribute::parse_outer(input).map(Attributes)
    }
}

/// `true` or `false`.
pub fn bool_expr(value: bool) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())),
    })
}

/// `&[a, b, ..]`.
pub fn slice_expr(elems: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(syn::Expr::Array(syn::ExprArray {
            attrs: Vec::new(),
            bracket_token: Default::default(),
            elems: elems.into_iter().collect(),
        })),
    })
}

/// Replaces the first type argument of what a function returns (`T` of
/// `-> impl Trait<T, E>` or `-> Result<T, E>`).
pub fn set_returned_type_argument(sig: &mut syn::Signature, ty: syn::Type) {
    let syn::ReturnType::Type(_, returned) = &mut sig.output else {
        return;
    };
    let path = match &mut **returned {
        syn::Type::ImplTrait(bounds) => match bounds.bounds.first_mut() {
            Some(syn::TypeParamBound::Trait(bound)) => &mut bound.path,
            _ => return,
        },
        syn::Type::Path(path) => &mut path.path,
        _ => return,
    };
    if let Some(segment) = path.segments.last_mut()
        && let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments
        && let Some(syn::GenericArgument::Type(first)) = arguments.args.first_mut()
    {
        *first = ty;
    }
}

/// `receiver.method(args)`.
pub fn method_call(
    receiver: syn::Expr,
    method: &str,
    args: impl IntoIterator<Item = syn::Expr>,
) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: Ident::new(method, Span::call_site()),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}
