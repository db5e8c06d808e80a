//! Cargo features per tag: which items of the generated crate each feature compiles.
//!
//! A spec with more than one tag gets one feature per tag (`legacy-backup` for the tag
//! `Legacy Backup`) and `full` for them all, the default. An operation is compiled with
//! any of its tags' features (an operation without tags always is). A named type is
//! compiled with any of the features of the tags whose operations reach it (through
//! bodies, parameters, pagination items and then the types' own references); a type that
//! every tag reaches, or an untagged operation, or that the crate root names, is always
//! compiled, and one that no operation reaches only with `full`. A type is reached by at
//! least the tags of every type that refers to it, so whenever a type is compiled, so is
//! every type it names.
//!
//! The decision is made here, once; [`Gates::apply`] puts the `#[cfg]` on the emitted
//! items of `models.rs`, `operations.rs` and `cli.rs` by their names.

use crate::ir::{Api, TypeId, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The feature that enables every tag's.
const FULL: &str = "full";

/// The features of a crate and which items each gates.
#[derive(Debug, Clone, PartialEq)]
pub struct Gates {
    /// Each feature name, and the spec tags it stands for, in feature-name order.
    pub features: Vec<(String, Vec<String>)>,
    /// Per type (indexed like `Api::types`): the features any of which compiles it,
    /// `None` when always on.
    pub types: Vec<Option<Vec<String>>>,
    /// Per operation: the features any of which compiles it, `None` when always on.
    pub operations: Vec<Option<Vec<String>>>,
}

/// Which file a run of items belongs to, for [`Gates::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Models,
    Operations,
    Cli,
}

/// A tag's feature name: kebab case (`Legacy Backup` is `legacy-backup`); a name Cargo
/// or the crate already uses (`cli`, `full`, `default`) gets a `tag-` prefix.
pub fn feature_name(tag: &str) -> String {
    let name = crate::names::snake(tag);
    let name = crate::names::unraw(&name)
        .trim_matches('_')
        .replace('_', "-");
    match name.as_str() {
        "" => "tag-default".to_owned(),
        "cli" | "full" | "default" => format!("tag-{name}"),
        _ => name,
    }
}

