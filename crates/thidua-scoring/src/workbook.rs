//! The auditable workbook: a "Số liệu" sheet with the figures (monthly values and an aggregate
//! formula per row) and a "Chấm điểm" sheet where every computed cell is a live formula
//! translated from the regulation (indicators, values, scales, sums, caps, rounding, total, band
//! by score). Every formula cell stores the engine's own value as its cached result, so a reader
//! that does not recalculate shows the engine's numbers, and one that does gets the same. The
//! rank and the official band (tie-break keys, quotas) are the engine's, written as values
//! above the band-by-score formula, which is labelled as the band before the quotas.
//!
//! Meaning is kept, not just syntax: `and`, `or` and `if` become nested `IF`s, which evaluate
//! only the branch taken, exactly like the engine (so "no cases → full points" never becomes
//! `#DIV/0!`); percentages multiply before they divide; rounding first removes binary noise
//! (spreadsheets compute in IEEE doubles) and then rounds as the regulation says. Written in
//! memory (no IO).
use crate::ast::{BinOp, Cmp, Func, RoundMode, Scale, UnOp};
use crate::compile::{CExpr, CompiledRegulation, NodeKind};
use crate::data::Dataset;
use crate::engine::{figure_at, select, EvalError};
use crate::exact::Exact;
use crate::explain::{Scoreboard, Source, Status, UnitResult, Val};
use crate::period::Window;
use chrono::Datelike;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small fast hasher for the figure-row index (keys are a few integers, not adversarial).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_i32(&mut self, n: i32) {
        self.write_u64(n as u32 as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The figures sheet's row of (unit column, element, window).
type FigIndex = HashMap<(usize, usize, Window), u32, BuildHasherDefault<Fx>>;

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
    /// The engine's value; `None` when the engine could not compute it (the cell must be an
    /// error too).
    pub expected: Option<Val>,
    /// Whether the value was rounded by the regulation (then it must match to the digit).
    pub rounded: bool,
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
    let mut s = String::with_capacity(10);
    cell_into(&mut s, row, col);
    s
}

/// A cell's A1 name written at the end of `s`.
fn cell_into(s: &mut String, row: u32, col: u16) {
    use std::fmt::Write;
    let mut letters = [0u8; 4];
    let (mut c, mut i) = (col, 4);
    loop {
        i -= 1;
        letters[i] = b'A' + (c % 26) as u8;
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.extend(letters[i..].iter().map(|b| *b as char));
    let _ = write!(s, "{}", row + 1);
}

/// A constant in a formula (decimals are written exactly; negative in parentheses).
fn n(d: Decimal) -> String {
    x(&Exact::from(d))
}

fn x(e: &Exact) -> String {
    let s = e.decimal_text().unwrap_or_else(|| e.sig_text(17));
    if s.starts_with('-') {
        format!("({s})")
    } else {
        s
    }
}

fn xe(e: XlsxError) -> String {
    e.to_string()
}

/// The cached result of a formula cell for a value.
/// A number as the spreadsheet holds it: the nearest double, in its shortest exact text.
fn num_text(e: &Exact) -> String {
    let f = e.to_f64();
    if f.is_finite() {
        format!("{f}")
    } else {
        e.sig_text(17)
    }
}

fn cached(v: &Val) -> String {
    match v {
        Val::Num(e) => num_text(e),
        Val::Bool(true) => "TRUE".into(),
        Val::Bool(false) => "FALSE".into(),
    }
}

fn cached_err(e: &EvalError) -> String {
    match e {
        EvalError::DivZero { .. } => "#DIV/0!".into(),
        _ => "#N/A".into(),
    }
}

fn cached_opt(v: Option<&Exact>) -> String {
    v.map(num_text).unwrap_or_else(|| "#N/A".into())
}

struct Builder<'a> {
    reg: &'a CompiledRegulation,
    data: &'a Dataset,
    bind: Vec<Option<u32>>,
    /// (unit column, element, window) → figures-sheet row.
    fig_rows: FigIndex,
    /// The unit whose column is being written: its column number and id.
    unit_k: usize,
    unit: String,
    next_fig_row: u32,
    /// The figure rows, kept or sent to the figures sheet's writer as they are made.
    figs: FigOut,
    /// The periods the figures use (for the legend).
    periods: Vec<Window>,
    /// indicator → score-sheet row (at the evaluation window).
    ind_rows: Vec<u32>,
    /// node → score-sheet row (for `points(ID)`; points are one column right of values).
    node_rows: Vec<u32>,
    /// An indicator whose formula would exceed [`MAX_FORMULA`].
    too_long: Option<String>,
}

/// The longest formula a spreadsheet accepts (Excel's limit).
pub const MAX_FORMULA: usize = 8192;

/// Where figure rows go.
enum FigOut {
    Keep(Vec<FigRow>),
    Send {
        tx: std::sync::mpsc::SyncSender<Vec<FigRow>>,
        buf: Vec<FigRow>,
    },
}

impl FigOut {
    fn push(&mut self, fr: FigRow) {
        match self {
            FigOut::Keep(v) => v.push(fr),
            FigOut::Send { tx, buf } => {
                buf.push(fr);
                if buf.len() >= FIG_BATCH {
                    // A closed receiver means its writer failed; that error is reported there.
                    let full = std::mem::replace(buf, Vec::with_capacity(FIG_BATCH));
                    let _ = tx.send(full);
                }
            }
        }
    }
    fn flush(&mut self) {
        if let FigOut::Send { tx, buf } = self {
            if !buf.is_empty() {
                let _ = tx.send(std::mem::take(buf));
            }
        }
    }
}

/// Figure rows sent to the figures sheet's writer at a time.
const FIG_BATCH: usize = 1024;

struct FigRow {
    row: u32,
    unit: String,
    element: usize,
    window: Window,
    /// Constant inputs in columns I.. and the formula for H; `None` for a month reported as
    /// not applicable, written as text (which SUM, AVERAGE and MAX skip, as the engine does).
    inputs: Vec<Option<Exact>>,
    formula: String,
    value: Option<Exact>,
    note: String,
}

impl<'a> Builder<'a> {
    /// Sets the unit whose column is written next.
    fn set_unit(&mut self, k: usize, unit: &str) {
        if self.unit != unit || self.unit_k != k {
            self.unit_k = k;
            self.unit.clear();
            self.unit.push_str(unit);
        }
    }

    /// Writes the reference to the figures-sheet row of (current unit, element, window),
    /// making the row the first time it is referred to.
    fn fig_ref(&mut self, o: &mut String, e: usize, w: Window) {
        use std::fmt::Write;
        let key = (self.unit_k, e, w);
        let r = match self.fig_rows.get(&key) {
            Some(r) => r + 1,
            None => {
                let row = self.next_fig_row;
                self.next_fig_row += 1;
                self.fig_rows.insert(key, row);
                let fr = self.fig_row(row, e, w);
                if !self.periods.contains(&w) {
                    self.periods.push(w);
                }
                self.figs.push(fr);
                row + 1
            }
        };
        let _ = write!(o, "'{FIGURES_SHEET}'!$D${r}");
    }

    /// The figures-sheet row `row` of the current unit's element `e` in window `w`.
    fn fig_row(&self, row: u32, e: usize, w: Window) -> FigRow {
        let unit = self.unit.as_str();
        let uidx = self.data.unit_index.get(unit).copied();
        let agg = self.reg.ast.elements[e].aggregate;
        let r = row + 1;
        let mut fr = FigRow {
            row,
            unit: unit.into(),
            element: e,
            window: w,
            inputs: vec![],
            formula: "NA()".into(),
            value: None,
            note: String::new(),
        };
        match figure_at(self.reg, self.data, &self.bind, uidx, unit, e, w) {
            Ok((v, Source::Months { months, .. })) => {
                if let (Some(u), Some(de)) = (uidx, self.bind[e]) {
                    let s = self.data.series(u, de);
                    fr.inputs.reserve(months as usize);
                    for m in w.first..=w.last {
                        let mw = Window::new(w.year, m, m).unwrap_or(w);
                        if let Ok(i) = s.binary_search_by_key(&mw, |f| f.window) {
                            fr.inputs.push(s[i].value.clone());
                        }
                    }
                }
                let last = col_name(4 + months as u16 - 1);
                fr.formula = match agg {
                    crate::ast::Aggregation::Sum => format!("SUM(E{r}:{last}{r})"),
                    crate::ast::Aggregation::Mean => format!("AVERAGE(E{r}:{last}{r})"),
                    crate::ast::Aggregation::Max => format!("MAX(E{r}:{last}{r})"),
                    crate::ast::Aggregation::Last => format!("{last}{r}"),
                };
                fr.value = Some(v);
            }
            Ok((v, Source::Direct { row: src })) => {
                fr.inputs = vec![Some(v.clone())];
                fr.formula = format!("E{r}");
                fr.value = Some(v);
                fr.note = format!("dòng {src}");
            }
            Ok((v, Source::Predecessors { parts })) => {
                let names: Vec<String> = parts.iter().map(|(u, x)| format!("{u} {x}")).collect();
                fr.inputs = parts.iter().map(|p| Some(p.1.clone())).collect();
                let last = col_name(4 + fr.inputs.len().max(1) as u16 - 1);
                fr.formula = format!("SUM(E{r}:{last}{r})");
                fr.value = Some(v);
                fr.note = format!("tổng đơn vị tiền thân: {}", names.join(" + "));
            }
            Ok((v, Source::Declared { reason_vi, .. })) => {
                fr.inputs = vec![Some(v.clone())];
                fr.formula = format!("E{r}");
                fr.value = Some(v);
                fr.note = format!("giá trị quy định: {reason_vi}");
            }
            Err(err) => fr.note = err.vi(),
        }
        fr
    }

    /// Translates an expression for one unit column, keeping the engine's meaning: `and`,
    /// `or` and `if` become `IF`s that evaluate only the branch taken.
    fn tr(&mut self, e: &CExpr, col: u16, w: Window, base: Window) -> String {
        let mut o = String::with_capacity(128);
        self.tr_into(&mut o, e, col, w, base);
        o
    }

    /// [`Builder::tr`] written at the end of `o` (one buffer for the whole formula; the
    /// pieces are written in the order the engine meets them, so figure rows are made in the
    /// same order).
    fn tr_into(&mut self, o: &mut String, e: &CExpr, col: u16, w: Window, base: Window) {
        let t = |s: &mut Self, o: &mut String, e: &CExpr| s.tr_into(o, e, col, w, base);
        match e {
            CExpr::Points(k) => match self.node_rows.get(*k) {
                Some(r) => cell_into(o, *r, col + 1),
                None => o.push_str("NA()"),
            },
            CExpr::Num(d) => o.push_str(&x(d)),
            CExpr::Bool(b) => o.push_str(if *b { "TRUE" } else { "FALSE" }),
            CExpr::Elem(i, sel) => match select(self.reg, w, *sel) {
                Ok(ww) => self.fig_ref(o, *i, ww),
                Err(_) => o.push_str("NA()"),
            },
            CExpr::Ind(i, sel) => match select(self.reg, w, *sel) {
                Ok(ww) if ww == base && !self.ind_rows.is_empty() => {
                    cell_into(o, self.ind_rows[*i], col)
                }
                Ok(ww) => self.ind_into(o, *i, col, ww, base),
                Err(_) => o.push_str("NA()"),
            },
            CExpr::Unary(UnOp::Neg, a) => {
                o.push_str("-(");
                t(self, o, a);
                o.push(')');
            }
            CExpr::Unary(UnOp::Not, a) => {
                o.push_str("NOT(");
                t(self, o, a);
                o.push(')');
            }
            CExpr::Binary(BinOp::And, a, b) => {
                o.push_str("IF(");
                t(self, o, a);
                o.push(',');
                t(self, o, b);
                o.push_str(",FALSE)");
            }
            CExpr::Binary(BinOp::Or, a, b) => {
                o.push_str("IF(");
                t(self, o, a);
                o.push_str(",TRUE,");
                t(self, o, b);
                o.push(')');
            }
            CExpr::Binary(op, a, b) => {
                o.push('(');
                t(self, o, a);
                o.push_str(match op {
                    BinOp::Eq => "=",
                    BinOp::Ne => "<>",
                    _ => op.symbol(),
                });
                t(self, o, b);
                o.push(')');
            }
            CExpr::If(c, a, b) => {
                o.push_str("IF(");
                t(self, o, c);
                o.push(',');
                t(self, o, a);
                o.push(',');
                t(self, o, b);
                o.push(')');
            }
            CExpr::Call(f, args) => self.call_into(o, *f, args, col, w, base),
        }
    }

    /// A function call written at the end of `o`.
    fn call_into(
        &mut self,
        o: &mut String,
        f: Func,
        args: &[CExpr],
        col: u16,
        w: Window,
        base: Window,
    ) {
        let t = |s: &mut Self, o: &mut String, i: usize| s.tr_into(o, &args[i], col, w, base);
        // `head` arg0 `mid` arg1 … `tail`, the arguments in order.
        let seq = |s: &mut Self, o: &mut String, head: &str, mid: &str, tail: &str| {
            o.push_str(head);
            for i in 0..args.len() {
                if i > 0 {
                    o.push_str(mid);
                }
                t(s, o, i);
            }
            o.push_str(tail);
        };
        match f {
            Func::Min => seq(self, o, "MIN(", ",", ")"),
            Func::Max => seq(self, o, "MAX(", ",", ")"),
            Func::Clamp => {
                o.push_str("MIN(MAX(");
                t(self, o, 0);
                o.push(',');
                t(self, o, 1);
                o.push_str("),");
                t(self, o, 2);
                o.push(')');
            }
            Func::Abs => {
                o.push_str("ABS(");
                t(self, o, 0);
                o.push(')');
            }
            Func::Round => match args.get(1).and_then(|p| match p {
                CExpr::Num(p) => p.to_decimal().and_then(|d| u32::try_from(d).ok()),
                _ => None,
            }) {
                Some(p) => {
                    // `round_f` with half-up: the value appears once.
                    o.push_str("ROUND(ROUND(");
                    t(self, o, 0);
                    use std::fmt::Write;
                    let _ = write!(o, ",{}),{p})", p + GUARD);
                }
                None => seq(self, o, "ROUND(", ",", ")"),
            },
            // Multiply first: an exact percentage stays exact in binary floating point.
            Func::Pct => seq(self, o, "(", "*100/", ")"),
            Func::PctChange => {
                o.push_str("((");
                t(self, o, 0);
                o.push('-');
                let at = o.len();
                t(self, o, 1);
                let b = o[at..].to_string();
                o.push_str(")*100/");
                o.push_str(&b);
                o.push(')');
            }
            Func::Points => o.push_str("NA()"),
        }
    }

    /// An indicator's formula for one unit column (a string).
    fn ind_formula(&mut self, i: usize, col: u16, w: Window, base: Window) -> String {
        let mut o = String::with_capacity(256);
        self.ind_into(&mut o, i, col, w, base);
        o
    }

    /// An indicator's formula written at the end of `o` (`NA()` when it would be too long).
    fn ind_into(&mut self, o: &mut String, i: usize, col: u16, w: Window, base: Window) {
        let reg: &'a CompiledRegulation = self.reg;
        let ind = &reg.indicators[i];
        let (expr, ozd) = (&ind.expr, ind.on_zero_division);
        let at = o.len();
        // Inside an indicator evaluated at another window, nested indicators are inlined too.
        let saved = std::mem::take(&mut self.ind_rows);
        self.tr_into(o, expr, col, w, if w == base { base } else { w });
        self.ind_rows = saved;
        if let Some(d) = ozd {
            // The declared value replaces a division by zero only (error type 2), as in the engine.
            let f = o[at..].to_string();
            o.truncate(at);
            use std::fmt::Write;
            let _ = write!(o, "IFERROR({f},IF(ERROR.TYPE({f})=2,{},{f}))", n(d));
        }
        if o.len() - at > MAX_FORMULA {
            self.too_long.get_or_insert_with(|| ind.id.clone());
            o.truncate(at);
            o.push_str("NA()");
        }
    }
}

/// Decimals kept before the regulation's rounding, to drop binary noise: exact whenever the
/// true value's fraction has a denominator below about 10⁸.
const GUARD: u32 = 8;

/// Rounds a formula as the regulation says, from its value cleaned of binary noise.
fn round_f(f: &str, places: u32, mode: RoundMode) -> String {
    let guard = places + GUARD;
    match mode {
        RoundMode::HalfUp => format!("ROUND(ROUND({f},{guard}),{places})"),
        RoundMode::Down => format!("ROUNDDOWN(ROUND({f},{guard}),{places})"),
        // No spreadsheet function rounds half to even: y = the value in units of the last
        // place; exact halves go to the even neighbour, the rest round normally.
        RoundMode::HalfEven => {
            let y = format!("ROUND(({f})*10^{places},{GUARD})");
            format!(
                "IF(MOD({y},2)=0.5,({y}-0.5)/10^{places},IF(MOD({y},2)=1.5,({y}+0.5)/10^{places},ROUND({y},0)/10^{places}))"
            )
        }
    }
}

fn threshold(v: &str, cmp: Cmp, bound: Decimal) -> String {
    format!("{v}{}{}", cmp.op(), n(bound))
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
                f = format!(
                    "IF({},{},{f})",
                    threshold(v, st.cmp, st.bound),
                    n(st.points)
                );
            }
            f
        }
        Scale::Short {
            target,
            better,
            strict,
            per,
            floor,
        } => {
            let t = n(*target);
            format!(
                "IF({},{pp},MAX({},{pp}-{}*ABS({t}-{v})))",
                threshold(v, Cmp::of(*better, *strict), *target),
                n(*floor),
                n(*per)
            )
        }
        Scale::Above {
            target,
            better,
            strict,
            per,
            cap,
            otherwise,
        } => {
            let t = n(*target);
            format!(
                "IF({},{pp}+MIN({},{}*ABS({v}-{t})),{})",
                threshold(v, Cmp::of(*better, *strict), *target),
                n(*cap),
                n(*per),
                n(*otherwise)
            )
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
            format!("IF({v}<{lo},{outside},IF({v}>{hi},{outside},{pp}))")
        }
        Scale::Formula => format!("MIN({pp},MAX(0,{v}))"),
    }
}

