//! Renders results for people: plain Vietnamese text (numbers "95,5", thousands ".", dates
//! dd/mm/yyyy, no programmer notation), an escaped HTML fragment for the web UI, and JSON
//! (serde; numbers as exact strings). Text and HTML say the same things: every figure, every
//! value a condition compares, the branch of each scale, caps, rounding, how ties on the total
//! were settled and which quota moved a unit down a band.
use crate::ast::{Aggregation, RoundMode};
use crate::engine::{ErrorWords, EvalError};
use crate::exact::{Exact, Rounding};
use crate::explain::*;
use crate::num::vi_text;
use std::fmt::Write;

/// Vietnamese form of an exact value: exact up to 4 decimals, else "≈" and 4 decimals (the
/// JSON keeps the exact value).
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

fn val(v: &Val) -> String {
    match v {
        Val::Num(n) => vi_num(n),
        Val::Bool(true) => "đúng".into(),
        Val::Bool(false) => "sai".into(),
    }
}

fn val_vs(v: &Val, other: &Val) -> String {
    match (v, other) {
        (Val::Num(a), Val::Num(b)) => vi_vs(a, b),
        _ => val(v),
    }
}

fn status_vi(s: Status) -> &'static str {
    match s {
        Status::Scored => "",
        Status::Fallback => " (theo điểm quy định khi không tính được)",
        Status::NotScored => " — chưa chấm",
        Status::Error => " — không tính được",
    }
}

/// Vietnamese name of a scale kind.
pub fn scale_vi(kind: &str) -> &'static str {
    match kind {
        "met" => "đạt/không đạt",
        "linear" => "tuyến tính",
        "steps" => "bậc thang",
        "per_pct_short" => "trừ theo mức thiếu",
        "per_pct_above" => "cộng theo mức vượt",
        "range" => "khoảng chỉ tiêu",
        "formula" => "công thức",
        _ => "khác",
    }
}

