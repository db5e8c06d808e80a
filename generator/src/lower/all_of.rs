//! `allOf`: the type a person would write for the parts together.
//!
//! Parts are read through references and nested `allOf`s, in order. Then:
//!
//! - A part that only annotates (a description, `nullable`, a constraint without a type)
//!   adds no type.
//! - One part that adds a type, and nothing of the schema's own: that part's type.
//!   `allOf: [$ref: Timestamp]` beside a description is `Timestamp`, a date-time wrapper
//!   stays a date-time, and `Check: allOf: [$ref: CheckDiscriminator]` is the union.
//! - Objects: one struct with the properties of every part in order, then the schema's
//!   own; a property required by any part is required. A base that is also a union (its
//!   `oneOf` lists the subtypes, as Atlas's do) contributes its properties.
//! - A part that is a union with no properties of its own (influxdb's check beside
//!   template fields) is a field of the struct, flattened: its keys sit beside the other
//!   fields' on the wire.
//! - Parts no value satisfies together (a string and an object) fall back to
//!   `serde_json::Value`, with a warning at the part that breaks the combination.

use super::schemas::{Object, RefOr};
use super::{Lowerer, Result, view};
use crate::error::join;
use crate::ir::*;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::HashSet;

/// What one part of an `allOf` adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Adds {
    /// Nothing but annotations or constraints.
    Nothing,
    /// Properties (or requirements) of an object.
    Object,
    /// A union of alternatives.
    Union,
    /// A value of another kind, named for messages.
    Scalar(&'static str),
}

/// One part of an `allOf`, as written and as resolved.
struct Part<'a> {
    /// The part as written, and its pointer (inside the schema that uses it).
    written: RefOr<'a>,
    at: String,
    /// The schema it resolves to, and that schema's pointer.
    schema: &'a Schema,
    resolved_at: String,
    adds: Adds,
}

impl<'a> Lowerer<'a> {
    /// Every part of an `allOf`, through references and nested `allOf`s, in order: a
    /// nested `allOf`'s parts in its place, then what that schema declares beside them. A
    /// schema reached twice counts once.
    fn parts(&self, all_of: &'a [ReferenceOr<Schema>], origin: &str) -> Result<Vec<Part<'a>>> {
        enum Work<'a> {
            Visit(RefOr<'a>, String),
            Emit(Part<'a>),
        }
        let queue = |all_of: &'a [ReferenceOr<Schema>], at: &str| {
            let at = join(at, "allOf");
            all_of
                .iter()
                .enumerate()
                .rev()
                .map(move |(i, part)| Work::Visit(view(part), join(&at, &i.to_string())))
        };
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<Work<'a>> = queue(all_of, origin).collect();
        while let Some(work) = stack.pop() {
            let (written, at) = match work {
                Work::Emit(part) => {
                    out.push(part);
                    continue;
                }
                Work::Visit(written, at) => (written, at),
            };
            let (schema, resolved_at) = self.resolve(&written, &at)?;
            if !seen.insert(resolved_at.clone()) {
                continue;
            }
            let nested: &'a [ReferenceOr<Schema>] = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => &[],
            };
            // Pushed before its nested parts, so it comes out after them.
            stack.push(Work::Emit(Part {
                written,
                at,
                schema,
                resolved_at: resolved_at.clone(),
                adds: adds(schema),
            }));
            stack.extend(queue(nested, &resolved_at));
        }
        Ok(out)
    }

