//! Number formats that make a cell show its value otherwise than it is stored: a person reads
//! what Excel, WPS or LibreOffice shows, xxgk reads the value stored, and the two must not
//! differ. `;;;` hides the value, `0,` shows 12000 as 12, `0%` shows 12 as 1200%, a date format
//! shows 12 as 1900-01-12, `"1"0` shows 2 as 12, `# ?/?` shows 2.5 as 2 1/2.
//!
//! A workbook's Excel formats (xlsx, xls) are judged once each, for a positive number, a
//! negative one and zero ([`Judged`]); ods data styles once each too ([`OdsStyles`]). A plain
//! format (`General`, `0`, `#,##0`, `0.00`, `@`, `0.####`, a currency or accounting format,
//! `#,##0"万元"`) costs one look-up per cell. A cell shown otherwise is marked in its grid with
//! its format and number ([`Mark`], [`crate::grid::Grid::refuse`]); the grid
//! reader leaves a value cell of the tables so marked unread, with a located error
//! (`IMPORT-NUMBER-FORMAT`) whose words are made then. Cells outside the tables (a 填报日期 in
//! the title area) are never looked at there.
//!
//! Rounding to the decimals a format shows (`0.00` on 103.3879) and scientific notation are not
//! counted as showing otherwise: the number shown is the value stored, to the digits shown.

/// The section a number takes by its sign: positive, negative, zero.
fn sign(v: f64) -> usize {
    if v > 0.0 {
        0
    } else if v < 0.0 {
        1
    } else {
        2
    }
}

/// A cell marked as shown otherwise than stored: its format and number, told in words only when
/// a table reads the cell (a sheet may hold many such cells outside the tables), or told already.
#[derive(Debug, Clone)]
pub(crate) enum Mark {
    /// An Excel format (xlsx, xls) and the cell's number.
    Judged {
        format: std::sync::Arc<Judged>,
        value: f64,
        is_1904: bool,
    },
    /// Told (ods); boxed, so that the marks of a sheet's many cells stay small.
    Told(Box<ShownOtherwise>),
}

impl Mark {
    /// How the cell is shown.
    pub(crate) fn told(&self) -> Option<ShownOtherwise> {
        match self {
            Mark::Judged { format, value, is_1904 } => format.shown(*value, *is_1904),
            Mark::Told(s) => Some((**s).clone()),
        }
    }
}

/// How a format shows a number otherwise than it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    /// Nothing is shown (`;;;`, an empty section).
    Hidden,
    /// A text is shown instead of the number (a section of literal text only, `"无"`).
    Text,
    /// Scaled down by 1000 per trailing comma (`0,`, `#,##0,,`; ods `number:display-factor`).
    Scaled,
    /// Multiplied by 100 and shown with `%`.
    Percent,
    /// Shown as a date or a time.
    DateTime,
    /// Digits written in the format itself (`"1"0`, `0"0"`, `\1`).
    LiteralDigits,
    /// Shown as a fraction (`# ?/?`).
    Fraction,
    /// The section is chosen by a condition (`[>100]`), or the format shows a truth value.
    Other,
}

impl Shown {
    /// What the format does, in Chinese and English.
    pub(crate) fn words(self) -> (&'static str, &'static str) {
        match self {
            Shown::Hidden => ("隐藏了数值", "hides the value"),
            Shown::Text => ("以文字代替数值", "shows a text instead of the value"),
            Shown::Scaled => ("将数值缩小显示", "shows the value scaled down"),
            Shown::Percent => (
                "将数值乘以 100 显示为百分比",
                "shows the value times 100 as a percentage",
            ),
            Shown::DateTime => ("将数值显示为日期或时间", "shows the value as a date or a time"),
            Shown::LiteralDigits => ("在数值旁加写了数字", "writes digits of its own beside the value"),
            Shown::Fraction => ("将数值显示为分数", "shows the value as a fraction"),
            Shown::Other => (
                "按条件或以其他方式显示数值",
                "shows the value by a condition or otherwise",
            ),
        }
    }
}

