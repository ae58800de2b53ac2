//! The issue-driven cases: exactness against an oracle, the workbook against LibreOffice,
//! figures as Vietnamese write them, robustness, explanations.
mod exactness;
mod explain;
mod input;
mod robust;
mod workbook;
