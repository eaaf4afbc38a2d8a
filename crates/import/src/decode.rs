//! Turning the bytes of a published page or text into a `String`.
//!
//! Portals still serve GBK/GB2312 pages, Word “save as text” on Chinese Windows writes GB18030
//! or UTF-16, and mirrors serve UTF-8: the reader must not care. GB18030 is a superset of GBK
//! and GB2312, so one decoder covers all three labels.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding's name (`UTF-8`, `gb18030`, `UTF-16LE`).
    pub encoding: &'static str,
    /// Whether bytes had to be replaced by U+FFFD (the declared or guessed encoding was wrong
    /// somewhere); the importers report this so that a garbled cell is not taken at face value.
    pub had_errors: bool,
}

/// Decodes bytes. `declared` is an encoding label found in the file itself (an HTML
/// `<meta charset>`); a byte-order mark wins over it, and without either the bytes are taken as
/// UTF-8 when they are valid UTF-8 and as GB18030 otherwise.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return run(enc, &bytes[bom_len..]);
    }
    // Chinese text in GBK is practically never valid UTF-8, while mirrors often re-encode a
    // page to UTF-8 and keep its old `charset=gb2312`: valid non-ASCII UTF-8 wins over a label.
    let utf8 = std::str::from_utf8(bytes).ok().filter(|s| !s.is_ascii());
    if let (None, Some(enc)) = (utf8, declared.and_then(|l| Encoding::for_label(l.trim().as_bytes()))) {
        // GBK and GB2312 pages often contain GB18030-only characters: decode them with the superset.
        let enc = if enc == encoding_rs::GBK { GB18030 } else { enc };
        // A page that declares UTF-8 but is not is common on mirrors; fall back to sniffing then.
        if enc != UTF_8 {
            return run(enc, bytes);
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            had_errors: false,
        };
    }
    if looks_utf16(bytes) {
        let le = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count()
            >= bytes.iter().step_by(2).filter(|&&b| b == 0).count();
        return run(if le { UTF_16LE } else { UTF_16BE }, bytes);
    }
    run(GB18030, bytes)
}

fn run(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, used, had_errors) = enc.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        had_errors,
    }
}

/// UTF-16 without a BOM: many zero bytes in ASCII-heavy text.
fn looks_utf16(bytes: &[u8]) -> bool {
    let zeros = bytes.iter().take(4096).filter(|&&b| b == 0).count();
    bytes.len() >= 4 && zeros * 4 >= bytes.len().min(4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gbk_and_bom() {
        let s = "政府信息公开工作年度报告";
        assert_eq!(decode(s.as_bytes(), None).text, s);
        let (gbk, _, _) = GB18030.encode(s);
        let d = decode(&gbk, None);
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(decode(&gbk, Some("gb2312")).text, s);
        // A UTF-8 copy of a page that still says gb2312.
        assert_eq!(decode(s.as_bytes(), Some("gb2312")).text, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom, Some("gbk")).text, s);
        // A page that lies about being UTF-8.
        assert_eq!(decode(&gbk, Some("utf-8")).text, s);
    }
}