/// How to build a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Store the engine's values as the formulas' cached results (default). Without them a
    /// reader that does not recalculate shows zeros: the tests use that to prove that
    /// LibreOffice recomputes the same numbers.
    pub cached: bool,
    /// Write rows as they are made through the spreadsheet library's temporary files instead
    /// of holding every cell in memory (for national-size workbooks; the only IO this crate
    /// ever does, and only when asked).
    pub low_memory: bool,
    /// Return where the computed cells are ([`Layout`], for tests).
    pub layout: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cached: true,
            low_memory: false,
            layout: false,
        }
    }
}

/// Builds the workbook for a scoreboard (computed with any options).
pub fn write(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
) -> Result<Vec<u8>, String> {
    write_with(reg, data, board, Options::default()).map(|x| x.0)
}

/// Builds the workbook and says where the computed cells are (`cached`: see [`Options`]).
pub fn write_with_layout(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    cached: bool,
) -> Result<(Vec<u8>, Layout), String> {
    write_with(
        reg,
        data,
        board,
        Options {
            cached,
            low_memory: false,
            layout: true,
        },
    )
}

/// Builds the workbook with [`Options`] and says where the computed cells are.
pub fn write_with(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    opts: Options,
) -> Result<(Vec<u8>, Layout), String> {
    let mut wb = Workbook::new();
    // Dated by the period's last day, not the clock: the same inputs give the same bytes.
    let (_, last) = board.period.window().dates();
    let day = ExcelDateTime::from_ymd(last.year() as u16, last.month() as u8, last.day() as u8)
        .map_err(xe)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&day));
    for _ in 0..2 {
        if opts.low_memory {
            wb.add_worksheet_with_constant_memory().map_err(xe)?;
        } else {
            wb.add_worksheet();
        }
    }
    wb.add_worksheet();
    let sheets = wb.worksheets_mut();
    sheets[0].set_name(SCORE_SHEET).map_err(xe)?;
    sheets[0].set_column_width(1, 60).map_err(xe)?;
    sheets[1].set_name(FIGURES_SHEET).map_err(xe)?;
    sheets[2].set_name(LEGEND_SHEET).map_err(xe)?;
    let (first, rest) = sheets.split_at_mut(1);
    let (score, figs) = (&mut first[0], &mut rest[0]);
    let (layout, periods, too_long) = if opts.low_memory {
        piped(reg, data, board, opts, score, figs)?
    } else {
        direct(reg, data, board, opts, score, figs)?
    };
    if let Some(id) = &too_long {
        return Err(format!(
            "công thức của chỉ tiêu `{id}` dài quá {MAX_FORMULA} ký tự, bảng tính không chứa được / the formula of indicator `{id}` exceeds {MAX_FORMULA} characters, more than a spreadsheet accepts"
        ));
    }
    write_legend(reg, periods, &mut wb.worksheets_mut()[2], &Formats::new())?;
    // Fast compression: the file is written in a fraction of the time, a little larger.
    wb.set_zip_compression_level(1);
    let bytes = wb.save_to_buffer().map_err(xe)?;
    Ok((bytes, layout))
}

