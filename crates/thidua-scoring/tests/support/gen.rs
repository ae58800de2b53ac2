//! Random regulations and figures for property tests: every scale kind (strict and inclusive
//! thresholds), indicators with and without a declared value for a division by zero, `and`,
//! `or`, `if`, guarded divisions ("no cases → full points"), divisions by 3, 7 and 112, exact
//! `.xx5` ties built on purpose, caps, quotas, tie-breaks, every rounding mode. Deterministic for
//! a seed; the figures are small integers or one-decimal values (so a spreadsheet's binary
//! arithmetic stays within its precision).
use std::fmt::Write;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// A data row: unit, element, period, value.
pub type Row = (String, String, String, String);

/// One generated case: the regulation's text and its figures.
pub struct Case {
    pub seed: u64,
    pub regulation: String,
    pub rows: Vec<Row>,
    pub units: Vec<String>,
}

impl Case {
    pub fn csv(&self) -> String {
        let mut s = String::from("unit,element,period,value\n");
        for (u, e, p, v) in &self.rows {
            let _ = writeln!(s, "{u},{e},{p},{v}");
        }
        s
    }
}

struct Gen {
    r: Rng,
    elements: usize,
    indicators: usize,
}

impl Gen {
    fn num(&mut self) -> String {
        match self.r.below(4) {
            0 => format!("{}.{}", self.r.below(20), 1 + self.r.below(9)),
            1 => format!("{}", self.r.below(5)),
            _ => format!("{}", self.r.below(120)),
        }
    }

