//! What changed from one version of a covenant to another: the one computation of it, which the
//! covenant page, the comparison page and the API's covenant representation all show, so that
//! a leader asked to sign a new version is told everything that differs from the one it follows
//! ("nothing can be changed behind anyone's back").
//!
//! It compares the in-memory content of two versions ([`diff`]): the covenant's own fields
//! (title, place, signing date), the member units, the targets matched by their id (added,
//! removed, changed with the fields that differ) and the scoring regulation. The regulation is
//! compared on its canonical text, which is what the members sign under its SHA-256
//! ([`regulation_diff`]): its own settings (`total`, `year`, `bonus_cap`, `[rounding]` …) and
//! each of its tables (`[[criterion]]`, `[[area]]`, `[[rule]]` …) matched by id, with the keys
//! whose canonical values differ — so a change of the text is always listed somewhere, never
//! hidden by a summary that does not know a key.

use chrono::NaiveDate;

use crate::ids::UnitId;
use crate::model::{CovenantContent, Target};
use crate::state::{Covenant, CovenantVersion};
use crate::text::Text;

/// What changed from version `from` to version `to` of a covenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CovenantDiff {
    pub from: u32,
    pub to: u32,
    /// The title, before and after, when it changed.
    pub title: Option<(Text, Text)>,
    pub place: Option<(Text, Text)>,
    pub signing_date: Option<(NaiveDate, NaiveDate)>,
    /// Member units of `to` that `from` did not have (every one of them must sign).
    pub members_added: Vec<UnitId>,
    pub members_removed: Vec<UnitId>,
    /// The targets added, removed and changed: those of `to` in its order, then those removed.
    pub targets: Vec<TargetChange>,
    /// The regulation's changes; `None` when its text is the same.
    pub regulation: Option<RegulationDiff>,
}

impl CovenantDiff {
    /// Nothing that the members sign differs.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.place.is_none()
            && self.signing_date.is_none()
            && self.members_added.is_empty()
            && self.members_removed.is_empty()
            && self.targets.is_empty()
            && self.regulation.is_none()
    }
}

/// One target that differs, matched by its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetChange {
    Added(Target),
    Removed(Target),
    /// The same id, another content: `fields` names what differs (`subject`, `threshold`,
    /// `range`, `comparison`, `kind`, `area`, `baseline_year`, `unit_of_measure`,
    /// `indicator`).
    Changed {
        before: Box<Target>,
        after: Box<Target>,
        fields: Vec<&'static str>,
    },
}

/// What changed in the scoring regulation, read from the two canonical texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegulationDiff {
    pub sha256_before: String,
    pub sha256_after: String,
    /// The regulation's own keys whose values differ (`total`, `name`, `rounding.places` …).
    pub settings: Vec<ValueChange>,
    /// The tables (criteria, areas, rules …) added, removed or changed.
    pub tables: Vec<TableChange>,
}

/// A key whose canonical value differs; `None` where the key is absent (its default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueChange {
    pub key: String,
    /// The value as the canonical text writes it (`10.5`, `"Kéo giảm tội phạm"`, `{ … }`).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How a table of the regulation changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    /// Its name in the API (`added`, `removed`, `changed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One table of the regulation (`[[criterion]]` …) that differs, matched by kind and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableChange {
    /// The table's kind as the text names it: `element`, `indicator`, `area`, `criterion`,
    /// `bonus`, `penalty`, `band`, `funnel`, `rule`.
    pub table: String,
    pub id: String,
    pub change: Change,
    /// Its name (the newer one when both exist).
    pub name: String,
    /// The keys that differ; every key of an added or removed table.
    pub values: Vec<ValueChange>,
}

impl Covenant {
    /// The version that `version` follows (the one numbered just before it), if any.
    pub fn previous(&self, version: u32) -> Option<&CovenantVersion> {
        self.versions.iter().rev().find(|x| x.version < version)
    }