/// A cell whose format shows its number otherwise than stored: the format (its code, or the
/// name of an ods style), what it does, and what it shows when that can be told simply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShownOtherwise {
    /// The format code (`0,`) or style as written in the file (shared by the cells in it).
    pub(crate) format: std::sync::Arc<str>,
    /// What the format does, in Chinese and English.
    pub(crate) what: (&'static str, &'static str),
    /// The text shown, when it can be told simply (`12`, `1200%`, `1900-01-12`); none for hidden.
    pub(crate) shows: Option<String>,
}

/// Whether an Excel format code can show some number otherwise than stored (tried on a
/// positive, a negative number and zero: the sections a number can take).
#[cfg(test)]
pub(crate) fn might_show_otherwise(code: &str) -> bool {
    Judged::of(code).is_some()
}

/// Longest format code parsed (bytes): Excel's own limit is 255 characters; a longer code is
/// judged to show numbers otherwise without being read, so that a hostile code costs nothing
/// per cell.
const MAX_CODE: usize = 1024;

/// An Excel format code that may show a number otherwise than stored, judged once: what it does
/// to a positive number, a negative one and zero (a number's section depends only on its sign),
/// and what [`Judged::shown`] needs to tell what it shows.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    code: std::sync::Arc<str>,
    /// For a positive number, a negative one, zero.
    kinds: [Option<Shown>; 3],
    decimals: usize,
    commas: u8,
    /// The text shown instead of the number, for each sign whose kind is [`Shown::Text`].
    texts: [String; 3],
}

impl Judged {
    /// The judgment of `code`; none when it shows every number as stored.
    pub(crate) fn of(code: &str) -> Option<Judged> {
        let signs = [1.0, -1.0, 0.0];
        let short = code.len() <= MAX_CODE;
        let mut kinds = if short {
            signs.map(|v| shown_otherwise(code, v))
        } else {
            [Some(Shown::Other); 3]
        };
        // A zero shown as a blank is read as the 0 it is, as on a sheet that hides its zeros.
        if kinds[2] == Some(Shown::Hidden) {
            kinds[2] = None;
        }
        if kinds.iter().all(Option::is_none) {
            return None;
        }
        let mut texts: [String; 3] = Default::default();
        for (i, v) in signs.into_iter().enumerate() {
            if kinds[i] == Some(Shown::Text) {
                texts[i] = literal_text(code, v);
            }
        }
        Some(Judged {
            code: code.into(),
            kinds,
            decimals: if short { decimals_shown(code) } else { 0 },
            commas: if short { scaling_commas(code) } else { 0 },
            texts,
        })
    }

    /// [`Judged::of`], shared: a code is judged once a thread whatever the workbook, since the
    /// workbooks of a batch, written by the same program, declare the same formats (on the .xls
    /// bench layout judging took 1.4 % of `validate`). Codes past [`MAX_CODE`] are judged each
    /// time, and at most 4,096 are kept.
    pub(crate) fn shared(code: &str) -> Option<std::sync::Arc<Judged>> {
        type Known = rustc_hash::FxHashMap<Box<str>, Option<std::sync::Arc<Judged>>>;
        thread_local! {
            static KNOWN: std::cell::RefCell<Known> = std::cell::RefCell::default();
        }
        if code.len() > MAX_CODE {
            return Judged::of(code).map(std::sync::Arc::new);
        }
        KNOWN.with_borrow_mut(|known| {
            if let Some(judged) = known.get(code) {
                return judged.clone();
            }
            let judged = Judged::of(code).map(std::sync::Arc::new);
            if known.len() >= 4_096 {
                known.clear();
            }
            known.insert(code.into(), judged.clone());
            judged
        })
    }

    /// Whether `v` is shown otherwise than stored.
    pub(crate) fn shows_otherwise(&self, v: f64) -> bool {
        self.kinds[sign(v)].is_some()
    }

