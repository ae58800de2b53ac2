//! The year-end pages: the review of a covenant (`/covenants/{id}/yearend`: schedule, members,
//! each role's forms — the dossier, the seed commitment and reveal, the draw, the inspection
//! with the drawn records, the response, the council's decisions, the lock and the
//! publication) and the cluster's results (`/covenants/{id}/results`: ranking, self vs final
//! score, an SVG distribution chart, the assignment and its seed, each unit's breakdown, the
//! council's flags, "chờ chứng thực" until a witnessed checkpoint covers the publication). The
//! pages show the API's shapes ([`crate::api::yearend`]) and send the domain's commands: no
//! rule lives here. Works without JavaScript: the only script (`/static/yearend.js`) makes a
//! unit's seed secret and its commitment in the leader's browser, so that the server receives
//! the commitment alone; without it the leader pastes a commitment made offline
//! (`thidua assign commit`). The server never makes or sees a secret before its reveal.

mod chart;
mod describe;
mod evidence;
mod forms;

use std::collections::{BTreeMap, HashMap};

use crate::ui::extract::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::CovenantId;

pub use describe::describe;

use super::{render, viewer_error, Layout};
use crate::api::dto::UnitRef;
use crate::api::yearend::{self as api, ResultsDto, ReviewDto};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::yearend::YeStrings;
use crate::AppState;

#[derive(Template)]
#[template(path = "yearend.html")]
struct ReviewPage {
    l: Layout,
    y: &'static YeStrings,
    r: ReviewDto,
    /// The error of the last form, by the form's id.
    errors: BTreeMap<String, String>,
    /// The fields of a refused form, shown again as typed.
    typed: HashMap<String, String>,
    /// The movement's reporting windows, to name a flag's window.
    windows: Vec<thidua_domain::model::ReportingWindow>,
    /// The cluster has enough members for two inspectors per unit (the opening form offers 2).
    two_inspectors: bool,
    /// The field a refused form could not take (`score_C2a`), to say so beside that field.
    refused_field: Option<String>,
    /// Why the scores cannot be locked (findings missing, a dispute open, a total that cannot
    /// be computed) or the results published (a tie undecided) yet, in the viewer's words: the
    /// secretariat is told instead of being offered the button.
    lock_blocked: Option<String>,
    /// Why the draw cannot run yet (reveals or the beacon's value awaited), in the viewer's
    /// words: the secretariat is told what it waits for instead of being offered the button.
    draw_blocked: Option<String>,
    /// The form was refused for where the review stands, not for what it held.
    refusal: bool,
    /// Before the opening, for the secretariat: members lacking approved figures, with the
    /// windows (named) they lack.
    missing_figures: Vec<(String, String)>,
    /// Before the opening, for the secretariat: why the review cannot open while members have
    /// ceased during the year, and the cluster page where the succession is saved.
    members_ceased: Option<(String, String)>,
    /// Once the review is open, for everyone who sees it: members whose ceasing during the
    /// year was recorded after the opening, and that the review goes on with the signers.
    ceased_after_opening: Option<String>,
    /// The rules of the draw the secretariat's assignment, as it came back refused, breaks:
    /// (box name, the breach, ` checked` when ticked).
    typed_breaches: Vec<(String, api::BreachDto, &'static str)>,
    lang: crate::i18n::Lang,
}

impl ReviewPage {
    /// A rule of the draw a decided pair breaks: «rule: A → B», and for last year's pair
    /// carried through a merger the pair it was ([`Self::carried`]).
    fn breach(&self, b: &api::BreachDto) -> String {
        let y = self.y;
        let label = match b.rule.as_str() {
            "conflict" => y.rule_conflict,
            "mutual" => y.rule_mutual,
            _ => y.rule_last_year,
        };
        let (inspector, inspected) = (&b.inspector.name, &b.inspected.name);
        let carried = self.carried(&b.carried_from);
        format!("{label}: {inspector} → {inspected}{carried}")
    }
    /// « (năm 2024: A → B, C → D)»: the pairs of last year a pair was carried from through a
    /// merger, with their year; empty for last year's pair unchanged.
    fn carried(&self, from: &[(UnitRef, UnitRef)]) -> String {
        if from.is_empty() {
            return String::new();
        }
        let pairs: Vec<String> = from
            .iter()
            .map(|(a, b)| format!("{} → {}", a.name, b.name))
            .collect();
        let year = self.r.year - 1;
        let text = crate::i18n::fill(
            self.y.carried_from,
            &[("year", year.to_string()), ("pairs", pairs.join(", "))],
        );
        format!(" ({text})")
    }
    /// A member no cycle can place, after a draw that found nothing, with the number of
    /// declared conflicts it is in (whichever of the two units declared each).
    fn blocker(&self, b: &api::BlockerDto) -> String {
        let others = self.r.members.len().saturating_sub(1);
        crate::i18n::fill(
            self.y.blocker,
            &[
                ("unit", b.unit.name.clone()),
                ("conflicts", others.saturating_sub(b.left).to_string()),
                ("left", b.left.to_string()),
                ("needed", b.needed.to_string()),
            ],
        )
    }
    /// A flag's window as users name it ("Tháng 6/2024").
    fn flag_period(&self, f: &crate::api::flags::FlagDto) -> String {
        super::flags::period_text(self.lang, &self.windows, f.year, &f.window)
    }

