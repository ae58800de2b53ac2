//! A trustee unit's part in a vote, for its leader: the key-ceremony step that waits for its
//! unit and the decryption share a closed round needs from it. Both are done on the unit's own
//! machine (`thidua trustee step|decrypt`, the secret state file never leaves it), so the home
//! page lists them as to-dos and the election page says how, with the command filled in for
//! this server, the election and the unit (the API token read from `THIDUA_TOKEN`, never on
//! the command line). A step is listed only while the domain would accept it from that unit.

use thidua_domain::votes::{Election, Round};
use thidua_domain::UnitId;

use crate::auth::Viewer;
use crate::i18n::votes::{trustee, TrusteeStrings};
use crate::ui::names::{self, Named};

/// What waits for a trustee unit now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// The ceremony step (0 commit, 1 reveal, 2 deal, 3 confirm) the unit has not sent while
    /// every trustee has sent the step before it.
    Ceremony(usize),
    /// The round closed and not counted whose decryption share the unit has not posted, while
    /// fewer than the threshold have.
    Decrypt(u32),
}

/// The closed round that needs `unit`'s decryption share now.
fn decrypt_round<'a>(e: &'a Election, unit: &UnitId) -> Option<&'a Round> {
    super::manage::undecrypted_round(e)
        .filter(|r| e.members.contains(unit) && !r.shares.contains_key(unit))
}

/// What waits for `unit` in the election now.
pub fn due(e: &Election, unit: &UnitId) -> Option<Due> {
    if let Some(step) = e.ceremony_step_due(unit) {
        return Some(Due::Ceremony(step));
    }
    decrypt_round(e, unit).map(|r| Due::Decrypt(r.number))
}

/// The viewer's led trustee units with what waits for each.
pub fn due_for<'a>(e: &'a Election, viewer: &Viewer) -> Vec<(&'a UnitId, Due)> {
    let led = viewer.scope.led_units();
    e.members
        .iter()
        .filter(|u| led.contains(u))
        .filter_map(|u| due(e, u).map(|d| (u, d)))
        .collect()
}

/// The home page's sentence for one unit's task.
pub fn todo_text(
    lang_code: &str,
    state: &thidua_domain::State,
    e: &Election,
    unit: &UnitId,
    due: Due,
) -> Vec<Named> {
    let w = trustee(lang_code);
    let election = vec![Named::data(e.title.to_string())];
    let u = vec![names::unit(state, unit)];
    let plain = |s: String| vec![Named::plain(s)];
    match due {
        Due::Ceremony(step) => names::sentence(
            w.todo_ceremony,
            &[
                ("election", election),
                ("unit", u),
                ("step", plain(w.steps[step].to_owned())),
            ],
        ),
        Due::Decrypt(round) => names::sentence(
            w.todo_decrypt,
            &[
                ("election", election),
                ("round", plain(round.to_string())),
                ("unit", u),
                ("posted", plain(shares_posted(e, round).to_string())),
                ("threshold", plain(e.trustee_threshold.to_string())),
            ],
        ),
    }
}

fn shares_posted(e: &Election, round: u32) -> usize {
    e.round(round).map(|r| r.shares.len()).unwrap_or(0)
}

/// The home to-do's link: the unit's section of the election page.
pub fn href(e: &Election, unit: &UnitId) -> String {
    format!("/elections/{}#trustee-{unit}", e.id)
}

/// One unit's section on the election page.
pub struct Task {
    pub unit_id: String,
    pub unit: Named,
    /// What to do, with the unit's name.
    pub intro: Vec<Named>,
    /// The two commands: the token read into `THIDUA_TOKEN`, then the trustee command.
    pub command: String,
    /// How far it has come: shares posted of those needed, or trustees done with the step.
    pub progress: String,
}

/// The viewer's trustee tasks in the election, each with the command for `server` (this
/// server's address as the page was reached) and the log's verifier key.
pub fn tasks(
    w: &'static TrusteeStrings,
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    server: &str,
    log_key: &str,
) -> Vec<Task> {
    due_for(e, viewer)
        .into_iter()
        .map(|(unit, due)| {
            let u = || vec![names::unit(state, unit)];
            let plain = |s: String| vec![Named::plain(s)];
            let (intro, command, progress) = match due {
                Due::Ceremony(step) => (
                    names::sentence(
                        w.ceremony_intro,
                        &[("unit", u()), ("step", plain(w.steps[step].to_owned()))],
                    ),
                    "step",
                    crate::i18n::fill(
                        w.step_count,
                        &[
                            ("done", e.ceremony.counts()[step].to_string()),
                            ("trustees", e.members.len().to_string()),
                            ("step", w.steps[step].to_owned()),
                        ],
                    ),
                ),
                Due::Decrypt(round) => (
                    names::sentence(
                        w.decrypt_intro,
                        &[
                            ("unit", u()),
                            ("round", plain(round.to_string())),
                            ("threshold", plain(e.trustee_threshold.to_string())),
                        ],
                    ),
                    "decrypt",
                    crate::i18n::fill(
                        w.shares_count,
                        &[
                            ("posted", shares_posted(e, round).to_string()),
                            ("threshold", e.trustee_threshold.to_string()),
                        ],
                    ),
                ),
            };
            Task {
                unit_id: unit.to_string(),
                unit: names::unit(state, unit),
                intro,
                command: command_line(command, server, log_key, e, unit, w.state_placeholder),
                progress,
            }
        })
        .collect()
}

/// `read` of the token into `THIDUA_TOKEN` (not echoed, not in the shell's history), then
/// `thidua trustee {sub}` with this server, its log key, the election and the unit.
fn command_line(
    sub: &str,
    server: &str,
    log_key: &str,
    e: &Election,
    unit: &UnitId,
    state_file: &str,
) -> String {
    format!(
        "{}\n\
         thidua trustee {sub} --server {server} --log-key '{log_key}' \\\n  \
         --election {} --unit {unit} --state {state_file}",
        super::super::READ_TOKEN,
        e.id
    )
}
