//! Tests run inside the crate generated from `bodies.yaml` (see that file, and `.ci/run`):
//! every kind of body is sent to a real HTTP server on loopback, which records the bytes
//! and content type that arrived (and parses multipart bodies with its own parser), and
//! answers in every kind of response body.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use bodies::models::{Meta, Signup, SignupFilter};
use bodies::operations::{SendEitherBody, UploadMultipart};
use bodies::{Client, Error, File};
use futures_util::TryStreamExt;

/// One request as the server received it.
#[derive(Debug, Clone, Default)]
struct Received {
    method: String,
    path: String,
    content_type: Option<String>,
    content_length: Option<u64>,
    body: Vec<u8>,
    /// A multipart body's parts, as the server's multipart parser read them.
    parts: Vec<ReceivedPart>,
}

#[derive(Debug, Clone, PartialEq)]
struct ReceivedPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl ReceivedPart {
    fn new(name: &str, file_name: Option<&str>, content_type: &str, data: &[u8]) -> Self {
        Self {
            name: name.to_owned(),
            file_name: file_name.map(str::to_owned),
            content_type: Some(content_type.to_owned()),
            data: data.to_vec(),
        }
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// The body `/download` answers with: 3 MiB, more than one read of the stream.
fn large() -> Vec<u8> {
    (0..3 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect()
}

struct Server {
    client: Client,
    log: Log,
}

impl Server {
    async fn start() -> Self {
        let log = Log::default();
        let app = Router::new()
            .route("/upload", post(upload))
            .fallback(record)
            .with_state(Arc::clone(&log));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let client = Client::builder()
            .base_url(format!("http://{address}"))
            .build()
            .unwrap();
        Self { client, log }
    }

    fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    fn last(&self) -> Received {
        self.received().pop().expect("the server received a request")
    }
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .map(|v| v.to_str().unwrap().parse().unwrap())
}

fn reply(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

async fn record(State(log): State<Log>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let path = parts.uri.path().to_owned();
    log.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: path.clone(),
        content_type: content_type(&parts.headers),
        content_length: content_length(&parts.headers),
        body: body.to_vec(),
        parts: Vec::new(),
    });
    match path.as_str() {
        "/form" => reply(204, "text/plain", Body::empty()),
        "/raw" => reply(200, "application/octet-stream", body),
        "/note" => reply(200, "text/plain; charset=utf-8", body),
        "/either" => reply(
            200,
            "application/problem+json",
            r#"{"author":"server","year":7}"#,
        ),
        "/download" => reply(200, "application/zip", large()),
        _ => reply(404, "text/plain", "no such path"),
    }
}

async fn upload(State(log): State<Log>, headers: HeaderMap, request: Request) -> Response {
    let (head, body) = request.into_parts();
    // Read whole first, to compare with `Content-Length`, then parsed.
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let request = Request::from_parts(head, Body::from(body.clone()));
    let mut form = Multipart::from_request(request, &()).await.unwrap();
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.unwrap().to_vec();
        parts.push(ReceivedPart {
            name,
            file_name,
            content_type,
            data,
        });
    }
    log.lock().unwrap().push(Received {
        method: "POST".to_owned(),
        path: "/upload".to_owned(),
        content_type: content_type(&headers),
        content_length: content_length(&headers),
        body: body.to_vec(),
        parts,
    });
    reply(
        201,
        "application/json; charset=utf-8",
        r#"{"author":"stored","year":1}"#,
    )
}

fn meta(author: &str, year: i64) -> Meta {
    Meta {
        author: Some(author.to_owned()),
        year: Some(year),
        ..Meta::default()
    }
}

#[tokio::test]
async fn a_form_body_is_urlencoded_with_each_property_in_its_encoding() {
    let server = Server::start().await;
    let signup = Signup {
        tags: Some(vec!["x".to_owned(), "y z".to_owned()]),
        codes: Some(vec![1, 2]),
        filter: Some(SignupFilter {
            status: Some("open".to_owned()),
            size: Some(3),
        }),
        meta: Some(meta("Ann & Bo", 2020)),
        ids: Some(vec![4, 5]),
        agree: Some(true),
        ..Signup::new("a@b.c".to_owned())
    };
    let response = server.client.send_form().body(signup).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let received = server.last();
    assert_eq!((received.method.as_str(), received.path.as_str()), ("POST", "/form"));
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    // In the schema's order: `tags` form without explode, `codes` pipe-delimited,
    // `filter` a deep object (its keys in key order), `meta` an object without a style
    // (JSON text), `ids` an array in the default style (one field per item).
    assert_eq!(
        String::from_utf8(received.body).unwrap(),
        "email=a%40b.c&tags=x%2Cy+z&codes=1%7C2&filter%5Bsize%5D=3&filter%5Bstatus%5D=open\
         &meta=%7B%22author%22%3A%22Ann+%26+Bo%22%2C%22year%22%3A2020%7D&ids=4&ids=5&agree=true"
    );
}

#[tokio::test]
async fn a_missing_required_body_sends_nothing() {
    let server = Server::start().await;
    let error = server.client.send_form().send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(server.received().is_empty());
}

/// A file on disk larger than one read of the upload stream.
fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bodies-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.txt");
    std::fs::write(&path, contents).unwrap();
    path
}

