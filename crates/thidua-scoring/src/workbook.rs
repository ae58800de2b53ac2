//! The auditable workbook: a "Số liệu" sheet with the figures (monthly values and an aggregate
//! formula per row) and a "Chấm điểm" sheet where every computed cell is a live formula
//! translated from the regulation (indicators, values, scales, sums, caps, rounding, total, band
//! by score), with the engine's results cached. Opening it in Excel or LibreOffice recomputes the
//! same numbers. Written in memory (no IO).
//!
//! Spreadsheets store numbers as IEEE doubles: figures are written as doubles (exact for up to
//! 15 significant digits); the engine's own results stay exact decimals.
use crate::ast::{Better, BinOp, Cmp, Func, RoundMode, Scale, UnOp};
use crate::compile::{CExpr, CompiledRegulation, NodeKind};
use crate::data::Dataset;
use crate::engine::{figure_at, select};
use crate::explain::{Scoreboard, Source, Status, Step, Val};
use crate::num::canonical;
use crate::period::Window;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// Score sheet name (first sheet).
pub const SCORE_SHEET: &str = "Chấm điểm";
/// Figures sheet name.
pub const FIGURES_SHEET: &str = "Số liệu";

/// A computed cell of the score sheet with the engine's value (0-based row and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub row: u32,
    pub col: u16,
    pub what: String,
    pub expected: Decimal,
}

/// Where the computed cells are, so tests can compare a recalculated copy with the engine.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub checks: Vec<Check>,
}

/// Column letters (0 → A).
pub fn col_name(mut c: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

fn n(d: Decimal) -> String {
    let s = canonical(d);
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}

fn f64_of(d: Decimal) -> f64 {
    canonical(d).parse().unwrap_or(0.0)
}

fn xe(e: XlsxError) -> String {
    e.to_string()
}

struct Builder<'a> {
    reg: &'a CompiledRegulation,
    data: &'a Dataset,
    bind: Vec<Option<u32>>,
    /// (unit, element, window) → figures-sheet row.
    fig_rows: HashMap<(String, usize, Window), u32>,
    next_fig_row: u32,
    figs: Vec<FigRow>,
    /// indicator → score-sheet row (at the evaluation window).
    ind_rows: Vec<u32>,
    /// node → score-sheet row (for `points(ID)`; points are one column right of values).
    node_rows: Vec<u32>,
}

struct FigRow {
    row: u32,
    unit: String,
    element: usize,
    window: Window,
    /// Constant inputs in columns I.. and the formula for H.
    inputs: Vec<Decimal>,
    formula: String,
    value: Option<Decimal>,
    note: String,
}

