//! The words a score explanation uses for units and elements in the server: the engine's data
//! call the members `u1`, `u2`, … and the elements by their ids, and cite rows of a data file
//! that does not exist here; pages and the API name the members and elements instead and say
//! the figures are the approved ones ([`thidua_scoring::render::Naming`]). The words are the
//! page's language; the JSON API's are Vietnamese.

use std::collections::BTreeMap;

use thidua_domain::engine_data::data_units;
use thidua_domain::{CovenantId, State as DomainState, UnitId};
use thidua_scoring::explain::Step;
use thidua_scoring::render::{standing_in, step_in, unit_html_in, Language, Naming};
use thidua_scoring::UnitResult;

use crate::i18n::Lang;

/// The names of a covenant's members and their predecessors (by their ids in the engine's
/// data) and of its elements.
pub struct ExplainNames {
    units: BTreeMap<String, String>,
    elements: BTreeMap<String, String>,
}

impl ExplainNames {
    /// The names for explanations of `covenant`'s scores.
    pub fn of(state: &DomainState, covenant: &CovenantId) -> Self {
        let c = state.covenant(covenant).ok();
        let mut members: Vec<UnitId> = c
            .and_then(|c| state.members(&c.cluster, c.year).ok())
            .map(<[UnitId]>::to_vec)
            .unwrap_or_default();
        members.sort();
        // The members and the predecessors whose figures a merged member's earlier years add.
        let units = c
            .map(|c| data_units(state, &members, c.year))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, u)| Some((id, state.units.get(&u)?.name.to_string())))
            .collect();
        let elements = state
            .reporting_form(covenant)
            .map(|f| {
                f.elements
                    .iter()
                    .map(|e| (e.id.clone(), e.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Self { units, elements }
    }

    /// One step of an explanation in `lang`.
    pub fn step(&self, step: &Step, lang: Lang) -> String {
        self.with(|n| step_in(step, n, language(lang)))
    }

    /// A unit's whole explanation as HTML in `lang`.
    pub fn unit_html(&self, result: &UnitResult, lang: Lang) -> String {
        self.with(|n| unit_html_in(result, n, language(lang)))
    }

    /// Why a unit stands where it does beyond its total, one sentence each in `lang`
    /// ([`standing_in`]: ties, quotas, the cluster head's decision at a cut-off).
    pub fn standing(&self, result: &UnitResult, lang: Lang) -> Vec<String> {
        self.with(|n| standing_in(result, n, language(lang)))
    }

    fn with<R>(&self, f: impl FnOnce(&Naming) -> R) -> R {
        let unit = |id: &str| self.units.get(id).cloned();
        let element = |id: &str| self.elements.get(id).cloned();
        f(&Naming {
            unit: &unit,
            element: &element,
            cite_file: false,
        })
    }
}

/// The engine's language for an explanation in `lang`.
pub(crate) fn language(lang: Lang) -> Language {
    match lang {
        Lang::Vi => Language::Vi,
        Lang::En => Language::En,
    }
}
