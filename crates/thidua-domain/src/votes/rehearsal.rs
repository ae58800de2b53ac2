//! An election played by one program holding every trustee's and voter's secret: for the
//! demonstration, tests and benchmarks only. In a real election each trustee runs its own steps
//! (`thidua trustee step`) and each voter encrypts on its own machine (the browser or `thidua
//! vote`); one place holding every share could decrypt any ballot.

use std::collections::BTreeMap;

use thidua_ballot::ceremony::simulate;
use thidua_ballot::{
    rng_from_seed, Ballot, DecryptionShares, Rng, Selection, Trustee, VoterSecret,
};

use super::{CeremonyMessage, Election, VoteCommand};
use crate::ids::UnitId;

/// Every secret of one election.
pub struct Rehearsal {
    rng: Rng,
    trustees: Vec<Trustee>,
    voters: BTreeMap<UnitId, VoterSecret>,
}

impl Rehearsal {
    /// Runs the whole key ceremony for `election` and returns the commands every trustee
    /// posts, in order (all commitments, all reveals, all sealed shares, all confirmations),
    /// each with the unit whose leader posts it.
    pub fn ceremony(
        election: &Election,
        seed: [u8; 32],
    ) -> (Rehearsal, Vec<(UnitId, VoteCommand)>) {
        let mut rng = rng_from_seed(seed);
        let sim = simulate(&election.trustee_params(), &mut rng)
            .expect("a valid election's ceremony runs");
        let mut commands = Vec::new();
        let steps: [Vec<CeremonyMessage>; 4] = [
            sim.commitments
                .into_iter()
                .map(CeremonyMessage::Commit)
                .collect(),
            sim.reveals
                .into_iter()
                .map(CeremonyMessage::Reveal)
                .collect(),
            sim.sealed.into_iter().map(CeremonyMessage::Deal).collect(),
            sim.confirmations
                .into_iter()
                .map(CeremonyMessage::Confirm)
                .collect(),
        ];
        for step in steps {
            for (unit, message) in election.members.iter().zip(step) {
                commands.push((
                    unit.clone(),
                    VoteCommand::PostCeremonyMessage {
                        election: election.id.clone(),
                        unit: unit.clone(),
                        message,
                    },
                ));
            }
        }
        let rehearsal = Rehearsal {
            rng,
            trustees: sim.trustees,
            voters: BTreeMap::new(),
        };
        (rehearsal, commands)
    }

    /// A new voting key for `unit` and the command registering it.
    pub fn voter_key(&mut self, election: &Election, unit: &UnitId) -> VoteCommand {
        let secret = VoterSecret::generate(&mut self.rng);
        let key = secret.public();
        self.voters.insert(unit.clone(), secret);
        VoteCommand::RegisterVoterKey {
            election: election.id.clone(),
            unit: unit.clone(),
            key,
        }
    }

    /// `unit`'s ballot for the current round (its key must be registered through
    /// [`Rehearsal::voter_key`]).
    pub fn ballot(
        &mut self,
        election: &Election,
        unit: &UnitId,
        selection: &Selection,
    ) -> VoteCommand {
        let round = election.current_round().expect("an open round");
        let key = election.keys().expect("a complete ceremony").election_key();
        let voter = &self.voters[unit];
        let ballot = Ballot::create(
            &election.ballot_context(round),
            key,
            voter,
            selection,
            &mut self.rng,
        )
        .expect("a valid selection");
        VoteCommand::CastBallot {
            election: election.id.clone(),
            round: round.number,
            unit: unit.clone(),
            ballot: Box::new(ballot),
        }
    }

    /// Trustee `unit`'s decryption shares of a closed round's totals.
    pub fn decryption(&mut self, election: &Election, round: u32, unit: &UnitId) -> VoteCommand {
        let i = election.trustee_index(unit).expect("a member") as usize;
        let totals = election
            .round(round)
            .ok()
            .and_then(|r| r.totals.as_ref())
            .expect("a closed round with totals");
        let shares = DecryptionShares::create(&self.trustees[i], totals, &mut self.rng)
            .expect("an active trustee");
        VoteCommand::PostDecryptionShares {
            election: election.id.clone(),
            round,
            unit: unit.clone(),
            shares,
        }
    }

    /// A trustee's secret state (what `thidua trustee` keeps in its file).
    pub fn trustee(&self, i: usize) -> &Trustee {
        &self.trustees[i]
    }
}
