//! Reading what users bring, as Vietnamese users write it: numbers in a declared format
//! ([`NumberFormat`]: `vi` "1.234,5", `en` "1,234.5", or plain "1234.5" where any separator is
//! refused rather than guessed), and text files that must be UTF-8, with the common Vietnamese
//! legacy encodings (Windows-1258, TCVN3, VNI, and UTF-16 from "Unicode text" exports)
//! recognised so the error says which one it looks like and how to save as UTF-8.
//! Shared by every import of figures (scoring data files, the reporting year). Also the one
//! rule for text written into CSV files that spreadsheets open: a cell that would run as a
//! formula is written with a leading `'` ([`defused`]) and read back as typed ([`undefused`]).
use rust_decimal::Decimal;
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// How a file writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// `1234.5`: no thousands separator; a `,` or a dot followed by groups of three digits
    /// (`1.000`) is refused, since it may be Vietnamese notation.
    Plain,
    /// Vietnamese: `1.234,5` (`.` groups thousands, `,` marks decimals).
    Vi,
    /// English: `1,234.5`.
    En,
}

impl NumberFormat {
    /// `vi`, `en` or `plain`.
    pub fn from_name(s: &str) -> Option<NumberFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(NumberFormat::Vi),
            "en" => Some(NumberFormat::En),
            "plain" => Some(NumberFormat::Plain),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            NumberFormat::Plain => "plain",
            NumberFormat::Vi => "vi",
            NumberFormat::En => "en",
        }
    }
}

/// Characters that make a spreadsheet read a CSV cell as a formula (OWASP's list).
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell for a CSV file, defused: one a spreadsheet would run as a formula
/// (`=HYPERLINK(…)`, a name beginning with `+`) gets a leading `'`, which spreadsheets show as
/// text. Numbers are never passed here (a negative figure does not exist).
pub fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A text cell as typed: the `'` that [`defused`] put before a formula-like text is taken off.
pub fn undefused(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// `d` as a plain-format data file writes it, so that [`parse_number`] reads it back exactly:
/// the shortest decimal, with one more zero where three decimals would read as Vietnamese
/// thousands (`1.625` → `1.6250`, never refused as "1625?").
pub fn plain_text(d: &Decimal) -> String {
    let mut s = d.normalize().to_string();
    if parse_number(&s, NumberFormat::Plain).is_err() {
        s.push('0');
    }
    s
}

/// The format a `# number_format: vi` line (also `#number_format=en`) declares, if the line is
/// one: how a data file says how its numbers are written, before its heading.
pub fn number_format_directive(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('#')?.trim();
    let rest = rest.strip_prefix("number_format")?.trim_start();
    let rest = rest.strip_prefix([':', '='])?;
    Some(rest.trim())
}

/// Why a text is not a number: stable `code` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError {
    /// `invalid_number`, `number_format` (separators without a declared format, or not as the
    /// format says), `number_too_large`, `number_too_precise`.
    pub code: &'static str,
    pub vi: String,
    pub en: String,
}

/// The most digits before the decimal point (values below 10²⁸) and after it.
pub const MAX_INT_DIGITS: usize = 28;
pub const MAX_FRACTION_DIGITS: usize = 28;

fn bad(text: &str) -> NumberError {
    NumberError {
        code: "invalid_number",
        vi: format!("giá trị «{text}» không phải số"),
        en: format!("value «{text}» is not a number"),
    }
}

fn separators(text: &str, why_vi: &str, why_en: &str) -> NumberError {
    NumberError {
        code: "number_format",
        vi: format!("giá trị «{text}» {why_vi}"),
        en: format!("value «{text}» {why_en}"),
    }
}

const DECLARE_VI: &str = "khai báo cách viết số của tệp (dòng `# number_format: vi` cho \"1.234,5\" hoặc `en` cho \"1,234.5\", hay, với `thidua score`, tham số --number-format), hoặc viết số không có dấu phân cách hàng nghìn";
const DECLARE_EN: &str = "declare the file's number format (a line `# number_format: vi` for \"1.234,5\" or `en` for \"1,234.5\"; with `thidua score`, also --number-format), or write numbers without thousands separators";

