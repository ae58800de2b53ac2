//! The fixed words of an explanation, one table per language ([`VI`], [`EN`]). The renderer
//! builds every sentence the same way in both languages; a table only gives its words, as
//! templates whose blanks are named (`{value}`, filled by [`fill`]). Numbers are written the
//! Vietnamese way ("95,5") in both languages, and names from the regulation or the data stay as
//! they are.
//!
//! The engine words some parts of a step itself, in Vietnamese only: the expression a value was
//! computed from, the branch of a scale, a cap, a tie-break key. In English these are reworded
//! phrase by phrase ([`Wording::phrases`]), names in «» left alone.
use crate::engine::{ErrorWords, EvalError};
use std::borrow::Cow;

/// The language of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Vietnamese, the product's first language (and the CLI's).
    #[default]
    Vi,
    /// English.
    En,
}

impl Language {
    pub(crate) fn words(self) -> &'static Wording {
        match self {
            Language::Vi => &VI,
            Language::En => &EN,
        }
    }
}

/// Every fixed word of an explanation in one language.
pub(crate) struct Wording {
    pub lang: Language,
    /// An attribute for an HTML fragment in another language than the Vietnamese pages'.
    pub html_lang: &'static str,
    /// A yes/no value or a comparison's outcome: `[false, true]`.
    pub truth: [&'static str; 2],
    /// A condition's outcome: `[false, true]`.
    pub outcome: [&'static str; 2],
    pub status: Statuses,
    pub scale: Scales,
    pub op: Ops,
    pub months: Months,
    pub round: RoundModes,
    pub source: Sources,
    pub step: Steps,
    pub unit: UnitWords,
    pub board: BoardWords,
    pub tie: TieWords,
    pub quota: &'static str,
    pub quota_cutoff: &'static str,
    /// A unit tied at a cut-off that the cluster head's recorded decision keeps in the band.
    pub quota_kept: &'static str,
    /// A unit tied at a cut-off that moves down because the decision keeps another.
    pub quota_decided: &'static str,
    /// The engine's Vietnamese phrases in this language (none for Vietnamese).
    pub phrases: &'static [(&'static str, &'static str)],
    /// An engine error, naming units, elements and windows as the words say.
    pub error: fn(&EvalError, &ErrorWords) -> String,
}

/// After a result's points: why there are none or how they came.
pub(crate) struct Statuses {
    pub fallback: &'static str,
    pub not_scored: &'static str,
    pub error: &'static str,
}

/// Names of the kinds of scale.
pub(crate) struct Scales {
    pub met: &'static str,
    pub linear: &'static str,
    pub steps: &'static str,
    pub per_pct_short: &'static str,
    pub per_pct_above: &'static str,
    pub range: &'static str,
    pub formula: &'static str,
    pub other: &'static str,
}

/// Comparison operators.
pub(crate) struct Ops {
    pub eq: &'static str,
    pub ne: &'static str,
    pub lt: &'static str,
    pub le: &'static str,
    pub gt: &'static str,
    pub ge: &'static str,
    pub other: &'static str,
}

/// How a window's `{n}` months were combined.
pub(crate) struct Months {
    pub sum: &'static str,
    pub last: &'static str,
    pub mean: &'static str,
    pub max: &'static str,
}

pub(crate) struct RoundModes {
    pub half_up: &'static str,
    pub half_even: &'static str,
    pub down: &'static str,
}

/// Where a figure comes from.
pub(crate) struct Sources {
    pub line: &'static str,
    pub lines: &'static str,
    pub predecessors: &'static str,
    pub declared: &'static str,
    pub approved: &'static str,
    pub approved_months: &'static str,
}

/// One sentence per kind of step (`_named`: the server's, without ids, periods or lines).
pub(crate) struct Steps {
    pub figure: &'static str,
    pub figure_named: &'static str,
    pub indicator: &'static str,
    pub indicator_named: &'static str,
    pub zero_division: &'static str,
    pub compare: &'static str,
    pub condition: &'static str,
    pub value: &'static str,
    pub scale: &'static str,
    pub manual: &'static str,
    pub not_scored: &'static str,
    pub fallback: &'static str,
    pub fallback_named: &'static str,
    pub sum: &'static str,
    pub sum_areas: &'static str,
    pub cap: &'static str,
    pub rounding: &'static str,
    pub error: &'static str,
}

/// One unit's explanation around its steps.
pub(crate) struct UnitWords {
    pub heading: &'static str,
    pub no_name: &'static str,
    pub period: &'static str,
    pub node: &'static str,
    /// The table's heads: id, name, maximum, points, explanation.
    pub columns: [&'static str; 5],
    pub bonuses: &'static str,
    pub penalties: &'static str,
    pub summary: &'static str,
    pub items_total: &'static str,
    pub total_line: &'static str,
    pub total: &'static str,
    pub provisional: &'static str,
    pub rank: &'static str,
    pub band: &'static str,
    pub demoted: &'static str,
}

/// The ranking table.
pub(crate) struct BoardWords {
    pub period: &'static str,
    pub hash: &'static str,
    /// The table's heads: rank, id, unit, total, band.
    pub columns: [&'static str; 5],
    pub demoted: &'static str,
    pub tie_at_cutoff: &'static str,
    /// After a demoted band: tied at the cut-off, the decision kept another unit.
    pub tie_decided: &'static str,
    /// A band the head's decision kept at a tie on its cut-off.
    pub kept: &'static str,
    pub provisional: &'static str,
}

/// How a tie on the total was settled.
pub(crate) struct TieWords {
    pub key: &'static str,
    pub no_keys: &'static str,
    pub keys: &'static str,
    pub above: &'static str,
    pub below: &'static str,
    pub shared: &'static str,
    pub sentence: &'static str,
}

impl Wording {
    /// The text of the two an engine gives, in this language.
    pub fn pick<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Language::Vi => vi,
            Language::En => en,
        }
    }

    /// An engine phrase holding names in «» (an expression, a cap, a tie-break key), in this
    /// language; the names stay as they are.
    pub fn named<'a>(&self, vi: &'a str) -> Cow<'a, str> {
        reword(vi, self.phrases, true)
    }