    fn sel(&mut self) -> &'static str {
        const SELECTORS: [&str; 6] = ["", "", "", "@cung_ky", "@baseline", "@2023"];
        SELECTORS[self.r.below(6) as usize]
    }

    fn leaf(&mut self) -> String {
        match self.r.below(5) {
            0 => self.num(),
            1 if self.indicators > 0 => {
                let i = self.r.below(self.indicators as u64);
                let s = self.sel();
                format!("k{i}{s}")
            }
            _ => {
                let e = self.r.below(self.elements as u64);
                let s = self.sel();
                format!("e{e}{s}")
            }
        }
    }

    fn elem(&mut self) -> String {
        format!("e{}", self.r.below(self.elements as u64))
    }

    /// A number-valued expression.
    fn numeric(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.leaf();
        }
        let d = depth - 1;
        match self.r.below(13) {
            0 => format!("({}) + ({})", self.numeric(d), self.numeric(d)),
            1 => format!("({}) - {}", self.numeric(d), self.leaf()),
            2 => format!("({}) * {}", self.numeric(d), self.num()),
            3 => format!(
                "({}) / {}",
                self.numeric(d),
                self.r.pick(&["3", "7", "112", "4"])
            ),
            4 => format!("pct({}, {})", self.elem(), self.elem()),
            5 => {
                let e = self.elem();
                format!("pct_change({e}, {e}@cung_ky)")
            }
            6 => format!("min({}, {})", self.numeric(d), self.leaf()),
            7 => format!("max({}, {}, {})", self.leaf(), self.numeric(d), self.leaf()),
            8 => format!("clamp({}, 0, 100)", self.numeric(d)),
            9 => format!("abs({} - {})", self.leaf(), self.leaf()),
            10 => format!("round({}, {})", self.numeric(d), self.r.below(3)),
            11 => {
                // A guarded division: "no cases → a value", else the rate.
                let (a, b) = (self.elem(), self.elem());
                format!("(if {b} == 0 then {} else {a} / {b})", self.num())
            }
            _ => format!(
                "(if {} then {} else {})",
                self.boolean(0),
                self.numeric(d),
                self.leaf()
            ),
        }
    }

    /// A yes/no expression.
    fn boolean(&mut self, depth: u32) -> String {
        let ops = [">", ">=", "<", "<=", "==", "!="];
        let cmp = |g: &mut Gen| {
            let op = *g.r.pick(&ops);
            format!("({}) {op} {}", g.numeric(1), g.num())
        };
        if depth == 0 {
            return cmp(self);
        }
        match self.r.below(5) {
            0 => format!("{} and {}", cmp(self), self.boolean(depth - 1)),
            1 => format!("({}) or {}", self.boolean(depth - 1), cmp(self)),
            2 => format!("not ({})", self.boolean(depth - 1)),
            3 => {
                // The natural way to write "no such cases → full points".
                let (a, b) = (self.elem(), self.elem());
                format!("{b} == 0 or pct({a}, {b}) > {}", self.r.below(100))
            }
            _ => cmp(self),
        }
    }

    fn threshold(&mut self) -> String {
        let t = self.num();
        match self.r.below(5) {
            0 => format!("target = {t}, better = \"higher\""),
            1 => format!("target = {t}, better = \"lower\""),
            2 => format!("above = {t}"),
            3 => format!("below = {t}"),
            _ => format!("at_least = {t}"),
        }
    }

    /// A scale for a criterion of `points`.
    fn scale(&mut self, points: u64) -> String {
        let within = |g: &mut Gen| format!("{}", g.r.below(points + 1));
        match self.r.below(6) {
            0 => {
                let from = self.r.below(60);
                let to = from + 1 + self.r.below(60);
                let (from, to) = if self.r.chance(30) {
                    (to, from)
                } else {
                    (from, to)
                };
                format!(
                    "{{ kind = \"linear\", from = {from}, to = {to}, min_points = {} }}",
                    within(self)
                )
            }
            1 => {
                let higher = self.r.chance(50);
                let n = 1 + self.r.below(3) as usize;
                let mut bounds: Vec<i64> = Vec::new();
                while bounds.len() < n {
                    let b = self.r.below(90) as i64 - 10;
                    if !bounds.contains(&b) {
                        bounds.push(b);
                    }
                }
                bounds.sort_unstable();
                if higher {
                    bounds.reverse();
                }
                let mut strict: Vec<bool> = (0..n).map(|_| self.r.chance(40)).collect();
                // A strict step may share its bound with the next, inclusive one.
                if n >= 2 && self.r.chance(30) {
                    bounds[1] = bounds[0];
                    strict[0] = true;
                    strict[1] = false;
                }
                let mut pts = points;
                let mut steps = Vec::new();
                for (b, st) in bounds.iter().zip(&strict) {
                    let key = match (higher, *st) {
                        (true, false) => "at_least",
                        (true, true) => "above",
                        (false, false) => "at_most",
                        (false, true) => "below",
                    };
                    steps.push(format!("{{ {key} = {b}, points = {pts} }}"));
                    pts = self.r.below(pts + 1);
                }
                format!(
                    "{{ kind = \"steps\", steps = [{}], otherwise = {} }}",
                    steps.join(", "),
                    self.r.below(pts + 1)
                )
            }
            2 => format!(
                "{{ kind = \"per_pct_short\", {}, per = {}, floor = {} }}",
                self.threshold(),
                self.r.pick(&["0.07", "1", "0.5", "2", "0.3"]),
                within(self)
            ),
            3 => format!(
                "{{ kind = \"per_pct_above\", {}, per = {}, cap = {}, otherwise = {} }}",
                self.threshold(),
                self.r.pick(&["0.05", "0.1", "1"]),
                self.r.pick(&["1", "0.5", "2"]),
                within(self)
            ),
            4 => {
                let low = self.r.below(50) as i64 - 20;
                let high = low + self.r.below(30) as i64;
                if self.r.chance(70) {
                    format!(
                        "{{ kind = \"range\", low = {low}, high = {high}, per = {}, floor = {} }}",
                        self.r.pick(&["0.07", "0.5", "0.1"]),
                        within(self)
                    )
                } else {
                    format!(
                        "{{ kind = \"range\", low = {low}, high = {high}, otherwise = {} }}",
                        within(self)
                    )
                }
            }
            _ => "{ kind = \"formula\" }".to_string(),
        }
    }
}

