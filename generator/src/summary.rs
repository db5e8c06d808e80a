//! A readable summary of what a generated client offers, for snapshot review.
//!
//! A spec upgrade changes thousands of generated lines; this summary changes by one line
//! per operation or type added, removed or renamed, so the diff of its snapshot is where a
//! maintainer starts reviewing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::{Api, SecuritySchemeKind, TypeKind};

/// Counts first, then one line per security scheme, operation and type, in IR order.
pub fn summary(api: &Api) -> String {
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

    let _ = writeln!(out, "\nsecurity:");
    for scheme in &api.security_schemes {
        let kind = match &scheme.kind {
            SecuritySchemeKind::Http { scheme } => format!("http {scheme}"),
            SecuritySchemeKind::ApiKey { name, location } => {
                format!("api key {name} in {location:?}")
            }
            SecuritySchemeKind::OAuth2ClientCredentials { token_url, .. } => {
                format!("oauth2 client credentials, token {token_url}")
            }
            SecuritySchemeKind::Other { kind } => kind.clone(),
        };
        let _ = writeln!(out, "  {}: {kind}", scheme.api_name);
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
    out
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