    /// An engine phrase without names (a scale's branch), in this language.
    pub fn plain<'a>(&self, vi: &'a str) -> Cow<'a, str> {
        reword(vi, self.phrases, false)
    }
}

/// `template` with every `{key}` replaced by its value in `args`, and every `{key|one|other}`
/// by `one` when the value is "1", else `other` (English plurals; Vietnamese nouns do not
/// inflect). One pass, so a value is never read as a placeholder; a placeholder without a
/// value in `args` is kept as written. The web interface's strings are filled by this too.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            rest = &rest[open..];
            break;
        };
        let mut parts = after[..close].split('|');
        let key = parts.next().unwrap_or_default();
        let Some(value) = args.iter().find(|(k, _)| *k == key).map(|a| a.1) else {
            out.push_str(&rest[open..open + close + 2]);
            rest = &after[close + 1..];
            continue;
        };
        match (parts.next(), parts.next()) {
            (Some(one), Some(other)) => out.push_str(if value == "1" { one } else { other }),
            _ => out.push_str(value),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with each of `phrases` (the longest first, whole words only) replaced, outside «»
/// when `keep_quoted`.
fn reword<'a>(text: &'a str, phrases: &[(&str, &str)], keep_quoted: bool) -> Cow<'a, str> {
    if phrases.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let (mut quoted, mut before, mut i) = (false, None, 0);
    while let Some(c) = text[i..].chars().next() {
        quoted = keep_quoted && (c == '«' || (quoted && c != '»'));
        // A phrase starts a word, or with a space or a sign.
        let mid_word = c.is_alphanumeric() && in_number(before);
        let found = if quoted || mid_word {
            None
        } else {
            longest(&text[i..], phrases)
        };
        match found {
            Some((vi, en)) => {
                out.push_str(en);
                i += vi.len();
                before = vi.chars().next_back();
            }
            None => {
                out.push(c);
                i += c.len_utf8();
                before = Some(c);
            }
        }
    }
    Cow::Owned(out)
}

/// Whether a character before a phrase joins it to a word or a number ("0,1 điểm" and
/// "1.001 điểm" do not hold "1 điểm").
fn in_number(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == ',' || c == '.')
}

/// The longest of `phrases` that `rest` starts with, up to the end of a word.
fn longest<'p>(rest: &str, phrases: &[(&'p str, &'p str)]) -> Option<(&'p str, &'p str)> {
    phrases
        .iter()
        .filter(|(vi, _)| rest.starts_with(vi))
        .filter(|(vi, _)| {
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            !(word(vi.chars().next_back()) && word(rest[vi.len()..].chars().next()))
        })
        .max_by_key(|(vi, _)| vi.len())
        .copied()
}

fn error_vi(e: &EvalError, w: &ErrorWords) -> String {
    e.vi_with(w)
}

