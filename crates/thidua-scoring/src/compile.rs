//! Validation and compilation: resolves names, checks types, cycles, points and bands (each
//! problem with line, column and a stable code), and produces the [`CompiledRegulation`] the
//! engine evaluates many times.
use crate::ast::*;
use crate::diag::{Diagnostics, Sink};
use crate::exact::Exact;
use crate::num::vi;
use crate::syntax::{expr::print_expr, parse, print};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A resolved expression.
#[derive(Debug, Clone)]
pub(crate) enum CExpr {
    Num(Exact),
    Bool(bool),
    Elem(usize, Option<Selector>),
    Ind(usize, Option<Selector>),
    Unary(UnOp, Box<CExpr>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Call(Func, Vec<CExpr>),
    /// Points earned by a node (index into the pre-order nodes once compiled).
    Points(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Num,
    Bool,
}

#[derive(Debug, Clone)]
#[allow(dead_code)]
pub(crate) struct CIndicator {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub expr: CExpr,
    pub text: String,
    pub on_zero_division: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Area {
        bonus_cap: Option<Decimal>,
        penalty_cap: Option<Decimal>,
    },
    Children,
    Manual,
    Met {
        when: CExpr,
        text: String,
        otherwise: Decimal,
    },
    Scaled {
        value: CExpr,
        text: String,
        scale: Scale,
        cscale: CScale,
    },
}

/// A scale with its parameters as exact numbers (what the engine evaluates).
#[derive(Debug, Clone)]
pub(crate) enum CScale {
    Linear {
        from: Exact,
        to: Exact,
        min_points: Exact,
    },
    Steps {
        steps: Vec<(Cmp, Exact, Exact)>,
        otherwise: Exact,
    },
    Short {
        cmp: Cmp,
        target: Exact,
        per: Exact,
        floor: Exact,
    },
    Above {
        cmp: Cmp,
        target: Exact,
        per: Exact,
        cap: Exact,
        otherwise: Exact,
    },
    Range {
        low: Exact,
        high: Exact,
        per: Option<Exact>,
        floor: Exact,
        otherwise: Exact,
    },
    Formula,
}

impl CScale {
    pub(crate) fn of(s: &Scale) -> CScale {
        let x = |d: &Decimal| Exact::from(*d);
        match s {
            Scale::Linear {
                from,
                to,
                min_points,
            } => CScale::Linear {
                from: x(from),
                to: x(to),
                min_points: x(min_points),
            },
            Scale::Steps { steps, otherwise } => CScale::Steps {
                steps: steps
                    .iter()
                    .map(|st| (st.cmp, x(&st.bound), x(&st.points)))
                    .collect(),
                otherwise: x(otherwise),
            },
            Scale::Short {
                target,
                better,
                strict,
                per,
                floor,
            } => CScale::Short {
                cmp: Cmp::of(*better, *strict),
                target: x(target),
                per: x(per),
                floor: x(floor),
            },
            Scale::Above {
                target,
                better,
                strict,
                per,
                cap,
                otherwise,
            } => CScale::Above {
                cmp: Cmp::of(*better, *strict),
                target: x(target),
                per: x(per),
                cap: x(cap),
                otherwise: x(otherwise),
            },
            Scale::Range {
                low,
                high,
                per,
                floor,
                otherwise,
            } => CScale::Range {
                low: x(low),
                high: x(high),
                per: per.as_ref().map(x),
                floor: x(floor),
                otherwise: x(otherwise),
            },
            Scale::Formula => CScale::Formula,
        }
    }
}

/// An area or criterion in pre-order.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub points: Decimal,
    /// `points` as an exact number.
    pub max: Exact,
    pub children: Vec<usize>,
    pub kind: NodeKind,
    pub on_error: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(crate) struct CItem {
    pub id: String,
    pub name: String,
    pub area: Option<usize>,
    pub value: CExpr,
    pub text: String,
    pub per: Decimal,
    pub cap: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(crate) enum TieKey {
    Node(usize),
    Bonus,
    Penalty,
}

/// A validated regulation, ready to evaluate many units and periods.
#[derive(Debug, Clone)]
pub struct CompiledRegulation {
    pub(crate) ast: Regulation,
    pub(crate) canonical: String,
    pub(crate) hash: [u8; 32],
    pub(crate) indicators: Vec<CIndicator>,
    /// Pre-order: each area followed by its criteria tree.
    pub(crate) nodes: Vec<Node>,
    pub(crate) areas: Vec<usize>,
    pub(crate) bonuses: Vec<CItem>,
    pub(crate) penalties: Vec<CItem>,
    /// Sorted from the highest band down.
    pub(crate) bands: Vec<Band>,
    pub(crate) tie_break: Vec<TieKey>,
    /// Shared ids and names for results (threads make their own copies).
    pub(crate) names: crate::engine::Names,
}

impl CompiledRegulation {
    /// The syntax tree.
    pub fn ast(&self) -> &Regulation {
        &self.ast
    }
    /// The canonical text (what the covenant stores).
    pub fn canonical_text(&self) -> &str {
        &self.canonical
    }
    /// SHA-256 of the canonical text.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }
    /// Hex of [`Self::hash`].
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }
    /// Number of criteria (not counting areas).
    pub fn criteria_count(&self) -> usize {
        self.ast.criteria.len()
    }
    /// Ids of the criteria to be scored by judgement, with their maximum.
    pub fn manual_criteria(&self) -> Vec<(&str, Decimal)> {
        self.nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Manual))
            .map(|n| (n.id.as_str(), n.points))
            .collect()
    }
    /// Ids of the data elements.
    pub fn element_ids(&self) -> Vec<&str> {
        self.ast.elements.iter().map(|e| e.id.as_str()).collect()
    }
    /// What the criterion, bonus or penalty `id` measures, in plain words of `lang` (names in
    /// «»): a `met` criterion's condition, a scaled criterion's value, an item's value; `None`
    /// for other kinds and unknown ids. The words of the engine's explanations.
    pub fn measure_words(&self, id: &str, lang: crate::render::Language) -> Option<String> {
        let expr = match self.nodes.iter().find(|n| n.id == id).map(|n| &n.kind) {
            Some(NodeKind::Met { when, .. }) => when,
            Some(NodeKind::Scaled { value, .. }) => value,
            Some(_) => return None,
            None => {
                let item = self
                    .bonuses
                    .iter()
                    .chain(&self.penalties)
                    .find(|i| i.id == id)?;
                &item.value
            }
        };
        let vi = crate::words::expr_vi(expr, self);
        Some(crate::render::in_language(&vi, lang))
    }
}

/// What a bonus or penalty counts, for saying it in words: a number of things (each earns its
/// points) or a condition (`if C then 1 else 0`, written to earn its points once when `C`
/// holds), so that a page says "1 điểm khi …" rather than "1 điểm cho mỗi nếu …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemMeasure {
    /// The expression counted, in words.
    Count(String),
    /// The condition, in words.
    When(String),
}

impl CompiledRegulation {
    /// What bonus or penalty `id` counts ([`ItemMeasure`]), in `lang`; `None` for no such item.
    pub fn item_measure(&self, id: &str, lang: crate::render::Language) -> Option<ItemMeasure> {
        let item = self
            .bonuses
            .iter()
            .chain(&self.penalties)
            .find(|i| i.id == id)?;
        let words = |e: &CExpr| crate::render::in_language(&crate::words::expr_vi(e, self), lang);
        let one = Exact::from(1i64);
        Some(match &item.value {
            CExpr::If(c, a, b) if matches!((&**a, &**b), (CExpr::Num(x), CExpr::Num(y)) if *x == one && y.is_zero()) => {
                ItemMeasure::When(words(c))
            }
            other => ItemMeasure::Count(words(other)),
        })
    }
}

