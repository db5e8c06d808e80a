//! An OpenAPI 3.0 to Rust client generator.
//!
//! The pipeline is `load` (text to `openapiv3::OpenAPI`), `lower` (to the IR in `ir`),
//! `emit` (IR to token streams) and `render` (tokens to formatted text). The library does
//! no file IO: [`generate`] takes the spec's text and returns the crate as a sorted map of
//! relative paths to contents; writing them is the caller's business.

pub mod config;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod pattern;
pub mod render;
pub mod repair;
pub mod summary;

use emit::gates::Module;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use config::SpecConfig;
pub use error::{SpecError, Warning};

/// What to call the generated crate, how its files describe their origin, and the
/// configuration beside the spec.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The package name, such as `atlas-admin`.
    pub crate_name: String,
    pub crate_version: String,
    /// The spec's path as headers should show it, such as `specs/atlas-legacy-backup.yaml`.
    pub spec_path: String,
    /// The command that regenerates the files, named in every header.
    pub command: String,
    /// Extra `[dev-dependencies]` lines for the manifest, such as `tokio = "1"`.
    pub dev_dependencies: Vec<String>,
    /// Benchmarks kept beside the generated code (`benches/NAME.rs`), each declared with
    /// `harness = false` in the manifest.
    pub benches: Vec<String>,
    /// How many threads format the files: 0 for one per core. The output is the same
    /// whatever the number.
    pub threads: usize,
    /// The configuration beside the spec (names, conventions), parsed by [`config::parse`].
    pub spec_config: SpecConfig,
}

/// A generated crate: the IR it came from and its files.
#[derive(Debug)]
pub struct Generated {
    pub api: ir::Api,
    /// Everything the client does not do as the spec says (fallback types, skipped
    /// operations, repaired defects), located in the spec; also in `api.warnings`.
    pub warnings: Vec<Warning>,
    /// Relative path (with `/` separators) to file contents, in path order.
    pub files: BTreeMap<String, String>,
}

/// The support code shared by generated crates, copied as it is: the client and errors,
/// the auth hook and retries always, the rest when the spec needs it.
const RUNTIME: &str = include_str!("../support/runtime.rs");
const AUTH: &str = include_str!("../support/auth.rs");
const RETRY: &str = include_str!("../support/retry.rs");
const REQUEST: &str = include_str!("../support/request.rs");
const DIGEST: &str = include_str!("../support/digest.rs");
const OAUTH: &str = include_str!("../support/oauth.rs");
const PAGINATION: &str = include_str!("../support/pagination.rs");
const STYLE: &str = include_str!("../support/style.rs");
const FORM: &str = include_str!("../support/form.rs");
const MULTIPART: &str = include_str!("../support/multipart.rs");
const CLI: &str = include_str!("../support/cli.rs");

/// Generates a client crate from a spec's text (JSON or YAML).
///
/// Whatever can be generated is: a construct the generator cannot express degrades (see
/// [`Generated::warnings`]); only a spec that cannot be repaired is an error.
pub fn generate(text: &str, config: &Config) -> Result<Generated, SpecError> {
    let (spec, repairs) = load::load_repaired(text, &config.spec_path)?;
    // Errors about the configuration come located in its own file.
    let locate = |e: SpecError| {
        if e.file.is_empty() {
            load::locate_error(e, text, &config.spec_path)
        } else {
            e
        }
    };
    let mut api = lower::lower_with(&spec, &config.spec_config).map_err(locate)?;
    api.warnings.splice(0..0, repairs);
    let mut locator = load::Locator::new(text);
    let warnings = api
        .warnings
        .iter()
        .map(|w| Warning {
            kind: w.kind,
            file: config.spec_path.clone(),
            pointer: w.origin.clone(),
            location: locator.nearest(&w.origin),
            message: w.message.clone(),
            action: w.action.clone(),
        })
        .collect();
    let files = files(&api, config)?;
    Ok(Generated {
        api,
        warnings,
        files,
    })
}

/// How many types or operations make one part of `models.rs` or `operations.rs`: parts
/// are emitted and formatted on as many threads as there are cores, so they are small
/// enough to spread evenly, and large enough that handing them out costs nothing.
const PART_SIZE: usize = 48;

/// A part's items by the file they go to: the part's own (`None`), or the module of one
/// of the crate's features (`Some(feature)`: `src/models/clusters.rs`, see `emit::gates`).
type Pieces<'a> = Vec<(Option<&'a str>, syn::File)>;

/// Emits a part of a file as syntax trees, most parts by parsing the tokens their emitter
/// makes; called on whichever thread formats the part.
type EmitPart<'a> = Box<dyn Fn() -> Result<Pieces<'a>, syn::Error> + Sync + 'a>;

/// A part emitted as tokens.
fn tokens<'a>(emit: impl Fn() -> TokenStream + Sync + 'a) -> EmitPart<'a> {
    Box::new(move || Ok(vec![(None, syn::parse2(emit())?)]))
}

/// A part built as syntax trees, one file of items.
fn trees<'a>(emit: impl Fn() -> Result<syn::File, syn::Error> + Sync + 'a) -> EmitPart<'a> {
    Box::new(move || Ok(vec![(None, emit()?)]))
}

