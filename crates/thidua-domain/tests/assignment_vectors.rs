//! The published test vectors of the assignment draw (`tests/vectors/assignment.json`): from
//! the seed's inputs to the seed, the first keystream bytes, the shuffle and the assignment, so
//! that anyone can check an independent implementation against this one. Regenerated with
//! `THIDUA_BLESS=1` (only when the algorithm's version changes, which a new tag must mark).

use serde::{Deserialize, Serialize};
use thidua_domain::yearend::chacha::KeyStream;
use thidua_domain::yearend::draw::{self, Constraints, Outcome};
use thidua_domain::{ClusterId, UnitId};

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Vector {
    name: String,
    year: i32,
    cluster: String,
    /// Sorted member ids.
    members: Vec<String>,
    /// Reveal per member, `null` when missing.
    reveals: Vec<Option<String>>,
    inspectors: usize,
    /// Declared conflicts, as pairs of member ids.
    conflicts: Vec<(String, String)>,
    /// Last year's (inspector, inspected) pairs.
    last_year: Vec<(String, String)>,
    /// The public beacon's value mixed into the seed (drand's randomness), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    beacon: Option<String>,
    // Expected:
    seed: String,
    keystream_first_32: String,
    first_shuffle: Vec<String>,
    /// The cycle; empty when infeasible.
    order: Vec<String>,
    pairs: Vec<(String, String)>,
    redraws: u32,
    relaxed: Vec<String>,
    searched: bool,
    infeasible: Option<String>,
}

