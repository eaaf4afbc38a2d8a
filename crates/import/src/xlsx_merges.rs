//! The merged regions of xlsx sheets, read without a second full parse of each sheet.
//!
//! calamine gives merged regions only by parsing a sheet's XML a second time from the start, which
//! was an eighth of the time of a batch. Here the sheet is inflated once more but not parsed: the
//! `<mergeCells>` list follows `</sheetData>`, so only the few hundred bytes after that tag go
//! through the XML reader. Sheets are found the common way (`_rels/.rels` naming
//! `xl/workbook.xml`, whose relationships name each sheet's part); for a container laid out any
//! other way, or any sheet this cannot read, [`XlsxMerges::sheet`] answers `None` and the caller
//! asks calamine, so the result never depends on this shortcut working.

use crate::grid::Merge;
use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::sync::LazyLock;
use zip::ZipArchive;

/// Where the main workbook part is expected; any other layout is left to calamine.
const WORKBOOK: &str = "xl/workbook.xml";
const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";

/// The sheets of one xlsx container, ready to give their merged regions.
pub(crate) struct XlsxMerges<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Sheet name → zip path of its part.
    parts: FxHashMap<String, String>,
    /// Most bytes inflated from one part (the workbook's unpacked-size limit).
    max_bytes: u64,
    /// The container's bytes, when it was rebuilt with its parts stored (`unpacked.rs`): parts
    /// are then borrowed from it rather than copied out.
    rebuilt: Option<&'a [u8]>,
    buf: Cow<'a, [u8]>,
    /// The zip path of the part held in `buf`, when `buf` holds a whole sheet part.
    last_part: Option<String>,
    /// Whether the sheet last read may hold a formula without a stored result (`None`: unknown).
    formulas_without_values: Option<bool>,
    /// Whether the sheet read last may hold a formula at all (`None`: unknown).
    any_formulas: Option<bool>,
    /// Where the sheet read last ends its `<sheetData>` (its conditional formats follow).
    sheet_data_end: Option<usize>,
    /// The zip path of the workbook's styles part, as its relationships name it.
    styles_part: Option<String>,
    /// What the workbook's differential formats may do, read once a sheet has conditional
    /// formats (`None` inside: they could not be read).
    dxfs: Option<Option<crate::looks::DifferentialFormats>>,
    /// Whether the workbook asks to be recalculated when opened and carries no custom document
    /// properties (xxgk's own carry some).
    recalculate_on_load: bool,
    /// Small parts inflated whole (the relationships, the workbook, the content types), by zip
    /// path: the Word test and the shared-string guard look at them too, and inflating a part
    /// costs more to set up than to run.
    kept: Vec<(String, Cow<'a, [u8]>)>,
}

