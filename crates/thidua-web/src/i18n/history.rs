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
    lang.pick(vi, en)
}

/// The election page's progress of a key ceremony not yet complete: each of the four steps by
/// name, with how many of the `trustees` have sent it ("Cam kết phần khoá của đơn vị: 3/5 đơn
/// vị giữ khoá đã gửi"), in their order.
pub fn ceremony_progress(lang: Lang, sent: [usize; 4], trustees: usize) -> Vec<String> {
    let names = if lang == Lang::En {
        [
            "Commitment to each unit's key share",
            "The public part of each key share",
            "Encrypted key pieces sent to the other trustees",
            "Confirmation of the joint ballot key",
        ]
    } else {
        [
            "Cam kết phần khoá của đơn vị",
            "Công bố phần khoá công khai",
            "Gửi các mảnh khoá đã mã hoá cho các đơn vị giữ khoá khác",
            "Xác nhận khoá bỏ phiếu chung",
        ]
    };
    names
        .iter()
        .zip(sent)
        .map(|(name, k)| match lang {
            Lang::En => format!("{name}: {k} of {trustees} trustees done"),
            Lang::Vi => format!("{name}: {k}/{trustees} đơn vị giữ khoá đã gửi"),
        })
        .collect()
}

/// The label of a ceremony message's attempt (a complaint starts the key generation again).
pub fn ceremony_attempt(lang: Lang) -> &'static str {
    lang.pick("Lần tạo khoá", "Key generation attempt")
}
