//! Schemas the OpenAPI document cannot derive: the body of `POST /api/v1/commands` (the
//! domain's `Command`, whose crate knows nothing of OpenAPI), written here in JSON Schema and
//! checked against the domain by a test that asks serde for every command kind and field.

use serde_json::{json, Value};
use thidua_domain::text::limits;

/// An id: 1–64 characters of `a-z 0-9 - _ .`, starting with a letter or digit.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9._-]{0,63}$";
/// A role as written in paths and forms: `admin`, `ministry_supervisor` or `kind:scope`.
pub const ROLE_PATTERN: &str =
    "^(admin|ministry_supervisor|(secretariat|supervisor|officer|leader):[a-z0-9][a-z0-9._-]{0,63})$";
/// A reporting window's key as a calendar names it (`M01`, `Q1`, `9M`): 1–16 ASCII letters and
/// digits (`thidua_domain::calendar::validate_calendar`).
pub const WINDOW_PATTERN: &str = "^[A-Za-z0-9]{1,16}$";

fn id() -> Value {
    json!({"type": "string", "pattern": ID_PATTERN})
}

fn text(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "description": "NFC text, length in graphemes"})
}

fn date() -> Value {
    json!({"type": "string", "format": "date"})
}

fn decimal() -> Value {
    json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": "an exact decimal, as a string"})
}

fn role() -> Value {
    json!({"oneOf": [
        {"type": "object", "required": ["role"], "additionalProperties": false,
         "properties": {"role": {"type": "string", "enum": ["admin"]}}},
        {"type": "object", "required": ["role", "cluster"], "additionalProperties": false,
         "properties": {"role": {"type": "string", "enum": ["secretariat", "supervisor"]}, "cluster": id()}},
        {"type": "object", "required": ["role", "unit"], "additionalProperties": false,
         "properties": {"role": {"type": "string", "enum": ["officer", "leader"]}, "unit": id()}},
    ]})
}

