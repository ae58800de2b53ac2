//! `/transparency`: public, signed in or not. The log's public verifier key (what witnesses and
//! verifiers pass as `--log-key`), the newest signed and witnessed checkpoints, the witness keys
//! registered in the log with the quorum in force (as `/api/v1/log/witnesses` serves them: a
//! key whose unit ceased is said not to count, with the day; a quorum that can no longer be met
//! is said), and the commands a member unit runs to witness the log or verify it with those keys.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use thidua_transparency::api::{witness_list, WitnessEntry};

use super::names::{self, Named};
use super::proof::LogStatus;
use super::{render, Layout};
use crate::auth::MaybeViewer;
use crate::client::ClientInfo;
use crate::i18n::en::TransparencyWords;
use crate::i18n::{en, fill, vi};
use crate::AppState;

#[derive(Template)]
#[template(path = "transparency.html")]
struct TransparencyPage {
    l: Layout,
    /// The page's own words (placeholders, witness keys), in the layout's language.
    w: &'static TransparencyWords,
    key: String,
    signed: String,
    witnessed: String,
    /// This server's address as the client reached it, for the example commands.
    server: String,
    /// The registered witness keys, each with its unit's name linking to the unit's page.
    witnesses: Vec<WitnessRow>,
    /// "A checkpoint counts as witnessed once it carries k cosignatures…", empty without keys.
    quorum: String,
    /// Where the quorum comes from: the policy's log index, or the default.
    policy: String,
    /// `thidua verify` with the log key and the keys of the witnesses that count.
    verify: String,
    /// Whether a registered key is a demonstration's, held by this server itself.
    demo_witnesses: bool,
    /// Said when the quorum in force can no longer be met ([`unmeetable_notice`]).
    unmeetable: Option<String>,
}

/// A registered witness key as the table shows it: the unit by its name (its page linked).
struct WitnessRow {
    unit: Named,
    key: String,
    registered_at: u64,
    counts: bool,
    /// "No longer counts: the unit ceased on dd/mm/yyyy", for a unit whose end is recorded.
    ceased: Option<String>,
}

/// Why a witness key no longer counts: its unit ceased on `date` (`YYYY-MM-DD`, as
/// `/api/v1/log/witnesses` gives it), said with the day as dd/mm/yyyy.
pub(super) fn ceased_sentence(t: &crate::i18n::Strings, date: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_or_else(|_| date.to_owned(), |d| d.format("%d/%m/%Y").to_string());
    fill(t.witness_ceased, &[("date", day)])
}

/// The notice that the quorum in force can no longer be met, and what must be recorded; `None`
/// while it can be.
pub(super) fn unmeetable_notice(
    t: &crate::i18n::Strings,
    list: &thidua_transparency::api::WitnessList,
) -> Option<String> {
    if !list.unmeetable {
        return None;
    }
    let counting = list.witnesses.iter().filter(|w| w.counts).count();
    Some(match list.policy {
        Some(_) => fill(
            t.witness_unmeetable,
            &[("quorum", list.quorum as usize), ("count", counting)],
        ),
        None => t.witness_unmeetable_default.to_owned(),
    })
}

/// A witness's unit by its name, linked to the unit's page only when the viewer may open that
/// page (a visitor who is not signed in, or a member who does not see the unit — another
/// cluster's, a dissolved one — gets the name alone, never a link answering 404).
fn witness_unit(
    state: &thidua_domain::State,
    viewer: Option<&crate::auth::Viewer>,
    unit: &str,
) -> Named {
    let Ok(id) = thidua_domain::UnitId::parse(unit) else {
        return Named::data(unit.to_owned());
    };
    let named = names::unit(state, &id);
    match viewer {
        Some(v) if v.scope.can_view_unit(state, &id) => named,
        _ => Named::data(named.text),
    }
}

