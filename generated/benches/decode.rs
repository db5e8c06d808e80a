//! Decoding throughput of a realistic 500-checkpoint page (see `common/page.rs`), side by
//! side in one run:
//!
//! - `decode/generated`: into `atlas_admin::models::PaginatedApiAtlasCheckpointView`, with
//!   `serde_json::from_slice` as the client does (`RawResponse::json`; the slower
//!   `serde_path_to_error` pass runs only after a failure);
//! - `decode/handwritten`: into a struct written here by hand with the same fields and
//!   the same types (`Option` everywhere, `chrono::DateTime<Utc>` for dates), except
//!   `typeName`, a plain `String` as one would write it by hand;
//! - `decode/value`: into `serde_json::Value`.
//!
//! The `decode_why` group isolates what the generated types pay for: the hand-written
//! struct with dates kept as `String` (the cost of chrono), with `typeName` as a derived
//! closed enum, with the open enum the generator emits, and keeping the fields a struct
//! does not know in a `#[serde(flatten)]` map on every struct, as the generated types do
//! (`unknown_fields`) so that a value read can be written back whole.
//!
//! Throughput is reported in bytes (MB/s); items/s is 500 divided by the time per page.
//! Run with `cargo bench -p atlas-admin --bench decode`, or everything with
//! `cargo xtask bench`.

#[path = "common/page.rs"]
mod page;

use std::hint::black_box;
use std::time::Duration;

use atlas_admin::models::{ApiCheckpointPartViewTypeName, PaginatedApiAtlasCheckpointView};
use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;

