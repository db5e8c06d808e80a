//! A real HTTP server on 127.0.0.1 (port 0) that records every request it receives and
//! answers each with one configurable reply.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;

/// One request as it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// The path as sent on the wire, still percent-encoded.
    pub path: String,
    /// The raw query string, without `?`; `None` when the request had none.
    pub query: Option<String>,
    /// Every `Accept` header value, in order.
    pub accept: Vec<String>,
    pub user_agent: Option<String>,
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Further response headers.
    pub headers: Vec<(&'static str, &'static str)>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }
}

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    reply: Mutex<Reply>,
}

pub struct TestServer {
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(reply: Reply) -> Self {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            reply: Mutex::new(reply),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url: format!("http://{address}"),
            shared,
            task,
        }
    }

    /// A client of the crate pointed at this server.
    pub fn client(&self) -> atlas_admin::Client {
        self.client_for(&self.base_url)
    }

    pub fn client_for(&self, base_url: &str) -> atlas_admin::Client {
        // Retries are switched off so each call is exactly one request; retries have
        // their own tests.
        atlas_admin::Client::builder()
            .base_url(base_url)
            .timeout(std::time::Duration::from_secs(10))
            .retry(atlas_admin::RetryPolicy::disabled())
            .build()
            .unwrap()
    }

    pub fn set_reply(&self, reply: Reply) {
        *self.shared.reply.lock().unwrap() = reply;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.requests.lock().unwrap().len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let headers = request.headers();
    let recorded = Recorded {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        accept: headers
            .get_all(header::ACCEPT)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect(),
        user_agent: headers
            .get(header::USER_AGENT)
            .map(|value| value.to_str().unwrap().to_owned()),
    };
    shared.requests.lock().unwrap().push(recorded);
    let reply = shared.reply.lock().unwrap().clone();
    let mut response = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap())
        .header(header::CONTENT_TYPE, reply.content_type);
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}
