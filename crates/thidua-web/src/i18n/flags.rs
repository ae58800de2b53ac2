//! The strings of the integrity-flags page, and the flags' reasons in English (the domain
//! writes them in Vietnamese, `thidua_domain::integrity::Flag::reason_vi`).

use thidua_domain::integrity::{vi_percent, Detail, Flag, FlagKind};

use super::Lang;

/// Every user-visible string of the flags page.
pub struct FlagStrings {
    pub title: &'static str,
    pub link: &'static str,
    pub intro: &'static str,
    pub never_score: &'static str,
    pub window: &'static str,
    pub kind: &'static str,
    pub reason: &'static str,
    pub none: &'static str,
    pub all: &'static str,
    pub quality_title: &'static str,
    pub reported: &'static str,
    pub late: &'static str,
    pub corrected: &'static str,
    pub export: &'static str,
    pub who_sees: &'static str,
    pub invented: &'static str,
    /// Before the number of flags matching the filters.
    pub count: &'static str,
    pub pages: &'static str,
    pub quality_flagged_only: &'static str,
    /// After the number of units with late or corrected windows not listed.
    pub quality_more: &'static str,
    /// The unit filter of a covenant with many members: a unit's id, typed.
    pub unit_id_hint: &'static str,
    /// A unit leader's explanation of a flag (giải trình): the column, the form, the notices.
    pub explanation: &'static str,
    pub explain: &'static str,
    pub explain_again: &'static str,
    pub explain_hint: &'static str,
    pub explain_save: &'static str,
    pub explained: &'static str,
    pub explain_refused: &'static str,
    /// Before the author and date of an explanation.
    pub explained_by: &'static str,
}

pub static VI: FlagStrings = FlagStrings {
    title: "Dấu hiệu bất thường trong số liệu",
    link: "Dấu hiệu bất thường",
    intro: "Tính trên số liệu đã phê duyệt: tỷ lệ phễu giảm so với năm trước của chính đơn vị và so với các đơn vị cùng cụm, số liệu đột biến, số liệu liên tục sát ngưỡng chỉ tiêu, báo cáo nộp muộn hoặc sửa sau phê duyệt.",
    never_score: "Dấu hiệu chỉ để rà soát, không tự động trừ điểm: không dấu hiệu nào thay đổi điểm thi đua.",
    window: "Kỳ",
    kind: "Loại",
    reason: "Lý do",
    none: "Không có dấu hiệu nào.",
    all: "Tất cả",
    quality_title: "Chất lượng báo cáo trong năm",
    reported: "Kỳ đã phê duyệt",
    late: "Nộp muộn",
    corrected: "Sửa sau phê duyệt",
    export: "Tải về tệp CSV: mỗi dòng một dấu hiệu, gồm mã đơn vị, kỳ, loại dấu hiệu, lý do và giải trình của đơn vị",
    who_sees: "Chỉ đơn vị, các đơn vị được phân công kiểm tra chéo đơn vị, thư ký cụm và cơ quan giám sát thấy dấu hiệu của đơn vị.",
    invented: "Số liệu minh hoạ là giả định.",
    count: "Số dấu hiệu",
    pages: "Trang",
    quality_flagged_only: "Chỉ liệt kê các đơn vị có kỳ nộp muộn hoặc sửa sau phê duyệt, nhiều nhất trước; các đơn vị khác không có.",
    quality_more: "đơn vị khác cũng có kỳ nộp muộn hoặc sửa sau phê duyệt (xem đầy đủ qua API).",
    unit_id_hint: "tên, ký hiệu hoặc mã đơn vị, ví dụ Kiên Giang, KG hoặc ca-kg (để trống: tất cả)",
    explanation: "Giải trình của đơn vị",
    explain: "Giải trình dấu hiệu này",
    explain_again: "Sửa giải trình",
    explain_hint: "Nguyên nhân của số liệu (ví dụ: chuyển giao địa bàn, thay đổi cách thống kê). Nội dung được lưu trong nhật ký; giải trình mới thay cho giải trình cũ trên trang này. Tối đa 1000 ký tự.",
    explain_save: "Lưu giải trình",
    explained: "Đã lưu giải trình. Những người xem được dấu hiệu này đều thấy giải trình.",
    explain_refused: "Chưa lưu được giải trình",
    explained_by: "Giải trình của",
};

