//! Parameters: which ones an operation takes, their argument names, types and constraints.
//!
//! An operation's parameters are the path item's and its own, its own replacing one of the
//! same name and location. Argument names are decided for all of them at once: a path
//! parameter keeps its name over a query, header or cookie parameter of the same name,
//! which takes its location as a suffix (`language` and `language_query`).
//!
//! The request builder sends every `in` × `style` × `explode` combination OpenAPI 3.0
//! defines, for scalars, arrays of scalars and objects (see `Placement` in the IR), and a
//! parameter described by a JSON `content` as its JSON text. A combination the
//! specification leaves undefined is sent the nearest defined way, with a warning
//! (`spaceDelimited` or `pipeDelimited` exploded as exploded `form`; `deepObject` not
//! exploded as exploded; a scalar in a style for arrays and objects as `form`). What has no
//! defined form at all (an array of arrays or objects, an array with style `deepObject`, a
//! value of any type, `content` of a media type other than JSON) is never sent wrong: an
//! optional parameter is left out of the builder, and an operation that requires one is
//! left out, each with a warning.

use super::schemas::RefOr;
use super::{Lowerer, Result, literal, operations::missing_component, unescape, view};
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::{self, Case, Claim, Scope, rank};
use indexmap::IndexMap;
use openapiv3::{
    Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
};

