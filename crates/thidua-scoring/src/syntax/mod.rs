//! The regulation text: reading TOML into the syntax tree (`parse`), the expression
//! sub-language (`expr`) and the canonical form (`print`).
pub mod expr;
pub mod parse;
pub mod print;
