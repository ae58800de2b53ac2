//! User-visible text, one file per language ([`vi`], [`en`]); templates never hold prose.
//! Vietnamese is the default; the choice is remembered per user (and in a cookie before sign-in).

pub mod awards;
pub mod en;
pub mod figures;
pub mod flags;
pub mod history;
pub mod holidays;
pub mod lineage;
pub mod midyear;
pub mod progress;
pub mod vi;
pub mod votes;
pub mod yearend;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(raw: &str) -> Option<Lang> {
        match raw {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Of the same thing said in both languages, this language's.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Vi => &vi::STRINGS,
            Lang::En => &en::STRINGS,
        }
    }

    /// The strings of the figures pages.
    pub fn figures(self) -> &'static figures::FigStrings {
        match self {
            Lang::Vi => &figures::VI,
            Lang::En => &figures::EN,
        }
    }

    /// The strings of the integrity-flags page.
    pub fn flags(self) -> &'static flags::FlagStrings {
        match self {
            Lang::Vi => &flags::VI,
            Lang::En => &flags::EN,
        }
    }

    /// The strings of the progress pages.
    pub fn progress(self) -> &'static progress::ProgStrings {
        match self {
            Lang::Vi => &progress::VI,
            Lang::En => &progress::EN,
        }
    }

    /// The strings of the awards across clusters.
    pub fn awards(self) -> &'static awards::AwardStrings {
        match self {
            Lang::Vi => &awards::VI,
            Lang::En => &awards::EN,
        }
    }

    /// The strings of the public holidays (the administration's section, the deadline note).
    pub fn holidays(self) -> &'static holidays::HolidayStrings {
        match self {
            Lang::Vi => &holidays::VI,
            Lang::En => &holidays::EN,
        }
    }

    /// The strings of a lineage record's withdrawal (the unit page's column, the form, the
    /// history's sentence).
    pub fn lineage(self) -> &'static lineage::LineageStrings {
        match self {
            Lang::Vi => &lineage::VI,
            Lang::En => &lineage::EN,
        }
    }

    /// The strings of the mid-year review page.
    pub fn midyear(self) -> &'static midyear::MidStrings {
        match self {
            Lang::Vi => &midyear::VI,
            Lang::En => &midyear::EN,
        }
    }

    /// The strings of the year-end pages.
    pub fn yearend(self) -> &'static yearend::YeStrings {
        match self {
            Lang::Vi => &yearend::VI,
            Lang::En => &yearend::EN,
        }
    }

    /// The sentence for an error code.
    pub fn error(self, code: &str) -> &'static str {
        if let Some(sentence) = figures::error(self, code)
            .or_else(|| yearend::error(self, code))
            .or_else(|| midyear::error(self, code))
        {
            return sentence;
        }
        if let Some(sentence) = votes::error(self.code(), code) {
            return sentence;
        }
        match self {
            Lang::Vi => vi::error(code),
            Lang::En => en::error(code),
        }
    }

    /// The sentence for a domain refusal, with what its code's sentence cannot say: a text
    /// over its limit says the limit ("Quá dài (tối đa 500 ký tự).").
    pub fn refusal(self, e: &thidua_domain::DomainError) -> String {
        match e {
            thidua_domain::DomainError::TextTooLong { max, .. } => {
                let max = crate::format::decimal(&rust_decimal::Decimal::from(*max));
                fill(self.strings().text_too_long_max, &[("max", max)])
            }
            thidua_domain::DomainError::DocumentAlreadyIssued { number, date, .. } => fill(
                self.strings().err_document_already_issued,
                &[("number", number.as_deref().unwrap_or("—")), ("date", date)],
            ),
            thidua_domain::DomainError::DocumentDateTooEarly {
                earliest, after, ..
            } => {
                use thidua_domain::documents::DateFloor;
                let t = self.strings();
                match after {
                    DateFloor::Record(i) => fill(
                        t.err_document_date_before_record,
                        &[("earliest", earliest.clone()), ("record", i.to_string())],
                    ),
                    DateFloor::Document(n) => fill(
                        t.err_document_date_before_previous,
                        &[("earliest", earliest), ("number", n)],
                    ),
                }
            }
            // Without the state to name them (the command line), the units by their ids; the
            // pages name them (`ui::names`).
            thidua_domain::DomainError::UnitDissolved {
                unit,
                date,
                successors,
            } => fill(
                self.strings().err_unit_dissolved,
                &[
                    ("unit", unit.as_str()),
                    ("date", crate::format::iso_date(date).as_str()),
                    ("successors", successors.as_str()),
                ],
            ),
            thidua_domain::DomainError::YearEnd(y) => yearend::refusal(self, y),
            // Where a unit of this kind stands, in a sentence of its own.
            thidua_domain::DomainError::ParentKind { kind, .. } => self
                .error(&format!("parent_kind_{}", kind.as_str()))
                .to_owned(),
            thidua_domain::DomainError::RegulationYear { field, found, year } => fill(
                self.error(e.code()),
                &[
                    ("field", field.to_string()),
                    ("found", found.to_string()),
                    ("year", year.to_string()),
                ],
            ),
            _ => self.error(e.code()).to_owned(),
        }
    }

    /// What a page says of a body over `limit` bytes: the limit in this language's words
    /// ([`crate::format::byte_limit`]) and how to go on.
    pub fn too_large(self, limit: usize) -> String {
        let said = crate::format::byte_limit(limit, self);
        fill(self.strings().too_large_page, &[("limit", said)])
    }

    /// [`Lang::refusal`] for an API error: its domain refusal when it has one, else the
    /// sentence of its code.
    pub fn api_error(self, e: &crate::error::ApiError) -> String {
        match &e.domain {
            Some(d) => self.refusal(d),
            None => self.error(e.code).to_owned(),
        }
    }
}