impl<'a> XlsxMerges<'a> {
    /// Reads the workbook's sheet list; `None` when the container is not laid out the common way.
    /// `rebuilt`: the container is one [`crate::unpacked::stored_copy`] rebuilt.
    pub(crate) fn open(bytes: &'a [u8], max_bytes: u64, rebuilt: bool) -> Option<Self> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let rebuilt = rebuilt.then_some(bytes);
        let mut kept = Vec::new();
        let buf = part(&mut zip, rebuilt, "_rels/.rels", max_bytes)?;
        let main = relationships(&buf)?
            .into_iter()
            .find(|(_, typ, _)| typ.ends_with("/officeDocument"))?;
        if main.2.strip_prefix('/').unwrap_or(&main.2) != WORKBOOK {
            return None;
        }
        kept.push(("_rels/.rels".to_string(), buf));
        let buf = part(&mut zip, rebuilt, WORKBOOK_RELS, max_bytes)?;
        let workbook_rels = relationships(&buf)?;
        let styles_part = workbook_rels
            .iter()
            .find(|(_, typ, _)| typ.ends_with("/styles"))
            .map(|(_, _, target)| part_path(target));
        let targets: FxHashMap<String, String> =
            workbook_rels.into_iter().map(|(id, _, target)| (id, target)).collect();
        kept.push((WORKBOOK_RELS.to_string(), buf));
        let buf = part(&mut zip, rebuilt, WORKBOOK, max_bytes)?;
        let full_calc = memmem::find(&buf, b"fullCalcOnLoad=\"1\"").is_some()
            || memmem::find(&buf, b"fullCalcOnLoad=\"true\"").is_some();
        let mut parts = FxHashMap::default();
        let mut xml = Reader::from_reader(buf.as_ref());
        loop {
            match xml.read_event().ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attribute(&e, "name")?;
                    let target = targets.get(&attribute(&e, "id")?)?;
                    let path = part_path(target);
                    // As calamine does, the first sheet of a name wins.
                    parts.entry(name).or_insert(path);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        // xxgk's own workbooks carry that mark too (rust_xlsxwriter sets it), with exact results,
        // and custom document properties (the format version and generator). Looking the part up
        // in the zip's directory costs nothing, inflating it would cost a tenth of a workbook's
        // reading: a workbook with custom properties is trusted, which lets through an XlsxWriter
        // file that sets some (pandas does not).
        let ours = full_calc && zip.index_for_name("docProps/custom.xml").is_some();
        kept.push((WORKBOOK.to_string(), buf));
        Some(XlsxMerges {
            zip,
            parts,
            max_bytes,
            rebuilt,
            buf: Cow::Borrowed(&[]),
            last_part: None,
            formulas_without_values: None,
            any_formulas: None,
            sheet_data_end: None,
            styles_part,
            dxfs: None,
            recalculate_on_load: full_calc && !ours,
            kept,
        })
    }

    /// The first `limit` merged regions of the sheet named `name`, or `None` when they cannot be
    /// read here.
    pub(crate) fn sheet(&mut self, name: &str, limit: usize) -> Option<Vec<Merge>> {
        self.formulas_without_values = None;
        self.any_formulas = None;
        self.last_part = None;
        self.sheet_data_end = None;
        let path = self.parts.get(name)?;
        self.buf = part(&mut self.zip, self.rebuilt, path, self.max_bytes)?;
        self.last_part = Some(path.clone());
        let xml = &self.buf;
        // A formula lacking its result is a formula: a sheet without any is not looked at twice.
        let any_formulas = crate::formula::may_hold_formulas(xml);
        self.any_formulas = Some(any_formulas);
        self.formulas_without_values = Some(any_formulas && crate::formula::may_lack_results(xml));
        // A `<` is always escaped in text and attribute values, so the first `</…sheetData>` is
        // the end of the cells; a sheet without one is left to calamine.
        static SHEET_DATA: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"sheetData>"));
        let end = SHEET_DATA.find_iter(xml).find(|&at| {
            let before = &xml[..at];
            let tag = memchr::memrchr(b'<', before).map(|lt| &before[lt..]);
            tag.is_some_and(|t| t.starts_with(b"</") && t[2..].iter().all(|&b| b == b':' || b.is_ascii_alphanumeric()))
        })? + "sheetData>".len();
        self.sheet_data_end = Some(end);
        let mut merges = Vec::new();
        let mut reader = Reader::from_reader(&xml[end..]);
        // Reading starts inside `<worksheet>`, so its end tag comes without a start.
        reader.config_mut().allow_unmatched_ends = true;
        loop {
            match reader.read_event().ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                    if merges.len() == limit {
                        break;
                    }
                    let reference = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "ref")?;
                    merges.push(merge_of(&reference.normalized_value(XmlVersion::Implicit1_0).ok()?)?);
                }
                Event::End(e) if e.local_name().as_ref() == "mergeCells" => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Some(merges)
    }
}

impl XlsxMerges<'_> {
    /// The conditional formats of the sheet read last by [`XlsxMerges::sheet`], as regions and
    /// what each may show otherwise; none when they cannot be read.
    pub(crate) fn conditional_looks(&mut self, is_1904: bool) -> Option<Vec<(Merge, crate::looks::Look)>> {
        let end = self.sheet_data_end?;
        let Some(regions) = crate::looks::conditional_regions(self.buf.get(end..)?) else {
            return Some(Vec::new());
        };
        if self.dxfs.is_none() {
            let dxfs = self.styles_part.clone().and_then(|path| {
                let styles = part(&mut self.zip, self.rebuilt, &path, self.max_bytes)?;
                crate::looks::differential_formats(&styles)
            });
            self.dxfs = Some(dxfs);
        }
        let dxfs = self.dxfs.as_ref()?.as_ref()?;
        crate::looks::conditional_formats(self.buf.get(end..)?, &regions, dxfs, is_1904)
    }

    /// The bytes of a small part already inflated whole (exact zip path), if it was.
    pub(crate) fn kept_part(&self, path: &str) -> Option<&[u8]> {
        self.kept.iter().find(|(p, _)| p == path).map(|(_, b)| b.as_ref())
    }

    /// The bytes of the part at `path`, inflated once (at most `limit` bytes: `None` when it is
    /// larger, missing or damaged) and kept.
    pub(crate) fn kept_or_read(&mut self, path: &str, limit: u64) -> Option<&[u8]> {
        if let Some(i) = self.kept.iter().position(|(p, _)| p == path) {
            let b = &self.kept[i].1;
            return (b.len() as u64 <= limit).then_some(b.as_ref());
        }
        let buf = part(&mut self.zip, self.rebuilt, path, limit)?;
        self.kept.push((path.to_string(), buf));
        self.kept.last().map(|(_, b)| b.as_ref())
    }

    /// Whether `path` is the part of one of the workbook's sheets, which [`XlsxMerges::sheet`]
    /// inflates (so a check on its XML can be made there rather than by inflating it again).
    pub(crate) fn has_part(&self, path: &str) -> bool {
        self.parts.values().any(|p| p == path)
    }

    /// The zip path and XML of the sheet part read by the last [`XlsxMerges::sheet`] call, when
    /// it could be inflated (whether or not its merged regions could be read).
    pub(crate) fn last_part(&self) -> Option<(&str, &[u8])> {
        self.last_part.as_deref().map(|p| (p, self.buf.as_ref()))
    }

    /// Whether the sheet whose merges were read last may hold a formula without a stored result
    /// (true when that is not known): only then are its formulas read.
    pub(crate) fn formulas_without_values(&self) -> bool {
        self.formulas_without_values.unwrap_or(true)
    }

    /// Whether the sheet whose merges were read last may hold a formula (true when that is not
    /// known): a sheet without one has no stored result to check.
    pub(crate) fn any_formulas(&self) -> bool {
        self.any_formulas.unwrap_or(true)
    }

    /// Whether the workbook asks to be recalculated when it is opened (`fullCalcOnLoad`, as
    /// XlsxWriter and openpyxl write it, XlsxWriter storing 0 as every result) and was not
    /// written by xxgk: its stored results are then checked against the formulas.
    pub(crate) fn recalculate_on_load(&self) -> bool {
        self.recalculate_on_load
    }
}