#[tokio::test]
async fn a_multipart_body_has_typed_fields_and_file_parts_streamed_from_disk() {
    let server = Server::start().await;
    let document: Vec<u8> = (0..200_000u32).map(|i| (i % 97) as u8).collect();
    let path = temp_file("multipart", &document);
    let body = UploadMultipart {
        title: "Report \"Q1\"".to_owned(),
        count: Some(3),
        meta: Some(meta("Ann", 2020)),
        labels: Some(vec!["a".to_owned(), "b".to_owned()]),
        document: File::from_path(&path),
        thumbnail: Some(File::from_bytes(vec![137, 80, 78, 71]).file_name("t.png")),
        attachments: Some(vec![
            File::from_bytes("plain"),
            File::from_bytes("x,y").file_name("a.csv").content_type("text/csv"),
        ]),
    };
    let request = server.client.upload().body(body.clone()).prepare().unwrap();
    let content_type = request.content_type().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert_eq!(request.body(), None, "a multipart body is written as it is sent");

    let response = server.client.upload().body(body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.body(), &meta("stored", 1));
    let received = server.last();
    assert!(
        received
            .content_type
            .as_deref()
            .unwrap()
            .starts_with("multipart/form-data; boundary="),
        "{received:?}"
    );
    let expected = [
        ReceivedPart::new("title", None, "text/plain", b"Report \"Q1\""),
        ReceivedPart::new("count", None, "text/plain", b"3"),
        ReceivedPart::new(
            "meta",
            None,
            "application/json",
            br#"{"author":"Ann","year":2020}"#,
        ),
        ReceivedPart::new("labels", None, "text/plain", b"a"),
        ReceivedPart::new("labels", None, "text/plain", b"b"),
        ReceivedPart::new(
            "document",
            Some("report.txt"),
            "application/octet-stream",
            &document,
        ),
        ReceivedPart::new("thumbnail", Some("t.png"), "image/png", &[137, 80, 78, 71]),
        ReceivedPart::new(
            "attachments",
            Some("attachments"),
            "application/octet-stream",
            b"plain",
        ),
        ReceivedPart::new("attachments", Some("a.csv"), "text/csv", b"x,y"),
    ];
    // The length is known before the files are read, so the body is not chunked.
    assert_eq!(received.content_length, Some(received.body.len() as u64));
    assert_eq!(received.parts.len(), expected.len(), "{:?}", received.parts);
    for (got, want) in received.parts.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn optional_parts_left_unset_are_not_sent_and_a_missing_file_sends_nothing() {
    let server = Server::start().await;
    let body = UploadMultipart {
        title: "only".to_owned(),
        count: None,
        meta: None,
        labels: None,
        document: File::from_bytes("d"),
        thumbnail: None,
        attachments: None,
    };
    server.client.upload().body(body).send().await.unwrap();
    let names: Vec<String> = server.last().parts.into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["title", "document"]);

    let body = UploadMultipart {
        title: "missing".to_owned(),
        count: None,
        meta: None,
        labels: None,
        document: File::from_path("/nonexistent/bodies-test/file.bin"),
        thumbnail: None,
        attachments: None,
    };
    let error = server.client.upload().body(body).send().await.unwrap_err();
    assert!(matches!(error, Error::File(_)), "{error:?}");
    assert_eq!(server.received().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn raw_bytes_go_out_and_come_back_as_they_are() {
    let server = Server::start().await;
    let bytes = vec![0, 159, 255, b'\n'];
    let response = server
        .client
        .put_raw()
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), bytes.as_slice());
    let received = server.last();
    assert_eq!((received.method.as_str(), received.path.as_str()), ("PUT", "/raw"));
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(received.body, bytes);

    // An optional body left out is no body at all.
    server.client.put_raw().send().await.unwrap();
    let received = server.last();
    assert_eq!(received.content_type, None);
    assert!(received.body.is_empty());
}