fn content() -> Value {
    let target = json!({"type": "object", "additionalProperties": false,
    "required": ["id", "area", "kind", "subject", "comparison", "threshold", "range", "baseline_year", "unit_of_measure"],
    "properties": {
        "id": id(), "area": text(limits::AREA),
        "kind": {"type": "string", "enum": ["change", "rate", "count", "yes_no", "qualitative"]},
        "subject": text(limits::SUBJECT),
        "comparison": {"type": "string", "enum": ["at_least", "above", "at_most", "below", "equal", "between", "holds", "judged"]},
        "threshold": {"oneOf": [decimal(), {"type": "null"}]},
        "range": {"oneOf": [{"type": "array", "items": decimal(), "minItems": 2, "maxItems": 2}, {"type": "null"}]},
        "baseline_year": {"type": ["integer", "null"]},
        "unit_of_measure": {"oneOf": [text(limits::UNIT_OF_MEASURE), {"type": "null"}]}
    }});
    json!({"type": "object", "additionalProperties": false,
    "required": ["title", "place", "signing_date", "targets", "regulation"],
    "properties": {
        "title": text(limits::TITLE), "place": text(limits::PLACE), "signing_date": date(),
        "targets": {"type": "array", "items": target},
        "regulation": {"type": "object", "additionalProperties": false, "required": ["text", "sha256"],
            "properties": {"text": {"type": "string"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}
    }})
}

/// One command: its name, its fields' schemas, the fields that may be left out.
type CommandShape = (
    &'static str,
    Vec<(&'static str, Value)>,
    &'static [&'static str],
);

/// Each command's shape (every field required unless listed as optional).
fn commands() -> Vec<CommandShape> {
    let window = json!({"type": "object", "additionalProperties": false, "required": ["key", "name", "start", "end"],
        "properties": {"key": {"type": "string"}, "name": text(limits::WINDOW_NAME), "start": date(), "end": date()}});
    let lineage = json!({"type": "object", "additionalProperties": false,
    "required": ["kind", "predecessors", "successors", "effective", "decision"],
    "properties": {
        "kind": {"type": "string", "enum": ["merge", "split"]},
        "predecessors": {"type": "array", "items": id(), "minItems": 1},
        "successors": {"type": "array", "items": id(), "minItems": 1},
        "effective": date(), "decision": text(limits::DECISION)
    }});
    vec![
        (
            "register_user",
            vec![
                ("user", id()),
                ("display_name", text(limits::DISPLAY_NAME)),
                ("demo", json!({"type": "boolean"})),
            ],
            &[],
        ),
        ("grant_role", vec![("user", id()), ("role", role())], &[]),
        ("revoke_role", vec![("user", id()), ("role", role())], &[]),
        (
            "create_unit",
            vec![
                ("unit", id()),
                ("name", text(limits::NAME)),
                ("short_code", text(limits::SHORT_CODE)),
                (
                    "kind",
                    json!({"type": "string", "enum": ["ministry", "ministry_department", "provincial_police", "commune_police"]}),
                ),
                ("parent", json!({"oneOf": [id(), {"type": "null"}]})),
                ("established", date()),
            ],
            &["parent"],
        ),
        (
            "rename_unit",
            vec![
                ("unit", id()),
                ("name", text(limits::NAME)),
                ("short_code", text(limits::SHORT_CODE)),
                ("effective", date()),
                ("decision", text(limits::DECISION)),
            ],
            &[],
        ),
        ("record_lineage", vec![("change", lineage)], &[]),
        (
            "withdraw_lineage",
            vec![
                (
                    "index",
                    json!({"type": "integer", "minimum": 0, "description": "the log index of the lineage_recorded event"}),
                ),
                ("reason", text(limits::REASON)),
            ],
            &[],
        ),
        (
            "create_cluster",
            vec![("cluster", id()), ("name", text(limits::NAME))],
            &[],
        ),
        (
            "set_cluster_year",
            vec![
                ("cluster", id()),
                ("year", json!({"type": "integer"})),
                ("members", json!({"type": "array", "items": id()})),
            ],
            &[],
        ),
        (
            "set_cluster_leadership",
            vec![
                ("cluster", id()),
                ("year", json!({"type": "integer"})),
                (
                    "position",
                    json!({"type": "string", "enum": ["head", "deputy"]}),
                ),
                ("unit", id()),
                (
                    "method",
                    json!({"type": "string", "enum": ["elected", "assigned"]}),
                ),
                ("decision", text(limits::DECISION)),
            ],
            &[],
        ),
        (
            "create_movement",
            vec![
                ("movement", id()),
                ("name", text(limits::NAME)),
                ("year", json!({"type": "integer"})),
                ("plan_ref", text(limits::PLAN_REF)),
                (
                    "slogan",
                    json!({"oneOf": [text(limits::SLOGAN), {"type": "null"}]}),
                ),
                (
                    "calendar",
                    json!({"type": "array", "items": window, "minItems": 1, "maxItems": thidua_domain::calendar::MAX_WINDOWS,
                        "description": "the movement's reporting windows, each a run of reporting months of its year (from the 15th to the 14th): one window per month, which units report, and any sums of them (quarters, 6 months, the year); refused otherwise with `invalid_calendar`"}),
                ),
            ],
            &["slogan"],
        ),
        (
            "draft_covenant",
            vec![
                ("covenant", id()),
                ("movement", id()),
                ("cluster", id()),
                ("content", content()),
            ],
            &[],
        ),
        (
            "amend_covenant_draft",
            vec![("covenant", id()), ("content", content())],
            &[],
        ),
        (
            "propose_covenant_version",
            vec![("covenant", id()), ("content", content())],
            &[],
        ),
        (
            "sign_covenant",
            vec![
                ("covenant", id()),
                ("version", json!({"type": "integer", "minimum": 1})),
                ("unit", id()),
                (
                    "hash",
                    json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
                ),
            ],
            &[],
        ),
        (
            "register_witness_key",
            vec![
                ("unit", id()),
                (
                    "key",
                    json!({"type": "string", "description": "a C2SP note verifier key"}),
                ),
            ],
            &[],
        ),
        (
            "withdraw_covenant_draft",
            vec![("covenant", id()), ("reason", text(limits::REASON))],
            &[],
        ),
        (
            "set_witness_policy",
            vec![
                ("witnesses", json!({"type": "array", "items": id()})),
                ("quorum", json!({"type": "integer", "minimum": 1})),
            ],
            &[],
        ),
        (
            "save_figures",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("window", window_key()),
                ("values", figure_map()),
                (
                    "comments",
                    json!({"type": "object", "additionalProperties": text(limits::REASON)}),
                ),
            ],
            &["comments"],
        ),
        ("submit_figures", report_revision(), &[]),
        ("approve_figures", report_revision(), &[]),
        (
            "reopen_figures",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("window", window_key()),
                ("reason", text(limits::REASON)),
            ],
            &[],
        ),
        (
            "set_figures_deadline",
            vec![
                ("covenant", id()),
                ("window", window_key()),
                ("deadline", date()),
            ],
            &[],
        ),
        (
            "set_figures_rules",
            vec![
                ("covenant", id()),
                (
                    "rules",
                    json!({"type": "array", "items": {"type": "object", "additionalProperties": false,
                        "required": ["id", "name", "check", "severity"],
                        "properties": {"id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                            "name": text(limits::SUBJECT),
                            "check": {"type": "string", "description": "an expression over element ids, e.g. reports_resolved <= reports_received"},
                            "severity": {"type": "string", "enum": ["error", "warning"]}}}}),
                ),
            ],
            &[],
        ),
        (
            "import_historical_figures",
            vec![
                ("covenant", id()),
                ("file_name", text(limits::TITLE)),
                (
                    "sha256",
                    json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
                ),
                (
                    "reports",
                    json!({"type": "array", "items": {"type": "object", "additionalProperties": false,
                        "required": ["unit", "year", "window", "values"],
                        "properties": {"unit": id(), "year": {"type": "integer"},
                            "window": window_key(), "values": figure_map()}}}),
                ),
            ],
            &[],
        ),
        (
            "issue_document",
            vec![
                ("cluster", id()),
                ("year", json!({"type": "integer"})),
                (
                    "kind",
                    json!({"type": "string", "enum": ["covenant", "results", "inspection_minutes",
                        "vote_minutes", "year_report", "award_submission"]}),
                ),
                ("date", date()),
                (
                    "number",
                    json!({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}),
                ),
                ("title", text(limits::TITLE)),
                (
                    "sha256",
                    json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
                ),
                ("subject", text(limits::TITLE)),
            ],
            &[],
        ),
        (
            "freeze_midyear_review",
            vec![
                ("covenant", id()),
                (
                    "acknowledge_incomplete",
                    json!({"type": "boolean", "default": false,
                        "description": "freeze although some members' figures through month 6 are not all approved (refused otherwise: midyear_incomplete)"}),
                ),
            ],
            &["acknowledge_incomplete"],
        ),
        (
            "explain_flag",
            vec![
                ("covenant", id()),
                ("unit", id()),
                (
                    "period",
                    json!({"type": "string", "pattern": "^[0-9]{4}-[A-Za-z0-9_]+$",
                        "description": "the flag's period as the flags list gives it: 2024-M05, or 2024-Y for the year's data quality"}),
                ),
                (
                    "kind",
                    json!({"type": "string", "enum": ["funnel_drop", "series_break", "year_change", "near_target", "data_quality"]}),
                ),
                (
                    "subject",
                    json!({"type": "string", "description": "the flag's subject as the flags list gives it (funnel:from:to, an element id); omitted for data quality"}),
                ),
                ("text", text(limits::REASON)),
            ],
            &["subject"],
        ),
        (
            "declare_holidays",
            vec![
                (
                    "year",
                    json!({"type": "integer", "minimum": 2000, "maximum": 2100}),
                ),
                (
                    "days",
                    json!({"type": "array", "maxItems": thidua_domain::holidays::MAX_DAYS, "items": date(),
                        "description": "every day off of the year as the Government announced it, in any order (sorted and deduplicated); empty withdraws the year's days"}),
                ),
                (
                    "working_days",
                    json!({"type": "array", "maxItems": thidua_domain::holidays::MAX_WORKING_DAYS, "items": date(),
                        "description": "the Saturdays and Sundays of the year worked in exchange for a day off (ngày làm bù), none of them a day off; optional, empty by default"}),
                ),
                ("reference", text(limits::DECISION)),
            ],
            &["working_days"],
        ),
        (
            "vote",
            vec![(
                "vote",
                json!({"type": "string", "enum": VOTE_COMMANDS,
                    "description": "the vote request; its other fields are those of the domain's VoteCommand of that name (ballots and ceremony messages as `thidua vote` and the ballot page build them; see docs/ballot-cryptography.md)"}),
            )],
            &[],
        ),
    ]
}

