//! The strings of the awards across clusters (tổng hợp khen thưởng), Vietnamese first.

/// Every user-visible string of the awards page.
pub struct AwardStrings {
    pub title: &'static str,
    pub link: &'static str,
    pub intro: &'static str,
    pub year: &'static str,
    pub show: &'static str,
    pub none: &'static str,
    pub cluster: &'static str,
    pub results: &'static str,
    pub published: &'static str,
    pub not_published: &'static str,
    pub first: &'static str,
    pub votes: &'static str,
    pub no_votes: &'static str,
    pub elected: &'static str,
    /// After the units a vote for next year's head or deputy elected.
    pub elected_leader: &'static str,
    pub rank: &'static str,
    pub points: &'static str,
    pub approvals: &'static str,
    pub nobody: &'static str,
    pub in_progress: &'static str,
    pub decided: &'static str,
    pub xlsx: &'static str,
    pub tie: &'static str,
    /// Round 1 left seats and a second round may still be opened: the vote is not over.
    pub second_round: &'static str,
    pub submissions: &'static str,
    pub no_submission: &'static str,
    /// The Government's flag across the clusters against the guide (`votes::quota`).
    pub gov_guide: &'static str,
    pub gov_over: &'static str,
}

pub static VI: AwardStrings = AwardStrings {
    title: "Tổng hợp khen thưởng các cụm",
    link: "Khen thưởng",
    intro: "Kết quả chấm điểm đã công bố, các cuộc bỏ phiếu đề nghị khen thưởng và tờ trình đã phát hành của từng cụm trong năm — như trên trang của từng cụm.",
    year: "Năm",
    show: "Xem",
    none: "Chưa có cụm nào có thành viên trong năm này.",
    cluster: "Cụm",
    results: "Kết quả chấm điểm",
    published: "Đã công bố",
    not_published: "Chưa công bố",
    first: "Hạng nhất",
    votes: "Bỏ phiếu đề nghị khen thưởng",
    no_votes: "Chưa mở bỏ phiếu",
    elected: "được đề nghị",
    elected_leader: "được bầu",
    rank: "hạng",
    points: "điểm",
    approvals: "phiếu đồng ý",
    nobody: "không đơn vị nào đạt",
    in_progress: "đang bỏ phiếu hoặc kiểm phiếu",
    decided: "đã kiểm phiếu",
    xlsx: "Tải bảng tổng hợp (XLSX)",
    tie: "chờ cụm trưởng, cụm phó quyết định trường hợp bằng phiếu",
    second_round: "vòng 1 chưa chọn đủ, có thể mở vòng 2",
    submissions: "Tờ trình đề nghị khen thưởng",
    no_submission: "Chưa phát hành",
    gov_guide: "Cờ thi đua của Chính phủ: các cụm đề nghị {proposed} đơn vị. Hướng dẫn (Nghị định 91/2017 và hướng dẫn năm 2023): khoảng 20% số đơn vị dẫn đầu cụm, tức khoảng {guide} trong {leaders} đơn vị hạng nhất của các cụm đã công bố kết quả.",
    gov_over: "Số đề nghị vượt hướng dẫn: cần rà soát trước khi trình Hội đồng Thi đua – Khen thưởng Bộ.",
};

pub static EN: AwardStrings = AwardStrings {
    title: "Awards across clusters",
    link: "Awards",
    intro: "Each cluster's published scoring results, award votes and the submissions issued for the year — as each cluster's own pages show them.",
    year: "Year",
    show: "Show",
    none: "No cluster has members in this year.",
    cluster: "Cluster",
    results: "Scoring results",
    published: "Published",
    not_published: "Not published",
    first: "First",
    votes: "Award votes",
    no_votes: "No vote opened",
    elected: "proposed",
    elected_leader: "elected",
    rank: "rank",
    points: "points",
    approvals: "approvals",
    nobody: "no unit reached the threshold",
    in_progress: "voting or counting",
    decided: "counted",
    xlsx: "Download the summary (XLSX, in Vietnamese)",
    tie: "a tie awaits the head's and deputy's decision",
    second_round: "round 1 left seats; a second round may be opened",
    submissions: "Award submissions",
    no_submission: "None issued",
    gov_guide: "Government emulation flag: the clusters propose {proposed} units. Guide (Decree 91/2017 and the 2023 guidance): about 20% of the units leading their clusters, that is about {guide} of the {leaders} units ranked first by the clusters that published their results.",
    gov_over: "The proposals exceed the guide: review them before submitting to the Ministry's Emulation and Commendation Council.",
};

impl AwardStrings {
    /// What a vote's status (`ElectionAwardDto::status`) says while it elects nobody, or
    /// `None` once it is decided with units elected (the page then names them).
    pub fn status_words(&self, status: &str, elected_nobody: bool) -> Option<&'static str> {
        match status {
            "in_progress" => Some(self.in_progress),
            "tie" => Some(self.tie),
            "second_round" => Some(self.second_round),
            _ if elected_nobody => Some(self.nobody),
            _ => None,
        }
    }
}