    fn num(&self, raw: &str) -> String {
        crate::format::decimal_str(raw)
    }
    fn opt_num(&self, raw: &Option<String>) -> String {
        raw.as_deref()
            .map(crate::format::decimal_str)
            .unwrap_or_else(|| "—".into())
    }
    fn date(&self, iso: &str) -> String {
        crate::format::iso_date(iso)
    }
    fn verdict(&self, v: &str) -> &'static str {
        match v {
            "propose" => self.y.propose,
            "dispute" => self.y.dispute,
            _ => self.y.agree,
        }
    }
    fn status(&self, s: &str) -> &'static str {
        match s {
            "accepted" => self.y.settled_by_acceptance,
            "resolved" => self.y.resolution,
            _ => self.y.open_dispute,
        }
    }
    fn dossier_status(&self, s: &str) -> &'static str {
        match s {
            "submitted" => self.y.submitted,
            "draft" => self.y.draft,
            _ => self.y.not_submitted,
        }
    }
    /// The viewer's unit's dossier entry for a criterion (score, justification), if any.
    fn own_entry(&self, unit: &str, criterion: &str) -> (String, String) {
        if self.typed.get("unit").is_some_and(|u| u == unit)
            && self.typed.contains_key(&format!("score_{criterion}"))
        {
            let get = |k: String| self.typed.get(&k).cloned().unwrap_or_default();
            return (
                get(format!("score_{criterion}")),
                get(format!("just_{criterion}")),
            );
        }
        self.r
            .dossiers
            .iter()
            .find(|d| d.unit.id == unit)
            .and_then(|d| d.entries.iter().find(|e| e.criterion == criterion))
            .map(|e| {
                (
                    crate::format::decimal_str(&e.score),
                    e.justification.clone(),
                )
            })
            .unwrap_or_default()
    }
    fn member(&self, unit: &str) -> Option<&crate::api::yearend::MemberDto> {
        self.r.members.iter().find(|m| m.unit.id == unit)
    }
    /// The viewer leads `unit` (the findings of an inspecting unit are its leader's to submit).
    fn leads(&self, unit: &str) -> bool {
        self.member(unit).is_some_and(|m| m.led)
    }
    /// The unit has given its one response on its disputed criteria.
    fn responded(&self, unit: &str) -> bool {
        self.disputes_of(unit)
            .iter()
            .any(|d| d.answer.is_some() || d.accepted)
    }
    /// Why `unit` cannot answer its disputes yet, in the page's language: the findings of units
    /// inspecting it are still awaited (`thidua_domain::yearend::rules::response_open`, the
    /// domain's refusal of a response given now).
    fn response_waits(&self, unit: &str) -> Option<String> {
        let names: Vec<&str> = self
            .r
            .pairs
            .iter()
            .filter(|p| p.inspected.id == unit && !p.submitted)
            .map(|p| p.inspector.name.as_str())
            .collect();
        if names.is_empty() {
            return None;
        }
        let why = crate::i18n::yearend::phase_reason(self.lang, "response_waits_findings")?;
        Some(crate::i18n::fill(why, &[("units", names.join(", "))]))
    }
    fn committed(&self, unit: &str) -> bool {
        self.member(unit).is_some_and(|m| m.committed)
    }
    fn revealed(&self, unit: &str) -> bool {
        self.member(unit).is_some_and(|m| m.revealed)
    }
    /// The beacon may be pinned: nobody has committed and nothing is drawn.
    fn beacon_pinnable(&self) -> bool {
        self.r.beacon.is_none()
            && self.r.draw.is_none()
            && !self.r.members.iter().any(|m| m.committed)
    }
    /// The default day for the beacon round: two days after the commitment deadline, which
    /// leaves the day after it for reveals.
    fn beacon_default_day(&self) -> String {
        self.r
            .schedule
            .as_ref()
            .and_then(|s| s.commit_deadline.parse::<chrono::NaiveDate>().ok())
            .and_then(|d| d.checked_add_days(chrono::Days::new(2)))
            .map(|d| crate::format::date(&d))
            .unwrap_or_default()
    }
    /// When the pinned round is published, as Vietnamese users read a time.
    fn beacon_time(&self) -> String {
        self.r
            .beacon
            .as_ref()
            .and_then(|b| chrono::DateTime::parse_from_rfc3339(&b.published_at).ok())
            .map(|t| format!("{} (UTC+7)", crate::format::time_ms(t.timestamp_millis())))
            .unwrap_or_default()
    }
    /// Once a unit has revealed, commitments are closed.
    fn reveals_started(&self) -> bool {
        self.r.members.iter().any(|m| m.revealed)
    }
    /// Conflicts and record counts are taken while commitments are open (the domain's
    /// `yearend::rules::conflicts_open` and `records_open` decide; this only hides their forms).
    fn draw_inputs_open(&self) -> bool {
        !self.reveals_started()
            && !self.r.members.iter().all(|m| m.committed)
            && !self.past("commit")
    }
    /// A field of a refused form for `unit`, shown again as typed.
    fn typed_field(&self, name: &str, unit: &str) -> &str {
        match self.typed.get("unit") {
            Some(u) if u == unit => self.typed.get(name).map_or("", String::as_str),
            _ => "",
        }
    }
    /// A field of `action`'s form for `unit`, as typed when that form came back with an error.
    fn typed_for(&self, action: &str, name: &str, unit: &str) -> &str {
        if self.typed.get("action").is_some_and(|a| a == action) {
            self.typed_field(name, unit)
        } else {
            ""
        }
    }
    /// A field of the opening form as typed, when the opening came back with an error.
    fn typed_open(&self, name: &str) -> &str {
        self.typed_for_action("open", name)
    }
    fn error(&self, form: &str) -> Option<&String> {
        self.errors.get(form)
    }
    /// The secretariat's card (eligibility, lock, publication) has something to show: a step
    /// still to take, or the refusal of one.
    fn secretariat_card(&self) -> bool {
        let refused = ["record_eligibility", "lock", "publish_results"];
        self.r.manage && (!self.r.published || refused.iter().any(|f| self.errors.contains_key(*f)))
    }
    /// A field of the finding form on `inspected`, as typed when that form came back refused.
    fn finding_typed(&self, inspected: &str, name: &str) -> &str {
        match (self.typed.get("action"), self.typed.get("inspected")) {
            (Some(a), Some(u)) if a == "submit_finding" && u == inspected => {
                self.typed.get(name).map_or("", String::as_str)
            }
            _ => "",
        }
    }
    /// The refusal of the finding form on `inspected` that names one of `criterion`'s fields,
    /// said beside that criterion.
    fn finding_error_at(&self, inspected: &str, criterion: &str) -> Option<&String> {
        let field = self.refused_field.as_deref()?;
        let named = ["verdict_", "score_", "reason_"]
            .iter()
            .any(|p| field.strip_prefix(p) == Some(criterion));
        match self.typed.get("inspected") {
            Some(u) if named && u == inspected => self.errors.get("submit_finding"),
            _ => None,
        }
    }
    /// `aria-describedby`/`aria-invalid` for a field (`name`) of `criterion`'s row of the
    /// finding form on `inspected`, when the refusal is said beside that row.
    fn finding_aria(&self, inspected: &str, criterion: &str, name: &str) -> String {
        if self.finding_error_at(inspected, criterion).is_none() {
            return String::new();
        }
        let invalid = self.refused_field.as_deref() == Some(name);
        format!(
            "aria-describedby=\"submit_finding-error\"{}",
            if invalid {
                " aria-invalid=\"true\""
            } else {
                ""
            }
        )
    }
    /// The finding form's refusal when it is not said beside a criterion of a form shown.
    fn finding_error_general(&self) -> Option<&String> {
        let beside = self.r.pairs.iter().any(|p| {
            p.mine
                && !p.submitted
                && self
                    .r
                    .criteria
                    .iter()
                    .any(|c| self.finding_error_at(&p.inspected.id, &c.id).is_some())
        });
        match beside {
            true => None,
            false => self.errors.get("submit_finding"),
        }
    }
    /// The error of a form of `unit`'s card: a form sent for another of the viewer's units
    /// shows its error there only.
    fn error_for(&self, form: &str, unit: &str) -> Option<&String> {
        match self.typed.get("unit") {
            Some(u) if u != unit => None,
            _ => self.errors.get(form),
        }
    }
    /// `aria-describedby="{form}-error" aria-invalid="true"` for the fields of a form of
    /// `unit`'s card that came back with an error (templates: `{{ self.aria(…)|safe }}`).
    fn aria(&self, form: &str, unit: &str) -> String {
        match self.error_for(form, unit) {
            Some(_) => format!("aria-describedby=\"{form}-error\" aria-invalid=\"true\""),
            None => String::new(),
        }
    }
    /// The input of the dossier form (`score-ca-kg-C2a`, `just-ca-kg-C2a`) whose field
    /// (`score_C2a`, `just_C2a`) the dossier's refusal names.
    fn dossier_field_refused(&self) -> Option<String> {
        let field = self.refused_field.as_deref()?;
        let unit = self.typed.get("unit")?;
        if !self.errors.contains_key("save_dossier") {
            return None;
        }
        let (kind, criterion) = field.split_once('_')?;
        matches!(kind, "score" | "just").then(|| format!("{kind}-{unit}-{criterion}"))
    }
    /// The dossier's refusal when it is about `unit`'s `kind` (`score`, `just`) field of
    /// `criterion`: said beside that field (`{input id}-error`).
    fn dossier_field_error(&self, unit: &str, criterion: &str, kind: &str) -> Option<&String> {
        let input = format!("{kind}-{unit}-{criterion}");
        match self.dossier_field_refused() {
            Some(refused) if refused == input => self.errors.get("save_dossier"),
            _ => None,
        }
    }
    /// `aria-describedby`/`aria-invalid` of a dossier field whose refusal is said beside it
    /// (templates: `{{ …|safe }}`).
    fn dossier_aria(&self, unit: &str, criterion: &str, kind: &str) -> String {
        match self.dossier_field_error(unit, criterion, kind) {
            Some(_) => format!(
                " aria-describedby=\"{kind}-{unit}-{criterion}-error\" aria-invalid=\"true\""
            ),
            None => String::new(),
        }
    }
    /// The dossier's refusal for `unit` when it names no field of the form: said under it.
    fn dossier_error_general(&self, unit: &str) -> Option<&String> {
        match self.dossier_field_refused() {
            Some(_) => None,
            None => self.error_for("save_dossier", unit),
        }
    }
    /// The error summary the page opens with after a refused form: each message links to the
    /// message beside its form (`#{form}-error`), or beside the dossier's field it names.
    fn summary(&self) -> crate::ui::form::Errors {
        let mut out = crate::ui::form::Errors::default();
        for (form, message) in &self.errors {
            let id = match self.dossier_field_refused() {
                Some(input) if form == "save_dossier" => input,
                _ => form.clone(),
            };
            out.push(format!("{id}-error"), message.clone());
        }
        match self.refusal {
            true => out.refusal(),
            false => out,
        }
    }
    /// A deadline of the moving form: as typed when the form came back, else the schedule's.
    fn typed_deadline(&self, name: &str, current: &str) -> String {
        match self.typed.get("action") {
            Some(a) if a == "move_deadlines" => self.typed.get(name).cloned().unwrap_or_default(),
            _ => crate::format::iso_date(current),
        }
    }
    /// The eligibility form's unit as typed, when that form came back with an error.
    fn typed_eligibility_unit(&self, unit: &str) -> bool {
        self.typed
            .get("action")
            .is_some_and(|a| a == "record_eligibility")
            && self.typed.get("unit").is_some_and(|u| u == unit)
    }
    /// The inspectors' places of the secretariat's assignment: one per inspector a unit has.
    fn inspector_slots(&self) -> Vec<usize> {
        let k = self.r.schedule.as_ref().map_or(1, |s| s.inspectors);
        (0..usize::from(k)).collect()
    }
    /// The inspector chosen for `inspected`'s place `slot`, when the assignment came back
    /// refused.
    fn typed_decided(&self, inspected: &str, slot: &usize) -> &str {
        self.typed_for_action("decide_assignment", &format!("by_{inspected}_{slot}"))
    }
    /// A field of `action`'s form (one for the whole review), as typed when it came back.
    fn typed_for_action(&self, action: &str, name: &str) -> &str {
        match self.typed.get("action") {
            Some(a) if a == action => self.typed.get(name).map_or("", String::as_str),
            _ => "",
        }
    }
    fn typed_move_reason(&self) -> &str {
        self.typed_for_action("move_deadlines", "reason")
    }
    /// Units the viewer leads, as (id, name).
    fn led(&self) -> Vec<(String, String)> {
        self.r
            .members
            .iter()
            .filter(|m| m.led)
            .map(|m| (m.unit.id.clone(), m.unit.name.clone()))
            .collect()
    }
    fn own(&self) -> Vec<(String, String)> {
        self.r
            .members
            .iter()
            .filter(|m| m.own)
            .map(|m| (m.unit.id.clone(), m.unit.name.clone()))
            .collect()
    }
    /// The evidence files of the viewer's unit's entry for a criterion.
    fn evidence_of(&self, unit: &str, criterion: &str) -> Vec<crate::api::yearend::EvidenceDto> {
        self.r
            .dossiers
            .iter()
            .find(|d| d.unit.id == unit)
            .and_then(|d| d.entries.iter().find(|e| e.criterion == criterion))
            .map(|e| e.evidence.clone())
            .unwrap_or_default()
    }
    fn computed_of(&self, unit: &str) -> Option<&crate::api::yearend::BreakdownDto> {
        self.r.computed.iter().find(|b| b.unit.id == unit)
    }
    /// An evidence file's size, rounded, as the file lists say it ("55 KiB").
    fn file_size(&self, bytes: &u64) -> String {
        crate::format::byte_size(*bytes, self.lang)
    }
    /// An evidence file's size in full ("56.458 byte"), for the size's title.
    fn file_bytes(&self, bytes: &u64) -> String {
        crate::format::byte_count(*bytes, self.lang)
    }
    /// A computed criterion in the dossier's table, one sentence: why it cannot be computed
    /// yet, or that it is computed and the value its scale applied to (its steps are in the
    /// breakdown under the table).
    fn computed_note(&self, n: &crate::api::yearend::NodeDto) -> String {
        if let Some(problem) = &n.problem {
            let end = if problem.ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            return format!("{problem}{end}");
        }
        match &n.value {
            Some(v) => crate::i18n::fill(
                self.y.computed_with_value,
                &[("value", crate::format::measured(v, n.measure.as_deref()))],
            ),
            None => format!("{}.", self.y.computed),
        }
    }
    /// The engine's result for `criterion` of `unit` (the viewer's own unit, self-assessing).
    fn computed_node(&self, unit: &str, criterion: &str) -> Option<&crate::api::yearend::NodeDto> {
        self.computed_of(unit)?
            .nodes
            .iter()
            .find(|n| n.id == criterion)
    }
    fn flags_for(&self, unit: &str) -> Vec<&crate::api::flags::FlagDto> {
        self.r
            .inspected_flags
            .iter()
            .filter(|f| f.unit.id == unit)
            .collect()
    }

    /// A flag's reason in the page's language, in pieces: (text, Vietnamese data or not).
    fn flag_reason(&self, f: &crate::api::flags::FlagDto) -> Vec<crate::i18n::flags::Part> {
        if self.l.lang == "en" {
            f.reason_en_parts.clone()
        } else {
            vec![(f.reason_vi.clone(), false)]
        }
    }

    fn records_for(&self, unit: &str) -> Option<&crate::api::yearend::RecordsDto> {
        self.r.records.iter().find(|r| r.unit.id == unit)
    }
    /// The submitted dossiers the viewer reads that no other section shows: not its own
    /// unit's, nor one it inspects (the secretariat and the supervisors read every one, members
    /// every one once the results are published).
    fn others_dossiers(&self) -> Vec<&crate::api::yearend::DossierDto> {
        let own = self.own();
        self.r
            .dossiers
            .iter()
            .filter(|d| d.submitted && !own.iter().any(|(id, _)| *id == d.unit.id))
            .filter(|d| {
                !self
                    .r
                    .pairs
                    .iter()
                    .any(|p| p.mine && p.inspected.id == d.unit.id)
            })
            .collect()
    }
    fn dossier_of(&self, unit: &str) -> Option<&crate::api::yearend::DossierDto> {
        self.r
            .dossiers
            .iter()
            .find(|d| d.unit.id == unit && d.submitted)
    }
    fn disputes_of(&self, unit: &str) -> Vec<&crate::api::yearend::DisputeDto> {
        self.r
            .disputes
            .iter()
            .filter(|d| d.unit.id == unit)
            .collect()
    }
    /// The draw's relaxed soft constraints, in words, separated by semicolons.
    fn relaxed(&self, codes: &[String]) -> String {
        let words: Vec<String> = codes
            .iter()
            .map(|c| crate::i18n::yearend::relaxed_constraint(self.lang, c))
            .collect();
        words.join("; ")
    }
    /// A criterion by its code and name ("C2a — Kết quả thực hiện …").
    fn criterion(&self, id: &str) -> String {
        let name = self.r.criteria.iter().find(|c| c.id == id);
        criterion_label(id, name.map(|c| c.name.as_str()))
    }
    /// A unit's source-record re-check as labelled values: the records it declared, how many
    /// the seed drew, and each inspector's result (Wilson 95% interval) the viewer may read.
    fn records_lines(&self, unit: &str) -> Vec<(&'static str, String)> {
        let Some(population) = self.member(unit).and_then(|m| m.records) else {
            return Vec::new();
        };
        let mut lines = vec![(self.y.records_declared, count(population))];
        let drawn = self.records_for(unit).map_or(0, |r| r.numbers.len());
        if drawn > 0 {
            lines.push((self.y.records_drawn, count(drawn as u32)));
        }
        let results: Vec<String> = self
            .r
            .findings
            .iter()
            .filter(|f| f.inspected.id == unit)
            .filter_map(|f| f.recheck.as_ref())
            .map(|rc| recheck_text(self.y, rc))
            .collect();
        let result = match results.is_empty() {
            true => self.y.recheck_none.to_owned(),
            false => results.join("; "),
        };
        lines.push((self.y.recheck_result, result));
        lines
    }
    fn recheck(&self, rc: &crate::api::yearend::RecheckDto) -> String {
        recheck_text(self.y, rc)
    }
    /// The unit's dossier was submitted and the assignment drawn: it is inspected as submitted
    /// and the page offers no more changes (the domain refuses them: `yearend_dossier_frozen`).
    fn dossier_frozen(&self, unit: &str) -> bool {
        self.r.draw.is_some()
            && self
                .r
                .members
                .iter()
                .any(|m| m.unit.id == unit && m.dossier == "submitted")
    }
    /// The step's deadline has passed by the service's clock (`dossier`, `commit`, `reveal`,
    /// `response`): the page offers none of its forms, since the domain would refuse them.
    fn past(&self, step: &str) -> bool {
        self.r
            .schedule
            .as_ref()
            .is_some_and(|s| s.past.iter().any(|p| p == step))
    }
    /// Why a past step offers no form, with its deadline, in the page's language.
    fn closed_note(&self, step: &str) -> String {
        let Some(s) = self.r.schedule.as_ref() else {
            return String::new();
        };
        let (template, day) = match step {
            "dossier" => (self.y.dossier_closed, Some(&s.dossier_deadline)),
            "commit" => (self.y.commit_closed, Some(&s.commit_deadline)),
            "reveal" => (self.y.reveal_closed, s.reveal_deadline.as_ref()),
            _ => (self.y.response_closed, Some(&s.response_deadline)),
        };
        let day = day.map(|d| crate::format::iso_date(d)).unwrap_or_default();
        crate::i18n::fill(template, &[("date", day)])
    }
    /// Why a frozen dossier offers no form: the domain's refusal, in the page's language.
    fn frozen_note(&self) -> &'static str {
        crate::i18n::yearend::error(self.lang, "yearend_dossier_frozen").unwrap_or_default()
    }
    /// The unit's dossier as the viewer reads it: its own working revision, else the one
    /// submitted.
    fn read_dossier(&self, unit: &str) -> Option<&crate::api::yearend::DossierDto> {
        self.r.dossiers.iter().find(|d| d.unit.id == unit)
    }
    /// The revision the unit's leader submitted, if it did.
    fn submitted_revision(&self, unit: &str) -> Option<u32> {
        self.read_dossier(unit).and_then(|d| d.submitted_revision)
    }
    /// The revision the unit submitted and the newer one it saved since (`(submitted, saved)`):
    /// changes the secretariat and the inspectors do not read until the leader submits again.
    fn unsent(&self, unit: &str) -> Option<(u32, u32)> {
        let d = self.read_dossier(unit)?;
        let submitted = d.submitted_revision?;
        (d.revision > submitted).then_some((submitted, d.revision))
    }
    /// Why `unit`'s dossier offers no form after its deadline, and what becomes of it: inspected
    /// as submitted, or not assessed when its leader never submitted it
    /// (`thidua_domain::yearend::score::results`).
    fn dossier_closed_note(&self, unit: &str) -> String {
        let outcome = match self.submitted_revision(unit) {
            Some(_) => self.revisions_note(self.y.dossier_closed_submitted, unit),
            None => self.y.dossier_closed_unsubmitted.to_owned(),
        };
        format!("{} {outcome}", self.closed_note("dossier"))
    }
    /// The leader is offered to submit the unit's dossier: before the lock, the draw's freeze
    /// and the deadline, when it was never submitted or changed since it was.
    fn offers_submit(&self, unit: &str) -> bool {
        let changed = self.submitted_revision(unit).is_none() || self.unsent(unit).is_some();
        changed && !self.r.locked && !self.dossier_frozen(unit) && !self.past("dossier")
    }
    /// `template` filled with the unit's submitted and saved revisions and the dossier deadline.
    fn revisions_note(&self, template: &str, unit: &str) -> String {
        let (submitted, saved) = match self.unsent(unit) {
            Some(pair) => pair,
            None => {
                let n = self.submitted_revision(unit).unwrap_or_default();
                (n, n)
            }
        };
        let date = self.r.schedule.as_ref().map_or(String::new(), |s| {
            crate::format::iso_date(&s.dossier_deadline)
        });
        crate::i18n::fill(
            template,
            &[
                ("submitted", submitted.to_string()),
                ("saved", saved.to_string()),
                ("date", date),
            ],
        )
    }
    /// A member's dossier status in the members table: the viewer's own unit's says when
    /// changes saved after its submission are not submitted.
    fn member_status(&self, m: &crate::api::yearend::MemberDto) -> &'static str {
        if self.unsent(&m.unit.id).is_some() {
            return self.y.submitted_changed;
        }
        self.dossier_status(&m.dossier)
    }
    /// The viewer's unit's dossier status: "Đã gửi (bản lưu lần 2)", or the revision submitted
    /// and the newer one saved with changes not submitted.
    fn dossier_line(&self, unit: &str) -> String {
        if self.unsent(unit).is_some() {
            return self.revisions_note(self.y.submitted_with_changes, unit);
        }
        let status = self.member(unit).map_or("none", |m| m.dossier.as_str());
        match self.r.dossiers.iter().find(|d| d.unit.id == unit) {
            Some(d) if d.revision > 0 => {
                format!(
                    "{} ({} {})",
                    self.dossier_status(status),
                    self.y.saved_version,
                    d.revision
                )
            }
            _ => self.dossier_status(status).to_owned(),
        }
    }
    /// What became of a criterion of the unit's dossier: the council's or the unit's settlement
    /// of a dispute, else its self-score kept.
    fn outcome(&self, unit: &str, criterion: &str) -> String {
        let dispute = self
            .r
            .disputes
            .iter()
            .find(|d| d.unit.id == unit && d.criterion == criterion);
        match dispute {
            Some(d) => match &d.final_score {
                Some(s) => format!("{}: {}", self.status(&d.status), self.num(s)),
                None => self.status(&d.status).to_owned(),
            },
            None => self.y.self_kept.to_owned(),
        }
    }
}

