//! The ballot crate end to end: the ceremony with an observer recomputing the key, ballots and
//! the attacks they must resist, complaints, and the verified count.

use thidua_ballot::ceremony::{check_reveal, judge_complaint, Verdict};
use thidua_ballot::{
    combine, rng_from_seed, Ballot, BallotContext, BallotError, Commitment, DecryptionShares,
    KeySet, PolynomialReveal, Rng, SealedShares, Selection, Totals, Trustee, TrusteeParams,
    VoterSecret,
};

fn rng(n: u8) -> Rng {
    rng_from_seed([n; 32])
}

fn params(n: u32, t: u32) -> TrusteeParams {
    TrusteeParams {
        election: "cum-12-2024-flag".into(),
        attempt: 1,
        trustees: n,
        threshold: t,
    }
}

/// Everything a ceremony leaves in the log, and the trustees' secret states.
struct Ceremony {
    trustees: Vec<Trustee>,
    commitments: Vec<Commitment>,
    reveals: Vec<PolynomialReveal>,
    #[allow(dead_code)]
    sealed: Vec<SealedShares>,
    keys: KeySet,
}

fn ceremony(n: u32, t: u32, rng: &mut Rng) -> Ceremony {
    let p = params(n, t);
    let (mut trustees, commitments): (Vec<_>, Vec<_>) = (0..n)
        .map(|i| Trustee::new(p.clone(), i, rng).unwrap())
        .unzip();
    let reveals: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.reveal(&commitments).unwrap())
        .collect();
    for (i, r) in reveals.iter().enumerate() {
        check_reveal(&p, i as u32, &commitments[i], r).unwrap();
    }
    let sealed: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.deal(&commitments, &reveals, rng).unwrap())
        .collect();
    let keys = KeySet::from_reveals(&p, &reveals).unwrap();
    for (i, tr) in trustees.iter_mut().enumerate() {
        let confirmation = tr.complete(&sealed, rng).unwrap().unwrap();
        keys.check_confirmation(i as u32, &confirmation).unwrap();
        // The messages survive their JSON form.
        let json = serde_json::to_string(&confirmation).unwrap();
        let back = serde_json::from_str(&json).unwrap();
        keys.check_confirmation(i as u32, &back).unwrap();
    }
    Ceremony {
        trustees,
        commitments,
        reveals,
        sealed,
        keys,
    }
}

fn context() -> BallotContext {
    BallotContext {
        election: "cum-12-2024-flag".into(),
        round: 1,
        candidates: 5,
        seats: 2,
    }
}

#[test]
fn a_ceremony_gives_every_trustee_and_any_observer_the_same_key() {
    let mut r = rng(1);
    let c = ceremony(5, 3, &mut r);
    assert_eq!(c.keys.trustees(), 5);
    assert_eq!(c.keys.threshold(), 3);
    // An observer reading the log (as JSON) recomputes the same key.
    let json = serde_json::to_string(&c.reveals).unwrap();
    let reveals: Vec<PolynomialReveal> = serde_json::from_str(&json).unwrap();
    assert_eq!(
        KeySet::from_reveals(&params(5, 3), &reveals).unwrap(),
        c.keys
    );
    // A trustee's saved state reloads.
    let saved = serde_json::to_string(&c.trustees[0]).unwrap();
    let back: Trustee = serde_json::from_str(&saved).unwrap();
    assert!(back.is_active());
}

