//! The strings of the mid-year review page (sơ kết 6 tháng), Vietnamese first.

use super::Lang;

/// Every user-visible string of the mid-year review page.
pub struct MidStrings {
    pub title: &'static str,
    pub link: &'static str,
    pub intro: &'static str,
    pub frozen_at: &'static str,
    pub frozen_by: &'static str,
    pub log_index: &'static str,
    pub sha256: &'static str,
    pub sha256_help: &'static str,
    pub cutoff: &'static str,
    pub not_frozen: &'static str,
    pub freeze_title: &'static str,
    pub freeze_help: &'static str,
    pub freeze_button: &'static str,
    pub too_early: &'static str,
    /// Before the button: each member's approved windows through month 6 ("{approved}/{windows}
    /// kỳ đã phê duyệt"), a warning naming how many are short of them, the confirmation box
    /// and its message when left unticked.
    pub completeness_title: &'static str,
    pub approved_windows: &'static str,
    pub through_month: &'static str,
    /// A member with no month approved from month 1 on: the review counts none of its months.
    pub through_none: &'static str,
    pub incomplete_warning: &'static str,
    pub all_complete: &'static str,
    pub confirm: &'static str,
    pub confirm_first: &'static str,
    pub xlsx: &'static str,
    pub unit: &'static str,
    pub short_of_six: &'static str,
    pub live_link: &'static str,
}

pub static VI: MidStrings = MidStrings {
    title: "Sơ kết 6 tháng",
    link: "Sơ kết 6 tháng",
    intro: "Tiến độ và điểm tạm tính đến hết tháng 6, chốt một lần và ghi vào sổ nhật ký; số liệu phê duyệt hay đính chính sau đó không làm thay đổi bản sơ kết.",
    frozen_at: "Chốt ngày",
    frozen_by: "Người chốt",
    log_index: "Vị trí trong sổ nhật ký",
    sha256: "Mã băm SHA-256 của bản sơ kết",
    sha256_help: "Ai có sổ nhật ký đều tính lại được bản sơ kết từ các sự kiện trước vị trí này (thidua verify).",
    cutoff: "Hết tháng 6 (ngày chốt kỳ)",
    not_frozen: "Chưa chốt sơ kết 6 tháng.",
    freeze_title: "Chốt sơ kết 6 tháng",
    freeze_help: "Chốt tiến độ và điểm tạm tính của mọi đơn vị từ số liệu đã phê duyệt đến hết tháng 6 như hiện có. Mỗi giao ước chỉ chốt một lần, không sửa được.",
    freeze_button: "Chốt sơ kết 6 tháng",
    too_early: "Tháng 6 kết thúc ngày {date}; có thể chốt từ ngày hôm sau.",
    completeness_title: "Số liệu đã phê duyệt đến hết tháng 6",
    approved_windows: "{approved}/{windows} kỳ đã phê duyệt",
    through_month: "sơ kết tính liên tục đến hết tháng",
    through_none: "sơ kết chưa tính được tháng nào",
    incomplete_warning: "Cảnh báo: {short}/{members} đơn vị chưa có đủ số liệu được phê duyệt đến hết tháng 6. Nếu chốt bây giờ, sơ kết chỉ tính các tháng đã phê duyệt liên tục từ tháng 1 của từng đơn vị, và không chốt lại được khi số liệu được phê duyệt thêm.",
    all_complete: "Mọi đơn vị đã có đủ số liệu được phê duyệt đến hết tháng 6.",
    confirm: "Tôi hiểu: sơ kết chỉ chốt một lần, với số liệu đã phê duyệt như hiện có, và không sửa được.",
    confirm_first: "Hãy đánh dấu ô xác nhận rồi bấm lại; chưa có gì được chốt.",
    xlsx: "Tải bản sơ kết (XLSX)",
    unit: "Đơn vị",
    short_of_six: "chưa đủ 6 tháng",
    live_link: "Tiến độ hiện tại",
};

