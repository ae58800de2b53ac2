//! Renders results for people: plain text (numbers "95,5", thousands ".", dates dd/mm/yyyy, no
//! programmer notation), an escaped HTML fragment for the web UI, and JSON (serde; numbers as
//! exact strings). Text and HTML say the same things: every figure, every value a condition
//! compares, the branch of each scale, caps, rounding, how ties on the total were settled and
//! which quota moved a unit down a band. They speak Vietnamese, or English when the caller asks
//! ([`Language`]; the `_vi` functions and those without a language are Vietnamese); the JSON
//! has no language.
use crate::ast::{Aggregation, RoundMode};
use crate::engine::{ErrorWords, EvalError};
use crate::exact::{Exact, Rounding};
use crate::explain::*;
use crate::num::vi_text;
use std::fmt::Write;
use wording::Wording;
pub use wording::{fill, Language};

#[cfg(test)]
mod tests;
mod wording;

/// An engine phrase holding names in «» (an expression's words), in `lang`; the names stay.
pub fn in_language(vi: &str, lang: Language) -> String {
    lang.words().named(vi).into_owned()
}

/// Vietnamese form of an exact value: exact up to 4 decimals, else "≈" and 4 decimals (the
/// JSON keeps the exact value). English explanations write numbers the same way.
pub fn vi_num(d: &Exact) -> String {
    match d.decimal_text() {
        Some(t) if t.split_once('.').is_none_or(|(_, f)| f.len() <= 4) => vi_text(&t),
        _ => format!("≈ {}", vi_text(&d.approx_text(4))),
    }
}

/// Like [`vi_num`], with enough decimals that a value different from `other` never reads the
/// same (89,99996 beside 90 shows "≈ 89,99996", not "≈ 90").
pub fn vi_vs(v: &Exact, other: &Exact) -> String {
    let short = vi_num(v);
    if !short.starts_with('≈') || v == other {
        return short;
    }
    for p in 4..=16 {
        let r = v.round(p, Rounding::HalfUp);
        if r != *other {
            return format!("≈ {}", vi_text(&r.approx_text(p)));
        }
    }
    short
}

fn val(v: &Val, w: &Wording) -> String {
    match v {
        Val::Num(n) => vi_num(n),
        Val::Bool(b) => w.truth[usize::from(*b)].into(),
    }
}

fn val_vs(v: &Val, other: &Val, w: &Wording) -> String {
    match (v, other) {
        (Val::Num(a), Val::Num(b)) => vi_vs(a, b),
        _ => val(v, w),
    }
}

fn status(s: Status, w: &Wording) -> &'static str {
    match s {
        Status::Scored => "",
        Status::Fallback => w.status.fallback,
        Status::NotScored => w.status.not_scored,
        Status::Error => w.status.error,
    }
}

/// Vietnamese name of a scale kind.
pub fn scale_vi(kind: &str) -> &'static str {
    scale_in(kind, Language::Vi)
}

/// Name of a scale kind in `lang`.
pub fn scale_in(kind: &str, lang: Language) -> &'static str {
    let s = &lang.words().scale;
    match kind {
        "met" => s.met,
        "linear" => s.linear,
        "steps" => s.steps,
        "per_pct_short" => s.per_pct_short,
        "per_pct_above" => s.per_pct_above,
        "range" => s.range,
        "formula" => s.formula,
        _ => s.other,
    }
}

fn op_words(op: &str, w: &Wording) -> &'static str {
    match op {
        "==" => w.op.eq,
        "!=" => w.op.ne,
        "<" => w.op.lt,
        "<=" => w.op.le,
        ">" => w.op.gt,
        ">=" => w.op.ge,
        _ => w.op.other,
    }
}

fn with_measure(v: String, measure: &Option<String>) -> String {
    match measure.as_deref() {
        Some("%") => format!("{v}%"),
        Some(m) => format!("{v} {m}"),
        None => v,
    }
}

/// How a window's months were combined into one figure.
fn months(months: u8, aggregation: Aggregation, w: &Wording) -> String {
    let template = match aggregation {
        Aggregation::Sum => w.months.sum,
        Aggregation::Last => w.months.last,
        Aggregation::Mean => w.months.mean,
        Aggregation::Max => w.months.max,
    };
    fill(template, &[("n", &months.to_string())])
}