/// Whether `int` is digit groups of three after a first group of 1–3 digits (`1.234.567`).
fn grouped(int: &str, sep: char) -> bool {
    let mut parts = int.split(sep);
    let first = parts.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a number written in `fmt`, exactly. The sign may be `-`, `+` or `−`.
pub fn parse_number(text: &str, fmt: NumberFormat) -> Result<Decimal, NumberError> {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix(['-', '+']) {
        Some(r) => (t.starts_with('-'), r),
        None => match t.strip_prefix('−') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    if body.is_empty() {
        return Err(bad(text));
    }
    let (int, frac, exp) = match fmt {
        NumberFormat::Plain => plain_parts(text, body)?,
        NumberFormat::Vi => separated_parts(text, body, '.', ',')?,
        NumberFormat::En => separated_parts(text, body, ',', '.')?,
    };
    assemble(text, neg, &int, &frac, exp)
}

type Parts = (String, String, i64);

fn plain_parts(text: &str, body: &str) -> Result<Parts, NumberError> {
    if body.contains(',') {
        return Err(separators(
            text,
            &format!("có dấu phẩy (dấu thập phân hay phân cách hàng nghìn?): {DECLARE_VI}"),
            &format!("contains a comma (decimal or thousands separator?): {DECLARE_EN}"),
        ));
    }
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => {
            let e = &body[i + 1..];
            let ev = e
                .strip_prefix('+')
                .unwrap_or(e)
                .parse::<i64>()
                .map_err(|_| bad(text))?;
            (&body[..i], ev)
        }
        None => (body, 0),
    };
    if mant.matches('.').count() > 1 || (exp == 0 && mant.contains('.') && grouped(mant, '.')) {
        // `1.000` or `1.234.567`: Vietnamese thousands, or a decimal point? Never guess.
        if !mant.starts_with('0') || mant.matches('.').count() > 1 {
            return Err(separators(
                text,
                &format!(
                    "có thể là số viết kiểu Việt Nam (dấu chấm phân cách hàng nghìn): {DECLARE_VI}"
                ),
                &format!("may be Vietnamese notation (dot as thousands separator): {DECLARE_EN}"),
            ));
        }
    }
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let int_ok = digits(int) || (int.is_empty() && digits(frac));
    if !int_ok || (!frac.is_empty() && !digits(frac)) {
        return Err(bad(text));
    }
    Ok((int.to_string(), frac.to_string(), exp))
}

fn separated_parts(text: &str, body: &str, group: char, point: char) -> Result<Parts, NumberError> {
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == group || c == point)
    {
        return Err(bad(text));
    }
    let (int, frac) = match body.split_once(point) {
        Some((a, b)) => (a, b),
        None => (body, ""),
    };
    let (gs, ps) = (group.to_string(), point.to_string());
    let ok_int = digits(int) || (int.contains(group) && grouped(int, group));
    let ok_frac = frac.is_empty() && !body.ends_with(point) || digits(frac);
    if !ok_int || !ok_frac {
        return Err(separators(
            text,
            &format!(
                "không đúng cách viết số đã khai báo («{gs}» phân cách hàng nghìn theo nhóm 3 chữ số, «{ps}» là dấu thập phân, ví dụ {})",
                example(group, point)
            ),
            &format!(
                "does not follow the declared number format («{gs}» groups thousands by three digits, «{ps}» marks decimals, e.g. {})",
                example(group, point)
            ),
        ));
    }
    Ok((int.replace(group, ""), frac.to_string(), 0))
}

fn example(group: char, point: char) -> String {
    format!("1{group}234{point}5")
}

