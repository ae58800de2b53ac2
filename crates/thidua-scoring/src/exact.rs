//! Exact rational numbers, the engine's only arithmetic. Every division is carried exactly as a
//! numerator and a denominator, so a value is rounded once, from its true value (`1/3 × 4,515`
//! is exactly `1,505`, never `1,50499…`). Values whose parts fit in `i64` need no allocation;
//! larger ones move to big integers. A value whose numerator or denominator would need more than
//! [`MAX_BITS`] bits is refused ([`ArithError::TooLarge`]), never truncated.
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt;

/// The largest numerator or denominator, in bits (about 300 decimal digits).
pub const MAX_BITS: u64 = 1024;

/// Why an operation has no exact result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    DivZero,
    TooLarge,
}

/// How to round to a number of decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Half away from zero (what spreadsheets' `ROUND` does).
    HalfUp,
    /// Half to the even neighbour.
    HalfEven,
    /// Toward zero (cut).
    Down,
}

/// An exact rational number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Exact(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// `n / d` in lowest terms, `d > 0`, `|n|, d ≤ i64::MAX`.
    Small(i64, i64),
    /// In lowest terms; only when a part does not fit [`Repr::Small`].
    Big(Box<BigRational>),
}

type R = Result<Exact, ArithError>;

fn gcd64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

fn gcd128(mut a: u128, mut b: u128) -> u128 {
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        return gcd64(a as u64, b as u64) as u128;
    }
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
        if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
            return (gcd64(a as u64, b as u64) as u128) << shift;
        }
    }
}

fn pow10_i128(p: u32) -> i128 {
    10i128.pow(p)
}

impl Exact {
    pub const ZERO: Exact = Exact(Repr::Small(0, 1));
    pub const ONE: Exact = Exact(Repr::Small(1, 1));

    /// An integer.
    pub const fn int(n: i64) -> Exact {
        if n == i64::MIN {
            // Not representable as Small by the invariant; never used with this value.
            Exact(Repr::Small(i64::MIN + 1, 1))
        } else {
            Exact(Repr::Small(n, 1))
        }
    }

    /// `n / d` from 64-bit parts (`d > 0`), reduced without 128-bit division.
    fn from_i64(n: i64, d: i64) -> Exact {
        if d == 1 {
            return Exact(Repr::Small(n, 1));
        }
        let g = gcd64(n.unsigned_abs(), d as u64) as i64;
        if g > 1 {
            Exact(Repr::Small(n / g, d / g))
        } else {
            Exact(Repr::Small(n, d))
        }
    }

    /// `n / d` from 128-bit parts (`d ≠ 0`), reduced.
    fn from_i128(n: i128, d: i128) -> Exact {
        debug_assert!(d != 0);
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        if let (Ok(a), Ok(b)) = (i64::try_from(n), i64::try_from(d)) {
            if a != i64::MIN {
                return Exact::from_i64(a, b);
            }
        }
        let g = gcd128(n.unsigned_abs(), d as u128) as i128;
        let (n, d) = if g > 1 { (n / g, d / g) } else { (n, d) };
        match (i64::try_from(n), i64::try_from(d)) {
            (Ok(a), Ok(b)) if a != i64::MIN => Exact(Repr::Small(a, b)),
            _ => Exact::from_big(BigRational::new_raw(BigInt::from(n), BigInt::from(d))),
        }
    }

    /// From a reduced big rational: back to Small when it fits.
    fn from_big(r: BigRational) -> Exact {
        if let (Some(n), Some(d)) = (r.numer().to_i64(), r.denom().to_i64()) {
            if n != i64::MIN {
                return Exact(Repr::Small(n, d));
            }
        }
        Exact(Repr::Big(Box::new(r)))
    }

    fn checked_big(r: BigRational) -> R {
        if r.numer().bits() > MAX_BITS || r.denom().bits() > MAX_BITS {
            return Err(ArithError::TooLarge);
        }
        Ok(Exact::from_big(r))
    }

    fn big(&self) -> BigRational {
        match &self.0 {
            Repr::Small(n, d) => BigRational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Repr::Big(b) => (**b).clone(),
        }
    }

    /// The exact value of a decimal.
    pub fn from_decimal(d: Decimal) -> Exact {
        let m = d.mantissa();
        let s = d.scale();
        if s == 0 {
            if let Ok(n) = i64::try_from(m) {
                if n != i64::MIN {
                    return Exact(Repr::Small(n, 1));
                }
            }
        }
        Exact::from_i128(m, pow10_i128(s))
    }

