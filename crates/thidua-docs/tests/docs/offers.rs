//! What the demonstration's year can give from the log: the minutes of its five inspections and
//! of its counted vote, the results report and the year-end report, the submission of the Ministry's flag (the
//! Government's vote is open, so neither its minutes nor its submission are offered). Each
//! offer's key builds a document with the offer's subject; what the log does not hold yet is
//! refused with a clear reason.

use chrono::NaiveDate;
use thidua_docs::templates::offers::{cluster_of, offers, request};
use thidua_docs::{prepare, Request};
use thidua_domain::documents::DocumentKind;
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};

use super::fixture::demo_state;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 30).unwrap()
}

#[test]
fn the_demonstration_year_offers_its_minutes_report_and_submission() {
    let state = demo_state();
    let cluster = ClusterId::parse("cum-12").unwrap();
    let list = offers(state, &cluster, 2024, date());
    let count = |k| list.iter().filter(|o| o.kind == k).count();
    assert_eq!(count(DocumentKind::InspectionMinutes), 5);
    assert_eq!(count(DocumentKind::VoteMinutes), 1);
    assert_eq!(count(DocumentKind::YearReport), 1);
    assert_eq!(
        count(DocumentKind::Results),
        1,
        "the results report, from the log"
    );
    assert_eq!(count(DocumentKind::AwardSubmission), 1);
    assert!(list.iter().all(|o| o.issued.is_none()));
    for o in &list {
        assert_eq!(cluster_of(state, &o.key), Some((cluster.clone(), 2024)));
        let p = prepare(state, &request(&o.key, "Kiên Giang", date()).unwrap()).unwrap();
        assert_eq!(p.title, o.title, "{}", o.key);
        assert_eq!(p.kind, o.kind);
        assert_eq!(p.number, Some(1), "nothing issued yet: number 01");
        // An inspection that questioned nothing says so under the inspected unit's heading,
        // in the inspected unit's terms (not "the inspector agrees").
        let text = format!("{:?}", p.document);
        if o.kind == DocumentKind::InspectionMinutes && !o.key.ends_with("ca-hg:ca-kg") {
            assert!(
                text.contains("không đề nghị điều chỉnh điểm tiêu chí nào"),
                "{}: {text}",
                o.key
            );
        }
    }
    assert!(offers(state, &cluster, 2023, date()).is_empty());
    assert!(request("year:../x", "Kiên Giang", date()).is_err());
    assert!(request("nothing", "Kiên Giang", date()).is_err());
}

#[test]
fn what_the_log_does_not_hold_is_refused() {
    let state = demo_state();
    let place = || "Kiên Giang".to_owned();
    let open_vote = ElectionId::parse("co-thi-dua-chinh-phu-2024").unwrap();
    let refused = [
        Request::VoteCount {
            election: open_vote.clone(),
            round: None,
            place: place(),
            date: date(),
        },
        Request::AwardSubmission {
            election: open_vote,
            place: place(),
            date: date(),
        },
        // Kiên Giang does not inspect Hậu Giang this year.
        Request::Inspection {
            covenant: CovenantId::parse("giao-uoc-cum-12-2024").unwrap(),
            inspector: UnitId::parse("ca-kg").unwrap(),
            inspected: UnitId::parse("ca-hg").unwrap(),
            place: place(),
            date: date(),
        },
    ];
    // Each with the refusal that says why, in the interface's words (the vote is not counted,
    // the unit is not assigned), not a bare "invalid value".
    let codes = [
        "vote_not_counted",
        "vote_not_counted",
        "yearend_not_assigned",
    ];
    for (r, code) in refused.into_iter().zip(codes) {
        let e = prepare(state, &r).unwrap_err();
        assert_eq!(e.code(), code, "{r:?}: {e}");
    }
}
