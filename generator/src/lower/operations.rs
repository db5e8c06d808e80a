//! Operations: paths, request bodies and responses, one method each (and one per version,
//! see `versions.rs`).
//!
//! An operation the generator cannot express (one that requires a parameter the request
//! builder cannot send, see `parameters.rs`; a path item that is a `$ref`) is left out
//! with a warning, and every other operation generates.
//! Method names are decided for all operations at once, by the rules of `names`: two
//! operationIds alike after casing (or, against the spec, the same) keep both operations,
//! the one that yields getting a number.

use super::{Lowerer, Result, pagination, unescape, versions};
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::{self, Case, Claim, Scope, rank};
use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let mut operations = Vec::new();
        let mut paths: Vec<_> = spec.paths.paths.iter().collect();
        paths.sort_by_key(|(path, _)| *path);
        for (path, item) in paths {
            let path_origin = pointer(["paths", path]);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.warn(
                        WarningKind::Skipped,
                        &join(&path_origin, "$ref"),
                        format!(
                            "the path item is a reference (`{reference}`), which is not supported"
                        ),
                        format!("the operations of `{path}` are left out"),
                    );
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let origin = join(&path_origin, method);
                let parameters =
                    match self.sendable_parameters(operation, &item.parameters, &origin)? {
                        Ok(parameters) => parameters,
                        Err((at, message)) => {
                            self.warn(
                                WarningKind::Skipped,
                                &at,
                                message,
                                format!(
                                    "`{} {path}` requires it, so the operation is left out",
                                    method.to_ascii_uppercase()
                                ),
                            );
                            continue;
                        }
                    };
                let Some(op) =
                    self.lower_operation(path, method, operation, parameters, &origin)?
                else {
                    self.warn(
                        WarningKind::Skipped,
                        &join(&origin, "requestBody"),
                        "the client can send none of the request body's media types",
                        format!("`{} {path}` is left out", method.to_ascii_uppercase()),
                    );
                    continue;
                };
                for mut op in versions::split(op) {
                    // Each version has its own body type, so pagination is per version.
                    op.pagination = pagination::detect(&op, &self.types, &self.config.pagination);
                    operations.push(op);
                }
            }
        }
        self.name_operations(&mut operations)?;
        Ok(operations)
    }

    /// Method names for every operation at once; a builder type follows its method's name.
    fn name_operations(&mut self, operations: &mut [Operation]) -> Result<()> {
        let claims: Vec<(NameKind, Claim)> = operations
            .iter()
            .map(|op| {
                let configured = self.namer.is_configured(&op.origin);
                let claim = Claim::new(
                    op.origin.as_str(),
                    op.api_name.as_str(),
                    op.rust_name.as_str(),
                    Case::Snake,
                );
                let claim = if configured {
                    claim.rank(rank::CONFIGURED)
                } else {
                    claim
                };
                (NameKind::Operation, claim)
            })
            .collect();
        let given = self.namer.resolve(&mut Scope::new(), &claims)?;
        // operationIds must be unique; the spec that repeats one still gets both methods.
        let mut first: BTreeMap<&str, &str> = BTreeMap::new();
        let mut repeated = Vec::new();
        for (op, name) in operations.iter().zip(&given) {
            let explicit = !op.api_name.contains(' ');
            if let Some(holder) = first.get(op.api_name.as_str()) {
                if explicit && *holder != op.origin && *name != op.rust_name {
                    repeated.push((
                        op.origin.clone(),
                        op.api_name.clone(),
                        holder.to_string(),
                        name.clone(),
                    ));
                }
            } else {
                first.insert(op.api_name.as_str(), op.origin.as_str());
            }
        }
        for (origin, api_name, holder, name) in repeated {
            self.warn(
                WarningKind::Repaired,
                &join(&origin, "operationId"),
                format!("the operationId `{api_name}` is also the one of #{holder}, but operationIds must be unique"),
                format!("this operation's method is `{}`", names::unraw(&name)),
            );
        }
        let mut builders = Vec::with_capacity(operations.len());
        for (op, name) in operations.iter_mut().zip(given) {
            if name != op.rust_name {
                op.builder_name = names::camel(names::unraw(&name));
                op.rust_name = name;
            }
            builders.push((
                NameKind::Type,
                Claim::new(
                    op.origin.as_str(),
                    op.api_name.as_str(),
                    op.builder_name.as_str(),
                    Case::Camel,
                ),
            ));
        }
        let builders = self.namer.resolve(&mut Scope::new(), &builders)?;
        for (op, builder) in operations.iter_mut().zip(builders) {
            op.builder_name = builder;
        }
        Ok(())
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a openapiv3::Operation,
        parameters: super::parameters::Sendable<'a>,
        origin: &str,
    ) -> Result<Option<Operation>> {
        let api_name = match &operation.operation_id {
            Some(id) => id.clone(),
            // Without an operationId the method and path are the only stable identity.
            None => format!("{method} {path}"),
        };
        let claim = Claim::new(
            origin,
            api_name.as_str(),
            names::snake(&api_name),
            Case::Snake,
        );
        let rust_name = self.namer.configure(NameKind::Operation, claim, None)?.name;
        let type_prefix = if self.namer.is_configured(origin) {
            names::camel(names::unraw(&rust_name))
        } else {
            names::camel(&api_name)
        };

        let parameters = self.lower_parameters(parameters, &type_prefix)?;
        let path_segments = parse_path(path, method, &parameters)?;
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.location() == ParameterLocation::Path
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
                let spec: &'a openapiv3::OpenAPI = self.spec;
                let body = match body {
                    ReferenceOr::Item(body) => body,
                    ReferenceOr::Reference { reference } => {
                        let name =
                            unescape(reference.trim_start_matches("#/components/requestBodies/"));
                        spec.components
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
                    true,
                )?;
                if content.is_empty() && !body.content.is_empty() {
                    return Ok(None);
                }
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

        Ok(Some(Operation {
            api_name,
            builder_name: type_prefix,
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
            security: operation
                .security
                .as_deref()
                .map(super::security::requirements),
            pagination: None,
            version: None,
        }))
    }

    fn lower_response(
        &mut self,
        status: Status,
        response: &'a ReferenceOr<openapiv3::Response>,
        type_prefix: &str,
        origin: &str,
    ) -> Result<Response> {
        let spec: &'a openapiv3::OpenAPI = self.spec;
        let (response, at) = match response {
            ReferenceOr::Item(response) => (response, origin.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .map(unescape);
                let found = name
                    .as_ref()
                    .and_then(|name| spec.components.as_ref()?.responses.get(name))
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
            false,
        )?;
        Ok(Response {
            status,
            description: response.description.clone(),
            content,
        })
    }

    /// The media types of a body as the client exchanges them. A request body's media
    /// types that the client cannot send as the spec says are left out with a warning,
    /// and of several plain JSON ones (`application/json`, `text/json`, with parameters)
    /// only the first is kept: they are one body, not versions.
    fn lower_content(
        &mut self,
        content: &'a IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        origin: &str,
        request: bool,
    ) -> Result<Vec<Content>> {
        let mut out = Vec::with_capacity(content.len());
        let plain = |m: &str| is_json(m) && versions::plain_json(m);
        let mut plain_seen = false;
        // Several JSON media types are versions of one body, each inline schema its own type.
        let versions = content
            .keys()
            .filter(|m| is_json(m) && !versions::plain_json(m))
            .count()
            + usize::from(content.keys().any(|m| plain(m)))
            > 1;
        for (media_type, media) in content {
            let at = join(origin, media_type);
            let hint = if versions {
                format!("{hint}{}", names::camel(&versions::suffix(media_type)))
            } else {
                hint.to_owned()
            };
            let schema = media.schema.as_ref().map(super::view);
            let schema_at = join(&at, "schema");
            let body = match media_kind(media_type) {
                MediaKind::Json if request && plain(media_type) && plain_seen => continue,
                MediaKind::Json => {
                    plain_seen |= plain(media_type);
                    match &schema {
                        Some(schema) => Body::Json(self.lower_ref(schema, &hint, &schema_at)?.0),
                        None => Body::Json(TypeRef::Any),
                    }
                }
                MediaKind::Form if request => {
                    let ty = match &schema {
                        Some(schema) => self.lower_ref(schema, &hint, &schema_at)?.0,
                        None => TypeRef::Map(Box::new(TypeRef::Any)),
                    };
                    if !self.is_form_object(&ty) {
                        self.warn(
                            WarningKind::Skipped,
                            &schema_at,
                            "an `application/x-www-form-urlencoded` body whose schema is not an object is not supported",
                            "the client does not offer this media type",
                        );
                        continue;
                    }
                    let fields = form_fields(media);
                    Body::Form(FormBody { ty, fields })
                }
                MediaKind::Multipart if request => {
                    let ty = match &schema {
                        Some(schema) => self.lower_ref(schema, &hint, &schema_at)?.0,
                        None => TypeRef::Any,
                    };
                    match self.multipart(&ty, media, &at) {
                        Some(body) => Body::Multipart(body),
                        None => continue,
                    }
                }
                MediaKind::OtherMultipart if request => {
                    self.warn(
                        WarningKind::Skipped,
                        &at,
                        format!("the request media type `{media_type}` is not supported (only `multipart/form-data` is)"),
                        "the client does not offer it",
                    );
                    continue;
                }
                MediaKind::Text => Body::Text,
                _ => Body::Bytes,
            };
            out.push(Content {
                media_type: media_type.clone(),
                body,
            });
        }
        Ok(out)
    }

    /// A multipart body's parts, from the fields of its struct; `None` (with a warning)
    /// when the schema is not an object with properties, whose parts the client could
    /// not name.
    fn multipart(
        &mut self,
        ty: &TypeRef,
        media: &'a openapiv3::MediaType,
        origin: &str,
    ) -> Option<MultipartBody> {
        let id = ty.direct();
        let fields = id.and_then(|id| match &self.types[id.0].kind {
            TypeKind::Struct(s) if !s.fields.iter().any(|f| f.flatten) => Some(s.fields.clone()),
            _ => None,
        });
        let (Some(id), Some(fields)) = (id, fields) else {
            self.warn(
                WarningKind::Skipped,
                &join(origin, "schema"),
                "a `multipart/form-data` body whose schema is not an object with properties is not supported",
                "the client does not offer this media type",
            );
            return None;
        };
        for name in media.encoding.keys() {
            if !fields.iter().any(|f| &f.api_name == name) {
                self.warn(
                    WarningKind::Repaired,
                    &join(&join(origin, "encoding"), name),
                    format!("`{name}` is not a property of the body"),
                    "its encoding is ignored",
                );
            }
        }
        // A readOnly property is the server's to set: it is no part of a request.
        let parts = fields
            .iter()
            .filter(|field| !field.read_only)
            .map(|field| {
                let encoding = media.encoding.get(&field.api_name);
                if encoding.is_some_and(|e| !e.headers.is_empty()) {
                    self.warn(
                        WarningKind::Fallback,
                        &join(&join(&join(origin, "encoding"), &field.api_name), "headers"),
                        "headers of a multipart part are not supported",
                        "the part is sent without them",
                    );
                }
                let file = matches!(field.ty.innermost(), TypeRef::Primitive(Primitive::Binary))
                    && matches!(&field.ty, TypeRef::Primitive(_) | TypeRef::Array(_));
                // A list (`image/png, image/jpeg`) or a wildcard is not a content type:
                // its first concrete type is, or else the default.
                let listed = encoding
                    .and_then(|e| e.content_type.as_deref())
                    .and_then(|listed| {
                        listed
                            .split(',')
                            .map(str::trim)
                            .find(|t| !t.is_empty() && !t.contains('*'))
                    });
                let content_type = match listed {
                    Some(content_type) => content_type.to_owned(),
                    None if file => "application/octet-stream".to_owned(),
                    None if self.is_object(field.ty.innermost()) => "application/json".to_owned(),
                    None => "text/plain".to_owned(),
                };
                Part {
                    api_name: field.api_name.clone(),
                    file,
                    content_type,
                }
            })
            .collect();
        Some(MultipartBody {
            ty: TypeRef::Named(id),
            parts,
        })
    }

    /// Whether values of this type are JSON objects, whose properties a form's fields are.
    fn is_form_object(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map(_) | TypeRef::Any => true,
            TypeRef::Primitive(_) | TypeRef::Array(_) => false,
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(_) | TypeKind::Union(_) => true,
                TypeKind::Alias(inner) => self.is_form_object(inner),
                TypeKind::Enum(_) | TypeKind::Constrained(_) => false,
            },
        }
    }

    /// Whether values of this type are JSON objects or arrays (written as JSON text).
    fn is_object(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Primitive(_) => false,
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => true,
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Enum(_) | TypeKind::Constrained(_) => false,
                TypeKind::Alias(inner) => self.is_object(inner),
                TypeKind::Struct(_) | TypeKind::Union(_) => true,
            },
        }
    }
}

