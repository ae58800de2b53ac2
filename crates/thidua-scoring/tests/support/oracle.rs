//! An independent exact oracle: scores a regulation's syntax tree over CSV rows with plain
//! big-integer fractions (`num_rational::BigRational`), written separately from the engine and
//! as simply as possible (no memo, no parallelism, no shared code beyond the parsed tree). It
//! covers what the generators produce: whole-year windows, `@cung_ky`/`@baseline`/`@YEAR`,
//! every aggregation, indicators, every scale, items with caps, rounding, ranking, quotas.
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational as Q;
use num_traits::{One, Signed, Zero};
use std::collections::HashMap;
use thidua_scoring::ast::*;

#[derive(Debug, Clone, PartialEq)]
enum V {
    N(Q),
    B(bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum E {
    DivZero,
    Other,
}

type R<T> = Result<T, E>;

/// The oracle's result for one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub unit: String,
    /// Areas and criteria by id: points, or `None` (error / not scored).
    pub nodes: HashMap<String, Option<Q>>,
    pub bonus: Option<Q>,
    pub penalty: Option<Q>,
    pub total: Option<Q>,
    pub rank: Option<u32>,
    pub band: Option<String>,
}

pub fn q(s: &str) -> Q {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    let n: BigInt = format!("{i}{f}").parse().unwrap();
    let d = BigInt::from(10u8).pow(f.len() as u32);
    let v = Q::new(n, d);
    if neg {
        -v
    } else {
        v
    }
}

fn qd(d: &rust_decimal::Decimal) -> Q {
    q(&d.to_string())
}

fn round(x: &Q, places: u32, mode: RoundMode) -> Q {
    let scale = Q::from_integer(BigInt::from(10u8).pow(places));
    let y = x * &scale;
    let fl = y.floor();
    let frac = &y - &fl;
    let half = Q::new(1.into(), 2.into());
    let r = match mode {
        RoundMode::Down => {
            if y.is_negative() {
                y.ceil()
            } else {
                fl
            }
        }
        RoundMode::HalfUp => {
            if frac > half || (frac == half && !y.is_negative()) {
                fl + Q::one()
            } else {
                fl
            }
        }
        RoundMode::HalfEven => {
            if frac > half || (frac == half && fl.to_integer().is_odd()) {
                fl + Q::one()
            } else {
                fl
            }
        }
    };
    r / scale
}

struct Oracle<'a> {
    reg: &'a Regulation,
    /// (unit, element, period) → value.
    rows: HashMap<(&'a str, &'a str, &'a str), Q>,
    manual: HashMap<(&'a str, &'a str), Q>,
}

impl<'a> Oracle<'a> {
    fn figure(&self, unit: &str, el: &Element, year: i32) -> R<Q> {
        let key = |p: &str| self.rows.get(&(unit, el.id.as_str(), p)).cloned();
        let yearly = format!("{year}-Y");
        // The rows are the only source; `Y` wins only when it is the window's own row.
        let found = match self.rows.get(&(unit, el.id.as_str(), yearly.as_str())) {
            Some(v) => Some(v.clone()),
            None => {
                let months: Vec<Option<Q>> =
                    (1..=12).map(|m| key(&format!("{year}-M{m:02}"))).collect();
                if months.iter().all(Option::is_some) {
                    let ms: Vec<Q> = months.into_iter().flatten().collect();
                    Some(match el.aggregate {
                        Aggregation::Sum => ms.iter().fold(Q::zero(), |a, b| a + b),
                        Aggregation::Mean => {
                            ms.iter().fold(Q::zero(), |a, b| a + b) / Q::from_integer(12.into())
                        }
                        Aggregation::Last => ms[11].clone(),
                        Aggregation::Max => ms.iter().cloned().max().unwrap(),
                    })
                } else {
                    None
                }
            }
        };
        match (found, el.missing) {
            (Some(v), _) => Ok(v),
            (None, Some(m)) => Ok(qd(&m)),
            (None, None) => Err(E::Other),
        }
    }

    fn year(&self, base: i32, sel: &Option<Selector>) -> i32 {
        match sel {
            None => base,
            Some(Selector::CungKy) | Some(Selector::PrevYear) => base - 1,
            Some(Selector::Baseline) => self.reg.baseline_year.unwrap(),
            Some(Selector::Year(y)) => *y,
            Some(other) => panic!("oracle: selector {other:?} not supported"),
        }
    }

    fn num(&self, e: &Expr, unit: &str, year: i32, pts: &HashMap<String, Option<Q>>) -> R<Q> {
        match self.eval(e, unit, year, pts)? {
            V::N(x) => Ok(x),
            V::B(b) => Ok(if b { Q::one() } else { Q::zero() }),
        }
    }