/// The predecessors' figures a merged unit's figure adds up, each named by `unit`.
fn predecessors(parts: &[(String, Exact)], unit: impl Fn(&str) -> String, w: &Wording) -> String {
    let p: Vec<String> = parts
        .iter()
        .map(|(u, v)| format!("{} {}", unit(u), vi_num(v)))
        .collect();
    fill(w.source.predecessors, &[("parts", &p.join(" + "))])
}

/// Where a figure comes from, citing the data file's lines.
fn source_cited(source: &Source, aggregation: Aggregation, w: &Wording) -> String {
    match source {
        Source::Direct { row } => fill(w.source.line, &[("row", &row.to_string())]),
        Source::Months {
            months: n,
            first_row,
            last_row,
        } => fill(
            w.source.lines,
            &[
                ("months", &months(*n, aggregation, w)),
                ("first", &first_row.to_string()),
                ("last", &last_row.to_string()),
            ],
        ),
        Source::Predecessors { parts } => predecessors(parts, str::to_owned, w),
        Source::Declared {
            reason_vi,
            reason_en,
            ..
        } => fill(
            w.source.declared,
            &[("reason", &w.named(w.pick(reason_vi, reason_en)))],
        ),
    }
}

/// One explanation step as a Vietnamese sentence.
pub fn step_vi(s: &Step) -> String {
    step_vi_named(s, &Naming::FILE)
}

/// How an explanation names what the engine's data calls by ids. Offline ([`Naming::FILE`],
/// `thidua score`) it cites the data file: unit and element ids, period keys, line numbers. In
/// the server the data are the log's approved figures, whose ids and rows mean nothing to a
/// reader: units and elements are named, and a figure's source is the approved figures.
#[derive(Clone, Copy)]
pub struct Naming<'a> {
    /// A unit's name from its id in the data.
    pub unit: &'a dyn Fn(&str) -> Option<String>,
    /// An element's name from its id.
    pub element: &'a dyn Fn(&str) -> Option<String>,
    /// Whether to cite the data file (ids, period keys, line numbers).
    pub cite_file: bool,
}

fn no_name(_: &str) -> Option<String> {
    None
}

impl Naming<'static> {
    /// The data file's own ids and lines.
    pub const FILE: Naming<'static> = Naming {
        unit: &no_name,
        element: &no_name,
        cite_file: true,
    };
}

impl Naming<'_> {
    fn unit_name(&self, id: &str) -> String {
        (self.unit)(id).unwrap_or_else(|| id.to_owned())
    }

    /// An engine error in the server's words: units and elements by name, a window by its dates
    /// (the message as recorded when the cause is unknown).
    fn error(&self, message: &str, cause: Option<&EvalError>, w: &Wording) -> String {
        let Some(cause) = cause else {
            return message.to_owned();
        };
        let element =
            |id: &str| (self.element)(id).map_or_else(|| id.to_owned(), |e| format!("«{e}»"));
        (w.error)(
            cause,
            &ErrorWords {
                unit: &|id| self.unit_name(id),
                element: &element,
                window: &|w| w.date_range_vi(),
            },
        )
    }
}

/// Where a figure comes from, in the server's words: how the months were combined, no rows.
fn source_named(source: &Source, aggregation: Aggregation, n: &Naming, w: &Wording) -> String {
    match source {
        Source::Direct { .. } => w.source.approved.into(),
        Source::Months { months: m, .. } => fill(
            w.source.approved_months,
            &[("months", &months(*m, aggregation, w))],
        ),
        Source::Predecessors { parts } => predecessors(parts, |u| n.unit_name(u), w),
        Source::Declared {
            reason_vi,
            reason_en,
            cause,
        } => fill(
            w.source.declared,
            &[(
                "reason",
                &n.error(w.pick(reason_vi, reason_en), cause.as_deref(), w),
            )],
        ),
    }
}

/// One explanation step as a Vietnamese sentence, naming as `n` says.
pub fn step_vi_named(s: &Step, n: &Naming) -> String {
    step_in(s, n, Language::Vi)
}

/// One explanation step as a sentence in `lang`, naming as `n` says.
pub fn step_in(s: &Step, n: &Naming, lang: Language) -> String {
    let w = lang.words();
    if n.cite_file {
        step_cited(s, w)
    } else {
        step_named(s, n, w)
    }
}

