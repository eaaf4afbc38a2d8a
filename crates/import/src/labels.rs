//! Normalising labels so that the same official label matches however a template or a page
//! writes it: full- or half-width, with line breaks or spaces inside (“商业\n企业”, “年 度”),
//! any quote style, “1、” for “1.”.

/// How well a found label names an official one (the grid matcher's score), for other programs.
pub use crate::grid::match_score;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use xxgk_model::SectionKind;

/// The comparable form of a label: NFKC (full-width → ASCII), no whitespace, no quotes,
/// “、” after a digit read as “.”, no trailing colon, ASCII lower case.
pub fn comparable_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_comparable(s, &mut out);
    while out.ends_with([':', '：']) {
        out.pop();
    }
    out
}

/// [`comparable_label`] of a cell's text, remembered per thread for short texts: the workbooks of
/// a batch repeat their template's labels, and looking a label up costs a fifth of normalising
/// it. At most [`CACHED_LABELS`] texts of at most [`CACHED_LABEL_BYTES`] bytes are kept.
pub(crate) fn comparable_label_cached(s: &str) -> std::sync::Arc<str> {
    use std::cell::RefCell;
    use std::sync::Arc;
    thread_local! {
        // Shared with the grids that hold them: a hit copies nothing.
        static CACHE: RefCell<rustc_hash::FxHashMap<Box<str>, Arc<str>>> = RefCell::default();
    }
    if s.len() > CACHED_LABEL_BYTES {
        return comparable_label(s).into();
    }
    CACHE.with(|cache| {
        if let Some(n) = cache.borrow().get(s) {
            return Arc::clone(n);
        }
        let n: Arc<str> = comparable_label(s).into();
        let mut cache = cache.borrow_mut();
        if cache.len() < CACHED_LABELS {
            cache.insert(s.into(), Arc::clone(&n));
        }
        n
    })
}

/// Most texts [`comparable_label_cached`] keeps per thread (a template has a few hundred labels).
const CACHED_LABELS: usize = 4096;
/// Longest text (bytes) it keeps: longer ones are sections and notes, seldom repeated.
const CACHED_LABEL_BYTES: usize = 96;

/// Appends the normalised form of `s` to `out` as [`comparable_label`] makes it, without removing
/// a trailing colon: normalising pieces of a text one after another into one buffer gives the
/// normal form of the whole text (the HTML reader scores every element of a page from one pass).
pub(crate) fn push_comparable(s: &str, out: &mut String) {
    out.reserve(s.len());
    for c in s.chars() {
        // Nearly every character of a report is a CJK ideograph or an ASCII letter or digit,
        // which nothing below changes but case: kept at once (pages and long sections pass
        // through here whole).
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        fold(c, |c| push_by_the_rule(c, out));
    }
}

/// Appends one folded character as the comparable form has it: no whitespace, quotes or
/// zero-width marks, “、” after a digit read as “.”, square brackets as round ones, ASCII lower case.
fn push_by_the_rule(c: char, out: &mut String) {
    if c.is_whitespace() || is_quote(c) || c == '\u{200b}' || c == '\u{feff}' {
        return;
    }
    let c = match c {
        '、' if out.ends_with(|p: char| p.is_ascii_digit()) => '.',
        '【' | '〔' | '[' => '(',
        '】' | '〕' | ']' => ')',
        other => other.to_ascii_lowercase(),
    };
    out.push(c);
}

/// The comparable form of a label of the catalogue ([`comparable_label`]), computed once per thread: the matchers
/// compare every cell of a workbook with these labels, so normalising them once matters, and a
/// per-thread cache keyed by the label's address needs neither a lock nor a strong hash.
pub fn comparable_catalogue_label(label: &'static str) -> &'static str {
    use std::cell::RefCell;
    thread_local! {
        // Catalogue labels are static and few (a few hundred), so the leaked normalised copies
        // are bounded (per thread).
        static CACHE: RefCell<rustc_hash::FxHashMap<(usize, usize), &'static str>> = RefCell::default();
    }
    let key = (label.as_ptr() as usize, label.len());
    CACHE.with(|cache| {
        if let Some(n) = cache.borrow().get(&key) {
            return *n;
        }
        let n: &'static str = Box::leak(comparable_label(label).into_boxed_str());
        cache.borrow_mut().insert(key, n);
        n
    })
}

/// Compatibility folding (full-width → ASCII, ideographic space → space) of one character, each
/// folded character given to `out` as it comes (no buffer), and skipping the tables for the
/// characters it leaves alone (ASCII and the CJK ideographs that make up nearly every label):
/// matching normalises labels thousands of times per workbook, and full NFKC was most of an
/// import's time.
fn fold(c: char, mut out: impl FnMut(char)) {
    match c {
        _ if c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c) => out(c),
        // Full-width ASCII forms: a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => out(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        _ => unicode_normalization::char::decompose_compatible(c, out),
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '″' | '＂'
    )
}

