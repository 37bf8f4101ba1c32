//! The JSON API under `/api/v1/`: each answer is the JSON the matching command prints with `--json`
//! (the commands' own structs, so the two cannot drift), and the memory as TMX for OmegaT.
//!
//! The README has a request and an answer for each route; `openapi.json` beside this file describes
//! them for tools, and is served at `/api/v1/openapi.json`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::Deserialize;

use super::http::{json_bytes, to_json, ApiError};
use super::Shared;
use crate::commands::{
    add_unit, added_json, check_pairs, edit_unit, transliterate_each, user_name, CheckJson,
    ConcordanceJson, DeletedJson, LookupJson, TranslitJson,
};
use crate::fuzzy::{LookupOptions, Neighbours};
use crate::names::Authority;
use crate::store::{EditRequest, UnitFilter};
use crate::unit::{Segment, Unit};

/// The largest request body: a batch of a few hundred segments fits many times over.
pub(super) const MAX_BODY: usize = 1024 * 1024;
/// The longest text in one query, in characters: a long paragraph, not a document.
const MAX_TEXT: usize = 5_000;
/// The most queries in one batch lookup, and pairs in one check.
const MAX_BATCH: usize = 1_000;
/// The most matches per query, and hits per concordance.
const MAX_TOP: usize = 100;
const MAX_HITS: usize = 1_000;

const OPENAPI: &str = include_str!("openapi.json");

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v1/lookup", get(lookup).post(lookup_batch))
        .route("/api/v1/concordance", get(concordance))
        .route("/api/v1/translit", get(translit))
        .route("/api/v1/check", axum::routing::post(check))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/units", axum::routing::post(add))
        .route("/api/v1/units/{id}", patch(edit).delete(delete))
        .route("/api/v1/names", get(names).post(add_name))
        .route("/api/v1/export.tmx", get(export_tmx))
        .route("/api/v1/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    json_bytes(OPENAPI.as_bytes().to_vec())
}