/// A step in the server's words; the steps it words no differently, as offline.
fn step_named(s: &Step, n: &Naming, w: &Wording) -> String {
    let t = &w.step;
    match s {
        Step::Figure {
            name,
            measure,
            unit,
            from,
            to,
            aggregation,
            value,
            source,
            ..
        } => fill(
            t.figure_named,
            &[
                ("name", name),
                ("unit", &n.unit_name(unit)),
                ("from", from),
                ("to", to),
                ("value", &with_measure(vi_num(value), measure)),
                ("source", &source_named(source, *aggregation, n, w)),
            ],
        ),
        Step::Indicator {
            name,
            measure,
            expr_vi,
            value,
            ..
        } => fill(
            t.indicator_named,
            &[
                ("name", name),
                ("expr", &w.named(expr_vi)),
                ("value", &with_measure(val(value, w), measure)),
            ],
        ),
        Step::Manual { score: Some(s), .. } => fill(t.manual, &[("score", &vi_num(s))]),
        Step::Fallback { points, .. } => fill(t.fallback_named, &[("points", &vi_num(points))]),
        Step::Error {
            message_vi,
            message_en,
            cause,
        } => fill(
            t.error,
            &[(
                "message",
                &n.error(w.pick(message_vi, message_en), cause.as_deref(), w),
            )],
        ),
        s => step_cited(s, w),
    }
}

/// A step citing the data file (ids, period keys, lines).
fn step_cited(s: &Step, w: &Wording) -> String {
    let t = &w.step;
    match s {
        Step::Figure {
            element,
            name,
            measure,
            unit,
            period,
            from,
            to,
            aggregation,
            value,
            source,
        } => fill(
            t.figure,
            &[
                ("name", name),
                ("element", element),
                ("unit", unit),
                ("period", &period.to_string()),
                ("from", from),
                ("to", to),
                ("value", &with_measure(vi_num(value), measure)),
                ("source", &source_cited(source, *aggregation, w)),
            ],
        ),
        Step::Indicator {
            id,
            name,
            measure,
            period,
            expr_vi,
            value,
            ..
        } => fill(
            t.indicator,
            &[
                ("name", name),
                ("id", id),
                ("period", &period.to_string()),
                ("expr", &w.named(expr_vi)),
                ("value", &with_measure(val(value, w), measure)),
            ],
        ),
        Step::ZeroDivision { name, declared, .. } => fill(
            t.zero_division,
            &[("name", name), ("value", &vi_num(declared))],
        ),
        Step::Compare { .. } => compare(s, w),
        Step::Value {
            expr_vi,
            value: Val::Bool(b),
            ..
        } => fill(
            t.condition,
            &[
                ("expr", &w.named(expr_vi)),
                ("outcome", w.outcome[usize::from(*b)]),
            ],
        ),
        Step::Value { expr_vi, value, .. } => fill(
            t.value,
            &[("expr", &w.named(expr_vi)), ("value", &val(value, w))],
        ),
        Step::Scale {
            kind,
            branch_vi,
            points,
            ..
        } => fill(
            t.scale,
            &[
                ("kind", scale_in(kind, w.lang)),
                ("branch", &w.plain(branch_vi)),
                ("points", &vi_num(points)),
            ],
        ),
        Step::Manual {
            score: Some(s),
            row,
        } => {
            let mut o = fill(t.manual, &[("score", &vi_num(s))]);
            if let Some(r) = row {
                let _ = write!(o, " ({})", fill(w.source.line, &[("row", &r.to_string())]));
            }
            o
        }
        Step::Manual { score: None, .. } => t.not_scored.into(),
        Step::Fallback {
            reason_vi,
            reason_en,
            points,
        } => fill(
            t.fallback,
            &[
                ("reason", w.pick(reason_vi, reason_en)),
                ("points", &vi_num(points)),
            ],
        ),
        Step::Sum { parts, points } => fill(
            t.sum,
            &[("parts", &parts.to_string()), ("points", &vi_num(points))],
        ),
        Step::Cap {
            what_vi,
            before,
            after,
            ..
        } => fill(
            t.cap,
            &[
                ("what", &w.named(what_vi)),
                ("before", &vi_num(before)),
                ("after", &vi_num(after)),
            ],
        ),
        Step::Rounding {
            before,
            after,
            places,
            mode,
        } => fill(
            t.rounding,
            &[
                ("places", &places.to_string()),
                ("mode", round_mode(*mode, w)),
                ("before", &vi_num(before)),
                ("after", &vi_num(after)),
            ],
        ),
        Step::Error {
            message_vi,
            message_en,
            ..
        } => fill(
            t.error,
            &[("message", &w.named(w.pick(message_vi, message_en)))],
        ),
    }
}

