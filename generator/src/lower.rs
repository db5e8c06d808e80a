//! Lowering: an `openapiv3::OpenAPI` document to the IR.
//!
//! Two phases, so that references never depend on declaration order: first every
//! component schema gets a `TypeId` and its Rust name, then bodies are lowered and any
//! `$ref` is a lookup. Inline schemas that need a Rust type (objects, enums) are named
//! after where they stand (`{Parent}{Field}`), which is deterministic and readable.
//! Every error carries the JSON pointer of the construct that caused it.

use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter as OaParameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::HashSet;

type Result<T> = std::result::Result<T, SpecError>;

/// Lowers a parsed spec. The pointer of every error is relative to the document root.
pub fn lower(spec: &OpenAPI) -> Result<Api> {
    lower_with(spec, false).map(|(api, _)| api)
}

/// Lowers a parsed spec; with `skip_unsupported`, an operation that cannot be lowered is
/// left out and its error returned as a warning instead of failing the whole spec.
pub fn lower_with(spec: &OpenAPI, skip_unsupported: bool) -> Result<(Api, Vec<SpecError>)> {
    let mut lowerer = Lowerer {
        spec,
        types: Vec::new(),
        components: IndexMap::new(),
        scope: Scope::new(),
        parameter_types: IndexMap::new(),
        skip_unsupported,
        skipped: Vec::new(),
        valid_patterns: HashSet::new(),
    };
    lowerer.reserve_components()?;
    lowerer.lower_components()?;
    check_alias_cycles(&lowerer.types)?;
    check_security(spec)?;
    let operations = lowerer.lower_operations()?;
    mark_boxed_fields(&mut lowerer.types);
    mark_directions(&mut lowerer.types, &operations);

    let security_schemes = lower_security_schemes(spec)?;
    let security = spec
        .security
        .as_deref()
        .map(lower_security)
        .unwrap_or_default();
    let skipped = std::mem::take(&mut lowerer.skipped);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: spec.servers.iter().map(|s| s.url.clone()).collect(),
        security_schemes,
        security,
        operations,
        types: lowerer.types,
    };
    Ok((api, skipped))
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    types: Vec<TypeDef>,
    /// Component schema name to its reserved id.
    components: IndexMap<String, TypeId>,
    /// Every Rust type name in the models module.
    scope: Scope,
    /// Validated parameter types by API name, each with its constraints, so that
    /// parameters spelled alike across operations share one type.
    parameter_types: IndexMap<String, Vec<(Constrained, TypeId)>>,
    skip_unsupported: bool,
    skipped: Vec<SpecError>,
    /// Patterns already checked, so each distinct pattern compiles once.
    valid_patterns: HashSet<String>,
}

impl<'a> Lowerer<'a> {
    fn reserve_components(&mut self) -> Result<()> {
        let Some(components) = &self.spec.components else {
            return Ok(());
        };
        // Sorted, not document order: the JSON and YAML renderings of one spec order their
        // keys differently and must give the same crate.
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in names {
            let origin = pointer(["components", "schemas", name]);
            let id = self.new_type(name, names::type_name(name), &origin)?;
            self.components.insert(name.clone(), id);
        }
        Ok(())
    }

