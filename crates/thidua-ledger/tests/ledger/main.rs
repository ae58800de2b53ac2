//! Integration tests for `thidua-ledger` (one binary to save link time).

mod common;
mod cosignature;
mod notes;
mod props;
mod tiles;
mod tree;
mod vectors;
