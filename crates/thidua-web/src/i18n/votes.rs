//! The strings of the voting pages and the sentences of vote events and refusals, Vietnamese
//! and English, kept apart from the main tables so that the votes stage stays in its own files.
//! English distinguishes one from many with `{count|one|other}` in the sentence ([`fill`]).

use super::fill;

/// Every string the voting pages use.
pub struct VoteStrings {
    pub elections: &'static str,
    pub election: &'static str,
    pub award: &'static str,
    pub award_government_flag: &'static str,
    pub award_ministry_flag: &'static str,
    pub award_certificate: &'static str,
    pub award_head: &'static str,
    pub award_deputy: &'static str,
    pub candidates: &'static str,
    pub seats: &'static str,
    pub approval: &'static str,
    pub quorum: &'static str,
    pub trustees: &'static str,
    /// Under a decrypted round: the trustees whose decryption shares it took.
    pub shares_from: &'static str,
    pub trustee_threshold: &'static str,
    pub ceremony: &'static str,
    pub ceremony_waiting: &'static str,
    pub ceremony_done: &'static str,
    /// An abandoned key generation: `{attempt}`, `{complainer}`, `{accused}`, `{verdict}`.
    pub ceremony_failed: &'static str,
    pub verdict_accused_at_fault: &'static str,
    pub verdict_complaint_unfounded: &'static str,
    pub round: &'static str,
    /// "round {round}" inside a sentence or a button.
    pub round_n: &'static str,
    /// A fraction of the members and what it comes to: `{fraction}`, `{needed}`, `{members}`.
    pub members_share: &'static str,
    /// `{count}` approvals (a tied unit's).
    pub approvals_count: &'static str,
    pub round_open: &'static str,
    /// A round before the trustees' key exists.
    pub round_awaiting_key: &'static str,
    pub round_closed: &'static str,
    pub round_counted: &'static str,
    pub round_no_quorum: &'static str,
    pub voted: &'static str,
    pub not_voted: &'static str,
    pub who_voted: &'static str,
    pub approvals: &'static str,
    pub abstentions: &'static str,
    pub percent_of_members: &'static str,
    pub passes: &'static str,
    pub elected: &'static str,
    pub not_elected: &'static str,
    /// After "Được chọn:" when no candidate was chosen.
    pub none_elected: &'static str,
    pub tie: &'static str,
    pub tie_decided: &'static str,
    /// How a decided tie was decided: the head and the deputy alike.
    pub tie_rule_agreed: &'static str,
    /// How a decided tie was decided: the two differ, the head's decision prevails.
    pub tie_rule_head_over_deputy: &'static str,
    /// How a decided tie was decided: no deputy in the year, the head decided alone.
    pub tie_rule_head_alone: &'static str,
    /// How a decided tie was decided: no head in the year, the deputy decided alone.
    pub tie_rule_deputy_alone: &'static str,
    pub tie_rule_deputy_silent: &'static str,
    /// The label of how a tie decision stands (in the history's details).
    pub tie_how: &'static str,
    /// The head decided, the deputy not yet: when the head's decision may stand alone.
    pub tie_waiting_deputy: &'static str,
    /// Heading of the recorded decisions of a tie.
    pub tie_decisions: &'static str,
    pub tie_head: &'static str,
    pub tie_deputy: &'static str,
    /// Between who recorded a decision and its record number: "recorded by", "record".
    pub tie_recorded_by: &'static str,
    pub tie_record: &'static str,
    /// Before the units a decision chose.
    pub tie_chose: &'static str,
    pub paper: &'static str,
    pub paper_confirmed_by: &'static str,
    pub small_electorate: &'static str,
    pub vote_title: &'static str,
    pub vote_intro: &'static str,
    pub vote_abstain: &'static str,
    pub vote_approve_none: &'static str,
    pub vote_choose_up_to: &'static str,
    pub vote_button: &'static str,
    pub vote_browser_path: &'static str,
    pub vote_cli_path: &'static str,
    /// The ballot's secrecy in one plain sentence, before the details of the two ways to vote.
    pub vote_secret: &'static str,
    /// The summary of those details (folded).
    pub vote_paths_summary: &'static str,
    pub vote_noscript: &'static str,
    pub vote_revote: &'static str,
    pub vote_key_note: &'static str,
    pub vote_working: &'static str,
    /// More candidates ticked than seats (`{seats}`), said before anything is encrypted.
    pub vote_too_many: &'static str,
    /// Nothing ticked (no candidate, no abstention), said beside the choices; nothing is sent.
    pub vote_choose_none: &'static str,
    /// Candidates and the abstention both ticked, said beside the choices; nothing is sent.
    pub vote_choose_both: &'static str,
    /// The ballot could not be sent for a reason without a sentence of its own.
    pub vote_failed: &'static str,
    pub vote_done: &'static str,
    pub receipt: &'static str,
    pub receipt_hash: &'static str,
    pub receipt_index_invalid: &'static str,
    /// A hash given without the record number.
    pub receipt_index_missing: &'static str,
    /// A record number given without the hash.
    pub receipt_hash_missing: &'static str,
    /// A hash that is not 64 hexadecimal digits.
    pub receipt_hash_invalid: &'static str,
    pub receipt_index: &'static str,
    pub receipt_check: &'static str,
    pub receipt_found: &'static str,
    pub receipt_counted: &'static str,
    pub receipt_replaced: &'static str,
    pub cast_by_other: &'static str,
    pub receipt_not_found: &'static str,
    pub minutes: &'static str,
    pub minutes_title: &'static str,
    pub minutes_print: &'static str,
    pub minutes_counting_team: &'static str,
    pub minutes_electronic_team: &'static str,
    pub minutes_issued: &'static str,
    pub minutes_returned: &'static str,
    pub minutes_valid: &'static str,
    pub minutes_invalid: &'static str,
    pub minutes_result: &'static str,
    pub minutes_verify: &'static str,
    /// What `thidua verify` checks of a round counted on paper.
    pub minutes_verify_paper: &'static str,
    /// A round counted on paper with no electronic ballot, in place of who voted.
    pub paper_round: &'static str,
    /// A paper count's ballots: `{returned}` of `{issued}`.
    pub paper_ballots: &'static str,
    pub minutes_official: &'static str,
    pub secretary: &'static str,
    pub chair: &'static str,
    pub ev_standing: &'static str,
    pub ev_election_opened: &'static str,
    pub ev_ceremony: &'static str,
    pub ev_voter_key: &'static str,
    pub ev_ballot: &'static str,
    pub ev_round_closed: &'static str,
    pub ev_decryption: &'static str,
    pub ev_counted: &'static str,
    pub ev_second_round: &'static str,
    pub ev_tie: &'static str,
    pub ev_paper: &'static str,
    pub ev_paper_confirmed: &'static str,
    pub ev_paper_withdrawn: &'static str,
    /// The electronic count of a round set aside, to be counted on paper.
    pub ev_count_set_aside: &'static str,
    pub withdraw_reason: &'static str,
    /// Why the electronic count was set aside (the history's detail, the election page).
    pub set_aside_reason: &'static str,
    /// A round whose electronic count was set aside, before its paper count is confirmed.
    pub round_set_aside: &'static str,
    /// On the election page: the electronic count set aside at `{index}` on `{time}`.
    pub set_aside_notice: &'static str,
    pub ballot_hash: &'static str,
    /// A registered voting key's label in the history's details.
    pub voting_key: &'static str,
    pub eligible: &'static str,
    pub rank: &'static str,
    /// A paper count recorded, waiting for two members' confirmations.
    pub round_paper_confirming: &'static str,
    /// A paper count withdrawn (or the electronic count set aside): a count is to be recorded.
    pub round_paper_awaited: &'static str,
    /// A round closed below the quorum: it held no valid ballot and may be held again.
    pub no_quorum_rerun: &'static str,
    /// A unit whose approvals reach the threshold but that the tie decision did not choose.
    pub passes_not_chosen: &'static str,
    /// A unit elected next year's head or deputy.
    pub elected_leader: &'static str,
    /// Heading of the ranked units an election leaves out, with why.
    pub left_out: &'static str,
    /// Left out: another award vote of the year already proposed it (`{election}` follows).
    pub left_proposed: &'static str,
    /// Left out: not a member of the cluster next year.
    pub left_not_member: &'static str,
    /// Left out: not a member next year, continued by `{unit}` (which follows).
    pub left_merged: &'static str,
    /// Not listed itself: stands as the unit continuing it next year (which follows).
    pub left_stands_as: &'static str,
    /// Left out: no rank in the year's results.
    pub left_not_ranked: &'static str,
    /// Left out: a disciplinary decision pending (the published results).
    pub left_discipline: &'static str,
    /// Left out: ineligible by the recorded standing, whose basis follows.
    pub left_ineligible: &'static str,
    /// Left out of a later round: elected in round `{round}`.
    pub left_elected_in_round: &'static str,
    /// Left out of a later round: stood in round `{round}`, not carried on.
    pub left_not_carried: &'static str,
    /// Left out: not listed when the vote was opened.
    pub left_not_listed: &'static str,
    /// The cancelled election's notice: `{by}`, `{time}`, `{index}`.
    pub cancelled_notice: &'static str,
    /// The label of a cancellation's reason (the election page, the history).
    pub cancelled_reason: &'static str,
    /// The history: `{actor}` cancelled `{election}`.
    pub ev_election_cancelled: &'static str,
    /// The concluded election's notice: `{by}`, `{time}`, `{index}`.
    pub concluded_notice: &'static str,
    /// The label of a conclusion's reason (the election page, the history).
    pub concluded_reason: &'static str,
    /// The history: `{actor}` concluded `{election}` without a further round.
    pub ev_election_concluded: &'static str,
    /// Heading of the voting-key registrations of the election.
    pub key_registrations: &'static str,
    /// A key registration replacing the unit's earlier key.
    pub key_replaced: &'static str,
    /// A key registration that was the unit's first.
    pub key_first: &'static str,
    /// To a leader whose unit's key was registered again by someone else: `{time}`, `{by}`.
    pub key_changed_notice: &'static str,
    /// On the ballot page: anyone holding a leader's session may register the unit's key again.
    pub vote_key_change_note: &'static str,
}

