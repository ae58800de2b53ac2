//! The strings of the figures pages (the reporting year), in their own module so that the
//! pages of other stages and these can grow apart; error codes and event kinds of figures are
//! translated here and consulted first by [`super::Lang::error`] and
//! [`super::Strings::event_kind`].

use super::Lang;

/// Every user-visible string of the figures pages.
pub struct FigStrings {
    pub figures: &'static str,
    pub figures_link: &'static str,
    pub window: &'static str,
    pub deadline: &'static str,
    /// Beside the deadline of a report not submitted when the deadline has passed.
    pub deadline_missed: &'static str,
    pub status: &'static str,
    pub st_none: &'static str,
    pub st_draft: &'static str,
    pub st_submitted: &'static str,
    pub st_approved: &'static str,
    pub st_reopened: &'static str,
    pub st_not_published: &'static str,
    pub late: &'static str,
    /// A late report's badge with the deadline it missed (`{date}`): the one in force when it
    /// was submitted, which a deadline moved later does not change.
    pub late_against: &'static str,
    /// Another unit past the deadline with nothing published: whether it submitted is not
    /// told, so the words say "not published", never "no figures".
    pub overdue: &'static str,
    /// The viewer's own unit past the deadline with nothing submitted.
    pub overdue_own: &'static str,
    pub on_time: &'static str,
    pub corrections: &'static str,
    pub element: &'static str,
    pub unit_of_measure: &'static str,
    /// What the code shown beside an element's name is: its column in an import file.
    pub column_code: &'static str,
    pub same_period: &'static str,
    pub same_period_from: &'static str,
    /// Beside a figure far from last year's (`api::figures::ElementRow::same_period_ratio`):
    /// `{times}` as many, `{percent}` of it, or zero against `{same}`.
    pub far_times: &'static str,
    pub far_percent: &'static str,
    pub far_zero: &'static str,
    /// The same hint as a figure is typed (the grid's script): ten times or more, a tenth or less.
    pub far_live_above: &'static str,
    pub far_live_below: &'static str,
    /// After `same_period_from`: the units of the lineage with no approved figures for the
    /// window, so that the column is empty rather than a partial sum.
    pub same_period_missing: &'static str,
    /// Why the grid's cùng kỳ of a merged unit is missing: the `{units}` of its lineage
    /// without approved figures for the same window of `{year}` (`ui::figures::lacking_figures`).
    pub lacking_figures: &'static str,
    /// Why a value to date that needs a merged unit's earlier `{year}` is missing (progress
    /// pages): the `{units}` of its lineage lacking approved figures of some of months 1 to
    /// `{through}` — never said to have none of the year when they have some
    /// (`ui::figures::lacking_figures_through`).
    pub lacking_figures_through: &'static str,
    /// The same when the value reads month 1 alone.
    pub lacking_figures_month1: &'static str,
    /// Who fills in the missing earlier years, and where (a link to the figures page's
    /// historical import follows).
    pub same_period_import_hint: &'static str,
    pub same_period_import_link: &'static str,
    pub value: &'static str,
    pub published: &'static str,
    pub comment: &'static str,
    /// An import refused by a rule of the domain, for one of its reports: `{unit}`, `{window}`,
    /// `{reason}`.
    pub import_report_refused: &'static str,
    pub save: &'static str,
    pub save_submit: &'static str,
    pub submit: &'static str,
    pub approve: &'static str,
    pub reopen: &'static str,
    pub reason: &'static str,
    pub reopened_notice: &'static str,
    pub correction_submitted: &'static str,
    pub import_other_report: &'static str,
    /// A file sent from a unit's report that holds other units' figures: `{held}` (their
    /// names), `{unit}` (the page's unit).
    pub import_other_unit: &'static str,
    /// A file over the upload limit (`{limit}`: `crate::auth::MAX_UPLOAD`, said with its bytes).
    pub import_too_large: &'static str,
    /// The grid's summary: `{count}` is what is wrong, `grid_bad_cells` and, when warnings
    /// wait for a comment, `grid_warnings` joined by ", ".
    pub grid_errors: &'static str,
    pub grid_bad_cells: &'static str,
    pub grid_warnings: &'static str,
    pub rule_broken: &'static str,
    pub rule_needs_comment: &'static str,
    pub done_saved: &'static str,
    pub done_submitted: &'static str,
    pub done_approved: &'static str,
    pub done_reopened: &'static str,
    pub done_imported: &'static str,
    /// An import with "submit after import" ticked: imported and submitted.
    pub done_imported_submitted: &'static str,
    pub done_deadline: &'static str,
    pub grid_help: &'static str,
    pub paste_label: &'static str,
    pub paste_help: &'static str,
    /// A pasted column refused: not one line per element (`{lines}`, `{elements}`), followed
    /// by `paste_heading` (`{first}`) when its first line is a heading; a line of several cells
    /// (`{line}`, `{cells}`).
    pub paste_count: &'static str,
    pub paste_heading: &'static str,
    pub paste_cells: &'static str,
    /// A pasted line that is no figure (`{line}`, `{text}`): the whole column is refused.
    pub paste_not_a_figure: &'static str,
    /// A later line that is no figure, with the element it stands for: `{line}`, `{text}`,
    /// `{element}` (the column fits the form; the figure is mistyped).
    pub paste_not_a_figure_at: &'static str,
    pub import_title: &'static str,
    pub import_help: &'static str,
    /// Why a report takes no file now: the year is locked, or it waits for its leader.
    pub import_locked: &'static str,
    pub import_not_editable: &'static str,
    /// A reopened report, to whoever does not enter its figures (its leader): who corrects it.
    pub import_reopened: &'static str,
    /// A report not yet submitted, to whoever does not enter its figures (its leader).
    pub import_by_officer: &'static str,
    /// After the reopening's notice: what the officer does now (`{button}`: the submit
    /// button's words), and what the leader waits for.
    pub reopened_todo_officer: &'static str,
    pub reopened_todo_leader: &'static str,
    /// The second "skip" link of the report's page: to the grid.
    pub skip_to_grid: &'static str,
    /// Shown when the page's script runs: what Enter and a paste do in the grid.
    pub grid_keys: &'static str,
    /// A figure cell holding several numbers (`{text}`): a column pasted into one cell;
    /// `grid_space_number` (`{dots}`, `{plain}`) follows when it also reads as one number
    /// with spaces between groups of three digits.
    pub grid_pasted_column: &'static str,
    pub grid_space_number: &'static str,
    /// A pasted line with a space inside a number that is no grouping of three digits
    /// (`{line}`, `{text}`).
    pub paste_space: &'static str,
    /// A multi-line paste into a figure cell (the page's script) longer than the cells left
    /// from there down (`{lines}`, `{cells}`).
    pub paste_too_many: &'static str,
    /// A correction's people: who submitted the revision approved, who approved it.
    pub submitted_by: &'static str,
    pub approved_by: &'static str,
    pub file: &'static str,
    pub dry_run: &'static str,
    pub submit_after_import: &'static str,
    /// Before the window's cut-off: drafts only, submission from the date that follows.
    pub submit_from: &'static str,
    pub import_button: &'static str,
    pub template_xlsx: &'static str,
    pub template_csv: &'static str,
    pub export_link: &'static str,
    /// The export link's title: the command that reads the file, for who recomputes by hand.
    pub export_title: &'static str,
    pub dry_run_title: &'static str,
    /// A historical dry run's summary: `{values}` figures; `{units}` the units and years.
    pub dry_run_historical: &'static str,
    /// One unit's year in that summary: `{unit}`, `{year}`, `{windows}` (how many).
    pub dry_run_unit_year: &'static str,
    pub nothing_written: &'static str,
    pub imported: &'static str,
    pub import_errors: &'static str,
    /// Below a refused file: what to do next (when the form takes a file), and why not reload
    /// (the page answers a POST) but go back.
    pub import_fix: &'static str,
    pub import_choose_again: &'static str,
    pub import_no_reload: &'static str,
    pub import_back: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub history_title: &'static str,
    pub approved_at: &'static str,
    pub historical: &'static str,
    pub correction_of: &'static str,
    /// Said of a correction approved with the same figures and comments as the approval
    /// before it.
    pub no_change: &'static str,
    pub rule_issues: &'static str,
    /// An issue's line: the rule the figures break (`{name}`), said as broken.
    pub issue_rule: &'static str,
    pub warning: &'static str,
    pub error: &'static str,
    pub explained: &'static str,
    pub historical_title: &'static str,
    pub historical_help: &'static str,
    pub deadline_title: &'static str,
    /// The validation rules page (`/covenants/{id}/figures/rules`).
    pub rules_title: &'static str,
    pub rules_link: &'static str,
    pub rules_intro: &'static str,
    pub rules_not_signed: &'static str,
    pub rules_of_regulation: &'static str,
    pub rules_of_regulation_help: &'static str,
    pub rules_regulation_link: &'static str,
    pub rules_added: &'static str,
    pub rules_none: &'static str,
    /// The rows of the added rules: their legend (`{n}`), the hint, the id's label and hint.
    pub rules_row: &'static str,
    pub rules_help: &'static str,
    pub rule_id: &'static str,
    pub rule_name_input: &'static str,
    pub rule_id_help: &'static str,
    pub rule_check_help: &'static str,
    /// The form's element codes, to write checks with.
    pub rules_codes: &'static str,
    /// A row's problems: an id the language cannot name, one of the regulation's, one used
    /// above; a check that does not read (`{reason}`).
    pub rule_id_invalid: &'static str,
    pub rule_id_regulation: &'static str,
    pub rule_id_taken: &'static str,
    pub rule_check_invalid: &'static str,
    pub rule_needs_all: &'static str,
    /// More boxes filled than a covenant may add (`{max}`).
    pub rules_too_many: &'static str,
    pub rules_save: &'static str,
    pub rules_saved: &'static str,
    pub rule_name: &'static str,
    pub rule_check: &'static str,
    pub rule_severity: &'static str,
    pub rule_error_words: &'static str,
    pub rule_warning_words: &'static str,
    /// An added rule sent as blocking (only a crafted form offers it).
    pub rule_added_only_warns: &'static str,
    pub deadline_help: &'static str,
    pub set_deadline: &'static str,
    pub imports_title: &'static str,
    pub sha256: &'static str,
    pub by: &'static str,
    pub not_applicable: &'static str,
    pub drafts_hidden: &'static str,
    pub not_signed: &'static str,
    pub blank: &'static str,
    pub open: &'static str,
    /// The hidden header of the column of links to each unit's report.
    pub report_column: &'static str,
    pub revision: &'static str,
    pub reports: &'static str,
    pub sheet: &'static str,
    pub column: &'static str,
}