/// The crate's features, or `None` for a spec with fewer than two tags: its crate has
/// nothing worth leaving out.
pub fn plan(api: &Api) -> Option<Gates> {
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &api.operations {
        for tag in &op.tags {
            let tags = features.entry(feature_name(tag)).or_default();
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
    }
    if features.len() < 2 {
        return None;
    }
    // Who reaches each type: a feature name, or `None` for something always compiled.
    let mut reached: Vec<BTreeSet<Option<String>>> = vec![BTreeSet::new(); api.types.len()];
    let operations: Vec<Option<Vec<String>>> = api
        .operations
        .iter()
        .map(|op| {
            let names: BTreeSet<String> = op.tags.iter().map(|t| feature_name(t)).collect();
            (!names.is_empty()).then(|| names.into_iter().collect())
        })
        .collect();
    for (op, gate) in api.operations.iter().zip(&operations) {
        let roots = super::operation_type_refs(op);
        let reachers: Vec<Option<String>> = match gate {
            Some(names) => names.iter().cloned().map(Some).collect(),
            None => vec![None],
        };
        for reacher in reachers {
            let mut stack: Vec<TypeId> = roots.iter().flat_map(|ty| named_in(ty)).collect();
            walk(api, &mut reached, &mut stack, &reacher);
        }
    }
    // No operation reaches these: nothing a subset of tags calls needs them, so they
    // come with `full`.
    let unreached: Vec<TypeId> = (0..api.types.len())
        .map(TypeId)
        .filter(|id| reached[id.0].is_empty())
        .collect();
    let full = Some(FULL.to_owned());
    for id in unreached {
        walk(api, &mut reached, &mut vec![id], &full);
    }
    // The crate root's `Result` alias names the most common error type.
    for id in super::krate::result_error(api) {
        walk(api, &mut reached, &mut vec![id], &None);
    }
    let types = reached
        .into_iter()
        .map(|set| {
            let mut names: Vec<String> = set.into_iter().collect::<Option<_>>()?;
            // `full` enables every tag's feature: with a tag beside it, it adds nothing.
            if names.len() > 1 {
                names.retain(|name| name != FULL);
            }
            (names.len() < features.len()).then_some(names)
        })
        .collect();
    Some(Gates {
        features: features.into_iter().collect(),
        types,
        operations,
    })
}

/// Marks every type reachable from `stack` as reached by `reacher`.
fn walk(
    api: &Api,
    reached: &mut [BTreeSet<Option<String>>],
    stack: &mut Vec<TypeId>,
    reacher: &Option<String>,
) {
    while let Some(id) = stack.pop() {
        if reached[id.0].insert(reacher.clone()) {
            for (_, ty) in api.type_def(id).kind.refs() {
                stack.extend(named_in(ty));
            }
        }
    }
}

fn named_in(ty: &TypeRef) -> Option<TypeId> {
    ty.innermost().direct()
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
pub fn cfg(features: &[String]) -> TokenStream {
    match features {
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(any(#(feature = #many),*))] },
    }
}

impl Gates {
    /// The `[features]` lines of `Cargo.toml` for the tags.
    pub fn manifest(&self) -> String {
        let mut out = String::from(
            "# One feature per tag: `default-features = false, features = [\"<tag>\", ...]`\n# compiles only the operations of those tags and the types they use.\ndefault = [\"full\"]\n",
        );
        let names: Vec<String> = self
            .features
            .iter()
            .map(|(name, _)| format!("\"{name}\""))
            .collect();
        out.push_str(&format!("full = [{}]\n", names.join(", ")));
        for (name, tags) in &self.features {
            let tags: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
            out.push_str(&format!("# Tag {}.\n{name} = []\n", tags.join(", ")));
        }
        out
    }

    /// The cfg attribute of operation `index`, if it has one.
    pub fn operation(&self, index: usize) -> Option<TokenStream> {
        self.operations[index].as_deref().map(cfg)
    }

    /// The names each gated item of `module` is known by, with its features: made once
    /// per module and shared by the parts of its file, which [`Names::apply`] gates.
    pub fn names(&self, api: &Api, module: Module) -> Names<'_> {
        let mut names = BTreeMap::new();
        match module {
            Module::Models => {
                for (def, gate) in api.types.iter().zip(&self.types) {
                    if let Some(features) = gate {
                        names.insert(def.rust_name.clone(), features.as_slice());
                    }
                }
            }
            Module::Operations => {
                let locals = super::operations::locals(api);
                for ((op, locals), gate) in api.operations.iter().zip(locals).zip(&self.operations)
                {
                    let Some(features) = gate else {
                        continue;
                    };
                    let mut own = vec![op.builder_name.clone(), op.rust_name.clone()];
                    own.extend(locals.params.iter().map(ToString::to_string));
                    own.extend(locals.body.iter().map(ToString::to_string));
                    own.extend(locals.multipart.iter().flatten().map(ToString::to_string));
                    for name in own {
                        names.insert(crate::names::unraw(&name).to_owned(), features.as_slice());
                    }
                }
            }
            Module::Cli => {
                for (index, gate) in self.operations.iter().enumerate() {
                    if let Some(features) = gate {
                        names.insert(format!("run_{index}"), features.as_slice());
                    }
                }
            }
        }
        Names { module, names }
    }

    /// Puts each item's cfg on the items of a part of `module` (see [`Names::apply`]).
    pub fn apply(&self, api: &Api, module: Module, file: &mut syn::File) {
        self.names(api, module).apply(file);
    }
}

/// The gated items of one module, by name, with the features any of which compiles each.
#[derive(Debug)]
pub struct Names<'g> {
    module: Module,
    names: BTreeMap<String, &'g [String]>,
}

impl Names<'_> {
    /// Puts each item's cfg on the items of a part of the module: an item by its name, an
    /// impl by its type's, and a method of `impl crate::Client` by the operation's.
    pub fn apply(&self, file: &mut syn::File) {
        let module = self.module;
        // Each cfg is parsed once per part; its items take copies.
        let mut made: BTreeMap<&[String], Vec<syn::Attribute>> = BTreeMap::new();
        let mut attrs_for = |name: &str| -> Option<Vec<syn::Attribute>> {
            let features: &[String] = self.names.get(name)?;
            if let Some(attrs) = made.get(features) {
                return Some(attrs.clone());
            }
            let attrs =
                syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg(features)).ok()?;
            made.insert(features, attrs.clone());
            Some(attrs)
        };
        for item in &mut file.items {
            let (name, attrs) = match item {
                syn::Item::Struct(i) => (i.ident.to_string(), &mut i.attrs),
                syn::Item::Enum(i) => (i.ident.to_string(), &mut i.attrs),
                syn::Item::Type(i) => (i.ident.to_string(), &mut i.attrs),
                syn::Item::Fn(i) => (i.sig.ident.to_string(), &mut i.attrs),
                syn::Item::Const(i) => (i.ident.to_string(), &mut i.attrs),
                syn::Item::Static(i) => (i.ident.to_string(), &mut i.attrs),
                // A runtime macro defining a type or implementing its traits: the cfg goes
                // on the call, which gates everything it makes.
                syn::Item::Macro(i) => match macro_type_name(&i.mac.tokens) {
                    Some(name) => (name, &mut i.attrs),
                    None => continue,
                },
                syn::Item::Impl(i) => {
                    let name = self_name(&i.self_ty);
                    if name == "Client" && module == Module::Operations {
                        for member in &mut i.items {
                            if let syn::ImplItem::Fn(f) = member
                                && let Some(gate) =
                                    attrs_for(crate::names::unraw(&f.sig.ident.to_string()))
                            {
                                insert(&mut f.attrs, gate);
                            }
                        }
                        continue;
                    }
                    (name, &mut i.attrs)
                }
                _ => continue,
            };
            if let Some(gate) = attrs_for(crate::names::unraw(&name)) {
                insert(attrs, gate);
            }
        }
    }
}