/// A comparison inside a condition, with both values (the right one alone when it is a number
/// written as such).
fn compare(s: &Step, w: &Wording) -> String {
    let Step::Compare {
        left_vi,
        left_value,
        op,
        right_vi,
        right_value,
        holds,
        ..
    } = s
    else {
        return String::new();
    };
    let right_is_number = matches!(right_value, Val::Num(n) if vi_num(n) == *right_vi);
    let right = if right_is_number {
        right_vi.clone()
    } else {
        format!(
            "{} ({})",
            w.named(right_vi),
            val_vs(right_value, left_value, w)
        )
    };
    fill(
        w.step.compare,
        &[
            ("left", &w.named(left_vi)),
            ("left_value", &val_vs(left_value, right_value, w)),
            ("op", op_words(op, w)),
            ("right", &right),
            ("outcome", w.truth[usize::from(*holds)]),
        ],
    )
}

fn round_mode(mode: RoundMode, w: &Wording) -> &'static str {
    match mode {
        RoundMode::HalfUp => w.round.half_up,
        RoundMode::HalfEven => w.round.half_even,
        RoundMode::Down => w.round.down,
    }
}

fn pts(p: &Option<Exact>) -> String {
    p.as_ref().map(vi_num).unwrap_or_else(|| "—".into())
}

/// A penalty as it is subtracted: "−2".
fn minus(p: &Option<Exact>) -> String {
    match p {
        Some(x) if !x.is_zero() => format!("−{}", vi_num(x)),
        Some(_) => "0".into(),
        None => "—".into(),
    }
}

/// Why a unit is in a lower band than its total reaches (one sentence per quota applied).
pub fn quota_vi(b: &BandResult) -> Vec<String> {
    quota_in(b, Language::Vi)
}

/// [`quota_vi`] in `lang`.
pub fn quota_in(b: &BandResult, lang: Language) -> Vec<String> {
    let w = lang.words();
    let mut out: Vec<String> = b
        .quotas
        .iter()
        .map(|q| {
            fill(
                w.quota,
                &[
                    ("band", &q.band_name),
                    ("pct", &crate::num::vi(q.quota_pct)),
                    ("ranked", &q.ranked.to_string()),
                    ("allowed", &q.allowed.to_string()),
                    ("reaching", &q.reaching.to_string()),
                    ("rank", &q.rank.to_string()),
                    ("to", &q.to_band_name),
                ],
            )
        })
        .collect();
    if b.tie_at_cutoff {
        out.push(match &b.cutoff_decision {
            Some(d) => fill(
                if d.kept {
                    w.quota_kept
                } else {
                    w.quota_decided
                },
                &[
                    ("band", &d.band_name),
                    ("decision", &d.decision.to_string()),
                ],
            ),
            None => w.quota_cutoff.into(),
        });
    }
    out
}

/// How a tie on the total was settled, in one sentence.
pub fn tie_vi(t: &TieNote) -> String {
    tie_in(t, Language::Vi)
}

/// [`tie_vi`] in `lang`.
pub fn tie_in(t: &TieNote, lang: Language) -> String {
    tie_named_in(t, &Naming::FILE, lang)
}

