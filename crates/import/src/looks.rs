//! How a spreadsheet cell looks beyond its number format: a font coloured as the cell's
//! background (xlsx, xls, ods), and conditional formats that set a number format, a colour or a
//! data bar (xlsx), or a cell style of such colours (ods). A person reads what Excel, WPS or
//! LibreOffice shows; where that is not the number stored, the value cell of the tables is not
//! read ([`crate::grid::Refusal::Look`]), with words made only when a table reads it.
//!
//! A zero shown as a blank is read as the 0 it is, as on a sheet that hides its zeros. A
//! condition is evaluated where it compares the cell's value with numbers (xlsx `cellIs`, ods
//! `cell-content()`); any other (a formula, the top ten, a text) may hold, so what it would show
//! otherwise is refused. An xlsx conditional colour is compared with the colour the rule sets
//! beside it, or else with a black font on a white background: the cell's own font and fill are
//! not looked at there.

use crate::grid::Merge;
use crate::number_format::{Judged, ShownOtherwise};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::sync::Arc;

/// A colour as red, green and blue.
pub(crate) type Rgb = [u8; 3];

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/// Most ranges (and rules) of conditional formats kept for one sheet; past it the sheet's
/// numbers in the tables are not read (each table cell would be looked up in every range).
pub(crate) const MAX_CONDITIONAL_RANGES: usize = 10_000;

/// Most differential formats of a workbook judged: each costs a few hundred bytes, and 2.5
/// million fit in the unpacked-size limit. Past it, a sheet with conditional formats has its
/// numbers in the tables refused.
pub(crate) const MAX_DIFFERENTIAL_FORMATS: usize = 65_536;

/// Whether text of colour `font` cannot be seen on `background`: every channel within 16.
pub(crate) fn unseen(font: Rgb, background: Rgb) -> bool {
    font.iter().zip(background).all(|(f, b)| f.abs_diff(b) <= 16)
}

fn hex(c: Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2])
}

/// Why a number cell of the tables may be shown otherwise than stored.
#[derive(Debug, Clone)]
pub(crate) enum Look {
    /// The cell style's font is coloured as its fill (or as white where it has none).
    Unseen { font: Rgb, background: Rgb },
    /// A conditional format over a range holding the cell.
    Conditional(Arc<ConditionalRule>),
    /// The sheet has more conditional formats than are looked at.
    TooManyConditions,
}

/// One conditional format rule over one sheet range, with one of its effects.
#[derive(Debug)]
pub(crate) struct ConditionalRule {
    /// Where the rule is written.
    pub(crate) place: RulePlace,
    pub(crate) condition: Condition,
    pub(crate) effect: Effect,
    pub(crate) is_1904: bool,
}

/// Where a conditional format is written.
#[derive(Debug)]
pub(crate) enum RulePlace {
    /// An xlsx sheet's rule over a range, as written (`B5:D9 F5:F9`).
    Range(String),
    /// An ods cell style's map (`style:map`), by the cell style's name.
    OdsStyle(String),
}

/// When a conditional format applies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    /// `cellIs`: the cell's value compared with one number or two.
    Compare { operator: Operator, bounds: (f64, f64) },
    /// Any other rule (its type as written): it may hold for any cell.
    Other(String),
}

/// A `cellIs` comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Between,
    NotBetween,
}

/// What a conditional format does to what the cell shows.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    /// Sets a number format that may show the number otherwise.
    Format(Arc<Judged>),
    /// Sets a font colour or fill under which the number cannot be seen.
    Unseen { font: Rgb, background: Rgb },
    /// A data bar or icon set that shows no number (`showValue="0"`).
    NoValue,
}

/// What a refused cell's finding says: the rule, why, and what to do.
pub(crate) struct LookWords {
    pub(crate) number_format: bool,
    pub(crate) why: (String, String),
    pub(crate) advice: (&'static str, &'static str),
}

impl Look {
    /// Why the number `v` is not read; none where it is shown as stored (a rule whose
    /// condition does not hold, a zero shown blank).
    pub(crate) fn words(&self, v: f64) -> Option<LookWords> {
        match self {
            Look::Unseen { font, background } => (v != 0.0).then(|| LookWords {
                number_format: false,
                why: (
                    format!(
                        "单元格的字体颜色（{}）与底色（{}）相同，存储的值 {v} 看不见",
                        hex(*font),
                        hex(*background)
                    ),
                    format!(
                        "the cell's font colour ({}) is its background's ({}): the value stored, {v}, cannot be seen",
                        hex(*font),
                        hex(*background)
                    ),
                ),
                advice: (
                    "：请将字体颜色改为与底色不同的颜色",
                    "; give the font a colour other than the background's",
                ),
            }),
            Look::Conditional(rule) => rule.words(v),
            Look::TooManyConditions => Some(LookWords {
                number_format: false,
                why: (
                    format!(
                        "工作表的条件格式过多（超过 {MAX_CONDITIONAL_RANGES} 个区域或规则，或工作簿的条件格式样式超过 {MAX_DIFFERENTIAL_FORMATS} 个），无法判断单元格显示的内容"
                    ),
                    format!(
                        "the sheet has too many conditional formats (over {MAX_CONDITIONAL_RANGES} ranges or rules, or over {MAX_DIFFERENTIAL_FORMATS} formats in the workbook): what the cell shows cannot be told"
                    ),
                ),
                advice: (
                    "：请删除不需要的条件格式",
                    "; remove the conditional formats not needed",
                ),
            }),
        }
    }
}

