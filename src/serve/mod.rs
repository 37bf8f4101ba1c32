//! `tm serve`: one memory for a newsroom over HTTP, for CAT tools, scripts and a browser, on the same
//! store and the same matching code as the command line.
//!
//! - `api.rs`: the JSON API under `/api/v1/` (the same JSON as the commands' `--json`), and the memory
//!   as TMX for OmegaT team projects;
//! - `tmserver.rs`: the amaGama / Translate Toolkit tmserver protocol that Weblate and Okapi speak;
//! - `web.rs`: the web page at `/`, embedded in the binary;
//! - `memory.rs`: read connections, the one writer thread, the memory's version;
//! - `http.rs`: the accept loop, timeouts, who may do what, the access log, errors as JSON.
//!
//! tokio and hyper under axum: the standard stack for an HTTP service in Rust, and the one whose
//! graceful shutdown and timeouts are already right.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};

mod api;
mod export;
mod http;
mod memory;
mod tmserver;
mod web;

use memory::Memory;

/// `tm serve`, mapped from its flags.
pub struct ServeConfig {
    /// The address to listen on (`127.0.0.1:8080`; port 0 takes any free port).
    pub addr: String,
    /// A file whose first line is the token that writes need (and reads, off loopback).
    pub token_file: Option<PathBuf>,
    /// Take no writes at all.
    pub read_only: bool,
    /// Off loopback, let anyone read without the token.
    pub public_read: bool,
    /// The user recorded on units the server adds or edits, unless a request names one.
    pub user: Option<String>,
    /// Lookup defaults (the config file's `[lookup]` and `[penalties]`, as the CLI has them).
    pub lookup: crate::fuzzy::LookupOptions,
    /// The house style for translit and check (`--style`, else the shipped one).
    pub style: crate::names::style::Style,
}

/// What every request handler shares.
pub(crate) struct Shared {
    memory: Arc<Memory>,
    /// The token that opens writes (and reads off loopback); `None`: no writes.
    token: Option<String>,
    /// Whether reads need no token: on loopback, or `--public-read`.
    open_reads: bool,
    user: Option<String>,
    lookup: crate::fuzzy::LookupOptions,
    style: crate::names::style::Style,
}

/// Runs the server until SIGINT or SIGTERM, then lets the requests under way finish.
pub fn serve(ctx: &crate::commands::Context, cfg: ServeConfig) -> Result<()> {
    let db = ctx.db_path()?;
    if !db.exists() {
        bail!(
            "no memory at {} yet: create one first (tm import FILE, or tm add --source ... --target \
             ...), with --db {0} if it goes there, then start tm serve again",
            db.display()
        );
    }
    let addr: SocketAddr = cfg.addr.parse().with_context(|| {
        format!(
            "--addr {:?}: give an IP address and a port, such as 127.0.0.1:8080",
            cfg.addr
        )
    })?;
    let token = cfg.token_file.as_deref().map(read_token).transpose()?;
    let loopback = addr.ip().is_loopback();
    if !loopback && token.is_none() && !cfg.public_read {
        bail!(
            "{addr} is not a loopback address: give --token-file FILE (the token opens reads and \
             writes), or --public-read to let anyone read"
        );
    }
    let memory = Arc::new(Memory::open(&db, ctx.open_options, cfg.read_only)?);
    let shared = Arc::new(Shared {
        memory: memory.clone(),
        token,
        open_reads: loopback || cfg.public_read,
        user: cfg.user,
        lookup: cfg.lookup,
        style: cfg.style,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("tm-serve")
        .build()
        .context("starting the server's threads")?;
    let announced = memory.clone();
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let bound = listener.local_addr()?;
        // Tests and scripts wait for this line: it comes once the server takes connections.
        eprintln!(
            "tm serve: listening on http://{bound}/ (memory {}{})",
            announced.path().display(),
            if announced.is_read_only() {
                ", read-only"
            } else {
                ""
            }
        );
        http::run(listener, router(shared), stop_signal()).await;
        anyhow::Ok(())
    });
    // Every write accepted before the signal is committed before the process ends.
    memory.close();
    runtime.shutdown_timeout(http::REQUEST_TIMEOUT);
    served?;
    eprintln!("tm serve: stopped");
    Ok(())
}

/// The whole application: API, protocol, page, and the guard around them all.
fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .merge(api::routes())
        .merge(tmserver::routes())
        .merge(web::routes())
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            http::guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(api::MAX_BODY))
        .with_state(shared)
}

/// The token from its file: the first line, without surrounding space; an empty one is refused.
fn read_token(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.len() < 16 {
        bail!(
            "{}: the token must be at least 16 characters on its first line (for example the \
             output of: openssl rand -hex 32)",
            path.display()
        );
    }
    Ok(token)
}

/// Completes on SIGINT or SIGTERM.
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return interrupt.await.unwrap_or(()),
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    eprintln!("tm serve: stopping: finishing the requests under way");
}
