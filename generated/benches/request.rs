//! Cost per call of building and validating a request, with no network:
//!
//! - `request/prepare`: `client.list_legacy_backup_checkpoints(group_id, cluster_name)
//!   .items_per_page(500).page_num(3).prepare()`, which checks every argument against the
//!   spec's constraints and builds the percent-encoded path and the query;
//! - `request/group_id_new` and `request/cluster_name_new`: the validated newtypes alone
//!   (their patterns compile to byte loops, no regex engine), from a `&str` as callers
//!   usually pass them (so one `String` allocation each);
//! - `request/group_id_invalid`: a rejected value, which builds the violation's message.
//!
//! Run with `cargo bench -p atlas-admin --bench request`, or everything with
//! `cargo xtask bench`.

use std::hint::black_box;

use atlas_admin::Client;
use atlas_admin::models::{ClusterName, GroupId};
use criterion::{Criterion, criterion_group, criterion_main};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER_NAME: &str = "Cluster0";

fn request(c: &mut Criterion) {
    let client = Client::new();
    #[allow(deprecated)]
    let prepared = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER_NAME)
        .items_per_page(500)
        .page_num(3)
        .prepare()
        .expect("valid arguments");
    assert_eq!(
        prepared.path(),
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backupCheckpoints"
    );

    let mut group = c.benchmark_group("request");
    group.bench_function("prepare", |b| {
        b.iter(|| {
            #[allow(deprecated)]
            client
                .list_legacy_backup_checkpoints(black_box(GROUP_ID), black_box(CLUSTER_NAME))
                .items_per_page(black_box(500))
                .page_num(black_box(3))
                .prepare()
                .expect("valid arguments")
        })
    });
    group.bench_function("group_id_new", |b| {
        b.iter(|| GroupId::new(black_box(GROUP_ID)).expect("valid"))
    });
    group.bench_function("cluster_name_new", |b| {
        b.iter(|| ClusterName::new(black_box(CLUSTER_NAME)).expect("valid"))
    });
    group.bench_function("group_id_invalid", |b| {
        b.iter(|| GroupId::new(black_box("32b6e34b3d91647abb20e7bZ")).expect_err("invalid"))
    });
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);