/// The dossier score (`score_C2a`) a domain refusal of `save_dossier` is about — out of its
/// criterion's range, more decimals than the regulation's — so that the page says it beside
/// that field, as it says a field it could not read.
fn refused_score(action: &str, e: &ApiError) -> Option<String> {
    if action != "save_dossier" {
        return None;
    }
    match e.domain.as_deref() {
        Some(thidua_domain::DomainError::YearEnd(y)) => {
            y.arg("criterion").map(|c| format!("score_{c}"))
        }
        _ => None,
    }
}

/// A criterion as the year-end pages and the history name it: its code, then its name.
pub(crate) fn criterion_label(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("{id} — {n}"),
        _ => id.to_owned(),
    }
}

/// A count the Vietnamese way ("1.234").
fn count(n: u32) -> String {
    crate::format::decimal(&rust_decimal::Decimal::from(n))
}

/// A proportion the API carries ("0.95") as a percentage ("95%").
fn percent(raw: &str) -> String {
    match raw.parse::<rust_decimal::Decimal>() {
        Ok(p) => format!(
            "{}%",
            crate::format::decimal(&(p * rust_decimal::Decimal::ONE_HUNDRED))
        ),
        Err(_) => raw.to_owned(),
    }
}

/// A record re-check in words: how many of the checked records were correctly recorded, the
/// estimated rate and its Wilson 95% interval.
fn recheck_text(y: &YeStrings, rc: &crate::api::yearend::RecheckDto) -> String {
    crate::i18n::fill(
        y.recheck_text,
        &[
            ("correct", rc.correct.to_string()),
            ("checked", rc.checked.to_string()),
            ("estimate", percent(&rc.estimate)),
            ("low", percent(&rc.low)),
            ("high", percent(&rc.high)),
        ],
    )
}

