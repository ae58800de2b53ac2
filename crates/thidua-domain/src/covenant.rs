//! Covenants: drafting a version, amending or withdrawing a draft, proposing a new version after
//! one was frozen, each member's signature, and the freezing that follows the last one. Its
//! commands are decided by [`decide`] and its events folded by `State::apply_covenant`, each
//! dispatching to one function per command or event kind. What one version changed from the
//! version it follows is [`mod@diff`]'s.

pub mod agreement;
pub mod diff;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::authz::{authorise, Permission};
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId};
use crate::model::{CovenantContent, RegulationDoc};
use crate::state::{Amendment, Covenant, CovenantVersion, SignatureRecord, State, Withdrawal};
use crate::text::{limits, Text};
use crate::wire::covenant_hash;

/// Checks a covenant command and turns it into its events, through the command's own function.
/// Each authorises the actor before telling them anything about the state beyond the covenant's
/// existence (its cluster is needed to authorise), then checks the fields. Whether the covenant
/// is in a state that allows the events, and (again) whether the actor may, is checked when they
/// are applied.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    use Command as C;
    match command {
        C::DraftCovenant {
            covenant,
            movement,
            cluster,
            content,
        } => draft_covenant(state, actor, covenant, movement, cluster, content),
        C::AmendCovenantDraft { covenant, content } => {
            amend_covenant_draft(state, actor, covenant, content)
        }
        C::ProposeCovenantVersion { covenant, content } => {
            propose_covenant_version(state, actor, covenant, content)
        }
        C::WithdrawCovenantDraft { covenant, reason } => {
            withdraw_covenant_draft(state, actor, covenant, reason)
        }
        C::SignCovenant {
            covenant,
            version,
            unit,
            hash,
        } => sign_covenant(state, actor, covenant, version, unit, hash),
        other => unreachable!("not a covenant command: {other:?}"),
    }
}

/// Refused unless the actor manages `cluster`.
fn manage(state: &State, actor: &Actor, cluster: &ClusterId) -> Result<(), DomainError> {
    authorise(state, actor, &Permission::ManageCluster(cluster.clone()))
}

/// Drafts version 1: (the cluster's manager) valid content that every member of the cluster's
/// year of the movement can sign on its signing date.
fn draft_covenant(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    movement: MovementId,
    cluster: ClusterId,
    content: CovenantContent,
) -> Result<Vec<Payload>, DomainError> {
    manage(state, actor, &cluster)?;
    let year = state.movement(&movement)?.year;
    if state.covenants.contains_key(&covenant) {
        return Err(DomainError::CovenantExists(covenant.to_string()));
    }
    one_covenant_for_the_year(state, &cluster, &movement, &covenant)?;
    validate_content(&content, year)?;
    members_active_on_signing_date(state, state.members(&cluster, year)?, &content)?;
    Ok(vec![Payload::CovenantDrafted {
        covenant,
        movement,
        cluster,
        version: 1,
        content,
    }])
}

/// Refused when the cluster has a covenant under `movement` other than `covenant` that is not
/// withdrawn: one covenant per cluster and movement, whether drafted anew or brought back by a
/// new version of a withdrawn one.
fn one_covenant_for_the_year(
    state: &State,
    cluster: &ClusterId,
    movement: &MovementId,
    covenant: &CovenantId,
) -> Result<(), DomainError> {
    let other = state.covenants.values().find(|c| {
        &c.cluster == cluster
            && &c.movement == movement
            && &c.id != covenant
            && c.latest().withdrawn.is_none()
    });
    match other {
        Some(existing) => Err(DomainError::CovenantForYearExists {
            existing: existing.id.to_string(),
        }),
        None => Ok(()),
    }
}

/// Amends the latest draft: (the cluster's manager) valid content, changed, that the draft's
/// members can sign on its signing date.
fn amend_covenant_draft(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    content: CovenantContent,
) -> Result<Vec<Payload>, DomainError> {
    let c = state.covenant(&covenant)?;
    manage(state, actor, &c.cluster)?;
    if c.latest().content == content {
        return Err(DomainError::CovenantUnchanged(covenant.to_string()));
    }
    validate_content(&content, c.year)?;
    members_active_on_signing_date(state, &c.latest().members, &content)?;
    Ok(vec![Payload::CovenantDraftAmended {
        version: c.latest().version,
        covenant,
        content,
    }])
}

