//! The expression sub-language: lexing, parsing (precedence climbing) and canonical printing.
//!
//! ```text
//! expr    := or ;  or := and ("or" and)* ;  and := not ("and" not)* ;  not := "not" not | cmp
//! cmp     := add (("=="|"!="|"<"|"<="|">"|">=") add)?
//! add     := mul (("+"|"-") mul)* ;  mul := unary (("*"|"/") unary)* ;  unary := "-" unary | primary
//! primary := NUMBER | "true" | "false" | "(" expr ")" | "if" expr "then" expr "else" expr
//!          | NAME "(" expr ("," expr)* ")" | NAME ("@" SELECTOR)?
//! SELECTOR := cung_ky | prev_year | ytd | baseline | YEAR | PERIOD (2024-Q1 …)
//! ```
use crate::ast::{BinOp, Expr, Func, Selector, UnOp};
use crate::num;

/// A syntax error at an offset within the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub off: usize,
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(String),
    Name(String),
    Sel(String),
    Op(&'static str),
    End,
}

const MAX_DEPTH: usize = 64;
/// The longest expression, in characters.
pub const MAX_EXPR_CHARS: usize = 4000;
/// The deepest expression tree (a chain `a + b + … ` of n terms is n deep).
pub const MAX_TREE_DEPTH: usize = 100;

/// Depth of an expression tree.
pub fn depth(e: &Expr) -> usize {
    1 + match e {
        Expr::Num(_) | Expr::Bool(_) | Expr::Ref { .. } => 0,
        Expr::Unary(_, x) => depth(x),
        Expr::Binary(_, a, b) => depth(a).max(depth(b)),
        Expr::If(c, a, b) => depth(c).max(depth(a)).max(depth(b)),
        Expr::Call { args, .. } => args.iter().map(depth).max().unwrap_or(0),
    }
}

fn limit(off: usize, vi: String, en: String) -> ExprError {
    ExprError {
        off,
        code: "expr_limit",
        vi,
        en,
    }
}

fn lex(s: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Num(s[start..i].to_string()), start));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Name(s[start..i].to_string()), start));
        } else if c == b'@' {
            i += 1;
            let st = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
                i += 1;
            }
            out.push((Tok::Sel(s[st..i].to_string()), start));
        } else {
            let two = s.get(i..i + 2).unwrap_or("");
            let op: &'static str = match two {
                "<=" => "<=",
                ">=" => ">=",
                "==" => "==",
                "!=" => "!=",
                _ => match c {
                    b'<' => "<",
                    b'>' => ">",
                    b'+' => "+",
                    b'-' => "-",
                    b'*' => "*",
                    b'/' => "/",
                    b'(' => "(",
                    b')' => ")",
                    b',' => ",",
                    _ => {
                        let ch = s[i..].chars().next().unwrap_or('?');
                        return Err(ExprError {
                            off: i,
                            code: "expr_syntax",
                            vi: format!("ký tự không hợp lệ `{ch}` trong biểu thức"),
                            en: format!("unexpected character `{ch}` in expression"),
                        });
                    }
                },
            };
            i += op.len();
            out.push((Tok::Op(op), start));
        }
    }
    out.push((Tok::End, s.len()));
    Ok(out)
}

struct P {
    toks: Vec<(Tok, usize)>,
    i: usize,
    depth: usize,
}

fn err(off: usize, vi: impl Into<String>, en: impl Into<String>) -> ExprError {
    ExprError {
        off,
        code: "expr_syntax",
        vi: vi.into(),
        en: en.into(),
    }
}