/// [`tie_in`], naming the other unit as `naming` says: its data id and name when citing the
/// file, else its name alone.
pub fn tie_named_in(t: &TieNote, naming: &Naming, lang: Language) -> String {
    let w = lang.words();
    let (other, short) = match (&t.other_name, naming.cite_file) {
        (Some(n), true) => (format!("{} ({n})", t.other), t.other.clone()),
        (None, true) => (t.other.clone(), t.other.clone()),
        (Some(n), false) => (n.clone(), n.clone()),
        (None, false) => {
            let n = naming.unit_name(&t.other);
            (n.clone(), n)
        }
    };
    let keys: Vec<String> = t
        .compared
        .iter()
        .map(|k| {
            fill(
                w.tie.key,
                &[
                    ("name", &w.named(&k.name_vi)),
                    ("ours", &vi_num(&k.ours)),
                    ("theirs", &vi_num(&k.theirs)),
                ],
            )
        })
        .collect();
    let how = if keys.is_empty() {
        w.tie.no_keys.to_string()
    } else {
        fill(w.tie.keys, &[("keys", &keys.join("; "))])
    };
    let outcome = match t.outcome {
        TieOutcome::Above => fill(w.tie.above, &[("other", &short)]),
        TieOutcome::Below => fill(w.tie.below, &[("other", &short)]),
        TieOutcome::Shared => fill(w.tie.shared, &[("rank", &t.other_rank.to_string())]),
    };
    fill(
        w.tie.sentence,
        &[
            ("total", &vi_num(&t.total)),
            ("other", &other),
            ("how", &how),
            ("outcome", &outcome),
        ],
    )
}

/// The ranking table.
pub fn summary_text(b: &Scoreboard) -> String {
    summary_text_in(b, Language::Vi)
}

/// [`summary_text`] in `lang`.
pub fn summary_text_in(b: &Scoreboard, lang: Language) -> String {
    let mut o = summary_head_in(b, lang);
    for u in &b.units {
        o.push_str(&summary_line_in(u, lang));
    }
    o
}

/// The ranking table's title and column heads.
pub fn summary_head(b: &Scoreboard) -> String {
    summary_head_in(b, Language::Vi)
}

/// [`summary_head`] in `lang`.
pub fn summary_head_in(b: &Scoreboard, lang: Language) -> String {
    let w = &lang.words().board;
    let mut o = String::new();
    let _ = writeln!(o, "{}", b.regulation);
    let hash = &b.regulation_hash[..16.min(b.regulation_hash.len())];
    let _ = writeln!(
        o,
        "{}{}",
        board_period(b, w),
        fill(w.hash, &[("hash", hash)])
    );
    let [rank, code, unit, total, band] = w.columns;
    let _ = writeln!(o, "{rank:<6} {code:<8} {unit:<32} {total:>10}  {band}");
    o
}

fn board_period(b: &Scoreboard, w: &wording::BoardWords) -> String {
    fill(
        w.period,
        &[
            ("period", &b.period.to_string()),
            ("from", &b.from),
            ("to", &b.to),
        ],
    )
}

/// A band moved down by a quota, with the band the total reaches (`tie`: and the tie at the
/// cut-off, if any).
fn demoted(bd: &BandResult, tie: bool, w: &Wording) -> String {
    let tie = match (tie && bd.tie_at_cutoff, &bd.cutoff_decision) {
        (false, _) => "",
        (true, Some(_)) => w.board.tie_decided,
        (true, None) => w.board.tie_at_cutoff,
    };
    fill(
        w.board.demoted,
        &[
            ("band", &bd.name),
            ("by_score", &bd.by_score_name),
            ("tie", tie),
        ],
    )
}

/// A band the total reaches, with a note when the cluster head's decision kept the unit there
/// at a tie on the quota cut-off.
fn band_name(bd: &BandResult, w: &Wording) -> String {
    match &bd.cutoff_decision {
        Some(d) if d.kept => fill(w.board.kept, &[("band", &bd.name)]),
        _ => bd.name.clone(),
    }
}

/// One line of the ranking table.
pub fn summary_line(u: &UnitResult) -> String {
    summary_line_in(u, Language::Vi)
}

/// [`summary_line`] in `lang`.
pub fn summary_line_in(u: &UnitResult, lang: Language) -> String {
    let w = lang.words();
    let band = match &u.band {
        Some(bd) if bd.demoted_by_quota => demoted(bd, true, w),
        Some(bd) => band_name(bd, w),
        None => match &u.provisional_total {
            Some(p) => fill(w.board.provisional, &[("total", &vi_num(p))]),
            None => status(u.status, w).trim_start_matches(" — ").to_string(),
        },
    };
    format!(
        "{:<6} {:<8} {:<32} {:>10}  {}\n",
        u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
        u.unit,
        u.name.as_deref().unwrap_or(""),
        pts(&u.total),
        band
    )
}

/// The full explanation of one unit in Vietnamese.
pub fn unit_text(u: &UnitResult) -> String {
    unit_text_in(u, Language::Vi)
}