/// A file of items, without attributes.
fn file_of(items: Vec<syn::Item>) -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }
}

/// A part with its items behind their features, for a spec that has them: in `cli.rs`
/// each with its cfg, in `models.rs` and `operations.rs` each in its feature's module (or
/// with its cfg where several features compile it). With `declare`, the part declares
/// those modules (see [`emit::gates::Names::split`]).
fn gated<'a>(
    part: EmitPart<'a>,
    names: &'a Option<emit::gates::Names<'a>>,
    declare: bool,
) -> EmitPart<'a> {
    Box::new(move || {
        let mut pieces = part()?;
        let Some(names) = names else {
            return Ok(pieces);
        };
        if names.module() == Module::Cli {
            for (_, file) in &mut pieces {
                names.apply(file);
            }
            return Ok(pieces);
        }
        Ok(pieces
            .into_iter()
            .flat_map(|(_, file)| names.split(file, declare))
            .collect())
    })
}

/// Which module a file of the crate is, for [`emit::gates`].
fn module_of(path: &str) -> Module {
    match path {
        "src/models.rs" => Module::Models,
        "src/operations.rs" => Module::Operations,
        _ => Module::Cli,
    }
}

/// The path of the file a piece of `path` goes to: `path` itself, or its feature's module
/// (`src/models/legacy_backup.rs` for the feature `legacy-backup` of `src/models.rs`).
fn piece_path(path: &str, feature: Option<&str>) -> String {
    match feature {
        None => path.to_owned(),
        Some(feature) => format!(
            "{}/{}.rs",
            path.trim_end_matches(".rs"),
            emit::gates::module_name(feature)
        ),
    }
}

/// The files a whole module (`src/models.rs` or `src/operations.rs`, emitted at once by
/// `emit::models` or `emit::operations`) makes, without their headers: the module's own
/// and, for a spec with features, one per feature that alone compiles some of its items.
/// [`generate`] makes the same files in parts.
pub fn module_files(
    api: &ir::Api,
    path: &str,
    tokens: TokenStream,
) -> Result<BTreeMap<String, String>, SpecError> {
    let bug =
        |e: syn::Error| SpecError::at("", format!("generator bug: {path} is not valid Rust: {e}"));
    let file: syn::File = syn::parse2(tokens).map_err(bug)?;
    let module = module_of(path);
    let gates = emit::gates::plan(api);
    let pieces = match &gates {
        Some(gates) => gates.names(api, module).split(file, true),
        None => vec![(None, file)],
    };
    let mut files = BTreeMap::new();
    for (feature, file) in pieces {
        let mut text = render::unparse(file);
        if let (Some(gates), Some(feature)) = (&gates, feature) {
            text.insert_str(0, &gates.module_head(api, module, feature));
        }
        files.insert(piece_path(path, feature), render::space_items(&text));
    }
    Ok(files)
}

