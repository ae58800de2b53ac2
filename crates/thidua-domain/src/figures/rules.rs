//! Validation rules on a report's figures, declared per covenant: `reports_resolved <=
//! reports_received` (an error blocks submission), `solved <= crimes` (a warning needs a comment
//! on one of the figures it names). The check is a small expression over the data elements of
//! one window: numbers, element ids, `+ - * /`, parentheses, comparisons (`< <= > >= == !=`)
//! and `and`, `or`, `not`. A rule whose figures are missing or "not applicable", or that divides
//! by zero, does not apply.
//!
//! A covenant's rules are the regulation's `[[rule]]` tables (signed with it; see
//! `thidua_scoring::ast::Rule`), and any the secretariat adds for a covenant whose regulation
//! declares none or too few (`SetFiguresRules`, ids distinct from the regulation's): those only
//! warn, since the members never signed them (a blocking rule goes in the regulation).

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::text::Text;

/// How a failed rule is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Submission needs a comment on one of the rule's figures.
    Warning,
}

/// A declared validation rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationRule {
    /// `[a-z][a-z0-9_]*`, unique in the covenant.
    pub id: String,
    /// What the rule says, in words ("Tin đã giải quyết không vượt quá tin đã tiếp nhận").
    pub name: Text,
    /// The expression that must hold, e.g. `reports_resolved <= reports_received`.
    pub check: String,
    pub severity: Severity,
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Num(Decimal),
    Elem(usize),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

/// A rule compiled against a form's element list.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledRule {
    pub rule: ValidationRule,
    expr: Expr,
    /// Positions of the elements the rule names.
    pub elements: BTreeSet<usize>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Decimal),
    Ident(String),
    Op(&'static str),
}

fn tokens(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let d = Decimal::from_str_exact(&text).map_err(|_| format!("bad number {text}"))?;
            out.push(Tok::Num(d));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["<=", ">=", "==", "!="]
                .into_iter()
                .find(|o| *o == two)
                .or_else(|| {
                    ["<", ">", "+", "-", "*", "/", "(", ")"]
                        .into_iter()
                        .find(|o| o.starts_with(c))
                })
                .ok_or_else(|| format!("unexpected character {c:?}"))?;
            i += op.len();
            out.push(Tok::Op(op));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    elements: &'a [String],
    used: BTreeSet<usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(x)) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }
    fn not(&mut self) -> Result<Expr, String> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Expr, String> {
        let left = self.sum()?;
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            if self.eat_op(op) {
                let right = self.sum()?;
                return Ok(Expr::Cmp(op, Box::new(left), Box::new(right)));
            }
        }
        Ok(left)
    }
    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        loop {
            let op = if self.eat_op("+") {
                '+'
            } else if self.eat_op("-") {
                '-'
            } else {
                return Ok(left);
            };
            left = Expr::Bin(op, Box::new(left), Box::new(self.term()?));
        }
    }
    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.factor()?;
        loop {
            let op = if self.eat_op("*") {
                '*'
            } else if self.eat_op("/") {
                '/'
            } else {
                return Ok(left);
            };
            left = Expr::Bin(op, Box::new(left), Box::new(self.factor()?));
        }
    }
    fn factor(&mut self) -> Result<Expr, String> {
        if self.eat_op("-") {
            return Ok(Expr::Neg(Box::new(self.factor()?)));
        }
        if self.eat_op("(") {
            let e = self.or()?;
            if !self.eat_op(")") {
                return Err("missing )".into());
            }
            return Ok(e);
        }
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(d)) => {
                self.pos += 1;
                Ok(Expr::Num(d))
            }
            Some(Tok::Ident(name)) if !["and", "or", "not"].contains(&name.as_str()) => {
                self.pos += 1;
                let i = self
                    .elements
                    .iter()
                    .position(|e| *e == name)
                    .ok_or_else(|| format!("the regulation has no data element {name}"))?;
                self.used.insert(i);
                Ok(Expr::Elem(i))
            }
            None => Err("the check ends too early".into()),
            Some(Tok::Op(op)) => Err(format!("unexpected {op}")),
            Some(Tok::Ident(word)) => Err(format!("unexpected {word}")),
        }
    }
}

/// Whether an expression gives yes/no (true) or a number (false).
fn is_bool(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Cmp(..) | Expr::And(..) | Expr::Or(..) | Expr::Not(..)
    )
}

