//! Explanations of integrity flags ("giải trình"): a flag ([`crate::integrity`]) is a sign to
//! look at, never a penalty, and the unit it names has its say beside it. The leader of a
//! flagged unit explains one of its flags (`flag_explained`: the flag's unit, period, kind and
//! subject, and the text); whoever sees the flag sees the explanation with it, and a later
//! explanation of the same flag replaces the earlier one on the page while both stay in the log.
//!
//! Rules: the unit's leader only ([`crate::authz::Permission::LeadUnit`]); the text within
//! [`limits::REASON`] and not the flag's newest explanation again (a second click writes
//! nothing: checked by [`decide`]); until the year's results are published; the flag must be one
//! the covenant's frame can raise (checked when the event is applied, so at replay too): a
//! member of the covenant's year,
//! a reported window of that year (the whole year `YYYY-Y` for data quality), a kind code, and
//! a subject that exists in the regulation (a funnel's step, an element) — none for data quality.
//! Whether the flag is raised at that moment is not required: flags follow the approved figures
//! and may come and go with a correction, and an explanation is shown only beside a raised flag.

use std::collections::HashMap;

use imbl::Vector;
use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::CovenantId;
use crate::integrity::{collect, Flag, FlagKind};
use crate::state::State;
use crate::text::limits;
pub use crate::wire::explanations::FlagExplained;

/// Which flag an explanation is about: what names a flag across recomputations.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FlagRef {
    pub unit: String,
    /// `2024-M05`; `2024-Y` for the year's data quality.
    pub period: String,
    /// The kind's code (`funnel_drop`, …).
    pub kind: String,
    /// [`Flag::subject`].
    pub subject: Option<String>,
}

impl FlagRef {
    /// The reference of a computed flag.
    pub fn of(flag: &Flag) -> FlagRef {
        FlagRef {
            unit: flag.unit.clone(),
            period: flag.period.label(),
            kind: flag.kind.code().to_owned(),
            subject: flag.subject(),
        }
    }

    fn of_event(e: &FlagExplained) -> FlagRef {
        FlagRef {
            unit: e.unit.to_string(),
            period: e.period.clone(),
            kind: e.kind.clone(),
            subject: e.subject.clone(),
        }
    }
}

/// An explanation as the state keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub flag: FlagRef,
    pub text: crate::text::Text,
    /// Log index, time and author of the event.
    pub index: u64,
    pub time_ms: i64,
    pub by: Actor,
}

/// A covenant's explanations, in log order.
pub type Explanations = Vector<Explanation>;

/// The newest explanation of `flag` among `all`.
pub fn latest<'a>(all: &'a Explanations, flag: &FlagRef) -> Option<&'a Explanation> {
    all.iter().rev().find(|e| &e.flag == flag)
}

/// The newest explanation of every flag explained in `all`, in one pass (for many flags at
/// once: a page of them, the counts of a covenant's flags).
pub fn newest_by_flag(all: Option<&Explanations>) -> HashMap<&FlagRef, &Explanation> {
    all.into_iter().flatten().map(|e| (&e.flag, e)).collect()
}

/// `ExplainFlag`: the unit's leader, then the text, then the event (whose fit to the flags the
/// covenant can raise is checked when it is applied).
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    e: FlagExplained,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::LeadUnit(e.unit.clone()))?;
    e.text.check("text", limits::REASON)?;
    let newest = state
        .explanations(&e.covenant)
        .and_then(|all| latest(all, &FlagRef::of_event(&e)));
    if newest.is_some_and(|n| n.text == e.text) {
        return Err(DomainError::ExplanationUnchanged);
    }
    Ok(vec![Payload::FlagExplained(e)])
}

fn invalid(field: &'static str, reason: String) -> DomainError {
    DomainError::InvalidValue { field, reason }
}

