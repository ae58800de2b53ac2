//! The strings of the year-end pages (self-assessment, inspection, resolution, results), in
//! their own module like the figures pages'; year-end error codes and event kinds are
//! translated here and consulted by [`super::Lang::error`] and [`super::Strings::event_kind`].

use super::Lang;

/// Every user-visible string of the year-end pages.
pub struct YeStrings {
    pub title: &'static str,
    pub link: &'static str,
    pub not_open: &'static str,
    pub open_title: &'static str,
    /// The link, beside a refusal to open while members ceased, to the cluster page.
    pub open_cluster_page: &'static str,
    /// On an open review: members whose ceasing was recorded after the opening ({units},
    /// {successors}).
    pub ceased_after_opening: &'static str,
    pub open_button: &'static str,
    pub dossier_deadline: &'static str,
    pub commit_deadline: &'static str,
    pub reveal_deadline: &'static str,
    pub reveal_deadline_help: &'static str,
    pub response_deadline: &'static str,
    pub inspectors: &'static str,
    /// Under the inspectors' choice when the cluster is too small for two.
    pub inspectors_one_only: &'static str,
    pub record_sample: &'static str,
    pub dossier: &'static str,
    /// The section of the other units' submitted dossiers the viewer reads.
    pub submitted_dossiers: &'static str,
    pub criterion: &'static str,
    pub max_points: &'static str,
    /// A computed criterion's points when its target is met (the breakdowns' column): a
    /// criterion rewarding more than its target may score above it.
    pub standard_points: &'static str,
    pub standard_points_note: &'static str,
    pub bonus_item: &'static str,
    pub penalty_item: &'static str,
    pub self_score: &'static str,
    pub justification: &'static str,
    pub evidence: &'static str,
    /// An evidence file's upload button, and what it does with the dossier's table: the
    /// self-scores and justifications typed above are saved with the file.
    pub upload_evidence: &'static str,
    pub evidence_upload_help: &'static str,
    pub computed: &'static str,
    pub save: &'static str,
    pub submit: &'static str,
    pub submitted: &'static str,
    pub not_submitted: &'static str,
    pub frozen: &'static str,
    /// A step's deadline has passed (`{date}`): why its form is gone, and what follows.
    pub dossier_closed: &'static str,
    pub commit_closed: &'static str,
    pub reveal_closed: &'static str,
    pub response_closed: &'static str,
    pub seeds: &'static str,
    pub commitment: &'static str,
    pub commit: &'static str,
    pub reveal: &'static str,
    pub secret_help: &'static str,
    pub seed_browser: &'static str,
    pub seed_secret: &'static str,
    pub seed_download: &'static str,
    pub seed_copy: &'static str,
    pub seed_copied: &'static str,
    pub seed_saved: &'static str,
    pub seed_no_webcrypto: &'static str,
    pub paste_commitment: &'static str,
    pub paste_help: &'static str,
    pub reveal_secret: &'static str,
    pub reveal_help: &'static str,
    pub reveal_file: &'static str,
    pub reveal_file_wrong: &'static str,
    pub revealed: &'static str,
    pub missing: &'static str,
    /// Beside the draw: last year's inspections it avoided.
    pub last_year_pairs: &'static str,
    pub draw: &'static str,
    pub draw_button: &'static str,
    pub seed: &'static str,
    pub redraws: &'static str,
    pub relaxed: &'static str,
    pub searched: &'static str,
    pub infeasible: &'static str,
    /// Beside a draw that found nothing: a member its conflicts leave no place ({unit},
    /// {left}, {needed}).
    pub blocker: &'static str,
    /// Above the rules of the draw a decision breaks, each to tick.
    pub breaches_title: &'static str,
    /// Beside a recorded decision: the rules it breaks, acknowledged.
    pub decision_breaches: &'static str,
    pub rule_conflict: &'static str,
    pub rule_mutual: &'static str,
    pub rule_last_year: &'static str,
    /// Beside last year's pair carried through a merger: the pairs it was ({year}, {pairs}).
    pub carried_from: &'static str,
    /// Above the opening form: members lacking approved figures, with their windows.
    pub missing_figures: &'static str,
    /// The box ticked to open anyway.
    pub acknowledge_missing_figures: &'static str,
    pub assignment: &'static str,
    pub inspector: &'static str,
    pub inspected: &'static str,
    pub conflicts: &'static str,
    pub declare_conflict: &'static str,
    pub reason: &'static str,
    pub decide_pairs: &'static str,
    pub decide_pairs_help: &'static str,
    pub decide_button: &'static str,
    pub inspection: &'static str,
    pub verdict: &'static str,
    pub agree: &'static str,
    pub propose: &'static str,
    pub dispute: &'static str,
    pub proposed_score: &'static str,
    pub submit_findings: &'static str,
    pub hidden_until_own: &'static str,
    /// Beside an inspection an officer reads: its findings are the leader's to submit.
    pub finding_by_leader: &'static str,
    pub records: &'static str,
    pub population: &'static str,
    pub declare_records: &'static str,
    pub drawn_records: &'static str,
    pub checked: &'static str,
    pub correct: &'static str,
    pub responses: &'static str,
    pub accept: &'static str,
    pub answer: &'static str,
    pub submit_response: &'static str,
    pub resolution: &'static str,
    pub resolve: &'static str,
    pub final_score: &'static str,
    pub settled_by_acceptance: &'static str,
    pub open_dispute: &'static str,
    pub lock: &'static str,
    /// The box ticked to lock (the lock cannot be undone).
    pub lock_confirm: &'static str,
    /// The box ticked to publish (a publication cannot be withdrawn).
    pub publish_confirm: &'static str,
    /// Lock or publish pressed without its box ticked.
    pub confirm_first: &'static str,
    pub locked: &'static str,
    pub publish: &'static str,
    pub results: &'static str,
    pub rank: &'static str,
    pub band: &'static str,
    pub self_total: &'static str,
    pub final_total: &'static str,
    pub difference: &'static str,
    pub eligible: &'static str,
    pub not_eligible: &'static str,
    /// The secretariat's card: its heading, the eligibility form's heading, help and button
    /// (the button records what the box says, either way).
    pub secretariat_heading: &'static str,
    pub eligibility_heading: &'static str,
    pub eligibility_help: &'static str,
    pub record_eligibility: &'static str,
    pub not_assessed: &'static str,
    pub pending_witness: &'static str,
    pub witnessed: &'static str,
    pub distribution: &'static str,
    /// What the chart's bars and red ticks are.
    pub chart_legend: &'static str,
    pub breakdown: &'static str,
    pub integrity_flags: &'static str,
    pub no_integrity_flags: &'static str,
    /// Before the flagged unit's explanation of a flag.
    pub flag_explanation: &'static str,
    /// The headings of the council's flags on the results page, and the mark of one to look at.
    pub council_flag_value: &'static str,
    /// The engine's value of a criterion beside its explanation.
    pub computed_value: &'static str,
    pub council_flag_mark: &'static str,
    pub all_flags: &'static str,
    pub council_flags: &'static str,
    pub flag_self_minus_final: &'static str,
    pub flag_leniency: &'static str,
    pub flag_agreement: &'static str,
    pub flag_mutual_high: &'static str,
    /// Beside an inspector's mean deviation: over how many criteria (`{n}`).
    pub flag_mean_over: &'static str,
    /// Beside two inspectors' agreement: on how many of the manual criteria (`{same}`, `{total}`).
    pub flag_agree_on: &'static str,
    pub flags_note: &'static str,
    pub not_published: &'static str,
    /// Above the results before publication, for the secretariat and supervisors.
    pub preview_notice: &'static str,
    /// The year-end page's link to that preview, beside the publication.
    pub open_preview: &'static str,
    pub unit: &'static str,
    pub draft: &'static str,
    pub open_results: &'static str,
    pub seed_help: &'static str,
    pub seed_help_summary: &'static str,
    pub xlsx: &'static str,
    pub tie_title: &'static str,
    pub tie_help: &'static str,
    /// The legend of the head's choice: the units that keep the band.
    pub tie_keep: &'static str,
    pub explanation: &'static str,
    pub beacon: &'static str,
    pub beacon_help: &'static str,
    pub beacon_round: &'static str,
    pub beacon_published: &'static str,
    pub beacon_value: &'static str,
    pub beacon_waiting: &'static str,
    pub beacon_check: &'static str,
    pub beacon_date: &'static str,
    pub beacon_pin: &'static str,
    pub beacon_signature: &'static str,
    pub beacon_record: &'static str,
    /// The members table's re-check cell and the leader's card: the records declared, how many
    /// were drawn, the inspectors' result.
    pub records_declared: &'static str,
    pub records_drawn: &'static str,
    pub recheck_result: &'static str,
    pub recheck_none: &'static str,
    /// The members table's re-check cell of a unit that declared no records.
    pub records_none: &'static str,
    /// A dossier's saved version, after its status and on the submit button: "(bản lưu lần 2)".
    pub saved_version: &'static str,
    /// The status of a dossier submitted, then saved again: `{submitted}`, `{saved}`.
    pub submitted_with_changes: &'static str,
    /// The members table's status of the viewer's unit in that case.
    pub submitted_changed: &'static str,
    /// Above the dossier form once its leader submitted it: `{submitted}`, `{date}`.
    pub dossier_already_submitted: &'static str,
    /// Above the dossier form while changes saved after the submission are not submitted:
    /// `{submitted}`, `{saved}`, `{date}`.
    pub dossier_changes_unsent: &'static str,
    /// Under a closed or frozen dossier whose last changes were never submitted: `{submitted}`,
    /// `{saved}`.
    pub dossier_changes_not_counted: &'static str,
    /// The leader's button that submits the changes saved after its submission.
    pub resubmit: &'static str,
    /// After the dossier deadline, a dossier submitted: `{submitted}`.
    pub dossier_closed_submitted: &'static str,
    /// After the dossier deadline, a dossier never submitted.
    pub dossier_closed_unsubmitted: &'static str,
    /// A manual criterion's step in a self-assessment's explanation: `{score}`.
    pub manual_self: &'static str,
    /// A manual criterion's step in the final scores' explanation: `{score}`.
    pub manual_final: &'static str,
    /// A criterion the engine could not compute: `{message}`, the engine's reason.
    pub not_computed: &'static str,
    /// A computed criterion of the dossier's table, with the value its scale applied to:
    /// `{value}`.
    pub computed_with_value: &'static str,
    /// "{correct}/{checked} …, {estimate} ({low} – {high})": the re-check in words.
    pub recheck_text: &'static str,
    /// The leader's card once the scores are locked, and before the results are published.
    pub locked_own: &'static str,
    pub results_pending: &'static str,
    pub outcome: &'static str,
    pub self_kept: &'static str,
    /// What a unit's declared records are (the declaration's description).
    pub records_description: &'static str,
    pub draw_inputs_closed: &'static str,
    /// The button removing an evidence file from a criterion.
    pub remove_evidence: &'static str,
    /// The secretariat's form moving deadlines of an open review.
    pub move_title: &'static str,
    pub move_help: &'static str,
    pub move_button: &'static str,
    /// Beside "accept the proposed score": no answer is needed then.
    pub accept_help: &'static str,
}