    fn lower_components(&mut self) -> Result<()> {
        let Some(components) = &self.spec.components else {
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

    /// Adds a named type with a placeholder body, claiming its Rust name.
    fn new_type(&mut self, api_name: &str, rust_name: String, origin: &str) -> Result<TypeId> {
        self.scope.claim(&rust_name, origin).map_err(|c| {
            SpecError::at(
                origin,
                format!(
                    "type name `{}` for `{api_name}` collides with the type from #{}",
                    c.rust_name, c.first
                ),
            )
        })?;
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
        Ok(id)
    }

    /// A named inline type: reserve, lower the body, fill in.
    fn inline_type(&mut self, schema: &Schema, rust_name: String, origin: &str) -> Result<TypeRef> {
        let id = self.new_type(origin, rust_name.clone(), origin)?;
        let kind = self.lower_body(schema, &rust_name, origin)?;
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.title = schema.schema_data.title.clone();
        def.description = schema.schema_data.description.clone();
        def.deprecated = schema.schema_data.deprecated;
        Ok(TypeRef::Named(id))
    }

    fn reference(&self, reference: &str, origin: &str) -> Result<TypeRef> {
        let name = reference.strip_prefix("#/components/schemas/").ok_or_else(|| {
            SpecError::at(
                join(origin, "$ref"),
                format!("unsupported reference `{reference}`: only `#/components/schemas/...` can name a schema"),
            )
        })?;
        let name = unescape(name);
        self.components
            .get(&name)
            .map(|id| TypeRef::Named(*id))
            .ok_or_else(|| {
                SpecError::at(
                    join(origin, "$ref"),
                    format!("unresolvable reference `{reference}`: there is no schema `{name}`"),
                )
            })
    }

    /// The schema a component reference names, for constructs that need to look inside
    /// (allOf merging).
    fn resolve<'s>(
        &'s self,
        schema: &'s ReferenceOr<Schema>,
        origin: &str,
    ) -> Result<(&'s Schema, String)> {
        // Follows a chain of references; a chain that comes back on itself never ends in
        // a schema.
        let mut current = (schema, origin.to_owned());
        let mut seen: Vec<String> = Vec::new();
        loop {
            match current.0 {
                ReferenceOr::Item(schema) => return Ok((schema, current.1)),
                ReferenceOr::Reference { reference } => {
                    self.reference(reference, &current.1)?;
                    if seen.contains(reference) {
                        return Err(SpecError::at(
                            join(&current.1, "$ref"),
                            format!(
                                "the reference `{reference}` leads back to itself without reaching a schema"
                            ),
                        ));
                    }
                    seen.push(reference.clone());
                    let name = unescape(reference.trim_start_matches("#/components/schemas/"));
                    let components = self.spec.components.as_ref();
                    match components.and_then(|c| c.schemas.get(&name)) {
                        Some(target) => {
                            current = (target, pointer(["components", "schemas", &name]))
                        }
                        None => {
                            return Err(SpecError::at(
                                &current.1,
                                format!("unresolvable reference `{reference}`"),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// The kind of a named type from its schema.
    fn lower_body(&mut self, schema: &Schema, rust_name: &str, origin: &str) -> Result<TypeKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => self
                .lower_struct(
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    rust_name,
                    origin,
                ),
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let values = string
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map(Literal::String));
                lower_enum(EnumRepr::String, values, origin)
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                let values = integer.enumeration.iter().map(|v| v.map(Literal::Int));
                lower_enum(EnumRepr::Integer, values, origin)
            }
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(all_of, &IndexMap::new(), &[], rust_name, origin)
            }
            SchemaKind::OneOf { one_of } => {
                self.lower_union(one_of, "oneOf", schema, rust_name, origin)
            }
            SchemaKind::AnyOf { any_of } => {
                self.lower_union(any_of, "anyOf", schema, rust_name, origin)
            }
            SchemaKind::Not { .. } => Err(SpecError::at(origin, "`not` is not supported")),
            // openapiv3 reads a schema that mixes keywords (`allOf` beside `properties`,
            // `oneOf` beside `type`) as `Any`.
            SchemaKind::Any(any) if unknown_type(any).is_some() => {
                Err(unknown_type_error(any, origin))
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() => {
                self.lower_union(&any.one_of, "oneOf", schema, rust_name, origin)
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() => {
                self.lower_union(&any.any_of, "anyOf", schema, rust_name, origin)
            }
            SchemaKind::Any(any) if any.not.is_some() => {
                Err(SpecError::at(origin, "`not` is not supported"))
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => self.lower_all_of(
                &any.all_of,
                &any.properties,
                &any.required,
                rust_name,
                origin,
            ),
            SchemaKind::Any(any) if !any.properties.is_empty() => self.lower_struct(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                rust_name,
                origin,
            ),
            _ => {
                let (ty, constraints) = self.lower_inline(schema, rust_name, origin)?;
                match ty {
                    TypeRef::Primitive(base) if constraints.restricts() => {
                        Ok(TypeKind::Constrained(Constrained { base, constraints }))
                    }
                    ty => Ok(TypeKind::Alias(ty)),
                }
            }
        }
    }

    fn lower_struct(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        let mut fields = Vec::with_capacity(properties.len());
        let mut scope = Scope::new();
        for (api_name, property) in properties {
            let field_origin = join(&join(origin, "properties"), api_name);
            fields.push(self.lower_field(
                api_name,
                property,
                required,
                rust_name,
                &field_origin,
                &mut scope,
            )?);
        }
        for name in required {
            if !properties.contains_key(name) {
                return Err(SpecError::at(
                    join(origin, "required"),
                    format!("required property `{name}` is not among the properties"),
                ));
            }
        }
        let additional_properties = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let origin = join(origin, "additionalProperties");
                Some(
                    self.lower_ref(view(schema), format!("{rust_name}Value"), &origin)?
                        .0,
                )
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        Ok(TypeKind::Struct(Struct {
            fields,
            additional_properties,
        }))
    }

    fn lower_field(
        &mut self,
        api_name: &str,
        property: &ReferenceOr<Box<Schema>>,
        required: &[String],
        parent: &str,
        origin: &str,
        scope: &mut Scope,
    ) -> Result<Field> {
        let rust_name = names::snake(api_name);
        scope.claim(&rust_name, api_name).map_err(|c| {
            SpecError::at(
                origin,
                format!(
                    "properties `{}` and `{}` both become the field `{}`",
                    c.first, c.second, c.rust_name
                ),
            )
        })?;
        let hint = format!("{parent}{}", names::camel(api_name));
        let (ty, constraints) = match property {
            ReferenceOr::Reference { reference } => {
                (self.reference(reference, origin)?, Constraints::default())
            }
            ReferenceOr::Item(schema) => self.lower_inline(schema, &hint, origin)?,
        };
        let data = match property {
            ReferenceOr::Item(schema) => Some(&schema.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        Ok(Field {
            api_name: api_name.to_owned(),
            rust_name,
            description: data.and_then(|d| d.description.clone()),
            ty,
            required: required.iter().any(|r| r == api_name),
            nullable: data.is_some_and(|d| d.nullable),
            read_only: data.is_some_and(|d| d.read_only),
            write_only: data.is_some_and(|d| d.write_only),
            deprecated: data.is_some_and(|d| d.deprecated),
            constraints,
            default: data.and_then(|d| d.default.as_ref()).map(literal),
            boxed: false,
        })
    }

    /// oneOf / anyOf. Alternatives that are all string enums merge into one open enum
    /// (Atlas spells per-provider region names that way). Otherwise each alternative is a
    /// variant; a discriminator's mapping (or, without one, the component names) gives the
    /// tags that select them.
    fn lower_union(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        keyword: &str,
        schema: &Schema,
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        let parts_origin = join(origin, keyword);
        let mut enum_values = Vec::new();
        let mut all_enums = !parts.is_empty();
        for (i, part) in parts.iter().enumerate() {
            let (resolved, _) = self.resolve(part, &join(&parts_origin, &i.to_string()))?;
            match &resolved.schema_kind {
                SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                    for value in string.enumeration.iter().flatten() {
                        if !enum_values.contains(value) {
                            enum_values.push(value.clone());
                        }
                    }
                }
                _ => all_enums = false,
            }
        }
        if all_enums {
            let values = enum_values.into_iter().map(|v| Some(Literal::String(v)));
            return lower_enum(EnumRepr::String, values, origin);
        }

        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut scope = Scope::new();
        for (i, part) in parts.iter().enumerate() {
            let at = join(&parts_origin, &i.to_string());
            let (ty, name) = match part {
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference(reference, &at)?;
                    let name = match &ty {
                        TypeRef::Named(id) => self.types[id.0].rust_name.clone(),
                        _ => format!("Variant{}", i + 1),
                    };
                    (ty, name)
                }
                ReferenceOr::Item(item) => {
                    let name = item
                        .schema_data
                        .title
                        .as_deref()
                        .map(names::camel)
                        .unwrap_or_else(|| format!("Variant{}", i + 1));
                    let hint = format!("{rust_name}{name}");
                    (self.lower_inline(item, &hint, &at)?.0, name)
                }
            };
            // The catch-all variant is `Unknown`; a schema of that name keeps its own.
            let name = if name == "Unknown" {
                "UnknownValue".to_owned()
            } else {
                name
            };
            scope.claim(&name, &at).map_err(|c| {
                SpecError::at(
                    &at,
                    format!(
                        "two alternatives become the variant `{}` (the other is at #{})",
                        c.rust_name, c.first
                    ),
                )
            })?;
            variants.push(UnionVariant {
                rust_name: name,
                tags: Vec::new(),
                ty,
            });
        }

        let discriminator = schema.schema_data.discriminator.as_ref();
        if let Some(discriminator) = discriminator {
            let at = join(origin, "discriminator");
            if discriminator.mapping.is_empty() {
                // Without a mapping, the tag is the component name of each alternative.
                for (variant, part) in variants.iter_mut().zip(parts) {
                    if let ReferenceOr::Reference { reference } = part {
                        let name = unescape(reference.rsplit('/').next().unwrap_or_default());
                        variant.tags.push(name);
                    }
                }
            }
            for (tag, target) in &discriminator.mapping {
                let ty = self.reference(target, &join(&join(&at, "mapping"), tag))?;
                match variants.iter_mut().find(|v| v.ty == ty) {
                    Some(variant) => variant.tags.push(tag.clone()),
                    None => {
                        // A mapping may name a schema the alternatives do not list.
                        let name = self.variant_name(&ty, tag);
                        scope.claim(&name, tag).map_err(|c| {
                            SpecError::at(
                                &at,
                                format!("two alternatives become the variant `{}`", c.rust_name),
                            )
                        })?;
                        variants.push(UnionVariant {
                            rust_name: name,
                            tags: vec![tag.clone()],
                            ty,
                        });
                    }
                }
            }
        }
        Ok(TypeKind::Union(Union {
            discriminator: discriminator.map(|d| d.property_name.clone()),
            variants,
        }))
    }

    /// A component schema with a discriminator mapping but no `oneOf`/`anyOf`: a base type
    /// whose values are its subtypes, the mapping's targets (which mostly include the base
    /// through `allOf`). Atlas declares 27 of its types this way. Lowered as the base's
    /// own struct, a value would lose its subtype's fields on decode (and a read, modify,
    /// write would drop them), so it becomes a union of the targets, chosen by the tag; a
    /// tag the mapping does not list keeps the whole value as `Unknown`.
    ///
    /// `None` leaves the schema to [`lower_body`](Self::lower_body): no mapping, explicit
    /// alternatives (which [`lower_union`](Self::lower_union) reads with the mapping), or
    /// a mapping that names the base itself, which has no subtype to decode into.
    fn lower_polymorphic(&mut self, schema: &Schema, origin: &str) -> Result<Option<TypeKind>> {
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
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (tag, target) in mapping {
            let tag_at = join(&at, tag);
            let reference = ReferenceOr::Reference {
                reference: target.clone(),
            };
            if self.resolve(&reference, &tag_at)?.1 == origin {
                return Ok(None);
            }
            let ty = self.reference(target, &tag_at)?;
            match variants.iter_mut().find(|v| v.ty == ty) {
                Some(variant) => variant.tags.push(tag.clone()),
                None => {
                    variants.push(UnionVariant {
                        rust_name: self.variant_name(&ty, tag),
                        tags: vec![tag.clone()],
                        ty,
                    });
                }
            }
        }
        Ok(Some(TypeKind::Union(Union {
            discriminator: Some(discriminator.property_name.clone()),
            variants,
        })))
    }

    /// The name of the union variant a discriminator tag selects: its type's name. The
    /// catch-all variant is `Unknown`, so a schema of that name keeps its own as
    /// `UnknownValue`.
    fn variant_name(&self, ty: &TypeRef, tag: &str) -> String {
        let name = match ty {
            TypeRef::Named(id) => self.types[id.0].rust_name.clone(),
            _ => names::type_name(tag),
        };
        if name == "Unknown" {
            "UnknownValue".to_owned()
        } else {
            name
        }
    }

    /// allOf: the union of the parts' properties, in order; a property required by any
    /// part is required.
    fn lower_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        own_properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        own_required: &[String],
        rust_name: &str,
        origin: &str,
    ) -> Result<TypeKind> {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut stack: Vec<(String, &ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, part)| (join(&join(origin, "allOf"), &i.to_string()), part))
            .collect();
        let mut seen = HashSet::new();
        // Properties are cloned: they come from several schemas, each borrowed from the spec.
        while let Some((part_origin, part)) = stack.pop() {
            let (schema, resolved) = self.resolve(part, &part_origin)?;
            if !seen.insert(resolved.clone()) {
                continue;
            }
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    for (name, property) in &object.properties {
                        properties.insert(name.clone(), property.clone());
                    }
                    required.extend(object.required.iter().cloned());
                    if object.additional_properties.is_some() {
                        additional = object.additional_properties.clone();
                    }
                }
                SchemaKind::Any(any) => {
                    for (name, property) in &any.properties {
                        properties.insert(name.clone(), property.clone());
                    }
                    required.extend(any.required.iter().cloned());
                }
                SchemaKind::AllOf { all_of } => {
                    for (i, nested) in all_of.iter().enumerate().rev() {
                        stack.push((join(&join(&resolved, "allOf"), &i.to_string()), nested));
                    }
                }
                _ => {
                    return Err(SpecError::at(
                        resolved,
                        "allOf parts other than objects and further allOf are not supported yet",
                    ));
                }
            }
        }
        // The schema's own properties come after those of its parts.
        for (name, property) in own_properties {
            properties.insert(name.clone(), property.clone());
        }
        required.extend(own_required.iter().cloned());
        self.lower_struct(
            &properties,
            &required,
            additional.as_ref(),
            rust_name,
            origin,
        )
    }

    fn lower_ref(
        &mut self,
        schema: ReferenceOr<&Schema>,
        hint: String,
        origin: &str,
    ) -> Result<(TypeRef, Constraints)> {
        match schema {
            ReferenceOr::Reference { reference } => {
                Ok((self.reference(&reference, origin)?, Constraints::default()))
            }
            ReferenceOr::Item(schema) => self.lower_inline(schema, &hint, origin),
        }
    }

    /// An inline schema as a type reference, creating a named type where Rust needs one.
    /// Returns the schema's constraints, which belong to the field or parameter using it.
    fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        origin: &str,
    ) -> Result<(TypeRef, Constraints)> {
        let mut constraints = Constraints::default();
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if let Some(pattern) = &string.pattern {
                    self.check_pattern(pattern, origin)?;
                }
                constraints.pattern = string.pattern.clone();
                constraints.min_length = string.min_length.map(|n| n as u64);
                constraints.max_length = string.max_length.map(|n| n as u64);
                let format = match &string.format {
                    VariantOrUnknownOrEmpty::Item(format) => Some(
                        match format {
                            StringFormat::Date => "date",
                            StringFormat::DateTime => "date-time",
                            StringFormat::Password => "password",
                            StringFormat::Byte => "byte",
                            StringFormat::Binary => "binary",
                        }
                        .to_owned(),
                    ),
                    VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                constraints.format = format.clone();
                if !string.enumeration.is_empty() {
                    self.inline_type(schema, hint.to_owned(), origin)?
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
                constraints.format = format_name(&integer.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                if !integer.enumeration.is_empty() {
                    self.inline_type(schema, hint.to_owned(), origin)?
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
                constraints.format = format_name(&number.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
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
                let item = match &array.items {
                    Some(items) => {
                        self.lower_ref(view(items), format!("{hint}Item"), &join(origin, "items"))?
                            .0
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Array(Box::new(item))
            }
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                match &object.additional_properties {
                    Some(AdditionalProperties::Schema(value)) => {
                        let origin = join(origin, "additionalProperties");
                        TypeRef::Map(Box::new(
                            self.lower_ref(view(value), format!("{hint}Value"), &origin)?
                                .0,
                        ))
                    }
                    _ => TypeRef::Any,
                }
            }
            SchemaKind::Any(any) if unknown_type(any).is_some() => {
                return Err(unknown_type_error(any, origin));
            }
            SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
                TypeRef::Any
            }
            _ => self.inline_type(schema, hint.to_owned(), origin)?,
        };
        Ok((ty, constraints))
    }

    /// A pattern must be a valid ECMA-262 regular expression: the generated crate checks
    /// values against it, and an invalid one would reject every value at run time.
    fn check_pattern(&mut self, pattern: &str, origin: &str) -> Result<()> {
        if self.valid_patterns.contains(pattern) {
            return Ok(());
        }
        match regress::Regex::new(pattern) {
            Ok(_) => {
                self.valid_patterns.insert(pattern.to_owned());
                Ok(())
            }
            Err(error) => Err(SpecError::at(
                join(origin, "pattern"),
                format!("`{pattern}` is not a valid ECMA-262 regular expression: {error}"),
            )),
        }
    }

    fn lower_operations(&mut self) -> Result<Vec<Operation>> {
        let mut operations = Vec::new();
        let mut method_scope = Scope::new();
        let mut paths: Vec<_> = self.spec.paths.paths.iter().collect();
        paths.sort_by_key(|(path, _)| *path);
        for (path, item) in paths {
            let path_origin = pointer(["paths", path]);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(SpecError::at(
                        path_origin,
                        "path item references are not supported",
                    ));
                }
            };
            for (method, operation) in item.iter() {
                let origin = join(&path_origin, method);
                let op = match self.lower_operation(
                    path,
                    method,
                    operation,
                    &item.parameters,
                    &origin,
                ) {
                    Ok(op) => op,
                    Err(error) if self.skip_unsupported => {
                        self.skipped.push(error);
                        continue;
                    }
                    Err(error) => return Err(error),
                };
                for mut op in split_versions(op) {
                    // Each version has its own body type, so pagination is per version.
                    op.pagination = detect_pagination(&op, &self.types);
                    method_scope.claim(&op.rust_name, &origin).map_err(|c| {
                        SpecError::at(
                            join(&origin, "operationId"),
                            format!(
                                "operation `{}` becomes the method `{}`, as does the operation at #{}",
                                op.api_name, c.rust_name, c.first
                            ),
                        )
                    })?;
                    operations.push(op);
                }
            }
        }
        Ok(operations)
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<OaParameter>],
        origin: &str,
    ) -> Result<Operation> {
        let api_name = match &operation.operation_id {
            Some(id) => id.clone(),
            // Without an operationId the method and path are the only stable identity.
            None => format!("{method} {path}"),
        };
        let rust_name = names::snake(&api_name);
        let type_prefix = names::camel(&api_name);

        // Operation parameters override path-item parameters with the same name and location.
        let mut resolved: IndexMap<(String, ParameterLocation), (&'a OaParameter, String)> =
            IndexMap::new();
        let path_item_origin = origin.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
        for (i, parameter) in path_parameters.iter().enumerate() {
            let at = join(&join(path_item_origin, "parameters"), &i.to_string());
            let (parameter, at) = self.resolve_parameter(parameter, &at)?;
            resolved.insert(parameter_key(parameter), (parameter, at));
        }
        for (i, parameter) in operation.parameters.iter().enumerate() {
            let at = join(&join(origin, "parameters"), &i.to_string());
            let (parameter, at) = self.resolve_parameter(parameter, &at)?;
            resolved.insert(parameter_key(parameter), (parameter, at));
        }
        let mut parameters = Vec::with_capacity(resolved.len());
        let mut scope = Scope::new();
        for (parameter, at) in resolved.values() {
            parameters.push(self.lower_parameter(parameter, at, &type_prefix, &mut scope)?);
        }

        let path_segments = parse_path(path, method, &parameters)?;
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.location == ParameterLocation::Path
                && !path_segments.contains(&PathSegment::Parameter(index))
            {
                return Err(SpecError::at(
                    &parameter.origin,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        parameter.api_name
                    ),
                ));
            }
        }

        let request_body = match &operation.request_body {
            None => None,
            Some(body) => {
                let at = join(origin, "requestBody");
                let body = match body {
                    ReferenceOr::Item(body) => body,
                    ReferenceOr::Reference { reference } => {
                        let name =
                            unescape(reference.trim_start_matches("#/components/requestBodies/"));
                        self.spec
                            .components
                            .as_ref()
                            .and_then(|c| c.request_bodies.get(&name))
                            .and_then(|b| b.as_item())
                            .ok_or_else(|| {
                                SpecError::at(
                                    join(&at, "$ref"),
                                    missing_component(reference, "requestBodies", "request body"),
                                )
                            })?
                    }
                };
                let content = self.lower_content(
                    &body.content,
                    &format!("{type_prefix}Body"),
                    &join(&at, "content"),
                )?;
                Some(RequestBody {
                    required: body.required,
                    description: body.description.clone(),
                    content,
                })
            }
        };

        let mut responses = Vec::new();
        let responses_origin = join(origin, "responses");
        for (code, response) in &operation.responses.responses {
            let status = match code {
                openapiv3::StatusCode::Code(code) => Status::Code(*code),
                openapiv3::StatusCode::Range(digit) => Status::Range(*digit as u8),
            };
            let at = join(&responses_origin, &code.to_string());
            responses.push(self.lower_response(status, response, &type_prefix, &at)?);
        }
        if let Some(response) = &operation.responses.default {
            let at = join(&responses_origin, "default");
            responses.push(self.lower_response(Status::Default, response, &type_prefix, &at)?);
        }

        let mut op = Operation {
            api_name,
            builder_name: type_prefix.clone(),
            rust_name,
            origin: origin.to_owned(),
            method: parse_method(method),
            path: path.to_owned(),
            path_segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            tags: operation.tags.clone(),
            parameters,
            request_body,
            responses,
            security: operation.security.as_deref().map(lower_security),
            pagination: None,
            version: None,
        };
        op.pagination = detect_pagination(&op, &self.types);
        Ok(op)
    }

    fn resolve_parameter(
        &self,
        parameter: &'a ReferenceOr<OaParameter>,
        at: &str,
    ) -> Result<(&'a OaParameter, String)> {
        let spec: &'a OpenAPI = self.spec;
        match parameter {
            ReferenceOr::Item(parameter) => Ok((parameter, at.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .map(unescape);
                name.as_ref()
                    .and_then(|name| spec.components.as_ref()?.parameters.get(name))
                    .and_then(|p| p.as_item())
                    .map(|p| {
                        (
                            p,
                            pointer([
                                "components",
                                "parameters",
                                name.as_deref().unwrap_or_default(),
                            ]),
                        )
                    })
                    .ok_or_else(|| {
                        SpecError::at(
                            join(at, "$ref"),
                            missing_component(reference, "parameters", "parameter"),
                        )
                    })
            }
        }
    }

    fn lower_parameter(
        &mut self,
        parameter: &OaParameter,
        origin: &str,
        type_prefix: &str,
        scope: &mut Scope,
    ) -> Result<Parameter> {
        let data = parameter.parameter_data_ref();
        if matches!(parameter, OaParameter::Path { .. }) && !data.required {
            // OpenAPI requires path parameters to be required: a path has no optional parts.
            return Err(SpecError::at(
                join(origin, "required"),
                format!("path parameter `{}` must be required", data.name),
            ));
        }
        let (location, style) = match parameter {
            OaParameter::Path { style, .. } => (
                ParameterLocation::Path,
                match style {
                    openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                    openapiv3::PathStyle::Label => ParameterStyle::Label,
                    openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
                },
            ),
            OaParameter::Query { style, .. } => (
                ParameterLocation::Query,
                match style {
                    openapiv3::QueryStyle::Form => ParameterStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
                },
            ),
            OaParameter::Header { .. } => (ParameterLocation::Header, ParameterStyle::Simple),
            OaParameter::Cookie { .. } => (ParameterLocation::Cookie, ParameterStyle::Form),
        };
        let rust_name = names::snake(&data.name);
        scope.claim(&rust_name, &data.name).map_err(|c| {
            SpecError::at(
                origin,
                format!(
                    "parameters `{}` and `{}` both become the argument `{}`",
                    c.first, c.second, c.rust_name
                ),
            )
        })?;
        let schema_origin = join(origin, "schema");
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            ParameterSchemaOrContent::Content(_) => {
                return Err(SpecError::at(
                    join(origin, "content"),
                    "parameters with `content` are not supported yet",
                ));
            }
        };
        let hint = format!("{type_prefix}{}", names::camel(&data.name));
        let schema_example = schema
            .as_item()
            .and_then(|s| s.schema_data.example.as_ref());
        let example = data.example.as_ref().or(schema_example).map(literal);
        let (ty, constraints, default) = match schema {
            ReferenceOr::Reference { reference } => (
                self.reference(reference, &schema_origin)?,
                Constraints::default(),
                None,
            ),
            ReferenceOr::Item(schema) => {
                let (ty, constraints) = self.lower_inline(schema, &hint, &schema_origin)?;
                let default = schema.schema_data.default.as_ref().map(literal);
                let ty = match ty {
                    TypeRef::Primitive(base) if constraints.restricts() => {
                        let constrained = Constrained {
                            base,
                            constraints: constraints.clone(),
                        };
                        TypeRef::Named(self.parameter_type(
                            &data.name,
                            constrained,
                            &hint,
                            &schema_origin,
                            schema,
                            data.description.as_deref(),
                        )?)
                    }
                    ty => ty,
                };
                (ty, constraints, default)
            }
        };
        let explode = data.explode.unwrap_or(style == ParameterStyle::Form);
        Ok(Parameter {
            api_name: data.name.clone(),
            rust_name,
            origin: origin.to_owned(),
            location,
            style,
            explode,
            required: data.required,
            deprecated: data.deprecated.unwrap_or(false),
            description: data.description.clone(),
            ty,
            constraints,
            default,
            example,
        })
    }

    /// The validated type of a constrained parameter. Parameters with the same name and the
    /// same constraints share one type named after the parameter (`GroupId`); a parameter
    /// whose constraints differ from the first one of its name is prefixed with its
    /// operation (`ListThingsGroupId`).
    fn parameter_type(
        &mut self,
        api_name: &str,
        constrained: Constrained,
        hint: &str,
        origin: &str,
        schema: &Schema,
        description: Option<&str>,
    ) -> Result<TypeId> {
        let known = self.parameter_types.entry(api_name.to_owned()).or_default();
        if let Some((_, id)) = known.iter().find(|(c, _)| *c == constrained) {
            return Ok(*id);
        }
        let plain = names::type_name(api_name);
        let rust_name = if known.is_empty() && !self.scope.contains(&plain) {
            plain
        } else {
            hint.to_owned()
        };
        let id = self.new_type(api_name, rust_name, origin)?;
        let def = &mut self.types[id.0];
        def.kind = TypeKind::Constrained(constrained.clone());
        def.description = schema
            .schema_data
            .description
            .clone()
            .or_else(|| description.map(str::to_owned));
        self.parameter_types
            .entry(api_name.to_owned())
            .or_default()
            .push((constrained, id));
        Ok(id)
    }

    fn lower_response(
        &mut self,
        status: Status,
        response: &ReferenceOr<openapiv3::Response>,
        type_prefix: &str,
        origin: &str,
    ) -> Result<Response> {
        let (response, at) = match response {
            ReferenceOr::Item(response) => (response, origin.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .map(unescape);
                let found = name
                    .as_ref()
                    .and_then(|name| self.spec.components.as_ref()?.responses.get(name))
                    .and_then(|r| r.as_item());
                match (found, name) {
                    (Some(response), Some(name)) => {
                        (response, pointer(["components", "responses", &name]))
                    }
                    _ => {
                        return Err(SpecError::at(
                            join(origin, "$ref"),
                            missing_component(reference, "responses", "response"),
                        ));
                    }
                }
            }
        };
        let status_name = match status {
            Status::Code(code) => code.to_string(),
            Status::Range(digit) => format!("{digit}XX"),
            Status::Default => "Default".to_owned(),
        };
        let content = self.lower_content(
            &response.content,
            &format!("{type_prefix}Response{status_name}"),
            &join(&at, "content"),
        )?;
        Ok(Response {
            status,
            description: response.description.clone(),
            content,
        })
    }

    fn lower_content(
        &mut self,
        content: &IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        origin: &str,
    ) -> Result<Vec<Content>> {
        let mut out = Vec::with_capacity(content.len());
        // Several JSON media types are versions of one body, each inline schema its own type.
        let versions = content.keys().filter(|m| is_json(m)).count() > 1;
        for (media_type, media) in content {
            let at = join(origin, media_type);
            let hint = if versions {
                format!("{hint}{}", names::camel(&version_suffix(media_type)))
            } else {
                hint.to_owned()
            };
            let hint = hint.as_str();
            let body = match (&media.schema, is_json(media_type)) {
                (Some(schema), true) => {
                    let schema_origin = join(&at, "schema");
                    let ty = match schema {
                        ReferenceOr::Reference { reference } => {
                            self.reference(reference, &schema_origin)?
                        }
                        ReferenceOr::Item(schema) => {
                            self.lower_inline(schema, hint, &schema_origin)?.0
                        }
                    };
                    Body::Json(ty)
                }
                (None, true) => Body::Json(TypeRef::Any),
                (_, false) => Body::Bytes,
            };
            out.push(Content {
                media_type: media_type.clone(),
                body,
            });
        }
        Ok(out)
    }
}

/// An operation whose success responses or request body come in several JSON media types
/// (Atlas's dated versions, `application/vnd.atlas.2023-01-01+json` and later) becomes one
/// operation per media type. The newest stable one keeps the plain name; the others are
/// suffixed with their version (`get_thing_v2023_01_01`), so a caller picks a version by
/// picking a method and gets that version's types.
fn split_versions(op: Operation) -> Vec<Operation> {
    let mut media_types: Vec<String> = Vec::new();
    let success = op.success_responses().flat_map(|r| &r.content);
    let body = op.request_body.iter().flat_map(|b| &b.content);
    for content in success.chain(body) {
        if is_json(&content.media_type) && !media_types.contains(&content.media_type) {
            media_types.push(content.media_type.clone());
        }
    }
    if media_types.len() < 2 {
        return vec![op];
    }
    // Versions sort by their text: dated media types sort by date. Previews are never
    // the default.
    media_types.sort();
    let stable = |m: &String| !m.contains("preview");
    let default = media_types
        .iter()
        .rev()
        .find(|m| stable(m))
        .cloned()
        .unwrap_or_else(|| media_types[media_types.len() - 1].clone());
    let mut out = Vec::with_capacity(media_types.len());
    for media_type in media_types.iter().rev() {
        let mut version = op.clone();
        let keep = |content: &mut Vec<Content>| {
            let has = content.iter().any(|c| &c.media_type == media_type);
            if has {
                content.retain(|c| &c.media_type == media_type || !is_json(&c.media_type));
            }
        };
        for response in version
            .responses
            .iter_mut()
            .filter(|r| r.status.is_success())
        {
            keep(&mut response.content);
        }
        if let Some(body) = &mut version.request_body {
            keep(&mut body.content);
        }
        version.version = Some(media_type.clone());
        if *media_type != default {
            let suffix = version_suffix(media_type);
            version.rust_name = format!(
                "{}_{}",
                names::unraw(&op.rust_name),
                suffix.to_ascii_lowercase()
            );
            version.builder_name = format!("{}{}", op.builder_name, names::camel(&suffix));
        }
        out.push(version);
    }
    // The default first, then the others newest first.
    out.sort_by_key(|o| o.rust_name != op.rust_name);
    out
}

/// `v2023_01_01` for `application/vnd.atlas.2023-01-01+json`, `preview` for a preview.
fn version_suffix(media_type: &str) -> String {
    let subtype = media_type.split('/').nth(1).unwrap_or(media_type);
    let subtype = subtype.split('+').next().unwrap_or(subtype);
    let last = subtype.rsplit('.').next().unwrap_or(subtype);
    if last.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{}", last.replace('-', "_"))
    } else {
        names::snake(last)
    }
}

