//! Every request is traced: one span per attempt with the operation id, method, path
//! template, status and attempt number; warnings name their operation even where the
//! spans are filtered out; and nothing a subscriber sees holds a secret.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use atlas_admin::Client;
use axum::http::header;
use axum::response::IntoResponse;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// A span's name and its fields as text.
type SpanRecord = (String, Vec<(String, String)>);

/// A subscriber that writes down every span's fields and every event's fields as text, at
/// `max_level` and below (all of them by default).
#[derive(Default)]
struct Recorder {
    max_level: Option<Level>,
    spans: Mutex<Vec<SpanRecord>>,
    events: Mutex<Vec<String>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.max_level.is_none_or(|max| *metadata.level() <= max)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(Vec::new());
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields.0));
        // Ids are 1-based positions in `spans`.
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(Vec::new());
        values.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, recorded)) = spans.get_mut(span.into_u64() as usize - 1) {
            recorded.extend(fields.0);
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.events.lock().unwrap().push(format!("{:?}", fields.0));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
#[allow(deprecated)]
async fn one_span_per_attempt_with_what_identifies_the_call_and_no_secret() {
    // The first answer is a 503 so that there are two attempts; the server also sends a
    // Deprecation header, which is logged as an event.
    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let app = axum::Router::new().fallback(move || {
        let counter = Arc::clone(&counter);
        async move {
            let n = {
                let mut calls = counter.lock().unwrap();
                *calls += 1;
                *calls
            };
            if n == 1 {
                (axum::http::StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
            } else {
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            "application/vnd.atlas.2023-01-01+json",
                        ),
                        (header::HeaderName::from_static("deprecation"), "true"),
                    ],
                    r#"{"results":[],"totalCount":0}"#,
                )
                    .into_response()
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let recorder = Arc::new(Recorder::default());
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .digest_auth("public-key-id", "very-private-key")
        .retry(
            atlas_admin::RetryPolicy::default()
                .base_delay(std::time::Duration::from_millis(1))
                .max_delay(std::time::Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    client
        .list_legacy_backup_checkpoints("32b6e34b3d91647abb20e7b8", "Cluster0")
        .send()
        .await
        .unwrap();

    let spans: Vec<_> = recorder
        .spans
        .lock()
        .unwrap()
        .iter()
        .filter(|(name, _)| name == "request")
        .cloned()
        .collect();
    assert_eq!(spans.len(), 2, "{spans:?}");
    for (attempt, (_, fields)) in spans.iter().enumerate() {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("operation_id"), Some("listLegacyBackupCheckpoints"));
        assert_eq!(get("method"), Some("GET"));
        assert_eq!(
            get("path_template"),
            Some("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backupCheckpoints")
        );
        assert_eq!(get("attempt"), Some((attempt + 1).to_string().as_str()));
        let status = if attempt == 0 { "503" } else { "200" };
        assert_eq!(get("status"), Some(status));
    }
    let events = recorder.events.lock().unwrap().join("\n");
    assert!(events.contains("deprecated"), "{events}");
    let everything = format!("{spans:?}\n{events}");
    assert!(!everything.contains("very-private-key"), "{everything}");
}

/// A server that answers every request with an empty page and `Deprecation: true`.
async fn deprecating_server() -> String {
    let app = axum::Router::new().fallback(|| async {
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.atlas.2023-01-01+json",
                ),
                (header::HeaderName::from_static("deprecation"), "true"),
                (
                    header::HeaderName::from_static("sunset"),
                    "Sun, 30 Jun 2030 23:59:59 GMT",
                ),
            ],
            r#"{"results":[],"totalCount":0}"#,
        )
            .into_response()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test]
#[allow(deprecated)]
async fn the_deprecation_warning_names_the_operation_when_only_warnings_are_on() {
    let base_url = deprecating_server().await;
    // At `warn`, the `info` span of the request is filtered out: the warning alone must
    // say which operation the server deprecates.
    let recorder = Arc::new(Recorder {
        max_level: Some(Level::WARN),
        ..Recorder::default()
    });
    let _guard = tracing::subscriber::set_default(Arc::clone(&recorder));
    let client = Client::builder().base_url(base_url).build().unwrap();
    for _ in 0..3 {
        client
            .list_legacy_backup_checkpoints("32b6e34b3d91647abb20e7b8", "Cluster0")
            .send()
            .await
            .unwrap();
    }

    assert!(
        recorder.spans.lock().unwrap().is_empty(),
        "spans are filtered out"
    );
    let events = recorder.events.lock().unwrap().clone();
    // Once per operation and client, not on every call.
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert!(
        event.contains(r#"("operation_id", "listLegacyBackupCheckpoints")"#),
        "{event}"
    );
    assert!(
        event.contains("the server marks operation listLegacyBackupCheckpoints deprecated"),
        "{event}"
    );
    assert!(
        event.contains(r#"("sunset", "Sun, 30 Jun 2030 23:59:59 GMT")"#),
        "{event}"
    );
}