    /// How `v` is shown, when otherwise than stored; `is_1904`: the workbook counts its dates
    /// from 1904.
    pub(crate) fn shown(&self, v: f64, is_1904: bool) -> Option<ShownOtherwise> {
        let sign = sign(v);
        let kind = self.kinds[sign]?;
        let shows = match kind {
            Shown::Hidden => None,
            Shown::Scaled => Some(fixed(v / 1000f64.powi(i32::from(self.commas)), self.decimals)),
            Shown::Percent => Some(format!("{}%", fixed(v * 100.0, self.decimals))),
            Shown::DateTime => serial_date(if is_1904 { v + 1462.0 } else { v }),
            Shown::Text => Some(self.texts[sign].clone()),
            Shown::LiteralDigits | Shown::Fraction | Shown::Other => None,
        };
        Some(ShownOtherwise {
            format: std::sync::Arc::clone(&self.code),
            what: kind.words(),
            shows,
        })
    }
}

/// The section of a format a number takes: the only one; with two, the first for positive
/// numbers and zero and the second for negative ones; with three or more, positive, negative
/// and zero.
fn section_for<'a>(sections: &[&'a str], v: f64) -> &'a str {
    match sections.len() {
        0 => "",
        1 => sections[0],
        2 => sections[usize::from(v < 0.0)],
        _ if v > 0.0 => sections[0],
        _ if v < 0.0 => sections[1],
        _ => sections[2],
    }
}

/// How the Excel format `code` shows the number `v`, when otherwise than stored.
pub(crate) fn shown_otherwise(code: &str, v: f64) -> Option<Shown> {
    let sections = split_sections(code);
    if sections.iter().any(|s| has_condition(s)) {
        return Some(Shown::Other);
    }
    let section = section_for(&sections, v);
    judge_section(section, v)
}

/// The code of a built-in number format (ECMA-376 18.8.30; the East Asian dates of Chinese
/// locales as one date code), for those that may show a number otherwise and the plain ones
/// alike; none for an index that is no built-in format.
pub(crate) fn builtin_code(id: u16) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        27..=36 | 50..=58 => "yyyy\"年\"m\"月\"d\"日\"",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// The sections of a format code (`;` outside quotes, escapes and brackets), at most four.
fn split_sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut bracket, mut escaped) = (0usize, false, false, false);
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' if !bracket => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            '[' => bracket = true,
            ']' => bracket = false,
            ';' if !bracket => {
                out.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&code[start..]);
    out.truncate(4);
    out
}

/// Whether a section starts with a condition (`[>100]`, `[<=0]`, `[=1]`).
fn has_condition(section: &str) -> bool {
    brackets(section).any(|b| b.starts_with(['<', '>', '=']))
}

/// The bracketed parts of a section, outside quotes (`Red`, `$¥-804`, `h`, `>100`).
fn brackets(section: &str) -> impl Iterator<Item = &str> {
    let mut rest = section;
    let mut quoted = false;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => quoted = !quoted,
                _ if quoted => {}
                '\\' | '_' | '*' => {
                    chars.next();
                }
                '[' => {
                    let inner = &rest[i + 1..];
                    let end = inner.find(']').unwrap_or(inner.len());
                    let found = &inner[..end];
                    rest = inner.get(end + 1..).unwrap_or("");
                    return Some(found);
                }
                _ => {}
            }
        }
        rest = "";
        None
    })
}