/// The full explanation of one unit in `lang`.
pub fn unit_text_in(u: &UnitResult, lang: Language) -> String {
    let w = lang.words();
    let t = &w.unit;
    let step = |s: &Step| step_cited(s, w);
    let mut o = String::new();
    let (from, to) = u.period.dates();
    let name = u.name.as_deref().unwrap_or(t.no_name);
    let _ = writeln!(o, "{}", fill(t.heading, &[("id", &u.unit), ("name", name)]));
    let _ = writeln!(
        o,
        "{}",
        fill(
            t.period,
            &[
                ("period", &u.period.to_string()),
                ("from", &from.format("%d/%m/%Y").to_string()),
                ("to", &to.format("%d/%m/%Y").to_string()),
            ],
        )
    );
    for n in &u.nodes {
        let indent = "  ".repeat(n.depth);
        let line = fill(
            t.node,
            &[
                ("id", &n.id),
                ("name", &n.name),
                ("max", &crate::num::vi(n.max_points)),
                ("points", &pts(&n.points)),
                ("status", status(n.status, w)),
            ],
        );
        let _ = writeln!(o, "{indent}{line}");
        for s in &n.trace {
            let _ = writeln!(o, "{indent}    · {}", step(s));
        }
    }
    for (title, items, penalty) in [
        (t.bonuses, &u.bonuses, false),
        (t.penalties, &u.penalties, true),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{title}:");
        for it in items {
            let p = item_points(it, penalty);
            let _ = writeln!(o, "  {} {}: {p}{}", it.id, it.name, status(it.status, w));
            for s in &it.trace {
                let _ = writeln!(o, "    · {}", step(s));
            }
        }
    }
    let _ = writeln!(o, "{}", t.summary);
    for line in total_lines(u, &step, w) {
        let _ = writeln!(o, "  · {line}");
    }
    o.push_str(&total_text(u, w));
    o.push('\n');
    for line in standing_in(u, &Naming::FILE, w.lang) {
        let _ = writeln!(o, "  · {line}");
    }
    o
}

/// Why a unit stands where it does beyond its total, one sentence each in `lang`: how each tie
/// on the total was settled (the other unit named as `naming` says), then each quota that moved
/// it down a band and the cluster head's decision at a tie on a quota's cut-off.
pub fn standing_in(u: &UnitResult, naming: &Naming, lang: Language) -> Vec<String> {
    let ties = u.ties.iter().map(|t| tie_named_in(t, naming, lang));
    let quotas = u.band.iter().flat_map(|b| quota_in(b, lang));
    ties.chain(quotas).collect()
}

/// A bonus's points, or a penalty's as subtracted.
fn item_points(it: &ItemResult, penalty: bool) -> String {
    if penalty {
        minus(&it.points)
    } else {
        pts(&it.points)
    }
}

/// The steps to the total (the areas' sum, caps, rounding), then the bonus and penalty totals.
fn total_lines(u: &UnitResult, step: &dyn Fn(&Step) -> String, w: &Wording) -> Vec<String> {
    let mut lines: Vec<String> = u
        .total_trace
        .iter()
        .map(|s| match s {
            Step::Sum { parts, points } => fill(
                w.step.sum_areas,
                &[("parts", &parts.to_string()), ("points", &vi_num(points))],
            ),
            s => step(s),
        })
        .collect();
    lines.push(fill(
        w.unit.items_total,
        &[
            ("bonus", &pts(&u.bonus_total)),
            ("penalty", &minus(&u.penalty_total)),
        ],
    ));
    lines
}

/// The text explanation's total line: the total, rank and band, and why the band is lower.
fn total_text(u: &UnitResult, w: &Wording) -> String {
    let t = &w.unit;
    let mut o = fill(
        t.total_line,
        &[("total", &pts(&u.total)), ("status", status(u.status, w))],
    );
    if let Some(p) = &u.provisional_total {
        o.push_str(&fill(t.provisional, &[("total", &vi_num(p))]));
    }
    if let Some(r) = u.rank {
        o.push_str(&fill(t.rank, &[("rank", &r.to_string())]));
    }
    if let Some(b) = &u.band {
        o.push_str(&fill(t.band, &[("band", &b.name)]));
        if b.demoted_by_quota {
            o.push_str(&fill(t.demoted, &[("band", &b.by_score_name)]));
        }
    }
    o
}