pub static VI: VoteStrings = VoteStrings {
    elections: "Bỏ phiếu",
    election: "Cuộc bỏ phiếu",
    award: "Nội dung",
    award_government_flag: "Cờ thi đua của Chính phủ",
    award_ministry_flag: "Cờ thi đua của Bộ Công an",
    award_certificate: "Bằng khen",
    award_head: "Cụm trưởng năm sau",
    award_deputy: "Cụm phó năm sau",
    candidates: "Đơn vị được đề cử (theo thứ hạng)",
    seats: "Số được chọn",
    approval: "Tỷ lệ đồng ý cần có",
    quorum: "Số thành viên phải tham gia",
    trustees: "Đơn vị giữ khoá",
    shares_from: "Đơn vị giữ khoá đã gửi phần giải mã",
    trustee_threshold: "Số đơn vị cần để giải mã",
    ceremony: "Tạo khoá bỏ phiếu",
    ceremony_waiting: "Đang chờ các đơn vị giữ khoá hoàn thành bước tạo khoá.",
    ceremony_done: "Khoá bỏ phiếu đã được tạo; mọi người kiểm tra lại được từ sổ.",
    ceremony_failed: "Lần tạo khoá {attempt} bị huỷ: {complainer} khiếu nại {accused}; {verdict}.",
    verdict_accused_at_fault: "đơn vị bị khiếu nại có lỗi",
    verdict_complaint_unfounded: "khiếu nại không có căn cứ",
    round: "Vòng",
    round_n: "vòng {round}",
    members_share: "{fraction} số thành viên ({needed} trên {members} đơn vị)",
    approvals_count: "{count} phiếu đồng ý",
    round_open: "đang nhận phiếu",
    round_awaiting_key: "chờ các đơn vị giữ khoá tạo khoá bỏ phiếu, chưa nhận phiếu",
    round_closed: "đã kết thúc, chờ giải mã kết quả",
    round_counted: "đã kiểm phiếu",
    round_no_quorum: "không đủ số thành viên tham gia, không kiểm phiếu",
    voted: "Đã bỏ phiếu",
    not_voted: "Chưa bỏ phiếu",
    who_voted: "Đơn vị đã bỏ phiếu (công khai)",
    approvals: "Số phiếu đồng ý",
    abstentions: "Phiếu không biểu quyết",
    percent_of_members: "Tỷ lệ trên tổng số thành viên",
    passes: "Đạt tỷ lệ",
    elected: "Được chọn",
    not_elected: "Không được chọn",
    none_elected: "không có đơn vị nào đạt số phiếu cần thiết",
    tie: "Bằng phiếu ở vị trí cuối: cụm trưởng và cụm phó quyết định (nếu hai quyết định khác nhau, hoặc năm đó cụm không có cụm phó, hoặc cụm phó không ghi quyết định trong {days} ngày sau khi kiểm phiếu, thì theo quyết định của cụm trưởng; năm không có cụm trưởng thì theo quyết định của cụm phó)",
    tie_decided: "Trường hợp bằng phiếu ở vị trí cuối đã được quyết định",
    tie_rule_agreed: "Cụm trưởng và cụm phó quyết định như nhau.",
    tie_rule_head_over_deputy: "Quyết định của cụm trưởng và cụm phó khác nhau: theo quyết định của cụm trưởng.",
    tie_rule_head_alone: "Năm đó cụm không có cụm phó: cụm trưởng quyết định.",
    tie_rule_deputy_alone: "Năm đó cụm không có cụm trưởng: cụm phó quyết định.",
    tie_how: "Hiệu lực",
    tie_rule_deputy_silent: "Cụm phó không ghi quyết định trong {days} ngày sau khi kiểm phiếu: theo quyết định của cụm trưởng.",
    tie_waiting_deputy: "Chờ quyết định của cụm phó. Nếu đến ngày {date} cụm phó vẫn chưa ghi quyết định, cụm trưởng ghi lại quyết định của mình và quyết định đó có hiệu lực.",
    tie_decisions: "Các quyết định đã ghi",
    tie_head: "Cụm trưởng",
    tie_deputy: "Cụm phó",
    tie_recorded_by: "người ghi",
    tie_record: "bản ghi",
    tie_chose: "chọn",
    paper: "Kiểm phiếu giấy tại hội nghị (ban kiểm phiếu nhập, hai thành viên xác nhận)",
    paper_confirmed_by: "Xác nhận bởi",
    small_electorate: "Cụm có ít thành viên: nếu kết quả nhất trí thì lựa chọn của từng đơn vị đều lộ ra; danh sách đơn vị đã bỏ phiếu là công khai.",
    vote_title: "Phiếu bầu",
    vote_intro: "Đánh dấu các đơn vị anh/chị đồng ý, hoặc “Không đồng ý đơn vị nào”, hoặc “Không biểu quyết”.",
    vote_abstain: "Không biểu quyết",
    vote_approve_none: "Không đồng ý đơn vị nào",
    vote_choose_up_to: "Chọn tối đa",
    vote_button: "Mã hoá và gửi phiếu",
    vote_browser_path: "Trên trình duyệt: phiếu được mã hoá ngay trên máy của anh/chị bằng mã WebAssembly do máy chủ này cung cấp, rồi mới gửi đi. Máy chủ chỉ nhận phiếu đã mã hoá và không đọc được lựa chọn; nhưng máy chủ cung cấp mã chạy trên trình duyệt, nên một máy chủ gian lận có thể gửi mã khác để đọc lựa chọn trước khi mã hoá. Khoá bầu cử dùng để mã hoá cũng lấy từ trang do máy chủ gửi, không được tính lại trên máy anh/chị: một máy chủ gian lận có thể thay bằng khoá nó giữ. Máy chủ biết đơn vị nào đã bỏ phiếu và lúc nào.",
    vote_secret: "Phiếu kín: lựa chọn được mã hoá ngay trên máy của anh/chị rồi mới gửi đi; máy chủ biết đơn vị nào đã bỏ phiếu, không biết đơn vị chọn ai. Kết quả chỉ giải mã được khi đủ số đơn vị giữ khoá cùng tham gia, sau khi đóng vòng bỏ phiếu.",
    vote_paths_summary: "Bỏ phiếu trên trình duyệt hay bằng dòng lệnh: mỗi cách tin vào điều gì",
    vote_cli_path: "Bằng dòng lệnh: chạy “thidua vote” trên máy của mình (mã do anh/chị tự kiểm tra và biên dịch). Khoá bầu cử được tính lại trên máy đó từ các thông điệp tạo khoá của các đơn vị giữ khoá trong sổ ghi (không tin khoá máy chủ báo; khác nhau thì không mã hoá). Với --log-key (khoá công khai của sổ ghi, nên đối chiếu với khoá lấy từ nguồn khác máy chủ này, ví dụ văn bản của cụm), mọi mục sổ đọc được còn được đối chiếu với bản chốt sổ có chữ ký, nên máy chủ không thể cho xem một lịch sử đã bị sửa. Lựa chọn được mã hoá trên máy đó; máy chủ chỉ nhận phiếu đã mã hoá và biết đơn vị nào đã bỏ phiếu.",
    vote_noscript: "Trình duyệt không chạy JavaScript: hãy bỏ phiếu bằng lệnh",
    vote_revote: "Có thể bỏ phiếu lại trước khi kết thúc vòng; phiếu hợp lệ cuối cùng được tính.",
    vote_key_note: "Khoá bỏ phiếu của đơn vị được tạo và lưu trên trình duyệt này; máy chủ chỉ nhận khoá công khai.",
    vote_working: "Đang mã hoá phiếu…",
    vote_too_many: "Chỉ được chọn tối đa {seats} đơn vị; hãy bỏ bớt lựa chọn.",
    vote_choose_none: "Chưa có lựa chọn: hãy đánh dấu ít nhất một đơn vị đồng ý, hoặc “Không đồng ý đơn vị nào”, hoặc “Không biểu quyết”. Phiếu chưa được gửi.",
    vote_choose_both: "Đã đánh dấu nhiều loại lựa chọn cùng lúc (đơn vị, “Không đồng ý đơn vị nào”, “Không biểu quyết”): hãy chỉ giữ một loại. Phiếu chưa được gửi.",
    vote_failed: "Chưa gửi được phiếu; hãy tải lại trang và thử lại.",
    vote_done: "Đã ghi phiếu vào sổ. Giữ lại biên nhận:",
    receipt: "Biên nhận phiếu",
    receipt_hash: "Mã băm của phiếu",
    receipt_index: "Số thứ tự trong sổ",
    receipt_index_invalid: "Số thứ tự trong sổ là một số nguyên, ví dụ 383 (in trên biên nhận).",
    receipt_index_missing: "Nhập số thứ tự trong sổ (in trên biên nhận).",
    receipt_hash_missing: "Nhập mã băm của phiếu (in trên biên nhận).",
    receipt_hash_invalid: "Mã băm gồm 64 chữ số hệ 16 (0–9, a–f), như in trên biên nhận.",
    receipt_check: "Kiểm tra biên nhận",
    receipt_found: "Phiếu có mã băm này nằm trong sổ ở số thứ tự",
    receipt_counted: "Đây là phiếu được tính của đơn vị.",
    receipt_replaced: "Phiếu này đã được thay bằng một phiếu gửi sau; phiếu sau được tính.",
    cast_by_other: "Phiếu được tính do {by} gửi, thay phiếu trước của đơn vị do {earlier} gửi.",
    receipt_not_found: "Không có phiếu nào có mã băm này ở số thứ tự đã nhập.",
    minutes: "Biên bản kiểm phiếu",
    minutes_title: "BIÊN BẢN KIỂM PHIẾU",
    minutes_print: "In biên bản",
    minutes_counting_team: "Ban kiểm phiếu",
    minutes_electronic_team: "Kiểm phiếu điện tử: các đơn vị giữ khoá đã giải mã tổng số phiếu",
    minutes_issued: "Số phiếu phát ra",
    minutes_returned: "Số phiếu thu về",
    minutes_valid: "Số phiếu hợp lệ",
    minutes_invalid: "Số phiếu không hợp lệ",
    minutes_result: "Kết quả",
    minutes_official: "Biên bản kiểm phiếu chính thức (số, ngày, địa điểm; PDF và DOCX) ở mục Văn bản của cụm",
    minutes_verify: "Mọi thành viên kiểm tra lại được từng phiếu, tổng số và các phần giải mã bằng lệnh “thidua verify”.",
    minutes_verify_paper: "Vòng này kiểm phiếu giấy: phiếu giấy không nằm trong sổ thi đua. Bằng lệnh “thidua verify”, mọi thành viên kiểm tra lại được kết quả kiểm phiếu đã ghi trong sổ và hai xác nhận của hai thành viên (hai người khác nhau, không phải người đã nhập kết quả).",
    paper_round: "Vòng này kiểm phiếu giấy tại hội nghị, không bỏ phiếu điện tử.",
    paper_ballots: "Số phiếu thu về: {returned} trên {issued} phiếu phát ra.",
    secretary: "THƯ KÝ",
    chair: "CHỦ TỌA",
    ev_standing: "{actor} đã ghi thứ hạng và điều kiện đề nghị khen thưởng của {unit}.",
    ev_election_opened: "{actor} đã mở cuộc bỏ phiếu {election}.",
    ev_ceremony: "{unit} đã gửi bước tạo khoá ({step}) của cuộc bỏ phiếu {election}.",
    ev_voter_key: "{unit} đã đăng ký khoá bỏ phiếu cho cuộc bỏ phiếu {election}.",
    ev_ballot: "{unit} đã bỏ phiếu kín vòng {round} của cuộc bỏ phiếu {election}.",
    ev_round_closed: "{actor} đã kết thúc vòng {round} của cuộc bỏ phiếu {election}.",
    ev_decryption: "{unit} đã gửi phần giải mã vòng {round} của cuộc bỏ phiếu {election}.",
    ev_counted: "Kết quả vòng {round} của cuộc bỏ phiếu {election} đã được giải mã.",
    ev_second_round: "{actor} đã mở vòng bỏ phiếu tiếp theo của cuộc bỏ phiếu {election}.",
    ev_tie: "{unit} đã quyết định trường hợp bằng phiếu vòng {round} của cuộc bỏ phiếu {election}.",
    ev_paper: "{actor} đã ghi kết quả kiểm phiếu giấy vòng {round} của cuộc bỏ phiếu {election}.",
    ev_paper_confirmed: "{unit} đã xác nhận kết quả kiểm phiếu giấy vòng {round} của cuộc bỏ phiếu {election}.",
    ev_paper_withdrawn: "{actor} đã rút kết quả kiểm phiếu giấy chưa được xác nhận của vòng {round} của cuộc bỏ phiếu {election}.",
    ev_count_set_aside: "{actor} đã dừng kiểm phiếu điện tử vòng {round} của cuộc bỏ phiếu {election} vì không đủ đơn vị giữ khoá giải mã; vòng này được kiểm phiếu giấy tại hội nghị.",
    withdraw_reason: "Lý do rút",
    set_aside_reason: "Lý do dừng kiểm phiếu điện tử",
    round_set_aside: "đã dừng kiểm phiếu điện tử, chờ kết quả kiểm phiếu giấy",
    set_aside_notice: "Kiểm phiếu điện tử của vòng này đã dừng (ghi ở số thứ tự {index}, lúc {time}): không đủ đơn vị giữ khoá gửi phần giải mã. Các phiếu điện tử vẫn lưu trong sổ nhưng không được kiểm; kết quả của vòng là kết quả kiểm phiếu giấy tại hội nghị.",
    ballot_hash: "Mã băm của phiếu",
    voting_key: "Khoá bỏ phiếu (Ed25519)",
    eligible: "Đủ điều kiện đề nghị",
    rank: "Thứ hạng",
    round_paper_confirming: "đã kết thúc, chờ hai thành viên xác nhận kết quả kiểm phiếu giấy",
    round_paper_awaited: "đã kết thúc, chờ ghi kết quả kiểm phiếu giấy",
    no_quorum_rerun: "Hội nghị không đủ số thành viên tham gia nên chưa có lần bỏ phiếu hợp lệ: vòng này không tính vào giới hạn hai vòng bỏ phiếu, thư ký cụm tổ chức bỏ phiếu lại được.",
    passes_not_chosen: "Đạt tỷ lệ, không được chọn",
    elected_leader: "Được bầu",
    left_out: "Không đưa vào danh sách",
    left_proposed: "đã được đề nghị ở cuộc bỏ phiếu",
    left_not_member: "không là thành viên của cụm năm sau",
    left_merged: "không là thành viên của cụm năm sau (tiếp nối bởi",
    left_stands_as: "ứng cử dưới tên đơn vị tiếp nối là thành viên của cụm năm sau:",
    left_not_ranked: "không được xếp hạng trong kết quả năm",
    left_discipline: "đang xem xét kỷ luật, không đủ điều kiện đề nghị khen thưởng",
    left_ineligible: "không đủ điều kiện đề nghị khen thưởng theo thứ hạng Thư ký cụm đã ghi nhận:",
    left_elected_in_round: "đã được chọn ở vòng {round}",
    left_not_carried: "là ứng viên vòng {round}, không được đưa vào vòng sau",
    left_not_listed: "không có trong danh sách ứng viên khi mở cuộc bỏ phiếu",
    cancelled_notice: "Cuộc bỏ phiếu đã bị huỷ bởi {by} lúc {time} (số thứ tự {index}): không nhận thêm phiếu, phần giải mã hay kết quả nào; các phiếu đã bỏ không được giải mã, không được kiểm.",
    cancelled_reason: "Lý do huỷ",
    ev_election_cancelled: "{actor} đã huỷ cuộc bỏ phiếu {election}; các phiếu đã bỏ không được kiểm.",
    concluded_notice: "Cuộc bỏ phiếu đã được {by} kết thúc lúc {time} (số thứ tự {index}) mà không mở thêm vòng: các đơn vị đã được chọn vẫn được đề nghị; các ứng viên còn lại có thể được đưa vào cuộc bỏ phiếu khen thưởng khác của năm.",
    concluded_reason: "Lý do kết thúc",
    ev_election_concluded: "{actor} đã kết thúc cuộc bỏ phiếu {election}, không mở thêm vòng.",
    key_registrations: "Đăng ký khoá bỏ phiếu (công khai)",
    key_replaced: "đăng ký lại, thay khoá trước",
    key_first: "đăng ký lần đầu",
    key_changed_notice: "Khoá bỏ phiếu của đơn vị anh/chị đã được đăng ký lại lúc {time}, do {by}. Nếu không phải anh/chị, hãy báo ngay cho thư ký cụm: phiếu ký bằng khoá mới được tính là phiếu của đơn vị.",
    vote_key_change_note: "Ai đăng nhập được bằng tài khoản lãnh đạo của đơn vị cũng đăng ký lại được khoá bỏ phiếu của đơn vị (ví dụ khi đổi máy). Mỗi lần đăng ký đều hiện công khai trên trang cuộc bỏ phiếu, kèm thời điểm và người đăng ký, và lãnh đạo đơn vị được báo khi khoá bị đổi.",
};

