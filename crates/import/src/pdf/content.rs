//! The text and the ruling lines of a PDF page, with their positions.
//!
//! A page's content streams are interpreted (ISO 32000-1 §8–9, the parts that place text and
//! lines): the graphics state (`q`/`Q`/`cm`), the text state (`Tf`, `Tc`, `Tw`, `Tz`, `TL`,
//! `Ts`), the text positioning and showing operators (`Td`, `TD`, `Tm`, `T*`, `Tj`, `TJ`, `'`,
//! `"`), paths (`m`, `l`, `re`, `h`, curves) and how they are painted (stroke, fill, `n`), form
//! XObjects (recursively, within limits) and images (counted, for telling a scan). Each glyph
//! becomes a [`Glyph`] at its position on the page (top-down coordinates in points) with the
//! text its font's `ToUnicode` map gives it; each stroked line or thin filled rectangle that is
//! horizontal or vertical becomes a [`Segment`], from which the tables' cells are drawn.
//! Text marked as a pagination artifact (`/Artifact <</Type /Pagination>> BDC`: page headers,
//! footers and numbers, as Word writes them) is flagged. Coordinates are those of the page as it
//! shows: `/Rotate` (the page's, or inherited from the page tree) is applied, and a page whose
//! text mostly runs sideways or upside down (a landscape table set on a portrait page) is turned
//! so that it reads left to right.

use super::cmap::{ToUnicode, glyph_name};
use crate::limits::exceeded;
use crate::{ErrorKind, ImportError, ImportOptions};
use lopdf::content::Operation;
use lopdf::{Dictionary, Document, Object, ObjectId};
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// One glyph placed on a page.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    /// Left edge of the glyph (points from the page's left).
    pub x: f32,
    /// Right edge (after its advance).
    pub x1: f32,
    /// Baseline (points from the page's top).
    pub y: f32,
    /// Font size on the page, in points.
    pub size: f32,
    /// The text it shows (usually one character).
    pub text: String,
    /// Part of a page header or footer, as the file marks it.
    pub artifact: bool,
    /// Which way the text runs on the page, in quarter turns clockwise from left to right: 1
    /// downwards, 2 right to left (upside down), 3 upwards (a table set sideways).
    pub dir: u8,
    /// For text that does not run left to right: the y of the glyph's end (its advance); `x1`
    /// is then the x of the end, not the right edge, until the page is turned upright.
    pub ey: f32,
}

impl Glyph {
    /// The middle of the glyph's box.
    pub(super) fn center(&self) -> (f32, f32) {
        ((self.x + self.x1) / 2.0, self.y - self.size * 0.35)
    }
}

/// A horizontal or vertical ruling line (top-down coordinates, `x0 <= x1`, `y0 <= y1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Segment {
    pub(super) fn horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 0.5
    }
}

/// What a page shows.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    /// The page's number (1-based).
    pub number: usize,
    /// Height in points (of the page as shown: `/Rotate` applied, and turned so that most of
    /// its text runs left to right).
    pub height: f32,
    /// Width in points, likewise.
    pub width: f32,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// Images drawn on the page.
    pub images: usize,
    /// Glyphs whose font gives no text for them.
    pub unmapped: usize,
}

/// Most nested form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Most ruling lines kept for one page.
const MAX_SEGMENTS: usize = 20_000;

/// What reading the pages may still spend.
pub(crate) struct Budget {
    /// Decompressed bytes of content streams (all pages, forms included).
    pub stream_bytes: u64,
    /// Operators interpreted.
    pub operations: u64,
    /// Bytes of text of the glyphs.
    pub text_bytes: u64,
    /// Glyphs shown.
    pub glyphs: u64,
}

impl Budget {
    pub(super) fn new(opts: &ImportOptions) -> Budget {
        Budget {
            stream_bytes: opts.max_unpacked_bytes,
            operations: opts.max_pdf_operators,
            text_bytes: opts.max_text_bytes,
            glyphs: opts.max_pdf_glyphs,
        }
    }
}