#[test]
fn a_reveal_that_does_not_open_its_commitment_or_lacks_a_coefficient_is_refused() {
    let mut r = rng(2);
    let c = ceremony(3, 2, &mut r);
    let p = params(3, 2);
    // Trustee 1's polynomial under trustee 0's commitment.
    let err = check_reveal(&p, 0, &c.commitments[0], &c.reveals[1]).unwrap_err();
    assert!(
        err.to_string().contains("does not open the commitment"),
        "{err}"
    );
    let mut short = c.reveals[0].clone();
    short.0.polynomial.pop();
    let err = check_reveal(&p, 0, &c.commitments[0], &short).unwrap_err();
    assert!(
        err.to_string().contains("1 coefficients, 2 expected"),
        "{err}"
    );
    let mut empty = c.reveals[0].clone();
    empty.0.polynomial.clear();
    assert!(check_reveal(&p, 0, &c.commitments[0], &empty).is_err());
    // A reveal in the wrong slot gives no key.
    let mut swapped = c.reveals.clone();
    swapped.swap(0, 1);
    assert_eq!(KeySet::from_reveals(&p, &swapped).unwrap(), c.keys);
    assert!(KeySet::from_reveals(&p, &c.reveals[..2]).is_err());
}

#[test]
fn parameters_the_crate_would_panic_on_are_refused_first() {
    let mut r = rng(3);
    for (n, t) in [(0, 0), (1, 1), (3, 0), (3, 4), (65, 3)] {
        assert!(Trustee::new(params(n, t), 0, &mut r).is_err(), "{n} {t}");
    }
    assert!(Trustee::new(params(3, 2), 3, &mut r).is_err());
    let (mut tr, _) = Trustee::new(params(3, 2), 0, &mut r).unwrap();
    assert!(tr.reveal(&[]).is_err());
    assert!(tr.deal(&[], &[], &mut r).is_err(), "a step out of order");
}

#[test]
fn a_bad_share_leads_to_a_complaint_that_anyone_can_judge() {
    let mut r = rng(4);
    let p = params(3, 2);
    let (mut trustees, commitments): (Vec<_>, Vec<_>) = (0..3)
        .map(|i| Trustee::new(p.clone(), i, &mut r).unwrap())
        .unzip();
    let reveals: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.reveal(&commitments).unwrap())
        .collect();
    let mut sealed: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.deal(&commitments, &reveals, &mut r).unwrap())
        .collect();
    // Trustee 2 sends trustee 0 the share meant for trustee 1 (sealed properly to 0).
    let good = sealed.clone();
    sealed[2].shares[0].sealed = good[2].shares[1].sealed.clone();
    let complaint = trustees[0].complete(&sealed, &mut r).unwrap().unwrap_err();
    assert_eq!(complaint.against, 2);
    let verdict = judge_complaint(
        &p,
        0,
        &commitments[0],
        &complaint,
        &commitments[2],
        &reveals[2],
        &sealed[2],
    )
    .unwrap();
    assert_eq!(verdict, Verdict::AccusedAtFault);
    // Against the honest shares the same complaint is unfounded.
    let verdict = judge_complaint(
        &p,
        0,
        &commitments[0],
        &complaint,
        &commitments[2],
        &reveals[2],
        &good[2],
    )
    .unwrap();
    assert_eq!(verdict, Verdict::ComplaintUnfounded);
    // A box secret that is not the complainer's is refused.
    let err = judge_complaint(
        &p,
        1,
        &commitments[1],
        &complaint,
        &commitments[2],
        &reveals[2],
        &good[2],
    )
    .unwrap_err();
    assert!(err.to_string().contains("box secret"), "{err}");
}