    fn truth(&self, e: &Expr, unit: &str, year: i32, pts: &HashMap<String, Option<Q>>) -> R<bool> {
        match self.eval(e, unit, year, pts)? {
            V::B(b) => Ok(b),
            V::N(x) => Ok(!x.is_zero()),
        }
    }

    fn eval(&self, e: &Expr, unit: &str, year: i32, pts: &HashMap<String, Option<Q>>) -> R<V> {
        let n = |x: &Expr| self.num(x, unit, year, pts);
        Ok(match e {
            Expr::Num(d) => V::N(qd(d)),
            Expr::Bool(b) => V::B(*b),
            Expr::Ref { name, sel, .. } => {
                let y = self.year(year, sel);
                if let Some(el) = self.reg.elements.iter().find(|x| &x.id == name) {
                    V::N(self.figure(unit, el, y)?)
                } else {
                    let ind = self.reg.indicators.iter().find(|x| &x.id == name).unwrap();
                    match self.eval(&ind.expr.expr, unit, y, pts) {
                        Err(E::DivZero) if ind.on_zero_division.is_some() => {
                            V::N(qd(&ind.on_zero_division.unwrap()))
                        }
                        r => r?,
                    }
                }
            }
            Expr::Unary(UnOp::Neg, x) => V::N(-n(x)?),
            Expr::Unary(UnOp::Not, x) => V::B(!self.truth(x, unit, year, pts)?),
            Expr::Binary(BinOp::And, a, b) => {
                V::B(self.truth(a, unit, year, pts)? && self.truth(b, unit, year, pts)?)
            }
            Expr::Binary(BinOp::Or, a, b) => {
                V::B(self.truth(a, unit, year, pts)? || self.truth(b, unit, year, pts)?)
            }
            Expr::Binary(op, a, b) => {
                let (x, y) = (n(a)?, n(b)?);
                match op {
                    BinOp::Add => V::N(x + y),
                    BinOp::Sub => V::N(x - y),
                    BinOp::Mul => V::N(x * y),
                    BinOp::Div if y.is_zero() => return Err(E::DivZero),
                    BinOp::Div => V::N(x / y),
                    BinOp::Eq => V::B(x == y),
                    BinOp::Ne => V::B(x != y),
                    BinOp::Lt => V::B(x < y),
                    BinOp::Le => V::B(x <= y),
                    BinOp::Gt => V::B(x > y),
                    BinOp::Ge => V::B(x >= y),
                    _ => unreachable!(),
                }
            }
            Expr::If(c, a, b) => {
                if self.truth(c, unit, year, pts)? {
                    self.eval(a, unit, year, pts)?
                } else {
                    self.eval(b, unit, year, pts)?
                }
            }
            Expr::Call {
                func: Func::Points,
                args,
                ..
            } => {
                let Expr::Ref { name, .. } = &args[0] else {
                    unreachable!()
                };
                V::N(pts.get(name).cloned().flatten().ok_or(E::Other)?)
            }
            Expr::Call { func, args, .. } => {
                let v: Vec<Q> = args.iter().map(n).collect::<R<_>>()?;
                let hundred = Q::from_integer(100.into());
                V::N(match func {
                    Func::Min => v.into_iter().min().unwrap(),
                    Func::Max => v.into_iter().max().unwrap(),
                    Func::Clamp => v[0].clone().max(v[1].clone()).min(v[2].clone()),
                    Func::Abs => v[0].abs(),
                    Func::Round => {
                        let p: u32 = v[1].to_integer().try_into().unwrap();
                        round(&v[0], p, RoundMode::HalfUp)
                    }
                    Func::Pct if v[1].is_zero() => return Err(E::DivZero),
                    Func::Pct => &v[0] / &v[1] * hundred,
                    Func::PctChange if v[1].is_zero() => return Err(E::DivZero),
                    Func::PctChange => (&v[0] - &v[1]) / &v[1] * hundred,
                    Func::Points => unreachable!(),
                })
            }
        })
    }

    fn meets(cmp: Cmp, v: &Q, t: &Q) -> bool {
        match cmp {
            Cmp::AtLeast => v >= t,
            Cmp::Above => v > t,
            Cmp::AtMost => v <= t,
            Cmp::Below => v < t,
        }
    }

