//! The demonstration's 2024 vote of Cluster No. 12 (INVENTED), after the year's results are
//! published (`demo_yearend`): the candidates are the published ranking's eligible units (Bạc
//! Liêu, with an invented discipline record pending, is not one). The award votes go highest
//! first, as the vote form advises (one achievement earns one award): the secretariat opens the
//! vote on proposing the Government's emulation flag (one seat, 80% of the total membership,
//! quorum two thirds, trustees 3 of 5); the five trustees generate the key; the five leaders
//! vote; the secretariat closes the round; three of the five trustees (Kiên Giang, Hậu Giang, Cà
//! Mau) decrypt the totals: Kiên Giang, first in the ranking, is proposed with four approvals of
//! five. One program plays every trustee and voter here (`thidua_domain::votes::rehearsal`):
//! demonstration only. A second vote, on the Ministry's flag (two seats, among the eligible
//! units not proposed already), is left open with its key ready, so that leaders can try the
//! ballot page.

use rand_core::RngCore;
use thidua_ballot::Selection;
use thidua_domain::votes::rehearsal::Rehearsal;
use thidua_domain::votes::{AwardKind, Fraction, VoteCommand};
use thidua_domain::{Actor, ClusterId, Command, ElectionId, Text, UnitId, UserId};
use thidua_service::Service;

/// The counted vote: the Government's flag.
pub const FLAG_VOTE: &str = "co-thi-dua-chinh-phu-2024";
/// The vote left open: the Ministry's flag.
pub const OPEN_VOTE: &str = "co-thi-dua-bo-cong-an-2024";

fn t(s: &str) -> Text {
    Text::parse("demo", s, 1000).expect("demo text is valid")
}
fn unit(s: &str) -> UnitId {
    UnitId::parse(s).expect("demo id")
}
fn leader(u: &UnitId) -> Actor {
    Actor::User(UserId::parse(&format!("lanhdao.{}", &u.as_str()[3..])).expect("demo id"))
}
fn secretariat() -> Actor {
    Actor::User(UserId::parse("thuky.cum12").expect("demo id"))
}
fn seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut seed);
    seed
}

/// The secret states of the open vote's trustees (one per member unit), which the program that
/// ran their ceremony hands over so that the demonstration's leaders can decrypt that vote.
pub struct OpenVoteTrustees(Vec<(UnitId, thidua_ballot::Trustee)>);

/// The folder, in the demonstration's data directory, of the open vote's trustee files.
pub const TRUSTEES_DIR: &str = "demo-trustees";

impl OpenVoteTrustees {
    /// Writes `DATA/demo-trustees/{unit}.json` (owner-only), each as `thidua trustee` keeps its
    /// state, and says how to decrypt with them.
    pub fn write(&self, data: &std::path::Path) -> anyhow::Result<()> {
        let dir = data.join(TRUSTEES_DIR);
        std::fs::create_dir_all(&dir)?;
        for (unit, trustee) in &self.0 {
            let path = dir.join(format!("{unit}.json"));
            crate::cmd::vote::save_trustee_state(&path, trustee)?;
        }
        Ok(())
    }
}

/// Records the standings and runs both votes; returns the open vote's trustees.
pub fn load(service: &Service) -> anyhow::Result<OpenVoteTrustees> {
    let cluster = ClusterId::parse(crate::demo::CLUSTER)?;
    let flag = open(
        service,
        &cluster,
        FLAG_VOTE,
        AwardKind::GovernmentFlag,
        "Đề nghị tặng Cờ thi đua của Chính phủ năm 2024 (minh hoạ)",
        1,
    )?;
    let mut rehearsal = ceremony(service, &flag)?;
    let choices: [(&str, &[&str]); 5] = [
        ("ca-kg", &["ca-kg"]),
        ("ca-ag", &["ca-kg"]),
        ("ca-hg", &["ca-kg"]),
        ("ca-cm", &["ca-ag"]),
        ("ca-bl", &["ca-kg"]),
    ];
    for (voter, approved) in choices {
        let e = service.read().election(&flag)?.clone();
        let u = unit(voter);
        let candidates = &e.rounds[0].candidates;
        let positions = approved
            .iter()
            .map(|a| {
                candidates
                    .iter()
                    .position(|c| c.as_str() == *a)
                    .expect("a candidate") as u32
            })
            .collect();
        let register = rehearsal.voter_key(&e, &u);
        let ballot = rehearsal.ballot(&e, &u, &Selection::Approve(positions));
        service.execute_all(
            &leader(&u),
            vec![Command::Vote(register), Command::Vote(ballot)],
        )?;
    }
    service.execute(
        &secretariat(),
        Command::Vote(VoteCommand::CloseRound {
            election: flag.clone(),
            round: 1,
        }),
    )?;
    for trustee in ["ca-kg", "ca-hg", "ca-cm"] {
        let e = service.read().election(&flag)?.clone();
        let u = unit(trustee);
        let shares = rehearsal.decryption(&e, 1, &u);
        service.execute(&leader(&u), Command::Vote(shares))?;
    }
    let open_vote = open(
        service,
        &cluster,
        OPEN_VOTE,
        AwardKind::MinistryFlag,
        "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024 (minh hoạ)",
        2,
    )?;
    let rehearsal = ceremony(service, &open_vote)?;
    let e = service.read().election(&open_vote)?.clone();
    let trustees = e
        .members
        .iter()
        .enumerate()
        .map(|(i, u)| (u.clone(), rehearsal.trustee(i).clone()))
        .collect();
    Ok(OpenVoteTrustees(trustees))
}

fn open(
    service: &Service,
    cluster: &ClusterId,
    id: &str,
    award: AwardKind,
    title: &str,
    seats: u32,
) -> anyhow::Result<ElectionId> {
    let election = ElectionId::parse(id)?;
    service.execute(
        &secretariat(),
        Command::Vote(VoteCommand::OpenElection {
            election: election.clone(),
            cluster: cluster.clone(),
            year: 2024,
            award,
            title: t(title),
            seats,
            approval: Fraction { num: 4, den: 5 },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 3,
        }),
    )?;
    Ok(election)
}

fn ceremony(service: &Service, election: &ElectionId) -> anyhow::Result<Rehearsal> {
    let e = service.read().election(election)?.clone();
    let (rehearsal, commands) = Rehearsal::ceremony(&e, seed());
    for (u, command) in commands {
        service.execute(&leader(&u), Command::Vote(command))?;
    }
    Ok(rehearsal)
}
