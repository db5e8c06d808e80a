//! Constraint checks as code.
//!
//! Each check returns early with a `ConstraintViolation` naming the broken constraint.
//! Lengths are counted in characters, as JSON Schema counts them. Simple patterns become a
//! byte loop (see `crate::pattern`); the rest run on an ECMA-262 engine, compiled once.

use super::{float, int, uint};
use crate::ir::{Constraints, Number};
use crate::pattern::{self, Atom};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Where a pattern's matcher and source text live: `Self::matches_pattern` and
/// `Self::PATTERN` in a newtype, numbered module items for field checks.
pub struct PatternNames {
    pub matcher: TokenStream,
    pub constant: TokenStream,
}

impl PatternNames {
    pub fn associated() -> Self {
        Self {
            matcher: quote! { Self::matches_pattern },
            constant: quote! { Self::PATTERN },
        }
    }
}

/// Statements that check `value: &str` and return `Err(ConstraintViolation)` on a breach.
pub fn string_checks(constraints: &Constraints, names: &PatternNames) -> TokenStream {
    let PatternNames { matcher, constant } = names;
    let mut checks = Vec::new();
    let needs_length = constraints.min_length.is_some() || constraints.max_length.is_some();
    if needs_length {
        checks.push(quote! { let length = value.chars().count() as u64; });
    }
    if let Some(min) = constraints.min_length {
        let min = uint(min);
        checks.push(quote! {
            if length < #min {
                return Err(ConstraintViolation::new(value, Constraint::MinLength(#min)));
            }
        });
    }
    if let Some(max) = constraints.max_length {
        let max = uint(max);
        checks.push(quote! {
            if length > #max {
                return Err(ConstraintViolation::new(value, Constraint::MaxLength(#max)));
            }
        });
    }
    if constraints.pattern.is_some() {
        checks.push(quote! {
            if !#matcher(value) {
                return Err(ConstraintViolation::new(value, Constraint::Pattern(#constant)));
            }
        });
    }
    quote! { #(#checks)* }
}

/// The `matches_pattern` function and the `PATTERN` constant for a string newtype.
pub fn pattern_items(pattern: &str) -> TokenStream {
    let body = pattern_body(pattern);
    quote! {
        /// The ECMA-262 regular expression values must match.
        pub const PATTERN: &'static str = #pattern;

        fn matches_pattern(value: &str) -> bool {
            #body
        }
    }
}

/// A module-level matcher and constant, named by `names`, for field checks.
pub fn module_pattern_items(
    pattern: &str,
    matcher: &proc_macro2::Ident,
    constant: &proc_macro2::Ident,
) -> TokenStream {
    let body = pattern_body(pattern);
    quote! {
        const #constant: &str = #pattern;

        fn #matcher(value: &str) -> bool {
            #body
        }
    }
}

/// The body of a matcher: direct code for simple patterns, the ECMA-262 engine otherwise.
fn pattern_body(pattern: &str) -> TokenStream {
    match pattern::simple(pattern) {
        Some(atoms) => direct_match(&atoms),
        None => quote! {
            static REGEX: std::sync::LazyLock<Option<regress::Regex>> =
                std::sync::LazyLock::new(|| regress::Regex::new(PATTERN_SOURCE).ok());
            const PATTERN_SOURCE: &str = #pattern;
            // ECMA-262 `pattern` is a search, not a whole-string match.
            REGEX.as_ref().is_some_and(|regex| regex.find(value).is_some())
        },
    }
}

fn direct_match(atoms: &[Atom]) -> TokenStream {
    let steps = atoms.iter().map(|atom| {
        let ranges = atom.ranges.iter().map(|&(lo, hi)| {
            let (first, last) = (Literal::byte_character(lo), Literal::byte_character(hi));
            if lo == hi {
                quote! { #first }
            } else {
                quote! { #first..=#last }
            }
        });
        // One standard range reads better as the std method (and clippy asks for it).
        let mut sorted = atom.ranges.clone();
        sorted.sort_unstable();
        let class = match sorted.as_slice() {
            [(b'a', b'z')] => quote! { bytes[at].is_ascii_lowercase() },
            [(b'A', b'Z')] => quote! { bytes[at].is_ascii_uppercase() },
            [(b'0', b'9')] => quote! { bytes[at].is_ascii_digit() },
            [(b'A', b'Z'), (b'a', b'z')] => quote! { bytes[at].is_ascii_alphabetic() },
            [(b'0', b'9'), (b'A', b'Z'), (b'a', b'z')] => {
                quote! { bytes[at].is_ascii_alphanumeric() }
            }
            [(b'0', b'9'), (b'A', b'F'), (b'a', b'f')] => quote! { bytes[at].is_ascii_hexdigit() },
            _ => quote! { matches!(bytes[at], #(#ranges)|*) },
        };
        if atom.min == 1 && atom.max == Some(1) {
            return quote! {
                if at < bytes.len() && #class {
                    at += 1;
                } else {
                    return false;
                }
            };
        }
        let bound = atom.max.map(|max| {
            let max = uint(max.into());
            quote! { && at - start < #max }
        });
        let min = uint(atom.min.into());
        let minimum = (atom.min > 0).then(|| {
            quote! {
                if at - start < #min {
                    return false;
                }
            }
        });
        let start = (bound.is_some() || minimum.is_some()).then(|| quote! { let start = at; });
        quote! {
            #start
            while at < bytes.len() #bound && #class {
                at += 1;
            }
            #minimum
        }
    });
    quote! {
        let bytes = value.as_bytes();
        let mut at = 0;
        #(#steps)*
        at == bytes.len()
    }
}

/// Statements that check a numeric `value` of the newtype's base type.
pub fn number_checks(constraints: &Constraints, integer: bool) -> TokenStream {
    let bound = |n: Number| {
        let literal = match (n, integer) {
            (Number::Int(i), true) => int(i),
            (Number::Int(i), false) => float(i as f64),
            (Number::Float(f), _) => float(f),
        };
        let bound = if integer {
            quote! { Bound::Int(#literal) }
        } else {
            quote! { Bound::Float(#literal) }
        };
        (literal, bound)
    };
    let mut checks = Vec::new();
    if let Some(min) = constraints.minimum {
        let (literal, bound) = bound(min);
        let exclusive = constraints.exclusive_minimum;
        let broken = if exclusive {
            quote! { value <= #literal }
        } else {
            quote! { value < #literal }
        };
        checks.push(quote! {
            if #broken {
                return Err(ConstraintViolation::new(value, Constraint::Minimum { bound: #bound, exclusive: #exclusive }));
            }
        });
    }
    if let Some(max) = constraints.maximum {
        let (literal, bound) = bound(max);
        let exclusive = constraints.exclusive_maximum;
        let broken = if exclusive {
            quote! { value >= #literal }
        } else {
            quote! { value > #literal }
        };
        checks.push(quote! {
            if #broken {
                return Err(ConstraintViolation::new(value, Constraint::Maximum { bound: #bound, exclusive: #exclusive }));
            }
        });
    }
    if let Some(step) = constraints.multiple_of {
        let (literal, bound) = bound(step);
        let broken = if integer {
            quote! { value % #literal != 0 }
        } else {
            quote! { (value / #literal).fract() != 0.0 }
        };
        checks.push(quote! {
            if #broken {
                return Err(ConstraintViolation::new(value, Constraint::MultipleOf(#bound)));
            }
        });
    }
    quote! { #(#checks)* }
}
