//! The progress pages: a covenant's progress as small multiples (one card per member unit, a
//! server-drawn SVG chart per target, the provisional score), one unit's (its targets in a
//! table, a chart each, and the engine's explanation of its provisional score), and the
//! overseers' table of every cluster. "Số liệu tính đến ngày …" on each. No JavaScript. Reads
//! go through [`crate::api::progress`], the API's code, so both show the same.

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::{CovenantId, UnitId};
use thidua_scoring::exact::Rounding;
use thidua_scoring::render::vi_num;
use thidua_scoring::Exact;

use super::chart::{svg, Chart};
use super::{render, viewer_error, Layout};
use crate::api::progress::{
    self as api, LackingDto, OverviewDto, ProgressDto, TargetProgressDto, TargetRef,
    UnitProgressDto,
};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::progress::ProgStrings;
use crate::i18n::Lang;
use crate::AppState;

/// A value as pages show it: "95,5", "≈ 16,6667" (exact within four decimals), or "—".
pub fn shown(raw: &Option<String>) -> String {
    raw.as_deref()
        .and_then(|s| s.parse::<Exact>().ok())
        .map(|x| vi_num(&x.round(2, Rounding::HalfUp)))
        .unwrap_or_else(|| "—".into())
}

fn parse(raw: &Option<String>) -> Option<Exact> {
    raw.as_deref().and_then(|s| s.parse().ok())
}

/// Page helpers shared by the three templates.
pub struct Helpers {
    pub p: &'static ProgStrings,
    lang: Lang,
}

impl Helpers {
    /// The helpers of a page in `lang`.
    pub fn new(lang: Lang) -> Helpers {
        Helpers {
            p: lang.progress(),
            lang,
        }
    }