/// The whole scoreboard with every unit's explanation.
pub fn text(b: &Scoreboard) -> String {
    text_in(b, Language::Vi)
}

/// [`text`] in `lang`.
pub fn text_in(b: &Scoreboard, lang: Language) -> String {
    let mut o = summary_text_in(b, lang);
    for u in &b.units {
        o.push('\n');
        o.push_str(&unit_text_in(u, lang));
    }
    o
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn steps_html(trace: &[Step], step: &dyn Fn(&Step) -> String, lang: Language) -> String {
    trace
        .iter()
        .map(|s| format!("<li>{}</li>", text_html(&step(s), lang)))
        .collect()
}

/// A sentence of an explanation, escaped; in English the names it quotes in «…» (criteria,
/// elements, units, bands: the regulation's and the log's Vietnamese) are marked as such. A
/// sentence whose quotes do not pair is only escaped.
fn text_html(text: &str, lang: Language) -> String {
    let escaped = esc(text);
    let paired = escaped.matches('«').count() == escaped.matches('»').count();
    match lang {
        Language::En if paired => escaped
            .replace('«', "«<span lang=\"vi\">")
            .replace('»', "</span>»"),
        _ => escaped,
    }
}

/// One unit's explanation as an HTML fragment (every text escaped).
pub fn unit_html(u: &UnitResult) -> String {
    unit_html_named(u, &Naming::FILE)
}

/// [`unit_html`], naming as `n` says (the heading then gives the unit's name only).
pub fn unit_html_named(u: &UnitResult, naming: &Naming) -> String {
    unit_html_in(u, naming, Language::Vi)
}

/// A regulation's or a unit's name, escaped; in an English fragment marked as the Vietnamese it
/// is.
fn data_name(name: &str, lang: Language) -> String {
    match lang {
        Language::Vi => esc(name),
        Language::En => format!("<span lang=\"vi\">{}</span>", esc(name)),
    }
}

/// [`unit_html_named`] in `lang` (an English fragment says so in its `lang` attribute, and
/// marks the names it quotes as Vietnamese).
pub fn unit_html_in(u: &UnitResult, naming: &Naming, lang: Language) -> String {
    let w = lang.words();
    let step = |s: &Step| step_in(s, naming, lang);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section class=\"thidua-unit\" data-unit=\"{}\"{}>",
        esc(&u.unit),
        w.html_lang
    );
    let name = u.name.clone().unwrap_or_else(|| naming.unit_name(&u.unit));
    if naming.cite_file {
        let _ = writeln!(o, "<h3>{} — {}</h3>", esc(&u.unit), data_name(&name, lang));
    } else {
        let _ = writeln!(o, "<h3>{}</h3>", data_name(&name, lang));
    }
    let heads: String = w
        .unit
        .columns
        .map(|c| format!("<th scope=\"col\">{c}</th>"))
        .concat();
    let _ = writeln!(o, "<table><thead><tr>{heads}</tr></thead><tbody>");
    for n in &u.nodes {
        let _ = writeln!(
            o,
            "<tr class=\"depth-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td><ul>{}</ul></td></tr>",
            n.depth,
            esc(&n.id),
            data_name(&n.name, lang),
            esc(&crate::num::vi(n.max_points)),
            esc(&pts(&n.points)),
            esc(status(n.status, w)),
            steps_html(&n.trace, &step, lang)
        );
    }
    for (title, class, items, penalty) in [
        (w.unit.bonuses, "bonus", &u.bonuses, false),
        (w.unit.penalties, "penalty", &u.penalties, true),
    ] {
        if items.is_empty() {
            continue;
        }
        // Each section is its own row group, headed by its title.
        let _ = writeln!(
            o,
            "</tbody><tbody class=\"{class}\"><tr class=\"heading {class}\"><th colspan=\"5\" scope=\"rowgroup\">{title}</th></tr>"
        );
        for it in items {
            let _ = writeln!(
                o,
                "<tr class=\"item {class}\"><td>{}</td><td>{}</td><td></td><td>{}{}</td><td><ul>{}</ul></td></tr>",
                esc(&it.id),
                data_name(&it.name, lang),
                esc(&item_points(it, penalty)),
                esc(status(it.status, w)),
                steps_html(&it.trace, &step, lang)
            );
        }
    }
    let _ = writeln!(o, "</tbody></table>");
    if !u.total_trace.is_empty() || u.bonus_total.is_some() {
        let lines: String = total_lines(u, &step, w)
            .iter()
            .map(|l| format!("<li>{}</li>", text_html(l, lang)))
            .collect();
        let _ = writeln!(o, "<ul class=\"total-steps\">{lines}</ul>");
    }
    let _ = writeln!(
        o,
        "<p class=\"total\">{} <strong>{}</strong>{}{}{}</p>",
        w.unit.total,
        esc(&pts(&u.total)),
        esc(status(u.status, w)),
        u.rank
            .map(|r| fill(w.unit.rank, &[("rank", &r.to_string())]))
            .unwrap_or_default(),
        u.band
            .as_ref()
            .map(|b| format!(" — {}", data_name(&b.name, lang)))
            .unwrap_or_default()
    );
    for t in &u.ties {
        let _ = writeln!(
            o,
            "<p class=\"tie\">{}</p>",
            text_html(&tie_named_in(t, naming, lang), lang)
        );
    }
    if let Some(b) = &u.band {
        for q in quota_in(b, lang) {
            let _ = writeln!(o, "<p class=\"quota\">{}</p>", text_html(&q, lang));
        }
    }
    o.push_str("</section>\n");
    o
}