pub static EN: VoteStrings = VoteStrings {
    elections: "Votes",
    election: "Vote",
    award: "Subject",
    award_government_flag: "Government emulation flag",
    award_ministry_flag: "Ministry of Public Security flag",
    award_certificate: "Certificate of merit",
    award_head: "Next year's head",
    award_deputy: "Next year's deputy",
    candidates: "Candidates (in rank order)",
    seats: "To choose",
    approval: "Approvals needed",
    quorum: "Members who must take part",
    trustees: "Key trustees",
    shares_from: "Trustees who sent their decryption shares",
    trustee_threshold: "Trustees needed to decrypt",
    ceremony: "Ballot key generation",
    ceremony_waiting: "Waiting for the trustees to finish generating the key.",
    ceremony_done: "The ballot key is generated; anyone can recompute it from the record.",
    ceremony_failed: "Key generation attempt {attempt} abandoned: {complainer} complained about {accused}; {verdict}.",
    verdict_accused_at_fault: "the unit complained about was at fault",
    verdict_complaint_unfounded: "the complaint was unfounded",
    round: "Round",
    round_n: "round {round}",
    members_share: "{fraction} of the members ({needed} of {members} {members|unit|units})",
    approvals_count: "{count} {count|approval|approvals}",
    round_open: "open for ballots",
    round_awaiting_key: "waiting for the trustees' voting key; no ballots yet",
    round_closed: "closed, waiting for the trustees to decrypt the totals",
    round_counted: "counted",
    round_no_quorum: "too few members took part, not counted",
    voted: "Voted",
    not_voted: "Not voted",
    who_voted: "Units that voted (public)",
    approvals: "Approvals",
    abstentions: "Abstentions",
    percent_of_members: "Share of the total membership",
    passes: "Reaches the threshold",
    elected: "Chosen",
    not_elected: "Not chosen",
    none_elected: "no unit reached the votes needed",
    tie: "Tie at the cut-off: the head and the deputy decide (if their decisions differ, the cluster has no deputy that year, or the deputy records none within {days} days of the count, the head's decision prevails; in a year without a head, the deputy's)",
    tie_decided: "The tie at the cut-off was decided",
    tie_rule_agreed: "The head and the deputy decided alike.",
    tie_rule_head_over_deputy: "The head's and the deputy's decisions differ: the head's decision prevails.",
    tie_rule_head_alone: "The cluster had no deputy that year: the head decided.",
    tie_rule_deputy_alone: "The cluster had no head that year: the deputy decided.",
    tie_how: "Standing",
    tie_rule_deputy_silent: "The deputy recorded no decision within {days} days of the count: the head's decision stands.",
    tie_waiting_deputy: "Waiting for the deputy's decision. If the deputy has recorded none by {date}, the head records its decision again and it stands.",
    tie_decisions: "Recorded decisions",
    tie_head: "Head",
    tie_deputy: "Deputy",
    tie_recorded_by: "recorded by",
    tie_record: "record",
    tie_chose: "chose",
    paper: "Counted on paper at the meeting (entered by the counting team, confirmed by two members)",
    paper_confirmed_by: "Confirmed by",
    small_electorate: "Small electorate: a unanimous result reveals every unit's choice, and the list of units that voted is public.",
    vote_title: "Ballot",
    vote_intro: "Tick the units you approve, or “Approve none of them”, or “Abstain”.",
    vote_abstain: "Abstain",
    vote_approve_none: "Approve none of them",
    vote_choose_up_to: "Choose at most",
    vote_button: "Encrypt and send the ballot",
    vote_browser_path: "In the browser: your ballot is encrypted on your own machine by WebAssembly code this server provides, and only then sent. The server receives the encrypted ballot and cannot read your choice; but since the server provides the code your browser runs, a dishonest server could send other code that reads your choice before it is encrypted. The election key it encrypts with also comes from the page the server sends and is not recomputed on your machine: a dishonest server could substitute a key it holds. The server knows which unit voted and when.",
    vote_secret: "A secret ballot: your choice is encrypted on your own machine before it is sent; the server knows which unit voted, not whom it chose. The totals can be decrypted only by enough key-holding units together, once the round is closed.",
    vote_paths_summary: "Voting in the browser or from the command line: what each relies on",
    vote_cli_path: "From the command line: run “thidua vote” on your own machine (code you can check and build yourself). The election key is recomputed there from the trustees' key-ceremony messages in the log (the key the server reports is not trusted; on a difference nothing is encrypted). With --log-key (the log's public key; compare it with one obtained elsewhere than this server, e.g. from the cluster's documents) every log entry read is also checked against the log's signed checkpoint, so the server cannot show an altered history. Your choice is encrypted there; the server receives the encrypted ballot and knows which unit voted.",
    vote_noscript: "Your browser does not run JavaScript: vote with the command",
    vote_revote: "You may vote again before the round closes; the last valid ballot counts.",
    vote_key_note: "Your unit's voting key is created and kept in this browser; the server only receives the public key.",
    vote_working: "Encrypting the ballot…",
    vote_too_many: "Choose at most {seats} {seats|unit|units}; untick some.",
    vote_choose_none: "Nothing chosen: tick at least one unit you approve, or “Approve none of them”, or “Abstain”. The ballot was not sent.",
    vote_choose_both: "More than one kind of choice is ticked (units, “Approve none of them”, “Abstain”): keep only one. The ballot was not sent.",
    vote_failed: "The ballot could not be sent; reload the page and try again.",
    vote_done: "The ballot is in the record. Keep your receipt:",
    receipt: "Ballot receipt",
    receipt_hash: "Ballot hash",
    receipt_index: "Record number",
    receipt_index_invalid: "The record number is a whole number, e.g. 383 (printed on the receipt).",
    receipt_index_missing: "Enter the record number (printed on the receipt).",
    receipt_hash_missing: "Enter the ballot hash (printed on the receipt).",
    receipt_hash_invalid: "The ballot hash is 64 hexadecimal digits (0–9, a–f), as printed on the receipt.",
    receipt_check: "Check a receipt",
    receipt_found: "A ballot with this hash is in the record at number",
    receipt_counted: "It is the unit's ballot that counts.",
    receipt_replaced: "It was replaced by a later ballot of the unit, which counts instead.",
    cast_by_other: "The ballot counted was cast by {by}, replacing the unit's earlier ballot cast by {earlier}.",
    receipt_not_found: "No ballot with this hash at the record number given.",
    minutes: "Vote-count minutes",
    minutes_title: "VOTE-COUNT MINUTES",
    minutes_print: "Print the minutes",
    minutes_counting_team: "Counting team",
    minutes_electronic_team: "Electronic count: the key trustees decrypted the totals",
    minutes_issued: "Ballots issued",
    minutes_returned: "Ballots returned",
    minutes_valid: "Valid ballots",
    minutes_invalid: "Invalid ballots",
    minutes_result: "Result",
    minutes_official: "The official minutes of the count (number, date, place; PDF and DOCX) in the cluster's Documents section",
    minutes_verify: "Every member can recheck each ballot, the totals and the decryption shares with “thidua verify”.",
    minutes_verify_paper: "This round was counted on paper: the paper ballots are not in the log. With “thidua verify” every member can recheck the count as recorded in the log and its two confirmations by two members (two different people, neither the one who entered the count).",
    paper_round: "This round was counted on paper at the meeting, not voted electronically.",
    paper_ballots: "Ballots returned: {returned} of {issued} issued.",
    secretary: "SECRETARY",
    chair: "CHAIR",
    ev_standing: "{actor} recorded the standing and award eligibility of {unit}.",
    ev_election_opened: "{actor} opened the vote {election}.",
    ev_ceremony: "{unit} posted a key-generation step ({step}) of the vote {election}.",
    ev_voter_key: "{unit} registered its voting key for the vote {election}.",
    ev_ballot: "{unit} cast an (encrypted) ballot in round {round} of the vote {election}.",
    ev_round_closed: "{actor} closed round {round} of the vote {election}.",
    ev_decryption: "{unit} posted its decryption shares for round {round} of the vote {election}.",
    ev_counted: "The result of round {round} of the vote {election} was decrypted.",
    ev_second_round: "{actor} opened the next round of the vote {election}.",
    ev_tie: "{unit} decided the tie of round {round} of the vote {election}.",
    ev_paper: "{actor} recorded the paper count of round {round} of the vote {election}.",
    ev_paper_confirmed: "{unit} confirmed the paper count of round {round} of the vote {election}.",
    ev_paper_withdrawn: "{actor} withdrew the unconfirmed paper count of round {round} of the vote {election}.",
    ev_count_set_aside: "{actor} set aside the electronic count of round {round} of the vote {election}, as too few trustees can decrypt it; the round is counted on paper at the meeting.",
    withdraw_reason: "Reason for withdrawing",
    set_aside_reason: "Why the electronic count was set aside",
    round_set_aside: "electronic count set aside, waiting for the paper count",
    set_aside_notice: "The electronic count of this round was set aside (record {index}, {time}): too few trustees posted their decryption shares. The electronic ballots stay in the record but are not counted; the round's result is the paper count taken at the meeting.",
    ballot_hash: "Ballot hash",
    voting_key: "Voting key (Ed25519)",
    eligible: "Eligible for proposal",
    rank: "Rank",
    round_paper_confirming: "closed, waiting for two members to confirm the paper count",
    round_paper_awaited: "closed, waiting for the paper count to be recorded",
    no_quorum_rerun: "Too few members took part, so the meeting held no valid ballot: this round does not count toward the two ballot rounds, and the secretariat may hold the vote again.",
    passes_not_chosen: "Reaches the threshold, not chosen",
    elected_leader: "Elected",
    left_out: "Left out",
    left_proposed: "already proposed by the vote",
    left_not_member: "not a member of the cluster next year",
    left_merged: "not a member of the cluster next year (continued by",
    left_stands_as: "stands as the unit continuing it as a member of the cluster next year:",
    left_not_ranked: "not ranked in the year's results",
    left_discipline: "a disciplinary decision is pending: not eligible to be proposed for an award",
    left_ineligible: "not eligible to be proposed for an award by the standing the secretariat recorded:",
    left_elected_in_round: "elected in round {round}",
    left_not_carried: "a candidate of round {round}, not carried into the next round",
    left_not_listed: "not listed when the vote was opened",
    cancelled_notice: "This vote was cancelled by {by} at {time} (record {index}): no ballot, decryption share or count is taken any more; the ballots cast are never decrypted nor counted.",
    cancelled_reason: "Reason for cancelling",
    ev_election_cancelled: "{actor} cancelled the vote {election}; its ballots are not counted.",
    concluded_notice: "This vote was concluded by {by} at {time} (record {index}) without a further round: the units it chose stay proposed; its other candidates may stand in another award vote of the year.",
    concluded_reason: "Reason for concluding",
    ev_election_concluded: "{actor} concluded the vote {election} without a further round.",
    key_registrations: "Voting key registrations (public)",
    key_replaced: "registered again, replacing the earlier key",
    key_first: "first registration",
    key_changed_notice: "Your unit's voting key was registered again at {time} by {by}. If it was not you, tell the cluster's secretariat at once: ballots signed with the new key count as your unit's.",
    vote_key_change_note: "Anyone who can sign in with the unit leader's account can register the unit's voting key again (for instance on another computer). Every registration is shown publicly on the vote's page, with when and by whom, and the unit's leader is told when the key changes.",
};