/// The part at `path`, borrowed from a `rebuilt` container, inflated otherwise; `None` when it
/// is missing, damaged or larger than `max_bytes`.
/// The zip path of a part the workbook's relationships name (relative to `xl/`, or absolute).
fn part_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    }
}

fn part<'a>(
    zip: &mut ZipArchive<Cursor<&'a [u8]>>,
    rebuilt: Option<&'a [u8]>,
    path: &str,
    max_bytes: u64,
) -> Option<Cow<'a, [u8]>> {
    if let Some(bytes) = rebuilt
        && let Some(stored) = crate::unpacked::stored_part(zip, bytes, path)
    {
        return (stored.len() as u64 <= max_bytes).then_some(Cow::Borrowed(stored));
    }
    let mut buf = Vec::new();
    read_part(zip, path, max_bytes, &mut buf)?;
    Some(Cow::Owned(buf))
}

/// Inflates the part at `path` into `buf`; `None` when it is missing, damaged or too large.
pub(crate) fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    path: &str,
    max_bytes: u64,
    buf: &mut Vec<u8>,
) -> Option<()> {
    buf.clear();
    let entry = zip.by_name(path).ok()?;
    entry.take(max_bytes.saturating_add(1)).read_to_end(buf).ok()?;
    (buf.len() as u64 <= max_bytes).then_some(())
}

/// The relationships of a `.rels` part: (Id, Type, Target).
pub(crate) fn relationships(xml: &[u8]) -> Option<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                out.push((attribute(&e, "Id")?, attribute(&e, "Type")?, attribute(&e, "Target")?));
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// The unescaped value of the attribute whose local name is `key` (`r:id` matches `id`).
pub(crate) fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// A region from its reference: `B3:D4`, or `B3` for a single cell.
pub(crate) fn merge_of(reference: &str) -> Option<Merge> {
    let (first, last) = reference.split_once(':').unwrap_or((reference, reference));
    let (first_row, first_col) = position(first)?;
    let (last_row, last_col) = position(last)?;
    Some(Merge {
        first_row,
        first_col,
        last_row,
        last_col,
    })
}

/// The 0-based (row, column) of an `A1` reference (`$` marks allowed).
fn position(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.trim();
    let a1 = if a1.contains('$') {
        Cow::Owned(a1.replace('$', ""))
    } else {
        Cow::Borrowed(a1)
    };
    let digits = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = a1.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1) - 1;
    let row = number.parse::<u32>().ok()?.checked_sub(1)?;
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_regions() {
        let m = merge_of("B3:D4").expect("a region");
        assert_eq!((m.first_row, m.first_col, m.last_row, m.last_col), (2, 1, 3, 3));
        let m = merge_of("$AA$10").expect("a cell");
        assert_eq!((m.first_row, m.first_col, m.last_row, m.last_col), (9, 26, 9, 26));
        assert!(merge_of("A0").is_none());
        assert!(merge_of("1:2").is_none());
        assert!(merge_of("ABCD1").is_none());
    }
}

#[cfg(test)]
mod agreement {
    use super::*;
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    use rust_xlsxwriter::Workbook;

