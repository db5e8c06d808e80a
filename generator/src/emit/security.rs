//! `security.rs` of the generated crate: a `ClientBuilder` method per scheme whose
//! credentials the caller supplies, and the schemes that Digest's and OAuth client
//! credentials' fixed methods (in their support modules) configure. Also the per-operation
//! requirement the executor chooses credentials by.

use super::docs;
use crate::ir::{
    Api, ApiKeyLocation, Credential, Operation, SecurityScheme, SecuritySchemeKind, Supplied,
    TokenOrigin,
};
use proc_macro2::TokenStream;
use quote::quote;

/// Whether the crate has a `security.rs`: the spec declares a scheme.
pub(super) fn needed(api: &Api) -> bool {
    !api.security_schemes.is_empty()
}

/// The module: builder methods, then the scheme lists of the fixed methods.
pub fn module(api: &Api) -> TokenStream {
    let methods: Vec<TokenStream> = api
        .security_schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SecuritySchemeKind::Supplied(supplied) => Some(expand_method(scheme, supplied, false)),
            SecuritySchemeKind::ClientCredentials {
                caller: Some(supplied),
                ..
            } => Some(expand_method(scheme, supplied, true)),
            _ => None,
        })
        .collect();
    let builder = (!methods.is_empty()).then(|| {
        quote! {
            /// One method per security scheme whose credentials the caller supplies, named
            /// after the scheme. Configure as many as you have: each operation uses the first
            /// alternative of its security requirement whose schemes all have credentials.
            impl crate::ClientBuilder {
                #(#methods)*
            }
        }
    });
    let list = |wanted: fn(&SecuritySchemeKind) -> bool| -> Vec<&str> {
        api.security_schemes
            .iter()
            .filter(|s| wanted(&s.kind))
            .map(|s| s.api_name.as_str())
            .collect()
    };
    let digest = list(|kind| matches!(kind, SecuritySchemeKind::Digest));
    let digest = (!digest.is_empty()).then(|| {
        quote! {
            /// The HTTP Digest schemes, which `ClientBuilder::digest_auth` configures.
            pub(crate) const DIGEST_SCHEMES: &[&str] = &[#(#digest),*];
        }
    });
    let client_credentials =
        list(|kind| matches!(kind, SecuritySchemeKind::ClientCredentials { .. }));
    let client_credentials = (!client_credentials.is_empty()).then(|| {
        quote! {
            /// The OAuth 2.0 client-credentials schemes, which
            /// `ClientBuilder::service_account` configures.
            pub(crate) const CLIENT_CREDENTIALS_SCHEMES: &[&str] = &[#(#client_credentials),*];
        }
    });
    quote! {
        //! How credentials are configured: a `ClientBuilder` method per security scheme.
        #builder
        #digest
        #client_credentials
    }
}

/// The requirement an operation is sent with (its own, else the API's): alternatives,
/// each a list of scheme names.
pub(super) fn requirement(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.as_ref().unwrap_or(&api.security);
    let alternatives = alternatives.iter().map(|r| {
        let schemes = &r.schemes;
        quote! { &[#(#schemes),*] }
    });
    quote! { &[#(#alternatives),*] }
}

fn expand_method(scheme: &SecurityScheme, supplied: &Supplied, alternative: bool) -> TokenStream {
    let name = &scheme.api_name;
    let method = super::ident(&supplied.method);
    let mut text = String::new();
    if let Some(description) = &scheme.description {
        text.push_str(description);
    }
    let mut lines = docs::lines(&text);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let shown = docs::code(name);
    let mut own = match &supplied.credential {
        Credential::Basic => format!(
            "The {shown} scheme: HTTP basic authentication, sent as `Authorization: Basic` with the username and password encoded."
        ),
        Credential::ApiKey {
            name: key,
            location,
        } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query parameter",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!(
                "The {shown} scheme: an API key, sent as the {} {place}.",
                docs::code(key)
            )
        }
        Credential::Token { prefix, origin } => {
            let what = match origin {
                TokenOrigin::Http {
                    format: Some(format),
                } => {
                    format!("a token ({})", docs::code(format))
                }
                TokenOrigin::Http { format: None } => "a token".to_owned(),
                TokenOrigin::OAuth2 { flows } if flows.is_empty() => {
                    "an OAuth 2.0 access token".to_owned()
                }
                TokenOrigin::OAuth2 { flows } => format!(
                    "an OAuth 2.0 access token from the {} flow{}, which the client cannot run itself",
                    flows
                        .iter()
                        .map(|f| docs::code(f))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    if flows.len() > 1 { "s" } else { "" }
                ),
                TokenOrigin::OpenIdConnect { url } => format!(
                    "an OpenID Connect access token (discovery at {}), which the client cannot obtain itself",
                    docs::code(url)
                ),
            };
            format!(
                "The {shown} scheme: {what}, sent as {}. `source` is asked before every attempt: a fixed token (`String`, [`Secret`](crate::Secret)), an async closure returning `Result<token, error>`, or [`token_fn`](crate::token_fn); see [`TokenSource`](crate::TokenSource).",
                docs::code(&format!("Authorization: {prefix} <token>"))
            )
        }
    };
    if alternative {
        own.push_str(
            " Use it instead of `service_account`, which runs the client-credentials flow.",
        );
    }
    lines.push(format!(" {own}"));
    let body = match &supplied.credential {
        Credential::Basic => quote! {
            pub fn #method(
                self,
                username: impl Into<String>,
                password: impl Into<crate::Secret>,
            ) -> Self {
                self.credential(#name, crate::auth::Credential::basic(username.into(), password.into()))
            }
        },
        Credential::ApiKey {
            name: key,
            location,
        } => {
            let location = match location {
                ApiKeyLocation::Header => quote! { Header },
                ApiKeyLocation::Query => quote! { Query },
                ApiKeyLocation::Cookie => quote! { Cookie },
            };
            quote! {
                pub fn #method(self, key: impl Into<crate::Secret>) -> Self {
                    self.credential(
                        #name,
                        crate::auth::Credential::api_key(crate::auth::ApiKeyLocation::#location, #key, key.into()),
                    )
                }
            }
        }
        Credential::Token { prefix, .. } => quote! {
            pub fn #method(self, source: impl crate::TokenSource) -> Self {
                self.credential(#name, crate::auth::Credential::token(#name, #prefix, source))
            }
        },
    };
    quote! {
        #(#[doc = #lines])*
        #body
    }
}