/// Proposes the next version: (the cluster's manager) valid content that the cluster's current
/// members of the covenant's year can sign on its signing date. It follows a frozen or
/// withdrawn version, or supersedes one that some members have signed (their signatures lapse
/// with it); never once the year-end review of the covenant has opened. A version that changes
/// nothing of one in force or being signed is refused (it would only cancel signatures), and a
/// withdrawn covenant comes back only while the cluster has no other for the movement.
fn propose_covenant_version(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    content: CovenantContent,
) -> Result<Vec<Payload>, DomainError> {
    let c = state.covenant(&covenant)?;
    manage(state, actor, &c.cluster)?;
    if state.yearend.reviews.contains_key(&covenant) {
        return Err(DomainError::CovenantUnderReview(covenant.to_string()));
    }
    let latest = c.latest();
    match latest.withdrawn {
        Some(_) => one_covenant_for_the_year(state, &c.cluster, &c.movement, &covenant)?,
        None if latest.content == content => {
            return Err(DomainError::CovenantUnchanged(covenant.to_string()))
        }
        None => {}
    }
    validate_content(&content, c.year)?;
    members_active_on_signing_date(state, state.members(&c.cluster, c.year)?, &content)?;
    Ok(vec![Payload::CovenantDrafted {
        movement: c.movement.clone(),
        cluster: c.cluster.clone(),
        version: c.latest().version + 1,
        covenant,
        content,
    }])
}

/// Withdraws the latest draft: (the cluster's manager) a reason within its limit.
fn withdraw_covenant_draft(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    reason: Text,
) -> Result<Vec<Payload>, DomainError> {
    let c = state.covenant(&covenant)?;
    manage(state, actor, &c.cluster)?;
    reason.check("reason", limits::REASON)?;
    Ok(vec![Payload::CovenantDraftWithdrawn {
        version: c.latest().version,
        covenant,
        reason,
    }])
}

/// A signature (by the unit's leader, of a unit active on the signing date), and the freezing
/// when it is the last one missing.
fn sign_covenant(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    version: u32,
    unit: UnitId,
    hash: String,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
    let c = state.covenant(&covenant)?;
    let v = c
        .version(version)
        .ok_or_else(|| DomainError::UnknownVersion {
            covenant: covenant.to_string(),
            version,
        })?;
    let signing_date = v.content.signing_date;
    if state.unit(&unit).is_ok_and(|u| !u.active_on(signing_date)) {
        return Err(state.inactive(&unit, signing_date));
    }
    // A draft written before regulations were checked (against the engine, the covenant's
    // year) is not signed as it is: the secretariat amends it first. Nobody signs a
    // regulation the engine cannot score.
    let compiled = thidua_scoring::compile(&v.content.regulation.text)
        .map_err(|d| DomainError::InvalidRegulation(d.to_string()))?;
    check_regulation_year(compiled.ast(), c.year)?;
    let everyone = v
        .members
        .iter()
        .all(|m| m == &unit || v.signatures.contains_key(m));
    let mut events = vec![Payload::CovenantSigned {
        covenant: covenant.clone(),
        version,
        unit,
        hash: hash.clone(),
    }];
    if everyone {
        events.push(Payload::CovenantFrozen {
            covenant,
            version,
            hash,
        });
    }
    Ok(events)
}

/// Every member of a covenant must exist on the day it is to be signed.
fn members_active_on_signing_date(
    state: &State,
    members: &[UnitId],
    content: &CovenantContent,
) -> Result<(), DomainError> {
    for m in members {
        if !state.unit(m)?.active_on(content.signing_date) {
            return Err(state.inactive(m, content.signing_date));
        }
    }
    Ok(())
}

