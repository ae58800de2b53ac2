//! Renders results for people: Vietnamese text (numbers "95,5", thousands ".", dates
//! dd/mm/yyyy), an escaped HTML fragment for the web UI, and JSON (serde).
use crate::ast::{Aggregation, RoundMode};
use crate::explain::*;
use crate::num::{vi, vi_dp};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Up to 4 decimals shown; longer values are marked "≈" (the JSON keeps every digit).
pub fn vi_num(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() > 4 {
        format!("≈ {}", vi_dp(n, 4))
    } else {
        vi(n)
    }
}

fn val(v: &Val) -> String {
    match v {
        Val::Num(n) => vi_num(*n),
        Val::Bool(true) => "đúng".into(),
        Val::Bool(false) => "sai".into(),
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

/// One explanation step as a Vietnamese sentence.
pub fn step_vi(s: &Step) -> String {
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
        } => {
            let m = measure
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default();
            let src = match source {
                Source::Direct { row } => format!("nguồn: dòng {row}"),
                Source::Months {
                    months,
                    first_row,
                    last_row,
                } => {
                    let how = match aggregation {
                        Aggregation::Sum => format!("cộng {months} tháng"),
                        Aggregation::Last => format!("số tháng cuối trong {months} tháng"),
                        Aggregation::Mean => format!("trung bình {months} tháng"),
                        Aggregation::Max => format!("lớn nhất trong {months} tháng"),
                    };
                    format!("{how}, nguồn: dòng {first_row}–{last_row}")
                }
                Source::Predecessors { parts } => {
                    let p: Vec<String> = parts
                        .iter()
                        .map(|(u, v)| format!("{u} {}", vi(*v)))
                        .collect();
                    format!(
                        "đơn vị hợp nhất, cộng số liệu các đơn vị tiền thân: {}",
                        p.join(" + ")
                    )
                }
                Source::Declared { reason_vi, .. } => {
                    format!("{reason_vi}; quy định lấy giá trị này")
                }
            };
            format!("Số liệu «{name}» [{element}] của {unit}, kỳ {period} ({from} – {to}): {}{m} ({src})", vi(*value))
        }
        Step::Indicator {
            id,
            name,
            period,
            expr,
            value,
        } => {
            format!(
                "Chỉ tiêu «{name}» [{id}] kỳ {period} = {expr} = {}",
                val(value)
            )
        }
        Step::ZeroDivision {
            indicator,
            declared,
        } => {
            format!(
                "Chia cho 0 khi tính [{indicator}]: theo quy định lấy {}",
                vi(*declared)
            )
        }
        Step::Value { expr, value } => format!("Giá trị: {expr} = {}", val(value)),
        Step::Scale {
            kind,
            branch_vi,
            points,
            ..
        } => format!(
            "Thang điểm {}: {branch_vi} → {} điểm",
            scale_vi(kind),
            vi_num(*points)
        ),
        Step::Manual {
            score: Some(s),
            row,
        } => {
            format!(
                "Điểm chấm qua kiểm tra: {}{}",
                vi(*s),
                row.map(|r| format!(" (nguồn: dòng {r})"))
                    .unwrap_or_default()
            )
        }
        Step::Manual { score: None, .. } => "Chưa chấm: chưa có điểm chấm cho tiêu chí này".into(),
        Step::Fallback {
            reason_vi, points, ..
        } => format!("{reason_vi}: {} điểm", vi(*points)),
        Step::Sum { parts, points } => format!("Cộng {parts} mục: {} điểm", vi_num(*points)),
        Step::Cap {
            what_vi,
            before,
            after,
            ..
        } => format!("Áp {what_vi}: {} → {}", vi_num(*before), vi(*after)),
        Step::Rounding {
            before,
            after,
            places,
            mode,
        } => {
            let m = match mode {
                RoundMode::HalfUp => "làm tròn nửa lên",
                RoundMode::HalfEven => "làm tròn nửa về số chẵn",
                RoundMode::Down => "cắt bỏ",
            };
            format!(
                "Làm tròn {places} chữ số thập phân ({m}): {} → {}",
                vi_num(*before),
                vi(*after)
            )
        }
        Step::Error { message_vi, .. } => format!("LỖI: {message_vi}"),
    }
}

fn pts(p: Option<Decimal>) -> String {
    p.map(vi).unwrap_or_else(|| "—".into())
}

