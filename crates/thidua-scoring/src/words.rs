//! Expressions in plain Vietnamese for explanations: `pct(a, b)` reads "tỷ lệ «A» trên «B»",
//! `pct_change(x, x@cung_ky)` "mức tăng/giảm (%) của «X» so với «X» cùng kỳ năm trước",
//! `a >= 90` "«A» lớn hơn hoặc bằng 90". Names are the regulation's, numbers are written "0,5".
//! Owns no logic of its own: the engine decides, this module only words it.
use crate::ast::{BinOp, Func, Selector, UnOp};
use crate::compile::{CExpr, CompiledRegulation};
use crate::num::vi;

/// How tightly a phrase binds (parenthesised inside a tighter context).
fn prec(e: &CExpr) -> u8 {
    match e {
        CExpr::Binary(op, ..) => op.prec(),
        CExpr::If(..) => 0,
        CExpr::Unary(UnOp::Not, _) => 3,
        _ => 9,
    }
}

/// Vietnamese name of a comparison operator.
pub(crate) fn op_vi(op: BinOp) -> &'static str {
    match op {
        BinOp::Eq => "bằng",
        BinOp::Ne => "khác",
        BinOp::Lt => "nhỏ hơn",
        BinOp::Le => "nhỏ hơn hoặc bằng",
        BinOp::Gt => "lớn hơn",
        BinOp::Ge => "lớn hơn hoặc bằng",
        BinOp::And => "và",
        BinOp::Or => "hoặc",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "×",
        BinOp::Div => "/",
    }
}

/// The phrase for a period selector, after a name.
pub(crate) fn selector_vi(reg: &CompiledRegulation, sel: Option<Selector>) -> String {
    match sel {
        None => String::new(),
        Some(Selector::CungKy) => " cùng kỳ năm trước".into(),
        Some(Selector::PrevYear) => " cả năm trước".into(),
        Some(Selector::Ytd) => " từ đầu năm".into(),
        Some(Selector::Baseline) => match reg.ast.baseline_year {
            Some(y) => format!(" cùng kỳ năm {y} (năm gốc)"),
            None => " năm gốc".into(),
        },
        Some(Selector::Year(y)) => format!(" cùng kỳ năm {y}"),
        Some(Selector::Period(p)) => format!(" kỳ {p}"),
    }
}

/// The expression in plain Vietnamese.
pub(crate) fn expr_vi(e: &CExpr, reg: &CompiledRegulation) -> String {
    let mut s = String::new();
    write(e, reg, 0, &mut s);
    s
}

fn write(e: &CExpr, reg: &CompiledRegulation, ctx: u8, o: &mut String) {
    let paren = prec(e) < ctx;
    if paren {
        o.push('(');
    }
    match e {
        CExpr::Num(n) => o.push_str(&match n.to_decimal() {
            Some(d) => vi(d),
            None => n.to_string(),
        }),
        CExpr::Bool(b) => o.push_str(if *b { "đúng" } else { "sai" }),
        CExpr::Elem(i, sel) => {
            o.push('«');
            o.push_str(&reg.ast.elements[*i].name);
            o.push('»');
            o.push_str(&selector_vi(reg, *sel));
        }
        CExpr::Ind(i, sel) => {
            o.push('«');
            o.push_str(&reg.indicators[*i].name);
            o.push('»');
            o.push_str(&selector_vi(reg, *sel));
        }
        CExpr::Points(n) => {
            let node = &reg.nodes[*n];
            o.push_str(&format!("điểm của «{}» [{}]", node.name, node.id));
        }
        CExpr::Unary(UnOp::Neg, x) => {
            o.push('-');
            write(x, reg, 7, o);
        }
        CExpr::Unary(UnOp::Not, x) => {
            o.push_str("không phải ");
            write(x, reg, 4, o);
        }
        CExpr::Binary(op, a, b) => {
            let p = op.prec();
            write(a, reg, p, o);
            o.push(' ');
            o.push_str(op_vi(*op));
            o.push(' ');
            write(b, reg, p + 1, o);
        }
        CExpr::If(c, a, b) => {
            o.push_str("nếu ");
            write(c, reg, 1, o);
            o.push_str(" thì ");
            write(a, reg, 1, o);
            o.push_str(", ngược lại ");
            write(b, reg, 1, o);
        }
        CExpr::Call(f, args) => call(*f, args, reg, o),
    }
    if paren {
        o.push(')');
    }
}

