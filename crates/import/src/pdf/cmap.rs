//! `ToUnicode` CMaps: from character codes of a font to the Unicode text they show.
//!
//! Word, WPS and LibreOffice embed subsets of CJK fonts as composite fonts (`Identity-H`), whose
//! codes are glyph numbers that mean nothing without the font's `ToUnicode` map; LibreOffice's
//! simple TrueType fonts also map their codes there, whatever their `/Encoding` says. Only the
//! parts of the CMap language that carry mappings are read: `bfchar` and `bfrange` (with a start
//! value or an array of values). Ranges are kept as ranges, so a hostile `<0000> <FFFFFFFF>`
//! range costs nothing.

/// A parsed `ToUnicode` map.
#[derive(Debug, Default, Clone)]
pub(crate) struct ToUnicode {
    /// Single codes: (code length in bytes, code) → text.
    chars: rustc_hash::FxHashMap<(u8, u32), String>,
    /// Ranges, sorted by (length, first code): first, last, what the first maps to.
    ranges: Vec<Range>,
}

#[derive(Debug, Clone)]
struct Range {
    len: u8,
    lo: u32,
    hi: u32,
    target: Target,
}

#[derive(Debug, Clone)]
enum Target {
    /// The first code maps to these UTF-16 units; each next code adds one to the last unit.
    Start(Vec<u16>),
    /// One text per code.
    List(Vec<String>),
}

/// Most mappings read from one CMap (its stream is bounded in bytes already).
const MAX_ENTRIES: usize = 200_000;

impl ToUnicode {
    /// Parses a CMap stream's text; whatever cannot be read is skipped.
    pub(crate) fn parse(bytes: &[u8]) -> ToUnicode {
        let tokens = tokenize(bytes);
        let mut map = ToUnicode::default();
        let mut i = 0;
        let mut entries = 0usize;
        while i < tokens.len() && entries < MAX_ENTRIES {
            match &tokens[i] {
                Tok::Word(w) if w == "beginbfchar" => {
                    i += 1;
                    while i + 1 < tokens.len() && entries < MAX_ENTRIES {
                        match (&tokens[i], &tokens[i + 1]) {
                            (Tok::Hex(src), Tok::Hex(dst)) => {
                                if let Some((len, code)) = code_of(src) {
                                    map.chars.insert((len, code), utf16(dst));
                                }
                                entries += 1;
                                i += 2;
                            }
                            (Tok::Hex(src), Tok::Name(name)) => {
                                if let (Some((len, code)), Some(c)) = (code_of(src), glyph_name(name)) {
                                    map.chars.insert((len, code), c.to_string());
                                }
                                entries += 1;
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                }
                Tok::Word(w) if w == "beginbfrange" => {
                    i += 1;
                    while i + 2 < tokens.len() && entries < MAX_ENTRIES {
                        let (Tok::Hex(lo), Tok::Hex(hi)) = (&tokens[i], &tokens[i + 1]) else {
                            break;
                        };
                        let (Some((len, lo)), Some((_, hi))) = (code_of(lo), code_of(hi)) else {
                            i += 3;
                            continue;
                        };
                        match &tokens[i + 2] {
                            Tok::Hex(dst) => {
                                if hi >= lo {
                                    map.ranges.push(Range {
                                        len,
                                        lo,
                                        hi,
                                        target: Target::Start(utf16_units(dst)),
                                    });
                                }
                                entries += 1;
                                i += 3;
                            }
                            Tok::Open => {
                                let mut list = Vec::new();
                                let mut j = i + 3;
                                while let Some(Tok::Hex(d)) = tokens.get(j) {
                                    if list.len() < MAX_ENTRIES {
                                        list.push(utf16(d));
                                    }
                                    j += 1;
                                }
                                if hi >= lo {
                                    entries += list.len();
                                    map.ranges.push(Range {
                                        len,
                                        lo,
                                        hi,
                                        target: Target::List(list),
                                    });
                                }
                                i = j + 1;
                            }
                            _ => break,
                        }
                    }
                }
                _ => i += 1,
            }
        }
        map.ranges.sort_by_key(|r| (r.len, r.lo));
        map
    }

    /// Whether the map has no mapping at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// The text of code `code`, `len` bytes long.
    pub(crate) fn get(&self, len: u8, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&(len, code)) {
            return Some(s.clone());
        }
        // The last range starting at or before the code.
        let k = self.ranges.partition_point(|r| (r.len, r.lo) <= (len, code));
        let r = self.ranges.get(k.checked_sub(1)?)?;
        if r.len != len || code > r.hi {
            return None;
        }
        let offset = code - r.lo;
        match &r.target {
            Target::Start(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.checked_add(u16::try_from(offset).ok()?)?;
                Some(String::from_utf16_lossy(&units))
            }
            Target::List(list) => list.get(offset as usize).cloned(),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Name(String),
    Word(String),
    Open,
    Close,
}

fn tokenize(bytes: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'%' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if bytes.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let mut digits = Vec::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'>' {
                    if bytes[i].is_ascii_hexdigit() {
                        digits.push(bytes[i]);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let hex = digits.chunks(2).map(|p| (hex_val(p[0]) << 4) | hex_val(p[1])).collect();
                out.push(Tok::Hex(hex));
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // A literal string (a CMap's name in its header): skipped.
                let mut depth = 0usize;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && !is_delimiter(bytes[i]) {
                    i += 1;
                }
                out.push(Tok::Name(String::from_utf8_lossy(&bytes[start..i]).into_owned()));
            }
            _ if b.is_ascii_whitespace() || b == 0 => i += 1,
            _ => {
                let start = i;
                while i < bytes.len() && !is_delimiter(bytes[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                } else {
                    out.push(Tok::Word(String::from_utf8_lossy(&bytes[start..i]).into_owned()));
                }
            }
        }
    }
    out
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'<' | b'>' | b'[' | b']' | b'(' | b')' | b'/' | b'%' | b'{' | b'}' | 0
        )
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// A source code of 1–4 bytes as (length, value).
fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some((
        bytes.len() as u8,
        bytes.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)),
    ))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|p| (u16::from(p[0]) << 8) | u16::from(p.get(1).copied().unwrap_or(0)))
        .collect()
}