impl ConditionalRule {
    fn words(&self, v: f64) -> Option<LookWords> {
        let (when_zh, when_en) = match &self.condition {
            Condition::Compare { operator, bounds } => {
                if !operator.holds(v, *bounds) {
                    return None;
                }
                operator.words(*bounds)
            }
            // A data bar or an icon set is drawn in every cell of its range.
            Condition::Other(kind) if matches!(self.effect, Effect::NoValue) => {
                (format!("（规则类型“{kind}”）"), format!(" (a rule of type “{kind}”)"))
            }
            Condition::Other(kind) => (
                format!("（规则类型“{kind}”，无法判断是否适用）"),
                format!(" (a rule of type “{kind}”, which may apply)"),
            ),
        };
        let (place_zh, place_en) = match &self.place {
            RulePlace::Range(range) => (
                format!("区域 {range} 的条件格式"),
                format!("the conditional format over {range}"),
            ),
            RulePlace::OdsStyle(style) => (
                format!("单元格样式“{style}”的条件格式"),
                format!("the conditional format of cell style “{style}”"),
            ),
        };
        let (what_zh, what_en, number_format) = match &self.effect {
            Effect::Format(judged) => {
                let ShownOtherwise { format, what, shows } = judged.shown(v, self.is_1904)?;
                let (shows_zh, shows_en) = match shows {
                    Some(s) => (format!("（显示为“{s}”）"), format!(" (it shows “{s}”)")),
                    None => (String::new(), String::new()),
                };
                (
                    format!("把数字格式设为“{format}”，{}{shows_zh}，而存储的值为 {v}", what.0),
                    format!(
                        "sets the number format “{format}”, which {}{shows_en}, while the value stored is {v}",
                        what.1
                    ),
                    true,
                )
            }
            Effect::Unseen { font, background } => {
                if v == 0.0 {
                    return None;
                }
                (
                    format!(
                        "把字体颜色设为 {}、底色为 {}，存储的值 {v} 看不见",
                        hex(*font),
                        hex(*background)
                    ),
                    format!(
                        "sets the font colour {} on {}: the value stored, {v}, cannot be seen",
                        hex(*font),
                        hex(*background)
                    ),
                    false,
                )
            }
            Effect::NoValue => {
                if v == 0.0 {
                    return None;
                }
                (
                    format!("只显示数据条或图标、不显示数值，存储的值为 {v}"),
                    format!("shows a data bar or icon without the value; the value stored is {v}"),
                    false,
                )
            }
        };
        Some(LookWords {
            number_format,
            why: (
                format!("{place_zh}{when_zh}{what_zh}"),
                format!("{place_en}{when_en} {what_en}"),
            ),
            advice: ("：请删除或修改该条件格式", "; remove or change that conditional format"),
        })
    }
}

impl Operator {
    fn of(name: &str) -> Option<Operator> {
        Some(match name {
            "equal" => Operator::Equal,
            "notEqual" => Operator::NotEqual,
            "greaterThan" => Operator::Greater,
            "greaterThanOrEqual" => Operator::GreaterOrEqual,
            "lessThan" => Operator::Less,
            "lessThanOrEqual" => Operator::LessOrEqual,
            "between" => Operator::Between,
            "notBetween" => Operator::NotBetween,
            _ => return None,
        })
    }

    /// Whether `v` meets the comparison (`between` takes its bounds in either order, as Excel).
    fn holds(self, v: f64, (a, b): (f64, f64)) -> bool {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        match self {
            Operator::Equal => v == a,
            Operator::NotEqual => v != a,
            Operator::Greater => v > a,
            Operator::GreaterOrEqual => v >= a,
            Operator::Less => v < a,
            Operator::LessOrEqual => v <= a,
            Operator::Between => (low..=high).contains(&v),
            Operator::NotBetween => !(low..=high).contains(&v),
        }
    }

    fn words(self, (a, b): (f64, f64)) -> (String, String) {
        let (zh, en) = match self {
            Operator::Equal => ("等于", "equals"),
            Operator::NotEqual => ("不等于", "is not"),
            Operator::Greater => ("大于", "is above"),
            Operator::GreaterOrEqual => ("大于或等于", "is at least"),
            Operator::Less => ("小于", "is below"),
            Operator::LessOrEqual => ("小于或等于", "is at most"),
            Operator::Between => {
                return (
                    format!("（单元格值介于 {a} 和 {b} 之间时）"),
                    format!(" (where the value is between {a} and {b})"),
                );
            }
            Operator::NotBetween => {
                return (
                    format!("（单元格值不介于 {a} 和 {b} 之间时）"),
                    format!(" (where the value is not between {a} and {b})"),
                );
            }
        };
        (
            format!("（单元格值{zh} {a} 时）"),
            format!(" (where the value {en} {a})"),
        )
    }
}

/// What each differential format of a workbook may do to what a cell shows.
#[derive(Debug, Default)]
pub(crate) struct DifferentialFormats {
    /// By index, in order, at most [`MAX_DIFFERENTIAL_FORMATS`].
    effects: Vec<Vec<Effect>>,
    /// The workbook has more than were judged.
    too_many: bool,
    /// Whether any may hide or change a number.
    any: bool,
}