pub static VI: YeStrings = YeStrings {
    title: "Tổng kết năm",
    link: "Tổng kết, chấm chéo và kết quả",
    not_open: "Thư ký cụm chưa mở đợt tổng kết năm của giao ước này.",
    open_title: "Mở đợt tổng kết năm",
    open_cluster_page: "Mở trang cụm để đổi thành viên",
    ceased_after_opening: "Các thành viên sau chấm dứt hoạt động trong năm, được ghi nhận sau khi đã mở tổng kết: {units}; đơn vị kế thừa: {successors}. Thành viên của năm không thay đổi nữa: đợt tổng kết tiếp tục với các đơn vị đã ký giao ước.",
    open_button: "Mở tổng kết",
    dossier_deadline: "Hạn nộp hồ sơ tự chấm",
    commit_deadline: "Hạn cam kết mã bốc thăm",
    reveal_deadline: "Hạn công bố mã bốc thăm",
    reveal_deadline_help: "Để trống: 3 ngày sau hạn cam kết. Đến hết ngày này, việc bốc thăm chờ mọi đơn vị đã cam kết công bố mã; sau đó, đơn vị chưa công bố được ghi là thiếu.",
    response_deadline: "Hạn giải trình",
    inspectors: "Số đơn vị chấm chéo mỗi đơn vị",
    inspectors_one_only: "Cụm có dưới 5 đơn vị nên mỗi đơn vị do 1 đơn vị chấm chéo (2 đơn vị chấm chéo cần ít nhất 5 đơn vị).",
    record_sample: "Số hồ sơ kiểm tra lại",
    dossier: "Hồ sơ tự chấm",
    submitted_dossiers: "Hồ sơ tự chấm đã nộp",
    criterion: "Tiêu chí",
    max_points: "Điểm tối đa",
    standard_points: "Điểm chuẩn",
    standard_points_note: "Điểm chuẩn là điểm khi đạt chỉ tiêu; tiêu chí có thưởng khi vượt chỉ tiêu (xem cách tính) được cộng thêm trong giới hạn quy định, nên có thể cao hơn điểm chuẩn.",
    bonus_item: "Điểm thưởng",
    penalty_item: "Điểm trừ",
    self_score: "Tự chấm",
    justification: "Giải trình",
    evidence: "Tài liệu chứng minh",
    upload_evidence: "Tải tệp lên",
    evidence_upload_help: "Chọn tệp của tiêu chí rồi bấm «Tải tệp lên»: điểm tự chấm và giải trình đang nhập ở bảng trên được lưu cùng tệp. Tiêu chí phải có điểm tự chấm thì mới kèm được tệp.",
    computed: "Tính tự động từ số liệu đã duyệt",
    save: "Lưu",
    submit: "Lãnh đạo gửi hồ sơ",
    submitted: "Đã gửi",
    not_submitted: "Chưa gửi",
    frozen: "Đã khoá theo hạn",
    dossier_closed: "Đã hết hạn gửi hồ sơ ({date}): hồ sơ không sửa, không gửi được nữa.",
    commit_closed: "Đã hết hạn cam kết ({date}): đơn vị không cam kết được nữa; khi bốc thăm, phần của đơn vị được ghi là thiếu (thay bằng hằng số).",
    reveal_closed: "Đã hết hạn công bố ({date}): giá trị bí mật không công bố được nữa; khi bốc thăm, phần của đơn vị được ghi là thiếu (thay bằng hằng số).",
    response_closed: "Đã hết hạn trả lời ({date}): hội đồng quyết định các tiêu chí còn tranh chấp mà không có ý kiến trả lời của đơn vị.",
    seeds: "Bốc thăm công khai (cam kết – công bố)",
    commitment: "Cam kết",
    commit: "Cam kết",
    reveal: "Công bố",
    secret_help: "Mỗi đơn vị tự tạo một giá trị bí mật ngẫu nhiên (32 byte, viết thành 64 chữ số thập lục phân) và chỉ gửi mã cam kết của nó (SHA-256). Khi mọi đơn vị đã cam kết (hoặc hết hạn), lãnh đạo công bố giá trị đã lưu; hạt giống bốc thăm tính từ mọi giá trị công bố. Giá trị bí mật không được tạo trên máy chủ và không gửi lên máy chủ trước khi công bố.",
    seed_browser: "Trình duyệt này vừa tạo giá trị bí mật (crypto.getRandomValues) và tính mã cam kết (SHA-256) ngay trên máy của anh/chị; khi bấm Cam kết, máy chủ chỉ nhận mã cam kết, không nhận giá trị bí mật. Hãy lưu giá trị bí mật (tải tệp hoặc sao chép): cần nó để công bố, mất nó thì đơn vị bị ghi là thiếu công bố. Lưu ý: đoạn mã JavaScript này do chính máy chủ cung cấp; nếu không tin máy chủ, hãy tạo cam kết bằng dòng lệnh thidua như dưới đây.",
    seed_secret: "Giá trị bí mật (chỉ có trong trình duyệt này)",
    seed_download: "Tải tệp bí mật",
    seed_copy: "Sao chép",
    seed_copied: "Đã sao chép.",
    seed_saved: "Tôi đã lưu giá trị bí mật",
    seed_no_webcrypto: "Trình duyệt này không tính được SHA-256 tại đây (trang không được phục vụ qua HTTPS): hãy tạo cam kết bằng dòng lệnh như dưới đây rồi dán mã cam kết.",
    paste_commitment: "Mã cam kết (64 chữ số thập lục phân)",
    paste_help: "Không dùng JavaScript, hoặc không tin trang này: tạo giá trị bí mật và mã cam kết trên máy của đơn vị bằng lệnh dưới đây (tệp bí mật ở lại trên máy đó; lệnh từ chối ghi đè tệp đã có), rồi dán mã cam kết lệnh in ra vào ô trên. Máy chủ chỉ nhận mã cam kết. Thêm --server (mã API trong biến môi trường THIDUA_TOKEN, không trên dòng lệnh) để lệnh tự gửi cam kết.",
    reveal_secret: "Giá trị bí mật đã lưu",
    reveal_help: "Công bố gửi giá trị bí mật lên máy chủ và ghi công khai vào sổ; máy chủ kiểm tra nó khớp với cam kết của đơn vị. Bằng dòng lệnh: thidua assign reveal --secret-file TỆP --server …, mã API trong biến môi trường THIDUA_TOKEN.",
    reveal_file: "Đọc từ tệp bí mật",
    reveal_file_wrong: "Tệp này không phải tệp bí mật của đơn vị và giao ước này.",
    revealed: "Đã công bố",
    missing: "Thiếu (thay bằng hằng số)",
    last_year_pairs: "Cặp chấm chéo năm trước (tránh lặp lại và chấm ngược lại; đơn vị đã sáp nhập tính theo đơn vị tiếp nhận)",
    draw: "Phân công chấm chéo",
    draw_button: "Bốc thăm",
    seed: "Hạt giống",
    redraws: "Số lần bốc lại",
    relaxed: "Ràng buộc mềm đã nới",
    searched: "Tìm vét cạn sau các lần bốc",
    infeasible: "Không có cách phân công nào thoả các ràng buộc bắt buộc; thư ký cụm quyết định và ghi lý do.",
    blocker: "{unit} nằm trong {conflicts} xung đột lợi ích đã khai (do đơn vị mình hoặc đơn vị kia khai): chỉ còn {left} đơn vị không xung đột, trong khi cần ít nhất {needed} (các đơn vị kiểm tra và các đơn vị được kiểm tra phải khác nhau).",
    breaches_title: "Phân công này vi phạm các quy tắc sau của việc bốc thăm. Đánh dấu từng quy tắc để xác nhận quyết định vẫn vi phạm nó (được ghi cùng quyết định):",
    decision_breaches: "Quyết định vi phạm các quy tắc (đã xác nhận)",
    rule_conflict: "xung đột lợi ích đã khai",
    rule_mutual: "hai đơn vị chấm chéo lẫn nhau",
    rule_last_year: "trùng cặp chấm chéo năm trước",
    carried_from: "năm {year}: {pairs}",
    missing_figures: "Các đơn vị sau chưa có số liệu được duyệt của các kỳ nêu: các tiêu chí tính từ số liệu của các đơn vị này sẽ không tính được, và hồ sơ của đơn vị không gửi được cho đến khi đủ số liệu.",
    acknowledge_missing_figures: "Tôi đã biết các đơn vị trên còn thiếu số liệu được duyệt và vẫn mở tổng kết năm.",
    assignment: "Phân công",
    inspector: "Đơn vị chấm",
    inspected: "Đơn vị được chấm",
    conflicts: "Xung đột lợi ích đã khai",
    declare_conflict: "Khai xung đột lợi ích",
    reason: "Lý do",
    decide_pairs: "Phân công của thư ký cụm",
    decide_pairs_help: "Chọn đơn vị kiểm tra cho từng đơn vị: đủ số đơn vị kiểm tra, các đơn vị khác nhau, không đơn vị nào tự kiểm tra mình. Phân công được ghi vào sổ cùng lý do, thay cho kết quả bốc thăm.",
    decide_button: "Ghi quyết định phân công",
    inspection: "Chấm chéo",
    verdict: "Ý kiến",
    agree: "Thống nhất",
    propose: "Đề nghị điểm khác",
    dispute: "Đề nghị xem lại số liệu",
    proposed_score: "Điểm đề nghị",
    submit_findings: "Gửi kết quả chấm chéo",
    hidden_until_own: "Kết quả của đơn vị chấm cùng được ẩn cho đến khi đơn vị mình gửi.",
    finding_by_leader: "Kết quả chấm chéo do lãnh đạo đơn vị gửi.",
    records: "Kiểm tra lại hồ sơ gốc",
    population: "Tổng số hồ sơ (đánh số 1…N)",
    declare_records: "Khai tổng số hồ sơ",
    drawn_records: "Số thứ tự hồ sơ được bốc",
    checked: "Số hồ sơ đã kiểm tra",
    correct: "Số hồ sơ ghi nhận đúng",
    responses: "Giải trình",
    accept: "Chấp nhận điểm đề nghị",
    answer: "Nội dung giải trình",
    submit_response: "Gửi giải trình",
    resolution: "Hội đồng cụm quyết định",
    resolve: "Ghi quyết định",
    final_score: "Điểm cuối cùng",
    settled_by_acceptance: "Đơn vị đã chấp nhận",
    open_dispute: "Chưa giải quyết",
    lock: "Khoá điểm năm",
    lock_confirm: "Tôi hiểu: sau khi khoá, không ai sửa được điểm năm nay.",
    publish_confirm: "Tôi hiểu: kết quả được công bố cho cả cụm, ghi vào nhật ký và không rút lại được.",
    confirm_first: "Hãy đánh dấu ô xác nhận rồi bấm lại.",
    locked: "Đã khoá điểm",
    publish: "Công bố kết quả",
    results: "Kết quả tổng kết năm",
    rank: "Xếp hạng",
    band: "Xếp loại",
    self_total: "Tự chấm",
    final_total: "Điểm chính thức",
    difference: "Chênh lệch",
    eligible: "Đủ điều kiện đề nghị cờ",
    not_eligible: "Đang xem xét kỷ luật: chưa đề nghị cờ",
    secretariat_heading: "Việc của thư ký cụm",
    eligibility_heading: "Điều kiện đề nghị cờ",
    eligibility_help: "Chọn đơn vị; đánh dấu ô nếu đơn vị đang chờ quyết định kỷ luật hoặc đang trong thời hạn kỷ luật, bỏ trống nếu đơn vị đủ điều kiện; ghi lý do hoặc căn cứ (ví dụ số công văn) rồi bấm «Ghi nhận».",
    record_eligibility: "Ghi nhận",
    not_assessed: "Không nộp hồ sơ tự chấm đúng hạn: không xét",
    pending_witness: "Chờ chứng thực: chưa chính thức cho đến khi nhân chứng xác nhận bản chốt sổ có kết quả",
    witnessed: "Kết quả chính thức: đã được nhân chứng xác nhận",
    distribution: "Phân bố điểm trong cụm",
    chart_legend: "Thanh xanh: điểm chính thức trên trục 0–100 (điểm vượt 100 nhờ điểm thưởng được vẽ tới 100, con số ghi cạnh thanh là điểm thật); vạch đỏ: điểm tự chấm.",
    breakdown: "Điểm từng tiêu chí",
    integrity_flags: "Chỉ để xem xét, không tự trừ điểm — dấu hiệu bất thường về số liệu",
    no_integrity_flags: "Không có dấu hiệu bất thường về số liệu.",
    flag_explanation: "Giải trình của đơn vị",
    council_flag_value: "Giá trị",
    computed_value: "Giá trị tính được",
    council_flag_mark: "cần hội đồng xem xét",
    all_flags: "Xem trang dấu hiệu",
    council_flags: "Dấu hiệu để Hội đồng cụm xem xét",
    flag_self_minus_final: "Tự chấm trừ điểm chính thức (dấu hiệu khi từ 5 điểm)",
    flag_leniency: "Đơn vị chấm: độ lệch trung bình so với điểm chính thức (dấu hiệu khi từ 1 điểm)",
    flag_agreement: "Hai đơn vị chấm cùng một đơn vị: mức thống nhất (dấu hiệu khi dưới một nửa số tiêu chí)",
    flag_mutual_high: "Hai đơn vị chấm nhau cao nhiều năm liền",
    flag_mean_over: "trung bình trên {n} tiêu chí",
    flag_agree_on: "cùng điểm ở {same}/{total} tiêu chí",
    flags_note: "Đây là dấu hiệu để xem xét, không phải hình thức trừ điểm.",
    not_published: "Chưa công bố kết quả.",
    preview_notice: "Bản xem trước: điểm đã khoá, kết quả chưa công bố. Chỉ thư ký cụm và đơn vị giám sát xem được trang này; các đơn vị thành viên thấy kết quả khi thư ký cụm công bố ở trang tổng kết năm.",
    open_preview: "Xem trước kết quả sẽ công bố",
    unit: "Đơn vị",
    draft: "Bản nháp",
    open_results: "Xem kết quả tổng kết năm",
    xlsx: "Tải bảng điểm (XLSX, công thức tính trực tiếp)",
    tie_title: "Bằng điểm tại ngưỡng tỷ lệ",
    explanation: "Cách tính",
    tie_help: "Các đơn vị bằng điểm tại ngưỡng tỷ lệ của loại này; cụm trưởng quyết định đơn vị nào giữ loại, đúng số suất còn lại",
    tie_keep: "Đơn vị giữ xếp loại",
    seed_help: "Hạt giống = SHA-256 của thẻ, năm, cụm, danh sách đơn vị, các giá trị công bố và số ngẫu nhiên công khai (nếu có); mọi thành viên cụm tính lại được trên máy mình chỉ từ nhật ký đã ký, không cần tin máy chủ: thidua assign --covenant MÃ-GIAO-ƯỚC --verify --server ĐỊA-CHỈ --log-key KHOÁ-NHẬT-KÝ, mã API trong biến môi trường THIDUA_TOKEN (read -rs THIDUA_TOKEN && export THIDUA_TOKEN; mã tạo tại trang Tài khoản, không đặt trên dòng lệnh; khoá nhật ký ở trang Minh bạch).",
    seed_help_summary: "Kiểm tra độc lập việc bốc thăm (chi tiết kỹ thuật)",
    beacon: "Nguồn số ngẫu nhiên công khai (drand)",
    beacon_help: "Tuỳ chọn: trước khi đơn vị nào cam kết, thư ký cụm chọn một vòng của mạng phát số ngẫu nhiên công khai drand (quicknet, khoá công khai được ghim sẵn) công bố sau hạn cam kết. Giá trị của vòng đó được trộn vào hạt giống: không ai, kể cả máy chủ và đơn vị công bố sau cùng, biết trước được. Việc công bố mã đóng lại khi vòng đó được công bố.",
    beacon_round: "Vòng",
    beacon_published: "Công bố lúc",
    beacon_value: "Giá trị trộn vào hạt giống",
    beacon_waiting: "Việc bốc thăm chờ giá trị của vòng này. Khi vòng đã công bố, lấy chữ ký (signature) tại địa chỉ dưới đây (hoặc bất kỳ máy chủ drand nào) rồi ghi vào đây; hệ thống kiểm chữ ký bằng khoá công khai của mạng, nên thư ký cụm hay bất kỳ đơn vị thành viên nào ghi cũng cho cùng một kết quả.",
    beacon_check: "Kiểm tra độc lập",
    beacon_date: "Ngày công bố vòng số ngẫu nhiên (0 giờ, giờ Việt Nam; sau hạn cam kết)",
    beacon_pin: "Chọn vòng số ngẫu nhiên",
    beacon_signature: "Chữ ký của vòng (96 chữ số hex)",
    beacon_record: "Ghi số ngẫu nhiên của vòng",
    records_declared: "Tổng số hồ sơ đã khai",
    records_drawn: "Số hồ sơ bốc để kiểm tra lại",
    recheck_result: "Kết quả kiểm tra lại",
    recheck_none: "chưa có",
    records_none: "Chưa khai hồ sơ gốc",
    saved_version: "bản lưu lần",
    submitted_with_changes: "Đã gửi bản lưu lần {submitted}; bản lưu lần {saved} có thay đổi chưa gửi",
    submitted_changed: "Đã gửi, có thay đổi chưa gửi",
    dossier_already_submitted: "Lãnh đạo đơn vị đã gửi hồ sơ (bản lưu lần {submitted}). Nếu lưu thay đổi (điểm, giải trình, tệp), lãnh đạo phải gửi lại hồ sơ trước hết ngày {date} thì thay đổi mới được tính; đến lúc đó thư ký cụm và đơn vị kiểm tra chéo vẫn xem bản đã gửi.",
    dossier_changes_unsent: "Lãnh đạo đơn vị đã gửi bản lưu lần {submitted}; bản lưu lần {saved} có thay đổi chưa gửi. Thư ký cụm và đơn vị kiểm tra chéo vẫn xem bản đã gửi: lãnh đạo phải gửi lại hồ sơ trước hết ngày {date} thì thay đổi mới được tính.",
    dossier_changes_not_counted: "Thay đổi ở bản lưu lần {saved} không được gửi trước hạn nên không được tính: hồ sơ được kiểm tra như bản đã gửi (bản lưu lần {submitted}).",
    resubmit: "Gửi lại hồ sơ",
    dossier_closed_submitted: "Đơn vị kiểm tra chéo kiểm tra hồ sơ như đã gửi (bản lưu lần {submitted}).",
    dossier_closed_unsubmitted: "Lãnh đạo đơn vị chưa gửi hồ sơ trước hạn: đơn vị không được xét điểm năm nay.",
    manual_self: "Điểm tự chấm: {score}",
    manual_final: "Điểm chính thức sau kiểm tra chéo: {score}",
    not_computed: "Chưa tính được: {message}",
    computed_with_value: "Tính tự động từ số liệu đã duyệt: {value}.",
    recheck_text: "{correct}/{checked} hồ sơ ghi nhận đúng; tỷ lệ ước tính {estimate} (khoảng tin cậy Wilson 95%: {low} – {high})",
    locked_own: "Điểm năm đã khoá: hồ sơ tự chấm, giải trình và điểm không còn thay đổi.",
    results_pending: "Kết quả sẽ xem được khi thư ký cụm công bố.",
    outcome: "Sau chấm chéo",
    self_kept: "Giữ điểm tự chấm",
    records_description: "Mô tả hồ sơ gốc",
    draw_inputs_closed: "Việc khai xung đột lợi ích và số hồ sơ đã đóng khi đóng cam kết mã bốc thăm (mọi đơn vị đã cam kết, có đơn vị công bố mã, hoặc hết hạn cam kết).",
    remove_evidence: "Gỡ tệp",
    move_title: "Dời hạn",
    move_help: "Sửa ngày của hạn cần dời (dd/mm/yyyy) và ghi lý do; mỗi hạn đổi được ghi vào sổ. Chỉ dời được hạn của bước chưa qua, sang một ngày chưa qua, và các hạn vẫn theo thứ tự các bước.",
    move_button: "Dời hạn",
    accept_help: "Chấp nhận điểm đề nghị thì không cần ghi giải trình; không chấp nhận thì ghi lý do.",
};