    /// Numerator and denominator as text (lowest terms, denominator > 0).
    pub fn parts(&self) -> (String, String) {
        match &self.0 {
            Repr::Small(n, d) => (n.to_string(), d.to_string()),
            Repr::Big(b) => (b.numer().to_string(), b.denom().to_string()),
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small(0, _))
    }

    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n < 0,
            Repr::Big(b) => b.is_negative(),
        }
    }

    /// Whether the value is an integer.
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Small(_, d) => *d == 1,
            Repr::Big(b) => b.is_integer(),
        }
    }

    pub fn neg(&self) -> Exact {
        match &self.0 {
            Repr::Small(n, d) => Exact(Repr::Small(-n, *d)),
            Repr::Big(b) => Exact::from_big(-(**b).clone()),
        }
    }

    pub fn abs(&self) -> Exact {
        if self.is_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    pub fn add(&self, o: &Exact) -> R {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &o.0) {
            if b == d {
                if let Some(n) = a.checked_add(*c).filter(|n| *n != i64::MIN) {
                    return Ok(Exact::from_i64(n, *b));
                }
            }
            let fast = a
                .checked_mul(*d)
                .zip(c.checked_mul(*b))
                .and_then(|(x, y)| x.checked_add(y))
                .zip(b.checked_mul(*d))
                .filter(|(n, _)| *n != i64::MIN);
            if let Some((n, m)) = fast {
                return Ok(Exact::from_i64(n, m));
            }
            let (a, b, c, d) = (*a as i128, *b as i128, *c as i128, *d as i128);
            return Ok(Exact::from_i128(a * d + c * b, b * d));
        }
        Exact::checked_big(self.big() + o.big())
    }

    pub fn sub(&self, o: &Exact) -> R {
        self.add(&o.neg())
    }

    pub fn mul(&self, o: &Exact) -> R {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &o.0) {
            // Cross-reduce first: the product of the reduced parts is in lowest terms.
            let g1 = gcd64(a.unsigned_abs(), d.unsigned_abs()).max(1) as i64;
            let g2 = gcd64(c.unsigned_abs(), b.unsigned_abs()).max(1) as i64;
            let n = (a / g1) as i128 * (c / g2) as i128;
            if n == 0 {
                return Ok(Exact::ZERO);
            }
            let m = (b / g2) as i128 * (d / g1) as i128;
            return Ok(match (i64::try_from(n), i64::try_from(m)) {
                (Ok(x), Ok(y)) if x != i64::MIN => Exact(Repr::Small(x, y)),
                _ => return Exact::checked_big(BigRational::new(n.into(), m.into())),
            });
        }
        Exact::checked_big(self.big() * o.big())
    }

    pub fn div(&self, o: &Exact) -> R {
        if o.is_zero() {
            return Err(ArithError::DivZero);
        }
        self.mul(&o.recip())
    }

    fn recip(&self) -> Exact {
        match &self.0 {
            Repr::Small(n, d) if *n < 0 => Exact(Repr::Small(-d, -n)),
            Repr::Small(n, d) => Exact(Repr::Small(*d, *n)),
            Repr::Big(b) => Exact::from_big(b.recip()),
        }
    }

    pub fn min(self, o: Exact) -> Exact {
        if o < self {
            o
        } else {
            self
        }
    }

    pub fn max(self, o: Exact) -> Exact {
        if o > self {
            o
        } else {
            self
        }
    }

    /// The largest integer not above the value.
    pub fn floor(&self) -> Exact {
        match &self.0 {
            Repr::Small(n, d) => Exact::int(n.div_euclid(*d)),
            Repr::Big(b) => Exact::from_big(b.floor()),
        }
    }

    /// Rounded to `places` decimals from the exact value.
    pub fn round(&self, places: u32, mode: Rounding) -> Exact {
        if let Repr::Small(n, d) = &self.0 {
            if *d == 1 {
                return self.clone();
            }
            // In 64 bits when the scaled numerator fits (no 128-bit division).
            if let Some(scaled) = 10i64.checked_pow(places).and_then(|p| n.checked_mul(p)) {
                let (q, r) = (scaled.div_euclid(*d), scaled.rem_euclid(*d));
                let up = round_up(r.cmp(&(d - r)), r == 0, *n < 0, q % 2 == 0, mode);
                if let Some(q) = q.checked_add(up as i64).filter(|q| *q != i64::MIN) {
                    return Exact::from_i64(q, 10i64.pow(places));
                }
            }
            if places <= 18 {
                let scale = pow10_i128(places);
                let scaled = *n as i128 * scale;
                let d = *d as i128;
                let (q, r) = (scaled.div_euclid(d), scaled.rem_euclid(d));
                let up = round_up(r.cmp(&(d - r)), r == 0, *n < 0, q % 2 == 0, mode);
                return Exact::from_i128(q + up as i128, scale);
            }
        }
        let b = self.big();
        let scale = BigInt::from(10u8).pow(places);
        let scaled = b.numer() * &scale;
        let (q, r) = scaled.div_mod_floor(b.denom());
        let other = b.denom() - &r;
        let up = round_up(
            r.cmp(&other),
            r.is_zero(),
            b.is_negative(),
            q.is_even(),
            mode,
        );
        let q = if up { q + 1 } else { q };
        Exact::from_big(BigRational::new(q, scale))
    }

    /// Whether the value has a finite decimal expansion.
    pub fn is_decimal(&self) -> bool {
        let strip = |mut d: u64| {
            d >>= d.trailing_zeros();
            while d.is_multiple_of(5) {
                d /= 5;
            }
            d == 1
        };
        match &self.0 {
            Repr::Small(_, d) => strip(*d as u64),
            Repr::Big(b) => {
                let mut d = b.denom().clone();
                let two = d.trailing_zeros().unwrap_or(0);
                d >>= two;
                let five = BigInt::from(5u8);
                while (&d % &five).is_zero() {
                    d /= &five;
                }
                d.is_one()
            }
        }
    }

    /// The exact value as a decimal, when it has a finite expansion within `Decimal`'s range.
    pub fn to_decimal(&self) -> Option<Decimal> {
        Decimal::from_str_exact(&self.decimal_text()?).ok()
    }

    /// Canonical ASCII text when the expansion is finite (`95.5`, `-5`, `0`), else `None`.
    pub fn decimal_text(&self) -> Option<String> {
        if !self.is_decimal() {
            return None;
        }
        if let Repr::Small(n, d) = &self.0 {
            // d = 2^a 5^b divides 10^k for the smallest such k (k ≤ 63 fits 128 bits here).
            let mut k = 0u32;
            let mut p: i128 = 1;
            while p % (*d as i128) != 0 && k < 38 {
                p *= 10;
                k += 1;
            }
            if p % (*d as i128) == 0 {
                if let Some(m) = (*n as i128).checked_mul(p / *d as i128) {
                    return Some(place_point(&m.unsigned_abs().to_string(), k, m < 0));
                }
            }
        }
        let (n, d) = match &self.0 {
            Repr::Small(n, d) => (BigInt::from(*n), BigInt::from(*d)),
            Repr::Big(b) => (b.numer().clone(), b.denom().clone()),
        };
        // d = 2^a 5^b: scale to 10^k with k = max(a, b).
        let mut k = 0u32;
        let mut p = BigInt::one();
        while !(&p % &d).is_zero() {
            p *= 10;
            k += 1;
        }
        let m = n * (&p / &d);
        Some(place_point(
            &m.abs().to_string(),
            k,
            m.sign() == Sign::Minus,
        ))
    }

    /// ASCII text rounded half away from zero to at most `places` decimals, trailing zeros cut.
    pub fn approx_text(&self, places: u32) -> String {
        let r = self.round(places, Rounding::HalfUp);
        r.decimal_text().unwrap_or_else(|| "0".into())
    }

    /// The nearest double (for spreadsheets, which compute in binary floating point).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            // Exact for integers and for decimals whose parts are below 2^53.
            Repr::Small(n, d) => *n as f64 / *d as f64,
            Repr::Big(_) => self.approx_text(20).parse().unwrap_or(0.0),
        }
    }

    /// Text with `sig` significant digits at most (a spreadsheet's cached value); exact when
    /// the value's own decimal text is that short.
    pub fn sig_text(&self, sig: u32) -> String {
        let int_part = self.abs().floor().decimal_text().unwrap_or_default();
        let int_digits = if int_part == "0" {
            0
        } else {
            int_part.len() as u32
        };
        self.approx_text(sig.saturating_sub(int_digits))
    }
}

