//! The difference between two versions of a covenant, for a leader to read before signing the
//! newer one, said from the domain's one computation of it ([`thidua_domain::covenant::diff`]):
//! the covenant's own fields and members, the targets (added, removed, changed, matched by their
//! id) in sentences, the regulation's areas and criteria that change in the words of the
//! regulation page, its other settings and tables key by key with numbers the Vietnamese way
//! ([`Changes`]: the covenant page's section, [`section`], and the comparison page), and on the
//! comparison page its canonical text line by line (a longest-common-subsequence diff with a
//! few lines of context).

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::covenant::diff::{
    Change as DiffChange, CovenantDiff, RegulationDiff, TableChange, TargetChange, ValueChange,
};
use thidua_domain::model::Target;
use thidua_domain::state::CovenantVersion;
use thidua_domain::CovenantId;

use super::regulation::CriterionRow;
use super::{render, viewer_error, Layout};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::{Lang, Strings};
use crate::AppState;

/// One changed field or target: what it was, what it becomes (empty when added or removed).
pub struct Change {
    pub what: String,
    pub before: String,
    pub after: String,
}

/// One line of the regulation diff: `' '` kept, `'-'` removed, `'+'` added, `'…'` skipped.
pub struct DiffLine {
    pub mark: char,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// Line diff of two texts, with `context` unchanged lines around each change.
pub fn line_diff(a: &str, b: &str, context: usize) -> Vec<DiffLine> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut all = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            all.push(DiffLine {
                mark: ' ',
                old: Some(i + 1),
                new: Some(j + 1),
                text: a[i].into(),
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            all.push(DiffLine {
                mark: '+',
                old: None,
                new: Some(j + 1),
                text: b[j].into(),
            });
            j += 1;
        } else {
            all.push(DiffLine {
                mark: '-',
                old: Some(i + 1),
                new: None,
                text: a[i].into(),
            });
            i += 1;
        }
    }
    let near = |k: usize| {
        let lo = k.saturating_sub(context);
        let hi = (k + context + 1).min(all.len());
        all[lo..hi].iter().any(|l| l.mark != ' ')
    };
    let keep: Vec<bool> = (0..all.len()).map(near).collect();
    let mut out = Vec::new();
    let mut skipped = false;
    for (line, keep) in all.into_iter().zip(keep) {
        if keep {
            out.push(line);
            skipped = false;
        } else if !skipped {
            out.push(DiffLine {
                mark: '…',
                old: None,
                new: None,
                text: String::new(),
            });
            skipped = true;
        }
    }
    out
}

/// What one version changed from another, in rows the pages show (the covenant page for the
/// version it shows, the comparison page for any two): computed once by the domain
/// ([`thidua_domain::covenant::diff`]) and said here with names, sentences and Vietnamese
/// numbers.
pub struct Changes {
    pub from: u32,
    pub to: u32,
    /// The heads of the before and after columns ("Phiên bản 1", "Trước khi sửa" …).
    pub before_label: String,
    pub after_label: String,
    /// The covenant's fields, its members and its targets.
    pub covenant: Vec<Change>,
    /// The regulation's areas and criteria, in the words of the regulation page.
    pub criteria: Vec<Change>,
    /// The regulation's hash, settings and other tables (rules, indicators, items …).
    pub regulation: Vec<Change>,
}

impl Changes {
    /// Nothing that the members sign differs.
    pub fn is_empty(&self) -> bool {
        self.covenant.is_empty() && self.criteria.is_empty() && self.regulation.is_empty()
    }
}

/// What `b` changed from `a`, said in `lang`.
pub fn changes(
    state: &thidua_domain::State,
    lang: Lang,
    a: &CovenantVersion,
    b: &CovenantVersion,
) -> Changes {
    let t = lang.strings();
    let d = &thidua_domain::covenant::diff::diff(a, b);
    let mut covenant = field_changes(t, d);
    covenant.extend(member_changes(t, state, d));
    covenant.extend(d.targets.iter().map(|c| target_change(t, c)));
    let (criteria, regulation) = match &d.regulation {
        Some(r) => {
            let words = CriteriaWords::new(
                t,
                lang,
                &a.content.regulation.text,
                &b.content.regulation.text,
            );
            regulation_changes(t, r, &words)
        }
        None => (Vec::new(), Vec::new()),
    };
    let version = |v: u32| format!("{} {v}", t.version);
    Changes {
        from: d.from,
        to: d.to,
        before_label: version(d.from),
        after_label: version(d.to),
        covenant,
        criteria,
        regulation,
    }
}