    /// What `version` changed from the version it follows; `None` for the first version (or
    /// an unknown one).
    pub fn changes(&self, version: u32) -> Option<CovenantDiff> {
        let after = self.version(version)?;
        self.previous(version).map(|before| diff(before, after))
    }

    /// What the latest amendment of draft `version` changed (`from` and `to` are both
    /// `version`); `None` when it was never amended.
    pub fn amendment_changes(&self, version: u32) -> Option<CovenantDiff> {
        let after = self.version(version)?;
        Some(diff(&after.before_amendment()?, after))
    }
}

impl CovenantVersion {
    /// The draft as it stood before its latest amendment (its content then, the rest as now);
    /// `None` when it was never amended.
    pub fn before_amendment(&self) -> Option<CovenantVersion> {
        let amended = self.amended.as_ref()?;
        Some(CovenantVersion {
            content: amended.before.clone(),
            ..self.clone()
        })
    }
}

/// What changed from version `a` to version `b` of a covenant.
pub fn diff(a: &CovenantVersion, b: &CovenantVersion) -> CovenantDiff {
    let (x, y) = (&a.content, &b.content);
    CovenantDiff {
        from: a.version,
        to: b.version,
        title: changed(&x.title, &y.title),
        place: changed(&x.place, &y.place),
        signing_date: changed(&x.signing_date, &y.signing_date),
        members_added: missing_from(&b.members, &a.members),
        members_removed: missing_from(&a.members, &b.members),
        targets: target_changes(x, y),
        regulation: (x.regulation.text != y.regulation.text).then(|| regulation_diff(x, y)),
    }
}

fn changed<T: Clone + PartialEq>(a: &T, b: &T) -> Option<(T, T)> {
    (a != b).then(|| (a.clone(), b.clone()))
}

/// The units of `these` that `those` lacks, in `these`' order.
fn missing_from(these: &[UnitId], those: &[UnitId]) -> Vec<UnitId> {
    these
        .iter()
        .filter(|u| !those.contains(u))
        .cloned()
        .collect()
}

/// The targets of `b` added or changed from `a` (in `b`'s order), then those `a` had and `b`
/// has not.
fn target_changes(a: &CovenantContent, b: &CovenantContent) -> Vec<TargetChange> {
    let mut out = Vec::new();
    for y in &b.targets {
        match a.targets.iter().find(|x| x.id == y.id) {
            None => out.push(TargetChange::Added(y.clone())),
            Some(x) if x != y => out.push(TargetChange::Changed {
                before: Box::new(x.clone()),
                after: Box::new(y.clone()),
                fields: target_fields(x, y),
            }),
            Some(_) => {}
        }
    }
    let removed = a
        .targets
        .iter()
        .filter(|x| !b.targets.iter().any(|y| y.id == x.id));
    out.extend(removed.cloned().map(TargetChange::Removed));
    out
}

/// The fields of two versions of a target that differ.
fn target_fields(x: &Target, y: &Target) -> Vec<&'static str> {
    let checks = [
        ("area", x.area != y.area),
        ("kind", x.kind != y.kind),
        ("subject", x.subject != y.subject),
        ("comparison", x.comparison != y.comparison),
        ("threshold", x.threshold != y.threshold),
        ("range", x.range != y.range),
        ("baseline_year", x.baseline_year != y.baseline_year),
        ("unit_of_measure", x.unit_of_measure != y.unit_of_measure),
        ("indicator", x.indicator != y.indicator),
    ];
    checks.into_iter().filter(|c| c.1).map(|c| c.0).collect()
}

