//! The awards of a year across clusters (`/awards`): the page over [`crate::api::awards`],
//! for those who oversee clusters (the Ministry's department, supervisors, secretariats).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{render, Layout};
use crate::api::awards::{awards_dto, AwardsDto, ElectionAwardDto, ProposedDto};
use crate::api::dto::UnitRef;
use crate::auth::Viewer;
use crate::i18n::awards::AwardStrings;
use crate::AppState;

#[derive(Template)]
#[template(path = "awards.html")]
struct AwardsPage {
    l: Layout,
    a: &'static AwardStrings,
    d: AwardsDto,
}

impl AwardsPage {
    fn names(&self, units: &[UnitRef]) -> String {
        units
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What a vote decided, or why it has not yet.
    fn outcome(&self, e: &ElectionAwardDto) -> String {
        if let Some(words) = self.a.status_words(&e.status, e.elected.is_empty()) {
            return words.to_owned();
        }
        let each: Vec<String> = e.elected.iter().map(|p| self.proposed(p)).collect();
        let word = match e.award.as_str() {
            "head" | "deputy" => self.a.elected_leader,
            _ => self.a.elected,
        };
        format!("{} {word}", each.join("; "))
    }

    /// "Công an tỉnh Kiên Giang (hạng 1, 95,5 điểm, 5/5 phiếu đồng ý)".
    fn proposed(&self, p: &ProposedDto) -> String {
        let a = self.a;
        let mut facts = Vec::new();
        if let Some(rank) = p.rank {
            facts.push(format!("{} {rank}", a.rank));
        }
        if let Some(total) = &p.total {
            facts.push(format!(
                "{} {}",
                crate::format::decimal_str(total),
                a.points
            ));
        }
        facts.push(format!("{}/{} {}", p.approvals, p.members, a.approvals));
        format!("{} ({})", p.unit.name, facts.join(", "))
    }

    /// The Government-flag guide in words ("khoảng 2,4 trong 12 đơn vị hạng nhất").
    fn gov_guide(&self, g: &crate::api::awards::GovernmentFlagDto) -> String {
        let guide = crate::format::decimal_str(&g.guide);
        crate::i18n::fill(
            self.a.gov_guide,
            &[
                ("proposed", g.proposed.to_string()),
                ("guide", guide),
                ("leaders", g.leaders.to_string()),
            ],
        )
    }

    fn is_year(&self, y: &i32) -> bool {
        self.d.year == Some(*y)
    }

    fn date(&self, iso: &str) -> String {
        crate::format::iso_date(iso)
    }
}

#[derive(Deserialize)]
pub struct YearParam {
    year: Option<i32>,
}

/// `GET /awards?year=`.
pub async fn awards_page(
    State(app): State<AppState>,
    viewer: Viewer,
    crate::ui::extract::Query(q): crate::ui::extract::Query<YearParam>,
) -> Response {
    let a = viewer.lang.awards();
    let d = awards_dto(&app.service.read(), &viewer.scope, q.year);
    render(&AwardsPage {
        l: Layout::new(&viewer, a.title),
        a,
        d,
    })
}

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/awards", axum::routing::get(awards_page))
}