/// Parses, validates and compiles a regulation text.
pub fn compile(text: &str) -> Result<CompiledRegulation, Diagnostics> {
    let text = parse::normalise(text);
    let ast = parse::parse(&text)?;
    let mut sink = Sink::new(&text);
    let compiled = Checker::new(&ast, &mut sink).run();
    sink.finish()?;
    let compiled = compiled.ok_or_else(|| Diagnostics(vec![]))?;
    let canonical = print::print(&ast);
    let hash: [u8; 32] = Sha256::digest(canonical.as_bytes()).into();
    let mut compiled = CompiledRegulation {
        ast,
        canonical,
        hash,
        ..compiled
    };
    compiled.names = compiled.names();
    Ok(compiled)
}

/// The canonical form: normalised (NFC), stable formatting, comments dropped.
pub fn canonical_form(text: &str) -> Result<String, Diagnostics> {
    compile(text).map(|c| c.canonical)
}

/// SHA-256 of [`canonical_form`].
pub fn canonical_hash(text: &str) -> Result<[u8; 32], Diagnostics> {
    compile(text).map(|c| c.hash)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sym {
    Element(usize),
    Indicator(usize),
    Area(usize),
    Criterion(usize),
    Item,
    Band,
    Funnel,
    Rule,
}

struct Checker<'a, 's, 't> {
    ast: &'a Regulation,
    sink: &'s mut Sink<'t>,
    syms: HashMap<&'a str, Sym>,
    /// `points(ID)` is allowed (bonus and penalty values, evaluated after all criteria).
    allow_points: bool,
    /// Evaluation depth of each indicator (its tree and the indicators it uses).
    ind_depth: Vec<usize>,
}

/// The indicators once resolved and typed.
struct Indicators {
    /// Each indicator's expression; `None` when it did not resolve.
    exprs: Vec<Option<CExpr>>,
    /// Each indicator's type; `None` when unknown (an error was reported).
    ty: Vec<Option<Ty>>,
}

/// What the checks build, assembled into a [`CompiledRegulation`] when there is no error.
struct Parts {
    ind_exprs: Vec<Option<CExpr>>,
    /// Children of each node (areas first, then criteria), in declaration order.
    children: Vec<Vec<usize>>,
    kinds: Vec<Option<NodeKind>>,
    /// Bonus items, then penalty items.
    items: [Vec<CItem>; 2],
    bands: Vec<Band>,
    tie_break: Vec<TieKey>,
}

/// A scale being checked: where it is, and its criterion's id and standard points.
#[derive(Clone, Copy)]
struct ScaleOf<'i> {
    pos: usize,
    id: &'i str,
    points: Decimal,
}

impl ScaleOf<'_> {
    /// Whether `x` lies within `0..=points`.
    fn within(&self, x: Decimal) -> bool {
        x >= Decimal::ZERO && x <= self.points
    }
}

/// Whether steps go from the best level down with non-increasing points; a stricter step may
/// share its bound with the next inclusive one (`above = 90` then `at_least = 90`).
fn steps_ordered(steps: &[StepBand], higher: bool) -> bool {
    steps.windows(2).all(|w| {
        let before = if higher {
            w[0].bound > w[1].bound
        } else {
            w[0].bound < w[1].bound
        };
        let same = w[0].bound == w[1].bound && w[0].cmp.strict() && !w[1].cmp.strict();
        (before || same) && w[0].points >= w[1].points
    })
}

/// The longest chain of indicators using indicators.
const MAX_CHAIN: usize = 32;
/// The deepest evaluation (expression trees through the indicators they use).
const MAX_EVAL_DEPTH: usize = 200;
/// How many criteria may nest one in another under an area (a criterion, its sub-criteria,
/// theirs …): scoring tables have three or four levels. The bound keeps checking the tree
/// linear in the number of criteria (each walks at most this far up its parents).
pub const MAX_NESTING: usize = 16;

/// Where a criterion's chain of parents goes.
enum Chain {
    /// At an area (or a parent reported unknown elsewhere).
    Ends,
    /// Back to the criterion: the chain, from it.
    Cycle(Vec<usize>),
    /// Further than [`MAX_NESTING`] criteria.
    TooDeep,
}

/// Evaluation depth of an expression: its tree, entering each indicator it uses.
fn eval_depth(e: &CExpr, ind: &[usize]) -> usize {
    1 + match e {
        CExpr::Num(_) | CExpr::Bool(_) | CExpr::Elem(..) | CExpr::Points(_) => 0,
        CExpr::Ind(i, _) => ind.get(*i).copied().unwrap_or(0),
        CExpr::Unary(_, x) => eval_depth(x, ind),
        CExpr::Binary(_, a, b) => eval_depth(a, ind).max(eval_depth(b, ind)),
        CExpr::If(c, a, b) => eval_depth(c, ind)
            .max(eval_depth(a, ind))
            .max(eval_depth(b, ind)),
        CExpr::Call(_, args) => args.iter().map(|a| eval_depth(a, ind)).max().unwrap_or(0),
    }
}

fn sum(mut xs: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    xs.try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
}

impl<'a, 's, 't> Checker<'a, 's, 't> {
    fn new(ast: &'a Regulation, sink: &'s mut Sink<'t>) -> Self {
        Checker {
            ast,
            sink,
            syms: HashMap::new(),
            allow_points: false,
            ind_depth: Vec::new(),
        }
    }

    fn err(&mut self, off: usize, code: &'static str, vi: String, en: String) {
        self.sink.err(off, code, vi, en);
    }

    fn declare(&mut self, id: &'a str, pos: usize, s: Sym) {
        if self.syms.contains_key(id) {
            self.err(
                pos,
                "duplicate_id",
                format!("mã `{id}` đã được khai báo"),
                format!("id `{id}` is declared twice"),
            );
        } else {
            self.syms.insert(id, s);
        }
    }

    fn run(mut self) -> Option<CompiledRegulation> {
        self.declare_all();
        self.check_header();
        let indicators = self.check_indicators();
        let (children, parent_ok) = self.attach_criteria();
        let parent_cycle = self.check_parent_cycles(&parent_ok);
        let kinds = self.node_kinds(&children, &indicators.ty);
        self.check_points(&children);
        let items = self.compile_items(&indicators.ty);
        let bands = self.check_bands();
        self.check_funnels();
        self.check_rules();
        let tie_break = self.tie_break_keys();
        if !self.sink.diags.is_empty() || parent_cycle {
            return None;
        }
        self.assemble(Parts {
            ind_exprs: indicators.exprs,
            children,
            kinds,
            items,
            bands,
            tie_break,
        })
    }

    /// Declares every id of the regulation, reporting the ones declared twice.
    fn declare_all(&mut self) {
        let ast = self.ast;
        for (i, e) in ast.elements.iter().enumerate() {
            self.declare(&e.id, e.pos, Sym::Element(i));
        }
        for (i, e) in ast.indicators.iter().enumerate() {
            self.declare(&e.id, e.pos, Sym::Indicator(i));
        }
        for (i, e) in ast.areas.iter().enumerate() {
            self.declare(&e.id, e.pos, Sym::Area(i));
        }
        for (i, e) in ast.criteria.iter().enumerate() {
            self.declare(&e.id, e.pos, Sym::Criterion(i));
        }
        for e in ast.bonuses.iter().chain(&ast.penalties) {
            self.declare(&e.id, e.pos, Sym::Item);
        }
        for e in &ast.bands {
            self.declare(&e.id, e.pos, Sym::Band);
        }
        for f in &ast.funnels {
            self.declare(&f.id, f.pos, Sym::Funnel);
        }
        for r in &ast.rules {
            self.declare(&r.id, r.pos, Sym::Rule);
        }
    }