type Made = (Layout, Vec<Window>, Option<String>);

fn builder<'a>(reg: &'a CompiledRegulation, data: &'a Dataset, figs: FigOut) -> Builder<'a> {
    Builder {
        reg,
        data,
        bind: reg.bind(data),
        fig_rows: FigIndex::default(),
        unit_k: 0,
        unit: String::new(),
        next_fig_row: 1,
        figs,
        periods: Vec::new(),
        ind_rows: Vec::new(),
        node_rows: Vec::new(),
        too_long: None,
    }
}

/// Every cell straight into its sheet (small workbooks; the tests' layout).
fn direct(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    opts: Options,
    score: &mut Worksheet,
    figs: &mut Worksheet,
) -> Result<Made, String> {
    let mut b = builder(reg, data, FigOut::Keep(Vec::new()));
    let mut layout = Layout::default();
    let mut out = Out::Direct(Box::new(Writer {
        ws: score,
        cache: opts.cached,
        f: Formats::new(),
    }));
    Sheet {
        b: &mut b,
        board,
        out: &mut out,
        collect: opts.layout,
        layout: &mut layout,
    }
    .write()?;
    let FigOut::Keep(rows) = std::mem::replace(&mut b.figs, FigOut::Keep(Vec::new())) else {
        return Err("figures kept".into());
    };
    let mut w = Writer {
        ws: figs,
        cache: opts.cached,
        f: Formats::new(),
    };
    fig_header(&mut w)?;
    for fr in rows {
        fig_row(&mut w, reg, fr)?;
    }
    Ok((layout, b.periods, b.too_long))
}