/// An engine error in English, naming things as `w` says (the engine's own English message
/// quotes ids).
fn error_en(e: &EvalError, w: &ErrorWords) -> String {
    match e {
        EvalError::Missing {
            element,
            unit,
            window,
            missing_months,
        } => {
            let months: Vec<String> = missing_months.iter().map(|m| format!("{m:02}")).collect();
            let what = if months.is_empty() {
                ": nothing was reported for this period".to_owned()
            } else {
                format!(", months missing: {}", months.join(", "))
            };
            let (element, unit, window) = ((w.element)(element), (w.unit)(unit), (w.window)(window));
            format!("figure {element} of {unit} for {window} is missing{what}")
        }
        EvalError::UnitAbsent {
            element,
            unit,
            year,
        } => format!(
            "{} reported nothing in {year} (did it exist yet?), so there is no {}",
            (w.unit)(unit),
            (w.element)(element)
        ),
        EvalError::NotApplicable {
            element,
            unit,
            window,
        } => format!(
            "figure {} of {} for {} was reported by the unit as not applicable",
            (w.element)(element),
            (w.unit)(unit),
            (w.window)(window)
        ),
        EvalError::MergeRefused {
            element,
            unit,
            year,
        } => format!(
            "{} of the merged unit {} in {year}: the regulation does not allow adding up its predecessor units' figures",
            (w.element)(element),
            (w.unit)(unit)
        ),
        EvalError::MergeIncomplete {
            element,
            unit,
            year,
            missing,
        } => format!(
            "{} of the merged unit {} in {year} is the sum of the figures of its predecessor units, never a partial sum: no figures from {}",
            (w.element)(element),
            (w.unit)(unit),
            missing.iter().map(|u| (w.unit)(u)).collect::<Vec<_>>().join(", ")
        ),
        EvalError::DivZero { context } => {
            format!("division by zero in {}", EN.named(context))
        }
        EvalError::PointsUnavailable { id } => format!(
            "no points yet for {} (not yet scored, or cannot be computed)",
            (w.element)(id)
        ),
        EvalError::Overflow { .. } | EvalError::PeriodOutOfRange => {
            EN.named(&e.en()).into_owned()
        }
    }
}