    /// The default period lies in the regulation's year, the elements' domains are sound, and
    /// there is at least one area and one band.
    fn check_header(&mut self) {
        let ast = self.ast;
        if ast.period.year != ast.year {
            self.err(
                ast.period_pos,
                "invalid_value",
                format!(
                    "kỳ mặc định {} không thuộc năm {} của quy định",
                    ast.period, ast.year
                ),
                format!(
                    "default period {} is not in the regulation's year {}",
                    ast.period, ast.year
                ),
            );
        }
        for e in &ast.elements {
            self.check_domain(e);
        }
        if ast.areas.is_empty() || ast.bands.is_empty() {
            self.err(
                0,
                "empty",
                "quy định cần ít nhất một [[area]] và một [[band]]".into(),
                "a regulation needs at least one [[area]] and one [[band]]".into(),
            );
        }
    }

    /// Resolves every indicator, then types them and reports dependency cycles and depth limits.
    fn check_indicators(&mut self) -> Indicators {
        let ast = self.ast;
        let exprs: Vec<Option<CExpr>> = ast
            .indicators
            .iter()
            .map(|i| self.resolve(&i.expr))
            .collect();
        let mut ty: Vec<Option<Ty>> = vec![None; ast.indicators.len()];
        let mut state = vec![0u8; ast.indicators.len()];
        self.ind_depth = vec![0; ast.indicators.len()];
        for i in 0..ast.indicators.len() {
            self.visit_ind(i, &exprs, &mut ty, &mut state, &mut Vec::new());
        }
        Indicators { exprs, ty }
    }

    /// The node index of an area or criterion (areas first, then criteria).
    fn node_of(&self, s: Sym) -> Option<usize> {
        match s {
            Sym::Area(i) => Some(i),
            Sym::Criterion(i) => Some(self.ast.areas.len() + i),
            _ => None,
        }
    }

    /// Builds each node's children from the criteria's `parent`, reporting unknown parents;
    /// also returns, for each criterion, whether its parent is known.
    fn attach_criteria(&mut self) -> (Vec<Vec<usize>>, Vec<bool>) {
        let ast = self.ast;
        let mut children: Vec<Vec<usize>> = vec![vec![]; ast.areas.len() + ast.criteria.len()];
        let mut parent_ok = vec![false; ast.criteria.len()];
        for (i, c) in ast.criteria.iter().enumerate() {
            match self
                .syms
                .get(c.parent.as_str())
                .and_then(|s| self.node_of(*s))
            {
                Some(p) => {
                    children[p].push(ast.areas.len() + i);
                    parent_ok[i] = true;
                }
                None => self.err(
                    c.parent_pos,
                    "unknown_name",
                    format!(
                        "`parent` = `{}` không phải một lĩnh vực hay tiêu chí đã khai báo",
                        c.parent
                    ),
                    format!(
                        "`parent` = `{}` is not a declared area or criterion",
                        c.parent
                    ),
                ),
            }
        }
        (children, parent_ok)
    }

    /// Reports each criterion whose parents lead back to itself, or that nests deeper than
    /// [`MAX_NESTING`]; whether there is any (the tree cannot be built then).
    fn check_parent_cycles(&mut self, parent_ok: &[bool]) -> bool {
        let ast = self.ast;
        let mut any = false;
        for (i, c) in ast.criteria.iter().enumerate() {
            let (vi, en, code) = match self.parent_chain(i, parent_ok) {
                Chain::Ends => continue,
                Chain::Cycle(seen) => {
                    let path: Vec<&str> =
                        seen.iter().map(|k| ast.criteria[*k].id.as_str()).collect();
                    let path = path.join(" → ");
                    (
                        format!("tiêu chí lồng vòng: {path} → {}", c.id),
                        format!("criteria nest in a cycle: {path} → {}", c.id),
                        "cycle",
                    )
                }
                Chain::TooDeep => (
                    format!("tiêu chí `{}` nằm quá sâu trong các tiêu chí cha (tối đa {MAX_NESTING} tầng)", c.id),
                    format!("criterion `{}` is nested too deeply in its parents (at most {MAX_NESTING} levels)", c.id),
                    "expr_limit",
                ),
            };
            any = true;
            self.err(c.pos, code, vi, en);
        }
        any
    }

    /// Where the chain of criteria from `i` up its parents goes, walking at most
    /// [`MAX_NESTING`] criteria.
    fn parent_chain(&self, i: usize, parent_ok: &[bool]) -> Chain {
        let mut seen = vec![i];
        let mut cur = i;
        while parent_ok[cur] {
            match self.syms.get(self.ast.criteria[cur].parent.as_str()) {
                Some(Sym::Criterion(p)) if *p == i => return Chain::Cycle(seen),
                Some(Sym::Criterion(_)) if seen.len() >= MAX_NESTING => return Chain::TooDeep,
                Some(Sym::Criterion(p)) if !seen.contains(p) => {
                    seen.push(*p);
                    cur = *p;
                }
                _ => return Chain::Ends,
            }
        }
        Chain::Ends
    }

    /// The kind of every node: the areas, then each criterion's body.
    fn node_kinds(
        &mut self,
        children: &[Vec<usize>],
        ind_ty: &[Option<Ty>],
    ) -> Vec<Option<NodeKind>> {
        let ast = self.ast;
        let mut kinds: Vec<Option<NodeKind>> = ast
            .areas
            .iter()
            .map(|a| {
                Some(NodeKind::Area {
                    bonus_cap: a.bonus_cap,
                    penalty_cap: a.penalty_cap,
                })
            })
            .collect();
        for (i, c) in ast.criteria.iter().enumerate() {
            let has_children = !children[ast.areas.len() + i].is_empty();
            let kind = self.criterion_kind(c, has_children, ind_ty);
            kinds.push(kind);
        }
        kinds
    }

    /// A criterion's kind; either it has sub-items or it scores itself, never both or neither.
    fn criterion_kind(
        &mut self,
        c: &Criterion,
        has_children: bool,
        ind_ty: &[Option<Ty>],
    ) -> Option<NodeKind> {
        if matches!(c.body, Body::Children) {
            if !has_children {
                self.err(
                    c.pos,
                    "criterion_shape",
                    format!("tiêu chí `{}` không có tiểu mục, không chấm thủ công, không có `value`/`when`", c.id),
                    format!("criterion `{}` has no sub-items, is not manual and has no `value`/`when`", c.id),
                );
            }
            return Some(NodeKind::Children);
        }
        if has_children {
            self.err(
                c.pos,
                "criterion_shape",
                format!("tiêu chí `{}` có tiểu mục nên điểm là tổng các tiểu mục; bỏ cách chấm riêng", c.id),
                format!("criterion `{}` has sub-items, so its points are their sum; remove its own scoring", c.id),
            );
        }
        self.check_points_range(c.pos, &c.id, c.points);
        match &c.body {
            Body::Manual => Some(NodeKind::Manual),
            Body::Met { when, otherwise } => self.met_kind(c, when, *otherwise, ind_ty),
            Body::Scaled {
                value,
                scale,
                scale_pos,
            } => self.scaled_kind(c, value, scale, *scale_pos, ind_ty),
            Body::Children => None,
        }
    }

