//! The election's actions: who may do what now, for the election page and the home page.

use super::*;

/// The election the viewer may see and whose cluster it manages, or the page to answer.
pub(super) fn managed_election(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(std::sync::Arc<thidua_service::View>, Election), Box<Response>> {
    let (state, e) = visible(app, viewer, id).map_err(|err| Box::new(viewer_error(viewer, err)))?;
    if !manages(viewer, &e.cluster) {
        return Err(Box::new(viewer_error(viewer, ApiError::forbidden())));
    }
    Ok((state, e))
}

/// What the secretariat and the leaders may do on the election page now.
pub struct Actions {
    /// The open round the secretariat may close (no paper count recorded in it).
    pub close: Option<u32>,
    /// The secretariat may open round 2 (the domain would accept it).
    pub second_round: bool,
    /// The open round takes a paper count (no electronic ballot yet), or the corrected count
    /// of a round whose paper count was withdrawn.
    pub paper: Option<u32>,
    /// The secretariat may withdraw the round's paper count (not yet confirmed by two).
    pub withdraw: Option<u32>,
    /// The closed round whose electronic count the secretariat may set aside (too few
    /// trustees posted their shares), to count it on paper.
    pub set_aside: Option<u32>,
    /// The viewer's led member units that may confirm the waiting paper count.
    pub confirm: Vec<(String, Named)>,
    /// The viewer's led units (head, deputy) that may record a tie decision.
    pub tie: Vec<(String, Named)>,
    /// The secretariat may cancel the election (none of its rounds counted, not cancelled).
    pub cancel: bool,
    pub manages: bool,
}

impl Actions {
    pub fn any(&self) -> bool {
        self.close.is_some()
            || self.second_round
            || self.paper.is_some()
            || self.withdraw.is_some()
            || self.set_aside.is_some()
            || !self.confirm.is_empty()
            || !self.tie.is_empty()
            || self.cancel
    }
}

/// Round 1's candidates not elected, in order, and the seats left for round 2, when the
/// domain would open it now.
pub(super) fn second_round_offer(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
) -> Option<(Vec<UnitId>, u32)> {
    let first = e.rounds.first()?;
    let elected = outcome(e, first).map(|o| o.elected).unwrap_or_default();
    let allowed: Vec<UnitId> = first
        .candidates
        .iter()
        .filter(|c| !elected.contains(c))
        .cloned()
        .collect();
    let seats = e.seats.checked_sub(elected.len() as u32)?;
    let command = Command::Vote(VoteCommand::OpenSecondRound {
        election: e.id.clone(),
        candidates: allowed.clone(),
    });
    crate::api::dry_run(
        state,
        &Actor::User(viewer.user.clone()),
        viewer.now_ms,
        command,
    )
    .ok()
    .map(|_| (allowed, seats))
}

/// The secretariat (or an administrator) may open round 2 now: round 1 is over without every
/// seat filled and the domain would accept the second round. For the election page and the
/// home page's to-do.
pub fn second_round_due(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> bool {
    manages(viewer, &e.cluster)
        && e.current_round().is_none()
        && second_round_offer(state, viewer, e).is_some()
}

/// The units the viewer leads that are the head or deputy of the election's year.
pub(super) fn chairs(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Vec<UnitId> {
    let led = viewer.scope.led_units();
    state
        .clusters
        .get(&e.cluster)
        .and_then(|c| c.years.get(&e.year))
        .map(|y| {
            [y.head.as_ref(), y.deputy.as_ref()]
                .into_iter()
                .flatten()
                .map(|l| l.unit.clone())
                .filter(|u| led.contains(u))
                .collect()
        })
        .unwrap_or_default()
}

/// The last counted round with an undecided tie.
pub(super) fn tied_round(
    e: &Election,
) -> Option<(&thidua_domain::votes::Round, votes::outcome::Tie)> {
    e.rounds.iter().rev().find_map(|r| {
        let tie = outcome(e, r)?.tie?;
        tie.decided.is_none().then_some((r, tie))
    })
}

/// Whether the viewer may still record `unit`'s decision of the round's tie: the unit has not
/// decided (or it is the head, whose decision may now stand alone for the deputy's silence),
/// and the viewer has not decided for the other position.
pub(super) fn may_decide(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    r: &thidua_domain::votes::Round,
    unit: &UnitId,
) -> bool {
    let actor = thidua_domain::Actor::User(viewer.user.clone());
    let again = state.deputy_silent(e, r.number, unit, viewer.now_ms);
    (!r.ties.contains_key(unit) || again) && r.check_tie_decider(&actor, unit).is_ok()
}

/// The round whose paper count waits for confirmations.
pub(super) fn paper_round(e: &Election) -> Option<&thidua_domain::votes::Round> {
    e.rounds
        .iter()
        .rev()
        .find(|r| r.paper.is_some() && r.count.is_none())
}

/// The round a paper count is entered for: the open one, or the last round, closed by a paper
/// count since withdrawn, that waits for the corrected count.
pub(super) fn paper_entry_round(e: &Election) -> Option<&thidua_domain::votes::Round> {
    e.current_round().or_else(|| {
        e.rounds
            .last()
            .filter(|r| r.paper.is_none() && r.awaits_paper_count())
    })
}

/// The closed round whose electronic count may be set aside, as the domain rules it: it has
/// ballots and encrypted totals (the quorum voted), no count, and fewer posted shares than the
/// trustees needed; not already set aside.
pub fn undecrypted_round(e: &Election) -> Option<&thidua_domain::votes::Round> {
    e.rounds.last().filter(|_| !e.is_cancelled()).filter(|r| {
        r.closed_at.is_some()
            && r.count.is_none()
            && r.set_aside.is_none()
            && !r.ballots.is_empty()
            && r.totals.is_some()
            && r.shares.len() < e.trustee_threshold as usize
    })
}

/// The viewer's led units that may confirm the election's waiting paper count (not if the
/// viewer recorded it or confirmed it for another unit), and those (head, deputy) that may
/// record their decision of a tie (not if the viewer decided for the other): (unit id, name).
pub type UnitOffers = Vec<(String, Named)>;

pub fn leader_actions(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
) -> (UnitOffers, UnitOffers) {
    let led = viewer.scope.led_units();
    let actor = thidua_domain::Actor::User(viewer.user.clone());
    let confirm = paper_round(e)
        .and_then(|r| r.paper.as_ref())
        .map(|paper| {
            e.members
                .iter()
                .filter(|u| led.contains(u) && paper.check_confirmer(u, &actor).is_ok())
                .map(|u| (u.to_string(), names::unit(state, u)))
                .collect()
        })
        .unwrap_or_default();
    let tie = tied_round(e)
        .map(|(r, _)| {
            chairs(state, viewer, e)
                .into_iter()
                .filter(|u| may_decide(state, viewer, e, r, u))
                .map(|u| (u.to_string(), names::unit(state, &u)))
                .collect()
        })
        .unwrap_or_default();
    (confirm, tie)
}

/// Whether the election may be cancelled now, as the domain rules it: not cancelled, none of
/// its rounds counted.
pub(super) fn cancellable(e: &Election) -> bool {
    e.check_cancellable().is_ok()
}

/// What the viewer may do on the election page now: nothing once it is cancelled.
pub fn actions(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Actions {
    let manages = manages(viewer, &e.cluster);
    if e.is_cancelled() {
        return Actions {
            close: None,
            second_round: false,
            paper: None,
            withdraw: None,
            set_aside: None,
            confirm: Vec::new(),
            tie: Vec::new(),
            cancel: false,
            manages,
        };
    }
    let open = e.current_round();
    let (confirm, tie) = leader_actions(state, viewer, e);
    Actions {
        close: open
            .filter(|r| manages && r.paper.is_none())
            .map(|r| r.number),
        second_round: second_round_due(state, viewer, e),
        paper: paper_entry_round(e)
            .filter(|r| manages && (r.ballots.is_empty() || r.set_aside.is_some()))
            .map(|r| r.number),
        withdraw: paper_round(e).filter(|_| manages).map(|r| r.number),
        set_aside: undecrypted_round(e).filter(|_| manages).map(|r| r.number),
        confirm,
        tie,
        cancel: manages && cancellable(e),
        manages,
    }
}