fn parameter_key(parameter: &OaParameter) -> (String, ParameterLocation) {
    let location = match parameter {
        OaParameter::Path { .. } => ParameterLocation::Path,
        OaParameter::Query { .. } => ParameterLocation::Query,
        OaParameter::Header { .. } => ParameterLocation::Header,
        OaParameter::Cookie { .. } => ParameterLocation::Cookie,
    };
    (parameter.parameter_data_ref().name.clone(), location)
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

fn lower_enum(
    repr: EnumRepr,
    values: impl Iterator<Item = Option<Literal>>,
    origin: &str,
) -> Result<TypeKind> {
    let mut variants = Vec::new();
    let mut scope = Scope::new();
    for value in values.flatten() {
        let spelled = match &value {
            Literal::String(s) => s.clone(),
            Literal::Int(i) if *i < 0 => format!("minus {}", i.unsigned_abs()),
            Literal::Int(i) => format!("V{i}"),
            other => format!("{other:?}"),
        };
        let rust_name = names::camel(&spelled);
        if rust_name == "Unknown" || scope.claim(&rust_name, &spelled).is_err() {
            return Err(SpecError::at(
                join(origin, "enum"),
                format!(
                    "enum value `{spelled}` becomes the variant `{rust_name}`, which another value or the catch-all variant already has"
                ),
            ));
        }
        variants.push(Variant {
            value,
            rust_name,
            description: None,
        });
    }
    Ok(TypeKind::Enum(Enum { repr, variants }))
}

fn lower_security_schemes(spec: &OpenAPI) -> Result<Vec<SecurityScheme>> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by_key(|(name, _)| *name);
    for (name, scheme) in schemes {
        let origin = pointer(["components", "securitySchemes", name]);
        let scheme = scheme.as_item().ok_or_else(|| {
            SpecError::at(&origin, "security scheme references are not supported")
        })?;
        let (description, kind) = match scheme {
            openapiv3::SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } => (
                description,
                SecuritySchemeKind::Http {
                    scheme: scheme.to_ascii_lowercase(),
                },
            ),
            openapiv3::SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => (
                description,
                SecuritySchemeKind::ApiKey {
                    name: name.clone(),
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParameterLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParameterLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParameterLocation::Cookie,
                    },
                },
            ),
            openapiv3::SecurityScheme::OAuth2 {
                flows, description, ..
            } => match &flows.client_credentials {
                Some(flow) => (
                    description,
                    SecuritySchemeKind::OAuth2ClientCredentials {
                        token_url: flow.token_url.clone(),
                        scopes: flow.scopes.keys().cloned().collect(),
                    },
                ),
                None => (
                    description,
                    SecuritySchemeKind::Other {
                        kind: "oauth2".to_owned(),
                    },
                ),
            },
            openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (
                description,
                SecuritySchemeKind::Other {
                    kind: "openIdConnect".to_owned(),
                },
            ),
        };
        out.push(SecurityScheme {
            api_name: name.clone(),
            description: description.clone(),
            kind,
        });
    }
    Ok(out)
}

