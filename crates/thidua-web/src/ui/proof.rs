//! Whether a witnessed record covers an event, for the pages: the newest signed checkpoint
//! ("bản chốt sổ có chữ ký") and the newest checkpoint cosigned by a quorum of member units'
//! witnesses (`thidua_transparency::latest_witnessed_checkpoint`, the same answer as
//! `/api/v1/log/witnessed`), and for each event a link to the page that checks it
//! (`/record/{i}?size=S`: the inclusion proof against the covering witnessed checkpoint, or
//! against the newest signed one while none covers it, verified by the server and explained in
//! words, with the raw proof and how to check it independently). `/about/record` explains the
//! words once.

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_ledger::{
    open_checkpoint, verify_inclusion, Cosignature, CosignatureVerifier, Verifier,
};

use super::names::Named;
use super::{render, viewer_error, Layout};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::Strings;
use crate::AppState;

/// Where the log's checkpoints stand when a page is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogStatus {
    /// Size of the newest signed checkpoint (0 for none).
    pub signed: u64,
    /// The newest witnessed checkpoint: its size and how many units' cosignatures verified.
    pub witnessed: Option<(u64, usize)>,
}

impl LogStatus {
    /// Reads the checkpoints on the blocking pool. A failure is logged and shows every event
    /// as not witnessed (the page still renders; nothing is claimed that was not checked).
    pub async fn load(app: &AppState) -> LogStatus {
        let result = app
            .blocking(|app| {
                let signed = app
                    .service
                    .store()
                    .latest_checkpoint()?
                    .map_or(0, |c| c.size);
                let witnessed = match &app.witnessing {
                    Some(w) => thidua_transparency::latest_witnessed_checkpoint(
                        &app.service,
                        &*w.witnesses,
                    )
                    .map_err(crate::error::ApiError::internal)?
                    .map(|c| (c.size, c.units.len())),
                    None => None,
                };
                Ok(LogStatus { signed, witnessed })
            })
            .await;
        result.unwrap_or_else(|_| {
            tracing::warn!("checkpoints unreadable: events are shown as not witnessed");
            LogStatus::default()
        })
    }

    /// What the page shows for the event at `index`.
    pub fn proof(&self, t: &Strings, index: u64) -> Proof {
        match self.witnessed {
            Some((size, units)) if index < size => Proof {
                index,
                witnessed: true,
                label: t.witnessed_by(units, size),
                size: Some(size),
                link: t.proof_link.to_owned(),
            },
            _ => Proof {
                index,
                witnessed: false,
                label: t.not_witnessed.to_owned(),
                size: (index < self.signed).then_some(self.signed),
                link: crate::i18n::fill(t.proof_signed_link, &[("size", self.signed)]),
            },
        }
    }
}

/// One event's witnessing, as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub index: u64,
    /// A witnessed checkpoint covers the event.
    pub witnessed: bool,
    /// "Witnessed by N units at tree size S" or "Not yet witnessed".
    pub label: String,
    /// The tree size the proof link is against (the covering witnessed checkpoint, else the
    /// newest signed one); `None` while no signed checkpoint includes the event yet.
    pub size: Option<u64>,
    /// The link's text.
    pub link: String,
}

/// What the record page found, step by step.
pub struct Checked {
    pub leaf: String,
    pub root: String,
    pub proof: Vec<String>,
    pub included: bool,
    pub signed: bool,
    pub witnesses: Vec<Named>,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    l: Layout,
    index: u64,
    size: u64,
    /// The event told in words, when the viewer may read it.
    sentence: Option<Vec<Named>>,
    checked: Checked,
    log_key: String,
}

#[derive(Deserialize)]
pub struct SizeParam {
    size: Option<u64>,
}