/// Whether the viewer has a part in the covenant's year-end forms: manages its cluster, or
/// works for a member unit or for the unit that answers for one today. Anyone else (a
/// supervisor) is told the form is not theirs, not what its fields lacked.
fn takes_part(state: &thidua_domain::State, viewer: &Viewer, cov: &CovenantId) -> bool {
    let Ok(covenant) = state.covenant(cov) else {
        return false;
    };
    if viewer.scope.manages(&covenant.cluster) {
        return true;
    }
    let own = viewer.scope.own_units();
    let today = viewer.today();
    thidua_domain::progress::members(state, cov)
        .unwrap_or_default()
        .iter()
        .any(|m| {
            own.contains(m)
                || state
                    .continuing_unit(m, today)
                    .is_some_and(|u| own.contains(&u.id))
        })
}

fn covenant_id(viewer: &Viewer, id: &str) -> Result<CovenantId, Box<Response>> {
    CovenantId::parse(id).map_err(|_| Box::new(viewer_error(viewer, ApiError::not_found())))
}

/// The label of the year-end form field an invalid value was typed in (a criterion's score by
/// the criterion's code, a justification, an answer or a reason by its label and the
/// criterion's code), never the field's programmer name.
fn field_label(y: &crate::i18n::yearend::YeStrings, field: &str) -> String {
    if let Some(criterion) = field.strip_prefix("score_") {
        return format!("{} {criterion}", y.criterion);
    }
    let per_criterion = [
        ("just_", y.justification),
        ("answer_", y.answer),
        ("reason_", y.reason),
        ("accept_", y.accept),
        ("verdict_", y.verdict),
    ];
    for (prefix, label) in per_criterion {
        if let Some(criterion) = field.strip_prefix(prefix) {
            return format!("{label} — {} {criterion}", y.criterion);
        }
    }
    match field {
        "dossier_deadline" => y.dossier_deadline,
        "commit_deadline" => y.commit_deadline,
        "reveal_deadline" => y.reveal_deadline,
        "response_deadline" => y.response_deadline,
        "inspectors" => y.inspectors,
        "record_sample" => y.record_sample,
        "population" => y.population,
        "checked" => y.checked,
        "correct" => y.correct,
        "inspector" => y.inspector,
        "inspected" | "other" => y.inspected,
        "reason" | "note" => y.reason,
        "description" => y.records_description,
        "score" => y.final_score,
        "pairs" => y.decide_pairs,
        "commitment" => y.paste_commitment,
        "secret" => y.reveal_secret,
        "signature" => y.beacon_signature,
        "beacon_date" => y.beacon_date,
        "criterion" => y.criterion,
        "remove" => y.evidence,
        "band" => y.band,
        _ => y.unit,
    }
    .to_owned()
}