/// The strings for a language code (`vi`, `en`).
pub fn strings(lang_code: &str) -> &'static VoteStrings {
    if lang_code == "en" {
        &EN
    } else {
        &VI
    }
}

impl VoteStrings {
    /// "round 2", inside a sentence or a button.
    pub fn round_n(&self, round: impl std::fmt::Display) -> String {
        fill(self.round_n, &[("round", round)])
    }

    /// More candidates ticked than `seats`.
    pub fn too_many(&self, seats: u32) -> String {
        fill(self.vote_too_many, &[("seats", seats)])
    }

    /// A fraction of the members and the units it comes to: "4/5 of the members (4 of 5
    /// units)".
    pub fn members_share(&self, num: u32, den: u32, needed: u32, members: u32) -> String {
        fill(
            self.members_share,
            &[
                ("fraction", format!("{num}/{den}")),
                ("needed", needed.to_string()),
                ("members", members.to_string()),
            ],
        )
    }

    /// A tied unit's approvals: "2 approvals", "1 approval".
    pub fn approvals_count(&self, count: u32) -> String {
        fill(self.approvals_count, &[("count", count)])
    }
}

impl ManageStrings {
    /// The button closing `round`: "Close round 1".
    pub fn close_round_n(&self, round: impl std::fmt::Display) -> String {
        fill(self.close_round, &[("round", round)])
    }

    /// The link opening a vote for the shown year: "Open an award vote for 2024".
    pub fn open_new_year(&self, year: i32) -> String {
        fill(self.open_new_year, &[("year", year)])
    }

    /// Round 2's introduction, `seats` left to fill.
    pub fn second_round_intro(&self, seats: u32) -> String {
        fill(self.second_intro, &[("seats", seats)])
    }

    /// The tie form's introduction, `seats` to choose.
    pub fn tie_choice_intro(&self, seats: u32) -> String {
        fill(self.tie_intro, &[("seats", seats)])
    }
}

/// The secretariat's and the leaders' forms of an election, and the cluster's vote section.
pub struct ManageStrings {
    pub section: &'static str,
    pub section_none: &'static str,
    pub year: &'static str,
    pub state: &'static str,
    pub open_new: &'static str,
    /// The cluster page's link for the shown `{year}`.
    pub open_new_year: &'static str,
    pub open_title: &'static str,
    pub open_intro: &'static str,
    pub open_button: &'static str,
    pub show_candidates: &'static str,
    pub no_nominees: &'static str,
    /// The year's results are published but no unit has a final score (no rank).
    pub no_nominees_unscored: &'static str,
    /// Before any Government-flag vote of the year: the award votes' order.
    pub highest_first: &'static str,
    /// The year's results are published, units are ranked, none is eligible.
    pub no_nominees_ineligible: &'static str,
    /// Who the candidates are when the head or deputy is elected.
    pub leaders_candidates: &'static str,
    /// The open form's heading over the ranked units already proposed by another award vote.
    pub left_out_of_awards: &'static str,
    pub title_label: &'static str,
    pub title_default: &'static str,
    pub seats_help: &'static str,
    pub approval_help: &'static str,
    pub quorum_help: &'static str,
    pub threshold_help: &'static str,
    pub members_label: &'static str,
    pub num: &'static str,
    pub den: &'static str,
    pub err_number: &'static str,
    pub err_seats: &'static str,
    pub err_fraction: &'static str,
    pub err_threshold: &'static str,
    pub err_year: &'static str,
    pub err_award: &'static str,
    pub actions: &'static str,
    /// Closing `{round}`: the election page's button and the confirmation's.
    pub close_round: &'static str,
    pub close_title: &'static str,
    pub close_intro: &'static str,
    pub ballots_in: &'static str,
    pub quorum_not_met: &'static str,
    pub second_round: &'static str,
    pub second_title: &'static str,
    pub second_intro: &'static str,
    pub second_candidates: &'static str,
    pub second_confirm: &'static str,
    pub err_second_candidates: &'static str,
    pub paper_enter: &'static str,
    pub paper_title: &'static str,
    pub paper_intro: &'static str,
    pub paper_blank: &'static str,
    pub paper_team: &'static str,
    pub paper_note: &'static str,
    pub paper_save: &'static str,
    pub err_issued: &'static str,
    pub err_returned: &'static str,
    pub err_invalid: &'static str,
    pub err_blank: &'static str,
    pub err_approvals: &'static str,
    pub err_total: &'static str,
    pub err_team: &'static str,
    pub paper_waiting: &'static str,
    pub paper_confirm: &'static str,
    pub paper_withdraw: &'static str,
    pub paper_withdrawn: &'static str,
    pub withdraw_title: &'static str,
    pub withdraw_intro: &'static str,
    pub withdraw_reason: &'static str,
    /// The election page's button setting aside an electronic count the trustees cannot
    /// decrypt, and its confirmation page.
    pub set_aside: &'static str,
    pub set_aside_title: &'static str,
    pub set_aside_intro: &'static str,
    /// The decryption shares posted: `{posted}` of the `{threshold}` needed.
    pub set_aside_shares: &'static str,
    pub set_aside_reason: &'static str,
    pub set_aside_confirm: &'static str,
    pub err_set_aside_confirm: &'static str,
    /// Cancelling an election (the secretariat, before any round is counted).
    pub cancel: &'static str,
    pub cancel_title: &'static str,
    pub cancel_intro: &'static str,
    pub cancel_reason: &'static str,
    pub cancel_confirm: &'static str,
    pub err_cancel_confirm: &'static str,
    /// Concluding an election without a further round: the link, the page's title and
    /// introduction, the reason's label, the confirmation and its refusal.
    pub conclude: &'static str,
    pub conclude_title: &'static str,
    pub conclude_intro: &'static str,
    pub conclude_reason: &'static str,
    pub conclude_confirm: &'static str,
    pub err_conclude_confirm: &'static str,
    pub st_cancelled: &'static str,
    pub st_concluded: &'static str,
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub confirm_as: &'static str,
    pub confirmed: &'static str,
    pub tie_decide: &'static str,
    pub tie_title: &'static str,
    pub tie_intro: &'static str,
    pub tie_chosen: &'static str,
    pub tie_reason: &'static str,
    pub tie_save: &'static str,
    pub err_tie_choice: &'static str,
    /// The tie page to a viewer whose decision is already recorded: no form.
    pub tie_already: &'static str,
    /// The head records again after the deputy's silence.
    pub tie_again_alone: &'static str,
    pub st_ceremony: &'static str,
    pub st_open: &'static str,
    pub st_closed: &'static str,
    pub st_counted: &'static str,
    pub st_no_quorum: &'static str,
    pub st_tie: &'static str,
    pub saved: &'static str,
    pub results_votes: &'static str,
    pub todo_confirm: &'static str,
    pub todo_tie: &'static str,
    pub paper_review: &'static str,
    pub paper_edit: &'static str,
    pub todo_close: &'static str,
    /// For the secretariat: a round still collecting ballots ({voted} of {members}).
    pub todo_round_open: &'static str,
    /// A closed round that waits for its trustees' shares: `{election}`, `{round}`, `{posted}`,
    /// `{threshold}`.
    pub todo_round_shares: &'static str,
    /// The button of a voter's to-do.
    pub todo_vote_button: &'static str,
    pub todo_open: &'static str,
    pub todo_second: &'static str,
    pub step_up_help: &'static str,
}

