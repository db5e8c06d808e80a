//! Decoding and encoding the models with the documented response examples.

#[path = "common/seed.rs"]
mod seed;
#[path = "common/shared.rs"]
mod shared;

use atlas_admin::models::{
    ApiAtlasCheckpointView, ApiBsonTimestampView, ApiCheckpointPartView,
    ApiCheckpointPartViewTypeName, ApiError, Link, PaginatedApiAtlasCheckpointView,
};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

const ID: &str = "32b6e34b3d91647abb20e7b8";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap()
}

fn decode_200() -> PaginatedApiAtlasCheckpointView {
    serde_json::from_str(&seed::seed_example(200)).expect("the seed's 200 example decodes")
}

#[test]
fn seed_200_example_decodes_into_concrete_values() {
    let page = decode_200();
    let self_link = Link {
        href: Some("https://cloud.mongodb.com/api/atlas".to_owned()),
        rel: Some("self".to_owned()),
        ..Default::default()
    };
    assert_eq!(page.total_count, Some(42));
    assert_eq!(
        page.links.as_deref(),
        Some(std::slice::from_ref(&self_link))
    );

    let results = page.results.as_deref().expect("results");
    assert_eq!(results.len(), 1);
    let checkpoint = &results[0];
    assert_eq!(checkpoint.cluster_id.as_deref(), Some(ID));
    assert_eq!(checkpoint.group_id.as_deref(), Some(ID));
    assert_eq!(checkpoint.id.as_deref(), Some(ID));
    assert_eq!(checkpoint.restorable, Some(true));
    let when = utc(2025, 5, 4, 9, 42, 0);
    assert_eq!(checkpoint.completed, Some(when));
    assert_eq!(checkpoint.started, Some(when));
    assert_eq!(checkpoint.timestamp, Some(when));
    assert_eq!(
        checkpoint.links.as_deref(),
        Some(std::slice::from_ref(&self_link))
    );

    let parts = checkpoint.parts.as_deref().expect("parts");
    assert_eq!(
        parts,
        [ApiCheckpointPartView {
            replica_set_name: Some("string".to_owned()),
            shard_name: Some("string".to_owned()),
            token_discovered: Some(true),
            token_timestamp: Some(ApiBsonTimestampView {
                date: Some(when),
                increment: Some(1_199_145_600),
                ..Default::default()
            }),
            type_name: Some(ApiCheckpointPartViewTypeName::ReplicaSet),
            ..Default::default()
        }]
    );
    assert!(!parts[0].type_name.as_ref().unwrap().is_unknown());
}

#[test]
fn seed_200_example_round_trips_exactly() {
    let text = seed::seed_example(200);
    let example: Value = serde_json::from_str(&text).unwrap();
    let page = decode_200();

    let encoded = serde_json::to_value(&page).unwrap();
    // Every field of the example is modelled (links included) and its dates are whole
    // seconds in UTC written with `Z`, which is how chrono writes them back: no difference.
    assert_eq!(encoded, example);

    let again: PaginatedApiAtlasCheckpointView = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, page);
    let again: PaginatedApiAtlasCheckpointView =
        serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
    assert_eq!(again, page);
}

#[test]
fn seed_error_examples_decode_and_round_trip() {
    let cases = [
        (401, "NOT_ORG_GROUP_CREATOR", "Unauthorized"),
        (403, "CANNOT_CHANGE_GROUP_NAME", "Forbidden"),
        (404, "RESOURCE_NOT_FOUND", "Not Found"),
        (500, "UNEXPECTED_ERROR", "Internal Server Error"),
    ];
    for (status, error_code, reason) in cases {
        let text = seed::error_example(status);
        let error: ApiError = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the {status} example does not decode: {e}"));
        assert_eq!(error.error, i64::from(status));
        assert_eq!(error.error_code, error_code);
        assert_eq!(error.reason.as_deref(), Some(reason));
        let detail = error.detail.as_deref().expect("detail");
        assert!(
            detail.starts_with(
                "(This is just an example, the exception may not be related to this endpoint)"
            ),
            "{status}: {detail}"
        );
        assert_eq!(error.parameters, None);
        assert_eq!(error.bad_request_detail, None);

        let example: Value = serde_json::from_str(&text).unwrap();
        let encoded = serde_json::to_value(&error).unwrap();
        assert_eq!(encoded, example, "{status}");
        let again: ApiError = serde_json::from_value(encoded).unwrap();
        assert_eq!(again, error, "{status}");
    }
    // The 404 example is the one with extra text in `detail`.
    let not_found: ApiError = serde_json::from_str(&seed::error_example(404)).unwrap();
    assert!(
        not_found
            .detail
            .unwrap()
            .ends_with("Cannot find resource AWS")
    );
}