    pub fn status(&self, code: &str) -> &'static str {
        self.p.status(code)
    }

    /// A target's status code as the domain decided it (the API's), for the templates.
    pub fn status_of(&self, v: &TargetProgressDto) -> &'static str {
        v.status.code()
    }

    pub fn method(&self, code: &str) -> &'static str {
        match code {
            "seasonal" => self.p.seasonal,
            "linear" => self.p.linear,
            "mixed" => self.p.mixed,
            _ => self.p.no_projection,
        }
    }

    pub fn date(&self, iso: &Option<String>) -> String {
        iso.as_deref()
            .map(crate::format::iso_date)
            .unwrap_or_default()
    }

    pub fn num(&self, raw: &Option<String>) -> String {
        shown(raw)
    }

    /// A value in the target's terms with its unit of measure, as HTML: "3 vụ". A reduction
    /// target's value is said as what happened, "giảm 5,51%" or "tăng 75%", never as a
    /// negative reduction ("-75% giảm").
    pub fn measure(&self, raw: &Option<String>, t: &TargetRef) -> String {
        self.measure_of(raw, &t.shape, &t.unit_of_measure)
    }

    /// [`Helpers::measure`] by the target's shape key and unit of measure.
    pub fn measure_of(&self, raw: &Option<String>, shape: &str, of: &Option<String>) -> String {
        use thidua_scoring::render::esc;
        if shape.starts_with("reduce") {
            if let Some(x) = parse(raw) {
                return self.reduction(&x);
            }
        }
        let value = esc(&shown(raw));
        // The unit of measure is the covenant's own (Vietnamese) words: marked so, as HTML.
        let unit = super::names::vietnamese_html;
        let measured = match (of, raw) {
            (Some(u), Some(_)) if u.starts_with('%') => format!("{value}{}", unit(u)),
            (Some(u), Some(_)) => format!("{value} {}", unit(u)),
            _ => value,
        };
        // A statement that must hold counts what breaks it: none is "met", else how many.
        match (shape, parse(raw)) {
            ("yes_no", Some(x)) if x.is_zero() => self.p.held.to_owned(),
            ("yes_no", Some(_)) => self.p.broken.replace("{value}", &measured),
            _ => measured,
        }
    }

    /// A value the pages say in words rather than as a number, as plain text: a statement
    /// that must hold (a yes/no target), "Đạt" or "Không đạt: 2 băng nhóm" as
    /// [`Helpers::measure_of`] says it; `None` for any other value (the mid-year workbook
    /// writes those as numbers).
    pub fn words(&self, raw: &str, shape: &str, of: &Option<String>) -> Option<String> {
        if shape != "yes_no" {
            return None;
        }
        let x = raw.parse::<Exact>().ok()?;
        if x.is_zero() {
            return Some(self.p.held.to_owned());
        }
        let value = shown(&Some(raw.to_owned()));
        let measured = match of {
            Some(u) => format!("{value} {u}"),
            None => value,
        };
        Some(self.p.broken.replace("{value}", &measured))
    }

    /// A reduction in per cent (a rise negative) said as what happened: "giảm 5,51%", "tăng
    /// 75%", "không tăng, không giảm".
    pub fn reduction(&self, x: &Exact) -> String {
        if x.is_zero() {
            return self.p.unchanged.to_owned();
        }
        let (words, size) = if x.is_negative() {
            (self.p.increased_by, x.neg())
        } else {
            (self.p.reduced_by, x.clone())
        };
        words.replace("{x}", &vi_num(&size.round(2, Rounding::HalfUp)))
    }

    /// A signed change in per cent as a change indicator (`pct_change`) reads it, a decrease
    /// negative, said as [`Helpers::reduction`] says it: "-15,7" is "giảm 15,7%".
    pub fn change(&self, raw: &Option<String>) -> String {
        parse(raw).map_or_else(|| "—".into(), |x| self.reduction(&x.neg()))
    }

    /// Where a change against a zero baseline has no percentage, why: "tăng (cùng kỳ năm gốc
    /// bằng 0 …)" when the count rose from 0, else "— (… không tính được % giảm)".
    pub fn zero_baseline(&self, now: &Option<String>) -> String {
        match parse(now) {
            Some(n) if !n.is_zero() => self.p.rose_from_zero.to_owned(),
            _ => self.p.no_rate_from_zero.to_owned(),
        }
    }

    /// A unit's value to date in the target's terms ([`Helpers::measure`]), or, against a zero
    /// baseline or a merged unit's incomplete one, why there is none.
    pub fn to_date(&self, v: &TargetProgressDto, t: &TargetRef) -> String {
        if v.to_date.is_none() && v.zero_baseline {
            return thidua_scoring::render::esc(&self.zero_baseline(&v.shown_now()));
        }
        match (&v.to_date, &v.compared_lacking) {
            (None, Some(l)) => self.not_computed(l),
            _ => self.measure(&v.to_date, t),
        }
    }

    /// The value a target's value to date is compared with ("cùng kỳ"), or, for a merged
    /// unit whose lineage lacks approved figures of that year, why there is none. HTML.
    pub fn before(&self, v: &TargetProgressDto) -> String {
        match (v.shown_before(), &v.compared_lacking) {
            (None, Some(l)) => self.not_computed(l),
            (before, _) => shown(&before),
        }
    }

    /// A unit's provisional score, or, where a merged unit's lineage lacks approved figures
    /// the score reads, why there is none. HTML.
    pub fn provisional(&self, u: &UnitProgressDto) -> String {
        match (&u.provisional_total, &u.score_lacking) {
            (None, Some(l)) => self.not_computed(l),
            (total, _) => shown(total),
        }
    }

    /// "— (chưa tính được, không cộng thiếu: chưa đủ số liệu đã duyệt năm 2024 (tháng 1 đến
    /// tháng 3) của …)".
    fn not_computed(&self, l: &LackingDto) -> String {
        self.p.not_computed.replace("{reason}", &self.lacking(l))
    }

    /// Who of a merged unit's lineage lacks approved figures of which months of which year
    /// ([`super::figures::lacking_figures_through`]). HTML.
    fn lacking(&self, l: &LackingDto) -> String {
        super::figures::lacking_figures_through(self.lang.figures(), l.year, l.through, &l.units)
    }

    /// Where a change target's percentage cannot be charted for a merged unit whose lineage
    /// lacks approved figures of the year it compares with: why, and that this year's count is
    /// drawn instead. HTML.
    pub fn no_change(&self, v: &TargetProgressDto) -> Option<String> {
        let l = v.compared_lacking.as_ref()?;
        if v.series.iter().any(Option::is_some) || !v.counts.iter().any(Option::is_some) {
            return None;
        }
        Some(crate::i18n::fill(
            self.p.no_change_lacking,
            &[("year", l.year.to_string()), ("reason", self.lacking(l))],
        ))
    }

    /// The level the covenant sets, as its sentence in the page's language ("Giảm ít nhất 5%
    /// so với năm 2023", "Tỷ lệ đạt trên 90%"), the words the covenant page shows.
    pub fn target_level<'t>(&self, t: &'t TargetRef) -> &'t str {
        self.in_lang(&t.sentence_vi, &t.sentence_en)
    }

    /// Of a text carried in both languages, the page's.
    pub fn in_lang<'t>(&self, vi: &'t str, en: &'t str) -> &'t str {
        self.lang.pick(vi, en)
    }

    /// Why a target's chart has no line for last year, when none of its months can be known:
    /// last year's change needs the figures of the year it compares with ("chưa có số liệu năm
    /// 2022 để tính mức thay đổi của năm 2023"), or the year itself, naming the units of a
    /// merged unit's lineage that lack approved figures of it. Never drawn as 0. HTML.
    pub fn no_last_year(&self, v: &TargetProgressDto, year: &i32) -> Option<String> {
        if v.last_year.iter().any(Option::is_some) {
            return None;
        }
        if let Some(l) = &v.last_year_lacking {
            let reason = self.lacking(l);
            return Some(self.p.no_last_year_lacking.replace("{reason}", &reason));
        }
        let last = *year - 1;
        let text = match v.last_year_compared_year {
            Some(base) if base >= last => self
                .p
                .no_last_year_itself
                .replace("{last}", &last.to_string()),
            Some(base) => crate::i18n::fill(
                self.p.no_last_year_base,
                &[("base", base.to_string()), ("last", last.to_string())],
            ),
            None => self.p.no_last_year.replace("{last}", &last.to_string()),
        };
        Some(text)
    }

    /// The chart of one target of one unit: in the target's terms, or, where a change cannot
    /// be known to date ([`Helpers::no_change`]), this year's count alone.
    pub fn chart(&self, t: &TargetRef, v: &TargetProgressDto) -> String {
        let counts_only = self.no_change(v).is_some();
        let this: Vec<Option<Exact>> = match counts_only {
            true => v.counts.iter().map(parse).collect(),
            false => v.series.iter().map(parse).collect(),
        };
        let last: Vec<Option<Exact>> = match counts_only {
            true => Vec::new(),
            false => v.last_year.iter().map(parse).collect(),
        };
        let projected = parse(&v.projected).filter(|_| !counts_only);
        let threshold = match t.shape.as_str() {
            _ if counts_only => None,
            "yes_no" => Some(rust_decimal::Decimal::ZERO),
            _ => t.threshold.as_deref().and_then(|s| s.parse().ok()),
        };
        svg(&Chart {
            title: &t.subject,
            this_year: &this,
            last_year: &last,
            projected: projected.as_ref(),
            threshold,
        })
    }
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ClusterPage {
    l: Layout,
    h: Helpers,
    p: &'static ProgStrings,
    d: ProgressDto,
    /// The target charted in each card.
    target: usize,
    /// Integrity flags the viewer may read, counted by unit id ([`crate::api::flags`]).
    flags: FlagCounts,
    /// The log size the page's progress was computed at.
    size: u64,
    /// The flags page's name, for each card's link.
    flags_label: &'static str,
    /// This page of cards (from 1) and how many pages there are.
    page: usize,
    pages: usize,
    /// The year's results are published: the provisional scores here are not the final ones.
    published: bool,
}