/// What changed from the regulation of `a` to that of `b`, read from their canonical texts.
pub fn regulation_diff(a: &CovenantContent, b: &CovenantContent) -> RegulationDiff {
    let (old, new) = (sections(&a.regulation.text), sections(&b.regulation.text));
    let settings = |s: &[Section]| -> Vec<(String, String)> {
        s.iter()
            .filter(|x| x.id.is_none())
            .flat_map(|x| x.keyed_values())
            .collect()
    };
    RegulationDiff {
        sha256_before: a.regulation.sha256.clone(),
        sha256_after: b.regulation.sha256.clone(),
        settings: value_changes(&settings(&old), &settings(&new)),
        tables: table_changes(&old, &new),
    }
}

/// A part of a canonical regulation text: the top-level keys (no table), the `[rounding]`
/// table, or one entry of an array of tables with its id.
struct Section<'a> {
    table: &'a str,
    id: Option<String>,
    values: Vec<(&'a str, &'a str)>,
}

impl Section<'_> {
    /// Its values under keys that say which table they are in (`rounding.places`).
    fn keyed_values(&self) -> Vec<(String, String)> {
        self.values
            .iter()
            .map(|(k, v)| match self.table {
                "" => ((*k).to_owned(), (*v).to_owned()),
                t => (format!("{t}.{k}"), (*v).to_owned()),
            })
            .collect()
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn name(&self) -> String {
        self.value("name").map(unquote).unwrap_or_default()
    }
}

/// Splits a canonical regulation text into its sections: each line is a header (`[rounding]`,
/// `[[criterion]]`), a blank line or `key = value` (the canonical printer writes every value
/// on one line).
fn sections(text: &str) -> Vec<Section<'_>> {
    let mut out = vec![Section {
        table: "",
        id: None,
        values: Vec::new(),
    }];
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if let Some(h) = line.strip_prefix('[') {
            let table = h.trim_start_matches('[').trim_end_matches(']');
            out.push(Section {
                table,
                id: None,
                values: Vec::new(),
            });
        } else if let (Some(s), Some((k, v))) = (out.last_mut(), line.split_once(" = ")) {
            if k == "id" && s.table != "rounding" {
                s.id = Some(unquote(v));
            }
            s.values.push((k, v));
        }
    }
    out
}