/// The fixtures are the documentation page's examples, text for text. The page is in the
/// corpora beside the repository; without them the test says so and passes.
#[test]
fn fixtures_are_the_documentation_pages_examples() {
    let Some(page) = shared::read("seed/list-legacy-backup-checkpoints.txt") else {
        return;
    };
    for status in [200, 401, 500] {
        let marker = format!("Response examples ({status})");
        let start = page
            .find(&marker)
            .unwrap_or_else(|| panic!("the page has no `{marker}`"))
            + marker.len();
        let rest = &page[start..];
        // The example is the first JSON value after the marker; the stream says where it ends.
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        assert!(
            matches!(values.next(), Some(Ok(Value::Object(_)))),
            "`{marker}` is not followed by a JSON object"
        );
        let example = rest[..values.byte_offset()].trim();
        assert_eq!(seed::seed_example(status), example, "{status}");
    }
}

#[test]
fn seed_and_spec_agree_on_the_error_examples_both_show() {
    // Cross-checks the spec reader used for 403/404 on the examples both sources have.
    for (status, response) in [(401, "unauthorized"), (500, "internalServerError")] {
        let seed: Value = serde_json::from_str(&seed::seed_example(status)).unwrap();
        assert_eq!(seed, seed::spec_response_example(response), "{status}");
    }
}

#[test]
fn unknown_type_name_is_kept_and_sent_back_as_it_came() {
    let part: ApiCheckpointPartView =
        serde_json::from_value(json!({ "typeName": "SHARDED_MAGIC" })).unwrap();
    let type_name = part.type_name.clone().expect("typeName");
    assert_eq!(
        type_name,
        ApiCheckpointPartViewTypeName::Unknown("SHARDED_MAGIC".to_owned())
    );
    assert!(type_name.is_unknown());
    assert_eq!(type_name.as_str(), "SHARDED_MAGIC");
    assert_eq!(type_name.to_string(), "SHARDED_MAGIC");
    assert_eq!(
        serde_json::to_value(&part).unwrap(),
        json!({ "typeName": "SHARDED_MAGIC" })
    );
    // Values are case-sensitive: a lower-case spelling of a known value is unknown.
    let lower: ApiCheckpointPartViewTypeName =
        serde_json::from_value(json!("replica_set")).unwrap();
    assert_eq!(
        lower,
        ApiCheckpointPartViewTypeName::Unknown("replica_set".to_owned())
    );
    // Not a string: an error, not an Unknown.
    assert!(serde_json::from_value::<ApiCheckpointPartViewTypeName>(json!(3)).is_err());
}

#[test]
fn known_type_names_decode_to_their_variants_and_encode_back() {
    let wire = ["REPLICA_SET", "CONFIG_SERVER", "CONFIG_SERVER_REPLICA_SET"];
    assert_eq!(ApiCheckpointPartViewTypeName::KNOWN.len(), wire.len());
    for (known, wire) in ApiCheckpointPartViewTypeName::KNOWN.iter().zip(wire) {
        let decoded: ApiCheckpointPartViewTypeName = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(&decoded, known);
        assert!(!decoded.is_unknown());
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(wire));
        assert_eq!(
            wire.parse::<ApiCheckpointPartViewTypeName>().unwrap(),
            *known
        );
        assert_eq!(ApiCheckpointPartViewTypeName::from(wire.to_owned()), *known);
    }
}

