//! The public log endpoints, as an axum [`Router`] with its state applied (merge it into the
//! web server). Only this module knows HTTP on the server side; every store call runs in
//! `spawn_blocking`. Hashes are lowercase hex in JSON; checkpoints are C2SP signed notes.
//!
//! | method and path | answer |
//! | --- | --- |
//! | `GET /api/v1/log/checkpoint[?size=n]` | `text/plain`: the newest (or size-`n`) signed checkpoint, then the stored witness cosignature lines; 404 for a size without one |
//! | `GET /api/v1/log/checkpoints?from=f&limit=l` | `{"from":f,"limit":l,"newest":n,"sizes":[…],"next":f+l\|null}`: the sizes with a signed checkpoint among the `l` sizes from `f` (`l ≤ 1,000`) |
//! | `GET /api/v1/log/witnessed` | `text/plain`: the newest checkpoint cosigned by the quorum, with those cosignatures; headers `x-witness-units` (comma list), `x-witness-quorum` |
//! | `GET /api/v1/log/witnesses` | `{"quorum":k,"policy":{…}\|null,"witnesses":[{"unit","key","registered_at","counts"},…]}`: the witness keys registered in the log, public |
//! | `GET /api/v1/log/proof/inclusion?index=i&size=n` | `{"index":i,"size":n,"proof":["hex",…]}` (any `n` up to the newest signed size) |
//! | `GET /api/v1/log/proof/consistency?from=m&to=n` | `{"from":m,"to":n,"proof":["hex",…]}` (`1 ≤ m ≤ n ≤` the newest signed size) |
//! | `GET /api/v1/log/leaves?start=a&end=b[&level=L]` | `{"start":a,"leaf_hashes":["hex",…]}` (at most 10,000; fewer = ask again); with `level`, the stored hashes of complete subtrees of 2^L leaves |
//! | `GET /api/v1/log/entries?start=a&end=b` | `{"entries":[{"index":i,"leaf_hash":"hex","bytes":"base64"\|null},…]}` (at most 1,000); `bytes` is `null` where [`EntryAccess`] says the caller may not read the event |
//! | `POST /api/v1/log/cosignature` | body `{"unit":"ca-kg","size":n,"cosignature":"— name base64"}`; answer `{"unit":…,"size":n,"timestamp":t}` |
//!
//! Errors: `{"error":"snake_case_code","message":"…"}` with 400, 403 (`invalid_signature`),
//! 404 (`not_found`) or 500 (`internal`, no details).

use std::sync::Arc;

use axum::extract::{Query, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use thidua_domain::{Event, State};
use thidua_service::Service;
use thidua_store::witness::WitnessStore;

use crate::cosign::{accept_cosignature, latest_witnessed_checkpoint, witness_set};
use crate::error::TransparencyError;
use crate::log;

/// Whether the caller may read one event, given the current state.
pub type EntryReader = Box<dyn Fn(&State, &Event) -> bool + Send>;

/// Decides which entries' contents a request may read. The web crate implements it from the
/// caller's session or token; the hash of every entry is always public.
pub trait EntryAccess: Send + Sync + 'static {
    /// Called once per request, inside a blocking task; the returned closure is asked for each
    /// event of the range, with the current state.
    fn reader(&self, headers: &HeaderMap) -> EntryReader;
}

/// Nobody reads contents: only leaf hashes are served (the default).
pub struct ReadNothing;

impl EntryAccess for ReadNothing {
    fn reader(&self, _: &HeaderMap) -> EntryReader {
        Box::new(|_, _| false)
    }
}

/// Everyone reads everything (tests, a fully public log).
pub struct ReadAll;

impl EntryAccess for ReadAll {
    fn reader(&self, _: &HeaderMap) -> EntryReader {
        Box::new(|_, _| true)
    }
}

/// Configuration of the public log endpoints. There is no quorum to configure: it is the log's
/// own (its recorded policy, else its default rule, [`crate::cosign::witness_set_at`]), the
/// same for every reader.
#[derive(Clone)]
pub struct LogApiConfig {
    pub access: Arc<dyn EntryAccess>,
}

