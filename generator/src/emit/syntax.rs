//! Syntax trees built directly, for the emitters' tables: rows that would cost more to
//! parse back from tokens than to build (see `models::string_enum`).

use proc_macro2::{Ident, Span};

/// `/// text` as attributes, one per line, as [`super::docs::attrs`] makes them.
pub fn docs(text: &str) -> Vec<syn::Attribute> {
    super::docs::lines(text)
        .iter()
        .map(|line| syn::Attribute {
            pound_token: Default::default(),
            style: syn::AttrStyle::Outer,
            bracket_token: Default::default(),
            meta: syn::Meta::NameValue(syn::MetaNameValue {
                path: Ident::new("doc", Span::call_site()).into(),
                eq_token: Default::default(),
                value: str_expr(line),
            }),
        })
        .collect()
}

/// `Self::variant`.
pub fn self_path(variant: &Ident) -> syn::Path {
    let mut path = syn::Path::from(Ident::new("Self", Span::call_site()));
    path.segments.push(variant.clone().into());
    path
}

pub fn path_expr(path: syn::Path) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

pub fn path_pat(path: syn::Path) -> syn::Pat {
    syn::Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

fn str_lit(value: &str) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())),
    }
}

/// A string literal.
pub fn str_expr(value: &str) -> syn::Expr {
    syn::Expr::Lit(str_lit(value))
}

/// A string literal as a pattern.
pub fn str_pat(value: &str) -> syn::Pat {
    syn::Pat::Lit(str_lit(value))
}

/// `Some(value)`.
pub fn some(value: syn::Expr) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path_expr(Ident::new("Some", Span::call_site()).into())),
        paren_token: Default::default(),
        args: std::iter::once(value).collect(),
    })
}

/// `pat => body,`.
pub fn arm(pat: syn::Pat, body: syn::Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// Puts `arms` first in the `match` that ends `method`'s body.
pub fn prepend_arms(method: &mut syn::ImplItemFn, arms: impl Iterator<Item = syn::Arm>) {
    if let Some(syn::Stmt::Expr(syn::Expr::Match(matched), _)) = method.block.stmts.last_mut() {
        matched.arms.splice(0..0, arms);
    }
}

/// `path! { tokens }` as an item: a call of one of the runtime's macros with the data
/// of a type.
pub fn macro_call(path: &[&str], tokens: proc_macro2::TokenStream) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syn::Path {
                leading_colon: None,
                segments: path
                    .iter()
                    .map(|segment| syn::PathSegment::from(Ident::new(segment, Span::call_site())))
                    .collect(),
            },
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens,
        },
        semi_token: None,
    })
}