/// One section of a format applied to `v`.
fn judge_section(section: &str, v: f64) -> Option<Shown> {
    let mut date = false;
    let (mut placeholder, mut percent, mut scaled, mut fraction, mut digits) = (false, false, false, false, false);
    // Whether a placeholder shows a digit however small the number (`0`, `General`, `@`): `#`
    // and `?` alone show nothing of a zero.
    let mut shows_zero = false;
    // What the section shows besides the number (literal text), trimmed of padding.
    let mut literal = String::new();
    let chars: Vec<char> = section.chars().collect();
    let is_placeholder = |c: char| matches!(c, '0' | '#' | '?');
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '"' => {
                while i < chars.len() && chars[i] != '"' {
                    literal.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                if let Some(&next) = chars.get(i) {
                    literal.push(next);
                }
                i += 1;
            }
            // A space as wide as the next character: nothing is shown.
            '_' => i += 1,
            // The next character repeated to fill the cell.
            '*' => {
                if let Some(&next) = chars.get(i) {
                    literal.push(next);
                }
                i += 1;
            }
            '[' => {
                let end = chars[i..].iter().position(|&c| c == ']').map_or(chars.len(), |p| i + p);
                let inner: String = chars[i..end].iter().collect();
                i = end + 1;
                let lower = inner.to_ascii_lowercase();
                // Elapsed time: [h], [mm], [ss].
                if !lower.is_empty() && lower.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    date = true;
                } else if let Some(currency) = inner.strip_prefix('$') {
                    // `[$¥-804]`: the symbol before the dash is shown.
                    let symbol = currency.split('-').next().unwrap_or("");
                    literal.push_str(symbol);
                }
                // Colours, [DBNum1] and the like change how the digits look, not the number.
            }
            '0' | '@' => {
                placeholder = true;
                shows_zero = true;
            }
            '#' | '?' => placeholder = true,
            '%' => percent = true,
            ',' => {
                // A comma not followed by a digit placeholder scales (thousands separators sit
                // between placeholders).
                let mut j = i;
                while chars.get(j) == Some(&',') {
                    j += 1;
                }
                if !chars.get(j).is_some_and(|&n| is_placeholder(n)) {
                    scaled = true;
                }
                i = j;
            }
            '/' => {
                let mut j = i;
                while chars.get(j) == Some(&' ') {
                    j += 1;
                }
                if chars.get(j).is_some_and(|&n| is_placeholder(n) || n.is_ascii_digit()) {
                    fraction = true;
                } else {
                    literal.push('/');
                }
            }
            'e' | 'E' if matches!(chars.get(i), Some('+' | '-')) => {
                // Scientific notation: the value, to the digits shown.
                i += 1;
            }
            'G' | 'g' if starts_general(&chars[i - 1..]) => {
                placeholder = true;
                shows_zero = true;
                i += general_len(&chars[i - 1..]) - 1;
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'e' | 'E' | 'g' | 'G' | 'b' | 'B' => {
                date = true;
            }
            // AM/PM, A/P, aaa (the weekday in Chinese locales).
            'a' | 'A' => date = true,
            '.' | ' ' | '$' | '-' | '+' | '(' | ')' | ':' | '!' | '^' | '&' | '\'' | '~' | '{' | '}' | '<' | '>'
            | '=' => literal.push(c),
            c if c.is_numeric() => {
                digits = true;
                literal.push(c);
            }
            c => literal.push(c),
        }
    }
    if literal.chars().any(char::is_numeric) {
        digits = true;
    }
    if date {
        return Some(Shown::DateTime);
    }
    if !placeholder || (v == 0.0 && !shows_zero) {
        let shown = literal.trim().trim_matches('.');
        // Accounting formats show a zero as a dash.
        if v == 0.0 && matches!(shown, "-" | "－" | "—" | "–") {
            return None;
        }
        return Some(if shown.is_empty() {
            Shown::Hidden
        } else if digits {
            Shown::LiteralDigits
        } else {
            Shown::Text
        });
    }
    if percent {
        Some(Shown::Percent)
    } else if scaled {
        Some(Shown::Scaled)
    } else if fraction {
        Some(Shown::Fraction)
    } else if digits {
        Some(Shown::LiteralDigits)
    } else {
        None
    }
}

/// `General`, `G/通用格式` (Chinese Excel and WPS), `G/General`: the number as it is.
fn starts_general(chars: &[char]) -> bool {
    general_len(chars) > 0
}

fn general_len(chars: &[char]) -> usize {
    let text: String = chars.iter().take(9).collect();
    for word in ["general", "g/通用格式", "g/general"] {
        let n = word.chars().count();
        if text.chars().take(n).collect::<String>().to_lowercase() == word {
            return n;
        }
    }
    0
}

/// The decimals the first section shows (placeholders after its point).
fn decimals_shown(code: &str) -> usize {
    let first = split_sections(code).first().copied().unwrap_or("");
    first.split_once('.').map_or(0, |(_, after)| {
        after.chars().take_while(|c| matches!(c, '0' | '#' | '?')).count()
    })
}

