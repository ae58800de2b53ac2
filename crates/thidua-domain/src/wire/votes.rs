//! Format 1 of the vote kinds (`standing_recorded` … `election_concluded`), and format 2
//! of `tie_decided` (format 1 and `deputy_silent`, always written), frozen. The
//! cryptographic parts (commitments, reveals, sealed shares, confirmations, complaints,
//! ballots, decryption shares) are written in the JSON form of `thidua_ballot`'s types, which
//! rest on `elastic-elgamal` pinned to exactly 0.4.0-beta.1: its points and scalars are
//! base64url strings without padding, its proofs objects of them (`docs/ballot-cryptography.md`
//! lists every shape). A new crate version that changed a shape would need a new format here.

use serde::{Deserialize, Serialize};
use thidua_ballot::{
    Ballot, Commitment, Complaint, DecryptionShares, KeyConfirmation, PolynomialReveal,
    SealedShares, VoterKey,
};

use crate::ids::{ClusterId, ElectionId, UnitId};
use crate::text::Text;
use crate::votes::{self, VoteEvent};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    GovernmentFlag,
    MinistryFlag,
    Certificate,
    Head,
    Deputy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "step",
    content = "message",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum CeremonyMessage {
    Commit(Commitment),
    Reveal(PolynomialReveal),
    Deal(SealedShares),
    Confirm(KeyConfirmation),
    Complain(Complaint),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCount {
    pub approvals: Vec<u32>,
    pub abstentions: u32,
    pub issued: u32,
    pub returned: u32,
    pub invalid: u32,
    pub counting_team: Vec<Text>,
    pub note: Option<Text>,
}

/// The data of each vote kind, format 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VoteData {
    StandingRecorded {
        cluster: ClusterId,
        year: i32,
        unit: UnitId,
        rank: u32,
        eligible: bool,
        basis: Text,
    },
    ElectionOpened {
        election: ElectionId,
        cluster: ClusterId,
        year: i32,
        award: AwardKind,
        title: Text,
        candidates: Vec<UnitId>,
        seats: u32,
        approval: Fraction,
        quorum: Fraction,
        members: Vec<UnitId>,
        trustee_threshold: u32,
    },
    CeremonyPosted {
        election: ElectionId,
        attempt: u32,
        unit: UnitId,
        message: CeremonyMessage,
    },
    VoterKeyRegistered {
        election: ElectionId,
        unit: UnitId,
        key: VoterKey,
    },
    BallotCast {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        ballot: Box<Ballot>,
    },
    RoundClosed {
        election: ElectionId,
        round: u32,
    },
    DecryptionPosted {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        shares: DecryptionShares,
    },
    RoundCounted {
        election: ElectionId,
        round: u32,
        approvals: Vec<u32>,
        abstentions: u32,
    },
    SecondRoundOpened {
        election: ElectionId,
        candidates: Vec<UnitId>,
        seats: u32,
    },
    TieDecided {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        chosen: Vec<UnitId>,
        decision: Text,
    },
    PaperCountRecorded {
        election: ElectionId,
        round: u32,
        count: PaperCount,
    },
    PaperCountConfirmed {
        election: ElectionId,
        round: u32,
        unit: UnitId,
    },
    PaperCountWithdrawn {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    ElectronicCountAbandoned {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    ElectionCancelled {
        election: ElectionId,
        reason: Text,
    },
    ElectionConcluded {
        election: ElectionId,
        reason: Text,
    },
}

/// Decodes the `data` of vote kind `kind` (format 1) into the event and its value encoded again.
pub(super) fn decode(kind: &str, data: serde_json::Value) -> Option<super::Decoded> {
    macro_rules! strict {
        ($variant:ident { $($field:ident : $ty:ty),* $(,)? }) => {{
            #[derive(Serialize, Deserialize)]
            #[serde(deny_unknown_fields)]
            struct W { $($field: $ty),* }
            (|| -> super::Decoded {
                let w: W = serde_json::from_value(data)?;
                let again = serde_json::to_value(&w)?;
                Ok((super::Payload::Vote(from_wire(VoteData::$variant { $($field: w.$field),* })), again))
            })()
        }};
    }
    Some(match kind {
        "standing_recorded" => strict!(StandingRecorded {
            cluster: ClusterId,
            year: i32,
            unit: UnitId,
            rank: u32,
            eligible: bool,
            basis: Text
        }),
        "election_opened" => {
            strict!(ElectionOpened { election: ElectionId, cluster: ClusterId, year: i32, award: AwardKind, title: Text, candidates: Vec<UnitId>, seats: u32, approval: Fraction, quorum: Fraction, members: Vec<UnitId>, trustee_threshold: u32 })
        }
        "ceremony_posted" => strict!(CeremonyPosted {
            election: ElectionId,
            attempt: u32,
            unit: UnitId,
            message: CeremonyMessage
        }),
        "voter_key_registered" => strict!(VoterKeyRegistered {
            election: ElectionId,
            unit: UnitId,
            key: VoterKey
        }),
        "ballot_cast" => {
            strict!(BallotCast { election: ElectionId, round: u32, unit: UnitId, ballot: Box<Ballot> })
        }
        "round_closed" => strict!(RoundClosed {
            election: ElectionId,
            round: u32
        }),
        "decryption_posted" => strict!(DecryptionPosted {
            election: ElectionId,
            round: u32,
            unit: UnitId,
            shares: DecryptionShares
        }),
        "round_counted" => {
            strict!(RoundCounted { election: ElectionId, round: u32, approvals: Vec<u32>, abstentions: u32 })
        }
        "second_round_opened" => {
            strict!(SecondRoundOpened { election: ElectionId, candidates: Vec<UnitId>, seats: u32 })
        }
        "tie_decided" => {
            strict!(TieDecided { election: ElectionId, round: u32, unit: UnitId, chosen: Vec<UnitId>, decision: Text })
        }
        "paper_count_recorded" => strict!(PaperCountRecorded {
            election: ElectionId,
            round: u32,
            count: PaperCount
        }),
        "paper_count_confirmed" => strict!(PaperCountConfirmed {
            election: ElectionId,
            round: u32,
            unit: UnitId
        }),
        "paper_count_withdrawn" => strict!(PaperCountWithdrawn {
            election: ElectionId,
            round: u32,
            reason: Text
        }),
        "electronic_count_abandoned" => strict!(ElectronicCountAbandoned {
            election: ElectionId,
            round: u32,
            reason: Text
        }),
        "election_cancelled" => strict!(ElectionCancelled {
            election: ElectionId,
            reason: Text
        }),
        "election_concluded" => strict!(ElectionConcluded {
            election: ElectionId,
            reason: Text
        }),
        _ => return None,
    })
}

/// `tie_decided` format 2: format 1's fields and `deputy_silent`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TieDecided2 {
    pub election: ElectionId,
    pub round: u32,
    pub unit: UnitId,
    pub chosen: Vec<UnitId>,
    pub decision: Text,
    pub deputy_silent: bool,
}

/// Decodes `tie_decided` format 2.
pub(super) fn decode_tie_decided_2(data: serde_json::Value) -> super::Decoded {
    super::typed(data, |w: TieDecided2| {
        super::Payload::Vote(VoteEvent::TieDecided {
            election: w.election,
            round: w.round,
            unit: w.unit,
            chosen: w.chosen,
            decision: w.decision,
            deputy_silent: w.deputy_silent,
        })
    })
}

/// The format and `data` of a vote event: `tie_decided` in format 2, every other kind in
/// format 1 (fields in the order of [`VoteData`]; the canonical JSON sorts them anyway).
pub(super) fn encode(event: &VoteEvent) -> (u32, serde_json::Value) {
    let (format, data) = match event.clone() {
        VoteEvent::TieDecided {
            election,
            round,
            unit,
            chosen,
            decision,
            deputy_silent,
        } => (
            2,
            serde_json::to_value(TieDecided2 {
                election,
                round,
                unit,
                chosen,
                decision,
                deputy_silent,
            }),
        ),
        other => (1, serde_json::to_value(to_wire(other))),
    };
    (format, data.expect("wire values always serialise"))
}

fn from_wire(w: VoteData) -> VoteEvent {
    use VoteData as W;
    use VoteEvent as V;
    match w {
        W::StandingRecorded {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        } => V::StandingRecorded {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        },
        W::ElectionOpened {
            election,
            cluster,
            year,
            award,
            title,
            candidates,
            seats,
            approval,
            quorum,
            members,
            trustee_threshold,
        } => V::ElectionOpened {
            election,
            cluster,
            year,
            award: award.into(),
            title,
            candidates,
            seats,
            approval: approval.into(),
            quorum: quorum.into(),
            members,
            trustee_threshold,
        },
        W::CeremonyPosted {
            election,
            attempt,
            unit,
            message,
        } => V::CeremonyPosted {
            election,
            attempt,
            unit,
            message: message.into(),
        },
        W::VoterKeyRegistered {
            election,
            unit,
            key,
        } => V::VoterKeyRegistered {
            election,
            unit,
            key,
        },
        W::BallotCast {
            election,
            round,
            unit,
            ballot,
        } => V::BallotCast {
            election,
            round,
            unit,
            ballot,
        },
        W::RoundClosed { election, round } => V::RoundClosed { election, round },
        W::DecryptionPosted {
            election,
            round,
            unit,
            shares,
        } => V::DecryptionPosted {
            election,
            round,
            unit,
            shares,
        },
        W::RoundCounted {
            election,
            round,
            approvals,
            abstentions,
        } => V::RoundCounted {
            election,
            round,
            approvals,
            abstentions,
        },
        W::SecondRoundOpened {
            election,
            candidates,
            seats,
        } => V::SecondRoundOpened {
            election,
            candidates,
            seats,
        },
        W::TieDecided {
            election,
            round,
            unit,
            chosen,
            decision,
        } => V::TieDecided {
            election,
            round,
            unit,
            chosen,
            decision,
            deputy_silent: false,
        },
        W::PaperCountRecorded {
            election,
            round,
            count,
        } => V::PaperCountRecorded {
            election,
            round,
            count: count.into(),
        },
        W::PaperCountConfirmed {
            election,
            round,
            unit,
        } => V::PaperCountConfirmed {
            election,
            round,
            unit,
        },
        W::PaperCountWithdrawn {
            election,
            round,
            reason,
        } => V::PaperCountWithdrawn {
            election,
            round,
            reason,
        },
        W::ElectronicCountAbandoned {
            election,
            round,
            reason,
        } => V::ElectronicCountAbandoned {
            election,
            round,
            reason,
        },
        W::ElectionCancelled { election, reason } => V::ElectionCancelled { election, reason },
        W::ElectionConcluded { election, reason } => V::ElectionConcluded { election, reason },
    }
}

fn to_wire(v: VoteEvent) -> VoteData {
    use VoteData as W;
    use VoteEvent as V;
    match v {
        V::StandingRecorded {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        } => W::StandingRecorded {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        },
        V::ElectionOpened {
            election,
            cluster,
            year,
            award,
            title,
            candidates,
            seats,
            approval,
            quorum,
            members,
            trustee_threshold,
        } => W::ElectionOpened {
            election,
            cluster,
            year,
            award: award.into(),
            title,
            candidates,
            seats,
            approval: approval.into(),
            quorum: quorum.into(),
            members,
            trustee_threshold,
        },
        V::CeremonyPosted {
            election,
            attempt,
            unit,
            message,
        } => W::CeremonyPosted {
            election,
            attempt,
            unit,
            message: message.into(),
        },
        V::VoterKeyRegistered {
            election,
            unit,
            key,
        } => W::VoterKeyRegistered {
            election,
            unit,
            key,
        },
        V::BallotCast {
            election,
            round,
            unit,
            ballot,
        } => W::BallotCast {
            election,
            round,
            unit,
            ballot,
        },
        V::RoundClosed { election, round } => W::RoundClosed { election, round },
        V::DecryptionPosted {
            election,
            round,
            unit,
            shares,
        } => W::DecryptionPosted {
            election,
            round,
            unit,
            shares,
        },
        V::RoundCounted {
            election,
            round,
            approvals,
            abstentions,
        } => W::RoundCounted {
            election,
            round,
            approvals,
            abstentions,
        },
        V::SecondRoundOpened {
            election,
            candidates,
            seats,
        } => W::SecondRoundOpened {
            election,
            candidates,
            seats,
        },
        V::TieDecided { .. } => unreachable!("tie_decided is written in format 2"),
        V::PaperCountRecorded {
            election,
            round,
            count,
        } => W::PaperCountRecorded {
            election,
            round,
            count: count.into(),
        },
        V::PaperCountConfirmed {
            election,
            round,
            unit,
        } => W::PaperCountConfirmed {
            election,
            round,
            unit,
        },
        V::PaperCountWithdrawn {
            election,
            round,
            reason,
        } => W::PaperCountWithdrawn {
            election,
            round,
            reason,
        },
        V::ElectronicCountAbandoned {
            election,
            round,
            reason,
        } => W::ElectronicCountAbandoned {
            election,
            round,
            reason,
        },
        V::ElectionCancelled { election, reason } => W::ElectionCancelled { election, reason },
        V::ElectionConcluded { election, reason } => W::ElectionConcluded { election, reason },
    }
}

macro_rules! same_enum {
    ($a:path, $b:path, $($v:ident),*) => {
        impl From<$a> for $b {
            fn from(x: $a) -> $b {
                match x { $(<$a>::$v => <$b>::$v),* }
            }
        }
        impl From<$b> for $a {
            fn from(x: $b) -> $a {
                match x { $(<$b>::$v => <$a>::$v),* }
            }
        }
    };
}
same_enum!(
    AwardKind,
    votes::AwardKind,
    GovernmentFlag,
    MinistryFlag,
    Certificate,
    Head,
    Deputy
);

impl From<Fraction> for votes::Fraction {
    fn from(f: Fraction) -> Self {
        votes::Fraction {
            num: f.num,
            den: f.den,
        }
    }
}
impl From<votes::Fraction> for Fraction {
    fn from(f: votes::Fraction) -> Self {
        Fraction {
            num: f.num,
            den: f.den,
        }
    }
}

impl From<CeremonyMessage> for votes::CeremonyMessage {
    fn from(m: CeremonyMessage) -> Self {
        use votes::CeremonyMessage as M;
        match m {
            CeremonyMessage::Commit(x) => M::Commit(x),
            CeremonyMessage::Reveal(x) => M::Reveal(x),
            CeremonyMessage::Deal(x) => M::Deal(x),
            CeremonyMessage::Confirm(x) => M::Confirm(x),
            CeremonyMessage::Complain(x) => M::Complain(x),
        }
    }
}
impl From<votes::CeremonyMessage> for CeremonyMessage {
    fn from(m: votes::CeremonyMessage) -> Self {
        use votes::CeremonyMessage as M;
        match m {
            M::Commit(x) => CeremonyMessage::Commit(x),
            M::Reveal(x) => CeremonyMessage::Reveal(x),
            M::Deal(x) => CeremonyMessage::Deal(x),
            M::Confirm(x) => CeremonyMessage::Confirm(x),
            M::Complain(x) => CeremonyMessage::Complain(x),
        }
    }
}

impl From<PaperCount> for votes::PaperCount {
    fn from(c: PaperCount) -> Self {
        votes::PaperCount {
            approvals: c.approvals,
            abstentions: c.abstentions,
            issued: c.issued,
            returned: c.returned,
            invalid: c.invalid,
            counting_team: c.counting_team,
            note: c.note,
        }
    }
}
impl From<votes::PaperCount> for PaperCount {
    fn from(c: votes::PaperCount) -> Self {
        PaperCount {
            approvals: c.approvals,
            abstentions: c.abstentions,
            issued: c.issued,
            returned: c.returned,
            invalid: c.invalid,
            counting_team: c.counting_team,
            note: c.note,
        }
    }
}
