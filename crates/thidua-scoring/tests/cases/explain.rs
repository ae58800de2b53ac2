//! Explanations a non-programmer understands: no programmer notation, every value a condition
//! compares, how ties were settled and which quota moved a unit down, in text, HTML and JSON.
use thidua_scoring::*;

const REG: &str = include_str!("../../../../examples/cum12-2024/regulation.toml");
const CSV: &str = include_str!("../../../../examples/cum12-2024/data.csv");

#[test]
fn no_programmer_notation_in_the_vietnamese_explanation() {
    let reg = compile(REG).unwrap();
    let data = Dataset::from_csv(CSV).unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let t = render::text(&b);
    for code in [
        "pct(",
        "pct_change(",
        "@cung_ky",
        "@baseline",
        " == ",
        " >= ",
        " <= ",
        "points(",
    ] {
        assert!(!t.contains(code), "`{code}` in the explanation");
    }
    assert!(t.contains("tỷ lệ «Vụ phạm tội về trật tự xã hội đã điều tra, khám phá» trên «Tội phạm về trật tự xã hội»"));
    assert!(t.contains("mức tăng/giảm (%) của «Tai nạn giao thông: số vụ» so với «Tai nạn giao thông: số vụ» cùng kỳ năm trước"));
    // The JSON keeps the regulation's own notation for tools, beside the words.
    let j = render::json(&b);
    assert!(j.contains("\"expr\": \"pct(solved, crimes)\"") && j.contains("\"expr_vi\""));
}

const NO_CASES: &str = r#"format = 1
name = "Giải quyết vụ việc"
year = 2024
period = "2024-Y"
total = 10

[[element]]
id = "vs_cases"
name = "Vụ việc phải giải quyết"

[[element]]
id = "vs_solved"
name = "Vụ việc đã giải quyết"

[[area]]
id = "A"
name = "A"
points = 10

[[criterion]]
id = "A1"
parent = "A"
name = "Giải quyết trên 90% vụ việc"
points = 10
when = "vs_cases == 0 or pct(vs_solved, vs_cases) > 90"

[[band]]
id = "all"
name = "Tất cả"
"#;

/// An Giang's rate is exactly 90,00%: the explanation shows it, and why "> 90" is false.
#[test]
fn a_condition_shows_every_value_it_compares() {
    let reg = compile(NO_CASES).unwrap();
    let data = Dataset::from_csv("unit,element,period,value\nAG,vs_cases,2024-Y,40\nAG,vs_solved,2024-Y,36\nKG,vs_cases,2024-Y,3\nKG,vs_solved,2024-Y,2.7001\n").unwrap();
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let t = render::unit_text(&reg.evaluate_unit(&data, "AG", y, EvalOptions::with_trace()));
    assert!(
        t.contains("So sánh: «Vụ việc phải giải quyết» (40) bằng 0 → sai"),
        "{t}"
    );
    assert!(
        t.contains("So sánh: tỷ lệ «Vụ việc đã giải quyết» trên «Vụ việc phải giải quyết» (%) (90) lớn hơn 90 → sai"),
        "{t}"
    );
    assert!(
        t.contains("Điều kiện: «Vụ việc phải giải quyết» bằng 0 hoặc tỷ lệ"),
        "{t}"
    );
    // A value just above the bound is shown with enough digits not to read as the bound.
    let t = render::unit_text(&reg.evaluate_unit(&data, "KG", y, EvalOptions::with_trace()));
    assert!(t.contains("(≈ 90,0033) lớn hơn 90 → đúng"), "{t}");
}

/// Two units tied on total, decided by the tie-break keys (also used by the renderer's
/// unit tests).
const TIES: &str = include_str!("../support/ties.toml");

