//! Reads a regulation's TOML text into [`crate::ast::Regulation`], reporting every shape problem
//! (unknown keys, wrong types, bad numbers, bad ids, expression syntax) with line and column.
use crate::ast::*;
use crate::diag::{Diagnostics, Sink};
use crate::num;
use crate::period::PeriodKey;
use crate::syntax::expr::parse_expr;
use rust_decimal::Decimal;

use toml::de::{DeTable, DeValue};
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

type V<'i> = Spanned<DeValue<'i>>;

/// NFC-normalises the text (regulations from other tools often arrive decomposed).
pub fn normalise(text: &str) -> String {
    let t: String = text.nfc().collect();
    t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t)
}

/// Parses an NFC text. Returns the syntax tree or all diagnostics found.
pub fn parse(text: &str) -> Result<Regulation, Diagnostics> {
    let mut sink = Sink::new(text);
    let doc = match DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let off = e.span().map(|s| s.start).unwrap_or(0);
            let msg = e.message().to_string();
            sink.err(
                off,
                "toml_syntax",
                format!("văn bản không đúng cú pháp TOML: {}", toml_message_vi(&msg)),
                format!("invalid TOML: {msg}"),
            );
            return Err(sink.finish().unwrap_err());
        }
    };
    let reg = {
        let mut r = Reader {
            sink: &mut sink,
            text,
        };
        r.regulation(doc.span(), doc.get_ref())
    };
    sink.finish()?;
    reg.ok_or_else(|| Diagnostics(vec![]))
}

/// The TOML reader's message in Vietnamese where the table knows it, with what was expected
/// ("string values must be quoted, expected literal string" → "giá trị chuỗi phải đặt trong
/// dấu ngoặc kép"); a message it does not know stays in the reader's words.
fn toml_message_vi(msg: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        (
            "string values must be quoted",
            "giá trị chuỗi phải đặt trong dấu ngoặc kép \"…\"",
        ),
        ("duplicate key", "khoá bị khai báo hai lần"),
        ("unclosed table", "tên bảng chưa đóng ngoặc"),
        ("unclosed array", "mảng chưa đóng ngoặc"),
        ("key with no value", "khoá chưa có giá trị"),
        ("invalid basic string", "chuỗi chưa đóng dấu ngoặc kép"),
        ("invalid literal string", "chuỗi chưa đóng dấu nháy đơn"),
        ("invalid float", "số thập phân viết sai"),
        ("invalid integer", "số nguyên viết sai"),
        ("unquoted keys cannot be empty", "thiếu tên khoá"),
        ("invalid inline table", "bảng viết trên một dòng bị sai"),
    ];
    let (what, expected) = match msg.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (msg, None),
    };
    let Some((_, vi)) = KNOWN.iter().find(|(en, _)| *en == what) else {
        return msg.to_owned();
    };
    // What was expected is kept when it is characters (`]`, `=`), which need no translation.
    let symbols = |e: &str| {
        e.split(", ")
            .all(|t| t.len() > 1 && t.starts_with('`') && t.ends_with('`'))
    };
    match expected {
        Some(e) if symbols(e) => format!("{vi}, cần {e}"),
        _ => (*vi).to_owned(),
    }
}

struct Reader<'s, 'a> {
    sink: &'s mut Sink<'a>,
    text: &'a str,
}

/// One TOML table being read; remembers which keys were used.
struct Tab<'t, 'i> {
    t: &'t DeTable<'i>,
    at: usize,
    used: Vec<&'static str>,
    what: &'static str,
}

impl<'t, 'i> Tab<'t, 'i> {
    /// A table about to be read, none of its keys used yet.
    fn new(t: &'t DeTable<'i>, at: usize, what: &'static str) -> Self {
        Self {
            t,
            at,
            used: vec![],
            what,
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t V<'i>> {
        self.used.push(key);
        self.t.get(key)
    }
}

fn type_vi(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "chuỗi",
        DeValue::Integer(_) | DeValue::Float(_) => "số",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "ngày giờ",
        DeValue::Array(_) => "mảng",
        DeValue::Table(_) => "bảng",
    }
}

fn what_vi(w: &str) -> &str {
    w.split(" / ").next().unwrap_or(w)
}

fn what_en(w: &str) -> &str {
    w.split(" / ").last().unwrap_or(w)
}

impl<'s, 'a> Reader<'s, 'a> {
    fn err(&mut self, off: usize, code: &'static str, vi: String, en: String) {
        self.sink.err(off, code, vi, en);
    }

    fn finish_tab(&mut self, tab: Tab) {
        let mut extra: Vec<(usize, String)> = tab
            .t
            .iter()
            .filter(|(k, _)| !tab.used.contains(&k.get_ref().as_ref()))
            .map(|(k, _)| (k.span().start, k.get_ref().to_string()))
            .collect();
        extra.sort();
        for (off, k) in extra {
            self.err(
                off,
                "unknown_key",
                format!(
                    "khoá `{k}` không có trong ngôn ngữ quy định ({})",
                    what_vi(tab.what)
                ),
                format!("unknown key `{k}` in {}", what_en(tab.what)),
            );
        }
    }