/// National-size workbooks: one thread makes the cells, the score sheet's rows are written
/// as they come, and the figures sheet is written on a third thread at the same time.
fn piped(
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
    opts: Options,
    score: &mut Worksheet,
    figs: &mut Worksheet,
) -> Result<Made, String> {
    use std::sync::mpsc::sync_channel;
    std::thread::scope(|s| {
        let (row_tx, row_rx) = sync_channel::<Batch>(16);
        let (fig_tx, fig_rx) = sync_channel::<Vec<FigRow>>(16);
        let fig_writer = s.spawn(move || -> Result<(), String> {
            let mut w = Writer {
                ws: figs,
                cache: opts.cached,
                f: Formats::new(),
            };
            let mut res = fig_header(&mut w);
            for batch in fig_rx {
                for fr in batch {
                    if res.is_ok() {
                        res = fig_row(&mut w, reg, fr);
                    }
                }
            }
            res
        });
        let maker = s.spawn(move || -> Result<Made, String> {
            let figs = FigOut::Send {
                tx: fig_tx,
                buf: Vec::new(),
            };
            let mut b = builder(reg, data, figs);
            let mut layout = Layout::default();
            let mut out = Out::Piped {
                tx: row_tx,
                buf: Vec::new(),
                row: 0,
            };
            Sheet {
                b: &mut b,
                board,
                out: &mut out,
                collect: opts.layout,
                layout: &mut layout,
            }
            .write()?;
            out.finish()?;
            b.figs.flush();
            Ok((layout, b.periods, b.too_long))
        });
        let mut w = Writer {
            ws: score,
            cache: opts.cached,
            f: Formats::new(),
        };
        let mut res = Ok(());
        for batch in row_rx {
            for (r, c, cell) in batch {
                if res.is_ok() {
                    res = w.put(r, c, cell);
                }
            }
        }
        let made = maker
            .join()
            .map_err(|_| "workbook: the cell maker failed".to_string())??;
        fig_writer
            .join()
            .map_err(|_| "workbook: the figures writer failed".to_string())??;
        res?;
        Ok(made)
    })
}