    /// A `met` criterion: its condition is yes/no and `otherwise` lies within its points.
    fn met_kind(
        &mut self,
        c: &Criterion,
        when: &ExprSrc,
        otherwise: Decimal,
        ind_ty: &[Option<Ty>],
    ) -> Option<NodeKind> {
        let e = self.resolve_typed(when, ind_ty, Ty::Bool, "when", false);
        if otherwise < Decimal::ZERO || otherwise > c.points {
            self.scale_err(
                c.pos,
                &c.id,
                "`otherwise` phải trong 0..điểm chuẩn",
                "`otherwise` must lie within 0..points",
            );
        }
        e.map(|e| NodeKind::Met {
            when: e,
            text: print_expr(&when.expr),
            otherwise,
        })
    }

    /// A scaled criterion: its value is a number and its scale fits its points.
    fn scaled_kind(
        &mut self,
        c: &Criterion,
        value: &ExprSrc,
        scale: &Scale,
        scale_pos: usize,
        ind_ty: &[Option<Ty>],
    ) -> Option<NodeKind> {
        let e = self.resolve_typed(value, ind_ty, Ty::Num, "value", false);
        self.check_scale(scale_pos, &c.id, c.points, scale);
        e.map(|e| NodeKind::Scaled {
            value: e,
            text: print_expr(&value.expr),
            scale: scale.clone(),
            cscale: CScale::of(scale),
        })
    }

    /// Resolves an expression (`points(ID)` allowed when `allow_points`), checks its
    /// evaluation depth and that its type is `want`.
    fn resolve_typed(
        &mut self,
        src: &ExprSrc,
        ind_ty: &[Option<Ty>],
        want: Ty,
        key: &str,
        allow_points: bool,
    ) -> Option<CExpr> {
        self.allow_points = allow_points;
        let e = self.resolve(src);
        self.allow_points = false;
        if let Some(x) = &e {
            self.check_eval_depth(x, src.pos);
        }
        self.expect_ty(e.as_ref(), ind_ty, want, src.pos, key);
        e
    }

    /// Standard points of a node (areas first, then criteria).
    fn node_points(&self, n: usize) -> Decimal {
        let ast = self.ast;
        if n < ast.areas.len() {
            ast.areas[n].points
        } else {
            ast.criteria[n - ast.areas.len()].points
        }
    }

    /// Id and position of a node (areas first, then criteria).
    fn node_id_pos(&self, n: usize) -> (&'a str, usize) {
        let ast = self.ast;
        if n < ast.areas.len() {
            (&ast.areas[n].id, ast.areas[n].pos)
        } else {
            let c = &ast.criteria[n - ast.areas.len()];
            (&c.id, c.pos)
        }
    }

    /// Points add up: sub-items to their parent, areas to the declared total; every area has
    /// criteria.
    fn check_points(&mut self, children: &[Vec<usize>]) {
        self.check_sub_item_points(children);
        let ast = self.ast;
        for (n, a) in ast.areas.iter().enumerate() {
            if children[n].is_empty() {
                self.err(
                    a.pos,
                    "criterion_shape",
                    format!("lĩnh vực `{}` chưa có tiêu chí nào", a.id),
                    format!("area `{}` has no criteria", a.id),
                );
            }
        }
        self.check_total_points();
    }

    /// Each node with sub-items has exactly the sum of their standard points.
    fn check_sub_item_points(&mut self, children: &[Vec<usize>]) {
        for (n, ch) in children.iter().enumerate() {
            if ch.is_empty() {
                continue;
            }
            let s = sum(ch.iter().map(|c| self.node_points(*c)));
            let points = self.node_points(n);
            if s != Some(points) {
                let (id, pos) = self.node_id_pos(n);
                let s = s.map(vi).unwrap_or_else(|| "?".into());
                self.err(
                    pos,
                    "points_sum",
                    format!(
                        "điểm chuẩn của `{id}` là {} nhưng các mục con cộng lại {s}",
                        vi(points)
                    ),
                    format!(
                        "`{id}` has {} standard points but its sub-items add up to {s}",
                        crate::num::canonical(points)
                    ),
                );
            }
        }
    }

    /// The areas' points add up to the declared total.
    fn check_total_points(&mut self) {
        let ast = self.ast;
        let total = sum(ast.areas.iter().map(|a| a.points));
        if !ast.areas.is_empty() && total != Some(ast.total) {
            let s = total.map(vi).unwrap_or_else(|| "?".into());
            self.err(
                ast.total_pos,
                "points_sum",
                format!(
                    "tổng điểm khai báo {} nhưng các lĩnh vực cộng lại {s}",
                    vi(ast.total)
                ),
                format!(
                    "declared total {} but the areas add up to {s}",
                    crate::num::canonical(ast.total)
                ),
            );
        }
    }

    /// Compiles the bonus items, then the penalty items.
    fn compile_items(&mut self, ind_ty: &[Option<Ty>]) -> [Vec<CItem>; 2] {
        let ast = self.ast;
        let bonuses = ast
            .bonuses
            .iter()
            .filter_map(|it| self.compile_item(it, ind_ty))
            .collect();
        let penalties = ast
            .penalties
            .iter()
            .filter_map(|it| self.compile_item(it, ind_ty))
            .collect();
        [bonuses, penalties]
    }

    /// A bonus or penalty item: its value is a number (it may use `points(ID)`), its `area` is
    /// declared, and `per` and `cap` are not negative.
    fn compile_item(&mut self, it: &Item, ind_ty: &[Option<Ty>]) -> Option<CItem> {
        let e = self.resolve_typed(&it.value, ind_ty, Ty::Num, "value", true);
        let area = match &it.area {
            None => None,
            Some((a, off)) => self.item_area(a, *off),
        };
        if it.per < Decimal::ZERO || it.cap.is_some_and(|c| c < Decimal::ZERO) {
            self.err(
                it.pos,
                "invalid_value",
                format!("`{}`: `per` và `cap` không được âm", it.id),
                format!("`{}`: `per` and `cap` must not be negative", it.id),
            );
        }
        Some(CItem {
            id: it.id.clone(),
            name: it.name.clone(),
            area,
            value: e?,
            text: print_expr(&it.value.expr),
            per: it.per,
            cap: it.cap,
        })
    }

    /// The area an item names, reported when it is not a declared area.
    fn item_area(&mut self, a: &str, off: usize) -> Option<usize> {
        match self.syms.get(a) {
            Some(Sym::Area(i)) => Some(*i),
            _ => {
                self.err(
                    off,
                    "unknown_name",
                    format!("`area` = `{a}` không phải lĩnh vực đã khai báo"),
                    format!("`area` = `{a}` is not a declared area"),
                );
                None
            }
        }
    }

    /// The tie-break keys: areas, criteria, "bonus" or "penalty".
    fn tie_break_keys(&mut self) -> Vec<TieKey> {
        let ast = self.ast;
        let mut keys = Vec::new();
        for (t, off) in &ast.tie_break {
            let node = self.syms.get(t.as_str()).and_then(|s| self.node_of(*s));
            match (t.as_str(), node) {
                ("bonus", _) => keys.push(TieKey::Bonus),
                ("penalty", _) => keys.push(TieKey::Penalty),
                (_, Some(n)) => keys.push(TieKey::Node(n)),
                _ => self.err(
                    *off,
                    "unknown_name",
                    format!("`tie_break`: `{t}` không phải lĩnh vực, tiêu chí, \"bonus\" hay \"penalty\""),
                    format!("`tie_break`: `{t}` is not an area, a criterion, \"bonus\" or \"penalty\""),
                ),
            }
        }
        keys
    }