pub static EN: YeStrings = YeStrings {
    title: "Year-end review",
    link: "Year-end: self-assessment, cross-inspection and results",
    not_open: "The secretariat has not opened the year-end review of this covenant yet.",
    open_title: "Open the year-end review",
    open_cluster_page: "Open the cluster page to change the members",
    ceased_after_opening: "These members ceased during the year, recorded after the review was opened: {units}; succeeded by {successors}. The year's members no longer change: the review goes on with the units that signed the covenant.",
    open_button: "Open the review",
    dossier_deadline: "Dossier deadline",
    commit_deadline: "Seed commitment deadline",
    reveal_deadline: "Seed reveal deadline",
    reveal_deadline_help: "Leave empty for 3 days after the commitment deadline. Until the end of this day the draw waits for every unit that committed to reveal; after it, a unit that has not revealed is recorded as missing.",
    response_deadline: "Response deadline",
    inspectors: "Inspectors per unit",
    inspectors_one_only: "The cluster has fewer than 5 units, so each unit has 1 inspector (2 inspectors need at least 5 units).",
    record_sample: "Records re-checked",
    dossier: "Self-assessment dossier",
    submitted_dossiers: "Submitted self-assessment dossiers",
    criterion: "Criterion",
    max_points: "Maximum",
    standard_points: "Standard points",
    standard_points_note: "Standard points are a criterion's points when its target is met; a criterion that rewards exceeding its target (see how it is computed) adds points within its cap, so it may score above them.",
    bonus_item: "Bonus",
    penalty_item: "Penalty",
    self_score: "Self-score",
    justification: "Justification",
    evidence: "Evidence",
    upload_evidence: "Upload the file",
    evidence_upload_help: "Choose the criterion's file, then «Upload the file»: the self-scores and justifications typed in the table above are saved with it. A criterion needs a self-score before a file can be attached to it.",
    computed: "Computed automatically from the approved figures",
    save: "Save",
    submit: "Leader submits the dossier",
    submitted: "Submitted",
    not_submitted: "Not submitted",
    frozen: "Frozen at the deadline",
    dossier_closed: "The dossier deadline ({date}) has passed: the dossier can no longer be changed or submitted.",
    commit_closed: "The commitment deadline ({date}) has passed: the unit can no longer commit; the draw records its part as missing (replaced by a constant).",
    reveal_closed: "The reveal deadline ({date}) has passed: the secret can no longer be revealed; the draw records the unit's part as missing (replaced by a constant).",
    response_closed: "The response deadline ({date}) has passed: the council decides the disputed criteria without the unit's answer.",
    seeds: "Public draw (commit – reveal)",
    commitment: "Commitment",
    commit: "Commit",
    reveal: "Reveal",
    secret_help: "Each unit makes its own random secret (32 bytes, written as 64 hexadecimal digits) and sends only its commitment (SHA-256). Once every unit has committed (or the deadline has passed) the leader reveals the saved value; the draw's seed is computed from all reveals. The secret is never made on the server and is not sent to it before the reveal.",
    seed_browser: "This browser has just made the secret (crypto.getRandomValues) and computed its commitment (SHA-256) on your machine; when you press Commit the server receives only the commitment, not the secret. Save the secret (download the file or copy it): you need it to reveal, and without it the unit is recorded as missing. Note: this JavaScript is served by the server itself; if you do not trust the server, make the commitment with the thidua command below.",
    seed_secret: "Secret (only in this browser)",
    seed_download: "Download the secret file",
    seed_copy: "Copy",
    seed_copied: "Copied.",
    seed_saved: "I have saved the secret",
    seed_no_webcrypto: "This browser cannot compute SHA-256 here (the page is not served over HTTPS): make the commitment with the command below and paste it.",
    paste_commitment: "Commitment (64 hexadecimal digits)",
    paste_help: "Without JavaScript, or if you do not trust this page: make the secret and its commitment on the unit's own machine with the command below (the secret file stays there; the command refuses to overwrite an existing file), then paste the commitment it prints above. The server receives only the commitment. Add --server (with the API token in the THIDUA_TOKEN environment variable, never on the command line) and the command submits it itself.",
    reveal_secret: "Saved secret",
    reveal_help: "Revealing sends the secret to the server and records it publicly in the log; the server checks it against the unit's commitment. From the command line: thidua assign reveal --secret-file FILE --server …, with the API token in the THIDUA_TOKEN environment variable.",
    reveal_file: "Read from the secret file",
    reveal_file_wrong: "This file is not the secret file of this unit and covenant.",
    revealed: "Revealed",
    missing: "Missing (replaced by a constant)",
    last_year_pairs: "Last year's inspections (not repeated nor reversed; a merged unit's count as the unit it merged into)",
    draw: "Cross-inspection assignment",
    draw_button: "Draw",
    seed: "Seed",
    redraws: "Redraws",
    relaxed: "Soft constraints relaxed",
    searched: "Exhaustive search after the shuffles",
    infeasible:
        "No assignment meets the hard constraints; the secretariat decides and records why.",
    blocker: "{unit} is in {conflicts} declared conflicts of interest (declared by it or by the other unit): {left} units are left without a conflict, and at least {needed} are needed (its inspectors and the units it inspects are all different).",
    breaches_title: "This assignment breaks the following rules of the draw. Tick each rule to confirm that the decision breaks it anyway (recorded with the decision):",
    decision_breaches: "Rules the decision breaks (acknowledged)",
    rule_conflict: "declared conflict of interest",
    rule_mutual: "two units inspecting each other",
    rule_last_year: "last year's pair",
    carried_from: "in {year}: {pairs}",
    missing_figures: "These members lack approved figures of the windows named: the criteria computed from their figures cannot be computed, and their dossiers cannot be submitted until the figures are complete.",
    acknowledge_missing_figures: "I know these members lack approved figures and open the year-end review anyway.",
    assignment: "Assignment",
    inspector: "Inspector",
    inspected: "Inspected",
    conflicts: "Declared conflicts of interest",
    declare_conflict: "Declare a conflict of interest",
    reason: "Reason",
    decide_pairs: "The secretariat's assignment",
    decide_pairs_help: "Choose each unit's inspectors: as many as the review sets, different units, none inspecting itself. The assignment is recorded in the log with its reason, in place of the draw's.",
    decide_button: "Record the assignment decision",
    inspection: "Inspection",
    verdict: "Finding",
    agree: "Agree",
    propose: "Propose another score",
    dispute: "Question the figures",
    proposed_score: "Proposed score",
    submit_findings: "Submit the findings",
    hidden_until_own: "Co-inspectors' findings stay hidden until your unit has submitted its own.",
    finding_by_leader: "The unit's leader submits its findings.",
    records: "Source-record re-check",
    population: "Number of records (numbered 1…N)",
    declare_records: "Declare the records",
    drawn_records: "Record numbers drawn",
    checked: "Records checked",
    correct: "Correctly recorded",
    responses: "Responses",
    accept: "Accept the proposed score",
    answer: "Answer",
    submit_response: "Submit the response",
    resolution: "Council decision",
    resolve: "Record the decision",
    final_score: "Final score",
    settled_by_acceptance: "Accepted by the unit",
    open_dispute: "Not settled",
    lock: "Lock the year's scores",
    lock_confirm: "I understand: once locked, nobody can change this year's scores.",
    publish_confirm: "I understand: the results are published to the whole cluster, recorded in the log and cannot be withdrawn.",
    confirm_first: "Tick the confirmation box, then press again.",
    locked: "Locked",
    publish: "Publish the results",
    results: "Year-end results",
    rank: "Rank",
    band: "Band",
    self_total: "Self-assessed",
    final_total: "Final",
    difference: "Difference",
    eligible: "Eligible for a flag",
    not_eligible: "Discipline pending: not proposed for a flag",
    secretariat_heading: "The secretariat's steps",
    eligibility_heading: "Eligibility for a flag",
    eligibility_help: "Choose the unit; tick the box if it awaits a disciplinary decision or is within a discipline period, leave it unticked if the unit is eligible; write the reason or its basis (e.g. the letter's number), then «Record».",
    record_eligibility: "Record",
    not_assessed: "No dossier handed in by the deadline: not assessed",
    pending_witness: "Awaiting attestation: not final until the witnesses confirm a checkpoint that includes the results",
    witnessed: "Final: confirmed by the witnesses",
    distribution: "Distribution of scores in the cluster",
    chart_legend: "Blue bar: final score on a 0–100 axis (a score past 100 thanks to bonus points is drawn to 100; the number beside the bar is the real score); red tick: self-assessed score.",
    breakdown: "Breakdown by criterion",
    integrity_flags: "For review, never a penalty by themselves — integrity flags on the figures",
    no_integrity_flags: "No integrity flag on the figures.",
    flag_explanation: "The unit's explanation",
    council_flag_value: "Value",
    computed_value: "Computed value",
    council_flag_mark: "for the council to look at",
    all_flags: "Open the flags page",
    council_flags: "Flags for the council",
    flag_self_minus_final: "Self-assessed minus final total (flagged from 5 points)",
    flag_leniency: "Inspector's average deviation from the final scores (flagged from 1 point)",
    flag_agreement: "Agreement of a unit's two inspectors (flagged below half the criteria)",
    flag_mutual_high: "Two units score each other high year after year",
    flag_mean_over: "mean over {n} criteria",
    flag_agree_on: "same score on {same} of {total} criteria",
    flags_note: "Flags are for the council to consider, never automatic penalties.",
    not_published: "The results are not published yet.",
    preview_notice: "Preview: the scores are locked, the results not published. Only the cluster's secretariat and supervisors see this page; the member units see the results once the secretariat publishes them on the year-end page.",
    open_preview: "Preview the results to be published",
    unit: "Unit",
    draft: "Draft",
    open_results: "Open the year-end results",
    xlsx: "Download the score sheet (XLSX, live formulas)",
    tie_title: "Tie at the quota cut-off",
    explanation: "How it was computed",
    tie_help: "These units are tied at this band's quota cut-off; the cluster head decides which keep the band, as many as the seats left",
    tie_keep: "Units that keep the band",
    seed_help: "Seed = SHA-256 of the tag, year, cluster, member list, reveals and the beacon value (if any); every member of the cluster recomputes it on their own computer from the signed log alone, without trusting the server: thidua assign --covenant COVENANT-ID --verify --server ADDRESS --log-key LOG-KEY, with the API token in the THIDUA_TOKEN environment variable (read -rs THIDUA_TOKEN && export THIDUA_TOKEN; the token is made on the Account page, never put on the command line; the log key is on the Transparency page).",
    seed_help_summary: "Checking the draw independently (technical details)",
    beacon: "Public beacon (drand)",
    beacon_help: "Optional: before any unit commits, the secretariat pins a round of the public drand beacon (quicknet, whose public key is pinned in the system) published after the commitment deadline. That round’s value is mixed into the seed: nobody, neither the server nor the last unit to reveal, can know it in advance. Reveals close when the round is published.",
    beacon_round: "Round",
    beacon_published: "Published at",
    beacon_value: "Value mixed into the seed",
    beacon_waiting: "The draw waits for this round’s value. Once the round is out, take its signature from the address below (or any drand server) and record it here; the system checks it against the network’s public key, so the secretariat or any member unit may record it with the same result.",
    beacon_check: "Check independently",
    beacon_date: "Day the beacon round is published (midnight, Vietnam time; after the commitment deadline)",
    beacon_pin: "Pin the beacon round",
    beacon_signature: "The round’s signature (96 hex digits)",
    beacon_record: "Record the beacon value",
    records_declared: "Records declared",
    records_drawn: "Records drawn for re-check",
    recheck_result: "Re-check result",
    recheck_none: "none yet",
    records_none: "No records declared",
    saved_version: "saved version",
    submitted_with_changes: "Saved version {submitted} submitted; saved version {saved} has changes not submitted",
    submitted_changed: "Submitted, with changes not submitted",
    dossier_already_submitted: "The unit's leader has submitted the dossier (saved version {submitted}). Changes saved now (scores, justifications, files) count only if the leader submits the dossier again by the end of {date}; until then the secretariat and the inspecting units read the submitted version.",
    dossier_changes_unsent: "The unit's leader submitted saved version {submitted}; saved version {saved} has changes not submitted. The secretariat and the inspecting units still read the submitted version: the changes count only if the leader submits the dossier again by the end of {date}.",
    dossier_changes_not_counted: "The changes of saved version {saved} were not submitted by the deadline and do not count: the dossier is inspected as submitted (saved version {submitted}).",
    resubmit: "Submit the dossier again",
    dossier_closed_submitted: "The inspecting units inspect the dossier as submitted (saved version {submitted}).",
    dossier_closed_unsubmitted: "The unit's leader did not submit the dossier by the deadline: the unit is not assessed this year.",
    manual_self: "Self-assessed score: {score}",
    manual_final: "Final score after the cross-inspection: {score}",
    not_computed: "Not computed yet: {message}",
    computed_with_value: "Computed automatically from the approved figures: {value}.",
    recheck_text: "{correct} of {checked} records correctly recorded; estimated rate {estimate} (Wilson interval at 95% confidence: {low} – {high})",
    locked_own: "The year's scores are locked: the dossier, the answers and the scores no longer change.",
    results_pending: "The results can be read once the secretariat publishes them.",
    outcome: "After the inspection",
    self_kept: "Self-score kept",
    records_description: "What the records are",
    draw_inputs_closed: "Conflicts of interest and record counts closed with the commitments (every unit committed, a reveal came in, or the commitment deadline passed).",
    remove_evidence: "Remove",
    move_title: "Move a deadline",
    move_help: "Edit the day of each deadline to move (dd/mm/yyyy) and give the reason; every deadline moved is recorded in the log. Only a step not yet past moves, to a day not yet past, and the deadlines stay in the steps' order.",
    move_button: "Move the deadlines",
    accept_help: "Accepting the proposed score needs no answer; otherwise say why not.",
};

