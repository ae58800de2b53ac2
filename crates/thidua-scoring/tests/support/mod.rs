pub mod lo;