/// The scoreboard's head and ranking table as an HTML fragment (opens the scoreboard `div`).
pub fn html_head(b: &Scoreboard) -> String {
    html_head_in(b, Language::Vi)
}

/// [`html_head`] in `lang`.
pub fn html_head_in(b: &Scoreboard, lang: Language) -> String {
    let w = lang.words();
    let mut o = String::new();
    let _ = writeln!(o, "<div class=\"thidua-scoreboard\"{}>", w.html_lang);
    let _ = writeln!(o, "<h2>{}</h2>", esc(&b.regulation));
    let _ = writeln!(o, "<p>{}</p>", esc(&board_period(b, &w.board)));
    let [rank, _, unit, total, band] = w.board.columns;
    let _ = writeln!(o, "<table><thead><tr><th scope=\"col\">{rank}</th><th scope=\"col\">{unit}</th><th scope=\"col\">{total}</th><th scope=\"col\">{band}</th></tr></thead><tbody>");
    for u in &b.units {
        let band = match &u.band {
            Some(bd) if bd.demoted_by_quota => demoted(bd, false, w),
            Some(bd) => band_name(bd, w),
            None => status(u.status, w).trim_start_matches(" — ").to_string(),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            esc(u.name.as_deref().unwrap_or(&u.unit)),
            esc(&pts(&u.total)),
            esc(&band)
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    o
}

/// The scoreboard as an HTML fragment.
pub fn html(b: &Scoreboard) -> String {
    html_in(b, Language::Vi)
}

/// [`html`] in `lang`.
pub fn html_in(b: &Scoreboard, lang: Language) -> String {
    let mut o = html_head_in(b, lang);
    for u in &b.units {
        o.push_str(&unit_html_in(u, &Naming::FILE, lang));
    }
    o.push_str("</div>\n");
    o
}

/// The start of the scoreboard's JSON, up to the opening of its `units` array; then write
/// [`json_unit`] for each unit (separated by `,`) and [`JSON_END`]. The whole document equals
/// the compact form of [`json`], without holding every unit at once.
pub fn json_head(b: &Scoreboard) -> String {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        regulation: &'a str,
        regulation_hash: &'a str,
        period: crate::period::PeriodKey,
        from: &'a str,
        to: &'a str,
    }
    let head = serde_json::to_string(&Head {
        regulation: &b.regulation,
        regulation_hash: &b.regulation_hash,
        period: b.period,
        from: &b.from,
        to: &b.to,
    })
    .unwrap_or_else(|_| "{".into());
    format!("{},\"units\":[", head.trim_end_matches('}'))
}

/// One unit's compact JSON.
pub fn json_unit(u: &UnitResult) -> String {
    serde_json::to_string(u).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Closes the document opened by [`json_head`].
pub const JSON_END: &str = "]}\n";

/// JSON of the scoreboard (numbers as exact strings).
pub fn json(b: &Scoreboard) -> String {
    serde_json::to_string_pretty(b).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