    fn wrong(&mut self, v: &V, key: &str, want_vi: &str, want_en: &str) {
        self.err(
            v.span().start,
            "wrong_type",
            format!(
                "`{key}` phải là {want_vi}, không phải {}",
                type_vi(v.get_ref())
            ),
            format!("`{key}` must be {want_en}, not {}", v.get_ref().type_str()),
        );
    }

    fn missing(&mut self, tab: &Tab, key: &str) {
        self.err(
            tab.at,
            "missing_key",
            format!("thiếu khoá bắt buộc `{key}` ({})", what_vi(tab.what)),
            format!("missing required key `{key}` in {}", what_en(tab.what)),
        );
    }

    fn opt_str(&mut self, tab: &mut Tab, key: &'static str) -> Option<(String, usize)> {
        let v = tab.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span().start + 1)),
            _ => {
                self.wrong(v, key, "chuỗi", "a string");
                None
            }
        }
    }

    fn req_str(&mut self, tab: &mut Tab, key: &'static str) -> Option<(String, usize)> {
        let r = self.opt_str(tab, key);
        if r.is_none() && !tab.t.contains_key(key) {
            self.missing(tab, key);
        }
        r
    }

    fn req_id(&mut self, tab: &mut Tab, key: &'static str) -> Option<(String, usize)> {
        let (s, off) = self.req_str(tab, key)?;
        if !valid_id(&s) {
            self.err(
                off,
                "invalid_id",
                format!("mã `{s}` không hợp lệ: chỉ dùng chữ cái ASCII, chữ số và `_`, bắt đầu bằng chữ cái"),
                format!("invalid id `{s}`: ASCII letters, digits and `_`, starting with a letter"),
            );
            return None;
        }
        Some((s, off))
    }

    fn opt_dec(&mut self, tab: &mut Tab, key: &'static str) -> Option<Decimal> {
        let v = tab.get(key)?;
        self.dec_of(v, key)
    }

    fn dec_of(&mut self, v: &V, key: &str) -> Option<Decimal> {
        let raw = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_string(),
            DeValue::Float(f) => f.as_str().to_string(),
            _ => {
                self.wrong(v, key, "số", "a number");
                return None;
            }
        };
        let r = num::parse_decimal(&raw);
        if r.is_none() {
            self.err(
                v.span().start,
                "invalid_number",
                format!("không đọc được số `{raw}` một cách chính xác"),
                format!("cannot read `{raw}` as an exact decimal"),
            );
        }
        r
    }

    fn req_dec(&mut self, tab: &mut Tab, key: &'static str) -> Option<Decimal> {
        if !tab.t.contains_key(key) {
            tab.used.push(key);
            self.missing(tab, key);
            return None;
        }
        self.opt_dec(tab, key)
    }

    fn int_of(&mut self, v: &V, key: &str, lo: i64, hi: i64) -> Option<i64> {
        let d = self.dec_of(v, key)?;
        let i = if d.fract().is_zero() {
            i64::try_from(d).ok()
        } else {
            None
        };
        match i {
            Some(i) if (lo..=hi).contains(&i) => Some(i),
            _ => {
                self.err(
                    v.span().start,
                    "invalid_value",
                    format!("`{key}` phải là số nguyên từ {lo} đến {hi}"),
                    format!("`{key}` must be an integer from {lo} to {hi}"),
                );
                None
            }
        }
    }

    fn opt_bool(&mut self, tab: &mut Tab, key: &'static str) -> Option<bool> {
        let v = tab.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong(v, key, "true/false", "a boolean");
                None
            }
        }
    }

    fn expr(&mut self, tab: &mut Tab, key: &'static str, required: bool) -> Option<ExprSrc> {
        let (s, off) = if required {
            self.req_str(tab, key)?
        } else {
            self.opt_str(tab, key)?
        };
        match parse_expr(&s) {
            Ok(expr) => Some(ExprSrc { expr, pos: off }),
            Err(e) => {
                let at = off + e.off.min(s.len());
                self.err(
                    at,
                    e.code,
                    format!("biểu thức `{key}`: {}", e.vi),
                    format!("expression `{key}`: {}", e.en),
                );
                None
            }
        }
    }

    fn enum_of<T: Copy>(
        &mut self,
        tab: &mut Tab,
        key: &'static str,
        opts: &[(&str, T)],
    ) -> Option<Option<T>> {
        let Some((s, off)) = self.opt_str(tab, key) else {
            return Some(None);
        };
        match opts.iter().find(|(n, _)| *n == s) {
            Some((_, t)) => Some(Some(*t)),
            None => {
                let list: Vec<&str> = opts.iter().map(|(n, _)| *n).collect();
                self.err(
                    off,
                    "invalid_value",
                    format!(
                        "`{key}` = `{s}` không hợp lệ; chọn một trong: {}",
                        list.join(", ")
                    ),
                    format!(
                        "invalid `{key}` = `{s}`; expected one of: {}",
                        list.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// The array of tables under `key`, each with its span start.
    fn tables<'t, 'i>(
        &mut self,
        root: &mut Tab<'t, 'i>,
        key: &'static str,
    ) -> Vec<(usize, &'t DeTable<'i>)> {
        let Some(v) = root.get(key) else {
            return vec![];
        };
        match v.get_ref() {
            DeValue::Array(a) => {
                let mut out = Vec::new();
                for item in a.iter() {
                    match item.get_ref() {
                        DeValue::Table(t) => out.push((item.span().start, t)),
                        _ => self.wrong(item, key, "bảng ([[…]])", "a table ([[…]])"),
                    }
                }
                out
            }
            _ => {
                self.wrong(v, key, "mảng bảng [[…]]", "an array of tables [[…]]");
                vec![]
            }
        }
    }

    /// The whole document: its top-level keys, `[rounding]`, each array of tables in turn, then
    /// the keys the language does not know; everything is read (and each problem reported)
    /// before a part that cannot be read makes the result `None`.
    fn regulation(&mut self, at: std::ops::Range<usize>, root: &DeTable) -> Option<Regulation> {
        let mut tab = Tab::new(
            root,
            at.start,
            "phần đầu văn bản / the document's top level",
        );
        let format = self.format_version(&mut tab);
        let name = self.req_str(&mut tab, "name").map(|s| s.0);
        let description = self.opt_str(&mut tab, "description").map(|s| s.0);
        let year = self.year(&mut tab);
        let period_pos = ["period", "year"]
            .iter()
            .find_map(|key| tab.t.get(*key))
            .map_or(at.start, |v| v.span().start);
        let period = self.period(&mut tab);
        let baseline_year = self.baseline_year(&mut tab);
        let total_pos = tab
            .t
            .get("total")
            .map(|v| v.span().start)
            .unwrap_or(at.start);
        let total = self.req_dec(&mut tab, "total");
        let bonus_cap = self.opt_dec(&mut tab, "bonus_cap");
        let penalty_cap = self.opt_dec(&mut tab, "penalty_cap");
        let tie_break = self.tie_break(&mut tab);
        let rounding = self.rounding(&mut tab);
        let elements = self.each(&mut tab, "element", Self::element);
        let indicators = self.each(&mut tab, "indicator", Self::indicator);
        let areas = self.each(&mut tab, "area", Self::area);
        let criteria = self.each(&mut tab, "criterion", Self::criterion);
        let bonuses = self.each(&mut tab, "bonus", |r, o, t| r.item(o, t, "bonus"));
        let penalties = self.each(&mut tab, "penalty", |r, o, t| r.item(o, t, "penalty"));
        let bands = self.each(&mut tab, "band", Self::band);
        let funnels = self.each(&mut tab, "funnel", Self::funnel);
        let rules = self.each(&mut tab, "rule", Self::rule);
        self.finish_tab(tab);
        let _ = self.text;
        Some(Regulation {
            format: format?,
            name: name?,
            description,
            year: year?,
            period: period?,
            period_pos,
            baseline_year: baseline_year?,
            total: total?,
            total_pos,
            bonus_cap,
            penalty_cap,
            tie_break,
            rounding: rounding?,
            elements,
            indicators,
            areas,
            criteria,
            bonuses,
            penalties,
            bands,
            funnels,
            rules,
        })
    }

    /// `format`, required; only version 1 is supported.
    fn format_version(&mut self, tab: &mut Tab) -> Option<u32> {
        match tab.get("format") {
            None => {
                self.err(
                    0,
                    "format",
                    "thiếu `format = 1` ở đầu văn bản".into(),
                    "missing `format = 1`".into(),
                );
                None
            }
            Some(v) => match self.int_of(v, "format", 0, i64::MAX) {
                Some(1) => Some(1u32),
                Some(n) => {
                    self.err(
                        v.span().start,
                        "format",
                        format!("phiên bản định dạng {n} không được hỗ trợ (chỉ hỗ trợ 1)"),
                        format!("unsupported format {n} (only 1)"),
                    );
                    None
                }
                None => None,
            },
        }
    }

    /// `year`, required, from 1900 to 9999.
    fn year(&mut self, tab: &mut Tab) -> Option<i32> {
        match tab.get("year") {
            Some(v) => self.int_of(v, "year", 1900, 9999).map(|y| y as i32),
            None => {
                self.missing(tab, "year");
                None
            }
        }
    }

    /// `period`, required: the key of the default period.
    fn period(&mut self, tab: &mut Tab) -> Option<PeriodKey> {
        let (s, off) = self.req_str(tab, "period")?;
        match s.parse::<PeriodKey>() {
            Ok(p) => Some(p),
            Err(e) => {
                self.err(
                    off,
                    "invalid_period",
                    e.to_string(),
                    format!("invalid period `{s}`"),
                );
                None
            }
        }
    }

    /// `baseline_year`, optional (`Some(None)` when absent, `None` when invalid).
    fn baseline_year(&mut self, tab: &mut Tab) -> Option<Option<i32>> {
        match tab.get("baseline_year") {
            Some(v) => self
                .int_of(v, "baseline_year", 1900, 9999)
                .map(|y| Some(y as i32)),
            None => Some(None),
        }
    }

    /// `tie_break`: the strings it lists, each with its position.
    fn tie_break(&mut self, tab: &mut Tab) -> Vec<(String, usize)> {
        let mut tie_break = Vec::new();
        if let Some(v) = tab.get("tie_break") {
            match v.get_ref() {
                DeValue::Array(a) => {
                    for x in a.iter() {
                        match x.get_ref() {
                            DeValue::String(s) => {
                                tie_break.push((s.to_string(), x.span().start + 1))
                            }
                            _ => self.wrong(x, "tie_break", "chuỗi", "a string"),
                        }
                    }
                }
                _ => self.wrong(v, "tie_break", "mảng chuỗi", "an array of strings"),
            }
        }
        tie_break
    }

    /// Reads each table of the array `key` with `read`, keeping the ones read without error.
    fn each<T>(
        &mut self,
        root: &mut Tab,
        key: &'static str,
        read: impl Fn(&mut Self, usize, &DeTable) -> Option<T>,
    ) -> Vec<T> {
        self.tables(root, key)
            .into_iter()
            .filter_map(|(o, t)| read(self, o, t))
            .collect()
    }

    /// `[rounding]`: places, mode and the levels rounded (criterion, item and total when
    /// absent).
    fn rounding(&mut self, root: &mut Tab) -> Option<Rounding> {
        let default = Rounding {
            places: 2,
            mode: RoundMode::HalfUp,
            criterion: true,
            item: true,
            total: true,
        };
        let Some(v) = root.get("rounding") else {
            return Some(default);
        };
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong(v, "rounding", "bảng", "a table");
            return None;
        };
        let mut tab = Tab::new(t, v.span().start, "[rounding]");
        let places = match tab.get("places") {
            Some(p) => self.int_of(p, "places", 0, 10).map(|x| x as u32),
            None => Some(2),
        };
        let mode = self.enum_of(
            &mut tab,
            "mode",
            &[
                ("half_up", RoundMode::HalfUp),
                ("half_even", RoundMode::HalfEven),
                ("down", RoundMode::Down),
            ],
        );
        let mut r = default;
        if let Some(a) = tab.get("apply") {
            self.rounding_apply(a, &mut r);
        }
        self.finish_tab(tab);
        r.places = places?;
        r.mode = mode?.unwrap_or(RoundMode::HalfUp);
        Some(r)
    }

    /// `apply` in `[rounding]`: only the levels it lists (`criterion`, `item`, `total`) round.
    fn rounding_apply(&mut self, a: &V, r: &mut Rounding) {
        r.criterion = false;
        r.item = false;
        r.total = false;
        match a.get_ref() {
            DeValue::Array(xs) => {
                for x in xs.iter() {
                    match x.get_ref().as_str() {
                        Some("criterion") => r.criterion = true,
                        Some("item") => r.item = true,
                        Some("total") => r.total = true,
                        _ => self.err(
                            x.span().start,
                            "invalid_value",
                            "`apply` chỉ gồm \"criterion\", \"item\", \"total\"".into(),
                            "`apply` takes only \"criterion\", \"item\", \"total\"".into(),
                        ),
                    }
                }
            }
            _ => self.wrong(a, "apply", "mảng chuỗi", "an array of strings"),
        }
    }

    fn element(&mut self, at: usize, t: &DeTable) -> Option<Element> {
        let mut tab = Tab::new(t, at, "[[element]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let unit = self.opt_str(&mut tab, "unit").map(|s| s.0);
        let agg = self.enum_of(
            &mut tab,
            "aggregate",
            &[
                ("sum", Aggregation::Sum),
                ("last", Aggregation::Last),
                ("mean", Aggregation::Mean),
                ("max", Aggregation::Max),
            ],
        );
        let missing = self.opt_dec(&mut tab, "missing");
        let merge = self.enum_of(&mut tab, "merge", &[("sum", true), ("none", false)]);
        let min = self.opt_dec(&mut tab, "min");
        let max = self.opt_dec(&mut tab, "max");
        let integer = self.opt_bool(&mut tab, "integer").unwrap_or(false);
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Element {
            id,
            pos,
            name: name?.0,
            unit,
            aggregate: agg?.unwrap_or(Aggregation::Sum),
            missing,
            merge_sum: merge?.unwrap_or(true),
            min,
            max,
            integer,
        })
    }

    fn indicator(&mut self, at: usize, t: &DeTable) -> Option<Indicator> {
        let mut tab = Tab::new(t, at, "[[indicator]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let unit = self.opt_str(&mut tab, "unit").map(|s| s.0);
        let expr = self.expr(&mut tab, "expr", true);
        let on_zero_division = self.opt_dec(&mut tab, "on_zero_division");
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Indicator {
            id,
            pos,
            name: name?.0,
            unit,
            expr: expr?,
            on_zero_division,
        })
    }

    fn area(&mut self, at: usize, t: &DeTable) -> Option<Area> {
        let mut tab = Tab::new(t, at, "[[area]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let points = self.req_dec(&mut tab, "points");
        let bonus_cap = self.opt_dec(&mut tab, "bonus_cap");
        let penalty_cap = self.opt_dec(&mut tab, "penalty_cap");
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Area {
            id,
            pos,
            name: name?.0,
            points: points?,
            bonus_cap,
            penalty_cap,
        })
    }

    /// A `[[criterion]]`: its keys, then its body from the keys that say how it is scored.
    fn criterion(&mut self, at: usize, t: &DeTable) -> Option<Criterion> {
        let mut tab = Tab::new(t, at, "[[criterion]]");
        let id = self.req_id(&mut tab, "id");
        let parent = self.req_id(&mut tab, "parent");
        let name = self.req_str(&mut tab, "name");
        let points = self.req_dec(&mut tab, "points");
        let manual = self.opt_bool(&mut tab, "manual").unwrap_or(false);
        let has_when = t.contains_key("when");
        let has_value = t.contains_key("value");
        let when = self.expr(&mut tab, "when", false);
        let value = self.expr(&mut tab, "value", false);
        let on_error = self.opt_dec(&mut tab, "on_error");
        let (scale, scale_pos) = self.criterion_scale(&mut tab);
        self.finish_tab(tab);
        let (id, pos) = id?;
        let scoring = Scoring {
            manual,
            has_when,
            has_value,
            when,
            value,
            scale,
            scale_pos,
        };
        let body = self.body(&id, pos, scoring)?;
        let (parent, parent_pos) = parent?;
        Some(Criterion {
            id,
            pos,
            parent,
            parent_pos,
            name: name?.0,
            points: points?,
            body,
            on_error,
        })
    }

    /// A criterion's `scale` table (`None` when absent, `Some(None)` when it cannot be read)
    /// and where it is (the criterion's table when absent).
    fn criterion_scale(&mut self, tab: &mut Tab) -> (Option<Option<(ScaleOrMet, usize)>>, usize) {
        let scale_v = tab.get("scale");
        let scale_pos = scale_v.map(|v| v.span().start).unwrap_or(tab.at);
        let scale = match scale_v {
            None => None,
            Some(v) => match v.get_ref() {
                DeValue::Table(st) => Some(self.scale(v.span().start, st)),
                _ => {
                    self.wrong(v, "scale", "bảng { kind = … }", "a table { kind = … }");
                    Some(None)
                }
            },
        };
        (scale, scale_pos)
    }

    /// A criterion's body: manual, `when`, `value` (with a scale) or none of them (sub-items);
    /// reports any other shape.
    fn body(&mut self, id: &str, pos: usize, s: Scoring) -> Option<Body> {
        let kinds = s.manual as u8 + s.has_when as u8 + s.has_value as u8;
        if kinds > 1 {
            self.shape_err(
                id,
                pos,
                "chỉ dùng một trong `manual`, `when`, `value`",
                "use only one of `manual`, `when`, `value`",
            );
            return None;
        }
        if s.manual {
            if s.scale.is_some() {
                self.shape_err(
                    id,
                    pos,
                    "tiêu chí chấm thủ công không có `scale`",
                    "a manual criterion has no `scale`",
                );
                return None;
            }
            Some(Body::Manual)
        } else if s.has_when {
            self.met_body(id, pos, s)
        } else if s.has_value {
            self.scaled_body(id, pos, s)
        } else {
            if s.scale.is_some() {
                self.shape_err(
                    id,
                    pos,
                    "có `scale` nhưng thiếu `value` hoặc `when`",
                    "`scale` without `value` or `when`",
                );
                return None;
            }
            Some(Body::Children)
        }
    }

    /// A `when` criterion's body: its condition and the `met` scale's `otherwise` (0 without a
    /// scale); any other scale is refused.
    fn met_body(&mut self, id: &str, pos: usize, s: Scoring) -> Option<Body> {
        let otherwise = match s.scale {
            None => Decimal::ZERO,
            Some(Some((ScaleOrMet::Met(o), _))) => o,
            Some(Some(_)) => {
                self.shape_err(
                    id,
                    pos,
                    "`when` chỉ đi với thang `met`",
                    "`when` goes only with the `met` scale",
                );
                return None;
            }
            Some(None) => return None,
        };
        Some(Body::Met {
            when: s.when?,
            otherwise,
        })
    }

    /// A `value` criterion's body: its value and its scale, which it needs and which is not
    /// `met`.
    fn scaled_body(&mut self, id: &str, pos: usize, s: Scoring) -> Option<Body> {
        match s.scale {
            Some(Some((ScaleOrMet::Scale(scale), _))) => Some(Body::Scaled {
                value: s.value?,
                scale,
                scale_pos: s.scale_pos,
            }),
            Some(Some((ScaleOrMet::Met(_), _))) => {
                self.shape_err(
                    id,
                    pos,
                    "thang `met` cần `when`, không phải `value`",
                    "the `met` scale needs `when`, not `value`",
                );
                None
            }
            Some(None) => None,
            None => {
                self.shape_err(
                    id,
                    pos,
                    "`value` cần một `scale`",
                    "`value` needs a `scale`",
                );
                None
            }
        }
    }

    /// Reports a criterion whose keys make none of the shapes a criterion can have.
    fn shape_err(&mut self, id: &str, pos: usize, vi: &str, en: &str) {
        self.err(
            pos,
            "criterion_shape",
            format!("tiêu chí `{id}`: {vi}"),
            format!("criterion `{id}`: {en}"),
        );
    }

    /// A `scale = { kind = … }` table, read by its kind (one function per kind), with where
    /// it is; `None` when it cannot be read (reported).
    fn scale(&mut self, at: usize, t: &DeTable) -> Option<(ScaleOrMet, usize)> {
        let mut tab = Tab::new(t, at, "scale");
        let kind = self.req_str(&mut tab, "kind");
        let better = self.enum_of(
            &mut tab,
            "better",
            &[("higher", Better::Higher), ("lower", Better::Lower)],
        );
        let r = match kind.as_ref().map(|k| k.0.as_str()) {
            Some("met") => {
                let o = self.opt_dec(&mut tab, "otherwise").unwrap_or(Decimal::ZERO);
                Some(ScaleOrMet::Met(o))
            }
            // Every kind reads its table to the end, so that a key missing or invalid is
            // reported with the table's unknown keys (`form` typed for `from`: both said).
            Some("linear") => self.linear_scale(&mut tab).map(ScaleOrMet::Scale),
            Some("steps") => self.steps_scale(&mut tab).map(ScaleOrMet::Scale),
            Some("per_pct_short") => {
                (self.short_scale(&mut tab, at, better)).map(ScaleOrMet::Scale)
            }
            Some("per_pct_above") => {
                (self.above_scale(&mut tab, at, better)).map(ScaleOrMet::Scale)
            }
            Some("range") => self.range_scale(&mut tab).map(ScaleOrMet::Scale),
            Some("formula") => Some(ScaleOrMet::Scale(Scale::Formula)),
            Some(other) => {
                let off = kind.as_ref().map(|k| k.1).unwrap_or(at);
                self.err(
                    off,
                    "invalid_value",
                    format!("loại thang điểm `{other}` không có; chọn met, linear, steps, per_pct_short, per_pct_above, range, formula"),
                    format!("unknown scale kind `{other}`; expected met, linear, steps, per_pct_short, per_pct_above, range, formula"),
                );
                None
            }
            None => None,
        };
        self.finish_tab(tab);
        r.map(|r| (r, at))
    }

    /// `linear`: `from`, `to` and `min_points` (0 when absent); `None` when `from` or `to`
    /// cannot be read.
    fn linear_scale(&mut self, tab: &mut Tab) -> Option<Scale> {
        let from = self.req_dec(tab, "from");
        let to = self.req_dec(tab, "to");
        let min_points = self.opt_dec(tab, "min_points").unwrap_or(Decimal::ZERO);
        Some(Scale::Linear {
            from: from?,
            to: to?,
            min_points,
        })
    }

    /// `steps`: `otherwise` (0 when absent) and the steps; `None` when a step cannot be read.
    fn steps_scale(&mut self, tab: &mut Tab) -> Option<Scale> {
        let otherwise = self.opt_dec(tab, "otherwise").unwrap_or(Decimal::ZERO);
        let steps = self.step_bands(tab)?;
        Some(Scale::Steps { steps, otherwise })
    }

    /// The `steps` array, every step read (so that each problem is reported); `None` when any
    /// step, or the array itself, cannot be read.
    fn step_bands(&mut self, tab: &mut Tab) -> Option<Vec<StepBand>> {
        let Some(v) = tab.get("steps") else {
            self.missing(tab, "steps");
            return None;
        };
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong(v, "steps", "mảng", "an array");
            return None;
        };
        let mut steps = Vec::new();
        let mut ok = true;
        for s in a.iter() {
            match s.get_ref() {
                DeValue::Table(st) => match self.step_band(s.span().start, st) {
                    Some(step) => steps.push(step),
                    None => ok = false,
                },
                _ => {
                    self.wrong(s, "steps", "bảng", "a table");
                    ok = false
                }
            }
        }
        ok.then_some(steps)
    }

    /// One step: its bound and its `points`.
    fn step_band(&mut self, at: usize, st: &DeTable) -> Option<StepBand> {
        let mut stab = Tab::new(st, at, "steps");
        let bound = self.step_bound(&mut stab);
        let pts = self.req_dec(&mut stab, "points");
        self.finish_tab(stab);
        match (bound, pts) {
            (Some((cmp, bound)), Some(points)) => Some(StepBand { cmp, bound, points }),
            _ => None,
        }
    }

    /// A step's bound: exactly one of `at_least`, `above`, `at_most`, `below`, with its value.
    fn step_bound(&mut self, stab: &mut Tab) -> Option<(Cmp, Decimal)> {
        let keys: Vec<Cmp> = ["at_least", "above", "at_most", "below"]
            .into_iter()
            .filter(|k| stab.t.contains_key(*k))
            .filter_map(Cmp::from_key)
            .collect();
        match keys.as_slice() {
            [c] => self.opt_dec(stab, c.key()).map(|b| (*c, b)),
            [] => {
                self.missing(stab, "at_least / above / at_most / below");
                None
            }
            many => {
                for c in many {
                    stab.used.push(c.key());
                }
                self.err(
                    stab.at,
                    "invalid_scale",
                    "một bậc chỉ có một trong `at_least`, `above`, `at_most`, `below`".into(),
                    "a step has exactly one of `at_least`, `above`, `at_most`, `below`".into(),
                );
                None
            }
        }
    }

    /// `per_pct_short`: the target, `per` and `floor` (0 when absent); `None` when the target
    /// or `per` cannot be read.
    fn short_scale(
        &mut self,
        tab: &mut Tab,
        at: usize,
        better: Option<Option<Better>>,
    ) -> Option<Scale> {
        let target = self.threshold(tab, at, better);
        let per = self.req_dec(tab, "per");
        let floor = self.opt_dec(tab, "floor").unwrap_or(Decimal::ZERO);
        let (target, better, strict) = target?;
        Some(Scale::Short {
            target,
            better,
            strict,
            per: per?,
            floor,
        })
    }

    /// `per_pct_above`: the target, `per`, `cap` and `otherwise` (0 when absent); `None` when
    /// the target, `per` or `cap` cannot be read.
    fn above_scale(
        &mut self,
        tab: &mut Tab,
        at: usize,
        better: Option<Option<Better>>,
    ) -> Option<Scale> {
        let target = self.threshold(tab, at, better);
        let per = self.req_dec(tab, "per");
        let cap = self.req_dec(tab, "cap");
        let otherwise = self.opt_dec(tab, "otherwise").unwrap_or(Decimal::ZERO);
        let (target, better, strict) = target?;
        Some(Scale::Above {
            target,
            better,
            strict,
            per: per?,
            cap: cap?,
            otherwise,
        })
    }

    /// `range`: `low`, `high`, `per` (optional), `floor` and `otherwise` (0 when absent);
    /// `None` when `low` or `high` cannot be read.
    fn range_scale(&mut self, tab: &mut Tab) -> Option<Scale> {
        let low = self.req_dec(tab, "low");
        let high = self.req_dec(tab, "high");
        let per = self.opt_dec(tab, "per");
        let floor = self.opt_dec(tab, "floor").unwrap_or(Decimal::ZERO);
        let otherwise = self.opt_dec(tab, "otherwise").unwrap_or(Decimal::ZERO);
        Some(Scale::Range {
            low: low?,
            high: high?,
            per,
            floor,
            otherwise,
        })
    }

    /// The target of a graded scale: `target` (+ `better`), or one of `at_least`, `above`,
    /// `at_most`, `below` (the last two with a strict comparison).
    fn threshold(
        &mut self,
        tab: &mut Tab,
        at: usize,
        better: Option<Option<Better>>,
    ) -> Option<(Decimal, Better, bool)> {
        let given: Vec<&'static str> = ["target", "at_least", "above", "at_most", "below"]
            .into_iter()
            .filter(|k| tab.t.contains_key(*k))
            .collect();
        match given.as_slice() {
            ["target"] => {
                let t = self.req_dec(tab, "target");
                Some((t?, better?.unwrap_or(Better::Higher), false))
            }
            [k] => {
                let cmp = Cmp::from_key(k)?;
                let t = self.req_dec(tab, k);
                match better {
                    Some(Some(b)) if (b == Better::Higher) != cmp.higher() => {
                        self.err(
                            at,
                            "invalid_scale",
                            format!("`{k}` mâu thuẫn với `better`; bỏ `better`"),
                            format!("`{k}` contradicts `better`; drop `better`"),
                        );
                        None
                    }
                    _ => {
                        let b = if cmp.higher() {
                            Better::Higher
                        } else {
                            Better::Lower
                        };
                        Some((t?, b, cmp.strict()))
                    }
                }
            }
            [] => {
                tab.used.push("target");
                self.missing(tab, "target / at_least / above / at_most / below");
                None
            }
            many => {
                for k in many {
                    tab.used.push(k);
                }
                self.err(
                    at,
                    "invalid_scale",
                    "chỉ dùng một trong `target`, `at_least`, `above`, `at_most`, `below`".into(),
                    "use only one of `target`, `at_least`, `above`, `at_most`, `below`".into(),
                );
                None
            }
        }
    }

    fn item(&mut self, at: usize, t: &DeTable, what: &'static str) -> Option<Item> {
        let table_name = if what == "bonus" {
            "[[bonus]]"
        } else {
            "[[penalty]]"
        };
        let mut tab = Tab::new(t, at, table_name);
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let area = self.opt_str(&mut tab, "area");
        let value = self.expr(&mut tab, "value", true);
        let per = self.req_dec(&mut tab, "per");
        let cap = self.opt_dec(&mut tab, "cap");
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Item {
            id,
            pos,
            name: name?.0,
            area,
            value: value?,
            per: per?,
            cap,
        })
    }

    fn funnel(&mut self, at: usize, t: &DeTable) -> Option<Funnel> {
        let mut tab = Tab::new(t, at, "[[funnel]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let mut steps = Vec::new();
        match tab.get("steps") {
            Some(v) => match v.get_ref() {
                DeValue::Array(a) => {
                    for x in a.iter() {
                        match x.get_ref() {
                            DeValue::String(s) => steps.push((s.to_string(), x.span().start + 1)),
                            _ => self.wrong(x, "steps", "chuỗi", "a string"),
                        }
                    }
                }
                _ => self.wrong(v, "steps", "mảng chuỗi", "an array of strings"),
            },
            None => self.missing(&tab, "steps"),
        }
        let threshold = self.opt_dec(&mut tab, "threshold");
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Funnel {
            id,
            pos,
            name: name?.0,
            steps,
            threshold,
        })
    }

    fn rule(&mut self, at: usize, t: &DeTable) -> Option<Rule> {
        let mut tab = Tab::new(t, at, "[[rule]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let check = self.req_str(&mut tab, "check");
        let severity = match self.req_str(&mut tab, "severity") {
            Some((s, _)) if s == "error" => Some(RuleSeverity::Error),
            Some((s, _)) if s == "warning" => Some(RuleSeverity::Warning),
            Some((s, off)) => {
                self.err(
                    off,
                    "invalid_value",
                    format!("`severity` là `error` (chặn việc nộp) hoặc `warning` (cần ghi chú), không phải `{s}`"),
                    format!("`severity` is `error` (blocks submission) or `warning` (needs a comment), not `{s}`"),
                );
                None
            }
            None => None,
        };
        self.finish_tab(tab);
        let (id, pos) = id?;
        let (check, check_pos) = check?;
        Some(Rule {
            id,
            pos,
            name: name?.0,
            check,
            check_pos,
            severity: severity?,
        })
    }

    fn band(&mut self, at: usize, t: &DeTable) -> Option<Band> {
        let mut tab = Tab::new(t, at, "[[band]]");
        let id = self.req_id(&mut tab, "id");
        let name = self.req_str(&mut tab, "name");
        let min = self.opt_dec(&mut tab, "min");
        let max = self.opt_dec(&mut tab, "max");
        let quota_pct = self.opt_dec(&mut tab, "quota_pct");
        self.finish_tab(tab);
        let (id, pos) = id?;
        Some(Band {
            id,
            pos,
            name: name?.0,
            min,
            max,
            quota_pct,
        })
    }
}

enum ScaleOrMet {
    Met(Decimal),
    Scale(Scale),
}

/// The keys of a `[[criterion]]` that say how it is scored, before their shape is checked.
struct Scoring {
    manual: bool,
    has_when: bool,
    has_value: bool,
    /// `when` and `value` as read (`None` when absent or invalid, then reported).
    when: Option<ExprSrc>,
    value: Option<ExprSrc>,
    /// The `scale` table: `None` when absent, `Some(None)` when it cannot be read.
    scale: Option<Option<(ScaleOrMet, usize)>>,
    /// Where the scale is (the criterion's table when there is none).
    scale_pos: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_are_said_in_vietnamese() {
        let said = |text: &str| parse(text).unwrap_err().0[0].message_vi.clone();
        assert_eq!(
            said("format = 1\nname = abc\n"),
            "văn bản không đúng cú pháp TOML: giá trị chuỗi phải đặt trong dấu ngoặc kép \"…\""
        );
        assert_eq!(
            said("format = 1\n[rounding\n"),
            "văn bản không đúng cú pháp TOML: tên bảng chưa đóng ngoặc, cần `]`"
        );
        assert_eq!(
            said("format = 1\n= 3\n"),
            "văn bản không đúng cú pháp TOML: thiếu tên khoá"
        );
        assert_eq!(toml_message_vi("something new"), "something new");
    }
}