fn change(what: impl Into<String>, before: String, after: String) -> Change {
    Change {
        what: what.into(),
        before,
        after,
    }
}

fn field_changes(t: &Strings, d: &CovenantDiff) -> Vec<Change> {
    let texts = [(t.title_label, &d.title), (t.place_label, &d.place)];
    let mut out: Vec<Change> = texts
        .into_iter()
        .filter_map(|(what, c)| {
            c.as_ref()
                .map(|(x, y)| change(what, x.to_string(), y.to_string()))
        })
        .collect();
    if let Some((x, y)) = &d.signing_date {
        let date = crate::format::date;
        out.push(change(t.signing_date, date(x), date(y)));
    }
    out
}

fn member_changes(t: &Strings, state: &thidua_domain::State, d: &CovenantDiff) -> Vec<Change> {
    let name = |u: &thidua_domain::UnitId| super::names::unit(state, u).text;
    let added = d
        .members_added
        .iter()
        .map(|u| change(t.member_added, String::new(), name(u)));
    let removed = d
        .members_removed
        .iter()
        .map(|u| change(t.member_removed, name(u), String::new()));
    added.chain(removed).collect()
}

fn target_text(t: &Strings, x: &Target) -> String {
    format!("{} — {}", x.subject, super::targets::sentence(t, x))
}

/// A changed target said with what its sentence does not show when that changed (its area, the
/// indicator measuring it).
fn target_said(t: &Strings, x: &Target, fields: &[&str]) -> String {
    let mut said = target_text(t, x);
    if fields.contains(&"area") {
        said = format!("{}: {said}", x.area);
    }
    if fields.contains(&"indicator") {
        let indicator = x.indicator.as_deref().unwrap_or("—");
        said = format!("{said} ({}: {indicator})", t.indicator_label);
    }
    said
}

fn target_change(t: &Strings, c: &TargetChange) -> Change {
    match c {
        TargetChange::Added(y) => change(t.target_added, String::new(), target_text(t, y)),
        TargetChange::Removed(x) => change(t.target_removed, target_text(t, x), String::new()),
        TargetChange::Changed {
            before,
            after,
            fields,
        } => change(
            t.target_changed,
            target_said(t, before, fields),
            target_said(t, after, fields),
        ),
    }
}

/// A canonical value as a reader reads it: a number the Vietnamese way ("95,5"), a string's
/// text, anything else (a scale, a list) as written; "—" where the key is absent.
fn value_shown(value: &Option<String>) -> String {
    use std::str::FromStr;
    match value.as_deref() {
        None => "—".to_owned(),
        Some(v) => match rust_decimal::Decimal::from_str(v) {
            Ok(d) => crate::format::decimal(&d),
            Err(_) => thidua_domain::covenant::diff::unquote(v),
        },
    }
}