/// Fills the `{name}` placeholders of a string (numbers, names, already formatted text), and
/// the English plural choices `{name|one|other}` ("{count} {count|document|documents}"), as
/// the scoring engine's explanations are filled ([`thidua_scoring::render::fill`]).
pub fn fill<V: std::fmt::Display>(template: &str, args: &[(&str, V)]) -> String {
    let written: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
    let args: Vec<(&str, &str)> = written.iter().map(|(k, v)| (*k, v.as_str())).collect();
    thidua_scoring::render::fill(template, &args)
}

/// Every user-visible string of the interface.
pub struct Strings {
    pub lang_code: &'static str,
    pub app_name: &'static str,
    pub app_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_home: &'static str,
    pub nav_history: &'static str,
    pub nav_admin: &'static str,
    pub nav_account: &'static str,
    pub sign_out: &'static str,
    pub switch_lang: &'static str,
    pub switch_lang_code: &'static str,
    pub signed_in_as: &'static str,
    pub footer: &'static str,
    /// How numbers are written, for readers of the English pages (empty in Vietnamese).
    pub number_note: &'static str,
    pub demo_notice: &'static str,
    pub sign_in_title: &'static str,
    pub user_id_label: &'static str,
    pub password_label: &'static str,
    pub sign_in_button: &'static str,
    pub bad_credentials: &'static str,
    pub bootstrap_link: &'static str,
    pub bootstrap_title: &'static str,
    pub bootstrap_intro: &'static str,
    pub admin_exists_notice: &'static str,
    pub bootstrap_token_label: &'static str,
    pub display_name_label: &'static str,
    pub create_admin_button: &'static str,
    pub home_title: &'static str,
    pub home_nothing: &'static str,
    pub home_sign_pending: &'static str,
    pub home_unsigned_units: &'static str,
    pub home_my_roles: &'static str,
    pub home_clusters: &'static str,
    pub home_covenants: &'static str,
    /// Under that heading when the viewer sees no covenant.
    pub home_no_covenants: &'static str,
    pub home_units: &'static str,
    pub role_admin: &'static str,
    pub role_secretariat: &'static str,
    pub role_officer: &'static str,
    pub role_leader: &'static str,
    pub role_supervisor: &'static str,
    pub role_ministry_supervisor: &'static str,
    /// After a unit role whose unit has ceased (`{date}`, dd/mm/yyyy): the role stays for
    /// the unit's earlier years, and says so (`ui::role_label`).
    pub role_unit_ceased: &'static str,
    /// The same when one unit continues it (`{unit}`, a merger): who reports from then on.
    pub role_unit_ceased_into: &'static str,
    pub cluster_members: &'static str,
    pub cluster_head: &'static str,
    pub cluster_deputy: &'static str,
    pub manage_members: &'static str,
    pub manage_leadership: &'static str,
    pub position: &'static str,
    pub method: &'static str,
    pub cluster_year: &'static str,
    pub show: &'static str,
    pub elected: &'static str,
    pub assigned: &'static str,
    pub decision: &'static str,
    pub none: &'static str,
    pub no_membership: &'static str,
    pub covenant: &'static str,
    pub version: &'static str,
    pub covenant_hash: &'static str,
    pub regulation_hash: &'static str,
    pub targets: &'static str,
    pub target_area: &'static str,
    pub target_subject: &'static str,
    pub target_kind: &'static str,
    pub target_requirement: &'static str,
    pub target_baseline: &'static str,
    pub signatures: &'static str,
    pub unit: &'static str,
    pub status: &'static str,
    pub signed: &'static str,
    pub not_signed: &'static str,
    pub log_index: &'static str,
    /// Column heading: whether a witnessed checkpoint covers the event.
    pub witnessing: &'static str,
    /// `{units}` and `{size}` are filled in ([`Strings::witnessed_by`]).
    pub witnessed_by: &'static str,
    /// The same for one unit.
    pub witnessed_by_one: &'static str,
    pub transparency_title: &'static str,
    pub transparency_intro: &'static str,
    pub transparency_key: &'static str,
    pub transparency_key_note: &'static str,
    pub transparency_checkpoint: &'static str,
    pub transparency_signed: &'static str,
    pub transparency_witnessed: &'static str,
    pub transparency_not_witnessed: &'static str,
    pub transparency_witness: &'static str,
    pub transparency_verify: &'static str,
    pub nav_transparency: &'static str,
    pub not_witnessed: &'static str,
    /// The link to the inclusion proof against the covering witnessed checkpoint.
    pub proof_link: &'static str,
    /// The link to the inclusion proof against the newest signed checkpoint (`{size}`).
    pub proof_signed_link: &'static str,
    /// Heading of the freezing event's line on the covenant page.
    pub frozen_event: &'static str,
    pub frozen: &'static str,
    pub draft: &'static str,
    pub sign_button: &'static str,
    pub sign_for: &'static str,
    pub sign_confirm_title: &'static str,
    pub sign_confirm_intro: &'static str,
    pub sign_confirm_button: &'static str,
    pub cancel: &'static str,
    pub signed_ok: &'static str,
    pub versions: &'static str,
    pub movement: &'static str,
    pub unit_details: &'static str,
    pub unit_code: &'static str,
    pub short_code: &'static str,
    pub unit_kind: &'static str,
    pub kind_ministry: &'static str,
    pub kind_ministry_department: &'static str,
    pub kind_provincial_police: &'static str,
    pub kind_commune_police: &'static str,
    pub parent: &'static str,
    /// Which parent fits which kind of unit (beside the new unit's parent list).
    pub unit_parent_help: &'static str,
    /// The parent list's first choice: no parent.
    pub unit_no_parent: &'static str,
    /// Above the signers of a covenant in force that ceased during its year.
    pub carried_on: &'static str,
    /// The link, beside a ceased signer, to the figures it published.
    pub carried_figures: &'static str,
    /// A signed year whose members ceased during it: `{year}`, `{units}`, `{successors}`.
    pub succession_due: &'static str,
    /// Above the membership form's groups of units, while a cluster has no members yet.
    pub members_one_kind: &'static str,
    pub established: &'static str,
    pub dissolved: &'static str,
    pub active: &'static str,
    pub former_names: &'static str,
    pub until: &'static str,
    pub lineage: &'static str,
    pub lineage_merge: &'static str,
    pub lineage_split: &'static str,
    pub predecessors: &'static str,
    pub successors: &'static str,
    pub effective: &'static str,
    pub no_lineage: &'static str,
    pub unit_admin_link: &'static str,
    /// The renaming form (its heading and the link to it on the unit page).
    pub rename_unit: &'static str,
    pub rename_note: &'static str,
    pub new_name_label: &'static str,
    pub new_short_code_label: &'static str,
    /// The form recording a merger or a split (its heading and the link to it).
    pub record_lineage: &'static str,
    pub lineage_kind_label: &'static str,
    pub lineage_shape_help: &'static str,
    pub effective_label: &'static str,
    pub decision_ref_label: &'static str,
    pub unit_admin_title: &'static str,
    pub users: &'static str,
    pub roles: &'static str,
    pub history_title: &'static str,
    pub filter_unit: &'static str,
    pub filter_kind: &'static str,
    pub filter_all: &'static str,
    pub filter_button: &'static str,
    pub time: &'static str,
    pub actor: &'static str,
    pub event_kind: &'static str,
    pub older: &'static str,
    pub no_events: &'static str,
    pub admin_title: &'static str,
    pub admin_new_user: &'static str,
    pub admin_grant_role: &'static str,
    pub admin_revoke: &'static str,
    pub admin_reset_password: &'static str,
    pub admin_new_cluster: &'static str,
    pub admin_new_unit: &'static str,
    pub admin_movements: &'static str,
    pub admin_covenants: &'static str,
    pub role_label: &'static str,
    pub cluster_id_label: &'static str,
    pub name_label: &'static str,
    pub unit_id_label: &'static str,
    pub established_label: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub demo_user: &'static str,
    /// The label of the demonstration flag in an event's details.
    pub demo_user_label: &'static str,
    pub admin_new_movement: &'static str,
    pub movement_id_label: &'static str,
    pub slogan: &'static str,
    pub calendar_note: &'static str,
    pub draft_covenant: &'static str,
    /// The button drafting a year's covenant ("{year}").
    /// Start a covenant from an earlier year's: `{year}`.
    pub draft_covenant_from: &'static str,
    pub draft_covenant_year: &'static str,
    /// The cluster a covenant binds (one).
    pub covenant_cluster: &'static str,
    pub covenant_id_label: &'static str,
    pub title_label: &'static str,
    pub place_label: &'static str,
    pub signing_date_label: &'static str,
    /// The signing date's label without its format, naming the field in an error summary.
    pub signing_date_name: &'static str,
    pub regulation_label: &'static str,
    pub line: &'static str,
    pub amend_draft: &'static str,
    pub amend_note: &'static str,
    pub propose_version: &'static str,
    pub propose_note: &'static str,
    pub plan_ref: &'static str,
    pub year: &'static str,
    pub account_title: &'static str,
    /// The account's password was reset by someone else; followed by the record's link.
    pub account_password_reset: &'static str,
    /// Over the targets that the scoring regulation scores otherwise than they are worded.
    pub disagrees_intro: &'static str,
    /// A target met at {at} where its criterion withholds full points: {n}, {target},
    /// {criterion}, {name}, {at}.
    pub disagrees_met: &'static str,
    /// A target not met at {at} where its criterion gives full points (same arguments).
    pub disagrees_unmet: &'static str,
    pub change_password: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub api_tokens: &'static str,
    pub no_tokens: &'static str,
    pub token_label: &'static str,
    pub create_token: &'static str,
    pub token_created_once: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub created: &'static str,
    /// Put before the title of a page that answers with a refusal ("Lỗi: ").
    pub refused_title_prefix: &'static str,
    pub error_title: &'static str,
    /// The title of a refusal (403) and of a page not found (404).
    pub forbidden_title: &'static str,
    pub not_found_title: &'static str,
    pub back_home: &'static str,
    pub print: &'static str,
    pub about_record_link: &'static str,
    pub about_record_title: &'static str,
    pub actor_system: &'static str,
    pub add_row: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
    pub back: &'static str,
    pub band: &'static str,
    pub band_words: &'static str,
    /// A band with no upper bound ("{min} points or more").
    pub band_from: &'static str,
    /// A band with no lower bound ("under {max} points").
    pub band_below: &'static str,
    pub bands: &'static str,
    pub rules_title: &'static str,
    pub rule_error: &'static str,
    /// A validation rule's check in words: its connectives ("và", "hoặc", "không phải").
    pub check_and: &'static str,
    pub check_or: &'static str,
    pub check_not: &'static str,
    pub rule_warning: &'static str,
    pub quota: &'static str,
    /// Under the bands, a quota that leaves no seat for the year's membership ({n}, {year},
    /// {quota}, {band}, {exact}).
    pub quota_unreachable: &'static str,
    pub basis: &'static str,
    pub bonuses: &'static str,
    pub penalties: &'static str,
    pub check_failed: &'static str,
    pub check_ok: &'static str,
    pub check_signed: &'static str,
    pub check_included: &'static str,
    pub check_no_witness: &'static str,
    pub check_witnessed: &'static str,
    pub check_yourself: &'static str,
    pub check_yourself_text: &'static str,
    pub column: &'static str,
    pub crit_children: &'static str,
    pub crit_manual: &'static str,
    pub crit_met: &'static str,
    pub criteria_intro: &'static str,
    pub criteria_title: &'static str,
    pub criterion: &'static str,
    pub points: &'static str,
    pub points_word: &'static str,
    pub how_scored: &'static str,
    pub total_points: &'static str,
    pub details: &'static str,
    pub diff_covenant: &'static str,
    pub diff_none: &'static str,
    pub diff_regulation: &'static str,
    pub diff_title: &'static str,
    pub diff_what: &'static str,
    pub diff_with: &'static str,
    pub docs_title: &'static str,
    pub docs_issued: &'static str,
    pub docs_none: &'static str,
    pub docs_kind_covenant: &'static str,
    pub docs_kind_results: &'static str,
    pub docs_kind: &'static str,
    pub docs_number: &'static str,
    pub docs_date: &'static str,
    pub docs_place: &'static str,
    pub docs_subject: &'static str,
    pub docs_record: &'static str,
    pub docs_files: &'static str,
    pub docs_hash: &'static str,
    pub docs_cluster: &'static str,
    pub docs_preview: &'static str,
    pub docs_to_issue: &'static str,
    pub docs_issue: &'static str,
    /// The box ticked before issuing: issuing takes the next number and cannot be undone.
    pub docs_issue_confirm: &'static str,
    pub docs_issue_help: &'static str,
    pub docs_not_frozen: &'static str,
    pub docs_already: &'static str,
    /// The confirmation after issuing: "Đã phát hành văn bản số 01/BB-CTĐ12 (…)".
    pub docs_issued_now: &'static str,
    pub docs_results_help: &'static str,
    pub docs_kind_inspection: &'static str,
    pub docs_kind_vote: &'static str,
    pub docs_kind_year: &'static str,
    pub docs_kind_award: &'static str,
    pub docs_from_log: &'static str,
    pub docs_from_log_help: &'static str,
    pub err_not_member: &'static str,
    /// A document of the same kind about the same subject was issued: `{number}`, `{date}`.
    pub err_document_already_issued: &'static str,
    /// A document dated before the day the latest event it recites was entered: `{earliest}`,
    /// `{record}`.
    pub err_document_date_before_record: &'static str,
    /// A document dated before the previous one of its numbering: `{earliest}`, `{number}`.
    pub err_document_date_before_previous: &'static str,
    /// `{ceased}`, `{successors}`.
    pub err_succession_only: &'static str,
    /// `{unit}`, `{year}`, `{successors}`.
    pub err_successor_left_out: &'static str,
    pub err_unit_dissolved: &'static str,
    pub err_unit_not_active: &'static str,
    /// [`Strings::err_unit_not_active`] for a whole year (a cluster year's members).
    pub err_unit_not_active_year: &'static str,
    /// [`Strings::err_unit_not_active`] for a unit that had ceased by `{date}`: since when
    /// (`{ceased}`), so that the administrator sees why (a merger recorded earlier).
    pub err_unit_ceased_by: &'static str,
    /// A witness policy's quorum out of 1..=`{n}` designated units; none designated.
    pub err_witness_quorum: &'static str,
    pub err_witness_none: &'static str,
    /// A cluster's members of two kinds: `{unit}` is a `{found}`, unlike `{other}`
    /// (`{expected}`), the kinds in words.
    pub err_member_kinds: &'static str,
    pub error_summary_title: &'static str,
    /// The summary's title when the action was refused for the state of things, not the form.
    pub refusal_summary_title: &'static str,
    /// The error summary's heading on the signing page ("Chưa ký được: …").
    pub sign_error_summary_title: &'static str,
    /// A wrong password at a step-up (signing, a paper count, a tie): not the change-password
    /// form's "current password".
    pub step_up_wrong_password: &'static str,
    /// A text over its limit, with the limit (`{max}` characters).
    pub text_too_long_max: &'static str,
    /// A body over its limit, in one sentence (the API's message): `{limit}` is the limit.
    pub too_large_short: &'static str,
    /// The page of a form or file over its limit: what happened and how to go on.
    pub too_large_page: &'static str,
    pub ev_cluster_created: &'static str,
    pub ev_cluster_year_set: &'static str,
    pub ev_cluster_year_cleared: &'static str,
    pub ev_covenant_amended: &'static str,
    pub ev_covenant_drafted: &'static str,
    pub ev_covenant_frozen: &'static str,
    pub ev_covenant_signed: &'static str,
    pub ev_covenant_withdrawn: &'static str,
    pub ev_deputy_set: &'static str,
    pub ev_document_issued: &'static str,
    pub ev_head_set: &'static str,
    pub ev_lineage_merge: &'static str,
    pub ev_lineage_split: &'static str,
    pub ev_movement_created: &'static str,
    pub ev_role_granted: &'static str,
    pub ev_role_revoked: &'static str,
    /// A password reset by an administrator or the operator: {actor}, {user}.
    pub ev_password_reset: &'static str,
    pub ev_unit_created: &'static str,
    pub ev_unit_renamed: &'static str,
    pub ev_user_registered: &'static str,
    pub ev_witness_key: &'static str,
    pub ev_witness_policy: &'static str,
    pub ev_figures_saved: &'static str,
    pub ev_figures_submitted: &'static str,
    pub ev_figures_approved: &'static str,
    pub ev_figures_reopened: &'static str,
    pub ev_flag_explained: &'static str,
    pub explanation_label: &'static str,
    pub ev_figures_deadline: &'static str,
    pub ev_figures_rules: &'static str,
    pub ev_figures_history: &'static str,
    pub ev_figures_history_unit: &'static str,
    pub ev_figures_count: &'static str,
    pub ev_figures_values: &'static str,
    pub ev_figures_rule: &'static str,
    pub ev_figures_file: &'static str,