/// The requests about votes (`Command::Vote`), told apart by `vote`.
const VOTE_COMMANDS: &[&str] = &[
    "record_standing",
    "open_election",
    "post_ceremony_message",
    "register_voter_key",
    "cast_ballot",
    "close_round",
    "post_decryption_shares",
    "open_second_round",
    "decide_tie",
    "record_paper_count",
    "confirm_paper_count",
    "withdraw_paper_count",
    "abandon_electronic_count",
    "cancel_election",
    "conclude_election",
];

/// A reporting window's key (`M01`, `Q1`, `Y`: the movement's calendar).
fn window_key() -> Value {
    json!({"type": "string", "description": "a window key of the movement's calendar; figures are reported for its one-month windows (a sum such as a quarter answers `summary_window` or 404)"})
}

/// A report's figures: per element id, an exact decimal or `na` (not applicable).
fn figure_map() -> Value {
    json!({"type": "object", "additionalProperties": {"oneOf": [decimal(), {"type": "string", "enum": ["na"]}]}})
}

/// The fields that name one revision of one report.
fn report_revision() -> Vec<(&'static str, Value)> {
    vec![
        ("covenant", id()),
        ("unit", id()),
        ("window", window_key()),
        ("revision", json!({"type": "integer", "minimum": 1})),
    ]
}

