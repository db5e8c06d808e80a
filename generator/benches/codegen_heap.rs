//! Peak heap of generating a crate through the library API, measured with a counting
//! global allocator (so it is a separate binary from the `codegen` timings, which it
//! would slow down).
//!
//! For each input it reports the spec text's size, the peak of live heap bytes during one
//! `generator::generate` call above what was live before it (the text itself is already
//! allocated), the bytes and number of allocations made, and the size of the files
//! produced. The figures are deterministic: one call after a warm-up call is enough.
//!
//! Run with `cargo bench -p generator --bench codegen_heap`. When `ATLAS_BENCH_REPORT`
//! names a file, each result is also appended to it as one JSON line for `cargo xtask bench`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
    ALLOCATED.fetch_add(bytes, Relaxed);
    COUNT.fetch_add(1, Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is the caller's valid new size.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const INPUTS: &[(&str, &str)] = &[
    (
        "fragment",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs/atlas-legacy-backup.yaml"
        ),
    ),
    (
        "whole",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs/atlas/openapi-2023-01-01.json"
        ),
    ),
];

struct Heap {
    peak: usize,
    allocated: usize,
    allocations: usize,
    output: usize,
}

fn measure(text: &str, config: &generator::Config) -> Heap {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let allocated = ALLOCATED.load(Relaxed);
    let count = COUNT.load(Relaxed);
    let generated = generator::generate(text, config).expect("the spec generates");
    let heap = Heap {
        peak: PEAK.load(Relaxed) - before,
        allocated: ALLOCATED.load(Relaxed) - allocated,
        allocations: COUNT.load(Relaxed) - count,
        output: generated.files.values().map(String::len).sum(),
    };
    drop(generated);
    heap
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a name filter, if any, selects inputs.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut report = std::env::var_os("ATLAS_BENCH_REPORT").map(|path| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("ATLAS_BENCH_REPORT is writable")
    });
    println!(
        "{:<10} {:>10} {:>12} {:>14} {:>13} {:>10}",
        "input", "spec MiB", "peak MiB", "allocated MiB", "allocations", "out MiB"
    );
    for (name, path) in INPUTS {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("skipping {path}: {error}");
                continue;
            }
        };
        let config = generator::Config {
            crate_name: "atlas-admin".to_owned(),
            crate_version: "0.1.0".to_owned(),
            // The loader tells JSON from YAML by the name's extension.
            spec_path: path.rsplit('/').next().unwrap_or(path).to_owned(),
            command: "cargo xtask codegen".to_owned(),
            dev_dependencies: Vec::new(),
            spec_config: generator::SpecConfig::default(),
            benches: Vec::new(),
            threads: 0,
        };
        // Warm-up: lazily initialised statics are allocated once, outside the figures.
        measure(&text, &config);
        let heap = measure(&text, &config);
        println!(
            "{:<10} {:>10.2} {:>12.1} {:>14.1} {:>13} {:>10.2}",
            name,
            mib(text.len()),
            mib(heap.peak),
            mib(heap.allocated),
            heap.allocations,
            mib(heap.output)
        );
        if let Some(file) = &mut report {
            writeln!(
                file,
                r#"{{"kind":"codegen_heap","input":"{name}","spec_bytes":{},"peak_bytes":{},"allocated_bytes":{},"allocations":{},"output_bytes":{}}}"#,
                text.len(),
                heap.peak,
                heap.allocated,
                heap.allocations,
                heap.output
            )
            .expect("report is writable");
        }
    }
}
