//! One module per `thidua` subcommand.
pub mod score;
