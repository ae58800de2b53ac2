//! English explanations: the fixed words are English; what stays Vietnamese comes from the
//! regulation or the data (names, units of measure).
use super::*;
use crate::{compile, CompiledRegulation, Dataset, EvalOptions};

const REG: &str = include_str!("../../../../examples/cum12-2024/regulation.toml");
const CSV: &str = include_str!("../../../../examples/cum12-2024/data.csv");

/// Phrases of the Vietnamese wording that an English explanation never holds outside names.
const VIETNAMESE: &[&str] = &[
    "Mã",
    "Nội dung",
    "Điểm chuẩn",
    "Giải trình",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "chưa chấm",
    "Cộng",
    "Giá trị xét",
    "Làm tròn",
    "tháng",
    "số liệu đã duyệt",
    "Điểm chấm qua kiểm tra",
    "đúng",
    "sai",
    "tỷ lệ",
    "trên",
    "tăng/giảm",
    "so với",
    "Thang điểm",
    "Số liệu",
    "Chỉ tiêu",
    "Điều kiện",
    "So sánh",
    "hạng",
    "xếp loại",
    "tạm tính",
    "Bằng tổng điểm",
];

fn server_naming<'a>(
    reg: &'a CompiledRegulation,
    b: &'a Scoreboard,
) -> (
    impl Fn(&str) -> Option<String> + 'a,
    impl Fn(&str) -> Option<String> + 'a,
) {
    let unit = move |id: &str| b.unit(id).and_then(|u| u.name.clone());
    let element = move |id: &str| {
        let e = reg.ast().elements.iter().find(|e| e.id == id)?;
        Some(e.name.clone())
    };
    (unit, element)
}

/// Everything of `u` its explanation quotes from the regulation or the data.
fn data_of(reg: &CompiledRegulation, u: &UnitResult) -> Vec<String> {
    let ast = reg.ast();
    let mut data: Vec<String> = u.nodes.iter().map(|n| n.name.to_string()).collect();
    data.extend(
        u.bonuses
            .iter()
            .chain(&u.penalties)
            .map(|i| i.name.to_string()),
    );
    data.extend(u.name.clone());
    data.extend(ast.bands.iter().map(|b| b.name.clone()));
    data.extend(
        ast.elements
            .iter()
            .flat_map(|e| [Some(e.name.clone()), e.unit.clone()])
            .flatten(),
    );
    data.extend(
        ast.indicators
            .iter()
            .flat_map(|i| [Some(i.name.clone()), i.unit.clone()])
            .flatten(),
    );
    with_html(data)
}

/// `data` as written in text and in HTML, the longest first.
fn with_html(mut data: Vec<String>) -> Vec<String> {
    data.extend(data.iter().map(|d| esc(d)).collect::<Vec<_>>());
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    data
}

/// The fixed words of `text`: without anything in «», nor `data`.
fn fixed_words(text: &str, data: &[String]) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in text.chars() {
        quoted = c == '«' || (quoted && c != '»');
        if !quoted && c != '»' {
            out.push(c);
        }
    }
    data.iter().fold(out, |t, d| t.replace(d.as_str(), ""))
}

/// Asserts the fixed words of `text` are English: no Vietnamese phrase, no letter beyond ASCII.
fn assert_english(text: &str, data: &[String]) {
    let fixed = fixed_words(text, data);
    for phrase in VIETNAMESE {
        assert!(!fixed.contains(phrase), "«{phrase}» in:\n{fixed}");
    }
    let letters: String = fixed
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .collect();
    assert!(letters.is_empty(), "{letters} in:\n{fixed}");
}

fn board(csv: &str, period: &str) -> (CompiledRegulation, Scoreboard) {
    let reg = compile(REG).unwrap();
    let data = Dataset::from_csv(csv).unwrap();
    let b = reg
        .evaluate_all(&data, period.parse().unwrap(), EvalOptions::with_trace())
        .unwrap();
    (reg, b)
}