/// The exact decimal of sign, digits and exponent, within the limits.
fn assemble(
    text: &str,
    neg: bool,
    int: &str,
    frac: &str,
    exp: i64,
) -> Result<Decimal, NumberError> {
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    if all.trim_start_matches('0').is_empty() {
        return Ok(Decimal::ZERO);
    }
    // Position of the decimal point within `all`, after the exponent.
    let point = int.len() as i64 + exp;
    let int_digits = point - lead as i64;
    if int_digits > MAX_INT_DIGITS as i64 {
        return Err(NumberError {
            code: "number_too_large",
            vi: format!("giá trị «{text}» quá lớn (tối đa {MAX_INT_DIGITS} chữ số phần nguyên)"),
            en: format!("value «{text}» is too large (at most {MAX_INT_DIGITS} integer digits)"),
        });
    }
    let scale = all.len() as i64 - point;
    if scale > MAX_FRACTION_DIGITS as i64 {
        return Err(NumberError {
            code: "number_too_precise",
            vi: format!(
                "giá trị «{text}» có quá nhiều chữ số thập phân (tối đa {MAX_FRACTION_DIGITS})"
            ),
            en: format!("value «{text}» has too many decimals (at most {MAX_FRACTION_DIGITS})"),
        });
    }
    let (mantissa, scale) = if scale < 0 {
        (format!("{all}{}", "0".repeat((-scale) as usize)), 0)
    } else {
        (all, scale as u32)
    };
    let too_many = || NumberError {
        code: "number_too_precise",
        vi: format!("giá trị «{text}» có quá nhiều chữ số (tối đa 28 chữ số có nghĩa)"),
        en: format!("value «{text}» has too many digits (at most 28 significant digits)"),
    };
    let m: i128 = mantissa.parse().map_err(|_| too_many())?;
    let d = Decimal::try_from_i128_with_scale(if neg { -m } else { m }, scale)
        .map_err(|_| too_many())?;
    Ok(d.normalize())
}

/// A legacy encoding a non-UTF-8 file looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyEncoding {
    /// Windows-1258 (Windows "Vietnamese" code page: letters with combining tone marks).
    Windows1258,
    /// TCVN3 (TCVN 5712, "ABC", the `.VnTime` fonts).
    Tcvn3,
    /// VNI (the `VNI-Times` fonts: a letter followed by a mark byte).
    Vni,
    /// UTF-16 ("Unicode text" from Excel).
    Utf16,
}

impl LegacyEncoding {
    pub fn name(self) -> &'static str {
        match self {
            LegacyEncoding::Windows1258 => "Windows-1258",
            LegacyEncoding::Tcvn3 => "TCVN3 (ABC)",
            LegacyEncoding::Vni => "VNI",
            LegacyEncoding::Utf16 => "UTF-16",
        }
    }
}

/// A file that is not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingError {
    /// 1-based line of the first byte that is not UTF-8.
    pub line: usize,
    pub guess: Option<LegacyEncoding>,
    /// Whether the file is a text file written in an editor (a regulation) rather than a
    /// spreadsheet saved as CSV: the advice on saving it again differs.
    pub text_file: bool,
}

impl EncodingError {
    /// The same error for a text file written in an editor (a regulation), whose advice is to
    /// save it as UTF-8 there, not as "CSV UTF-8" from a spreadsheet.
    pub fn in_text_file(self) -> Self {
        EncodingError {
            text_file: true,
            ..self
        }
    }

