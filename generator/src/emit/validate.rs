//! Constraint checks as code.
//!
//! Each check returns early with a `ConstraintViolation` naming the broken constraint.
//! Lengths are counted in characters, as JSON Schema counts them. Simple patterns become a
//! byte loop (see `crate::pattern`); the rest run on an ECMA-262 engine, compiled once.

use super::{float, int, uint};
use crate::ir::Primitive;
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

/// Whether constraints on a value of type `base` restrict it at all: a struct field gets
/// a check only then (a check function with nothing to check would not use its value).
pub(crate) fn checks_anything(constraints: &Constraints, base: Primitive) -> bool {
    match base {
        Primitive::String => {
            constraints.pattern.is_some()
                || constraints.min_length.is_some_and(|min| min > 0)
                || constraints.max_length.is_some()
        }
        Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64 => {
            !number_checks(constraints, base).is_empty()
        }
        _ => false,
    }
}

/// Statements that check `value: &str` and return `Err(ConstraintViolation)` on a breach.
pub fn string_checks(constraints: &Constraints, names: &PatternNames) -> TokenStream {
    let PatternNames { matcher, constant } = names;
    let mut checks = Vec::new();
    // Every string has at least no characters: `minLength: 0` checks nothing.
    let min_length = constraints.min_length.filter(|min| *min > 0);
    let needs_length = min_length.is_some() || constraints.max_length.is_some();
    if needs_length {
        checks.push(quote! { let length = value.chars().count() as u64; });
    }
    if let Some(min) = min_length {
        let min = uint(min);
        checks.push(quote! {
            if length < #min {
                return Err(crate::ConstraintViolation::new(value, crate::Constraint::MinLength(#min)));
            }
        });
    }
    if let Some(max) = constraints.max_length {
        let max = uint(max);
        checks.push(quote! {
            if length > #max {
                return Err(crate::ConstraintViolation::new(value, crate::Constraint::MaxLength(#max)));
            }
        });
    }
    if constraints.pattern.is_some() {
        checks.push(quote! {
            if !#matcher(value) {
                return Err(crate::ConstraintViolation::new(value, crate::Constraint::Pattern(#constant)));
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

/// Whether a pattern runs on the ECMA-262 engine (`regress`) rather than direct code.
pub(crate) fn needs_engine(pattern: &str) -> bool {
    pattern::simple(pattern).is_none()
}

/// The body of a matcher: direct code for simple patterns, the ECMA-262 engine otherwise
/// (see [`needs_engine`], which decides the crate's dependency on `regress`).
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

/// Statements that check a numeric `value` of type `base` (an integer or float primitive).
///
/// Every bound is taken as the spec writes it and reported so (`Constraint::Minimum` keeps
/// its number and exclusivity), but compared in the value's own domain: an integer checked
/// against `1.5` must be at least 2, a bound the type cannot reach (`minimum: 0` on an
/// unsigned count is fine, `minimum: -2^63` on `i64` is no check at all) is left out rather
/// than written as a comparison that is always true, and a bound beyond the type's range
/// (`maximum: 2^32` on `int32`) is compared in a wider type instead of as a literal the type
/// cannot hold.
pub fn number_checks(constraints: &Constraints, base: Primitive) -> TokenStream {
    let domain = Domain::of(base);
    let mut checks = Vec::new();
    let minimum = constraints
        .minimum
        .map(|n| (n, constraints.exclusive_minimum));
    let maximum = constraints
        .maximum
        .map(|n| (n, constraints.exclusive_maximum));
    for (side, bound) in [(Side::Minimum, minimum), (Side::Maximum, maximum)] {
        let Some((number, exclusive)) = bound else {
            continue;
        };
        let Some(broken) = domain.breaks(side, number, exclusive) else {
            continue;
        };
        let bound = reported(number);
        let constraint = match side {
            Side::Minimum => {
                quote! { crate::Constraint::Minimum { bound: #bound, exclusive: #exclusive } }
            }
            Side::Maximum => {
                quote! { crate::Constraint::Maximum { bound: #bound, exclusive: #exclusive } }
            }
        };
        checks.push(quote! {
            if #broken {
                return Err(crate::ConstraintViolation::new(value, #constraint));
            }
        });
    }
    if let Some(step) = constraints.multiple_of {
        if let Some(broken) = domain.not_multiple(step) {
            let bound = reported(step);
            checks.push(quote! {
                if #broken {
                    return Err(crate::ConstraintViolation::new(value, crate::Constraint::MultipleOf(#bound)));
                }
            });
        }
    }
    quote! { #(#checks)* }
}

#[derive(Clone, Copy)]
enum Side {
    Minimum,
    Maximum,
}

/// A bound as the violation reports it: the spec's own number.
fn reported(n: Number) -> TokenStream {
    match n {
        Number::Int(i) => {
            let i = int(i);
            quote! { crate::Bound::Int(#i) }
        }
        Number::Float(f) => {
            let f = float(f);
            quote! { crate::Bound::Float(#f) }
        }
    }
}

/// The values a numeric type holds, for comparing bounds in it.
enum Domain {
    /// An integer type with its range; bounds beyond it are compared as `i128`.
    Integer { min: i128, max: i128 },
    /// A float type; `f32` compares bounds beyond its range as `f64`.
    Float { narrow: bool },
}

impl Domain {
    fn of(base: Primitive) -> Domain {
        match base {
            Primitive::I32 => Domain::Integer {
                min: i32::MIN.into(),
                max: i32::MAX.into(),
            },
            Primitive::F32 => Domain::Float { narrow: true },
            Primitive::F64 => Domain::Float { narrow: false },
            _ => Domain::Integer {
                min: i64::MIN.into(),
                max: i64::MAX.into(),
            },
        }
    }

    /// The condition under which `value` breaks the bound, or `None` when no value of the
    /// type can break it (or the bound is not a number).
    fn breaks(&self, side: Side, n: Number, exclusive: bool) -> Option<TokenStream> {
        match self {
            Domain::Integer { min, max } => {
                // The smallest (or largest) integer the bound admits.
                let admitted: i128 = match (n, side) {
                    (Number::Int(i), Side::Minimum) => i128::from(i) + i128::from(exclusive),
                    (Number::Int(i), Side::Maximum) => i128::from(i) - i128::from(exclusive),
                    (Number::Float(f), Side::Minimum) => {
                        whole(if exclusive { f.floor() + 1.0 } else { f.ceil() })?
                    }
                    (Number::Float(f), Side::Maximum) => {
                        whole(if exclusive { f.ceil() - 1.0 } else { f.floor() })?
                    }
                };
                let vacuous = match side {
                    Side::Minimum => admitted <= *min,
                    Side::Maximum => admitted >= *max,
                };
                if vacuous {
                    return None;
                }
                let (value, literal) = if (*min..=*max).contains(&admitted) {
                    (quote! { value }, wide(admitted))
                } else {
                    (quote! { i128::from(value) }, wide(admitted))
                };
                Some(match side {
                    Side::Minimum => quote! { #value < #literal },
                    Side::Maximum => quote! { #value > #literal },
                })
            }
            Domain::Float { narrow } => {
                let f = match n {
                    Number::Int(i) => i as f64,
                    Number::Float(f) => f,
                };
                if !f.is_finite() {
                    return None;
                }
                let value = self.float_value(f, *narrow);
                let literal = float(f);
                Some(match (side, exclusive) {
                    (Side::Minimum, false) => quote! { #value < #literal },
                    (Side::Minimum, true) => quote! { #value <= #literal },
                    (Side::Maximum, false) => quote! { #value > #literal },
                    (Side::Maximum, true) => quote! { #value >= #literal },
                })
            }
        }
    }

    /// The condition under which `value` is not a multiple of `step`, or `None` when every
    /// value is one (a step of 1 on integers) or the step is not positive, which JSON
    /// Schema does not allow.
    fn not_multiple(&self, step: Number) -> Option<TokenStream> {
        match (self, step) {
            (Domain::Integer { .. }, Number::Int(k)) if k <= 0 => None,
            (Domain::Integer { .. }, Number::Int(1)) => None,
            (Domain::Integer { min, max }, Number::Int(k)) => {
                let k = i128::from(k);
                Some(if (*min..=*max).contains(&k) {
                    let k = wide(k);
                    quote! { value % #k != 0 }
                } else {
                    let k = wide(k);
                    quote! { i128::from(value) % #k != 0 }
                })
            }
            (Domain::Integer { min, max }, Number::Float(f)) => {
                if !(f.is_finite() && f > 0.0) {
                    return None;
                }
                match whole(f) {
                    Some(1) => None,
                    Some(k) if (*min..=*max).contains(&k) => {
                        let k = wide(k);
                        Some(quote! { value % #k != 0 })
                    }
                    // A fractional step (`0.5`) or one beyond the type: compare as floats.
                    _ => {
                        let f = float(f);
                        Some(quote! { (value as f64 / #f).fract() != 0.0 })
                    }
                }
            }
            (Domain::Float { narrow }, step) => {
                let f = match step {
                    Number::Int(i) => i as f64,
                    Number::Float(f) => f,
                };
                if !(f.is_finite() && f > 0.0) {
                    return None;
                }
                let value = self.float_value(f, *narrow);
                let f = float(f);
                Some(quote! { (#value / #f).fract() != 0.0 })
            }
        }
    }

    /// `value`, widened to `f64` when `f` is beyond what an `f32` literal can hold.
    fn float_value(&self, f: f64, narrow: bool) -> TokenStream {
        if narrow && !(f as f32).is_finite() {
            quote! { f64::from(value) }
        } else {
            quote! { value }
        }
    }
}

/// A whole float as an integer, when it is one within `i128`.
fn whole(f: f64) -> Option<i128> {
    // 2^120 is far beyond any 64-bit bound and well inside i128.
    const LIMIT: f64 = 1.329_227_995_784_916e36;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < LIMIT).then_some(f as i128)
}

/// An unsuffixed integer literal (its type comes from the value it is compared with),
/// negative values as a negated literal.
fn wide(n: i128) -> TokenStream {
    let literal = Literal::u128_unsuffixed(n.unsigned_abs());
    if n < 0 {
        quote! { -#literal }
    } else {
        quote! { #literal }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conditions the checks test, in order, as source text.
    fn conditions(constraints: Constraints, base: Primitive) -> Vec<String> {
        let text = number_checks(&constraints, base).to_string();
        text.split("if ")
            .skip(1)
            .map(|check| check.split(" {").next().unwrap_or_default().to_owned())
            .collect()
    }

    fn bounds(minimum: Option<Number>, maximum: Option<Number>) -> Constraints {
        Constraints {
            minimum,
            maximum,
            ..Constraints::default()
        }
    }

    #[test]
    fn bounds_are_compared_in_the_values_domain() {
        let int = |i| Some(Number::Int(i));
        let float = |f| Some(Number::Float(f));
        let cases: Vec<(Constraints, Primitive, Vec<&str>)> = vec![
            (
                bounds(int(1), int(500)),
                Primitive::I32,
                vec!["value < 1", "value > 500"],
            ),
            // The type's own limits check nothing; beyond them, a wider comparison.
            (
                bounds(int(i64::from(i32::MIN)), None),
                Primitive::I32,
                vec![],
            ),
            (bounds(None, int(i64::MAX)), Primitive::I64, vec![]),
            (bounds(None, int(4_294_967_296)), Primitive::I32, vec![]),
            // A bound no value reaches (a contradiction in the spec) is kept, compared wider.
            (
                bounds(int(4_294_967_296), None),
                Primitive::I32,
                vec!["i128 :: from (value) < 4294967296"],
            ),
            (
                bounds(float(-9.3e18), float(9.3e18)),
                Primitive::I64,
                vec![],
            ),
            // Fractional bounds on integers admit the next whole number.
            (
                bounds(float(0.5), float(9.5)),
                Primitive::I64,
                vec!["value < 1", "value > 9"],
            ),
            // Floats: a bound beyond `f32` is compared as `f64`.
            (
                bounds(None, float(1e39)),
                Primitive::F32,
                vec!["f64 :: from (value) > 1000000000000000000000000000000000000000.0"],
            ),
            (bounds(int(0), None), Primitive::F64, vec!["value < 0.0"]),
        ];
        for (constraints, base, expected) in cases {
            assert_eq!(
                conditions(constraints.clone(), base),
                expected,
                "{constraints:?} on {base:?}"
            );
        }
        let exclusive = Constraints {
            minimum: int(0),
            exclusive_minimum: true,
            maximum: float(10.0),
            exclusive_maximum: true,
            ..Constraints::default()
        };
        assert_eq!(
            conditions(exclusive.clone(), Primitive::I32),
            ["value < 1", "value > 9"]
        );
        assert_eq!(
            conditions(exclusive, Primitive::F64),
            ["value <= 0.0", "value >= 10.0"]
        );
    }

    #[test]
    fn steps_that_every_value_meets_check_nothing() {
        let step = |n| Constraints {
            multiple_of: Some(n),
            ..Constraints::default()
        };
        assert_eq!(
            conditions(step(Number::Int(1)), Primitive::I64),
            Vec::<String>::new()
        );
        assert_eq!(
            conditions(step(Number::Int(0)), Primitive::I64),
            Vec::<String>::new()
        );
        assert_eq!(
            conditions(step(Number::Float(-2.0)), Primitive::F64),
            Vec::<String>::new()
        );
        assert_eq!(
            conditions(step(Number::Int(3)), Primitive::I32),
            ["value % 3 != 0"]
        );
        assert_eq!(
            conditions(step(Number::Float(0.5)), Primitive::I64),
            ["(value as f64 / 0.5) . fract () != 0.0"]
        );
        assert!(!checks_anything(&step(Number::Int(1)), Primitive::I64));
        let empty = Constraints {
            min_length: Some(0),
            ..Constraints::default()
        };
        assert!(!checks_anything(&empty, Primitive::String));
        assert!(string_checks(&empty, &PatternNames::associated()).is_empty());
    }
}