    /// The compiled regulation: nodes in pre-order, every node index remapped to that order.
    fn assemble(&self, parts: Parts) -> Option<CompiledRegulation> {
        let ast = self.ast;
        let Parts {
            ind_exprs,
            children,
            kinds,
            items,
            bands,
            mut tie_break,
        } = parts;
        let order = self.pre_order(&children);
        let mut new_idx = vec![usize::MAX; children.len()];
        for (i, (n, _)) in order.iter().enumerate() {
            new_idx[*n] = i;
        }
        let nodes = order
            .iter()
            .map(|(n, d)| {
                let kind = kinds[*n].clone()?;
                Some(self.node(*n, *d, &children[*n], kind, &new_idx))
            })
            .collect::<Option<Vec<_>>>()?;
        let areas = (0..ast.areas.len()).map(|a| new_idx[a]).collect();
        for t in &mut tie_break {
            if let TieKey::Node(n) = t {
                *n = new_idx[*n];
            }
        }
        let [bonuses, penalties] = items.map(|list| remap_items(list, &new_idx));
        Some(CompiledRegulation {
            ast: ast.clone(),
            canonical: String::new(),
            hash: [0; 32],
            indicators: self.compiled_indicators(ind_exprs)?,
            nodes,
            areas,
            bonuses,
            penalties,
            bands,
            tie_break,
            names: Default::default(),
        })
    }

    /// The nodes in pre-order (each area followed by its criteria tree), with their depth.
    fn pre_order(&self, children: &[Vec<usize>]) -> Vec<(usize, usize)> {
        let mut order = Vec::new();
        let mut stack: Vec<(usize, usize)> =
            (0..self.ast.areas.len()).rev().map(|a| (a, 0)).collect();
        while let Some((n, d)) = stack.pop() {
            order.push((n, d));
            for c in children[n].iter().rev() {
                stack.push((*c, d + 1));
            }
        }
        order
    }

    /// Node `n` at `depth`, its children renumbered by `new_idx`.
    fn node(
        &self,
        n: usize,
        depth: usize,
        children: &[usize],
        kind: NodeKind,
        new_idx: &[usize],
    ) -> Node {
        let ast = self.ast;
        let (id, name, points, on_error) = if n < ast.areas.len() {
            let a = &ast.areas[n];
            (a.id.clone(), a.name.clone(), a.points, None)
        } else {
            let c = &ast.criteria[n - ast.areas.len()];
            (c.id.clone(), c.name.clone(), c.points, c.on_error)
        };
        Node {
            id,
            name,
            depth,
            points,
            children: children.iter().map(|c| new_idx[*c]).collect(),
            kind,
            on_error,
            max: Exact::from(points),
        }
    }

    /// The compiled indicators; `None` when one did not resolve.
    fn compiled_indicators(&self, exprs: Vec<Option<CExpr>>) -> Option<Vec<CIndicator>> {
        self.ast
            .indicators
            .iter()
            .zip(exprs)
            .map(|(i, e)| {
                Some(CIndicator {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    expr: e?,
                    text: print_expr(&i.expr.expr),
                    on_zero_division: i.on_zero_division,
                })
            })
            .collect()
    }

    /// A validation rule's check names data elements only (its full grammar is the domain's,
    /// compiled against the reporting form when the regulation is attached to a covenant).
    fn check_rules(&mut self) {
        let ast = self.ast;
        for r in &ast.rules {
            if r.check.trim().is_empty() {
                self.err(
                    r.check_pos,
                    "invalid_value",
                    format!("quy tắc `{}`: `check` trống", r.id),
                    format!("rule `{}`: `check` is empty", r.id),
                );
            }
            let words = r
                .check
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
            for w in words.filter(|w| !["and", "or", "not"].contains(w)) {
                if !matches!(self.syms.get(w), Some(Sym::Element(_))) {
                    self.err(
                        r.check_pos,
                        "unknown_name",
                        format!("quy tắc `{}`: `{w}` không phải số liệu đã khai báo", r.id),
                        format!("rule `{}`: `{w}` is not a declared element", r.id),
                    );
                }
            }
        }
    }

    /// A funnel names at least two distinct data elements and a positive threshold.
    fn check_funnels(&mut self) {
        let ast = self.ast;
        for f in &ast.funnels {
            if f.steps.len() < 2 {
                self.err(
                    f.pos,
                    "invalid_value",
                    format!("phễu `{}`: `steps` cần ít nhất hai số liệu", f.id),
                    format!("funnel `{}`: `steps` needs at least two elements", f.id),
                );
            }
            for (k, (s, off)) in f.steps.iter().enumerate() {
                if !matches!(self.syms.get(s.as_str()), Some(Sym::Element(_))) {
                    self.err(
                        *off,
                        "unknown_name",
                        format!("phễu `{}`: `{s}` không phải số liệu đã khai báo", f.id),
                        format!("funnel `{}`: `{s}` is not a declared element", f.id),
                    );
                } else if f.steps[..k].iter().any(|(p, _)| p == s) {
                    self.err(
                        *off,
                        "invalid_value",
                        format!("phễu `{}`: `{s}` được nêu hai lần", f.id),
                        format!("funnel `{}`: `{s}` is named twice", f.id),
                    );
                }
            }
            if f.threshold.is_some_and(|t| t <= Decimal::ZERO) {
                self.err(
                    f.pos,
                    "invalid_value",
                    format!("phễu `{}`: `threshold` phải lớn hơn 0", f.id),
                    format!("funnel `{}`: `threshold` must be greater than 0", f.id),
                );
            }
        }
    }

    /// An element's domain is consistent and holds its declared value for a missing figure.
    fn check_domain(&mut self, e: &Element) {
        if let (Some(lo), Some(hi)) = (e.min, e.max) {
            if lo > hi {
                self.err(
                    e.pos,
                    "invalid_value",
                    format!("số liệu `{}`: `min` phải nhỏ hơn hoặc bằng `max`", e.id),
                    format!("element `{}`: `min` must not exceed `max`", e.id),
                );
            }
        }
        if let Some((vi, en)) = e.missing.and_then(|m| outside_domain(e, &Exact::from(m))) {
            self.err(
                e.pos,
                "invalid_value",
                format!("`missing` của số liệu `{}`: {vi}", e.id),
                format!("`missing` of element `{}`: {en}", e.id),
            );
        }
    }

    fn check_points_range(&mut self, pos: usize, id: &str, p: Decimal) {
        if p < Decimal::ZERO {
            self.err(
                pos,
                "invalid_value",
                format!("điểm chuẩn của `{id}` không được âm"),
                format!("standard points of `{id}` must not be negative"),
            );
        }
    }

    fn scale_err(&mut self, pos: usize, id: &str, vi: &str, en: &str) {
        self.err(
            pos,
            "invalid_scale",
            format!("thang điểm của `{id}`: {vi}"),
            format!("scale of `{id}`: {en}"),
        );
    }

    /// Checks a scale's parameters against its criterion's points, one function per kind.
    fn check_scale(&mut self, pos: usize, id: &str, points: Decimal, s: &Scale) {
        let of = ScaleOf { pos, id, points };
        match s {
            Scale::Linear {
                from,
                to,
                min_points,
            } => self.check_linear(of, *from, *to, *min_points),
            Scale::Steps { steps, otherwise } => self.check_steps(of, steps, *otherwise),
            Scale::Short { per, floor, .. } => self.check_short(of, *per, *floor),
            Scale::Above {
                per,
                cap,
                otherwise,
                ..
            } => self.check_above(of, *per, *cap, *otherwise),
            Scale::Range {
                low,
                high,
                per,
                floor,
                otherwise,
            } => self.check_range(of, *low, *high, *per, *floor, *otherwise),
            Scale::Formula => {}
        }
    }

