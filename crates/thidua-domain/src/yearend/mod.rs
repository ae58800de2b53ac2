//! The year-end review (stage `yearend`).
pub mod chacha;
pub mod draw;
