//! A zip container with its XML parts inflated once.
//!
//! The guards (shared strings, merged regions, formulas, ods repeat counts, the Word test) and
//! calamine each read the same parts: every sheet was inflated twice, and the small parts two or
//! three times, about a quarter of a workbook's reading. Here each XML part is inflated once and
//! the container is rebuilt with those parts stored, same names in the same order; everything
//! else (pictures, binaries) is copied as it was. calamine then reads the rebuilt container as it
//! would the original: only inflation is saved, no parsing. Any part that cannot be inflated
//! cleanly (damaged, encrypted, over the size limit, a wrong checksum) gives `None`, and the
//! caller reads the original bytes, so that the reader's own error reports it.

use flate2::{Decompress, FlushDecompress, Status};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The parts of an xlsx read more than once: every XML part (the guard looks at them all).
pub(crate) fn xlsx_parts(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// The part of an ods read more than once: the guard measures `content.xml`, then calamine reads it.
pub(crate) fn ods_parts(name: &str) -> bool {
    name == "content.xml"
}

/// The most bytes a rebuilt container holds unpacked (real reports hold well under 1 MB).
const MOST_REBUILT: u64 = 64 << 20;

/// The most bytes reserved ahead on a declared size, which a hostile container may overstate.
const MOST_RESERVED: u64 = 32 << 20;

/// The most bytes of a rebuilt container kept for the next workbook on the same thread.
const SPARE_BYTES: usize = 16 << 20;

thread_local! {
    /// The buffer of the last container rebuilt on this thread: a batch reads one workbook after
    /// another, and a fresh buffer of that size each time costs the kernel zeroing new pages.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A rebuilt container; its buffer goes back to the thread's spare when dropped.
pub(crate) struct Unpacked(Vec<u8>);

impl std::ops::Deref for Unpacked {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Unpacked {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.0);
        if buf.capacity() <= SPARE_BYTES {
            buf.clear();
            SPARE.with(|spare| spare.set(buf));
        }
    }
}

/// The container with the deflated parts that `read_twice` names (by lower-case name) stored, or
/// `None` to read the original. `max_unpacked` bounds the bytes inflated in all (the workbook's
/// unpacked-size limit).
pub(crate) fn stored_copy(bytes: &[u8], max_unpacked: u64, read_twice: fn(&str) -> bool) -> Option<Unpacked> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut buf = SPARE.with(std::cell::Cell::take);
    buf.clear();
    // The rebuilt size: the parts' declared sizes and room for their headers.
    let declared: u64 = (0..zip.len())
        .filter_map(|i| {
            zip.by_index_raw(i)
                .ok()
                .map(|e| e.size().max(e.compressed_size()) + 128 + e.name_raw().len() as u64 * 2)
        })
        .sum();
    buf.reserve(usize::try_from(declared.min(max_unpacked).min(MOST_RESERVED)).ok()?);
    let mut out = ZipWriter::new(Cursor::new(buf));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    // A container larger than real reports ever are is read as it is, part by part, rather than
    // held whole unpacked.
    let mut budget = max_unpacked.min(MOST_REBUILT);
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).ok()?;
        let name = entry.name().ok()?.to_ascii_lowercase();
        let read_often = entry.compression() == CompressionMethod::Deflated && read_twice(&name) && !entry.encrypted();
        if !read_often {
            out.raw_copy_file(entry).ok()?;
            continue;
        }
        let name = entry.name().ok()?.into_owned();
        let options = match entry.last_modified() {
            Some(time) => stored.last_modified_time(time),
            None => stored,
        };
        let (crc, size) = (entry.crc32(), entry.size());
        let start = usize::try_from(entry.data_start()?).ok()?;
        let raw = bytes.get(start..start.checked_add(usize::try_from(entry.compressed_size()).ok()?)?)?;
        drop(entry);
        // Past the remaining budget, or a size other than declared, gives up.
        if size > budget {
            return None;
        }
        budget -= size;
        out.start_file(name, options).ok()?;
        inflate(raw, &mut out, size, crc)?;
    }
    out.finish().ok().map(|c| Unpacked(c.into_inner()))
}

/// The bytes inflated at a time, between the inflater and the rebuilt container.
const CHUNK: usize = 16 * 1024;

thread_local! {
    /// The inflater of this thread, reset for each part, and its output chunk: setting one up
    /// costs about as much as inflating a small part (its window is allocated and cleared), and
    /// clearing a fresh chunk for each part cost as much again.
    static INFLATER: std::cell::RefCell<Option<(Decompress, Vec<u8>)>> = const { std::cell::RefCell::new(None) };
}