pub static VI: FigStrings = FigStrings {
    figures: "Số liệu thi đua",
    figures_link: "Số liệu các kỳ báo cáo",
    window: "Kỳ báo cáo",
    deadline: "Hạn nộp",
    deadline_missed: "Đã quá hạn, chưa nộp",
    status: "Trạng thái",
    st_none: "Chưa có",
    st_draft: "Bản nháp",
    st_submitted: "Đã gửi, chờ duyệt",
    st_approved: "Đã phê duyệt",
    st_reopened: "Mở lại để điều chỉnh",
    st_not_published: "Chưa công bố",
    late: "Nộp muộn",
    late_against: "Nộp muộn (hạn khi nộp: {date})",
    overdue: "Quá hạn, chưa công bố số liệu",
    overdue_own: "Quá hạn, chưa gửi số liệu",
    on_time: "Đúng hạn",
    corrections: "Điều chỉnh",
    element: "Nội dung",
    unit_of_measure: "Đơn vị tính",
    column_code: "Mã cột của số liệu trong tệp nhập (CSV, XLSX)",
    same_period: "Cùng kỳ",
    far_times: "Gấp {times} lần cùng kỳ: xin kiểm tra lại (chữ số, dấu phân cách)",
    far_percent: "Chỉ bằng {percent}% cùng kỳ: xin kiểm tra lại (chữ số, dấu phân cách)",
    far_zero: "Bằng 0 trong khi cùng kỳ là {same}: xin kiểm tra lại",
    far_live_above: "Gấp mười lần cùng kỳ trở lên: xin kiểm tra lại (chữ số, dấu phân cách)",
    far_live_below: "Chỉ bằng một phần mười cùng kỳ trở xuống: xin kiểm tra lại (chữ số, dấu phân cách)",
    same_period_from: "gồm số liệu của đơn vị và của đơn vị tiền thân đã hợp nhất vào đơn vị:",
    same_period_missing: "Chưa tính được cùng kỳ của kỳ này (không cộng thiếu):",
    lacking_figures: "chưa có số liệu đã duyệt cùng kỳ năm {year} của {units}",
    lacking_figures_through: "chưa đủ số liệu đã duyệt năm {year} (tháng 1 đến tháng {through}) của {units}",
    lacking_figures_month1: "chưa có số liệu đã duyệt tháng 1 năm {year} của {units}",
    same_period_import_hint: "Thư ký cụm nhập số liệu đã phê duyệt của các năm trước",
    same_period_import_link: "trên trang số liệu của giao ước",
    value: "Số liệu",
    published: "Đã công bố",
    comment: "Ghi chú",
    import_report_refused: "Báo cáo của {unit}, {window}: {reason} Không có số liệu nào được nhập.",
    save: "Lưu nháp",
    save_submit: "Lưu và gửi lãnh đạo duyệt",
    submit: "Gửi lãnh đạo duyệt",
    approve: "Phê duyệt",
    reopen: "Mở lại để điều chỉnh",
    reason: "Lý do",
    reopened_notice: "Lãnh đạo đơn vị đã mở lại báo cáo để điều chỉnh",
    correction_submitted: "Bản điều chỉnh đã được gửi, chờ lãnh đạo phê duyệt; đến khi đó cụm vẫn thấy số liệu đã phê duyệt trước.",
    rule_broken: "Vi phạm quy tắc kiểm tra «{rule}»: hãy sửa số liệu này hoặc số liệu liên quan",
    rule_needs_comment: "Cảnh báo «{rule}»: ghi chú giải thích ở đây hoặc ở số liệu liên quan",
    grid_errors: "Chưa lưu: {count}; xem lời nhắc bên cạnh từng ô bên dưới. Các số đã nhập vẫn được giữ nguyên.",
    grid_bad_cells: "{n} ô có lỗi",
    grid_warnings: "{n} cảnh báo cần ghi chú",
    import_too_large: "Tệp lớn hơn {limit}, giới hạn của một lần nhập: hãy chia theo kỳ hoặc theo đơn vị rồi nhập từng tệp. Không có gì được nhập.",
    import_other_report: "Tệp này chứa số liệu của {held}, không phải của kỳ trên trang này: hãy tải mẫu của kỳ này, điền rồi nhập lại. Không có gì được nhập.",
    import_other_unit: "Tệp này chứa số liệu của {held}, không phải của {unit} (đơn vị trên trang này): hãy tải biểu mẫu trên trang này, điền rồi nhập lại. Không có gì được nhập.",
    done_saved: "Đã lưu số liệu (bản nháp, chỉ đơn vị thấy).",
    done_submitted: "Đã trình số liệu để lãnh đạo đơn vị phê duyệt.",
    done_approved: "Đã phê duyệt: số liệu được công bố trong cụm.",
    done_reopened: "Đã mở lại báo cáo để điều chỉnh.",
    done_imported: "Đã nhập số liệu từ tệp.",
    done_imported_submitted: "Đã nhập số liệu từ tệp và đã gửi lãnh đạo duyệt.",
    done_deadline: "Đã lưu hạn nộp mới.",
    grid_help: "Nhập số theo cách viết Việt Nam (1.234 hoặc 12,5); ghi «không áp dụng» nếu số liệu không áp dụng; để trống nếu chưa có số liệu.",
    paste_label: "Dán một cột từ Excel",
    paste_help: "Mỗi dòng một số liệu, đủ một dòng cho mỗi số liệu, theo thứ tự các số liệu ở trên; dòng trống giữ nguyên ô tương ứng. Số viết như trong bảng (1.650 hoặc 12,5); dấu cách giữa các nhóm ba chữ số (1 650, như Excel có thể hiển thị) cũng được.",
    paste_count: "Đã dán {lines} dòng nhưng biểu mẫu có {elements} số liệu: cần đúng một dòng cho mỗi số liệu, theo thứ tự ở trên (dòng trống giữ nguyên ô). Chưa ô nào được thay đổi.",
    paste_heading: "Dòng đầu «{first}» không phải số liệu, có lẽ là tiêu đề của cột: hãy bỏ dòng đó rồi dán lại.",
    paste_cells: "Dòng {line} có {cells} ô cách nhau bằng dấu tab (dán cả một hàng hoặc nhiều cột?): hãy dán một cột, mỗi dòng một số liệu. Chưa ô nào được thay đổi.",
    paste_not_a_figure: "Dòng {line} «{text}» không phải số liệu (số, hoặc «không áp dụng»): cột đã dán không khớp biểu mẫu, có lẽ có dòng tiêu đề. Chưa ô nào được thay đổi.",
    paste_not_a_figure_at: "Dòng {line} «{text}» (ứng với {element}) không phải số liệu (số, hoặc «không áp dụng»): hãy sửa dòng đó rồi dán lại. Chưa ô nào được thay đổi.",
    import_title: "Nhập từ tệp (XLSX hoặc CSV)",
    import_help: "Dùng biểu mẫu tải về ở đây. Tệp có một dòng sai thì không nhập gì và báo dòng, cột, lý do.",
    import_locked: "Điểm thi đua của năm đã khoá: số liệu không thay đổi nữa, chỉ còn tải biểu mẫu để đối chiếu.",
    import_not_editable: "Báo cáo đã gửi hoặc đã duyệt: muốn nhập lại, lãnh đạo đơn vị mở lại báo cáo (kèm lý do).",
    import_reopened: "Báo cáo đã được mở lại để điều chỉnh: cán bộ của đơn vị sửa số liệu (trên bảng hoặc nhập lại tệp) rồi gửi; sau đó lãnh đạo phê duyệt bản điều chỉnh tại trang này.",
    import_by_officer: "Cán bộ của đơn vị nhập số liệu (trên bảng hoặc bằng tệp) và gửi báo cáo; sau đó lãnh đạo phê duyệt tại trang này.",
    reopened_todo_officer: "Việc cần làm: sửa số liệu hoặc ghi chú trong bảng dưới (hoặc nhập lại tệp), rồi bấm «{button}» để lãnh đạo phê duyệt bản điều chỉnh.",
    reopened_todo_leader: "Đang chờ cán bộ của đơn vị sửa và gửi lại báo cáo; khi bản điều chỉnh được gửi, lãnh đạo phê duyệt tại trang này.",
    skip_to_grid: "Chuyển đến bảng số liệu",
    grid_keys: "Trong bảng: Enter chuyển xuống ô số liệu của dòng dưới (Shift+Enter lên dòng trên), không lưu; dán một cột từ Excel vào một ô số liệu sẽ điền từ ô đó xuống, mỗi dòng một ô. Lưu bằng nút bên dưới.",
    grid_pasted_column: "«{text}» có nhiều số cách nhau bằng dấu cách hoặc xuống dòng: có lẽ là một cột dán từ Excel vào một ô. Hãy dán cột đó vào ô «Dán một cột từ Excel» bên dưới bảng (mỗi dòng một số liệu).",
    grid_space_number: "Nếu đây là một số, viết {dots} hoặc {plain}, không có dấu cách.",
    paste_space: "Dòng {line} «{text}» có dấu cách giữa các chữ số nhưng không chia thành các nhóm ba chữ số: viết liền (ví dụ 1650) hoặc dùng dấu chấm phân cách hàng nghìn (1.650). Chưa ô nào được thay đổi.",
    paste_too_many: "Đã dán {lines} dòng nhưng từ ô này xuống chỉ còn {cells} ô số liệu: chưa ô nào được thay đổi. Hãy dán từ một ô cao hơn, hoặc dán cả cột vào ô «Dán một cột từ Excel».",
    submitted_by: "Người nhập và gửi",
    approved_by: "Người phê duyệt",
    file: "Tệp",
    dry_run: "Chỉ xem trước, chưa ghi",
    submit_after_import: "Gửi lãnh đạo duyệt sau khi nhập",
    submit_from: "Kỳ báo cáo chưa kết thúc: số liệu được lưu nháp, và gửi lãnh đạo duyệt từ ngày chốt số liệu",
    import_button: "Nhập",
    template_xlsx: "Tải biểu mẫu (.xlsx)",
    template_csv: "Tải biểu mẫu (.csv)",
    export_link: "Tải số liệu đã duyệt (CSV, để tự tính lại điểm)",
    export_title: "Tệp CSV đọc được bằng lệnh «thidua score --data»",
    dry_run_title: "Xem trước: các thay đổi",
    dry_run_historical: "sẽ ghi {values} số liệu: {units}",
    dry_run_unit_year: "{unit} năm {year} ({windows} kỳ)",
    nothing_written: "Chưa ghi gì vào nhật ký.",
    imported: "Đã nhập và ghi vào nhật ký.",
    import_errors: "Tệp có lỗi, không nhập gì",
    import_fix: "Hãy sửa tệp rồi tải lên lại:",
    import_choose_again: "Chọn tệp đã sửa",
    import_no_reload: "Đừng tải lại trang này (F5): trình duyệt sẽ gửi lại đúng tệp cũ.",
    import_back: "Về trang số liệu (không gửi lại tệp)",
    before: "Trước",
    after: "Sau",
    history_title: "Các lần phê duyệt và điều chỉnh",
    approved_at: "Phê duyệt",
    historical: "Nhập số liệu lịch sử",
    correction_of: "Điều chỉnh",
    no_change: "Không thay đổi số liệu hay ghi chú nào so với lần phê duyệt trước.",
    rule_issues: "Kiểm tra logic số liệu",
    issue_rule: "vi phạm quy tắc «{name}»",
    warning: "Cảnh báo",
    error: "Lỗi",
    explained: "đã có ghi chú giải thích",
    historical_title: "Nhập số liệu đã phê duyệt của các năm trước",
    historical_help: "Tệp CSV hoặc XLSX với các cột unit (mã đơn vị), element (mã nội dung, như cột mã của bảng số liệu), period (kỳ, ví dụ 2024-M05 là Tháng 5 năm 2024), value (giá trị) — như tệp số liệu của «thidua score» — cho mọi đơn vị của cụm, kể cả đơn vị đã sáp nhập vào đơn vị thành viên; mỗi dòng một giá trị, ví dụ: ca-kg,crimes,2024-M05,12. Nhập tất cả hoặc không gì, ghi lại người nhập và mã SHA-256 của tệp.",
    deadline_title: "Hạn nộp số liệu",
    rules_title: "Quy tắc kiểm tra số liệu",
    rules_link: "Quy tắc kiểm tra số liệu",
    rules_intro: "Các quy tắc được kiểm tra khi đơn vị gửi số liệu: quy tắc mức «lỗi» chặn việc gửi, quy tắc mức «cảnh báo» cần một ghi chú giải thích ở một trong các số liệu nó nêu.",
    rules_not_signed: "Giao ước chưa được ký: quy tắc bổ sung được đặt khi giao ước có hiệu lực; trước đó, hãy khai báo quy tắc ngay trong quy định chấm điểm (các bảng [[rule]]).",
    rules_of_regulation: "Quy tắc trong quy định chấm điểm (đã ký)",
    rules_of_regulation_help: "Các quy tắc này được ký cùng quy định chấm điểm và chỉ thay đổi cùng quy định.",
    rules_regulation_link: "Xem quy định chấm điểm",
    rules_added: "Quy tắc cụm bổ sung cho giao ước",
    rules_none: "Chưa có quy tắc nào.",
    rules_row: "Quy tắc bổ sung {n}",
    rules_help: "Mỗi quy tắc một khung; khung để trống được bỏ qua, xoá hết một khung để bỏ quy tắc đó. Cần thêm khung thì lưu rồi mở lại trang. Giao ước năm sau soạn từ giao ước này mang các quy tắc bổ sung vào quy định chấm điểm mới. Quy tắc bổ sung chỉ ở mức cảnh báo (cần ghi chú giải thích): các đơn vị chưa ký chúng, nên chúng không chặn việc gửi số liệu.",
    rule_id: "Mã quy tắc",
    rule_name_input: "Tên quy tắc",
    rule_id_help: "Chữ thường không dấu, chữ số và _, ví dụ kg_an_nghiem_trong",
    rule_check_help: "Phép so sánh trên mã số liệu, ví dụ reports_resolved <= reports_received; dùng <, <=, >, >=, ==, !=, +, -, *, /, and, or, not",
    rules_codes: "Mã số liệu của biểu mẫu (dùng trong biểu thức)",
    rule_id_invalid: "Mã quy tắc bắt đầu bằng chữ cái thường không dấu, chỉ gồm a–z, 0–9 và _ (tối đa 64 ký tự).",
    rule_id_regulation: "Mã này là của một quy tắc trong quy định chấm điểm; hãy đặt mã khác.",
    rule_id_taken: "Mã này đã dùng cho một quy tắc bổ sung ở trên.",
    rule_check_invalid: "Biểu thức kiểm tra không hợp lệ: {reason}.",
    rule_needs_all: "Cần điền đủ mã, tên và biểu thức kiểm tra (hoặc để trống cả khung).",
    rules_too_many: "Một giao ước có tối đa {max} quy tắc bổ sung.",
    rules_save: "Lưu quy tắc",
    rules_saved: "Đã lưu quy tắc kiểm tra số liệu.",
    rule_name: "Quy tắc",
    rule_check: "Biểu thức kiểm tra",
    rule_severity: "Mức",
    rule_error_words: "Lỗi: chặn việc gửi",
    rule_warning_words: "Cảnh báo: cần ghi chú giải thích",
    rule_added_only_warns: "Quy tắc cụm bổ sung chỉ ở mức cảnh báo: quy tắc chặn việc gửi số liệu phải nằm trong quy định chấm điểm mà các đơn vị đã ký.",
    deadline_help: "Ngày dạng dd/mm/yyyy, từ ngày chốt số liệu của kỳ trở đi.",
    set_deadline: "Đặt hạn nộp",
    imports_title: "Các lần nhập số liệu lịch sử",
    sha256: "SHA-256 của tệp",
    by: "Người thực hiện",
    not_applicable: "không áp dụng",
    drafts_hidden: "Số liệu chưa phê duyệt của đơn vị khác không hiển thị.",
    not_signed: "Giao ước chưa được ký đủ: chưa thể báo cáo số liệu.",
    blank: "trống",
    open: "Mở",
    report_column: "Báo cáo của đơn vị",
    revision: "Lần lưu",
    reports: "Số báo cáo",
    sheet: "Trang tính",
    column: "Cột",
};