/// A soft constraint of the draw that was relaxed, in words (the code when unknown).
pub fn relaxed_constraint(lang: Lang, code: &str) -> String {
    let (vi, en) = match code {
        "reverse_of_last_year" => (
            "không chấm ngược lại đơn vị đã chấm mình năm trước",
            "no inspecting the unit that inspected you last year",
        ),
        "last_year" => (
            "không lặp lại cặp chấm chéo năm trước",
            "no repeating last year's pairs",
        ),
        _ => return code.to_owned(),
    };
    lang.pick(vi, en).to_owned()
}

/// The sentence for a year-end error code.
pub fn error(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "yearend_not_open" => (
            "Đợt tổng kết năm chưa được mở.",
            "The year-end review is not open.",
        ),
        "yearend_already_open" => (
            "Đợt tổng kết năm đã được mở.",
            "The year-end review is already open.",
        ),
        "yearend_deadline_passed" => ("Đã quá hạn.", "The deadline has passed."),
        "yearend_unknown_action" => (
            "Trang tổng kết năm không có thao tác này.",
            "The year-end page has no such action.",
        ),
        "yearend_beacon_too_early" => (
            "Vòng số ngẫu nhiên phải được công bố sau khi hết hạn cam kết (chọn ngày sau hạn cam kết).",
            "The beacon round must be published after the commitment deadline (pick a later day).",
        ),
        "yearend_beacon_invalid" => (
            "Chữ ký không đúng của vòng số ngẫu nhiên đã chọn (kiểm tra lại số vòng và chữ ký lấy từ drand).",
            "The signature is not the pinned beacon round's (check the round and the signature taken from drand).",
        ),
        "yearend_beacon_network" => (
            "Mạng phát số ngẫu nhiên này không được hỗ trợ.",
            "The beacon network is not supported.",
        ),
        "yearend_unknown_criterion" => (
            "Quy định chấm điểm không có tiêu chí này.",
            "The regulation has no such criterion.",
        ),
        "yearend_not_manual" => (
            "Tiêu chí này được tính tự động từ số liệu đã duyệt, không tự chấm.",
            "This criterion is computed automatically from the approved figures, not self-scored.",
        ),
        "yearend_score_out_of_range" => (
            "Điểm phải từ 0 đến điểm tối đa của tiêu chí.",
            "The score must lie between 0 and the criterion's maximum.",
        ),
        "yearend_score_places" => (
            "Điểm có nhiều chữ số thập phân hơn quy định chấm điểm cho phép.",
            "The score has more decimal places than the scoring regulation allows.",
        ),
        "yearend_evidence_before_score" => (
            "Tiêu chí này chưa có điểm tự chấm: hãy nhập điểm tự chấm của tiêu chí ở bảng hồ sơ rồi tải tệp lên lại (điểm được lưu cùng tệp).",
            "This criterion has no self-score: type its self-score in the dossier's table, then upload the file again (the score is saved with it).",
        ),
        "yearend_figures_missing" => (
            "Còn đơn vị chưa có số liệu được duyệt của năm: đánh dấu ô xác nhận để vẫn mở tổng kết năm.",
            "Some members lack approved figures of the year: tick the box to open the review anyway.",
        ),
        "yearend_criteria_uncomputable" => (
            "Chưa gửi được hồ sơ: còn tiêu chí tính từ số liệu chưa tính được (thiếu số liệu được duyệt).",
            "The dossier cannot be submitted: some criteria computed from the figures cannot be computed (approved figures missing).",
        ),
        "yearend_criteria_uncomputable_earlier" => (
            "Chưa gửi được hồ sơ: có tiêu chí không tính được vì thiếu số liệu được duyệt của năm trước để so sánh.",
            "The dossier cannot be submitted: some criteria cannot be computed, approved figures of an earlier year missing.",
        ),
        "yearend_agree_uncomputed" => (
            "Không thống nhất được với tiêu chí chưa tính được điểm: chọn «Đề nghị xem lại số liệu».",
            "A criterion without a computed value cannot be agreed with: question its figures.",
        ),
        "yearend_confirm_required" => (
            "Bước này không hoàn tác được: hãy đánh dấu ô xác nhận rồi bấm lại.",
            "This step cannot be undone: tick the confirmation box, then press again.",
        ),
        "yearend_assignment_breaches" => (
            "Phân công vi phạm quy tắc của việc bốc thăm: đánh dấu xác nhận đúng từng quy tắc bị vi phạm.",
            "The assignment breaks rules of the draw: acknowledge exactly each rule it breaks.",
        ),
        "yearend_justification_missing" => (
            "Mỗi tiêu chí cần có giải trình.",
            "Every criterion needs a justification.",
        ),
        "yearend_dossier_incomplete" => (
            "Hồ sơ chưa chấm đủ các tiêu chí.",
            "The dossier does not score every criterion.",
        ),
        "yearend_dossier_frozen" => (
            "Hồ sơ đã gửi và đã bốc thăm phân công chấm chéo: đơn vị chấm chéo chấm hồ sơ như đã gửi, không sửa được nữa.",
            "The dossier was submitted and the cross-inspection is drawn: it is inspected as submitted and can no longer change.",
        ),
        "yearend_dossier_submitted" => (
            "Bản lưu này của hồ sơ đã được gửi: muốn gửi lại, hãy lưu thay đổi trước.",
            "This revision of the dossier is submitted already: save a change to submit again.",
        ),
        "yearend_stale_revision" => (
            "Hồ sơ vừa được lưu lại; hãy tải lại trang.",
            "The dossier was saved again meanwhile; reload the page.",
        ),
        "yearend_not_member" => (
            "Đơn vị không thuộc cụm trong năm này.",
            "The unit is not a member of the cluster this year.",
        ),
        "yearend_phase" => (
            "Bước này chưa mở hoặc đã qua.",
            "This step is not open (yet or any more).",
        ),
        "yearend_commitment_mismatch" => (
            "Giá trị công bố không khớp với cam kết.",
            "The revealed value does not match the commitment.",
        ),
        "yearend_bad_hex" => (
            "Cần đúng 64 chữ số thập lục phân (0–9, a–f).",
            "Exactly 64 hexadecimal digits (0–9, a–f) are needed.",
        ),
        "yearend_draw_mismatch" => (
            "Kết quả bốc thăm không khớp với tính lại từ nhật ký.",
            "The draw differs from its recomputation from the log.",
        ),
        "yearend_not_assigned" => (
            "Đơn vị không được phân công chấm đơn vị này.",
            "The unit is not assigned to inspect this unit.",
        ),
        "yearend_finding_exists" => (
            "Kết quả chấm chéo đã được gửi.",
            "The findings were already submitted.",
        ),
        "yearend_finding_invalid" => (
            "Ý kiến chấm chéo chưa hợp lệ (đề nghị cần điểm và lý do).",
            "Invalid finding (a proposal needs a score and a reason).",
        ),
        "yearend_not_disputed" => (
            "Tiêu chí này không có ý kiến khác.",
            "This criterion is not disputed.",
        ),
        "yearend_dispute_resolved" => (
            "Hội đồng cụm đã quyết định tiêu chí này; quyết định không được thay bằng một quyết định khác.",
            "The council already decided this criterion; its decision is not replaced by another.",
        ),
        "yearend_locked" => (
            "Điểm năm đã khoá: không ai sửa được.",
            "The year's scores are locked: nobody edits them.",
        ),
        "yearend_not_settled" => (
            "Còn tiêu chí có ý kiến khác chưa được Hội đồng quyết định.",
            "Some disputes are not settled by the council yet.",
        ),
        "yearend_findings_missing" => (
            "Còn đơn vị chưa gửi kết quả chấm chéo.",
            "Some inspectors have not submitted their findings.",
        ),
        "yearend_not_locked" => (
            "Điểm năm chưa khoá.",
            "The year's scores are not locked yet.",
        ),
        "yearend_published" => (
            "Kết quả đã được công bố.",
            "The results were already published.",
        ),
        "yearend_evidence_invalid" => (
            "Tệp chứng minh không hợp lệ (PDF, ảnh, DOCX, XLSX).",
            "Invalid evidence file (PDF, images, DOCX, XLSX).",
        ),
        "yearend_evidence_no_file" => (
            "Chưa chọn tệp: chọn tệp của tiêu chí rồi bấm «Tải tệp lên».",
            "No file chosen: choose the criterion's file, then «Upload the file».",
        ),
        "yearend_evidence_not_uploaded" => (
            "Tệp chứng minh mới phải được tải lên (không gắn tệp chỉ bằng mã băm).",
            "A new evidence file must be uploaded (a file is not attached by its hash alone).",
        ),
        "yearend_assignment_invalid" => (
            "Phân công không hợp lệ: mỗi đơn vị cần đủ số đơn vị kiểm tra, các đơn vị kiểm tra một đơn vị phải khác nhau và là thành viên của cụm, không đơn vị nào tự kiểm tra mình.",
            "Invalid assignment: each unit needs its full number of inspectors, a unit's inspectors are different members of the cluster, and no unit inspects itself.",
        ),
        "yearend_no_head" => ("Cụm chưa có đơn vị cụm trưởng trong năm.", "The cluster has no head unit this year."),
        "yearend_tie_undecided" => ("Có các đơn vị bằng điểm tại ngưỡng tỷ lệ: cụm trưởng cần quyết định trước khi công bố.", "Units are tied at a quota cut-off: the cluster head decides before publication."),
        "yearend_tie_invalid" => ("Quyết định không hợp lệ: chọn đúng số đơn vị mà tỷ lệ cho phép, trong các đơn vị bằng điểm.", "Invalid decision: choose as many of the tied units as the quota allows."),
        "yearend_scores_uncomputable" => (
            "Chưa khoá được điểm: còn đơn vị không tính được tổng điểm (thiếu số liệu đã duyệt).",
            "The scores cannot be locked: some units' totals cannot be computed (approved figures missing).",
        ),
        "yearend_member_ceased" => (
            "Chưa mở được đánh giá cuối năm: có thành viên đã ngừng hoạt động trong năm. Hãy đổi thành viên của năm sang đơn vị kế thừa trước (trang cụm).",
            "The year-end review cannot open: members ceased during the year. Replace them by their successors in the year's membership first (the cluster page).",
        ),
        "yearend_too_few_members" => (
            "Mỗi đơn vị được 2 đơn vị chấm chéo chỉ khi cụm có ít nhất 5 đơn vị.",
            "Two inspectors per unit need at least 5 units in the cluster.",
        ),
        "yearend_deadlines_order" => (
            "Các hạn phải theo thứ tự các bước: nộp hồ sơ, cam kết mã, công bố mã, giải trình.",
            "The deadlines follow the steps' order: dossiers, commitments, reveals, responses.",
        ),
        "yearend_deadline_in_past" => (
            "Hạn không được là một ngày đã qua.",
            "A deadline cannot be a day already past.",
        ),
        "yearend_deadline_unchanged" => (
            "Hạn này không thay đổi.",
            "This deadline does not change.",
        ),
        "yearend_deadline_after_beacon" => (
            "Hạn cam kết phải hết trước khi vòng số ngẫu nhiên đã chọn được công bố.",
            "The commitment deadline must end before the pinned beacon round is published.",
        ),
        "yearend_records_empty" => (
            "Tổng số hồ sơ phải từ 1 trở lên.",
            "The number of records must be at least 1.",
        ),
        "yearend_recheck_no_records" => (
            "Đơn vị được chấm chưa khai tổng số hồ sơ gốc: không có hồ sơ nào để kiểm tra lại.",
            "The inspected unit declared no source records: there is nothing to re-check.",
        ),
        "yearend_recheck_over_sample" => (
            "Số hồ sơ đã kiểm tra vượt số hồ sơ được bốc để kiểm tra lại.",
            "More records checked than were drawn for the re-check.",
        ),
        "yearend_recheck_invalid" => (
            "Số hồ sơ đã kiểm tra phải từ 1 trở lên, và số hồ sơ ghi nhận đúng không vượt số đã kiểm tra.",
            "At least one record is checked, and no more are correctly recorded than checked.",
        ),
        "yearend_response_empty" => (
            "Giải trình chưa trả lời tiêu chí nào: với mỗi tiêu chí, chọn «Chấp nhận điểm đề nghị» hoặc ghi nội dung giải trình.",
            "The response answers no criterion: for each, accept the proposed score or write an answer.",
        ),
        "yearend_answer_empty" => (
            "Chọn «Chấp nhận điểm đề nghị» hoặc ghi nội dung giải trình.",
            "Accept the proposed score or write why not.",
        ),
        "yearend_answer_too_long" => (
            "Nội dung giải trình quá dài.",
            "The answer is too long.",
        ),
        "yearend_resolution_score_missing" => (
            "Quyết định của Hội đồng về tiêu chí tự chấm phải ghi điểm cuối cùng.",
            "The council's decision on a self-assessed criterion gives its final score.",
        ),
        "yearend_evidence_duplicate" => (
            "Tệp này đã được đính kèm cho tiêu chí này.",
            "This file is already attached to this criterion.",
        ),
        "yearend_evidence_too_large" => (
            "Tệp chứng minh quá lớn.",
            "The evidence file is too large.",
        ),
        // The forms' own refusals (never the domain's).
        "yearend_number_ambiguous" => (
            "Cách viết số không rõ: điểm viết không có dấu phân cách hàng nghìn, phần thập phân sau dấu phẩy (ví dụ 20 hoặc 20,5).",
            "Ambiguous number: write a score without thousands separators, decimals after a comma or a point (e.g. 20 or 20.5).",
        ),
        "yearend_nothing_moved" => (
            "Không hạn nào thay đổi: sửa ngày của hạn cần dời.",
            "No deadline changes: edit the day of the deadline to move.",
        ),
        "yearend_agree_with_score" => (
            "Đã nhập điểm đề nghị nhưng chọn «Thống nhất»: chọn «Đề nghị điểm khác» (hoặc ý kiến khác) hoặc xoá điểm đề nghị.",
            "A proposed score was entered but «Agree» is chosen: choose «Propose another score» (or another verdict) or clear the proposed score.",
        ),
        "yearend_agree_with_reason" => (
            "Đã nhập lý do nhưng chọn «Thống nhất»: lý do chỉ được ghi khi có ý kiến khác — chọn «Đề nghị điểm khác» hoặc «Đề nghị xem lại số liệu», hoặc xoá lý do.",
            "A reason was entered but «Agree» is chosen: a reason goes with another verdict — choose «Propose another score» or «Question the figures», or clear the reason.",
        ),
        "yearend_evidence_needs_score" => (
            "Tiêu chí có tài liệu chứng minh cần có điểm tự chấm: nhập điểm, hoặc gỡ các tài liệu trước.",
            "A criterion with evidence needs its self-score: enter it, or remove the files first.",
        ),
        "yearend_evidence_not_held" => (
            "Tệp cần gỡ không còn trong hồ sơ (có thể đã được gỡ): tải lại trang để xem các tệp hiện có.",
            "The file to remove is no longer in the dossier (it may have been removed already): reload the page to see the files it holds.",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// The sentence of a year-end refusal with its specifics (`thidua_domain::yearend::YearEndError::args`): why a step
/// is not open, with its date or round; which deadline, which count. The code's general
/// sentence ([`error`]) when there is no such sentence or a specific is missing.
pub fn refusal(lang: Lang, e: &thidua_domain::yearend::YearEndError) -> String {
    let general = || lang.error(e.code).to_owned();
    let template = match e.code {
        "yearend_phase" => e.arg("why").and_then(|why| phase_reason(lang, why)),
        code => specific(lang, code),
    };
    let Some(template) = template else {
        return general();
    };
    let mut args: Vec<(&str, String)> = e
        .args
        .iter()
        .map(|(k, v)| {
            let shown = match *k {
                "date" | "later_date" | "earlier_date" => crate::format::iso_date(v),
                "step" | "later" | "earlier" => step_name(lang, v).to_owned(),
                "max" => crate::format::decimal_str(v),
                "why" if e.code == "yearend_assignment_invalid" => {
                    assignment_flaw(lang, v, e.arg("count").unwrap_or("0"))
                }
                _ => v.clone(),
            };
            (*k, shown)
        })
        .collect();
    if e.code.starts_with("yearend_evidence_") {
        let limit = thidua_domain::yearend::decide::EVIDENCE_MAX_BYTES as usize;
        args.push(("limit", crate::format::byte_limit(limit, lang)));
    }
    let filled = super::fill(template, &args);
    if filled.contains('{') {
        return general();
    }
    filled
}

/// What is wrong with a unit's place in a decided assignment (`why` of
/// `yearend_assignment_invalid`), with its count.
fn assignment_flaw(lang: Lang, why: &str, count: &str) -> String {
    let (vi, en) = match why {
        "self" => ("tự kiểm tra chính mình", "inspects itself"),
        "inspected" => (
            "được {count} đơn vị kiểm tra",
            "is inspected by {count} {count|unit|units}",
        ),
        _ => (
            "kiểm tra {count} đơn vị",
            "inspects {count} {count|unit|units}",
        ),
    };
    super::fill(lang.pick(vi, en), &[("count", count)])
}

/// A deadline of the schedule by its step's key, as a sentence names it.
pub fn step_name(lang: Lang, step: &str) -> &'static str {
    let (vi, en) = match step {
        "dossier" => ("hạn nộp hồ sơ tự chấm", "the dossier deadline"),
        "commit" => ("hạn cam kết mã bốc thăm", "the seed commitment deadline"),
        "reveal" => ("hạn công bố mã bốc thăm", "the seed reveal deadline"),
        "response" => ("hạn giải trình", "the response deadline"),
        _ => ("hạn", "the deadline"),
    };
    lang.pick(vi, en)
}

/// The sentence of a refusal whose specifics fill it, by code.
fn specific(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        // `{limit}`: the domain's `EVIDENCE_MAX_BYTES`, said with its bytes by `refusal`.
        "yearend_evidence_invalid" => (
            "Tệp chứng minh không hợp lệ (PDF, ảnh, DOCX, XLSX; tối đa {limit}).",
            "Invalid evidence file (PDF, images, DOCX, XLSX; at most {limit}).",
        ),
        "yearend_evidence_too_large" => (
            "Tệp chứng minh quá lớn: tối đa {limit}. Hãy nén hoặc chia tệp thành nhiều tệp nhỏ hơn rồi đính kèm từng tệp.",
            "The evidence file is too large: at most {limit}. Compress it, or split it into smaller files and attach each one.",
        ),
        "yearend_deadline_passed" => (
            "Đã quá {step} ({date}).",
            "Too late: {step} was {date}.",
        ),
        "yearend_deadline_in_past" => (
            "Hạn không được là một ngày đã qua: {step} là {date}.",
            "A deadline cannot be a day already past: {step} is {date}.",
        ),
        "yearend_deadlines_order" => (
            "Các hạn phải theo thứ tự các bước: {later} ({later_date}) không được trước {earlier} ({earlier_date}).",
            "The deadlines follow the steps' order: {later} ({later_date}) cannot come before {earlier} ({earlier_date}).",
        ),
        "yearend_deadline_unchanged" => (
            "Không có gì thay đổi: {step} đã là {date}.",
            "Nothing changes: {step} is already {date}.",
        ),
        "yearend_deadline_after_beacon" => (
            "Hạn cam kết phải hết trước ngày vòng số ngẫu nhiên đã chọn được công bố ({date}).",
            "The commitment deadline must end before the pinned beacon round is published ({date}).",
        ),
        "yearend_tie_undecided" => (
            "Chưa công bố được kết quả: các đơn vị bằng điểm tại ngưỡng tỷ lệ tối đa của xếp loại {bands}. Lãnh đạo đơn vị cụm trưởng ({head}) quyết định đơn vị nào giữ xếp loại này (ngay dưới đây), rồi công bố.",
            "The results cannot be published yet: units are tied at the quota cut-off of {bands}. The leader of the cluster head ({head}) decides which keep that band (below), then publish.",
        ),
        "yearend_scores_uncomputable" => (
            "Chưa khoá được điểm: không tính được tổng điểm của {units}. Hãy để các đơn vị nộp và lãnh đạo duyệt đủ số liệu các kỳ còn thiếu (trang Số liệu), rồi khoá điểm.",
            "The scores cannot be locked: the totals of {units} cannot be computed. Have the units submit and their leaders approve the missing windows' figures (the Figures page), then lock.",
        ),
        "yearend_member_ceased" => (
            "Chưa mở được đánh giá cuối năm: {units} đã ngừng hoạt động trong năm. Hãy đổi thành viên của năm sang đơn vị kế thừa ({successors}) trên trang cụm trước.",
            "The year-end review cannot open: {units} ceased during the year. Replace them in the year's membership by their successors ({successors}) on the cluster page first.",
        ),
        "yearend_too_few_members" => (
            "Mỗi đơn vị được 2 đơn vị chấm chéo chỉ khi cụm có ít nhất {min} đơn vị; cụm có {count} đơn vị: chọn 1.",
            "Two inspectors per unit need at least {min} units in the cluster; it has {count}: choose 1.",
        ),
        "yearend_recheck_over_sample" => (
            "Số hồ sơ đã kiểm tra ({checked}) vượt số hồ sơ được bốc để kiểm tra lại ({sample} trong {population} hồ sơ đã khai).",
            "{checked} records checked, more than the {sample} drawn for the re-check (of {population} declared).",
        ),
        "yearend_recheck_invalid" => (
            "Số hồ sơ ghi nhận đúng ({correct}) phải không vượt số hồ sơ đã kiểm tra ({checked}), và số đã kiểm tra từ 1 trở lên.",
            "No more records correctly recorded ({correct}) than checked ({checked}), and at least one checked.",
        ),
        "yearend_answer_empty" => (
            "Tiêu chí {criterion}: chọn «Chấp nhận điểm đề nghị» hoặc ghi nội dung giải trình.",
            "Criterion {criterion}: accept the proposed score or write why not.",
        ),
        "yearend_answer_too_long" => (
            "Tiêu chí {criterion}: nội dung giải trình dài quá {max} ký tự; hãy rút gọn.",
            "Criterion {criterion}: the answer is longer than {max} characters; shorten it.",
        ),
        "yearend_score_out_of_range" => (
            "{criterion}: điểm phải từ 0 đến {max}.",
            "{criterion}: the score must be from 0 to {max}.",
        ),
        "yearend_score_places" => (
            "{criterion}: điểm có tối đa {places} chữ số thập phân (theo quy định chấm điểm).",
            "{criterion}: a score has at most {places} decimal places (as the scoring regulation rounds).",
        ),
        "yearend_figures_missing" => (
            "Còn đơn vị chưa có số liệu được duyệt: {units}. Đánh dấu ô xác nhận để vẫn mở tổng kết năm, hoặc để các đơn vị nộp và lãnh đạo duyệt đủ số liệu trước.",
            "Members lack approved figures: {units}. Tick the box to open the review anyway, or have the units submit and their leaders approve the figures first.",
        ),
        "yearend_criteria_uncomputable" => (
            "Chưa gửi được hồ sơ: các tiêu chí {criteria} không tính được vì thiếu số liệu được duyệt của kỳ {windows}. Hãy nộp và duyệt số liệu các kỳ đó (trang Số liệu), rồi gửi hồ sơ.",
            "The dossier cannot be submitted: criteria {criteria} cannot be computed, approved figures missing for {windows}. Submit and approve those windows' figures (the Figures page), then submit the dossier.",
        ),
        "yearend_criteria_uncomputable_earlier" => (
            "Chưa gửi được hồ sơ: các tiêu chí {criteria} không tính được vì thiếu số liệu được duyệt của năm trước để so sánh (cùng kỳ, năm gốc), theo đơn vị (tháng/năm): {lacking}. Thư ký cụm nhập số liệu đã phê duyệt của các năm trước trên trang số liệu của giao ước; sau đó gửi lại hồ sơ.",
            "The dossier cannot be submitted: criteria {criteria} cannot be computed, approved figures missing of the earlier year they compare with, by unit (months/year): {lacking}. The cluster's secretariat imports the approved figures of earlier years on the covenant's figures page; then submit the dossier again.",
        ),
        "yearend_agree_uncomputed" => (
            "Không thống nhất được với {criteria}: chưa tính được điểm (thiếu số liệu được duyệt). Chọn «Đề nghị xem lại số liệu» và ghi lý do.",
            "{criteria} cannot be agreed with: no computed value (approved figures missing). Question the figures and give a reason.",
        ),
        "yearend_assignment_breaches" => (
            "Phân công vi phạm {count} quy tắc của việc bốc thăm (liệt kê bên dưới): đánh dấu xác nhận đúng từng quy tắc đó nếu vẫn quyết định như vậy.",
            "The assignment breaks {count} {count|rule|rules} of the draw (listed below): tick exactly each of them to decide it anyway.",
        ),
        "yearend_assignment_invalid" => (
            "Phân công không hợp lệ: {unit} {why}; mỗi đơn vị được đúng {k} đơn vị khác kiểm tra và kiểm tra đúng {k} đơn vị khác.",
            "Invalid assignment: {unit} {why}; every unit is inspected by exactly {k} other units and inspects exactly {k}.",
        ),
        "yearend_evidence_duplicate" => (
            "Tệp này đã được đính kèm cho tiêu chí {criterion} (tên «{name}»).",
            "This file is already attached to criterion {criterion} (as «{name}»).",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// Why a year-end step is not open (`yearend_phase`), by the domain's reason
/// (`thidua_domain::yearend::error::PHASE_REASONS`), with its `{date}`, `{round}` or `{step}`.
pub fn phase_reason(lang: Lang, why: &str) -> Option<&'static str> {
    let (vi, en) = match why {
        "beacon_already_pinned" => (
            "Đã chọn vòng số ngẫu nhiên công khai cho đợt này.",
            "A beacon round is already pinned for this review.",
        ),
        "beacon_after_commitments" => (
            "Chỉ chọn được vòng số ngẫu nhiên trước khi có đơn vị cam kết mã bốc thăm.",
            "A beacon round is pinned before any unit commits to its seed.",
        ),
        "beacon_not_pinned" => (
            "Chưa chọn vòng số ngẫu nhiên công khai nào.",
            "No beacon round is pinned.",
        ),
        "beacon_already_recorded" => (
            "Số ngẫu nhiên của vòng đã được ghi.",
            "The beacon round's value is already recorded.",
        ),
        "beacon_other_round" => (
            "Vòng số ngẫu nhiên đã chọn là vòng {round}.",
            "The pinned beacon round is round {round}.",
        ),
        "reveals_closed_by_beacon" => (
            "Việc công bố mã đã đóng khi vòng số ngẫu nhiên {round} được công bố.",
            "Reveals closed when beacon round {round} was published.",
        ),
        "already_drawn" => (
            "Đã bốc thăm phân công chấm chéo: bước này đã đóng.",
            "The assignment is drawn: this step is closed.",
        ),
        "commitments_closed" => (
            "Đã có đơn vị công bố mã: không cam kết thêm được.",
            "Reveals have started: commitments are closed.",
        ),
        "conflicts_closed" => (
            "Đã hết thời gian khai xung đột lợi ích: việc khai chỉ nhận khi chưa đóng cam kết mã (trước khi mọi đơn vị đã cam kết, có đơn vị công bố mã, hoặc hết hạn cam kết {date}), để không ai chọn xung đột khi đã biết một phần kết quả bốc thăm.",
            "Conflicts of interest can no longer be declared: they are accepted only while commitments are open (until every unit has committed, the first reveal or the end of the commitment deadline, {date}), so that nobody chooses a conflict knowing part of the draw.",
        ),
        "records_closed" => (
            "Đã hết thời gian khai số hồ sơ: việc khai (hoặc sửa) chỉ nhận khi chưa đóng cam kết mã (trước khi mọi đơn vị đã cam kết, có đơn vị công bố mã, hoặc hết hạn cam kết {date}), vì hồ sơ được kiểm tra lại rút ra từ kết quả bốc thăm và số hồ sơ.",
            "The records can no longer be declared: they are accepted (or corrected) only while commitments are open (until every unit has committed, the first reveal or the end of the commitment deadline, {date}), since the records re-checked are drawn from the seed and their count.",
        ),
        "already_committed" => (
            "Đơn vị đã cam kết mã bốc thăm.",
            "The unit has already committed to its seed.",
        ),
        "reveals_not_open" => (
            "Chưa công bố mã được: chờ mọi đơn vị cam kết, hoặc hết hạn cam kết ({date}).",
            "Reveals open once every unit has committed, or after the commitment deadline ({date}).",
        ),
        "no_commitment" => (
            "Đơn vị chưa cam kết mã bốc thăm nên không có gì để công bố.",
            "The unit made no commitment: there is nothing to reveal.",
        ),
        "already_revealed" => ("Đơn vị đã công bố mã.", "The unit has already revealed."),
        "draw_waits_beacon" => (
            "Việc bốc thăm chờ số ngẫu nhiên của vòng {round}.",
            "The draw waits for the value of beacon round {round}.",
        ),
        "draw_waits_reveals" => (
            "Việc bốc thăm chờ mọi đơn vị đã cam kết công bố mã, hoặc hết hạn công bố mã ({date}).",
            "The draw waits for every committed unit's reveal, or the end of the reveal deadline ({date}).",
        ),
        "draw_waits_commitments" => (
            "Việc bốc thăm chờ mọi đơn vị công bố mã, hoặc hết hạn cam kết ({date}).",
            "The draw waits for every reveal, or the end of the commitment deadline ({date}).",
        ),
        "decide_before_draw" => (
            "Thư ký cụm chỉ quyết định phân công sau một lần bốc thăm không tìm được cách phân công.",
            "The secretariat decides an assignment only after a draw that found none.",
        ),
        "draw_found_assignment" => (
            "Bốc thăm đã tìm được phân công: không ai chọn phân công khác.",
            "The draw found an assignment: nobody chooses another.",
        ),
        "dossier_not_frozen" => (
            "Hồ sơ của đơn vị chưa gửi và chưa hết hạn nộp ({date}): chưa chấm chéo được.",
            "The dossier is neither submitted nor past its deadline ({date}): it cannot be inspected yet.",
        ),
        "already_answered" => (
            "Đơn vị đã gửi giải trình (mỗi đơn vị gửi một lần).",
            "The unit has already answered (once per unit).",
        ),
        "response_waits_findings" => (
            "Chưa giải trình được: còn chờ kết quả chấm chéo của {units}. Đơn vị giải trình một lần, sau khi mọi đơn vị chấm chéo mình đã gửi kết quả, để trả lời được mọi tiêu chí bị đề nghị.",
            "Not yet: the findings of {units} are still awaited. The unit answers once, after every unit inspecting it has submitted its findings, so that it can answer every disputed criterion.",
        ),
        "resolve_before_response" => (
            "Hội đồng cụm quyết định sau khi đơn vị giải trình, hoặc hết hạn giải trình ({date}).",
            "The council decides after the unit's response, or the end of the response deadline ({date}).",
        ),
        "no_assignment" => ("Chưa có phân công chấm chéo.", "There is no assignment yet."),
        "tie_outside_lock" => (
            "Trường hợp bằng điểm được quyết định sau khi khoá điểm và trước khi công bố.",
            "Ties are decided after the lock and before publication.",
        ),
        "tie_already_decided" => (
            "Trường hợp bằng điểm của loại này đã được quyết định.",
            "This band's tie is already decided.",
        ),
        "deadline_step_past" => (
            "Đã quá {step} ({date}): hạn này không dời được nữa.",
            "Too late to move it: {step} ({date}) has passed.",
        ),
        "deadline_step_done" => (
            "Bước mà {step} khép lại đã xong: hạn này không dời được nữa.",
            "Too late to move it: the step closed by {step} is over.",
        ),
        "no_reveal_deadline" => (
            "Đợt tổng kết này mở khi chưa có hạn công bố mã: không có hạn đó để dời.",
            "This review was opened without a reveal deadline: there is none to move.",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// The name of a year-end event kind.
pub fn event_kind(lang_code: &str, kind: &str) -> Option<&'static str> {
    let (vi, en) = match kind {
        "year_end_opened" => ("Mở tổng kết năm", "Year-end opened"),
        "dossier_saved" => ("Lưu hồ sơ tự chấm", "Dossier saved"),
        "dossier_submitted" => ("Gửi hồ sơ tự chấm", "Dossier submitted"),
        "conflict_declared" => ("Khai xung đột lợi ích", "Conflict declared"),
        "seed_committed" => ("Cam kết mã bốc thăm", "Seed committed"),
        "seed_revealed" => ("Công bố mã bốc thăm", "Seed revealed"),
        "assignment_drawn" => ("Bốc thăm phân công chấm chéo", "Assignment drawn"),
        "assignment_decided" => ("Thư ký cụm quyết định phân công", "Assignment decided"),
        "records_declared" => ("Khai tổng số hồ sơ gốc", "Records declared"),
        "finding_submitted" => ("Gửi kết quả chấm chéo", "Findings submitted"),
        "response_submitted" => ("Gửi giải trình", "Response submitted"),
        "dispute_resolved" => ("Hội đồng cụm quyết định", "Dispute resolved"),
        "eligibility_recorded" => ("Ghi nhận điều kiện đề nghị cờ", "Eligibility recorded"),
        "year_end_locked" => ("Khoá điểm năm", "Year's scores locked"),
        "results_published" => ("Công bố kết quả năm", "Results published"),
        "cutoff_tie_decided" => (
            "Cụm trưởng quyết định trường hợp bằng điểm tại ngưỡng tỷ lệ",
            "Tie at a quota cut-off decided",
        ),
        "beacon_pinned" => (
            "Chọn vòng số ngẫu nhiên công khai",
            "Public beacon round pinned",
        ),
        "beacon_recorded" => (
            "Ghi số ngẫu nhiên công khai",
            "Public beacon value recorded",
        ),
        "year_end_deadline_moved" => ("Dời hạn tổng kết năm", "Year-end deadline moved"),
        _ => return None,
    };
    Some(if lang_code == "en" { en } else { vi })
}

/// The sentence telling a year-end event (`{actor}`, `{covenant}`, `{unit}`, `{other}`).
pub fn sentence(lang_code: &str, kind: &str) -> &'static str {
    let (vi, en) = match kind {
        "year_end_opened" => (
            "{actor} đã mở tổng kết năm của {covenant}.",
            "{actor} opened the year-end review of {covenant}.",
        ),
        "dossier_saved" => (
            "{actor} đã lưu hồ sơ tự chấm của {unit}.",
            "{actor} saved the dossier of {unit}.",
        ),
        "dossier_submitted" => (
            "{actor} đã gửi hồ sơ tự chấm của {unit}.",
            "{actor} submitted the dossier of {unit}.",
        ),
        "conflict_declared" => (
            "{actor} đã khai xung đột lợi ích giữa {unit} và {other}.",
            "{actor} declared a conflict of interest between {unit} and {other}.",
        ),
        "seed_committed" => (
            "{actor} đã cam kết mã bốc thăm của {unit}.",
            "{actor} committed {unit}'s seed.",
        ),
        "seed_revealed" => (
            "{actor} đã công bố mã bốc thăm của {unit}.",
            "{actor} revealed {unit}'s seed.",
        ),
        "assignment_drawn" => (
            "{actor} đã bốc thăm phân công chấm chéo của {covenant}.",
            "{actor} drew the cross-inspection of {covenant}.",
        ),
        "assignment_decided" => (
            "{actor} đã quyết định phân công chấm chéo của {covenant}.",
            "{actor} decided the cross-inspection of {covenant}.",
        ),
        "records_declared" => (
            "{actor} đã khai tổng số hồ sơ gốc của {unit}.",
            "{actor} declared {unit}'s source records.",
        ),
        "finding_submitted" => (
            "{actor} đã gửi kết quả chấm chéo của {unit} đối với {other}.",
            "{actor} submitted {unit}'s findings on {other}.",
        ),
        "response_submitted" => (
            "{actor} đã gửi giải trình của {unit}.",
            "{actor} submitted {unit}'s response.",
        ),
        "dispute_resolved" => (
            "{actor} đã ghi quyết định của Hội đồng cụm về {unit}.",
            "{actor} recorded the council's decision on {unit}.",
        ),
        "eligibility_recorded" => (
            "{actor} đã ghi nhận điều kiện đề nghị cờ của {unit}.",
            "{actor} recorded {unit}'s eligibility.",
        ),
        "year_end_locked" => (
            "{actor} đã khoá điểm năm của {covenant}.",
            "{actor} locked the year's scores of {covenant}.",
        ),
        "results_published" => (
            "{actor} đã công bố kết quả năm của {covenant}.",
            "{actor} published the results of {covenant}.",
        ),
        "cutoff_tie_decided" => ("{actor} (cụm trưởng) đã quyết định trường hợp bằng điểm tại ngưỡng tỷ lệ của {covenant}.", "{actor} (cluster head) decided the tie at a quota cut-off of {covenant}."),
        "beacon_pinned" => (
            "{actor} đã chọn vòng số ngẫu nhiên công khai (drand) sẽ trộn vào mã bốc thăm của {covenant}.",
            "{actor} pinned the public beacon round (drand) to be mixed into the draw of {covenant}.",
        ),
        "beacon_recorded" => (
            "{actor} đã ghi số ngẫu nhiên của vòng công khai cho {covenant} (đã kiểm chữ ký của mạng drand).",
            "{actor} recorded the public beacon round's value for {covenant} (drand's signature checked).",
        ),
        "year_end_deadline_moved" => (
            "{actor} đã dời {step} của {covenant} sang {date}.",
            "{actor} moved {step} of {covenant} to {date}.",
        ),
        _ => ("{actor}", "{actor}"),
    };
    if lang_code == "en" {
        en
    } else {
        vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_domain::yearend::error::{phase, refuse_with, PHASE_REASONS};
    use thidua_domain::DomainError;

    fn ye(e: DomainError) -> thidua_domain::yearend::YearEndError {
        match e {
            DomainError::YearEnd(y) => y,
            other => panic!("{other:?}"),
        }
    }

    /// Every reason the domain gives for a step that is not open has its sentence in both
    /// languages, filled with its date; a reason the page does not know falls back to the
    /// code's general sentence.
    #[test]
    fn every_reason_a_step_is_not_open_is_told() {
        for why in PHASE_REASONS {
            for lang in [Lang::Vi, Lang::En] {
                assert!(phase_reason(lang, why).is_some(), "{why} ({lang:?})");
            }
        }
        let e = ye(phase(
            "draw_waits_reveals",
            "the draw waits for every committed unit's reveal or the reveal deadline (23/12/2026)",
            vec![("date", "2026-12-23".into())],
        ));
        let vi = refusal(Lang::Vi, &e);
        assert!(
            vi.contains("23/12/2026") && vi.contains("công bố mã"),
            "{vi}"
        );
        assert_ne!(vi, Lang::Vi.error("yearend_phase"));
        let en = refusal(Lang::En, &e);
        assert!(en.contains("23/12/2026") && en.contains("reveal"), "{en}");
        let unknown = ye(phase("no_such_reason", "x", vec![]));
        assert_eq!(refusal(Lang::Vi, &unknown), Lang::Vi.error("yearend_phase"));
    }

    /// A refusal's specifics fill its sentence: deadlines by their names, dates the Vietnamese
    /// way; a specific missing gives the general sentence, never a placeholder.
    #[test]
    fn a_refusal_says_its_specifics() {
        let e = ye(refuse_with(
            "yearend_deadlines_order",
            "x",
            vec![
                ("later", "commit".into()),
                ("later_date", "2026-12-22".into()),
                ("earlier", "dossier".into()),
                ("earlier_date", "2026-12-23".into()),
            ],
        ));
        let vi = refusal(Lang::Vi, &e);
        assert!(
            vi.contains("hạn cam kết mã bốc thăm (22/12/2026)")
                && vi.contains("hạn nộp hồ sơ tự chấm (23/12/2026)"),
            "{vi}"
        );
        let e = ye(refuse_with(
            "yearend_recheck_over_sample",
            "x",
            vec![("checked", "100000".into())],
        ));
        assert_eq!(
            refusal(Lang::Vi, &e),
            Lang::Vi.error("yearend_recheck_over_sample")
        );
    }
}