    /// `linear`: `from` and `to` differ and `min_points` lies within the points.
    fn check_linear(&mut self, of: ScaleOf, from: Decimal, to: Decimal, min_points: Decimal) {
        if from == to {
            self.scale_err(
                of.pos,
                of.id,
                "`from` và `to` phải khác nhau",
                "`from` and `to` must differ",
            );
        }
        if !of.within(min_points) {
            self.scale_err(
                of.pos,
                of.id,
                "`min_points` phải trong 0..điểm chuẩn",
                "`min_points` must lie within 0..points",
            );
        }
    }

    /// `steps`: at least one step, all going one way, best first with non-increasing points,
    /// every step's points and `otherwise` within the points, `otherwise` not above the lowest
    /// step.
    fn check_steps(&mut self, of: ScaleOf, steps: &[StepBand], otherwise: Decimal) {
        if steps.is_empty() {
            self.scale_err(
                of.pos,
                of.id,
                "cần ít nhất một bậc",
                "needs at least one step",
            );
            return;
        }
        let higher = steps[0].cmp.higher();
        if steps.iter().any(|s| s.cmp.higher() != higher) {
            self.scale_err(
                of.pos,
                of.id,
                "mọi bậc phải cùng chiều: `at_least`/`above` (cao hơn là tốt hơn) hoặc `at_most`/`below`",
                "all steps must go one way: `at_least`/`above` (higher is better) or `at_most`/`below`",
            );
        }
        if !steps_ordered(steps, higher) {
            self.scale_err(
                of.pos,
                of.id,
                "các bậc phải xếp từ mức tốt nhất xuống, điểm không tăng",
                "steps must go from the best level down, with non-increasing points",
            );
        }
        if !steps.iter().all(|s| of.within(s.points)) || !of.within(otherwise) {
            self.scale_err(
                of.pos,
                of.id,
                "điểm mỗi bậc phải trong 0..điểm chuẩn",
                "each step's points must lie within 0..points",
            );
        }
        if steps.last().is_some_and(|s| s.points < otherwise) {
            self.scale_err(
                of.pos,
                of.id,
                "`otherwise` không được cao hơn bậc thấp nhất",
                "`otherwise` must not exceed the lowest step",
            );
        }
    }

    /// `per_pct_short`: `per` is not negative and `floor` lies within the points.
    fn check_short(&mut self, of: ScaleOf, per: Decimal, floor: Decimal) {
        if per < Decimal::ZERO || !of.within(floor) {
            self.scale_err(
                of.pos,
                of.id,
                "`per` ≥ 0 và `floor` trong 0..điểm chuẩn",
                "`per` ≥ 0 and `floor` within 0..points",
            );
        }
    }

    /// `per_pct_above`: `per` and `cap` are not negative and `otherwise` lies within the points.
    fn check_above(&mut self, of: ScaleOf, per: Decimal, cap: Decimal, otherwise: Decimal) {
        if per < Decimal::ZERO || cap < Decimal::ZERO || !of.within(otherwise) {
            self.scale_err(
                of.pos,
                of.id,
                "`per`, `cap` ≥ 0 và `otherwise` trong 0..điểm chuẩn",
                "`per`, `cap` ≥ 0 and `otherwise` within 0..points",
            );
        }
    }

    /// `range`: `low` ≤ `high`, `per` (when given) is not negative, `floor` and `otherwise` lie
    /// within the points.
    fn check_range(
        &mut self,
        of: ScaleOf,
        low: Decimal,
        high: Decimal,
        per: Option<Decimal>,
        floor: Decimal,
        otherwise: Decimal,
    ) {
        if low > high
            || per.is_some_and(|p| p < Decimal::ZERO)
            || !of.within(floor)
            || !of.within(otherwise)
        {
            self.scale_err(
                of.pos,
                of.id,
                "cần `low` ≤ `high`, `per` ≥ 0, `floor` và `otherwise` trong 0..điểm chuẩn",
                "needs `low` ≤ `high`, `per` ≥ 0, `floor` and `otherwise` within 0..points",
            );
        }
    }