fn op_words(op: &str) -> &'static str {
    match op {
        "==" => "bằng",
        "!=" => "khác",
        "<" => "nhỏ hơn",
        "<=" => "nhỏ hơn hoặc bằng",
        ">" => "lớn hơn",
        ">=" => "lớn hơn hoặc bằng",
        _ => "so với",
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
fn months_vi(months: u8, aggregation: Aggregation) -> String {
    match aggregation {
        Aggregation::Sum => format!("cộng {months} tháng"),
        Aggregation::Last => format!("số tháng cuối trong {months} tháng"),
        Aggregation::Mean => format!("trung bình {months} tháng"),
        Aggregation::Max => format!("lớn nhất trong {months} tháng"),
    }
}

fn source_vi(source: &Source, aggregation: Aggregation) -> String {
    match source {
        Source::Direct { row } => format!("nguồn: dòng {row}"),
        Source::Months {
            months,
            first_row,
            last_row,
        } => {
            format!(
                "{}, nguồn: dòng {first_row}–{last_row}",
                months_vi(*months, aggregation)
            )
        }
        Source::Predecessors { parts } => {
            let p: Vec<String> = parts
                .iter()
                .map(|(u, v)| format!("{u} {}", vi_num(v)))
                .collect();
            format!(
                "đơn vị hợp nhất, cộng số liệu các đơn vị tiền thân: {}",
                p.join(" + ")
            )
        }
        Source::Declared { reason_vi, .. } => format!("{reason_vi}; quy định lấy giá trị này"),
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
    fn error(&self, message_vi: &str, cause: Option<&EvalError>) -> String {
        let Some(cause) = cause else {
            return message_vi.to_owned();
        };
        let element =
            |id: &str| (self.element)(id).map_or_else(|| id.to_owned(), |e| format!("«{e}»"));
        cause.vi_with(&ErrorWords {
            unit: &|id| self.unit_name(id),
            element: &element,
            window: &|w| w.date_range_vi(),
        })
    }
}

/// Where a figure comes from, in the server's words: how the months were combined, no rows.
fn source_named(source: &Source, aggregation: Aggregation, n: &Naming) -> String {
    match source {
        Source::Direct { .. } => "số liệu đã duyệt".into(),
        Source::Months { months, .. } => {
            format!("{}, số liệu đã duyệt", months_vi(*months, aggregation))
        }
        Source::Predecessors { parts } => {
            let p: Vec<String> = parts
                .iter()
                .map(|(u, v)| format!("{} {}", n.unit_name(u), vi_num(v)))
                .collect();
            format!(
                "đơn vị hợp nhất, cộng số liệu các đơn vị tiền thân: {}",
                p.join(" + ")
            )
        }
        Source::Declared {
            reason_vi, cause, ..
        } => format!(
            "{}; quy định lấy giá trị này",
            n.error(reason_vi, cause.as_deref())
        ),
    }
}

/// One explanation step as a Vietnamese sentence, naming as `n` says.
pub fn step_vi_named(s: &Step, n: &Naming) -> String {
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
        } if !n.cite_file => format!(
            "Số liệu «{name}» của {} ({from} – {to}): {} ({})",
            n.unit_name(unit),
            with_measure(vi_num(value), measure),
            source_named(source, *aggregation, n)
        ),
        Step::Indicator {
            name,
            measure,
            expr_vi,
            value,
            ..
        } if !n.cite_file => format!(
            "Chỉ tiêu «{name}» = {expr_vi} = {}",
            with_measure(val(value), measure)
        ),
        Step::Manual { score: Some(s), .. } if !n.cite_file => {
            format!("Điểm chấm qua kiểm tra: {}", vi_num(s))
        }
        Step::Fallback { points, .. } if !n.cite_file => format!(
            "Không tính được; áp dụng điểm quy định cho trường hợp này: {} điểm",
            vi_num(points)
        ),
        Step::Error {
            message_vi, cause, ..
        } if !n.cite_file => format!("LỖI: {}", n.error(message_vi, cause.as_deref())),
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
        } => format!(
            "Số liệu «{name}» [{element}] của {unit}, kỳ {period} ({from} – {to}): {} ({})",
            with_measure(vi_num(value), measure),
            source_vi(source, *aggregation)
        ),
        Step::Indicator {
            id,
            name,
            measure,
            period,
            expr_vi,
            value,
            ..
        } => format!(
            "Chỉ tiêu «{name}» [{id}] kỳ {period} = {expr_vi} = {}",
            with_measure(val(value), measure)
        ),
        Step::ZeroDivision { name, declared, .. } => format!(
            "Chia cho 0 khi tính chỉ tiêu «{name}»: theo quy định lấy {}",
            vi_num(declared)
        ),
        Step::Compare {
            left_vi,
            left_value,
            op,
            right_vi,
            right_value,
            holds,
            ..
        } => {
            let right_is_number = matches!(right_value, Val::Num(n) if vi_num(n) == *right_vi);
            let right = if right_is_number {
                right_vi.clone()
            } else {
                format!("{right_vi} ({})", val_vs(right_value, left_value))
            };
            format!(
                "So sánh: {left_vi} ({}) {} {right} → {}",
                val_vs(left_value, right_value),
                op_words(op),
                if *holds { "đúng" } else { "sai" }
            )
        }
        Step::Value {
            expr_vi,
            value: Val::Bool(b),
            ..
        } => format!("Điều kiện: {expr_vi} → {}", if *b { "đúng" } else { "sai" }),
        Step::Value { expr_vi, value, .. } => format!("Giá trị xét: {expr_vi} = {}", val(value)),
        Step::Scale {
            kind,
            branch_vi,
            points,
            ..
        } => format!(
            "Thang điểm {}: {branch_vi} → {} điểm",
            scale_vi(kind),
            vi_num(points)
        ),
        Step::Manual {
            score: Some(s),
            row,
        } => format!(
            "Điểm chấm qua kiểm tra: {}{}",
            vi_num(s),
            row.map(|r| format!(" (nguồn: dòng {r})"))
                .unwrap_or_default()
        ),
        Step::Manual { score: None, .. } => "Chưa chấm: chưa có điểm chấm cho tiêu chí này".into(),
        Step::Fallback {
            reason_vi, points, ..
        } => format!("{reason_vi}: {} điểm", vi_num(points)),
        Step::Sum { parts, points } => format!("Cộng {parts} mục: {} điểm", vi_num(points)),
        Step::Cap {
            what_vi,
            before,
            after,
            ..
        } => format!("Áp {what_vi}: {} → {}", vi_num(before), vi_num(after)),
        Step::Rounding {
            before,
            after,
            places,
            mode,
        } => {
            let m = match mode {
                RoundMode::HalfUp => "làm tròn nửa lên",
                RoundMode::HalfEven => "làm tròn nửa về số chẵn",
                RoundMode::Down => "cắt bỏ phần thừa",
            };
            format!(
                "Làm tròn {places} chữ số thập phân ({m}) từ giá trị chính xác: {} → {}",
                vi_num(before),
                vi_num(after)
            )
        }
        Step::Error { message_vi, .. } => format!("LỖI: {message_vi}"),
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
    let mut out = Vec::new();
    for q in &b.quotas {
        out.push(format!(
            "Tổng điểm đạt mức «{}», nhưng mức này chỉ dành cho tối đa {}% số đơn vị được xếp hạng: {}% của {} đơn vị = {} đơn vị (làm tròn xuống); có {} đơn vị đạt mức điểm này và đơn vị đứng hạng {}, nên xếp loại «{}».",
            q.band_name,
            crate::num::vi(q.quota_pct),
            crate::num::vi(q.quota_pct),
            q.ranked,
            q.allowed,
            q.reaching,
            q.rank,
            q.to_band_name
        ));
    }
    if b.tie_at_cutoff {
        out.push("Đơn vị bằng điểm với đơn vị khác đúng tại ngưỡng tỷ lệ tối đa: tất cả các đơn vị bằng điểm tại ngưỡng đều chuyển xuống, cụm trưởng quyết định theo quy chế.".into());
    }
    out
}