/// A text from a request: present, not too long.
pub(super) fn text_param(name: &str, text: Option<String>) -> Result<String, ApiError> {
    let text = text.ok_or_else(|| ApiError::bad_request(format!("give the text as {name}")))?;
    let chars = text.chars().count();
    if chars > MAX_TEXT {
        return Err(ApiError::too_large(format!(
            "{name} has {chars} characters; the most is {MAX_TEXT}"
        )));
    }
    Ok(text)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LookupParams {
    q: Option<String>,
    min: Option<u8>,
    top: Option<usize>,
    src: Option<String>,
    tgt: Option<String>,
}

/// The lookup options of a request: the server's defaults (the config file's, as the CLI has them)
/// with what the request gives on top.
pub(super) fn lookup_options(
    shared: &Shared,
    min: Option<u8>,
    top: Option<usize>,
    src: Option<String>,
    tgt: Option<String>,
) -> Result<LookupOptions, ApiError> {
    let mut opts = shared.lookup.clone();
    if let Some(min) = min {
        if min > 100 {
            return Err(ApiError::bad_request("min is a score from 0 to 100"));
        }
        opts.min = min;
    }
    if let Some(top) = top {
        if top == 0 || top > MAX_TOP {
            return Err(ApiError::bad_request(format!(
                "top is how many matches to give, 1 to {MAX_TOP}"
            )));
        }
        opts.top = top;
    }
    for (name, given, field) in [("src", src, &mut opts.src), ("tgt", tgt, &mut opts.tgt)] {
        if let Some(lang) = given {
            if !is_language_tag(&lang) {
                return Err(ApiError::bad_request(format!(
                    "{name} {lang:?} is not a language tag (ar, en, ar-IQ)"
                )));
            }
            *field = lang;
        }
    }
    Ok(opts)
}

/// A BCP 47-looking tag: letters and digits in parts of up to 8, joined by `-` (or `_`, as POSIX
/// locales and the tmserver clients write them).
pub(super) fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split(['-', '_'])
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

async fn lookup(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<LookupParams>,
) -> Result<Response, ApiError> {
    let opts = lookup_options(&shared, params.min, params.top, params.src, params.tgt)?;
    let query = text_param("q", params.q)?;
    let body = shared
        .memory
        .read(move |reader| {
            let mut matcher = reader.matcher(opts)?;
            let matches = if query.trim().is_empty() {
                Vec::new()
            } else {
                matcher.lookup(&query, None)?
            };
            to_json(&LookupJson {
                query: &query,
                matches: &matches,
            })
        })
        .await?;
    Ok(json_bytes(body))
}

/// One query of a batch: its text, and for context matches the segments around it in its document.
#[derive(Deserialize)]
#[serde(untagged)]
enum BatchQuery {
    Text(String),
    WithContext {
        text: String,
        #[serde(default)]
        prev: Option<String>,
        #[serde(default)]
        next: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchRequest {
    queries: Vec<BatchQuery>,
    /// The queries are one document's segments in order: each one's neighbours are its context.
    #[serde(default)]
    document: bool,
    min: Option<u8>,
    top: Option<usize>,
    src: Option<String>,
    tgt: Option<String>,
}

/// `POST /api/v1/lookup`: many queries in one request, answered in order, each as `GET` answers it.
async fn lookup_batch(
    State(shared): State<Arc<Shared>>,
    Json(request): Json<BatchRequest>,
) -> Result<Response, ApiError> {
    let opts = lookup_options(&shared, request.min, request.top, request.src, request.tgt)?;
    if request.queries.len() > MAX_BATCH {
        return Err(ApiError::too_large(format!(
            "{} queries in one batch; the most is {MAX_BATCH}",
            request.queries.len()
        )));
    }
    let mut queries = Vec::with_capacity(request.queries.len());
    for (i, q) in request.queries.into_iter().enumerate() {
        let (text, prev, next) = match q {
            BatchQuery::Text(text) => (text, None, None),
            BatchQuery::WithContext { text, prev, next } => (text, prev, next),
        };
        let name = format!("queries[{i}]");
        queries.push((
            text_param(&name, Some(text))?,
            prev.map(|p| text_param(&name, Some(p))).transpose()?,
            next.map(|n| text_param(&name, Some(n))).transpose()?,
        ));
    }
    let document = request.document;
    let body = shared
        .memory
        .read(move |reader| {
            let mut matcher = reader.matcher(opts)?;
            let mut answers = Vec::with_capacity(queries.len());
            for (i, (text, prev, next)) in queries.iter().enumerate() {
                let context = if document {
                    Some(Neighbours {
                        prev: i.checked_sub(1).map(|j| queries[j].0.as_str()),
                        next: queries.get(i + 1).map(|q| q.0.as_str()),
                    })
                } else if prev.is_some() || next.is_some() {
                    Some(Neighbours {
                        prev: prev.as_deref(),
                        next: next.as_deref(),
                    })
                } else {
                    None
                };
                answers.push(if text.trim().is_empty() {
                    Vec::new()
                } else {
                    matcher.lookup(text, context)?
                });
            }
            let json: Vec<LookupJson> = (queries.iter().zip(&answers))
                .map(|((query, _, _), matches)| LookupJson { query, matches })
                .collect();
            to_json(&json)
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConcordanceParams {
    q: Option<String>,
    limit: Option<usize>,
    src: Option<String>,
    tgt: Option<String>,
}

async fn concordance(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<ConcordanceParams>,
) -> Result<Response, ApiError> {
    let opts = lookup_options(&shared, None, None, params.src, params.tgt)?;
    let phrase = text_param("q", params.q)?;
    if phrase.trim().is_empty() {
        return Err(ApiError::bad_request("q is empty: give a word or a phrase"));
    }
    let limit = params.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_HITS {
        return Err(ApiError::bad_request(format!(
            "limit is how many units to give, 1 to {MAX_HITS}"
        )));
    }
    let body = shared
        .memory
        .read(move |reader| {
            let hits = crate::fuzzy::concordance::concordance(
                &reader.store,
                &phrase,
                &opts.src,
                &opts.tgt,
                limit,
            )?;
            to_json(&ConcordanceJson {
                phrase: &phrase,
                hits: &hits,
            })
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslitParams {
    q: Option<String>,
    scheme: Option<String>,
}

async fn translit(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<TranslitParams>,
) -> Result<Response, ApiError> {
    let text = text_param("q", params.q)?;
    let scheme: crate::names::translit::Scheme = params
        .scheme
        .as_deref()
        .unwrap_or("news")
        .parse()
        .map_err(ApiError::bad_request)?;
    let style = shared.style.clone();
    let body = shared
        .memory
        .read(move |reader| {
            let mut body = Vec::new();
            transliterate_each(
                Some(&reader.store),
                style,
                scheme,
                std::iter::once(Ok(text)),
                |input, t| {
                    body = to_json(&TranslitJson::new(input, t, scheme))
                        .map_err(|e| anyhow::anyhow!(e.message))?;
                    Ok(())
                },
            )?;
            Ok(body)
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckPair {
    arabic: String,
    english: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    pairs: Vec<CheckPair>,
}

/// `POST /api/v1/check`: Arabic/English pairs in, the names that stray from the house spelling out,
/// as `tm check --json` gives them (a finding's `record` is the pair's place in the list, from 1).
async fn check(
    State(shared): State<Arc<Shared>>,
    Json(request): Json<CheckRequest>,
) -> Result<Response, ApiError> {
    if request.pairs.len() > MAX_BATCH {
        return Err(ApiError::too_large(format!(
            "{} pairs in one check; the most is {MAX_BATCH}",
            request.pairs.len()
        )));
    }
    let mut pairs = Vec::with_capacity(request.pairs.len());
    for (i, p) in request.pairs.into_iter().enumerate() {
        pairs.push((
            text_param(&format!("pairs[{i}].arabic"), Some(p.arabic))?,
            text_param(&format!("pairs[{i}].english"), Some(p.english))?,
        ));
    }
    let style = shared.style.clone();
    let body = shared
        .memory
        .read(move |reader| {
            let mut authority = Authority::with_user(reader.store.names()?);
            authority.prefer(style.forms);
            let (findings, inconsistencies) = check_pairs(&authority, &style, &pairs)?;
            to_json(&CheckJson {
                findings: &findings,
                inconsistencies: &inconsistencies,
            })
        })
        .await?;
    Ok(json_bytes(body))
}

/// `GET /api/v1/stats`: as `tm stats --json`, with the memory's file name rather than its whole path
/// (the server's folders are not the client's business).
async fn stats(State(shared): State<Arc<Shared>>) -> Result<Response, ApiError> {
    let body = shared
        .memory
        .read(|reader| {
            let mut stats = reader.store.stats()?;
            stats.path = stats.path.file_name().map(Into::into).unwrap_or_default();
            to_json(&stats)
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddRequest {
    source: String,
    target: String,
    src: Option<String>,
    tgt: Option<String>,
    origin: Option<String>,
    user: Option<String>,
}

/// `POST /api/v1/units`: as `tm add --json`.
async fn add(
    State(shared): State<Arc<Shared>>,
    Json(request): Json<AddRequest>,
) -> Result<Response, ApiError> {
    let opts = lookup_options(&shared, None, None, request.src, request.tgt)?;
    let source = text_param("source", Some(request.source))?;
    let target = text_param("target", Some(request.target))?;
    if source.trim().is_empty() || target.trim().is_empty() {
        return Err(ApiError::bad_request(
            "source and target must both have text",
        ));
    }
    let mut unit = Unit::new(
        &opts.src,
        &opts.tgt,
        Segment::plain(source),
        Segment::plain(target),
    );
    unit.origin = request.origin;
    let user = request.user.or_else(|| shared.user.clone());
    let body = shared
        .memory
        .write(move |store| to_json(&add_unit(store, unit, user)?))
        .await?;
    Ok((StatusCode::CREATED, json_bytes(body)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    source: Option<String>,
    target: Option<String>,
    note: Option<String>,
    user: Option<String>,
}

/// `PATCH /api/v1/units/{id}`: as `tm edit --json`.
async fn edit(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<i64>,
    Json(body): Json<EditBody>,
) -> Result<Response, ApiError> {
    let request = EditRequest {
        source: body
            .source
            .map(|t| text_param("source", Some(t)))
            .transpose()?,
        target: body
            .target
            .map(|t| text_param("target", Some(t)))
            .transpose()?,
        note: body.note.map(|t| text_param("note", Some(t))).transpose()?,
    };
    let user = body.user.or_else(|| shared.user.clone());
    let body = shared
        .memory
        .write(move |store| {
            match edit_unit(store, id, &request, user.as_deref()).map_err(bad_input)? {
                Some(edited) => to_json(&edited),
                None => Err(ApiError::not_found(format!("no unit has id {id}"))),
            }
        })
        .await?;
    Ok(json_bytes(body))
}

/// A command's refusal of what it was given (no store error in it) is the client's mistake: 400.
fn bad_input(e: anyhow::Error) -> ApiError {
    if e.downcast_ref::<crate::store::Error>().is_some() {
        ApiError::from(e)
    } else {
        ApiError::bad_request(format!("{e:#}"))
    }
}

/// `DELETE /api/v1/units/{id}`: as `tm delete --id N --json`.
async fn delete(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let body = shared
        .memory
        .write(move |store| {
            let deleted = store.delete(&UnitFilter {
                ids: vec![id],
                ..UnitFilter::default()
            })?;
            if deleted == 0 {
                return Err(ApiError::not_found(format!("no unit has id {id}")));
            }
            to_json(&DeletedJson {
                deleted,
                dry_run: false,
            })
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesParams {
    /// Only the names users added (`tm names list --user`).
    #[serde(default)]
    user: bool,
}

/// `GET /api/v1/names`: the names `tm names list --json` gives (one object a line there), as one
/// array.
async fn names(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<NamesParams>,
) -> Result<Response, ApiError> {
    let body = shared
        .memory
        .read(move |reader| {
            let user = reader.store.names()?;
            to_json(&if params.user {
                user
            } else {
                Authority::with_user(user).names
            })
        })
        .await?;
    Ok(json_bytes(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameRequest {
    arabic: String,
    english: String,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    accepted: Vec<String>,
    #[serde(default)]
    note: String,
}

fn default_kind() -> String {
    "other".to_string()
}

/// `POST /api/v1/names`: as `tm names add --json`.
async fn add_name(
    State(shared): State<Arc<Shared>>,
    Json(request): Json<NameRequest>,
) -> Result<Response, ApiError> {
    let arabic = text_param("arabic", Some(request.arabic))?;
    let english = text_param("english", Some(request.english))?;
    let name = user_name(
        &arabic,
        &english,
        &request.kind,
        &request.variants,
        &request.accepted,
        &request.note,
    )
    .map_err(bad_input)?;
    let body = shared
        .memory
        .write(move |store| {
            store.add_names(std::slice::from_ref(&name))?;
            to_json(&added_json(&name))
        })
        .await?;
    Ok((StatusCode::CREATED, json_bytes(body)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    origin: Option<String>,
}

/// `GET /api/v1/export.tmx[?origin=NAME]`: the memory (or one origin) as TMX, as `tm export` writes it,
/// with an `ETag` that stays the same while the memory does, so that a CAT tool polling it (an OmegaT
/// team project's remote TMX) gets 304 and no body until something changes.
async fn export_tmx(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let origin = params
        .origin
        .map(|o| text_param("origin", Some(o)))
        .transpose()?;
    let version = shared.memory.version()?;
    let etag = format!(
        "\"{version}-{:x}\"",
        crate::store::stable_hash(&[origin.as_deref().unwrap_or("")]) as u64
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_header =
        HeaderValue::from_str(&etag).map_err(|e| ApiError::internal(e.to_string()))?;
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response());
    }
    let body = super::export::tmx(&shared.memory, origin).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-tmx+xml; charset=utf-8"),
            ),
            (header::ETAG, etag_header),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"memory.tmx\""),
            ),
        ],
        body,
    )
        .into_response())
}