/// An irreversible year-end step's acknowledgement: `true`, or the step is refused
/// (`yearend_confirm_required`).
fn confirm() -> Value {
    json!({"type": "boolean", "const": true, "description": "the step cannot be undone: true confirms it (refused otherwise, `yearend_confirm_required`)"})
}

/// The year-end steps (`{"command": "year_end", "action": …}`): each action's fields.
fn yearend_actions() -> Vec<CommandShape> {
    let hex64 = || json!({"type": "string", "pattern": "^[0-9a-f]{64}$"});
    let points = decimal;
    let entry = json!({"type": "object", "additionalProperties": false, "required": ["score", "justification"],
        "properties": {"score": points(), "justification": text(4000),
            "evidence": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                "required": ["sha256", "name", "media_type", "size"],
                "properties": {"sha256": hex64(), "name": text(200), "media_type": {"type": "string"}, "size": {"type": "integer", "minimum": 1}}}}}});
    let item = json!({"type": "object", "additionalProperties": false, "required": ["verdict"],
        "properties": {"verdict": {"type": "string", "enum": ["agree", "propose", "dispute"]}, "score": points(), "reason": text(1000)}});
    let pair = json!({"type": "object", "additionalProperties": false, "required": ["inspector", "inspected"],
        "properties": {"inspector": id(), "inspected": id()}});
    let by_criterion = |v: Value| json!({"type": "object", "additionalProperties": v});
    vec![
        (
            "open",
            vec![
                ("covenant", id()),
                ("dossier_deadline", date()),
                ("commit_deadline", date()),
                ("reveal_deadline", date()),
                ("response_deadline", date()),
                (
                    "inspectors",
                    json!({"type": "integer", "minimum": 1, "maximum": 2}),
                ),
                ("record_sample", json!({"type": "integer", "minimum": 0})),
                (
                    "acknowledge_missing_figures",
                    json!({"type": "boolean", "default": false, "description": "true opens the review although members lack approved figures of the year's windows; refused without it (`yearend_figures_missing`, naming the members and windows)"}),
                ),
            ],
            &[
                "record_sample",
                "reveal_deadline",
                "acknowledge_missing_figures",
            ],
        ),
        (
            "move_deadline",
            vec![
                ("covenant", id()),
                (
                    "step",
                    json!({"type": "string", "enum": ["dossier", "commit", "reveal", "response"]}),
                ),
                ("deadline", date()),
                ("reason", text(1000)),
            ],
            &[],
        ),
        (
            "save_dossier",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("entries", by_criterion(entry)),
            ],
            &[],
        ),
        (
            "submit_dossier",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("revision", json!({"type": "integer", "minimum": 1})),
            ],
            &[],
        ),
        (
            "declare_conflict",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("other", id()),
                ("reason", text(1000)),
            ],
            &[],
        ),
        (
            "commit_seed",
            vec![("covenant", id()), ("unit", id()), ("commitment", hex64())],
            &[],
        ),
        (
            "reveal_seed",
            vec![("covenant", id()), ("unit", id()), ("value", hex64())],
            &[],
        ),
        (
            "pin_beacon",
            vec![
                ("covenant", id()),
                ("round", json!({"type": "integer", "minimum": 1})),
            ],
            &[],
        ),
        (
            "record_beacon",
            vec![
                ("covenant", id()),
                (
                    "signature",
                    json!({"type": "string", "pattern": "^[0-9a-fA-F]{96}$"}),
                ),
            ],
            &[],
        ),
        ("draw_assignment", vec![("covenant", id())], &[]),
        (
            "decide_assignment",
            vec![
                ("covenant", id()),
                ("pairs", json!({"type": "array", "items": pair})),
                ("reason", text(1000)),
                (
                    "acknowledged",
                    json!({"type": "array", "description": "exactly the rules of the draw the pairs break (`yearend_assignment_breaches` names them), each acknowledged; recorded with the decision",
                        "items": {"type": "object", "additionalProperties": false, "required": ["rule", "inspector", "inspected"],
                            "properties": {"rule": {"type": "string", "enum": ["conflict", "mutual", "last_year"]}, "inspector": id(), "inspected": id()}}}),
                ),
            ],
            &["acknowledged"],
        ),
        (
            "declare_records",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("population", json!({"type": "integer", "minimum": 1})),
                ("description", text(1000)),
            ],
            &[],
        ),
        (
            "submit_finding",
            vec![
                ("covenant", id()),
                ("inspector", id()),
                ("inspected", id()),
                ("items", by_criterion(item)),
                (
                    "recheck",
                    json!({"type": "object", "additionalProperties": false, "required": ["checked", "correct"],
                "properties": {"checked": {"type": "integer", "minimum": 1}, "correct": {"type": "integer", "minimum": 0}}}),
                ),
            ],
            &["recheck"],
        ),
        (
            "submit_response",
            vec![
                ("covenant", id()),
                ("unit", id()),
                (
                    "answers",
                    by_criterion(json!({"type": "object", "additionalProperties": false,
            "required": ["accept", "text"], "properties": {"accept": {"type": "boolean"},
                "text": {"type": "string", "maxLength": 2000, "description": "NFC text, length in graphemes; may be empty (\"\") only when `accept` is true"}}})),
                ),
            ],
            &[],
        ),
        (
            "resolve_dispute",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("criterion", json!({"type": "string"})),
                ("score", points()),
                ("reason", text(1000)),
            ],
            &["score"],
        ),
        (
            "record_eligibility",
            vec![
                ("covenant", id()),
                ("unit", id()),
                ("discipline_pending", json!({"type": "boolean"})),
                ("note", text(1000)),
            ],
            &[],
        ),
        (
            "lock",
            vec![("covenant", id()), ("confirm", confirm())],
            &[],
        ),
        (
            "publish_results",
            vec![("covenant", id()), ("confirm", confirm())],
            &[],
        ),
        (
            "decide_cutoff_tie",
            vec![
                ("covenant", id()),
                ("band", json!({"type": "string"})),
                ("units", json!({"type": "array", "items": id()})),
                ("reason", text(1000)),
            ],
            &[],
        ),
    ]
}