fn lower_security(requirements: &[openapiv3::SecurityRequirement]) -> Vec<SecurityRequirement> {
    requirements
        .iter()
        .map(|r| SecurityRequirement {
            schemes: r
                .iter()
                .map(|(name, scopes)| (name.clone(), scopes.clone()))
                .collect(),
        })
        .collect()
}

fn parse_method(method: &str) -> Method {
    match method {
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => Method::Get,
    }
}

/// Why `reference`, where a `what` (parameter, request body, response) belongs, names
/// none: it points into another section of `components`, outside the document, or at a
/// name its section lacks.
fn missing_component(reference: &str, section: &str, what: &str) -> String {
    let expected = format!("#/components/{section}/");
    if let Some(name) = reference.strip_prefix(&expected) {
        return format!(
            "unresolvable reference `{reference}`: there is no {what} `{}` in `components/{section}`",
            unescape(name)
        );
    }
    if let Some(rest) = reference.strip_prefix("#/components/") {
        let other = rest.split('/').next().unwrap_or_default();
        return format!(
            "`{reference}` points into `components/{other}`, but a {what} belongs here: refer to one in `components/{section}`, as `{expected}Name`"
        );
    }
    if !reference.starts_with('#') {
        return format!(
            "unsupported reference `{reference}`: only references within the document, such as `{expected}Name`, can name a {what}"
        );
    }
    format!("unresolvable reference `{reference}`: a {what} is named as `{expected}Name`")
}

