//! Small line charts drawn by the server as SVG (no script, no external service): a target's
//! value month by month this year (solid), the same months last year (dashed), the projected
//! year end (dotted, a square), the covenant's threshold (dash-dot) and zero (a thin line, when
//! the values lie on both sides of it). Lines differ
//! by pattern as well as by shade, so a black-and-white print reads the same. Coordinates are
//! computed exactly and rounded to one decimal, so the same data gives the same bytes.

use std::fmt::Write;

use rust_decimal::Decimal;
use thidua_scoring::exact::Rounding;
use thidua_scoring::render::{esc, vi_num};
use thidua_scoring::Exact;

/// What one chart shows.
pub struct Chart<'a> {
    /// Accessible title.
    pub title: &'a str,
    pub this_year: &'a [Option<Exact>],
    pub last_year: &'a [Option<Exact>],
    pub projected: Option<&'a Exact>,
    pub threshold: Option<Decimal>,
}

/// Width: the axis labels, then eleven steps of 18 between months 1 and 12.
const W: i64 = LEFT + RIGHT + 11 * 18;
const H: i64 = 130;
const LEFT: i64 = 44;
const RIGHT: i64 = 8;
const TOP: i64 = 8;
const BOTTOM: i64 = 22;
/// Pixels a value label needs vertically (its font is 9 px, `svg.chart .tick` in app.css).
const TICK_HEIGHT: i64 = 11;

fn text(x: &Exact) -> String {
    x.round(1, Rounding::HalfUp)
        .decimal_text()
        .unwrap_or_default()
}

/// The plotting frame: value range and pixel mapping.
struct Frame {
    lo: Exact,
    hi: Exact,
}

impl Frame {
    fn of(values: &[&Exact]) -> Frame {
        let lo = values
            .iter()
            .map(|v| (*v).clone())
            .min()
            .unwrap_or(Exact::ZERO);
        let hi = values
            .iter()
            .map(|v| (*v).clone())
            .max()
            .unwrap_or(Exact::ONE);
        let lo = lo.min(Exact::ZERO);
        let hi = if hi <= lo {
            lo.add(&Exact::ONE).unwrap_or(Exact::ONE)
        } else {
            hi
        };
        Frame { lo, hi }
    }

    /// Pixel x of month `m` (1..=12).
    fn x(&self, m: usize) -> Exact {
        let step = Exact::int(W - LEFT - RIGHT)
            .div(&Exact::int(11))
            .unwrap_or(Exact::ZERO);
        Exact::int(LEFT)
            .add(&step.mul(&Exact::int(m as i64 - 1)).unwrap_or(Exact::ZERO))
            .unwrap_or(Exact::ZERO)
    }

    /// Pixel y of a value.
    fn y(&self, v: &Exact) -> Exact {
        let span = self.hi.sub(&self.lo).unwrap_or(Exact::ONE);
        let share = self
            .hi
            .sub(v)
            .and_then(|d| d.div(&span))
            .unwrap_or(Exact::ZERO);
        Exact::int(TOP)
            .add(
                &share
                    .mul(&Exact::int(H - TOP - BOTTOM))
                    .unwrap_or(Exact::ZERO),
            )
            .unwrap_or(Exact::ZERO)
    }

    /// Whether a label at pixel `y` stays clear of the top and bottom value labels (which
    /// are drawn always): otherwise the two would print over each other.
    fn label_room(&self, y: &Exact) -> bool {
        let clear = |end: &Exact| {
            self.y(end)
                .sub(y)
                .map(|d| d.abs() >= Exact::int(TICK_HEIGHT))
                .unwrap_or(false)
        };
        clear(&self.hi) && clear(&self.lo)
    }

    fn point(&self, m: usize, v: &Exact) -> String {
        format!("{},{}", text(&self.x(m)), text(&self.y(v)))
    }
}

/// Polylines of a series, broken where a month has no value.
fn lines(f: &Frame, series: &[Option<Exact>], class: &str, out: &mut String) {
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut String| {
        if run.len() > 1 {
            let _ = write!(
                out,
                r#"<polyline class="{class}" points="{}"/>"#,
                run.join(" ")
            );
        } else if let Some(p) = run.first() {
            let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(out, r#"<circle class="{class}" cx="{x}" cy="{y}" r="2"/>"#);
        }
        run.clear();
    };
    for (i, v) in series.iter().enumerate() {
        match v {
            Some(v) => run.push(f.point(i + 1, v)),
            None => flush(&mut run, out),
        }
    }
    flush(&mut run, out);
}

/// The chart as an inline SVG element (safe to embed: every text is escaped).
pub fn svg(c: &Chart) -> String {
    let threshold = c.threshold.map(Exact::from);
    let mut all: Vec<&Exact> = c.this_year.iter().chain(c.last_year).flatten().collect();
    all.extend(c.projected);
    all.extend(threshold.as_ref());
    let f = Frame::of(&all);
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" xmlns="http://www.w3.org/2000/svg"><title lang="vi">{}</title>"#,
        esc(c.title)
    );
    axes(&f, &mut o);
    if let Some(t) = &threshold {
        let y = text(&f.y(t));
        let _ = write!(
            o,
            r#"<line class="threshold" x1="{LEFT}" y1="{y}" x2="{}" y2="{y}"/>"#,
            W - RIGHT
        );
    }
    lines(&f, c.last_year, "last-year", &mut o);
    lines(&f, c.this_year, "this-year", &mut o);
    projection(&f, c, &mut o);
    o.push_str("</svg>");
    o
}