    pub fn message_vi(&self) -> String {
        let how = if self.text_file {
            "hãy mở tệp trong trình soạn thảo và lưu lại với bảng mã UTF-8 (hoặc chuyển mã sang Unicode bằng Unikey/UniKey Toolkit), rồi chạy lại"
        } else {
            "hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại với kiểu «CSV UTF-8» (hoặc chuyển mã sang Unicode bằng Unikey/UniKey Toolkit), rồi nhập lại"
        };
        match self.guess {
            Some(g) => format!(
                "tệp không phải UTF-8 (từ dòng {}); có vẻ dùng bảng mã {}: {how}",
                self.line,
                g.name()
            ),
            None => format!(
                "tệp không phải UTF-8 (từ dòng {}), không nhận ra bảng mã: {how}",
                self.line
            ),
        }
    }
    pub fn message_en(&self) -> String {
        let how = if self.text_file {
            "open it in a text editor and save it with the UTF-8 encoding (or convert it to Unicode with UniKey), then run again"
        } else {
            "open it in Excel or LibreOffice and save it as \"CSV UTF-8\" (or convert it to Unicode with UniKey), then import again"
        };
        match self.guess {
            Some(g) => format!(
                "the file is not UTF-8 (from line {}); it looks like {}: {how}",
                self.line,
                g.name()
            ),
            None => format!(
                "the file is not UTF-8 (from line {}) and its encoding is not recognised: {how}",
                self.line
            ),
        }
    }
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.message_vi(), self.message_en())
    }
}

/// The text of a file that must be UTF-8 (a byte-order mark is dropped).
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, EncodingError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(EncodingError {
            line: 1,
            guess: Some(LegacyEncoding::Utf16),
            text_file: false,
        });
    }
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(b).map_err(|e| {
        let at = e.valid_up_to();
        EncodingError {
            line: b[..at].iter().filter(|c| **c == b'\n').count() + 1,
            guess: detect_legacy(b),
            text_file: false,
        }
    })
}

/// Which legacy encoding non-UTF-8 bytes look like: each candidate decodes a sample, and the
/// one giving the most plausible Vietnamese (known syllables, valid vowel groups, no stray
/// symbols) wins.
pub fn detect_legacy(bytes: &[u8]) -> Option<LegacyEncoding> {
    let sample = &bytes[..bytes.len().min(1 << 16)];
    if sample.len() >= 4
        && sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
            * 3
            > sample.len()
    {
        return Some(LegacyEncoding::Utf16);
    }
    let candidates = [
        (LegacyEncoding::Windows1258, decode_1258(sample)),
        (LegacyEncoding::Tcvn3, decode_tcvn3(sample)),
        (LegacyEncoding::Vni, decode_vni(sample)),
    ];
    candidates
        .into_iter()
        .map(|(e, text)| (e, plausibility(&text)))
        .filter(|(_, s)| *s > 0)
        .max_by_key(|(_, s)| *s)
        .map(|(e, _)| e)
}