impl<'a> Builder<'a> {
    fn fig_ref(&mut self, unit: &str, e: usize, w: Window) -> String {
        let key = (unit.to_string(), e, w);
        if let Some(r) = self.fig_rows.get(&key) {
            return format!("'{FIGURES_SHEET}'!$H${}", r + 1);
        }
        let row = self.next_fig_row;
        self.next_fig_row += 1;
        self.fig_rows.insert(key, row);
        let uidx = self.data.unit_index.get(unit).copied();
        let el = &self.reg.ast.elements[e];
        let agg = el.aggregate;
        let r = row + 1;
        let fr = match figure_at(self.reg, self.data, &self.bind, uidx, unit, e, w) {
            Ok((v, Source::Months { months, .. })) => {
                let mut inputs = Vec::new();
                if let Some(u) = uidx {
                    if let Some(de) = self.bind[e] {
                        let s = self.data.series(u, de);
                        for m in w.first..=w.last {
                            let mw = Window {
                                year: w.year,
                                first: m,
                                last: m,
                            };
                            if let Ok(i) = s.binary_search_by_key(&mw, |f| f.window) {
                                inputs.push(s[i].value);
                            }
                        }
                    }
                }
                let last = col_name(8 + months as u16 - 1);
                let range = format!("I{r}:{last}{r}");
                let formula = match agg {
                    crate::ast::Aggregation::Sum => format!("SUM({range})"),
                    crate::ast::Aggregation::Mean => format!("AVERAGE({range})"),
                    crate::ast::Aggregation::Max => format!("MAX({range})"),
                    crate::ast::Aggregation::Last => format!("{last}{r}"),
                };
                FigRow {
                    row,
                    unit: unit.into(),
                    element: e,
                    window: w,
                    inputs,
                    formula,
                    value: Some(v),
                    note: format!("{months} tháng"),
                }
            }
            Ok((v, Source::Direct { row: src })) => FigRow {
                row,
                unit: unit.into(),
                element: e,
                window: w,
                inputs: vec![v],
                formula: format!("I{r}"),
                value: Some(v),
                note: format!("dòng {src}"),
            },
            Ok((v, Source::Predecessors { parts })) => {
                let names: Vec<String> = parts
                    .iter()
                    .map(|(u, x)| format!("{u} {}", canonical(*x)))
                    .collect();
                let inputs: Vec<Decimal> = parts.iter().map(|p| p.1).collect();
                let last = col_name(8 + inputs.len().max(1) as u16 - 1);
                FigRow {
                    row,
                    unit: unit.into(),
                    element: e,
                    window: w,
                    inputs,
                    formula: format!("SUM(I{r}:{last}{r})"),
                    value: Some(v),
                    note: format!("tổng đơn vị tiền thân: {}", names.join(" + ")),
                }
            }
            Ok((v, Source::Declared { reason_vi, .. })) => FigRow {
                row,
                unit: unit.into(),
                element: e,
                window: w,
                inputs: vec![v],
                formula: format!("I{r}"),
                value: Some(v),
                note: format!("giá trị quy định: {reason_vi}"),
            },
            Err(err) => FigRow {
                row,
                unit: unit.into(),
                element: e,
                window: w,
                inputs: vec![],
                formula: "NA()".into(),
                value: None,
                note: err.vi(),
            },
        };
        self.figs.push(fr);
        format!("'{FIGURES_SHEET}'!$H${r}")
    }

    /// Translates an expression for one unit column.
    fn tr(&mut self, e: &CExpr, unit: &str, col: u16, w: Window, base: Window) -> String {
        match e {
            CExpr::Points(k) => match self.node_rows.get(*k) {
                Some(r) => cell(*r, col + 1),
                None => "NA()".into(),
            },
            CExpr::Num(d) => n(*d),
            CExpr::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            CExpr::Elem(i, sel) => match select(self.reg, w, *sel) {
                Ok(ww) => self.fig_ref(unit, *i, ww),
                Err(_) => "NA()".into(),
            },
            CExpr::Ind(i, sel) => match select(self.reg, w, *sel) {
                Ok(ww) if ww == base && !self.ind_rows.is_empty() => cell(self.ind_rows[*i], col),
                Ok(ww) => self.ind_formula(*i, unit, col, ww, base),
                Err(_) => "NA()".into(),
            },
            CExpr::Unary(UnOp::Neg, x) => format!("-({})", self.tr(x, unit, col, w, base)),
            CExpr::Unary(UnOp::Not, x) => format!("NOT({})", self.tr(x, unit, col, w, base)),
            CExpr::Binary(op, a, b) => {
                let a = self.tr(a, unit, col, w, base);
                let b = self.tr(b, unit, col, w, base);
                match op {
                    BinOp::And => format!("AND({a},{b})"),
                    BinOp::Or => format!("OR({a},{b})"),
                    BinOp::Eq => format!("({a}={b})"),
                    BinOp::Ne => format!("({a}<>{b})"),
                    _ => format!("({a}{}{b})", op.symbol()),
                }
            }
            CExpr::If(c, a, b) => {
                let c = self.tr(c, unit, col, w, base);
                let a = self.tr(a, unit, col, w, base);
                let b = self.tr(b, unit, col, w, base);
                format!("IF({c},{a},{b})")
            }
            CExpr::Call(f, args) => {
                let a: Vec<String> = args
                    .iter()
                    .map(|x| self.tr(x, unit, col, w, base))
                    .collect();
                match f {
                    Func::Min => format!("MIN({})", a.join(",")),
                    Func::Max => format!("MAX({})", a.join(",")),
                    Func::Clamp => format!("MIN(MAX({},{}),{})", a[0], a[1], a[2]),
                    Func::Abs => format!("ABS({})", a[0]),
                    Func::Round => format!("ROUND({},{})", a[0], a[1]),
                    Func::Pct => format!("({}/{}*100)", a[0], a[1]),
                    Func::PctChange => format!("(({}-{})/{}*100)", a[0], a[1], a[1]),
                    Func::Points => "NA()".into(),
                }
            }
        }
    }

