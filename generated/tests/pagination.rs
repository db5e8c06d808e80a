//! `items()` streams every checkpoint across pages from a real server on 127.0.0.1, and
//! stops at the last page whether or not the server reports a total, even when the server
//! misbehaves.

use std::sync::{Arc, Mutex};

use atlas_admin::{Client, Error, StatusCode};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const ATLAS_JSON: &str = "application/vnd.atlas.2023-01-01+json";

/// How the fake server pages its checkpoints.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Honest: pages of `itemsPerPage`, `totalCount` when `includeCount` is not false.
    Honest,
    /// Ignores `pageNum` and always answers the first page, without a total.
    IgnoresPageNum,
    /// Answers 500 on this page number.
    FailsOnPage(i64),
}

struct Server {
    total: i64,
    behaviour: Behaviour,
    queries: Mutex<Vec<String>>,
}

fn checkpoint(n: i64) -> Value {
    json!({
        "id": format!("{n:024x}"),
        "clusterId": "32b6e34b3d91647abb20e7b8",
        "restorable": true,
        "parts": [{"typeName": "REPLICA_SET", "tokenTimestamp": {"increment": 1199145600}}],
    })
}

async fn page(
    State(server): State<Arc<Server>>,
    RawQuery(query): RawQuery,
) -> axum::response::Response {
    let query = query.unwrap_or_default();
    server.queries.lock().unwrap().push(query.clone());
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
    };
    let page_num: i64 = param("pageNum").map_or(1, |p| p.parse().unwrap());
    let size: i64 = param("itemsPerPage").map_or(100, |p| p.parse().unwrap());
    let include_count = param("includeCount").as_deref() != Some("false");
    let (page_num, include_count) = match server.behaviour {
        Behaviour::IgnoresPageNum => (1, false),
        Behaviour::FailsOnPage(n) if n == page_num => {
            let body = json!({"error": 500, "errorCode": "UNEXPECTED_ERROR", "reason": "Internal Server Error"});
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response();
        }
        _ => (page_num, include_count),
    };
    let start = (page_num - 1) * size;
    let results: Vec<Value> = (start..(start + size).min(server.total))
        .map(checkpoint)
        .collect();
    let mut body = json!({ "results": results, "links": [] });
    if include_count {
        body["totalCount"] = json!(server.total);
    }
    ([(header::CONTENT_TYPE, ATLAS_JSON)], body.to_string()).into_response()
}

async fn start(total: i64, behaviour: Behaviour) -> (Client, Arc<Server>) {
    let server = Arc::new(Server {
        total,
        behaviour,
        queries: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .route(
            "/api/atlas/v2/groups/{group}/clusters/{cluster}/backupCheckpoints",
            axum::routing::get(page),
        )
        .with_state(Arc::clone(&server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .build()
        .unwrap();
    (client, server)
}

fn ids(range: std::ops::Range<i64>) -> Vec<String> {
    range.map(|n| format!("{n:024x}")).collect()
}

#[tokio::test]
#[allow(deprecated)]
async fn streams_every_item_across_pages_with_a_total() {
    let (client, server) = start(25, Behaviour::Honest).await;
    let items: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .items_per_page(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = items.iter().map(|c| c.id.clone().unwrap()).collect();
    assert_eq!(got, ids(0..25));
    assert_eq!(
        *server.queries.lock().unwrap(),
        [
            "itemsPerPage=10&pageNum=1",
            "itemsPerPage=10&pageNum=2",
            "itemsPerPage=10&pageNum=3"
        ]
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn the_total_is_known_once_a_page_has_come() {
    let (client, _server) = start(25, Behaviour::Honest).await;
    let mut stream = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .items_per_page(10)
        .items();
    assert_eq!(stream.total(), None);
    stream.try_next().await.unwrap();
    assert_eq!(stream.total(), Some(25));
}

#[tokio::test]
#[allow(deprecated)]
async fn stops_at_the_last_page_without_include_count() {
    // 30 items in pages of 10: the third page is full, so only the empty fourth page
    // tells the stream it is done.
    let (client, server) = start(30, Behaviour::Honest).await;
    let items: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .include_count(false)
        .items_per_page(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 30);
    let queries = server.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 4, "{queries:?}");
    assert!(
        queries
            .iter()
            .all(|q| q.starts_with("includeCount=false&itemsPerPage=10&pageNum="))
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn a_short_page_ends_the_stream_without_a_total() {
    let (client, server) = start(23, Behaviour::Honest).await;
    let items: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .include_count(false)
        .items_per_page(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 23);
    assert_eq!(server.queries.lock().unwrap().len(), 3);
}

#[tokio::test]
#[allow(deprecated)]
async fn the_spec_default_page_size_and_a_later_first_page() {
    // Without itemsPerPage the server uses the spec's default, 100, and so does the stream.
    let (client, server) = start(250, Behaviour::Honest).await;
    let items: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .page_num(2)
        .include_count(false)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 150);
    assert_eq!(
        items[0].id.as_deref(),
        Some(format!("{:024x}", 100).as_str())
    );
    assert_eq!(
        *server.queries.lock().unwrap(),
        [
            "includeCount=false&pageNum=2",
            "includeCount=false&pageNum=3"
        ]
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn a_server_ignoring_the_page_number_does_not_loop_forever() {
    let (client, server) = start(50, Behaviour::IgnoresPageNum).await;
    let items: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .items_per_page(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 10, "the repeated page is not yielded again");
    assert_eq!(server.queries.lock().unwrap().len(), 2);
}

#[tokio::test]
#[allow(deprecated)]
async fn an_error_is_yielded_and_ends_the_stream() {
    let (client, _server) = start(50, Behaviour::FailsOnPage(2)).await;
    let results: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .items_per_page(10)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 11);
    assert!(results[..10].iter().all(Result::is_ok));
    match &results[10] {
        Err(error @ Error::Api { status, .. }) => {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert!(error.is_error_code("UNEXPECTED_ERROR"));
        }
        other => panic!("expected the page 2 error, got {other:?}"),
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn an_invalid_argument_is_the_only_item_and_nothing_is_sent() {
    let (client, server) = start(50, Behaviour::Honest).await;
    let results: Vec<_> = client
        .list_legacy_backup_checkpoints(GROUP_ID, "-bad")
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::InvalidRequest(e)) if e.parameter() == "clusterName"));
    assert!(server.queries.lock().unwrap().is_empty());
}
