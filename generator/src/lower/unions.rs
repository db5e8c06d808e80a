//! `oneOf` and `anyOf`: unions of alternatives, tagged by a discriminator when the spec
//! has one, and the bases that name their subtypes only in a discriminator mapping.
//!
//! Alternatives that add no type do not become variants: one that only says the value may
//! be null (`{nullable: true}`, as generated specs spell `Option<T>`) makes the field
//! nullable, and one that only constrains (`{required: [id]}`) is validation the client
//! leaves to the server. A union left with one alternative is that alternative's type.
//!
//! Variant names: a referenced component's type name, else the alternative's `title`,
//! else its kind (`String`, `Integer`, `Array`, `Object`, `Map`, `Value`); collisions and
//! the catch-all (`Unknown`, or `Other` when a variant takes `Unknown`) follow `names`.

use super::schemas::{RefOr, catch_all, format_of};
use super::{Lowerer, Result, view};
use crate::error::join;
use crate::ir::*;
use crate::names::{self, Case, Claim, Scope};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// What a union's alternatives add up to.
struct Alternatives<'a> {
    /// The alternatives that add a type, each with its pointer.
    typed: Vec<(RefOr<'a>, String)>,
    /// Some alternative only says the value may be null.
    null: bool,
}

/// One variant being built: its type when it is a reference, or its inline schema.
struct Entry<'a> {
    ty: Option<TypeRef>,
    inline: Option<&'a Schema>,
    tags: Vec<String>,
}