fn utf16(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

/// The character of a glyph name: `uniXXXX`, `uXXXX[XX]`, or one of the few names of digits and
/// punctuation a report's numbers use. Other names are not guessed.
pub(crate) fn glyph_name(name: &str) -> Option<char> {
    if let Some(hex) = name.strip_prefix("uni").or_else(|| name.strip_prefix('u'))
        && (4..=6).contains(&hex.len())
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return char::from_u32(v);
    }
    const NAMES: [(&str, char); 22] = [
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("space", ' '),
        ("period", '.'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '-'),
        ("percent", '%'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("slash", '/'),
        ("colon", ':'),
        ("endash", '–'),
        ("emdash", '—'),
    ];
    if name.len() == 1 {
        return name.chars().next().filter(char::is_ascii_alphabetic);
    }
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_ranges_and_arrays_map_codes_to_text() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            /CMapName /Adobe-Identity-UCS def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
            2 beginbfchar\n<0003> <0020>\n<235A> <653F>\nendbfchar\n\
            2 beginbfrange\n<0010> <0019> <0030>\n<0100> <0102> [<4E00> <4E8C> <D840DC00>]\nendbfrange\n\
            1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange\nendcmap";
        let map = ToUnicode::parse(cmap);
        assert_eq!(map.get(2, 0x235A).as_deref(), Some("政"));
        assert_eq!(map.get(2, 0x0003).as_deref(), Some(" "));
        assert_eq!(map.get(2, 0x0015).as_deref(), Some("5"), "a range adds the offset");
        assert_eq!(map.get(2, 0x0101).as_deref(), Some("二"));
        assert_eq!(map.get(2, 0x0102).as_deref(), Some("\u{20000}"), "a surrogate pair");
        assert_eq!(map.get(1, 0x15), None, "a one-byte code is another code");
        assert_eq!(map.get(2, 0x0200), None);
    }

    #[test]
    fn glyph_names_of_digits_and_unicode() {
        assert_eq!(glyph_name("uni653F"), Some('政'));
        assert_eq!(glyph_name("seven"), Some('7'));
        assert_eq!(glyph_name("g123"), None);
    }
}