#[test]
fn a_ballot_verifies_only_for_its_voter_election_round_and_shape() {
    let mut r = rng(5);
    let c = ceremony(3, 2, &mut r);
    let key = c.keys.election_key();
    let ctx = context();
    let voter = VoterSecret::generate(&mut r);
    let ballot =
        Ballot::create(&ctx, key, &voter, &Selection::Approve(vec![0, 3]), &mut r).unwrap();
    ballot.verify(&ctx, key, &voter.public()).unwrap();
    // The JSON form verifies too.
    let json = serde_json::to_string(&ballot).unwrap();
    let back: Ballot = serde_json::from_str(&json).unwrap();
    back.verify(&ctx, key, &voter.public()).unwrap();
    assert_eq!(back.hash(), ballot.hash());

    // Copied to another voter: the signature fails, and re-signed by that voter the proofs fail.
    let other = VoterSecret::generate(&mut r);
    assert_eq!(
        ballot.verify(&ctx, key, &other.public()).unwrap_err(),
        BallotError::BadSignature
    );
    let copied = resign(&ballot, &ctx, &other);
    let err = copied.verify(&ctx, key, &other.public()).unwrap_err();
    assert!(matches!(err, BallotError::BadProof { .. }), "{err}");
    // Another election, another round, another number of seats.
    for ctx2 in [
        BallotContext {
            election: "cum-12-2024-head".into(),
            ..ctx.clone()
        },
        BallotContext {
            round: 2,
            ..ctx.clone()
        },
        BallotContext {
            seats: 3,
            ..ctx.clone()
        },
    ] {
        let moved = resign(&ballot, &ctx2, &voter);
        let err = moved.verify(&ctx2, key, &voter.public()).unwrap_err();
        assert!(matches!(err, BallotError::BadProof { .. }), "{err}");
    }
    // Two choices swapped (positions are bound).
    let mut swapped = ballot.clone();
    swapped.choices.swap(0, 1);
    let swapped = resign(&swapped, &ctx, &voter);
    assert!(matches!(
        swapped.verify(&ctx, key, &voter.public()),
        Err(BallotError::BadProof { .. })
    ));
    // One ciphertext replaced by another ballot's (same voter, same position).
    let second = Ballot::create(&ctx, key, &voter, &Selection::Approve(vec![1]), &mut r).unwrap();
    let mut mixed = ballot.clone();
    mixed.choices[1].ciphertext = second.choices[1].ciphertext;
    let mixed = resign(&mixed, &ctx, &voter);
    assert!(mixed.verify(&ctx, key, &voter.public()).is_err());
    // A tampered signature.
    let mut forged = ballot.clone();
    forged.signature.replace_range(0..2, "00");
    assert!(forged.verify(&ctx, key, &voter.public()).is_err());
    // A ballot with a missing choice.
    let mut short = ballot.clone();
    short.choices.pop();
    assert!(short.verify(&ctx, key, &voter.public()).is_err());
}

/// Re-signs a ballot's parts as `voter` in `ctx` (what an attacker copying a ballot can do).
fn resign(ballot: &Ballot, ctx: &BallotContext, voter: &VoterSecret) -> Ballot {
    use ed25519_dalek::Signer;
    let seed: [u8; 32] = hex::decode(voter.to_hex()).unwrap().try_into().unwrap();
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    let mut b = ballot.clone();
    let sig = signing.sign(&b.signed_message(ctx, &voter.public()));
    b.signature = hex::encode(sig.to_bytes());
    b
}

#[test]
fn selections_that_do_not_fit_are_refused_before_encrypting() {
    let mut r = rng(6);
    let c = ceremony(2, 2, &mut r);
    let key = c.keys.election_key();
    let voter = VoterSecret::generate(&mut r);
    let ctx = context();
    for bad in [
        Selection::Approve(vec![0, 1, 2]),
        Selection::Approve(vec![5]),
        Selection::Approve(vec![1, 1]),
    ] {
        assert!(
            Ballot::create(&ctx, key, &voter, &bad, &mut r).is_err(),
            "{bad:?}"
        );
    }
    let bad_ctx = BallotContext {
        seats: 6,
        ..ctx.clone()
    };
    assert!(Ballot::create(&bad_ctx, key, &voter, &Selection::Abstain, &mut r).is_err());
    // Approving nobody and abstaining are both valid ballots.
    for ok in [Selection::Approve(vec![]), Selection::Abstain] {
        let b = Ballot::create(&ctx, key, &voter, &ok, &mut r).unwrap();
        b.verify(&ctx, key, &voter.public()).unwrap();
    }
}

