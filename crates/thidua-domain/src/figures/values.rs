//! The values of one saved report, stored compactly: one byte string per report in which each
//! data element of the form takes a tag byte and, for a number, its scale and a variable-length
//! mantissa (a count such as 85 takes three bytes), so that a national year (3,400 units × 12
//! windows × 40 elements) stays a few megabytes in memory. Serialised (snapshots) as one
//! readable string, `12,5.5,na,,3`: canonical decimals, `na` for "not applicable", nothing for
//! a figure not given.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// One data element's value in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Not given (yet).
    Missing,
    /// Explicitly "not applicable" (never a silent zero).
    NotApplicable,
    Number(Decimal),
}

impl Cell {
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Cell::Number(d) => Some(*d),
            _ => None,
        }
    }
}

const MISSING: u8 = 0;
const NOT_APPLICABLE: u8 = 1;
const POSITIVE: u8 = 2;
const NEGATIVE: u8 = 3;

fn push_cell(out: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Missing => out.push(MISSING),
        Cell::NotApplicable => out.push(NOT_APPLICABLE),
        Cell::Number(d) => {
            let d = d.normalize();
            out.push(if d.is_sign_negative() {
                NEGATIVE
            } else {
                POSITIVE
            });
            out.push(d.scale() as u8);
            let mut m = d.mantissa().unsigned_abs();
            loop {
                let byte = (m & 0x7f) as u8;
                m >>= 7;
                if m == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
    }
}

/// Reads the cell at `pos`, returning it and the position of the next one.
fn read_cell(bytes: &[u8], pos: usize) -> (Cell, usize) {
    match bytes[pos] {
        MISSING => (Cell::Missing, pos + 1),
        NOT_APPLICABLE => (Cell::NotApplicable, pos + 1),
        tag => {
            let scale = u32::from(bytes[pos + 1]);
            let (mut m, mut shift, mut i) = (0u128, 0u32, pos + 2);
            loop {
                let b = bytes[i];
                m |= u128::from(b & 0x7f) << shift;
                i += 1;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            let signed = if tag == NEGATIVE {
                -(m as i128)
            } else {
                m as i128
            };
            (
                Cell::Number(Decimal::from_i128_with_scale(signed, scale)),
                i,
            )
        }
    }
}

/// The values of one saved report, aligned with its form's element list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Values {
    /// Index of the reporting form (see `Figures::forms`) the cells are aligned with.
    pub form: u32,
    len: u16,
    cells: Box<[u8]>,
    /// Comments by element position (sorted); most reports have none.
    pub comments: Box<[(u16, Text)]>,
}

impl Values {
    pub fn new(form: u32, cells: &[Cell], mut comments: Vec<(u16, Text)>) -> Self {
        let mut bytes = Vec::with_capacity(cells.len() * 3);
        for c in cells {
            push_cell(&mut bytes, c);
        }
        comments.sort_by_key(|(i, _)| *i);
        Self {
            form,
            len: cells.len() as u16,
            cells: bytes.into_boxed_slice(),
            comments: comments.into_boxed_slice(),
        }
    }

    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every cell, in the form's order.
    pub fn cells(&self) -> Vec<Cell> {
        let mut out = Vec::with_capacity(self.len());
        let mut pos = 0;
        while pos < self.cells.len() {
            let (cell, next) = read_cell(&self.cells, pos);
            out.push(cell);
            pos = next;
        }
        out
    }

    /// The cell at `index` (missing beyond the end).
    pub fn get(&self, index: usize) -> Cell {
        let mut pos = 0;
        for i in 0..self.len() {
            let (cell, next) = read_cell(&self.cells, pos);
            if i == index {
                return cell;
            }
            pos = next;
        }
        Cell::Missing
    }

    pub fn comment(&self, index: usize) -> Option<&Text> {
        self.comments
            .iter()
            .find(|(i, _)| usize::from(*i) == index)
            .map(|(_, t)| t)
    }

    /// Bytes held on the heap (for memory figures).
    pub fn heap_bytes(&self) -> usize {
        self.cells.len() + self.comments.len() * 40
    }
}

/// A cell in its text form: canonical decimal, `na`, or empty.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Missing => String::new(),
        Cell::NotApplicable => "na".into(),
        Cell::Number(d) => canonical_decimal(d),
    }
}

/// A decimal without trailing zeros or exponent (`95.5`, `-5`, `0`).
pub fn canonical_decimal(d: &Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

#[derive(Serialize, Deserialize)]
struct ValuesForm {
    form: u32,
    cells: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    comments: Vec<(u16, Text)>,
}

impl Serialize for Values {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cells: Vec<String> = self.cells().iter().map(cell_text).collect();
        ValuesForm {
            form: self.form,
            cells: cells.join(","),
            comments: self.comments.to_vec(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = ValuesForm::deserialize(d)?;
        let cells = if raw.cells.is_empty() {
            // One missing cell and no cells both print as ""; a form has at least one element.
            vec![Cell::Missing]
        } else {
            raw.cells
                .split(',')
                .map(|c| match c {
                    "" => Ok(Cell::Missing),
                    "na" => Ok(Cell::NotApplicable),
                    n => Decimal::from_str(n)
                        .map(Cell::Number)
                        .map_err(serde::de::Error::custom),
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Values::new(raw.form, &cells, raw.comments))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn counts_take_three_bytes_and_round_trip() {
        let cells = [
            Cell::Number(dec("85")),
            Cell::NotApplicable,
            Cell::Missing,
            Cell::Number(dec("12.50")),
            Cell::Number(dec("-0.001")),
            Cell::Number(dec("79228162514264337593543950335")),
        ];
        let v = Values::new(7, &cells, vec![]);
        assert_eq!(v.cells()[0], Cell::Number(dec("85")));
        assert_eq!(v.get(3), Cell::Number(dec("12.5")));
        assert_eq!(v.get(4), Cell::Number(dec("-0.001")));
        assert_eq!(v.get(5), cells[5]);
        assert_eq!(v.get(9), Cell::Missing);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(
            json,
            r#"{"form":7,"cells":"85,na,,12.5,-0.001,79228162514264337593543950335"}"#
        );
        assert_eq!(serde_json::from_str::<Values>(&json).unwrap(), v);
        let small = Values::new(0, &[Cell::Number(dec("85"))], vec![]);
        assert_eq!(small.cells.len(), 3);
    }

    proptest! {
        #[test]
        fn any_decimal_round_trips(m in any::<i64>(), scale in 0u32..=20) {
            let d = Decimal::new(m, scale);
            let v = Values::new(1, &[Cell::Missing, Cell::Number(d)], vec![]);
            prop_assert_eq!(v.get(1), Cell::Number(d.normalize()));
            let again: Values = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
            prop_assert_eq!(again, v);
        }
    }
}