fn type_check(e: &Expr) -> Result<(), String> {
    let num = |x: &Expr| {
        type_check(x)?;
        if is_bool(x) {
            Err("a yes/no value where a number is needed".to_string())
        } else {
            Ok(())
        }
    };
    let boolean = |x: &Expr| {
        type_check(x)?;
        if is_bool(x) {
            Ok(())
        } else {
            Err("a number where yes/no is needed".to_string())
        }
    };
    match e {
        Expr::Num(_) | Expr::Elem(_) => Ok(()),
        Expr::Neg(x) => num(x),
        Expr::Bin(_, a, b) | Expr::Cmp(_, a, b) => num(a).and(num(b)),
        Expr::And(a, b) | Expr::Or(a, b) => boolean(a).and(boolean(b)),
        Expr::Not(x) => boolean(x),
    }
}

/// Whether `id` may name a validation rule: a-z first, then a-z, 0-9 and `_`, at most 64.
pub fn valid_rule_id(id: &str) -> bool {
    id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Compiles a rule against the form's element ids; the error says what is wrong.
pub fn compile(rule: &ValidationRule, elements: &[String]) -> Result<CompiledRule, DomainError> {
    let bad = |reason: String| DomainError::InvalidRule {
        rule: rule.id.clone(),
        reason,
    };
    if !valid_rule_id(&rule.id) {
        return Err(bad("the id must be a-z, 0-9 and _".into()));
    }
    if rule.check.chars().count() > 500 {
        return Err(bad("the check is longer than 500 characters".into()));
    }
    let mut p = Parser {
        toks: tokens(&rule.check).map_err(bad)?,
        pos: 0,
        elements,
        used: BTreeSet::new(),
    };
    let expr = p.or().map_err(bad)?;
    if p.pos != p.toks.len() {
        return Err(bad("unexpected text after the expression".into()));
    }
    type_check(&expr).map_err(bad)?;
    if !is_bool(&expr) {
        return Err(bad("the check must be a comparison (yes/no)".into()));
    }
    Ok(CompiledRule {
        rule: rule.clone(),
        expr,
        elements: p.used,
    })
}

enum V {
    N(Decimal),
    B(bool),
}

fn eval(e: &Expr, value: &dyn Fn(usize) -> Option<Decimal>) -> Option<V> {
    let num = |x: &Expr| match eval(x, value)? {
        V::N(d) => Some(d),
        V::B(_) => None,
    };
    let boolean = |x: &Expr| match eval(x, value)? {
        V::B(b) => Some(b),
        V::N(_) => None,
    };
    Some(match e {
        Expr::Num(d) => V::N(*d),
        Expr::Elem(i) => V::N(value(*i)?),
        Expr::Neg(x) => V::N(-num(x)?),
        Expr::Bin(op, a, b) => {
            let (a, b) = (num(a)?, num(b)?);
            V::N(match op {
                '+' => a.checked_add(b)?,
                '-' => a.checked_sub(b)?,
                '*' => a.checked_mul(b)?,
                _ => a.checked_div(b)?,
            })
        }
        Expr::Cmp(op, a, b) => {
            let (a, b) = (num(a)?, num(b)?);
            V::B(match *op {
                "<=" => a <= b,
                ">=" => a >= b,
                "==" => a == b,
                "!=" => a != b,
                "<" => a < b,
                _ => a > b,
            })
        }
        Expr::And(a, b) => V::B(boolean(a)? && boolean(b)?),
        Expr::Or(a, b) => V::B(boolean(a)? || boolean(b)?),
        Expr::Not(x) => V::B(!boolean(x)?),
    })
}

impl CompiledRule {
    /// Whether the rule holds for the figures `value(position)`; `None` when it does not apply
    /// (a figure missing or not applicable, a division by zero).
    pub fn holds(&self, value: &dyn Fn(usize) -> Option<Decimal>) -> Option<bool> {
        match eval(&self.expr, value)? {
            V::B(b) => Some(b),
            V::N(_) => None,
        }
    }
}

/// How tightly an expression binds when written out (looser ones are parenthesised inside
/// tighter ones).
fn binding(e: &Expr) -> u8 {
    match e {
        Expr::Or(..) => 1,
        Expr::And(..) => 2,
        Expr::Not(_) => 3,
        Expr::Cmp(..) => 4,
        Expr::Bin('+' | '-', ..) => 5,
        Expr::Bin(..) => 6,
        Expr::Neg(_) => 7,
        Expr::Num(_) | Expr::Elem(_) => 8,
    }
}

/// How a check is written for people: its connectives ("và", "hoặc", "không phải" in
/// Vietnamese) and its numbers ("0,5": the caller's number format).
pub struct Connectives {
    pub and: &'static str,
    pub or: &'static str,
    pub not: &'static str,
    pub number: fn(&Decimal) -> String,
}

fn write_words(e: &Expr, name: &dyn Fn(usize) -> String, c: &Connectives, min: u8) -> String {
    let sub = |x: &Expr, m: u8| write_words(x, name, c, m);
    let p = binding(e);
    let text = match e {
        Expr::Num(d) => (c.number)(d),
        Expr::Elem(i) => format!("«{}»", name(*i)),
        Expr::Neg(x) => format!("-{}", sub(x, p)),
        Expr::Bin(op, a, b) => {
            let op = match op {
                '*' => '×',
                '/' => ':',
                other => *other,
            };
            format!("{} {op} {}", sub(a, p), sub(b, p + 1))
        }
        Expr::Cmp(op, a, b) => {
            let op = match *op {
                "<=" => "≤",
                ">=" => "≥",
                "==" => "=",
                "!=" => "≠",
                other => other,
            };
            format!("{} {op} {}", sub(a, p + 1), sub(b, p + 1))
        }
        Expr::And(a, b) => format!("{} {} {}", sub(a, p), c.and, sub(b, p + 1)),
        Expr::Or(a, b) => format!("{} {} {}", sub(a, p), c.or, sub(b, p + 1)),
        Expr::Not(x) => format!("{} {}", c.not, sub(x, p)),
    };
    if p < min {
        format!("({text})")
    } else {
        text
    }
}

impl CompiledRule {
    /// The check as people read it: each figure by `name` (its element's name, from its
    /// position in the form) in «», comparisons as ≤ ≥ = ≠, numbers as `connectives` write them —
    /// "«Tin đã giải quyết» ≤ «Tin đã tiếp nhận»" for `reports_resolved <= reports_received`.
    pub fn words(&self, name: &dyn Fn(usize) -> String, connectives: &Connectives) -> String {
        write_words(&self.expr, name, connectives, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_written_in_words_with_the_figures_names() {
        let elements: Vec<String> = ["solved", "crimes", "personnel"].map(String::from).into();
        let names = ["Vụ khám phá", "Vụ phạm tội", "Quân số"];
        let c = Connectives {
            and: "và",
            or: "hoặc",
            not: "không phải",
            number: |d| d.to_string().replace('.', ","),
        };
        let words = |check: &str| {
            let compiled = compile(&rule(check), &elements).unwrap();
            compiled.words(&|i| names[i].to_owned(), &c)
        };
        assert_eq!(words("solved <= crimes"), "«Vụ khám phá» ≤ «Vụ phạm tội»");
        assert_eq!(
            words("(solved + 1) * 2 >= crimes and personnel > 0.5"),
            "(«Vụ khám phá» + 1) × 2 ≥ «Vụ phạm tội» và «Quân số» > 0,5"
        );
        assert_eq!(
            words("not (solved == 0 or crimes != 1)"),
            "không phải («Vụ khám phá» = 0 hoặc «Vụ phạm tội» ≠ 1)"
        );
    }

    fn rule(check: &str) -> ValidationRule {
        ValidationRule {
            id: "r".into(),
            name: Text::parse("name", "quy tắc", 100).unwrap(),
            check: check.into(),
            severity: Severity::Error,
        }
    }

    #[test]
    fn rules_compare_figures_of_one_window() {
        let els: Vec<String> = ["received", "resolved", "personnel"]
            .map(String::from)
            .to_vec();
        let r = compile(&rule("resolved <= received"), &els).unwrap();
        assert_eq!(r.elements, BTreeSet::from([0, 1]));
        let vals = |a: i64, b: i64| {
            move |i: usize| [Some(Decimal::from(a)), Some(Decimal::from(b)), None][i]
        };
        assert_eq!(r.holds(&vals(10, 9)), Some(true));
        assert_eq!(r.holds(&vals(10, 11)), Some(false));
        let p = compile(&rule("personnel > 0"), &els).unwrap();
        assert_eq!(
            p.holds(&vals(1, 1)),
            None,
            "a missing figure: the rule does not apply"
        );
        let c = compile(
            &rule("not (resolved / received < 0.5) and (received >= 0 or -resolved == 1)"),
            &els,
        )
        .unwrap();
        assert_eq!(c.holds(&vals(10, 6)), Some(true));
        assert_eq!(c.holds(&vals(0, 6)), None, "division by zero");
        for bad in [
            "resolved",
            "resolved <= nothing",
            "resolved <=",
            "a $ b",
            "(received > 1",
        ] {
            assert!(compile(&rule(bad), &els).is_err(), "{bad}");
        }
    }
}