fn decode_1258(b: &[u8]) -> String {
    let (t, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(b);
    t.nfc().collect()
}

/// TCVN 5712 (VN1; TCVN3 "ABC" is its 0xA1–0xFF half), bytes 0xA0–0xFF.
const TCVN_HIGH: &str = "\u{a0}ĂÂÊÔƠƯĐăâêôơưđẰ\u{300}\u{309}\u{303}\u{301}\u{323}àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ";

fn decode_tcvn3(b: &[u8]) -> String {
    let high: Vec<char> = TCVN_HIGH.chars().collect();
    let t: String = b
        .iter()
        .map(|&c| match c {
            0..=0x7F => c as char,
            0xA0..=0xFF => high[(c - 0xA0) as usize],
            _ => '\u{FFFD}',
        })
        .collect();
    t.nfc().collect()
}

/// VNI: a base letter followed by a mark byte, or a few letters of their own.
fn decode_vni(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut prev_base = false;
    for &c in b {
        if c < 0x80 {
            out.push(c as char);
            prev_base = b"aeiouyAEIOUY".contains(&c);
            continue;
        }
        let lower = c | 0x20;
        let mark = match lower {
            0xF9 => Some(("", "\u{301}")),
            0xF8 => Some(("", "\u{300}")),
            0xFB => Some(("", "\u{309}")),
            0xF5 => Some(("", "\u{303}")),
            0xEF => Some(("", "\u{323}")),
            0xE2 => Some(("\u{302}", "")),
            0xE1 => Some(("\u{302}", "\u{301}")),
            0xE0 => Some(("\u{302}", "\u{300}")),
            0xE5 => Some(("\u{302}", "\u{309}")),
            0xE3 => Some(("\u{302}", "\u{303}")),
            0xE4 => Some(("\u{302}", "\u{323}")),
            0xEA => Some(("\u{306}", "")),
            0xE9 => Some(("\u{306}", "\u{301}")),
            0xE8 => Some(("\u{306}", "\u{300}")),
            0xFA => Some(("\u{306}", "\u{309}")),
            0xFC => Some(("\u{306}", "\u{303}")),
            0xEB => Some(("\u{306}", "\u{323}")),
            _ => None,
        };
        let upper = c & 0x20 == 0;
        let own = match lower {
            0xF4 => Some("ơ"),
            0xF6 => Some("ư"),
            0xF1 => Some("đ"),
            0xED => Some("í"),
            0xEC => Some("ì"),
            0xE6 => Some("ỉ"),
            0xF3 => Some("ĩ"),
            0xF2 => Some("ị"),
            0xEE => Some("ỵ"),
            _ => None,
        };
        match (prev_base, mark, own) {
            (true, Some((m, t)), _) => {
                out.push_str(m);
                out.push_str(t);
                prev_base = false;
            }
            (_, _, Some(l)) => {
                if upper {
                    out.extend(l.chars().flat_map(char::to_uppercase));
                } else {
                    out.push_str(l);
                }
                prev_base = matches!(lower, 0xF4 | 0xF6);
            }
            _ => {
                out.push('\u{FFFD}');
                prev_base = false;
            }
        }
    }
    out.nfc().collect()
}

/// Syllables common in Vietnamese unit names and statistics.
const COMMON: &[&str] = &[
    "công",
    "an",
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "xã",
    "phường",
    "quận",
    "thị",
    "đơn",
    "vị",
    "số",
    "liệu",
    "tội",
    "phạm",
    "vụ",
    "việc",
    "người",
    "năm",
    "tháng",
    "kỳ",
    "của",
    "và",
    "các",
    "những",
    "được",
    "trong",
    "không",
    "có",
    "là",
    "cho",
    "với",
    "theo",
    "về",
    "trật",
    "tự",
    "giao",
    "thông",
    "tai",
    "nạn",
    "cháy",
    "nổ",
    "điều",
    "tra",
    "khám",
    "phá",
    "tiếp",
    "nhận",
    "giải",
    "quyết",
    "tin",
    "báo",
    "tố",
    "giác",
    "cán",
    "bộ",
    "chiến",
    "sĩ",
    "kỷ",
    "luật",
    "quân",
    "cờ",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "điểm",
    "chỉ",
    "tiêu",
    "tỷ",
    "lệ",
    "kết",
    "quả",
    "thực",
    "hiện",
    "xây",
    "dựng",
    "lực",
    "lượng",
    "hà",
    "nội",
    "hồ",
    "chí",
    "minh",
    "đà",
    "nẵng",
    "cần",
    "thơ",
    "hải",
    "phòng",
    "giang",
    "kiên",
    "bạc",
    "liêu",
    "cà",
    "mau",
    "hậu",
    "ninh",
    "bình",
    "định",
    "nam",
    "bắc",
    "đông",
    "tây",
    "sơn",
    "lâm",
    "đồng",
    "nai",
    "dương",
    "long",
    "vĩnh",
    "trà",
    "vinh",
    "sóc",
    "trăng",
    "tiền",
    "bến",
    "tre",
    "tháp",
    "phước",
    "thuận",
    "ngãi",
    "quảng",
    "trị",
    "thừa",
    "thiên",
    "huế",
    "hóa",
    "nghệ",
    "tĩnh",
    "yên",
    "thái",
    "lào",
    "lai",
    "châu",
    "điện",
    "biên",
    "hòa",
    "phú",
    "thọ",
    "tuyên",
    "cao",
    "lạng",
    "hưng",
    "vũng",
    "tàu",
    "gia",
    "kon",
    "tum",
    "đắk",
    "lắk",
    "nông",
    "khánh",
    "án",
    "tài",
    "sản",
    "thu",
    "hồi",
    "tham",
    "nhũng",
    "băng",
    "nhóm",
    "chết",
    "thương",
    "giam",
    "giữ",
    "tạm",
    "đình",
    "nghiêm",
    "trọng",
    "đặc",
    "biệt",
    "phải",
    "đã",
    "tên",
    "mã",
    "kỳ",
    "giá",
    "trị",
    "cụm",
    "đội",
    "trại",
    "cảnh",
    "sát",
    "phòng",
    "chống",
    "ma",
    "túy",
    "buôn",
    "lậu",
];

/// Tone marks (removed before checking a word's vowel group).
fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Vowel groups of Vietnamese syllables (tones removed).
const VOWELS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "ươ", "ưa", "ưi", "ưu", "uy", "iêu", "oai", "oay", "oao", "oeo", "uây", "uôi",
    "ươi", "ươu", "uyê", "uya", "yê", "yêu", "uyu",
];