pub(crate) fn review_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    errors: BTreeMap<String, String>,
    typed: HashMap<String, String>,
) -> Response {
    review_view_at(app, viewer, id, errors, typed, None, false)
}

/// The review page after a refused form, its refusal said beside `refused_field` where the
/// page has one for it.
fn review_view_at(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    errors: BTreeMap<String, String>,
    typed: HashMap<String, String>,
    refused_field: Option<String>,
    refusal: bool,
) -> Response {
    let cov = match covenant_id(viewer, id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let failed = !errors.is_empty();
    let state = app.service.read();
    let windows = super::flags::covenant_windows(&state, &cov);
    let two_inspectors = state.covenants.get(&cov).is_some_and(|c| {
        state
            .members(&c.cluster, c.year)
            .is_ok_and(|m| m.len() >= thidua_domain::yearend::decide::MIN_UNITS_FOR_TWO)
    });
    let lock_blocked = lock_blocked(&state, viewer, &cov);
    let draw_blocked = draw_blocked(&state, viewer, &cov);
    let missing_figures = missing_figures(&state, viewer, &cov, &windows);
    let members_ceased = members_ceased(&state, viewer, &cov);
    let ceased_after_opening = ceased_after_opening(&state, viewer.lang, &cov);
    let typed_breaches = typed_breaches(&state, &cov, &typed);
    let dto = api::review_dto(app, &state, &viewer.scope, &cov, viewer.lang, viewer.now_ms);
    drop(state);
    match dto {
        Ok(r) => {
            let y = viewer.lang.yearend();
            let mut res = render(&ReviewPage {
                l: Layout::new(viewer, format!("{}: {}", y.title, r.title)),
                y,
                r,
                errors,
                typed,
                windows,
                two_inspectors,
                refused_field,
                lock_blocked,
                draw_blocked,
                refusal,
                missing_figures,
                members_ceased,
                ceased_after_opening,
                typed_breaches,
                lang: viewer.lang,
            });
            if failed {
                *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            res
        }
        Err(e) => viewer_error(viewer, e),
    }
}

/// For the cluster's secretariat, before the review is opened: the members lacking approved
/// figures ([`thidua_domain::yearend::rules::missing_windows`]), each with its windows named.
fn missing_figures(
    state: &thidua_domain::State,
    viewer: &Viewer,
    cov: &CovenantId,
    windows: &[thidua_domain::model::ReportingWindow],
) -> Vec<(String, String)> {
    use thidua_domain::yearend::rules;
    if state.yearend.reviews.contains_key(cov) || !manages(state, viewer, cov) {
        return Vec::new();
    }
    let Some(year) = state.covenants.get(cov).map(|c| c.year) else {
        return Vec::new();
    };
    let missing = rules::missing_windows(state, cov).unwrap_or_default();
    missing
        .into_iter()
        .map(|(unit, keys)| {
            let named: Vec<String> = keys
                .iter()
                .map(|k| super::flags::period_text(viewer.lang, windows, year, k))
                .collect();
            (rules::named(state, &unit), named.join(", "))
        })
        .collect()
}

/// For the cluster's secretariat, before the opening: the refusal the opening would meet
/// while members ceased during the year ([`thidua_domain::yearend::rules::no_member_ceased`]),
/// and the cluster page of the year, where the succession is saved.
fn members_ceased(
    state: &thidua_domain::State,
    viewer: &Viewer,
    cov: &CovenantId,
) -> Option<(String, String)> {
    use thidua_domain::yearend::rules;
    if state.yearend.reviews.contains_key(cov) || !manages(state, viewer, cov) {
        return None;
    }
    let c = state.covenants.get(cov)?;
    let Err(thidua_domain::DomainError::YearEnd(e)) = rules::no_member_ceased(state, cov) else {
        return None;
    };
    let said = crate::i18n::yearend::refusal(viewer.lang, &e);
    Some((said, format!("/clusters/{}?year={}", c.cluster, c.year)))
}

/// Once the review is open: the members that ceased during the year, recorded after the
/// opening (a succession is refused then, [`thidua_domain::DomainError::MembershipReviewOpen`]),
/// named with the day and their successors, and that the review goes on with the signers.
fn ceased_after_opening(
    state: &thidua_domain::State,
    lang: crate::i18n::Lang,
    cov: &CovenantId,
) -> Option<String> {
    let review = state.yearend.reviews.get(cov)?;
    let ceased = state.ceased_members(&review.cluster, review.year);
    if ceased.is_empty() {
        return None;
    }
    let (units, successors) = thidua_domain::succession::named_ceased(state, &ceased);
    Some(crate::i18n::fill(
        lang.yearend().ceased_after_opening,
        &[
            ("units", units.join(", ")),
            ("successors", successors.join(", ")),
        ],
    ))
}

/// The rules of the draw the assignment typed in a refused `decide_assignment` form breaks
/// ([`thidua_domain::yearend::rules::breaches`]), each with its box and whether it was ticked.
fn typed_breaches(
    state: &thidua_domain::State,
    cov: &CovenantId,
    typed: &HashMap<String, String>,
) -> Vec<(String, api::BreachDto, &'static str)> {
    use thidua_domain::yearend::rules;
    let (Some(review), Some("decide_assignment")) = (
        state.yearend.reviews.get(cov),
        typed.get("action").map(String::as_str),
    ) else {
        return Vec::new();
    };
    let Ok(pairs) = forms::chosen_pairs(typed) else {
        return Vec::new();
    };
    rules::breaches(state, review, &pairs)
        .into_iter()
        .map(|b| {
            let name = format!("ack:{}:{}:{}", b.rule.key(), b.inspector, b.inspected);
            let ticked = match typed.get(&name).is_some_and(|v| v == "1") {
                true => " checked",
                false => "",
            };
            (name, api::breach_dto(state, review, &b), ticked)
        })
        .collect()
}

/// Whether `viewer` manages the review of `cov` (its cluster's secretariat, or an administrator).
fn manages(state: &thidua_domain::State, viewer: &Viewer, cov: &CovenantId) -> bool {
    state
        .covenants
        .get(cov)
        .is_some_and(|c| viewer.scope.manages(&c.cluster))
}

/// For the cluster's secretariat, until the assignment is drawn: why the domain would refuse
/// the draw now ([`thidua_domain::yearend::Review::draw_ready`]), in the viewer's words.
fn draw_blocked(state: &thidua_domain::State, viewer: &Viewer, cov: &CovenantId) -> Option<String> {
    let review = state.yearend.reviews.get(cov)?;
    if !manages(state, viewer, cov) || review.drawn.is_some() || review.decided.is_some() {
        return None;
    }
    let ready = review.draw_ready(viewer.now_ms);
    ready.err().map(|e| viewer.lang.refusal(&e))
}

/// For the cluster's secretariat, until the results are published: why the domain would refuse
/// the next step now — the lock (`yearend::decide::lock_allowed`), or once locked the
/// publication (`ties_decided`) — in the viewer's words.
fn lock_blocked(state: &thidua_domain::State, viewer: &Viewer, cov: &CovenantId) -> Option<String> {
    use thidua_domain::yearend::decide::{lock_allowed, ties_decided};
    let review = state.yearend.reviews.get(cov)?;
    if !manages(state, viewer, cov) || review.published.is_some() {
        return None;
    }
    let next = match review.locked_at {
        None => lock_allowed(state, review),
        Some(_) => ties_decided(state, review),
    };
    next.err().map(|e| viewer.lang.refusal(&e))
}

/// `GET /covenants/{id}/yearend`.
pub async fn review_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    review_view(&app, &viewer, &id, BTreeMap::new(), HashMap::new())
}

/// `POST /covenants/{id}/yearend`: one step, named by the form's `action`.
pub async fn step(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let cov = match covenant_id(&viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let action = form.get("action").cloned().unwrap_or_default();
    if !forms::ACTIONS.contains(&action.as_str()) {
        let refused = ApiError::bad_request("yearend_unknown_action", "action".to_owned());
        return super::viewer_error_back(&viewer, refused, format!("/covenants/{id}/yearend"));
    }
    let (commands, part) = {
        let state = app.service.read();
        let commands = match action.as_str() {
            "move_deadlines" => forms::move_deadlines(&state, &cov, &form),
            _ => {
                let actor = thidua_domain::Actor::User(viewer.user.clone());
                forms::command(&state, &actor, &cov, &action, &form).map(|c| vec![c])
            }
        };
        (commands, takes_part(&state, &viewer, &cov))
    };
    if commands.is_err() && !part {
        return viewer_error(&viewer, ApiError::forbidden());
    }
    // A form that cannot be read names its field (`message`); a refusal of the domain says
    // its own reason.
    let (result, unread) = match commands {
        Ok(cs) => {
            let cs = cs
                .into_iter()
                .map(thidua_domain::Command::YearEnd)
                .collect();
            let done = crate::api::execute(&app, &viewer, cs).await.map(|_| ());
            (done, false)
        }
        Err(e) => (Err(e), true),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/covenants/{id}/yearend#{action}")).into_response(),
        // Not the viewer's to do (403) falls to the last arm: a page saying so, as the other
        // pages answer (it came back as the form's 422).
        Err(e) if e.shown_in_form() => {
            let refused_field = (unread && !e.message.is_empty())
                .then(|| e.message.clone())
                .or_else(|| refused_score(&action, &e));
            let refusal = matches!(
                e.domain.as_deref(),
                Some(thidua_domain::DomainError::YearEnd(y)) if y.about_state()
            );
            let y = viewer.lang.yearend();
            let message = match (e.domain.as_deref(), e.code) {
                (Some(thidua_domain::DomainError::InvalidValue { field, .. }), code) => {
                    format!("{} ({})", viewer.lang.error(code), field_label(y, field))
                }
                (None, code) if unread && !e.message.is_empty() => format!(
                    "{} ({})",
                    viewer.lang.error(code),
                    field_label(y, &e.message)
                ),
                _ => viewer.lang.api_error(&e),
            };
            let mut typed = form;
            typed.remove("csrf");
            review_view_at(
                &app,
                &viewer,
                &id,
                BTreeMap::from([(action, message)]),
                typed,
                refused_field,
                refusal,
            )
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "yearend_results.html")]
struct ResultsPage {
    l: Layout,
    y: &'static YeStrings,
    r: ResultsDto,
    chart: String,
    /// The cluster's vote section, or the form opening a vote for the year (the secretariat,
    /// once the results are published): (href, label).
    votes_link: (String, &'static str),
}

impl ResultsPage {
    fn num(&self, raw: &Option<String>) -> String {
        raw.as_deref()
            .map(crate::format::decimal_str)
            .unwrap_or_else(|| "—".into())
    }
    fn flag_label(&self, kind: &str) -> &'static str {
        match kind {
            "self_minus_final" => self.y.flag_self_minus_final,
            "leniency" => self.y.flag_leniency,
            "agreement" => self.y.flag_agreement,
            _ => self.y.flag_mutual_high,
        }
    }
    /// The council's flags by kind, in the order they come (one table body each, headed by
    /// what the figure is), so the kind is said once rather than on every unit's row.
    fn flag_groups(&self) -> Vec<(&'static str, Vec<&crate::api::yearend::InspectionFlagDto>)> {
        let mut groups: Vec<(&str, Vec<_>)> = Vec::new();
        for f in &self.r.flags {
            match groups.last_mut() {
                Some((kind, flags)) if *kind == f.kind => flags.push(f),
                _ => groups.push((f.kind.as_str(), vec![f])),
            }
        }
        groups
            .into_iter()
            .map(|(kind, flags)| (self.flag_label(kind), flags))
            .collect()
    }
    fn num2(&self, raw: &str) -> String {
        crate::format::decimal_str(raw)
    }
    fn flag_value(&self, f: &crate::api::yearend::InspectionFlagDto) -> String {
        match (f.kind.as_str(), f.count) {
            ("self_minus_final", _) => crate::format::decimal_str(&f.value),
            ("leniency", Some(n)) => format!(
                "{} ({})",
                crate::format::decimal_str(&f.value),
                crate::i18n::fill(self.y.flag_mean_over, &[("n", n)])
            ),
            ("agreement", _) => match f.value.split_once('/') {
                Some((same, total)) => {
                    crate::i18n::fill(self.y.flag_agree_on, &[("same", same), ("total", total)])
                }
                None => f.value.clone(),
            },
            _ => f.value.clone(),
        }
    }
    fn recheck(&self, rc: &crate::api::yearend::RecheckDto) -> String {
        recheck_text(self.y, rc)
    }
    fn indent(&self, depth: &usize) -> String {
        "\u{2003}".repeat(*depth)
    }
}

/// `GET /covenants/{id}/results`.
pub async fn results_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let cov = match covenant_id(&viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let status = crate::ui::proof::LogStatus::load(&app).await;
    match api::results_dto(
        &app.service.read(),
        &viewer.scope,
        &cov,
        status.witnessed.map(|w| w.0),
        viewer.lang,
    ) {
        Ok(r) => {
            let y = viewer.lang.yearend();
            let chart = chart::distribution(&r, y);
            let m = crate::i18n::votes::manage(viewer.lang.code());
            let cluster = app
                .service
                .read()
                .covenants
                .get(&cov)
                .map(|c| c.cluster.clone());
            let votes_link = match cluster {
                Some(c) if r.published && crate::ui::votes::manage::manages(&viewer, &c) => (
                    format!("/clusters/{c}/elections/new?year={}", r.year),
                    m.open_new,
                ),
                Some(c) => (
                    format!("/clusters/{c}?year={}#votes", r.year),
                    m.results_votes,
                ),
                None => (String::new(), m.results_votes),
            };
            render(&ResultsPage {
                l: Layout::new(&viewer, format!("{}: {}", y.results, r.title)),
                y,
                r,
                chart,
                votes_link,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/covenants/{id}/yearend", get(review_page).post(step))
        .route("/covenants/{id}/results", get(results_page))
        .route(
            "/covenants/{id}/yearend/evidence",
            axum::routing::post(evidence::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::auth::MAX_UPLOAD,
            )),
        )
        .route(
            "/covenants/{id}/yearend/evidence/{sha}",
            get(evidence::download),
        )
}

#[cfg(test)]
mod tests {
    use super::field_label;
    use crate::i18n::Lang;

    /// A refused value is named by its form label in the page's language, a criterion's score
    /// by the criterion's code.
    #[test]
    fn an_invalid_field_is_named_by_its_label() {
        let vi = Lang::Vi.yearend();
        assert_eq!(field_label(vi, "response_deadline"), vi.response_deadline);
        assert_eq!(field_label(vi, "score_A1"), format!("{} A1", vi.criterion));
        let en = Lang::En.yearend();
        assert_eq!(field_label(en, "population"), en.population);
        for field in ["inspectors", "other", "checked", "pairs", "reason"] {
            assert!(!field_label(vi, field).contains(field), "{field}");
        }
    }

    /// A justification, an answer or a finding's reason left empty names its criterion (it
    /// said "Không được để trống." naming nothing).
    #[test]
    fn a_per_criterion_field_names_its_criterion() {
        let vi = Lang::Vi.yearend();
        assert_eq!(
            field_label(vi, "just_C2a"),
            format!("{} — {} C2a", vi.justification, vi.criterion)
        );
        assert!(field_label(vi, "answer_C2b").contains("C2b"));
        assert!(field_label(vi, "reason_A1").contains("A1"));
        assert_eq!(field_label(vi, "description"), vi.records_description);
        assert_eq!(field_label(vi, "note"), vi.reason);
    }
}