impl Default for LogApiConfig {
    /// Contents readable by nobody.
    fn default() -> Self {
        Self {
            access: Arc::new(ReadNothing),
        }
    }
}

/// The endpoints' shared state (the service, the witness store, the configuration).
#[derive(Clone)]
pub struct Api {
    service: Arc<Service>,
    witnesses: Arc<dyn WitnessStore>,
    config: LogApiConfig,
}

/// The public log endpoints with their own state applied. The result fits any outer state
/// `S`, so the web crate merges it into its `Router<AppState>` before its layers:
/// `.merge(thidua_transparency::router(service, witnesses, config))`.
pub fn router<S>(
    service: Arc<Service>,
    witnesses: Arc<dyn WitnessStore>,
    config: LogApiConfig,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/api/v1/log/checkpoint", get(checkpoint))
        .route("/api/v1/log/checkpoints", get(checkpoints))
        .route("/api/v1/log/witnessed", get(witnessed))
        .route("/api/v1/log/witnesses", get(witness_keys))
        .route("/api/v1/log/proof/inclusion", get(inclusion))
        .route("/api/v1/log/proof/consistency", get(consistency))
        .route("/api/v1/log/leaves", get(leaves))
        .route("/api/v1/log/entries", get(entries))
        .route("/api/v1/log/cosignature", post(cosignature))
        .with_state(Api {
            service,
            witnesses,
            config,
        })
}

/// The JSON error body, `{"error": "code", "message": "…"}` (the web API's shape).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    /// A stable snake_case code (`bad_range`, `not_found`, `invalid_signature`…).
    pub error: &'a str,
    pub message: String,
}

/// A query string or JSON body that does not parse: 400 with the error body (not axum's
/// plain-text rejection), like every other error of these endpoints.
pub struct Strict<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for Strict<Query<T>>
{
    type Rejection = TransparencyError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(Strict)
            .map_err(|e| TransparencyError::bad("invalid_query", e.body_text()))
    }
}

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S>
    for Strict<Json<T>>
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(req, state).await {
            Ok(json) => Ok(Strict(json)),
            Err(e) => {
                let body = ErrorBody {
                    error: "invalid_body",
                    message: e.body_text(),
                };
                Err((e.status(), Json(body)).into_response())
            }
        }
    }
}

impl IntoResponse for TransparencyError {
    fn into_response(self) -> Response {
        let status = match &self {
            TransparencyError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            TransparencyError::NotFound(_) => StatusCode::NOT_FOUND,
            TransparencyError::Unauthorised(_) => StatusCode::FORBIDDEN,
            TransparencyError::Store(_) | TransparencyError::Ledger(_) => {
                tracing::error!(error = %self, "log API");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        let body = ErrorBody {
            error: self.code(),
            message,
        };
        (status, Json(body)).into_response()
    }
}

/// Runs blocking store work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, TransparencyError> + Send + 'static,
) -> Result<T, TransparencyError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(TransparencyError::Store(thidua_store::StoreError::Backend(
            format!("task failed: {e}"),
        )))
    })
}

fn note_response(note: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        note,
    )
        .into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SizeQuery {
    /// A tree size with a signed checkpoint (default: the newest); `/api/v1/log/checkpoints`
    /// lists them.
    #[param(minimum = 1)]
    pub size: Option<u64>,
}

