//! The strings of a lineage record's withdrawal: the unit page's status column, the
//! administrator's form, the refusal that names what rests on the record, the history's
//! sentence. Vietnamese first.

/// Every user-visible string about withdrawing a merger or split.
pub struct LineageStrings {
    /// Beside a unit of the lineage form that has ceased ({date}).
    pub ceased_on: &'static str,
    /// Above the lineage form when the unit is a member of years under review ({unit},
    /// {reviews}: "Cluster (year)" joined).
    pub review_open: &'static str,
    pub status: &'static str,
    pub in_force: &'static str,
    pub withdrawn: &'static str,
    pub withdraw_link: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub rule: &'static str,
    pub reason_help: &'static str,
    pub confirm: &'static str,
    pub blocked: &'static str,
    pub blocked_link: &'static str,
    pub sentence_merge: &'static str,
    pub sentence_split: &'static str,
}

pub static VI: LineageStrings = LineageStrings {
    ceased_on: "đã chấm dứt từ {date}",
    review_open: "{unit} là thành viên của {reviews}: đã mở tổng kết năm, chưa công bố kết quả. Việc sáp nhập, chia tách có hiệu lực trong năm đó vẫn được ghi nhận nhưng không làm thay đổi thành viên của năm nữa: đợt tổng kết tiếp tục với các đơn vị đã ký giao ước.",
    status: "Tình trạng",
    in_force: "Đang có hiệu lực",
    withdrawn: "Đã rút lúc {date}.",
    withdraw_link: "Rút bản ghi",
    title: "Rút bản ghi sáp nhập, chia tách",
    intro: "Rút bản ghi khi nó được ghi nhầm (nhầm đơn vị, nhầm ngày hiệu lực, nhầm quyết định). Bản ghi không bị xoá: nó vẫn ở trong sổ và trên trang đơn vị, đánh dấu đã rút kèm lý do. Từ khi rút, các đơn vị mà bản ghi đã chấm dứt hoạt động trở lại và khoá nhân chứng của chúng được tính lại; sau đó có thể ghi nhận lại cho đúng.",
    rule: "Chỉ rút được khi sau bản ghi chưa có sự kiện nào liên quan đến các đơn vị này hoặc đến cụm có các đơn vị này là thành viên: những việc đó có thể đã dựa vào việc sáp nhập, chia tách.",
    reason_help: "Ví dụ: ghi nhầm ngày hiệu lực, quyết định quy định từ ngày 01/07/2025.",
    confirm: "Xác nhận rút bản ghi",
    blocked: "Không rút được bản ghi này: sau nó, sổ đã ghi sự kiện số {index} lúc {time}:",
    blocked_link: "Xem sự kiện trong lịch sử",
    sentence_merge: "{actor} đã rút bản ghi sáp nhập {predecessors} thành {successors} từ ngày {date}.",
    sentence_split: "{actor} đã rút bản ghi chia tách {predecessors} thành {successors} từ ngày {date}.",
};

pub static EN: LineageStrings = LineageStrings {
    ceased_on: "ceased on {date}",
    review_open: "{unit} is a member of {reviews}: the year-end review is open and its results not yet published. A merger or split effective during that year is still recorded, but no longer changes the year's members: the review goes on with the units that signed the covenant.",
    status: "Status",
    in_force: "In force",
    withdrawn: "Withdrawn at {date}.",
    withdraw_link: "Withdraw the record",
    title: "Withdraw a merger or split",
    intro: "Withdraw a record made by mistake (wrong units, wrong effective date, wrong decision). The record is not erased: it stays in the log and on the unit page, marked withdrawn with its reason. From the withdrawal on, the units the record ended exist again and their witness keys count again; the change can then be recorded correctly.",
    rule: "A record can be withdrawn only while no event concerning these units, or a cluster with these units among its members, has been recorded after it: such events may rest on the merger or split.",
    reason_help: "For example: wrong effective date, the decision sets 01/07/2025.",
    confirm: "Withdraw the record",
    blocked: "This record cannot be withdrawn: after it, the log recorded event No. {index} at {time}:",
    blocked_link: "See the event in the history",
    sentence_merge: "{actor} withdrew the record of the merger of {predecessors} into {successors} from {date}.",
    sentence_split: "{actor} withdrew the record of the split of {predecessors} into {successors} from {date}.",
};