/// How many commas of the first section scale (those not followed by a placeholder).
fn scaling_commas(code: &str) -> u8 {
    let first = split_sections(code).first().copied().unwrap_or("");
    let chars: Vec<char> = first.chars().collect();
    let mut n = 0u8;
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' {
            let mut j = i + 1;
            while chars.get(j) == Some(&',') {
                j += 1;
            }
            if !chars.get(j).is_some_and(|&c| matches!(c, '0' | '#' | '?')) {
                n = n.saturating_add(1);
            }
        }
    }
    n
}

/// The literal text of the section `v` takes.
fn literal_text(code: &str, v: f64) -> String {
    let sections = split_sections(code);
    let section = section_for(&sections, v);
    section
        .chars()
        .filter(|&c| c != '"' && c != '\\')
        .collect::<String>()
        .trim()
        .to_string()
}

/// `v` with `decimals` decimals, trailing zeros kept as a format would show them.
fn fixed(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// The date (and time) of an Excel serial number in the 1900 date system, as `1900-01-12` or
/// `1900-01-12 06:00`; none outside the dates Excel shows.
pub(crate) fn serial_date(v: f64) -> Option<String> {
    if !(0.0..2_958_466.0).contains(&v) {
        return None;
    }
    let day = v.floor() as i64;
    // Excel counts 1900-02-29, which did not exist: serial 60. Day 0 is shown as 1900-01-00.
    if day == 60 {
        return Some("1900-02-29".to_string());
    }
    let days = if day > 60 { day - 1 } else { day };
    // Days from 1899-12-31 (serial 0) to 1970-01-01.
    let (y, m, d) = civil_from_days(days - 25_568);
    let mut out = if day == 0 {
        "1900-01-00".to_string()
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    };
    let seconds = ((v - v.floor()) * 86_400.0).round() as i64;
    if seconds > 0 {
        out.push_str(&format!(" {:02}:{:02}", seconds / 3600, seconds / 60 % 60));
    }
    Some(out)
}

/// The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// How an ods data style (`number:*-style`) shows a number, as far as it matters here: read
/// from its child elements by [`OdsStyles`].
#[derive(Debug, Clone, Default)]
struct OdsDataStyle {
    /// Shown otherwise whatever the value (a percentage, date, time or truth-value style, a
    /// fraction, digits in its text, a `number:display-factor`).
    kind: Option<Shown>,
    /// The display factor of its `number:number` (1 when none).
    factor: f64,
    /// Whether it shows the number at all (a `number:number`, `number:fraction` or
    /// `number:scientific-number` child).
    shows_number: bool,
    /// Its literal text (`number:text`).
    text: String,
    /// The styles it maps to by condition (`style:map`, most often for negative numbers or
    /// zero): the condition as written (`value()<0`), and the style.
    maps: Vec<(Option<String>, String)>,
}

/// The number formats of an ods file's cell styles (`office:automatic-styles` of
/// `content.xml`): for each cell style whose data style may show a number otherwise, what it
/// does. Built as the part streams, before its tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct OdsStyles {
    data: rustc_hash::FxHashMap<String, OdsDataStyle>,
    /// Cell style → (data style, parent style).
    cells: rustc_hash::FxHashMap<String, (Option<String>, Option<String>)>,
    /// Cell style → (data style name, and for a positive number, a negative one and zero: what
    /// it does, the display factor, its text), for the styles judged to show some number
    /// otherwise.
    judged: rustc_hash::FxHashMap<String, (std::sync::Arc<str>, [Option<OdsShown>; 3])>,
    /// The cell styles' colours and conditional maps.
    pub(crate) looks: crate::looks::OdsLooks,
}

impl OdsStyles {
    /// Starts a data style (`number:number-style` and its kin, by local name) named `name`.
    pub(crate) fn data_style(&mut self, element: &str, name: &str) {
        let kind = match element {
            "percentage-style" => Some(Shown::Percent),
            "date-style" | "time-style" => Some(Shown::DateTime),
            "boolean-style" => Some(Shown::Other),
            _ => None,
        };
        // A text style shows a number as it is.
        let shows_number = element == "text-style";
        self.data.insert(
            name.to_string(),
            OdsDataStyle {
                kind,
                factor: 1.0,
                shows_number,
                ..OdsDataStyle::default()
            },
        );
    }