impl DifferentialFormats {
    /// Whether [`MAX_DIFFERENTIAL_FORMATS`] have been judged: the next one makes too many.
    fn is_full(&mut self) -> bool {
        self.too_many = self.effects.len() == MAX_DIFFERENTIAL_FORMATS;
        self.too_many
    }
}

/// What each differential format (`<dxfs>` of `styles.xml`, in order) may do to what a cell
/// shows, judged once for the workbook (a format code once); none when the part cannot be read
/// (no conditional format is then looked at).
pub(crate) fn differential_formats(styles: &[u8]) -> Option<DifferentialFormats> {
    let Some(at) = memchr::memmem::find(styles, b"dxfs") else {
        return Some(DifferentialFormats::default());
    };
    // Back to the tag's `<` (a prefix may stand before the name).
    let start = memchr::memrchr(b'<', &styles[..at])?;
    let mut reader = Reader::from_reader(&styles[start..]);
    reader.config_mut().allow_unmatched_ends = true;
    let mut out = DifferentialFormats::default();
    let mut judged = rustc_hash::FxHashMap::default();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "dxf" && out.is_full() => break,
            Event::Start(e) if e.local_name().as_ref() == "dxf" => {
                let effects = dxf(&mut reader)?.effects(&mut judged);
                out.effects.push(effects);
            }
            Event::Empty(e) if e.local_name().as_ref() == "dxf" => out.effects.push(Vec::new()),
            Event::End(e) if e.local_name().as_ref() == "dxfs" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    out.any = out.effects.iter().any(|e| !e.is_empty());
    Some(out)
}

/// A differential format: what a conditional format sets.
#[derive(Debug, Clone, Default)]
struct Dxf {
    /// The number format code (by its code or a built-in id).
    format: Option<String>,
    /// The font colour, where one is set and can be told (`None` inside: set, not told).
    font: Option<Option<Rgb>>,
    /// The fill colour, likewise.
    fill: Option<Option<Rgb>>,
}

/// Reads a `<dxf>` to its end.
fn dxf(reader: &mut Reader<&[u8]>) -> Option<Dxf> {
    let mut out = Dxf::default();
    let mut within = "";
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "font" => within = "font",
                "fill" => within = "fill",
                "numFmt" => {
                    out.format = attribute(&e, "formatCode").or_else(|| {
                        let id: u16 = attribute(&e, "numFmtId")?.parse().ok()?;
                        crate::number_format::builtin_code(id).map(str::to_string)
                    });
                }
                "color" if within == "font" => out.font = Some(colour(&e)),
                // A differential fill's solid colour is its background colour; a foreground
                // one is taken where no background is given.
                "bgColor" if within == "fill" => out.fill = Some(colour(&e)),
                "fgColor" if within == "fill" && out.fill.is_none() => out.fill = Some(colour(&e)),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "dxf" => return Some(out),
            Event::End(e) if matches!(e.local_name().as_ref(), "font" | "fill") => within = "",
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// A colour as written (`rgb`, the theme's first two colours, the indexed black and white);
/// none for one that cannot be told without the workbook's theme (other theme colours, a
/// tint, other indexed colours).
fn colour(e: &BytesStart<'_>) -> Option<Rgb> {
    if let Some(rgb) = attribute(e, "rgb") {
        let rgb = rgb.trim();
        let six = rgb.get(rgb.len().checked_sub(6)?..)?;
        let n = u32::from_str_radix(six, 16).ok()?;
        return Some([(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    if attribute(e, "tint").is_some_and(|t| t.trim().parse::<f64>().is_ok_and(|t| t != 0.0)) {
        return None;
    }
    if let Some(theme) = attribute(e, "theme") {
        return match theme.trim() {
            "0" => Some(WHITE),
            "1" => Some(BLACK),
            _ => None,
        };
    }
    if let Some(indexed) = attribute(e, "indexed") {
        return match indexed.trim() {
            "0" | "8" | "64" => Some(BLACK),
            "1" | "9" | "65" => Some(WHITE),
            _ => None,
        };
    }
    if attribute(e, "auto").is_some_and(|a| a == "1" || a == "true") {
        return Some(BLACK);
    }
    None
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    crate::xlsx_merges::attribute(e, key)
}

/// Where a sheet's conditional formats are in the part's bytes after `</sheetData>`: the run of
/// `<conditionalFormatting>` blocks (the schema keeps them together, before the data
/// validations, which may be long), and the extension list at the end of the sheet, where Excel
/// 2010 writes its own. None when the sheet has neither.
pub(crate) fn conditional_regions(tail: &[u8]) -> Option<ConditionalRegions> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static NAME: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"conditionalFormatting"));
    static CLOSE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"</conditionalFormatting>"));
    let first = NAME.find(tail);
    let main = first.and_then(|first| {
        let start = memchr::memrchr(b'<', &tail[..first])?;
        // A prefix before the name (`x:`), as the first block is written.
        let prefix = &tail[start + 1..first];
        let open = [b"<", prefix, b"conditionalFormatting"].concat();
        let close = if prefix.is_empty() {
            CLOSE.clone()
        } else {
            Finder::new(&[b"</", prefix, b"conditionalFormatting>"].concat()).into_owned()
        };
        let mut at = start;
        loop {
            let Some(found) = close.find(&tail[at..]) else {
                return Some(start..tail.len());
            };
            let end = at + found + close.needle().len();
            let next = end + tail[end..].iter().take_while(|b| b.is_ascii_whitespace()).count();
            if tail[next..].starts_with(&open) {
                at = next;
            } else {
                return Some(start..end);
            }
        }
    });
    // The extension list is the sheet's last element: looked for only in its last bytes.
    let last = tail.len().saturating_sub(64);
    let ext = memchr::memmem::rfind(&tail[last..], b"extLst>")
        .and_then(|close| memchr::memmem::rfind(&tail[..last + close], b"<"))
        .and_then(|close_tag| {
            let open = memchr::memmem::rfind(&tail[..close_tag], b"extLst")?;
            let start = memchr::memrchr(b'<', &tail[..open])?;
            let ext = start..tail.len();
            NAME.find(&tail[ext.clone()]).map(|_| ext)
        });
    (main.is_some() || ext.is_some()).then_some(ConditionalRegions { main, ext })
}