pub static EN: MidStrings = MidStrings {
    title: "Mid-year review",
    link: "Mid-year review",
    intro: "Progress and provisional scores through month 6, frozen once and recorded in the log; figures approved or corrected later do not change the review.",
    frozen_at: "Frozen on",
    frozen_by: "Frozen by",
    log_index: "Position in the log",
    sha256: "SHA-256 of the review",
    sha256_help: "Anyone holding the log recomputes the review from the events before this position (thidua verify).",
    cutoff: "End of month 6 (cut-off)",
    not_frozen: "The mid-year review has not been frozen yet.",
    freeze_title: "Freeze the mid-year review",
    freeze_help: "Freezes every unit's progress and provisional score from the figures approved through month 6 as they stand. Once per covenant; it cannot be edited.",
    freeze_button: "Freeze the mid-year review",
    too_early: "Month 6 closes on {date}; the review can be frozen from the next day.",
    completeness_title: "Figures approved through month 6",
    approved_windows: "{approved}/{windows} windows approved",
    through_month: "the review counts without a gap through month",
    through_none: "the review counts no month yet",
    incomplete_warning: "Warning: {short} of {members} units do not have all their figures through month 6 approved. Frozen now, the review counts each unit's months approved without a gap from month 1 only, and it cannot be frozen again once more figures are approved.",
    all_complete: "Every unit has all its figures through month 6 approved.",
    confirm: "I understand: the review is frozen once, with the figures approved as they stand, and cannot be changed.",
    confirm_first: "Tick the confirmation box, then press again; nothing was frozen.",
    xlsx: "Download the review (XLSX)",
    unit: "Unit",
    short_of_six: "short of 6 months",
    live_link: "Progress now",
};

/// The sentence for a mid-year error code.
pub fn error(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "midyear_exists" => (
            "Sơ kết 6 tháng của giao ước này đã được chốt; mỗi giao ước chỉ chốt một lần.",
            "The mid-year review of this covenant was already frozen; it is frozen once per covenant.",
        ),
        "midyear_no_figures" => (
            "Chưa đơn vị nào có số liệu được phê duyệt từ tháng 1: chưa có gì để sơ kết (sơ kết chỉ chốt một lần).",
            "No member has figures approved from month 1 yet: nothing to review (the review is frozen once).",
        ),
        "midyear_incomplete" => (
            "Còn đơn vị chưa có đủ số liệu được phê duyệt đến hết tháng 6. Sơ kết chỉ chốt một lần, không sửa được: hãy xác nhận đã biết điều này rồi chốt (trên trang: đánh dấu ô xác nhận; qua API: \"acknowledge_incomplete\": true).",
            "Some units do not have all their figures through month 6 approved. The review is frozen once and cannot be changed: acknowledge this to freeze it (on the page: tick the confirmation box; in the API: \"acknowledge_incomplete\": true).",
        ),
        "midyear_too_late" => (
            "Điểm cuối năm của giao ước đã khoá: năm đã kết thúc, không chốt sơ kết 6 tháng nữa.",
            "The covenant's year-end scores are locked: the year is over, no mid-year review is frozen now.",
        ),
        "midyear_too_early" => (
            "Chưa hết tháng 6 theo lịch báo cáo: chỉ chốt sơ kết sau ngày chốt kỳ tháng 6.",
            "Month 6 of the reporting calendar has not closed: the review is frozen after its cut-off.",
        ),
        "midyear_mismatch" => (
            "Bản sơ kết không khớp với sổ nhật ký.",
            "The mid-year review does not match the log.",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// The name of the mid-year event kind.
pub fn event_kind(lang_code: &str, kind: &str) -> Option<&'static str> {
    (kind == "midyear_review_frozen").then_some(match lang_code {
        "en" => "Mid-year review frozen",
        _ => "Chốt sơ kết 6 tháng",
    })
}

/// The sentence telling the mid-year event (`{actor}`, `{covenant}`).
pub fn sentence(lang_code: &str) -> &'static str {
    match lang_code {
        "en" => "{actor} froze the mid-year review of {covenant}.",
        _ => "{actor} đã chốt sơ kết 6 tháng của {covenant}.",
    }
}