    /// A child of the data style `name`: `number:number` (with its display factor),
    /// `number:fraction`, `number:scientific-number`, or a `style:map` to `mapped` (on the
    /// condition `condition`).
    pub(crate) fn data_child(
        &mut self,
        name: &str,
        element: &str,
        factor: Option<&str>,
        mapped: Option<(Option<&str>, &str)>,
    ) {
        let Some(style) = self.data.get_mut(name) else { return };
        match element {
            "number" | "scientific-number" => {
                style.shows_number = true;
                if let Some(f) = factor {
                    match f.trim().parse::<f64>() {
                        Ok(1.0) => {}
                        Ok(f) if f.is_finite() && f != 0.0 => {
                            style.factor = f;
                            style.kind.get_or_insert(Shown::Scaled);
                        }
                        _ => {
                            style.kind.get_or_insert(Shown::Other);
                        }
                    }
                }
            }
            "fraction" => {
                style.shows_number = true;
                style.kind.get_or_insert(Shown::Fraction);
            }
            "map" => style
                .maps
                .extend(mapped.map(|(condition, to)| (condition.map(str::to_string), to.to_string()))),
            _ => {}
        }
    }

    /// Literal text of the data style `name` (`number:text`).
    pub(crate) fn data_text(&mut self, name: &str, text: &str) {
        if let Some(style) = self.data.get_mut(name) {
            style.text.push_str(text);
        }
    }

    /// A cell style (`style:style style:family="table-cell"`).
    pub(crate) fn cell_style(&mut self, name: &str, data: Option<&str>, parent: Option<&str>) {
        self.cells
            .insert(name.to_string(), (data.map(str::to_string), parent.map(str::to_string)));
        self.looks.style(name, parent);
    }

    /// Judges every cell style once, when the styles have all been read.
    pub(crate) fn finish(&mut self) {
        let mut judged = rustc_hash::FxHashMap::default();
        for name in self.cells.keys() {
            // The data style of the style or of its nearest parent that has one (a few steps).
            let mut at = Some(name.as_str());
            let mut data = None;
            for _ in 0..8 {
                let Some((d, parent)) = at.and_then(|n| self.cells.get(n)) else {
                    break;
                };
                if d.is_some() {
                    data = d.as_deref();
                    break;
                }
                at = parent.as_deref();
            }
            if let Some(d) = data {
                let mut kinds = [1.0, -1.0, 0.0].map(|v| self.judge(d, v));
                // A zero shown as a blank is read as the 0 it is, as in the Excel formats.
                if matches!(kinds[2], Some((Shown::Hidden, ..))) {
                    kinds[2] = None;
                }
                if kinds.iter().any(Option::is_some) {
                    judged.insert(name.clone(), (d.into(), kinds));
                }
            }
        }
        self.judged = judged;
        self.looks.finish();
    }

    /// How the data style `name` shows a number of `v`'s sign, when otherwise than stored: the
    /// first of its maps whose condition holds, else the style itself. A condition that compares
    /// with anything but zero does not follow the sign: where it or the style it maps to could
    /// change what is shown, the number is shown by a condition ([`Shown::Other`]).
    fn judge(&self, name: &str, v: f64) -> Option<OdsShown> {
        let own = self.data.get(name)?;
        for (condition, to) in &own.maps {
            let Some(to) = self.data.get(to) else { continue };
            match condition.as_deref().and_then(|c| condition_holds(c, v)) {
                Some(true) => return Self::judge_alone(to),
                Some(false) => {}
                None if Self::judge_alone(to).is_some() || Self::judge_alone(own).is_some() => {
                    return Some((Shown::Other, 1.0, String::new()));
                }
                None => {}
            }
        }
        Self::judge_alone(own)
    }