/// Emits and renders every file of the crate.
///
/// `lib.rs`, `models.rs` and `operations.rs` are emitted in parts (the types and the
/// operations in runs of [`PART_SIZE`]), each part is formatted on its own, on one thread
/// per core, and a file's parts are joined in order: the text is the same whatever the
/// number of threads. For a spec with features, the parts of `models.rs` and
/// `operations.rs` put the items of each feature in a module of their own.
pub fn files(api: &ir::Api, config: &Config) -> Result<BTreeMap<String, String>, SpecError> {
    let features = emit::features(api);
    let header = format!(
        "// @generated by `{}` from {}.\n// Do not edit by hand: change the spec or the generator and rerun that command.\n\n",
        config.command, config.spec_path
    );
    let checks = emit::models::CheckPlan::new(api);
    let gates = emit::gates::plan(api);
    let names = |module: Module| gates.as_ref().map(|gates| gates.names(api, module));
    let (model_names, operation_names, cli_names) = (
        names(Module::Models),
        names(Module::Operations),
        names(Module::Cli),
    );
    let runs = |len: usize| {
        (0..len.div_ceil(PART_SIZE)).map(move |i| i * PART_SIZE..len.min((i + 1) * PART_SIZE))
    };
    let mut parts: Vec<(&str, EmitPart)> = vec![
        ("src/lib.rs", tokens(|| emit::lib(api, config, &features))),
        (
            "src/models.rs",
            gated(tokens(emit::models::head), &model_names, true),
        ),
    ];
    for run in runs(api.types.len()) {
        let checks = &checks;
        parts.push((
            "src/models.rs",
            trees(move || emit::models::type_items(api, checks, run.clone()).map(file_of)),
        ));
    }
    parts.push(("src/models.rs", tokens(|| emit::models::error_bodies(api))));
    // Each type's items behind its tag's feature (see `emit::gates`).
    for (_, part) in &mut parts[2..] {
        let emit = std::mem::replace(part, tokens(TokenStream::new));
        *part = gated(emit, &model_names, false);
    }
    for run in runs(checks.len()) {
        let checks = &checks;
        parts.push(("src/models.rs", tokens(move || checks.items(run.clone()))));
    }
    if features.security {
        parts.push(("src/security.rs", tokens(|| emit::security::module(api))));
    }
    parts.push((
        "src/operations.rs",
        gated(
            trees(|| emit::operations::head(api)),
            &operation_names,
            true,
        ),
    ));
    for run in runs(api.operations.len()) {
        parts.push((
            "src/operations.rs",
            gated(
                trees(move || emit::operations::builders(api, run.clone()).map(file_of)),
                &operation_names,
                false,
            ),
        ));
    }
    // The command line (behind the crate's `cli` feature).
    parts.push(("src/cli.rs", trees(|| emit::cli::module(api, config))));
    for run in runs(api.operations.len()) {
        parts.push((
            "src/cli.rs",
            gated(
                trees(move || emit::cli::runs(api, run.clone())),
                &cli_names,
                false,
            ),
        ));
    }
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        n => n,
    };
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut modules: BTreeMap<String, (Module, &str)> = BTreeMap::new();
    for ((name, _), pieces) in parts.iter().zip(format_parts(&parts, threads)) {
        let pieces = pieces.map_err(|e| {
            SpecError::at("", format!("generator bug: {name} is not valid Rust: {e}"))
        })?;
        for (feature, text) in pieces {
            let path = piece_path(name, feature);
            if let Some(feature) = feature {
                modules
                    .entry(path.clone())
                    .or_insert((module_of(name), feature));
            }
            texts.entry(path).or_default().push_str(&text);
        }
    }
    // Each feature's module opens with its docs, and its parent's items if it names any.
    if let Some(gates) = &gates {
        for (path, (module, feature)) in modules {
            if let Some(text) = texts.get_mut(&path) {
                text.insert_str(0, &gates.module_head(api, module, feature));
            }
        }
    }
    let mut files: BTreeMap<String, String> = texts
        .into_iter()
        .map(|(name, text)| (name, format!("{header}{}", render::space_items(&text))))
        .collect();
    files.insert(
        "Cargo.toml".to_owned(),
        emit::manifest(api, config, &features),
    );
    let support = [
        ("src/runtime.rs", RUNTIME, true),
        ("src/auth.rs", AUTH, true),
        ("src/request.rs", REQUEST, true),
        ("src/retry.rs", RETRY, true),
        ("src/digest.rs", DIGEST, features.digest),
        ("src/oauth.rs", OAUTH, features.oauth_token_url.is_some()),
        ("src/pagination.rs", PAGINATION, features.pagination),
        ("src/style.rs", STYLE, features.style),
        ("src/form.rs", FORM, features.form),
        ("src/multipart.rs", MULTIPART, features.multipart),
        ("src/cli_support.rs", CLI, true),
    ];
    for (path, text, wanted) in support {
        if wanted {
            files.insert(path.to_owned(), format!("{header}{text}"));
        }
    }
    files.insert(
        "src/main.rs".to_owned(),
        format!(
            "{header}//! The command line; built with `--features cli`.\n\nfn main() -> std::process::ExitCode {{\n    {}::cli::main()\n}}\n",
            emit::krate::package_name(&config.crate_name).replace('-', "_")
        ),
    );
    Ok(files)
}

/// The conformance test of a generated crate (see `emit::conformance`): every operation
/// called once against a validating mock server. `lib` is the crate's library name.
pub fn conformance_test(api: &ir::Api, lib: &str) -> Result<String, SpecError> {
    render::unspaced(emit::conformance::test_file(api, lib))
        .map(|text| render::space_items(&text))
        .map_err(|e| {
            SpecError::at(
                "",
                format!("generator bug: the conformance test is not valid Rust: {e}"),
            )
        })
}

/// The texts of a part's pieces, by the feature whose module each goes to (see [`Pieces`]).
type Texts<'a> = Vec<(Option<&'a str>, String)>;

/// Emits and formats `parts` on `threads` threads (the calling one among them), each
/// thread taking the next part not yet taken; the texts come back in the order of `parts`.
fn format_parts<'a>(
    parts: &[(&str, EmitPart<'a>)],
    threads: usize,
) -> Vec<Result<Texts<'a>, String>> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, emit)) = parts.get(index) else {
                break;
            };
            // Token streams and syn's errors stay on the thread that made them (they are
            // not `Send`); only text crosses.
            // Doc lines are put in after formatting (see `emit::docs::deferring`).
            let (pieces, lines) = emit::docs::deferring(emit);
            let texts = pieces.map(|pieces| {
                pieces
                    .into_iter()
                    .map(|(feature, file)| {
                        (feature, emit::docs::fill(render::unparse(file), &lines))
                    })
                    .collect()
            });
            done.push((index, texts.map_err(|e| e.to_string())));
        }
        // The trees parsed once for this spec's parts are no use to the next spec's.
        emit::syntax::forget_parsed();
        done
    };
    let mut done: Vec<(usize, Result<Texts, String>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(parts.len()))
            .map(|_| scope.spawn(work))
            .collect();
        let mut done = work();
        for helper in helpers {
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, text)| text).collect()
}