pub static EN: FigStrings = FigStrings {
    figures: "Emulation figures",
    figures_link: "Figures of the reporting windows",
    window: "Reporting window",
    deadline: "Deadline",
    deadline_missed: "Overdue, not submitted",
    status: "Status",
    st_none: "No figures yet",
    st_draft: "Draft",
    st_submitted: "Submitted, awaiting approval",
    st_approved: "Approved",
    st_reopened: "Reopened for correction",
    st_not_published: "Not published",
    late: "Late",
    late_against: "Late (deadline when submitted: {date})",
    overdue: "Overdue, figures not published",
    overdue_own: "Overdue, not submitted",
    on_time: "On time",
    corrections: "Corrections",
    element: "Data element",
    unit_of_measure: "Unit",
    column_code: "The element's column in an import file (CSV, XLSX)",
    same_period: "Same period last year",
    far_times: "{times} times the same period last year: please check it (digits, separators)",
    far_percent: "Only {percent}% of the same period last year: please check it (digits, separators)",
    far_zero: "Zero where the same period last year was {same}: please check it",
    far_live_above: "Ten times the same period last year or more: please check it (digits, separators)",
    far_live_below: "A tenth of the same period last year or less: please check it (digits, separators)",
    same_period_from: "the unit's own figures and those of the predecessors merged into it:",
    same_period_missing: "No same-period figure for this window (never a partial sum):",
    lacking_figures: "no approved figures for the same window of {year} from {units}",
    lacking_figures_through: "approved figures of {year} incomplete (months 1 to {through}) from {units}",
    lacking_figures_month1: "no approved figures of month 1 of {year} from {units}",
    same_period_import_hint: "The cluster's secretariat imports the approved figures of earlier years",
    same_period_import_link: "on the covenant's figures page",
    value: "Figure",
    published: "Published",
    comment: "Comment",
    import_report_refused: "The report of {unit}, {window}: {reason} Nothing was imported.",
    save: "Save draft",
    save_submit: "Save and submit to the leader",
    submit: "Submit to the leader",
    approve: "Approve",
    reopen: "Reopen for correction",
    reason: "Reason",
    reopened_notice: "The unit's leader reopened the report for a correction",
    correction_submitted: "The correction is submitted and awaits the leader's approval; until then the cluster sees the figures approved before.",
    rule_broken: "Breaks the check “{rule}”: correct this figure or a related one",
    rule_needs_comment: "Warning “{rule}”: explain it in a comment here or on a related figure",
    grid_errors: "Not saved: {count}; see the message beside each below. What you typed is kept.",
    grid_bad_cells: "{n} cell(s) with errors",
    grid_warnings: "{n} warning(s) needing a comment",
    import_too_large: "The file is over {limit}, the limit of one import: split it by window or by unit and import each file. Nothing was imported.",
    import_other_report: "This file holds the figures of {held}, not those of this page's window: download this window's template, fill it in and import it. Nothing was imported.",
    import_other_unit: "This file holds the figures of {held}, not those of {unit} (the unit of this page): download the template on this page, fill it in and import it. Nothing was imported.",
    done_saved: "Figures saved (a draft only the unit sees).",
    done_submitted: "Figures submitted for the unit leader's approval.",
    done_approved: "Approved: the figures are published to the cluster.",
    done_reopened: "The report is reopened for a correction.",
    done_imported: "Figures imported from the file.",
    done_imported_submitted: "Figures imported from the file and submitted to the leader for approval.",
    done_deadline: "The new deadline is saved.",
    grid_help: "Numbers are written the Vietnamese way: 1.234 is one thousand two hundred and thirty-four, 12,5 is twelve and a half. Type “n/a” (or “không áp dụng”) when the element does not apply; leave the cell blank when the figure is not known.",
    paste_label: "Paste a column from Excel",
    paste_help: "One figure per line, a line for every element, in the order of the elements above; a blank line keeps its cell. Numbers are written as in the grid (1.650 or 12,5); spaces between groups of three digits (1 650, as Excel may show them) are read too.",
    paste_count: "{lines} lines were pasted but the form has {elements} elements: paste exactly one line per element, in the order above (a blank line keeps its cell). No cell was changed.",
    paste_heading: "The first line, “{first}”, is not a figure and looks like the column's heading: remove that line and paste again.",
    paste_cells: "Line {line} holds {cells} cells separated by tabs (a row, or several columns, copied?): paste one column, one figure per line. No cell was changed.",
    paste_not_a_figure: "Line {line} «{text}» is not a figure (a number, or «not applicable»): the pasted column does not fit the form, perhaps with a heading line. No cell was changed.",
    paste_not_a_figure_at: "Line {line} «{text}» (for {element}) is not a figure (a number, or «not applicable»): correct that line and paste again. No cell was changed.",
    import_title: "Import from a file (XLSX or CSV)",
    import_help: "Use the template downloaded here. A file with one bad row imports nothing and names the row, column and reason.",
    import_locked: "The year's scores are locked: the figures no longer change; the templates remain for reference.",
    import_not_editable: "The report is submitted or approved: to import again, the unit's leader reopens it (with a reason).",
    import_reopened: "The report is reopened for a correction: the unit's officer corrects the figures (in the grid or with a new file) and submits them; the leader then approves the correction on this page.",
    import_by_officer: "The unit's officer enters the figures (in the grid or with a file) and submits the report; the leader then approves it on this page.",
    reopened_todo_officer: "To do: correct the figures or comments in the grid below (or import a file again), then press “{button}” for the leader to approve the correction.",
    reopened_todo_leader: "Waiting for the unit's officer to correct and submit the report again; once the correction is submitted, the leader approves it on this page.",
    skip_to_grid: "Skip to the figures grid",
    grid_keys: "In the grid: Enter moves to the figure of the next row (Shift+Enter to the row above) and saves nothing; a column copied from Excel and pasted into a figure cell fills the cells from there down, one line per cell. Save with the buttons below.",
    grid_pasted_column: "“{text}” holds several numbers separated by spaces or line breaks: it looks like a column copied from Excel and pasted into one cell. Paste the column into the “Paste a column from Excel” box below the grid (one figure per line).",
    grid_space_number: "If it is one number, write {dots} or {plain}, without spaces.",
    paste_space: "Line {line} “{text}” has a space between digits that does not split them into groups of three: write the number without spaces (e.g. 1650) or with dots between thousands (1.650). No cell was changed.",
    paste_too_many: "{lines} lines were pasted but only {cells} figure cells are left from this one down: no cell was changed. Paste from a cell higher up, or paste the whole column into the “Paste a column from Excel” box.",
    submitted_by: "Entered and submitted by",
    approved_by: "Approved by",
    file: "File",
    dry_run: "Dry run only, write nothing",
    submit_after_import: "Submit to the leader after the import",
    submit_from: "The window is not over: figures are saved as a draft, and submitted to the leader from the cut-off,",
    import_button: "Import",
    template_xlsx: "Download the template (.xlsx)",
    template_csv: "Download the template (.csv)",
    export_link: "Download the approved figures (CSV, to recompute the scores yourself)",
    export_title: "A CSV file read by the command “thidua score --data”",
    dry_run_title: "Dry run: the changes",
    dry_run_historical: "{values} figures would be recorded: {units}",
    dry_run_unit_year: "{unit} {year} ({windows} windows)",
    nothing_written: "Nothing was written to the log.",
    imported: "Imported and written to the log.",
    import_errors: "The file has errors; nothing was imported",
    import_fix: "Correct the file and upload it again:",
    import_choose_again: "Choose the corrected file",
    import_no_reload: "Do not reload this page (F5): the browser would send the same file again.",
    import_back: "Back to the figures page (without sending the file again)",
    before: "Before",
    after: "After",
    history_title: "Approvals and corrections",
    approved_at: "Approved",
    historical: "Historical import",
    correction_of: "Correction",
    no_change: "No figure or comment changed since the approval before.",
    rule_issues: "Consistency checks",
    issue_rule: "breaks the rule «{name}»",
    warning: "Warning",
    error: "Error",
    explained: "explained by a comment",
    historical_title: "Import earlier years' approved figures",
    historical_help: "A CSV or XLSX file with the columns unit (the unit's id), element (the element's code, as in the figures grid's code column), period (e.g. 2024-M05 for May 2024), value — the data files of “thidua score” — for every unit of the cluster, units merged into a member included; one value a line, e.g. ca-kg,crimes,2024-M05,12. All or nothing, recorded with who imported it and the file's SHA-256.",
    deadline_title: "Deadlines",
    rules_title: "Validation rules of the figures",
    rules_link: "Validation rules",
    rules_intro: "These rules are checked when a unit submits its figures: an “error” rule blocks the submission, a “warning” rule needs a comment on one of the figures it names.",
    rules_not_signed: "The covenant is not signed yet: added rules are set once it is in force; until then, declare rules in the scoring regulation itself ([[rule]] tables).",
    rules_of_regulation: "Rules of the scoring regulation (signed)",
    rules_of_regulation_help: "These rules are signed with the scoring regulation and change only with it.",
    rules_regulation_link: "See the scoring regulation",
    rules_added: "Rules the cluster adds to the covenant",
    rules_none: "No rules yet.",
    rules_row: "Added rule {n}",
    rules_help: "One box per rule; empty boxes are skipped, and clearing a box removes its rule. For more boxes, save and open the page again. A next year's covenant drafted from this one carries the added rules into its new scoring regulation. Added rules only warn (a comment explains the figure): the units never signed them, so they never block a submission.",
    rule_id: "Rule id",
    rule_name_input: "Rule name",
    rule_id_help: "Lowercase letters without accents, digits and _, e.g. kg_serious_cases",
    rule_check_help: "A comparison over the form's element ids, e.g. reports_resolved <= reports_received; use <, <=, >, >=, ==, !=, +, -, *, /, and, or, not",
    rules_codes: "The form's element ids (to write checks with)",
    rule_id_invalid: "A rule id starts with a lowercase letter and holds only a–z, 0–9 and _ (at most 64 characters).",
    rule_id_regulation: "This id is a rule of the scoring regulation; choose another.",
    rule_id_taken: "This id is already used by an added rule above.",
    rule_check_invalid: "The check does not read: {reason}.",
    rule_needs_all: "Fill in the id, the name and the check (or leave the whole box empty).",
    rules_too_many: "A covenant adds at most {max} rules.",
    rules_save: "Save the rules",
    rules_saved: "The validation rules were saved.",
    rule_name: "Rule",
    rule_check: "Check",
    rule_severity: "Severity",
    rule_error_words: "Error: blocks the submission",
    rule_warning_words: "Warning: needs a comment",
    rule_added_only_warns: "A rule the cluster adds can only warn: a rule that blocks a submission belongs in the regulation the units signed.",
    deadline_help: "A date as dd/mm/yyyy, on or after the window's cut-off.",
    set_deadline: "Set the deadline",
    imports_title: "Historical imports",
    sha256: "File SHA-256",
    by: "By",
    not_applicable: "n/a",
    drafts_hidden: "Other units' figures are shown once approved.",
    not_signed: "The covenant is not signed by every member yet: no figures can be reported.",
    blank: "blank",
    open: "Open",
    report_column: "The unit's report",
    revision: "Revision",
    reports: "Reports",
    sheet: "Sheet",
    column: "Column",
};