pub static MANAGE_VI: ManageStrings = ManageStrings {
    section: "Bỏ phiếu khen thưởng",
    section_none: "Chưa có cuộc bỏ phiếu nào của cụm.",
    year: "Năm",
    state: "Tình trạng",
    open_new: "Mở cuộc bỏ phiếu khen thưởng",
    open_new_year: "Mở cuộc bỏ phiếu khen thưởng năm {year}",
    open_title: "Mở cuộc bỏ phiếu khen thưởng",
    open_intro: "Các đơn vị được đề cử lấy từ kết quả năm đã công bố (đơn vị đủ điều kiện, theo thứ hạng); thành viên của cụm trong năm là người bỏ phiếu và giữ khoá. Sau khi mở, các đơn vị giữ khoá tạo khoá bỏ phiếu chung trước khi nhận phiếu.",
    open_button: "Mở cuộc bỏ phiếu",
    show_candidates: "Xem đơn vị được đề cử",
    no_nominees: "Năm này chưa có đơn vị đủ điều kiện: công bố kết quả năm (hoặc ghi thứ hạng nếu năm đó chấm ngoài hệ thống) trước.",
    highest_first: "Năm này chưa có cuộc bỏ phiếu Cờ thi đua của Chính phủ. Mỗi đơn vị chỉ được đề nghị một hình thức khen thưởng: đơn vị được đề nghị ở cuộc bỏ phiếu mở trước không còn là ứng viên ở các cuộc sau. Hãy mở cuộc bỏ phiếu hình thức cao nhất trước (Cờ thi đua của Chính phủ, rồi Cờ thi đua của Bộ Công an, rồi Bằng khen), để các đơn vị dẫn đầu không bị dùng hết cho hình thức thấp hơn.",
    no_nominees_unscored: "Kết quả năm này đã công bố nhưng không đơn vị nào có điểm cuối cùng (tổng điểm không tính được), nên không đơn vị nào được xếp hạng để đề cử.",
    no_nominees_ineligible: "Kết quả năm này đã công bố nhưng không đơn vị nào được xếp hạng đủ điều kiện đề nghị khen thưởng (ví dụ: đang chờ xem xét kỷ luật). Cụm trưởng, cụm phó năm sau vẫn bầu được: mọi đơn vị được xếp hạng sẽ là thành viên của cụm năm sau đều là ứng viên.",
    leaders_candidates: "Danh sách trên dùng cho cờ thi đua và bằng khen. Đơn vị đã được đề nghị ở một cuộc bỏ phiếu khen thưởng của năm không đưa vào các cuộc bỏ phiếu khen thưởng khác. Khi bầu cụm trưởng, cụm phó năm sau, ứng viên là mọi đơn vị được xếp hạng sẽ là thành viên của cụm năm sau, kể cả đơn vị không đủ điều kiện đề nghị khen thưởng.",
    left_out_of_awards: "Đã được đề nghị ở cuộc bỏ phiếu khen thưởng khác của năm: không là ứng viên của cuộc bỏ phiếu khen thưởng mới",
    title_label: "Tên cuộc bỏ phiếu",
    title_default: "Đề nghị khen thưởng năm {year}",
    seats_help: "Số đơn vị được chọn tối đa (từ 1 đến số đơn vị được đề cử).",
    approval_help: "Phân số của tổng số thành viên, không phải của số phiếu: cờ thi đua cần ít nhất 80% (4/5).",
    quorum_help: "Phân số của tổng số thành viên phải bỏ phiếu để vòng được kiểm: hai phần ba (2/3).",
    threshold_help: "Số đơn vị giữ khoá cần gửi phần giải mã để giải mã tổng số phiếu (từ 2 đến số thành viên: một đơn vị một mình không được giải mã được phiếu).",
    members_label: "Thành viên (bỏ phiếu và giữ khoá)",
    num: "Tử số",
    den: "Mẫu số",
    err_number: "Nhập một số nguyên không âm (0, 1, 2…).",
    err_seats: "Từ 1 đến số đơn vị được đề cử.",
    err_fraction: "Phân số a/b với 0 < a ≤ b ≤ 1000.",
    err_threshold: "Từ 2 đến số thành viên của cụm trong năm (một đơn vị một mình không được giải mã được phiếu).",
    err_year: "Chọn một năm của cụm.",
    err_award: "Chọn nội dung bỏ phiếu.",
    actions: "Việc của thư ký cụm",
    close_round: "Kết thúc vòng {round}",
    close_title: "Kết thúc vòng bỏ phiếu",
    close_intro: "Sau khi kết thúc, không nhận thêm phiếu trong vòng này. Nếu đủ số thành viên tham gia, các đơn vị giữ khoá giải mã tổng số phiếu; nếu không, vòng không được kiểm. Không hoàn tác được.",
    ballots_in: "Số đơn vị đã bỏ phiếu",
    quorum_not_met: "Chưa đủ số thành viên tham gia: nếu kết thúc bây giờ, vòng này sẽ không được kiểm phiếu.",
    second_round: "Mở vòng bỏ phiếu tiếp theo",
    second_title: "Mở vòng bỏ phiếu tiếp theo",
    second_intro: "Vòng tiếp theo chọn {seats} đơn vị còn lại trong số các đơn vị của vòng 1 chưa được chọn, theo cùng thứ tự. Một cuộc bỏ phiếu có nhiều nhất hai vòng đủ số thành viên tham gia; vòng không đủ số thành viên tham gia không tính.",
    second_candidates: "Đơn vị vào vòng tiếp theo",
    second_confirm: "Mở vòng bỏ phiếu tiếp theo",
    err_second_candidates: "Chọn ít nhất số đơn vị còn phải chọn.",
    paper_enter: "Nhập kết quả kiểm phiếu giấy",
    paper_title: "Kết quả kiểm phiếu giấy tại hội nghị",
    paper_intro: "Khi cụm bỏ phiếu giấy tại phòng họp: ban kiểm phiếu nhập kết quả, vòng kết thúc, và kết quả chỉ được tính khi lãnh đạo hai đơn vị thành viên xác nhận. Kết quả được ghi là kiểm phiếu giấy. Chỉ nhập được khi chưa có phiếu điện tử nào trong vòng.",
    paper_blank: "Phiếu không biểu quyết (phiếu trắng)",
    paper_team: "Ban kiểm phiếu (mỗi dòng một người: họ tên, chức vụ)",
    paper_note: "Ghi chú",
    paper_save: "Ghi kết quả kiểm phiếu",
    err_issued: "Số phiếu phát ra không quá số thành viên.",
    err_returned: "Số phiếu thu về không quá số phiếu phát ra.",
    err_invalid: "Số phiếu không hợp lệ không quá số phiếu thu về.",
    err_blank: "Phiếu trắng không quá số phiếu hợp lệ.",
    err_approvals: "Không quá số phiếu hợp lệ không phải phiếu trắng.",
    err_total: "Tổng số phiếu đồng ý vượt quá số phiếu hợp lệ nhân số được chọn.",
    err_team: "Ghi tên ít nhất một thành viên ban kiểm phiếu.",
    paper_waiting: "Kiểm phiếu giấy, chờ hai thành viên xác nhận",
    paper_confirm: "Xác nhận kết quả kiểm phiếu giấy",
    paper_withdraw: "Rút kết quả kiểm phiếu giấy",
    paper_withdrawn: "kết quả kiểm phiếu giấy đã rút, chờ nhập lại",
    withdraw_title: "Rút kết quả kiểm phiếu giấy chưa được xác nhận",
    withdraw_intro: "Khi kết quả nhập sai hoặc các thành viên không xác nhận: thư ký cụm rút kết quả, ghi rõ lý do. Vòng bỏ phiếu vẫn kết thúc, các xác nhận đã có bị huỷ, và thư ký cụm nhập lại kết quả đúng để lãnh đạo hai đơn vị thành viên xác nhận. Việc rút được ghi vào sổ; kết quả đã được hai thành viên xác nhận thì không rút được.",
    withdraw_reason: "Lý do rút",
    set_aside: "Chuyển sang kiểm phiếu giấy",
    set_aside_title: "Dừng kiểm phiếu điện tử, chuyển sang kiểm phiếu giấy",
    set_aside_intro: "Khi không đủ đơn vị giữ khoá gửi được phần giải mã (mất tệp khoá, đơn vị không thực hiện được), tổng số phiếu điện tử của vòng không bao giờ giải mã được. Thư ký cụm dừng kiểm phiếu điện tử, ghi rõ lý do: các phiếu điện tử vẫn lưu trong sổ nhưng không được kiểm và không nhận thêm phần giải mã nào; các thành viên bỏ phiếu lại bằng phiếu giấy tại hội nghị, thư ký cụm nhập kết quả và lãnh đạo hai đơn vị thành viên xác nhận. Việc dừng được ghi vào sổ và không hoàn tác được.",
    set_aside_shares: "{posted} trên {threshold} đơn vị giữ khoá cần thiết đã gửi phần giải mã",
    set_aside_reason: "Lý do (đơn vị giữ khoá nào không gửi được phần giải mã, vì sao)",
    set_aside_confirm: "Tôi xác nhận: các phiếu điện tử của vòng này sẽ không được kiểm; vòng được kiểm phiếu giấy tại hội nghị.",
    err_set_aside_confirm: "Đánh dấu ô xác nhận để dừng kiểm phiếu điện tử.",
    cancel: "Huỷ cuộc bỏ phiếu",
    cancel_title: "Huỷ cuộc bỏ phiếu mở nhầm",
    cancel_intro: "Thư ký cụm huỷ được cuộc bỏ phiếu mở nhầm (sai danh sách ứng viên, sai số đơn vị được chọn…) khi chưa vòng nào được kiểm phiếu, ghi rõ lý do. Sau khi huỷ, không nhận thêm bước tạo khoá, phiếu, phần giải mã hay kết quả nào; các phiếu đã bỏ không bao giờ được giải mã, không được kiểm. Việc huỷ được ghi vào sổ và không hoàn tác được; có thể mở cuộc bỏ phiếu mới cho cùng hình thức khen thưởng.",
    cancel_reason: "Lý do huỷ (mở nhầm điều gì)",
    cancel_confirm: "Tôi xác nhận: huỷ cuộc bỏ phiếu này; các phiếu đã bỏ sẽ không được kiểm.",
    err_cancel_confirm: "Đánh dấu ô xác nhận để huỷ cuộc bỏ phiếu.",
    conclude: "Kết thúc, không mở thêm vòng",
    conclude_title: "Kết thúc cuộc bỏ phiếu, không mở thêm vòng",
    conclude_intro: "Các vòng đã kiểm phiếu chưa chọn đủ số đơn vị, và Hội đồng cụm không bỏ phiếu thêm vòng nào. Thư ký cụm ghi việc kết thúc cùng lý do: các đơn vị đã được chọn vẫn được đề nghị; không mở thêm vòng nào nữa; các ứng viên còn lại có thể được đưa vào cuộc bỏ phiếu khen thưởng khác của năm. Việc kết thúc được ghi vào sổ và không hoàn tác được.",
    conclude_reason: "Lý do kết thúc (ví dụ: Hội đồng cụm quyết định không bỏ phiếu vòng 2)",
    conclude_confirm: "Tôi xác nhận: kết thúc cuộc bỏ phiếu này, không mở thêm vòng.",
    err_conclude_confirm: "Đánh dấu ô xác nhận để kết thúc cuộc bỏ phiếu.",
    st_cancelled: "đã huỷ",
    st_concluded: "đã kết thúc, không mở thêm vòng",
    confirm_title: "Xác nhận kết quả kiểm phiếu giấy",
    confirm_intro: "Anh/chị xác nhận, thay mặt đơn vị, rằng kết quả dưới đây đúng với biên bản kiểm phiếu tại hội nghị. Xác nhận được ghi vào sổ và không rút lại được.",
    confirm_as: "Xác nhận thay mặt",
    confirmed: "Đã xác nhận",
    tie_decide: "Quyết định trường hợp bằng phiếu",
    tie_title: "Quyết định trường hợp bằng phiếu ở vị trí cuối",
    tie_intro: "Cụm trưởng và cụm phó mỗi người ghi quyết định của mình, một lần; nếu hai quyết định khác nhau, hoặc năm đó cụm không có cụm phó, thì theo quyết định của cụm trưởng; năm không có cụm trưởng thì theo quyết định của cụm phó. Chọn đúng {seats} đơn vị.",
    tie_chosen: "Đơn vị được chọn",
    tie_reason: "Căn cứ quyết định",
    tie_save: "Ghi quyết định",
    err_tie_choice: "Chọn đúng số đơn vị còn phải chọn.",
    tie_already: "Quyết định của anh/chị cho trường hợp này đã được ghi; không ghi lại được.",
    tie_again_alone: "Cụm phó không ghi quyết định trong thời hạn sau khi kiểm phiếu: quyết định cụm trưởng ghi bây giờ có hiệu lực.",
    st_ceremony: "Đang tạo khoá bỏ phiếu",
    st_open: "đang nhận phiếu",
    st_closed: "chờ giải mã",
    st_counted: "đã kiểm phiếu",
    st_no_quorum: "không đủ số tham gia",
    st_tie: "bằng phiếu, chờ cụm trưởng và cụm phó",
    saved: "Đã ghi vào sổ.",
    results_votes: "Bỏ phiếu khen thưởng của cụm",
    todo_confirm: "Xác nhận kết quả kiểm phiếu giấy {election}, thay mặt {unit}.",
    todo_tie: "Quyết định trường hợp bằng phiếu {election}, thay mặt {unit}.",
    paper_review: "Kiểm tra lại trước khi ghi: khi đã ghi, vòng bỏ phiếu kết thúc; kết quả chỉ được tính khi lãnh đạo hai đơn vị thành viên xác nhận, và trước đó chỉ có thể rút lại kèm lý do để nhập lại.",
    paper_edit: "Sửa lại",
    todo_close: "Mọi thành viên đã bỏ phiếu {election}: kết thúc vòng {round}.",
    todo_round_open: "{election}, vòng {round}: {voted}/{members} đơn vị đã bỏ phiếu; đang chờ các đơn vị còn lại.",
    todo_round_shares: "{election}, vòng {round} đã đóng: {posted}/{threshold} đơn vị giữ khoá cần thiết đã gửi phần giải mã; đang chờ. Nếu không đủ đơn vị giải mã được, có thể chuyển sang kiểm phiếu giấy.",
    todo_vote_button: "Bỏ phiếu",
    todo_open: "{cluster} đã có kết quả năm {year} (danh sách đề cử): mở cuộc bỏ phiếu khen thưởng.",
    todo_second: "Vòng 1 của {election} chưa chọn đủ số đơn vị: mở vòng 2.",
    step_up_help: "Việc này được ghi vào sổ thay mặt đơn vị hoặc cụm: hãy nhập lại mật khẩu để xác nhận chính anh/chị thực hiện.",
};