/// An Giang without its inspection score for C2a: rates, changes, conditions, rounding,
/// bonus and penalty points, one criterion not scored yet, a provisional total.
#[test]
fn a_unit_explained_in_english() {
    let csv: String = CSV
        .lines()
        .filter(|l| !l.starts_with("AG,@manual:C2a,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (reg, b) = board(&csv, "2024-Y");
    let ag = b.unit("AG").unwrap();
    let data = data_of(&reg, ag);
    let text = unit_text_in(ag, Language::En);
    let (unit, element) = server_naming(&reg, &b);
    let naming = Naming {
        unit: &unit,
        element: &element,
        cite_file: false,
    };
    let html = unit_html_in(ag, &naming, Language::En);
    for english in [
        "rate of «",
        "change (%) in «",
        "Comparison: «",
        "Condition: «",
        "→ met",
        "Rounded to 2 decimal places (half up) from the exact value:",
        "Bonus points:",
        "Penalty points:",
        "Not yet scored: this criterion has no score yet",
        " — not yet scored",
        "Score given at inspection: 3,5 (source: line",
        "(provisionally ",
        "sum of 12 months, source: lines",
    ] {
        assert!(text.contains(english), "{english} not in:\n{text}");
    }
    for english in [
        "<section class=\"thidua-unit\" data-unit=\"AG\" lang=\"en\">",
        "<th scope=\"col\">Code</th><th scope=\"col\">Description</th><th scope=\"col\">Max. points</th><th scope=\"col\">Points</th><th scope=\"col\">Explanation</th>",
        "<th colspan=\"5\" scope=\"rowgroup\">Bonus points</th>",
        "<th colspan=\"5\" scope=\"rowgroup\">Penalty points</th>",
        "<p class=\"total\">Total: <strong>—</strong> — not yet scored</p>",
        "(approved figures, sum of 12 months)",
        "Score given at inspection: 3,5</li>",
    ] {
        assert!(html.contains(english), "{english} not in:\n{html}");
    }
    // The regulation's and the unit's names it quotes are marked as the Vietnamese they are.
    assert!(html.contains("<h3><span lang=\"vi\">"), "{html}");
    assert!(html.contains("</td><td><span lang=\"vi\">"), "{html}");
    assert!(html.contains("<li>Figure «<span lang=\"vi\">"), "{html}");
    assert_english(&text, &data);
    assert_english(&html, &data);
    // Numbers are written the Vietnamese way in English too.
    assert!(text.contains("Rounded to 2 decimal places (half up) from the exact value: ≈ 5,2278"));
}

/// Every unit of the example, for the year and a half-year and with a missing month, offline
/// and in the server's words: English fixed words only.
#[test]
fn every_explanation_of_the_example_in_english() {
    let missing: String = CSV
        .lines()
        .filter(|l| !l.starts_with("KG,crimes,2024-M03,"))
        .map(|l| format!("{l}\n"))
        .collect();
    for (csv, period) in [(CSV, "2024-Y"), (CSV, "2024-H1"), (&missing, "2024-Y")] {
        let (reg, b) = board(csv, period);
        let (unit, element) = server_naming(&reg, &b);
        let naming = Naming {
            unit: &unit,
            element: &element,
            cite_file: false,
        };
        for u in &b.units {
            let data = data_of(&reg, u);
            assert_english(&unit_text_in(u, Language::En), &data);
            assert_english(&unit_html_in(u, &naming, Language::En), &data);
        }
        let mut data: Vec<String> = b.units.iter().flat_map(|u| data_of(&reg, u)).collect();
        data.push(b.regulation.clone());
        let data = with_html(data);
        assert_english(&summary_text_in(&b, Language::En), &data);
        assert_english(&html_head_in(&b, Language::En), &data);
    }
}

/// The tie-break case of the integration tests.
const TIES: &str = include_str!("../../tests/support/ties.toml");

/// Ties settled by a tie-break key or left shared, and a quota full at a tie, in English.
#[test]
fn ties_and_quotas_in_english() {
    let reg = compile(TIES).unwrap();
    let data = Dataset::from_csv("unit,element,period,value\nP,a,2024-Y,5\nP,b,2024-Y,4\nP,k,2024-Y,0\nQ,a,2024-Y,5\nQ,b,2024-Y,5\nQ,k,2024-Y,1\nR,a,2024-Y,5\nR,b,2024-Y,5\nR,k,2024-Y,1\nS,a,2024-Y,1\nS,b,2024-Y,1\nS,k,2024-Y,0\n").unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let p = unit_text_in(b.unit("P").unwrap(), Language::En);
    assert!(
        p.contains("Same total 9 as R: tie-break criteria in order — points for area «Lĩnh vực B» [B]: 4 against 5 → ranked below R."),
        "{p}"
    );
    let q = b.unit("Q").unwrap();
    let text = unit_text_in(q, Language::En);
    assert!(
        text.contains("total penalty points (fewer ranks first): 1 against 1 → still equal, so they share rank 1."),
        "{text}"
    );
    assert!(
        text.contains("The total reaches «Xuất sắc», but that band is for at most 25% of the ranked units: 25% of 4 = 1 (rounded down)"),
        "{text}"
    );
    assert!(
        text.contains("the cluster head decides under the rules."),
        "{text}"
    );
    for u in &b.units {
        assert_english(&unit_text_in(u, Language::En), &data_of(&reg, u));
    }
}

/// The same steps in Vietnamese, whichever function asks for them.
#[test]
fn vietnamese_stays_the_default() {
    let (_, b) = board(CSV, "2024-Y");
    let u = &b.units[0];
    assert_eq!(unit_text(u), unit_text_in(u, Language::Vi));
    assert_eq!(unit_html(u), unit_html_in(u, &Naming::FILE, Language::Vi));
    for s in u.nodes.iter().flat_map(|n| &n.trace) {
        assert_eq!(step_vi(s), step_in(s, &Naming::FILE, Language::Vi));
    }
}

#[test]
fn templates_fill_their_blanks_and_plurals() {
    let t = "{n} {n|point|points}, {x}";
    assert_eq!(
        wording::fill(t, &[("n", "1"), ("x", "{n}")]),
        "1 point, {n}"
    );
    assert_eq!(wording::fill(t, &[("n", "1,5"), ("x", "")]), "1,5 points, ");
    assert_eq!(wording::fill("{", &[]), "{");
    assert_eq!(
        wording::EN.plain("từ 1 điểm, 0,1 điểm, 11 điểm"),
        "1 point, 0,1 points, 11 points"
    );
    assert_eq!(
        wording::EN.named("tỷ lệ «Tỷ lệ trên» trên «B» (%)"),
        "rate of «Tỷ lệ trên» over «B» (%)"
    );
}
