//! A readable summary of what a generated client offers, for snapshot review.
//!
//! A spec upgrade changes thousands of generated lines; this summary changes by one line
//! per operation or type added, removed or renamed, so the diff of its snapshot is where a
//! maintainer starts reviewing. It ends with every decision made on the spec's behalf:
//! each name that is not the plain spelling of its API name, and each warning (fallback
//! types, skipped operations, repaired defects).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::{
    Api, Credential, Rename, SecurityRequirement, SecuritySchemeKind, Supplied, TokenOrigin,
    TypeKind,
};

/// Alternatives as `A | B + C`; `none` for no credentials, `anonymous` for `{}`.
fn requirements(requirements: &[SecurityRequirement]) -> String {
    if requirements.is_empty() {
        return "none".to_owned();
    }
    requirements
        .iter()
        .map(|r| {
            if r.schemes.is_empty() {
                "anonymous".to_owned()
            } else {
                r.schemes.join(" + ")
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Counts first, then one line per security scheme, operation and type, in IR order.
pub fn summary(api: &Api) -> String {
    let mut out = header(api);
    let _ = writeln!(out, "\nsecurity:");
    for scheme in &api.security_schemes {
        let supplied = |s: &Supplied| {
            let what = match &s.credential {
                Credential::Basic => "http basic".to_owned(),
                Credential::ApiKey { name, location } => {
                    format!("api key {name} in {location:?}")
                }
                Credential::Token { prefix, origin } => match origin {
                    TokenOrigin::Http { .. } => format!("http token, `{prefix} <token>`"),
                    TokenOrigin::OAuth2 { flows } => {
                        format!("oauth2 token ({})", flows.join(", "))
                    }
                    TokenOrigin::OpenIdConnect { url } => format!("openIdConnect token, {url}"),
                },
            };
            format!("{what}, `{}`", s.method)
        };
        let kind = match &scheme.kind {
            SecuritySchemeKind::Digest => "http digest, `digest_auth`".to_owned(),
            SecuritySchemeKind::ClientCredentials { token_url, caller } => {
                let mut kind =
                    format!("oauth2 client credentials, token {token_url}, `service_account`");
                if let Some(caller) = caller {
                    kind.push_str("; or ");
                    kind.push_str(&supplied(caller));
                }
                kind
            }
            SecuritySchemeKind::Supplied(s) => supplied(s),
        };
        let _ = writeln!(out, "  {}: {kind}", scheme.api_name);
    }
    if !api.security.is_empty() {
        let _ = writeln!(out, "  required: {}", requirements(&api.security));
    }

    let _ = writeln!(out, "\noperations:");
    for op in &api.operations {
        let mut notes = Vec::new();
        if op.deprecated {
            notes.push("deprecated".to_owned());
        }
        if op.pagination.is_some() {
            notes.push("paginated".to_owned());
        }
        if let Some(version) = &op.version {
            notes.push(version.clone());
        }
        if let Some(security) = &op.security {
            notes.push(format!("security: {}", requirements(security)));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join(", "))
        };
        let _ = writeln!(
            out,
            "  {} {} -> {}{notes}",
            op.method.as_str(),
            op.path,
            op.rust_name
        );
    }

    let _ = writeln!(out, "\ntypes:");
    for def in &api.types {
        let detail = match &def.kind {
            TypeKind::Struct(s) => format!("{} fields", s.fields.len()),
            TypeKind::Enum(e) => format!("{} values", e.variants.len()),
            TypeKind::Union(u) => match &u.discriminator {
                Some(property) => format!("{} variants tagged by {property}", u.variants.len()),
                None => format!("{} variants", u.variants.len()),
            },
            TypeKind::Constrained(c) => format!("{:?}", c.base),
            TypeKind::Alias(_) => "alias".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {} {} ({detail})",
            kind_name(&def.kind),
            def.rust_name
        );
    }

    out.push_str(&decisions_list(api));
    out
}

/// The title, and how many operations, types, renames and warnings there are.
fn header(api: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", api.title, api.version);

    let mut methods: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &api.operations {
        *methods.entry(op.method.as_str()).or_default() += 1;
    }
    let methods: Vec<String> = methods.iter().map(|(m, n)| format!("{m} {n}")).collect();
    let count = |f: &dyn Fn(&crate::ir::Operation) -> bool| {
        api.operations.iter().filter(|op| f(op)).count()
    };
    let _ = writeln!(
        out,
        "operations: {} ({}); deprecated {}, paginated {}, versioned {}",
        api.operations.len(),
        methods.join(", "),
        count(&|op| op.deprecated),
        count(&|op| op.pagination.is_some()),
        count(&|op| op.version.is_some()),
    );
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for def in &api.types {
        *kinds.entry(kind_name(&def.kind)).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(out, "types: {} ({})", api.types.len(), kinds.join(", "));
    let _ = writeln!(out, "{}", counts(api));

    out
}

/// `renames: N; warnings: N (fallback N, repaired N, skipped N)`.
fn counts(api: &Api) -> String {
    let mut warnings: BTreeMap<&str, usize> = BTreeMap::new();
    for warning in &api.warnings {
        *warnings.entry(warning.kind.as_str()).or_default() += 1;
    }
    let warnings: Vec<String> = warnings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!(
        "renames: {}; warnings: {}{}",
        api.renames.len(),
        api.warnings.len(),
        if warnings.is_empty() {
            String::new()
        } else {
            format!(" ({})", warnings.join(", "))
        }
    )
}

/// What the generator decided on the spec's behalf, and nothing else: the counts, then
/// every rename and every warning. For specs whose whole summary would be too long to
/// review (the public corpus).
pub fn decisions(api: &Api) -> String {
    let mut out = header(api);
    out.push_str(&decisions_list(api));
    out
}

/// The renames and warnings, each under its heading when there is any.
fn decisions_list(api: &Api) -> String {
    let mut out = String::new();
    if !api.renames.is_empty() {
        let _ = writeln!(out, "\nrenames:");
    }
    for rename in &api.renames {
        let _ = writeln!(out, "  {}", rename_line(rename));
    }
    if !api.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
    }
    for warning in &api.warnings {
        let _ = writeln!(
            out,
            "  {} #{}: {}; {}",
            warning.kind.as_str(),
            warning.origin,
            warning.message,
            warning.action
        );
    }
    out
}

/// One rename as a line: `field #/pointer: auth_time -> auth_time_2 (why)`.
pub fn rename_line(rename: &Rename) -> String {
    format!(
        "{} #{}: {} -> {} ({})",
        rename.kind.as_str(),
        rename.origin,
        crate::names::unraw(&rename.plain),
        crate::names::unraw(&rename.rust_name),
        rename.reason
    )
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Constrained(_) => "validated",
        TypeKind::Alias(_) => "alias",
    }
}