type M = [f32; 6];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// How a font's codes are cut and turned into text.
#[derive(Debug)]
struct Font {
    codes: Codes,
    to_unicode: Option<ToUnicode>,
    /// For simple fonts without a usable ToUnicode: code → character (`/Differences`, else Latin).
    differences: FxHashMap<u8, char>,
    widths: Widths,
    vertical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Codes {
    /// One byte per code (simple fonts).
    One,
    /// Two bytes per code, CIDs equal to codes (`Identity-H`/`-V`).
    Identity,
    /// Two bytes per code in UCS-2 (`Uni…-UCS2-H`).
    Ucs2,
    /// One or two bytes per code, GBK (`GBK-EUC-H`, `GBpc-EUC-H`, …).
    Gbk,
    /// Two bytes per code, meaning unknown without ToUnicode.
    TwoUnknown,
}

#[derive(Debug, Default)]
struct Widths {
    first: u32,
    list: Vec<f32>,
    cid: FxHashMap<u32, f32>,
    default: f32,
}

impl Widths {
    fn get(&self, code: u32) -> f32 {
        if let Some(w) = self.cid.get(&code) {
            return *w;
        }
        code.checked_sub(self.first)
            .and_then(|i| self.list.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default)
    }
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(&Object::Null)
}

fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o)).filter(|o| !o.is_null())
}

fn name_of(o: Option<&Object>) -> Option<&[u8]> {
    o.and_then(|o| o.as_name().ok())
}

/// A stream's decompressed bytes, charged to the budget.
fn stream_bytes(
    file: &str,
    stream: &lopdf::Stream,
    budget: &mut Budget,
    opts: &ImportOptions,
) -> Result<Vec<u8>, ImportError> {
    let limit = usize::try_from(budget.stream_bytes).unwrap_or(usize::MAX);
    let data = match stream.decompressed_content_with_limit(limit) {
        Ok(d) => d,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(stream_limit(file, opts));
        }
        // A stream that is not compressed, or whose filter is not understood, is read as stored.
        Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
        Err(_) => Vec::new(),
    };
    if data.len() as u64 > budget.stream_bytes {
        return Err(stream_limit(file, opts));
    }
    budget.stream_bytes -= data.len() as u64;
    Ok(data)
}

pub(crate) fn stream_limit(file: &str, opts: &ImportOptions) -> ImportError {
    exceeded(
        file,
        None,
        "PDF 内容流解压后的总大小（字节）",
        "the decompressed size of the PDF's content streams in bytes",
        format!("> {}", opts.max_unpacked_bytes),
        opts.max_unpacked_bytes,
        "--max-unpacked-bytes",
    )
}