#[test]
fn unknown_fields_are_kept_at_every_level() {
    let mut body: Value = serde_json::from_str(&seed::seed_example(200)).unwrap();
    body["newTopLevel"] = json!({ "nested": [1, 2, 3] });
    body["links"][0]["title"] = json!("extra");
    body["results"][0]["snapshotType"] = json!("ONDEMAND");
    body["results"][0]["links"][0]["hreflang"] = json!("en");
    body["results"][0]["parts"][0]["machine"] = json!({ "host": "h", "port": 27017 });
    body["results"][0]["parts"][0]["tokenTimestamp"]["term"] = json!(7);
    let with_extras: PaginatedApiAtlasCheckpointView =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        with_extras.unknown_fields["newTopLevel"],
        json!({ "nested": [1, 2, 3] })
    );
    let part = &with_extras.results.as_ref().unwrap()[0]
        .parts
        .as_ref()
        .unwrap()[0];
    let timestamp = part.token_timestamp.as_ref().unwrap();
    assert_eq!(timestamp.unknown_fields["term"], json!(7));
    // The declared fields are what they were without the extras.
    assert_eq!(timestamp.increment, Some(1_199_145_600));
    assert_eq!(with_extras.total_count, decode_200().total_count);
    assert_eq!(serde_json::to_value(&with_extras).unwrap(), body);

    let mut error: Value = serde_json::from_str(&seed::seed_example(401)).unwrap();
    error["requestId"] = json!("abc");
    error["badRequestDetail"] =
        json!({ "fields": [{ "field": "f", "description": "d", "x": 1 }], "y": 2 });
    let decoded: ApiError = serde_json::from_value(error.clone()).unwrap();
    assert_eq!(decoded.error_code, "NOT_ORG_GROUP_CREATOR");
    assert_eq!(decoded.unknown_fields["requestId"], json!("abc"));
    let fields = decoded
        .bad_request_detail
        .as_ref()
        .unwrap()
        .fields
        .as_ref()
        .unwrap();
    assert_eq!(
        (fields[0].field.as_str(), fields[0].description.as_str()),
        ("f", "d")
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), error);
}

/// A read-modify-write: a page from a newer server, with fields this crate does not know
/// at every level, is decoded, one known field is changed, and it is encoded again.
///
/// What is guaranteed: every field comes back with its value. The declared fields are
/// written in the spec's order, then the unknown ones in key order; so a text that has
/// them in that order (as here) comes back byte for byte, apart from the changed field.
/// Otherwise the order differs and the JSON values are still equal.
#[test]
fn a_read_modify_write_loses_nothing() {
    let text = concat!(
        r#"{"links":[{"href":"https://cloud.mongodb.com/api/atlas","rel":"self","title":"first"}],"#,
        r#""results":[{"clusterId":"32b6e34b3d91647abb20e7b8","completed":"2025-05-04T09:42:00Z","#,
        r#""id":"32b6e34b3d91647abb20e7b9","parts":[{"replicaSetName":"rs0","#,
        r#""tokenTimestamp":{"date":"2025-05-04T09:42:00Z","increment":1199145600,"term":7},"#,
        r#""typeName":"SHARDED_MAGIC","machine":{"host":"h","port":27017}}],"#,
        r#""restorable":true,"newField":[1,2.5,null,"x",{"deep":[true]}],"#,
        r#""snapshotType":"ONDEMAND"}],"#,
        r#""totalCount":4294967296,"apiVersion":"2","nextCursor":null}"#
    );
    let mut page: PaginatedApiAtlasCheckpointView = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&page).unwrap(), text, "unchanged");

    page.results.as_mut().unwrap()[0].restorable = Some(false);
    let written = serde_json::to_string(&page).unwrap();
    assert_eq!(
        written,
        text.replace(r#""restorable":true"#, r#""restorable":false"#)
    );

    // Unknown fields before the declared ones: written after them, values all equal.
    let reordered =
        r#"{"apiVersion":"2","results":[{"snapshotType":"ONDEMAND","id":"x"}],"totalCount":1}"#;
    let page: PaginatedApiAtlasCheckpointView = serde_json::from_str(reordered).unwrap();
    assert_eq!(
        serde_json::to_string(&page).unwrap(),
        r#"{"results":[{"id":"x","snapshotType":"ONDEMAND"}],"totalCount":1,"apiVersion":"2"}"#
    );
    assert_eq!(
        serde_json::to_value(&page).unwrap(),
        serde_json::from_str::<Value>(reordered).unwrap()
    );
}

