//! Figures for the note: a 10-candidate ballot created and verified; the tally and full public
//! verification of 34 voters × 10 candidates with 18-of-34 trustees; the 18-of-34 key ceremony.
//! `cargo bench -p thidua-ballot --bench ballot`
use criterion::{criterion_group, criterion_main, Criterion};
use thidua_ballot::ceremony::check_reveal;
use thidua_ballot::{
    combine, rng_from_seed, Ballot, BallotContext, Commitment, DecryptionShares, KeySet,
    PolynomialReveal, Rng, SealedShares, Selection, Totals, Trustee, TrusteeParams, VoterSecret,
};

fn params(n: u32, t: u32) -> TrusteeParams {
    TrusteeParams {
        election: "bench".into(),
        attempt: 1,
        trustees: n,
        threshold: t,
    }
}

struct Ceremony {
    trustees: Vec<Trustee>,
    commitments: Vec<Commitment>,
    reveals: Vec<PolynomialReveal>,
    sealed: Vec<SealedShares>,
}

/// Every trustee's four steps (what the n trustees compute together).
fn ceremony(n: u32, t: u32, rng: &mut Rng) -> Ceremony {
    let p = params(n, t);
    let (mut trustees, commitments): (Vec<_>, Vec<_>) = (0..n)
        .map(|i| Trustee::new(p.clone(), i, rng).unwrap())
        .unzip();
    let reveals: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.reveal(&commitments).unwrap())
        .collect();
    let sealed: Vec<_> = trustees
        .iter_mut()
        .map(|tr| tr.deal(&commitments, &reveals, rng).unwrap())
        .collect();
    for tr in trustees.iter_mut() {
        tr.complete(&sealed, rng).unwrap().unwrap();
    }
    Ceremony {
        trustees,
        commitments,
        reveals,
        sealed,
    }
}

fn context(candidates: u32) -> BallotContext {
    BallotContext {
        election: "bench".into(),
        round: 1,
        candidates,
        seats: 3,
    }
}

fn ballots(c: &mut Criterion) {
    let mut rng = rng_from_seed([1; 32]);
    let cer = ceremony(5, 3, &mut rng);
    let keys = KeySet::from_reveals(&params(5, 3), &cer.reveals).unwrap();
    let key = keys.election_key().clone();
    let ctx = context(10);
    let voter = VoterSecret::generate(&mut rng);
    let selection = Selection::Approve(vec![0, 4, 7]);
    c.bench_function("ballot create (10 candidates, m = 3)", |b| {
        b.iter(|| Ballot::create(&ctx, &key, &voter, &selection, &mut rng).unwrap())
    });
    let ballot = Ballot::create(&ctx, &key, &voter, &selection, &mut rng).unwrap();
    c.bench_function("ballot verify (10 candidates, m = 3)", |b| {
        b.iter(|| ballot.verify(&ctx, &key, &voter.public()).unwrap())
    });
}

fn tally(c: &mut Criterion) {
    let mut rng = rng_from_seed([2; 32]);
    let (n, t) = (34, 18);
    let cer = ceremony(n, t, &mut rng);
    let keys = KeySet::from_reveals(&params(n, t), &cer.reveals).unwrap();
    let key = keys.election_key().clone();
    let ctx = context(10);
    let cast: Vec<(VoterSecret, Ballot)> = (0..34u32)
        .map(|i| {
            let v = VoterSecret::generate(&mut rng);
            let s = Selection::Approve(vec![i % 10, (i + 3) % 10]);
            let b = Ballot::create(&ctx, &key, &v, &s, &mut rng).unwrap();
            (v, b)
        })
        .collect();
    let totals = Totals::sum(10, cast.iter().map(|(_, b)| b));
    let shares: Vec<DecryptionShares> = cer.trustees[..t as usize]
        .iter()
        .map(|tr| DecryptionShares::create(tr, &totals, &mut rng).unwrap())
        .collect();
    let mut group = c.benchmark_group("tally 34 voters × 10 candidates, 18 of 34 trustees");
    group.sample_size(10);
    group.bench_function(
        "full public verification (ballots, sums, shares, totals)",
        |b| {
            b.iter(|| {
                for (v, ballot) in &cast {
                    ballot.verify(&ctx, &key, &v.public()).unwrap();
                }
                let totals = Totals::sum(10, cast.iter().map(|(_, b)| b));
                let verified: Vec<_> = shares
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s.verify(&keys, i as u32, &totals).unwrap())
                    .collect();
                combine(&keys, &totals, &verified).unwrap()
            })
        },
    );
    group.bench_function("one trustee's decryption shares", |b| {
        b.iter(|| DecryptionShares::create(&cer.trustees[0], &totals, &mut rng).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("key ceremony 18 of 34");
    group.sample_size(10);
    group.bench_function("all 34 trustees' steps", |b| {
        b.iter(|| ceremony(n, t, &mut rng))
    });
    group.bench_function("observer: reveals checked, key recomputed", |b| {
        b.iter(|| {
            for (i, r) in cer.reveals.iter().enumerate() {
                check_reveal(&params(n, t), i as u32, &cer.commitments[i], r).unwrap();
            }
            KeySet::from_reveals(&params(n, t), &cer.reveals).unwrap()
        })
    });
    let _ = &cer.sealed;
    group.finish();
}

criterion_group!(benches, ballots, tally);
criterion_main!(benches);
