//! The web page at `/`: search, concordance, name check and translit for translators who never open
//! a terminal. Plain HTML, CSS and a little JavaScript, embedded in the binary: no CDN, no build step.
//! The browser lays Arabic out itself (`dir="rtl"`, `dir="auto"`, `<bdi>`), and every text from the
//! memory reaches the page as text (`textContent`), never as markup.

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::Shared;

const INDEX: &str = include_str!("web/index.html");
const SCRIPT: &str = include_str!("web/app.js");
const STYLE: &str = include_str!("web/style.css");

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/style.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8") }),
        )
}

/// Whether a path is one of the page's own files: they hold no data, and the page must load before
/// it can ask for the token.
pub(super) fn is_asset(path: &str) -> bool {
    matches!(path, "/" | "/app.js" | "/style.css")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            // The page runs only its own script and talks only to this server.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                     frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}
