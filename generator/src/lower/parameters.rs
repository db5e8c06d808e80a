//! Parameters: which ones an operation takes, their argument names, types and constraints.
//!
//! An operation's parameters are the path item's and its own, its own replacing one of the
//! same name and location. Argument names are decided for all of them at once: a path
//! parameter keeps its name over a query, header or cookie parameter of the same name,
//! which takes its location as a suffix (`language` and `language_query`).

use super::schemas::RefOr;
use super::{Lowerer, Result, literal, operations::missing_component, unescape};
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::{self, Case, Claim, Scope, rank};
use indexmap::IndexMap;
use openapiv3::{Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr, Schema};

impl<'a> Lowerer<'a> {
    /// The parameters an operation takes, each with the pointer of its definition and the
    /// pointer of its use (the same, unless it is a reference), in order.
    pub(super) fn operation_parameters(
        &self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<OaParameter>],
        origin: &str,
    ) -> Result<Vec<(&'a OaParameter, String, String)>> {
        let mut resolved: IndexMap<(String, ParameterLocation), (&'a OaParameter, String, String)> =
            IndexMap::new();
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

    pub(super) fn lower_parameters(
        &mut self,
        operation: &'a openapiv3::Operation,
        path_parameters: &'a [ReferenceOr<OaParameter>],
        origin: &str,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>> {
        let resolved = self.operation_parameters(operation, path_parameters, origin)?;
        let spelled: Vec<(String, ParameterLocation)> = resolved
            .iter()
            .map(|(p, _, _)| (names::snake(&p.parameter_data_ref().name), location(p)))
            .collect();
        let mut claims = Vec::with_capacity(resolved.len());
        for ((parameter, at, used_at), (snake, place)) in resolved.iter().zip(&spelled) {
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
        for ((parameter, at, _), rust_name) in resolved.into_iter().zip(given) {
            parameters.push(self.lower_parameter(parameter, &at, rust_name, type_prefix)?);
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
    ) -> Result<Parameter> {
        let data = parameter.parameter_data_ref();
        if matches!(parameter, OaParameter::Path { .. }) && !data.required {
            // OpenAPI requires path parameters to be required: a path has no optional parts.
            return Err(SpecError::at(
                join(origin, "required"),
                format!("path parameter `{}` must be required", data.name),
            ));
        }
        let location = location(parameter);
        let style = match parameter {
            OaParameter::Path { style, .. } => match style {
                openapiv3::PathStyle::Simple => ParameterStyle::Simple,
                openapiv3::PathStyle::Label => ParameterStyle::Label,
                openapiv3::PathStyle::Matrix => ParameterStyle::Matrix,
            },
            OaParameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => ParameterStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
            },
            OaParameter::Header { .. } => ParameterStyle::Simple,
            OaParameter::Cookie { .. } => ParameterStyle::Form,
        };
        let schema_origin = join(origin, "schema");
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => schema,
            // Operations with such parameters are left out before they are lowered.
            ParameterSchemaOrContent::Content(_) => {
                return Err(SpecError::at(
                    join(origin, "content"),
                    "generator bug: a parameter with `content` reached lowering",
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
                let (ty, constraints) =
                    self.lower_ref(&RefOr::Item(schema), &hint, &schema_origin)?;
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

fn location(parameter: &OaParameter) -> ParameterLocation {
    match parameter {
        OaParameter::Path { .. } => ParameterLocation::Path,
        OaParameter::Query { .. } => ParameterLocation::Query,
        OaParameter::Header { .. } => ParameterLocation::Header,
        OaParameter::Cookie { .. } => ParameterLocation::Cookie,
    }
}