impl<'a> Lowerer<'a> {
    /// The parameters an operation takes, each with the pointer of its definition and the
    /// pointer of its use (the same, unless it is a reference), in order.
    fn operation_parameters(
        &self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<OaParameter>],
        origin: &str,
    ) -> Result<Vec<Resolved<'a>>> {
        let mut resolved: IndexMap<(String, ParameterLocation), Resolved<'a>> = IndexMap::new();
        let path_item_origin = origin.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
        let lists = [
            (path_parameters, join(path_item_origin, "parameters")),
            (&operation.parameters[..], join(origin, "parameters")),
        ];
        for (list, list_at) in lists {
            for (i, parameter) in list.iter().enumerate() {
                let used_at = join(&list_at, &i.to_string());
                let (parameter, at) = self.resolve_parameter(parameter, &used_at)?;
                let key = (
                    parameter.parameter_data_ref().name.clone(),
                    location(parameter),
                );
                resolved.insert(key, (parameter, at, used_at));
            }
        }
        Ok(resolved.into_values().collect())
    }

    /// The parameters of an operation that the request builder can send, each with how it
    /// is sent, leaving out (with a warning) an optional one it cannot; `Err` with where
    /// and why when the operation requires one it cannot send.
    pub(super) fn sendable_parameters(
        &mut self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<OaParameter>],
        origin: &str,
    ) -> Result<std::result::Result<Sendable<'a>, Unsendable>> {
        let mut sendable = Vec::new();
        for resolved in self.operation_parameters(operation, path_parameters, origin)? {
            let (parameter, _, used_at) = &resolved;
            // OpenAPI 3.0: a header parameter named `Accept`, `Content-Type` or
            // `Authorization` "SHALL be ignored"; the body, the responses and the security
            // schemes say what those headers hold.
            let name = &parameter.parameter_data_ref().name;
            if location(parameter) == ParameterLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
            {
                self.warn(
                    WarningKind::Repaired,
                    used_at,
                    format!("the header parameter `{name}` is one OpenAPI says to ignore"),
                    "it is left out; the client sets that header from the body, the responses or the security schemes",
                );
                continue;
            }
            let (at, why) = match self.unsendable(parameter, used_at)? {
                Ok(shape) => {
                    sendable.push((resolved, shape));
                    continue;
                }
                Err(why) => why,
            };
            let data = parameter.parameter_data_ref();
            let message = format!(
                "the parameter `{}` is {why}, which the client cannot send",
                data.name
            );
            if data.required || location(parameter) == ParameterLocation::Path {
                return Ok(Err((at, message)));
            }
            self.warn(
                WarningKind::Skipped,
                &at,
                message,
                format!(
                    "the optional parameter `{}` is left out of the request builder",
                    data.name
                ),
            );
        }
        Ok(Ok(sendable))
    }

    /// How the request builder sends `parameter` (used at `at`), or where and why it
    /// cannot send it as the spec says.
    fn unsendable(
        &self,
        parameter: &'a OaParameter,
        at: &str,
    ) -> Result<std::result::Result<Shape, Unsendable>> {
        let data = parameter.parameter_data_ref();
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => view(schema),
            ParameterSchemaOrContent::Content(content) => {
                let content_at = join(at, "content");
                let mut media_types = content.keys();
                return Ok(match (media_types.next(), media_types.next()) {
                    (Some(media_type), None) if super::operations::is_json(media_type) => {
                        Ok(Shape::JsonText)
                    }
                    (Some(media_type), None) => {
                        let why =
                            format!("described by `content` of the media type `{media_type}`");
                        Err((join(&content_at, media_type), why))
                    }
                    _ => {
                        let why = "described by `content` with other than one media type";
                        Err((content_at, why.to_owned()))
                    }
                });
            }
        };
        let schema_at = join(at, "schema");
        let shape = self.shape(&schema, &schema_at)?;
        let style_at = join(at, "style");
        let why = match (parameter, &shape) {
            (_, Shape::Other(what)) => Some((schema_at, (*what).to_owned())),
            (
                OaParameter::Query {
                    style: openapiv3::QueryStyle::DeepObject,
                    ..
                },
                Shape::Array | Shape::TextArray,
            ) => Some((
                style_at,
                "an array with style `deepObject` (defined for objects only)".to_owned(),
            )),
            _ => None,
        };
        Ok(match why {
            Some(why) => Err(why),
            None => Ok(shape),
        })
    }

    /// Where `parameter` goes and how, as the IR spells it. A combination the
    /// specification leaves undefined is written the nearest defined way, with a warning.
    fn placement(&mut self, parameter: &OaParameter, origin: &str, shape: &Shape) -> Placement {
        let data = parameter.parameter_data_ref();
        let style_at = join(origin, "style");
        let scalar = matches!(shape, Shape::Scalar | Shape::Text | Shape::JsonText);
        match parameter {
            OaParameter::Path { style, .. } => Placement::Path {
                style: match style {
                    openapiv3::PathStyle::Simple => PathStyle::Simple,
                    openapiv3::PathStyle::Label => PathStyle::Label,
                    openapiv3::PathStyle::Matrix => PathStyle::Matrix,
                },
                explode: data.explode.unwrap_or(false),
            },
            OaParameter::Header { .. } => Placement::Header {
                explode: data.explode.unwrap_or(false),
            },
            OaParameter::Cookie { .. } => Placement::Cookie {
                explode: data.explode.unwrap_or(true),
            },
            OaParameter::Query {
                style,
                allow_reserved,
                ..
            } => {
                let form = |explode| {
                    Placement::Query(QueryStyle::Form {
                        explode,
                        allow_reserved: *allow_reserved,
                    })
                };
                let (name, defined) = match style {
                    openapiv3::QueryStyle::Form => {
                        return form(data.explode.unwrap_or(true));
                    }
                    // One value is the same in every style.
                    _ if scalar => return form(true),
                    openapiv3::QueryStyle::SpaceDelimited => {
                        ("spaceDelimited", QueryStyle::SpaceDelimited)
                    }
                    openapiv3::QueryStyle::PipeDelimited => {
                        ("pipeDelimited", QueryStyle::PipeDelimited)
                    }
                    openapiv3::QueryStyle::DeepObject => {
                        if data.explode == Some(false) {
                            self.warn(
                                WarningKind::Fallback,
                                &join(origin, "explode"),
                                format!(
                                    "the parameter `{}` has style `deepObject` with `explode: false`, which OpenAPI does not define",
                                    data.name
                                ),
                                "it is sent as `deepObject` with `explode: true`, the one defined",
                            );
                        }
                        return Placement::Query(QueryStyle::DeepObject);
                    }
                };
                if data.explode == Some(true) {
                    self.warn(
                        WarningKind::Fallback,
                        &style_at,
                        format!(
                            "the parameter `{}` has style `{name}` with `explode: true`, which OpenAPI does not define",
                            data.name
                        ),
                        "it is sent as `form` with `explode: true` (the key repeated for each item)",
                    );
                    return form(true);
                }
                Placement::Query(defined)
            }
        }
    }

    /// What a parameter's schema holds, as far as sending it goes (the form the wire takes:
    /// the type itself is lowered with the parameter).
    fn shape(&self, schema: &RefOr<'a>, at: &str) -> Result<Shape> {
        let (schema, resolved_at) = self.resolve(schema, at)?;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => match self.shape(&view(items), &join(&resolved_at, "items"))? {
                    Shape::Scalar => Shape::Array,
                    Shape::Text => Shape::TextArray,
                    _ => Shape::Other("an array of arrays or objects"),
                },
                None => Shape::Other("an array of values of any type"),
            },
            SchemaKind::Type(Type::Object(_)) => Shape::Object,
            SchemaKind::Type(_) => Shape::Scalar,
            SchemaKind::Any(any)
                if !any.properties.is_empty() || any.additional_properties.is_some() =>
            {
                Shape::Object
            }
            SchemaKind::AllOf { all_of } | SchemaKind::Any(openapiv3::AnySchema { all_of, .. })
                if !all_of.is_empty() =>
            {
                match self.single_part(all_of, &resolved_at)? {
                    Some((part, part_at)) => self.shape(&part, &part_at)?,
                    None => Shape::Object,
                }
            }
            SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AnyOf { any_of: parts }
            | SchemaKind::Any(openapiv3::AnySchema { one_of: parts, .. })
            | SchemaKind::Any(openapiv3::AnySchema { any_of: parts, .. })
                if !parts.is_empty() =>
            {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::Any(any) if !any.one_of.is_empty() => "oneOf",
                    _ => "anyOf",
                };
                match self.only_alternative(parts, keyword, schema, &resolved_at)? {
                    Some((part, part_at)) => self.shape(&part, &part_at)?,
                    // String enums merge into one enum (see `unions.rs`).
                    None if self.all_string_enums(parts, keyword, &resolved_at)? => Shape::Scalar,
                    None => {
                        let mut text = true;
                        for (part, part_at) in self.typed_alternatives(parts, keyword, &resolved_at)
                        {
                            text &=
                                matches!(self.shape(&part, &part_at)?, Shape::Scalar | Shape::Text);
                        }
                        if text {
                            Shape::Text
                        } else {
                            // Written from its JSON value: the alternative it holds.
                            Shape::Object
                        }
                    }
                }
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => {
                Shape::Other("a value of any type")
            }
            SchemaKind::Not { .. } => Shape::Other("a value of any type"),
            SchemaKind::Any(any) if any.not.is_some() => Shape::Other("a value of any type"),
            SchemaKind::Any(any) if any.items.is_some() => Shape::Other("an untyped array"),
            // No type: on the wire a parameter is text, so it is taken as a string.
            SchemaKind::Any(_) => Shape::Scalar,
        })
    }

    pub(super) fn lower_parameters(
        &mut self,
        resolved: Sendable<'a>,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>> {
        let spelled: Vec<(String, ParameterLocation)> = resolved
            .iter()
            .map(|((p, _, _), _)| (names::snake(&p.parameter_data_ref().name), location(p)))
            .collect();
        let mut claims = Vec::with_capacity(resolved.len());
        for (((parameter, at, used_at), _), (snake, place)) in resolved.iter().zip(&spelled) {
            let name = &parameter.parameter_data_ref().name;
            let (rank, suffix) = match place {
                ParameterLocation::Path => (rank::DECLARED, "path"),
                ParameterLocation::Query => (rank::QUERY, "query"),
                ParameterLocation::Header => (rank::HEADER, "header"),
                ParameterLocation::Cookie => (rank::COOKIE, "cookie"),
            };
            let mut claim =
                Claim::new(used_at.as_str(), name.as_str(), snake.as_str(), Case::Snake).rank(rank);
            // The location tells two parameters apart only if no other parameter of that
            // name is in the same place.
            let alike_here = spelled
                .iter()
                .filter(|(s, l)| s == snake && l == place)
                .count();
            if alike_here == 1 {
                claim = claim.or(format!("{}_{suffix}", names::unraw(snake)));
            }
            let also = (at != used_at).then_some(at.as_str());
            claims.push((
                NameKind::Parameter,
                self.namer.configure(NameKind::Parameter, claim, also)?,
            ));
        }
        let given = self.namer.resolve(&mut Scope::new(), &claims)?;
        let mut parameters = Vec::with_capacity(resolved.len());
        for (((parameter, at, used_at), shape), rust_name) in resolved.into_iter().zip(given) {
            let text = match shape {
                Shape::Text => Some(TypeRef::Primitive(Primitive::String)),
                Shape::TextArray => Some(TypeRef::Array(Box::new(TypeRef::Primitive(
                    Primitive::String,
                )))),
                _ => None,
            };
            if text.is_some() {
                // A union of scalars has no one text; on the wire it is text, so the
                // caller gives the text.
                self.warn(
                    WarningKind::Fallback,
                    &join(&used_at, "schema"),
                    format!(
                        "the parameter `{}` is one of several scalar types",
                        parameter.parameter_data_ref().name
                    ),
                    "the client takes it as text (a string), as it goes on the wire",
                );
            }
            let placement = self.placement(parameter, &at, &shape);
            parameters.push(self.lower_parameter(
                parameter,
                &at,
                rust_name,
                type_prefix,
                text,
                placement,
            )?);
        }
        Ok(parameters)
    }

    fn resolve_parameter(
        &self,
        parameter: &'a ReferenceOr<OaParameter>,
        at: &str,
    ) -> Result<(&'a OaParameter, String)> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
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
        parameter: &'a OaParameter,
        origin: &str,
        rust_name: String,
        type_prefix: &str,
        text: Option<TypeRef>,
        placement: Placement,
    ) -> Result<Parameter> {
        let data = parameter.parameter_data_ref();
        if matches!(parameter, OaParameter::Path { .. }) && !data.required {
            // OpenAPI requires path parameters to be required: a path has no optional parts.
            return Err(SpecError::at(
                join(origin, "required"),
                format!("path parameter `{}` must be required", data.name),
            ));
        }
        let (schema, schema_origin, media_type) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (Some(schema), join(origin, "schema"), None)
            }
            ParameterSchemaOrContent::Content(content) => {
                // Only a single JSON media type gets this far (see `unsendable`).
                let (media_type, media) = content.iter().next().ok_or_else(|| {
                    SpecError::at(
                        join(origin, "content"),
                        "generator bug: a parameter with empty `content` reached lowering",
                    )
                })?;
                let at = join(&join(&join(origin, "content"), media_type), "schema");
                (media.schema.as_ref(), at, Some(media_type.clone()))
            }
        };
        let hint = format!("{type_prefix}{}", names::camel(&data.name));
        let schema_example = schema
            .and_then(|s| s.as_item())
            .and_then(|s| s.schema_data.example.as_ref());
        let example = data.example.as_ref().or(schema_example).map(literal);
        let (ty, constraints, default) = match (text, schema) {
            (Some(ty), schema) => {
                let default = schema
                    .and_then(|s| s.as_item())
                    .and_then(|s| s.schema_data.default.as_ref());
                (ty, Constraints::default(), default.map(literal))
            }
            // A JSON value of no schema: any JSON.
            (None, None) => (TypeRef::Any, Constraints::default(), None),
            (None, Some(ReferenceOr::Reference { reference })) => (
                self.reference(reference, &schema_origin)?,
                Constraints::default(),
                None,
            ),
            (None, Some(ReferenceOr::Item(schema))) => {
                let (ty, constraints) =
                    self.lower_ref(&RefOr::Item(schema), &hint, &schema_origin)?;
                // A schema of no type: on the wire a parameter is text, so it is a string
                // (unless it is JSON, which can hold any value).
                let ty = match ty {
                    TypeRef::Any if media_type.is_none() => TypeRef::Primitive(Primitive::String),
                    ty => ty,
                };
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
        Ok(Parameter {
            api_name: data.name.clone(),
            rust_name,
            origin: origin.to_owned(),
            placement,
            media_type,
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
        let id = self.new_type(api_name, rust_name, rank::PARAMETER_TYPE, origin)?;
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
}

/// A parameter, the pointer of its definition and the pointer of its use.
pub(super) type Resolved<'a> = (&'a OaParameter, String, String);

/// The parameters an operation's request builder can send, each with how it is sent.
pub(super) type Sendable<'a> = Vec<(Resolved<'a>, Shape)>;

/// Where (a JSON pointer) and why a parameter cannot be sent.
pub(super) type Unsendable = (String, String);

/// What a parameter's value is, as far as sending it goes.
pub(super) enum Shape {
    Scalar,
    /// An array of scalars.
    Array,
    /// One of several scalar types (an integer or a UUID): sent as the caller's text.
    Text,
    /// An array of those.
    TextArray,
    /// An object (or a union holding objects), written key by key as its style says.
    Object,
    /// Any value, written as its JSON text (a parameter described by a JSON `content`).
    JsonText,
    /// Anything else, described for the warning.
    Other(&'static str),
}

fn location(parameter: &OaParameter) -> ParameterLocation {
    match parameter {
        OaParameter::Path { .. } => ParameterLocation::Path,
        OaParameter::Query { .. } => ParameterLocation::Query,
        OaParameter::Header { .. } => ParameterLocation::Header,
        OaParameter::Cookie { .. } => ParameterLocation::Cookie,
    }
}
