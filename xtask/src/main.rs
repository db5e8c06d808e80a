//! Maintainer commands for this workspace, run as `cargo xtask <command>`.
//!
//! `codegen` regenerates `generated/` from `specs/` (or checks that it is fresh with
//! `--check`); `fragment` cuts the operations a spec in `specs/` needs out of a full spec;
//! `corpus` generates (and lints) a crate for every spec of the corpus and tabulates the
//! generator's decisions; `conformance` calls every operation against a validating mock
//! server; `bench` runs the benchmarks.

mod bench;
mod codegen;
mod conformance;
mod corpus;
mod fragment;

use std::process::ExitCode;

/// Generating a whole spec makes about ten million small allocations (tokens, syntax
/// trees, strings); mimalloc makes the run about a quarter faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("fragment") => fragment::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check]      regenerate generated/ from specs/ (--check: fail if it is stale)
  codegen --spec FILE --out DIR [--crate-name NAME] [--config FILE]
          [--operations IDS] [--tags TAGS] [--strict]
                         generate a crate for any spec (or a subset of its operations);
                         the configuration is FILE or the nearest codegen.yaml beside the
                         spec; --strict writes nothing while there is a warning
  fragment --spec FILE --operations ID[,ID...] [--tags TAG[,TAG...]] [--out FILE]
                         extract operations and everything they reference from a full spec
  corpus [--build] [--out DIR] [--only NAME[,NAME...]]
                         generate every spec of the corpus (../shared/specs/public and the
                         full Atlas specs), lint each crate with --build, print the table
  conformance --spec FILE [--spec FILE...] [--config FILE] [--out DIR] [--known FILE]
                         call every operation of each spec's generated client against
                         Prism (npm ci --prefix xtask/prism), which validates each request;
                         fail on a failure the known list does not explain
  bench [--quick] [--runs N] [--cold] [--only codegen,client,process,compile]
                         run every benchmark and print the table (see BENCHMARKS.md)";
