//! The canonical form of a regulation: one fixed key order, canonical numbers (no trailing
//! zeros), canonical expressions, NFC strings with minimal escaping, comments dropped. Parsing the
//! canonical form gives back the same syntax tree, and printing it again gives the same bytes.
use crate::ast::*;
use crate::num::canonical as n;
use crate::syntax::expr::print_expr;
use rust_decimal::Decimal;
use std::fmt::Write;

fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(o, "\\u{:04X}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

struct W(String);

impl W {
    fn kv(&mut self, k: &str, v: impl AsRef<str>) {
        let _ = writeln!(self.0, "{k} = {}", v.as_ref());
    }
    fn s(&mut self, k: &str, v: &str) {
        self.kv(k, q(v));
    }
    fn os(&mut self, k: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.s(k, v);
        }
    }
    fn d(&mut self, k: &str, v: Decimal) {
        self.kv(k, n(v));
    }
    fn od(&mut self, k: &str, v: Option<Decimal>) {
        if let Some(v) = v {
            self.d(k, v);
        }
    }
    fn e(&mut self, k: &str, v: &ExprSrc) {
        self.s(k, &print_expr(&v.expr));
    }
    fn head(&mut self, h: &str) {
        let _ = writeln!(self.0, "\n[[{h}]]");
    }
}

/// An inclusive target prints as `target` + `better` (the original form, so existing hashes
/// stay); a strict one as `above` / `below`.
fn target_text(
    target: Decimal,
    b: &Better,
    strict: bool,
    better: impl Fn(&Better) -> &'static str,
) -> Vec<String> {
    if strict {
        vec![format!("{} = {}", Cmp::of(*b, true).key(), n(target))]
    } else {
        vec![
            format!("target = {}", n(target)),
            format!("better = {}", better(b)),
        ]
    }
}

fn scale_text(s: &Scale) -> String {
    let mut parts: Vec<String> = Vec::new();
    let better = |b: &Better| match b {
        Better::Higher => "\"higher\"",
        Better::Lower => "\"lower\"",
    };
    match s {
        Scale::Linear {
            from,
            to,
            min_points,
        } => {
            parts.push("kind = \"linear\"".into());
            parts.push(format!("from = {}", n(*from)));
            parts.push(format!("to = {}", n(*to)));
            if !min_points.is_zero() {
                parts.push(format!("min_points = {}", n(*min_points)));
            }
        }
        Scale::Steps { steps, otherwise } => {
            parts.push("kind = \"steps\"".into());
            let st: Vec<String> = steps
                .iter()
                .map(|s| {
                    let c = s.cmp.key();
                    format!("{{ {c} = {}, points = {} }}", n(s.bound), n(s.points))
                })
                .collect();
            parts.push(format!("steps = [{}]", st.join(", ")));
            if !otherwise.is_zero() {
                parts.push(format!("otherwise = {}", n(*otherwise)));
            }
        }
        Scale::Short {
            target,
            better: b,
            strict,
            per,
            floor,
        } => {
            parts.push("kind = \"per_pct_short\"".into());
            parts.extend(target_text(*target, b, *strict, better));
            parts.push(format!("per = {}", n(*per)));
            if !floor.is_zero() {
                parts.push(format!("floor = {}", n(*floor)));
            }
        }
        Scale::Above {
            target,
            better: b,
            strict,
            per,
            cap,
            otherwise,
        } => {
            parts.push("kind = \"per_pct_above\"".into());
            parts.extend(target_text(*target, b, *strict, better));
            parts.push(format!("per = {}", n(*per)));
            parts.push(format!("cap = {}", n(*cap)));
            if !otherwise.is_zero() {
                parts.push(format!("otherwise = {}", n(*otherwise)));
            }
        }
        Scale::Range {
            low,
            high,
            per,
            floor,
            otherwise,
        } => {
            parts.push("kind = \"range\"".into());
            parts.push(format!("low = {}", n(*low)));
            parts.push(format!("high = {}", n(*high)));
            if let Some(p) = per {
                parts.push(format!("per = {}", n(*p)));
            }
            if !floor.is_zero() {
                parts.push(format!("floor = {}", n(*floor)));
            }
            if !otherwise.is_zero() {
                parts.push(format!("otherwise = {}", n(*otherwise)));
            }
        }
        Scale::Formula => parts.push("kind = \"formula\"".into()),
    }
    format!("{{ {} }}", parts.join(", "))
}