    /// Checks each band's own bounds and quota, then that the bands, from the lowest `min` up,
    /// hold every total exactly once; returns them from the highest down.
    fn check_bands(&mut self) -> Vec<Band> {
        let ast = self.ast;
        let mut bands: Vec<&Band> = ast.bands.iter().collect();
        for b in &bands {
            self.check_band(b);
        }
        bands.sort_by(|a, b| match (a.min, b.min) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        });
        if let Some(first) = bands.first() {
            self.check_lowest_band(first);
        }
        for w in bands.windows(2) {
            self.check_band_pair(w[0], w[1]);
        }
        if let Some(last) = bands.last() {
            self.check_highest_band(last);
        }
        bands.into_iter().rev().cloned().collect()
    }

    /// A band's `min` is below its `max`, and its `quota_pct` lies in (0, 100].
    fn check_band(&mut self, b: &Band) {
        if let (Some(lo), Some(hi)) = (b.min, b.max) {
            if lo >= hi {
                self.err(
                    b.pos,
                    "invalid_value",
                    format!("loại `{}`: `min` phải nhỏ hơn `max`", b.id),
                    format!("band `{}`: `min` must be below `max`", b.id),
                );
            }
        }
        if let Some(q) = b.quota_pct {
            if q <= Decimal::ZERO || q > Decimal::ONE_HUNDRED {
                self.err(
                    b.pos,
                    "invalid_value",
                    format!("loại `{}`: `quota_pct` phải trong (0, 100]", b.id),
                    format!("band `{}`: `quota_pct` must lie in (0, 100]", b.id),
                );
            }
        }
    }

    /// The lowest band has no `min`, so that no total falls below every band.
    fn check_lowest_band(&mut self, first: &Band) {
        if let Some(m) = first.min {
            self.err(
                first.pos,
                "band_gap",
                format!(
                    "tổng điểm dưới {} không thuộc loại nào (bỏ `min` ở loại thấp nhất)",
                    vi(m)
                ),
                format!(
                    "totals below {} fall in no band (drop `min` on the lowest band)",
                    crate::num::canonical(m)
                ),
            );
        }
    }

    /// Two bands next to each other: the higher one starts exactly where the lower one ends,
    /// neither overlapping it nor leaving a gap.
    fn check_band_pair(&mut self, lo: &Band, hi: &Band) {
        match (lo.max, hi.min) {
            (None, _) | (_, None) => self.err(
                hi.pos,
                "band_overlap",
                format!("loại `{}` chồng lên loại `{}`", hi.id, lo.id),
                format!("band `{}` overlaps band `{}`", hi.id, lo.id),
            ),
            (Some(a), Some(b)) if a > b => self.err(
                hi.pos,
                "band_overlap",
                format!(
                    "loại `{}` (từ {}) chồng lên loại `{}` (dưới {})",
                    hi.id,
                    vi(b),
                    lo.id,
                    vi(a)
                ),
                format!(
                    "band `{}` (from {}) overlaps band `{}` (below {})",
                    hi.id, b, lo.id, a
                ),
            ),
            (Some(a), Some(b)) if a < b => self.err(
                hi.pos,
                "band_gap",
                format!(
                    "khoảng trống giữa loại `{}` (dưới {}) và loại `{}` (từ {})",
                    lo.id,
                    vi(a),
                    hi.id,
                    vi(b)
                ),
                format!(
                    "gap between band `{}` (below {}) and band `{}` (from {})",
                    lo.id, a, hi.id, b
                ),
            ),
            _ => {}
        }
    }

    /// The highest band has no `max`, so that no total lies above every band.
    fn check_highest_band(&mut self, last: &Band) {
        if let Some(m) = last.max {
            self.err(
                last.pos,
                "band_gap",
                format!(
                    "tổng điểm từ {} trở lên không thuộc loại nào (bỏ `max` ở loại cao nhất)",
                    vi(m)
                ),
                format!("totals from {m} up fall in no band (drop `max` on the highest band)"),
            );
        }
    }

    fn resolve(&mut self, src: &ExprSrc) -> Option<CExpr> {
        let mut ok = true;
        let e = self.resolve_in(&src.expr, src.pos, &mut ok);
        ok.then_some(e)
    }

    /// Resolves the names in an expression whose offsets count from `base`; clears `ok` on an
    /// error (reported).
    fn resolve_in(&mut self, e: &Expr, base: usize, ok: &mut bool) -> CExpr {
        match e {
            Expr::Num(n) => CExpr::Num(Exact::from(*n)),
            Expr::Bool(b) => CExpr::Bool(*b),
            Expr::Ref { name, sel, off } => self.resolve_ref(name, *sel, base + off, ok),
            Expr::Unary(op, x) => CExpr::Unary(*op, Box::new(self.resolve_in(x, base, ok))),
            Expr::Binary(op, a, b) => CExpr::Binary(
                *op,
                Box::new(self.resolve_in(a, base, ok)),
                Box::new(self.resolve_in(b, base, ok)),
            ),
            Expr::If(c, a, b) => CExpr::If(
                Box::new(self.resolve_in(c, base, ok)),
                Box::new(self.resolve_in(a, base, ok)),
                Box::new(self.resolve_in(b, base, ok)),
            ),
            Expr::Call {
                func: Func::Points,
                args,
                off,
            } => self.resolve_points(args, base + off, ok),
            Expr::Call { func, args, off } => {
                if *func == Func::Round {
                    self.check_round_places(args, base + off, ok);
                }
                CExpr::Call(
                    *func,
                    args.iter().map(|a| self.resolve_in(a, base, ok)).collect(),
                )
            }
        }
    }

    /// A name in an expression, at offset `at`: an element or an indicator (`@baseline` only
    /// when the regulation declares its baseline year).
    fn resolve_ref(
        &mut self,
        name: &str,
        sel: Option<Selector>,
        at: usize,
        ok: &mut bool,
    ) -> CExpr {
        if matches!(sel, Some(Selector::Baseline)) && self.ast.baseline_year.is_none() {
            *ok = false;
            self.err(
                at,
                "invalid_value",
                "`@baseline` cần khai báo `baseline_year`".into(),
                "`@baseline` needs `baseline_year` to be declared".into(),
            );
        }
        match self.syms.get(name) {
            Some(Sym::Element(i)) => CExpr::Elem(*i, sel),
            Some(Sym::Indicator(i)) => CExpr::Ind(*i, sel),
            other => {
                *ok = false;
                let (vi, en) = if other.is_some() {
                    ("chỉ dùng được số liệu (element) hoặc chỉ tiêu tính toán (indicator) trong biểu thức", "only elements and indicators can be used in expressions")
                } else {
                    ("chưa được khai báo", "is not declared")
                };
                self.err(
                    at,
                    "unknown_name",
                    format!("tên `{name}` {vi}"),
                    format!("name `{name}` {en}"),
                );
                CExpr::Num(Exact::ZERO)
            }
        }
    }

    /// `points(ID)` at offset `at`: the points of an area or criterion, allowed only where
    /// `allow_points` says (bonus and penalty values).
    fn resolve_points(&mut self, args: &[Expr], at: usize, ok: &mut bool) -> CExpr {
        let target = match args.first() {
            Some(Expr::Ref {
                name, sel: None, ..
            }) => match self.syms.get(name.as_str()) {
                Some(Sym::Area(i)) => Some(*i),
                Some(Sym::Criterion(i)) => Some(self.ast.areas.len() + *i),
                _ => None,
            },
            _ => None,
        };
        if !self.allow_points {
            *ok = false;
            self.err(
                at,
                "invalid_value",
                "`points(…)` chỉ dùng trong `value` của điểm thưởng, điểm trừ".into(),
                "`points(…)` is only allowed in bonus and penalty values".into(),
            );
            return CExpr::Num(Exact::ZERO);
        }
        match target {
            Some(t) => CExpr::Points(t),
            None => {
                *ok = false;
                self.err(
                    at,
                    "unknown_name",
                    "`points(…)` cần mã một lĩnh vực hoặc tiêu chí".into(),
                    "`points(…)` needs the id of an area or a criterion".into(),
                );
                CExpr::Num(Exact::ZERO)
            }
        }
    }

    /// `round(x, n)` at offset `at`: `n` is a literal integer from 0 to 10.
    fn check_round_places(&mut self, args: &[Expr], at: usize, ok: &mut bool) {
        let good = matches!(args.get(1), Some(Expr::Num(n)) if n.fract().is_zero() && *n >= Decimal::ZERO && *n <= Decimal::from(10));
        if !good {
            *ok = false;
            self.err(
                at,
                "invalid_value",
                "`round(x, n)`: n phải là số nguyên 0..10 viết trực tiếp".into(),
                "`round(x, n)`: n must be a literal integer 0..10".into(),
            );
        }
    }

    fn visit_ind(
        &mut self,
        i: usize,
        exprs: &[Option<CExpr>],
        ty: &mut Vec<Option<Ty>>,
        state: &mut Vec<u8>,
        path: &mut Vec<usize>,
    ) {
        if state[i] == 2 {
            return;
        }
        if state[i] == 1 {
            self.report_ind_cycle(i, path);
            return;
        }
        if path.len() >= MAX_CHAIN {
            let ind = &self.ast.indicators[i];
            self.err(
                ind.pos,
                "expr_limit",
                format!("chỉ tiêu `{}` phụ thuộc qua quá nhiều tầng chỉ tiêu khác (tối đa {MAX_CHAIN})", ind.id),
                format!("indicator `{}` depends on other indicators through too many levels (at most {MAX_CHAIN})", ind.id),
            );
            state[i] = 2;
            return;
        }
        state[i] = 1;
        path.push(i);
        let Some(e) = &exprs[i] else {
            state[i] = 2;
            path.pop();
            return;
        };
        let mut deps = Vec::new();
        collect_inds(e, &mut deps);
        for d in deps {
            self.visit_ind(d, exprs, ty, state, path);
        }
        path.pop();
        state[i] = 2;
        let pos = self.ast.indicators[i].expr.pos;
        ty[i] = self.type_of(e, ty, pos);
        self.ind_depth[i] = eval_depth(e, &self.ind_depth);
        self.check_eval_depth(e, pos);
    }

    /// Reports indicator `i`, reached again along `path`: the indicators from its first visit
    /// on depend on each other in a cycle.
    fn report_ind_cycle(&mut self, i: usize, path: &[usize]) {
        let start = path.iter().position(|p| *p == i).unwrap_or(0);
        let names: Vec<&str> = path[start..]
            .iter()
            .map(|k| self.ast.indicators[*k].id.as_str())
            .collect();
        let ind = &self.ast.indicators[i];
        self.err(
            ind.pos,
            "cycle",
            format!(
                "chỉ tiêu phụ thuộc vòng: {} → {}",
                names.join(" → "),
                ind.id
            ),
            format!(
                "indicators depend on each other in a cycle: {} → {}",
                names.join(" → "),
                ind.id
            ),
        );
    }

    /// An expression whose evaluation (through the indicators it uses) is too deep.
    fn check_eval_depth(&mut self, e: &CExpr, pos: usize) {
        let d = eval_depth(e, &self.ind_depth);
        if d > MAX_EVAL_DEPTH {
            self.err(
                pos,
                "expr_limit",
                format!("biểu thức cùng các chỉ tiêu nó dùng lồng nhau quá sâu ({d} tầng, tối đa {MAX_EVAL_DEPTH})"),
                format!("the expression with the indicators it uses is nested too deeply ({d} levels, at most {MAX_EVAL_DEPTH})"),
            );
        }
    }

    /// Reports a resolved expression whose type is known and is not `want`; `key` names it.
    fn expect_ty(
        &mut self,
        e: Option<&CExpr>,
        ind_ty: &[Option<Ty>],
        want: Ty,
        pos: usize,
        key: &str,
    ) {
        let Some(e) = e else { return };
        self.need(e, ind_ty, want, pos, key);
    }

    fn type_err(&mut self, pos: usize, what: &str, want: Ty) {
        let (vi, en) = match want {
            Ty::Num => ("phải là số", "must be a number"),
            Ty::Bool => ("phải là điều kiện đúng/sai", "must be a yes/no condition"),
        };
        self.err(
            pos,
            "type_error",
            format!("`{what}` {vi}"),
            format!("`{what}` {en}"),
        );
    }

    /// Infers a type; reports mismatches; `None` when unknown (an error was already reported).
    fn type_of(&mut self, e: &CExpr, ind: &[Option<Ty>], pos: usize) -> Option<Ty> {
        match e {
            CExpr::Num(_) | CExpr::Elem(..) | CExpr::Points(_) => Some(Ty::Num),
            CExpr::Bool(_) => Some(Ty::Bool),
            CExpr::Ind(i, _) => ind[*i],
            CExpr::Unary(UnOp::Neg, x) => {
                self.need(x, ind, Ty::Num, pos, "-");
                Some(Ty::Num)
            }
            CExpr::Unary(UnOp::Not, x) => {
                self.need(x, ind, Ty::Bool, pos, "not");
                Some(Ty::Bool)
            }
            CExpr::Binary(op, a, b) => self.type_of_binary(*op, a, b, ind, pos),
            CExpr::If(c, a, b) => self.type_of_if(c, a, b, ind, pos),
            CExpr::Call(f, args) => {
                for a in args {
                    self.need(a, ind, Ty::Num, pos, f.name());
                }
                Some(Ty::Num)
            }
        }
    }

    /// Reports an operand whose type is known and is not `want`; `what` names the operation.
    fn need(&mut self, x: &CExpr, ind: &[Option<Ty>], want: Ty, pos: usize, what: &str) {
        if let Some(t) = self.type_of(x, ind, pos) {
            if t != want {
                self.type_err(pos, what, want);
            }
        }
    }

    /// An operation's type: `and`/`or` of conditions and comparisons of numbers are conditions,
    /// arithmetic on numbers is a number.
    fn type_of_binary(
        &mut self,
        op: BinOp,
        a: &CExpr,
        b: &CExpr,
        ind: &[Option<Ty>],
        pos: usize,
    ) -> Option<Ty> {
        let sym = op.symbol();
        match op {
            BinOp::And | BinOp::Or => {
                self.need(a, ind, Ty::Bool, pos, sym);
                self.need(b, ind, Ty::Bool, pos, sym);
                Some(Ty::Bool)
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.need(a, ind, Ty::Num, pos, sym);
                self.need(b, ind, Ty::Num, pos, sym);
                Some(Ty::Bool)
            }
            _ => {
                self.need(a, ind, Ty::Num, pos, sym);
                self.need(b, ind, Ty::Num, pos, sym);
                Some(Ty::Num)
            }
        }
    }

    /// `if c then a else b`: a condition, and two branches of one type, which is its type.
    fn type_of_if(
        &mut self,
        c: &CExpr,
        a: &CExpr,
        b: &CExpr,
        ind: &[Option<Ty>],
        pos: usize,
    ) -> Option<Ty> {
        self.need(c, ind, Ty::Bool, pos, "if");
        let ta = self.type_of(a, ind, pos);
        let tb = self.type_of(b, ind, pos);
        match (ta, tb) {
            (Some(x), Some(y)) if x != y => {
                self.err(
                    pos,
                    "type_error",
                    "hai nhánh `then`/`else` phải cùng kiểu".into(),
                    "`then` and `else` must have the same type".into(),
                );
                None
            }
            (Some(x), _) => Some(x),
            (_, y) => y,
        }
    }
}

