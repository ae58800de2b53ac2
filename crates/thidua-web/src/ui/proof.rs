//! Whether a witnessed checkpoint covers an event, for the pages: the newest signed checkpoint
//! and the newest checkpoint cosigned by a quorum of member units' witnesses
//! (`thidua_transparency::latest_witnessed_checkpoint`, the same answer as
//! `/api/v1/log/witnessed`), and for each event a link to its inclusion proof
//! (`/api/v1/log/proof/inclusion?index=i&size=S`) against the covering witnessed checkpoint, or
//! against the newest signed one while none covers it.

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
                        w.quorum,
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