pub(crate) const VI: Wording = Wording {
    lang: Language::Vi,
    html_lang: "",
    truth: ["sai", "đúng"],
    outcome: ["sai", "đúng"],
    status: Statuses {
        fallback: " (theo điểm quy định khi không tính được)",
        not_scored: " — chưa chấm",
        error: " — không tính được",
    },
    scale: Scales {
        met: "đạt/không đạt",
        linear: "tuyến tính",
        steps: "bậc thang",
        per_pct_short: "trừ theo mức thiếu",
        per_pct_above: "cộng theo mức vượt",
        range: "khoảng chỉ tiêu",
        formula: "công thức",
        other: "khác",
    },
    op: Ops {
        eq: "bằng",
        ne: "khác",
        lt: "nhỏ hơn",
        le: "nhỏ hơn hoặc bằng",
        gt: "lớn hơn",
        ge: "lớn hơn hoặc bằng",
        other: "so với",
    },
    months: Months {
        sum: "cộng {n} tháng",
        last: "số tháng cuối trong {n} tháng",
        mean: "trung bình {n} tháng",
        max: "lớn nhất trong {n} tháng",
    },
    round: RoundModes {
        half_up: "làm tròn nửa lên",
        half_even: "làm tròn nửa về số chẵn",
        down: "cắt bỏ phần thừa",
    },
    source: Sources {
        line: "nguồn: dòng {row}",
        lines: "{months}, nguồn: dòng {first}–{last}",
        predecessors: "đơn vị hợp nhất, cộng số liệu các đơn vị tiền thân: {parts}",
        declared: "{reason}; quy định lấy giá trị này",
        approved: "số liệu đã duyệt",
        approved_months: "{months}, số liệu đã duyệt",
    },
    step: Steps {
        figure: "Số liệu «{name}» [{element}] của {unit}, kỳ {period} ({from} – {to}): {value} ({source})",
        figure_named: "Số liệu «{name}» của {unit} ({from} – {to}): {value} ({source})",
        indicator: "Chỉ tiêu «{name}» [{id}] kỳ {period} = {expr} = {value}",
        indicator_named: "Chỉ tiêu «{name}» = {expr} = {value}",
        zero_division: "Chia cho 0 khi tính chỉ tiêu «{name}»: theo quy định lấy {value}",
        compare: "So sánh: {left} ({left_value}) {op} {right} → {outcome}",
        condition: "Điều kiện: {expr} → {outcome}",
        value: "Giá trị xét: {expr} = {value}",
        scale: "Thang điểm {kind}: {branch} → {points} điểm",
        manual: "Điểm chấm qua kiểm tra: {score}",
        not_scored: "Chưa chấm: chưa có điểm chấm cho tiêu chí này",
        fallback: "{reason}: {points} điểm",
        fallback_named: "Không tính được; áp dụng điểm quy định cho trường hợp này: {points} điểm",
        sum: "Cộng {parts} mục: {points} điểm",
        sum_areas: "Cộng điểm {parts} lĩnh vực: {points}",
        cap: "Áp {what}: {before} → {after}",
        rounding: "Làm tròn {places} chữ số thập phân ({mode}) từ giá trị chính xác: {before} → {after}",
        error: "LỖI: {message}",
    },
    unit: UnitWords {
        heading: "Đơn vị: {id} — {name}",
        no_name: "(chưa có tên)",
        period: "Kỳ: {period} (từ {from} đến {to})",
        node: "{id} {name} — điểm chuẩn {max}: {points}{status}",
        columns: ["Mã", "Nội dung", "Điểm chuẩn", "Điểm", "Giải trình"],
        bonuses: "Điểm thưởng",
        penalties: "Điểm trừ",
        summary: "Tổng hợp:",
        items_total: "Điểm thưởng: +{bonus}; điểm trừ: {penalty}",
        total_line: "TỔNG ĐIỂM: {total}{status}",
        total: "Tổng điểm:",
        provisional: " (tạm tính {total}, chưa gồm các tiêu chí chưa chấm)",
        rank: " — hạng {rank}",
        band: " — xếp loại {band}",
        demoted: " (tổng điểm đạt mức «{band}» nhưng vượt tỷ lệ tối đa của mức đó)",
    },
    board: BoardWords {
        period: "Kỳ {period} (từ {from} đến {to})",
        hash: " — mã băm quy định {hash}",
        columns: ["Hạng", "Mã", "Đơn vị", "Tổng điểm", "Xếp loại"],
        demoted: "{band} (đạt mức điểm {by_score}, vượt tỷ lệ tối đa{tie})",
        tie_at_cutoff: ", bằng điểm tại ngưỡng: cụm trưởng quyết định",
        tie_decided: ", bằng điểm tại ngưỡng: cụm trưởng quyết định giữ đơn vị khác",
        kept: "{band} (bằng điểm tại ngưỡng tỷ lệ tối đa: cụm trưởng quyết định giữ)",
        provisional: "chưa chấm đủ (tạm tính {total})",
    },
    tie: TieWords {
        key: "{name}: {ours} so với {theirs}",
        no_keys: "quy định không nêu tiêu chí xét khi bằng điểm",
        keys: "xét theo thứ tự khi bằng điểm — {keys}",
        above: "xếp trên {other}",
        below: "xếp sau {other}",
        shared: "vẫn bằng nhau nên cùng hạng {rank}",
        sentence: "Bằng tổng điểm {total} với {other}: {how} → {outcome}.",
    },
    quota: "Tổng điểm đạt mức «{band}», nhưng mức này chỉ dành cho tối đa {pct}% số đơn vị được xếp hạng: {pct}% của {ranked} đơn vị = {allowed} đơn vị (làm tròn xuống); có {reaching} đơn vị đạt mức điểm này và đơn vị đứng hạng {rank}, nên xếp loại «{to}».",
    quota_cutoff: "Đơn vị bằng điểm với đơn vị khác đúng tại ngưỡng tỷ lệ tối đa: tất cả các đơn vị bằng điểm tại ngưỡng đều chuyển xuống, cụm trưởng quyết định theo quy chế.",
    quota_kept: "Đơn vị bằng điểm với đơn vị khác đúng tại ngưỡng tỷ lệ tối đa của xếp loại «{band}»: cụm trưởng quyết định giữ đơn vị này ở xếp loại đó (quyết định ghi ở số thứ tự {decision} của sổ ghi).",
    quota_decided: "Đơn vị bằng điểm với đơn vị khác đúng tại ngưỡng tỷ lệ tối đa của xếp loại «{band}»: cụm trưởng quyết định giữ đơn vị khác, đơn vị này chuyển xuống (quyết định ghi ở số thứ tự {decision} của sổ ghi).",
    phrases: &[],
    error: error_vi,
};