    /// How a data style shows numbers, its maps aside.
    fn judge_alone(s: &OdsDataStyle) -> Option<OdsShown> {
        let kind = s.kind.or_else(|| {
            if s.text.chars().any(char::is_numeric) {
                Some(Shown::LiteralDigits)
            } else if !s.shows_number {
                Some(if s.text.trim().is_empty() {
                    Shown::Hidden
                } else {
                    Shown::Text
                })
            } else {
                None
            }
        })?;
        Some((kind, s.factor, s.text.trim().to_string()))
    }

    /// Whether any cell style may show a number otherwise.
    pub(crate) fn any(&self) -> bool {
        !self.judged.is_empty() || self.looks.any()
    }

    /// Why a number cell of style `style` (and `value_type`) holding `v` is not read, if it is
    /// not: its number format ([`OdsStyles::shown`]), or its colours and conditional maps.
    pub(crate) fn refusal(
        &self,
        style: Option<&str>,
        value_type: Option<&str>,
        v: f64,
    ) -> Option<crate::grid::Refusal> {
        if let Some(shown) = self.shown(style, value_type, v) {
            return Some(crate::grid::Refusal::NumberFormat(Mark::Told(Box::new(shown))));
        }
        self.looks.refusal(style?, v).map(crate::grid::Refusal::Look)
    }

    /// How a number cell of style `style` (and `value_type`) holding `v` is shown, when
    /// otherwise than stored: a percentage value type is shown times 100 whatever its style.
    pub(crate) fn shown(&self, style: Option<&str>, value_type: Option<&str>, v: f64) -> Option<ShownOtherwise> {
        let judged = style
            .and_then(|s| self.judged.get(s))
            .and_then(|(d, kinds)| Some((d, kinds[sign(v)].as_ref()?)));
        let (format, kind, factor, text) = match (judged, value_type) {
            (Some((d, (kind, factor, text))), _) => (std::sync::Arc::clone(d), *kind, *factor, text.as_str()),
            (None, Some("percentage")) => ("office:value-type=\"percentage\"".into(), Shown::Percent, 1.0, ""),
            _ => return None,
        };
        let shows = match kind {
            Shown::Scaled => Some(trimmed(v / factor)),
            Shown::Percent => Some(format!("{}%", trimmed(v * 100.0))),
            Shown::Text => Some(text.to_string()),
            _ => None,
        };
        Some(ShownOtherwise {
            format,
            what: kind.words(),
            shows,
        })
    }
}

/// What an ods data style does to a number: how it shows it, its display factor, its text.
type OdsShown = (Shown, f64, String);

/// Whether an ods map condition on a number's value (`value()<0`, `value()=0`, `value()>=0`)
/// holds for `v`; none for a condition this cannot tell by `v`'s sign alone (another function, a
/// bound other than zero).
fn condition_holds(condition: &str, v: f64) -> Option<bool> {
    let rest = condition.trim().strip_prefix("value()")?.trim_start();
    let (op, bound) = ["<=", ">=", "!=", "<>", "<", ">", "="]
        .into_iter()
        .find_map(|op| Some((op, rest.strip_prefix(op)?)))?;
    let bound: f64 = bound.trim().parse().ok()?;
    if bound != 0.0 {
        return None;
    }
    Some(match op {
        "<=" => v <= 0.0,
        ">=" => v >= 0.0,
        "!=" | "<>" => v != 0.0,
        "<" => v < 0.0,
        ">" => v > 0.0,
        _ => v == 0.0,
    })
}

