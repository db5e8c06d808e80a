//! Lowering: an `openapiv3::OpenAPI` document to the IR.
//!
//! Two phases, so that references never depend on declaration order: first every
//! component schema gets a `TypeId` and its Rust name, then bodies are lowered and any
//! `$ref` is a lookup. Inline schemas that need a Rust type (objects, enums) are named
//! after where they stand (`{Parent}{Field}`), which is deterministic and readable.
//!
//! The policy: generate everything that is valid, decide what is ambiguous by a rule,
//! degrade what cannot be expressed, refuse only what cannot be repaired. A construct with
//! no Rust type becomes `serde_json::Value`, an operation whose parameters cannot be
//! expressed is left out, and a common defect is repaired; each is a [`Warning`] with its
//! JSON pointer, listed in the IR. Errors carry the JSON pointer of what caused them.
//!
//! Where each rule lives:
//!
//! | file | what it lowers or decides |
//! | --- | --- |
//! | `schemas.rs` | component and inline schemas: structs, fields, enums, scalars, constraints, fallbacks |
//! | `all_of.rs` | `allOf`: merged structs, a single part's own type, a union part flattened in |
//! | `unions.rs` | `oneOf`/`anyOf`, discriminators, variant names, nullable alternatives |
//! | `operations.rs` | operations, paths, request bodies, responses; skipped operations |
//! | `parameters.rs` | parameters, their argument names and validated types |
//! | `versions.rs` | one method per media-type version of an operation |
//! | `security.rs` | security schemes and requirements |
//! | `naming.rs` | names from the configuration, and the record of every rename (the rules are in `names.rs`) |
//! | `pagination.rs`, `error_codes.rs` | conventions from the configuration: page-number pagination, error codes |
//! | `alias_cycles.rs`, `boxing.rs`, `directions.rs` | passes over the finished IR, through [`TypeKind::refs`] |

mod alias_cycles;
mod all_of;
mod boxing;
mod directions;
mod error_codes;
mod naming;
mod operations;
mod pagination;
mod parameters;
mod schemas;
mod security;
mod unions;
mod versions;

use crate::config::SpecConfig;
use crate::error::{SpecError, join, pointer};
use crate::ir::*;
use crate::names::Scope;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use schemas::RefOr;
use std::collections::HashSet;

pub(crate) use operations::is_json;

type Result<T> = std::result::Result<T, SpecError>;

/// Lowers a parsed spec with the default configuration. The pointer of every error is
/// relative to the document root.
pub fn lower(spec: &OpenAPI) -> Result<Api> {
    lower_with(spec, &SpecConfig::default())
}

/// Lowers a parsed spec with the configuration beside it. Errors about the configuration
/// are already located in its file; the others carry a pointer into the spec.
pub fn lower_with(spec: &OpenAPI, config: &SpecConfig) -> Result<Api> {
    let mut lowerer = Lowerer {
        spec,
        config,
        types: Vec::new(),
        components: IndexMap::new(),
        scope: Scope::new(),
        parameter_types: IndexMap::new(),
        valid_patterns: HashSet::new(),
        namer: naming::Namer::new(config),
        warnings: Vec::new(),
    };
    lowerer.reserve_components()?;
    lowerer.lower_components()?;
    alias_cycles::check(&lowerer.types)?;
    let operations = lowerer.lower_operations()?;
    boxing::mark(&mut lowerer.types);
    directions::mark(&mut lowerer.types, &operations);
    error_codes::mark(&mut lowerer.types, &operations, &config.errors);
    lowerer.namer.check_all_used()?;

    let mut renames = lowerer.namer.into_renames();
    let security_schemes = security::schemes(spec, &mut lowerer.warnings, &mut renames)?;
    let security = security::resolve(spec, &security_schemes, &operations, &mut lowerer.warnings);
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: spec.servers.iter().map(|s| s.url.clone()).collect(),
        tags: spec
            .tags
            .iter()
            .filter_map(|t| {
                let description = t.description.as_ref()?.trim();
                (!description.is_empty()).then(|| Tag {
                    name: t.name.clone(),
                    description: description.to_owned(),
                })
            })
            .collect(),
        security_schemes,
        security,
        operations,
        types: lowerer.types,
        renames,
        warnings: lowerer.warnings,
        error_names: error_codes::names(&config.errors),
    })
}

struct Lowerer<'a> {
    spec: &'a OpenAPI,
    config: &'a SpecConfig,
    types: Vec<TypeDef>,
    /// Component schema name to its reserved id.
    components: IndexMap<String, TypeId>,
    /// Every Rust type name in the models module.
    scope: Scope,
    /// Validated parameter types by API name, each with its constraints, so that
    /// parameters spelled alike across operations share one type.
    parameter_types: IndexMap<String, Vec<(Constrained, TypeId)>>,
    /// Patterns already checked, so each distinct pattern compiles once.
    valid_patterns: HashSet<String>,
    namer: naming::Namer<'a>,
    warnings: Vec<Warning>,
}

impl<'a> Lowerer<'a> {
    /// Records a warning, once: a schema lowered twice (a component, and a part merged
    /// into an `allOf`) says it once.
    fn warn(
        &mut self,
        kind: WarningKind,
        origin: &str,
        message: impl Into<String>,
        action: impl Into<String>,
    ) {
        let warning = Warning {
            kind,
            origin: origin.to_owned(),
            message: message.into(),
            action: action.into(),
        };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// A schema the generator cannot express: `serde_json::Value`, with a warning.
    fn fallback(&mut self, origin: &str, message: impl Into<String>) -> TypeRef {
        self.warn(
            WarningKind::Fallback,
            origin,
            message,
            "its values are `serde_json::Value`",
        );
        TypeRef::Any
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
    /// (allOf merging, union alternatives), with the pointer of that schema.
    fn resolve(&self, schema: &RefOr<'a>, origin: &str) -> Result<(&'a Schema, String)> {
        let spec: &'a OpenAPI = self.spec;
        // Follows a chain of references; a chain that comes back on itself never ends in
        // a schema.
        let mut current = (schema.clone(), origin.to_owned());
        let mut seen: Vec<String> = Vec::new();
        loop {
            let reference = match &current.0 {
                ReferenceOr::Item(schema) => return Ok((*schema, current.1)),
                ReferenceOr::Reference { reference } => reference.clone(),
            };
            self.reference(&reference, &current.1)?;
            if seen.contains(&reference) {
                return Err(SpecError::at(
                    join(&current.1, "$ref"),
                    format!(
                        "the reference `{reference}` leads back to itself without reaching a schema"
                    ),
                ));
            }
            let name = unescape(reference.trim_start_matches("#/components/schemas/"));
            let target = spec.components.as_ref().and_then(|c| c.schemas.get(&name));
            match target {
                Some(target) => current = (view(target), pointer(["components", "schemas", &name])),
                None => {
                    return Err(SpecError::at(
                        &current.1,
                        format!("unresolvable reference `{reference}`"),
                    ));
                }
            }
            seen.push(reference);
        }
    }
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
