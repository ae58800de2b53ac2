//! One module per `thidua` subcommand.
pub mod backup;
pub mod bench;
pub mod log;
pub mod migrate;
pub mod score;
pub mod serve;
