//! The client against a real HTTP server on 127.0.0.1: what goes over the wire, which
//! arguments are refused before anything is sent, and how each kind of answer is decoded.

mod common;

use atlas_admin::models::{
    ApiCheckpointPartViewTypeName, ClusterName, GroupId, ItemsPerPage, PageNum,
    PaginatedApiAtlasCheckpointView,
};
use atlas_admin::operations::ListLegacyBackupCheckpoints;
use atlas_admin::{Bound, Constraint, Error, StatusCode};
use common::seed;
use common::server::{Recorded, Reply, TestServer};
use serde_json::{Value, json};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";
const PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backupCheckpoints";
const ATLAS_JSON: &str = "application/vnd.atlas.2023-01-01+json";

fn ok_reply() -> Reply {
    Reply::new(200, ATLAS_JSON, seed::seed_example(200))
}

async fn ok_server() -> TestServer {
    TestServer::start(ok_reply()).await
}

fn seed_page() -> PaginatedApiAtlasCheckpointView {
    serde_json::from_str(&seed::seed_example(200)).unwrap()
}

fn min(n: i64) -> Constraint {
    Constraint::Minimum {
        bound: Bound::Int(n),
        exclusive: false,
    }
}

fn max(n: i64) -> Constraint {
    Constraint::Maximum {
        bound: Bound::Int(n),
        exclusive: false,
    }
}

/// Sends `request`, expects it refused for `parameter` with `value` and `constraint`, and
/// checks that the server saw nothing.
async fn assert_rejected(
    server: &TestServer,
    request: ListLegacyBackupCheckpoints<'_>,
    parameter: &str,
    value: &str,
    constraint: Constraint,
) {
    let before = server.count();
    let error = request
        .send()
        .await
        .expect_err("the request should be refused");
    let Error::InvalidRequest(invalid) = &error else {
        panic!("expected InvalidRequest for {parameter}={value:?}, got {error:?}");
    };
    assert_eq!(invalid.parameter(), parameter);
    assert_eq!(invalid.violation().value(), value);
    assert_eq!(invalid.violation().constraint(), &constraint);
    assert_eq!(error.status(), None);
    assert_eq!(
        server.count(),
        before,
        "a refused request ({parameter}={value:?}) reached the server"
    );
}

/// Sends `request`, expects success, and returns the one request the server received.
async fn assert_accepted(
    server: &TestServer,
    request: ListLegacyBackupCheckpoints<'_>,
) -> Recorded {
    let before = server.count();
    let response = request
        .send()
        .await
        .expect("the request should be accepted");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.count(), before + 1, "expected exactly one request");
    server.requests().pop().unwrap()
}

#[tokio::test]
#[allow(deprecated)]
async fn valid_call_sends_the_documented_request_and_decodes_the_seed_200() {
    let server = ok_server().await;
    let client = server.client();

    let response = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .expect("the seed's 200 example decodes");

    assert_eq!(
        server.requests(),
        [Recorded {
            method: "GET".to_owned(),
            path: PATH.to_owned(),
            query: None,
            accept: vec![ATLAS_JSON.to_owned()],
            user_agent: Some("atlas-admin/0.1.0".to_owned()),
        }]
    );

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], ATLAS_JSON);
    let page = response.into_inner();
    assert_eq!(page, seed_page());
    assert_eq!(page.total_count, Some(42));
    let checkpoint = &page.results.as_ref().unwrap()[0];
    assert_eq!(checkpoint.id.as_deref(), Some(GROUP_ID));
    assert_eq!(
        checkpoint.parts.as_ref().unwrap()[0].type_name,
        Some(ApiCheckpointPartViewTypeName::ReplicaSet)
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn optional_parameters_go_in_the_query_in_spec_order() {
    let server = ok_server().await;
    let client = server.client();

    client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .items_per_page(500)
        .page_num(2)
        .include_count(false)
        .send()
        .await
        .unwrap();
    // Set in the opposite order, and all five.
    client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .pretty(true)
        .page_num(1)
        .items_per_page(1)
        .include_count(true)
        .envelope(true)
        .send()
        .await
        .unwrap();
    // Setting a parameter twice keeps the last value and sends it once.
    client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .page_num(3)
        .page_num(4)
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.method == "GET" && r.path == PATH));
    assert_eq!(
        requests[0].query.as_deref(),
        Some("includeCount=false&itemsPerPage=500&pageNum=2")
    );
    assert_eq!(
        requests[1].query.as_deref(),
        Some("envelope=true&includeCount=true&itemsPerPage=1&pageNum=1&pretty=true")
    );
    assert_eq!(requests[2].query.as_deref(), Some("pageNum=4"));
}