fn load_font(
    doc: &Document,
    font: &Dictionary,
    file: &str,
    budget: &mut Budget,
    opts: &ImportOptions,
) -> Result<Font, ImportError> {
    let subtype = name_of(dict_get(doc, font, b"Subtype")).unwrap_or(b"");
    let to_unicode = match dict_get(doc, font, b"ToUnicode") {
        Some(Object::Stream(s)) => {
            let bytes = stream_bytes(file, s, budget, opts)?;
            Some(ToUnicode::parse(&bytes)).filter(|m| !m.is_empty())
        }
        _ => None,
    };
    let mut widths = Widths {
        default: 1000.0,
        ..Widths::default()
    };
    let mut differences = FxHashMap::default();
    let mut vertical = false;
    let codes;
    if subtype == b"Type0" {
        let encoding = name_of(dict_get(doc, font, b"Encoding")).unwrap_or(b"Identity-H");
        vertical = encoding.ends_with(b"-V");
        codes = if encoding.starts_with(b"Identity") {
            Codes::Identity
        } else if encoding.windows(4).any(|w| w == b"UCS2") || encoding.windows(5).any(|w| w == b"UTF16") {
            Codes::Ucs2
        } else if encoding.windows(3).any(|w| w == b"EUC") || encoding.starts_with(b"GBK") {
            Codes::Gbk
        } else {
            Codes::TwoUnknown
        };
        let descendant = match dict_get(doc, font, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()),
            _ => None,
        };
        if let Some(d) = descendant {
            if let Some(dw) = dict_get(doc, d, b"DW").and_then(num) {
                widths.default = dw;
            }
            if let Some(Object::Array(w)) = dict_get(doc, d, b"W") {
                read_cid_widths(doc, w, &mut widths.cid);
            }
        }
    } else {
        codes = Codes::One;
        widths.default = 0.0;
        widths.first = dict_get(doc, font, b"FirstChar")
            .and_then(num)
            .map(|f| f.clamp(0.0, 255.0) as u32)
            .unwrap_or(0);
        if let Some(Object::Array(w)) = dict_get(doc, font, b"Widths") {
            widths.list = w.iter().take(256).map(|o| num(deref(doc, o)).unwrap_or(0.0)).collect();
        }
        if let Some(desc) = dict_get(doc, font, b"FontDescriptor").and_then(|o| o.as_dict().ok())
            && let Some(m) = dict_get(doc, desc, b"MissingWidth").and_then(num)
        {
            widths.default = m;
        }
        if widths.list.is_empty() && widths.default == 0.0 {
            widths.default = 500.0;
        }
        if let Some(Object::Dictionary(enc)) = dict_get(doc, font, b"Encoding")
            && let Some(Object::Array(diffs)) = dict_get(doc, enc, b"Differences")
        {
            let mut code = 0u32;
            for o in diffs.iter().take(1024) {
                match deref(doc, o) {
                    Object::Integer(i) => code = (*i).clamp(0, 255) as u32,
                    Object::Name(n) => {
                        if let (Ok(c), Some(ch)) = (u8::try_from(code), glyph_name(&String::from_utf8_lossy(n))) {
                            differences.insert(c, ch);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(Font {
        codes,
        to_unicode,
        differences,
        widths,
        vertical,
    })
}

fn read_cid_widths(doc: &Document, w: &[Object], out: &mut FxHashMap<u32, f32>) {
    const MAX: usize = 70_000;
    let mut i = 0;
    while i < w.len() && out.len() < MAX {
        let Some(first) = num(deref(doc, &w[i])) else { break };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(MAX) {
                    if let Some(v) = num(deref(doc, o)) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (num(o), w.get(i + 2).map(|o| deref(doc, o)).and_then(num)) else {
                    break;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(MAX as u32));
                for c in first..=last {
                    if out.len() >= MAX {
                        break;
                    }
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
}

impl Font {
    /// Cuts a string into codes: (code, length in bytes).
    fn codes(&self, bytes: &[u8]) -> Vec<(u32, u8)> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let two = match self.codes {
                Codes::One => false,
                Codes::Gbk => bytes[i] >= 0x81,
                Codes::Identity | Codes::Ucs2 | Codes::TwoUnknown => true,
            };
            if two && i + 1 < bytes.len() {
                out.push(((u32::from(bytes[i]) << 8) | u32::from(bytes[i + 1]), 2));
                i += 2;
            } else {
                out.push((u32::from(bytes[i]), 1));
                i += 1;
            }
        }
        out
    }

    /// The text of a code, or `None` when the font does not say it.
    fn text(&self, code: u32, len: u8) -> Option<String> {
        if let Some(t) = self.to_unicode.as_ref().and_then(|m| m.get(len, code)) {
            return Some(t);
        }
        match self.codes {
            Codes::One => {
                let b = u8::try_from(code).ok()?;
                if let Some(c) = self.differences.get(&b) {
                    return Some(c.to_string());
                }
                // Latin text in a standard encoding: the printable ASCII range reads as ASCII.
                (0x20..0x7F).contains(&b).then(|| char::from(b).to_string())
            }
            Codes::Ucs2 => char::from_u32(code).map(String::from),
            Codes::Gbk => {
                let bytes: Vec<u8> = if len == 2 {
                    vec![(code >> 8) as u8, code as u8]
                } else {
                    vec![code as u8]
                };
                let (s, _, bad) = encoding_rs::GBK.decode(&bytes);
                (!bad).then(|| s.into_owned())
            }
            Codes::Identity | Codes::TwoUnknown => None,
        }
    }
}

#[derive(Clone)]
struct GState {
    ctm: M,
    stroke_white: bool,
    fill_white: bool,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// The interpreter of one page.
struct Page<'a> {
    doc: &'a Document,
    file: &'a str,
    opts: &'a ImportOptions,
    budget: &'a mut Budget,
    out: PageContent,
    /// Base transform: PDF user space → top-down page coordinates.
    base: M,
    fonts: FxHashMap<ObjectId, Rc<Font>>,
    marked: Vec<Marked>,
}

/// An open marked-content sequence.
struct Marked {
    /// Page furniture (header, footer, page number).
    artifact: bool,
    /// The text the sequence stands for (`/ActualText`), and the first glyph drawn in it.
    actual: Option<(String, usize)>,
}

/// Reads what page `number` (its object `page_id`) shows.
pub(crate) fn read_page(
    doc: &Document,
    file: &str,
    number: usize,
    page_id: ObjectId,
    budget: &mut Budget,
    opts: &ImportOptions,
) -> Result<PageContent, ImportError> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| damaged(file, number, &e.to_string()))?;
    // Inherited attributes: the page's own, then its ancestors' (a bounded walk).
    let mut resources = None;
    let mut media = None;
    let mut rotate = None;
    let mut node = Some(page);
    for _ in 0..64 {
        let Some(n) = node else { break };
        if resources.is_none() {
            resources = dict_get(doc, n, b"Resources").and_then(|o| o.as_dict().ok());
        }
        if rotate.is_none() {
            rotate = dict_get(doc, n, b"Rotate").and_then(num);
        }
        if media.is_none() {
            media = match dict_get(doc, n, b"CropBox").or_else(|| dict_get(doc, n, b"MediaBox")) {
                Some(Object::Array(a)) if a.len() == 4 => {
                    let v: Vec<f32> = a.iter().filter_map(|o| num(deref(doc, o))).collect();
                    (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
                }
                _ => None,
            };
        }
        node = dict_get(doc, n, b"Parent").and_then(|o| o.as_dict().ok());
    }
    let media = media.unwrap_or([0.0, 0.0, 595.0, 842.0]);
    // `/Rotate` turns the page clockwise for display, in multiples of 90 degrees.
    let quarter = rotate.map_or(0, |r| ((r / 90.0).round() as i64).rem_euclid(4));
    let [x0, y0, x1, y1] = media;
    let (base, width, height) = match quarter {
        1 => ([0.0, 1.0, 1.0, 0.0, -y0, -x0], y1 - y0, x1 - x0),
        2 => ([-1.0, 0.0, 0.0, 1.0, x1, -y0], x1 - x0, y1 - y0),
        3 => ([0.0, -1.0, -1.0, 0.0, y1, x1], y1 - y0, x1 - x0),
        _ => ([1.0, 0.0, 0.0, -1.0, -x0, y1], x1 - x0, y1 - y0),
    };
    let limit = usize::try_from(budget.stream_bytes).unwrap_or(usize::MAX);
    let content = match doc.get_page_content_with_limit(page_id, limit) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(stream_limit(file, opts));
        }
        Err(e) => return Err(damaged(file, number, &e.to_string())),
    };
    budget.stream_bytes = budget.stream_bytes.saturating_sub(content.len() as u64);
    let mut p = Page {
        doc,
        file,
        opts,
        budget,
        out: PageContent {
            number,
            height,
            width,
            ..PageContent::default()
        },
        base,
        fonts: FxHashMap::default(),
        marked: Vec::new(),
    };
    let gs = GState {
        ctm: p.base,
        stroke_white: false,
        fill_white: false,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    p.run(&content, resources, gs, 0)?;
    let mut out = p.out;
    upright(&mut out);
    Ok(out)
}

/// Turns a page whose text mostly runs other than left to right (a landscape table set
/// sideways on a portrait page, a page upside down) so that it does: every glyph and line is
/// moved to where it is when the page is turned, and the page's width and height swap for a
/// quarter turn. Glyphs running another way than most keep their start, one character wide.
fn upright(page: &mut PageContent) {
    let mut count = [0usize; 4];
    for g in page.glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        count[usize::from(g.dir & 3)] += 1;
    }
    let turn = (0..4u8).max_by_key(|&d| (count[usize::from(d)], d == 0)).unwrap_or(0);
    let (w, h) = (page.width, page.height);
    let to = |x: f32, y: f32| -> (f32, f32) {
        match turn {
            1 => (y, w - x),
            2 => (w - x, h - y),
            3 => (h - y, x),
            _ => (x, y),
        }
    };
    for g in &mut page.glyphs {
        let (o, e) = (to(g.x, g.y), to(g.x1, g.ey));
        let dir = (g.dir + 4 - turn) % 4;
        if dir == 0 {
            (g.x, g.x1, g.y) = (o.0.min(e.0), o.0.max(e.0), o.1);
        } else {
            (g.x, g.x1, g.y) = (o.0, o.0 + g.size, o.1);
        }
        g.ey = g.y;
        g.dir = dir;
    }
    if turn == 0 {
        return;
    }
    for s in &mut page.segments {
        let (a, b) = (to(s.x0, s.y0), to(s.x1, s.y1));
        *s = Segment {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        };
    }
    if turn % 2 == 1 {
        (page.width, page.height) = (h, w);
    }
}

fn damaged(file: &str, page: usize, detail: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Syntax,
        Some(page_location(page)),
        format!("无法读取 PDF 文件（第 {page} 页损坏：{detail}）"),
        format!("cannot read the PDF (page {page} is damaged: {detail})"),
    )
}

/// What a budget has left once `amount` is taken from it, or the limit error of `option`, located
/// on the page (of the file) where it ran out.
fn spend(
    left: u64,
    amount: u64,
    (file, page): (&str, usize),
    [what_zh, what_en]: [&str; 2],
    limit: u64,
    option: &str,
) -> Result<u64, ImportError> {
    left.checked_sub(amount).ok_or_else(|| {
        exceeded(
            file,
            Some(page_location(page)),
            what_zh,
            what_en,
            format!("> {limit}"),
            limit,
            option,
        )
    })
}

/// A page: “第3页”.
pub(crate) fn page_location(page: usize) -> xxgk_model::Location {
    xxgk_model::Location {
        sheet: Some(format!("第{page}页")),
        ..Default::default()
    }
}

impl<'a> Page<'a> {
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        start: GState,
        depth: usize,
    ) -> Result<(), ImportError> {
        let mut stack: Vec<GState> = Vec::new();
        let mut gs = start;
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        let mut path: Vec<(f32, f32, f32, f32)> = Vec::new();
        let mut subpath_start: Option<(f32, f32)> = None;
        let mut current: Option<(f32, f32)> = None;
        let mut rects: Vec<[(f32, f32); 4]> = Vec::new();
        for op in lopdf::content::Content::decode_iter(content) {
            // A damaged stream ends the page's content where it breaks; what came before is kept.
            let Ok(op) = op else { break };
            self.budget.operations = spend(
                self.budget.operations,
                1,
                (self.file, self.out.number),
                [
                    "PDF 内容流中的操作符个数",
                    "the number of operators in the PDF's content streams",
                ],
                self.opts.max_pdf_operators,
                "--max-pdf-operators",
            )?;
            let Operation { operator, operands } = op;
            let n = |i: usize| operands.get(i).and_then(num).unwrap_or(0.0);
            match operator.as_str() {
                // Deeper saves than a real page makes are not kept (their restores then pop less).
                "q" if stack.len() < 1000 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" if operands.len() == 6 => {
                    let m = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                "RG" | "G" | "K" | "SC" | "SCN" => gs.stroke_white = is_white(&operator, &operands),
                "rg" | "g" | "k" | "sc" | "scn" => gs.fill_white = is_white(&operator, &operands),
                "BDC" | "BMC" => {
                    let props = operands.get(1).and_then(|p| self.properties(p, resources));
                    let artifact = operands.first().and_then(|o| o.as_name().ok()) == Some(b"Artifact")
                        && props.is_some_and(|d| self.pagination(d));
                    let inherited = self.marked.last().is_some_and(|m| m.artifact);
                    let actual = props
                        .and_then(|d| dict_get(self.doc, d, b"ActualText"))
                        .and_then(|o| o.as_str().ok())
                        .map(|t| (text_string(t), self.out.glyphs.len()));
                    if self.marked.len() < 1000 {
                        self.marked.push(Marked {
                            artifact: artifact || inherited,
                            actual,
                        });
                    }
                }
                "EMC" => {
                    if let Some(Marked {
                        actual: Some((text, start)),
                        ..
                    }) = self.marked.pop()
                    {
                        self.actual_text(&text, start);
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    gs.size = n(1);
                    gs.font = operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font(resources, name).transpose())
                        .transpose()?;
                }
                "Tc" => gs.char_spacing = n(0),
                "Tw" => gs.word_spacing = n(0),
                "Tz" => gs.scale = n(0) / 100.0,
                "TL" => gs.leading = n(0),
                "Ts" => gs.rise = n(0),
                "Td" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "TD" => {
                    gs.leading = -n(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" if operands.len() == 6 => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if operator == "'" || operator == "\"" {
                        if operator == "\"" {
                            gs.word_spacing = n(0);
                            gs.char_spacing = n(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Object> = match (operator.as_str(), operands.last()) {
                        ("TJ", Some(Object::Array(a))) => a.iter().collect(),
                        (_, Some(o)) => vec![o],
                        _ => Vec::new(),
                    };
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.show(bytes, &gs, &mut tm)?,
                            o => {
                                if let Some(adj) = num(o) {
                                    let font_vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                    let d = -adj / 1000.0 * gs.size;
                                    tm = if font_vertical {
                                        mul(&[1.0, 0.0, 0.0, 1.0, 0.0, d], &tm)
                                    } else {
                                        mul(&[1.0, 0.0, 0.0, 1.0, d * gs.scale, 0.0], &tm)
                                    };
                                }
                            }
                        }
                    }
                }
                "m" => {
                    let p = apply(&gs.ctm, n(0), n(1));
                    subpath_start = Some(p);
                    current = Some(p);
                }
                "l" => {
                    let p = apply(&gs.ctm, n(0), n(1));
                    if let Some(c) = current {
                        path.push((c.0, c.1, p.0, p.1));
                    }
                    current = Some(p);
                }
                "c" => current = Some(apply(&gs.ctm, n(4), n(5))),
                "v" | "y" => current = Some(apply(&gs.ctm, n(2), n(3))),
                "h" => {
                    if let (Some(c), Some(s)) = (current, subpath_start) {
                        path.push((c.0, c.1, s.0, s.1));
                    }
                    current = subpath_start;
                }
                "re" => {
                    let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                    let corners = [
                        apply(&gs.ctm, x, y),
                        apply(&gs.ctm, x + w, y),
                        apply(&gs.ctm, x + w, y + h),
                        apply(&gs.ctm, x, y + h),
                    ];
                    rects.push(corners);
                    for k in 0..4 {
                        let (a, b) = (corners[k], corners[(k + 1) % 4]);
                        path.push((a.0, a.1, b.0, b.1));
                    }
                    subpath_start = Some(corners[0]);
                    current = subpath_start;
                }
                "S" | "s" | "B" | "B*" | "b" | "b*" => {
                    if !gs.stroke_white {
                        for &(x0, y0, x1, y1) in &path {
                            self.segment(x0, y0, x1, y1);
                        }
                    }
                    path.clear();
                    rects.clear();
                    current = None;
                }
                "f" | "F" | "f*" => {
                    // A thin filled rectangle is a ruling line (how Word draws borders).
                    if !gs.fill_white {
                        for r in &rects {
                            self.thin_rect(r);
                        }
                    }
                    path.clear();
                    rects.clear();
                    current = None;
                }
                "n" => {
                    path.clear();
                    rects.clear();
                    current = None;
                }
                "BI" | "ID" | "EI" => self.out.images += usize::from(operator == "BI"),
                "Do" => {
                    if let Some(name) = operands.first().and_then(|o| o.as_name().ok()) {
                        self.xobject(resources, name, &gs, depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The properties of a marked-content sequence: written inline, or named in the resources.
    fn properties<'d>(&self, props: &'d Object, resources: Option<&'d Dictionary>) -> Option<&'d Dictionary>
    where
        'a: 'd,
    {
        match props {
            Object::Dictionary(d) => Some(d),
            Object::Name(n) => resources
                .and_then(|r| dict_get(self.doc, r, b"Properties"))
                .and_then(|o| o.as_dict().ok())
                .and_then(|p| dict_get(self.doc, p, n))
                .and_then(|o| o.as_dict().ok()),
            _ => None,
        }
    }

    /// The glyphs drawn since `start` stand for `text` (LibreOffice writes the characters its
    /// font lacks this way): they are replaced by its characters, spread over the same width.
    fn actual_text(&mut self, text: &str, start: usize) {
        let Some(drawn) = self.out.glyphs.get(start..) else {
            return;
        };
        let (Some(first), Some(last)) = (drawn.first(), drawn.last()) else {
            return;
        };
        let unmapped = drawn.iter().filter(|g| g.text == "\u{FFFD}").count();
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return;
        }
        let (size, artifact, dir) = (first.size, first.artifact, first.dir);
        // From the first glyph's start to the last one's end, along the way the text runs.
        let (x0, y0) = (first.x, first.y);
        let (xe, ye) = if dir == 0 {
            (last.x1.max(first.x), first.y)
        } else {
            (last.x1, last.ey)
        };
        let n = chars.len() as f32;
        let at = |k: usize| (x0 + (xe - x0) * k as f32 / n, y0 + (ye - y0) * k as f32 / n);
        let glyphs: Vec<Glyph> = chars
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let ((x, y), (x1, ey)) = (at(i), at(i + 1));
                Glyph {
                    x,
                    x1,
                    y,
                    size,
                    text: c.to_string(),
                    artifact,
                    dir,
                    ey,
                }
            })
            .collect();
        self.out.glyphs.truncate(start);
        self.out.glyphs.extend(glyphs);
        self.out.unmapped = self.out.unmapped.saturating_sub(unmapped);
    }

    /// Whether the properties of an `Artifact` mark it as page furniture (header, footer, number).
    fn pagination(&self, d: &Dictionary) -> bool {
        name_of(dict_get(self.doc, d, b"Type")) == Some(b"Pagination")
            || matches!(
                name_of(dict_get(self.doc, d, b"Subtype")),
                Some(b"Header" | b"Footer" | b"PageNum")
            )
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Result<Option<Rc<Font>>, ImportError> {
        let Some(fonts) = resources
            .and_then(|r| dict_get(self.doc, r, b"Font"))
            .and_then(|o| o.as_dict().ok())
        else {
            return Ok(None);
        };
        let Ok(entry) = fonts.get(name) else { return Ok(None) };
        let id = entry.as_reference().ok();
        if let Some(f) = id.and_then(|id| self.fonts.get(&id)) {
            return Ok(Some(f.clone()));
        }
        let Ok(dict) = deref(self.doc, entry).as_dict() else {
            return Ok(None);
        };
        let font = Rc::new(load_font(self.doc, dict, self.file, self.budget, self.opts)?);
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Ok(Some(font))
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut M) -> Result<(), ImportError> {
        let Some(font) = gs.font.clone() else { return Ok(()) };
        for (code, len) in font.codes(bytes) {
            let w0 = font.widths.get(code) / 1000.0;
            let trm = mul(
                &[gs.size * gs.scale, 0.0, 0.0, gs.size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            let (x, y) = apply(&trm, 0.0, 0.0);
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            // The way the text runs on the page (vertical fonts write upright glyphs downwards).
            let dir = if font.vertical || trm[0].abs() >= trm[1].abs() {
                if trm[0] >= 0.0 || font.vertical { 0 } else { 2 }
            } else if trm[1] > 0.0 {
                1
            } else {
                3
            };
            let space = len == 1 && code == 32;
            let advance = if font.vertical {
                // Vertical writing: each glyph one em below the last.
                -gs.size + gs.char_spacing + if space { gs.word_spacing } else { 0.0 }
            } else {
                (w0 * gs.size + gs.char_spacing + if space { gs.word_spacing } else { 0.0 }) * gs.scale
            };
            let step = if font.vertical {
                [1.0, 0.0, 0.0, 1.0, 0.0, advance]
            } else {
                [1.0, 0.0, 0.0, 1.0, advance, 0.0]
            };
            *tm = mul(&step, tm);
            let end = apply(
                &mul(
                    &[gs.size * gs.scale, 0.0, 0.0, gs.size, 0.0, gs.rise],
                    &mul(tm, &gs.ctm),
                ),
                0.0,
                0.0,
            );
            let text = match font.text(code, len) {
                Some(t) => t,
                None => {
                    self.out.unmapped += 1;
                    "\u{FFFD}".to_string()
                }
            };
            if !x.is_finite() || !y.is_finite() || !size.is_finite() {
                continue;
            }
            // A vertical glyph hangs below its origin, centred on it.
            let (x, x1, y) = if font.vertical {
                (x - size / 2.0, x + size / 2.0, y + 0.85 * size)
            } else if dir == 0 {
                (x, end.0.max(x), y)
            } else {
                (x, end.0, y)
            };
            self.budget.text_bytes = spend(
                self.budget.text_bytes,
                text.len() as u64,
                (self.file, self.out.number),
                ["PDF 文字的大小（字节）", "the size of the PDF's text in bytes"],
                self.opts.max_text_bytes,
                "--max-text-bytes",
            )?;
            // Each glyph is laid out into lines, columns and tables (about a microsecond each):
            // 4 million glyphs of a 1 MB file took 3.6 s. A real report shows a few thousand.
            self.budget.glyphs = spend(
                self.budget.glyphs,
                1,
                (self.file, self.out.number),
                ["PDF 显示的字符个数", "the number of glyphs the PDF shows"],
                self.opts.max_pdf_glyphs,
                "--max-pdf-glyphs",
            )?;
            let (x, x1) = if dir == 0 { (x.min(x1), x1.max(x)) } else { (x, x1) };
            self.out.glyphs.push(Glyph {
                x,
                x1,
                y,
                size,
                text,
                artifact: self.marked.last().is_some_and(|m| m.artifact),
                dir,
                ey: if dir == 0 || font.vertical { y } else { end.1 },
            });
        }
        Ok(())
    }

    fn segment(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        if self.out.segments.len() >= MAX_SEGMENTS || ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (dx, dy) = ((x1 - x0).abs(), (y1 - y0).abs());
        if dy < 0.5 && dx > 1.0 {
            let y = (y0 + y1) / 2.0;
            self.out.segments.push(Segment {
                x0: x0.min(x1),
                y0: y,
                x1: x0.max(x1),
                y1: y,
            });
        } else if dx < 0.5 && dy > 1.0 {
            let x = (x0 + x1) / 2.0;
            self.out.segments.push(Segment {
                x0: x,
                y0: y0.min(y1),
                x1: x,
                y1: y0.max(y1),
            });
        }
    }

    fn thin_rect(&mut self, r: &[(f32, f32); 4]) {
        let xs = r.iter().map(|p| p.0);
        let ys = r.iter().map(|p| p.1);
        let (x0, x1) = (xs.clone().fold(f32::MAX, f32::min), xs.fold(f32::MIN, f32::max));
        let (y0, y1) = (ys.clone().fold(f32::MAX, f32::min), ys.fold(f32::MIN, f32::max));
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= 2.5 && w > 1.0 {
            let y = (y0 + y1) / 2.0;
            self.segment(x0, y, x1, y);
        } else if w <= 2.5 && h > 1.0 {
            let x = (x0 + x1) / 2.0;
            self.segment(x, y0, x, y1);
        }
    }

    fn xobject(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) -> Result<(), ImportError> {
        let Some(stream) = resources
            .and_then(|r| dict_get(self.doc, r, b"XObject"))
            .and_then(|o| o.as_dict().ok())
            .and_then(|x| dict_get(self.doc, x, name))
            .and_then(|o| o.as_stream().ok())
        else {
            return Ok(());
        };
        match name_of(dict_get(self.doc, &stream.dict, b"Subtype")) {
            Some(b"Image") => self.out.images += 1,
            Some(b"Form") if depth < MAX_FORM_DEPTH => {
                let data = stream_bytes(self.file, stream, self.budget, self.opts)?;
                let mut inner = gs.clone();
                if let Some(Object::Array(m)) = dict_get(self.doc, &stream.dict, b"Matrix") {
                    let v: Vec<f32> = m.iter().filter_map(|o| num(deref(self.doc, o))).collect();
                    if v.len() == 6 {
                        inner.ctm = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &inner.ctm);
                    }
                }
                let own = dict_get(self.doc, &stream.dict, b"Resources").and_then(|o| o.as_dict().ok());
                self.run(&data, own.or(resources), inner, depth + 1)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// A PDF text string: UTF-16 with its byte-order mark, else PDFDocEncoding (read as Latin-1).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|p| (u16::from(p[0]) << 8) | u16::from(p.get(1).copied().unwrap_or(0)))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Whether a colour operator sets white (so a line drawn with it is not seen).
fn is_white(op: &str, operands: &[Object]) -> bool {
    let v: Vec<f32> = operands.iter().filter_map(num).collect();
    match op {
        "K" | "k" => v.len() == 4 && v.iter().all(|c| *c <= 0.001),
        _ => !v.is_empty() && v.len() <= 3 && v.iter().all(|c| *c >= 0.999),
    }
}