    /// The one part of an `allOf` (as written, not through nested `allOf`s) that adds a
    /// type, when there is exactly one: the `allOf` is that part's type. Not so for a
    /// polymorphic base (an object with a discriminator), whose subtypes name it as their
    /// one part: a subtype is a struct with the base's properties, since a value decoded as
    /// the base would be told apart by its tag and come back to the subtype.
    pub(super) fn single_part(
        &self,
        all_of: &'a [ReferenceOr<Schema>],
        origin: &str,
    ) -> Result<Option<(RefOr<'a>, String)>> {
        let mut typed = Vec::new();
        for (i, part) in all_of.iter().enumerate() {
            let at = join(&join(origin, "allOf"), &i.to_string());
            let (schema, _) = self.resolve(&view(part), &at)?;
            let nested = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => !all_of.is_empty(),
                SchemaKind::Any(any) => !any.all_of.is_empty(),
                _ => false,
            };
            if nested || adds(schema) != Adds::Nothing {
                typed.push((view(part), at));
            }
        }
        if typed.len() != 1 {
            return Ok(None);
        }
        let (schema, _) = self.resolve(&typed[0].0, &typed[0].1)?;
        let base = schema.schema_data.discriminator.is_some() && adds(schema) == Adds::Object;
        Ok(if base { None } else { typed.pop() })
    }

    /// allOf as the kind of the named type `rust_name`; `own` holds what the schema
    /// declares beside its `allOf`.
    pub(super) fn lower_all_of(
        &mut self,
        all_of: &'a [ReferenceOr<Schema>],
        own: Object<'a>,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        let own_empty =
            own.properties.is_empty() && own.required.is_empty() && own.additional.is_none();
        if own_empty {
            if let Some((only, at)) = self.single_part(all_of, origin)? {
                return match only {
                    ReferenceOr::Reference { reference } => {
                        Ok(TypeKind::Alias(self.reference(&reference, &at)?))
                    }
                    ReferenceOr::Item(schema) => self.lower_body(schema, rust_name, &at),
                };
            }
        }
        let parts = self.parts(all_of, origin)?;
        let typed: Vec<&Part<'a>> = parts.iter().filter(|p| p.adds != Adds::Nothing).collect();
        if typed.is_empty() && own_empty {
            return Ok(TypeKind::Alias(TypeRef::Any));
        }
        let object_like = |p: &&&Part| matches!(p.adds, Adds::Object | Adds::Union);
        if let Some(scalar) = typed.iter().find(|p| !object_like(p)) {
            let other = typed
                .iter()
                .find(|p| p.at != scalar.at)
                .map_or("the schema's own properties".to_owned(), |p| {
                    format!("{} at #{}", describe(p.adds), p.at)
                });
            let message = format!(
                "`allOf` combines {} with {other}: no value is both",
                describe(scalar.adds)
            );
            let at = scalar.at.clone();
            return Ok(TypeKind::Alias(self.fallback(&at, message)));
        }
        let mut object = Object::default();
        for part in typed {
            match part.adds {
                Adds::Union => {
                    let keyword = match &part.schema.schema_kind {
                        SchemaKind::AnyOf { .. } => "AnyOf",
                        SchemaKind::Any(any) if !any.any_of.is_empty() => "AnyOf",
                        _ => "OneOf",
                    };
                    let hint = format!("{rust_name}{keyword}");
                    let ty = self.lower_ref(&part.written, &hint, &part.at)?.0;
                    object.flattened.push((ty, part.at.clone()));
                }
                _ => {
                    if let Some(members) = Object::of(part.schema, &part.resolved_at) {
                        object.properties.extend(members.properties);
                        object.required.extend(members.required);
                        if members.additional.is_some() {
                            object.additional = members.additional;
                        }
                    }
                }
            }
        }
        // The schema's own properties come after those of its parts.
        object.properties.extend(own.properties);
        object.required.extend(own.required);
        if own.additional.is_some() {
            object.additional = own.additional;
        }
        self.lower_struct(object, rust_name)
    }
}

/// What a resolved part adds (its nested `allOf` parts aside).
fn adds(schema: &Schema) -> Adds {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => Adds::Object,
        SchemaKind::Type(Type::String(_)) => Adds::Scalar("a string"),
        SchemaKind::Type(Type::Integer(_)) => Adds::Scalar("an integer"),
        SchemaKind::Type(Type::Number(_)) => Adds::Scalar("a number"),
        SchemaKind::Type(Type::Boolean(_)) => Adds::Scalar("a boolean"),
        SchemaKind::Type(Type::Array(_)) => Adds::Scalar("an array"),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Adds::Union,
        SchemaKind::Not { .. } => Adds::Scalar("a `not`"),
        SchemaKind::AllOf { .. } => Adds::Nothing,
        SchemaKind::Any(any) => {
            let object = !any.properties.is_empty()
                || !any.required.is_empty()
                || any.additional_properties.is_some()
                || any.typ.as_deref() == Some("object");
            if object {
                Adds::Object
            } else if !any.one_of.is_empty() || !any.any_of.is_empty() {
                Adds::Union
            } else if any.not.is_some() {
                Adds::Scalar("a `not`")
            } else if any.items.is_some() || any.typ.as_deref() == Some("array") {
                Adds::Scalar("an array")
            } else if let Some(typ) = &any.typ {
                Adds::Scalar(match typ.as_str() {
                    "string" => "a string",
                    "integer" => "an integer",
                    "number" => "a number",
                    "boolean" => "a boolean",
                    _ => "a value of another type",
                })
            } else {
                Adds::Nothing
            }
        }
    }
}

fn describe(adds: Adds) -> String {
    match adds {
        Adds::Nothing => "nothing".to_owned(),
        Adds::Object => "an object".to_owned(),
        Adds::Union => "a union".to_owned(),
        Adds::Scalar(what) => what.to_owned(),
    }
}
