//! The reach report (`scripts/fuzz-reach.sh`): with `XXGK_FUZZ_REACH=path` set, a generator
//! target appends one line per input to `path`:
//!
//! ```text
//! <target> TAB <outcome> TAB <construct>=<guard>,<construct>=<guard>,…
//! ```
//!
//! `outcome` is `read` (reports came back) or the class of the import error ([`classify`]): the
//! guard that produced it, named from the error's kind and the limit option or wording of its
//! English message. The constructs are what the generator put into the file
//! ([`Choices::note`](crate::build::Choices::note)), each with the guard expected to refuse it
//! (empty when the file may be read). The script tallies the lines per construct.

use std::io::Write;
use std::sync::OnceLock;
use xxgk_import::{ImportError, Imported};
use xxgk_model::Lang;

/// The file named by `XXGK_FUZZ_REACH`, read once.
fn report_path() -> Option<&'static str> {
    static PATH: OnceLock<Option<String>> = OnceLock::new();
    PATH.get_or_init(|| std::env::var("XXGK_FUZZ_REACH").ok().filter(|p| !p.is_empty()))
        .as_deref()
}

/// Appends the line of one input when the report is asked for; does nothing otherwise.
pub fn record(target: &str, notes: &[(&'static str, &'static str)], result: &Result<Vec<Imported>, ImportError>) {
    let Some(path) = report_path() else {
        return;
    };
    let constructs: Vec<String> = notes.iter().map(|(c, g)| format!("{c}={g}")).collect();
    let line = format!("{target}\t{}\t{}\n", outcome(result), constructs.join(","));
    // One write per line, appending: lines of concurrent runs do not interleave.
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = f.write_all(line.as_bytes());
    }
}

/// `read` when the import returned reports, else the class of its error.
pub fn outcome(result: &Result<Vec<Imported>, ImportError>) -> String {
    match result {
        Ok(_) => "read".into(),
        Err(e) => classify(e),
    }
}

/// The guard an import error came from. A limit is named by what it bounds; a refusal by what it
/// refuses; anything not recognised is its kind and its English message with the numbers taken
/// out, so that a new or reworded error shows up in the report instead of being miscounted.
pub fn classify(e: &ImportError) -> String {
    let en = e.message.get(Lang::En);
    let has = |s: &str| en.contains(s);
    let class = match e.kind_code() {
        "limit" => {
            if has("(uniqueCount)") {
                "sst-declared-count"
            } else if has("number of strings in the shared-string table") {
                "sst-strings"
            } else if has("--max-total-chars") {
                "total-text"
            } else if has("the length of section") {
                "section-chars"
            } else if has("--max-cell-chars") {
                "cell-chars"
            } else if has("merged regions") {
                "merges"
            } else if has("repeated rows and columns are expanded") {
                "ods-expanded-cells"
            } else if has("row elements of an ods sheet") {
                "ods-rows"
            } else if has("ods content.xml") {
                "ods-content-size"
            } else if has("an xls sheet declares or spans") {
                "xls-extent"
            } else if has("xls workbook stream") {
                "xls-stream-size"
            } else if has("non-empty cells in the workbook") {
                "cells"
            } else if has("the cell's row number") {
                "rows"
            } else if has("the cell's column number") {
                "columns"
            } else if has("nesting depth") {
                "depth"
            } else if has("of a Word table spans") || has("of a Word table is wider") {
                "docx-span"
            } else if has("rows of a Word table") || has("cells of the Word tables") {
                "docx-table-size"
            } else if has("--max-unpacked-bytes") {
                "unpacked-bytes"
            } else if has("--max-zip-entries") {
                "zip-entries"
            } else if has("--max-sheets") {
                "sheets"
            } else if has("--max-text-bytes") {
                "text-bytes"
            } else {
                return format!("limit({})", shorten(en));
            }
        }
        "syntax" => {
            if has("two entries of the same name") {
                "zip-duplicate-entry"
            } else if has("appears twice in an xls sheet") {
                "xls-duplicate-cell"
            } else if has("appears twice") {
                "duplicate-cell"
            } else if has("shared-string index") {
                "sst-index"
            } else if has("the reader gave up") {
                return format!("reader-panic-caught({})", shorten(en));
            } else if has("damaged or incomplete xls") {
                if has("loops back") {
                    "xls-damaged(chain loop)"
                } else {
                    return format!("xls-damaged({})", shorten(detail(en)));
                }
            } else if has("damaged or incomplete ods") {
                return format!("ods-damaged({})", shorten(detail(en)));
            } else if has("damaged docx") {
                return format!("docx-damaged({})", shorten(detail(en)));
            } else if has("cannot read sheet") {
                return format!("sheet-error({})", shorten(detail(en)));
            } else {
                return format!("syntax({})", shorten(en));
            }
        }
        kind => return format!("{kind}({})", shorten(en)),
    };
    class.into()
}

/// What follows the first `: ` of a message (the reader's own detail), or the whole message.
fn detail(en: &str) -> &str {
    en.split_once(": ").map_or(en, |(_, d)| d)
}

/// A message made fit to be counted: digits as `N`, no tabs, commas or line breaks, at most 60
/// characters.
fn shorten(text: &str) -> String {
    let mut out = String::new();
    let mut last_digit = false;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            if !last_digit {
                out.push('N');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        out.push(if matches!(ch, '\t' | '\n' | '\r' | ',') {
            ' '
        } else {
            ch
        });
        if out.chars().count() >= 60 {
            out.push('…');
            break;
        }
    }
    out
}
