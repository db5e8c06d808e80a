//! Component and inline schemas: structs and their fields, enums, scalars and their
//! constraints, and the fallback for a schema the generator cannot express.
//!
//! Component schemas are named before any body is lowered (so references resolve in any
//! order); an inline schema that needs a Rust type is named after where it stands
//! (`{Parent}{Field}`, `{Hint}Item`, `{Hint}Value`) and yields to any name already taken.

use super::{Lowerer, Result, literal, view};
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::{self, Case, Claim, Scope, rank};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// A schema or a reference to one, borrowed from the spec.
pub(super) type RefOr<'a> = ReferenceOr<&'a Schema>;

/// An object's members, gathered from one schema or from the parts of an `allOf`.
#[derive(Default)]
pub(super) struct Object<'a> {
    /// Properties by API name, each with the pointer where it is declared; a later
    /// declaration of a name replaces an earlier one in its place.
    pub properties: IndexMap<&'a str, (RefOr<'a>, String)>,
    /// Required property names, each with the pointer of the `required` list naming it.
    pub required: Vec<(&'a str, String)>,
    pub additional: Option<(&'a AdditionalProperties, String)>,
    /// `allOf` parts that are unions, each held in a flattened field, with its pointer.
    pub flattened: Vec<(TypeRef, String)>,
}

impl<'a> Object<'a> {
    /// Adds the properties and requirements that the schema at `origin` declares.
    pub fn add(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        origin: &str,
    ) {
        let properties_at = join(origin, "properties");
        for (name, property) in properties {
            let at = join(&properties_at, name);
            self.properties.insert(name.as_str(), (view(property), at));
        }
        let required_at = join(origin, "required");
        for name in required {
            self.required.push((name.as_str(), required_at.clone()));
        }
        if let Some(additional) = additional {
            self.additional = Some((additional, join(origin, "additionalProperties")));
        }
    }

    /// The members of a schema that declares properties itself, if it does.
    pub fn of(schema: &'a Schema, origin: &str) -> Option<Object<'a>> {
        let mut object = Object::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => object.add(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                origin,
            ),
            SchemaKind::Any(any) => object.add(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                origin,
            ),
            _ => return None,
        }
        Some(object)
    }
}

impl<'a> Lowerer<'a> {
    /// Phase one: a `TypeId` and a Rust name for every component schema, all named at once
    /// so that the rules of `names` decide between components alike after casing.
    pub(super) fn reserve_components(&mut self) -> Result<()> {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return Ok(());
        };
        // Sorted, not document order: the JSON and YAML renderings of one spec order their
        // keys differently and must give the same crate.
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        let mut claims = Vec::with_capacity(names.len());
        for name in &names {
            let origin = pointer(["components", "schemas", name]);
            let claim = Claim::new(origin, name.as_str(), names::type_name(name), Case::Camel);
            claims.push((
                NameKind::Type,
                self.namer.configure(NameKind::Type, claim, None)?,
            ));
        }
        let given = self.namer.resolve(&mut self.scope, &claims)?;
        for ((name, (_, claim)), rust_name) in names.into_iter().zip(&claims).zip(given) {
            let id = self.push_type(name, rust_name, &claim.origin);
            self.components.insert(name.clone(), id);
        }
        Ok(())
    }

    /// Phase two: the body of every component schema.
    pub(super) fn lower_components(&mut self) -> Result<()> {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return Ok(());
        };
        let mut schemas: Vec<(&String, &ReferenceOr<Schema>)> = components.schemas.iter().collect();
        schemas.sort_by_key(|(name, _)| *name);
        for (name, schema) in schemas {
            let id = self.components[name];
            let origin = pointer(["components", "schemas", name]);
            let rust_name = self.types[id.0].rust_name.clone();
            let (kind, data) = match schema {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(self.reference(reference, &origin)?), None)
                }
                ReferenceOr::Item(schema) => {
                    let kind = match self.lower_polymorphic(schema, &origin)? {
                        Some(kind) => kind,
                        None => self.lower_body(schema, &rust_name, &origin)?,
                    };
                    (kind, Some(&schema.schema_data))
                }
            };
            let def = &mut self.types[id.0];
            def.kind = kind;
            if let Some(data) = data {
                def.title = data.title.clone();
                def.description = data.description.clone();
                def.deprecated = data.deprecated;
            }
        }
        Ok(())
    }

    fn push_type(&mut self, api_name: &str, rust_name: String, origin: &str) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            id,
            api_name: api_name.to_owned(),
            rust_name,
            origin: origin.to_owned(),
            title: None,
            description: None,
            deprecated: false,
            kind: TypeKind::Alias(TypeRef::Any),
            in_request: false,
            in_response: false,
        });
        id
    }

    /// A named type that is not a component (an inline schema, a parameter's validated
    /// type): it claims `rust_name` of rank `rank` and yields to any name already taken.
    pub(super) fn new_type(
        &mut self,
        api_name: &str,
        rust_name: String,
        rank: u8,
        origin: &str,
    ) -> Result<TypeId> {
        let claim = Claim::new(origin, api_name, rust_name, Case::Camel).rank(rank);
        let claim = self.namer.configure(NameKind::Type, claim, None)?;
        let rust_name = self.namer.claim(&mut self.scope, NameKind::Type, claim)?;
        Ok(self.push_type(api_name, rust_name, origin))
    }

    /// A named inline type: reserve, lower the body, fill in.
    pub(super) fn inline_type(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        origin: &str,
    ) -> Result<TypeRef> {
        let id = self.new_type(origin, hint.to_owned(), rank::INLINE, origin)?;
        let rust_name = self.types[id.0].rust_name.clone();
        let kind = self.lower_body(schema, &rust_name, origin)?;
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.title = schema.schema_data.title.clone();
        def.description = schema.schema_data.description.clone();
        def.deprecated = schema.schema_data.deprecated;
        Ok(TypeRef::Named(id))
    }

    /// The kind of a named type from its schema.
    pub(super) fn lower_body(
        &mut self,
        schema: &'a Schema,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let members = Object::of(schema, origin).unwrap_or_default();
                self.lower_struct(members, rust_name)
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let enum_at = join(origin, "enum");
                let values = string.enumeration.iter().enumerate().filter_map(|(i, v)| {
                    let at = join(&enum_at, &i.to_string());
                    v.clone().map(|v| (Literal::String(v), at))
                });
                self.lower_enum(EnumRepr::String, values.collect(), origin)
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                let enum_at = join(origin, "enum");
                let values = integer.enumeration.iter().enumerate().filter_map(|(i, v)| {
                    let at = join(&enum_at, &i.to_string());
                    v.map(|v| (Literal::Int(v), at))
                });
                self.lower_enum(EnumRepr::Integer, values.collect(), origin)
            }
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(all_of, Object::default(), rust_name, origin)
            }
            SchemaKind::OneOf { one_of } => {
                self.union_or_alias(one_of, "oneOf", schema, rust_name, origin)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union_or_alias(any_of, "anyOf", schema, rust_name, origin)
            }
            SchemaKind::Not { .. } => Ok(TypeKind::Alias(self.not_fallback(origin))),
            // openapiv3 reads a schema that mixes keywords (`allOf` beside `properties`,
            // `oneOf` beside `type`) as `Any`.
            SchemaKind::Any(any) => {
                if let Some(typ) = unknown_type(any) {
                    return Err(unknown_type_error(typ, origin));
                }
                for (parts, keyword) in [(&any.one_of, "oneOf"), (&any.any_of, "anyOf")] {
                    if parts.is_empty() {
                        continue;
                    }
                    if let Some(kind) =
                        self.lower_union(parts, keyword, schema, rust_name, origin)?
                    {
                        return Ok(kind);
                    }
                }
                if any.not.is_some() {
                    return Ok(TypeKind::Alias(self.not_fallback(origin)));
                }
                let members = Object::of(schema, origin).unwrap_or_default();
                if !any.all_of.is_empty() {
                    return self.lower_all_of(&any.all_of, members, rust_name, origin);
                }
                if !any.properties.is_empty() {
                    return self.lower_struct(members, rust_name);
                }
                self.scalar_body(schema, rust_name, origin)
            }
            _ => self.scalar_body(schema, rust_name, origin),
        }
    }

    /// A named type for a scalar, array or map: validated when constrained, else an alias.
    fn scalar_body(
        &mut self,
        schema: &'a Schema,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        let (ty, constraints) = self.lower_inline(schema, rust_name, origin)?;
        Ok(match ty {
            TypeRef::Primitive(base) if constraints.restricts() => {
                TypeKind::Constrained(Constrained { base, constraints })
            }
            ty => TypeKind::Alias(ty),
        })
    }

    /// `oneOf`/`anyOf` as the kind of a named type: a union, or, when only one alternative
    /// adds a type, an alias of that alternative.
    fn union_or_alias(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        keyword: &str,
        schema: &'a Schema,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        match self.lower_union(parts, keyword, schema, rust_name, origin)? {
            Some(kind) => Ok(kind),
            // No alternative adds a type (each only constrains, or says null).
            None => Ok(TypeKind::Alias(TypeRef::Any)),
        }
    }

    /// `not` has no Rust type: what a value must not be is checked by no type.
    pub(super) fn not_fallback(&mut self, origin: &str) -> TypeRef {
        self.fallback(
            &join(origin, "not"),
            "`not` (a value that does not match a schema) has no Rust type",
        )
    }

    pub(super) fn lower_struct(&mut self, object: Object<'a>, rust_name: &str) -> Result<TypeKind> {
        for (name, at) in &object.required {
            if !object.properties.contains_key(name) {
                self.warn(
                    WarningKind::Repaired,
                    at,
                    format!("`required` names `{name}`, which is not among the properties"),
                    format!(
                        "ignored: with no schema there is no field to hold `{name}`, and a property spelled otherwise is not guessed"
                    ),
                );
            }
        }
        // Every field is named at once, so the rules of `names` decide between properties
        // alike after casing (`auth_time` and `authTime`).
        let mut claims = Vec::with_capacity(object.properties.len() + object.flattened.len());
        for (api_name, (_, at)) in &object.properties {
            let claim = Claim::new(at.as_str(), *api_name, names::snake(api_name), Case::Snake);
            claims.push((
                NameKind::Field,
                self.namer.configure(NameKind::Field, claim, None)?,
            ));
        }
        for (ty, at) in &object.flattened {
            let name = match ty {
                TypeRef::Named(id) => names::snake(&self.types[id.0].rust_name),
                _ => "value".to_owned(),
            };
            let claim = Claim::new(at.as_str(), names::unraw(&name), name.clone(), Case::Snake);
            claims.push((
                NameKind::Field,
                self.namer.configure(NameKind::Field, claim, None)?,
            ));
        }
        let mut scope = Scope::new();
        let mut given = self.namer.resolve(&mut scope, &claims)?.into_iter();
        let mut fields = Vec::with_capacity(claims.len());
        for (api_name, (property, at)) in &object.properties {
            let field_name = given.next().unwrap_or_default();
            let required = object.required.iter().any(|(r, _)| r == api_name);
            fields.push(self.lower_field(api_name, property, at, required, rust_name, field_name)?);
        }
        for (ty, _) in object.flattened {
            let field_name = given.next().unwrap_or_default();
            fields.push(Field {
                api_name: names::unraw(&field_name).to_owned(),
                rust_name: field_name,
                description: None,
                ty,
                required: true,
                nullable: false,
                read_only: false,
                write_only: false,
                deprecated: false,
                constraints: Constraints::default(),
                default: None,
                example: None,
                boxed: false,
                flatten: true,
            });
        }
        let additional_properties = match object.additional {
            Some((AdditionalProperties::Schema(schema), at)) => Some(
                self.lower_ref(&view(schema), &format!("{rust_name}Value"), &at)?
                    .0,
            ),
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Any),
            Some((AdditionalProperties::Any(false), _)) | None => None,
        };
        Ok(TypeKind::Struct(Struct {
            fields,
            additional_properties,
            error_code: None,
            error_message: None,
        }))
    }

    fn lower_field(
        &mut self,
        api_name: &str,
        property: &RefOr<'a>,
        origin: &str,
        required: bool,
        parent: &str,
        rust_name: String,
    ) -> Result<Field> {
        let hint = format!("{parent}{}", names::camel(api_name));
        let (ty, constraints) = self.lower_ref(property, &hint, origin)?;
        let data = match property {
            ReferenceOr::Item(schema) => Some(&schema.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        let null_alternative = match property {
            ReferenceOr::Item(schema) => self.has_null_alternative(schema),
            ReferenceOr::Reference { .. } => false,
        };
        Ok(Field {
            api_name: api_name.to_owned(),
            rust_name,
            description: data.and_then(|d| d.description.clone()),
            ty,
            required,
            nullable: data.is_some_and(|d| d.nullable) || null_alternative,
            read_only: data.is_some_and(|d| d.read_only),
            write_only: data.is_some_and(|d| d.write_only),
            deprecated: data.is_some_and(|d| d.deprecated),
            constraints,
            default: data.and_then(|d| d.default.as_ref()).map(literal),
            example: data.and_then(|d| d.example.as_ref()).map(literal),
            boxed: false,
            flatten: false,
        })
    }

    /// A schema or a reference as a type reference, with the constraints of an inline one.
    pub(super) fn lower_ref(
        &mut self,
        schema: &RefOr<'a>,
        hint: &str,
        origin: &str,
    ) -> Result<(TypeRef, Constraints)> {
        match schema {
            ReferenceOr::Reference { reference } => {
                Ok((self.reference(reference, origin)?, Constraints::default()))
            }
            ReferenceOr::Item(schema) => self.lower_inline(schema, hint, origin),
        }
    }

    /// An inline schema as a type reference, creating a named type where Rust needs one.
    /// Returns the schema's constraints, which belong to the field or parameter using it.
    pub(super) fn lower_inline(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        origin: &str,
    ) -> Result<(TypeRef, Constraints)> {
        let mut constraints = Constraints::default();
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(pattern) = &string.pattern {
                    if self.check_pattern(pattern, origin) {
                        constraints.pattern = Some(pattern.clone());
                    }
                }
                constraints.min_length = string.min_length.map(|n| n as u64);
                constraints.max_length = string.max_length.map(|n| n as u64);
                let format = format_of(schema);
                constraints.format = format.clone();
                if !string.enumeration.is_empty() {
                    self.inline_type(schema, hint, origin)?
                } else {
                    TypeRef::Primitive(match format.as_deref() {
                        Some("date-time") => Primitive::DateTime,
                        Some("date") => Primitive::Date,
                        Some("uuid") => Primitive::Uuid,
                        Some("binary") => Primitive::Binary,
                        _ => Primitive::String,
                    })
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                constraints.minimum = integer.minimum.map(Number::Int);
                constraints.maximum = integer.maximum.map(Number::Int);
                constraints.exclusive_minimum = integer.exclusive_minimum;
                constraints.exclusive_maximum = integer.exclusive_maximum;
                constraints.multiple_of = integer.multiple_of.map(Number::Int);
                let int32 = matches!(
                    integer.format,
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
                );
                constraints.format = format_of(schema);
                if !integer.enumeration.is_empty() {
                    self.inline_type(schema, hint, origin)?
                } else {
                    TypeRef::Primitive(if int32 {
                        Primitive::I32
                    } else {
                        Primitive::I64
                    })
                }
            }
            SchemaKind::Type(Type::Number(number)) => {
                constraints.minimum = number.minimum.map(Number::Float);
                constraints.maximum = number.maximum.map(Number::Float);
                constraints.exclusive_minimum = number.exclusive_minimum;
                constraints.exclusive_maximum = number.exclusive_maximum;
                constraints.multiple_of = number.multiple_of.map(Number::Float);
                let float = matches!(
                    number.format,
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float)
                );
                constraints.format = format_of(schema);
                TypeRef::Primitive(if float {
                    Primitive::F32
                } else {
                    Primitive::F64
                })
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Primitive(Primitive::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                constraints.min_items = array.min_items.map(|n| n as u64);
                constraints.max_items = array.max_items.map(|n| n as u64);
                constraints.unique_items = array.unique_items;
                let (items, item_constraints) = self.items(array.items.as_ref(), hint, origin)?;
                constraints.items = (item_constraints != Constraints::default())
                    .then(|| Box::new(item_constraints));
                TypeRef::Array(Box::new(items))
            }
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                self.map_of(object.additional_properties.as_ref(), hint, origin)?
            }
            SchemaKind::Type(Type::Object(_)) => self.inline_type(schema, hint, origin)?,
            SchemaKind::AllOf { all_of } => match self.single_part(all_of, origin)? {
                Some((part, at)) => return self.lower_ref(&part, hint, &at),
                None => self.inline_type(schema, hint, origin)?,
            },
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    _ => "anyOf",
                };
                match self.only_alternative(parts, keyword, schema, origin)? {
                    Some((part, at)) => return self.lower_ref(&part, hint, &at),
                    None => self.inline_type(schema, hint, origin)?,
                }
            }
            SchemaKind::Not { .. } => self.not_fallback(origin),
            SchemaKind::Any(any) => {
                if let Some(typ) = unknown_type(any) {
                    return Err(unknown_type_error(typ, origin));
                }
                let composed = !any.one_of.is_empty()
                    || !any.any_of.is_empty()
                    || !any.all_of.is_empty()
                    || any.not.is_some();
                if composed || !any.properties.is_empty() {
                    if any.properties.is_empty()
                        && any.one_of.is_empty()
                        && any.any_of.is_empty()
                        && any.not.is_none()
                    {
                        if let Some((part, at)) = self.single_part(&any.all_of, origin)? {
                            return self.lower_ref(&part, hint, &at);
                        }
                    }
                    self.inline_type(schema, hint, origin)?
                } else if any.items.is_some() {
                    let (items, item_constraints) = self.items(any.items.as_ref(), hint, origin)?;
                    constraints.items = (item_constraints != Constraints::default())
                        .then(|| Box::new(item_constraints));
                    TypeRef::Array(Box::new(items))
                } else if any.additional_properties.is_some() {
                    self.map_of(any.additional_properties.as_ref(), hint, origin)?
                } else if let Some(typ) = &any.typ {
                    // The repairs at loading leave none of these; should one remain, it is
                    // not silently any value.
                    self.fallback(
                        origin,
                        format!("a `{typ}` schema with keywords that belong to another type"),
                    )
                } else {
                    // No type and nothing that adds one: any JSON value, as OpenAPI says.
                    TypeRef::Any
                }
            }
        };
        Ok((ty, constraints))
    }

    /// The items of an array (`{hint}Item`); without `items`, any value.
    fn items(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        origin: &str,
    ) -> Result<(TypeRef, Constraints)> {
        match items {
            Some(items) => {
                self.lower_ref(&view(items), &format!("{hint}Item"), &join(origin, "items"))
            }
            None => Ok((TypeRef::Any, Constraints::default())),
        }
    }

    /// An object without properties: a map when `additionalProperties` has a schema
    /// (`{hint}Value`), else any JSON value.
    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        origin: &str,
    ) -> Result<TypeRef> {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let origin = join(origin, "additionalProperties");
                let value = self
                    .lower_ref(&view(value), &format!("{hint}Value"), &origin)?
                    .0;
                Ok(TypeRef::Map(Box::new(value)))
            }
            _ => Ok(TypeRef::Any),
        }
    }

    /// A pattern must be a valid ECMA-262 regular expression to be checked: the generated
    /// crate checks values against it, and an invalid one would reject every value. One
    /// that is not (a Perl or .NET spelling) is left unchecked, with a warning.
    fn check_pattern(&mut self, pattern: &str, origin: &str) -> bool {
        if self.valid_patterns.contains(pattern) {
            return true;
        }
        match regress::Regex::new(pattern) {
            Ok(_) => {
                self.valid_patterns.insert(pattern.to_owned());
                true
            }
            Err(error) => {
                self.warn(
                    WarningKind::Repaired,
                    &join(origin, "pattern"),
                    format!("`{pattern}` is not a valid ECMA-262 regular expression: {error}"),
                    "values are not checked against it",
                );
                false
            }
        }
    }

    /// An open enum. Each value is a variant named after it; the catch-all variant, which
    /// keeps values the spec does not list, is `Unknown`, or `Other` when a value takes
    /// `Unknown` (see `names`). A value listed twice is one variant.
    pub(super) fn lower_enum(
        &mut self,
        repr: EnumRepr,
        values: Vec<(Literal, String)>,
        origin: &str,
    ) -> Result<TypeKind> {
        let mut distinct: Vec<(Literal, String)> = Vec::with_capacity(values.len());
        for (value, at) in values {
            if distinct.iter().any(|(v, _)| *v == value) {
                self.warn(
                    WarningKind::Repaired,
                    &at,
                    format!("the enum lists `{}` twice", spelled(&value)),
                    "one variant for both",
                );
                continue;
            }
            distinct.push((value, at));
        }
        let mut claims = Vec::with_capacity(distinct.len() + 1);
        for (value, at) in &distinct {
            let text = spelled(value);
            let claim = Claim::new(at.as_str(), text.as_str(), names::camel(&text), Case::Camel);
            claims.push((
                NameKind::EnumValue,
                self.namer.configure(NameKind::EnumValue, claim, None)?,
            ));
        }
        claims.push((NameKind::CatchAll, catch_all(origin)));
        let mut given = self.namer.resolve(&mut Scope::new(), &claims)?;
        let catch_all = given.pop().unwrap_or_default();
        let variants = distinct
            .into_iter()
            .zip(given)
            .map(|((value, _), rust_name)| Variant { value, rust_name })
            .collect();
        Ok(TypeKind::Enum(Enum {
            repr,
            variants,
            catch_all,
        }))
    }
}