fn vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

/// A score: common syllables weigh most, well-formed syllables count, stray symbols and
/// impossible vowel groups count against.
fn plausibility(text: &str) -> i64 {
    let mut score = 0i64;
    for word in text.split(|c: char| !c.is_alphanumeric() && !is_tone(c)) {
        if word.is_ascii() {
            continue;
        }
        let lower: String = word.to_lowercase();
        if COMMON.contains(&lower.as_str()) {
            score += 4;
            continue;
        }
        let bare: String = lower
            .nfd()
            .filter(|c| !is_tone(*c))
            .collect::<String>()
            .nfc()
            .collect();
        let tones = lower.nfd().filter(|c| is_tone(*c)).count();
        // `gi` and `qu` are consonants before a vowel.
        let start = match bare.char_indices().nth(2) {
            Some((i, c)) if (bare.starts_with("gi") || bare.starts_with("qu")) && vowel(c) => i,
            _ => 0,
        };
        let body = &bare[start..];
        let group: String = body
            .chars()
            .skip_while(|c| !vowel(*c))
            .take_while(|c| vowel(*c))
            .collect();
        let rest_has_vowel = body
            .chars()
            .skip_while(|c| !vowel(*c))
            .skip_while(|c| vowel(*c))
            .any(vowel);
        if tones <= 1 && VOWELS.contains(&group.as_str()) && !rest_has_vowel {
            score += 1;
        } else {
            score -= 3;
        }
    }
    let stray = text
        .chars()
        .filter(|c| !c.is_ascii() && !c.is_alphabetic() && !is_tone(*c))
        .count() as i64;
    score - 3 * stray
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn_table_is_whole() {
        let t: Vec<char> = TCVN_HIGH.chars().collect();
        assert_eq!(t.len(), 96);
        assert_eq!(
            (t[0xB8 - 0xA0], t[0xE9 - 0xA0], t[0xF5 - 0xA0]),
            ('á', 'ộ', 'ừ')
        );
        assert_eq!(t[0xAE - 0xA0], 'đ');
    }

    #[test]
    fn legacy_encodings_are_recognised() {
        // "Công an tỉnh Kiên Giang, Tội phạm về trật tự xã hội, Đơn vị" as each encoding writes it
        // (Windows-1258 and TCVN3 bytes from iconv; VNI from its font table).
        let w1258 = b"C\xf4ng an ti\xd2nh Ki\xean Giang,T\xf4\xf2i pha\xf2m v\xea\xcc tr\xe2\xf2t t\xfd\xf2 xa\xde h\xf4\xf2i,\xd0\xf5n vi\xf2";
        let tcvn = b"C\xabng an t\xd8nh Ki\xaan Giang,T\xe9i ph\xb9m v\xd2 tr\xcbt t\xf9 x\xb7 h\xe9i,\xa7\xacn v\xde";
        let vni = b"Co\xe2ng an t\xe6nh Kie\xe2n Giang,To\xe4i pha\xefm ve\xe0 tra\xe4t t\xf6\xef xa\xf5 ho\xe4i,\xd1\xf4n v\xf2";
        assert_eq!(detect_legacy(w1258), Some(LegacyEncoding::Windows1258));
        assert_eq!(detect_legacy(tcvn), Some(LegacyEncoding::Tcvn3));
        assert_eq!(detect_legacy(vni), Some(LegacyEncoding::Vni));
        assert_eq!(
            decode_vni(vni),
            "Công an tỉnh Kiên Giang,Tội phạm về trật tự xã hội,Đơn vị"
        );
        assert_eq!(
            decode_tcvn3(tcvn),
            "Công an tỉnh Kiên Giang,Tội phạm về trật tự xã hội,Đơn vị"
        );
        let e = decode_utf8(b"unit,element,period,value\nKG,@name,,C\xabng an\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message_vi().contains("TCVN3") && e.message_en().contains("CSV UTF-8"));
        assert_eq!(decode_utf8(b"\xef\xbb\xbfunit").unwrap(), "unit");
        assert_eq!(
            decode_utf8(b"\xff\xfeu\0n\0").unwrap_err().guess,
            Some(LegacyEncoding::Utf16)
        );
    }

    fn n(s: &str, f: NumberFormat) -> Result<String, &'static str> {
        parse_number(s, f)
            .map(|d| d.to_string())
            .map_err(|e| e.code)
    }

    #[test]
    fn plain_text_reads_back_exactly() {
        for (d, text) in [
            ("1.625", "1.6250"),
            ("12.345", "12.3450"),
            ("0.125", "0.125"),
            ("1625", "1625"),
            ("12.50", "12.5"),
            ("-3.125", "-3.1250"),
            ("1.2345", "1.2345"),
        ] {
            let d: Decimal = d.parse().unwrap();
            assert_eq!(plain_text(&d), text);
            assert_eq!(parse_number(text, NumberFormat::Plain), Ok(d.normalize()));
        }
    }

    #[test]
    fn numbers_as_written() {
        use NumberFormat::*;
        assert_eq!(n("1234.5", Plain), Ok("1234.5".into()));
        assert_eq!(n("-0.5", Plain), Ok("-0.5".into()));
        assert_eq!(n("1e3", Plain), Ok("1000".into()));
        assert_eq!(n("0.500", Plain), Ok("0.5".into()));
        assert_eq!(n("1.000", Plain), Err("number_format"));
        assert_eq!(n("1.234.567", Plain), Err("number_format"));
        assert_eq!(n("1,5", Plain), Err("number_format"));
        assert_eq!(n("1e30", Plain), Err("number_too_large"));
        assert_eq!(n("1e-30", Plain), Err("number_too_precise"));
        assert_eq!(n("abc", Plain), Err("invalid_number"));
        assert_eq!(n("1.000", Vi), Ok("1000".into()));
        assert_eq!(n("1.234,5", Vi), Ok("1234.5".into()));
        assert_eq!(n("95,5", Vi), Ok("95.5".into()));
        assert_eq!(n("−5,26", Vi), Ok("-5.26".into()));
        assert_eq!(n("95.5", Vi), Err("number_format"));
        assert_eq!(n("1,234.5", En), Ok("1234.5".into()));
        assert_eq!(n("1,5", En), Err("number_format"));
        assert_eq!(n("12,345,678", En), Ok("12345678".into()));
        assert_eq!(
            n("79228162514264337593543950335", Plain),
            Err("number_too_large")
        );
        assert_eq!(
            n("9999999999999999999999999999", Plain),
            Ok("9999999999999999999999999999".into())
        );
    }
}
