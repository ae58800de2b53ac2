//! The distribution of a cluster's scores as an SVG chart drawn on the server (no script): one
//! bar per unit in rank order, its length the final score on the regulation's 0–100 scale, a
//! tick at the self-assessed score, and the score written beside it ("95,5").

use crate::api::yearend::ResultsDto;
use crate::i18n::yearend::YeStrings;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Hundredths of a point from a canonical decimal ("85.25" → 8525), for drawing only.
fn hundredths(raw: &str) -> Option<i64> {
    let d: rust_decimal::Decimal = raw.parse().ok()?;
    (d * rust_decimal::Decimal::from(100))
        .round()
        .try_into()
        .ok()
}

/// The chart's SVG (escaped text, fixed geometry: 100 points = 300 px). Each unit's name is
/// written above its bar rather than beside it, so the chart stays narrow enough to read on a
/// phone without being scaled down to illegible text.
pub fn distribution(r: &ResultsDto, y: &YeStrings) -> String {
    const LEFT: i64 = 8;
    const WIDTH: i64 = 300;
    const ROW: i64 = 40;
    let height = ROW * r.rows.len() as i64 + 34;
    let x = |h: i64| LEFT + (h.clamp(0, 10_000) * WIDTH) / 10_000;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" id="distribution-chart" class="distribution" viewBox="0 0 {w} {height}" width="100%" aria-labelledby="chart-title"><title id="chart-title">{title}</title>"#,
        w = LEFT + WIDTH + 52,
        title = escape(y.distribution)
    );
    for tick in [0, 25, 50, 75, 100] {
        let tx = x(tick * 100);
        svg.push_str(&format!(
            r##"<line x1="{tx}" y1="4" x2="{tx}" y2="{bottom}" stroke="#ccc"/><text x="{tx}" y="{label}" font-size="11" text-anchor="middle">{tick}</text>"##,
            bottom = height - 22,
            label = height - 8
        ));
    }
    for (i, row) in r.rows.iter().enumerate() {
        let top = 4 + ROW * i as i64;
        let bar = top + 17;
        let name = escape(&row.unit.name);
        svg.push_str(&format!(
            r#"<text x="{LEFT}" y="{ty}" font-size="12" lang="vi">{name}</text>"#,
            ty = top + 12
        ));
        if let Some(h) = row.final_total.as_deref().and_then(hundredths) {
            let shown = escape(&crate::format::decimal_str(
                row.final_total.as_deref().unwrap_or(""),
            ));
            svg.push_str(&format!(
                r##"<rect class="bar" x="{LEFT}" y="{bar}" width="{bw}" height="16" fill="#1f4e79"><title lang="vi">{name}: {shown}</title></rect><text x="{lx}" y="{ty}" font-size="12">{shown}</text>"##,
                bw = x(h) - LEFT,
                lx = x(h) + 5,
                ty = bar + 13
            ));
        }
        if let Some(h) = row.self_total.as_deref().and_then(hundredths) {
            svg.push_str(&format!(
                r##"<line class="self" x1="{sx}" y1="{a}" x2="{sx}" y2="{b}" stroke="#c00000" stroke-width="3"><title>{label}</title></line>"##,
                sx = x(h),
                a = bar - 3,
                b = bar + 19,
                label = escape(y.self_total)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}
