//! A refused covenant content answers every problem it has, each with its field, in the error
//! body's `problems` (`thidua_domain::covenant::content_problems`): an API client mends them at
//! once, as the editor shows them all beside their fields.

use thidua_domain::Command;

use crate::error::{ApiError, FieldProblem};
use crate::AppState;

/// `e`, the refusal of `command`, with the problems of the covenant content it carries listed
/// when the refusal is one of them (a forbidden action or a missing covenant lists none).
pub fn listed(app: &AppState, command: &Command, e: ApiError) -> ApiError {
    let Some(refusal) = e.domain.as_deref() else {
        return e;
    };
    let problems = {
        let state = app.service.read();
        let (content, year) = match command {
            Command::DraftCovenant {
                movement, content, ..
            } => (content, state.movement(movement).map(|m| m.year)),
            Command::AmendCovenantDraft { covenant, content }
            | Command::ProposeCovenantVersion { covenant, content } => {
                (content, state.covenant(covenant).map(|c| c.year))
            }
            _ => return e,
        };
        let Ok(year) = year else {
            return e;
        };
        thidua_domain::covenant::content_problems(content, year)
    };
    if !problems.iter().any(|(_, p)| p == refusal) {
        return e;
    }
    let problems = problems
        .into_iter()
        .map(|(field, p)| FieldProblem {
            field,
            error: p.code().to_owned(),
            message: p.to_string(),
        })
        .collect();
    ApiError { problems, ..e }
}