#[tokio::test]
async fn text_goes_out_as_text_and_comes_back_as_a_string() {
    let server = Server::start().await;
    let response = server
        .client
        .put_note()
        .body("héllo, wörld".to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.body(), "héllo, wörld");
    let received = server.last();
    assert_eq!(received.content_type.as_deref(), Some("text/plain"));
    assert_eq!(received.body, "héllo, wörld".as_bytes());

    let streamed = server
        .client
        .put_note()
        .body("in chunks".to_owned())
        .send_streaming()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await
        .unwrap();
    assert_eq!(streamed.as_ref(), b"in chunks");
}

#[tokio::test]
async fn several_media_types_let_the_caller_choose_one() {
    let server = Server::start().await;
    let client = &server.client;

    let response = client
        .send_either()
        .body(SendEitherBody::Json(meta("J", 1)))
        .send()
        .await
        .unwrap();
    // `application/problem+json` is JSON.
    assert_eq!(response.body(), &meta("server", 7));
    let received = server.last();
    assert_eq!(received.content_type.as_deref(), Some("application/json"));
    assert_eq!(received.body, br#"{"author":"J","year":1}"#);

    client
        .send_either()
        .body(SendEitherBody::Form(meta("F G", 2)))
        .send()
        .await
        .unwrap();
    let received = server.last();
    assert_eq!(
        received.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(received.body, b"author=F+G&year=2");

    client
        .send_either()
        .body(SendEitherBody::Text("a,b\n1,2\n".to_owned()))
        .send()
        .await
        .unwrap();
    let received = server.last();
    assert_eq!(received.content_type.as_deref(), Some("text/csv"));
    assert_eq!(received.body, b"a,b\n1,2\n");

    client
        .send_either()
        .body(SendEitherBody::ApplicationXml(b"<a/>".to_vec()))
        .send()
        .await
        .unwrap();
    let received = server.last();
    assert_eq!(received.content_type.as_deref(), Some("application/xml"));
    assert_eq!(received.body, b"<a/>");
}

#[tokio::test]
async fn a_large_download_streams_in_chunks_or_arrives_whole() {
    let server = Server::start().await;
    let response = server.client.download().send_streaming().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE.as_str()],
        "application/zip"
    );
    let mut stream = response.into_inner();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.try_next().await.unwrap() {
        streamed.extend_from_slice(&chunk);
    }
    assert_eq!(streamed, large());

    let whole = server.client.download().send().await.unwrap();
    assert_eq!(whole.body().as_ref(), large().as_slice());

    let collected = server
        .client
        .put_raw()
        .body(vec![1, 2, 3])
        .send_streaming()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await
        .unwrap();
    assert_eq!(collected.as_ref(), [1, 2, 3]);
}