impl P {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].0
    }
    fn off(&self) -> usize {
        self.toks[self.i].1
    }
    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks[self.i].clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        t
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == kw)
    }
    fn expect_op(&mut self, op: &str) -> Result<(), ExprError> {
        if self.is_op(op) {
            self.bump();
            Ok(())
        } else {
            Err(err(
                self.off(),
                format!("thiếu `{op}`"),
                format!("expected `{op}`"),
            ))
        }
    }
    fn expect_kw(&mut self, kw: &str) -> Result<(), ExprError> {
        if self.is_kw(kw) {
            self.bump();
            Ok(())
        } else {
            Err(err(
                self.off(),
                format!("thiếu từ khoá `{kw}`"),
                format!("expected keyword `{kw}`"),
            ))
        }
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(limit(
                self.off(),
                format!("biểu thức lồng nhau quá sâu (tối đa {MAX_DEPTH} tầng ngoặc): tách thành các chỉ tiêu tính toán ([[indicator]])"),
                format!("expression nested too deeply (at most {MAX_DEPTH} levels of parentheses): split it into indicators ([[indicator]])"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let r = self.binary(1);
        self.depth -= 1;
        r
    }

    fn binop(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Name(n) if n == "or" => BinOp::Or,
            Tok::Name(n) if n == "and" => BinOp::And,
            Tok::Op(o) => match *o {
                "==" => BinOp::Eq,
                "!=" => BinOp::Ne,
                "<" => BinOp::Lt,
                "<=" => BinOp::Le,
                ">" => BinOp::Gt,
                ">=" => BinOp::Ge,
                "+" => BinOp::Add,
                "-" => BinOp::Sub,
                "*" => BinOp::Mul,
                "/" => BinOp::Div,
                _ => return None,
            },
            _ => return None,
        })
    }

    fn binary(&mut self, min: u8) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.binop() {
            if op.prec() < min {
                break;
            }
            let off = self.off();
            self.bump();
            let rhs = self.binary(op.prec() + 1)?;
            if op.prec() == 4 {
                if let Expr::Binary(o, ..) = &lhs {
                    if o.prec() == 4 {
                        return Err(err(
                            off,
                            "không được nối các phép so sánh",
                            "comparisons cannot be chained",
                        ));
                    }
                }
            }
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let r = if self.is_op("-") {
            self.bump();
            self.unary().map(|e| match e {
                Expr::Num(n) => Expr::Num(-n),
                e => Expr::Unary(UnOp::Neg, Box::new(e)),
            })
        } else if self.is_kw("not") {
            self.bump();
            let e = self.binary(3)?;
            Ok(Expr::Unary(UnOp::Not, Box::new(e)))
        } else {
            self.primary()
        };
        self.depth -= 1;
        r
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let (tok, off) = self.bump();
        match tok {
            Tok::Num(t) => num::parse_decimal(&t).map(Expr::Num).ok_or_else(|| {
                err(
                    off,
                    format!("số không hợp lệ `{t}`"),
                    format!("invalid number `{t}`"),
                )
            }),
            Tok::Op("(") => {
                let e = self.expr()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Name(n) => match n.as_str() {
                "true" => Ok(Expr::Bool(true)),
                "false" => Ok(Expr::Bool(false)),
                "if" => {
                    let c = self.expr()?;
                    self.expect_kw("then")?;
                    let a = self.expr()?;
                    self.expect_kw("else")?;
                    let b = self.expr()?;
                    Ok(Expr::If(Box::new(c), Box::new(a), Box::new(b)))
                }
                "and" | "or" | "not" | "then" | "else" => Err(err(
                    off,
                    format!("thiếu toán hạng trước `{n}`"),
                    format!("operand expected before `{n}`"),
                )),
                _ if self.is_op("(") => {
                    self.bump();
                    let func = Func::from_name(&n).ok_or_else(|| ExprError {
                        off,
                        code: "unknown_function",
                        vi: format!("hàm không xác định `{n}`"),
                        en: format!("unknown function `{n}`"),
                    })?;
                    let mut args = vec![self.expr()?];
                    while self.is_op(",") {
                        self.bump();
                        args.push(self.expr()?);
                    }
                    self.expect_op(")")?;
                    let (lo, hi) = func.arity();
                    if args.len() < lo || args.len() > hi {
                        return Err(ExprError {
                            off,
                            code: "unknown_function",
                            vi: format!("hàm `{n}` nhận {lo}–{hi} đối số, có {}", args.len()),
                            en: format!(
                                "function `{n}` takes {lo}–{hi} arguments, got {}",
                                args.len()
                            ),
                        });
                    }
                    Ok(Expr::Call { func, args, off })
                }
                _ => {
                    let sel = if let Tok::Sel(s) = self.peek().clone() {
                        let soff = self.off();
                        self.bump();
                        Some(parse_selector(&s).ok_or_else(|| {
                            err(
                                soff,
                                format!("bộ chọn kỳ không hợp lệ `@{s}`"),
                                format!("invalid period selector `@{s}`"),
                            )
                        })?)
                    } else {
                        None
                    };
                    Ok(Expr::Ref { name: n, sel, off })
                }
            },
            Tok::End => Err(err(
                off,
                "biểu thức kết thúc đột ngột",
                "unexpected end of expression",
            )),
            Tok::Sel(s) => Err(err(
                off,
                format!("`@{s}` phải đi sau một tên"),
                format!("`@{s}` must follow a name"),
            )),
            Tok::Op(o) => Err(err(
                off,
                format!("không mong đợi `{o}`"),
                format!("unexpected `{o}`"),
            )),
        }
    }
}

fn parse_selector(s: &str) -> Option<Selector> {
    Some(match s {
        "cung_ky" => Selector::CungKy,
        "prev_year" => Selector::PrevYear,
        "ytd" => Selector::Ytd,
        "baseline" => Selector::Baseline,
        _ if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => {
            let y: i32 = s.parse().ok()?;
            if !(crate::period::MIN_YEAR..=crate::period::MAX_YEAR).contains(&y) {
                return None;
            }
            Selector::Year(y)
        }
        _ => Selector::Period(s.parse().ok()?),
    })
}

/// Parses one expression.
pub fn parse_expr(s: &str) -> Result<Expr, ExprError> {
    let chars = s.chars().count();
    if chars > MAX_EXPR_CHARS {
        return Err(limit(
            0,
            format!("biểu thức quá dài ({chars} ký tự, tối đa {MAX_EXPR_CHARS}): tách thành các chỉ tiêu tính toán ([[indicator]])"),
            format!("expression too long ({chars} characters, at most {MAX_EXPR_CHARS}): split it into indicators ([[indicator]])"),
        ));
    }
    let toks = lex(s)?;
    let mut p = P {
        toks,
        i: 0,
        depth: 0,
    };
    let e = p.expr()?;
    if !matches!(p.peek(), Tok::End) {
        return Err(err(
            p.off(),
            "thừa ký tự sau biểu thức",
            "unexpected text after the expression",
        ));
    }
    let d = depth(&e);
    if d > MAX_TREE_DEPTH {
        return Err(limit(
            0,
            format!("biểu thức lồng nhau quá sâu ({d} tầng, tối đa {MAX_TREE_DEPTH}): tách thành các chỉ tiêu tính toán ([[indicator]])"),
            format!("expression nested too deeply ({d} levels, at most {MAX_TREE_DEPTH}): split it into indicators ([[indicator]])"),
        ));
    }
    Ok(e)
}

/// Canonical text of a selector.
pub fn selector_text(s: &Selector) -> String {
    match s {
        Selector::CungKy => "cung_ky".into(),
        Selector::PrevYear => "prev_year".into(),
        Selector::Ytd => "ytd".into(),
        Selector::Baseline => "baseline".into(),
        Selector::Year(y) => y.to_string(),
        Selector::Period(p) => p.to_string(),
    }
}

/// Canonical text: single spaces around binary operators, minimal parentheses.
pub fn print_expr(e: &Expr) -> String {
    let mut s = String::new();
    print_into(e, 0, &mut s);
    s
}

fn print_into(e: &Expr, ctx: u8, out: &mut String) {
    match e {
        Expr::Num(n) => {
            if n.is_sign_negative() && !n.is_zero() && ctx > 0 {
                out.push('(');
                out.push_str(&num::canonical(*n));
                out.push(')');
            } else {
                out.push_str(&num::canonical(*n));
            }
        }
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Ref { name, sel, .. } => {
            out.push_str(name);
            if let Some(s) = sel {
                out.push('@');
                out.push_str(&selector_text(s));
            }
        }
        Expr::Unary(UnOp::Neg, x) => {
            out.push('-');
            print_into(x, 7, out);
        }
        Expr::Unary(UnOp::Not, x) => {
            let paren = ctx > 3;
            if paren {
                out.push('(');
            }
            out.push_str("not ");
            print_into(x, 3, out);
            if paren {
                out.push(')');
            }
        }
        Expr::Binary(op, a, b) => {
            let p = op.prec();
            let paren = p < ctx;
            if paren {
                out.push('(');
            }
            print_into(a, p, out);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            print_into(b, p + 1, out);
            if paren {
                out.push(')');
            }
        }
        Expr::If(c, a, b) => {
            let paren = ctx > 0;
            if paren {
                out.push('(');
            }
            out.push_str("if ");
            print_into(c, 0, out);
            out.push_str(" then ");
            print_into(a, 0, out);
            out.push_str(" else ");
            print_into(b, 0, out);
            if paren {
                out.push(')');
            }
        }
        Expr::Call { func, args, .. } => {
            out.push_str(func.name());
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                print_into(a, 0, out);
            }
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "pct_change(crimes, crimes@baseline)",
            "a + b * c",
            "(a + b) * c",
            "a - (b - c)",
            "not a and b",
            "if x > 1 then 2 else -3",
            "min(1, 2, x@2024-Q1)",
            "a / b / c",
            "-x * 2",
        ] {
            let e = parse_expr(s).unwrap();
            let p = print_expr(&e);
            assert_eq!(parse_expr(&p).unwrap(), e, "{s} -> {p}");
        }
        assert_eq!(print_expr(&parse_expr("(a+b)*c").unwrap()), "(a + b) * c");
    }

    #[test]
    fn rejects() {
        assert!(parse_expr("a <").is_err());
        assert!(parse_expr("a < b < c").is_err());
        assert!(parse_expr("foo(1)").is_err());
        assert!(parse_expr("x@nonsense").is_err());
        assert!(parse_expr("a $ b").is_err());
        assert_eq!(parse_expr(&"(".repeat(500)).unwrap_err().code, "expr_limit");
        let long = vec!["x"; 15_000].join(" + ");
        assert_eq!(parse_expr(&long).unwrap_err().code, "expr_limit");
        let deep = vec!["x"; 150].join("+");
        assert!(parse_expr(&deep).unwrap_err().vi.contains("150 tầng"));
    }
}