pub(crate) const EN: Wording = Wording {
    lang: Language::En,
    html_lang: " lang=\"en\"",
    truth: ["false", "true"],
    outcome: ["not met", "met"],
    status: Statuses {
        fallback: " (the regulation's points for when it cannot be computed)",
        not_scored: " — not yet scored",
        error: " — cannot be computed",
    },
    scale: Scales {
        met: "met / not met",
        linear: "linear",
        steps: "steps",
        per_pct_short: "points off per shortfall",
        per_pct_above: "points added per excess",
        range: "target range",
        formula: "formula",
        other: "other",
    },
    op: Ops {
        eq: "equals",
        ne: "is not",
        lt: "is less than",
        le: "is at most",
        gt: "is greater than",
        ge: "is at least",
        other: "compared with",
    },
    months: Months {
        sum: "sum of {n} months",
        last: "last of {n} months",
        mean: "average of {n} months",
        max: "largest of {n} months",
    },
    round: RoundModes {
        half_up: "half up",
        half_even: "half to even",
        down: "extra digits dropped",
    },
    source: Sources {
        line: "source: line {row}",
        lines: "{months}, source: lines {first}–{last}",
        predecessors: "merged unit, sum of its predecessor units' figures: {parts}",
        declared: "{reason}; the regulation uses this value",
        approved: "approved figures",
        approved_months: "approved figures, {months}",
    },
    step: Steps {
        figure: "Figure «{name}» [{element}] of {unit}, period {period} ({from} – {to}): {value} ({source})",
        figure_named: "Figure «{name}» of {unit} ({from} – {to}): {value} ({source})",
        indicator: "Indicator «{name}» [{id}], period {period} = {expr} = {value}",
        indicator_named: "Indicator «{name}» = {expr} = {value}",
        zero_division: "Division by zero in indicator «{name}»: the regulation sets it to {value}",
        compare: "Comparison: {left} ({left_value}) {op} {right} → {outcome}",
        condition: "Condition: {expr} → {outcome}",
        value: "Value assessed: {expr} = {value}",
        scale: "Scale ({kind}): {branch} → {points} {points|point|points}",
        manual: "Score given at inspection: {score}",
        not_scored: "Not yet scored: this criterion has no score yet",
        fallback: "{reason}: {points} {points|point|points}",
        fallback_named: "Cannot be computed; the regulation's points for this case apply: {points} {points|point|points}",
        sum: "Sum of {parts} {parts|item|items}: {points} {points|point|points}",
        sum_areas: "Sum of {parts} {parts|area|areas}: {points}",
        cap: "Capped at the {what}: {before} → {after}",
        rounding: "Rounded to {places} {places|decimal place|decimal places} ({mode}) from the exact value: {before} → {after}",
        error: "ERROR: {message}",
    },
    unit: UnitWords {
        heading: "Unit: {id} — {name}",
        no_name: "(no name)",
        period: "Period: {period} ({from} to {to})",
        node: "{id} {name} — maximum {max}: {points}{status}",
        columns: ["Code", "Description", "Max. points", "Points", "Explanation"],
        bonuses: "Bonus points",
        penalties: "Penalty points",
        summary: "Summary:",
        items_total: "Bonus points: +{bonus}; penalty points: {penalty}",
        total_line: "TOTAL: {total}{status}",
        total: "Total:",
        provisional: " (provisionally {total}, not counting the criteria not yet scored)",
        rank: " — rank {rank}",
        band: " — classified {band}",
        demoted: " (the total reaches «{band}», but that band's quota is full)",
    },
    board: BoardWords {
        period: "Period {period} ({from} to {to})",
        hash: " — regulation hash {hash}",
        columns: ["Rank", "Code", "Unit", "Total", "Classification"],
        demoted: "{band} (score reaches {by_score}, over the quota{tie})",
        tie_at_cutoff: ", tied at the cut-off: the cluster head decides",
        tie_decided: ", tied at the cut-off: the cluster head kept another unit",
        kept: "{band} (tied at the quota cut-off: kept by the cluster head's decision)",
        provisional: "not fully scored (provisionally {total})",
    },
    tie: TieWords {
        key: "{name}: {ours} against {theirs}",
        no_keys: "the regulation names no tie-break criteria",
        keys: "tie-break criteria in order — {keys}",
        above: "ranked above {other}",
        below: "ranked below {other}",
        shared: "still equal, so they share rank {rank}",
        sentence: "Same total {total} as {other}: {how} → {outcome}.",
    },
    quota: "The total reaches «{band}», but that band is for at most {pct}% of the ranked units: {pct}% of {ranked} = {allowed} (rounded down); units reaching that score: {reaching}, and this unit ranks {rank}, so it is classified «{to}».",
    quota_cutoff: "This unit is tied with another exactly at the quota cut-off: all units tied at the cut-off move down, and the cluster head decides under the rules.",
    quota_kept: "This unit is tied with another exactly at the quota cut-off of band «{band}»: the cluster head decided to keep it in that band (decision recorded at log index {decision}).",
    quota_decided: "This unit is tied with another exactly at the quota cut-off of band «{band}»: the cluster head decided to keep another unit, so this one moves down (decision recorded at log index {decision}).",
    phrases: EN_PHRASES,
    error: error_en,
};