pub static MANAGE_EN: ManageStrings = ManageStrings {
    section: "Award votes",
    section_none: "The cluster has no vote yet.",
    year: "Year",
    state: "State",
    open_new: "Open an award vote",
    open_new_year: "Open an award vote for {year}",
    open_title: "Open an award vote",
    open_intro: "The candidates come from the year's published results (the eligible units, in rank order); the cluster's members of the year are the voters and the key trustees. Once opened, the trustees generate the shared ballot key before ballots are taken.",
    open_button: "Open the vote",
    show_candidates: "Show the candidates",
    no_nominees: "No unit is eligible for this year: publish the year's results (or record the standings of a year scored outside the system) first.",
    highest_first: "This year has no Government-flag vote yet. A unit may be proposed for one award only: a unit proposed by a vote opened earlier is no longer a candidate in the later ones. Open the highest award's vote first (the Government flag, then the Ministry's flag, then the certificate), so that the leading units are not used up by a lower award.",
    no_nominees_unscored: "This year's results are published, but no unit has a final score (its total could not be computed), so no unit is ranked to be proposed.",
    no_nominees_ineligible: "This year's results are published, but no ranked unit is eligible to be proposed for an award (for instance, discipline pending). Next year's head and deputy can still be elected: every ranked unit that will be a member of the cluster next year is a candidate.",
    leaders_candidates: "This list is for flags and certificates. A unit an award vote of the year proposed is left out of the other award votes. When next year's head or deputy is elected, every ranked unit that will be a member of the cluster next year is a candidate, including units not eligible to be proposed for an award.",
    left_out_of_awards: "Proposed by another award vote of the year: not a candidate of a new award vote",
    title_label: "Title of the vote",
    title_default: "Award proposal {year}",
    seats_help: "How many units may be chosen (1 to the number of candidates).",
    approval_help: "A share of the total membership, not of the votes cast: an emulation flag needs at least 80% (4/5).",
    quorum_help: "The share of the total membership that must vote for the round to be counted: two thirds (2/3).",
    threshold_help: "How many trustees must post their decryption shares to decrypt the totals (2 to the number of members: no single trustee may decrypt the ballots).",
    members_label: "Members (voters and trustees)",
    num: "Numerator",
    den: "Denominator",
    err_number: "Enter a whole number (0, 1, 2…).",
    err_seats: "Between 1 and the number of candidates.",
    err_fraction: "A fraction a/b with 0 < a ≤ b ≤ 1000.",
    err_threshold: "Between 2 and the number of the cluster's members in the year (no single trustee may decrypt the ballots).",
    err_year: "Choose one of the cluster's years.",
    err_award: "Choose what is voted on.",
    actions: "The secretariat's actions",
    close_round: "Close round {round}",
    close_title: "Close the ballot round",
    close_intro: "Once closed, the round takes no more ballots. If enough members voted, the trustees decrypt the totals; otherwise the round is not counted. This cannot be undone.",
    ballots_in: "Units that voted",
    quorum_not_met: "Too few members have voted: closed now, this round will not be counted.",
    second_round: "Open the next round",
    second_title: "Open the next round",
    second_intro: "The next round fills the {seats} remaining {seats|seat|seats} from round 1's candidates not chosen, in the same order. A vote has at most two rounds in which enough members took part; a round without them does not count.",
    second_candidates: "Candidates of the next round",
    second_confirm: "Open the next round",
    err_second_candidates: "Choose at least as many units as seats remain.",
    paper_enter: "Enter a paper count",
    paper_title: "Paper count at the meeting",
    paper_intro: "When the cluster votes on paper in the meeting room: the counting team enters the count, the round closes, and the count takes effect once the leaders of two member units confirm it. It is marked as counted on paper. Only possible while no electronic ballot was cast in the round.",
    paper_blank: "Abstentions (blank ballots)",
    paper_team: "Counting team (one person a line: name, position)",
    paper_note: "Note",
    paper_save: "Record the count",
    err_issued: "Ballots issued cannot exceed the members.",
    err_returned: "Ballots returned cannot exceed those issued.",
    err_invalid: "Invalid ballots cannot exceed those returned.",
    err_blank: "Blank ballots cannot exceed the valid ballots.",
    err_approvals: "No more than the valid ballots that are not blank.",
    err_total: "The approvals add up to more than the valid ballots times the seats.",
    err_team: "Name at least one member of the counting team.",
    paper_waiting: "Paper count, waiting for two members to confirm",
    paper_confirm: "Confirm the paper count",
    paper_withdraw: "Withdraw the paper count",
    paper_withdrawn: "paper count withdrawn, waiting for the corrected count",
    withdraw_title: "Withdraw an unconfirmed paper count",
    withdraw_intro: "When the count was mistyped or the members do not confirm it: the secretariat withdraws it with the reason. The round stays closed, the confirmations given are discarded, and the secretariat enters the corrected count for the leaders of two member units to confirm. The withdrawal goes into the record; a count two members confirmed cannot be withdrawn.",
    withdraw_reason: "Reason for withdrawing",
    set_aside: "Count on paper instead",
    set_aside_title: "Set aside the electronic count and count on paper",
    set_aside_intro: "When too few trustees can post their decryption shares (a key file lost, a unit unable), the round's electronic totals can never be decrypted. The secretariat sets the electronic count aside, with the reason: the electronic ballots stay in the record but are not counted, and no decryption share is taken any more; the members vote again on paper at the meeting, the secretariat enters the count, and the leaders of two member units confirm it. Setting the count aside goes into the record and cannot be undone.",
    set_aside_shares: "{posted} of the {threshold} trustees needed posted their decryption shares",
    set_aside_reason: "Reason (which trustees could not post their shares, and why)",
    set_aside_confirm: "I confirm: the electronic ballots of this round will not be counted; the round is counted on paper at the meeting.",
    err_set_aside_confirm: "Tick the confirmation to set the electronic count aside.",
    cancel: "Cancel the vote",
    cancel_title: "Cancel a vote opened by mistake",
    cancel_intro: "The secretariat can cancel a vote opened by mistake (wrong candidates, wrong number of seats…) while none of its rounds is counted, giving the reason. Once cancelled, no key-generation step, ballot, decryption share or count is taken; the ballots already cast are never decrypted nor counted. The cancellation goes into the record and cannot be undone; a new vote may be opened for the same award.",
    cancel_reason: "Reason (what was opened by mistake)",
    cancel_confirm: "I confirm: cancel this vote; its ballots will not be counted.",
    err_cancel_confirm: "Tick the confirmation to cancel the vote.",
    conclude: "Conclude without a further round",
    conclude_title: "Conclude the vote without a further round",
    conclude_intro: "The counted rounds did not fill every seat, and the cluster's council holds no further round. The secretariat records the conclusion with its reason: the units chosen stay proposed; no further round is opened; the other candidates may stand in another award vote of the year. The conclusion goes into the record and cannot be undone.",
    conclude_reason: "Reason (for example: the council decided not to hold round 2)",
    conclude_confirm: "I confirm: conclude this vote without a further round.",
    err_conclude_confirm: "Tick the confirmation to conclude the vote.",
    st_cancelled: "cancelled",
    st_concluded: "concluded, no further round",
    confirm_title: "Confirm the paper count",
    confirm_intro: "On behalf of the unit, you confirm that the count below matches the counting team's minutes at the meeting. The confirmation goes into the record and cannot be withdrawn.",
    confirm_as: "Confirm on behalf of",
    confirmed: "Confirmed",
    tie_decide: "Decide the tie",
    tie_title: "Decide the tie at the cut-off",
    tie_intro: "The head and the deputy each record their decision, once; if the two differ, or the cluster has no deputy that year, the head's decision prevails; in a year without a head, the deputy's. Choose exactly {seats} {seats|unit|units}.",
    tie_chosen: "Units chosen",
    tie_reason: "Grounds of the decision",
    tie_save: "Record the decision",
    err_tie_choice: "Choose exactly the number of remaining seats.",
    tie_already: "Your decision on this tie is recorded; it cannot be recorded again.",
    tie_again_alone: "The deputy recorded no decision in the time after the count: the decision the head records now stands.",
    st_ceremony: "Key generation in progress",
    st_open: "open for ballots",
    st_closed: "waiting for decryption",
    st_counted: "counted",
    st_no_quorum: "too few voters",
    st_tie: "tied, waiting for the head and the deputy",
    saved: "Recorded.",
    results_votes: "The cluster's award votes",
    todo_confirm: "Confirm the paper count of {election} for {unit}.",
    todo_tie: "Decide the tie in {election} for {unit}.",
    paper_review: "Check before recording: once recorded, the round is closed; the count takes effect when the leaders of two member units confirm it, and until then it can only be withdrawn, with a reason, to be entered again.",
    paper_edit: "Edit",
    todo_close: "Every member has voted in {election}: close round {round}.",
    todo_round_open: "{election}, round {round}: ballots in from {voted} of {members} units; waiting for the others.",
    todo_round_shares: "{election}, round {round} is closed: {posted} of the {threshold} trustee units needed have posted their decryption shares; waiting. If too few can decrypt, the round can be counted on paper.",
    todo_vote_button: "Vote",
    todo_open: "{cluster} has its {year} results (the candidates): open the award vote.",
    todo_second: "Round 1 of {election} did not fill every seat: open round 2.",
    step_up_help: "This goes into the record on behalf of the unit or the cluster: enter your password again to confirm it is you who acts.",
};

