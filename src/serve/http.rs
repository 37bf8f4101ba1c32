//! HTTP plumbing: the accept loop (timeouts, graceful shutdown), the access log, who may do what, and
//! the one error type every answer's failure turns into (JSON, with a 4xx or 5xx status).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use serde::Serialize;
use tokio::net::TcpListener;

use super::Shared;

/// How long a client may take to send a request's head: a client that trickles bytes does not hold a
/// connection open for ever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take, its body included, before it gets 408 or 503.
pub(super) const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections open at once; more wait in the kernel's queue.
const MAX_CONNECTIONS: usize = 1024;

/// A failed request: its status and what to tell the client. The body is
/// `{"error": {"status": 400, "message": "..."}}`.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub fn read_only() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "this server was started --read-only: it does not change the memory",
        )
    }
}

impl From<crate::store::Error> for ApiError {
    fn from(e: crate::store::Error) -> ApiError {
        match e {
            crate::store::Error::Busy { .. } => ApiError::unavailable(
                "the memory is busy: another tm process is writing to it; try again",
            ),
            other => ApiError::from(anyhow::Error::from(other)),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    /// What went wrong on the server's side: the server's log has the whole message (it may name the
    /// server's files); the client learns that it failed.
    fn from(e: anyhow::Error) -> ApiError {
        if let Some(crate::store::Error::Busy { .. }) = e.downcast_ref::<crate::store::Error>() {
            return ApiError::unavailable(
                "the memory is busy: another tm process is writing to it; try again",
            );
        }
        log_line(&serde_json::json!({"level": "error", "error": format!("{e:#}")}));
        ApiError::internal("the server could not answer: its log says why")
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: &self.message,
            },
        })
        .unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tm\""),
            );
        }
        response
    }
}

/// A JSON answer already serialized (the commands' `--json` structs borrow, so they are written out
/// where they are made).
pub(super) fn json_bytes(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Serializes `value` as the answer's JSON.
pub(super) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::from(anyhow::Error::from(e)))
}

/// One line of JSON on stderr: the access log and the server's errors.
pub(super) fn log_line(value: &serde_json::Value) {
    use std::io::Write;
    let mut line = serde_json::to_vec(value).unwrap_or_default();
    line.push(b'\n');
    let _ = std::io::stderr().lock().write_all(&line);
}

/// Whether a request may read, and whether it may write: the token (`Authorization: Bearer TOKEN`)
/// opens both; without it, reads are open on loopback or with `--public-read`, writes never.
pub(super) fn authorized(shared: &Shared, request_headers: &axum::http::HeaderMap) -> bool {
    let Some(token) = &shared.token else {
        return false;
    };
    let given = request_headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(given) => {
            use subtle::ConstantTimeEq;
            bool::from(given.as_bytes().ct_eq(token.as_bytes()))
        }
        None => false,
    }
}

/// Whether a request changes the memory. Batch lookups and checks are POSTs (their input is a body)
/// but only read.
fn is_write(method: &str, path: &str) -> bool {
    match method {
        "GET" | "HEAD" | "OPTIONS" => false,
        "POST" => !matches!(path, "/api/v1/lookup" | "/api/v1/check"),
        _ => true,
    }
}

/// Middleware: turns away reads that need the token, writes without it, and answers every error the
/// framework makes (an unknown path, a bad query, a body too large) as JSON; logs each request.
pub(super) async fn guard(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let writes = is_write(method.as_str(), &path);
    let token = authorized(&shared, request.headers());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let refused = if announced.is_some_and(|n| n > super::api::MAX_BODY as u64) {
        // Refused from the announced length, before a byte of the body is read.
        Some(ApiError::too_large(format!(
            "the body has {} bytes; the most is {}",
            announced.unwrap_or(0),
            super::api::MAX_BODY
        )))
    } else if writes && !token {
        Some(ApiError::new(
            StatusCode::UNAUTHORIZED,
            if shared.token.is_none() {
                "this server has no token, so it takes no writes: start it with --token-file FILE"
            } else {
                "writing needs the token: send Authorization: Bearer TOKEN"
            },
        ))
    } else if !writes && !token && !shared.open_reads && !super::web::is_asset(&path) {
        Some(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this server is not on loopback: reading needs the token (Authorization: Bearer TOKEN)",
        ))
    } else {
        None
    };
    let response = match refused {
        Some(error) => {
            let mut response = error.into_response();
            // The body was not read: the connection cannot carry another request, and a client
            // that is told so does not send its next one into a closing socket.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
        None => match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
            Ok(response) => as_json_error(response).await,
            Err(_) => ApiError::unavailable("the request took too long").into_response(),
        },
    };
    log_line(&serde_json::json!({
        "time": crate::store::now(),
        "remote": peer.to_string(),
        "method": method.as_str(),
        "path": path,
        "status": response.status().as_u16(),
        "ms": (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
    }));
    response
}

/// A framework error (plain text) made into the JSON every error of the API has.
async fn as_json_error(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    ApiError::new(status, message).into_response()
}

/// Accepts connections until `stop` completes, then lets the requests under way finish.
pub(super) async fn run(
    listener: TcpListener,
    app: axum::Router,
    stop: impl std::future::Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut stop = std::pin::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            tower::ServiceExt::oneshot(app.clone(), request)
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .keep_alive(true);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away mid-request is its own loss: the others go on.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