impl State {
    /// Folds `flag_explained` after checking that it names a flag the covenant can raise.
    pub(crate) fn apply_explanation(
        &mut self,
        event: &Event,
        e: &FlagExplained,
    ) -> Result<(), DomainError> {
        self.check_flag_ref(e)?;
        let explanation = Explanation {
            flag: FlagRef::of_event(e),
            text: e.text.clone(),
            index: event.index,
            time_ms: event.time_ms,
            by: event.actor.clone(),
        };
        self.flag_explanations
            .entry(e.covenant.clone())
            .or_default()
            .push_back(explanation);
        Ok(())
    }

    /// Whether the covenant's flags take no more explanations: its year's results are published
    /// (the year is closed; what was explained stays).
    pub fn explanations_closed(&self, covenant: &CovenantId) -> bool {
        self.yearend
            .reviews
            .get(covenant)
            .is_some_and(|r| r.published.is_some())
    }

    /// The explanations of a covenant's flags, in log order.
    pub fn explanations(&self, covenant: &CovenantId) -> Option<&Explanations> {
        self.flag_explanations.get(covenant)
    }

    /// The flag `e` names is one the covenant's frame can raise (see the module's rules).
    fn check_flag_ref(&self, e: &FlagExplained) -> Result<(), DomainError> {
        let year = self.covenant(&e.covenant)?.year;
        if self.explanations_closed(&e.covenant) {
            return Err(crate::yearend::error::refuse(
                "yearend_published",
                "the year's results are published: its flags take no more explanations",
            ));
        }
        let frame = collect::frame(self, &e.covenant)?;
        if !frame.members.contains(&e.unit) {
            return Err(invalid(
                "unit",
                format!("{} is not a member of the covenant's year", e.unit),
            ));
        }
        let kind = FlagKind::from_code(&e.kind)
            .ok_or_else(|| invalid("kind", format!("{:?} is not a kind of flag", e.kind)))?;
        let window = e
            .period
            .strip_prefix(&format!("{year}-"))
            .ok_or_else(|| invalid("period", format!("{:?} is not in {year}", e.period)))?;
        let period_ok = match kind {
            FlagKind::DataQuality => window == "Y",
            _ => frame
                .panel
                .periods
                .iter()
                .any(|p| p.year == year && p.window == window),
        };
        if !period_ok {
            return Err(invalid(
                "period",
                format!("{:?} is no period of a {} flag", e.period, e.kind),
            ));
        }
        if !subject_ok(&frame, kind, e.subject.as_deref()) {
            let subject = e.subject.as_deref().unwrap_or("no subject");
            return Err(invalid(
                "subject",
                format!("{subject:?} names nothing a {} flag is about", e.kind),
            ));
        }
        Ok(())
    }
}

/// Whether `subject` is what a flag of `kind` is about in the frame: a funnel's consecutive
/// step (`funnel:from:to`), an element watched for breaks, a count compared with last year, an element with a target boundary,
/// nothing for data quality.
fn subject_ok(frame: &collect::Frame, kind: FlagKind, subject: Option<&str>) -> bool {
    let panel = &frame.panel;
    let element = |id: &str| frame.ids.iter().position(|x| x == id);
    match (kind, subject) {
        (FlagKind::DataQuality, None) => true,
        (FlagKind::FunnelDrop, Some(s)) => {
            let mut parts = s.split(':');
            let (Some(funnel), Some(from), Some(to), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            let (Some(from), Some(to)) = (element(from), element(to)) else {
                return false;
            };
            panel
                .funnels
                .iter()
                .filter(|f| f.id == funnel)
                .any(|f| f.steps.windows(2).any(|w| w == [from, to]))
        }
        (FlagKind::SeriesBreak, Some(s)) => element(s).is_some_and(|e| panel.series.contains(&e)),
        (FlagKind::YearChange, Some(s)) => element(s).is_some_and(|e| panel.counts.contains(&e)),
        (FlagKind::NearTarget, Some(s)) => {
            element(s).is_some_and(|e| panel.boundaries.iter().any(|b| b.element == e))
        }
        _ => false,
    }
}