/// The `thidua verify` command that checks the log with its key and the witnesses that count,
/// requiring their quorum.
fn verify_command(server: &str, key: &str, witnesses: &[WitnessEntry], quorum: u32) -> String {
    let mut lines = vec![format!("thidua verify --server {server} --log-key '{key}'")];
    let counting: Vec<&WitnessEntry> = witnesses.iter().filter(|w| w.counts).collect();
    for w in &counting {
        lines.push(format!("  --witness {}='{}'", w.unit, w.key));
    }
    if quorum > 0 && !counting.is_empty() {
        lines.push(format!("  --min-cosignatures {quorum}"));
    }
    format!("{}\n{}", super::READ_TOKEN, lines.join(" \\\n"))
}

pub async fn transparency(
    State(app): State<AppState>,
    MaybeViewer(viewer): MaybeViewer,
    client: ClientInfo,
    headers: HeaderMap,
) -> Response {
    let status = LogStatus::load(&app).await;
    let (l, cookie) =
        super::session::public_layout(&app, &viewer, &headers, |t| t.transparency_title);
    let t = l.t;
    let w: &'static TransparencyWords = if t.lang_code == "en" {
        &en::TRANSPARENCY
    } else {
        &vi::TRANSPARENCY
    };
    let witnessed = match status.witnessed {
        Some((size, units)) => fill(
            t.transparency_witnessed,
            &[("size", size), ("units", units as u64)],
        ),
        None => t.transparency_not_witnessed.to_owned(),
    };
    // The log's own quorum, as `/api/v1/log/witnessed` and the pages' witnessing judge it.
    let state = app.service.read();
    let list = witness_list(&state);
    // The unit's name where the unit is known (a key names a member unit); its id otherwise.
    let witnesses = list
        .witnesses
        .iter()
        .map(|w| WitnessRow {
            unit: witness_unit(&state, viewer.as_ref(), &w.unit),
            key: w.key.clone(),
            registered_at: w.registered_at,
            counts: w.counts,
            ceased: w.ceased.as_deref().map(|d| ceased_sentence(t, d)),
        })
        .collect();
    let key = app.service.key().verifier_key().to_owned();
    let server = super::server_address(&app, &client, &headers);
    let page = TransparencyPage {
        signed: fill(t.transparency_signed, &[("size", status.signed)]),
        witnessed,
        quorum: if list.witnesses.is_empty() {
            String::new()
        } else {
            fill(w.quorum, &[("quorum", list.quorum)])
        },
        policy: match &list.policy {
            Some(p) => fill(w.policy, &[("index", p.set_at)]),
            None => w.no_policy.to_owned(),
        },
        verify: verify_command(&server, &key, &list.witnesses, list.quorum),
        demo_witnesses: list
            .witnesses
            .iter()
            .any(|w| thidua_transparency::witness::is_demo_key(&w.key)),
        unmeetable: unmeetable_notice(t, &list),
        witnesses,
        key,
        server,
        w,
        l,
    };
    super::session::with_cookie(render(&page), cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(unit: &str, counts: bool) -> WitnessEntry {
        WitnessEntry {
            unit: unit.into(),
            key: format!("{unit}.witness+01234567+AAAA"),
            registered_at: 7,
            counts,
            ceased: None,
        }
    }

    /// The command names the witnesses that count, requires the quorum, and uses the page's
    /// language for the token's placeholder; without witnesses it checks the log key alone.
    #[test]
    fn the_verify_command_trusts_the_witnesses_that_count() {
        let ws = [entry("ca-ag", true), entry("ca-cm", false)];
        let cmd = verify_command("http://h", "log+1+K", &ws, 1);
        assert_eq!(
            cmd,
            "read -rs THIDUA_TOKEN && export THIDUA_TOKEN\nthidua verify --server http://h --log-key 'log+1+K' \\\n  --witness ca-ag='ca-ag.witness+01234567+AAAA' \\\n  --min-cosignatures 1"
        );
        let none = verify_command("http://h", "log+1+K", &[], 0);
        assert_eq!(
            none,
            "read -rs THIDUA_TOKEN && export THIDUA_TOKEN\nthidua verify --server http://h --log-key 'log+1+K'"
        );
        assert_eq!(en::TRANSPARENCY.unit_placeholder, "UNIT");
    }
}