struct Formats {
    bold: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// The score sheet being written.
struct Sheet<'s, 'a, 'w> {
    b: &'s mut Builder<'a>,
    board: &'s Scoreboard,
    out: &'s mut Out<'w>,
    /// Record the computed cells' places (tests).
    collect: bool,
    layout: &'s mut Layout,
}

/// How a text cell looks.
#[derive(Clone, Copy)]
enum Style {
    Plain,
    Bold,
    Wrap,
}

/// A cell's content, made by the generator and written by the sheet's writer.
enum Cell {
    Str(String, Style),
    Num(f64),
    /// Formula (without `=`), cached result, style.
    Formula(String, String, Style),
}

type Batch = Vec<(u32, u16, Cell)>;

/// Where cells go: straight into a worksheet, or (national-size workbooks) row by row to
/// another thread that writes them while the next rows are made.
enum Out<'w> {
    Direct(Box<Writer<'w>>),
    Piped {
        tx: std::sync::mpsc::SyncSender<Batch>,
        buf: Batch,
        row: u32,
    },
}

/// Writes cells into a worksheet.
struct Writer<'w> {
    ws: &'w mut Worksheet,
    cache: bool,
    f: Formats,
}

impl Writer<'_> {
    fn put(&mut self, row: u32, col: u16, c: Cell) -> Result<(), String> {
        let fmt = |s: Style| match s {
            Style::Plain => None,
            Style::Bold => Some(&self.f.bold),
            Style::Wrap => Some(&self.f.wrap),
        };
        match c {
            Cell::Str(t, st) => match fmt(st) {
                Some(f) => self.ws.write_string_with_format(row, col, t, f).map(|_| ()),
                None => self.ws.write_string(row, col, t).map(|_| ()),
            },
            Cell::Num(x) => self.ws.write_number(row, col, x).map(|_| ()),
            Cell::Formula(f, cached, st) => {
                let mut fo = Formula::new(f);
                if self.cache {
                    fo = fo.set_result(cached);
                }
                match fmt(st) {
                    Some(fm) => self.ws.write_formula_with_format(row, col, fo, fm),
                    None => self.ws.write_formula(row, col, fo),
                }
                .map(|_| ())
            }
        }
        .map_err(xe)
    }
}

impl Out<'_> {
    fn put(&mut self, r: u32, col: u16, c: Cell) -> Result<(), String> {
        match self {
            Out::Direct(w) => w.put(r, col, c),
            Out::Piped { tx, buf, row } => {
                if r != *row && !buf.is_empty() {
                    // The next row is about as wide: no regrowing a row of thousands of cells.
                    let full = std::mem::replace(buf, Vec::with_capacity(buf.len()));
                    tx.send(full)
                        .map_err(|_| "workbook writer stopped".to_string())?;
                }
                *row = r;
                buf.push((r, col, c));
                Ok(())
            }
        }
    }
    fn string(&mut self, r: u32, c: u16, s: impl Into<String>, st: Style) -> Result<(), String> {
        self.put(r, c, Cell::Str(s.into(), st))
    }
    fn number(&mut self, r: u32, c: u16, d: &Exact) -> Result<(), String> {
        self.put(r, c, Cell::Num(d.to_f64()))
    }
    fn formula(
        &mut self,
        r: u32,
        c: u16,
        f: String,
        cached: String,
        st: Style,
    ) -> Result<(), String> {
        self.put(r, c, Cell::Formula(f, cached, st))
    }
    /// Sends what is left.
    fn finish(&mut self) -> Result<(), String> {
        if let Out::Piped { tx, buf, .. } = self {
            if !buf.is_empty() {
                tx.send(std::mem::take(buf))
                    .map_err(|_| "workbook writer stopped".to_string())?;
            }
        }
        Ok(())
    }
}

fn vcol(k: usize) -> u16 {
    (3 + 2 * k) as u16
}
fn pcol(k: usize) -> u16 {
    (4 + 2 * k) as u16
}