#[test]
fn ties_and_quotas_are_explained_in_text_html_and_json() {
    let reg = compile(TIES).unwrap();
    // P, Q, R all total 9; B decides P (4) after Q and R (5); Q and R remain equal (penalty 0).
    let data = Dataset::from_csv("unit,element,period,value\nP,a,2024-Y,5\nP,b,2024-Y,4\nP,k,2024-Y,0\nQ,a,2024-Y,5\nQ,b,2024-Y,5\nQ,k,2024-Y,1\nR,a,2024-Y,5\nR,b,2024-Y,5\nR,k,2024-Y,1\nS,a,2024-Y,1\nS,b,2024-Y,1\nS,k,2024-Y,0\n").unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let order: Vec<(&str, Option<u32>)> =
        b.units.iter().map(|u| (u.unit.as_str(), u.rank)).collect();
    assert_eq!(
        order,
        vec![
            ("Q", Some(1)),
            ("R", Some(1)),
            ("P", Some(3)),
            ("S", Some(4))
        ]
    );
    let p = render::unit_text(b.unit("P").unwrap());
    assert!(
        p.contains("Bằng tổng điểm 9 với R: xét theo thứ tự khi bằng điểm — điểm lĩnh vực «Lĩnh vực B» [B]: 4 so với 5 → xếp sau R."),
        "{p}"
    );
    // In the server, where the data's ids mean nothing to a reader, the other unit is named.
    let name = |id: &str| Some(format!("Công an tỉnh {id}"));
    let named = render::Naming {
        unit: &name,
        element: &|_| None,
        cite_file: false,
    };
    let tie = &b.unit("P").unwrap().ties[0];
    assert_eq!(
        render::tie_named_in(tie, &named, render::Language::Vi),
        "Bằng tổng điểm 9 với Công an tỉnh R: xét theo thứ tự khi bằng điểm — điểm lĩnh vực «Lĩnh vực B» [B]: 4 so với 5 → xếp sau Công an tỉnh R."
    );
    let q = render::unit_text(b.unit("Q").unwrap());
    assert!(
        q.contains("tổng điểm trừ (ít hơn xếp trước): 1 so với 1 → vẫn bằng nhau nên cùng hạng 1."),
        "{q}"
    );
    // 25% of 4 units = 1 in "Xuất sắc": Q and R tie at the cut-off, so both move down, flagged.
    assert!(
        q.contains("25% của 4 đơn vị = 1 đơn vị") && q.contains("cụm trưởng quyết định"),
        "{q}"
    );
    let html = render::html(&b);
    assert!(
        html.contains("<p class=\"tie\">Bằng tổng điểm 9 với R"),
        "{html}"
    );
    assert!(html.contains("<p class=\"quota\">Tổng điểm đạt mức «Xuất sắc»"));
    let j: serde_json::Value = serde_json::from_str(&render::json(&b)).unwrap();
    let pj = j["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "P")
        .unwrap();
    assert_eq!(pj["ties"][0]["outcome"], "below");
    assert_eq!(pj["ties"][0]["compared"][0]["key"], "B");
    assert_eq!(pj["ties"][0]["compared"][0]["ours"], "4");
    assert_eq!(j["units"][0]["band"]["quotas"][0]["allowed"], 1);
}

#[test]
fn html_shows_penalties_with_a_minus_under_their_heading() {
    let reg = compile(REG).unwrap();
    let data = Dataset::from_csv(CSV).unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let hg = render::unit_html(b.unit("HG").unwrap());
    assert!(hg.contains("<tbody class=\"penalty\"><tr class=\"heading penalty\"><th colspan=\"5\" scope=\"rowgroup\">Điểm trừ</th></tr>"));
    assert!(hg.contains("<td>−2</td>"), "{hg}");
    assert!(hg.contains("điểm trừ: −2"));
    let kg = render::unit_html(b.unit("KG").unwrap());
    assert!(kg.contains("<p class=\"quota\">"), "{kg}");
}

/// The English explanations of generated regulations (every scale, expression and selector
/// the generator writes) hold no Vietnamese word outside the names in «» and the names the
/// regulation and the data give: every phrase the engine writes has its English words.
#[test]
fn generated_regulations_are_explained_in_english() {
    let names = |reg: &CompiledRegulation| -> Vec<String> {
        let a = reg.ast();
        let mut n: Vec<String> = [a.name.clone()]
            .into_iter()
            .chain(a.elements.iter().map(|x| x.name.clone()))
            .chain(a.indicators.iter().map(|x| x.name.clone()))
            .chain(a.areas.iter().map(|x| x.name.clone()))
            .chain(a.criteria.iter().map(|x| x.name.clone()))
            .chain(a.bonuses.iter().chain(&a.penalties).map(|x| x.name.clone()))
            .chain(a.bands.iter().map(|x| x.name.clone()))
            .collect();
        n.sort_by_key(|s| std::cmp::Reverse(s.len()));
        n
    };
    for seed in 0..60 {
        let c = crate::support::gen::case(seed);
        let reg = compile(&c.regulation).unwrap();
        let data = Dataset::from_csv(&c.csv()).unwrap();
        let b = reg
            .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
            .unwrap();
        let names = names(&reg);
        // The fixed words of a text: without «…» and the regulation's names.
        let fixed = |text: String| {
            let mut out = String::new();
            let mut quoted = false;
            for ch in text.chars() {
                quoted = ch == '«' || (quoted && ch != '»');
                if !quoted && ch != '»' {
                    out.push(ch);
                }
            }
            names.iter().fold(out, |t, n| t.replace(n.as_str(), ""))
        };
        let beyond_ascii = |s: &str| -> String {
            s.chars()
                .filter(|ch| ch.is_alphabetic() && !ch.is_ascii())
                .collect()
        };
        for u in &b.units {
            let en = fixed(render::unit_text_in(u, render::Language::En));
            let letters = beyond_ascii(&en);
            assert!(letters.is_empty(), "seed {seed}: {letters} in:\n{en}");
            // The check can fail: the same text in Vietnamese has such letters.
            let vi = fixed(render::unit_text_in(u, render::Language::Vi));
            assert!(!beyond_ascii(&vi).is_empty(), "seed {seed}: {vi}");
        }
    }
}
