//! One module per `thidua` subcommand.
pub mod assign;
pub mod backup;
pub mod bench;
pub mod bench_figures;
pub mod bench_history;
pub mod bench_score;
pub mod doc;
pub mod export_tiles;
pub mod figures;
pub mod log;
pub mod migrate;
pub mod score;
pub mod serve;
pub mod user;
pub mod verify;
pub mod vote;
pub mod witness;
