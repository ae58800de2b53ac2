//! Robustness: expressions too long or too deep, indicator chains and criteria nested too deeply
//! get a diagnostic (never a stack overflow, never minutes of checking), deep TOML is refused,
//! strict thresholds read as written.
use thidua_scoring::*;

fn reg_with_value(expr: &str) -> String {
    format!(
        "format = 1\nname = \"x\"\nyear = 2024\nperiod = \"2024-Y\"\ntotal = 10\n[[element]]\nid = \"x\"\nname = \"X\"\n[[area]]\nid = \"A\"\nname = \"A\"\npoints = 10\n[[criterion]]\nid = \"A1\"\nparent = \"A\"\nname = \"A1\"\npoints = 10\nvalue = \"{expr}\"\nscale = {{ kind = \"formula\" }}\n[[band]]\nid = \"b\"\nname = \"B\"\n"
    )
}

#[test]
fn an_expression_of_15000_terms_is_a_diagnostic() {
    let e = compile(&reg_with_value(&vec!["x"; 15_000].join(" + "))).unwrap_err();
    assert_eq!(e.codes(), vec!["expr_limit"]);
    assert!(e.0[0].message_vi.contains("quá dài") && e.0[0].message_en.contains("too long"));
    let e = compile(&reg_with_value(&format!(
        "{}x{}",
        "(".repeat(80),
        ")".repeat(80)
    )))
    .unwrap_err();
    assert_eq!(e.codes(), vec!["expr_limit"]);
    // A chain of indicators, each using the previous one.
    let mut t = reg_with_value("k199");
    for i in 0..200 {
        let prev = if i == 0 {
            "x".to_string()
        } else {
            format!("k{}", i - 1)
        };
        t.push_str(&format!(
            "[[indicator]]\nid = \"k{i}\"\nname = \"K{i}\"\nexpr = \"{prev} + 1\"\n"
        ));
    }
    let e = compile(&t).unwrap_err();
    assert!(e.codes().contains(&"expr_limit"), "{e}");
}

/// A regulation whose criteria nest `depth` deep: A1 under the area, A2 under A1, …, the last
/// scoring itself.
fn nested_criteria(depth: usize) -> String {
    let mut t = reg_with_value("x").replace(
        "[[criterion]]\nid = \"A1\"\nparent = \"A\"\nname = \"A1\"\npoints = 10\nvalue = \"x\"\nscale = { kind = \"formula\" }\n",
        "",
    );
    for level in 1..=depth {
        let parent = if level == 1 {
            "A".to_string()
        } else {
            format!("C{}", level - 1)
        };
        t.push_str(&format!(
            "[[criterion]]\nid = \"C{level}\"\nparent = \"{parent}\"\nname = \"C{level}\"\npoints = 10\n"
        ));
        if level == depth {
            t.push_str("value = \"x\"\nscale = { kind = \"formula\" }\n");
        }
    }
    t
}

/// Criteria nest at most `MAX_NESTING` deep; a regulation of thousands of levels (a body well
/// under the server's request limit) is told so at once instead of taking minutes to check
/// (each criterion used to walk its whole chain of parents: 10,000 levels took 40 s).
#[test]
fn criteria_nested_too_deeply_are_a_diagnostic() {
    compile(&nested_criteria(compile::MAX_NESTING)).unwrap();
    let e = compile(&nested_criteria(compile::MAX_NESTING + 1)).unwrap_err();
    assert_eq!(e.codes(), vec!["expr_limit"], "{e}");
    assert!(e.0[0].message_en.contains("C17") && e.0[0].message_vi.contains("quá sâu"));
    let e = compile(&nested_criteria(10_000)).unwrap_err();
    assert!(e.codes().iter().all(|c| *c == "expr_limit"), "{e}");
}

#[test]
fn deeply_nested_toml_is_refused_not_a_crash() {
    let t = format!(
        "{}x = {}{}",
        reg_with_value("x"),
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    assert!(compile(&t).is_err());
}

#[test]
fn strict_thresholds_read_as_written() {
    let scale = |s: &str| reg_with_value("x").replace("{ kind = \"formula\" }", s);
    let data = |v: &str| {
        Dataset::from_csv(&format!("unit,element,period,value\nU,x,2024-Y,{v}\n")).unwrap()
    };
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let pts = |reg: &CompiledRegulation, v: &str| {
        reg.evaluate_unit(&data(v), "U", y, EvalOptions::default())
            .nodes[1]
            .points
            .clone()
            .unwrap()
            .to_string()
    };
    // "trên 90%": 90 itself is not enough.
    let steps = compile(&scale("{ kind = \"steps\", steps = [{ above = 90, points = 10 }, { at_least = 90, points = 6 }], otherwise = 0 }")).unwrap();
    assert_eq!(
        (pts(&steps, "90.01"), pts(&steps, "90"), pts(&steps, "89")),
        ("10".into(), "6".into(), "0".into())
    );
    let below = compile(&scale(
        "{ kind = \"steps\", steps = [{ below = 0.5, points = 10 }], otherwise = 2 }",
    ))
    .unwrap();
    assert_eq!(
        (pts(&below, "0.49"), pts(&below, "0.5")),
        ("10".into(), "2".into())
    );
    let above = compile(&scale(
        "{ kind = \"per_pct_above\", above = 60, per = 0.1, cap = 1, otherwise = 3 }",
    ))
    .unwrap();
    assert_eq!(
        (pts(&above, "60"), pts(&above, "65")),
        ("3".into(), "10.5".into())
    );
    let short = compile(&scale(
        "{ kind = \"per_pct_short\", at_least = 90, per = 1 }",
    ))
    .unwrap();
    assert_eq!(pts(&short, "87.5"), "7.5");
    // The canonical form keeps the strict spelling and the inclusive one as it always was.
    assert!(above.canonical_text().contains("above = 60"));
    assert!(short
        .canonical_text()
        .contains("target = 90, better = \"higher\""));
    // One threshold per step; no `better` against the direction.
    let e = compile(&scale(
        "{ kind = \"per_pct_short\", below = 5, better = \"higher\", per = 1 }",
    ))
    .unwrap_err();
    assert_eq!(e.codes(), vec!["invalid_scale"]);
    let e = compile(&scale(
        "{ kind = \"steps\", steps = [{ above = 5, at_least = 5, points = 1 }] }",
    ))
    .unwrap_err();
    assert_eq!(e.codes(), vec!["invalid_scale"]);
    // The explanation says it in words.
    let u = steps.evaluate_unit(&data("90"), "U", y, EvalOptions::with_trace());
    let t = render::unit_text(&u);
    assert!(t.contains("90 đạt bậc «từ 90 trở lên»"), "{t}");
}