    /// A scale's target, `{t}` with its unit: reached from below ("đạt từ 90% trở lên"), passed
    /// ("đạt trên 90%"), kept under ("từ 0,5% trở xuống"), kept strictly under ("dưới 0,5%").
    pub target_at_least: &'static str,
    pub target_above: &'static str,
    pub target_at_most: &'static str,
    pub target_below: &'static str,
    /// Missing a target where higher is better ("thiếu") or where lower is ("vượt").
    pub short_higher: &'static str,
    pub short_lower: &'static str,
    /// Doing better than a target where higher is better ("vượt") or where lower is.
    pub beyond_higher: &'static str,
    pub beyond_lower: &'static str,
    /// A reduction target on a change in per cent (a target of -5% where lower is better):
    /// reached ("giảm từ 5% trở lên"), passed ("giảm trên 5%"), missed ("giảm thiếu") and
    /// bettered ("giảm thêm").
    pub target_reduced: &'static str,
    pub target_reduced_strict: &'static str,
    pub short_reduced: &'static str,
    pub beyond_reduced: &'static str,
    pub witness_quorum: &'static str,
    pub figures_file: &'static str,
    pub high_label: &'static str,
    pub threshold_label: &'static str,
    pub unit_of_measure_label: &'static str,
    /// Why the indicator list is empty before the regulation is read.
    pub indicators_after_regulation: &'static str,
    pub indicator_label: &'static str,
    pub none_chosen: &'static str,
    pub history_intro: &'static str,
    pub home_next: &'static str,
    pub id_help: &'static str,
    pub item_words: &'static str,
    /// A bonus or penalty item without a cap.
    pub item_words_uncapped: &'static str,
    /// A bonus or penalty earned once when a condition holds (`if C then 1 else 0`).
    pub item_when: &'static str,
    pub leaf_hash: &'static str,
    pub root_hash: &'static str,
    pub proof_path: &'static str,
    pub raw_proof: &'static str,
    pub member_in: &'static str,
    pub new_note: &'static str,
    pub old_version_notice: &'static str,
    pub see_current: &'static str,
    pub preview_button: &'static str,
    pub preview_intro: &'static str,
    pub preview_last_year: &'static str,
    pub preview_no_file: &'static str,
    pub preview_period: &'static str,
    /// After a provisional total (manual criteria not scored yet).
    pub preview_provisional: &'static str,
    pub preview_title: &'static str,
    pub rank: &'static str,
    pub read_covenant: &'static str,
    /// After a link or button that opens a new tab.
    pub new_tab: &'static str,
    pub reason_label: &'static str,
    pub record_checked: &'static str,
    pub record_proof: &'static str,
    pub record_size: &'static str,
    pub record_title: &'static str,
    pub recorded_at: &'static str,
    pub regulation_amend: &'static str,
    pub regulation_propose: &'static str,
    pub regulation_diagnostics: &'static str,
    pub regulation_errors: &'static str,
    pub regulation_help: &'static str,
    pub regulation_open: &'static str,
    pub regulation_text: &'static str,
    pub regulation_title: &'static str,
    pub remove_row: &'static str,
    pub reporting_windows: &'static str,
    /// Targets as sentences (shared with the official documents).
    pub target_words: &'static thidua_domain::wording::TargetWords,
    pub scale_above: &'static str,
    pub scale_formula: &'static str,
    pub scale_linear: &'static str,
    pub scale_range: &'static str,
    pub scale_range_per: &'static str,
    pub scale_short: &'static str,
    pub scale_steps: &'static str,
    pub sign_again: &'static str,
    pub sign_latest: &'static str,
    pub sign_password: &'static str,
    pub sign_password_help: &'static str,
    pub sign_refused_title: &'static str,
    pub sign_changed: &'static str,
    pub signer: &'static str,
    pub signing_date: &'static str,
    pub signing_date_note: &'static str,
    pub target_added: &'static str,
    pub target_changed: &'static str,
    pub target_removed: &'static str,
    /// The diff's section of the regulation's criteria in words, and what happened to each.
    pub diff_criteria: &'static str,
    pub criterion_added: &'static str,
    pub criterion_changed: &'static str,
    pub criterion_removed: &'static str,
    /// A member unit added (it signs too).
    pub member_added: &'static str,
    pub member_removed: &'static str,
    /// A setting of the regulation: followed by its key.
    pub regulation_setting: &'static str,
    pub reg_element: &'static str,
    pub reg_indicator: &'static str,
    pub reg_area: &'static str,
    pub reg_criterion: &'static str,
    pub reg_bonus: &'static str,
    pub reg_penalty: &'static str,
    pub reg_band: &'static str,
    pub reg_funnel: &'static str,
    pub reg_rule: &'static str,
    /// After a table's word: "Tiêu chí thêm".
    pub change_added: &'static str,
    pub change_removed: &'static str,
    pub change_changed: &'static str,
    pub changes_title: &'static str,
    pub changes_intro: &'static str,
    pub changes_none: &'static str,
    pub changes_full: &'static str,
    pub amendment_title: &'static str,
    pub amendment_intro: &'static str,
    pub amendment_before: &'static str,
    pub amendment_after: &'static str,
    pub targets_rows_help: &'static str,
    pub todo_draft: &'static str,
    pub todo_leader_signs: &'static str,
    pub todo_missing: &'static str,
    pub todo_movement: &'static str,
    pub todo_sign: &'static str,
    pub todo_unsigned_draft: &'static str,
    pub todo_wait_movement: &'static str,
    /// A report reopened for a correction: `{window}`, `{unit}`.
    pub todo_figures_correct: &'static str,
    pub todo_figures_enter: &'static str,
    pub todo_figures_enter_many: &'static str,
    pub todo_figures_overdue: &'static str,
    /// Several windows overdue: `{units}` is each unit's `todo_overdue_unit` (`{unit}`,
    /// `{count}` windows, the earliest `{window}`) joined by "; ".
    pub todo_figures_overdue_units: &'static str,
    pub todo_overdue_unit: &'static str,
    /// For a unit's leader: `{unit}`, `{count}` windows overdue, the earliest `{window}` and
    /// its `{deadline}`.
    pub todo_figures_overdue_led: &'static str,
    pub todo_flags_explain: &'static str,
    /// The button of the leader's flags to-do (the page opens to explain them).
    pub todo_explain_button: &'static str,
    pub todo_flags_follow: &'static str,
    pub todo_overdue: &'static str,
    pub todo_figures_approve: &'static str,
    /// The buttons of the figures to-dos, naming what the page is opened for: entering a
    /// window's figures, correcting a reopened report, reviewing a submitted one to approve it.
    pub todo_enter_button: &'static str,
    pub todo_correct_button: &'static str,
    pub todo_approve_button: &'static str,
    /// The buttons of the year-end to-dos that name their step: preparing the dossier,
    /// reviewing and submitting it, inspecting the unit drawn, answering the inspector.
    pub todo_dossier_button: &'static str,
    pub todo_submit_dossier_button: &'static str,
    pub todo_inspect_button: &'static str,
    pub todo_respond_button: &'static str,
    /// For the secretariat, once the year's last window has reached its cut-off and no
    /// year-end review is open: `{cluster}`, `{year}`; and its button.
    pub todo_open_yearend: &'static str,
    pub todo_open_yearend_button: &'static str,
    pub todo_dossier: &'static str,
    pub todo_dossier_prepare: &'static str,
    /// A leader's dossier saved again after its submission, the changes not submitted:
    /// `{unit}`, `{submitted}`, `{saved}`, `{deadline}`; and its button.
    pub todo_dossier_resubmit: &'static str,
    pub todo_resubmit_dossier_button: &'static str,
    pub todo_commit: &'static str,
    pub todo_reveal: &'static str,
    /// The same, with the review's reveal deadline.
    pub todo_reveal_by: &'static str,
    pub todo_inspect: &'static str,
    pub todo_respond: &'static str,
    /// The secretariat's draw: `{cluster}`, `{year}`, `{revealed}`, `{members}`.
    pub todo_draw: &'static str,
    /// The secretariat's lock once the findings are in: `{cluster}`, `{year}`.
    pub todo_lock: &'static str,
    pub todo_publish: &'static str,
    /// A member's dossier waits for earlier years' figures only the secretariat imports:
    /// {unit}, {lacking} ("Công an tỉnh Kiên Giang (01–12/2024)").
    pub todo_earlier_figures: &'static str,
    pub todo_earlier_figures_button: &'static str,
    pub todo_vote: &'static str,
    pub todo_documents: &'static str,
    /// The button of the secretariat's documents to-do (the year's documents, to issue).
    pub todo_documents_button: &'static str,
    pub upload_file: &'static str,
    pub withdraw_button: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_intro: &'static str,
    pub withdraw_reason_help: &'static str,
    pub withdraw_title: &'static str,
    pub withdrawn_ok: &'static str,
    pub withdrawn_status: &'static str,
    /// A version that a newer one replaced before every member signed it.
    pub superseded_status: &'static str,
    pub witness_key: &'static str,
    pub words_title: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub shape_labels: &'static [(&'static str, &'static str)],
    pub about_record_paragraphs: &'static [&'static str],
    pub about_record_terms: &'static [(&'static str, &'static str)],
    pub admin_units: &'static str,
    /// What each administration section holds, on the overview's cards.
    pub admin_section_help: [&'static str; 7],
    pub admin_log: &'static str,
    pub admin_overview: &'static str,
    pub warn_id_taken: &'static str,
    pub warn_same_name: &'static str,
    pub warn_confirm: &'static str,
    pub warn_confirm_intro: &'static str,
    /// The role's scope missing: a unit (officer, leader) or a cluster (secretariat, supervisor).
    pub choose_unit: &'static str,
    pub choose_cluster: &'static str,
    pub revoke_title: &'static str,
    pub revoke_intro: &'static str,
    pub revoke_confirm: &'static str,
    pub last_admin_notice: &'static str,
    pub person: &'static str,
    pub role_kind: &'static str,
    pub scope_unit: &'static str,
    pub scope_cluster: &'static str,
    pub role_scope_help: &'static str,
    pub tokens_admin_intro: &'static str,
    pub log_key: &'static str,
    pub witness_units: &'static str,
    /// The witness policy: its heading, the policy in force (`{quorum}`, `{count}`, `{record}`)
    /// or none recorded, the form's labels and button.
    pub witness_policy: &'static str,
    pub witness_policy_now: &'static str,
    pub witness_policy_none: &'static str,
    pub witness_policy_required: &'static str,
    pub witness_policy_quorum: &'static str,
    pub witness_policy_save: &'static str,
    /// A witness key that no longer counts: `{date}` (dd/mm/yyyy), the day its unit ceased.
    pub witness_ceased: &'static str,
    /// The quorum in force can no longer be met: `{quorum}` needed, `{count}` counting; under a
    /// recorded policy (a new one must be recorded), or the default (every unit ceased).
    pub witness_unmeetable: &'static str,
    pub witness_unmeetable_default: &'static str,
}

