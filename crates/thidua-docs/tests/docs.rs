//! The documents' tests: one integration binary (see `docs/`).
mod docs {
    pub mod fixture;
    pub mod render;
}
