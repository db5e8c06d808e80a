//! Names chosen in the configuration beside the spec, and the record of every rename.
//!
//! The rules that decide between items that want one name are in `crate::names`. This
//! applies a maintainer's names first (keyed by the JSON pointer of what they name),
//! checks that each is a name of the right case and that every one is used, and turns
//! every name that is not the plain spelling of its API name into a [`Rename`].

use std::collections::{BTreeMap, BTreeSet};

use super::Result;
use crate::config::SpecConfig;
use crate::ir::{NameKind, Rename};
use crate::names::{self, Claim, Scope, rank};

pub(super) struct Namer<'c> {
    config: &'c SpecConfig,
    /// Configuration entries (and which part of each) that named something.
    used: BTreeSet<(String, Part)>,
    /// The configuration key of each configured item, by the item's pointer.
    keys: BTreeMap<String, String>,
    renames: Vec<Rename>,
}

impl<'c> Namer<'c> {
    pub fn new(config: &'c SpecConfig) -> Self {
        Namer {
            config,
            used: BTreeSet::new(),
            keys: BTreeMap::new(),
            renames: Vec::new(),
        }
    }

    /// The claim with the name the configuration gives the item at its origin (or at
    /// `also`, where the item is declared too, such as a parameter in
    /// `components/parameters`), which then never yields.
    ///
    /// Where a property or a union alternative is written inline, its pointer names both
    /// the field or variant and the type of its schema: a plain name is the first, the
    /// `type:` of `{name, type}` the second. Elsewhere a type takes either.
    pub fn configure(&mut self, kind: NameKind, claim: Claim, also: Option<&str>) -> Result<Claim> {
        let shared = kind == NameKind::Type && shares_pointer(&claim.origin);
        let wanted = [Some(claim.origin.as_str()), also]
            .into_iter()
            .flatten()
            .find_map(|key| {
                let entry = self.config.names.get(key)?;
                let (name, part) = match (kind, shared, entry.type_name()) {
                    (NameKind::Type, _, Some(name)) => (Some(name), Part::Type),
                    (NameKind::Type, true, None) => (None, Part::Type),
                    _ => (entry.item(), Part::Item),
                };
                Some((key, name?, part))
            });
        let Some((key, wanted, part)) = wanted else {
            return Ok(claim);
        };
        let name = self.checked(kind, key, wanted)?;
        self.used.insert((key.to_owned(), part));
        self.keys.insert(claim.origin.clone(), key.to_owned());
        if name != claim.name {
            self.renames.push(Rename {
                kind,
                origin: claim.origin.clone(),
                plain: claim.name.clone(),
                rust_name: name.clone(),
                reason: "configured".to_owned(),
            });
        }
        Ok(Claim {
            name,
            rank: rank::CONFIGURED,
            ..claim
        })
    }

    /// Whether the configuration names the item (not its inline type) at `origin`.
    pub fn is_configured(&self, origin: &str) -> bool {
        self.keys.contains_key(origin)
    }

    /// A configured name as the generated code spells it, if it has the case its kind
    /// needs: `UpperCamelCase` for types and variants, `snake_case` for the rest (a keyword
    /// becomes a raw identifier).
    fn checked(&self, kind: NameKind, key: &str, wanted: &str) -> Result<String> {
        let camel = matches!(
            kind,
            NameKind::Type | NameKind::EnumValue | NameKind::UnionVariant | NameKind::CatchAll
        );
        let ascii = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let valid = if camel {
            wanted.starts_with(|c: char| c.is_ascii_uppercase())
                && wanted.chars().all(|c| c.is_ascii_alphanumeric())
        } else {
            wanted.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && wanted.chars().all(ascii)
                && !wanted.chars().any(|c| c.is_ascii_uppercase())
                && names::unraw(&names::snake(wanted)) == wanted
        };
        if !valid {
            let case = if camel {
                "an UpperCamelCase"
            } else {
                "a snake_case"
            };
            let example = if camel {
                names::camel(wanted)
            } else {
                names::unraw(&names::snake(wanted)).to_owned()
            };
            return Err(self.config.error(
                &self.config.name_pointer(key),
                format!(
                    "`{wanted}` cannot name the {} at #{key}: it must be {case} identifier, such as `{example}`",
                    kind.as_str()
                ),
            ));
        }
        if kind == NameKind::Type && names::type_name(wanted) != wanted {
            return Err(self.config.error(
                &self.config.name_pointer(key),
                format!(
                    "`{wanted}` cannot name the type at #{key}: the generated crate has an item of that name"
                ),
            ));
        }
        Ok(if camel {
            wanted.to_owned()
        } else {
            names::snake(wanted)
        })
    }