impl Strings {
    /// The name of an event kind.
    pub fn event_kind(&self, kind: &str) -> &'static str {
        if let Some(name) = figures::event_kind(self.lang_code, kind)
            .or_else(|| votes::event_kind(self.lang_code, kind))
            .or_else(|| yearend::event_kind(self.lang_code, kind))
            .or_else(|| midyear::event_kind(self.lang_code, kind))
        {
            return name;
        }
        match self.lang_code {
            "en" => en::event_kind(kind),
            _ => vi::event_kind(kind),
        }
    }

    /// "Witnessed by N units at tree size S".
    pub fn witnessed_by(&self, units: usize, size: u64) -> String {
        let template = if units == 1 {
            self.witnessed_by_one
        } else {
            self.witnessed_by
        };
        fill(template, &[("units", units as u64), ("size", size)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ceased unit's refusal says which unit, from when and into whom in Vietnamese too,
    /// where no state names them (the command line): it said only «the unit ceased to exist».
    #[test]
    fn a_ceased_units_refusal_names_it_without_the_state() {
        let e = thidua_domain::DomainError::UnitDissolved {
            unit: "ca-kg".into(),
            date: "2025-07-01".into(),
            successors: "ca-ag".into(),
        };
        assert_eq!(
            Lang::Vi.refusal(&e),
            "ca-kg không còn tồn tại từ ngày 01/07/2025 (đã hợp nhất vào ca-ag); hãy chọn đơn vị kế thừa."
        );
    }

    #[test]
    fn fill_chooses_the_english_plural_by_the_written_value() {
        let t = "{n} {n|document is|documents are} ready; at most {n|point|points}";
        assert_eq!(fill(t, &[("n", 1)]), "1 document is ready; at most point");
        assert_eq!(
            fill(t, &[("n", 2)]),
            "2 documents are ready; at most points"
        );
        assert_eq!(fill("{p} {p|point|points}", &[("p", "1,5")]), "1,5 points");
        assert_eq!(
            fill("{x} unchanged {y|a|b}", &[("x", "v")]),
            "v unchanged {y|a|b}"
        );
    }

    /// The pages spell Vietnamese one way: in an open "oa", "oe" or "uy" the tone mark sits on
    /// the second vowel (hoá, khoẻ, tuỳ), as most of their text does, never "hóa" beside "hoá".
    /// Titles in capitals keep the form the decree prints ("CỘNG HÒA", "CHỦ TỌA").
    #[test]
    fn vietnamese_tone_marks_sit_one_way() {
        let sources = [
            ("awards.rs", include_str!("awards.rs")),
            ("figures.rs", include_str!("figures.rs")),
            ("flags.rs", include_str!("flags.rs")),
            ("history.rs", include_str!("history.rs")),
            ("holidays.rs", include_str!("holidays.rs")),
            ("lineage.rs", include_str!("lineage.rs")),
            ("midyear.rs", include_str!("midyear.rs")),
            ("progress.rs", include_str!("progress.rs")),
            ("vi.rs", include_str!("vi.rs")),
            ("votes.rs", include_str!("votes.rs")),
            ("yearend.rs", include_str!("yearend.rs")),
        ];
        for (name, source) in sources {
            let chars: Vec<char> = source.chars().collect();
            for (i, w) in chars.windows(3).enumerate() {
                let first_marked = match w[1] {
                    'a' | 'e' => "óòỏõọ".contains(w[0]),
                    'y' => "úùủũụ".contains(w[0]) && i > 0 && chars[i - 1] != 'q',
                    _ => false,
                };
                if first_marked && !w[2].is_alphabetic() {
                    let line = String::from_iter(&chars[..i]).lines().count();
                    panic!("{name}:{line}: {}", String::from_iter(w));
                }
            }
        }
    }

    /// Every code this crate writes into an `ApiError` (`ApiError::new` or `bad_request` with
    /// the code as a literal) has a sentence in both languages: read from the source, so that
    /// a new code cannot be missing from the list above and reach a page as "could not be done".
    #[test]
    fn every_code_written_in_the_source_is_translated() {
        let files = thidua_test_support::source::rust_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        );
        let mut found = 0;
        // Not this file, whose test names the calls it looks for.
        for file in files.iter().filter(|f| !f.ends_with("i18n/mod.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for call in ["ApiError::new(", "ApiError::bad_request("] {
                for (at, _) in text.match_indices(call) {
                    let rest = text[at + call.len()..].trim_start();
                    let rest = match rest.strip_prefix("StatusCode::") {
                        Some(r) => r.split_once(',').map_or("", |(_, r)| r).trim_start(),
                        None => rest,
                    };
                    let Some(code) = rest.strip_prefix('"').and_then(|r| r.split_once('"')) else {
                        continue;
                    };
                    let code = code.0;
                    found += 1;
                    for lang in [Lang::Vi, Lang::En] {
                        assert_ne!(
                            lang.error(code),
                            lang.error("no such code"),
                            "{lang:?} lacks {code} ({})",
                            file.display()
                        );
                    }
                }
            }
        }
        assert!(found > 30, "the codes were found ({found})");
    }

    /// The witnessing sentences fill every placeholder, in both languages.
    #[test]
    fn witnessing_sentences_are_filled() {
        assert_eq!(
            vi::STRINGS.witnessed_by(2, 57),
            "Đã được 2 đơn vị nhân chứng xác nhận (bản chốt sổ 57 mục)"
        );
        assert_eq!(
            en::STRINGS.witnessed_by(2, 57),
            "Confirmed by 2 witness units (signed record of 57 entries)"
        );
        assert_eq!(
            en::STRINGS.witnessed_by(1, 9),
            "Confirmed by 1 witness unit (signed record of 9 entries)"
        );
        for t in [&vi::STRINGS, &en::STRINGS] {
            let link = fill(t.proof_signed_link, &[("size", 12)]);
            assert!(link.contains("12") && !link.contains('{'), "{link}");
        }
    }

    /// Every error code the API or the domain can answer has a sentence in both languages.
    #[test]
    fn every_error_code_is_translated() {
        let codes = [
            "empty_text",
            "text_too_long",
            "invalid_text",
            "invalid_id",
            "invalid_value",
            "document_date_out_of_range",
            "document_already_issued",
            "document_date_before_record",
            "document_date_before_previous",
            "forbidden",
            "unknown_user",
            "token_not_active",
            "user_exists",
            "role_already_granted",
            "role_not_granted",
            "unknown_unit",
            "unit_exists",
            "unit_not_active",
            "lineage_before_established",
            "invalid_lineage",
            "cluster_name_taken",
            "movement_name_taken",
            "roles_conflict",
            "lineage_kinds",
            "lineage_record_not_found",
            "lineage_relied_upon",
            "parent_cycle",
            "unknown_cluster",
            "cluster_exists",
            "duplicate_member",
            "year_out_of_range",
            "cluster_too_small",
            "cluster_year_unchanged",
            "holidays_unchanged",
            "witness_quorum",
            "witness_outside_clusters",
            "not_member",
            "no_cluster_year",
            "head_is_deputy",
            "membership_signed",
            "membership_succession_only",
            "membership_review_open",
            "membership_successor_left_out",
            "leadership_locked",
            "ministry_not_member",
            "member_kinds",
            "parent_kind",
            "parent_kind_ministry",
            "parent_kind_ministry_department",
            "parent_kind_provincial_police",
            "parent_kind_commune_police",
            "parent_dissolved",
            "unknown_parent",
            "invalid_kind",
            "unknown_movement",
            "movement_exists",
            "invalid_calendar",
            "unknown_covenant",
            "covenant_exists",
            "unknown_version",
            "covenant_frozen",
            "covenant_not_frozen",
            "covenant_has_signatures",
            "covenant_year_exists",
            "covenant_unchanged",
            "covenant_under_review",
            "already_signed",
            "hash_mismatch",
            "duplicate_target",
            "covenant_withdrawn",
            "invalid_regulation",
            "regulation_not_canonical",
            "regulation_year",
            "last_admin",
            "halted",
            "busy",
            "internal",
            "csrf",
            "invalid_body",
            "invalid_query",
            "unknown_flag_kind",
            "results_not_published",
            "document_not_by_command",
            "invalid_path",
            "not_found",
            "unauthenticated",
            "invalid_token",
            "too_many_attempts",
            "too_many_attempts_here",
            "password_too_short",
            "password_too_long",
            "wrong_password",
            "password_required",
            "bad_bootstrap_token",
            "admin_exists",
            "too_large",
            "body_timeout",
            "empty_log",
            "confirm_required",
            "invalid_date",
            "target_shape",
            "target_threshold_missing",
            "target_threshold_not_allowed",
            "target_high_not_allowed",
            "target_range_reversed",
            "target_percent_range",
            "target_negative",
            "target_count_whole",
            "target_precision",
            "target_baseline_missing",
            "target_baseline_range",
            "target_unit_percent",
            "unknown_indicator",
            "target_indicator_measures_other",
            "target_count",
            "signing_date_out_of_range",
            "unit_name_taken",
            "short_code_taken",
            "unit_dissolved",
            "invalid_number",
            "number_ambiguous",
            "invalid_encoding",
            "method_not_allowed",
            "form_not_taken",
            "date_out_of_range",
            "covenant_not_signed",
            "unknown_window",
            "summary_window",
            "unknown_element",
            "invalid_figure",
            "report_state",
            "stale_revision",
            "report_incomplete",
            "rule_violated",
            "warning_needs_comment",
            "figures_exist",
            "figures_by_officers",
            "figures_unchanged",
            "deadline_before_cut_off",
            "window_still_open",
            "invalid_rule",
            "explanation_unchanged",
        ]
        .into_iter()
        .chain(thidua_domain::yearend::error::CODES.iter().copied())
        .chain(thidua_domain::midyear::CODES.iter().copied());
        for code in codes {
            assert_ne!(
                Lang::Vi.error(code),
                Lang::Vi.error("no such code"),
                "vi lacks {code}"
            );
            assert_ne!(
                Lang::En.error(code),
                Lang::En.error("no such code"),
                "en lacks {code}"
            );
        }
        for kind in crate::ui::history::EVENT_KINDS {
            assert_ne!(vi::STRINGS.event_kind(kind), "—", "vi lacks {kind}");
            assert_ne!(en::STRINGS.event_kind(kind), "—", "en lacks {kind}");
        }
        assert_eq!(Lang::Vi.strings().lang_code, "vi");
        assert_eq!(Lang::En.strings().lang_code, "en");
    }
}
