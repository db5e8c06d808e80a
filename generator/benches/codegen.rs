//! Wall time of generating a crate through the library API, `generator::generate`.
//!
//! Two inputs: the fragment in `specs/` (one operation) and the whole
//! `specs/atlas/openapi-2023-01-01.json` (337 operations). For the whole spec the
//! pipeline is also timed stage by stage, to show where the time goes:
//!
//! - `load`: text to `openapiv3::OpenAPI` (JSON parse, checks, typed decode);
//! - `lower`: to the IR;
//! - `emit`: IR to token streams for `models.rs` and `operations.rs`;
//! - `parse`: those tokens to `syn::File` (what `render` does first);
//! - `unparse`: `prettyplease` formatting of those files;
//! - `files`: emit and render of every file, what `generate` does after `lower`, on one
//!   thread per core as `generate` does; `files_one_thread` on one thread.
//!
//! `emit`, `parse` and `unparse` are single-threaded: they show what the work is made
//! of. `whole_one_thread` is `generate` on one thread, for the share threads take.
//!
//! Run with `cargo bench -p generator --bench codegen`, or everything with
//! `cargo xtask bench`. Peak heap is measured by the `codegen_heap` bench, which needs a
//! counting allocator that would slow this one down.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

const FRAGMENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../specs/atlas-legacy-backup.yaml"
);
const WHOLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../specs/atlas/openapi-2023-01-01.json"
);

/// The configuration `cargo xtask codegen` uses, so the work is the same.
fn config(spec_path: &str) -> generator::Config {
    generator::Config {
        crate_name: "atlas-admin".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: spec_path.to_owned(),
        command: "cargo xtask codegen".to_owned(),
        dev_dependencies: Vec::new(),
        spec_config: generator::SpecConfig::default(),
        benches: Vec::new(),
        threads: 0,
    }
}

fn read(path: &str) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            eprintln!("skipping {path}: {error}");
            None
        }
    }
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen");
    if let Some(text) = read(FRAGMENT) {
        let config = config("specs/atlas-legacy-backup.yaml");
        group.bench_function("fragment", |b| {
            b.iter(|| generator::generate(black_box(&text), &config).expect("fragment generates"))
        });
    }
    if let Some(text) = read(WHOLE) {
        let config = config("openapi-2023-01-01.json");
        // About a second an iteration: flat sampling keeps the run to ~15 s.
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .measurement_time(Duration::from_secs(10));
        group.bench_function("whole", |b| {
            b.iter(|| generator::generate(black_box(&text), &config).expect("whole spec generates"))
        });
        let one_thread = generator::Config {
            threads: 1,
            ..config.clone()
        };
        group.bench_function("whole_one_thread", |b| {
            b.iter(|| {
                generator::generate(black_box(&text), &one_thread).expect("whole spec generates")
            })
        });
    }
    group.finish();
}

fn whole_stages(c: &mut Criterion) {
    let Some(text) = read(WHOLE) else { return };
    let config = config("openapi-2023-01-01.json");
    let spec = generator::load::load(&text, "openapi-2023-01-01.json").expect("loads");
    let api = generator::lower::lower(&spec).expect("lowers");
    let tokens = [
        generator::emit::models(&api),
        generator::emit::operations(&api),
    ];
    let files: Vec<syn::File> = tokens
        .iter()
        .map(|t| syn::parse2(t.clone()).expect("valid Rust"))
        .collect();

    let mut group = c.benchmark_group("whole_stages");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("load", |b| {
        b.iter(|| {
            generator::load::load(black_box(&text), "openapi-2023-01-01.json").expect("loads")
        })
    });
    group.bench_function("lower", |b| {
        b.iter(|| generator::lower::lower(black_box(&spec)).expect("lowers"))
    });
    group.bench_function("emit", |b| {
        b.iter(|| {
            (
                generator::emit::models(black_box(&api)),
                generator::emit::operations(black_box(&api)),
            )
        })
    });
    group.bench_function("parse", |b| {
        b.iter_batched(
            || tokens.clone(),
            |tokens| tokens.map(|t| syn::parse2::<syn::File>(t).expect("valid Rust")),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("unparse", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| prettyplease::unparse(black_box(f)))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("files", |b| {
        b.iter(|| generator::files(black_box(&api), &config).expect("renders"))
    });
    let one_thread = generator::Config {
        threads: 1,
        ..config.clone()
    };
    group.bench_function("files_one_thread", |b| {
        b.iter(|| generator::files(black_box(&api), &one_thread).expect("renders"))
    });
    group.finish();
}

criterion_group!(benches, generate, whole_stages);
criterion_main!(benches);
