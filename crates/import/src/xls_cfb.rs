//! The workbook stream of an xls file exactly as calamine finds it, read before calamine does.
//!
//! calamine's compound-file reader (`cfb.rs`) does not walk the directory tree: it reads every
//! directory entry in the order of the directory's sector chain and takes the first whose name
//! is `Workbook` in any letter case, whatever its depth or type, then `Book`. A stream nested
//! in a storage (`/Sub/Workbook`), or an entry that shadows `/Workbook`, is therefore what
//! calamine parses, while a reader that looks up the path `/Workbook` scans another stream (or
//! none). It also follows sector chains until they end or reach the declared length, so a chain
//! that loops back on itself makes it allocate whatever an entry declares (4 GB, or without end
//! for the directory chain).
//!
//! [`workbook_stream`] repeats calamine's steps (header, DIFAT, FAT, directory chain, mini stream,
//! lookup, stream chain) on the bytes and returns the stream calamine will parse, so that the
//! xls guard scans exactly that. A chain that comes back to a sector it already visited, a
//! sector past the end of the file, a FAT index out of range, and everything else on which
//! calamine would panic, fail or allocate without bound are errors: such a file is refused as
//! damaged before calamine sees it.

const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).map_or(0, |x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The regular sectors, as calamine reads them from the file after the header: a sector is
/// the file's bytes at its offset; one that runs past the end of the file is refused.
struct Sectors<'a> {
    file: &'a [u8],
    size: usize,
    maxid: usize,
}

impl Sectors<'_> {
    fn get(&self, id: u32) -> Result<&[u8], String> {
        let id = id as usize;
        if id > self.maxid {
            return Err(format!("sector {id} is beyond the end of the file"));
        }
        let start = self.size + id * self.size;
        self.file
            .get(start..start + self.size)
            .ok_or_else(|| format!("sector {id} runs past the end of the file"))
    }

    /// calamine's `get_chain`: sectors from `id` on, following `fats`, until the chain ends or
    /// `len` bytes are read. A sector visited twice is a loop: refused.
    fn chain(&self, id: u32, fats: &[u32], len: usize) -> Result<Vec<u8>, String> {
        chain(id, fats, len, self.maxid + 1, |id| self.get(id))
    }
}

fn chain<'s>(
    mut id: u32,
    fats: &[u32],
    len: usize,
    sectors: usize,
    mut get: impl FnMut(u32) -> Result<&'s [u8], String>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut seen = vec![false; sectors.min(fats.len().max(1)).max(1)];
    while id != ENDOFCHAIN {
        let sector = get(id)?;
        let to_copy = sector.len().min(len - out.len());
        out.extend_from_slice(&sector[..to_copy]);
        if out.len() >= len {
            break;
        }
        let i = id as usize;
        match seen.get_mut(i) {
            Some(true) => return Err(format!("the sector chain loops back to sector {id}")),
            Some(s) => *s = true,
            None => return Err(format!("sector {id} is not in the allocation table")),
        }
        id = *fats
            .get(i)
            .ok_or_else(|| format!("sector {id} is not in the allocation table"))?;
    }
    Ok(out)
}

struct Entry {
    name: String,
    start: u32,
    len: usize,
}

fn entry(buf: &[u8], large: bool) -> Entry {
    // As calamine: the whole 64-byte name field decoded (with encoding_rs's BOM sniffing),
    // cut at the first NUL.
    let mut name = encoding_rs::UTF_16LE.decode(&buf[..64]).0.into_owned();
    if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
        name.truncate(l);
    }
    let len = if large {
        usize::try_from(u64::from(u32_at(buf, 120)) | (u64::from(u32_at(buf, 124)) << 32)).unwrap_or(usize::MAX)
    } else {
        u32_at(buf, 120) as usize
    };
    Entry {
        name,
        start: u32_at(buf, 116),
        len,
    }
}

/// The stream calamine's xls reader parses (`Workbook`, else `Book`), or `None` when it finds
/// neither. An error says why calamine would fail, panic or allocate without bound on the file.
pub(crate) fn workbook_stream(file: &[u8]) -> Result<Option<Vec<u8>>, String> {
    if file.len() < 512 || file[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
        return Err("no compound-file header".into());
    }
    let version = u16_at(file, 26);
    let size = match u16_at(file, 30) {
        0x0009 => 512,
        0x000C if file.len() >= 4096 => 4096,
        s => return Err(format!("sector shift {s:#x}")),
    };
    if u16_at(file, 32) != 0x0006 {
        return Err("mini sector shift is not 6".into());
    }
    let dir_start = u32_at(file, 48);
    let mini_fat_start = u32_at(file, 60);
    let mini_fat_len = u32_at(file, 64) as usize;
    let difat_start = u32_at(file, 68);
    let mut difat: Vec<u32> = u32s(&file[76..512]).collect();
    let sectors = Sectors {
        file,
        size,
        maxid: file.len() / size,
    };

    let mut id = difat_start;
    let mut n = 0usize;
    while id < RESERVED_SECTORS {
        n += 1;
        if n > sectors.maxid + 1 {
            return Err("the DIFAT chain is longer than the file".into());
        }
        difat.extend(u32s(sectors.get(id)?));
        id = difat.pop().ok_or("empty DIFAT sector")?;
    }
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > sectors.maxid + 1 {
        return Err("more FAT sectors than the file has".into());
    }
    let mut fats = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        fats.extend(u32s(sectors.get(id)?));
    }

    let large = size == 4096;
    let dirs: Vec<Entry> = sectors
        .chain(dir_start, &fats, usize::MAX)?
        .chunks_exact(128)
        .map(|c| entry(c, large))
        .collect();
    let Some(root) = dirs.first() else {
        return Err("no directory entries".into());
    };
    if version != 3 && root.start == ENDOFCHAIN {
        return Err("empty root directory".into());
    }
    let (ministream, mini_fats) = if mini_fat_len > 0 {
        let ministream = sectors.chain(root.start, &fats, root.len)?;
        let minifat = sectors.chain(mini_fat_start, &fats, mini_fat_len.saturating_mul(size))?;
        (ministream, u32s(&minifat).collect::<Vec<u32>>())
    } else {
        (Vec::new(), Vec::new())
    };

    let find = |name: &str| {
        dirs.iter()
            .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
    };
    let Some(d) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(None);
    };
    if d.len < 4096 {
        // From the mini stream; calamine would read a mini sector beyond it from wherever its
        // reader stands, which is not followed here.
        let minis = ministream.len() / 64 + 1;
        chain(d.start, &mini_fats, d.len, minis, |id| {
            let start = id as usize * 64;
            ministream
                .get(start..start + 64)
                .ok_or_else(|| format!("mini sector {id} is beyond the mini stream"))
        })
        .map(Some)
    } else {
        sectors.chain(d.start, &fats, d.len).map(Some)
    }
}