/// Whether `found` names the official label `official`: equal after normalising, or `official`
/// followed by a local gloss in brackets (“规章（设区的市、自治州人民政府应提供相关数据）”).
pub fn label_matches(found: &str, official: &str) -> bool {
    let f = comparable_label(found);
    let o = comparable_label(official);
    f == o || (f.starts_with(&o) && f[o.len()..].starts_with('('))
}

/// Row labels that published reports print in place of an official one and that name no other
/// row: (official label, label as printed). Matching one is reported as a variant.
pub const ROW_VARIANTS: &[(&str, &str)] = &[("行政规范性文件", "规范性文件")];

/// The section a heading names: the canonical heading or a published variant, with or without
/// its numbering (`一、`, `一.`, `（一）`). Long texts are never headings.
pub fn section_of(text: &str) -> Option<SectionKind> {
    section_of_comparable(&comparable_label(text))
}

/// [`section_of`] for a text already normalised (a grid cell's label form).
pub fn section_of_comparable(n: &str) -> Option<SectionKind> {
    // Headings are at most 40 characters: a cheap byte bound first (CJK is 3 bytes a character).
    if n.is_empty() || n.len() > 4 * 40 || n.chars().count() > 40 {
        return None;
    }
    let (headings, variants) = &*SECTION_LABELS;
    // The first kind (in form order) whose heading is the text or one of whose variants is the
    // text without its numbering.
    let by_heading = headings.get(n).copied();
    let by_variant = variants.get(strip_numbering(n)).copied();
    match (by_heading, by_variant) {
        (Some(a), Some(b)) => Some(if a <= b { a } else { b }),
        (a, b) => a.or(b),
    }
    .map(|i| SectionKind::ALL[i])
}

/// The normalised section headings and heading variants, each with the index in
/// [`SectionKind::ALL`] of the first kind that has it: every label cell of a workbook is looked
/// up in them.
type SectionLabels = (FxHashMap<String, usize>, FxHashMap<String, usize>);
static SECTION_LABELS: LazyLock<SectionLabels> = LazyLock::new(|| {
    let (mut headings, mut variants) = (FxHashMap::default(), FxHashMap::default());
    for (i, k) in SectionKind::ALL.into_iter().enumerate() {
        headings.entry(comparable_label(k.heading().zh)).or_insert(i);
        for v in k.heading_variants() {
            variants.entry(comparable_label(v)).or_insert(i);
        }
    }
    (headings, variants)
});

