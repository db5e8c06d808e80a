//! A realistic page of `listLegacyBackupCheckpoints`, built deterministically.
//!
//! It is shaped like what Atlas returns at `itemsPerPage=500`: compact JSON, every
//! checkpoint of one cluster of one project, with varying ids and dates (checkpoints
//! every six hours, taking seconds to minutes), one to three parts each (a replica set,
//! or shards plus the config server), every `typeName` the spec lists plus, now and then,
//! one it does not (the enum is open), one or two links per checkpoint, and the page's
//! own `self`/`next` links. No randomness: a small fixed-seed generator picks the
//! variations, so every run decodes the same bytes.

use serde_json::{Value, json};

pub const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
pub const CLUSTER_NAME: &str = "Cluster0";
pub const ITEMS: usize = 500;

/// SplitMix64: a tiny deterministic generator, enough to vary the fields.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A 24-hexadecimal-digit id, as Atlas's ObjectIds are.
    fn object_id(&mut self) -> String {
        format!("{:016x}{:08x}", self.next(), self.next() as u32)
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .expect("in range")
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn link(href: String, rel: &str) -> Value {
    json!({ "href": href, "rel": rel })
}

/// The page as a JSON value, with `items` checkpoints.
pub fn page_value(items: usize) -> Value {
    let mut mix = Mix(0x5eed);
    let cluster_id = mix.object_id();
    let base = format!(
        "https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP_ID}/clusters/{CLUSTER_NAME}/backupCheckpoints"
    );
    // 2025-01-01T00:00:00Z, then one checkpoint every six hours.
    let start = 1_735_689_600_i64;
    let results: Vec<Value> = (0..items)
        .map(|i| {
            let id = mix.object_id();
            let started = start + i as i64 * 6 * 3600 + mix.below(600) as i64;
            let completed = started + 5 + mix.below(300) as i64;
            let timestamp = started + mix.below(5) as i64;
            let sharded = mix.below(3) != 0;
            let parts: Vec<Value> = if sharded {
                // Shards, then the config server: two or three parts.
                let shards = 1 + mix.below(2);
                let mut parts: Vec<Value> = (0..shards)
                    .map(|s| {
                        json!({
                            "replicaSetName": format!("atlas-{}-shard-{s}", &cluster_id[..6]),
                            "shardName": format!("atlas-{}-shard-{s}", &cluster_id[..6]),
                            "tokenDiscovered": mix.below(10) != 0,
                            "tokenTimestamp": {
                                "date": date(timestamp),
                                "increment": 1_199_145_600 + mix.below(1000) as i64,
                            },
                            "typeName": "REPLICA_SET",
                        })
                    })
                    .collect();
                let config_type = match mix.below(50) {
                    0 => "DEDICATED_CONFIG_SERVER", // not in the spec: decodes as Unknown
                    1..=9 => "CONFIG_SERVER",
                    _ => "CONFIG_SERVER_REPLICA_SET",
                };
                parts.push(json!({
                    "replicaSetName": format!("atlas-{}-config-0", &cluster_id[..6]),
                    "shardName": "config",
                    "tokenDiscovered": true,
                    "tokenTimestamp": {
                        "date": date(timestamp),
                        "increment": 1_199_145_600 + mix.below(1000) as i64,
                    },
                    "typeName": config_type,
                }));
                parts
            } else {
                vec![json!({
                    "replicaSetName": format!("atlas-{}-shard-0", &cluster_id[..6]),
                    "shardName": format!("atlas-{}-shard-0", &cluster_id[..6]),
                    "tokenDiscovered": mix.below(10) != 0,
                    "tokenTimestamp": {
                        "date": date(timestamp),
                        "increment": 1_199_145_600 + mix.below(1000) as i64,
                    },
                    "typeName": "REPLICA_SET",
                })]
            };
            let mut links = vec![link(format!("{base}/{id}"), "self")];
            if mix.below(4) == 0 {
                links.push(link(
                    format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP_ID}/clusters/{CLUSTER_NAME}"),
                    "http://cloud.mongodb.com/cluster",
                ));
            }
            json!({
                "clusterId": cluster_id,
                "completed": date(completed),
                "groupId": GROUP_ID,
                "id": id,
                "links": links,
                "parts": parts,
                "restorable": mix.below(20) != 0,
                "started": date(started),
                "timestamp": date(timestamp),
            })
        })
        .collect();
    json!({
        "links": [
            link(format!("{base}?pageNum=3&itemsPerPage={items}"), "self"),
            link(format!("{base}?pageNum=4&itemsPerPage={items}"), "next"),
        ],
        "results": results,
        "totalCount": 4 * items + 17,
    })
}

/// The page as the server sends it: compact JSON bytes.
pub fn page_bytes(items: usize) -> Vec<u8> {
    serde_json::to_vec(&page_value(items)).expect("a JSON value serialises")
}