/// How a tie on the total was settled, in one sentence.
pub fn tie_vi(t: &TieNote) -> String {
    let other = match &t.other_name {
        Some(n) => format!("{} ({n})", t.other),
        None => t.other.clone(),
    };
    let keys: Vec<String> = t
        .compared
        .iter()
        .map(|k| {
            format!(
                "{}: {} so với {}",
                k.name_vi,
                vi_num(&k.ours),
                vi_num(&k.theirs)
            )
        })
        .collect();
    let how = if keys.is_empty() {
        "quy định không nêu tiêu chí xét khi bằng điểm".to_string()
    } else {
        format!("xét theo thứ tự khi bằng điểm — {}", keys.join("; "))
    };
    let outcome = match t.outcome {
        TieOutcome::Above => format!("xếp trên {}", t.other),
        TieOutcome::Below => format!("xếp sau {}", t.other),
        TieOutcome::Shared => format!("vẫn bằng nhau nên cùng hạng {}", t.other_rank),
    };
    format!(
        "Bằng tổng điểm {} với {other}: {how} → {outcome}.",
        vi_num(&t.total)
    )
}

/// The ranking table.
pub fn summary_text(b: &Scoreboard) -> String {
    let mut o = summary_head(b);
    for u in &b.units {
        o.push_str(&summary_line(u));
    }
    o
}

/// The ranking table's title and column heads.
pub fn summary_head(b: &Scoreboard) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", b.regulation);
    let _ = writeln!(
        o,
        "Kỳ {} (từ {} đến {}) — mã băm quy định {}",
        b.period,
        b.from,
        b.to,
        &b.regulation_hash[..16.min(b.regulation_hash.len())]
    );
    let _ = writeln!(
        o,
        "{:<6} {:<8} {:<32} {:>10}  Xếp loại",
        "Hạng", "Mã", "Đơn vị", "Tổng điểm"
    );
    o
}