/// Prints the canonical text of a syntax tree.
pub fn print(r: &Regulation) -> String {
    let mut w = W(String::new());
    w.d("format", Decimal::from(r.format));
    w.s("name", &r.name);
    w.os("description", &r.description);
    w.d("year", Decimal::from(r.year));
    w.s("period", &r.period.to_string());
    if let Some(b) = r.baseline_year {
        w.d("baseline_year", Decimal::from(b));
    }
    w.d("total", r.total);
    w.od("bonus_cap", r.bonus_cap);
    w.od("penalty_cap", r.penalty_cap);
    if !r.tie_break.is_empty() {
        let t: Vec<String> = r.tie_break.iter().map(|(s, _)| q(s)).collect();
        w.kv("tie_break", format!("[{}]", t.join(", ")));
    }
    let ro = &r.rounding;
    let mut apply = Vec::new();
    if ro.criterion {
        apply.push("\"criterion\"");
    }
    if ro.item {
        apply.push("\"item\"");
    }
    if ro.total {
        apply.push("\"total\"");
    }
    let _ = writeln!(w.0, "\n[rounding]");
    w.d("places", Decimal::from(ro.places));
    w.s("mode", ro.mode.name());
    w.kv("apply", format!("[{}]", apply.join(", ")));
    for e in &r.elements {
        w.head("element");
        w.s("id", &e.id);
        w.s("name", &e.name);
        w.os("unit", &e.unit);
        w.s("aggregate", e.aggregate.name());
        w.od("missing", e.missing);
        if !e.merge_sum {
            w.s("merge", "none");
        }
        w.od("min", e.min);
        w.od("max", e.max);
        if e.integer {
            w.kv("integer", "true");
        }
    }
    for i in &r.indicators {
        w.head("indicator");
        w.s("id", &i.id);
        w.s("name", &i.name);
        w.os("unit", &i.unit);
        w.e("expr", &i.expr);
        w.od("on_zero_division", i.on_zero_division);
    }
    for a in &r.areas {
        w.head("area");
        w.s("id", &a.id);
        w.s("name", &a.name);
        w.d("points", a.points);
        w.od("bonus_cap", a.bonus_cap);
        w.od("penalty_cap", a.penalty_cap);
    }
    for c in &r.criteria {
        w.head("criterion");
        w.s("id", &c.id);
        w.s("parent", &c.parent);
        w.s("name", &c.name);
        w.d("points", c.points);
        match &c.body {
            Body::Children => {}
            Body::Manual => w.kv("manual", "true"),
            Body::Met { when, otherwise } => {
                w.e("when", when);
                if !otherwise.is_zero() {
                    w.kv(
                        "scale",
                        format!("{{ kind = \"met\", otherwise = {} }}", n(*otherwise)),
                    );
                }
            }
            Body::Scaled { value, scale, .. } => {
                w.e("value", value);
                w.kv("scale", scale_text(scale));
            }
        }
        w.od("on_error", c.on_error);
    }
    for (h, items) in [("bonus", &r.bonuses), ("penalty", &r.penalties)] {
        for i in items {
            w.head(h);
            w.s("id", &i.id);
            w.s("name", &i.name);
            if let Some((a, _)) = &i.area {
                w.s("area", a);
            }
            w.e("value", &i.value);
            w.d("per", i.per);
            w.od("cap", i.cap);
        }
    }
    for b in &r.bands {
        w.head("band");
        w.s("id", &b.id);
        w.s("name", &b.name);
        w.od("min", b.min);
        w.od("max", b.max);
        w.od("quota_pct", b.quota_pct);
    }
    for f in &r.funnels {
        w.head("funnel");
        w.s("id", &f.id);
        w.s("name", &f.name);
        let steps: Vec<String> = f.steps.iter().map(|(s, _)| q(s)).collect();
        w.kv("steps", format!("[{}]", steps.join(", ")));
        w.od("threshold", f.threshold);
    }
    for r in &r.rules {
        w.head("rule");
        w.s("id", &r.id);
        w.s("name", &r.name);
        w.s("check", &r.check);
        w.s("severity", r.severity.name());
    }
    w.0
}