/// A whole module's tokens with [`Gates::apply`] applied, for a spec that has features:
/// what the parts of the module, gated one by one, add up to.
pub fn gated(api: &Api, module: Module, tokens: TokenStream) -> TokenStream {
    let Some(gates) = plan(api) else {
        return tokens;
    };
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(mut file) => {
            gates.apply(api, module, &mut file);
            quote! { #file }
        }
        // Not Rust: left for the renderer to report.
        Err(_) => tokens,
    }
}

/// The type a runtime macro call is about: its first name (`Pet` of
/// `constrained_string!(Pet)`), after any attributes and `pub enum` (`Size` of
/// `open_str_enum! { /// docs pub enum Size { .. } }`).
fn macro_type_name(tokens: &TokenStream) -> Option<String> {
    let mut tokens = tokens.clone().into_iter();
    while let Some(token) = tokens.next() {
        match token {
            // An attribute: `#` and its brackets.
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {
                tokens.next();
            }
            proc_macro2::TokenTree::Ident(name) if name == "pub" || name == "enum" => {}
            proc_macro2::TokenTree::Ident(name) => return Some(name.to_string()),
            _ => return None,
        }
    }
    None
}

/// The last name in an impl's type (`Pet` of `impl crate::ErrorBody for Pet`).
fn self_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The cfg after the docs, where a reader looks for it.
fn insert(attrs: &mut Vec<syn::Attribute>, gate: Vec<syn::Attribute>) {
    let at = attrs
        .iter()
        .position(|a| !a.path().is_ident("doc"))
        .unwrap_or(attrs.len());
    attrs.splice(at..at, gate);
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_are_kebab_case_and_clear_of_the_crate_own() {
        assert_eq!(feature_name("Legacy Backup"), "legacy-backup");
        assert_eq!(feature_name("clusters"), "clusters");
        assert_eq!(feature_name("AWS Clusters DNS"), "aws-clusters-dns");
        assert_eq!(feature_name("cli"), "tag-cli");
        assert_eq!(feature_name("Full"), "tag-full");
    }
}
