//! Auditable workbook (TODO).
use crate::{CompiledRegulation, Dataset, Scoreboard};

/// Writes the workbook.
pub fn write(
    _reg: &CompiledRegulation,
    _data: &Dataset,
    _b: &Scoreboard,
) -> Result<Vec<u8>, String> {
    Err("not yet".into())
}