impl Sheet<'_, '_, '_> {
    fn formula(&mut self, row: u32, col: u16, f: String, cached: String) -> Result<(), String> {
        self.out.formula(row, col, f, cached, Style::Plain)
    }

    /// Records where a computed cell is (only when the caller wants the layout).
    fn check(
        &mut self,
        row: u32,
        col: u16,
        what: impl FnOnce() -> String,
        expected: Option<Val>,
        rounded: bool,
    ) {
        if self.collect {
            self.layout.checks.push(Check {
                row,
                col,
                what: what(),
                expected,
                rounded,
            });
        }
    }

    fn write(mut self) -> Result<(), String> {
        let reg = self.b.reg;
        let board = self.board;
        for (c, h) in ["Mã", "Nội dung", "Điểm chuẩn"].iter().enumerate() {
            self.out.string(0, c as u16, *h, Style::Bold)?;
        }
        for (k, u) in board.units.iter().enumerate() {
            // The unit's name, with the id the figures sheet and the formulas use.
            let label = match &u.name {
                Some(name) => format!("{name} ({})", u.unit),
                None => u.unit.clone(),
            };
            self.out
                .string(0, vcol(k), format!("{label} — giá trị"), Style::Bold)?;
            self.out
                .string(0, pcol(k), format!("{label} — điểm"), Style::Bold)?;
        }
        self.out.string(
            1,
            1,
            format!(
                "{} — kỳ {} ({} – {})",
                reg.ast.name, board.period, board.from, board.to
            ),
            Style::Bold,
        )?;
        let mut row = self.indicators(2)?;
        row = self.criteria(row)?;
        row = self.items_and_totals(row)?;
        self.bands(row)
    }

    fn indicators(&mut self, mut row: u32) -> Result<u32, String> {
        let reg = self.b.reg;
        let base = self.board.period.window();
        self.out
            .string(row, 1, "Chỉ tiêu tính toán (giá trị)", Style::Bold)?;
        row += 1;
        let first = row;
        self.b.ind_rows = (0..reg.indicators.len() as u32)
            .map(|i| first + i)
            .collect();
        let values: Vec<Vec<Result<Val, EvalError>>> = self
            .board
            .units
            .iter()
            .map(|u| reg.indicator_values(self.b.data, &self.b.bind, &u.unit, self.board.period))
            .collect();
        for (i, ind) in reg.indicators.iter().enumerate() {
            self.out.string(row, 0, &ind.id, Style::Plain)?;
            self.out
                .string(row, 1, format!("{} = {}", ind.name, ind.text), Style::Wrap)?;
            for (k, u) in self.board.units.iter().enumerate() {
                let saved = std::mem::take(&mut self.b.ind_rows);
                self.b.set_unit(k, &u.unit);
                let f = self.b.ind_formula(i, vcol(k), base, base);
                self.b.ind_rows = saved;
                let v = &values[k][i];
                let c = match v {
                    Ok(v) => cached(v),
                    Err(e) => cached_err(e),
                };
                self.formula(row, vcol(k), f, c)?;
                let what = || format!("{}/{}", u.unit, ind.id);
                self.check(row, vcol(k), what, v.clone().ok(), false);
            }
            row += 1;
        }
        Ok(row)
    }

    fn criteria(&mut self, mut row: u32) -> Result<u32, String> {
        let reg = self.b.reg;
        let base = self.board.period.window();
        let ro = &reg.ast.rounding;
        self.out.string(row, 1, "Tiêu chí", Style::Bold)?;
        row += 1;
        let node_rows: Vec<u32> = (0..reg.nodes.len() as u32).map(|i| row + i).collect();
        self.b.node_rows = node_rows.clone();
        for (ni, node) in reg.nodes.iter().enumerate() {
            let r = node_rows[ni];
            self.out.string(r, 0, &node.id, Style::Plain)?;
            let style = if node.depth == 0 {
                Style::Bold
            } else {
                Style::Wrap
            };
            let label = format!("{}{}", "   ".repeat(node.depth), node.name);
            self.out.string(r, 1, label, style)?;
            self.out.number(r, 2, &node.max)?;
            let leaf = !matches!(node.kind, NodeKind::Area { .. } | NodeKind::Children);
            // The points formula of a leaf is the same for every unit but for its value cell
            // (`VREF`): built once per criterion.
            let template: Option<String> = match &node.kind {
                NodeKind::Met { otherwise, .. } => {
                    Some(format!("IF({VREF},{},{})", n(node.points), n(*otherwise)))
                }
                NodeKind::Scaled { scale, .. } => Some(scale_formula(scale, node.points, VREF)),
                _ => None,
            }
            .map(|mut f| {
                if let Some(fb) = node.on_error {
                    f = format!("IFERROR({f},{})", n(fb));
                }
                if ro.criterion {
                    f = round_f(&f, ro.places, ro.mode);
                }
                f
            });
            for k in 0..self.board.units.len() {
                let u: &UnitResult = &self.board.units[k];
                let res = &u.nodes[ni];
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
                        match &res.points {
                            Some(p) => self.out.number(r, pcol(k), p)?,
                            None => self.out.string(r, pcol(k), "chưa chấm", Style::Plain)?,
                        }
                        None
                    }
                    NodeKind::Met {
                        when, otherwise, ..
                    } => {
                        self.b.set_unit(k, &u.unit);
                        let f = self.b.tr(when, vcol(k), base, base);
                        let what = || format!("{}/{}/value", u.unit, node.id);
                        self.value_cell(r, k, f, res.value.as_ref(), what)?;
                        let _ = otherwise;
                        template.as_deref().map(|t| fill(t, r, vcol(k)))
                    }
                    NodeKind::Scaled { value, scale, .. } => {
                        self.b.set_unit(k, &u.unit);
                        let f = self.b.tr(value, vcol(k), base, base);
                        let what = || format!("{}/{}/value", u.unit, node.id);
                        self.value_cell(r, k, f, res.value.as_ref(), what)?;
                        let _ = scale;
                        template.as_deref().map(|t| fill(t, r, vcol(k)))
                    }
                };
                if let Some(f) = pf {
                    self.formula(r, pcol(k), f, cached_opt(res.points.as_ref()))?;
                    let exp = (res.status != Status::NotScored)
                        .then(|| res.points.clone().map(Val::Num))
                        .flatten();
                    let what = || format!("{}/{}", u.unit, node.id);
                    self.check(r, pcol(k), what, exp, leaf && ro.criterion);
                }
            }
        }
        Ok(row + reg.nodes.len() as u32)
    }

    fn value_cell(
        &mut self,
        r: u32,
        k: usize,
        f: String,
        v: Option<&Val>,
        what: impl FnOnce() -> String,
    ) -> Result<(), String> {
        let c = v.map(cached).unwrap_or_else(|| "#N/A".into());
        self.formula(r, vcol(k), f, c)?;
        self.check(r, vcol(k), what, v.cloned(), false);
        Ok(())
    }

    fn items_and_totals(&mut self, mut row: u32) -> Result<u32, String> {
        let reg = self.b.reg;
        let base = self.board.period.window();
        let ro = &reg.ast.rounding;
        let mut group_rows: [Vec<(Option<usize>, Vec<u32>)>; 2] = [Vec::new(), Vec::new()];
        for (kind, (title, items)) in [("Điểm thưởng", &reg.bonuses), ("Điểm trừ", &reg.penalties)]
            .into_iter()
            .enumerate()
        {
            if items.is_empty() {
                continue;
            }
            self.out.string(row, 1, title, Style::Bold)?;
            row += 1;
            for (ii, it) in items.iter().enumerate() {
                self.out.string(row, 0, &it.id, Style::Plain)?;
                let label = format!(
                    "{} ({} điểm/đơn vị{})",
                    it.name,
                    n(it.per),
                    it.cap
                        .map(|c| format!(", tối đa {}", n(c)))
                        .unwrap_or_default()
                );
                self.out.string(row, 1, label, Style::Wrap)?;
                let mut template = format!("{}*MAX(0,{VREF})", n(it.per));
                if let Some(c) = it.cap {
                    template = format!("MIN({},{template})", n(c));
                }
                if ro.item {
                    template = round_f(&template, ro.places, ro.mode);
                }
                for k in 0..self.board.units.len() {
                    let u = &self.board.units[k];
                    let res = if kind == 0 {
                        &u.bonuses[ii]
                    } else {
                        &u.penalties[ii]
                    };
                    self.b.set_unit(k, &u.unit);
                    let f = self.b.tr(&it.value, vcol(k), base, base);
                    let v = res.value.clone().map(Val::Num);
                    let what = || format!("{}/{}/value", u.unit, it.id);
                    self.value_cell(row, k, f, v.as_ref(), what)?;
                    let pf = fill(&template, row, vcol(k));
                    self.formula(row, pcol(k), pf, cached_opt(res.points.as_ref()))?;
                    let exp = res.points.clone().map(Val::Num);
                    let what = || format!("{}/{}", u.unit, it.id);
                    self.check(row, pcol(k), what, exp, ro.item);
                }
                match group_rows[kind].iter_mut().find(|(a, _)| *a == it.area) {
                    Some((_, rows)) => rows.push(row),
                    None => group_rows[kind].push((it.area, vec![row])),
                }
                row += 1;
            }
        }
        let mut total_rows = [0u32, 0u32];
        for (kind, (title, cap)) in [
            ("Cộng điểm thưởng (sau giới hạn)", reg.ast.bonus_cap),
            ("Cộng điểm trừ (sau giới hạn)", reg.ast.penalty_cap),
        ]
        .into_iter()
        .enumerate()
        {
            self.out.string(row, 1, title, Style::Bold)?;
            for k in 0..self.board.units.len() {
                let f = item_sum(reg, kind, &group_rows[kind], k, cap);
                let u = &self.board.units[k];
                let v = if kind == 0 {
                    &u.bonus_total
                } else {
                    &u.penalty_total
                };
                self.formula(row, pcol(k), f, cached_opt(v.as_ref()))?;
                let what = || format!("{}/{}", u.unit, if kind == 0 { "bonus" } else { "penalty" });
                self.check(row, pcol(k), what, v.clone().map(Val::Num), false);
            }
            total_rows[kind] = row;
            row += 1;
        }
        self.out.string(row, 1, "TỔNG ĐIỂM", Style::Bold)?;
        self.out.number(row, 2, &Exact::from(reg.ast.total))?;
        for k in 0..self.board.units.len() {
            let areas: Vec<String> = reg
                .areas
                .iter()
                .map(|a| cell(self.b.node_rows[*a], pcol(k)))
                .collect();
            let mut f = format!(
                "{}+{}-{}",
                areas.join("+"),
                cell(total_rows[0], pcol(k)),
                cell(total_rows[1], pcol(k))
            );
            if ro.total {
                f = round_f(&f, ro.places, ro.mode);
            }
            let u = &self.board.units[k];
            self.out
                .formula(row, pcol(k), f, cached_opt(u.total.as_ref()), Style::Bold)?;
            let exp = u.total.clone().map(Val::Num);
            let what = || format!("{}/total", u.unit);
            self.check(row, pcol(k), what, exp, ro.total);
        }
        Ok(row + 1)
    }

    /// The rank and the band as the regulation gives them (the engine's: tie-break keys and
    /// quotas are not spreadsheet formulas that could match it exactly), then what the quotas
    /// changed, then the band the total alone reaches as a live formula, labelled as the band
    /// *before* the quotas so that nobody reads it as the result.
    fn bands(&mut self, row: u32) -> Result<(), String> {
        let reg = self.b.reg;
        let total_row = row - 1;
        let unscored = |u: &UnitResult| -> String {
            match u.status {
                Status::NotScored => "chưa chấm đủ".into(),
                _ => "không tính được".into(),
            }
        };
        self.out.string(
            row,
            1,
            "Hạng (theo quy định: tổng điểm, rồi thứ tự ưu tiên khi bằng điểm) — do chương trình tính",
            Style::Bold,
        )?;
        for (k, u) in self.board.units.iter().enumerate() {
            match u.rank {
                Some(r) => self.out.number(row, pcol(k), &Exact::int(i64::from(r)))?,
                None => self.out.string(row, pcol(k), unscored(u), Style::Plain)?,
            }
        }
        let row = row + 1;
        self.out.string(
            row,
            1,
            "XẾP LOẠI CHÍNH THỨC (theo quy định: mức điểm, rồi tỷ lệ tối đa của từng loại) — do chương trình tính",
            Style::Bold,
        )?;
        for (k, u) in self.board.units.iter().enumerate() {
            match (&u.rank, &u.band) {
                (Some(_), Some(bd)) => self.out.string(row, pcol(k), &bd.name, Style::Bold)?,
                _ => self.out.string(row, pcol(k), unscored(u), Style::Plain)?,
            }
        }
        let row = row + 1;
        self.out
            .string(row, 1, "Điều chỉnh theo tỷ lệ tối đa", Style::Bold)?;
        for (k, u) in self.board.units.iter().enumerate() {
            let Some(bd) = &u.band else {
                continue;
            };
            let mut notes: Vec<String> = bd
                .quotas
                .iter()
                .map(|q| {
                    format!(
                        "đạt mức {}, hạng {}: vượt tỷ lệ tối đa {}% ({} trong {} đơn vị được xếp hạng) → {}",
                        q.band_name,
                        q.rank,
                        n(q.quota_pct),
                        q.allowed,
                        q.ranked,
                        q.to_band_name
                    )
                })
                .collect();
            if bd.tie_at_cutoff {
                notes.push(match &bd.cutoff_decision {
                    Some(d) if d.kept => format!(
                        "bằng điểm tại ngưỡng tỷ lệ: cụm trưởng quyết định giữ ở {} (sổ ghi số {})",
                        d.band_name, d.decision
                    ),
                    Some(d) => format!(
                        "bằng điểm tại ngưỡng tỷ lệ: cụm trưởng quyết định giữ đơn vị khác (sổ ghi số {})",
                        d.decision
                    ),
                    None => "bằng điểm tại ngưỡng tỷ lệ: cụm trưởng quyết định".into(),
                });
            }
            let text = if notes.is_empty() {
                "không".to_owned()
            } else {
                notes.join("; ")
            };
            self.out.string(row, pcol(k), text, Style::Wrap)?;
        }
        let row = row + 1;
        self.out.string(
            row,
            1,
            "Xếp loại theo mức điểm, TRƯỚC KHI áp dụng tỷ lệ tối đa (công thức để đối chiếu, không phải xếp loại chính thức)",
            Style::Plain,
        )?;
        for k in 0..self.board.units.len() {
            let t = cell(total_row, pcol(k));
            let mut f = format!(
                "\"{}\"",
                reg.bands
                    .last()
                    .map(|b| b.name.replace('"', "'"))
                    .unwrap_or_default()
            );
            for band in reg.bands.iter().rev().skip(1) {
                if let Some(m) = band.min {
                    f = format!("IF({t}>={},\"{}\",{f})", n(m), band.name.replace('"', "'"));
                }
            }
            let by_score = self.board.units[k].band.as_ref().and_then(|bd| {
                reg.bands
                    .iter()
                    .find(|x| x.id == bd.by_score)
                    .map(|x| x.name.replace('"', "'"))
            });
            let c = by_score.clone().unwrap_or_else(|| "#N/A".into());
            self.formula(row, pcol(k), f, c)?;
        }
        Ok(())
    }
}