impl<'a> Lowerer<'a> {
    fn alternatives(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        origin: &str,
    ) -> Alternatives<'a> {
        let parts_at = join(origin, keyword);
        let mut out = Alternatives {
            typed: Vec::new(),
            null: false,
        };
        for (i, part) in parts.iter().enumerate() {
            let at = join(&parts_at, &i.to_string());
            match part {
                ReferenceOr::Item(schema) if only_null(schema) => out.null = true,
                ReferenceOr::Item(schema) if only_constrains(schema) => {}
                part => out.typed.push((view(part), at)),
            }
        }
        out
    }

    /// The one alternative of an inline `oneOf`/`anyOf` that adds a type, when there is
    /// exactly one and no discriminator: the union is that alternative's type.
    pub(super) fn only_alternative(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        schema: &Schema,
        origin: &str,
    ) -> Result<Option<(RefOr<'a>, String)>> {
        if schema.schema_data.discriminator.is_some() || has_properties(schema) {
            return Ok(None);
        }
        let mut alternatives = self.alternatives(parts, keyword, origin);
        Ok(match alternatives.typed.len() {
            1 => alternatives.typed.pop(),
            _ => None,
        })
    }

    /// The values of alternatives that are all string enums, each once, with the pointer
    /// where it is first listed; `None` when some alternative is anything else.
    fn string_enum_values(
        &self,
        alternatives: &Alternatives<'a>,
    ) -> Result<Option<Vec<(Literal, String)>>> {
        let mut values: Vec<(Literal, String)> = Vec::new();
        for (part, at) in &alternatives.typed {
            let (resolved, resolved_at) = self.resolve(part, at)?;
            let SchemaKind::Type(Type::String(string)) = &resolved.schema_kind else {
                return Ok(None);
            };
            if string.enumeration.is_empty() {
                return Ok(None);
            }
            let enum_at = join(&resolved_at, "enum");
            for (i, value) in string.enumeration.iter().enumerate() {
                let Some(value) = value else { continue };
                let value = Literal::String(value.clone());
                if !values.iter().any(|(v, _)| *v == value) {
                    values.push((value, join(&enum_at, &i.to_string())));
                }
            }
        }
        Ok(Some(values))
    }

    /// Whether every alternative of a union is a string enum, so that the union is one
    /// open enum.
    pub(super) fn all_string_enums(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        origin: &str,
    ) -> Result<bool> {
        let alternatives = self.alternatives(parts, keyword, origin);
        Ok(!alternatives.typed.is_empty() && self.string_enum_values(&alternatives)?.is_some())
    }

    /// The alternatives of a union that add a type, each with its pointer.
    pub(super) fn typed_alternatives(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        origin: &str,
    ) -> Vec<(RefOr<'a>, String)> {
        self.alternatives(parts, keyword, origin).typed
    }

    /// Whether a schema is a union one of whose alternatives only says "or null".
    pub(super) fn has_null_alternative(&self, schema: &'a Schema) -> bool {
        let (parts, keyword): (&'a [ReferenceOr<Schema>], &str) = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => (one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
            SchemaKind::Any(any) if !any.one_of.is_empty() => (&any.one_of, "oneOf"),
            SchemaKind::Any(any) if !any.any_of.is_empty() => (&any.any_of, "anyOf"),
            _ => return false,
        };
        self.alternatives(parts, keyword, "").null
    }

    /// oneOf / anyOf as the kind of the named type `rust_name`; `None` when no alternative
    /// adds a type. Alternatives that are all string enums merge into one open enum (Atlas
    /// spells per-provider region names that way); a single alternative is that
    /// alternative's type; otherwise each alternative is a variant, and a discriminator's
    /// mapping (or, without one, the component names) gives the tags that select them.
    pub(super) fn lower_union(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        schema: &'a Schema,
        rust_name: &str,
        origin: &str,
    ) -> Result<Option<TypeKind>> {
        let alternatives = self.alternatives(parts, keyword, origin);
        let discriminator = schema.schema_data.discriminator.as_ref();
        match alternatives.typed.as_slice() {
            [] => return Ok(None),
            [(part, at)] if discriminator.is_none() && !has_properties(schema) => {
                return Ok(Some(match part {
                    ReferenceOr::Reference { reference } => {
                        TypeKind::Alias(self.reference(reference, at)?)
                    }
                    ReferenceOr::Item(part) => self.lower_body(part, rust_name, at)?,
                }));
            }
            _ => {}
        }

        if let Some(values) = self.string_enum_values(&alternatives)? {
            return self.lower_enum(EnumRepr::String, values, origin).map(Some);
        }

        let mut entries: Vec<Entry<'a>> = Vec::new();
        let mut claims: Vec<(NameKind, Claim)> = Vec::new();
        for (part, at) in &alternatives.typed {
            let (entry, name, api_name) = match part {
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference(reference, at)?;
                    let name = self.variant_name(&ty, "");
                    let api_name =
                        super::unescape(reference.rsplit('/').next().unwrap_or_default());
                    let entry = Entry {
                        ty: Some(ty),
                        inline: None,
                        tags: Vec::new(),
                    };
                    (entry, name, api_name)
                }
                ReferenceOr::Item(item) => {
                    let title = item.schema_data.title.as_deref();
                    let name = match title {
                        Some(title) => names::camel(title),
                        None => self.alternative_name(item, &alternatives.typed),
                    };
                    let entry = Entry {
                        ty: None,
                        inline: Some(*item),
                        tags: Vec::new(),
                    };
                    (entry, name.clone(), title.unwrap_or(&name).to_owned())
                }
            };
            entries.push(entry);
            let claim = Claim::new(at.as_str(), api_name, name, Case::Camel);
            claims.push((
                NameKind::UnionVariant,
                self.namer.configure(NameKind::UnionVariant, claim, None)?,
            ));
        }

        if let Some(discriminator) = discriminator {
            let at = join(&join(origin, "discriminator"), "mapping");
            if discriminator.mapping.is_empty() {
                // Without a mapping, the tag is the component name of each alternative.
                for (entry, (part, _)) in entries.iter_mut().zip(&alternatives.typed) {
                    if let ReferenceOr::Reference { reference } = part {
                        let name =
                            super::unescape(reference.rsplit('/').next().unwrap_or_default());
                        entry.tags.push(name);
                    }
                }
            }
            for (tag, target) in &discriminator.mapping {
                let tag_at = join(&at, tag);
                let ty = self.reference(target, &tag_at)?;
                // A mapping may name a schema the alternatives do not list.
                self.add_tag(&mut entries, &mut claims, tag, ty, &tag_at)?;
            }
        }
        let variants = self.name_variants(entries, claims, rust_name, origin)?;
        Ok(Some(TypeKind::Union(Union {
            discriminator: discriminator.map(|d| d.property_name.clone()),
            variants: variants.0,
            catch_all: variants.1,
        })))
    }

    /// Names the variants (and the catch-all) at once, then lowers the inline ones, each
    /// named `{Union}{Variant}`.
    fn name_variants(
        &mut self,
        entries: Vec<Entry<'a>>,
        mut claims: Vec<(NameKind, Claim)>,
        rust_name: &str,
        origin: &str,
    ) -> Result<(Vec<UnionVariant>, String)> {
        claims.push((NameKind::CatchAll, catch_all(origin)));
        let mut given = self.namer.resolve(&mut Scope::new(), &claims)?;
        let catch_all = given.pop().unwrap_or_default();
        let mut variants = Vec::with_capacity(entries.len());
        for ((entry, (_, claim)), name) in entries.into_iter().zip(&claims).zip(given) {
            let ty = match (entry.ty, entry.inline) {
                (Some(ty), _) => ty,
                (None, Some(item)) => {
                    let hint = format!("{rust_name}{name}");
                    self.lower_inline(item, &hint, &claim.origin)?.0
                }
                (None, None) => TypeRef::Any,
            };
            variants.push(UnionVariant {
                rust_name: name,
                tags: entry.tags,
                ty,
            });
        }
        Ok((variants, catch_all))
    }

    /// A component schema with a discriminator mapping but no `oneOf`/`anyOf`: a base type
    /// whose values are its subtypes, the mapping's targets (which mostly include the base
    /// through `allOf`). Atlas declares 27 of its types this way. Lowered as the base's
    /// own struct, a value would lose its subtype's fields on decode (and a read, modify,
    /// write would drop them), so it becomes a union of the targets, chosen by the tag; a
    /// tag the mapping does not list keeps the whole value as the catch-all.
    ///
    /// `None` leaves the schema to [`lower_body`](Self::lower_body): no mapping, explicit
    /// alternatives (which [`lower_union`](Self::lower_union) reads with the mapping), or
    /// a mapping that names the base itself, which has no subtype to decode into.
    pub(super) fn lower_polymorphic(
        &mut self,
        schema: &'a Schema,
        origin: &str,
    ) -> Result<Option<TypeKind>> {
        let Some(discriminator) = &schema.schema_data.discriminator else {
            return Ok(None);
        };
        let alternatives = match &schema.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(any) => !any.one_of.is_empty() || !any.any_of.is_empty(),
            _ => false,
        };
        if discriminator.mapping.is_empty() || alternatives {
            return Ok(None);
        }
        let at = join(&join(origin, "discriminator"), "mapping");
        // By tag, so that the JSON and YAML renderings (whose key orders differ) agree.
        let mut mapping: Vec<(&String, &String)> = discriminator.mapping.iter().collect();
        mapping.sort();
        let mut entries: Vec<Entry<'a>> = Vec::new();
        let mut claims = Vec::new();
        for (tag, target) in mapping {
            let tag_at = join(&at, tag);
            let reference = RefOr::Reference {
                reference: target.clone(),
            };
            if self.resolve(&reference, &tag_at)?.1 == origin {
                return Ok(None);
            }
            let ty = self.reference(target, &tag_at)?;
            self.add_tag(&mut entries, &mut claims, tag, ty, &tag_at)?;
        }
        let rust_name = String::new();
        let (variants, catch_all) = self.name_variants(entries, claims, &rust_name, origin)?;
        Ok(Some(TypeKind::Union(Union {
            discriminator: Some(discriminator.property_name.clone()),
            variants,
            catch_all,
        })))
    }

    /// Adds the discriminator tag `tag` (at `tag_at`), which selects `ty`: to the variant
    /// of that type, or to a new variant for it, named after the type.
    fn add_tag(
        &mut self,
        entries: &mut Vec<Entry<'a>>,
        claims: &mut Vec<(NameKind, Claim)>,
        tag: &str,
        ty: TypeRef,
        tag_at: &str,
    ) -> Result<()> {
        if let Some(entry) = entries.iter_mut().find(|e| e.ty.as_ref() == Some(&ty)) {
            entry.tags.push(tag.to_owned());
            return Ok(());
        }
        let name = self.variant_name(&ty, tag);
        let claim = Claim::new(tag_at, tag, name, Case::Camel);
        claims.push((
            NameKind::UnionVariant,
            self.namer.configure(NameKind::UnionVariant, claim, None)?,
        ));
        entries.push(Entry {
            ty: Some(ty),
            inline: None,
            tags: vec![tag.to_owned()],
        });
        Ok(())
    }

    /// The variant name of a referenced type: its type's name.
    fn variant_name(&self, ty: &TypeRef, tag: &str) -> String {
        match ty {
            TypeRef::Named(id) => self.types[id.0].rust_name.clone(),
            _ => names::type_name(tag),
        }
    }
}