/// The management strings for a language code (`vi`, `en`).
pub fn manage(lang_code: &str) -> &'static ManageStrings {
    if lang_code == "en" {
        &MANAGE_EN
    } else {
        &MANAGE_VI
    }
}

/// The refusal of an award vote opened while another award vote of the year, `{election}`,
/// may still elect its candidates `{units}` (one achievement earns one award).
pub fn candidates_open(lang_code: &str) -> &'static str {
    if lang_code == "en" {
        "The award vote «{election}» is not over and may still elect {units}: finish or cancel it before opening another award vote of the year with them (one achievement earns one award)."
    } else {
        "Cuộc bỏ phiếu khen thưởng «{election}» chưa kết thúc và còn có thể chọn {units}: hoàn thành hoặc huỷ cuộc đó trước khi mở cuộc bỏ phiếu khen thưởng khác của năm có các đơn vị này (mỗi thành tích chỉ được đề nghị một hình thức khen thưởng)."
    }
}

/// The sentence for a vote refusal code, if it is one.
pub fn error(lang_code: &str, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "ballot_bad_signature" => (
            "Chữ ký của phiếu không khớp với khoá bỏ phiếu đã đăng ký của đơn vị.",
            "The ballot's signature does not match the unit's registered voting key.",
        ),
        "ballot_bad_proof" => (
            "Phiếu không chứng minh được là hợp lệ (phiếu bị sửa hoặc chép từ nơi khác).",
            "The ballot's proofs do not verify (tampered with, or copied from elsewhere).",
        ),
        "ballot_invalid" => ("Phiếu không đúng khuôn dạng.", "The ballot is malformed."),
        "ballot_replayed" => (
            "Phiếu lặp lại một phiếu đã gửi.",
            "The ballot repeats one already cast.",
        ),
        "vote_closed" => ("Vòng bỏ phiếu không mở.", "The round is not open."),
        "vote_no_key" => (
            "Các đơn vị giữ khoá chưa tạo xong khoá bỏ phiếu.",
            "The trustees have not finished generating the ballot key.",
        ),
        "voter_key_missing" => (
            "Đơn vị chưa đăng ký khoá bỏ phiếu.",
            "The unit has not registered a voting key.",
        ),
        "voter_key_taken" => (
            "Khoá bỏ phiếu này đã được đăng ký.",
            "This voting key is already registered.",
        ),
        "decryption_share_bad_proof" => (
            "Phần giải mã không kiểm chứng được với khoá của đơn vị giữ khoá.",
            "The decryption share does not verify against the trustee's key.",
        ),
        "count_mismatch" => (
            "Kết quả không khớp với các phần giải mã.",
            "The result does not match the decryption shares.",
        ),
        "election_threshold_low" => (
            "Cần ít nhất 2 đơn vị giữ khoá cùng giải mã: một đơn vị một mình sẽ đọc được mọi lá phiếu.",
            "At least 2 trustees must decrypt together: one alone could read every ballot.",
        ),
        "election_approval_low" => (
            "Cờ thi đua cần số phiếu đồng ý của ít nhất 80% tổng số thành viên (4/5): tỷ lệ có thể đặt cao hơn, không được thấp hơn.",
            "An emulation flag needs approvals from at least 80% of the total membership (4/5): the threshold may be higher, never lower.",
        ),
        "election_quorum_low" => (
            "Số tối thiểu bỏ phiếu phải từ một nửa số thành viên trở lên: kiểm vài lá phiếu thì lộ ai bầu gì.",
            "The quorum is at least half the members: counting a few ballots would tell how they voted.",
        ),
        "ceremony_copied" => (
            "Phần khoá này đã có người gửi trước đó (sao chép từ sổ ghi): mỗi đơn vị giữ khoá phải tự tạo phần khoá của mình.",
            "This key material was posted before (copied from the log): each trustee makes its own.",
        ),
        "ceremony_order" | "ceremony_twice" | "ceremony_attempt" | "ceremony_complete"
        | "ceremony_refused" | "ceremony_complaint" => (
            "Bước tạo khoá không hợp lệ ở thời điểm này.",
            "This key-generation step is not valid now.",
        ),
        "election_candidates" => (
            "Chưa có đơn vị đủ điều kiện: công bố kết quả năm (hoặc ghi thứ hạng nếu năm đó chấm ngoài hệ thống) trước.",
            "No unit is eligible yet: publish the year's results (or record the standings of a year scored outside the system) first.",
        ),
        "leadership_not_elected" => (
            "Cụm đã bỏ phiếu trong hệ thống: cụm trưởng, cụm phó ghi là «bầu» phải là đơn vị được bầu trong vòng đã kiểm phiếu.",
            "The cluster voted in the system: a head or deputy recorded as elected must be the unit the counted round elected.",
        ),
        "standings_published" => (
            "Kết quả năm này đã được công bố: thứ hạng và điều kiện khen thưởng lấy từ kết quả đó.",
            "The year's results are published: ranks and eligibility come from them.",
        ),
        "election_exists" => ("Mã cuộc bỏ phiếu đã được dùng.", "The vote's id is taken."),
        "not_head_or_deputy" => (
            "Chỉ cụm trưởng và cụm phó quyết định trường hợp bằng phiếu.",
            "Only the head and the deputy decide a tie.",
        ),
        "vote_counted" => (
            "Vòng này đã được kiểm phiếu.",
            "This round is already counted.",
        ),
        "two_rounds" => (
            "Một cuộc bỏ phiếu có nhiều nhất hai vòng đủ số thành viên tham gia.",
            "A vote has at most two rounds in which enough members took part.",
        ),
        "election_same_award_open" => (
            "Cuộc bỏ phiếu trước cho cùng hình thức khen thưởng và năm chưa kết thúc: hãy hoàn thành cuộc đó (mở vòng tiếp theo nếu còn chỗ) trước khi mở cuộc khác.",
            "The earlier vote for the same award and year is not over: finish it (a further round if seats are left) before opening another.",
        ),
        "election_same_award_done" => (
            "Đã có cuộc bỏ phiếu đề nghị hình thức khen thưởng này cho năm này: mỗi hình thức khen thưởng của một năm chỉ bỏ phiếu một lần.",
            "A vote already proposed units for this award and year: each award of a year is voted once.",
        ),
        "election_leader_recorded" => (
            "Cụm trưởng (hoặc cụm phó) năm sau đã được ghi nhận: không còn gì để bầu.",
            "Next year's head (or deputy) is already recorded: there is nothing left to elect.",
        ),
        "election_candidates_left_out" => (
            "Mọi đơn vị xếp hạng đều không được đưa vào: đã được đề nghị ở cuộc bỏ phiếu khen thưởng khác của năm, hoặc không là thành viên của cụm năm sau.",
            "Every ranked unit is left out: proposed by another award vote of the year, or not a member of the cluster next year.",
        ),
        "second_round_seats" => (
            "Các vòng trước đã chọn đủ: không còn chỗ cho vòng tiếp theo.",
            "The rounds so far filled every seat: there is nothing left for another round.",
        ),
        "second_round_candidates" => (
            "Đơn vị vào vòng tiếp theo phải là đơn vị của vòng 1 chưa được chọn, theo cùng thứ tự.",
            "The next round's candidates must be round 1's not chosen, in the same order.",
        ),
        "vote_not_counted" => (
            "Vòng này chưa được kiểm phiếu.",
            "This round is not counted yet.",
        ),
        "vote_no_round" => ("Không có vòng này.", "There is no such round."),
        "vote_not_closed" => ("Vòng này chưa kết thúc.", "This round is not closed."),
        "no_tie" => (
            "Vòng này không có trường hợp bằng phiếu ở vị trí cuối.",
            "This round has no tie at the cut-off.",
        ),
        "tie_choice" => (
            "Chọn đúng số đơn vị còn phải chọn, trong các đơn vị bằng phiếu, mỗi đơn vị một lần.",
            "Choose exactly the remaining seats among the tied units, each once.",
        ),
        "tie_undecided" => (
            "Vòng 1 có trường hợp bằng phiếu ở vị trí cuối: cụm trưởng (cùng cụm phó, nếu năm đó có) quyết định trước khi mở vòng 2.",
            "Round 1 ended in a tie at the cut-off: the head (with the deputy, if the year has one) decides it before round 2 opens.",
        ),
        "tie_decided_twice" => (
            "Đơn vị đã ghi quyết định của mình cho trường hợp này.",
            "The unit already recorded its decision.",
        ),
        "paper_after_ballots" => (
            "Đã có phiếu điện tử trong vòng này: kết quả được kiểm từ các phiếu đó.",
            "Electronic ballots were cast in this round: it is counted from them.",
        ),
        "no_paper_count" => (
            "Vòng này chưa có kết quả kiểm phiếu giấy.",
            "No paper count was recorded for this round.",
        ),
        "paper_count_counted" => (
            "Kết quả kiểm phiếu giấy đã được hai thành viên xác nhận: không rút được.",
            "Two members confirmed this paper count: it cannot be withdrawn.",
        ),
        "election_cancelled" => (
            "Cuộc bỏ phiếu này đã bị thư ký cụm huỷ: không nhận thêm bước tạo khoá, phiếu, phần giải mã hay kết quả nào.",
            "This vote was cancelled by the secretariat: no key-generation step, ballot, decryption share or count is taken any more.",
        ),
        "election_concluded" => (
            "Cuộc bỏ phiếu này đã được thư ký cụm kết thúc, không mở thêm vòng.",
            "This vote was concluded by the secretariat without a further round.",
        ),
        "election_counted" => (
            "Đã có vòng được kiểm phiếu: cuộc bỏ phiếu đã kiểm phiếu không huỷ được.",
            "A round is already counted: a counted vote cannot be cancelled.",
        ),
        "election_candidates_open" => (
            "Cuộc bỏ phiếu khen thưởng khác của năm chưa kết thúc và còn có thể chọn các ứng viên của cuộc này: hoàn thành hoặc huỷ cuộc đó trước (mỗi thành tích chỉ được đề nghị một hình thức khen thưởng).",
            "Another award vote of the year is not over and may still elect this vote's candidates: finish or cancel it first (one achievement earns one award).",
        ),
        "count_set_aside" => (
            "Kiểm phiếu điện tử của vòng này đã dừng: vòng được kiểm phiếu giấy, không nhận thêm phần giải mã.",
            "The electronic count of this round was set aside: it is counted on paper, and no decryption share is taken.",
        ),
        "no_electronic_ballots" => (
            "Vòng này không có phiếu điện tử nào: nhập thẳng kết quả kiểm phiếu giấy.",
            "No electronic ballot was cast in this round: enter its paper count directly.",
        ),
        "no_electronic_count" => (
            "Vòng này không đủ số thành viên tham gia nên không có kết quả điện tử để dừng.",
            "Too few members voted in this round: it has no electronic count to set aside.",
        ),
        "shares_enough" => (
            "Đã đủ số đơn vị giữ khoá gửi phần giải mã: kết quả được giải mã từ các phần đó, không chuyển sang kiểm phiếu giấy.",
            "Enough trustees posted their decryption shares: the round is counted from them, not on paper.",
        ),
        "paper_confirmed_twice" => (
            "Đơn vị đã xác nhận kết quả này.",
            "The unit already confirmed this count.",
        ),
        "paper_confirmed_by_recorder" => (
            "Người đã ghi kết quả kiểm phiếu giấy không xác nhận kết quả đó: lãnh đạo của hai đơn vị thành viên khác xác nhận.",
            "Whoever recorded the paper count does not confirm it: the leaders of two member units do.",
        ),
        "paper_confirmed_by_same_user" => (
            "Bạn đã xác nhận kết quả này cho một đơn vị khác: hai xác nhận phải của hai người khác nhau.",
            "You already confirmed this count for another unit: the two confirmations are two different people's.",
        ),
        "tie_decided_by_same_user" => (
            "Bạn đã ghi quyết định cho vị trí kia: cụm trưởng và cụm phó quyết định là hai người khác nhau.",
            "You already recorded the other position's decision: the head and the deputy decide as two different people.",
        ),
        "election_members" => (
            "Người bỏ phiếu phải là các thành viên của cụm trong năm.",
            "The voters must be the cluster's members of the year.",
        ),
        "vote_refused" | "unknown_election" => (
            "Không thực hiện được thao tác bỏ phiếu.",
            "The vote action could not be done.",
        ),
        _ => return None,
    };
    Some(if lang_code == "en" { en } else { vi })
}