/// A random regulation with `units` units' figures.
pub fn case(seed: u64) -> Case {
    let mut g = Gen {
        r: Rng::new(seed),
        elements: 0,
        indicators: 0,
    };
    let ne = 3 + g.r.below(4) as usize;
    let mut t = String::new();
    let places = g.r.below(4);
    let mode = *g.r.pick(&["half_up", "half_even", "down"]);
    let mut apply: Vec<&str> = ["criterion", "item", "total"]
        .into_iter()
        .filter(|_| g.r.chance(70))
        .collect();
    if apply.is_empty() {
        apply.push("total");
    }
    let apply: Vec<String> = apply.iter().map(|a| format!("\"{a}\"")).collect();
    let _ = writeln!(
        t,
        "format = 1\nname = \"Ngẫu nhiên {seed}\"\nyear = 2024\nperiod = \"2024-Y\"\nbaseline_year = 2023\nTOTAL\nbonus_cap = {}\npenalty_cap = {}\nTIE\n\n[rounding]\nplaces = {places}\nmode = \"{mode}\"\napply = [{}]",
        1 + g.r.below(8),
        1 + g.r.below(8),
        apply.join(", ")
    );
    let aggs = ["sum", "sum", "mean", "last", "max"];
    let mut declared_missing = vec![false; ne];
    for (e, dm) in declared_missing.iter_mut().enumerate() {
        let _ = writeln!(
            t,
            "\n[[element]]\nid = \"e{e}\"\nname = \"Số liệu {e}\"\naggregate = \"{}\"",
            g.r.pick(&aggs)
        );
        if g.r.chance(25) {
            *dm = true;
            let _ = writeln!(t, "missing = 0");
        }
    }
    g.elements = ne;
    let ni = g.r.below(4) as usize;
    for i in 0..ni {
        let expr = g.numeric(2);
        let _ = writeln!(
            t,
            "\n[[indicator]]\nid = \"k{i}\"\nname = \"Chỉ tiêu {i}\"\nexpr = \"{expr}\""
        );
        if g.r.chance(50) {
            let _ = writeln!(t, "on_zero_division = {}", g.r.below(100));
        }
        g.indicators = i + 1;
    }
    let na = 2 + g.r.below(2);
    let mut total = 0;
    let mut areas = Vec::new();
    let mut crits = String::new();
    let mut nodes = Vec::new();
    for a in 0..na {
        let nc = 2 + g.r.below(3);
        let mut sum = 0;
        for c in 0..nc {
            let p = 1 + g.r.below(10);
            sum += p;
            let id = format!("A{a}C{c}");
            nodes.push(id.clone());
            let _ = writeln!(
                crits,
                "\n[[criterion]]\nid = \"{id}\"\nparent = \"A{a}\"\nname = \"Tiêu chí {a}.{c}\"\npoints = {p}"
            );
            match g.r.below(10) {
                0..=2 => {
                    let _ = writeln!(crits, "when = \"{}\"", g.boolean(2));
                    if g.r.chance(30) {
                        let _ = writeln!(
                            crits,
                            "scale = {{ kind = \"met\", otherwise = {} }}",
                            g.r.below(p + 1)
                        );
                    }
                }
                3 => {
                    // An exact `.xx5` tie after a division that does not terminate:
                    // x / q * y = t with t = k + 0.005 at two places (0.0005 at three).
                    let q = *g.r.pick(&[3u64, 7, 112]);
                    let x = *g.r.pick(&[1u64, 2, 4, 5, 8]);
                    let half = if places == 3 { "0005" } else { "005" };
                    let t_str = format!("{}.{}{half}", g.r.below(p), g.r.below(10));
                    let y = exact_mul_div(&t_str, q, x);
                    let e = g.elem();
                    let _ = writeln!(
                        crits,
                        "value = \"({e} * 0 + {x}) / {q} * {y}\"\nscale = {{ kind = \"formula\" }}"
                    );
                }
                4 => {
                    // The reported case: pct_change(118, 112) on a range scale.
                    let _ = writeln!(
                        crits,
                        "value = \"pct_change({} * 0 + 118, 112)\"\nscale = {{ kind = \"range\", low = -10, high = -2, per = 0.07, floor = 0 }}",
                        g.elem()
                    );
                }
                _ => {
                    let _ = writeln!(
                        crits,
                        "value = \"{}\"\nscale = {}",
                        g.numeric(2),
                        g.scale(p)
                    );
                }
            }
            if g.r.chance(30) {
                let _ = writeln!(crits, "on_error = {}", g.r.below(p + 1));
            }
        }
        total += sum;
        areas.push((a, sum));
        nodes.push(format!("A{a}"));
    }
    for (a, sum) in &areas {
        let _ = writeln!(
            t,
            "\n[[area]]\nid = \"A{a}\"\nname = \"Lĩnh vực {a}\"\npoints = {sum}"
        );
        if g.r.chance(50) {
            let _ = writeln!(t, "penalty_cap = {}", 1 + g.r.below(3));
        }
    }
    t.push_str(&crits);
    for (kind, n) in [("bonus", 1 + g.r.below(2)), ("penalty", 1 + g.r.below(2))] {
        for i in 0..n {
            let value = if g.r.chance(30) {
                format!("if points(A0) >= {} then 1 else 0", g.r.below(10))
            } else {
                g.numeric(1)
            };
            let _ = writeln!(
                t,
                "\n[[{kind}]]\nid = \"{}{i}\"\nname = \"Mục {kind} {i}\"\nvalue = \"{value}\"\nper = {}",
                if kind == "bonus" { "T" } else { "K" },
                g.r.pick(&["1", "0.5", "0.25", "2"])
            );
            if g.r.chance(60) {
                let _ = writeln!(t, "cap = {}", 1 + g.r.below(5));
            }
            if g.r.chance(40) {
                let _ = writeln!(t, "area = \"A{}\"", g.r.below(na));
            }
        }
    }
    let hi = total * (60 + g.r.below(30)) / 100;
    let lo = hi * (40 + g.r.below(40)) / 100;
    let _ = writeln!(
        t,
        "\n[[band]]\nid = \"cao\"\nname = \"Cao\"\nmin = {hi}\nquota_pct = {}\n\n[[band]]\nid = \"vua\"\nname = \"Vừa\"\nmin = {lo}\nmax = {hi}\n\n[[band]]\nid = \"thap\"\nname = \"Thấp\"\nmax = {lo}",
        10 + g.r.below(60)
    );
    let keys: Vec<String> = (0..g.r.below(3))
        .map(|_| {
            let k = if g.r.chance(20) {
                "penalty".to_string()
            } else if g.r.chance(20) {
                "bonus".to_string()
            } else {
                g.r.pick(&nodes).clone()
            };
            format!("\"{k}\"")
        })
        .collect();
    let mut dedup: Vec<String> = Vec::new();
    for k in keys {
        if !dedup.contains(&k) {
            dedup.push(k);
        }
    }
    let t = t
        .replace("TOTAL", &format!("total = {total}"))
        .replace("TIE", &format!("tie_break = [{}]", dedup.join(", ")));
    let (rows, units) = figures(&mut g.r, ne, &declared_missing);
    Case {
        seed,
        regulation: t,
        rows,
        units,
    }
}