    fn ind_formula(&mut self, i: usize, unit: &str, col: u16, w: Window, base: Window) -> String {
        let ind = &self.reg.indicators[i];
        let (expr, ozd) = (ind.expr.clone(), ind.on_zero_division);
        // Inside an indicator evaluated at another window, nested indicators are inlined too.
        let saved = std::mem::take(&mut self.ind_rows);
        let x = self.tr(&expr, unit, col, w, if w == base { base } else { w });
        self.ind_rows = saved;
        match ozd {
            Some(d) => format!("IFERROR({x},IF(ERROR.TYPE({x})=2,{},{x}))", n(d)),
            None => x,
        }
    }
}

fn round_f(x: String, places: u32, mode: RoundMode) -> String {
    match mode {
        RoundMode::HalfUp => format!("ROUND({x},{places})"),
        RoundMode::Down => format!("ROUNDDOWN({x},{places})"),
        // Spreadsheets have no banker's rounding function; this expression is exact for
        // values with few digits.
        RoundMode::HalfEven => format!("IF(ABS({x}*10^{places}-TRUNC({x}*10^{places}))=0.5,2*ROUND({x}*10^{places}/2,0)/10^{places},ROUND({x},{places}))"),
    }
}

fn scale_formula(s: &Scale, p: Decimal, v: &str) -> String {
    let pp = n(p);
    match s {
        Scale::Linear {
            from,
            to,
            min_points,
        } => format!(
            "{}+MAX(0,MIN(1,({v}-{})/({}-{})))*({pp}-{})",
            n(*min_points),
            n(*from),
            n(*to),
            n(*from),
            n(*min_points)
        ),
        Scale::Steps { steps, otherwise } => {
            let mut f = n(*otherwise);
            for st in steps.iter().rev() {
                let op = match st.cmp {
                    Cmp::AtLeast => ">=",
                    Cmp::AtMost => "<=",
                };
                f = format!("IF({v}{op}{},{},{f})", n(st.bound), n(st.points));
            }
            f
        }
        Scale::Short {
            target,
            better,
            per,
            floor,
        } => {
            let t = n(*target);
            match better {
                Better::Higher => format!(
                    "IF({v}>={t},{pp},MAX({},{pp}-{}*({t}-{v})))",
                    n(*floor),
                    n(*per)
                ),
                Better::Lower => format!(
                    "IF({v}<={t},{pp},MAX({},{pp}-{}*({v}-{t})))",
                    n(*floor),
                    n(*per)
                ),
            }
        }
        Scale::Above {
            target,
            better,
            per,
            cap,
            otherwise,
        } => {
            let t = n(*target);
            match better {
                Better::Higher => format!(
                    "IF({v}>={t},{pp}+MIN({},{}*({v}-{t})),{})",
                    n(*cap),
                    n(*per),
                    n(*otherwise)
                ),
                Better::Lower => format!(
                    "IF({v}<={t},{pp}+MIN({},{}*({t}-{v})),{})",
                    n(*cap),
                    n(*per),
                    n(*otherwise)
                ),
            }
        }
        Scale::Range {
            low,
            high,
            per,
            floor,
            otherwise,
        } => {
            let (lo, hi) = (n(*low), n(*high));
            let outside = match per {
                Some(pr) => format!(
                    "MAX({},{pp}-{}*IF({v}<{lo},{lo}-{v},{v}-{hi}))",
                    n(*floor),
                    n(*pr)
                ),
                None => n(*otherwise),
            };
            format!("IF(AND({v}>={lo},{v}<={hi}),{pp},{outside})")
        }
        Scale::Formula => format!("MIN({pp},MAX(0,{v}))"),
    }
}