#[tokio::test]
#[allow(deprecated)]
async fn base_url_trailing_slash_and_path_prefix() {
    let server = ok_server().await;
    let with_slash = server.client_for(&format!("{}/", server.base_url));
    assert_eq!(with_slash.base_url(), server.base_url);
    with_slash
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    let prefixed = server.client_for(&format!("{}/proxy/atlas/", server.base_url));
    prefixed
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap();
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, [PATH.to_owned(), format!("/proxy/atlas{PATH}")]);
}

#[tokio::test]
#[allow(deprecated)]
async fn validated_values_can_be_passed_directly() {
    let server = ok_server().await;
    let client = server.client();
    let group_id = GroupId::new(GROUP_ID).unwrap();
    let cluster: ClusterName = CLUSTER.parse().unwrap();
    let recorded = assert_accepted(
        &server,
        client
            .list_legacy_backup_checkpoints(group_id.clone(), cluster.to_string())
            .items_per_page(ItemsPerPage::new(7).unwrap())
            .page_num(PageNum::try_from(3_u8).unwrap()),
    )
    .await;
    assert_eq!(recorded.path, PATH);
    assert_eq!(recorded.query.as_deref(), Some("itemsPerPage=7&pageNum=3"));
    assert_accepted(
        &server,
        client.list_legacy_backup_checkpoints(group_id, cluster),
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn group_id_boundaries() {
    let server = ok_server().await;
    let client = server.client();
    let pattern = || Constraint::Pattern("^([a-f0-9]{24})$");
    assert_eq!(GroupId::PATTERN, "^([a-f0-9]{24})$");

    let rejected = [
        &GROUP_ID[..23],             // 23 hex digits
        "32b6e34b3d91647abb20e7b8a", // 25 hex digits
        "32B6E34B3D91647ABB20E7B8",  // upper-case hex
        "32b6e34b3d91647abb20e7bg",  // not hex
        "32b6e34b3d91647abb20e7/8",  // a path separator
        "",                          // empty
    ];
    for value in rejected {
        assert_rejected(
            &server,
            client.list_legacy_backup_checkpoints(value, CLUSTER),
            "groupId",
            value,
            pattern(),
        )
        .await;
    }
    assert_eq!(server.count(), 0);

    let recorded = assert_accepted(
        &server,
        client.list_legacy_backup_checkpoints("0123456789abcdef01234567", CLUSTER),
    )
    .await;
    assert_eq!(
        recorded.path,
        "/api/atlas/v2/groups/0123456789abcdef01234567/clusters/Cluster0/backupCheckpoints"
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn cluster_name_boundaries() {
    let server = ok_server().await;
    let client = server.client();
    let pattern = || Constraint::Pattern("^[a-zA-Z0-9][a-zA-Z0-9-]*$");
    assert_eq!(ClusterName::PATTERN, "^[a-zA-Z0-9][a-zA-Z0-9-]*$");

    for value in [
        "-leading",
        "",
        "has space",
        "dot.ted",
        "under_score",
        "a/b",
        "é",
    ] {
        assert_rejected(
            &server,
            client.list_legacy_backup_checkpoints(GROUP_ID, value),
            "clusterName",
            value,
            pattern(),
        )
        .await;
    }
    assert_eq!(server.count(), 0);

    // The pinned spec (specs/atlas-legacy-backup.yaml) gives clusterName only the pattern
    // `^[a-zA-Z0-9][a-zA-Z0-9-]*$`: no minLength, no maxLength. The documentation page
    // says "Minimum length is 1, maximum length is 64", but that comes from a newer spec
    // than the one this crate was generated from, so 64 and 65 characters are both sent.
    let name_64 = format!("C{}", "a-9".repeat(21));
    let name_65 = format!("{name_64}Z");
    assert_eq!((name_64.len(), name_65.len()), (64, 65));
    for (name, value) in [
        ("1", "1"),
        ("trailing-", "trailing-"),
        ("64", &name_64),
        ("65", &name_65),
    ] {
        let recorded = assert_accepted(
            &server,
            client.list_legacy_backup_checkpoints(GROUP_ID, value),
        )
        .await;
        assert_eq!(
            recorded.path,
            format!("/api/atlas/v2/groups/{GROUP_ID}/clusters/{value}/backupCheckpoints"),
            "{name}"
        );
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn items_per_page_boundaries() {
    let server = ok_server().await;
    let client = server.client();
    let list = || client.list_legacy_backup_checkpoints(GROUP_ID, CLUSTER);

    assert_rejected(
        &server,
        list().items_per_page(0),
        "itemsPerPage",
        "0",
        min(1),
    )
    .await;
    assert_rejected(
        &server,
        list().items_per_page(-1_i64),
        "itemsPerPage",
        "-1",
        min(1),
    )
    .await;
    assert_rejected(
        &server,
        list().items_per_page(501),
        "itemsPerPage",
        "501",
        max(500),
    )
    .await;
    assert_rejected(
        &server,
        list().items_per_page(501_u16),
        "itemsPerPage",
        "501",
        max(500),
    )
    .await;
    // A later valid value replaces an earlier invalid one.
    let recorded = assert_accepted(&server, list().items_per_page(0).items_per_page(5)).await;
    assert_eq!(recorded.query.as_deref(), Some("itemsPerPage=5"));
    // And a later invalid one replaces an earlier valid one.
    assert_rejected(
        &server,
        list().items_per_page(5).items_per_page(501),
        "itemsPerPage",
        "501",
        max(500),
    )
    .await;

    for value in [1, 500] {
        let recorded = assert_accepted(&server, list().items_per_page(value)).await;
        assert_eq!(recorded.query, Some(format!("itemsPerPage={value}")));
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn page_num_boundaries() {
    let server = ok_server().await;
    let client = server.client();
    let list = || client.list_legacy_backup_checkpoints(GROUP_ID, CLUSTER);

    assert_rejected(&server, list().page_num(0), "pageNum", "0", min(1)).await;
    assert_rejected(
        &server,
        list().page_num(i64::MIN),
        "pageNum",
        &i64::MIN.to_string(),
        min(1),
    )
    .await;
    for value in [1_i64, i64::MAX] {
        let recorded = assert_accepted(&server, list().page_num(value)).await;
        assert_eq!(recorded.query, Some(format!("pageNum={value}")));
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn the_first_invalid_argument_is_reported_and_nothing_is_sent() {
    let server = ok_server().await;
    let client = server.client();
    let error = client
        .list_legacy_backup_checkpoints("nope", "-nope")
        .items_per_page(0)
        .send()
        .await
        .unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    // Path and query parameters are checked in the order `send` lists them: groupId first.
    assert_eq!(invalid.parameter(), "groupId");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
#[allow(deprecated)]
async fn invalid_request_display_names_parameter_value_and_constraint() {
    let server = ok_server().await;
    let client = server.client();
    let error = client
        .list_legacy_backup_checkpoints("32B6E34B3D91647ABB20E7B8", CLUSTER)
        .send()
        .await
        .unwrap_err();
    let message = error.to_string();
    assert_eq!(
        message,
        "invalid parameter `groupId`: \"32B6E34B3D91647ABB20E7B8\" does not match the pattern `^([a-f0-9]{24})$`"
    );
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.to_string(), message);
    let source = std::error::Error::source(&error).expect("InvalidRequest is the source");
    assert_eq!(source.to_string(), message);

    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .items_per_page(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid parameter `itemsPerPage`: \"501\" is greater than the maximum 500"
    );
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .page_num(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid parameter `pageNum`: \"0\" is less than the minimum 1"
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn validated_types_check_on_construction() {
    // GroupId
    assert_eq!(GroupId::new(GROUP_ID).unwrap().as_str(), GROUP_ID);
    let parsed: GroupId = GROUP_ID.parse().unwrap();
    assert_eq!(parsed.to_string(), GROUP_ID);
    assert_eq!(
        GroupId::try_from(GROUP_ID.to_owned()).unwrap().into_inner(),
        GROUP_ID
    );
    for bad in [
        &GROUP_ID[..23],
        "32b6e34b3d91647abb20e7b8a",
        "32B6E34B3D91647ABB20E7B8",
    ] {
        let violation = bad.parse::<GroupId>().unwrap_err();
        assert_eq!(violation.value(), bad);
        assert_eq!(
            violation.constraint(),
            &Constraint::Pattern(GroupId::PATTERN)
        );
        assert_eq!(GroupId::new(bad).unwrap_err(), violation);
    }
    // Deserializing checks too.
    assert!(serde_json::from_value::<GroupId>(json!(GROUP_ID)).is_ok());
    let error = serde_json::from_value::<GroupId>(json!("ABC")).unwrap_err();
    assert!(
        error.to_string().contains("does not match the pattern"),
        "{error}"
    );

    // ClusterName
    assert_eq!(ClusterName::new("Cluster-0").unwrap().as_ref(), "Cluster-0");
    let violation = "-leading".parse::<ClusterName>().unwrap_err();
    assert_eq!(
        violation.constraint(),
        &Constraint::Pattern(ClusterName::PATTERN)
    );
    assert!(ClusterName::try_from("").is_err());
    assert!(ClusterName::new("x".repeat(65)).is_ok());

    // ItemsPerPage
    assert_eq!(ItemsPerPage::try_from(1_i64).unwrap().get(), 1);
    assert_eq!(ItemsPerPage::try_from(500_i64).unwrap().get(), 500);
    let violation = ItemsPerPage::try_from(501_i64).unwrap_err();
    assert_eq!(
        (violation.value(), violation.constraint()),
        ("501", &max(500))
    );
    let violation = ItemsPerPage::try_from(0_i32).unwrap_err();
    assert_eq!((violation.value(), violation.constraint()), ("0", &min(1)));
    assert_eq!(violation.to_string(), "\"0\" is less than the minimum 1");
    let violation = ItemsPerPage::try_from(u64::MAX).unwrap_err();
    assert_eq!(violation.value(), u64::MAX.to_string());
    assert!(serde_json::from_value::<ItemsPerPage>(json!(501)).is_err());
    assert_eq!(
        serde_json::to_value(ItemsPerPage::new(9).unwrap()).unwrap(),
        json!(9)
    );

    // PageNum
    assert_eq!(PageNum::try_from(1_usize).unwrap().get(), 1);
    let violation = PageNum::try_from(0_i64).unwrap_err();
    assert_eq!((violation.value(), violation.constraint()), ("0", &min(1)));
    assert_eq!(
        PageNum::new(i64::MAX).unwrap().to_string(),
        i64::MAX.to_string()
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn documented_error_statuses_decode_into_api_errors() {
    let server = ok_server().await;
    let client = server.client();
    let cases = [
        (401, "NOT_ORG_GROUP_CREATOR", "Unauthorized"),
        (403, "CANNOT_CHANGE_GROUP_NAME", "Forbidden"),
        (404, "RESOURCE_NOT_FOUND", "Not Found"),
        (500, "UNEXPECTED_ERROR", "Internal Server Error"),
    ];
    for (status, error_code, reason) in cases {
        let example = seed::error_example(status);
        server.set_reply(Reply::new(status, "application/json", example.clone()));
        let error = client
            .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(error.body_excerpt(), None);
        let Error::Api {
            status: got,
            headers,
            body,
        } = &error
        else {
            panic!("{status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(got.as_u16(), status);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body.error, i64::from(status));
        assert_eq!(body.error_code, error_code);
        assert_eq!(body.reason.as_deref(), Some(reason));
        assert_eq!(**body, serde_json::from_str(&example).unwrap());
        // What a person reads: the status, the error code and the detail.
        let detail = body.detail.as_deref().unwrap();
        assert_eq!(
            error.to_string(),
            format!("{status} {reason}: {error_code}: {detail}")
        );
    }
    assert_eq!(server.count(), 4);
}

#[tokio::test]
#[allow(deprecated)]
async fn an_api_error_reads_as_status_code_and_detail() {
    let body = json!({
        "detail": "No cluster named NoSuchCluster exists in group 32b6e34b3d91647abb20e7b8.",
        "error": 404,
        "errorCode": "CLUSTER_NOT_FOUND",
        "parameters": ["NoSuchCluster", GROUP_ID],
        "reason": "Not Found",
    });
    let server = TestServer::start(Reply::new(404, "application/json", body.to_string())).await;
    let error = server
        .client()
        .list_legacy_backup_checkpoints(GROUP_ID, "NoSuchCluster")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "404 Not Found: CLUSTER_NOT_FOUND: No cluster named NoSuchCluster exists in group 32b6e34b3d91647abb20e7b8."
    );
    assert!(error.is_error_code("CLUSTER_NOT_FOUND"));
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
#[allow(deprecated)]
async fn undocumented_statuses_are_unexpected_with_the_body_kept() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::start(Reply::new(502, "text/html", html)).await;
    let client = server.client();
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(error.body_excerpt().as_deref(), Some(html));
    let Error::UnexpectedStatus {
        status,
        headers,
        body,
    } = &error
    else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(*status, StatusCode::BAD_GATEWAY);
    assert_eq!(headers["content-type"], "text/html");
    assert_eq!(&body[..], html.as_bytes());
    assert_eq!(error.to_string(), format!("502 Bad Gateway: {html}"));

    // JSON that is not the API's error schema (no code or message) stays raw too.
    server.set_reply(Reply::new(400, "application/json", r#"{"status":"bad"}"#));
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::UnexpectedStatus { status, .. } if status == StatusCode::BAD_REQUEST),
        "{error:?}"
    );

    // Long bodies are cut to 512 bytes in the excerpt; the error keeps all of it.
    let long = format!("<html>{}</html>", "x".repeat(1000));
    server.set_reply(Reply::new(503, "text/html", long.clone()));
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.body_excerpt(), Some(format!("{}...", &long[..512])));
    let Error::UnexpectedStatus { body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(body.len(), long.len());

    // A redirect is not an error status: it says the status was not expected.
    server.set_reply(Reply::new(302, "text/plain", ""));
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "unexpected status 302 Found with an empty body"
    );
    assert_eq!(server.count(), 4);
}

#[tokio::test]
#[allow(deprecated)]
async fn undocumented_error_statuses_with_the_apis_error_body_are_api_errors() {
    // 400, 429 and 503 are not documented for this operation, but their bodies are the
    // API's error schema: they decode, and their codes can be tested.
    let server = ok_server().await;
    let client = server.client();
    for (status, code) in [
        (400, "INVALID_PARAMETER"),
        (429, "RATE_LIMITED"),
        (503, "SERVICE_UNAVAILABLE"),
    ] {
        let body = json!({"error": status, "errorCode": code, "detail": "try later"});
        server.set_reply(Reply::new(status, "application/json", body.to_string()));
        let error = client
            .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
            .send()
            .await
            .unwrap_err();
        let Error::Api {
            status: got, body, ..
        } = &error
        else {
            panic!("{status}: expected Error::Api, got {error:?}");
        };
        assert_eq!(got.as_u16(), status);
        assert_eq!(body.error_code, code);
        assert!(error.is_error_code(code), "{error}");
        assert!(
            error.to_string().ends_with(&format!(": {code}: try later")),
            "{error}"
        );
    }
    assert_eq!(server.count(), 3);
}

#[tokio::test]
#[allow(deprecated)]
async fn malformed_and_truncated_200_bodies_are_decode_errors() {
    let example = seed::seed_example(200);
    let truncated = example[..example.len() / 2].to_owned();
    let cut_at = truncated.len();
    type IsKind = fn(&serde_json::Error) -> bool;
    // Where each failed: a JSON path when the text is JSON, else the byte offset.
    let cases: [(&str, String, IsKind, String); 6] = [
        (
            "malformed",
            "{\"results\": [}".to_owned(),
            |e| e.is_syntax(),
            "byte 13 (near `{\"results\": [}`)".to_owned(),
        ),
        (
            "trailing comma",
            r#"{"results": [], "totalCount": 1,}"#.to_owned(),
            |e| e.is_syntax(),
            "byte 32 (near `s\": [], \"totalCount\": 1,}`)".to_owned(),
        ),
        (
            "garbage",
            "Service Unavailable".to_owned(),
            |e| e.is_syntax(),
            "byte 0 (near `Service Unavailable`)".to_owned(),
        ),
        (
            "truncated",
            truncated,
            |e| e.is_eof(),
            format!("byte {cut_at}"),
        ),
        (
            "empty",
            String::new(),
            |e| e.is_eof(),
            "byte 0 (near ``)".to_owned(),
        ),
        (
            "wrong type",
            r#"{"totalCount": "many"}"#.to_owned(),
            |e| e.is_data(),
            "`totalCount`".to_owned(),
        ),
    ];
    let server = ok_server().await;
    let client = server.client();
    for (name, body, kind, location) in cases {
        server.set_reply(Reply::new(200, ATLAS_JSON, body.clone()));
        let error = client
            .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::OK), "{name}");
        assert_eq!(
            error.body_excerpt().as_deref(),
            Some(body.as_str()),
            "{name}"
        );
        let Error::Decode {
            status,
            content_type,
            source,
            body: got,
            path,
        } = &error
        else {
            panic!("{name}: expected Decode, got {error:?}");
        };
        assert_eq!(*status, StatusCode::OK, "{name}");
        assert_eq!(content_type.as_deref(), Some(ATLAS_JSON), "{name}");
        assert!(kind(source), "{name}: {source}");
        assert_eq!(&got[..], body.as_bytes(), "{name}");
        // Never a `?` for a path: without one, the byte offset says where.
        assert!(!path.contains('?'), "{name}: {path}");
        let message = error.to_string();
        let prefix = format!("cannot decode the 200 OK response ({ATLAS_JSON}) at {location}");
        assert!(message.starts_with(&prefix), "{name}: {message}");
        assert!(std::error::Error::source(&error).is_some(), "{name}");
    }
    assert_eq!(server.count(), 6);
}

#[tokio::test]
#[allow(deprecated)]
async fn documented_error_statuses_with_other_bodies_stay_errors_of_their_status() {
    // A proxy's HTML page for a 500: an error of the status, with the page, not a failure
    // to decode.
    let server = TestServer::start(Reply::new(500, "text/html", "<h1>oops</h1>")).await;
    let client = server.client();
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus {
        status, headers, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(headers["content-type"], "text/html");
    assert_eq!(error.body_excerpt().as_deref(), Some("<h1>oops</h1>"));
    assert_eq!(
        error.to_string(),
        "500 Internal Server Error: <h1>oops</h1>"
    );

    // An ApiError without the required errorCode: the body is kept as it came.
    server.set_reply(Reply::new(404, "application/json", r#"{"error":404}"#));
    let error = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, StatusCode::NOT_FOUND);
    assert_eq!(&body[..], br#"{"error":404}"#);
    assert!(!error.is_error_code("RESOURCE_NOT_FOUND"));
}

#[tokio::test]
#[allow(deprecated)]
async fn unknown_enum_values_and_extra_fields_decode_over_the_wire() {
    let mut body: Value = serde_json::from_str(&seed::seed_example(200)).unwrap();
    body["serverVersion"] = json!("8.0");
    body["results"][0]["snapshotType"] = json!({ "kind": "ONDEMAND" });
    body["results"][0]["parts"][0]["typeName"] = json!("SHARDED_MAGIC");
    body["results"][0]["parts"][0]["machine"] = json!(["h1", 27017]);
    let mut config = body["results"][0]["parts"][0].clone();
    config["typeName"] = json!("CONFIG_SERVER_REPLICA_SET");
    body["results"][0]["parts"]
        .as_array_mut()
        .unwrap()
        .push(config);
    let server = TestServer::start(Reply::new(200, ATLAS_JSON, body.to_string())).await;

    let page = server
        .client()
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
        .expect("unknown values and fields decode")
        .into_inner();

    let parts = page.results.as_ref().unwrap()[0].parts.as_ref().unwrap();
    assert_eq!(
        parts
            .iter()
            .map(|part| part.type_name.clone().unwrap())
            .collect::<Vec<_>>(),
        [
            ApiCheckpointPartViewTypeName::Unknown("SHARDED_MAGIC".to_owned()),
            ApiCheckpointPartViewTypeName::ConfigServerReplicaSet,
        ]
    );
    // The fields the spec does not know are kept where they came, and nothing is lost
    // when the page is written back.
    assert_eq!(page.unknown_fields["serverVersion"], json!("8.0"));
    let checkpoint = &page.results.as_ref().unwrap()[0];
    assert_eq!(
        checkpoint.unknown_fields["snapshotType"],
        json!({ "kind": "ONDEMAND" })
    );
    assert_eq!(parts[0].unknown_fields["machine"], json!(["h1", 27017]));
    assert_eq!(serde_json::to_value(&page).unwrap(), body);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
#[allow(deprecated)]
async fn deprecation_and_sunset_headers_are_surfaced() {
    let server = TestServer::start(
        ok_reply()
            .with_header("deprecation", "@1688169599")
            .with_header("sunset", "Sun, 30 Jun 2030 23:59:59 GMT"),
    )
    .await;
    let response = server
        .client()
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.deprecation(), Some("@1688169599"));
    assert_eq!(response.sunset(), Some("Sun, 30 Jun 2030 23:59:59 GMT"));

    // Without the headers there is nothing to surface.
    server.set_reply(ok_reply());
    let response = server
        .client()
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .send()
        .await
        .unwrap();
    assert_eq!((response.deprecation(), response.sunset()), (None, None));
    assert_eq!(response.status(), StatusCode::OK);
}