/// A canonical TOML string's text (`"a \"b\""` → `a "b"`); anything else as it is.
pub fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                out.extend(c);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The keys whose values differ between two lists, in `b`'s order, then those only `a` has.
fn value_changes(a: &[(String, String)], b: &[(String, String)]) -> Vec<ValueChange> {
    let find = |list: &[(String, String)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for (key, after) in b {
        let before = find(a, key);
        if before.as_ref() != Some(after) {
            out.push(ValueChange {
                key: key.clone(),
                before,
                after: Some(after.clone()),
            });
        }
    }
    for (key, before) in a.iter().filter(|(k, _)| find(b, k).is_none()) {
        out.push(ValueChange {
            key: key.clone(),
            before: Some(before.clone()),
            after: None,
        });
    }
    out
}

/// The tables (with an id) added or changed in `new` (in its order), then those removed.
fn table_changes(old: &[Section], new: &[Section]) -> Vec<TableChange> {
    let owned = |s: &Section| -> Vec<(String, String)> {
        s.values
            .iter()
            .filter(|(k, _)| *k != "id")
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let same = |x: &Section, y: &Section| x.table == y.table && x.id == y.id;
    let mut out = Vec::new();
    for y in new.iter().filter(|y| y.id.is_some()) {
        let (change, before) = match old.iter().find(|x| same(x, y)) {
            Some(x) if x.values == y.values => continue,
            Some(x) => (Change::Changed, owned(x)),
            None => (Change::Added, Vec::new()),
        };
        out.push(table_change(y, change, value_changes(&before, &owned(y))));
    }
    for x in old.iter().filter(|x| x.id.is_some()) {
        if !new.iter().any(|y| same(x, y)) {
            out.push(table_change(
                x,
                Change::Removed,
                value_changes(&owned(x), &[]),
            ));
        }
    }
    out
}

fn table_change(s: &Section, change: Change, values: Vec<ValueChange>) -> TableChange {
    TableChange {
        table: s.table.to_owned(),
        id: s.id.clone().unwrap_or_default(),
        change,
        name: s.name(),
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparison, TargetKind};
    use crate::TargetId;
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;

    const REGULATION: &str = include_str!("../../../../examples/cum12-2024/regulation.toml");

    fn text(s: &str) -> Text {
        Text::parse("test", s, 300).unwrap()
    }

    fn target(id: &str, subject: &str, threshold: i64) -> Target {
        Target {
            id: TargetId::parse(id).unwrap(),
            area: text("Phòng, chống tội phạm"),
            kind: TargetKind::Rate,
            subject: text(subject),
            comparison: Comparison::Above,
            threshold: Some(Decimal::from(threshold)),
            range: None,
            baseline_year: None,
            unit_of_measure: Some(text("%")),
            indicator: None,
        }
    }

    fn version(version: u32, members: &[&str], content: CovenantContent) -> CovenantVersion {
        CovenantVersion {
            version,
            content,
            members: members.iter().map(|m| UnitId::parse(m).unwrap()).collect(),
            hash: String::new(),
            signatures: BTreeMap::new(),
            frozen_at: None,
            drafted_at: 0,
            withdrawn: None,
            amended: None,
        }
    }

    fn content(regulation: &str, targets: Vec<Target>) -> CovenantContent {
        CovenantContent {
            title: text("Giao ước thi đua năm 2024"),
            place: text("Rạch Giá"),
            signing_date: NaiveDate::from_ymd_opt(2024, 3, 26).unwrap(),
            targets,
            regulation: crate::covenant::regulation_doc(regulation).unwrap(),
        }
    }

    fn first() -> CovenantVersion {
        let targets = vec![
            target("t1", "Tỷ lệ điều tra, khám phá án", 75),
            target("t2", "Tỷ lệ giải quyết tố giác, tin báo", 90),
        ];
        version(1, &["ag", "cm"], content(REGULATION, targets))
    }

    /// A version that repeats the one before (brought back after a withdrawal) changes nothing.
    #[test]
    fn the_same_content_changes_nothing() {
        let a = first();
        let mut b = a.clone();
        b.version = 2;
        let d = diff(&a, &b);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!((d.from, d.to), (1, 2));
    }

    /// Targets matched by id: a threshold changed, one removed, one added; the title, the
    /// signing date and a member too.
    #[test]
    fn targets_fields_and_members_are_told_apart() {
        let a = first();
        let mut b = a.clone();
        b.version = 2;
        b.content.title = text("Giao ước thi đua năm 2024 (sửa đổi)");
        b.content.signing_date = NaiveDate::from_ymd_opt(2024, 4, 2).unwrap();
        b.content.targets = vec![
            target("t1", "Tỷ lệ điều tra, khám phá án", 80),
            target("t3", "Thu hồi tài sản trong các vụ án tham nhũng", 60),
        ];
        b.members.push(UnitId::parse("bl").unwrap());
        let d = diff(&a, &b);
        assert_eq!(
            d.title.as_ref().map(|t| t.1.as_str()),
            Some("Giao ước thi đua năm 2024 (sửa đổi)")
        );
        assert!(d.place.is_none());
        assert_eq!(
            d.signing_date.map(|s| s.0.to_string()),
            Some("2024-03-26".into())
        );
        assert_eq!(d.members_added, vec![UnitId::parse("bl").unwrap()]);
        assert!(d.members_removed.is_empty());
        assert!(d.regulation.is_none());
        let [TargetChange::Changed {
            before,
            after,
            fields,
        }, TargetChange::Added(added), TargetChange::Removed(removed)] = d.targets.as_slice()
        else {
            panic!("{:?}", d.targets);
        };
        assert_eq!(fields, &vec!["threshold"]);
        assert_eq!(
            (before.threshold, after.threshold),
            (Some(Decimal::from(75)), Some(Decimal::from(80)))
        );
        assert_eq!(added.id.as_str(), "t3");
        assert_eq!(removed.id.as_str(), "t2");
        assert!(!d.is_empty());
    }

    /// The regulation is compared table by table: a criterion's scale changed, a rule removed,
    /// another added and the regulation's name, each with the keys that differ.
    #[test]
    fn regulation_changes_are_listed_by_table_and_key() {
        let changed = REGULATION
            .replace(
                "target = -5, better = \"lower\", per = 2 }",
                "target = -7, better = \"lower\", per = 2 }",
            )
            .replace("(minh hoạ)\"", "(minh hoạ, sửa đổi)\"")
            .replace("id = \"tin_tiep_nhan\"", "id = \"tin_tiep_nhan_du\"");
        let a = first();
        let mut b = version(
            2,
            &["ag", "cm"],
            content(&changed, a.content.targets.clone()),
        );
        b.content.targets = a.content.targets.clone();
        let d = diff(&a, &b);
        let r = d.regulation.expect("the regulation changed");
        assert_ne!(r.sha256_before, r.sha256_after);
        assert_eq!(r.settings.len(), 1, "{:?}", r.settings);
        assert_eq!(r.settings[0].key, "name");
        assert!(r.settings[0].after.as_deref().unwrap().contains("sửa đổi"));
        let said: Vec<(&str, &str, Change)> = r
            .tables
            .iter()
            .map(|t| (t.table.as_str(), t.id.as_str(), t.change))
            .collect();
        assert_eq!(
            said,
            vec![
                ("criterion", "A1", Change::Changed),
                ("rule", "tin_tiep_nhan_du", Change::Added),
                ("rule", "tin_tiep_nhan", Change::Removed),
            ]
        );
        let a1 = &r.tables[0];
        assert_eq!(
            a1.name,
            "Kéo giảm tội phạm về trật tự xã hội ít nhất 5% so với năm 2023"
        );
        assert_eq!(a1.values.len(), 1, "{:?}", a1.values);
        assert_eq!(a1.values[0].key, "scale");
        assert!(a1.values[0]
            .before
            .as_deref()
            .unwrap()
            .contains("target = -5"));
        assert!(a1.values[0]
            .after
            .as_deref()
            .unwrap()
            .contains("target = -7"));
        let removed = &r.tables[2];
        assert!(removed.values.iter().all(|v| v.after.is_none()));
        assert!(removed.values.iter().any(|v| v.key == "check"));
        assert_eq!(
            removed.name,
            "Tin đã tiếp nhận không vượt quá tin phải tiếp nhận"
        );
    }

    /// The points of an area and the rounding are settings and tables like the others.
    #[test]
    fn points_and_rounding_are_compared_too() {
        let a = "total = 100\n\n[rounding]\nplaces = 2\n\n[[area]]\nid = \"A\"\nname = \"Á\"\npoints = 40\n";
        let b = "total = 100\n\n[rounding]\nplaces = 1\n\n[[area]]\nid = \"A\"\nname = \"Á\"\npoints = 40.5\n";
        let (old, new) = (sections(a), sections(b));
        let settings = |s: &[Section]| -> Vec<(String, String)> {
            s.iter()
                .filter(|x| x.id.is_none())
                .flat_map(|x| x.keyed_values())
                .collect()
        };
        let changes = value_changes(&settings(&old), &settings(&new));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].key, "rounding.places");
        let tables = table_changes(&old, &new);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].values[0].key, "points");
        assert_eq!(tables[0].values[0].before.as_deref(), Some("40"));
        assert_eq!(tables[0].values[0].after.as_deref(), Some("40.5"));
    }

    #[test]
    fn unquote_reads_canonical_strings() {
        assert_eq!(unquote("\"a \\\"b\\\" \\\\ c\\u00E1\""), "a \"b\" \\ cá");
        assert_eq!(unquote("40.5"), "40.5");
    }
}
