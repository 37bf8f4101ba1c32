//! The tmserver protocol of Translate Toolkit and amaGama, which Weblate's `tmserver` machinery,
//! Okapi's Translate Toolkit TM connector and Virtaal speak, answered from the memory with `tm`'s
//! own matching:
//!
//! - `GET /tmserver/{src}/{tgt}/unit/{text}` (or `.../unit/?source=TEXT`), with `min_similarity`
//!   (default 70, at least 30) and `max_candidates` (default 5, at most 30): an array of
//!   `{"source", "target", "quality", "rank"}`, best first; `quality` is the score (0–100) as a
//!   number with a fraction, as Okapi's client reads it;
//! - `GET /tmserver/languages/`: `{"sourceLanguages": [...], "targetLanguages": [...]}`.
//!
//! Language codes come as the clients write them (`ar`, `en_US`, `en_us`); `_` is read as `-`. The
//! same routes answer under `/api/v1/`, where amaGama has them now.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::api::{is_language_tag, lookup_options, text_param};
use super::http::{json_bytes, to_json, ApiError};
use super::Shared;

/// Under `/tmserver/` as Translate Toolkit's tmserver and Weblate's machinery address it, and under
/// `/api/v1/` as amaGama serves it today (Okapi's connector's default address has that form).
pub(super) fn routes() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    for base in ["/tmserver", "/api/v1"] {
        router = router
            .route(&format!("{base}/languages/"), get(languages))
            .route(&format!("{base}/languages"), get(languages))
            .route(&format!("{base}/{{src}}/{{tgt}}/unit/"), get(unit_by_param))
            .route(&format!("{base}/{{src}}/{{tgt}}/unit/{{*text}}"), get(unit));
    }
    router
}

/// The query parameters, read as amaGama reads them: a value that is not a whole number is ignored.
#[derive(Deserialize, Default)]
struct Params {
    min_similarity: Option<String>,
    max_candidates: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct Candidate<'a> {
    source: &'a str,
    target: &'a str,
    quality: f64,
    rank: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Languages {
    source_languages: Vec<String>,
    target_languages: Vec<String>,
}

async fn languages(State(shared): State<Arc<Shared>>) -> Result<Response, ApiError> {
    let body = shared
        .memory
        .read(|reader| {
            let pairs = reader.store.stats()?.pairs;
            let mut languages = Languages {
                source_languages: pairs.iter().map(|p| p.src.clone()).collect(),
                target_languages: pairs.iter().map(|p| p.tgt.clone()).collect(),
            };
            for list in [
                &mut languages.source_languages,
                &mut languages.target_languages,
            ] {
                list.sort();
                list.dedup();
            }
            to_json(&languages)
        })
        .await?;
    Ok(json_bytes(body))
}

async fn unit_by_param(
    shared: State<Arc<Shared>>,
    Path((src, tgt)): Path<(String, String)>,
    Query(params): Query<Params>,
) -> Result<Response, ApiError> {
    match params.source.clone().filter(|s| !s.is_empty()) {
        Some(text) => answer(shared, src, tgt, text, params).await,
        None => Err(ApiError::not_found(
            "give the text after unit/, or as ?source=",
        )),
    }
}

async fn unit(
    shared: State<Arc<Shared>>,
    Path((src, tgt, text)): Path<(String, String, String)>,
    Query(params): Query<Params>,
) -> Result<Response, ApiError> {
    answer(shared, src, tgt, text, params).await
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    src: String,
    tgt: String,
    text: String,
    params: Params,
) -> Result<Response, ApiError> {
    let number = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let min = number(&params.min_similarity).unwrap_or(70).clamp(30, 100) as u8;
    let top = number(&params.max_candidates).unwrap_or(5).clamp(1, 30) as usize;
    for lang in [&src, &tgt] {
        if !is_language_tag(lang) {
            return Err(ApiError::not_found(format!(
                "{lang:?} is not a language code"
            )));
        }
    }
    let (src, tgt) = (src.replace('_', "-"), tgt.replace('_', "-"));
    if primary(&src) == primary(&tgt) {
        return Err(ApiError::not_found(
            "the source and target languages are the same",
        ));
    }
    let opts = lookup_options(&shared, Some(min), Some(top), Some(src.clone()), Some(tgt))?;
    let text = text_param("the text", Some(text))?;
    let body = shared
        .memory
        .read(move |reader| {
            if !reader.store.has_source_language(&primary(&src))? {
                return Err(ApiError::not_found(format!(
                    "the memory has no units in {src}"
                )));
            }
            let matches = if text.trim().is_empty() {
                Vec::new()
            } else {
                let mut matcher = reader.matcher(opts)?;
                matcher.lookup(&text, None)?
            };
            let candidates: Vec<Candidate> = matches
                .iter()
                .map(|m| Candidate {
                    source: &m.source,
                    target: &m.target,
                    quality: f64::from(m.score),
                    rank: f64::from(m.score) / 100.0,
                })
                .collect();
            to_json(&candidates)
        })
        .await?;
    Ok(json_bytes(body))
}

/// The primary language of a tag, lowercased (`en-US` → `en`), as the memory's statistics give it.
fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}