/// Recomputes and checks the inclusion of entry `index` in the signed checkpoint of `size`, and
/// which member units' witnesses cosigned that checkpoint.
fn check(app: &AppState, index: u64, size: u64) -> Result<Checked, ApiError> {
    let store = app.service.store();
    let stored = store.checkpoint_at(size)?.ok_or_else(ApiError::not_found)?;
    let log =
        Verifier::from_key_string(app.service.key().verifier_key()).map_err(ApiError::internal)?;
    let opened = open_checkpoint(stored.note.as_bytes(), &[&log]);
    let signed = opened.is_ok();
    let checkpoint = opened.map_err(ApiError::internal)?.checkpoint;
    let entry = store
        .entries(index, index + 1)?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    let leaf = thidua_ledger::leaf_hash(&entry.bytes);
    let proof =
        thidua_transparency::log::inclusion(&**store, index, size).map_err(ApiError::internal)?;
    let included = verify_inclusion(index, size, &leaf, &proof, &checkpoint.root).is_ok();
    let state = app.service.read();
    let mut witnesses = Vec::new();
    if let Some(w) = &app.witnessing {
        for c in w.witnesses.cosignatures_at(size)? {
            let verified = thidua_domain::UnitId::parse(&c.unit).ok().and_then(|u| {
                let key = state.witness_keys.get(&u)?;
                let v = CosignatureVerifier::from_key_string(&key.key).ok()?;
                let cosig = Cosignature::from_line(&c.line).ok()?;
                v.verify_cosignature(&checkpoint, &cosig).ok()?;
                Some(super::names::unit(&state, &u))
            });
            witnesses.extend(verified);
        }
    }
    Ok(Checked {
        leaf: hex::encode(leaf),
        root: hex::encode(checkpoint.root),
        proof: proof.iter().map(hex::encode).collect(),
        included,
        signed,
        witnesses,
    })
}

/// `GET /record/{index}?size=S`: the check of one event's place in the record, in words.
pub async fn record(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(index): Path<u64>,
    Query(q): Query<SizeParam>,
) -> Response {
    let t = viewer.lang.strings();
    let status = LogStatus::load(&app).await;
    let size = q.size.unwrap_or_else(|| {
        status
            .witnessed
            .map(|(s, _)| s)
            .filter(|s| index < *s)
            .unwrap_or(status.signed)
    });
    if index >= size {
        return viewer_error(&viewer, ApiError::not_found());
    }
    let found = app
        .blocking(move |app| {
            let checked = check(app, index, size)?;
            let event = app
                .service
                .store()
                .entries(index, index + 1)?
                .into_iter()
                .next()
                .and_then(|e| thidua_domain::Event::decode(e.index, &e.bytes).ok());
            Ok((checked, event))
        })
        .await;
    let (checked, event) = match found {
        Ok(c) => c,
        Err(e) => return viewer_error(&viewer, e),
    };
    let sentence = {
        let state = app.service.read();
        event
            .filter(|e| viewer.scope.can_view_event(&state, e))
            .map(|e| super::describe::describe(t, &viewer.scope, &state, &e).sentence)
    };
    render(&RecordPage {
        l: Layout::new(
            &viewer,
            crate::i18n::fill(t.record_title, &[("index", index)]),
        ),
        index,
        size,
        sentence,
        checked,
        log_key: app.service.key().verifier_key().to_owned(),
    })
}

#[derive(Template)]
#[template(path = "about_record.html")]
struct AboutPage {
    l: Layout,
    log_key: String,
}

/// `GET /about/record`: how the record can be checked, in plain words; open to everyone, as
/// the transparency page it explains (it links there from every page's footer).
pub async fn about(
    State(app): State<AppState>,
    crate::auth::MaybeViewer(viewer): crate::auth::MaybeViewer,
    headers: axum::http::HeaderMap,
) -> Response {
    let (l, cookie) =
        super::session::public_layout(&app, &viewer, &headers, |t| t.about_record_title);
    let page = AboutPage {
        l,
        log_key: app.service.key().verifier_key().to_owned(),
    };
    super::session::with_cookie(render(&page), cookie)
}