impl ClusterPage {
    /// The charted target's id (empty without targets), kept by the pager's links.
    fn target_id(&self) -> &str {
        self.d
            .targets
            .get(self.target)
            .map_or("", |t| t.id.as_str())
    }

    fn flag_count(&self, unit: &str) -> usize {
        self.flags.by_unit.get(unit).copied().unwrap_or(0)
    }
}

/// The integrity flags of the page's units that the viewer may read, counted by unit (none
/// when the viewer reads none).
fn flag_counts(
    app: &AppState,
    state: &thidua_domain::State,
    scope: &crate::authz::Scope,
    id: &CovenantId,
    page: &ProgressDto,
) -> FlagCounts {
    let units = page.units.iter().map(|u| u.unit.id.as_str());
    match crate::api::flags::counts_recent(app, state, scope, id, units) {
        Ok((at, by_unit)) => FlagCounts { by_unit, at },
        Err(_) => FlagCounts {
            at: state.size,
            ..FlagCounts::default()
        },
    }
}

/// Integrity flags counted by unit, from the flags computed at log size `at` (the latest
/// computed: the page never waits for a recomputation).
#[derive(Default)]
struct FlagCounts {
    by_unit: std::collections::BTreeMap<String, usize>,
    at: u64,
}

#[derive(Deserialize)]
pub struct ClusterParams {
    target: Option<String>,
    page: Option<usize>,
}