/// The sentence for a figures error code.
pub fn error(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "covenant_not_signed" => (
            "Giao ước chưa được ký đủ: chưa thể báo cáo số liệu.",
            "The covenant has no signed version: figures cannot be reported yet.",
        ),
        "unknown_window" => (
            "Lịch báo cáo không có kỳ này.",
            "The calendar has no such reporting window.",
        ),
        "summary_window" => (
            "Kỳ này là tổng của các kỳ báo cáo khác (ví dụ quý, năm): số liệu được nhập theo từng kỳ báo cáo.",
            "This window is the sum of other reporting windows (a quarter, the year): figures are entered for each reported window.",
        ),
        "unknown_element" => (
            "Quy định chấm điểm không có số liệu này.",
            "The regulation has no such data element.",
        ),
        "invalid_figure" => (
            "Số liệu không hợp lệ (không được âm; ghi số hoặc «không áp dụng»).",
            "Invalid figure (not negative; a number, or “n/a” when the element does not apply).",
        ),
        "report_state" => (
            "Báo cáo đang ở trạng thái không cho phép thao tác này.",
            "The report's status does not allow this action.",
        ),
        "stale_revision" => (
            "Báo cáo vừa được lưu lại bởi người khác; hãy tải lại trang.",
            "The report was saved again meanwhile; reload the page.",
        ),
        "report_incomplete" => (
            "Còn nội dung chưa có số liệu: ghi số hoặc «không áp dụng».",
            "Some figures are missing: enter a number, or “n/a” when the element does not apply.",
        ),
        "rule_violated" => (
            "Số liệu vi phạm quy tắc kiểm tra logic; hãy sửa trước khi gửi.",
            "The figures break a consistency rule; correct them before submitting.",
        ),
        "warning_needs_comment" => (
            "Có cảnh báo logic số liệu: hãy ghi chú giải thích ở một trong các số liệu liên quan.",
            "A consistency warning needs a comment on one of its figures.",
        ),
        "figures_exist" => (
            "Số liệu của đơn vị cho kỳ này đã có.",
            "Figures of this unit for this window already exist.",
        ),
        "figures_unchanged" => (
            "Không có gì thay đổi so với bản đã lưu: không lưu thêm bản mới.",
            "Nothing differs from the saved draft: no new revision was saved.",
        ),
        "figures_by_officers" => (
            "Số liệu do cán bộ của đơn vị nhập và gửi; lãnh đạo đơn vị phê duyệt, không tự nhập và gửi số liệu mình sẽ duyệt.",
            "A unit's figures are entered and submitted by its officers; its leader approves them and does not submit what they approve.",
        ),
        "deadline_before_cut_off" => (
            "Hạn nộp không được trước ngày chốt số liệu của kỳ.",
            "A deadline cannot be before the window's cut-off.",
        ),
        "window_still_open" => (
            "Kỳ báo cáo chưa kết thúc: số liệu được gửi duyệt từ ngày chốt số liệu của kỳ.",
            "The window is not over: its figures are submitted from its cut-off.",
        ),
        "invalid_rule" => ("Quy tắc kiểm tra không hợp lệ.", "Invalid validation rule."),
        "explanation_unchanged" => (
            "Giải trình này đã được lưu (giống hệt giải trình hiện có).",
            "This explanation is already saved (the same as the current one).",
        ),
        "invalid_number" => ("Không phải số.", "Not a number."),
        "legacy_encoding" => (
            "Chữ bị lỗi phông (gõ bằng bảng mã cũ TCVN3/VNI, hoặc chữ UTF-8 bị đọc nhầm): hãy gõ lại bằng Unicode.",
            "Garbled text (typed in a legacy TCVN3/VNI encoding, or UTF-8 read wrongly): type it again in Unicode.",
        ),
        "import_failed" => (
            "Tệp có lỗi, không nhập gì.",
            "The file has errors; nothing was imported.",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// A figures refusal told with its specifics: the template for `code`, with the placeholders
/// `{unit}` (the unit's name), `{window}` (the window's name, [`window_name`]), `{status}`
/// ([`status_word`]), `{action}` ([`action_word`]), `{rule}` (the rule's own name, as the
/// regulation writes it), `{elements}` and `{element}` (the elements' names). `None`: the
/// code's sentence ([`error`]) says everything there is.
/// Why a figure is refused, as the refusal's `{problem}`: the imports' words
/// ([`thidua_import::number::problem_words`]), a bound written the page's way.
pub fn problem_words(lang: Lang, problem: &thidua_domain::figures::FigureProblem) -> String {
    use thidua_import::number::NumberFormat;
    let format = match lang {
        Lang::Vi => NumberFormat::Vi,
        Lang::En => NumberFormat::Plain,
    };
    let (vi, en) = thidua_import::number::problem_words(problem, format);
    lang.pick(vi, en)
}

pub fn refusal(lang: Lang, code: &str) -> Option<&'static str> {
    let (vi, en) = match code {
        "report_state" => (
            "Báo cáo của {unit} kỳ {window} đang ở trạng thái «{status}»: không thể {action}.",
            "The report of {unit} for {window} is “{status}”: it cannot be {action}.",
        ),
        "rule_violated" => (
            "Số liệu vi phạm quy tắc kiểm tra logic «{rule}»; hãy sửa trước khi gửi.",
            "The figures break the consistency rule “{rule}”; correct them before submitting.",
        ),
        "warning_needs_comment" => (
            "Cảnh báo logic số liệu «{rule}»: hãy ghi chú giải thích ở một trong các số liệu liên quan.",
            "The consistency warning “{rule}” needs a comment on one of its figures.",
        ),
        "report_incomplete" => (
            "Còn nội dung chưa có số liệu ({elements}): ghi số hoặc «không áp dụng».",
            "Some figures are missing ({elements}): enter a number, or “n/a” when the element does not apply.",
        ),
        "invalid_figure" => (
            "Số liệu «{element}» không hợp lệ: {problem}.",
            "The figure of “{element}” is invalid: {problem}.",
        ),
        "figures_exist" => (
            "Số liệu của {unit} kỳ {window} đã có.",
            "Figures of {unit} for {window} already exist.",
        ),
        "figures_unchanged" => (
            "Số liệu của {unit} kỳ {window} đã được lưu đúng như vậy: không có gì thay đổi, không lưu thêm bản mới.",
            "The figures of {unit} for {window} are already saved exactly so: nothing changed, no new revision was saved.",
        ),
        "figures_by_officers" => (
            "Số liệu của {unit} do cán bộ của đơn vị nhập và gửi; lãnh đạo đơn vị phê duyệt, không tự nhập và gửi số liệu mình sẽ duyệt.",
            "The figures of {unit} are entered and submitted by its officers; its leader approves them and does not submit what they approve.",
        ),
        "deadline_before_cut_off" => (
            "Hạn nộp {window} không được trước {cut_off}, ngày chốt số liệu của kỳ.",
            "The deadline of {window} cannot be before {cut_off}, the window's cut-off.",
        ),
        "window_still_open" => (
            "{window} chưa kết thúc: số liệu của kỳ được gửi duyệt từ {cut_off}, ngày chốt số liệu.",
            "{window} is not over: its figures are submitted from {cut_off}, its cut-off.",
        ),
        "summary_window" => (
            "{window} là tổng của các kỳ báo cáo khác: số liệu được nhập theo từng kỳ báo cáo.",
            "{window} is the sum of other reporting windows: figures are entered for each reported window.",
        ),
        _ => return None,
    };
    Some(lang.pick(vi, en))
}

/// A report's status (`ReportStatus::code`, or `none`) in words.
pub fn status_word(lang: Lang, status: &str) -> &'static str {
    let f = lang.figures();
    match status {
        "draft" => f.st_draft,
        "submitted" => f.st_submitted,
        "approved" => f.st_approved,
        "reopened" => f.st_reopened,
        _ => f.st_none,
    }
}

