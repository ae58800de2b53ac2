//! Words the history gives to what the log records as codes: the steps of an election's key
//! ceremony (`commit`, `reveal`, `deal`, `confirm`, `complain` in the log) told as what the
//! trustee did, in Vietnamese and English.

use thidua_domain::votes::CeremonyMessage;

use super::Lang;

/// A key-ceremony step as people read it, inside the sentence "… gửi bước tạo khoá ({step}) …":
/// the four steps numbered in their order ("4/4: xác nhận khoá bỏ phiếu chung"), a complaint
/// said as one.
pub fn ceremony_step(lang: Lang, message: &CeremonyMessage) -> &'static str {
    use CeremonyMessage as M;
    let (vi, en) = match message {
        M::Commit(_) => (
            "1/4: cam kết phần khoá của đơn vị",
            "1 of 4: commitment to the unit's key share",
        ),
        M::Reveal(_) => (
            "2/4: công bố phần khoá công khai",
            "2 of 4: the public part of the key share",
        ),
        M::Deal(_) => (
            "3/4: gửi các mảnh khoá đã mã hoá cho các đơn vị giữ khoá khác",
            "3 of 4: encrypted key pieces sent to the other trustees",
        ),
        M::Confirm(_) => (
            "4/4: xác nhận khoá bỏ phiếu chung",
            "4 of 4: confirmation of the joint ballot key",
        ),
        M::Complain(_) => (
            "khiếu nại một mảnh khoá nhận được không hợp lệ",
            "complaint that a key piece received is invalid",
        ),
    };
    if lang == Lang::En {
        en
    } else {
        vi
    }
}

/// The label of a ceremony message's attempt (a complaint starts the key generation again).
pub fn ceremony_attempt(lang: Lang) -> &'static str {
    if lang == Lang::En {
        "Key generation attempt"
    } else {
        "Lần tạo khoá"
    }
}