pub static EN: FlagStrings = FlagStrings {
    title: "Integrity flags on the figures",
    link: "Integrity flags",
    intro: "Computed on approved figures: funnel ratios that drop against the unit's own previous year and against its peers, breaks in a series, figures landing just past a target again and again, late or corrected reports.",
    never_score: "Flags are for review, never a silent penalty: no flag changes a score.",
    window: "Window",
    kind: "Kind",
    reason: "Reason",
    none: "No flags.",
    all: "All",
    quality_title: "Reporting quality this year",
    reported: "Windows approved",
    late: "Late",
    corrected: "Corrected after approval",
    export: "Download a CSV file: one flag a line, with the unit's id, the window, the flag's kind, the reason and the unit's explanation (in Vietnamese)",
    who_sees: "A unit's flags are shown only to the unit, the units assigned to inspect it, the cluster's secretariat and the supervisor.",
    invented: "Demonstration figures are invented.",
    count: "Flags",
    pages: "Pages",
    quality_flagged_only: "Only units with a late or corrected window are listed, the most first; the others have none.",
    quality_more: "more units also have late or corrected windows (all of them in the API).",
    unit_id_hint: "a unit's name, short code or id, e.g. Kiên Giang, KG or ca-kg (empty: all)",
    explanation: "The unit's explanation",
    explain: "Explain this flag",
    explain_again: "Change the explanation",
    explain_hint: "What caused these figures (e.g. an area handed over, a change in how cases are counted). It is kept in the log; a new explanation replaces the earlier one on this page. At most 1000 characters.",
    explain_save: "Save the explanation",
    explained: "Explanation saved. Whoever sees this flag sees the explanation.",
    explain_refused: "The explanation was not saved",
    explained_by: "Explained by",
};

/// The kind's name in the language.
pub fn kind_name(lang: Lang, kind: FlagKind) -> &'static str {
    match lang {
        Lang::Vi => kind.name_vi(),
        Lang::En => match kind {
            FlagKind::FunnelDrop => "Funnel ratio drop",
            FlagKind::SeriesBreak => "Break in the series",
            FlagKind::NearTarget => "Again and again just past a target",
            FlagKind::DataQuality => "Reporting quality",
            FlagKind::YearChange => "Large change against last year",
        },
    }
}

/// A number of a reason, rounded to 3 decimals and written the Vietnamese way in both
/// languages ("0,538", "-3,2"), as every page writes numbers ([`crate::format::decimal`]).
fn n(d: &rust_decimal::Decimal) -> String {
    let d = d.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if d.is_zero() {
        return "0".into();
    }
    crate::format::decimal(&d)
}