/// The engine's Vietnamese phrases (expressions, scale branches, caps, tie-break keys, error
/// contexts) in English.
const EN_PHRASES: &[(&str, &str)] = &[
    // Expressions.
    ("bằng", "equals"),
    ("khác", "is not"),
    ("nhỏ hơn", "is less than"),
    ("nhỏ hơn hoặc bằng", "is at most"),
    ("lớn hơn", "is greater than"),
    ("lớn hơn hoặc bằng", "is at least"),
    ("và", "and"),
    ("hoặc", "or"),
    ("đúng", "true"),
    ("sai", "false"),
    ("không phải", "not"),
    ("nếu", "if"),
    ("thì", "then"),
    ("ngược lại", "otherwise"),
    ("tỷ lệ", "rate of"),
    ("trên", "over"),
    ("mức tăng/giảm (%) của", "change (%) in"),
    ("so với", "compared with"),
    ("số nhỏ nhất trong", "smallest of"),
    ("số lớn nhất trong", "largest of"),
    ("giới hạn trong khoảng", "limited to"),
    ("giới hạn trong", "limited to"),
    ("giá trị tuyệt đối của", "absolute value of"),
    ("làm tròn", "rounded to"),
    ("chữ số thập phân", "decimal places"),
    ("điểm của", "the score of"),
    ("điểm", "points"),
    ("1 điểm", "1 point"),
    ("cùng kỳ năm trước", "same period last year"),
    ("cả năm trước", "whole previous year"),
    ("từ đầu năm", "year to date"),
    ("cùng kỳ năm", "same period of"),
    ("(năm gốc)", "(base year)"),
    ("năm gốc", "base year"),
    ("kỳ", "period"),
    // Scale branches.
    ("điều kiện đúng: đạt", "condition met"),
    ("điều kiện sai: không đạt", "condition not met"),
    ("trên thang từ", "on the scale from"),
    ("đến", "to"),
    ("hưởng", "earns"),
    ("% khoảng điểm", "% of the points range"),
    ("đạt bậc", "reaches the step"),
    ("không đạt bậc nào", "reaches no step"),
    ("bậc thấp nhất", "lowest step"),
    ("đạt chỉ tiêu", "meets the target"),
    ("chưa đạt chỉ tiêu", "falls short of the target"),
    ("không đạt chỉ tiêu", "does not meet the target"),
    ("thiếu", "short by"),
    ("thiếu trừ", "short: minus"),
    ("vượt", "over by"),
    ("vượt cộng", "over: plus"),
    ("được cộng", "added"),
    ("mỗi", "per"),
    ("trừ", "minus"),
    ("thấp nhất", "no lower than"),
    ("tối đa", "at most"),
    ("nằm trong khoảng", "is within"),
    ("nằm ngoài khoảng", "is outside"),
    ("cách", "off by"),
    ("điểm theo công thức", "formula points"),
    ("từ ", ""),
    (" trở lên", " or more"),
    (" trở xuống", " or less"),
    ("dưới", "under"),
    ("đơn vị", "unit"),
    // Caps and tie-break keys.
    ("mức tối đa", "maximum"),
    ("mức tối đa của mục", "maximum of the item"),
    ("của lĩnh vực", "of area"),
    ("tổng", "total"),
    ("điểm thưởng", "bonus points"),
    ("điểm trừ", "penalty points"),
    ("điểm lĩnh vực", "points for area"),
    ("điểm tiêu chí", "points for criterion"),
    ("(ít hơn xếp trước)", "(fewer ranks first)"),
    // Where an error happened.
    ("tiêu chí", "criterion"),
    ("lĩnh vực", "area"),
    ("trong", "in"),
];