/// Whether rounding moves away from the floor `q` (the remainder `r` compared with `d - r`).
fn round_up(r_vs_rest: Ordering, exact: bool, neg: bool, q_even: bool, mode: Rounding) -> bool {
    if exact {
        return false;
    }
    match mode {
        // The floor is toward zero for positives; for negatives toward zero is one up.
        Rounding::Down => neg,
        Rounding::HalfUp => match r_vs_rest {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => !neg,
        },
        Rounding::HalfEven => match r_vs_rest {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => !q_even,
        },
    }
}

fn place_point(digits: &str, k: u32, neg: bool) -> String {
    let k = k as usize;
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if k == 0 {
        s.push_str(digits);
        return s;
    }
    let padded = if digits.len() <= k {
        format!("{}{digits}", "0".repeat(k + 1 - digits.len()))
    } else {
        digits.to_string()
    };
    let (i, f) = padded.split_at(padded.len() - k);
    let f = f.trim_end_matches('0');
    s.push_str(i);
    if !f.is_empty() {
        s.push('.');
        s.push_str(f);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

impl Ord for Exact {
    fn cmp(&self, o: &Exact) -> Ordering {
        match (&self.0, &o.0) {
            (Repr::Small(a, b), Repr::Small(c, d)) => {
                if b == d {
                    a.cmp(c)
                } else {
                    (*a as i128 * *d as i128).cmp(&(*c as i128 * *b as i128))
                }
            }
            _ => self.big().cmp(&o.big()),
        }
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, o: &Exact) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Default for Exact {
    fn default() -> Self {
        Exact::ZERO
    }
}

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Self {
        Exact::from_decimal(d)
    }
}

impl From<i64> for Exact {
    fn from(n: i64) -> Self {
        Exact::int(n)
    }
}

/// The canonical decimal text when the expansion is finite (`95.5`), else the fraction in
/// lowest terms (`6675/71`). This is also the JSON form.
impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decimal_text() {
            Some(t) => f.write_str(&t),
            None => {
                let (n, d) = self.parts();
                write!(f, "{n}/{d}")
            }
        }
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Reads `95.5`, `-5`, `1e3` or a fraction `1/3` (tests and tools).
impl std::str::FromStr for Exact {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.split_once('/') {
            Some((a, b)) => {
                let a: Exact = a.trim().parse()?;
                let b: Exact = b.trim().parse()?;
                a.div(&b).map_err(|_| ())
            }
            None => crate::num::parse_decimal(s).map(Exact::from).ok_or(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(s: &str) -> Exact {
        s.parse().unwrap()
    }

    #[test]
    fn exact_arithmetic() {
        let third = e("1").div(&e("3")).unwrap();
        assert_eq!(third.to_string(), "1/3");
        assert_eq!(third.mul(&e("4.515")).unwrap().to_string(), "1.505");
        assert_eq!(e("0.1").add(&e("0.2")).unwrap(), e("0.3"));
        assert_eq!(e("-7.5").to_string(), "-7.5");
        assert!(e("1/3") > e("0.3333333333333333333333333333"));
        assert_eq!(e("2/4"), e("1/2"));
        assert_eq!(e("1").div(&Exact::ZERO), Err(ArithError::DivZero));
    }

    #[test]
    fn rounds_once_from_the_exact_value() {
        // The reported case: 2 − 0,07 × (600/112 + 2) = 1,485 exactly.
        let v = e("118").sub(&e("112")).unwrap().div(&e("112")).unwrap();
        let v = v.mul(&e("100")).unwrap();
        let dist = v.sub(&e("-2")).unwrap();
        let p = e("2").sub(&e("0.07").mul(&dist).unwrap()).unwrap();
        assert_eq!(p.to_string(), "1.485");
        assert_eq!(p.round(2, Rounding::HalfUp).to_string(), "1.49");
        assert_eq!(p.round(2, Rounding::HalfEven).to_string(), "1.48");
        assert_eq!(p.round(2, Rounding::Down).to_string(), "1.48");
        let n = p.neg();
        assert_eq!(n.round(2, Rounding::HalfUp).to_string(), "-1.49");
        assert_eq!(n.round(2, Rounding::HalfEven).to_string(), "-1.48");
        assert_eq!(n.round(2, Rounding::Down).to_string(), "-1.48");
        assert_eq!(e("2.5").round(0, Rounding::HalfEven).to_string(), "2");
        assert_eq!(e("3.5").round(0, Rounding::HalfEven).to_string(), "4");
        assert_eq!(e("1/3").round(4, Rounding::HalfUp).to_string(), "0.3333");
        assert_eq!(e("2/3").round(4, Rounding::Down).to_string(), "0.6666");
        assert_eq!(e("-2/3").round(0, Rounding::Down).to_string(), "0");
    }

    #[test]
    fn big_values_stay_exact_and_too_large_is_refused() {
        let big = e("79228162514264337593543950335");
        let sq = big.mul(&big).unwrap();
        assert_eq!(sq.div(&big).unwrap(), big);
        let mut x = e("1e25");
        let mut err = None;
        for _ in 0..20 {
            match x.mul(&e("1e25")) {
                Ok(y) => x = y,
                Err(er) => {
                    err = Some(er);
                    break;
                }
            }
        }
        assert_eq!(err, Some(ArithError::TooLarge));
        assert_eq!(
            e("1/7").add(&e("3/7")).unwrap().mul(&e("7")).unwrap(),
            e("4")
        );
    }

    #[test]
    fn decimals_and_text() {
        assert_eq!(e("12.50").to_decimal(), Some(Decimal::new(125, 1)));
        assert_eq!(e("1/3").to_decimal(), None);
        assert_eq!(e("1/3").approx_text(4), "0.3333");
        assert_eq!(e("-1/8").decimal_text().unwrap(), "-0.125");
        assert_eq!(e("6675/71").sig_text(17), "94.014084507042254");
        assert_eq!(e("1.485").sig_text(17), "1.485");
        assert_eq!(e("1/3").floor(), Exact::ZERO);
        assert_eq!(e("-1/3").floor(), e("-1"));
    }
}
