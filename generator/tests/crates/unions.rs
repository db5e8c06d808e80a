//! How the unions of the whole 2023-01-01 spec decode and encode real Atlas values.
//!
//! This file is not a test of the generator package: `.ci/run` generates the crate of
//! `specs/atlas/openapi-2023-01-01.json`, copies this file into its `tests/`
//! and runs it there, so the generated code itself is exercised, not only linted. To run
//! it by hand:
//!
//! ```sh
//! cargo xtask codegen --spec specs/atlas/openapi-2023-01-01.json --out /tmp/atlas
//! mkdir -p /tmp/atlas/tests && cp generator/tests/crates/unions.rs /tmp/atlas/tests/
//! cargo test --manifest-path /tmp/atlas/Cargo.toml --test unions
//! ```

use openapi_2023_01_01::models::{
    AlertsNotificationRootForGroup, CloudProviderAccessRole, DiskBackupSnapshot, GroupAlertsConfig,
    HostMetricThreshold,
};
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn a_base_with_a_discriminator_mapping_decodes_into_the_subtype_and_keeps_its_fields() {
    // `CloudProviderAccessRole` names its subtypes only in its mapping; they include it
    // through allOf.
    let aws = json!({
        "providerName": "AWS",
        "iamAssumedRoleArn": "arn:aws:iam::123456789012:role/atlas",
        "atlasAWSAccountArn": "arn:aws:iam::772401394250:role/my-test-aws-role",
        "roleId": "32b6e34b3d91647abb20e7b8",
    });
    let role: CloudProviderAccessRole = decode(&aws);
    let CloudProviderAccessRole::CloudProviderAccessAwsiamRole(inner) = &role else {
        panic!("{role:?}");
    };
    assert_eq!(
        inner.iam_assumed_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/atlas")
    );
    assert_eq!(encode(&role), aws);

    // A provider this crate does not know is kept whole.
    let oracle = json!({"providerName": "ORACLE", "compartment": "x"});
    let role: CloudProviderAccessRole = decode(&oracle);
    assert!(
        matches!(role, CloudProviderAccessRole::Unknown(_)),
        "{role:?}"
    );
    assert_eq!(encode(&role), oracle);
}

#[test]
fn many_tags_can_share_one_subtype() {
    // `HostMetricThreshold` maps 157 metric names onto 4 subtypes.
    let threshold = json!({
        "metricName": "ASSERT_MSG",
        "mode": "AVERAGE",
        "operator": "GREATER_THAN",
        "threshold": 5.0,
        "units": "RAW",
    });
    let decoded: HostMetricThreshold = decode(&threshold);
    assert!(
        matches!(decoded, HostMetricThreshold::RawMetricThresholdView(_)),
        "{decoded:?}"
    );
    assert_eq!(encode(&decoded), threshold);
}

#[test]
fn a_subtype_that_does_not_include_the_base_is_chosen_by_the_tag() {
    // `DiskBackupSnapshot` maps `replicaSet` and `shardedCluster` onto schemas of their
    // own, which do not include it through allOf.
    let snapshot = json!({
        "type": "replicaSet",
        "id": "5f4007f327a3bd7b6f4103c5",
        "replicaSetName": "Cluster0-shard-0",
        "storageSizeBytes": 1024,
    });
    let decoded: DiskBackupSnapshot = decode(&snapshot);
    let DiskBackupSnapshot::DiskBackupReplicaSet(inner) = &decoded else {
        panic!("{decoded:?}");
    };
    assert_eq!(inner.replica_set_name.as_deref(), Some("Cluster0-shard-0"));
    assert_eq!(encode(&decoded), snapshot);
    let again: DiskBackupSnapshot = decode(&encode(&decoded));
    assert_eq!(again, decoded);
}

#[test]
fn alert_configurations_decode_into_the_alternative_their_event_type_names() {
    // The alternatives of `GroupAlertsConfig` share nearly all their keys; the values of
    // `eventTypeName` tell them apart.
    let metric = json!({
        "eventTypeName": "OUTSIDE_METRIC_THRESHOLD",
        "enabled": true,
        "matchers": [],
        "metricThreshold": {
            "metricName": "ASSERT_MSG",
            "mode": "AVERAGE",
            "operator": "GREATER_THAN",
            "threshold": 5.0,
            "units": "RAW",
        },
        "notifications": [
            {"typeName": "EMAIL", "emailAddress": "ops@example.com", "delayMin": 0, "intervalMin": 5},
        ],
    });
    let config: GroupAlertsConfig = decode(&metric);
    assert!(
        matches!(
            config,
            GroupAlertsConfig::HostMetricAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
    assert_eq!(encode(&config), metric);

    let host = json!({"eventTypeName": "HOST_DOWN", "enabled": true, "notifications": []});
    let config: GroupAlertsConfig = decode(&host);
    assert!(
        matches!(config, GroupAlertsConfig::HostAlertConfigViewForNdsGroup(_)),
        "{config:?}"
    );

    // An event type no alternative lists falls to the one that takes any.
    let new = json!({"eventTypeName": "SOMETHING_NEW", "enabled": true, "notifications": []});
    let config: GroupAlertsConfig = decode(&new);
    assert!(
        matches!(
            config,
            GroupAlertsConfig::DefaultAlertConfigViewForNdsGroup(_)
        ),
        "{config:?}"
    );
    assert_eq!(encode(&config), new);

    // Without the required `notifications` no alternative takes it. One alternative is
    // itself a tagged union, which would keep it as its own `Unknown`; it stays this
    // union's `Unknown` instead.
    let bare = json!({"eventTypeName": "SOMETHING_NEW"});
    let config: GroupAlertsConfig = decode(&bare);
    assert!(
        matches!(config, GroupAlertsConfig::Unknown(_)),
        "{config:?}"
    );
    assert_eq!(encode(&config), bare);
}

#[test]
fn notifications_decode_into_the_kind_their_type_name_names() {
    for (type_name, extra) in [
        ("EMAIL", json!({"emailAddress": "ops@example.com"})),
        (
            "SLACK",
            json!({"channelName": "alerts", "apiToken": "****"}),
        ),
        (
            "TEAM",
            json!({"teamId": "5f4007f327a3bd7b6f4103c5", "emailEnabled": true}),
        ),
    ] {
        let mut value = json!({"typeName": type_name, "delayMin": 0, "intervalMin": 5});
        value
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let notification: AlertsNotificationRootForGroup = decode(&value);
        let expected = match &notification {
            AlertsNotificationRootForGroup::EmailNotification(_) => "EMAIL",
            AlertsNotificationRootForGroup::SlackNotification(_) => "SLACK",
            AlertsNotificationRootForGroup::TeamNotification(_) => "TEAM",
            other => panic!("{type_name}: {other:?}"),
        };
        assert_eq!(expected, type_name);
        assert_eq!(encode(&notification), value);
    }
}