/// Splits `/a/{b}/c` into literal and parameter segments. Errors point at the path, which
/// is where a name would be misspelt, and say which operation lacks the parameter.
fn parse_path(path: &str, method: &str, parameters: &[Parameter]) -> Result<Vec<PathSegment>> {
    let origin = pointer(["paths", path]);
    let origin = origin.as_str();
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            segments.push(PathSegment::Literal(rest[..start].to_owned()));
        }
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| SpecError::at(origin, format!("unclosed `{{` in the path `{path}`")))?;
        let name = &rest[start + 1..end];
        let index = parameters
            .iter()
            .position(|p| p.location == ParameterLocation::Path && p.api_name == name)
            .ok_or_else(|| SpecError::at(origin, format!("the path `{path}` names `{{{name}}}`, which its `{method}` operation does not declare as a path parameter (in its own `parameters` or the path's)")))?;
        segments.push(PathSegment::Parameter(index));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Ok(segments)
}

/// `application/json`, `application/problem+json`, `application/vnd.atlas.2023-01-01+json`.
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let subtype = essence.split_once('/').map(|(_, s)| s).unwrap_or_default();
    subtype == "json" || subtype.ends_with("+json")
}

fn literal(value: &serde_json::Value) -> Literal {
    match value {
        serde_json::Value::Null => Literal::Null,
        serde_json::Value::Bool(b) => Literal::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Literal::Int(i),
            None => Literal::Float(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Literal::String(s.clone()),
        other => Literal::Json(other.to_string()),
    }
}

/// A `type` that is none of OpenAPI's, which openapiv3 reads as a schema of any type.
fn unknown_type(any: &openapiv3::AnySchema) -> Option<&str> {
    const TYPES: [&str; 6] = ["string", "number", "integer", "object", "array", "boolean"];
    any.typ.as_deref().filter(|t| !TYPES.contains(t))
}

fn unknown_type_error(any: &openapiv3::AnySchema, origin: &str) -> SpecError {
    SpecError::at(
        join(origin, "type"),
        format!(
            "unknown type `{}`: OpenAPI 3.0 types are string, number, integer, boolean, array and object",
            unknown_type(any).unwrap_or_default()
        ),
    )
}

/// A schema reference whichever way `openapiv3` boxes it.
fn view<S: std::borrow::Borrow<Schema>>(schema: &ReferenceOr<S>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema.borrow()),
    }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Page-number pagination: integer query parameters `pageNum` and `itemsPerPage`, and a