/// What was refused to a report (`save`, `submit`, `approve`, `reopen`), as the sentence of
/// [`refusal`] needs it ("không thể {action}", "it cannot be {action}").
pub fn action_word(lang: Lang, action: &str) -> &'static str {
    let (vi, en) = match action {
        "save" => ("lưu", "saved"),
        "submit" => ("gửi", "submitted"),
        "approve" => ("phê duyệt", "approved"),
        "reopen" => ("mở lại", "reopened"),
        _ => ("thực hiện thao tác này", "changed"),
    };
    lang.pick(vi, en)
}

/// A reporting window's name in the viewer's language. The calendar's own names are
/// Vietnamese data recorded with the movement, shown as they are on Vietnamese pages; English
/// pages name the window from its dates (its run of reporting months: "Month 3", "Quarter II",
/// "First half", "Nine months", "Year", "Months 2–5"), and fall back to the recorded name for
/// dates that are not a run of reporting months.
pub fn window_name(lang: Lang, w: &thidua_domain::model::ReportingWindow) -> String {
    match lang {
        Lang::En => thidua_domain::calendar::name_en(w),
        Lang::Vi => w.name.to_string(),
    }
}

/// The name of a figures event kind.
pub fn event_kind(lang_code: &str, kind: &str) -> Option<&'static str> {
    let (vi, en) = match kind {
        "figures_saved" => ("Lưu số liệu", "Figures saved"),
        "figures_submitted" => ("Gửi số liệu", "Figures submitted"),
        "figures_approved" => ("Phê duyệt số liệu", "Figures approved"),
        "figures_reopened" => ("Mở lại số liệu để điều chỉnh", "Figures reopened"),
        "figures_deadline_set" => ("Đặt hạn nộp số liệu", "Deadline set"),
        "figures_rules_set" => ("Quy tắc kiểm tra số liệu", "Validation rules set"),
        "historical_import_recorded" => ("Nhập số liệu lịch sử", "Historical import"),
        "historical_figures_recorded" => (
            "Số liệu lịch sử của một kỳ",
            "Historical figures of a window",
        ),
        "flag_explained" => ("Giải trình dấu hiệu bất thường", "Integrity flag explained"),
        "holidays_declared" => (super::holidays::VI.kind, super::holidays::EN.kind),
        _ => return None,
    };
    Some(if lang_code == "en" { en } else { vi })
}
