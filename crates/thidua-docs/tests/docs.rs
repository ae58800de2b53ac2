//! The documents' tests: one integration binary (see `docs/`).
mod docs {
    pub mod determinism;
    pub mod fixture;
    pub mod golden;
    pub mod layout;
    pub mod libreoffice;
    pub mod offers;
    pub mod pages;
    pub mod preview;
    pub mod render;
    pub mod signatures;
    pub mod styles;
    pub mod text;
    pub mod tools;
    pub mod votes;
    pub mod words;
}