/// The JSON Schema of a domain command: one object per kind, told apart by `command`.
pub fn command_schema() -> Value {
    let variants: Vec<Value> = commands()
        .into_iter()
        .map(|(name, fields, optional)| {
            let mut properties = serde_json::Map::new();
            properties.insert("command".into(), json!({"type": "string", "enum": [name]}));
            let mut required = vec![json!("command")];
            for (field, schema) in fields {
                if !optional.contains(&field) {
                    required.push(json!(field));
                }
                properties.insert(field.into(), schema);
            }
            // A vote request's fields depend on its `vote` (described, not enumerated here).
            json!({"type": "object", "title": name, "additionalProperties": name == "vote",
                   "required": required, "properties": properties})
        })
        .chain(
            yearend_actions()
                .into_iter()
                .map(|shape| yearend_variant(shape, true)),
        )
        .collect();
    json!({"oneOf": variants, "discriminator": {"propertyName": "command"},
           "description": "A domain command (unknown fields are refused); the domain decides whether the caller's roles allow it."})
}

/// One year-end action as an object: `{"command": "year_end", "action": …}` through
/// `/api/v1/commands` (`with_command`), `{"action": …}` alone through
/// `/api/v1/covenants/{id}/yearend`, which reads the year-end command itself and refuses a
/// `command` field.
fn yearend_variant((name, fields, optional): CommandShape, with_command: bool) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    if with_command {
        properties.insert(
            "command".into(),
            json!({"type": "string", "enum": ["year_end"]}),
        );
        required.push(json!("command"));
    }
    properties.insert("action".into(), json!({"type": "string", "enum": [name]}));
    required.push(json!("action"));
    for (field, schema) in fields {
        if !optional.contains(&field) {
            required.push(json!(field));
        }
        properties.insert(field.into(), schema);
    }
    let title = if with_command {
        format!("year_end.{name}")
    } else {
        name.to_owned()
    };
    json!({"type": "object", "title": title, "additionalProperties": false,
           "required": required, "properties": properties})
}