/// The newest signed checkpoint (or the one of `size`), then the witnesses' cosignature lines
/// stored for it. Checkpoints are signed once per append transaction: a size inside a batch has
/// none (404), though inclusion and consistency proofs are served for it;
/// `/api/v1/log/checkpoints` lists the sizes that have one.
#[utoipa::path(get, path = "/api/v1/log/checkpoint", tag = "log", security(()), params(SizeQuery),
    responses((status = 200, description = "C2SP signed note with cosignature lines", content_type = "text/plain", body = String),
              (status = 400, description = "a query that does not parse (`invalid_query`)", body = ErrorBody<'static>),
              (status = 404, description = "no signed checkpoint of that size (a size inside a batch has none: `/api/v1/log/checkpoints` lists those that do), or none yet (`not_found`)", body = ErrorBody<'static>)))]
pub async fn checkpoint(
    AxumState(api): AxumState<Api>,
    Strict(Query(q)): Strict<Query<SizeQuery>>,
) -> Result<Response, TransparencyError> {
    let note =
        blocking(move || log::checkpoint_note(&**api.service.store(), &*api.witnesses, q.size))
            .await?
            .ok_or_else(|| TransparencyError::NotFound("no such checkpoint".into()))?;
    Ok(note_response(note))
}

/// The most sizes one `/api/v1/log/checkpoints` request examines.
pub const MAX_CHECKPOINT_SIZES: u32 = 1_000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CheckpointsQuery {
    /// The first size examined (default 1).
    #[param(minimum = 1)]
    pub from: Option<u64>,
    /// How many consecutive sizes are examined, from `from` (1 to 1,000; default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// The sizes with a signed checkpoint in a window of sizes.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct CheckpointSizes {
    /// The first size examined.
    pub from: u64,
    /// How many sizes were asked for (those past `newest` are not examined).
    pub limit: u32,
    /// The size of the newest signed checkpoint (0 for an empty log).
    pub newest: u64,
    /// The sizes in `[from, from + limit)`, at most `newest`, that have a signed checkpoint,
    /// ascending; `GET /api/v1/log/checkpoint?size=…` serves each one.
    pub sizes: Vec<u64>,
    /// `from + limit` when it is not past `newest` (ask again from there); `null` at the end.
    pub next: Option<u64>,
}

/// The sizes that have a signed checkpoint (one per append transaction), among the `limit`
/// sizes from `from`: page through the whole log with `next`. A size missing from the list lies
/// inside a batch: it has no checkpoint, though proofs are served for it.
#[utoipa::path(get, path = "/api/v1/log/checkpoints", tag = "log", security(()), params(CheckpointsQuery),
    responses((status = 200, description = "the sizes with a signed checkpoint among those examined, and the newest", body = CheckpointSizes),
              (status = 400, description = "`from` is 0, or `limit` is 0 or over 1,000 (`bad_range`), or the query does not parse (`invalid_query`)", body = ErrorBody<'static>)))]
pub async fn checkpoints(
    AxumState(api): AxumState<Api>,
    Strict(Query(q)): Strict<Query<CheckpointsQuery>>,
) -> Result<Json<CheckpointSizes>, TransparencyError> {
    let from = q.from.unwrap_or(1);
    let limit = q.limit.unwrap_or(100);
    if from == 0 || limit == 0 || limit > MAX_CHECKPOINT_SIZES {
        return Err(TransparencyError::bad(
            "bad_range",
            format!("from must be at least 1 and limit between 1 and {MAX_CHECKPOINT_SIZES}"),
        ));
    }
    let (newest, sizes) =
        blocking(move || log::checkpoint_sizes(&**api.service.store(), from, limit.into())).await?;
    let end = from.saturating_add(limit.into());
    Ok(Json(CheckpointSizes {
        from,
        limit,
        newest,
        sizes,
        next: (end <= newest).then_some(end),
    }))
}

/// The newest checkpoint cosigned by the quorum of member units' witnesses, with those
/// cosignatures; headers `x-witness-units` (comma list) and `x-witness-quorum`.
#[utoipa::path(get, path = "/api/v1/log/witnessed", tag = "log", security(()),
    responses((status = 200, description = "C2SP signed note with the quorum's cosignatures", content_type = "text/plain", body = String),
              (status = 404, body = ErrorBody<'static>)))]
pub async fn witnessed(AxumState(api): AxumState<Api>) -> Result<Response, TransparencyError> {
    let w = blocking(move || latest_witnessed_checkpoint(&api.service, &*api.witnesses))
        .await?
        .ok_or_else(|| TransparencyError::NotFound("no witnessed checkpoint yet".into()))?;
    let mut response = note_response(w.note);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&w.units.join(",")) {
        headers.insert("x-witness-units", v);
    }
    headers.insert("x-witness-quorum", HeaderValue::from(w.required));
    Ok(response)
}

/// A witness key registered in the log.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct WitnessEntry {
    /// The member unit whose witness holds the key.
    pub unit: String,
    /// The verifier key, C2SP form `<name>+<key hash, 8 hex>+<base64(0x04 ‖ Ed25519 key)>`:
    /// what `thidua verify --witness UNIT=KEY` and a trust file's `witness UNIT KEY` take. Its
    /// name is the one on the witness's cosignature lines.
    pub key: String,
    /// The log index of the `witness_key_registered` event that registered this key (a unit
    /// that registers another key replaces this one: only its newest key counts).
    pub registered_at: u64,
    /// Whether its cosignatures count towards `quorum` (under a policy, only the designated
    /// units' do; a key that does not parse as a cosignature key never counts, nor the key of
    /// a unit that ceased).
    pub counts: bool,
    /// The day its unit ceased to exist (`YYYY-MM-DD`), when the log records its end (a merger
    /// or split): from that record on its key no longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceased: Option<String>,
}

/// The witness policy recorded in the log (`witness_policy_set`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct WitnessPolicyDto {
    /// The designated units.
    pub witnesses: Vec<String>,
    /// Cosignatures of designated units required (k of n).
    pub quorum: u32,
    /// The log index of the event that set it.
    pub set_at: u64,
}

/// The witnesses of the log and the quorum in force: everything a verifier needs, besides the
/// log's key, to check cosignatures.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct WitnessList {
    /// Cosignatures (of witnesses that count) a checkpoint needs to be witnessed: the policy's
    /// quorum, or without a policy the log's default rule over the keys that count — all but
    /// one, at least one — 0 when no key was ever registered.
    pub quorum: u32,
    /// The quorum is more than the witnesses that count (their units ceased, or designated
    /// units have no key): no checkpoint can be witnessed until a new policy, or a successor
    /// unit's key, is recorded.
    #[serde(default)]
    pub unmeetable: bool,
    /// The policy recorded in the log, if any.
    pub policy: Option<WitnessPolicyDto>,
    /// Every unit's current witness key, by unit id.
    pub witnesses: Vec<WitnessEntry>,
}

/// The witness keys registered in `state` and the quorum in force ([`witness_set`]), as
/// `/api/v1/log/witnesses` serves them and the transparency page shows them.
pub fn witness_list(state: &State) -> WitnessList {
    let in_force = witness_set(state);
    WitnessList {
        quorum: in_force.required,
        unmeetable: in_force.unmeetable(),
        policy: state.witness_policy.as_ref().map(|p| WitnessPolicyDto {
            witnesses: p.witnesses.iter().map(|u| u.to_string()).collect(),
            quorum: p.quorum,
            set_at: p.set_at,
        }),
        witnesses: state
            .witness_keys
            .iter()
            .map(|(unit, k)| WitnessEntry {
                unit: unit.to_string(),
                key: k.key.clone(),
                registered_at: k.registered_at,
                counts: in_force.keys.iter().any(|(u, _)| u == unit),
                ceased: in_force
                    .ceased
                    .iter()
                    .find(|(u, _)| u == unit)
                    .map(|(_, date)| date.to_string()),
            })
            .collect(),
    }
}

/// The witness keys registered in the log, with the quorum in force. Public: witness keys are
/// public keys, and an anonymous verifier needs them to check the cosignatures on
/// `/api/v1/log/checkpoint` and `/api/v1/log/witnessed`, whereas the `witness_key_registered`
/// events themselves are readable only by members. Taken from the server's state: a verifier
/// who reads those events checks them against the log.
#[utoipa::path(get, path = "/api/v1/log/witnesses", tag = "log", security(()),
    responses((status = 200, description = "the witness keys registered in the log, with the quorum and the policy that count their cosignatures", body = WitnessList)))]
pub async fn witness_keys(AxumState(api): AxumState<Api>) -> Json<WitnessList> {
    Json(witness_list(&api.service.read()))
}

fn hexes(hashes: &[[u8; 32]]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    pub proof: Vec<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry's log index (below `size`).
    pub index: u64,
    /// The tree size (at most the newest signed size).
    #[param(minimum = 1)]
    pub size: u64,
}

/// The inclusion proof of entry `index` in the tree of `size` entries (`index < size ≤` the
/// newest signed size).
#[utoipa::path(get, path = "/api/v1/log/proof/inclusion", tag = "log", security(()), params(InclusionQuery),
    responses((status = 200, description = "the proof: the sibling hashes from the leaf up to the root of `size`, in hex", body = InclusionProof),
              (status = 400, description = "`size` beyond the newest signed checkpoint (`size_not_published`), `index` not below `size` (`index_out_of_range`), or a query that does not parse (`invalid_query`)", body = ErrorBody<'static>)))]
pub async fn inclusion(
    AxumState(api): AxumState<Api>,
    Strict(Query(q)): Strict<Query<InclusionQuery>>,
) -> Result<Json<InclusionProof>, TransparencyError> {
    let proof = blocking(move || log::inclusion(&**api.service.store(), q.index, q.size)).await?;
    Ok(Json(InclusionProof {
        index: q.index,
        size: q.size,
        proof: hexes(&proof),
    }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub proof: Vec<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older tree size (at least 1).
    #[param(minimum = 1)]
    pub from: u64,
    /// The newer tree size (at least `from`, at most the newest signed size).
    #[param(minimum = 1)]
    pub to: u64,
}

/// The consistency proof between the trees of `from` and `to` entries (`1 ≤ from ≤ to ≤` the
/// newest signed size).
#[utoipa::path(get, path = "/api/v1/log/proof/consistency", tag = "log", security(()), params(ConsistencyQuery),
    responses((status = 200, description = "the proof between the two trees' roots, hashes in hex", body = ConsistencyProof),
              (status = 400, description = "`to` beyond the newest signed checkpoint (`size_not_published`), `from` 0 or after `to` (`sizes_out_of_order`), or a query that does not parse (`invalid_query`)", body = ErrorBody<'static>)))]
pub async fn consistency(
    AxumState(api): AxumState<Api>,
    Strict(Query(q)): Strict<Query<ConsistencyQuery>>,
) -> Result<Json<ConsistencyProof>, TransparencyError> {
    let proof = blocking(move || log::consistency(&**api.service.store(), q.from, q.to)).await?;
    Ok(Json(ConsistencyProof {
        from: q.from,
        to: q.to,
        proof: hexes(&proof),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// The first index.
    pub start: u64,
    /// One past the last index (not before `start`).
    pub end: u64,
    /// The tree level (0: leaves, the default); `level = L` serves the stored hashes of the
    /// complete subtrees of 2^L leaves, so verifiers can check every stored node.
    #[serde(default)]
    pub level: u8,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct Leaves {
    pub start: u64,
    pub leaf_hashes: Vec<String>,
}

/// Leaf hashes `[start, end)`, at most 10,000 and not past the newest signed size; fewer than
/// asked means: ask again from where it stopped.
#[utoipa::path(get, path = "/api/v1/log/leaves", tag = "log", security(()), params(RangeQuery),
    responses((status = 200, description = "the hashes in hex, from `start`; fewer than asked: ask again from where they stop", body = Leaves),
              (status = 400, description = "`start` after `end` (`bad_range`), `level` not below 64 (`bad_level`), or a query that does not parse (`invalid_query`)", body = ErrorBody<'static>)))]
pub async fn leaves(
    AxumState(api): AxumState<Api>,
    Strict(Query(q)): Strict<Query<RangeQuery>>,
) -> Result<Json<Leaves>, TransparencyError> {
    let hashes =
        blocking(move || log::node_hashes(&**api.service.store(), q.level, q.start, q.end)).await?;
    Ok(Json(Leaves {
        start: q.start,
        leaf_hashes: hexes(&hashes),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntriesQuery {
    /// The first index.
    pub start: u64,
    /// One past the last index (not before `start`).
    pub end: u64,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct EntryJson {
    pub index: u64,
    pub leaf_hash: String,
    /// Base64 of the canonical bytes, or `null` if the caller may not read this entry.
    pub bytes: Option<String>,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct Entries {
    pub entries: Vec<EntryJson>,
}

/// Entries `[start, end)`, at most 1,000: each one's leaf hash, and its canonical bytes
/// (base64) when the caller may read the event. Public: anonymous callers see only what the
/// public may see — every leaf hash, no entry's bytes; a member (bearer token or session)
/// reads the bytes of what the history shows it. A token that is given and invalid is
/// answered 401 (`invalid_token`), not treated as anonymous.
#[utoipa::path(get, path = "/api/v1/log/entries", tag = "log", security((), ("bearer" = []), ("cookie" = [])), params(EntriesQuery),
    responses((status = 200, description = "each entry's leaf hash, with its bytes when the caller may read the event", body = Entries),
              (status = 400, description = "`start` after `end` (`bad_range`), or a query that does not parse (`invalid_query`)", body = ErrorBody<'static>)))]
pub async fn entries(
    AxumState(api): AxumState<Api>,
    headers: HeaderMap,
    Strict(Query(q)): Strict<Query<EntriesQuery>>,
) -> Result<Json<Entries>, TransparencyError> {
    let reader = api.config.access.reader(&headers);
    let out = blocking(move || {
        let entries = log::entries(&**api.service.store(), q.start, q.end)?;
        let state = api.service.read();
        Ok(entries
            .into_iter()
            .map(|e| {
                let readable = Event::decode(e.index, &e.bytes)
                    .map(|event| reader(&state, &event))
                    .unwrap_or(false);
                EntryJson {
                    index: e.index,
                    leaf_hash: hex::encode(e.leaf_hash),
                    bytes: readable
                        .then(|| base64::engine::general_purpose::STANDARD.encode(&e.bytes)),
                }
            })
            .collect())
    })
    .await?;
    Ok(Json(Entries { entries: out }))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct CosignatureRequest {
    pub unit: String,
    pub size: u64,
    /// The C2SP tlog-cosignature line, `— <name> <base64>`.
    pub cosignature: String,
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
pub struct CosignatureAccepted {
    pub unit: String,
    pub size: u64,
    pub timestamp: u64,
}

/// A member unit's witness posts its cosignature of the checkpoint of `size`; it is checked
/// against the witness key the unit registered in the log.
#[utoipa::path(post, path = "/api/v1/log/cosignature", tag = "log", security(()), request_body = CosignatureRequest,
    responses((status = 200, description = "stored: the cosignature now counts for the checkpoint of `size`", body = CosignatureAccepted),
              (status = 400, description = "no unit of that id or no witness key registered for it (`unknown_witness`), a unit that ceased before that size (`witness_ceased`), not one well-formed cosignature line (`bad_cosignature`), or a body that is not the request's JSON (`invalid_body`)", body = ErrorBody<'static>),
              (status = 403, description = "the signature does not verify (`invalid_signature`)", body = ErrorBody<'static>),
              (status = 404, description = "no signed checkpoint of `size` (`not_found`)", body = ErrorBody<'static>)))]
pub async fn cosignature(
    AxumState(api): AxumState<Api>,
    Strict(Json(req)): Strict<Json<CosignatureRequest>>,
) -> Result<Json<CosignatureAccepted>, TransparencyError> {
    let (unit, size) = (req.unit.clone(), req.size);
    let timestamp = blocking(move || {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        accept_cosignature(
            &api.service,
            &*api.witnesses,
            &req.unit,
            req.size,
            &req.cosignature,
            now_ms,
        )
    })
    .await?;
    Ok(Json(CosignatureAccepted {
        unit,
        size,
        timestamp,
    }))
}

/// Serves `app` on `addr` (port 0 picks one) on `runtime`; returns the bound address. For a
/// stand-alone public log mirror and for tests; the web server merges [`router`] instead.
pub fn spawn_server(
    runtime: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    app: Router,
) -> std::io::Result<std::net::SocketAddr> {
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr))?;
    let bound = listener.local_addr()?;
    runtime.spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "log API server stopped");
        }
    });
    Ok(bound)
}
