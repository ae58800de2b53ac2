//! The scoring regulation language and engine (in progress).
#![forbid(unsafe_code)]
