//! A covenant's targets told in words, in Vietnamese and English: "Giảm ít nhất 5% so với năm
//! 2023", "Tỷ lệ đạt trên 90%". One wording for every place that shows a target (the web pages,
//! the official documents), so the printed covenant says what the pages say. Owns only the
//! sentences; what a target may mean is [`crate::target`]'s.

use rust_decimal::Decimal;

use crate::model::Target;
use crate::target;

/// The templates of a target's sentence in one language; `{x}`, `{lo}`, `{hi}`, `{unit}` and
/// `{year}` are filled in.
#[derive(Debug)]
pub struct TargetWords {
    pub all: &'static str,
    pub compared_with: &'static str,
    pub count_at_least: &'static str,
    pub count_at_most: &'static str,
    pub count_equal: &'static str,
    pub count_none: &'static str,
    pub judged: &'static str,
    pub no_increase: &'static str,
    pub rate_above: &'static str,
    pub rate_at_least: &'static str,
    pub rate_at_most: &'static str,
    pub rate_below: &'static str,
    pub reduce_above: &'static str,
    pub reduce_at_least: &'static str,
    pub reduce_between: &'static str,
    pub yes_no: &'static str,
}

/// Vietnamese.
pub const VI: TargetWords = TargetWords {
    all: "Đạt 100%",
    compared_with: "so với năm {year}",
    count_at_least: "Ít nhất {x} {unit}",
    count_at_most: "Không quá {x} {unit}",
    count_equal: "Đúng {x} {unit}",
    count_none: "Không để xảy ra",
    judged: "Đánh giá định tính (cụm chấm điểm)",
    no_increase: "Không tăng",
    rate_above: "Tỷ lệ đạt trên {x}%",
    rate_at_least: "Tỷ lệ đạt ít nhất {x}%",
    rate_at_most: "Tỷ lệ không quá {x}%",
    rate_below: "Tỷ lệ dưới {x}%",
    reduce_above: "Giảm trên {x}%",
    reduce_at_least: "Giảm ít nhất {x}%",
    reduce_between: "Giảm từ {lo}% đến {hi}%",
    yes_no: "Phải bảo đảm (đạt / không đạt)",
};

/// English.
pub const EN: TargetWords = TargetWords {
    all: "100% achieved",
    compared_with: "compared with {year}",
    count_at_least: "At least {x} {unit}",
    count_at_most: "At most {x} {unit}",
    count_equal: "Exactly {x} {unit}",
    count_none: "None allowed",
    judged: "Judged by the cluster",
    no_increase: "No increase",
    rate_above: "Rate above {x}%",
    rate_at_least: "Rate of at least {x}%",
    rate_at_most: "Rate of at most {x}%",
    rate_below: "Rate below {x}%",
    reduce_above: "Reduce by more than {x}%",
    reduce_at_least: "Reduce by at least {x}%",
    reduce_between: "Reduce by {lo}% to {hi}%",
    yes_no: "Must hold (met / not met)",
};

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// [`sentence`] said after the target's subject ("Kéo giảm tội phạm so với năm 2023: giảm ít
/// nhất 5%"): the comparison with the baseline year is left out when the subject says it already
/// (it read "… so với năm 2023: giảm ít nhất 5% so với năm 2023").
pub fn sentence_after_subject(words: &TargetWords, target: &Target) -> String {
    let full = sentence(words, target);
    let Some(year) = target.baseline_year else {
        return full;
    };
    let compared = fill(words.compared_with, &[("year", &year.to_string())]);
    if target.subject.as_str().contains(&compared) {
        full.replace(&format!(" {compared}"), "")
    } else {
        full
    }
}

/// A target as a sentence: "Giảm ít nhất 5% so với năm 2023", "Không tăng so với năm 2023",
/// "Tỷ lệ đạt trên 90%". Numbers are written the Vietnamese way ("95,5") in both languages.
pub fn sentence(words: &TargetWords, target: &Target) -> String {
    let dec = |d: &Decimal| thidua_scoring::num::vi(*d);
    let x = target.threshold.as_ref().map(dec).unwrap_or_default();
    let (lo, hi) = target
        .range
        .as_ref()
        .map(|(a, b)| (dec(a), dec(b)))
        .unwrap_or_default();
    let unit = target
        .unit_of_measure
        .as_ref()
        .map(|u| u.to_string())
        .unwrap_or_default();
    let zero = target.threshold.is_some_and(|d| d.is_zero());
    let hundred = target.threshold == Some(Decimal::ONE_HUNDRED);
    let base = |s: String| match target.baseline_year {
        Some(y) => format!(
            "{s} {}",
            fill(words.compared_with, &[("year", &y.to_string())])
        ),
        None => s,
    };
    let key = target::shape_key(target.kind, target.comparison).unwrap_or("");
    let args = [("x", x.as_str()), ("lo", &lo), ("hi", &hi), ("unit", &unit)];
    let text = match key {
        "reduce_at_least" if zero => base(words.no_increase.to_owned()),
        "reduce_at_least" => base(fill(words.reduce_at_least, &args)),
        "reduce_above" => base(fill(words.reduce_above, &args)),
        "reduce_between" => base(fill(words.reduce_between, &args)),
        "rate_at_least" if hundred => words.all.to_owned(),
        "rate_at_least" => fill(words.rate_at_least, &args),
        "rate_above" => fill(words.rate_above, &args),
        "rate_at_most" => fill(words.rate_at_most, &args),
        "rate_below" => fill(words.rate_below, &args),
        "count_at_least" => fill(words.count_at_least, &args),
        "count_at_most" if zero => words.count_none.to_owned(),
        "count_at_most" => fill(words.count_at_most, &args),
        "count_equal" => fill(words.count_equal, &args),
        "yes_no" => words.yes_no.to_owned(),
        "judged" => words.judged.to_owned(),
        _ => format!("{x}{lo}{hi} {unit}"),
    };
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparison, TargetKind};

    fn reduction(subject: &str) -> Target {
        Target {
            id: crate::ids::TargetId::parse("t1").unwrap(),
            area: crate::text::Text::parse("area", "Phòng, chống tội phạm", 200).unwrap(),
            kind: TargetKind::Change,
            subject: crate::text::Text::parse("subject", subject, 200).unwrap(),
            comparison: Comparison::AtLeast,
            threshold: Some(Decimal::from(5)),
            range: None,
            baseline_year: Some(2023),
            unit_of_measure: Some(crate::text::Text::parse("unit", "%", 20).unwrap()),
            indicator: None,
        }
    }

    /// After a subject that names the baseline year, the sentence does not name it again.
    #[test]
    fn the_baseline_year_is_said_once_after_the_subject() {
        let said = reduction("Kéo giảm tội phạm so với năm 2023");
        assert_eq!(sentence(&VI, &said), "Giảm ít nhất 5% so với năm 2023");
        assert_eq!(sentence_after_subject(&VI, &said), "Giảm ít nhất 5%");
        let unsaid = reduction("Kéo giảm tội phạm về trật tự xã hội");
        assert_eq!(
            sentence_after_subject(&VI, &unsaid),
            "Giảm ít nhất 5% so với năm 2023"
        );
    }
}