/// `t × q / x` written exactly (`t` has at most 4 decimals, `x` is 1, 2, 4, 5 or 8).
fn exact_mul_div(t: &str, q: u64, x: u64) -> String {
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    let scale = f.len() as u32;
    let n: u128 = format!("{i}{f}").parse().unwrap_or(0);
    // n / 10^scale × q / x, with x dividing 10^3 × n × q after scaling by 1000.
    let num = n * q as u128 * 1000;
    let v = num / x as u128;
    let s = scale + 3;
    let digits = format!("{v:0>width$}", width = s as usize + 1);
    let (a, b) = digits.split_at(digits.len() - s as usize);
    let b = b.trim_end_matches('0');
    if b.is_empty() {
        a.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Figures for a few units: each element month by month for 2024 (or one yearly row), and a
/// yearly row for 2023; zeros are common (divisions by zero, "no cases"); a declared-missing
/// element is sometimes absent.
fn figures(r: &mut Rng, ne: usize, declared_missing: &[bool]) -> (Vec<Row>, Vec<String>) {
    let nu = 3 + r.below(4) as usize;
    let units: Vec<String> = (0..nu).map(|u| format!("U{u}")).collect();
    let mut rows = Vec::new();
    let val = |r: &mut Rng| -> String {
        match r.below(10) {
            0 | 1 => "0".into(),
            2 => format!("{}.{}", r.below(30), r.below(10)),
            _ => format!("{}", r.below(60)),
        }
    };
    for u in &units {
        for (e, dm) in declared_missing.iter().enumerate().take(ne) {
            if *dm && r.chance(30) {
                continue;
            }
            let el = format!("e{e}");
            if r.chance(25) {
                rows.push((u.clone(), el.clone(), "2024-Y".into(), val(r)));
            } else {
                for m in 1..=12 {
                    rows.push((u.clone(), el.clone(), format!("2024-M{m:02}"), val(r)));
                }
            }
            rows.push((u.clone(), el.clone(), "2023-Y".into(), val(r)));
        }
    }
    (rows, units)
}

#[test]
fn ties_are_built_exactly() {
    assert_eq!(exact_mul_div("1.505", 3, 1), "4.515");
    assert_eq!(exact_mul_div("0.005", 112, 8), "0.07");
    assert_eq!(exact_mul_div("2.3005", 7, 4), "4.025875");
}
