//! The year-end pages: the review of a covenant (dossiers, draw, inspection, responses and
//! resolutions, by role) and the cluster's results page.

mod describe;

pub use describe::describe;
