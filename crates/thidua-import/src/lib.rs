//! Figures in and out of files, one code path for the web pages, the API and the CLI.
//!
//! - [`table`] reads what users bring: CSV (UTF-8 with or without BOM; any legacy encoding,
//!   Windows-1258 or TCVN3/VNI mojibake, is detected and refused with an explanation, see
//!   [`encoding`]) and XLSX (calamine, after a bounded-memory check of the ZIP that refuses a
//!   decompression bomb fast). Every text cell is NFC.
//! - [`template`] writes the per-unit, per-window template (Vietnamese headers, names and units
//!   filled in, last year's figures for reference) as XLSX or CSV, and reads it back;
//!   [`number`] reads "1.234,5" only where the template declares the Vietnamese form.
//! - [`plan`] turns a file into domain commands (all-or-nothing) and a dry run of what would
//!   change; every error names the sheet, row, column and reason in Vietnamese and English.
//! - [`midyear`] writes the mid-year review (sơ kết 6 tháng) as a deterministic XLSX workbook,
//!   and [`awards`] the awards of a year across clusters.
//! - [`export`] writes the approved figures of a window as the data file that
//!   `thidua score --data` reads.
//!
//! Pure apart from reading byte slices: no database, no HTTP, no clock. Rules about figures
//! stay in `thidua-domain`; this crate only reads and writes files.
#![forbid(unsafe_code)]

pub mod awards;
pub mod encoding;
pub mod error;
pub mod export;
pub mod midyear;
pub mod number;
pub mod plan;
pub mod table;
pub mod template;

pub use error::{ImportError, ImportErrors};
pub use plan::{
    plan_historical, plan_historical_as, plan_reports, plan_reports_as, plan_reports_for,
    HistoricalPlan, HistoricalYear, Plan, PlanError, Upload,
};
pub use table::Limits;
