//! Security schemes and the requirements that name them. (A requirement that names an
//! undeclared scheme is repaired before lowering, in `crate::repair`.)
//!
//! Every scheme type of OpenAPI 3.0 lowers to something the client applies: Digest and
//! OAuth 2.0 client credentials the client runs itself; basic, API keys and tokens
//! (bearer, other OAuth 2.0 flows, OpenID Connect, other HTTP schemes) the caller supplies.
//! Only a scheme whose credentials cannot be put on a request (an API key named with
//! characters a header or cookie name cannot have) is left out, with a warning.

use super::Result;
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names;
use openapiv3::OpenAPI;

/// The declared schemes, sorted by name, with their builder methods named. Names that
/// yield to another scheme's are reported in `renames`.
pub(super) fn schemes(
    spec: &OpenAPI,
    warnings: &mut Vec<Warning>,
    renames: &mut Vec<Rename>,
) -> Result<Vec<SecurityScheme>> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut schemes: Vec<_> = components.security_schemes.iter().collect();
    schemes.sort_by_key(|(name, _)| *name);
    // Builder methods taken so far, and by which scheme.
    let mut taken: Vec<(String, String)> = Vec::new();
    for (name, scheme) in schemes {
        let origin = pointer(["components", "securitySchemes", name]);
        let scheme = scheme.as_item().ok_or_else(|| {
            SpecError::at(&origin, "security scheme references are not supported")
        })?;
        let mut method = || claim_method(name, &origin, &mut taken, renames);
        let (description, kind) = match scheme {
            openapiv3::SecurityScheme::HTTP {
                scheme,
                bearer_format,
                description,
                ..
            } => {
                let kind = match scheme.to_ascii_lowercase().as_str() {
                    "digest" => SecuritySchemeKind::Digest,
                    "basic" => supplied(method(), Credential::Basic),
                    "bearer" => supplied(
                        method(),
                        token(
                            "Bearer",
                            TokenOrigin::Http {
                                format: bearer_format.clone(),
                            },
                        ),
                    ),
                    _ if is_token(scheme) => {
                        let method = method();
                        warnings.push(warning(
                            WarningKind::Fallback,
                            join(&origin, "scheme"),
                            format!("the client does not run the HTTP authentication scheme `{scheme}`"),
                            format!("the caller supplies its credentials through `ClientBuilder::{method}`, sent as `Authorization: {scheme} <credentials>`"),
                        ));
                        supplied(
                            method,
                            token(
                                scheme,
                                TokenOrigin::Http {
                                    format: bearer_format.clone(),
                                },
                            ),
                        )
                    }
                    _ => {
                        warnings.push(unusable(
                            join(&origin, "scheme"),
                            format!("`{scheme}` is not an HTTP authentication scheme name"),
                        ));
                        continue;
                    }
                };
                (description, kind)
            }
            openapiv3::SecurityScheme::APIKey {
                location,
                name: key_name,
                description,
                ..
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                    openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                    openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                };
                if location != ApiKeyLocation::Query && !is_token(key_name) {
                    warnings.push(unusable(
                        join(&origin, "name"),
                        format!(
                            "`{key_name}` cannot name a {}",
                            if location == ApiKeyLocation::Header {
                                "header"
                            } else {
                                "cookie"
                            }
                        ),
                    ));
                    continue;
                }
                (
                    description,
                    supplied(
                        method(),
                        Credential::ApiKey {
                            name: key_name.clone(),
                            location,
                        },
                    ),
                )
            }
            openapiv3::SecurityScheme::OAuth2 {
                flows, description, ..
            } => {
                let mut others = Vec::new();
                if flows.authorization_code.is_some() {
                    others.push("authorizationCode".to_owned());
                }
                if flows.implicit.is_some() {
                    others.push("implicit".to_owned());
                }
                if flows.password.is_some() {
                    others.push("password".to_owned());
                }
                let caller = |method: String, flows: Vec<String>| {
                    supplied_parts(method, token("Bearer", TokenOrigin::OAuth2 { flows }))
                };
                let kind = match &flows.client_credentials {
                    Some(flow) => SecuritySchemeKind::ClientCredentials {
                        token_url: flow.token_url.clone(),
                        caller: (!others.is_empty()).then(|| caller(method(), others)),
                    },
                    None => SecuritySchemeKind::Supplied(caller(method(), others)),
                };
                (description, kind)
            }
            openapiv3::SecurityScheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => (
                description,
                supplied(
                    method(),
                    token(
                        "Bearer",
                        TokenOrigin::OpenIdConnect {
                            url: open_id_connect_url.clone(),
                        },
                    ),
                ),
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

pub(super) fn requirements(
    requirements: &[openapiv3::SecurityRequirement],
) -> Vec<SecurityRequirement> {
    requirements
        .iter()
        .map(|r| SecurityRequirement {
            schemes: r.keys().cloned().collect(),
        })
        .collect()
}

/// The API's requirements once every operation is lowered: when the spec declares
/// schemes but requires none anywhere (a common slip), each scheme becomes an
/// alternative, so that the credentials a caller configures are sent. Then every
/// requirement that applies two schemes sending an `Authorization` header together is
/// reported: a request carries one, so a call choosing it fails before it is sent.
pub(super) fn resolve(
    spec: &OpenAPI,
    schemes: &[SecurityScheme],
    operations: &[Operation],
    warnings: &mut Vec<Warning>,
) -> Vec<SecurityRequirement> {
    let declared_anywhere =
        spec.security.is_some() || operations.iter().any(|op| op.security.is_some());
    let security = match spec.security.as_deref() {
        Some(security) => requirements(security),
        None if !declared_anywhere && !schemes.is_empty() => {
            let names: Vec<&str> = schemes.iter().map(|s| s.api_name.as_str()).collect();
            warnings.push(warning(
                WarningKind::Repaired,
                "/security".to_owned(),
                "the spec declares security schemes but no operation requires any".to_owned(),
                format!(
                    "every operation accepts any one of them ({}): the client sends the credentials it is given",
                    names.join(", ")
                ),
            ));
            schemes
                .iter()
                .map(|s| SecurityRequirement {
                    schemes: vec![s.api_name.clone()],
                })
                .collect()
        }
        None => Vec::new(),
    };
    let places = std::iter::once(("/security".to_owned(), &security)).chain(
        operations.iter().filter_map(|op| {
            op.security
                .as_ref()
                .map(|security| (join(&op.origin, "security"), security))
        }),
    );
    for (at, requirements) in places {
        for (index, requirement) in requirements.iter().enumerate() {
            let authorizing: Vec<&str> = requirement
                .schemes
                .iter()
                .filter(|name| {
                    schemes
                        .iter()
                        .any(|s| &s.api_name == *name && sends_authorization(s))
                })
                .map(String::as_str)
                .collect();
            if authorizing.len() > 1 {
                warnings.push(warning(
                    WarningKind::Fallback,
                    join(&at, &index.to_string()),
                    format!(
                        "the requirement applies {} together, and each sends an `Authorization` header, which a request has one of",
                        authorizing
                            .iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    "a call that has the credentials of all of them and no other alternative fails with `Error::Auth` before anything is sent",
                ));
            }
        }
    }
    security
}

/// Whether the scheme's credentials go in the `Authorization` header.
fn sends_authorization(scheme: &SecurityScheme) -> bool {
    match &scheme.kind {
        SecuritySchemeKind::Digest | SecuritySchemeKind::ClientCredentials { .. } => true,
        SecuritySchemeKind::Supplied(supplied) => match &supplied.credential {
            Credential::Basic | Credential::Token { .. } => true,
            Credential::ApiKey { name, location } => {
                *location == ApiKeyLocation::Header && name.eq_ignore_ascii_case("authorization")
            }
        },
    }
}

/// The builder method for a scheme: its plain name unless an earlier scheme (in name
/// order) took it, then the first free numbered one.
fn claim_method(
    scheme: &str,
    origin: &str,
    taken: &mut Vec<(String, String)>,
    renames: &mut Vec<Rename>,
) -> String {
    let plain = names::auth_method(scheme);
    let holder = taken
        .iter()
        .find(|(method, _)| *method == plain)
        .map(|(_, holder)| holder.clone());
    let method = match &holder {
        None => plain.clone(),
        Some(holder) => {
            let stem = plain.strip_suffix("_auth").unwrap_or(&plain);
            let method = (2..)
                .map(|n| format!("{stem}_{n}_auth"))
                .find(|m| !taken.iter().any(|(t, _)| t == m))
                .unwrap_or_default();
            renames.push(Rename {
                kind: NameKind::BuilderMethod,
                origin: origin.to_owned(),
                plain: plain.clone(),
                rust_name: method.clone(),
                reason: format!("the scheme `{holder}` has `{plain}`"),
            });
            method
        }
    };
    taken.push((method.clone(), scheme.to_owned()));
    method
}

/// An RFC 9110 token: what header names, cookie names and authentication scheme names
/// are made of.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn supplied(method: String, credential: Credential) -> SecuritySchemeKind {
    SecuritySchemeKind::Supplied(supplied_parts(method, credential))
}

fn supplied_parts(method: String, credential: Credential) -> Supplied {
    Supplied { method, credential }
}

fn token(prefix: &str, origin: TokenOrigin) -> Credential {
    Credential::Token {
        prefix: prefix.to_owned(),
        origin,
    }
}

fn unusable(origin: String, message: String) -> Warning {
    warning(
        WarningKind::Fallback,
        origin,
        message,
        "the client cannot send this scheme's credentials: it is left out, and a requirement naming it is never met",
    )
}

fn warning(
    kind: WarningKind,
    origin: String,
    message: String,
    action: impl Into<String>,
) -> Warning {
    Warning {
        kind,
        origin,
        message,
        action: action.into(),
    }
}
