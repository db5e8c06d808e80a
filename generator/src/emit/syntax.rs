//! Syntax trees built directly, for the emitters' tables: items and rows that would cost
//! more to parse back from tokens than to build (the runtime macros' calls of
//! `models::open_enum`, the fields of structs).

use proc_macro2::{Ident, Span};

/// `/// text` as attributes, one per line, as [`super::docs::attrs`] makes them.
pub fn docs(text: &str) -> Vec<syn::Attribute> {
    super::docs::lines(text)
        .into_iter()
        .map(|line| syn::Attribute {
            pound_token: Default::default(),
            style: syn::AttrStyle::Outer,
            bracket_token: Default::default(),
            meta: syn::Meta::NameValue(syn::MetaNameValue {
                path: Ident::new("doc", Span::call_site()).into(),
                eq_token: Default::default(),
                value: str_expr(&super::docs::text(line).unwrap_or_else(|line| line)),
            }),
        })
        .collect()
}

/// A string literal.
pub fn str_expr(value: &str) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())),
    })
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
