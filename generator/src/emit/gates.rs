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
//! The decision is made here, once, and applied to the emitted items by their names:
//! [`Names::split`] moves the items of `models.rs` and `operations.rs` that one feature
//! compiles to that feature's module (`src/models/clusters.rs`, declared in `models.rs` as
//! `#[cfg(feature = "clusters")] mod clusters;` and re-exported from it, so every path
//! stays the same), and puts the `#[cfg]` on those that several features compile;
//! [`Names::apply`] puts the `#[cfg]` on the items of `cli.rs`.

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

/// Which file a run of items belongs to, for [`Gates::names`].
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
    /// per module and shared by the parts of its file, which [`Names::split`] (or, for
    /// `cli.rs`, [`Names::apply`]) gates.
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
}

/// The gated items of one module, by name, with the features any of which compiles each.
#[derive(Debug)]
pub struct Names<'g> {
    module: Module,
    names: BTreeMap<String, &'g [String]>,
}

impl<'g> Names<'g> {
    /// The module whose items these are.
    pub fn module(&self) -> Module {
        self.module
    }

    /// The features whose modules this module has: those that alone compile an item of
    /// it, in name order. None for `cli.rs`, whose items all stay in it.
    pub fn modules(&self) -> Vec<&'g str> {
        if self.module == Module::Cli {
            return Vec::new();
        }
        let set: BTreeSet<&'g str> = self
            .names
            .values()
            .filter_map(|features| match features {
                [one] => Some(one.as_str()),
                _ => None,
            })
            .collect();
        set.into_iter().collect()
    }

    /// Puts each item's cfg on the items of a part of the module: an item by its name, an
    /// impl by its type's, and a method of `impl crate::Client` by the operation's.
    pub fn apply(&self, file: &mut syn::File) {
        let mut cfgs = Cfgs::default();
        for item in &mut file.items {
            if let Some(client) = self.client_impl(item) {
                for member in &mut client.items {
                    if let syn::ImplItem::Fn(f) = member
                        && let Some(features) = self.features(&f.sig.ident.to_string())
                    {
                        insert(&mut f.attrs, cfgs.get(features));
                    }
                }
                continue;
            }
            if let Some((name, attrs)) = named(item)
                && let Some(features) = self.features(&name)
            {
                insert(attrs, cfgs.get(features));
            }
        }
    }

    /// Splits a part of `models.rs` or `operations.rs` by the file each item goes to: an
    /// item that one feature compiles to that feature's module (`Some(feature)`), the rest
    /// to the module's own file (`None`, first), with the cfg of an item several features
    /// compile. An `impl crate::Client` is split by its methods. With `declare`, the
    /// module's own file declares the features' modules too, after its leading imports and
    /// macros (which the modules then see, as `shared_setters!`).
    pub fn split(&self, file: syn::File, declare: bool) -> Vec<(Option<&'g str>, syn::File)> {
        let mut cfgs = Cfgs::default();
        let mut own = Vec::new();
        let mut moved: BTreeMap<&'g str, Vec<syn::Item>> = BTreeMap::new();
        for mut item in file.items {
            if let Some(client) = self.client_impl(&mut item) {
                let mut methods: BTreeMap<&'g str, Vec<syn::ImplItem>> = BTreeMap::new();
                let mut kept = Vec::new();
                for mut member in std::mem::take(&mut client.items) {
                    let features = match &member {
                        syn::ImplItem::Fn(f) => self.features(&f.sig.ident.to_string()),
                        _ => None,
                    };
                    match (features, &mut member) {
                        (Some([one]), _) => methods.entry(one).or_default().push(member),
                        (Some(many), syn::ImplItem::Fn(f)) => {
                            insert(&mut f.attrs, cfgs.get(many));
                            kept.push(member);
                        }
                        _ => kept.push(member),
                    }
                }
                for (feature, members) in methods {
                    let mut part = client.clone();
                    part.items = members;
                    moved
                        .entry(feature)
                        .or_default()
                        .push(syn::Item::Impl(part));
                }
                if !kept.is_empty() {
                    client.items = kept;
                    own.push(item);
                }
                continue;
            }
            let features = named(&mut item).and_then(|(name, _)| self.features(&name));
            match features {
                Some([one]) => moved.entry(one).or_default().push(item),
                Some(many) => {
                    if let Some((_, attrs)) = named(&mut item) {
                        insert(attrs, cfgs.get(many));
                    }
                    own.push(item);
                }
                None => own.push(item),
            }
        }
        if declare {
            let at = own
                .iter()
                .position(|item| match item {
                    syn::Item::Use(_) => false,
                    syn::Item::Macro(m) => !m.mac.path.is_ident("macro_rules"),
                    _ => true,
                })
                .unwrap_or(own.len());
            let declarations = syn::parse2::<syn::File>(declarations(&self.modules()))
                .map(|file| file.items)
                .unwrap_or_default();
            own.splice(at..at, declarations);
        }
        let file_of = |items| syn::File {
            shebang: None,
            attrs: Vec::new(),
            items,
        };
        let mut out = vec![(None, syn::File { items: own, ..file })];
        out.extend(
            moved
                .into_iter()
                .map(|(feature, items)| (Some(feature), file_of(items))),
        );
        out
    }

    /// The features of a gated item, by its name (raw or not).
    fn features(&self, name: &str) -> Option<&'g [String]> {
        self.names.get(crate::names::unraw(name)).copied()
    }

    /// The item as the `impl crate::Client` of `operations.rs`, whose methods are gated
    /// one by one.
    fn client_impl<'i>(&self, item: &'i mut syn::Item) -> Option<&'i mut syn::ItemImpl> {
        match item {
            syn::Item::Impl(i)
                if self.module == Module::Operations
                    && i.trait_.is_none()
                    && self_name(&i.self_ty) == "Client" =>
            {
                Some(i)
            }
            _ => None,
        }
    }
}