/// The rules a covenant's content obeys before it can be signed: texts within their limits, a
/// signing date in the movement's `year`, targets that mean what they say
/// ([`crate::target::problems`]), and a scoring regulation that the engine compiles, stored in
/// its canonical form under its own hash. The first of [`content_problems`] is the refusal.
pub fn validate_content(content: &CovenantContent, year: i32) -> Result<(), DomainError> {
    match content_problems(content, year).into_iter().next() {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

/// Every problem of a covenant's content, each with the field it is in (`title`, `place`,
/// `signing_date`, `regulation`, `targets[i].field`), in that order: what [`validate_content`]
/// refuses first, and what the API lists so that a client mends them all at once.
pub fn content_problems(content: &CovenantContent, year: i32) -> Vec<(String, DomainError)> {
    let mut out = Vec::new();
    let mut note = |field: &str, checked: Result<(), DomainError>| {
        if let Err(e) = checked {
            out.push((field.to_owned(), e));
        }
    };
    note("title", content.title.check_line("title", limits::TITLE));
    note("place", content.place.check_line("place", limits::PLACE));
    note(
        "signing_date",
        check_signing_date(content.signing_date, year),
    );
    let indicators = validate_regulation(content, year);
    let cx = crate::target::Context {
        year,
        indicators: indicators.as_ref().ok(),
    };
    if let Err(e) = indicators.as_ref() {
        out.push(("regulation".to_owned(), e.clone()));
    }
    for p in crate::target::problems(&content.targets, &cx) {
        out.push((format!("targets[{}].{}", p.index, p.field), p.error));
    }
    out
}

/// A covenant of the movement of `year` is signed between 1 January of the year before and the
/// end of the reporting year (14 December).
pub fn check_signing_date(date: NaiveDate, year: i32) -> Result<(), DomainError> {
    let first = NaiveDate::from_ymd_opt(year - 1, 1, 1);
    let last = crate::org::year_bounds(year).1;
    if first.is_some_and(|f| f <= date) && date <= last {
        Ok(())
    } else {
        Err(DomainError::SigningDateOutOfRange {
            date: date.to_string(),
            year,
        })
    }
}

/// The ids of the indicators and data elements of a regulation text, if it compiles (for the
/// forms that let a target name the indicator measuring it).
pub fn regulation_indicators(text: &str) -> Option<Vec<(String, String)>> {
    let compiled = thidua_scoring::compile(text).ok()?;
    let ast = compiled.ast();
    Some(
        ast.indicators
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .chain(ast.elements.iter().map(|e| (e.id.clone(), e.name.clone())))
            .collect(),
    )
}

/// Compiles a scoring regulation as typed or uploaded into what a covenant carries: its
/// canonical text and that text's SHA-256. The one way the UI, the API clients and the
/// demonstration attach a regulation.
pub fn regulation_doc(raw: &str) -> Result<RegulationDoc, DomainError> {
    let compiled =
        thidua_scoring::compile(raw).map_err(|d| DomainError::InvalidRegulation(d.to_string()))?;
    Ok(RegulationDoc {
        text: compiled.canonical_text().to_owned(),
        sha256: compiled.hash_hex(),
    })
}

/// Whether a regulation is written for a covenant of `year`: its `year` is the covenant's (its
/// default period is checked against it when compiled) and its `baseline_year`, what
/// `@baseline` compares with, an earlier one. A copy of last year's regulation otherwise keeps
/// scoring against last year's baseline. Checked when a covenant is drafted, amended or
/// signed (in `decide`: logs written before this rule replay as they were).
pub fn check_regulation_year(
    ast: &thidua_scoring::ast::Regulation,
    year: i32,
) -> Result<(), DomainError> {
    if ast.year != year {
        return Err(DomainError::RegulationYear {
            field: "year",
            found: ast.year,
            year,
        });
    }
    match ast.baseline_year {
        Some(b) if b >= year => Err(DomainError::RegulationYear {
            field: "baseline_year",
            found: b,
            year,
        }),
        _ => Ok(()),
    }
}

/// Compiles the regulation: it must be valid, canonical, carry its own SHA-256 and be written
/// for the covenant's `year` ([`check_regulation_year`]). Returns the ids of its indicators and
/// data elements.
fn validate_regulation(
    content: &CovenantContent,
    year: i32,
) -> Result<crate::target::Indicators, DomainError> {
    let doc = &content.regulation;
    let compiled = thidua_scoring::compile(&doc.text)
        .map_err(|d| DomainError::InvalidRegulation(d.to_string()))?;
    if compiled.canonical_text() != doc.text {
        return Err(DomainError::RegulationNotCanonical);
    }
    if compiled.hash_hex() != doc.sha256 {
        return Err(DomainError::InvalidValue {
            field: "regulation",
            reason: "sha256 does not match the regulation text".into(),
        });
    }
    let ast = compiled.ast();
    check_regulation_year(ast, year)?;
    let elements: Vec<String> = ast.elements.iter().map(|e| e.id.clone()).collect();
    for rule in crate::figures::regulation_rules(ast)? {
        crate::figures::rules::compile(&rule, &elements)?;
    }
    Ok(crate::target::indicators_of(ast))
}

/// The indicators and data elements of a regulation text with what each measures, if it
/// compiles (for the forms that judge the targets naming them as `decide` does).
pub fn regulation_measures(text: &str) -> Option<crate::target::Indicators> {
    thidua_scoring::compile(text)
        .ok()
        .map(|compiled| crate::target::indicators_of(compiled.ast()))
}

impl State {
    /// Folds a covenant event after checking that it fits the covenant's state.
    pub(crate) fn apply_covenant(&mut self, event: &Event) -> Result<(), DomainError> {
        use Payload as P;
        match &event.payload {
            P::CovenantDrafted {
                covenant,
                movement,
                cluster,
                version,
                content,
            } => self.apply_covenant_drafted(event, covenant, movement, cluster, *version, content),
            P::CovenantDraftAmended {
                covenant,
                version,
                content,
            } => self.apply_covenant_draft_amended(event, covenant, *version, content),
            P::CovenantDraftWithdrawn {
                covenant,
                version,
                reason,
            } => self.apply_covenant_draft_withdrawn(event, covenant, *version, reason),
            P::CovenantSigned {
                covenant,
                version,
                unit,
                hash,
            } => self.apply_covenant_signed(event, covenant, *version, unit, hash),
            P::CovenantFrozen {
                covenant,
                version,
                hash,
            } => self.apply_covenant_frozen(event, covenant, *version, hash),
            other => unreachable!("not a covenant event: {}", other.kind()),
        }
    }

    /// A drafted version over the cluster's members of the movement's year (who must exist):
    /// version 1 creates the covenant, a later one follows a frozen or withdrawn one.
    fn apply_covenant_drafted(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        movement: &MovementId,
        cluster: &ClusterId,
        version: u32,
        content: &CovenantContent,
    ) -> Result<(), DomainError> {
        let year = self.movement(movement)?.year;
        let members = self.members(cluster, year)?.to_vec();
        if members.is_empty() {
            return Err(DomainError::NoClusterYear {
                cluster: cluster.to_string(),
                year,
            });
        }
        self.check_new_version(covenant, movement, cluster, version)?;
        let draft = CovenantVersion {
            version,
            hash: covenant_hash(
                covenant, version, movement, cluster, year, &members, content,
            ),
            content: content.clone(),
            members,
            signatures: BTreeMap::new(),
            frozen_at: None,
            drafted_at: event.index,
            withdrawn: None,
            amended: None,
        };
        match self.covenants.get_mut(covenant) {
            Some(c) => c.versions.push(draft),
            None => {
                self.covenants.insert(
                    covenant.clone(),
                    Covenant {
                        id: covenant.clone(),
                        movement: movement.clone(),
                        cluster: cluster.clone(),
                        year,
                        versions: vec![draft],
                    },
                );
            }
        }
        Ok(())
    }

    /// An amended draft: new content, and its hash, for the open latest version nobody signed.
    fn apply_covenant_draft_amended(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        version: u32,
        content: &CovenantContent,
    ) -> Result<(), DomainError> {
        let c = self.covenant(covenant)?;
        self.check_unsigned_draft(c, version)?;
        let (movement, cluster, year) = (c.movement.clone(), c.cluster.clone(), c.year);
        let v = self.latest_mut(covenant);
        v.hash = covenant_hash(
            covenant, version, &movement, &cluster, year, &v.members, content,
        );
        let before = std::mem::replace(&mut v.content, content.clone());
        v.amended = Some(Amendment {
            index: event.index,
            time_ms: event.time_ms,
            before,
        });
        Ok(())
    }

    /// A withdrawn draft: the open latest version nobody signed can no longer be signed.
    fn apply_covenant_draft_withdrawn(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        version: u32,
        reason: &Text,
    ) -> Result<(), DomainError> {
        self.check_unsigned_draft(self.covenant(covenant)?, version)?;
        self.latest_mut(covenant).withdrawn = Some(Withdrawal {
            index: event.index,
            time_ms: event.time_ms,
            reason: reason.clone(),
        });
        Ok(())
    }

    /// A member's signature of the open latest version, under its hash.
    fn apply_covenant_signed(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        version: u32,
        unit: &UnitId,
        hash: &str,
    ) -> Result<(), DomainError> {
        self.check_signature(covenant, version, unit, hash)?;
        self.latest_mut(covenant).signatures.insert(
            unit.clone(),
            SignatureRecord {
                signer: event.actor.clone(),
                index: event.index,
                time_ms: event.time_ms,
            },
        );
        Ok(())
    }

    /// The freezing of the open latest version once every member signed it, under its hash.
    fn apply_covenant_frozen(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        version: u32,
        hash: &str,
    ) -> Result<(), DomainError> {
        let c = self.covenant(covenant)?;
        let v = self.open_latest(c, version)?;
        let unsigned = v.members.iter().find(|m| !v.signatures.contains_key(*m));
        if let Some(m) = unsigned {
            return Err(DomainError::InvalidValue {
                field: "covenant",
                reason: format!("{covenant} version {version} cannot freeze: {m} has not signed"),
            });
        }
        if hash != v.hash {
            return Err(DomainError::HashMismatch {
                expected: v.hash.clone(),
            });
        }
        self.latest_mut(covenant).frozen_at = Some(event.index);
        Ok(())
    }

    fn latest_mut(&mut self, covenant: &CovenantId) -> &mut CovenantVersion {
        self.covenants
            .get_mut(covenant)
            .and_then(|c| c.versions.last_mut())
            .expect("checked before")
    }

    /// Version 1 creates the covenant; a later version follows a frozen or withdrawn one of the
    /// same covenant, movement and cluster, or supersedes an open one that has signatures (an
    /// unsigned draft is amended or withdrawn instead).
    fn check_new_version(
        &self,
        covenant: &CovenantId,
        movement: &MovementId,
        cluster: &ClusterId,
        version: u32,
    ) -> Result<(), DomainError> {
        let Some(c) = self.covenants.get(covenant) else {
            return if version == 1 {
                Ok(())
            } else {
                Err(DomainError::UnknownCovenant(covenant.to_string()))
            };
        };
        let latest = c.latest();
        if version == 1 {
            return Err(DomainError::CovenantExists(covenant.to_string()));
        }
        if latest.is_open() && latest.signatures.is_empty() {
            return Err(DomainError::CovenantNotFrozen {
                covenant: covenant.to_string(),
                version: latest.version,
            });
        }
        if version != latest.version + 1 || &c.movement != movement || &c.cluster != cluster {
            return Err(DomainError::InvalidValue {
                field: "version",
                reason: format!(
                    "{covenant}: version {version} does not follow version {} of the same movement and cluster",
                    latest.version
                ),
            });
        }
        Ok(())
    }

    /// The latest version, still open for signatures, numbered `version`.
    fn open_latest<'a>(
        &self,
        c: &'a Covenant,
        version: u32,
    ) -> Result<&'a CovenantVersion, DomainError> {
        let v = c
            .version(version)
            .ok_or_else(|| DomainError::UnknownVersion {
                covenant: c.id.to_string(),
                version,
            })?;
        if v.frozen_at.is_some() {
            return Err(DomainError::CovenantFrozen {
                covenant: c.id.to_string(),
                version,
            });
        }
        if v.withdrawn.is_some() {
            return Err(DomainError::CovenantWithdrawn {
                covenant: c.id.to_string(),
                version,
            });
        }
        if version != c.latest().version {
            return Err(DomainError::InvalidValue {
                field: "version",
                reason: format!(
                    "version {version} has been superseded by version {}",
                    c.latest().version
                ),
            });
        }
        Ok(v)
    }

    /// An open latest version that nobody has signed yet.
    fn check_unsigned_draft(&self, c: &Covenant, version: u32) -> Result<(), DomainError> {
        let v = self.open_latest(c, version)?;
        if !v.signatures.is_empty() {
            return Err(DomainError::CovenantHasSignatures {
                covenant: c.id.to_string(),
                version,
            });
        }
        Ok(())
    }

    fn check_signature(
        &self,
        covenant: &CovenantId,
        version: u32,
        unit: &UnitId,
        hash: &str,
    ) -> Result<(), DomainError> {
        let c = self.covenant(covenant)?;
        let v = match self.open_latest(c, version) {
            Err(DomainError::CovenantFrozen { .. })
                if c.version(version)
                    .is_some_and(|v| v.signatures.contains_key(unit)) =>
            {
                return Err(DomainError::AlreadySigned {
                    covenant: covenant.to_string(),
                    version,
                    unit: unit.to_string(),
                })
            }
            other => other?,
        };
        if !v.members.contains(unit) {
            return Err(DomainError::NotMember {
                cluster: c.cluster.to_string(),
                unit: unit.to_string(),
                year: c.year,
            });
        }
        if v.signatures.contains_key(unit) {
            return Err(DomainError::AlreadySigned {
                covenant: covenant.to_string(),
                version,
                unit: unit.to_string(),
            });
        }
        if hash != v.hash {
            return Err(DomainError::HashMismatch {
                expected: v.hash.clone(),
            });
        }
        Ok(())
    }
}