/// An English ordinal: "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "112th".
pub fn ordinal(count: usize) -> String {
    let suffix = match (count % 10, count % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{count}{suffix}")
}

/// A piece of a flag's reason: its text, and whether it is Vietnamese data (a funnel's or an
/// element's name, as the regulation writes it) that an English page marks `lang="vi"`.
pub type Part = (String, bool);

/// The flag's reason in the language, in pieces: on an English page the regulation's names
/// stay Vietnamese and are told apart; a Vietnamese reason is one piece.
pub fn reason_parts(lang: Lang, f: &Flag) -> Vec<Part> {
    if lang == Lang::Vi {
        return vec![(f.reason_vi(), false)];
    }
    let en = |s: String| (s, false);
    let vi = |s: &String| (s.clone(), true);
    match &f.detail {
        Detail::Funnel { funnel, from_name, to_name, ratio, own, own_z, peer_z, .. } => vec![
            en("Funnel ".into()),
            vi(funnel),
            en(": the ratio ".into()),
            vi(to_name),
            en("/".into()),
            vi(from_name),
            en(format!(
                " is {}, unusually low against the unit's own previous year (median {}, z = {}) and against its peers (z = {})",
                vi_percent(*ratio), vi_percent(*own), n(own_z), n(peer_z)
            )),
        ],
        Detail::Break { element, value, median, threshold, .. } => vec![
            vi(element),
            en(format!(
                ": {} lies far outside the unit's previous 12 windows (median {}, more than {} spreads away)",
                n(value), n(median), n(threshold)
            )),
        ],
        Detail::Near { element, change_pct, bound_pct, count, .. } => vec![
            vi(element),
            en(format!(
                ": a change of {}% against the same window last year, just past the target's {}% (for the {} time this year)",
                n(change_pct), n(bound_pct), ordinal(*count)
            )),
        ],
        Detail::YearChange { element, value, last, factor, .. } => {
            let change = thidua_domain::integrity::vi_change(*value, *last);
            let (change, bound) = match (last.is_zero(), value < last) {
                (true, _) => ("last year's is 0".to_owned(), format!("above {} times last year's", n(factor))),
                (false, true) => (format!("down {change}%"), format!("below 1/{} of last year's", n(factor))),
                (false, false) => (format!("up {change}%"), format!("above {} times last year's", n(factor))),
            };
            vec![
                vi(element),
                en(format!(
                    ": {} against {} in the same window last year ({change}), {bound} — a change this large against last year is to be reviewed",
                    n(value), n(last)
                )),
            ]
        }
        Detail::Quality { reported, late, corrected } => vec![en(format!(
            "In {}: {late} of {reported} windows submitted late, {corrected} of {reported} corrected after approval",
            f.period.year
        ))],
    }
}

/// The flag's reason in the language, as one text.
pub fn reason(lang: Lang, f: &Flag) -> String {
    text_of(&reason_parts(lang, f))
}

/// A reason's pieces as one text.
pub fn text_of(parts: &[Part]) -> String {
    parts.iter().map(|(text, _)| text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use thidua_domain::integrity::Period;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn flag(kind: FlagKind, detail: Detail) -> Flag {
        Flag {
            unit: "ca-kg".into(),
            period: Period {
                year: 2024,
                window: "M05".into(),
            },
            kind,
            detail,
        }
    }

    #[test]
    fn english_ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 113]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th", "113th"
            ]
        );
    }

    #[test]
    fn an_english_reason_writes_numbers_the_vietnamese_way_and_marks_the_names() {
        let f = flag(
            FlagKind::FunnelDrop,
            Detail::Funnel {
                funnel: "Tin báo".into(),
                funnel_id: "tin_bao".into(),
                from: "reports_received".into(),
                to: "reports_resolved".into(),
                from_name: "Số tin tiếp nhận".into(),
                to_name: "Số tin đã giải quyết".into(),
                ratio: d("0.53781"),
                own: d("0.6930"),
                own_z: d("-3.2"),
                peer_z: d("-2.04"),
            },
        );
        assert_eq!(
            reason(Lang::En, &f),
            "Funnel Tin báo: the ratio Số tin đã giải quyết/Số tin tiếp nhận is 53,8%, unusually low against the unit's own previous year (median 69,3%, z = -3,2) and against its peers (z = -2,04)"
        );
        let parts = reason_parts(Lang::En, &f);
        let names: Vec<&str> = parts
            .iter()
            .filter(|(_, vi)| *vi)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(
            names,
            ["Tin báo", "Số tin đã giải quyết", "Số tin tiếp nhận"]
        );
        assert_eq!(reason_parts(Lang::Vi, &f), vec![(f.reason_vi(), false)]);
        let near = flag(
            FlagKind::NearTarget,
            Detail::Near {
                element: "Số vụ phạm tội".into(),
                element_id: "crimes".into(),
                change_pct: d("-10.4"),
                bound_pct: d("-10"),
                count: 3,
            },
        );
        assert_eq!(
            reason(Lang::En, &near),
            "Số vụ phạm tội: a change of -10,4% against the same window last year, just past the target's -10% (for the 3rd time this year)"
        );
        let big = flag(
            FlagKind::SeriesBreak,
            Detail::Break {
                element: "Số tin tiếp nhận".into(),
                element_id: "reports_received".into(),
                value: d("1234.5"),
                median: d("0.0001"),
                threshold: d("5"),
            },
        );
        let cut = flag(
            FlagKind::YearChange,
            Detail::YearChange {
                element: "Số vụ phạm tội".into(),
                element_id: "crimes".into(),
                value: d("29"),
                last: d("121"),
                factor: d("2"),
            },
        );
        assert_eq!(
            reason(Lang::En, &cut),
            "Số vụ phạm tội: 29 against 121 in the same window last year (down 76%), below 1/2 of last year's — a change this large against last year is to be reviewed"
        );
        assert_eq!(
            kind_name(Lang::En, FlagKind::YearChange),
            "Large change against last year"
        );
        assert_eq!(
            reason(Lang::Vi, &cut),
            "Số vụ phạm tội: 29 so với 121 cùng kỳ năm trước (giảm 76%), dưới 1/2 cùng kỳ — thay đổi lớn như vậy so với cùng kỳ cần được xem lại"
        );
        assert_eq!(
            reason(Lang::En, &big),
            "Số tin tiếp nhận: 1.234,5 lies far outside the unit's previous 12 windows (median 0, more than 5 spreads away)"
        );
    }
}