/// Where a sheet's conditional formats are ([`conditional_regions`]).
pub(crate) struct ConditionalRegions {
    main: Option<std::ops::Range<usize>>,
    ext: Option<std::ops::Range<usize>>,
}

/// The conditional formats of a sheet in `regions` of `tail`, the part's bytes after
/// `</sheetData>`: each rule's ranges and what it does, with `dxfs` what the workbook's
/// differential formats do. `None` when they cannot be read (the sheet is then read as if it
/// had none, as before they were looked at).
pub(crate) fn conditional_formats(
    tail: &[u8],
    regions: &ConditionalRegions,
    dxfs: &DifferentialFormats,
    is_1904: bool,
) -> Option<Vec<(Merge, Look)>> {
    if dxfs.too_many {
        return Some(vec![(Merge::WHOLE_SHEET, Look::TooManyConditions)]);
    }
    let main = regions.main.clone().map(|r| &tail[r]);
    let ext = regions.ext.clone().map(|r| &tail[r]);
    // Where no differential format can hide or change a number, only a data bar or icon set
    // without its value, or a format written inline (Excel 2010's), can: xxgk's own template
    // marks its check cells red, and its sheets are not parsed for that.
    let without = |xml: &[u8], needle: &[u8]| memchr::memmem::find(xml, needle).is_none();
    if !dxfs.any
        && main.is_none_or(|m| without(m, b"showValue"))
        && ext.is_none_or(|e| without(e, b"showValue") && without(e, b"dxf>"))
    {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    // Where a differential format may hide a number, everything from the first block on is
    // read, so that no block written out of the schema's order is missed.
    if dxfs.any
        && let Some(start) = regions
            .main
            .as_ref()
            .map(|m| m.start)
            .or(regions.ext.as_ref().map(|e| e.start))
    {
        rules_in(&tail[start..], &dxfs.effects, is_1904, &mut out)?;
        return Some(out);
    }
    for part in [main, ext].into_iter().flatten() {
        rules_in(part, &dxfs.effects, is_1904, &mut out)?;
        if matches!(out.first(), Some((_, Look::TooManyConditions))) {
            break;
        }
    }
    Some(out)
}

/// Reads the conditional format rules of `xml` into `out`.
fn rules_in(xml: &[u8], dxfs: &[Vec<Effect>], is_1904: bool, out: &mut Vec<(Merge, Look)>) -> Option<()> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().allow_unmatched_ends = true;
    // The rules of the block being read (its range may come last, in `<xm:sqref>`), and the
    // rule being read: its condition's parts, its differential format, and whether it shows no
    // value.
    let mut block: Vec<(Condition, Vec<Effect>)> = Vec::new();
    let mut block_range: Option<String> = None;
    let mut rule: Option<RuleParts> = None;
    let mut text_of: Option<&'static str> = None;
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "conditionalFormatting" => {
                    block.clear();
                    block_range = attribute(&e, "sqref");
                }
                "cfRule" => {
                    let effects = attribute(&e, "dxfId")
                        .and_then(|d| d.trim().parse::<usize>().ok())
                        .and_then(|d| dxfs.get(d))
                        .cloned()
                        .unwrap_or_default();
                    rule = Some(RuleParts {
                        kind: attribute(&e, "type").unwrap_or_default(),
                        operator: attribute(&e, "operator"),
                        formulas: Vec::new(),
                        effects,
                        no_value: false,
                    });
                }
                "formula" | "f" if rule.is_some() => {
                    text_of = Some("formula");
                    text.clear();
                }
                "sqref" => {
                    text_of = Some("sqref");
                    text.clear();
                }
                "dxf" if rule.is_some() => {
                    let effects = dxf(&mut reader)?.effects(&mut rustc_hash::FxHashMap::default());
                    if let Some(r) = rule.as_mut() {
                        r.effects = effects;
                    }
                }
                "dataBar" | "iconSet" => {
                    if let Some(r) = rule.as_mut()
                        && attribute(&e, "showValue").is_some_and(|s| s == "0" || s == "false")
                    {
                        r.no_value = true;
                    }
                }
                _ => {}
            },
            Event::Text(t) if text_of.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if text_of.is_some() => {
                // `&lt;` and kin in a formula, or a character reference.
                match r.resolve_char_ref().ok().flatten() {
                    Some(c) => text.push(c),
                    None => text.push_str(match &*r {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "\u{fffd}",
                    }),
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "formula" | "f" if text_of == Some("formula") => {
                    if let Some(r) = rule.as_mut() {
                        r.formulas.push(std::mem::take(&mut text));
                    }
                    text_of = None;
                }
                "sqref" => {
                    block_range = Some(std::mem::take(&mut text));
                    text_of = None;
                }
                "cfRule" => {
                    if let Some(r) = rule.take() {
                        let effects = r.effects();
                        if !effects.is_empty() {
                            if block.len() + out.len() == MAX_CONDITIONAL_RANGES {
                                *out = vec![(Merge::WHOLE_SHEET, Look::TooManyConditions)];
                                return Some(());
                            }
                            block.push((r.condition(), effects));
                        }
                    }
                }
                "conditionalFormatting" => {
                    let range = block_range.take().unwrap_or_default();
                    for (condition, effects) in block.drain(..) {
                        for effect in effects {
                            let rule = Arc::new(ConditionalRule {
                                place: RulePlace::Range(range.trim().to_string()),
                                condition: condition.clone(),
                                effect,
                                is_1904,
                            });
                            for part in range.split_ascii_whitespace() {
                                if out.len() == MAX_CONDITIONAL_RANGES {
                                    *out = vec![(Merge::WHOLE_SHEET, Look::TooManyConditions)];
                                    return Some(());
                                }
                                if let Some(region) = crate::xlsx_merges::merge_of(part) {
                                    out.push((region, Look::Conditional(Arc::clone(&rule))));
                                }
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => return Some(()),
            _ => {}
        }
    }
}

/// A `<cfRule>` as read.
struct RuleParts {
    kind: String,
    operator: Option<String>,
    formulas: Vec<String>,
    /// What its differential format may do.
    effects: Vec<Effect>,
    no_value: bool,
}

impl RuleParts {
    /// When it applies: a `cellIs` rule whose formulas are numbers is told exactly.
    fn condition(&self) -> Condition {
        let number = |i: usize| self.formulas.get(i).and_then(|f| f.trim().parse::<f64>().ok());
        if self.kind == "cellIs"
            && let Some(operator) = self.operator.as_deref().and_then(Operator::of)
            && let Some(a) = number(0)
        {
            let two = matches!(operator, Operator::Between | Operator::NotBetween);
            let b = if two { number(1) } else { Some(a) };
            if let Some(b) = b {
                return Condition::Compare {
                    operator,
                    bounds: (a, b),
                };
            }
        }
        Condition::Other(if self.kind.is_empty() {
            "?".to_string()
        } else {
            self.kind.clone()
        })
    }

    /// What it may do to what a cell shows.
    fn effects(&self) -> Vec<Effect> {
        let mut effects = self.effects.clone();
        if self.no_value {
            effects.push(Effect::NoValue);
        }
        effects
    }
}

impl Dxf {
    /// What it may do to what a cell shows: a number format that shows some number otherwise,
    /// or a colour set and told under which a number cannot be seen (against the other colour as
    /// set, or as Excel's default).
    fn effects(&self, judged: &mut rustc_hash::FxHashMap<String, Option<Arc<Judged>>>) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(code) = self.format.as_deref() {
            let format = match judged.get(code) {
                Some(known) => known.clone(),
                None => {
                    let new = Judged::of(code).map(Arc::new);
                    judged.insert(code.to_string(), new.clone());
                    new
                }
            };
            effects.extend(format.map(Effect::Format));
        }
        let font = self.font.map(|f| f.ok_or(()));
        let fill = self.fill.map(|f| f.ok_or(()));
        if (font.is_some() || fill.is_some())
            && let (Ok(font), Ok(background)) = (font.unwrap_or(Ok(BLACK)), fill.unwrap_or(Ok(WHITE)))
            && unseen(font, background)
        {
            effects.push(Effect::Unseen { font, background });
        }
        effects
    }
}

/// The colours of an ods file's cell styles (`style:style style:family="table-cell"`, in
/// `styles.xml` and `content.xml`), and their maps to other cell styles by condition, which is
/// how LibreOffice writes a conditional format beside its own `calcext:conditional-formats`.
/// Built as the parts stream, then judged once per style ([`OdsLooks::finish`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct OdsLooks {
    styles: rustc_hash::FxHashMap<String, OdsCellStyle>,
    /// A cell style's name by its display name (`style:display-name`), by which LibreOffice's own
    /// conditional formats name the style they apply (`ConditionalStyle_1` for
    /// `ConditionalStyle_5f_1`).
    display_names: rustc_hash::FxHashMap<String, String>,
    /// For each cell style whose look may hide a number: how.
    judged: rustc_hash::FxHashMap<String, OdsLook>,
}

#[derive(Debug, Clone, Default)]
struct OdsCellStyle {
    parent: Option<String>,
    /// `fo:color`: a colour, or set but not told.
    colour: Option<Option<Rgb>>,
    /// `fo:background-color`: a colour, or `transparent` (the sheet's white).
    background: Option<Option<Rgb>>,
    /// `style:map`: the condition as written and the style it applies.
    maps: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
struct OdsLook {
    /// The style's own colours, where its text cannot be seen.
    unseen: Option<(Rgb, Rgb)>,
    /// Each map in order: when it applies, and the colours of the style it applies where that
    /// style's text cannot be seen.
    maps: Vec<(Condition, Option<(Rgb, Rgb)>)>,
}

/// An ods colour (`#rrggbb`); none for `transparent` or anything else.
fn ods_colour(value: &str) -> Option<Rgb> {
    let hex = value.trim().strip_prefix('#')?;
    let n = u32::from_str_radix(hex.get(..6)?, 16).ok()?;
    (hex.len() == 6).then_some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

impl OdsLooks {
    /// A cell style named `name`, below `parent`.
    pub(crate) fn style(&mut self, name: &str, parent: Option<&str>) {
        self.styles.insert(
            name.to_string(),
            OdsCellStyle {
                parent: parent.map(str::to_string),
                ..OdsCellStyle::default()
            },
        );
    }

    /// The display name of the cell style `name`.
    pub(crate) fn display_name(&mut self, display: &str, name: &str) {
        self.display_names.insert(display.to_string(), name.to_string());
    }

    /// The colours under which the text of the cell style a conditional format applies cannot be
    /// seen, named as LibreOffice's `calcext:apply-style-name` names it (its display name).
    pub(crate) fn applied_unseen(&self, applied: &str) -> Option<(Rgb, Rgb)> {
        let name = self.display_names.get(applied).map_or(applied, String::as_str);
        self.unseen(name)
    }

    /// The text colour of the cell style `name` (`style:text-properties fo:color`).
    pub(crate) fn colour(&mut self, name: &str, value: &str) {
        if let Some(s) = self.styles.get_mut(name) {
            s.colour = Some(ods_colour(value));
        }
    }

    /// The background of the cell style `name` (`style:table-cell-properties
    /// fo:background-color`).
    pub(crate) fn background(&mut self, name: &str, value: &str) {
        if let Some(s) = self.styles.get_mut(name) {
            s.background = Some(ods_colour(value).filter(|_| value.trim() != "transparent"));
        }
    }

    /// A map of the cell style `name` to the style `to` on `condition`.
    pub(crate) fn map(&mut self, name: &str, condition: &str, to: &str) {
        if let Some(s) = self.styles.get_mut(name)
            && s.maps.len() < 64
        {
            s.maps.push((condition.to_string(), to.to_string()));
        }
    }

    /// The colours of the style `name` as shown, through its parents (a few steps): black text
    /// on white where none sets them; none where a colour is set but not told.
    fn colours(&self, name: &str) -> Option<(Rgb, Rgb)> {
        let (mut colour, mut background) = (None, None);
        let mut at = Some(name);
        for _ in 0..8 {
            let Some(s) = at.and_then(|n| self.styles.get(n)) else {
                break;
            };
            colour = colour.or(s.colour);
            background = background.or(s.background);
            at = s.parent.as_deref();
        }
        Some((colour.unwrap_or(Some(BLACK))?, background.flatten().unwrap_or(WHITE)))
    }

    fn unseen(&self, name: &str) -> Option<(Rgb, Rgb)> {
        self.colours(name)
            .filter(|(font, background)| unseen(*font, *background))
    }

    /// Judges every cell style once, when the styles have all been read.
    pub(crate) fn finish(&mut self) {
        let mut judged = rustc_hash::FxHashMap::default();
        for (name, style) in &self.styles {
            let maps: Vec<(Condition, Option<(Rgb, Rgb)>)> = style
                .maps
                .iter()
                .map(|(condition, to)| (ods_condition(condition), self.unseen(to)))
                .collect();
            let look = OdsLook {
                unseen: self.unseen(name),
                maps: if maps.iter().any(|(_, u)| u.is_some()) {
                    maps
                } else {
                    Vec::new()
                },
            };
            if look.unseen.is_some() || !look.maps.is_empty() {
                judged.insert(name.clone(), look);
            }
        }
        self.judged = judged;
    }

    /// Whether any cell style may hide a number.
    pub(crate) fn any(&self) -> bool {
        !self.judged.is_empty()
    }

    /// Why a number `v` in the cell style `style` may not be seen as stored: the first map
    /// whose condition holds (or may hold) applying a style it cannot be seen in, or else the
    /// style's own colours; none for a zero, the blank a reader takes for 0.
    pub(crate) fn refusal(&self, style: &str, v: f64) -> Option<Look> {
        if v == 0.0 {
            return None;
        }
        let look = self.judged.get(style)?;
        for (condition, unseen) in &look.maps {
            let holds = match condition {
                Condition::Compare { operator, bounds } => Some(operator.holds(v, *bounds)),
                Condition::Other(_) => None,
            };
            if holds == Some(false) {
                continue;
            }
            if let Some((font, background)) = unseen {
                return Some(Look::Conditional(Arc::new(ConditionalRule {
                    place: RulePlace::OdsStyle(style.to_string()),
                    condition: condition.clone(),
                    effect: Effect::Unseen {
                        font: *font,
                        background: *background,
                    },
                    is_1904: false,
                })));
            }
            if holds == Some(true) {
                // The style this map applies is shown, in place of the cell's own.
                return None;
            }
        }
        look.unseen.map(|(font, background)| Look::Unseen { font, background })
    }
}

/// A condition of LibreOffice's own conditional formats (`calcext:condition calcext:value`):
/// `=2`, `!=0`, `between(1,5)`, `not-between(1,5)` on the cell's value; any other
/// (`duplicate`, `top-elements(1)`, `formula-is(…)`, `contains-text(…)`) may hold, and is named by
/// its kind.
pub(crate) fn calcext_condition(value: &str) -> Condition {
    let v = value.trim();
    let as_map = if let Some(rest) = v.strip_prefix("not-between") {
        format!("cell-content-is-not-between{rest}")
    } else if let Some(rest) = v.strip_prefix("between") {
        format!("cell-content-is-between{rest}")
    } else if v.starts_with(['<', '>', '=', '!']) {
        format!("cell-content(){v}")
    } else {
        String::new()
    };
    match ods_condition(&as_map) {
        compared @ Condition::Compare { .. } => compared,
        Condition::Other(_) => {
            let kind = v.split('(').next().unwrap_or(v).trim();
            Condition::Other(if kind.is_empty() {
                "?".to_string()
            } else {
                kind.chars().take(40).collect()
            })
        }
    }
}

/// An ods map condition on the cell's value: `cell-content()=2`, `cell-content()!=0`,
/// `cell-content-is-between(1,5)`, `cell-content-is-not-between(1,5)`; any other may hold.
fn ods_condition(condition: &str) -> Condition {
    let c = condition.trim();
    let between = |rest: &str, operator| {
        let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
        let (a, b) = inner.split_once(',')?;
        Some(Condition::Compare {
            operator,
            bounds: (a.trim().parse().ok()?, b.trim().parse().ok()?),
        })
    };
    let compared = if let Some(rest) = c.strip_prefix("cell-content-is-between") {
        between(rest, Operator::Between)
    } else if let Some(rest) = c.strip_prefix("cell-content-is-not-between") {
        between(rest, Operator::NotBetween)
    } else if let Some(rest) = c.strip_prefix("cell-content()") {
        let rest = rest.trim_start();
        [
            ("<=", Operator::LessOrEqual),
            (">=", Operator::GreaterOrEqual),
            ("!=", Operator::NotEqual),
            ("<", Operator::Less),
            (">", Operator::Greater),
            ("=", Operator::Equal),
        ]
        .into_iter()
        .find_map(|(op, operator)| {
            let bound: f64 = rest.strip_prefix(op)?.trim().parse().ok()?;
            Some(Condition::Compare {
                operator,
                bounds: (bound, bound),
            })
        })
    } else {
        None
    };
    compared.unwrap_or_else(|| Condition::Other(c.chars().take(80).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LibreOffice's own conditions: comparisons with numbers are told, any other is named by
    /// its kind.
    #[test]
    fn calcext_conditions_are_read() {
        let compare = |operator, a, b| Condition::Compare {
            operator,
            bounds: (a, b),
        };
        assert_eq!(calcext_condition("=5"), compare(Operator::Equal, 5.0, 5.0));
        assert_eq!(calcext_condition("!=0"), compare(Operator::NotEqual, 0.0, 0.0));
        assert_eq!(calcext_condition("<=2.5"), compare(Operator::LessOrEqual, 2.5, 2.5));
        assert_eq!(calcext_condition("between(1,5)"), compare(Operator::Between, 1.0, 5.0));
        assert_eq!(
            calcext_condition("not-between(1, 5)"),
            compare(Operator::NotBetween, 1.0, 5.0)
        );
        for (value, kind) in [
            ("top-elements(1)", "top-elements"),
            ("duplicate", "duplicate"),
            ("formula-is([.$B$5]>1)", "formula-is"),
            ("=[.A1]", "=[.A1]"),
            ("", "?"),
        ] {
            assert_eq!(calcext_condition(value), Condition::Other(kind.to_string()), "{value}");
        }
    }

    const DXFS: &str = r#"<styleSheet><cellXfs count="1"><xf/></cellXfs><dxfs count="3">
        <dxf><font><color rgb="FFFFFFFF"/></font></dxf>
        <dxf><numFmt numFmtId="170" formatCode="0%"/></dxf>
        <dxf><font><color theme="0"/></font><fill><patternFill><bgColor rgb="FF000000"/></patternFill></fill></dxf>
    </dxfs></styleSheet>"#;

    fn rules(tail: &str) -> Vec<(Merge, Look)> {
        let dxfs = differential_formats(DXFS.as_bytes()).expect("dxfs");
        let Some(regions) = conditional_regions(tail.as_bytes()) else {
            return Vec::new();
        };
        conditional_formats(tail.as_bytes(), &regions, &dxfs, false).expect("rules")
    }

    fn says(looks: &[(Merge, Look)], v: f64) -> Vec<String> {
        looks.iter().filter_map(|(_, l)| l.words(v)).map(|w| w.why.0).collect()
    }

    #[test]
    fn a_white_font_on_a_cell_equal_to_a_number_hides_it_only_there() {
        let looks = rules(
            r#"<conditionalFormatting sqref="B5:D9 F5"><cfRule type="cellIs" dxfId="0" priority="1" operator="equal"><formula>7</formula></cfRule></conditionalFormatting>"#,
        );
        assert_eq!(looks.len(), 2);
        assert_eq!((looks[0].0.first_row, looks[0].0.last_col), (4, 3));
        let why = says(&looks[..1], 7.0);
        assert_eq!(why.len(), 1);
        assert!(
            why[0].contains("B5:D9 F5") && why[0].contains("等于 7") && why[0].contains("#FFFFFF"),
            "{why:?}"
        );
        assert!(says(&looks, 8.0).is_empty());
    }

    #[test]
    fn zero_hidden_is_read_and_a_formula_condition_may_hold() {
        let looks = rules(
            r#"<conditionalFormatting sqref="A1:A3"><cfRule type="cellIs" dxfId="0" operator="equal"><formula>0</formula></cfRule><cfRule type="expression" dxfId="1"><formula>$A1&gt;2</formula></cfRule></conditionalFormatting>"#,
        );
        assert_eq!(looks.len(), 2);
        assert!(says(&looks[..1], 0.0).is_empty(), "{:?}", says(&looks, 0.0));
        let why = says(&looks, 3.0);
        assert_eq!(why.len(), 1);
        assert!(why[0].contains("expression") && why[0].contains("300%"), "{why:?}");
    }

    #[test]
    fn colours_set_together_and_inline_rules_of_excel_2010() {
        // White on black is seen; a data bar without its value is not; the x14 form with its
        // range last and its format inline.
        let looks = rules(
            r#"<conditionalFormatting sqref="A1"><cfRule type="cellIs" dxfId="2" operator="greaterThan"><formula>0</formula></cfRule><cfRule type="dataBar"><dataBar showValue="0"/></cfRule></conditionalFormatting>
            <extLst><ext><x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule type="cellIs" operator="between"><xm:f>1</xm:f><xm:f>5</xm:f><x14:dxf><numFmt numFmtId="9"/></x14:dxf></x14:cfRule><xm:sqref>C3:C4</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"#,
        );
        assert_eq!(looks.len(), 2);
        assert!(says(&looks[..1], 4.0)[0].contains("数据条"));
        assert_eq!((looks[1].0.first_row, looks[1].0.first_col), (2, 2));
        assert!(says(&looks[1..], 4.0)[0].contains("介于 1 和 5"));
        assert!(says(&looks[1..], 6.0).is_empty());
    }

    #[test]
    fn too_many_ranges_put_the_sheet_in_doubt() {
        let many: String = (1..=MAX_CONDITIONAL_RANGES + 1).map(|i| format!("A{i} ")).collect();
        let looks = rules(&format!(
            r#"<conditionalFormatting sqref="{many}"><cfRule type="cellIs" dxfId="0" operator="equal"><formula>1</formula></cfRule></conditionalFormatting>"#
        ));
        assert_eq!(looks.len(), 1);
        assert!(matches!(looks[0].1, Look::TooManyConditions));
    }

    #[test]
    fn too_many_differential_formats_put_sheets_with_conditional_formats_in_doubt() {
        let styles = format!(
            "<styleSheet><dxfs>{}</dxfs></styleSheet>",
            "<dxf/>".repeat(MAX_DIFFERENTIAL_FORMATS + 1)
        );
        let dxfs = differential_formats(styles.as_bytes()).expect("dxfs");
        let tail = r#"<conditionalFormatting sqref="A1"><cfRule type="cellIs" dxfId="0" operator="equal"><formula>1</formula></cfRule></conditionalFormatting>"#;
        let regions = conditional_regions(tail.as_bytes()).expect("regions");
        let looks = conditional_formats(tail.as_bytes(), &regions, &dxfs, false).expect("rules");
        assert!(matches!(looks[..], [(_, Look::TooManyConditions)]));
        // As many as are judged, and a sheet without conditional formats, are as before.
        let styles = format!(
            "<styleSheet><dxfs>{}</dxfs></styleSheet>",
            "<dxf/>".repeat(MAX_DIFFERENTIAL_FORMATS)
        );
        let dxfs = differential_formats(styles.as_bytes()).expect("dxfs");
        assert!(
            conditional_formats(tail.as_bytes(), &regions, &dxfs, false)
                .expect("rules")
                .is_empty()
        );
        assert!(conditional_regions(b"<pageMargins/>").is_none());
    }

    #[test]
    fn a_font_as_its_background_is_unseen() {
        assert!(unseen(WHITE, [250, 250, 250]));
        assert!(!unseen(WHITE, BLACK));
        assert!(!unseen([255, 0, 0], WHITE));
    }

    #[test]
    fn ods_styles_hide_by_colour_and_by_map() {
        let mut looks = OdsLooks::default();
        looks.style("Default", None);
        looks.style("white", Some("Default"));
        looks.colour("white", "#ffffff");
        looks.style("ConditionalStyle_1", Some("Default"));
        looks.colour("ConditionalStyle_1", "#FFFFFF");
        looks.style("ce1", Some("Default"));
        looks.map("ce1", "cell-content()=2", "ConditionalStyle_1");
        looks.style("ce2", Some("Default"));
        looks.map("ce2", "is-true-formula(B5>1)", "ConditionalStyle_1");
        looks.style("dark", Some("white"));
        looks.background("dark", "#000000");
        looks.finish();
        assert!(matches!(looks.refusal("white", 3.0), Some(Look::Unseen { .. })));
        assert!(looks.refusal("white", 0.0).is_none());
        assert!(looks.refusal("dark", 3.0).is_none());
        let why = looks.refusal("ce1", 2.0).and_then(|l| l.words(2.0)).expect("hidden");
        assert!(
            why.why.0.contains("ce1") && why.why.0.contains("等于 2"),
            "{}",
            why.why.0
        );
        assert!(looks.refusal("ce1", 3.0).is_none());
        assert!(looks.refusal("ce2", 3.0).is_some());
    }
}