    fn scale(s: &Scale, p: &Q, v: &Q) -> Q {
        match s {
            Scale::Linear {
                from,
                to,
                min_points,
            } => {
                let (f, t, m) = (qd(from), qd(to), qd(min_points));
                let frac = ((v - &f) / (&t - &f)).max(Q::zero()).min(Q::one());
                &m + frac * (p - &m)
            }
            Scale::Steps { steps, otherwise } => steps
                .iter()
                .find(|st| Self::meets(st.cmp, v, &qd(&st.bound)))
                .map(|st| qd(&st.points))
                .unwrap_or_else(|| qd(otherwise)),
            Scale::Short {
                target,
                better,
                strict,
                per,
                floor,
            } => {
                let t = qd(target);
                if Self::meets(Cmp::of(*better, *strict), v, &t) {
                    p.clone()
                } else {
                    (p - qd(per) * (&t - v).abs()).max(qd(floor))
                }
            }
            Scale::Above {
                target,
                better,
                strict,
                per,
                cap,
                otherwise,
            } => {
                let t = qd(target);
                if Self::meets(Cmp::of(*better, *strict), v, &t) {
                    p + (qd(per) * (v - &t).abs()).min(qd(cap))
                } else {
                    qd(otherwise)
                }
            }
            Scale::Range {
                low,
                high,
                per,
                floor,
                otherwise,
            } => {
                let (lo, hi) = (qd(low), qd(high));
                if *v >= lo && *v <= hi {
                    p.clone()
                } else {
                    let dist = if *v < lo { &lo - v } else { v - &hi };
                    match per {
                        Some(pr) => (p - qd(pr) * dist).max(qd(floor)),
                        None => qd(otherwise),
                    }
                }
            }
            Scale::Formula => v.clone().max(Q::zero()).min(p.clone()),
        }
    }

    fn criterion(&self, c: &Criterion, unit: &str, year: i32) -> Option<Q> {
        let p = qd(&c.points);
        let none = HashMap::new();
        let r: R<Q> =
            match &c.body {
                Body::Children => unreachable!(),
                Body::Manual => return self.manual.get(&(unit, c.id.as_str())).cloned(),
                Body::Met { when, otherwise } => self
                    .truth(&when.expr, unit, year, &none)
                    .map(|b| if b { p.clone() } else { qd(otherwise) }),
                Body::Scaled { value, scale, .. } => self
                    .num(&value.expr, unit, year, &none)
                    .map(|v| Self::scale(scale, &p, &v)),
            };
        let pts = match (r, c.on_error) {
            (Ok(x), _) => x,
            (Err(_), Some(fb)) => qd(&fb),
            (Err(_), None) => return None,
        };
        let ro = &self.reg.rounding;
        Some(if ro.criterion {
            round(&pts, ro.places, ro.mode)
        } else {
            pts
        })
    }

    fn unit(&self, unit: &str) -> Unit {
        let reg = self.reg;
        let year = reg.period.year;
        let mut pts: HashMap<String, Option<Q>> = HashMap::new();
        // Leaves, then parents until every node is known.
        let leaf = |c: &&Criterion| !matches!(c.body, Body::Children);
        for c in reg.criteria.iter().filter(leaf) {
            pts.insert(c.id.clone(), self.criterion(c, unit, year));
        }
        let parents: Vec<(&str, &str)> = reg
            .criteria
            .iter()
            .filter(|c| matches!(c.body, Body::Children))
            .map(|c| (c.id.as_str(), c.id.as_str()))
            .chain(reg.areas.iter().map(|a| (a.id.as_str(), a.id.as_str())))
            .collect();
        while parents.iter().any(|(id, _)| !pts.contains_key(*id)) {
            for (id, _) in &parents {
                let kids: Vec<&Criterion> =
                    reg.criteria.iter().filter(|c| c.parent == *id).collect();
                if kids.iter().all(|k| pts.contains_key(&k.id)) && !pts.contains_key(*id) {
                    let sum = kids
                        .iter()
                        .try_fold(Q::zero(), |a, k| pts[&k.id].clone().map(|x| a + x));
                    pts.insert(id.to_string(), sum);
                }
            }
        }
        let ro = &reg.rounding;
        let items = |list: &[Item],
                     cap: Option<rust_decimal::Decimal>,
                     area_cap: &dyn Fn(&Area) -> Option<rust_decimal::Decimal>|
         -> Option<Q> {
            let mut groups: Vec<(Option<String>, Q)> = Vec::new();
            for it in list {
                let v = self.num(&it.value.expr, unit, year, &pts).ok()?;
                let mut p = qd(&it.per) * v.max(Q::zero());
                if let Some(c) = it.cap {
                    p = p.min(qd(&c));
                }
                if ro.item {
                    p = round(&p, ro.places, ro.mode);
                }
                let a = it.area.as_ref().map(|x| x.0.clone());
                match groups.iter_mut().find(|g| g.0 == a) {
                    Some(g) => g.1 = &g.1 + p,
                    None => groups.push((a, p)),
                }
            }
            let mut sum = Q::zero();
            for (a, s) in groups {
                let capped = match a
                    .and_then(|a| reg.areas.iter().find(|x| x.id == a))
                    .and_then(area_cap)
                {
                    Some(c) => s.min(qd(&c)),
                    None => s,
                };
                sum += capped;
            }
            Some(match cap {
                Some(c) => sum.min(qd(&c)),
                None => sum,
            })
        };
        let bonus = items(&reg.bonuses, reg.bonus_cap, &|a: &Area| a.bonus_cap);
        let penalty = items(&reg.penalties, reg.penalty_cap, &|a: &Area| a.penalty_cap);
        let areas: Option<Q> = reg
            .areas
            .iter()
            .try_fold(Q::zero(), |acc, a| pts[&a.id].clone().map(|x| acc + x));
        let total = match (areas, &bonus, &penalty) {
            (Some(a), Some(b), Some(p)) => {
                let t = a + b - p;
                Some(if ro.total {
                    round(&t, ro.places, ro.mode)
                } else {
                    t
                })
            }
            _ => None,
        };
        Unit {
            unit: unit.to_string(),
            nodes: pts,
            bonus,
            penalty,
            total,
            rank: None,
            band: None,
        }
    }
}

/// Scores `units` (those with any figure in the regulation's year) from CSV text.
pub fn score(reg: &Regulation, csv: &str) -> Vec<Unit> {
    let mut rows = HashMap::new();
    let mut manual = HashMap::new();
    let mut units: Vec<&str> = Vec::new();
    let year = format!("{}-", reg.period.year);
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.splitn(4, ',').collect();
        if f.len() < 4 || f[1] == "@name" {
            continue;
        }
        if let Some(c) = f[1].strip_prefix("@manual:") {
            manual.insert((f[0], c), q(f[3]));
        } else {
            rows.insert((f[0], f[1], f[2]), q(f[3]));
        }
        if f[2].starts_with(&year) && !units.contains(&f[0]) {
            units.push(f[0]);
        }
    }
    let o = Oracle { reg, rows, manual };
    let mut out: Vec<Unit> = units.iter().map(|u| o.unit(u)).collect();
    rank(reg, &mut out);
    out
}

