//! Hostile files built here, each read through `xxgk_import::import`: every one must end in a
//! clear error or a located finding, never in a crash, a huge allocation or a hang. The same
//! constructions run through the binary under a memory limit in `crates/cli/tests/hostile.rs`.

use std::io::{Cursor, Write};
use xxgk_import::{ErrorKind, ImportError, ImportOptions, import};

fn read_err(name: &str, bytes: &[u8]) -> ImportError {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(_) => panic!("{name}: imported, expected an error"),
        Err(e) => e,
    }
}

// ───────────────────────────── xls ─────────────────────────────

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&u16::try_from(data.len()).expect("short record").to_le_bytes());
    out.extend_from_slice(data);
}

/// A BIFF8 workbook stream with one sheet whose `DIMENSIONS` record declares `rows` × 256
/// cells (calamine reserves that many) and one number cell, padded to at least `min_len`.
pub fn biff_workbook(rows: u32, min_len: usize) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    // BOUNDSHEET: the sheet's offset is patched in below.
    let bound_at = globals.len() + 4;
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    record(&mut globals, 0x000A, &[]);
    let offset = u32::try_from(globals.len()).expect("offset");
    globals[bound_at..bound_at + 4].copy_from_slice(&offset.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&rows.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut sheet, 0x0200, &dims);
    let mut number = vec![0u8; 6];
    number.extend_from_slice(&1f64.to_le_bytes());
    record(&mut sheet, 0x0203, &number);
    // Padding: a record calamine skips (a note of the writer, 0x005C WRITEACCESS).
    while globals.len() + sheet.len() + 4 < min_len {
        record(&mut sheet, 0x005C, &[b' '; 100]);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    globals
}

/// A compound file holding `streams` (path, bytes), created in that order.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("create");
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
            && !cfb.exists(dir)
        {
            cfb.create_storage_all(dir).expect("storage");
        }
        let mut s = cfb.create_stream(path).expect("stream");
        s.write_all(data).expect("write");
    }
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}

fn assert_limit(e: &ImportError, option: &str) {
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert!(e.message.zh.contains(option) && e.message.en.contains(option), "{e}");
}

#[test]
fn the_xls_stream_scanned_is_the_one_calamine_parses() {
    // 200,000 rows × 256 columns declared: far over the cell limit.
    let hostile = biff_workbook(200_000, 0);
    let harmless = biff_workbook(10, 0);
    // Nested in a storage, where a lookup of the path `/Workbook` finds nothing.
    let e = read_err("nested.xls", &compound(&[("/Sub/Workbook", &hostile)]));
    assert_limit(&e, "--max-cells");
    // Shadowing `/Workbook`: the nested stream comes first in the directory, so calamine
    // parses it and not the harmless one at the root.
    let e = read_err(
        "shadow.xls",
        &compound(&[("/Sub/Workbook", &hostile), ("/Workbook", &harmless)]),
    );
    assert_limit(&e, "--max-cells");
    // Another letter case, and the old name `Book`.
    let e = read_err("case.xls", &compound(&[("/WORKBOOK", &hostile)]));
    assert_limit(&e, "--max-cells");
    let e = read_err("book.xls", &compound(&[("/Deep/Er/Book", &hostile)]));
    assert_limit(&e, "--max-cells");
    // In the mini stream (under 4,096 bytes) and in regular sectors alike.
    let e = read_err(
        "big.xls",
        &compound(&[("/Sub/Workbook", &biff_workbook(200_000, 10_000))]),
    );
    assert_limit(&e, "--max-cells");
}

/// Calls `f` with the offset of the directory entry named `name` of a compound file (512-byte
/// sectors, the directory in one sector) and the stream's first sector.
fn patch_stream(file: &mut [u8], name: &str, f: impl FnOnce(&mut [u8], usize, u32)) {
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let dir_at = 512 + u32_at(file, 48) as usize * 512;
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let entry = (0..4)
        .map(|i| dir_at + i * 128)
        .find(|&at| file[at..at + utf16.len()] == utf16[..])
        .expect("directory entry");
    let start = u32_at(file, entry + 116);
    f(file, entry, start);
}

#[test]
fn a_looping_sector_chain_is_refused_before_calamine_reads_it() {
    let mut file = compound(&[("/Workbook", &biff_workbook(10, 10_000))]);
    // The stream declares 4 GB and its first sector's FAT entry points back to itself.
    patch_stream(&mut file, "Workbook", |file, entry, start| {
        file[entry + 120..entry + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let fat_at = 512 + u32::from_le_bytes([file[76], file[77], file[78], file[79]]) as usize * 512;
        let at = fat_at + start as usize * 4;
        file[at..at + 4].copy_from_slice(&start.to_le_bytes());
    });
    let e = read_err("loop.xls", &file);
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert!(e.message.en.contains("loops back"), "{e}");
}
