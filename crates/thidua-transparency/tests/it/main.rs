//! Integration tests of `thidua-transparency` over real SQLite (and PostgreSQL when reachable):
//! one test binary, one module per concern.
mod api;
mod ceased;
mod common;
mod https;
mod listing;
mod tamper;
mod tiles;
mod verify;
mod votes;
mod witness;