/// success body that is an object with a `results` array (and usually `totalCount`).
fn detect_pagination(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    let query_int = |name: &str| {
        op.parameters.iter().position(|p| {
            p.location == ParameterLocation::Query
                && p.api_name == name
                && match &p.ty {
                    TypeRef::Primitive(Primitive::I32 | Primitive::I64) => true,
                    TypeRef::Named(id) => matches!(
                        &types[id.0].kind,
                        TypeKind::Constrained(Constrained {
                            base: Primitive::I32 | Primitive::I64,
                            ..
                        })
                    ),
                    _ => false,
                }
        })
    };
    let page_parameter = query_int("pageNum")?;
    let size_parameter = query_int("itemsPerPage")?;
    let body = op
        .success_responses()
        .flat_map(|r| &r.content)
        .find_map(|c| match &c.body {
            Body::Json(TypeRef::Named(id)) => Some(*id),
            _ => None,
        })?;
    let TypeKind::Struct(page) = &types[body.0].kind else {
        return None;
    };
    let item_type = page
        .fields
        .iter()
        .find_map(|f| match (&f.api_name[..], &f.ty) {
            ("results", TypeRef::Array(item)) => Some((**item).clone()),
            _ => None,
        })?;
    let total_field = page
        .fields
        .iter()
        .find(|f| {
            f.api_name == "totalCount"
                && matches!(f.ty, TypeRef::Primitive(Primitive::I32 | Primitive::I64))
        })
        .map(|f| f.api_name.clone());
    Some(Pagination {
        page_parameter,
        size_parameter,
        items_field: "results".to_owned(),
        total_field,
        item_type,
    })
}

