//! The web crate's integration tests, in one binary: HTTP-level tests of pages and API on SQLite
//! and PostgreSQL, the authorisation matrix, and browser tests in headless Chromium.
#![forbid(unsafe_code)]

mod web {
    pub mod accessibility;
    pub mod admin_units;
    pub mod attacks;
    pub mod audit;
    pub mod bench;
    pub mod body_limits;
    pub mod browser;
    pub mod covenant_changes;
    pub mod documents;
    pub mod explain_en;
    pub mod figures;
    pub mod http;
    pub mod matrix;
    pub mod metrics;
    pub mod midyear;
    pub mod progress;
    pub mod recompute;
    pub mod refused_first;
    pub mod replay;
    pub mod slow_clients;
    pub mod support;
    pub mod ux;
    pub mod validation;
    pub mod vote_forms;
    pub mod votes;
    pub mod votes_awards;
    pub mod witnessing;
    pub mod yearend;
}