/// A number as a person would write it (no trailing zeros), to 10 decimals.
fn trimmed(v: f64) -> String {
    let s = format!("{v:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formats departments use for counts and money show the value as stored.
    #[test]
    fn plain_formats_are_plain() {
        for code in [
            "General",
            "G/通用格式",
            "0",
            "0.00",
            "#,##0",
            "#,##0.00",
            "@",
            "0.####",
            "0_ ",
            "0.00_ ",
            "#,##0;[Red]-#,##0",
            "#,##0;[Red]#,##0",
            "#,##0\"万元\"",
            "0\"件\"",
            "¥#,##0.00;¥-#,##0.00",
            "[$¥-804]#,##0.00",
            "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
            "_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * \"-\"??_ ;_ @_ ",
            "0.00E+00",
            "[DBNum1][$-804]G/通用格式",
        ] {
            assert!(!might_show_otherwise(code), "{code}");
        }
    }

    #[test]
    fn formats_that_show_otherwise_are_found_with_what_they_do() {
        for (code, v, kind) in [
            (";;;", 12.0, Shown::Hidden),
            ("\"无\"", 12.0, Shown::Text),
            ("0,", 12000.0, Shown::Scaled),
            ("#,##0,,", 12.0, Shown::Scaled),
            ("0.0,\"千\"", 12.0, Shown::Scaled),
            ("0%", 12.0, Shown::Percent),
            ("0.00%", 12.0, Shown::Percent),
            ("yyyy-mm-dd", 12.0, Shown::DateTime),
            ("yyyy\"年\"m\"月\"d\"日\"", 12.0, Shown::DateTime),
            ("[h]:mm", 12.0, Shown::DateTime),
            ("h:mm AM/PM", 12.0, Shown::DateTime),
            ("\"1\"0", 2.0, Shown::LiteralDigits),
            ("0\"0\"", 2.0, Shown::LiteralDigits),
            ("\\10", 2.0, Shown::LiteralDigits),
            ("# ?/?", 2.5, Shown::Fraction),
            ("[>100]0;0", 2.0, Shown::Other),
        ] {
            assert_eq!(shown_otherwise(code, v), Some(kind), "{code}");
            assert!(might_show_otherwise(code), "{code}");
        }
        // A zero-hiding format shows a positive number as stored, and a zero as a blank, which
        // is read as the 0 it is.
        assert_eq!(shown_otherwise("0;-0;;@", 12.0), None);
        assert_eq!(shown_otherwise("0;-0;;@", 0.0), Some(Shown::Hidden));
        assert!(!might_show_otherwise("0;-0;;@"));
        assert!(!might_show_otherwise("#,###"));
        assert!(Judged::of(";;;").is_some_and(|j| j.shows_otherwise(5.0) && !j.shows_otherwise(0.0)));
        // `#` shows nothing of a zero, and the number otherwise.
        assert_eq!(shown_otherwise("#,###", 0.0), Some(Shown::Hidden));
        assert_eq!(shown_otherwise("#.##", 0.0), Some(Shown::Hidden));
        assert_eq!(shown_otherwise("#,###", 12.0), None);
    }

    /// A code longer than any Excel writes is refused without being read (a hostile one would
    /// otherwise be parsed for every cell in it).
    #[test]
    fn a_code_past_excels_length_is_judged_unread() {
        let code = "0".repeat(MAX_CODE + 1);
        let judged = Judged::of(&code).expect("judged");
        assert_eq!(judged.kinds, [Some(Shown::Other); 3]);
        let shown = judged.shown(2.0, false).expect("otherwise");
        assert_eq!((shown.what, shown.shows), (Shown::Other.words(), None));
        // The same code within the length is plain.
        assert!(Judged::of(&"0".repeat(200)).is_none());
    }

    #[test]
    fn what_is_shown_is_told() {
        let shows = |code: &str, v: f64| {
            Judged::of(code)
                .and_then(|j| j.shown(v, false))
                .expect("otherwise")
                .shows
        };
        assert_eq!(shows("0,", 12000.0).as_deref(), Some("12"));
        assert_eq!(shows("#,##0,,", 12_000_000.0).as_deref(), Some("12"));
        assert_eq!(shows("0%", 12.0).as_deref(), Some("1200%"));
        assert_eq!(shows("yyyy-mm-dd", 12.0).as_deref(), Some("1900-01-12"));
        assert_eq!(shows("yyyy-mm-dd", 45_292.0).as_deref(), Some("2024-01-01"));
        assert_eq!(shows("yyyy-mm-dd", 61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(shows("h:mm", 0.25).as_deref(), Some("1900-01-00 06:00"));
        assert_eq!(shows("\"无\"", 12.0).as_deref(), Some("无"));
        assert_eq!(shows(";;;", 12.0), None);
    }
}