fn write_num(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: Decimal,
    fmt: &Format,
) -> Result<(), String> {
    ws.write_number_with_format(row, col, f64_of(d), fmt)
        .map(|_| ())
        .map_err(xe)
}

fn write_f(
    cache: bool,
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    f: &str,
    cached: Option<String>,
    fmt: &Format,
) -> Result<(), String> {
    let mut fo = Formula::new(format!("={f}"));
    if let (Some(c), true) = (cached, cache) {
        fo = fo.set_result(c);
    }
    ws.write_formula_with_format(row, col, fo, fmt)
        .map(|_| ())
        .map_err(xe)
}

/// Builds the workbook for a scoreboard (computed with any options).
pub fn write(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
) -> Result<Vec<u8>, String> {
    write_with_layout(reg, data, board, true).map(|x| x.0)
}

/// Builds the workbook and says where the computed cells are. With `cached = false` no results
/// are stored with the formulas (a reader that does not recalculate would show zeros), which is
/// how the tests prove that LibreOffice recomputes the same numbers.
pub fn write_with_layout(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    cached: bool,
) -> Result<(Vec<u8>, Layout), String> {
    build(reg, data, board, cached)
}

fn build(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    cache: bool,
) -> Result<(Vec<u8>, Layout), String> {
    let base = board.period.window();
    let mut b = Builder {
        reg,
        data,
        bind: reg.bind(data),
        fig_rows: HashMap::new(),
        next_fig_row: 1,
        figs: Vec::new(),
        ind_rows: Vec::new(),
        node_rows: Vec::new(),
    };
    let mut layout = Layout::default();
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let plain = Format::new();
    let numf = Format::new().set_num_format("#,##0.00");
    let units: Vec<&str> = board.units.iter().map(|u| u.unit.as_str()).collect();
    let vcol = |k: usize| (3 + 2 * k) as u16;
    let pcol = |k: usize| (4 + 2 * k) as u16;
    let ro = &reg.ast.rounding;

    let ws = wb.add_worksheet();
    ws.set_name(SCORE_SHEET).map_err(xe)?;
    ws.set_column_width(1, 60).map_err(xe)?;
    ws.write_string_with_format(0, 0, "Mã", &bold).map_err(xe)?;
    ws.write_string_with_format(0, 1, "Nội dung", &bold)
        .map_err(xe)?;
    ws.write_string_with_format(0, 2, "Điểm chuẩn", &bold)
        .map_err(xe)?;
    for (k, u) in board.units.iter().enumerate() {
        ws.write_string_with_format(0, vcol(k), format!("{} — giá trị", u.unit), &bold)
            .map_err(xe)?;
        ws.write_string_with_format(0, pcol(k), format!("{} — điểm", u.unit), &bold)
            .map_err(xe)?;
    }
    let mut row: u32 = 1;
    ws.write_string_with_format(
        row,
        1,
        format!(
            "{} — kỳ {} ({} – {})",
            reg.ast.name, board.period, board.from, board.to
        ),
        &bold,
    )
    .map_err(xe)?;
    row += 1;
    // Indicators at the evaluation window.
    ws.write_string_with_format(row, 1, "Chỉ tiêu tính toán (giá trị)", &bold)
        .map_err(xe)?;
    row += 1;
    let first_ind_row = row;
    b.ind_rows = (0..reg.indicators.len() as u32)
        .map(|i| first_ind_row + i)
        .collect();
    for (i, ind) in reg.indicators.iter().enumerate() {
        ws.write_string(row, 0, &ind.id).map_err(xe)?;
        ws.write_string_with_format(row, 1, format!("{} = {}", ind.name, ind.text), &wrap)
            .map_err(xe)?;
        for (k, u) in units.iter().enumerate() {
            let saved = std::mem::take(&mut b.ind_rows);
            let f = b.ind_formula(i, u, vcol(k), base, base);
            b.ind_rows = saved;
            // The engine's value, when a criterion used the indicator at this window.
            let v = board.units[k]
                .nodes
                .iter()
                .flat_map(|n| &n.trace)
                .find_map(|s| match s {
                    Step::Indicator {
                        id,
                        period,
                        value: Val::Num(v),
                        ..
                    } if *id == ind.id && *period == base => Some(*v),
                    _ => None,
                });
            write_f(cache, ws, row, vcol(k), &f, v.map(canonical), &plain)?;
            if let Some(v) = v {
                layout.checks.push(Check {
                    row,
                    col: vcol(k),
                    what: format!("{u}/{}", ind.id),
                    expected: v,
                });
            }
        }
        row += 1;
    }
    // Criteria tree.
    ws.write_string_with_format(row, 1, "Tiêu chí", &bold)
        .map_err(xe)?;
    row += 1;
    let node_row0 = row;
    let node_rows: Vec<u32> = (0..reg.nodes.len() as u32).map(|i| node_row0 + i).collect();
    b.node_rows = node_rows.clone();
    for (ni, node) in reg.nodes.iter().enumerate() {
        let r = node_rows[ni];
        ws.write_string(r, 0, &node.id).map_err(xe)?;
        ws.write_string_with_format(
            r,
            1,
            format!("{}{}", "   ".repeat(node.depth), node.name),
            if node.depth == 0 { &bold } else { &wrap },
        )
        .map_err(xe)?;
        write_num(ws, r, 2, node.points, &plain)?;
        for (k, u) in units.iter().enumerate() {
            let res = &board.units[k].nodes[ni];
            let cached = res.points.map(canonical);
            let vref = cell(r, vcol(k));
            let pf: Option<String> = match &node.kind {
                NodeKind::Area { .. } | NodeKind::Children => {
                    let parts: Vec<String> = node
                        .children
                        .iter()
                        .map(|c| cell(node_rows[*c], pcol(k)))
                        .collect();
                    Some(parts.join("+"))
                }
                NodeKind::Manual => {
                    match res.points {
                        Some(p) => write_num(ws, r, pcol(k), p, &numf)?,
                        None => ws
                            .write_string(r, pcol(k), "chưa chấm")
                            .map(|_| ())
                            .map_err(xe)?,
                    }
                    None
                }
                NodeKind::Met {
                    when, otherwise, ..
                } => {
                    let f = b.tr(when, u, vcol(k), base, base);
                    write_f(cache, ws, r, vcol(k), &f, None, &plain)?;
                    Some(format!("IF({vref},{},{})", n(node.points), n(*otherwise)))
                }
                NodeKind::Scaled { value, scale, .. } => {
                    let f = b.tr(value, u, vcol(k), base, base);
                    let v = res.trace.iter().find_map(|s| match s {
                        Step::Value {
                            value: Val::Num(v), ..
                        } => Some(*v),
                        _ => None,
                    });
                    write_f(cache, ws, r, vcol(k), &f, v.map(canonical), &plain)?;
                    if let Some(v) = v {
                        layout.checks.push(Check {
                            row: r,
                            col: vcol(k),
                            what: format!("{u}/{}/value", node.id),
                            expected: v,
                        });
                    }
                    Some(scale_formula(scale, node.points, &vref))
                }
            };
            if let Some(mut f) = pf {
                let leaf = !matches!(node.kind, NodeKind::Area { .. } | NodeKind::Children);
                if leaf && ro.criterion {
                    f = round_f(f, ro.places, ro.mode);
                }
                if let (true, Some(fb)) = (leaf, node.on_error) {
                    f = format!("IFERROR({f},{})", n(fb));
                }
                write_f(cache, ws, r, pcol(k), &f, cached, &numf)?;
            }
            if let Some(p) = res.points {
                if !matches!(node.kind, NodeKind::Manual) {
                    layout.checks.push(Check {
                        row: r,
                        col: pcol(k),
                        what: format!("{u}/{}", node.id),
                        expected: p,
                    });
                }
            }
        }
    }
    row = node_row0 + reg.nodes.len() as u32;
    // Bonus and penalty items, then the totals.
    let mut group_rows: [Vec<(Option<usize>, Vec<u32>)>; 2] = [Vec::new(), Vec::new()];
    for (kind, (title, items)) in [("Điểm thưởng", &reg.bonuses), ("Điểm trừ", &reg.penalties)]
        .into_iter()
        .enumerate()
    {
        if items.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 1, title, &bold)
            .map_err(xe)?;
        row += 1;
        for (ii, it) in items.iter().enumerate() {
            ws.write_string(row, 0, &it.id).map_err(xe)?;
            ws.write_string_with_format(
                row,
                1,
                format!(
                    "{} ({} điểm/đơn vị{})",
                    it.name,
                    canonical(it.per),
                    it.cap
                        .map(|c| format!(", tối đa {}", canonical(c)))
                        .unwrap_or_default()
                ),
                &wrap,
            )
            .map_err(xe)?;
            for (k, u) in units.iter().enumerate() {
                let res = if kind == 0 {
                    &board.units[k].bonuses[ii]
                } else {
                    &board.units[k].penalties[ii]
                };
                let f = b.tr(&it.value, u, vcol(k), base, base);
                write_f(cache, ws, row, vcol(k), &f, None, &plain)?;
                let vref = cell(row, vcol(k));
                let mut pf = format!("{}*MAX(0,{vref})", n(it.per));
                if let Some(c) = it.cap {
                    pf = format!("MIN({},{pf})", n(c));
                }
                if ro.item {
                    pf = round_f(pf, ro.places, ro.mode);
                }
                write_f(
                    cache,
                    ws,
                    row,
                    pcol(k),
                    &pf,
                    res.points.map(canonical),
                    &numf,
                )?;
                if let Some(p) = res.points {
                    layout.checks.push(Check {
                        row,
                        col: pcol(k),
                        what: format!("{u}/{}", it.id),
                        expected: p,
                    });
                }
            }
            match group_rows[kind].iter_mut().find(|(a, _)| *a == it.area) {
                Some((_, rows)) => rows.push(row),
                None => group_rows[kind].push((it.area, vec![row])),
            }
            row += 1;
        }
    }
    let mut total_rows = [None, None];
    for (kind, (title, cap)) in [
        ("Cộng điểm thưởng (sau giới hạn)", reg.ast.bonus_cap),
        ("Cộng điểm trừ (sau giới hạn)", reg.ast.penalty_cap),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(row, 1, title, &bold)
            .map_err(xe)?;
        for (k, u) in units.iter().enumerate() {
            let mut parts = Vec::new();
            for (area, rows) in &group_rows[kind] {
                let s: Vec<String> = rows.iter().map(|r| cell(*r, pcol(k))).collect();
                let s = format!("({})", s.join("+"));
                let acap = area.and_then(|a| match &reg.nodes[a].kind {
                    NodeKind::Area {
                        bonus_cap,
                        penalty_cap,
                    } => {
                        if kind == 0 {
                            *bonus_cap
                        } else {
                            *penalty_cap
                        }
                    }
                    _ => None,
                });
                parts.push(match acap {
                    Some(c) => format!("MIN({},{s})", n(c)),
                    None => s,
                });
            }
            let mut f = if parts.is_empty() {
                "0".to_string()
            } else {
                parts.join("+")
            };
            if let Some(c) = cap {
                f = format!("MIN({},{f})", n(c));
            }
            let res = &board.units[k];
            let v = if kind == 0 {
                res.bonus_total
            } else {
                res.penalty_total
            };
            write_f(cache, ws, row, pcol(k), &f, v.map(canonical), &numf)?;
            if let Some(v) = v {
                layout.checks.push(Check {
                    row,
                    col: pcol(k),
                    what: format!("{u}/{}", if kind == 0 { "bonus" } else { "penalty" }),
                    expected: v,
                });
            }
        }
        total_rows[kind] = Some(row);
        row += 1;
    }
    ws.write_string_with_format(row, 1, "TỔNG ĐIỂM", &bold)
        .map_err(xe)?;
    write_num(ws, row, 2, reg.ast.total, &plain)?;
    let total_row = row;
    for (k, u) in units.iter().enumerate() {
        let areas: Vec<String> = reg
            .areas
            .iter()
            .map(|a| cell(node_rows[*a], pcol(k)))
            .collect();
        let mut f = format!(
            "{}+{}-{}",
            areas.join("+"),
            cell(total_rows[0].unwrap_or(0), pcol(k)),
            cell(total_rows[1].unwrap_or(0), pcol(k))
        );
        if ro.total {
            f = round_f(f, ro.places, ro.mode);
        }
        let res = &board.units[k];
        write_f(cache, ws, row, pcol(k), &f, res.total.map(canonical), &bold)?;
        if let Some(t) = res.total {
            layout.checks.push(Check {
                row,
                col: pcol(k),
                what: format!("{u}/total"),
                expected: t,
            });
        }
    }
    row += 1;
    ws.write_string_with_format(row, 1, "Xếp loại theo tổng điểm (công thức)", &bold)
        .map_err(xe)?;
    for k in 0..units.len() {
        let t = cell(total_row, pcol(k));
        let mut f = format!(
            "\"{}\"",
            reg.bands.last().map(|b| b.name.as_str()).unwrap_or("")
        );
        for band in reg.bands.iter().rev().skip(1) {
            if let Some(m) = band.min {
                f = format!("IF({t}>={},\"{}\",{f})", n(m), band.name.replace('"', "'"));
            }
        }
        let cached = board.units[k].band.as_ref().map(|bd| {
            reg.bands
                .iter()
                .find(|x| x.id == bd.by_score)
                .map(|x| x.name.clone())
                .unwrap_or_default()
        });
        write_f(cache, ws, row, pcol(k), &f, cached, &plain)?;
    }
    row += 1;
    ws.write_string_with_format(row, 1, "Hạng và xếp loại theo quy định (thứ tự ưu tiên khi bằng điểm, tỷ lệ tối đa) — do chương trình tính", &bold).map_err(xe)?;
    for (k, u) in board.units.iter().enumerate() {
        let s = match (&u.rank, &u.band) {
            (Some(r), Some(bd)) => format!("hạng {r} — {}", bd.name),
            _ => match u.status {
                Status::NotScored => "chưa chấm đủ".into(),
                _ => "không tính được".into(),
            },
        };
        ws.write_string(row, pcol(k), s).map_err(xe)?;
    }

    // Figures sheet.
    let fs = wb.add_worksheet();
    fs.set_name(FIGURES_SHEET).map_err(xe)?;
    let heads = [
        "Đơn vị",
        "Mã số liệu",
        "Tên số liệu",
        "Kỳ",
        "Từ ngày",
        "Đến ngày",
        "Cách tổng hợp",
        "Giá trị",
    ];
    for (i, h) in heads.iter().enumerate() {
        fs.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(xe)?;
    }
    for m in 0..12u16 {
        fs.write_string_with_format(0, 8 + m, format!("Cột {}", m + 1), &bold)
            .map_err(xe)?;
    }
    fs.write_string_with_format(0, 20, "Nguồn / ghi chú", &bold)
        .map_err(xe)?;
    fs.set_column_width(2, 40).map_err(xe)?;
    b.figs.sort_by_key(|f| f.row);
    for f in &b.figs {
        let el = &reg.ast.elements[f.element];
        let (from, to) = f.window.dates();
        fs.write_string(f.row, 0, &f.unit).map_err(xe)?;
        fs.write_string(f.row, 1, &el.id).map_err(xe)?;
        fs.write_string(f.row, 2, &el.name).map_err(xe)?;
        fs.write_string(f.row, 3, f.window.to_string())
            .map_err(xe)?;
        fs.write_string(f.row, 4, from.format("%d/%m/%Y").to_string())
            .map_err(xe)?;
        fs.write_string(f.row, 5, to.format("%d/%m/%Y").to_string())
            .map_err(xe)?;
        fs.write_string(f.row, 6, el.aggregate.name()).map_err(xe)?;
        write_f(
            cache,
            fs,
            f.row,
            7,
            &f.formula,
            f.value.map(canonical),
            &plain,
        )?;
        for (i, v) in f.inputs.iter().enumerate() {
            write_num(fs, f.row, 8 + i as u16, *v, &plain)?;
        }
        fs.write_string(f.row, 20, &f.note).map_err(xe)?;
    }
    let bytes = wb.save_to_buffer().map_err(xe)?;
    Ok((bytes, layout))
}