/// The capped sum of bonus (`kind = 0`) or penalty items for unit column `k`.
fn item_sum(
    reg: &CompiledRegulation,
    kind: usize,
    groups: &[(Option<usize>, Vec<u32>)],
    k: usize,
    cap: Option<Decimal>,
) -> String {
    let mut parts = Vec::new();
    for (area, rows) in groups {
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
    let f = if parts.is_empty() {
        "0".to_string()
    } else {
        parts.join("+")
    };
    match cap {
        Some(c) => format!("MIN({},{f})", n(c)),
        None => f,
    }
}

/// The figures sheet's head: one row per figure a formula uses (unit, element, period, the
/// value as a formula over its inputs, the inputs, the source).
fn fig_header(w: &mut Writer) -> Result<(), String> {
    for (i, h) in ["Đơn vị", "Mã số liệu", "Kỳ", "Giá trị"].iter().enumerate() {
        w.put(0, i as u16, Cell::Str(h.to_string(), Style::Bold))?;
    }
    for m in 0..12u16 {
        w.put(0, 4 + m, Cell::Str(format!("Cột {}", m + 1), Style::Bold))?;
    }
    let note = "Nguồn / ghi chú (trống: cộng theo tháng)".to_string();
    w.put(0, 16, Cell::Str(note, Style::Bold))
}

fn fig_row(w: &mut Writer, reg: &CompiledRegulation, fr: FigRow) -> Result<(), String> {
    let r = fr.row;
    w.put(r, 0, Cell::Str(fr.unit, Style::Plain))?;
    let id = reg.ast.elements[fr.element].id.clone();
    w.put(r, 1, Cell::Str(id, Style::Plain))?;
    w.put(r, 2, Cell::Str(fr.window.to_string(), Style::Plain))?;
    let c = cached_opt(fr.value.as_ref());
    w.put(r, 3, Cell::Formula(fr.formula, c, Style::Plain))?;
    for (i, v) in fr.inputs.iter().enumerate() {
        let cell = match v {
            Some(v) => Cell::Num(v.to_f64()),
            None => Cell::Str("không áp dụng".into(), Style::Plain),
        };
        w.put(r, 4 + i as u16, cell)?;
    }
    if !fr.note.is_empty() {
        w.put(r, 16, Cell::Str(fr.note, Style::Plain))?;
    }
    Ok(())
}

/// Stands for the value cell in a formula built once for every unit.
const VREF: &str = "\u{1}";

/// A formula built once for every unit with the value cell (row, col) in place of [`VREF`].
fn fill(template: &str, row: u32, col: u16) -> String {
    let mut at = String::with_capacity(12);
    cell_into(&mut at, row, col);
    let mut o = String::with_capacity(template.len() + 4 * at.len());
    let mut parts = template.split(VREF);
    o.push_str(parts.next().unwrap_or_default());
    for p in parts {
        o.push_str(&at);
        o.push_str(p);
    }
    o
}

/// Legend sheet name.
pub const LEGEND_SHEET: &str = "Danh mục";

/// The legend: what each element is, and when each period used runs.
fn write_legend(
    reg: &CompiledRegulation,
    mut periods: Vec<Window>,
    fs: &mut Worksheet,
    f: &Formats,
) -> Result<(), String> {
    let (c0, mut row) = (0u16, 0u32);
    for (i, h) in ["Mã số liệu", "Tên", "Đơn vị tính", "Cách tổng hợp"]
        .iter()
        .enumerate()
    {
        fs.write_string_with_format(row, c0 + i as u16, *h, &f.bold)
            .map_err(xe)?;
    }
    for el in &reg.ast.elements {
        row += 1;
        fs.write_string(row, c0, &el.id).map_err(xe)?;
        fs.write_string(row, c0 + 1, &el.name).map_err(xe)?;
        fs.write_string(row, c0 + 2, el.unit.as_deref().unwrap_or(""))
            .map_err(xe)?;
        fs.write_string(row, c0 + 3, el.aggregate.name())
            .map_err(xe)?;
    }
    row += 2;
    for (i, h) in ["Kỳ", "Từ ngày", "Đến ngày"].iter().enumerate() {
        fs.write_string_with_format(row, c0 + i as u16, *h, &f.bold)
            .map_err(xe)?;
    }
    periods.sort();
    for w in periods {
        row += 1;
        let (from, to) = w.dates();
        fs.write_string(row, c0, w.to_string()).map_err(xe)?;
        fs.write_string(row, c0 + 1, from.format("%d/%m/%Y").to_string())
            .map_err(xe)?;
        fs.write_string(row, c0 + 2, to.format("%d/%m/%Y").to_string())
            .map_err(xe)?;
    }
    fs.set_column_width(c0 + 1, 40).map_err(xe)?;
    Ok(())
}
