//! Test support: random regulations, an independent exact oracle, LibreOffice.
#![allow(dead_code)]
pub mod gen;
pub mod lo;
pub mod oracle;