#[test]
fn three_of_five_trustees_decrypt_the_totals_and_a_bad_share_is_refused() {
    let mut r = rng(7);
    let c = ceremony(5, 3, &mut r);
    let key = c.keys.election_key();
    let ctx = context();
    let selections = [
        Selection::Approve(vec![0, 1]),
        Selection::Approve(vec![0]),
        Selection::Abstain,
        Selection::Approve(vec![0, 4]),
        Selection::Approve(vec![]),
    ];
    let ballots: Vec<Ballot> = selections
        .iter()
        .map(|s| {
            let voter = VoterSecret::generate(&mut r);
            let b = Ballot::create(&ctx, key, &voter, s, &mut r).unwrap();
            b.verify(&ctx, key, &voter.public()).unwrap();
            b
        })
        .collect();
    let totals = Totals::sum(ctx.candidates, &ballots);
    assert_eq!(totals.ballots, 5);
    let shares: Vec<_> = [4u32, 0, 2]
        .iter()
        .map(|&i| {
            let s = DecryptionShares::create(&c.trustees[i as usize], &totals, &mut r).unwrap();
            let json = serde_json::to_string(&s).unwrap();
            let s: DecryptionShares = serde_json::from_str(&json).unwrap();
            s.verify(&c.keys, i, &totals).unwrap()
        })
        .collect();
    let counts = combine(&c.keys, &totals, &shares).unwrap();
    assert_eq!(counts.approvals, vec![3, 1, 0, 0, 1]);
    assert_eq!(counts.abstentions, 1);

    // Trustee 1's shares presented as trustee 3's, and shares of other totals, are refused.
    let s1 = DecryptionShares::create(&c.trustees[1], &totals, &mut r).unwrap();
    assert!(matches!(
        s1.verify(&c.keys, 3, &totals),
        Err(BallotError::BadShare {
            trustee: 3,
            total: 0
        })
    ));
    let fewer = Totals::sum(ctx.candidates, &ballots[..4]);
    assert!(s1.verify(&c.keys, 1, &fewer).is_err());
    // A share taken from another total.
    let mut moved = s1.clone();
    moved.shares.swap(0, 1);
    assert!(matches!(
        moved.verify(&c.keys, 1, &totals),
        Err(BallotError::BadShare { .. })
    ));
    assert!(s1.verify(&c.keys, 9, &totals).is_err(), "no trustee 9");
    // Two trustees are not enough; a trustee counted twice does not make three.
    let err = combine(
        &c.keys,
        &totals,
        &[shares[0].clone(), shares[0].clone(), shares[1].clone()],
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("2 trustees' shares, 3 needed"),
        "{err}"
    );
}

/// A trustee's state file edited on its disk (its participant's index out of range, or
/// another trustee's index) is refused with an error, never a panic inside the crate.
#[test]
fn an_edited_trustee_state_is_refused_not_a_panic() {
    let mut r = rng(9);
    let c = ceremony(3, 2, &mut r);
    let totals = Totals::sum(2, std::iter::empty());
    let json = serde_json::to_value(&c.trustees[1]).unwrap();
    let text = json.to_string();
    let mut edited = 0;
    for index in [99u64, 0] {
        let mut v = json.clone();
        let Some(active) = v.pointer_mut("/step/active") else {
            panic!("an active trustee's state: {text}")
        };
        active["index"] = index.into();
        edited += 1;
        let tr: Trustee = serde_json::from_value(v).unwrap();
        let err = DecryptionShares::create(&tr, &totals, &mut r).unwrap_err();
        assert!(err.to_string().contains("key share"), "{err}");
    }
    assert_eq!(edited, 2);
    DecryptionShares::create(&c.trustees[1], &totals, &mut r).unwrap();
}

#[test]
fn a_trustee_state_cannot_decrypt_before_the_ceremony_completes() {
    let mut r = rng(8);
    let (tr, _) = Trustee::new(params(3, 2), 0, &mut r).unwrap();
    let totals = Totals::sum(2, std::iter::empty());
    assert!(DecryptionShares::create(&tr, &totals, &mut r).is_err());
}