/// Names that only stand for each other (`A` is `B`, `B` is `A`) are no type at all.
fn check_alias_cycles(types: &[TypeDef]) -> Result<()> {
    for def in types {
        let mut current = def;
        let mut steps = 0;
        while let TypeKind::Alias(TypeRef::Named(next)) = &current.kind {
            current = &types[next.0];
            steps += 1;
            if current.id == def.id || steps > types.len() {
                return Err(SpecError::at(
                    join(&def.origin, "$ref"),
                    format!(
                        "`{}` is only a reference that leads back to itself",
                        def.api_name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every security requirement must name a declared scheme; an unknown one would otherwise
/// be dropped and the operation sent without the credentials it needs.
fn check_security(spec: &OpenAPI) -> Result<()> {
    let declared = |name: &str| {
        spec.components
            .as_ref()
            .is_some_and(|c| c.security_schemes.contains_key(name))
    };
    let mut places: Vec<(String, &[openapiv3::SecurityRequirement])> = Vec::new();
    if let Some(global) = &spec.security {
        places.push(("/security".to_owned(), global));
    }
    for (path, item) in &spec.paths.paths {
        if let ReferenceOr::Item(item) = item {
            for (method, op) in item.iter() {
                if let Some(security) = &op.security {
                    places.push((pointer(["paths", path, method, "security"]), security));
                }
            }
        }
    }
    for (at, requirements) in places {
        for (i, requirement) in requirements.iter().enumerate() {
            for name in requirement.keys() {
                if !declared(name) {
                    return Err(SpecError::at(
                        join(&join(&at, &i.to_string()), name),
                        format!(
                            "security scheme `{name}` is not declared in components.securitySchemes"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Marks every type reachable from a request body, and from a response body.
fn mark_directions(types: &mut [TypeDef], operations: &[Operation]) {
    fn named(ty: &TypeRef, out: &mut Vec<TypeId>) {
        match ty {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner, out),
            TypeRef::Primitive(_) | TypeRef::Any => {}
        }
    }
    let bodies = |content: &[Content], out: &mut Vec<TypeId>| {
        for c in content {
            if let Body::Json(ty) = &c.body {
                named(ty, out);
            }
        }
    };
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for op in operations {
        if let Some(body) = &op.request_body {
            bodies(&body.content, &mut requests);
        }
        for response in &op.responses {
            bodies(&response.content, &mut responses);
        }
    }
    for (roots, request) in [(requests, true), (responses, false)] {
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            let def = &mut types[id.0];
            let seen = if request {
                &mut def.in_request
            } else {
                &mut def.in_response
            };
            if *seen {
                continue;
            }
            *seen = true;
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        named(&f.ty, &mut stack);
                    }
                    if let Some(ty) = &s.additional_properties {
                        named(ty, &mut stack);
                    }
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut stack)),
                TypeKind::Alias(ty) => named(ty, &mut stack),
                TypeKind::Enum(_) | TypeKind::Constrained(_) => {}
            }
        }
    }
}

/// Marks the struct fields that close a reference cycle, so the emitter boxes exactly
/// those: a depth-first walk in type order, where an edge back to a type still on the
/// walk's stack is the one that closes the cycle. `Vec` and maps already add indirection,
/// so only direct and optional references count as edges.
fn mark_boxed_fields(types: &mut [TypeDef]) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    fn direct(ty: &TypeRef) -> Option<TypeId> {
        match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }
    fn edges(def: &TypeDef) -> Vec<(usize, TypeId)> {
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| Some((i, direct(&f.ty)?)))
                .collect(),
            TypeKind::Alias(ty) => direct(ty)
                .map(|id| vec![(usize::MAX, id)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
    let mut state = vec![State::New; types.len()];
    let mut boxed = Vec::new();
    for root in 0..types.len() {
        if state[root] != State::New {
            continue;
        }
        // An explicit stack of (type, its edges, next edge) avoids recursion depth limits.
        let mut stack = vec![(root, edges(&types[root]), 0usize)];
        state[root] = State::OnStack;
        while let Some((node, node_edges, next)) = stack.last_mut() {
            if let Some(&(field, target)) = node_edges.get(*next) {
                *next += 1;
                let node = *node;
                match state[target.0] {
                    State::OnStack => boxed.push((node, field)),
                    State::New => {
                        state[target.0] = State::OnStack;
                        let target_edges = edges(&types[target.0]);
                        stack.push((target.0, target_edges, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[*node] = State::Done;
                stack.pop();
            }
        }
    }
    for (node, field) in boxed {
        if let TypeKind::Struct(s) = &mut types[node].kind {
            if let Some(field) = s.fields.get_mut(field) {
                field.boxed = true;
            }
        }
    }
}
