//! A synthetic national workload for benchmarks: a regulation with many criteria (every scale
//! kind, indicators, divisions that do not terminate, the range scale of the reported `.xx5`
//! case, bonus and penalty items, bands with a quota) and a CSV data file for thousands of
//! units. Deterministic for a given seed; no IO (the caller writes the files).
use crate::data::Dataset;
use std::fmt::Write;

/// Shape of the workload.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub units: usize,
    pub elements: usize,
    pub criteria: usize,
    pub seed: u64,
}

impl Shape {
    /// 3,400 units, 40 elements × 12 months, 150 criteria (the national workload).
    pub fn national() -> Self {
        Shape {
            units: 3400,
            elements: 40,
            criteria: 150,
            seed: 2024,
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The regulation text: 5 areas, `criteria` criteria of 2 points each (10 of them manual),
/// `elements / 2` indicators (pairwise rates), comparisons with "cùng kỳ".
pub fn regulation(s: Shape) -> String {
    let ne = s.elements.max(2);
    let nc = s.criteria.max(5);
    let areas = 5;
    let per_area = nc / areas;
    let nc = per_area * areas;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "format = 1\nname = \"Quy định tổng hợp toàn quốc (dữ liệu tổng hợp để đo hiệu năng)\""
    );
    let _ = writeln!(
        t,
        "year = 2024\nperiod = \"2024-Y\"\nbaseline_year = 2023\ntotal = {}",
        nc * 2
    );
    let _ = writeln!(
        t,
        "bonus_cap = 10\npenalty_cap = 10\ntie_break = [\"A0\", \"A1\", \"penalty\"]"
    );
    for e in 0..ne {
        let agg = if e % 10 == 9 { "last" } else { "sum" };
        let _ = writeln!(t, "\n[[element]]\nid = \"e{e}\"\nname = \"Số liệu {e}\"\nunit = \"vụ\"\naggregate = \"{agg}\"");
    }
    for i in 0..ne / 2 {
        let _ = writeln!(t, "\n[[indicator]]\nid = \"r{i}\"\nname = \"Tỷ lệ {i}\"\nexpr = \"pct(e{}, e{} + e{})\"\non_zero_division = 100", 2 * i, 2 * i, 2 * i + 1);
        let _ = writeln!(t, "\n[[indicator]]\nid = \"c{i}\"\nname = \"Biến động {i}\"\nexpr = \"pct_change(e{}, e{}@cung_ky)\"\non_zero_division = 0", 2 * i + 1, 2 * i + 1);
    }
    for a in 0..areas {
        let _ = writeln!(
            t,
            "\n[[area]]\nid = \"A{a}\"\nname = \"Lĩnh vực {a}\"\npoints = {}",
            per_area * 2
        );
    }
    let ni = ne / 2;
    for c in 0..nc {
        let a = c / per_area;
        let i = c % ni;
        let _ = writeln!(t, "\n[[criterion]]\nid = \"K{c}\"\nparent = \"A{a}\"\nname = \"Tiêu chí {c}\"\npoints = 2");
        match c % 15 {
            0 => {
                let _ = writeln!(t, "manual = true");
            }
            1 | 2 => {
                let _ = writeln!(
                    t,
                    "when = \"r{i} >= 40 and e{} <= e{}@cung_ky\"",
                    (2 * i + 1) % ne,
                    (2 * i + 1) % ne
                );
            }
            3 | 4 => {
                let _ = writeln!(
                    t,
                    "value = \"r{i}\"\nscale = {{ kind = \"linear\", from = 30, to = 60 }}"
                );
            }
            5 | 6 => {
                let _ = writeln!(t, "value = \"r{i}\"\nscale = {{ kind = \"steps\", steps = [{{ at_least = 55, points = 2 }}, {{ at_least = 45, points = 1 }}] }}");
            }
            7 | 8 => {
                let _ = writeln!(t, "value = \"c{i}\"\nscale = {{ kind = \"per_pct_short\", target = -5, better = \"lower\", per = 0.2 }}");
            }
            9 | 10 => {
                let _ = writeln!(t, "value = \"r{i}\"\nscale = {{ kind = \"per_pct_above\", target = 50, better = \"higher\", per = 0.05, cap = 0.5 }}");
            }
            11 => {
                let _ = writeln!(t, "value = \"c{i}\"\nscale = {{ kind = \"range\", low = -10, high = -5, per = 0.1 }}");
            }
            12 => {
                // The reported case's scale: 1,485 points exactly for a change of 600/112 %.
                let _ = writeln!(t, "value = \"c{i}\"\nscale = {{ kind = \"range\", low = -10, high = -2, per = 0.07, floor = 0 }}");
            }
            _ => {
                let _ = writeln!(
                    t,
                    "value = \"min(2, max(0, (r{i} - 40) / 7))\"\nscale = {{ kind = \"formula\" }}"
                );
            }
        }
    }
    let _ = writeln!(
        t,
        "\n[[bonus]]\nid = \"T0\"\nname = \"Thưởng\"\nvalue = \"e0 / 1000\"\nper = 1\ncap = 5"
    );
    let _ = writeln!(t, "\n[[penalty]]\nid = \"P0\"\nname = \"Trừ\"\narea = \"A0\"\nvalue = \"e1 / 1000\"\nper = 1\ncap = 5");
    let top = nc * 2;
    let _ = writeln!(
        t,
        "\n[[band]]\nid = \"xs\"\nname = \"Xuất sắc\"\nmin = {}\nquota_pct = 20",
        top * 9 / 10
    );
    let _ = writeln!(
        t,
        "\n[[band]]\nid = \"tot\"\nname = \"Tốt\"\nmin = {}\nmax = {}",
        top * 7 / 10,
        top * 9 / 10
    );
    let _ = writeln!(
        t,
        "\n[[band]]\nid = \"ht\"\nname = \"Hoàn thành\"\nmin = {}\nmax = {}",
        top / 2,
        top * 7 / 10
    );
    let _ = writeln!(
        t,
        "\n[[band]]\nid = \"kht\"\nname = \"Không hoàn thành\"\nmax = {}",
        top / 2
    );
    t
}

/// The data file: for each unit and element, 12 monthly values for 2024 and one yearly value
/// for 2023 (the baseline "cùng kỳ"); manual scores for the manual criteria.
pub fn csv(s: Shape) -> String {
    let mut r = Rng(s.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let ne = s.elements.max(2);
    let nc = s.criteria.max(5) / 5 * 5;
    let mut t = String::with_capacity(s.units * (ne * 13 + 12) * 24 + 64);
    t.push_str("unit,element,period,value\n");
    let months: Vec<String> = (1..=12).map(|m| format!("2024-M{m:02}")).collect();
    for u in 0..s.units {
        let unit = unit_id(u);
        let _ = writeln!(t, "{unit},@name,,Đơn vị {u}");
        for e in 0..ne {
            let base = 20 + r.below(200);
            let mut year = 0;
            for m in &months {
                let v = base + r.below(base / 2 + 1);
                year += v;
                let _ = writeln!(t, "{unit},e{e},{m},{v}");
            }
            let prev = year * (90 + r.below(25)) / 100;
            let _ = writeln!(t, "{unit},e{e},2023-Y,{prev}");
        }
        for c in (0..nc).filter(|c| c % 15 == 0) {
            let _ = writeln!(
                t,
                "{unit},@manual:K{c},2024-Y,{}.{}",
                r.below(2),
                r.below(10)
            );
        }
    }
    t
}

/// The figures of [`fn@csv`], read.
pub fn dataset(s: Shape) -> Dataset {
    Dataset::from_csv(&csv(s)).unwrap_or_default()
}

/// The id of the `n`-th synthetic unit (from 0): `U00000`, `U00001`, …
pub fn unit_id(n: usize) -> String {
    format!("U{n:05}")
}