/// Unit cards on one page of a covenant's progress (a national covenant has thousands).
pub const CARDS_PER_PAGE: usize = 60;

/// `GET /covenants/{id}/progress?target=…&page=…`.
pub async fn cluster_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ClusterParams>,
) -> Response {
    let Ok(id) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let scope = viewer.scope.clone();
    let asked = q.page;
    let found = app
        .blocking(move |app| {
            let state = app.service.read();
            let count = thidua_domain::progress::members(&state, &id).map_or(0, |m| m.len());
            let (cards, page, pages) = super::page_of(count, CARDS_PER_PAGE, asked);
            let d = api::progress_dto_of(app, &state, &scope, &id, None, cards)?.0;
            let flags = flag_counts(app, &state, &scope, &id, &d);
            let published = state
                .yearend
                .reviews
                .get(&id)
                .is_some_and(|r| r.published.is_some());
            Ok((d, flags, state.size, page, pages, published))
        })
        .await;
    match found {
        Ok((d, flags, size, page, pages, published)) => {
            let p = viewer.lang.progress();
            let target = q
                .target
                .and_then(|t| d.targets.iter().position(|x| x.id == t))
                .unwrap_or(0);
            render(&ClusterPage {
                l: Layout::new(&viewer, format!("{}: {}", p.title, d.title)),
                h: Helpers::new(viewer.lang),
                p,
                d,
                target,
                flags,
                size,
                flags_label: viewer.lang.flags().link,
                page,
                pages,
                published,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "progress_unit.html")]
struct UnitPage {
    l: Layout,
    h: Helpers,
    p: &'static ProgStrings,
    d: ProgressDto,
    /// The engine's explanation (an escaped HTML fragment), if anything is approved.
    explanation: Option<String>,
    /// How to recompute the provisional score offline, if anything is approved.
    recompute: Option<crate::api::progress::RecomputeDto>,
}

impl UnitPage {
    /// The years the targets' compared values read (the year before when unsaid).
    fn compared_years(&self) -> std::collections::BTreeSet<i32> {
        self.d.units[0]
            .targets
            .iter()
            .map(|v| v.compared_year.unwrap_or(self.d.year - 1))
            .collect()
    }

    /// The compared column's heading: "Cùng kỳ 2023" when every target compares with the same
    /// year (it once said "năm trước" whatever the year compared with).
    fn compared_heading(&self) -> String {
        let years = self.compared_years();
        match (years.len(), years.first()) {
            (1, Some(y)) => self.p.same_period_year.replace("{year}", &y.to_string()),
            _ => self.p.same_period_years.to_owned(),
        }
    }

    /// Beside a compared value when the targets compare with different years: its year.
    fn compared_note(&self, v: &TargetProgressDto) -> String {
        if self.compared_years().len() < 2 {
            return String::new();
        }
        let year = v.compared_year.unwrap_or(self.d.year - 1);
        format!(" ({})", self.p.in_year.replace("{year}", &year.to_string()))
    }
}

/// `GET /covenants/{id}/progress/{unit}`.
pub async fn unit_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit)): Path<(String, String)>,
) -> Response {
    let (Ok(id), Ok(unit)) = (CovenantId::parse(&id), UnitId::parse(&unit)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let (scope, lang) = (viewer.scope.clone(), viewer.lang);
    let found = app
        .blocking(move |app| {
            let state = app.service.read();
            let names = crate::api::explain::ExplainNames::of(&state, &id);
            api::unit_detail(app, &state, &scope, &id, &unit)
                .map(|(detail, result)| (detail, result.map(|r| names.unit_html(&r, lang))))
        })
        .await;
    match found {
        Ok((detail, explanation)) => {
            let p = viewer.lang.progress();
            let name = detail.progress.units[0].unit.name.clone();
            render(&UnitPage {
                l: Layout::new(&viewer, format!("{}: {name}", p.title)),
                h: Helpers::new(viewer.lang),
                p,
                d: detail.progress,
                explanation,
                recompute: detail.recompute,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "progress_all.html")]
struct OverviewPage {
    l: Layout,
    h: Helpers,
    p: &'static ProgStrings,
    d: OverviewDto,
}

impl OverviewPage {
    /// The row's (at risk, behind, beyond the range) as the columns show them (counted by
    /// the API as the pages say each status).
    fn counts(&self, row: usize) -> (usize, usize, usize) {
        let r = &self.d.rows[row];
        (r.at_risk, r.off_track, r.beyond_range)
    }

    /// "Dự thảo đang chờ ký: 2/5 đơn vị đã ký".
    fn draft_signing(&self, a: &api::AwaitingCovenant) -> String {
        crate::i18n::fill(
            self.p.draft_signing,
            &[
                ("signed", a.signed.to_string()),
                ("members", a.members.to_string()),
            ],
        )
    }
}

/// `GET /progress`: every cluster the viewer oversees.
pub async fn overview_page(State(app): State<AppState>, viewer: Viewer) -> Response {
    let scope = viewer.scope.clone();
    let found = app
        .blocking(move |app| {
            let state = app.service.read();
            api::overview_dto(app, &state, &scope)
        })
        .await;
    match found {
        Ok(d) => {
            let p = viewer.lang.progress();
            render(&OverviewPage {
                l: Layout::new(&viewer, p.overview_title),
                h: Helpers::new(viewer.lang),
                p,
                d,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/progress", get(overview_page))
        .route("/covenants/{id}/progress", get(cluster_page))
        .route("/covenants/{id}/progress/{unit}", get(unit_page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_said_with_the_targets_unit_of_measure() {
        let h = Helpers::new(Lang::Vi);
        let target = |unit: Option<&str>| TargetRef {
            id: "t1".into(),
            subject: "Giảm tội phạm".into(),
            shape: "reduce_at_least".into(),
            threshold: Some("5".into()),
            range: None,
            unit_of_measure: unit.map(Into::into),
            indicator: "crimes".into(),
            sentence_vi: "Giảm ít nhất 5% so với năm 2023".into(),
            sentence_en: "Reduce by at least 5% compared with 2023".into(),
        };
        let value = Some("5.51".to_owned());
        assert_eq!(h.measure(&value, &target(Some("% giảm"))), "giảm 5,51%");
        let up = Some("-75".to_owned());
        assert_eq!(h.measure(&up, &target(Some("% giảm"))), "tăng 75%");
        let zero = Some("0".to_owned());
        assert_eq!(
            h.measure(&zero, &target(Some("% giảm"))),
            "không tăng, không giảm"
        );
        // A change indicator's own sign (a decrease negative) is said the same way: the
        // mid-year table's "Chỉ số đo đến nay" beside "Đạt đến nay".
        assert_eq!(h.change(&Some("15.7".to_owned())), "tăng 15,7%");
        assert_eq!(h.change(&Some("-5.51".to_owned())), "giảm 5,51%");
        assert_eq!(h.change(&None), "—");
        let count = |unit| TargetRef {
            shape: "count_at_most".into(),
            ..target(unit)
        };
        assert_eq!(
            h.measure(&value, &count(Some("<vụ>"))),
            "5,51 <span lang=\"vi\">&lt;vụ&gt;</span>",
            "escaped"
        );
        assert_eq!(h.measure(&value, &count(None)), "5,51");
        let must_hold = |unit| TargetRef {
            shape: "yes_no".into(),
            ..target(unit)
        };
        let none = Some("0".to_owned());
        assert_eq!(h.measure(&none, &must_hold(Some("băng nhóm"))), "Đạt");
        assert_eq!(
            h.measure(&Some("2".to_owned()), &must_hold(Some("băng nhóm"))),
            "Không đạt: 2 <span lang=\"vi\">băng nhóm</span>"
        );
        assert_eq!(
            Helpers::new(Lang::En).measure(&none, &must_hold(None)),
            "Met"
        );
        assert_eq!(h.measure(&None, &target(Some("vụ"))), "—");
    }
}