/// Whether a schema declares properties of its own beside its alternatives.
fn has_properties(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty())
}

/// `{nullable: true}` and nothing else that adds a type or a constraint.
fn only_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

/// A schema that constrains a value without giving it a type: `{required: [id]}`,
/// `{minProperties: 1}`, `{format: date}`.
fn only_constrains(schema: &Schema) -> bool {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    let typed = any.typ.is_some()
        || !any.properties.is_empty()
        || any.items.is_some()
        || any.additional_properties.is_some()
        || !any.enumeration.is_empty()
        || !any.one_of.is_empty()
        || !any.all_of.is_empty()
        || !any.any_of.is_empty()
        || any.not.is_some();
    !typed && *any != openapiv3::AnySchema::default()
}

impl Lowerer<'_> {
    /// The name of an inline alternative without a title: after the constant tag it
    /// carries (a property whose enum has one value: `{type: {enum: [plain]}}` is
    /// `Plain`), else after its one property (`{cancelled: ...}` is `Cancelled`), else
    /// after its items (`StringList`, `DocumentList`), else after its kind (`String`,
    /// `Object`), or its format (`DateTime`, `Uint64`) when another alternative has the
    /// same kind.
    fn alternative_name(&self, schema: &Schema, all: &[(RefOr<'_>, String)]) -> String {
        if let Some(properties) = properties(schema) {
            let tag = properties.values().find_map(|p| match p {
                ReferenceOr::Item(p) => match &p.schema_kind {
                    SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 1 => {
                        s.enumeration[0].as_deref()
                    }
                    _ => None,
                },
                ReferenceOr::Reference { .. } => None,
            });
            if let Some(tag) = tag {
                return names::camel(tag);
            }
            if let [name] = properties.keys().collect::<Vec<_>>().as_slice() {
                return names::camel(name);
            }
        }
        if let Some(items) = items(schema) {
            let item = match items {
                ReferenceOr::Reference { reference } => {
                    match self.components.get(&super::unescape(
                        reference.rsplit('/').next().unwrap_or_default(),
                    )) {
                        Some(id) => self.types[id.0].rust_name.clone(),
                        None => "Value".to_owned(),
                    }
                }
                ReferenceOr::Item(item) => self.alternative_name(item, &[]),
            };
            return format!("{item}List");
        }
        let word = kind_word(schema);
        let shared = all
            .iter()
            .filter(|(other, _)| matches!(other, ReferenceOr::Item(o) if kind_word(o) == word))
            .count()
            > 1;
        match format_of(schema) {
            Some(format) if shared => names::camel(&format),
            _ => word.to_owned(),
        }
    }
}

/// The properties of an object schema.
fn properties(schema: &Schema) -> Option<&indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Some(&o.properties),
        SchemaKind::Any(any) if !any.properties.is_empty() => Some(&any.properties),
        _ => None,
    }
}

/// The items of an array schema.
fn items(schema: &Schema) -> Option<RefOr<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => a.items.as_ref().map(view),
        SchemaKind::Any(any) => any.items.as_ref().map(view),
        _ => None,
    }
}

/// The name of an alternative after its kind.
fn kind_word(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(object))
            if object.properties.is_empty()
                && matches!(
                    object.additional_properties,
                    Some(AdditionalProperties::Schema(_))
                ) =>
        {
            "Map"
        }
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => "Object",
        SchemaKind::Any(any) if !any.properties.is_empty() => "Object",
        SchemaKind::Any(any) if any.items.is_some() => "Array",
        _ => "Value",
    }
}