fn u(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

#[allow(clippy::too_many_arguments)] // one vector's inputs, named as in the JSON
fn compute(
    name: &str,
    year: i32,
    cluster: &str,
    members: &[&str],
    reveals: &[Option<&str>],
    inspectors: usize,
    conflicts: &[(&str, &str)],
    last_year: &[(&str, &str)],
    beacon: Option<&str>,
) -> Vector {
    let ids: Vec<UnitId> = members.iter().map(|m| u(m)).collect();
    let seed = draw::seed(
        year,
        &ClusterId::parse(cluster).unwrap(),
        &ids,
        |x| {
            let i = ids.iter().position(|y| y == x).unwrap();
            reveals[i]
        },
        beacon,
    );
    let mut ks = KeyStream::new(&seed);
    let first: Vec<u8> = (0..32).map(|_| ks.next_byte()).collect();
    let idx = |m: &str| members.iter().position(|x| *x == m).unwrap();
    let mut c = Constraints::new(members.len(), inspectors);
    for (a, b) in conflicts {
        c.conflict(idx(a), idx(b));
    }
    for (a, b) in last_year {
        c.last_year(idx(a), idx(b));
    }
    let names = |order: &[usize]| {
        order
            .iter()
            .map(|i| members[*i].to_owned())
            .collect::<Vec<_>>()
    };
    let mut v = Vector {
        name: name.into(),
        year,
        cluster: cluster.into(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
        reveals: reveals.iter().map(|r| r.map(str::to_owned)).collect(),
        inspectors,
        conflicts: conflicts
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect(),
        last_year: last_year
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect(),
        beacon: beacon.map(str::to_owned),
        seed: hex::encode(seed),
        keystream_first_32: hex::encode(first),
        first_shuffle: names(&draw::shuffle(&seed, members.len())),
        order: vec![],
        pairs: vec![],
        redraws: 0,
        relaxed: vec![],
        searched: false,
        infeasible: None,
    };
    match draw::draw(&seed, &c) {
        Outcome::Drawn {
            order,
            redraws,
            level,
            searched,
        } => {
            v.pairs = draw::pairs_of(&order, inspectors)
                .into_iter()
                .map(|(a, b)| (members[a].to_owned(), members[b].to_owned()))
                .collect();
            v.order = names(&order);
            v.redraws = redraws;
            v.relaxed = level.relaxed().into_iter().map(str::to_owned).collect();
            v.searched = searched;
        }
        Outcome::Infeasible {
            redraws,
            proved,
            reason,
        } => {
            v.redraws = redraws;
            v.infeasible = Some(if proved {
                reason.to_owned()
            } else {
                format!("{reason}_undetermined")
            });
        }
    }
    v
}

fn hex32(c: char) -> String {
    c.to_string().repeat(64)
}

fn vectors() -> Vec<Vector> {
    let cum12 = [
        "ca-ag", "ca-bl", "ca-cm", "ca-ct", "ca-dt", "ca-hg", "ca-kg", "ca-lan", "ca-st", "ca-tg",
        "ca-tv", "ca-vl", "ca-btr",
    ];
    let mut sorted = cum12.to_vec();
    sorted.sort();
    let (a, b, c, d) = (hex32('1'), hex32('2'), hex32('3'), hex32('4'));
    let five = ["u1", "u2", "u3", "u4", "u5"];
    let all: Vec<Option<&str>> = vec![Some(&a), Some(&b), Some(&c), Some(&d), Some(&a)];
    let thirteen: Vec<Option<&str>> = sorted
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 3 { None } else { Some(a.as_str()) })
        .collect();
    vec![
        compute(
            "three units, all revealed",
            2024,
            "cum-1",
            &five[..3],
            &all[..3],
            1,
            &[],
            &[],
            None,
        ),
        compute(
            "five units, two inspectors",
            2024,
            "cum-1",
            &five,
            &all,
            2,
            &[],
            &[],
            None,
        ),
        compute(
            "five units, a missing reveal",
            2024,
            "cum-1",
            &five,
            &[Some(&a), None, Some(&c), Some(&d), Some(&a)],
            1,
            &[],
            &[],
            None,
        ),
        compute(
            "conflicts force redraws",
            2024,
            "cum-2",
            &five,
            &all,
            1,
            &[("u1", "u2"), ("u1", "u3"), ("u4", "u5")],
            &[],
            None,
        ),
        compute(
            "last year's pairs avoided",
            2025,
            "cum-2",
            &five,
            &all,
            1,
            &[],
            &[
                ("u1", "u2"),
                ("u2", "u3"),
                ("u3", "u4"),
                ("u4", "u5"),
                ("u5", "u1"),
            ],
            None,
        ),
        compute(
            "three units, last year's pair forces relaxing its reverse",
            2025,
            "cum-3",
            &five[..3],
            &all[..3],
            1,
            &[],
            &[("u1", "u2")],
            None,
        ),
        compute(
            "infeasible: a unit in conflict with all but one",
            2024,
            "cum-4",
            &five[..4],
            &all[..4],
            1,
            &[("u1", "u2"), ("u1", "u3")],
            &[],
            None,
        ),
        compute(
            "two inspectors need five units",
            2024,
            "cum-4",
            &five[..4],
            &all[..4],
            2,
            &[],
            &[],
            None,
        ),
        compute(
            "Cluster 12, thirteen units, one reveal missing",
            2024,
            "cum-12",
            &sorted,
            &thirteen,
            1,
            &[("ca-kg", "ca-ag")],
            &[],
            None,
        ),
        // Appended (earlier vectors keep their place): the value of drand quicknet round 1000,
        // the SHA-256 of its signature (`yearend::beacon`), mixed into the seed.
        compute(
            "three units and a public beacon (drand quicknet round 1000)",
            2024,
            "cum-1",
            &five[..3],
            &all[..3],
            1,
            &[],
            &[],
            Some(&hex::encode(
                thidua_domain::yearend::beacon::QUICKNET
                    .verify(1000, "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39")
                    .unwrap(),
            )),
        ),
    ]
}

#[test]
fn the_published_vectors_hold() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/assignment.json");
    let got = vectors();
    let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
    if std::env::var_os("THIDUA_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let stored: Vec<Vector> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        stored, got,
        "the draw changed: a new algorithm needs a new tag and new vectors"
    );
    assert!(got.iter().any(|v| v.infeasible.is_some()));
    assert!(got.iter().any(|v| v.redraws > 0 && v.infeasible.is_none()));
    assert!(got.iter().any(|v| !v.relaxed.is_empty()));
}