/// The body of `POST /api/v1/covenants/{id}/yearend`: one year-end step, told apart by
/// `action`, without the `command` field `/api/v1/commands` needs (the route refuses it).
pub fn yearend_step_schema() -> Value {
    let variants: Vec<Value> = yearend_actions()
        .into_iter()
        .map(|shape| yearend_variant(shape, false))
        .collect();
    json!({"oneOf": variants, "discriminator": {"propertyName": "action"},
           "description": "A year-end step (unknown fields, `command` among them, are refused); its `covenant` must be the path's."})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names serde lists after "expected" (`a`; `a` or `b`; one of `a`, `b`, `c`).
    fn expected_names(value: Value) -> Vec<String> {
        let err = serde_json::from_value::<thidua_domain::Command>(value)
            .unwrap_err()
            .to_string();
        let list = err
            .split("expected")
            .nth(1)
            .unwrap_or_else(|| panic!("{err}"));
        let mut names: Vec<String> = list
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    /// The year-end actions and their fields are exactly the domain's.
    #[test]
    fn the_year_end_schema_matches_the_domain() {
        let mut ours: Vec<String> = yearend_actions()
            .iter()
            .map(|(n, _, _)| n.to_string())
            .collect();
        ours.sort();
        assert_eq!(
            ours,
            expected_names(json!({"command": "year_end", "action": "no_such_action"}))
        );
        for (name, fields, _) in yearend_actions() {
            let mut ours: Vec<String> = fields.iter().map(|(f, _)| f.to_string()).collect();
            ours.sort();
            let theirs =
                expected_names(json!({"command": "year_end", "action": name, "no_such_field": 1}));
            assert_eq!(ours, theirs, "{name}");
        }
    }

    /// The year-end route's body is the year-end command alone: every documented action, with
    /// its required fields and no `command`, is read by the route's type, and a `command` field
    /// is refused as the route refuses it.
    #[test]
    fn the_year_end_step_schema_is_what_the_route_reads() {
        let schema = yearend_step_schema();
        let variants = schema["oneOf"].as_array().unwrap();
        assert_eq!(variants.len(), yearend_actions().len());
        let mut theirs: Vec<String> = {
            let err = serde_json::from_value::<thidua_domain::yearend::YearEndCommand>(
                json!({"action": "no_such_action"}),
            )
            .unwrap_err()
            .to_string();
            err.split("expected")
                .nth(1)
                .unwrap()
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        };
        theirs.sort();
        let mut ours: Vec<String> = variants
            .iter()
            .map(|v| {
                v["properties"]["action"]["enum"][0]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        ours.sort();
        assert_eq!(ours, theirs);
        for v in variants {
            assert!(v["properties"].get("command").is_none(), "{v}");
            assert!(!v["required"]
                .as_array()
                .unwrap()
                .contains(&json!("command")));
        }
        let with_command = serde_json::from_value::<thidua_domain::yearend::YearEndCommand>(
            json!({"command": "year_end", "action": "lock", "covenant": "gu-12-2024", "confirm": true}),
        );
        assert!(with_command.is_err(), "the route refuses `command`");
        let alone = serde_json::from_value::<thidua_domain::yearend::YearEndCommand>(
            json!({"action": "lock", "covenant": "gu-12-2024", "confirm": true}),
        );
        assert!(alone.is_ok(), "{alone:?}");
    }

    /// The schema names exactly the domain's command kinds and, for each, exactly its fields.
    #[test]
    fn the_command_schema_matches_the_domain() {
        let mut kinds: Vec<String> = commands().iter().map(|(n, _, _)| n.to_string()).collect();
        kinds.push("year_end".into()); // its actions: `the_year_end_schema_matches_the_domain`
        kinds.sort();
        assert_eq!(kinds, expected_names(json!({"command": "no_such_command"})));
        let mut votes: Vec<String> = VOTE_COMMANDS.iter().map(|v| v.to_string()).collect();
        votes.sort();
        assert_eq!(
            votes,
            expected_names(json!({"command": "vote", "vote": "no_such_vote"}))
        );
        for (name, fields, _) in commands().into_iter().filter(|(n, _, _)| *n != "vote") {
            let mut ours: Vec<String> = fields.iter().map(|(f, _)| f.to_string()).collect();
            ours.sort();
            let theirs = expected_names(json!({"command": name, "no_such_field": 1}));
            assert_eq!(ours, theirs, "{name}");
        }
    }
}