/// The ranking table.
pub fn summary_text(b: &Scoreboard) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", b.regulation);
    let _ = writeln!(
        o,
        "Kỳ {} (từ {} đến {}) — mã băm quy định {}",
        b.period,
        b.from,
        b.to,
        &b.regulation_hash[..16]
    );
    let _ = writeln!(
        o,
        "{:<6} {:<8} {:<32} {:>10}  Xếp loại",
        "Hạng", "Mã", "Đơn vị", "Tổng điểm"
    );
    for u in &b.units {
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
            None => match u.provisional_total {
                Some(p) => format!("chưa chấm đủ (tạm tính {})", vi(p)),
                None => status_vi(u.status).trim_start_matches(" — ").to_string(),
            },
        };
        let _ = writeln!(
            o,
            "{:<6} {:<8} {:<32} {:>10}  {}",
            u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            u.unit,
            u.name.as_deref().unwrap_or(""),
            pts(u.total),
            band
        );
    }
    o
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
            vi(n.max_points),
            pts(n.points),
            status_vi(n.status)
        );
        for s in &n.trace {
            let _ = writeln!(o, "{indent}    · {}", step_vi(s));
        }
    }
    for (title, items) in [("Điểm thưởng", &u.bonuses), ("Điểm trừ", &u.penalties)] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{title}:");
        for it in items {
            let _ = writeln!(
                o,
                "  {} {}: {}{}",
                it.id,
                it.name,
                pts(it.points),
                status_vi(it.status)
            );
            for s in &it.trace {
                let _ = writeln!(o, "    · {}", step_vi(s));
            }
        }
    }
    let _ = writeln!(o, "Tổng hợp:");
    for s in &u.total_trace {
        let line = match s {
            Step::Sum { parts, points } => {
                format!("Cộng điểm {parts} lĩnh vực: {}", vi_num(*points))
            }
            s => step_vi(s),
        };
        let _ = writeln!(o, "  · {line}");
    }
    let _ = writeln!(
        o,
        "  · Điểm thưởng: +{}; điểm trừ: −{}",
        pts(u.bonus_total),
        pts(u.penalty_total)
    );
    let _ = write!(o, "TỔNG ĐIỂM: {}{}", pts(u.total), status_vi(u.status));
    if let Some(p) = u.provisional_total {
        let _ = write!(o, " (tạm tính {}, chưa gồm các tiêu chí chưa chấm)", vi(p));
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

/// One unit's explanation as an HTML fragment (every text escaped).
pub fn unit_html(u: &UnitResult) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section class=\"thidua-unit\" data-unit=\"{}\">",
        esc(&u.unit)
    );
    let _ = writeln!(
        o,
        "<h3>{} — {}</h3>",
        esc(&u.unit),
        esc(u.name.as_deref().unwrap_or(""))
    );
    let _ = writeln!(o, "<table><thead><tr><th>Mã</th><th>Nội dung</th><th>Điểm chuẩn</th><th>Điểm</th><th>Giải trình</th></tr></thead><tbody>");
    for n in &u.nodes {
        let steps: Vec<String> = n
            .trace
            .iter()
            .map(|s| format!("<li>{}</li>", esc(&step_vi(s))))
            .collect();
        let _ = writeln!(
            o,
            "<tr class=\"depth-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td><ul>{}</ul></td></tr>",
            n.depth,
            esc(&n.id),
            esc(&n.name),
            esc(&vi(n.max_points)),
            esc(&pts(n.points)),
            esc(status_vi(n.status)),
            steps.join("")
        );
    }
    for it in u.bonuses.iter().chain(&u.penalties) {
        let steps: Vec<String> = it
            .trace
            .iter()
            .map(|s| format!("<li>{}</li>", esc(&step_vi(s))))
            .collect();
        let _ = writeln!(
            o,
            "<tr class=\"item\"><td>{}</td><td>{}</td><td></td><td>{}</td><td><ul>{}</ul></td></tr>",
            esc(&it.id),
            esc(&it.name),
            esc(&pts(it.points)),
            steps.join("")
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    let _ = writeln!(
        o,
        "<p class=\"total\">Tổng điểm: <strong>{}</strong>{}{}</p>",
        esc(&pts(u.total)),
        u.rank.map(|r| format!(" — hạng {r}")).unwrap_or_default(),
        u.band
            .as_ref()
            .map(|b| format!(" — {}", esc(&b.name)))
            .unwrap_or_default()
    );
    o.push_str("</section>\n");
    o
}

/// The scoreboard as an HTML fragment.
pub fn html(b: &Scoreboard) -> String {
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
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            u.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            esc(u.name.as_deref().unwrap_or(&u.unit)),
            esc(&pts(u.total)),
            esc(u.band.as_ref().map(|b| b.name.as_str()).unwrap_or(""))
        );
    }
    let _ = writeln!(o, "</tbody></table>");
    for u in &b.units {
        o.push_str(&unit_html(u));
    }
    o.push_str("</div>\n");
    o
}

/// JSON of the scoreboard (numbers as exact decimal strings).
pub fn json(b: &Scoreboard) -> String {
    serde_json::to_string_pretty(b).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