/// Each cfg attribute parsed once per part; its items take copies.
#[derive(Default)]
struct Cfgs<'g> {
    made: BTreeMap<&'g [String], Vec<syn::Attribute>>,
}

impl<'g> Cfgs<'g> {
    fn get(&mut self, features: &'g [String]) -> Vec<syn::Attribute> {
        self.made
            .entry(features)
            .or_insert_with(|| {
                syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg(features))
                    .unwrap_or_default()
            })
            .clone()
    }
}

/// The name an item is gated by, with its attributes: an item's own name, an impl's
/// type's, and the type a runtime macro call defines or implements traits for.
fn named(item: &mut syn::Item) -> Option<(String, &mut Vec<syn::Attribute>)> {
    Some(match item {
        syn::Item::Struct(i) => (i.ident.to_string(), &mut i.attrs),
        syn::Item::Enum(i) => (i.ident.to_string(), &mut i.attrs),
        syn::Item::Type(i) => (i.ident.to_string(), &mut i.attrs),
        syn::Item::Fn(i) => (i.sig.ident.to_string(), &mut i.attrs),
        syn::Item::Const(i) => (i.ident.to_string(), &mut i.attrs),
        syn::Item::Static(i) => (i.ident.to_string(), &mut i.attrs),
        // A runtime macro defining a type or implementing its traits: the cfg goes on the
        // call, which gates everything it makes.
        syn::Item::Macro(i) => (macro_type_name(&i.mac.tokens)?, &mut i.attrs),
        syn::Item::Impl(i) => (self_name(&i.self_ty), &mut i.attrs),
        _ => return None,
    })
}

/// A feature's module name: the feature's in snake case (`legacy_backup`), with a `tag_`
/// prefix where that is not a plain identifier or is a name the generated code uses
/// (`models`, a dependency).
pub fn module_name(feature: &str) -> String {
    const TAKEN: &[&str] = &[
        "models",
        "operations",
        "crate",
        "self",
        "super",
        "std",
        "core",
        "alloc",
        "bytes",
        "chrono",
        "futures_core",
        "futures_util",
        "getrandom",
        "httpdate",
        "md5",
        "percent_encoding",
        "regress",
        "reqwest",
        "serde",
        "serde_json",
        "serde_path_to_error",
        "sha2",
        "tokio",
        "toml",
        "tracing",
        "uuid",
    ];
    let name = feature.replace('-', "_");
    let plain = syn::parse_str::<syn::Ident>(&name).is_ok() && !TAKEN.contains(&name.as_str());
    if plain { name } else { format!("tag_{name}") }
}

/// The declarations of the features' modules in their parent: each module behind its
/// feature, its items re-exported, so that they are named as if the parent defined them.
pub fn declarations(features: &[&str]) -> TokenStream {
    let items = features.iter().map(|feature| {
        let module = quote::format_ident!("{}", module_name(feature));
        quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    quote! { #(#items)* }
}

impl Gates {
    /// The opening of a feature's module file of `models.rs` or `operations.rs`, as
    /// unformatted text: docs naming its tags, with their descriptions, and the parent's
    /// items in scope (the types of several features, the constraint checks, `models`).
    /// The import is written whether or not the module names any of them (allowed to go
    /// unused): only the items' resolution knows that, and a guess from their text took a
    /// variant spelled like a type for a use of it.
    pub fn module_head(&self, api: &Api, module: Module, feature: &str) -> String {
        let tags = self
            .features
            .iter()
            .find(|(name, _)| name == feature)
            .map_or(&[][..], |(_, tags)| tags.as_slice());
        let mut docs = if tags.is_empty() {
            format!("The types that no operation uses, compiled with the feature `{feature}`.")
        } else {
            let tags: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
            let tags = tags.join(", ");
            match module {
                Module::Operations => format!(
                    "The operations of the tag {tags}, compiled with the feature `{feature}`."
                ),
                _ => format!(
                    "The types that only operations of the tag {tags} use, compiled with the feature `{feature}`."
                ),
            }
        };
        for tag in api.tags.iter().filter(|t| tags.contains(&t.name)) {
            docs.push_str("\n\n");
            docs.push_str(&tag.description);
        }
        let mut out = String::new();
        for line in super::docs::lines(&docs) {
            out.push_str("//!");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push_str(
            "#[allow(unused_imports, reason = \"not every tag's module names its parent's items\")]\nuse super::*;\n",
        );
        out
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
