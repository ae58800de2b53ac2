//! The covenant drafting form's target list: one target per line,
//! `area | subject | kind | comparison | threshold | unit | baseline year`, parsed into domain
//! [`Target`]s (ids `t1`, `t2`, … in order). Decimals accept "," or "."; a range is "5-10".
//! Pure: no IO; the domain validates the result again.

use std::str::FromStr;

use rust_decimal::Decimal;
use thidua_domain::model::{Comparison, Target, TargetKind};
use thidua_domain::{TargetId, Text};

/// A line that could not be read: its number (from 1) and an error code for `Lang::error`.
#[derive(Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub code: &'static str,
}

fn decimal(raw: &str) -> Option<Decimal> {
    let cleaned = raw.trim().replace(' ', "");
    // "95,5" is Vietnamese for 95.5; "1.234" would be ambiguous, so thousands are not accepted.
    Decimal::from_str(&cleaned.replace(',', ".")).ok()
}

fn kind(raw: &str) -> Option<TargetKind> {
    Some(match raw.trim() {
        "change" => TargetKind::Change,
        "rate" => TargetKind::Rate,
        "count" => TargetKind::Count,
        "yes_no" => TargetKind::YesNo,
        "qualitative" => TargetKind::Qualitative,
        _ => return None,
    })
}

fn comparison(raw: &str) -> Option<Comparison> {
    Some(match raw.trim() {
        "at_least" | ">=" | "≥" => Comparison::AtLeast,
        "above" | ">" => Comparison::Above,
        "at_most" | "<=" | "≤" => Comparison::AtMost,
        "below" | "<" => Comparison::Below,
        "equal" | "=" => Comparison::Equal,
        "between" => Comparison::Between,
        "holds" => Comparison::Holds,
        "judged" => Comparison::Judged,
        _ => return None,
    })
}

/// Parses the textarea; blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<Target>, LineError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |code| LineError { line: n + 1, code };
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        if f.len() < 4 {
            return Err(err("target_fields"));
        }
        let get = |i: usize| f.get(i).copied().unwrap_or("");
        let area = Text::parse("area", get(0), 200).map_err(|_| err("target_text"))?;
        let subject = Text::parse("subject", get(1), 500).map_err(|_| err("target_text"))?;
        let kind = kind(get(2)).ok_or(err("target_kind"))?;
        let cmp = comparison(get(3)).ok_or(err("target_comparison"))?;
        let (threshold, range) = match cmp {
            Comparison::Between => {
                let (lo, hi) = get(4).split_once('-').ok_or(err("target_threshold"))?;
                let (lo, hi) = (decimal(lo), decimal(hi));
                (
                    None,
                    Some((
                        lo.ok_or(err("target_threshold"))?,
                        hi.ok_or(err("target_threshold"))?,
                    )),
                )
            }
            Comparison::Holds | Comparison::Judged => (None, None),
            _ => (Some(decimal(get(4)).ok_or(err("target_threshold"))?), None),
        };
        let unit_of_measure = match get(5) {
            "" => None,
            u => Some(Text::parse("unit", u, 20).map_err(|_| err("target_text"))?),
        };
        let baseline_year = match get(6) {
            "" => None,
            y => Some(y.parse::<i32>().map_err(|_| err("target_baseline"))?),
        };
        if kind == TargetKind::Change && baseline_year.is_none() {
            return Err(err("target_baseline"));
        }
        out.push(Target {
            id: TargetId::parse(&format!("t{}", out.len() + 1)).expect("a valid id"),
            area,
            kind,
            subject,
            comparison: cmp,
            threshold,
            range,
            baseline_year,
            unit_of_measure,
            indicator: None,
        });
    }
    if out.is_empty() {
        return Err(LineError {
            line: 1,
            code: "target_fields",
        });
    }
    Ok(out)
}

/// Writes targets in the form's line format (the inverse of [`parse`], ids aside).
pub fn format(targets: &[Target]) -> String {
    let dec = |d: &Decimal| crate::format::decimal(d);
    targets
        .iter()
        .map(|t| {
            let kind = match t.kind {
                TargetKind::Change => "change",
                TargetKind::Rate => "rate",
                TargetKind::Count => "count",
                TargetKind::YesNo => "yes_no",
                TargetKind::Qualitative => "qualitative",
            };
            let cmp = match t.comparison {
                Comparison::AtLeast => "at_least",
                Comparison::Above => "above",
                Comparison::AtMost => "at_most",
                Comparison::Below => "below",
                Comparison::Equal => "equal",
                Comparison::Between => "between",
                Comparison::Holds => "holds",
                Comparison::Judged => "judged",
            };
            let threshold = match (&t.threshold, &t.range) {
                (_, Some((lo, hi))) => format!("{}-{}", dec(lo), dec(hi)),
                (Some(x), None) => dec(x),
                (None, None) => String::new(),
            };
            let uom = t
                .unit_of_measure
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default();
            let base = t.baseline_year.map(|y| y.to_string()).unwrap_or_default();
            let line = format!(
                "{} | {} | {kind} | {cmp} | {threshold} | {uom} | {base}",
                t.area, t.subject
            );
            line.trim_end_matches([' ', '|']).to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_article_s_shapes() {
        let t = parse(
            "Phòng, chống tội phạm | Giảm tội phạm về trật tự xã hội | change | at_least | 5 | % | 2023\n\
             \n\
             Phòng, chống tội phạm | Giảm án tạm đình chỉ | change | between | 5-10 | % | 2023\n\
             Xây dựng lực lượng | Cán bộ bị kỷ luật | rate | < | 0,5 | %\n\
             An ninh | Không để hình thành băng nhóm | yes_no | holds",
        )
        .unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].id.as_str(), "t1");
        assert_eq!(t[1].range, Some((Decimal::from(5), Decimal::from(10))));
        assert_eq!(t[2].threshold, Some(Decimal::from_str("0.5").unwrap()));
        assert_eq!(t[2].comparison, Comparison::Below);
        assert_eq!(t[3].threshold, None);
    }

    #[test]
    fn format_round_trips() {
        let text = "Phòng, chống tội phạm | Giảm án | change | between | 5-10 | % | 2023\n\
                    Xây dựng lực lượng | Kỷ luật | rate | below | 0,5 | %\n\
                    An ninh | Không để hình thành băng nhóm | yes_no | holds";
        let targets = parse(text).unwrap();
        assert_eq!(format(&targets), text);
        assert_eq!(parse(&format(&targets)).unwrap(), targets);
    }

    #[test]
    fn says_which_line_is_wrong() {
        assert_eq!(
            parse("a | b | rate").unwrap_err(),
            LineError {
                line: 1,
                code: "target_fields"
            }
        );
        assert_eq!(
            parse("a | b | rate | above | 90 | %\na | b | speed | above | 1").unwrap_err(),
            LineError {
                line: 2,
                code: "target_kind"
            }
        );
        assert_eq!(
            parse("a | b | change | at_least | 5 | %").unwrap_err().code,
            "target_baseline"
        );
        assert_eq!(
            parse("a | b | rate | above | nhiều").unwrap_err().code,
            "target_threshold"
        );
        assert_eq!(parse("  \n").unwrap_err().code, "target_fields");
    }
}