/// The encodings a form-urlencoded body's `encoding` object gives, in its order.
fn form_fields(media: &openapiv3::MediaType) -> Vec<FormField> {
    let mut fields = Vec::new();
    for (name, encoding) in &media.encoding {
        let json = encoding.content_type.as_deref().is_some_and(is_json);
        let encoding = match (&encoding.style, json) {
            (_, true) => FieldEncoding::Json,
            (None, false) if encoding.explode => FieldEncoding::Default,
            (None, false) | (Some(openapiv3::QueryStyle::Form), false) => FieldEncoding::Form {
                explode: encoding.explode,
            },
            (Some(openapiv3::QueryStyle::SpaceDelimited), false) => FieldEncoding::SpaceDelimited,
            (Some(openapiv3::QueryStyle::PipeDelimited), false) => FieldEncoding::PipeDelimited,
            (Some(openapiv3::QueryStyle::DeepObject), false) => FieldEncoding::DeepObject,
        };
        fields.push(FormField {
            api_name: name.clone(),
            encoding,
        });
    }
    fields
}

/// How the client exchanges a media type.
enum MediaKind {
    Json,
    Form,
    Multipart,
    /// `multipart/mixed` and the other multipart types.
    OtherMultipart,
    Text,
    Bytes,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = essence(media_type);
    if is_json(media_type) {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("multipart/") {
        MediaKind::OtherMultipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// The media type without parameters, in lower case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
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
pub(super) fn missing_component(reference: &str, section: &str, what: &str) -> String {
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
            .position(|p| p.location() == ParameterLocation::Path && p.api_name == name)
            .ok_or_else(|| SpecError::at(origin, format!("the path `{path}` names `{{{name}}}`, which its `{method}` operation does not declare as a path parameter (in its own `parameters` or the path's)")))?;
        segments.push(PathSegment::Parameter(index));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Ok(segments)
}

/// `application/json` (with parameters such as `; charset=utf-8`), `text/json`,
/// `application/problem+json`, `application/vnd.atlas.2023-01-01+json`.
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    let subtype = essence.split_once('/').map(|(_, s)| s).unwrap_or_default();
    subtype == "json" || subtype.ends_with("+json")
}