/// One line of the ranking table.
pub fn summary_line(u: &UnitResult) -> String {
    let band = match &u.band {
        Some(bd) if bd.demoted_by_quota => format!(
            "{} (đạt mức điểm {}, vượt tỷ lệ tối đa{})",
            bd.name,
            bd.by_score_name,
            if bd.tie_at_cutoff {
                ", bằng điểm tại ngưỡng: cụm trưởng quyết định"
            } else {
                ""
            }
        ),
        Some(bd) => bd.name.clone(),
        None => match &u.provisional_total {
            Some(p) => format!("chưa chấm đủ (tạm tính {})", vi_num(p)),
            None => status_vi(u.status).trim_start_matches(" — ").to_string(),
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
    let mut o = String::new();
    let (from, to) = u.period.dates();
    let _ = writeln!(
        o,
        "Đơn vị: {} — {}",
        u.unit,
        u.name.as_deref().unwrap_or("(chưa có tên)")
    );
    let _ = writeln!(
        o,
        "Kỳ: {} (từ {} đến {})",
        u.period,
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y")
    );
    for n in &u.nodes {
        let indent = "  ".repeat(n.depth);
        let _ = writeln!(
            o,
            "{indent}{} {} — điểm chuẩn {}: {}{}",
            n.id,
            n.name,
            crate::num::vi(n.max_points),
            pts(&n.points),
            status_vi(n.status)
        );
        for s in &n.trace {
            let _ = writeln!(o, "{indent}    · {}", step_vi(s));
        }
    }
    for (title, items, penalty) in [
        ("Điểm thưởng", &u.bonuses, false),
        ("Điểm trừ", &u.penalties, true),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{title}:");
        for it in items {
            let p = if penalty {
                minus(&it.points)
            } else {
                pts(&it.points)
            };
            let _ = writeln!(o, "  {} {}: {p}{}", it.id, it.name, status_vi(it.status));
            for s in &it.trace {
                let _ = writeln!(o, "    · {}", step_vi(s));
            }
        }
    }
    let _ = writeln!(o, "Tổng hợp:");
    for s in &u.total_trace {
        let line = match s {
            Step::Sum { parts, points } => {
                format!("Cộng điểm {parts} lĩnh vực: {}", vi_num(points))
            }
            s => step_vi(s),
        };
        let _ = writeln!(o, "  · {line}");
    }
    let _ = writeln!(
        o,
        "  · Điểm thưởng: +{}; điểm trừ: {}",
        pts(&u.bonus_total),
        minus(&u.penalty_total)
    );
    let _ = write!(o, "TỔNG ĐIỂM: {}{}", pts(&u.total), status_vi(u.status));
    if let Some(p) = &u.provisional_total {
        let _ = write!(
            o,
            " (tạm tính {}, chưa gồm các tiêu chí chưa chấm)",
            vi_num(p)
        );
    }
    if let Some(r) = u.rank {
        let _ = write!(o, " — hạng {r}");
    }
    if let Some(b) = &u.band {
        let _ = write!(o, " — xếp loại {}", b.name);
        if b.demoted_by_quota {
            let _ = write!(
                o,
                " (tổng điểm đạt mức «{}» nhưng vượt tỷ lệ tối đa của mức đó)",
                b.by_score_name
            );
        }
    }
    o.push('\n');
    for t in &u.ties {
        let _ = writeln!(o, "  · {}", tie_vi(t));
    }
    if let Some(b) = &u.band {
        for q in quota_vi(b) {
            let _ = writeln!(o, "  · {q}");
        }
    }
    o
}

/// The whole scoreboard with every unit's explanation.
pub fn text(b: &Scoreboard) -> String {
    let mut o = summary_text(b);
    for u in &b.units {
        o.push('\n');
        o.push_str(&unit_text(u));
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

fn steps_html(trace: &[Step], n: &Naming) -> String {
    trace
        .iter()
        .map(|s| format!("<li>{}</li>", esc(&step_vi_named(s, n))))
        .collect()
}

/// One unit's explanation as an HTML fragment (every text escaped).
pub fn unit_html(u: &UnitResult) -> String {
    unit_html_named(u, &Naming::FILE)
}

/// [`unit_html`], naming as `n` says (the heading then gives the unit's name only).
pub fn unit_html_named(u: &UnitResult, naming: &Naming) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section class=\"thidua-unit\" data-unit=\"{}\">",
        esc(&u.unit)
    );
    let name = u.name.clone().unwrap_or_else(|| naming.unit_name(&u.unit));
    if naming.cite_file {
        let _ = writeln!(o, "<h3>{} — {}</h3>", esc(&u.unit), esc(&name));
    } else {
        let _ = writeln!(o, "<h3>{}</h3>", esc(&name));
    }
    let _ = writeln!(o, "<table><thead><tr><th>Mã</th><th>Nội dung</th><th>Điểm chuẩn</th><th>Điểm</th><th>Giải trình</th></tr></thead><tbody>");
    for n in &u.nodes {
        let _ = writeln!(
            o,
            "<tr class=\"depth-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td><ul>{}</ul></td></tr>",
            n.depth,
            esc(&n.id),
            esc(&n.name),
            esc(&crate::num::vi(n.max_points)),
            esc(&pts(&n.points)),
            esc(status_vi(n.status)),
            steps_html(&n.trace, naming)
        );
    }
    for (title, class, items, penalty) in [
        ("Điểm thưởng", "bonus", &u.bonuses, false),
        ("Điểm trừ", "penalty", &u.penalties, true),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "<tr class=\"heading {class}\"><th colspan=\"5\">{title}</th></tr>"
        );
        for it in items {
            let p = if penalty {
                minus(&it.points)
            } else {
                pts(&it.points)
            };
            let _ = writeln!(
                o,
                "<tr class=\"item {class}\"><td>{}</td><td>{}</td><td></td><td>{}{}</td><td><ul>{}</ul></td></tr>",
                esc(&it.id),
                esc(&it.name),
                esc(&p),
                esc(status_vi(it.status)),
                steps_html(&it.trace, naming)
            );
        }
    }
    let _ = writeln!(o, "</tbody></table>");
    if !u.total_trace.is_empty() || u.bonus_total.is_some() {
        let mut lines: Vec<String> = u
            .total_trace
            .iter()
            .map(|s| match s {
                Step::Sum { parts, points } => {
                    format!("Cộng điểm {parts} lĩnh vực: {}", vi_num(points))
                }
                s => step_vi_named(s, naming),
            })
            .collect();
        lines.push(format!(
            "Điểm thưởng: +{}; điểm trừ: {}",
            pts(&u.bonus_total),
            minus(&u.penalty_total)
        ));
        let _ = writeln!(
            o,
            "<ul class=\"total-steps\">{}</ul>",
            lines
                .iter()
                .map(|l| format!("<li>{}</li>", esc(l)))
                .collect::<String>()
        );
    }
    let _ = writeln!(
        o,
        "<p class=\"total\">Tổng điểm: <strong>{}</strong>{}{}{}</p>",
        esc(&pts(&u.total)),
        esc(status_vi(u.status)),
        u.rank.map(|r| format!(" — hạng {r}")).unwrap_or_default(),
        u.band
            .as_ref()
            .map(|b| format!(" — {}", esc(&b.name)))
            .unwrap_or_default()
    );
    for t in &u.ties {
        let _ = writeln!(o, "<p class=\"tie\">{}</p>", esc(&tie_vi(t)));
    }
    if let Some(b) = &u.band {
        for q in quota_vi(b) {
            let _ = writeln!(o, "<p class=\"quota\">{}</p>", esc(&q));
        }
    }
    o.push_str("</section>\n");
    o
}

/// The scoreboard's head and ranking table as an HTML fragment (opens the scoreboard `div`).
pub fn html_head(b: &Scoreboard) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "<div class=\"thidua-scoreboard\">");
    let _ = writeln!(o, "<h2>{}</h2>", esc(&b.regulation));
    let _ = writeln!(
        o,
        "<p>Kỳ {} (từ {} đến {})</p>",
        esc(&b.period.to_string()),
        esc(&b.from),
        esc(&b.to)
    );
    let _ = writeln!(o, "<table><thead><tr><th>Hạng</th><th>Đơn vị</th><th>Tổng điểm</th><th>Xếp loại</th></tr></thead><tbody>");
    for u in &b.units {
        let band = match &u.band {
            Some(bd) if bd.demoted_by_quota => format!(
                "{} (đạt mức điểm {}, vượt tỷ lệ tối đa)",
                bd.name, bd.by_score_name
            ),
            Some(bd) => bd.name.clone(),
            None => status_vi(u.status).trim_start_matches(" — ").to_string(),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
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
    let mut o = html_head(b);
    for u in &b.units {
        o.push_str(&unit_html(u));
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