#[test]
fn an_int32_count_past_its_range_decodes_and_is_reported() {
    // `totalCount` is `int32` in the spec; a server that counts past it must not make the
    // page undecodable. The value is kept, and reported as breaking the format.
    let page: PaginatedApiAtlasCheckpointView =
        serde_json::from_str(r#"{"results":[],"totalCount":2147483648}"#).unwrap();
    assert_eq!(page.total_count, Some(2_147_483_648));
    let violations = page.constraint_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].0, "totalCount");
    assert_eq!(
        violations[0].1.constraint(),
        &atlas_admin::Constraint::Format("int32")
    );
    assert_eq!(violations[0].1.value(), "2147483648");
    // In range, nothing to report.
    let page: PaginatedApiAtlasCheckpointView =
        serde_json::from_str(r#"{"totalCount":2147483647}"#).unwrap();
    assert!(page.constraint_violations().is_empty());
}

#[test]
fn missing_optional_fields_are_fine_and_required_ones_are_not() {
    let empty: PaginatedApiAtlasCheckpointView = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, PaginatedApiAtlasCheckpointView::default());

    // `includeCount=false` makes the server omit totalCount.
    let page: PaginatedApiAtlasCheckpointView =
        serde_json::from_value(json!({ "results": [{ "id": ID }, {}] })).unwrap();
    assert_eq!(page.total_count, None);
    assert_eq!(page.links, None);
    let results = page.results.unwrap();
    assert_eq!(results[0].id.as_deref(), Some(ID));
    assert_eq!(results[0].parts, None);
    assert_eq!(results[1], ApiAtlasCheckpointView::default());

    // Explicit nulls read as absent.
    let nulls: PaginatedApiAtlasCheckpointView = serde_json::from_value(json!({
        "totalCount": null,
        "links": null,
        "results": [{ "completed": null, "parts": [{ "typeName": null, "tokenTimestamp": null }] }]
    }))
    .unwrap();
    assert_eq!(nulls.total_count, None);
    assert_eq!(
        nulls.results.unwrap()[0].parts.as_deref(),
        Some(&[ApiCheckpointPartView::default()][..])
    );

    // ApiError requires `error` and `errorCode`.
    let minimal: ApiError =
        serde_json::from_value(json!({ "error": 401, "errorCode": "X" })).unwrap();
    assert_eq!((minimal.error, minimal.error_code.as_str()), (401, "X"));
    assert_eq!(minimal.detail, None);
    for missing in [json!({ "error": 401 }), json!({ "errorCode": "X" })] {
        let error = serde_json::from_value::<ApiError>(missing.clone()).unwrap_err();
        assert!(
            error.to_string().contains("missing field"),
            "{missing}: {error}"
        );
    }
}

#[test]
fn none_fields_are_omitted_when_encoding() {
    assert_eq!(
        serde_json::to_value(PaginatedApiAtlasCheckpointView::default()).unwrap(),
        json!({})
    );
    let page = PaginatedApiAtlasCheckpointView {
        total_count: Some(0),
        results: Some(vec![ApiAtlasCheckpointView {
            restorable: Some(false),
            parts: Some(vec![ApiCheckpointPartView {
                type_name: Some(ApiCheckpointPartViewTypeName::ConfigServer),
                token_timestamp: Some(ApiBsonTimestampView::default()),
                ..Default::default()
            }]),
            ..Default::default()
        }]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&page).unwrap(),
        json!({
            "totalCount": 0,
            "results": [{
                "restorable": false,
                "parts": [{ "typeName": "CONFIG_SERVER", "tokenTimestamp": {} }]
            }]
        })
    );
    // Types with required fields are built from `new`, then the optional fields.
    let error = ApiError::new(500, "UNEXPECTED_ERROR");
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        json!({ "error": 500, "errorCode": "UNEXPECTED_ERROR" })
    );
}