fn axes(f: &Frame, o: &mut String) {
    let bottom = H - BOTTOM;
    let _ = write!(
        o,
        r#"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/><line class="axis" x1="{LEFT}" y1="{bottom}" x2="{}" y2="{bottom}"/>"#,
        W - RIGHT
    );
    // Values on both sides of zero: a line at zero, labelled, so a rise reads from a fall.
    if f.lo < Exact::ZERO && f.hi > Exact::ZERO {
        let y0 = f.y(&Exact::ZERO);
        let y = text(&y0);
        let _ = write!(
            o,
            r#"<line class="zero" x1="{LEFT}" y1="{y}" x2="{}" y2="{y}"/>"#,
            W - RIGHT
        );
        if f.label_room(&y0) {
            let _ = write!(
                o,
                r#"<text class="tick" x="{}" y="{y}" text-anchor="end" dominant-baseline="middle">0</text>"#,
                LEFT - 3
            );
        }
    }
    for (v, anchor_y) in [(&f.hi, text(&f.y(&f.hi))), (&f.lo, text(&f.y(&f.lo)))] {
        let _ = write!(
            o,
            r#"<text class="tick" x="{}" y="{anchor_y}" text-anchor="end" dominant-baseline="middle">{}</text>"#,
            LEFT - 3,
            vi_num(&v.round(1, Rounding::HalfUp))
        );
    }
    for m in [1usize, 3, 6, 9, 12] {
        let _ = write!(
            o,
            r#"<text class="tick" x="{}" y="{}" text-anchor="middle">{m}</text>"#,
            text(&f.x(m)),
            bottom + 14
        );
    }
}

fn projection(f: &Frame, c: &Chart, o: &mut String) {
    let Some(p) = c.projected else { return };
    let last = c
        .this_year
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, v)| v.as_ref().map(|v| (i + 1, v)));
    let end = f.point(12, p);
    if let Some((m, v)) = last.filter(|(m, _)| *m < 12) {
        let _ = write!(
            o,
            r#"<polyline class="projection" points="{} {end}"/>"#,
            f.point(m, v)
        );
    }
    let (x, y) = end.split_once(',').unwrap_or(("0", "0"));
    let _ = write!(
        o,
        r#"<rect class="projection-end" x="{x}" y="{y}" width="5" height="5" transform="translate(-2.5 -2.5)"/>"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Exact {
        s.parse().unwrap()
    }

    #[test]
    fn a_chart_is_deterministic_and_breaks_lines_at_gaps() {
        let this = [Some(e("40")), Some(e("20"))];
        let last = [Some(e("10")), None, Some(e("30"))];
        let c = Chart {
            title: "Tội phạm <TTXH>",
            this_year: &this,
            last_year: &last,
            projected: Some(&e("20")),
            threshold: Some(Decimal::from(5)),
        };
        let a = svg(&c);
        assert_eq!(a, svg(&c));
        assert!(a.contains("<title lang=\"vi\">Tội phạm &lt;TTXH&gt;</title>"));
        // 0..40: month 1 at x = 44, 40 at the top (y = 8), 20 half way (y = 58).
        assert!(
            a.contains(r#"<polyline class="this-year" points="44,8 62,58"/>"#),
            "{a}"
        );
        // Last year: month 1 and month 3 alone (a gap in February), so two dots.
        assert_eq!(a.matches(r#"<circle class="last-year""#).count(), 2);
        assert!(a.contains(r#"class="threshold""#));
        // The projection goes on from February to December at 20.
        assert!(a.contains(r#"<polyline class="projection" points="62,58 242,58"/>"#));
        // The threshold 5 at y = 8 + 35/40 × 100 = 95.5.
        assert!(a.contains(r#"y1="95.5""#));
        // All above zero: no zero line (the bottom axis is zero).
        assert!(!a.contains(r#"class="zero""#));
    }

    /// The chart of this year's values alone.
    fn this_year_only(this: &[Option<Exact>]) -> String {
        svg(&Chart {
            title: "Thay đổi",
            this_year: this,
            last_year: &[],
            projected: None,
            threshold: None,
        })
    }

    /// A change that falls below zero and rises above it: a labelled line at zero.
    #[test]
    fn values_on_both_sides_of_zero_get_a_zero_line() {
        let a = this_year_only(&[Some(e("-30")), Some(e("10"))]);
        // -30..10: zero a quarter of the way down, y = 8 + 10/40 × 100 = 33.
        assert!(
            a.contains(r#"<line class="zero" x1="44" y1="33" x2="242" y2="33"/>"#),
            "{a}"
        );
        assert!(a.contains(r#"y="33" text-anchor="end" dominant-baseline="middle">0</text>"#));
    }

    /// Zero just under the top value: the line is drawn, but its label would print over the
    /// top one, so it is left out.
    #[test]
    fn a_zero_label_too_close_to_an_end_label_is_left_out() {
        let a = this_year_only(&[Some(e("-62.7")), Some(e("5.5"))]);
        assert!(a.contains(r#"class="zero""#), "{a}");
        assert!(!a.contains(">0</text>"), "{a}");
        assert!(
            a.contains(">5,5</text>") && a.contains(">-62,7</text>"),
            "{a}"
        );
    }
}