/// Why a figure lies outside its element's declared domain (`min`, `max`, `integer`).
pub(crate) fn outside_domain(e: &Element, v: &Exact) -> Option<(String, String)> {
    let shown = || crate::render::vi_num(v);
    if let Some(m) = e.min.filter(|m| *v < Exact::from(*m)) {
        return Some((
            format!(
                "giá trị {} của `{}` nhỏ hơn mức tối thiểu {}",
                shown(),
                e.id,
                vi(m)
            ),
            format!("value {v} of `{}` is below its minimum {m}", e.id),
        ));
    }
    if let Some(m) = e.max.filter(|m| *v > Exact::from(*m)) {
        return Some((
            format!(
                "giá trị {} của `{}` lớn hơn mức tối đa {}",
                shown(),
                e.id,
                vi(m)
            ),
            format!("value {v} of `{}` is above its maximum {m}", e.id),
        ));
    }
    if e.integer && !v.is_integer() {
        return Some((
            format!("giá trị {} của `{}` phải là số nguyên", shown(), e.id),
            format!("value {v} of `{}` must be a whole number", e.id),
        ));
    }
    None
}

/// An item with its area and `points(ID)` renumbered by `map`.
fn remap_items(items: Vec<CItem>, map: &[usize]) -> Vec<CItem> {
    items
        .into_iter()
        .map(|mut b| {
            b.area = b.area.map(|a| map[a]);
            remap_points(&mut b.value, map);
            b
        })
        .collect()
}

fn remap_points(e: &mut CExpr, map: &[usize]) {
    match e {
        CExpr::Points(n) => *n = map[*n],
        CExpr::Unary(_, x) => remap_points(x, map),
        CExpr::Binary(_, a, b) => {
            remap_points(a, map);
            remap_points(b, map);
        }
        CExpr::If(c, a, b) => {
            remap_points(c, map);
            remap_points(a, map);
            remap_points(b, map);
        }
        CExpr::Call(_, args) => args.iter_mut().for_each(|a| remap_points(a, map)),
        _ => {}
    }
}

fn collect_inds(e: &CExpr, out: &mut Vec<usize>) {
    match e {
        CExpr::Ind(i, _) => out.push(*i),
        CExpr::Unary(_, x) => collect_inds(x, out),
        CExpr::Binary(_, a, b) => {
            collect_inds(a, out);
            collect_inds(b, out);
        }
        CExpr::If(c, a, b) => {
            collect_inds(c, out);
            collect_inds(a, out);
            collect_inds(b, out);
        }
        CExpr::Call(_, args) => args.iter().for_each(|a| collect_inds(a, out)),
        _ => {}
    }
}