/// Inflates the raw deflate stream `raw` into `out`: `Some` when it ends where the stream says,
/// after exactly `size` bytes whose CRC-32 is `crc` (what the zip entry declares).
fn inflate(raw: &[u8], out: &mut impl Write, size: u64, crc: u32) -> Option<()> {
    INFLATER.with(|slot| {
        let mut slot = slot.borrow_mut();
        let (inflater, chunk) = slot.get_or_insert_with(|| (Decompress::new(false), Vec::with_capacity(CHUNK)));
        inflater.reset(false);
        let (mut input, mut written, mut hasher) = (raw, 0u64, crc32fast::Hasher::new());
        loop {
            let (read_before, out_before) = (inflater.total_in(), inflater.total_out());
            chunk.clear();
            // Into the chunk's spare capacity: nothing is cleared first.
            let status = inflater.decompress_vec(input, chunk, FlushDecompress::None).ok()?;
            let read = usize::try_from(inflater.total_in() - read_before).ok()?;
            let produced = usize::try_from(inflater.total_out() - out_before).ok()?;
            input = input.get(read..)?;
            written += produced as u64;
            if written > size || produced != chunk.len() {
                return None;
            }
            hasher.update(chunk);
            out.write_all(chunk).ok()?;
            match status {
                Status::StreamEnd => break,
                // No progress: the stream is cut short or damaged.
                _ if read == 0 && produced == 0 => return None,
                _ => {}
            }
        }
        (written == size && hasher.finalize() == crc).then_some(())
    })
}

/// The bytes of the part at `path` when it is stored (not compressed) in `bytes`, the container
/// `zip` reads, borrowed; `None` when it is missing, compressed or encrypted. Used on a container
/// [`stored_copy`] rebuilt: the parts it inflated had their checksums verified there, and a part
/// it copied as it was is read by calamine too, which verifies it.
pub(crate) fn stored_part<'a>(zip: &mut ZipArchive<Cursor<&'a [u8]>>, bytes: &'a [u8], path: &str) -> Option<&'a [u8]> {
    let index = zip.index_for_name(path)?;
    let entry = zip.by_index_raw(index).ok()?;
    if entry.compression() != CompressionMethod::Stored || entry.encrypted() {
        return None;
    }
    let start = usize::try_from(entry.data_start()?).ok()?;
    let len = usize::try_from(entry.size()).ok()?;
    bytes.get(start..start.checked_add(len)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn container(parts: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body, method) in parts {
            let options = SimpleFileOptions::default().compression_method(*method);
            zip.start_file(*name, options).expect("start");
            zip.write_all(body).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>, CompressionMethod)> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).expect("entry");
                let mut body = Vec::new();
                entry.read_to_end(&mut body).expect("read");
                (entry.name().expect("name").into_owned(), body, entry.compression())
            })
            .collect()
    }

    #[test]
    fn xml_parts_are_stored_and_the_rest_kept_in_order() {
        let sheet = "<worksheet><sheetData/></worksheet>".repeat(50);
        let original = container(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
                CompressionMethod::Stored,
            ),
            (
                "xl/worksheets/sheet1.xml",
                sheet.as_bytes(),
                CompressionMethod::Deflated,
            ),
            (
                "xl/media/image1.png",
                &[0x89, b'P', b'N', b'G', 0, 1, 2, 3],
                CompressionMethod::Deflated,
            ),
            ("_rels/.rels", b"<Relationships/>", CompressionMethod::Deflated),
        ]);
        let copy = stored_copy(&original, 1 << 20, xlsx_parts).expect("copy");
        let (before, after) = (parts_of(&original), parts_of(&copy));
        let names = |p: &[(String, Vec<u8>, CompressionMethod)]| p.iter().map(|e| e.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&before), names(&after));
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(b.1, a.1, "{} keeps its bytes", b.0);
        }
        let mut zip = ZipArchive::new(Cursor::new(copy.as_ref())).expect("zip");
        assert_eq!(
            stored_part(&mut zip, &copy, "xl/worksheets/sheet1.xml"),
            Some(sheet.as_bytes())
        );
        assert_eq!(stored_part(&mut zip, &copy, "xl/media/image1.png"), None, "compressed");
        assert_eq!(
            stored_part(&mut zip, &copy, "xl/worksheets/sheet2.xml"),
            None,
            "missing"
        );
        let methods: Vec<_> = after.iter().map(|e| e.2).collect();
        assert_eq!(
            methods,
            [
                CompressionMethod::Stored,
                CompressionMethod::Stored,
                CompressionMethod::Deflated,
                CompressionMethod::Stored
            ]
        );
    }

    #[test]
    fn a_part_over_the_limit_or_damaged_leaves_the_original() {
        let big = "x".repeat(5000);
        let original = container(&[("xl/worksheets/sheet1.xml", big.as_bytes(), CompressionMethod::Deflated)]);
        assert!(stored_copy(&original, 4999, xlsx_parts).is_none());
        assert!(stored_copy(&original, 5000, xlsx_parts).is_some());
        // A wrong checksum: the stored CRC-32 of the entry changed in both headers.
        let mut damaged = original.clone();
        let crc = parts_crc(&original);
        for at in memchr::memmem::find_iter(&original, &crc.to_le_bytes()).collect::<Vec<_>>() {
            damaged[at] ^= 0xFF;
        }
        assert!(stored_copy(&damaged, 1 << 20, xlsx_parts).is_none());
        assert!(stored_copy(b"PK\x03\x04 not a zip", 1 << 20, xlsx_parts).is_none());
    }

    fn parts_crc(bytes: &[u8]) -> u32 {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        zip.by_index_raw(0).expect("entry").crc32()
    }
}