fn call(f: Func, args: &[CExpr], reg: &CompiledRegulation, o: &mut String) {
    let arg = |i: usize, o: &mut String| write(&args[i], reg, 8, o);
    let list = |o: &mut String| {
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                o.push_str("; ");
            }
            write(a, reg, 1, o);
        }
    };
    match f {
        Func::Pct => {
            o.push_str("tỷ lệ ");
            arg(0, o);
            o.push_str(" trên ");
            arg(1, o);
            o.push_str(" (%)");
        }
        Func::PctChange => {
            o.push_str("mức tăng/giảm (%) của ");
            arg(0, o);
            o.push_str(" so với ");
            arg(1, o);
        }
        Func::Min => {
            o.push_str("số nhỏ nhất trong (");
            list(o);
            o.push(')');
        }
        Func::Max => {
            o.push_str("số lớn nhất trong (");
            list(o);
            o.push(')');
        }
        Func::Clamp => {
            arg(0, o);
            o.push_str(" giới hạn trong khoảng ");
            arg(1, o);
            o.push_str(" … ");
            arg(2, o);
        }
        Func::Abs => {
            o.push_str("giá trị tuyệt đối của ");
            arg(0, o);
        }
        Func::Round => {
            arg(0, o);
            o.push_str(" làm tròn ");
            arg(1, o);
            o.push_str(" chữ số thập phân");
        }
        Func::Points => o.push_str("điểm"),
    }
}

/// The expression in the regulation's own notation (as in its canonical form).
pub(crate) fn expr_code(e: &CExpr, reg: &CompiledRegulation) -> String {
    let mut s = String::new();
    code(e, reg, 0, &mut s);
    s
}

fn code(e: &CExpr, reg: &CompiledRegulation, ctx: u8, o: &mut String) {
    let sel = |o: &mut String, s: &Option<Selector>| {
        if let Some(s) = s {
            o.push('@');
            o.push_str(&crate::syntax::expr::selector_text(s));
        }
    };
    match e {
        CExpr::Num(n) => {
            let t = n.to_string();
            if n.is_negative() && ctx > 0 {
                o.push_str(&format!("({t})"));
            } else {
                o.push_str(&t);
            }
        }
        CExpr::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        CExpr::Elem(i, s) => {
            o.push_str(&reg.ast.elements[*i].id);
            sel(o, s);
        }
        CExpr::Ind(i, s) => {
            o.push_str(&reg.indicators[*i].id);
            sel(o, s);
        }
        CExpr::Points(n) => o.push_str(&format!("points({})", reg.nodes[*n].id)),
        CExpr::Unary(UnOp::Neg, x) => {
            o.push('-');
            code(x, reg, 7, o);
        }
        CExpr::Unary(UnOp::Not, x) => {
            let paren = ctx > 3;
            if paren {
                o.push('(');
            }
            o.push_str("not ");
            code(x, reg, 3, o);
            if paren {
                o.push(')');
            }
        }
        CExpr::Binary(op, a, b) => {
            let p = op.prec();
            let paren = p < ctx;
            if paren {
                o.push('(');
            }
            code(a, reg, p, o);
            o.push(' ');
            o.push_str(op.symbol());
            o.push(' ');
            code(b, reg, p + 1, o);
            if paren {
                o.push(')');
            }
        }
        CExpr::If(c, a, b) => {
            let paren = ctx > 0;
            if paren {
                o.push('(');
            }
            o.push_str("if ");
            code(c, reg, 0, o);
            o.push_str(" then ");
            code(a, reg, 0, o);
            o.push_str(" else ");
            code(b, reg, 0, o);
            if paren {
                o.push(')');
            }
        }
        CExpr::Call(f, args) => {
            o.push_str(f.name());
            o.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    o.push_str(", ");
                }
                code(a, reg, 0, o);
            }
            o.push(')');
        }
    }
}