    /// A workbook with merges on two sheets (one named with XML-escaped characters) and none on a third.
    fn generated() -> Vec<u8> {
        let mut wb = Workbook::new();
        let a = wb.add_worksheet().set_name("表三 & <附>").expect("test workbook");
        a.merge_range(0, 0, 0, 10, "标题", &Default::default())
            .expect("test workbook");
        a.merge_range(2, 0, 4, 2, "申请人情况", &Default::default())
            .expect("test workbook");
        a.merge_range(300, 27, 301, 30, "远处", &Default::default())
            .expect("test workbook");
        let b = wb.add_worksheet().set_name("空表").expect("test workbook");
        b.write_string(0, 0, "sheetData> 与 </sheetData> 出现在文字中")
            .expect("test workbook");
        let c = wb.add_worksheet();
        c.merge_range(5, 1, 6, 1, "x", &Default::default())
            .expect("test workbook");
        wb.save_to_buffer().expect("test workbook")
    }

    /// The package with each part's name and text passed through `edit(name, text)`.
    fn rewritten(bytes: &[u8], edit: impl Fn(&str, String) -> (String, String)) -> Vec<u8> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("test workbook");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("test workbook");
            let name = entry.name().expect("test workbook").to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("test workbook");
            let (name, text) = edit(&name, String::from_utf8(data).expect("test workbook"));
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("test workbook");
            std::io::Write::write_all(&mut out, text.as_bytes()).expect("test workbook");
        }
        out.finish().expect("test workbook").into_inner()
    }

    /// Sheets with a namespace prefix on their elements (as some producers write them), and
    /// sheet parts named by absolute paths in the workbook's relationships.
    fn prefixed_and_absolute() -> Vec<u8> {
        rewritten(&generated(), |name, text| {
            let text = if name.starts_with("xl/worksheets/") {
                text.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
                    .replace("</worksheet>", "</x:worksheet>")
                    .replace("<sheetData", "<x:sheetData")
                    .replace("</sheetData>", "</x:sheetData>")
                    .replace("<mergeCell", "<x:mergeCell")
                    .replace("</mergeCells>", "</x:mergeCells>")
                    .replace("<row", "<x:row")
                    .replace("</row>", "</x:row>")
                    .replace("<c ", "<x:c ")
                    .replace("</c>", "</x:c>")
            } else if name == "xl/_rels/workbook.xml.rels" {
                text.replace("Target=\"worksheets/", "Target=\"/xl/worksheets/")
            } else {
                text
            };
            (name.to_string(), text)
        })
    }

    #[test]
    fn regions_agree_with_calamine() {
        let example = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/example-2021.xlsx"
        ))
        .expect("test workbook");
        let originals = [example, generated(), prefixed_and_absolute()];
        // Each as it is, and rebuilt with its parts stored (then borrowed, not inflated).
        let rebuilt = originals.iter().map(|b| {
            let copy = crate::unpacked::stored_copy(b, u64::MAX, crate::unpacked::xlsx_parts).expect("rebuilt");
            (copy.to_vec(), true)
        });
        for (bytes, stored) in originals.iter().map(|b| (b.clone(), false)).chain(rebuilt) {
            let mut quick = XlsxMerges::open(&bytes, u64::MAX, stored).expect("the common layout is recognised");
            let mut xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.as_slice())).expect("test workbook");
            let mut seen = 0;
            for name in xlsx.sheet_names() {
                let ours: Vec<_> = quick
                    .sheet(&name, usize::MAX)
                    .expect("every sheet is read here")
                    .iter()
                    .map(|m| (m.first_row, m.first_col, m.last_row, m.last_col))
                    .collect();
                let theirs: Vec<_> = xlsx
                    .merge_cells_by_sheet_name(&name)
                    .expect("test workbook")
                    .iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect();
                assert_eq!(ours, theirs, "sheet {name}");
                seen += ours.len();
            }
            assert!(seen > 2, "the workbook has merges to compare");
        }
        let bytes = generated();
        let mut quick = XlsxMerges::open(&bytes, u64::MAX, false).expect("the common layout is recognised");
        assert_eq!(
            quick.sheet("表三 & <附>", 2).map(|m| m.len()),
            Some(2),
            "at most the limit"
        );
    }

    #[test]
    fn another_layout_is_left_to_calamine() {
        // The workbook part renamed in the package: the shortcut declines instead of guessing.
        let renamed = rewritten(&generated(), |name, text| {
            (
                name.replace("xl/workbook.xml", "xl/book.xml"),
                text.replace("xl/workbook.xml", "xl/book.xml"),
            )
        });
        assert!(XlsxMerges::open(&renamed, u64::MAX, false).is_none());
    }
}