/// The claim of the catch-all variant of an enum or union at `origin`.
pub(super) fn catch_all(origin: &str) -> Claim {
    Claim::new(origin, "", "Unknown", Case::Camel)
        .rank(rank::CATCH_ALL)
        .or("Other")
}

/// An enum value as text to name its variant by: a string as it is, `-3` as `minus 3`,
/// `3` as `V3`.
fn spelled(value: &Literal) -> String {
    match value {
        Literal::String(s) => s.clone(),
        Literal::Int(i) if *i < 0 => format!("minus {}", i.unsigned_abs()),
        Literal::Int(i) => format!("V{i}"),
        other => format!("{other:?}"),
    }
}

/// The `format` of a string, integer or number schema, as the spec spells it.
pub(super) fn format_of(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => format_name(&s.format, |f| match f {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }),
        SchemaKind::Type(Type::Integer(i)) => format_name(&i.format, |f| match f {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }),
        SchemaKind::Type(Type::Number(n)) => format_name(&n.format, |f| match f {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }),
        _ => None,
    }
}

fn format_name<T>(
    format: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// A `type` that is none of OpenAPI's, which openapiv3 reads as a schema of any type.
fn unknown_type(any: &openapiv3::AnySchema) -> Option<&str> {
    const TYPES: [&str; 6] = ["string", "number", "integer", "object", "array", "boolean"];
    any.typ.as_deref().filter(|t| !TYPES.contains(t))
}

fn unknown_type_error(typ: &str, origin: &str) -> SpecError {
    SpecError::at(
        join(origin, "type"),
        format!(
            "unknown type `{typ}`: OpenAPI 3.0 types are string, number, integer, boolean, array and object"
        ),
    )
}