/// The values of a table that differ, `key = value` each, separated by semicolons.
fn values_shown(values: &[ValueChange], side: impl Fn(&ValueChange) -> &Option<String>) -> String {
    values
        .iter()
        .filter(|v| side(v).is_some())
        .map(|v| format!("{} = {}", v.key, value_shown(side(v))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The regulation's changes: its areas and criteria in words (the first list), then its hash,
/// its settings and its other tables key by key.
fn regulation_changes(
    t: &Strings,
    r: &RegulationDiff,
    words: &CriteriaWords,
) -> (Vec<Change>, Vec<Change>) {
    let mut rest = vec![change(
        t.regulation_hash,
        r.sha256_before.clone(),
        r.sha256_after.clone(),
    )];
    rest.extend(r.settings.iter().map(|v| {
        let what = format!("{} · {}", t.regulation_setting, v.key);
        change(what, value_shown(&v.before), value_shown(&v.after))
    }));
    let mut criteria = Vec::new();
    for table in &r.tables {
        match words.change(t, table) {
            Some(c) => criteria.push(c),
            None => rest.push(table_change(t, table)),
        }
    }
    (criteria, rest)
}

fn table_word(t: &Strings, table: &str) -> String {
    let name = match table {
        "element" => t.reg_element,
        "indicator" => t.reg_indicator,
        "area" => t.reg_area,
        "criterion" => t.reg_criterion,
        "bonus" => t.reg_bonus,
        "penalty" => t.reg_penalty,
        "band" => t.reg_band,
        "funnel" => t.reg_funnel,
        "rule" => t.reg_rule,
        other => other,
    };
    name.to_owned()
}

fn change_word(t: &Strings, c: DiffChange) -> &'static str {
    match c {
        DiffChange::Added => t.change_added,
        DiffChange::Removed => t.change_removed,
        DiffChange::Changed => t.change_changed,
    }
}

/// A table other than an area or criterion: its keys that differ, before and after.
fn table_change(t: &Strings, x: &TableChange) -> Change {
    let what = format!(
        "{} {} {} ({})",
        table_word(t, &x.table),
        change_word(t, x.change),
        x.id,
        x.name
    );
    change(
        what,
        values_shown(&x.values, |v| &v.before),
        values_shown(&x.values, |v| &v.after),
    )
}

/// The areas and criteria of two regulations in the words of the regulation page, for the
/// tables the domain found changed. Empty when either text does not compile.
struct CriteriaWords {
    before: Vec<CriterionRow>,
    after: Vec<CriterionRow>,
}

impl CriteriaWords {
    fn new(t: &Strings, lang: Lang, a: &str, b: &str) -> Self {
        let rows = |text: &str| {
            thidua_scoring::compile(text)
                .map(|c| super::regulation::criteria_rows(t, &c, lang))
                .unwrap_or_default()
        };
        match (rows(a), rows(b)) {
            (before, after) if before.is_empty() || after.is_empty() => Self {
                before: Vec::new(),
                after: Vec::new(),
            },
            (before, after) => Self { before, after },
        }
    }

    /// An area or criterion said in words ("A1 Kéo giảm … (10 điểm): …"), `None` for another
    /// table or when there are no words.
    fn change(&self, t: &Strings, x: &TableChange) -> Option<Change> {
        let said = |rows: &[CriterionRow]| {
            rows.iter().find(|r| r.id == x.id).map(|r| {
                format!(
                    "{} {} ({} {}): {}",
                    r.id, r.name, r.points, t.points_word, r.how
                )
            })
        };
        if !matches!(x.table.as_str(), "area" | "criterion") {
            return None;
        }
        let (before, after) = (said(&self.before), said(&self.after));
        if before.is_none() && after.is_none() {
            return None;
        }
        let what = format!("{} {}", table_word(t, &x.table), change_word(t, x.change));
        let mut c = change(what, before.unwrap_or_default(), after.unwrap_or_default());
        if x.change == DiffChange::Changed && c.before == c.after {
            // The words are the same; what differs is in the keys (an expression, `on_error`).
            c.before = values_shown(&x.values, |v| &v.before);
            c.after = values_shown(&x.values, |v| &v.after);
        }
        Some(c)
    }
}

/// The covenant page's section on what the version it shows changed from the one it follows:
/// a heading and an introduction naming both versions, and the rows.
pub struct ChangesSection {
    /// Prefixed to the ids of the section's elements: `""` for a version's changes,
    /// `"amendment-"` for a draft's amendment, both shown on one page.
    pub prefix: &'static str,
    pub heading: String,
    /// What the rows are, or that nothing signed differs.
    pub intro: String,
    pub changes: Changes,
}

/// [`ChangesSection`] for version `v` of `c`; `None` for a first version.
pub fn section(
    state: &thidua_domain::State,
    lang: Lang,
    c: &thidua_domain::state::Covenant,
    v: &CovenantVersion,
) -> Option<ChangesSection> {
    let before = c.previous(v.version)?;
    let t = lang.strings();
    let changes = changes(state, lang, before, v);
    let versions = [("from", before.version), ("to", v.version)];
    let intro = if changes.is_empty() {
        t.changes_none
    } else {
        t.changes_intro
    };
    Some(ChangesSection {
        prefix: "",
        heading: crate::i18n::fill(t.changes_title, &versions),
        intro: crate::i18n::fill(intro, &versions),
        changes,
    })
}

impl ChangesSection {
    /// The id of the section's element `name` (`changes`, `covenant-changes` …).
    pub fn id(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Whether the rows compare two versions (a full line-by-line comparison exists).
    pub fn versions(&self) -> bool {
        self.changes.from != self.changes.to
    }
}

/// [`ChangesSection`] for the latest amendment of draft `v`: what the secretariat changed on
/// `dd/mm/yyyy` in the draft as it stood; `None` when it was never amended.
pub fn amendment_section(
    state: &thidua_domain::State,
    lang: Lang,
    v: &CovenantVersion,
) -> Option<ChangesSection> {
    let amended = v.amended.as_ref()?;
    let t = lang.strings();
    let mut changes = changes(state, lang, &v.before_amendment()?, v);
    changes.before_label = t.amendment_before.to_owned();
    changes.after_label = t.amendment_after.to_owned();
    let day = crate::format::time_ms(amended.time_ms);
    let said = [("when", day.as_str())];
    Some(ChangesSection {
        prefix: "amendment-",
        heading: crate::i18n::fill(t.amendment_title, &said),
        intro: crate::i18n::fill(t.amendment_intro, &said),
        changes,
    })
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    l: Layout,
    id: String,
    title: String,
    from: u32,
    to: u32,
    changes: Changes,
    lines: Vec<DiffLine>,
}

impl DiffPage {
    /// The regulation's text did not change.
    fn unchanged(&self) -> bool {
        self.lines.iter().all(|x| x.mark == ' ' || x.mark == '…')
    }
}

#[derive(Deserialize)]
pub struct DiffParams {
    from: Option<u32>,
    to: Option<u32>,
}

/// `GET /covenants/{id}/diff?from=&to=` (default: the latest version against the one before).
pub async fn diff(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DiffParams>,
) -> Response {
    let t = viewer.lang.strings();
    let c = {
        let state = app.service.read();
        let c = CovenantId::parse(&id)
            .ok()
            .and_then(|cid| state.covenants.get(&cid).cloned());
        match c.filter(|c| viewer.scope.can_view_covenant(&state, c)) {
            Some(c) => c,
            None => return viewer_error(&viewer, ApiError::not_found()),
        }
    };
    let to = q.to.unwrap_or(c.latest().version);
    let from = q.from.unwrap_or(to.saturating_sub(1));
    let (Some(a), Some(b)) = (c.version(from), c.version(to)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    render(&DiffPage {
        l: Layout::new(&viewer, t.diff_title),
        id: c.id.to_string(),
        title: b.content.title.to_string(),
        from,
        to,
        changes: {
            let state = app.service.read();
            changes(&state, viewer.lang, a, b)
        },
        lines: line_diff(&a.content.regulation.text, &b.content.regulation.text, 3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: u32, regulation: &str) -> CovenantVersion {
        let text = |s: &str| thidua_domain::Text::parse("test", s, 300).unwrap();
        CovenantVersion {
            version: n,
            content: thidua_domain::model::CovenantContent {
                title: text("Giao ước"),
                place: text("Rạch Giá"),
                signing_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 26).unwrap(),
                targets: Vec::new(),
                regulation: thidua_domain::covenant::regulation_doc(regulation).unwrap(),
            },
            members: Vec::new(),
            hash: String::new(),
            signatures: Default::default(),
            frozen_at: None,
            drafted_at: 0,
            withdrawn: None,
            amended: None,
        }
    }

    /// A criterion whose scale changes is told in words, before and after; the others are not.
    /// A rule removed is told with its check, a point in a number the Vietnamese way.
    #[test]
    fn a_changed_criterion_is_told_in_words() {
        let a = include_str!("../../../../examples/cum12-2024/regulation.toml");
        let b = a
            .replace(
                "target = -5, better = \"lower\", per = 2 }",
                "target = -7, better = \"lower\", per = 2 }",
            )
            .replace("bonus_cap = 15 ", "bonus_cap = 15.5 ");
        assert_ne!(a, b);
        let lang = Lang::Vi;
        let state = thidua_domain::State::default();
        let changes = changes(&state, lang, &version(1, a), &version(2, &b));
        let criteria = &changes.criteria;
        assert_eq!(
            criteria.len(),
            1,
            "{:?}",
            criteria.iter().map(|c| &c.after).collect::<Vec<_>>()
        );
        assert_eq!(criteria[0].what, "Tiêu chí sửa");
        assert!(
            criteria[0].before.starts_with("A1 Kéo giảm tội phạm"),
            "{}",
            criteria[0].before
        );
        assert!(
            criteria[0].before.contains("giảm từ 5% trở lên"),
            "{}",
            criteria[0].before
        );
        assert!(
            criteria[0].after.contains("giảm từ 7% trở lên"),
            "{}",
            criteria[0].after
        );
        let cap = changes
            .regulation
            .iter()
            .find(|c| c.what.ends_with("bonus_cap"));
        let cap = cap.expect("the bonus cap is a setting that changed");
        assert_eq!((cap.before.as_str(), cap.after.as_str()), ("15", "15,5"));
        assert!(changes.covenant.is_empty());
        let same = super::changes(&state, lang, &version(1, a), &version(2, a));
        assert!(same.is_empty());
    }

    #[test]
    fn lines_removed_and_added_with_context() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\ni";
        let b = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj";
        let d = line_diff(a, b, 1);
        let marks: String = d.iter().map(|l| l.mark).collect();
        assert_eq!(marks, "… -+ … +");
        let marks: String = line_diff(a, a, 3).iter().map(|l| l.mark).collect();
        assert_eq!(marks, "…");
    }
}