fn key_of(reg: &Regulation, u: &Unit, k: &str) -> (Q, bool) {
    match k {
        "bonus" => (u.bonus.clone().unwrap(), false),
        "penalty" => (u.penalty.clone().unwrap(), true),
        id => {
            let _ = reg;
            (u.nodes[id].clone().unwrap(), false)
        }
    }
}

/// Orders units as the regulation says: total, tie-break keys, then id; equal units share a
/// rank; bands by score, then quotas (ties at the cut-off all move down).
fn rank(reg: &Regulation, units: &mut [Unit]) {
    use std::cmp::Ordering;
    let cmp = |a: &Unit, b: &Unit| -> Ordering {
        let mut o = b.total.cmp(&a.total);
        for (k, _) in &reg.tie_break {
            if o != Ordering::Equal {
                break;
            }
            let ((x, low), (y, _)) = (key_of(reg, a, k), key_of(reg, b, k));
            o = if low { x.cmp(&y) } else { y.cmp(&x) };
        }
        o
    };
    units.sort_by(|a, b| {
        b.total
            .is_some()
            .cmp(&a.total.is_some())
            .then_with(|| {
                if a.total.is_some() && b.total.is_some() {
                    cmp(a, b)
                } else {
                    Ordering::Equal
                }
            })
            .then_with(|| a.unit.cmp(&b.unit))
    });
    let ranked = units.iter().filter(|u| u.total.is_some()).count();
    for i in 0..ranked {
        units[i].rank = Some(
            if i > 0 && cmp(&units[i - 1], &units[i]) == Ordering::Equal {
                units[i - 1].rank.unwrap()
            } else {
                i as u32 + 1
            },
        );
    }
    let mut bands: Vec<&Band> = reg.bands.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    let mut at: Vec<usize> = units[..ranked]
        .iter()
        .map(|u| {
            let t = u.total.clone().unwrap();
            bands
                .iter()
                .position(|b| b.min.is_none_or(|m| t >= qd(&m)))
                .unwrap()
        })
        .collect();
    for (bi, band) in bands.iter().enumerate() {
        let Some(quota) = band.quota_pct else {
            continue;
        };
        let allowed = (Q::from_integer(ranked.into()) * qd(&quota) / Q::from_integer(100.into()))
            .floor()
            .to_integer();
        let allowed: usize = allowed.try_into().unwrap();
        let members: Vec<usize> = (0..ranked).filter(|i| at[*i] == bi).collect();
        if members.len() <= allowed {
            continue;
        }
        let cut = units[members[allowed]].rank;
        let tie = allowed > 0 && units[members[allowed - 1]].rank == cut;
        for (pos, i) in members.iter().enumerate() {
            if pos >= allowed || (tie && units[*i].rank == cut) {
                at[*i] = (bi + 1).min(bands.len() - 1);
            }
        }
    }
    for i in 0..ranked {
        units[i].band = Some(bands[at[i]].id.clone());
    }
}
