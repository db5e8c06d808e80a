//! Security schemes and the requirements that name them. (A requirement that names an
//! undeclared scheme is repaired before lowering, in `crate::repair`.)

use super::Result;
use crate::error::{SpecError, pointer};
use crate::ir::*;
use openapiv3::OpenAPI;

pub(super) fn schemes(spec: &OpenAPI) -> Result<Vec<SecurityScheme>> {
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

pub(super) fn requirements(
    requirements: &[openapiv3::SecurityRequirement],
) -> Vec<SecurityRequirement> {
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