/// `一、总体情况` → `总体情况` (also `一.`, `(一)`), on normalised text.
fn strip_numbering(n: &str) -> &str {
    const NUMERALS: &str = "一二三四五六七八九十";
    if let Some(rest) = n.strip_prefix('(')
        && let Some((num, after)) = rest.split_once(')')
        && !num.is_empty()
        && num.chars().all(|c| NUMERALS.contains(c))
    {
        return after;
    }
    let digits_end = n
        .char_indices()
        .find(|(_, c)| !NUMERALS.contains(*c))
        .map_or(n.len(), |(i, _)| i);
    if digits_end > 0 {
        let rest = &n[digits_end..];
        if let Some(r) = rest.strip_prefix(['、', '.']) {
            return r;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick path for ideographs, letters and digits gives what the whole rule gives, on
    /// texts that mix them with everything the rule changes.
    #[test]
    fn the_quick_path_normalises_as_the_rule_does() {
        fn by_the_rule(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                fold(c, |c| push_by_the_rule(c, &mut out));
            }
            out
        }
        let pieces = [
            "予以公开",
            "ABC",
            "x9",
            "1、",
            "１２、",
            "【规章】",
            "“行政”",
            " \u{3000}\t",
            "Ⅳ",
            "ﬁ",
            "㈠",
            "〔2023〕",
            "\u{200b}",
            "\u{feff}",
            "：",
            "（一）",
            "é",
            "\u{9FFF}\u{A000}\u{4DFF}",
            "9、",
            "、",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    let mut quick = String::new();
                    push_comparable(&text, &mut quick);
                    assert_eq!(quick, by_the_rule(&text), "{text}");
                }
            }
        }
    }

    #[test]
    fn cached_labels_are_the_labels() {
        let texts = [
            "（一）予以公开",
            "本年收费金额（单位：万元）",
            "１２",
            " 规 章： ",
            "",
            &"长".repeat(40),
        ];
        // Twice each: the second answer comes from the cache (the long text never does).
        for _ in 0..2 {
            for t in texts {
                assert_eq!(*comparable_label_cached(t), *comparable_label(t), "{t}");
            }
        }
        // Past the cache's size, texts are still normalised, only no longer kept.
        for i in 0..CACHED_LABELS + 10 {
            let t = format!("第{i}行（合计）");
            assert_eq!(*comparable_label_cached(&t), *comparable_label(&t));
        }
        assert_eq!(
            *comparable_label_cached("（一）予以公开"),
            *comparable_label("（一）予以公开")
        );
    }

    #[test]
    fn section_lookup_agrees_with_the_scan_of_every_heading() {
        let scan = |n: &str| {
            let unnumbered = strip_numbering(n);
            SectionKind::ALL.into_iter().find(|k| {
                n == comparable_label(k.heading().zh)
                    || k.heading_variants().iter().any(|v| comparable_label(v) == unnumbered)
            })
        };
        let mut texts = vec!["总体情况".to_string(), "其他".to_string(), "表格".to_string()];
        for k in SectionKind::ALL {
            texts.push(k.heading().zh.to_string());
            for v in k.heading_variants() {
                for prefix in ["", "一、", "(三)", "七.", "十一、"] {
                    texts.push(format!("{prefix}{v}"));
                }
            }
        }
        for t in texts {
            let n = comparable_label(&t);
            assert_eq!(section_of_comparable(&n), scan(&n), "{t}");
        }
    }

    /// Fuzzing found inputs on which an earlier normaliser (full NFKC, which reorders and
    /// composes combining marks) was not idempotent; the per-character folding must be.
    #[test]
    fn normalising_is_idempotent_where_fuzzing_found_it_was_not() {
        for name in ["fuzz-label-combining-marks.bin", "fuzz-label-lowercase-composes.bin"] {
            let path = format!("{}/../../tests/fixtures/hostile/{name}", env!("CARGO_MANIFEST_DIR"));
            let bytes = std::fs::read(&path).expect("fixture");
            let text = String::from_utf8_lossy(&bytes);
            for part in text.split('\0') {
                let once = comparable_label(part);
                assert_eq!(comparable_label(&once), once, "{part:?}");
            }
        }
    }

    #[test]
    fn variants_normalise_alike() {
        assert_eq!(comparable_label("社会\n公益\n组织"), comparable_label("社会公益组织"));
        assert_eq!(
            comparable_label("3.危及\"三安全一稳定\""),
            comparable_label("3.危及“三安全一稳定”")
        );
        assert_eq!(comparable_label("1、属于国家秘密"), comparable_label("1.属于国家秘密"));
        assert_eq!(comparable_label("(一)予以公开"), comparable_label("（一）予以公开"));
        assert_eq!(comparable_label("年 度："), "年度");
    }

    #[test]
    fn glosses_match_by_prefix() {
        assert!(label_matches("规章（设区的市、自治州人民政府应提供相关数据）", "规章"));
        assert!(!label_matches("规章制度", "规章"));
        assert!(label_matches(" 商业\n企业 ", "商业企业"));
    }

    #[test]
    fn section_headings_with_and_without_numbers() {
        assert_eq!(section_of("一、总体情况"), Some(SectionKind::General));
        assert_eq!(section_of("六、其他事项"), Some(SectionKind::Other));
        assert_eq!(
            section_of("（五）存在的主要问题及改进情况"),
            Some(SectionKind::Problems)
        );
        assert_eq!(section_of("三、本年度办理结果"), None);
    }
}
