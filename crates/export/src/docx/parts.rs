//! Parts: the package (content types, relationships, styles, document) written into the zip.

use super::*;

pub(super) const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(super) const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(super) const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// `word/document.xml`: the title, the preamble, then each section with its heading, its text
/// and its table, in the order the format prescribes.
pub(super) fn document_xml(report: &Report, mode: Mode) -> String {
    let mut xml = format!("{XML_DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>");
    paragraph(&mut xml, "Title", &title_lines(report));
    // Headings in their canonical form, as the format prescribes, whatever the source used.
    let parts = parts(report, Lang::Zh);
    let mut parts = parts.iter().peekable();
    while let Some(part) = parts.next() {
        match part {
            Part::Heading(h) => {
                paragraph(&mut xml, "Heading1", h);
                // The empty form leaves a line to write in under each text section.
                if mode == Mode::Template && matches!(parts.peek(), None | Some(Part::Heading(_))) {
                    paragraph(&mut xml, "Normal", "");
                }
            }
            Part::Paragraph(p) => paragraph(&mut xml, "Normal", p),
            Part::Table(t) => {
                table(&mut xml, &report_layout(report, *t), report);
                // Word needs a paragraph between a table and what follows; it also spaces the
                // table from the next heading.
                paragraph(&mut xml, "AfterTable", "");
            }
        }
    }
    let _ = write!(
        xml,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
         <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" \
         w:header=\"{HEADER_DIST}\" w:footer=\"{FOOTER_DIST}\" w:gutter=\"0\"/>\
         <w:pgNumType w:fmt=\"decimal\" w:start=\"1\"/><w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/>\
         </w:sectPr></w:body></w:document>"
    );
    xml
}

/// Run properties naming a Chinese font for East Asian text and Times New Roman for the rest.
pub(super) fn fonts_rpr(font: Font, size: u32) -> String {
    format!(
        "<w:rFonts w:ascii=\"{LATIN_FONT}\" w:hAnsi=\"{LATIN_FONT}\" w:eastAsia=\"{}\" w:cs=\"{LATIN_FONT}\"/>\
         <w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>",
        font.name
    )
}

/// `word/styles.xml`. The document uses styles rather than direct formatting so that a user who
/// edits it in Word or WPS changes, say, every body paragraph at once; `Heading1` carries the
/// outline level so the six headings appear in the navigation pane.
pub(super) fn styles_xml() -> String {
    let no_indent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\">\
         <w:docDefaults><w:rPrDefault><w:rPr>{body_fonts}<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{BODY_LINE}\" w:lineRule=\"exact\"/>\
         <w:ind w:firstLineChars=\"200\" w:firstLine=\"{BODY_INDENT}\"/><w:jc w:val=\"both\"/></w:pPr>\
         <w:rPr>{body_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:spacing w:before=\"0\" w:after=\"{BODY_LINE}\" w:line=\"{TITLE_LINE}\" w:lineRule=\"exact\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{title_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr>\
         <w:rPr>{heading_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{table_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"AfterTable\"><w:name w:val=\"After Table\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"280\" w:lineRule=\"exact\"/>{no_indent}</w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{footer_fonts}</w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
        body_fonts = fonts_rpr(BODY_FONT, BODY_SZ),
        title_fonts = fonts_rpr(TITLE_FONT, TITLE_SZ),
        heading_fonts = fonts_rpr(HEADING_FONT, BODY_SZ),
        table_fonts = fonts_rpr(TABLE_FONT, TABLE_SZ),
        footer_fonts = fonts_rpr(TABLE_FONT, FOOTER_SZ),
    )
}

/// `word/fontTable.xml`: each Chinese font with its alternative name, panose and the GB2312
/// character set, which is what Word and WPS use to pick a substitute for a missing font.
pub(super) fn font_table_xml() -> String {
    let mut xml = format!("{XML_DECL}<w:fonts xmlns:w=\"{W_NS}\">");
    let _ = write!(
        xml,
        "<w:font w:name=\"{LATIN_FONT}\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/>\
         <w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
    );
    for f in FONTS {
        let _ = write!(
            xml,
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:panose1 w:val=\"{}\"/><w:charset w:val=\"86\"/>\
             <w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>",
            f.name, f.alt, f.panose
        );
    }
    xml.push_str("</w:fonts>");
    xml
}

/// `word/footer1.xml`: the page number between two dashes, “— 1 —”.
pub(super) fn footer_xml() -> String {
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">— </w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    )
}

pub(super) fn settings_xml() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>"
    )
}

/// `docProps/core.xml`: title and author (the agency; none for the empty form). No dates, so
/// the file is deterministic.
pub(super) fn core_xml(report: &Report) -> String {
    let creator = match report.meta.agency.as_str() {
        AGENCY_BLANK => String::new(),
        agency => format!("<dc:creator>{}</dc:creator>", esc(agency)),
    };
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title>{creator}<dc:language>zh-CN</dc:language></cp:coreProperties>",
        esc(&title(report)),
    )
}

pub(super) const CONTENT_TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

pub(super) const PACKAGE_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

/// The document's relationships; `rId4` is the footer named in `w:sectPr`.
pub(super) const DOCUMENT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

pub(super) const APP_XML: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>xxgk</Application></Properties>";

/// Every part of the package, zipped with a fixed timestamp.
pub(super) fn package(report: &Report, mode: Mode) -> Result<Vec<u8>, ExportError> {
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", format!("{XML_DECL}{CONTENT_TYPES}")),
        ("_rels/.rels", format!("{XML_DECL}{PACKAGE_RELS}")),
        ("docProps/core.xml", core_xml(report)),
        ("docProps/app.xml", format!("{XML_DECL}{APP_XML}")),
        ("word/_rels/document.xml.rels", format!("{XML_DECL}{DOCUMENT_RELS}")),
        ("word/document.xml", document_xml(report, mode)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
    ];
    let footer = footer_xml();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let zip_err = |e: zip::result::ZipError| ExportError::Format {
        format: "DOCX",
        message: e.to_string(),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts
        .iter()
        .map(|(n, c)| (*n, c.as_str()))
        .chain([("word/footer1.xml", footer.as_str())])
    {
        zip.start_file(name, options).map_err(zip_err)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

pub(super) struct Docx;

impl Exporter for Docx {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        let [report] = reports else {
            return Err(ExportError::OneReportOnly {
                exporter: "docx",
                count: reports.len(),
            });
        };
        out.write_all(&document(report)?)?;
        Ok(())
    }
}

inventory::submit! {
    ExporterEntry {
        name: "docx",
        extension: "docx",
        description: Label {
            zh: "Word 文档：可发布的年度报告（标题、正文、六部分、三张表格按官方格式合并表头），A4 公文版式",
            en: "Word document: the publishable report (title, text, six sections, the three tables with the official merged headers) on A4",
        },
        many: false,
        exporter: &Docx,
    }
}