/// The name of a vote event kind (the history's kind filter), if it is one.
pub fn event_kind(lang_code: &str, kind: &str) -> Option<&'static str> {
    let (vi, en) = match kind {
        "standing_recorded" => ("Ghi kết quả xếp hạng", "Standing recorded"),
        "election_opened" => ("Mở cuộc bỏ phiếu", "Vote opened"),
        "ceremony_posted" => ("Tạo khoá bỏ phiếu chung", "Key ceremony message"),
        "voter_key_registered" => ("Đăng ký khoá bỏ phiếu", "Voting key registered"),
        "ballot_cast" => ("Bỏ phiếu kín", "Ballot cast"),
        "round_closed" => ("Kết thúc vòng bỏ phiếu", "Round closed"),
        "decryption_posted" => ("Giải mã kết quả (phần của đơn vị)", "Decryption share"),
        "round_counted" => ("Kiểm phiếu", "Round counted"),
        "second_round_opened" => ("Mở vòng bỏ phiếu thứ hai", "Second round opened"),
        "tie_decided" => ("Quyết định khi bằng phiếu", "Tie decided"),
        "paper_count_recorded" => ("Ghi kết quả kiểm phiếu giấy", "Paper count recorded"),
        "paper_count_confirmed" => ("Xác nhận kết quả kiểm phiếu giấy", "Paper count confirmed"),
        "paper_count_withdrawn" => ("Rút kết quả kiểm phiếu giấy", "Paper count withdrawn"),
        "electronic_count_abandoned" => (
            "Dừng kiểm phiếu điện tử, chuyển sang kiểm phiếu giấy",
            "Electronic count set aside",
        ),
        "election_cancelled" => ("Huỷ cuộc bỏ phiếu", "Vote cancelled"),
        "election_concluded" => (
            "Kết thúc cuộc bỏ phiếu, không mở thêm vòng",
            "Vote concluded without a further round",
        ),
        _ => return None,
    };
    Some(if lang_code == "en" { en } else { vi })
}

/// What a trustee unit's leader reads about its part: the home to-dos and the election page's
/// section with the command it runs on its own machine.
pub struct TrusteeStrings {
    /// The section's heading, before the unit's name.
    pub title: &'static str,
    /// The ceremony's four steps, as the to-dos and the section name them.
    pub steps: [&'static str; 4],
    /// Home to-do: `{election}`, `{unit}`, `{step}`.
    pub todo_ceremony: &'static str,
    /// Home to-do: `{election}`, `{round}`, `{unit}`, `{posted}`, `{threshold}`.
    pub todo_decrypt: &'static str,
    /// The to-dos' button.
    pub todo_button: &'static str,
    /// The section for a ceremony step: `{unit}`, `{step}`.
    pub ceremony_intro: &'static str,
    /// The section for a decryption: `{unit}`, `{round}`, `{threshold}`.
    pub decrypt_intro: &'static str,
    /// How the token reaches the command, before the link to the account page.
    pub token_note: &'static str,
    /// The account page's link text.
    pub account: &'static str,
    /// The state file in the command, a placeholder the trustee replaces.
    pub state_placeholder: &'static str,
    /// Under the decryption command: `{posted}`, `{threshold}`.
    pub shares_count: &'static str,
    /// Under the ceremony command: `{done}`, `{trustees}`, `{step}`.
    pub step_count: &'static str,
}

pub static TRUSTEE_VI: TrusteeStrings = TrusteeStrings {
    title: "Việc của đơn vị giữ khoá",
    steps: [
        "gửi cam kết phần khoá",
        "công bố phần khoá công khai",
        "gửi các mảnh khoá cho các đơn vị giữ khoá khác",
        "xác nhận khoá bỏ phiếu chung",
    ],
    todo_ceremony: "{election}: đến lượt {unit} làm bước tạo khoá bỏ phiếu «{step}», trên máy của đơn vị.",
    todo_decrypt: "{election}, vòng {round} đã kết thúc: {unit} cần gửi phần giải mã, trên máy của đơn vị ({posted}/{threshold} phần giải mã cần thiết đã có).",
    todo_button: "Xem cách làm",
    ceremony_intro: "Đến lượt {unit} làm bước «{step}» của việc tạo khoá bỏ phiếu. Việc này làm trên máy của đơn vị, bằng chương trình thidua: chạy hai lệnh dưới đây. Lần đầu, lệnh tạo tệp trạng thái bí mật của đơn vị (đặt tên thay cho TỆP_TRẠNG_THÁI); tệp này không bao giờ gửi lên máy chủ và phải giữ đến khi giải mã kết quả. Mỗi bước sau chạy lại đúng lệnh đó, với cùng tệp.",
    decrypt_intro: "Vòng {round} đã kết thúc. Kết quả chỉ hiện khi đủ {threshold} đơn vị giữ khoá gửi phần giải mã, và {unit} chưa gửi. Việc giải mã làm trên máy của đơn vị, bằng tệp trạng thái bí mật đã lưu khi tạo khoá (tệp này không gửi lên máy chủ): chạy hai lệnh dưới đây, thay TỆP_TRẠNG_THÁI bằng đường dẫn của tệp đó.",
    token_note: "Lệnh đầu hỏi mã API của lãnh đạo đơn vị: dán mã rồi nhấn Enter (mã không hiện ra và không nằm trên dòng lệnh). Tạo mã API ở trang",
    account: "Tài khoản",
    state_placeholder: "TỆP_TRẠNG_THÁI",
    shares_count: "{posted}/{threshold} phần giải mã cần thiết đã gửi.",
    step_count: "{done}/{trustees} đơn vị giữ khoá đã làm bước «{step}».",
};

pub static TRUSTEE_EN: TrusteeStrings = TrusteeStrings {
    title: "Key trustee's task",
    steps: [
        "post the commitment to its key share",
        "publish the public part of its key share",
        "send the encrypted key pieces to the other trustees",
        "confirm the joint ballot key",
    ],
    todo_ceremony: "{election}: {unit}'s turn to {step} (ballot key generation), on the unit's own machine.",
    todo_decrypt: "{election}, round {round} is closed: {unit} must post its decryption share, from the unit's own machine ({posted} of the {threshold} shares needed are in).",
    todo_button: "See how",
    ceremony_intro: "It is {unit}'s turn to {step}, a step of the ballot key generation. This is done on the unit's own machine with the thidua program: run the two commands below. The first time, the command makes the unit's secret state file (name it in place of STATE_FILE); that file never goes to the server and must be kept until the totals are decrypted. Each later step runs the same command again with the same file.",
    decrypt_intro: "Round {round} is closed. The totals appear only once {threshold} trustee units have posted their decryption shares, and {unit} has not yet. Decryption is done on the unit's own machine with the secret state file kept from the key generation (it never goes to the server): run the two commands below, with that file's path in place of STATE_FILE.",
    token_note: "The first command asks for the unit leader's API token: paste it and press Enter (it is not shown and never appears on the command line). Make an API token on the page",
    account: "Account",
    state_placeholder: "STATE_FILE",
    shares_count: "{posted} of the {threshold} decryption shares needed have been posted.",
    step_count: "{done} of {trustees} trustee units have done the step: {step}.",
};

/// The trustee strings for a language code (`vi`, `en`).
pub fn trustee(lang_code: &str) -> &'static TrusteeStrings {
    if lang_code == "en" {
        &TRUSTEE_EN
    } else {
        &TRUSTEE_VI
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English says "1 unit" and "2 units"; Vietnamese reads the same either way.
    #[test]
    fn counts_take_singular_and_plural() {
        assert_eq!(EN.too_many(1), "Choose at most 1 unit; untick some.");
        assert_eq!(EN.too_many(2), "Choose at most 2 units; untick some.");
        assert_eq!(
            VI.too_many(1),
            "Chỉ được chọn tối đa 1 đơn vị; hãy bỏ bớt lựa chọn."
        );
        assert_eq!(
            EN.members_share(4, 5, 4, 5),
            "4/5 of the members (4 of 5 units)"
        );
        assert_eq!(
            VI.members_share(4, 5, 4, 5),
            "4/5 số thành viên (4 trên 5 đơn vị)"
        );
        assert_eq!(EN.approvals_count(1), "1 approval");
        assert_eq!(EN.approvals_count(0), "0 approvals");
        assert!(MANAGE_EN
            .second_round_intro(1)
            .starts_with("The next round fills the 1 remaining seat from"));
        assert!(MANAGE_EN
            .second_round_intro(2)
            .starts_with("The next round fills the 2 remaining seats from"));
        assert!(MANAGE_EN
            .tie_choice_intro(1)
            .ends_with("Choose exactly 1 unit."));
        assert!(MANAGE_EN
            .tie_choice_intro(3)
            .ends_with("Choose exactly 3 units."));
        assert_eq!(MANAGE_EN.close_round_n(1), "Close round 1");
        assert_eq!(MANAGE_VI.close_round_n(1), "Kết thúc vòng 1");
        assert_eq!(MANAGE_EN.open_new_year(2024), "Open an award vote for 2024");
    }

    /// Every history sentence of a vote ends with a full stop, as the others do.
    #[test]
    fn history_sentences_end_with_a_full_stop() {
        for s in [&VI, &EN] {
            for sentence in [
                s.ev_standing,
                s.ev_election_opened,
                s.ev_ceremony,
                s.ev_voter_key,
                s.ev_ballot,
                s.ev_round_closed,
                s.ev_decryption,
                s.ev_counted,
                s.ev_second_round,
                s.ev_tie,
                s.ev_paper,
                s.ev_paper_confirmed,
                s.ev_paper_withdrawn,
                s.ev_count_set_aside,
                s.ev_election_cancelled,
                s.ev_election_concluded,
            ] {
                assert!(sentence.ends_with('.'), "{sentence}");
            }
        }
    }
}