    /// Names a group of claims in `scope` (see [`Scope::resolve`]), recording each one that
    /// yields; a configured name that is taken is an error in the configuration.
    pub fn resolve(
        &mut self,
        scope: &mut Scope,
        claims: &[(NameKind, Claim)],
    ) -> Result<Vec<String>> {
        let only: Vec<&Claim> = claims.iter().map(|(_, c)| c).collect();
        let given = scope.resolve(&only);
        let mut out = Vec::with_capacity(given.len());
        for ((kind, claim), given) in claims.iter().zip(given) {
            if let Some(holder) = &given.yielded_to {
                if claim.rank == rank::CONFIGURED {
                    let key = self.keys.get(&claim.origin).unwrap_or(&claim.origin);
                    return Err(self.config.error(
                        &self.config.name_pointer(key),
                        format!(
                            "the {} name `{}` for #{} is taken by #{holder}",
                            kind.as_str(),
                            names::unraw(&claim.name),
                            claim.origin
                        ),
                    ));
                }
                self.renames.push(Rename {
                    kind: *kind,
                    origin: claim.origin.clone(),
                    plain: claim.name.clone(),
                    rust_name: given.name.clone(),
                    reason: format!("`{}` is #{holder}", names::unraw(&claim.name)),
                });
            }
            out.push(given.name);
        }
        Ok(out)
    }

    /// Names one claim against the names `scope` already has.
    pub fn claim(&mut self, scope: &mut Scope, kind: NameKind, claim: Claim) -> Result<String> {
        let mut names = self.resolve(scope, &[(kind, claim)])?;
        Ok(names.pop().unwrap_or_default())
    }

    /// Every name in the configuration must name something: a misspelt pointer would
    /// otherwise leave the name it meant to change as it was, unnoticed.
    pub fn check_all_used(&self) -> Result<()> {
        let unused = self.config.names.iter().find(|(key, entry)| {
            let given = [(entry.item(), Part::Item), (entry.type_name(), Part::Type)];
            given
                .into_iter()
                .any(|(name, part)| name.is_some() && !self.used.contains(&((*key).clone(), part)))
        });
        match unused.map(|(key, _)| key) {
            None => Ok(()),
            Some(key) => Err(self.config.error(
                &self.config.name_pointer(key),
                format!(
                    "#{key} names nothing the generator names: expected the JSON pointer of a schema, property, parameter, enum value, union alternative or operation in the spec (and `type:` only where an inline schema stands)"
                ),
            )),
        }
    }

    /// The renames, each once (a property merged into several `allOf` structs is named in
    /// each), in the order decided.
    pub fn into_renames(self) -> Vec<Rename> {
        let mut seen = BTreeSet::new();
        self.renames
            .into_iter()
            .filter(|r| seen.insert((r.origin.clone(), r.rust_name.clone())))
            .collect()
    }
}

/// Which of the names of a configuration entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Item,
    Type,
}

/// Whether the pointer of an inline schema is also the pointer of a field (a property's
/// schema) or a variant (a union alternative's schema).
fn shares_pointer(origin: &str) -> bool {
    let mut segments = origin.rsplit('/');
    let (_, parent) = (segments.next(), segments.next());
    matches!(parent, Some("properties" | "oneOf" | "anyOf"))
}