/// The hand-written baseline, generic over the date and `typeName` types so the
/// `decode_why` variants are the same code.
#[allow(dead_code, reason = "the fields are decoded, never read")]
mod hand {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Page<D, T> {
        pub links: Option<Vec<Link>>,
        pub results: Option<Vec<Checkpoint<D, T>>>,
        pub total_count: Option<i32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Checkpoint<D, T> {
        pub cluster_id: Option<String>,
        pub completed: Option<D>,
        pub group_id: Option<String>,
        pub id: Option<String>,
        pub links: Option<Vec<Link>>,
        pub parts: Option<Vec<Part<D, T>>>,
        pub restorable: Option<bool>,
        pub started: Option<D>,
        pub timestamp: Option<D>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Part<D, T> {
        pub replica_set_name: Option<String>,
        pub shard_name: Option<String>,
        pub token_discovered: Option<bool>,
        pub token_timestamp: Option<BsonTimestamp<D>>,
        pub type_name: Option<T>,
    }

    #[derive(Debug, Deserialize)]
    pub struct BsonTimestamp<D> {
        pub date: Option<D>,
        pub increment: Option<i32>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Link {
        pub href: Option<String>,
        pub rel: Option<String>,
    }
}

/// The hand-written struct keeping the fields it does not know, as `#[serde(flatten)]`
/// maps, as the generated types do: what writing a newer server's object back unchanged
/// costs.
#[allow(dead_code, reason = "the fields are decoded, never read")]
mod keeping {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Page {
        pub links: Option<Vec<Link>>,
        pub results: Option<Vec<Checkpoint>>,
        pub total_count: Option<i32>,
        #[serde(flatten)]
        pub unknown: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Checkpoint {
        pub cluster_id: Option<String>,
        pub completed: Option<DateTime<Utc>>,
        pub group_id: Option<String>,
        pub id: Option<String>,
        pub links: Option<Vec<Link>>,
        pub parts: Option<Vec<Part>>,
        pub restorable: Option<bool>,
        pub started: Option<DateTime<Utc>>,
        pub timestamp: Option<DateTime<Utc>>,
        #[serde(flatten)]
        pub unknown: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Part {
        pub replica_set_name: Option<String>,
        pub shard_name: Option<String>,
        pub token_discovered: Option<bool>,
        pub token_timestamp: Option<BsonTimestamp>,
        pub type_name: Option<String>,
        #[serde(flatten)]
        pub unknown: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    pub struct BsonTimestamp {
        pub date: Option<DateTime<Utc>>,
        pub increment: Option<i32>,
        #[serde(flatten)]
        pub unknown: BTreeMap<String, Value>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Link {
        pub href: Option<String>,
        pub rel: Option<String>,
        #[serde(flatten)]
        pub unknown: BTreeMap<String, Value>,
    }
}

/// A closed enum as serde derives it; an unlisted value becomes `Other` and loses its text.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(dead_code, reason = "only decoded")]
enum DerivedTypeName {
    ReplicaSet,
    ConfigServer,
    ConfigServerReplicaSet,
    #[serde(other)]
    Other,
}

type Handwritten = hand::Page<DateTime<Utc>, String>;

fn decode(c: &mut Criterion) {
    let bytes = page::page_bytes(page::ITEMS);
    // The three decode the same page, and agree on it.
    let generated: PaginatedApiAtlasCheckpointView = serde_json::from_slice(&bytes).unwrap();
    let handwritten: Handwritten = serde_json::from_slice(&bytes).unwrap();
    let results = generated.results.as_ref().unwrap();
    assert_eq!(results.len(), page::ITEMS);
    assert_eq!(handwritten.results.as_ref().unwrap().len(), page::ITEMS);
    assert!(results.iter().all(|c| c.constraint_violations().is_empty()));
    let parts = || results.iter().flat_map(|c| c.parts.iter().flatten());
    let unknown = parts()
        .filter(|p| p.type_name.as_ref().is_some_and(|t| t.is_unknown()))
        .count();
    eprintln!(
        "page: {} bytes, {} checkpoints, {} parts ({unknown} with a typeName the spec does not list)",
        bytes.len(),
        results.len(),
        parts().count()
    );
    report(&format!(
        r#"{{"kind":"decode_page","bytes":{},"items":{}}}"#,
        bytes.len(),
        page::ITEMS
    ));

    // About 1.4 ms a page: 8 s lets criterion take its 100 samples.
    let mut group = c.benchmark_group("decode");
    group
        .throughput(Throughput::Bytes(bytes.len() as u64))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("generated", |b| {
        b.iter(|| {
            serde_json::from_slice::<PaginatedApiAtlasCheckpointView>(black_box(&bytes)).unwrap()
        })
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| serde_json::from_slice::<Handwritten>(black_box(&bytes)).unwrap())
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("decode_why");
    group
        .throughput(Throughput::Bytes(bytes.len() as u64))
        .measurement_time(Duration::from_secs(8));
    group.bench_function("handwritten_string_dates", |b| {
        b.iter(|| serde_json::from_slice::<hand::Page<String, String>>(black_box(&bytes)).unwrap())
    });
    group.bench_function("handwritten_derived_enum", |b| {
        b.iter(|| {
            serde_json::from_slice::<hand::Page<DateTime<Utc>, DerivedTypeName>>(black_box(&bytes))
                .unwrap()
        })
    });
    group.bench_function("handwritten_keeping_unknown_fields", |b| {
        b.iter(|| serde_json::from_slice::<keeping::Page>(black_box(&bytes)).unwrap())
    });
    group.bench_function("handwritten_open_enum", |b| {
        b.iter(|| {
            serde_json::from_slice::<hand::Page<DateTime<Utc>, ApiCheckpointPartViewTypeName>>(
                black_box(&bytes),
            )
            .unwrap()
        })
    });
    group.finish();
}

/// Appends one JSON line to the file `ATLAS_BENCH_REPORT` names, for `cargo xtask bench`.
fn report(line: &str) {
    use std::io::Write as _;
    if let Some(path) = std::env::var_os("ATLAS_BENCH_REPORT") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("ATLAS_BENCH_REPORT is writable");
        writeln!(file, "{line}").expect("report is writable");
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
