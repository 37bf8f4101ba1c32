//! The memory as TMX over HTTP, written as it is read: a large memory is never held whole in the
//! server, and a client that stops reading stops the export.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use tokio::sync::mpsc;

use super::http::ApiError;
use super::memory::Memory;
use crate::formats::tmx::{Header, TmxWriter};
use crate::store::UnitFilter;

/// Bytes handed to the connection at a time.
const CHUNK: usize = 64 * 1024;
/// How long a client may leave a chunk unread before the export gives up on it.
const STALL: Duration = Duration::from_secs(60);
/// Exports at once: each holds a thread and a read transaction for as long as its client reads.
static EXPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// `tm export`'s TMX of the memory, or of the units of one `origin`, as a streamed body.
pub(super) async fn tmx(memory: &Arc<Memory>, origin: Option<String>) -> Result<Body, ApiError> {
    let permit = EXPORTS
        .acquire()
        .await
        .map_err(|_| ApiError::unavailable("the server is stopping"))?;
    let (send, receive) = mpsc::channel::<io::Result<Bytes>>(4);
    let runtime = tokio::runtime::Handle::current();
    memory.spawn_read(move |store| {
        let _permit = permit;
        let mut out = Chunks {
            buffer: Vec::with_capacity(CHUNK),
            send: send.clone(),
            runtime,
        };
        let written = (|| -> anyhow::Result<()> {
            let store = store.map_err(|e| anyhow::anyhow!(e.message))?;
            let stats = store.stats()?;
            let srclang = match stats.pairs.as_slice() {
                [one] => one.src.clone(),
                _ => "*all*".to_string(),
            };
            let header = Header {
                srclang,
                creation_date: crate::store::now(),
            };
            let mut w = TmxWriter::new(&mut out, &header)?;
            let filter = UnitFilter {
                origin,
                ..UnitFilter::default()
            };
            store.for_each_unit(&filter, |_, unit| {
                w.write_unit(&unit).map_err(anyhow::Error::from)
            })?;
            w.finish()?;
            out.flush()?;
            Ok(())
        })();
        if let Err(e) = written {
            // The client sees the body end early (the status was sent already); the log says why.
            super::http::log_line(&serde_json::json!({
                "level": "error", "error": format!("export.tmx: {e:#}")
            }));
            let _ = out.runtime.block_on(
                out.send
                    .send_timeout(Err(io::Error::other("export failed")), STALL),
            );
        }
    });
    let stream = futures_util::stream::unfold(receive, |mut receive| async move {
        receive.recv().await.map(|chunk| (chunk, receive))
    });
    Ok(Body::from_stream(stream))
}

/// Collects writes into chunks and sends each to the connection, waiting while the client reads.
struct Chunks {
    buffer: Vec<u8>,
    send: mpsc::Sender<io::Result<Bytes>>,
    runtime: tokio::runtime::Handle,
}

impl Write for Chunks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.runtime
            .block_on(self.send.send_timeout(Ok(chunk), STALL))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client stopped reading"))
    }
}
