//! The strings of the integrity-flags page, and the flags' reasons in English (the domain
//! writes them in Vietnamese, `thidua_domain::integrity::Flag::reason_vi`).

use thidua_domain::integrity::{Detail, Flag, FlagKind};

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
    export: "Tải về tệp CSV: mỗi dòng một dấu hiệu, gồm mã đơn vị, kỳ, loại dấu hiệu và lý do",
    who_sees: "Chỉ đơn vị, các đơn vị được phân công kiểm tra chéo đơn vị, thư ký cụm và cơ quan giám sát thấy dấu hiệu của đơn vị.",
    invented: "Số liệu minh hoạ là giả định.",
    count: "Số dấu hiệu",
    pages: "Trang",
    quality_flagged_only: "Chỉ liệt kê các đơn vị có kỳ nộp muộn hoặc sửa sau phê duyệt, nhiều nhất trước; các đơn vị khác không có.",
    quality_more: "đơn vị khác cũng có kỳ nộp muộn hoặc sửa sau phê duyệt (xem đầy đủ qua API).",
    unit_id_hint: "tên, ký hiệu hoặc mã đơn vị, ví dụ Kiên Giang, KG hoặc ca-kg (để trống: tất cả)",
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
    export: "Download a CSV file: one flag a line, with the unit's id, the window, the flag's kind and the reason (in Vietnamese)",
    who_sees: "A unit's flags are shown only to the unit, the units assigned to inspect it, the cluster's secretariat and the supervisor.",
    invented: "Demonstration figures are invented.",
    count: "Flags",
    pages: "Pages",
    quality_flagged_only: "Only units with a late or corrected window are listed, the most first; the others have none.",
    quality_more: "more units also have late or corrected windows (all of them in the API).",
    unit_id_hint: "a unit's name, short code or id, e.g. Kiên Giang, KG or ca-kg (empty: all)",
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
        },
    }
}

fn n(d: &rust_decimal::Decimal) -> String {
    thidua_scoring::num::canonical(
        d.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

/// The flag's reason in the language.
pub fn reason(lang: Lang, f: &Flag) -> String {
    if lang == Lang::Vi {
        return f.reason_vi();
    }
    match &f.detail {
        Detail::Funnel { funnel, from_name, to_name, ratio, own, own_z, peer_z, .. } => format!(
            "Funnel {funnel}: the ratio {to_name}/{from_name} is {} against the unit's previous-year median {} (z = {}) and well below its peers (z = {})",
            n(ratio), n(own), n(own_z), n(peer_z)
        ),
        Detail::Break { element, value, median, threshold } => format!(
            "{element}: {} lies far outside the unit's previous 12 windows (median {}, more than {} spreads away)",
            n(value), n(median), n(threshold)
        ),
        Detail::Near { element, change_pct, bound_pct, count } => format!(
            "{element}: a change of {}% against the same window last year, just past the target's {}% (time {count} this year)",
            n(change_pct), n(bound_pct)
        ),
        Detail::Quality { reported, late, corrected } => format!(
            "In {}: {late} of {reported} windows submitted late, {corrected} of {reported} corrected after approval",
            f.period.year
        ),
    }
}