#[test]
fn dates_with_offsets_and_fractional_seconds_decode() {
    let checkpoint: ApiAtlasCheckpointView = serde_json::from_value(json!({
        "completed": "2025-05-04T09:42:00+02:00",
        "started": "2025-05-04T09:42:00.123456789-05:30",
        "timestamp": "2025-05-04T09:42:00.5Z",
    }))
    .unwrap();
    let completed = utc(2025, 5, 4, 7, 42, 0);
    assert_eq!(checkpoint.completed, Some(completed));
    let started = utc(2025, 5, 4, 15, 12, 0) + chrono::Duration::nanoseconds(123_456_789);
    assert_eq!(checkpoint.started, Some(started));
    let timestamp = utc(2025, 5, 4, 9, 42, 0) + chrono::Duration::milliseconds(500);
    assert_eq!(checkpoint.timestamp, Some(timestamp));

    // Encoding normalises to UTC with `Z` and keeps the sub-second digits that carry
    // information (in groups of 3): the offset the server used is not kept.
    assert_eq!(
        serde_json::to_value(&checkpoint).unwrap(),
        json!({
            "completed": "2025-05-04T07:42:00Z",
            "started": "2025-05-04T15:12:00.123456789Z",
            "timestamp": "2025-05-04T09:42:00.500Z",
        })
    );
    let again: ApiAtlasCheckpointView =
        serde_json::from_value(serde_json::to_value(&checkpoint).unwrap()).unwrap();
    assert_eq!(again, checkpoint);

    let nested: ApiBsonTimestampView = serde_json::from_value(
        json!({ "date": "2025-05-04T11:42:00.250+02:00", "increment": 1199145601 }),
    )
    .unwrap();
    assert_eq!(
        nested.date,
        Some(utc(2025, 5, 4, 9, 42, 0) + chrono::Duration::milliseconds(250))
    );
    assert_eq!(nested.increment, Some(1_199_145_601));
}

#[test]
fn dates_without_an_offset_are_rejected() {
    // RFC 3339 date-times need an offset; one without is a decoding error, not a guess.
    for date in ["2025-05-04T09:42:00", "2025-05-04", "not a date"] {
        let result = serde_json::from_value::<ApiAtlasCheckpointView>(json!({ "completed": date }));
        assert!(result.is_err(), "{date} decoded as {result:?}");
    }
}

#[test]
fn ids_breaking_their_pattern_decode_and_can_be_checked() {
    let page: PaginatedApiAtlasCheckpointView = serde_json::from_value(serde_json::json!({
        "results": [{
            "id": "NOT-HEX",
            "clusterId": "32b6e34b3d91647abb20e7b8",
            "parts": [{"tokenTimestamp": {"increment": 5}}],
        }],
        "totalCount": -1,
    }))
    .unwrap();
    let checkpoint = &page.results.as_ref().unwrap()[0];
    assert_eq!(checkpoint.id.as_deref(), Some("NOT-HEX"));
    let violations = checkpoint.constraint_violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].0, "id");
    assert_eq!(
        violations[0].1.constraint(),
        &atlas_admin::Constraint::Pattern("^([a-f0-9]{24})$")
    );
    let timestamp = checkpoint.parts.as_ref().unwrap()[0]
        .token_timestamp
        .as_ref()
        .unwrap();
    assert_eq!(timestamp.constraint_violations()[0].0, "increment");
    assert_eq!(page.constraint_violations()[0].0, "totalCount");
    assert_eq!(page.constraint_violations()[0].1.value(), "-1");
}
