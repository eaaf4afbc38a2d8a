//! Reading inputs and writing outputs: the only place that touches the file system.

use crate::printing::say;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use xxgk_import::{ImportError, ImportOptions, Imported};
use xxgk_model::{Lang, Text};

/// Why an input could not be used.
pub struct InputFailure {
    pub file: String,
    pub kind: &'static str,
    pub location: Option<Box<xxgk_model::Location>>,
    pub message: Text,
}

impl InputFailure {
    fn io(file: &str, e: &std::io::Error) -> Self {
        InputFailure {
            file: file.to_string(),
            kind: "io",
            location: None,
            message: {
                let e = xxgk_model::io_error_text(e);
                Text::new(
                    format!("无法读取文件：{}", e.zh),
                    format!("cannot read the file: {}", e.en),
                )
            },
        }
    }

    pub fn describe(&self, lang: Lang) -> String {
        match self
            .location
            .as_ref()
            .map(|l| l.display(lang))
            .filter(|p| !p.is_empty())
        {
            Some(p) => format!("{}: {}: {}", self.file, p, self.message.get(lang)),
            None => format!("{}: {}", self.file, self.message.get(lang)),
        }
    }
}

impl From<InputFailure> for xxgk_model::output::Unreadable {
    fn from(e: InputFailure) -> Self {
        xxgk_model::output::Unreadable {
            file: e.file,
            error: xxgk_model::output::FileError {
                kind: e.kind.to_string(),
                location: e.location.map(|l| *l),
                message: e.message,
            },
        }
    }
}

impl From<ImportError> for InputFailure {
    fn from(e: ImportError) -> Self {
        InputFailure {
            kind: e.kind_code(),
            file: e.file,
            location: e.location,
            message: e.message,
        }
    }
}

/// A file that a folder or a pattern led to but that is not read, and why.
pub struct Skipped {
    pub path: PathBuf,
    pub reason: Text,
}

/// What the inputs named on the command line expand to.
#[derive(Default)]
pub struct Inputs {
    /// The files to read, in order.
    pub files: Vec<PathBuf>,
    /// What a folder or a pattern held that is not read: a folder reached again through a
    /// symbolic link (a loop), the same file reached twice, a FIFO, a device or a socket.
    pub skipped: Vec<Skipped>,
}

/// Files named on the command line, with folders and patterns expanded (see [`walk_inputs`]);
/// what is skipped is listed on standard error, each with its reason.
pub fn expand_inputs(inputs: &[PathBuf], lang: Lang) -> Vec<PathBuf> {
    let found = walk_inputs(inputs);
    for s in &found.skipped {
        crate::printing::warn(&match lang {
            Lang::Zh => format!("跳过 {}：{}", s.path.display(), s.reason.zh),
            Lang::En => format!("skipped {}: {}", s.path.display(), s.reason.en),
        });
    }
    found.files
}

/// Files named on the command line; folders are searched recursively for files xxgk reads, and
/// glob patterns (`报表/**/*.xlsx`, for shells that do not expand them) are expanded.
///
/// A file named on the command line is read whatever it is (a pipe such as `<(…)` or
/// `/dev/stdin` included; the read is bounded by `--max-input-bytes`). What a folder or a pattern
/// holds is only read when it is a regular file once symbolic links are resolved: a FIFO would
/// block for ever and a device never end. Every real folder is entered once and every real
/// file read once (they are told apart by device and inode), so that a symbolic link back up
/// the tree (`ln -s . self`) neither loops nor reads the same file again.
pub fn walk_inputs(inputs: &[PathBuf]) -> Inputs {
    let mut walk = Walk::default();
    for p in inputs {
        let text = p.to_string_lossy();
        let is_pattern = !p.exists() && text.contains(['*', '?', '[']);
        let pattern = if is_pattern {
            glob::Pattern::new(&text).ok()
        } else {
            None
        };
        if let Some(pattern) = pattern {
            walk.pattern(&text, &pattern);
        } else if p.is_dir() {
            walk.folder(p);
        } else {
            if let Ok(m) = std::fs::metadata(p) {
                walk.seen_files.entry(FileKey::of(p, &m)).or_insert_with(|| p.clone());
            }
            walk.out.files.push(p.clone());
        }
    }
    walk.out
}

/// The identity of a real file or folder, the same under each of its names.
#[derive(Clone, PartialEq, Eq, Hash)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl FileKey {
    fn of(path: &Path, meta: &std::fs::Metadata) -> FileKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            FileKey::Inode(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
        }
    }
}

#[derive(Default)]
struct Walk {
    seen_dirs: std::collections::HashSet<FileKey>,
    seen_files: std::collections::HashMap<FileKey, PathBuf>,
    out: Inputs,
}

/// What a directory entry is, symbolic links resolved.
enum Entry {
    Folder(std::fs::Metadata),
    File(std::fs::Metadata),
    /// A FIFO, a device or a socket, with its kind.
    Special(Text),
    /// Cannot be examined (a dangling link, a link loop, no permission).
    Unknown,
}

fn examine(p: &Path) -> Entry {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => Entry::Folder(m),
        Ok(m) if m.is_file() => Entry::File(m),
        Ok(m) => Entry::Special(special_kind(&m)),
        Err(_) => Entry::Unknown,
    }
}

fn special_kind(m: &std::fs::Metadata) -> Text {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return Text::new(
                "不是普通文件，而是命名管道（FIFO），读取可能永不结束",
                "not a regular file but a FIFO, whose read may never end",
            );
        }
        if t.is_char_device() || t.is_block_device() {
            return Text::new("不是普通文件，而是设备文件", "not a regular file but a device");
        }
        if t.is_socket() {
            return Text::new("不是普通文件，而是套接字", "not a regular file but a socket");
        }
    }
    let _ = m;
    Text::new("不是普通文件", "not a regular file")
}

impl Walk {
    /// Every importable file under `root`, depth first in name order (as a recursive walk
    /// would list them), each real folder entered once.
    fn folder(&mut self, root: &Path) {
        // An explicit stack: a hostile tree may nest deeper than the thread's stack allows.
        let mut stack = vec![root.to_path_buf()];
        while let Some(p) = stack.pop() {
            match examine(&p) {
                Entry::Folder(m) => {
                    if !self.seen_dirs.insert(FileKey::of(&p, &m)) {
                        self.out.skipped.push(Skipped {
                            path: p,
                            reason: Text::new(
                                "此文件夹已读取过（经由符号链接或另一个路径），不再重复读取",
                                "this folder was already read (through a symbolic link or another path)",
                            ),
                        });
                        continue;
                    }
                    let Ok(entries) = std::fs::read_dir(&p) else {
                        self.out.files.push(p); // reported as unreadable when read
                        continue;
                    };
                    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    // Siblings in path order, which is their names' order: comparing the names
                    // alone spares splitting 20,000 paths into components again and again.
                    children.sort_unstable_by(|a, b| a.file_name().cmp(&b.file_name()));
                    stack.extend(children.into_iter().rev());
                }
                entry if is_importable(&p) => self.file(p, entry),
                // Nothing found is passed over in silence.
                _ => self.out.skipped.push(Skipped {
                    reason: not_read_because(&p),
                    path: p,
                }),
            }
        }
    }

    /// A file a folder or a pattern led to: read when it is a regular file not read already.
    fn file(&mut self, p: PathBuf, entry: Entry) {
        match entry {
            Entry::File(m) => match self.seen_files.entry(FileKey::of(&p, &m)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    let first = first.get().display().to_string();
                    self.out.skipped.push(Skipped {
                        path: p,
                        reason: Text::new(
                            format!("与 {first} 是同一个文件，只读取一次"),
                            format!("the same file as {first}, read once"),
                        ),
                    });
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(p.clone());
                    self.out.files.push(p);
                }
            },
            Entry::Special(reason) => self.out.skipped.push(Skipped { path: p, reason }),
            // A dangling link or a file that cannot be examined: reported as unreadable when read.
            Entry::Unknown | Entry::Folder(_) => self.out.files.push(p),
        }
    }

    /// The files and folders a glob pattern matches, found by walking from the pattern's fixed
    /// part (the folders before its first wildcard) with the same loop-safe walk: `**` over a
    /// symbolic link back up the tree neither loops nor multiplies. A matching folder is read
    /// whole, as when named.
    fn pattern(&mut self, text: &str, pattern: &glob::Pattern) {
        let opts = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        // The fixed part: the components before the first one with a wildcard.
        let mut base = PathBuf::new();
        let mut rest = 0usize;
        let mut recursive = false;
        for c in Path::new(text).components() {
            let s = c.as_os_str().to_string_lossy();
            if rest == 0 && !s.contains(['*', '?', '[']) {
                base.push(c);
            } else {
                rest += 1;
                recursive |= s.contains("**");
            }
        }
        let read_from = if base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base.clone()
        };
        let mut matched = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // (path as shown, path to read, depth below the fixed part)
        let mut stack = vec![(base, read_from, 0usize)];
        while let Some((shown, real, depth)) = stack.pop() {
            let Ok(m) = std::fs::metadata(&real) else { continue };
            if !m.is_dir() || !seen.insert(FileKey::of(&real, &m)) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&real) else {
                continue;
            };
            for name in entries.filter_map(|e| e.ok().map(|e| e.file_name())) {
                let shown = shown.join(&name);
                let real = real.join(&name);
                let is_match = pattern.matches_path_with(&shown, opts);
                let entry = examine(&real);
                if is_match {
                    matched.push((shown, entry));
                } else if matches!(entry, Entry::Folder(_)) && (recursive || depth + 1 < rest) {
                    stack.push((shown, real, depth + 1));
                }
            }
        }
        matched.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, entry) in matched {
            match entry {
                Entry::Folder(_) => self.folder(&p),
                e => self.file(p, e),
            }
        }
    }
}

/// Why a file found in a folder is not read: its type, or that it is hidden or an Office lock file.
fn not_read_because(p: &Path) -> Text {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.starts_with("~$") {
        Text::new("Office 临时锁定文件，不是报告", "an Office lock file, not a report")
    } else if name.starts_with('.') {
        Text::new("隐藏文件", "a hidden file")
    } else if matches!(ext.as_str(), "doc" | "wps" | "dot" | "odt") {
        Text::new(
            format!("旧版 Word/WPS 或 OpenDocument（.{ext}）文件不能读取：请在 Word 或 WPS 中“另存为” .docx 后再读取"),
            format!(
                "legacy Word/WPS or OpenDocument (.{ext}) files cannot be read: open it in Word or WPS and “Save As” .docx"
            ),
        )
    } else if ext == "ofd" {
        Text::new(
            "暂不能读取 .ofd 文件：请另存为 .pdf、.docx、.xlsx、.html 或 .txt 后再读取",
            ".ofd files cannot be read yet: save the report as .pdf, .docx, .xlsx, .html or .txt",
        )
    } else {
        Text::new(
            "不是 xxgk 读取的文件类型（.xlsx .xlsm .xls .ods .csv .json .txt .html .docx .pdf）",
            "not a file type xxgk reads (.xlsx .xlsm .xls .ods .csv .json .txt .html .docx .pdf)",
        )
    }
}

fn is_importable(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let legacy_word = p
        .extension()
        .is_some_and(|e| ["doc", "wps", "dot", "odt"].iter().any(|l| e.eq_ignore_ascii_case(l)));
    // A legacy Word file in a folder is named as skipped with what to do, not read and failed.
    !legacy_word
        && !name.starts_with('.')
        && !name.starts_with("~$")
        && xxgk_import::InputFormat::detect(&name, &[]).is_some()
}

/// Reads and imports one file.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Vec<Imported>, InputFailure> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, &name, opts)?;
    xxgk_import::import(&name, &bytes, opts).map_err(InputFailure::from)
}

/// Reads the list of units that must report (`--roster`), within the same limits as a report.
pub fn read_roster_file(path: &Path, opts: &ImportOptions) -> Result<xxgk_model::roster::Roster, InputFailure> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, &name, opts)?;
    xxgk_import::roster::read_roster(&name, &bytes, opts).map_err(InputFailure::from)
}

/// Reads at most `--max-input-bytes` and one byte more, whatever the file says its size is: a
/// device (`/dev/zero`) or a pipe reports a size of 0 and may never end.
fn read_bounded(path: &Path, name: &str, opts: &ImportOptions) -> Result<Vec<u8>, InputFailure> {
    let file = std::fs::File::open(path).map_err(|e| InputFailure::io(name, &e))?;
    let meta = file.metadata().map_err(|e| InputFailure::io(name, &e))?;
    if meta.is_dir() {
        return Err(InputFailure {
            file: name.to_string(),
            kind: "io",
            location: None,
            message: Text::new("这是文件夹，不是文件", "this is a folder, not a file"),
        });
    }
    let limit = opts.max_input_bytes;
    // A regular file that says it is too large is refused unread.
    if meta.is_file() {
        xxgk_import::check_size(name, meta.len(), opts)?;
    }
    let hint = if meta.is_file() { meta.len().min(limit) } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputFailure::io(name, &e))?;
    if bytes.len() as u64 > limit {
        // Not a size the file declared: the read went past the limit and was stopped there.
        return Err(InputFailure {
            file: name.to_string(),
            kind: "limit",
            location: None,
            message: Text::new(
                format!(
                    "读取到 {limit} 字节仍未结束，超过输入文件大小上限（如确属正常，可用 --max-input-bytes 调高上限）"
                ),
                format!(
                    "still not at its end after {limit} bytes, over the input size limit (raise it with --max-input-bytes if the file is genuine)"
                ),
            ),
        });
    }
    Ok(bytes)
}

/// Where an output goes, decided from what is at its path now.
enum Target {
    /// Standard output: `-`, or `/dev/stdout` and its aliases.
    Stdout,
    /// A regular file, new or replaced: written to a temporary file in `dir` and renamed onto
    /// `file`. For a symbolic link, `file` is the file it leads to, so the link stays a link.
    Replace { file: PathBuf, dir: PathBuf },
    /// A character device or a FIFO (`/dev/null`, `>(gzip > x.gz)`), or whatever a path under
    /// `/dev` or `/proc` leads to: opened and written straight through. Renaming onto it would
    /// replace the device with a regular file.
    Through,
}

fn resolve_output(output: &Path) -> Result<Target, Text> {
    let shown = output.display();
    if output.as_os_str() == "-"
        || ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"].contains(&output.to_string_lossy().as_ref())
    {
        return Ok(Target::Stdout);
    }
    let meta = match std::fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = match output.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            return match std::fs::metadata(&dir) {
                Ok(m) if m.is_dir() => Ok(Target::Replace {
                    file: output.to_path_buf(),
                    dir,
                }),
                Ok(_) => Err(Text::new(
                    format!("无法写出 {shown}：{} 不是文件夹", dir.display()),
                    format!("cannot write {shown}: {} is not a folder", dir.display()),
                )),
                Err(_) => Err(Text::new(
                    format!("无法写出 {shown}：文件夹 {} 不存在", dir.display()),
                    format!("cannot write {shown}: the folder {} does not exist", dir.display()),
                )),
            };
        }
        Err(e) => {
            let e = xxgk_model::io_error_text(&e);
            return Err(Text::new(
                format!("无法写出 {shown}：{}", e.zh),
                format!("cannot write {shown}: {}", e.en),
            ));
        }
    };
    let meta = if meta.file_type().is_symlink() {
        match std::fs::metadata(output) {
            Ok(m) => m,
            Err(_) => {
                return Err(Text::new(
                    format!("无法写出 {shown}：这是一个符号链接，它指向的文件不存在或无法解析"),
                    format!("cannot write {shown}: it is a symbolic link to nothing that exists"),
                ));
            }
        }
    } else {
        meta
    };
    if meta.is_dir() {
        return Err(Text::new(
            format!("无法写出 {shown}：这是一个文件夹"),
            format!("cannot write {shown}: it is a folder"),
        ));
    }
    // `/dev/stderr`, `/dev/fd/3`, `/proc/self/fd/…` lead to whatever the shell opened, possibly a
    // regular file: written through (appending, as the shell's `>>` would), never replaced.
    if meta.is_file() && (output.starts_with("/dev") || output.starts_with("/proc")) {
        return Ok(Target::Through);
    }
    if meta.is_file() {
        // Through a symbolic link, the file it leads to is replaced and the link kept.
        let file = std::fs::canonicalize(output).map_err(|e| {
            let e = xxgk_model::io_error_text(&e);
            Text::new(
                format!("无法写出 {shown}：{}", e.zh),
                format!("cannot write {shown}: {}", e.en),
            )
        })?;
        let dir = file.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        return Ok(Target::Replace { file, dir });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_fifo() {
            return Ok(Target::Through);
        }
    }
    Err(Text::new(
        format!("无法写出 {shown}：它既不是普通文件，也不是可写入的设备或命名管道"),
        format!("cannot write {shown}: it is neither a regular file nor a device or FIFO to write to"),
    ))
}

/// Checks an output before any work is done: that it can be written where it is (its folder
/// exists; it is not a folder, a dangling link or a block device) and that it is none of the
/// inputs, however named (another path, a symbolic link or a hard link to the same file, or a
/// file inside an input folder). Returns the message to print when it cannot be used.
pub fn check_output(output: &Path, inputs: &[PathBuf], lang: Lang) -> Result<(), String> {
    resolve_output(output).map_err(|t| t.get(lang).to_string())?;
    if let Some(clash) = input_clash(output, inputs) {
        return Err(match lang {
            Lang::Zh => format!(
                "输出文件 {} 就是输入文件 {}，写出会覆盖原始数据；请换一个输出文件名",
                output.display(),
                clash.display()
            ),
            Lang::En => format!(
                "the output {} is the input {}; writing would overwrite the data; choose another output",
                output.display(),
                clash.display()
            ),
        });
    }
    Ok(())
}

/// The input that the output is, compared by device and inode (after resolving symbolic links)
/// and, where the output does not exist yet, by resolved folder and name.
fn input_clash(output: &Path, inputs: &[PathBuf]) -> Option<PathBuf> {
    if output.as_os_str() == "-" {
        return None;
    }
    // A path as its resolved folder and its name. Only an input named as the output has its
    // folder resolved: a batch of 20,000 files in one folder would otherwise resolve it 20,000
    // times, link by link, before any file is read.
    let folder = |p: &Path| -> Option<PathBuf> {
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(dir).ok()
    };
    let out_key = std::fs::metadata(output).ok().map(|m| FileKey::of(output, &m));
    let out_name = output.file_name();
    let out_folder = out_name.and(folder(output));
    let same = |input: &Path, meta: Option<&std::fs::Metadata>| -> bool {
        let by_key = out_key.is_some() && meta.is_some_and(|m| Some(FileKey::of(input, m)) == out_key);
        by_key || (out_folder.is_some() && input.file_name() == out_name && folder(input) == out_folder)
    };
    for input in inputs {
        let meta = std::fs::metadata(input).ok();
        if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            if let Some(f) = walk_inputs(std::slice::from_ref(input)).files.into_iter().find(|f| {
                let meta = out_key.is_some().then(|| std::fs::metadata(f).ok()).flatten();
                same(f, meta.as_ref())
            }) {
                return Some(f);
            }
        } else if same(input, meta.as_ref()) {
            return Some(input.clone());
        }
    }
    None
}

/// An output error in the user's language: an export error and an operating-system error carry
/// both languages; anything else (already worded for `lang` by [`write_output`]) is shown as is.
pub fn error_text(e: &anyhow::Error, lang: Lang) -> String {
    for cause in e.chain() {
        if let Some(x) = cause.downcast_ref::<xxgk_export::ExportError>() {
            return x.text().get(lang).to_string();
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            let t = xxgk_model::io_error_text(io);
            return match lang {
                Lang::Zh => format!("写入失败：{}", t.zh),
                Lang::En => format!("writing failed: {}", t.en),
            };
        }
    }
    e.to_string()
}

/// Writes an output: to standard output for `-`; straight through to a device or a FIFO; and
/// otherwise atomically, to a temporary file beside the target then renamed onto it, so that a
/// reader never sees half a file and a failed export never destroys the previous one. A
/// symbolic link is kept: the file it leads to is replaced. Errors name `path` as given.
pub fn write_output(
    path: &Path,
    lang: Lang,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let target = resolve_output(path).map_err(|t| anyhow::anyhow!(t.get(lang).to_string()))?;
    let io_failed = |what_zh: &str, what_en: &str, e: &std::io::Error| {
        let e = xxgk_model::io_error_text(e);
        anyhow::anyhow!(say!(lang, "{what_zh}：{}", "{what_en}: {}", e.get(lang)))
    };
    match target {
        Target::Stdout if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            // On a terminal, text goes through the printing filter like every other line (report
            // text could drive the terminal); anything else is refused rather than shown.
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            match String::from_utf8(bytes) {
                Ok(text) => {
                    crate::printing::print_raw(&text);
                    Ok(())
                }
                Err(_) => Err(anyhow::anyhow!(say!(
                    lang,
                    "输出是二进制文件，不能显示在终端上；请用 -o 指定输出文件，或重定向到文件",
                    "the output is binary and is not shown on a terminal; name a file with -o or redirect it"
                ))),
            }
        }
        Target::Stdout => {
            // Bytes as they are (an xlsx is binary): not through the printing filter. A failed
            // write is standard output's failure, reported (or, for a closed pipe, not) at the
            // end like any other (`printing::finish`).
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            let result = write(&mut lock).and_then(|()| Ok(lock.flush()?));
            match result {
                Ok(()) => Ok(()),
                Err(e) => match e.chain().find_map(|c| c.downcast_ref::<std::io::Error>()) {
                    Some(io) => {
                        crate::printing::stdout_failed_with(io);
                        Ok(())
                    }
                    None => Err(e),
                },
            }
        }
        Target::Through => {
            // Appending changes nothing for a device or a FIFO, and keeps what a file reached
            // through /dev/fd already holds.
            let file = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| io_failed("无法打开", "cannot open", &e))?;
            let mut buf = std::io::BufWriter::new(file);
            write(&mut buf)?;
            buf.flush().map_err(|e| io_failed("写入失败", "cannot write", &e))?;
            Ok(())
        }
        Target::Replace { file, dir } => {
            let mut builder = tempfile::Builder::new();
            builder.prefix(".xxgk-").suffix(".tmp");
            // A temporary file is private (0600); the output gets the usual mode, which the
            // umask trims.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            let mut tmp = builder.tempfile_in(&dir).map_err(|e| {
                io_failed(
                    &format!("无法在文件夹 {} 中创建文件", dir.display()),
                    &format!("cannot create a file in the folder {}", dir.display()),
                    &e,
                )
            })?;
            // Ctrl-C removes it (`interrupt.rs`).
            let guard = crate::interrupt::TempFile::new(tmp.path());
            {
                let mut buf = std::io::BufWriter::new(tmp.as_file_mut());
                write(&mut buf)?;
                buf.flush().map_err(|e| io_failed("写入失败", "cannot write", &e))?;
            }
            tmp.as_file()
                .sync_all()
                .map_err(|e| io_failed("写入失败", "cannot write", &e))?;
            guard
                .persist(|| tmp.persist(&file))
                .map_err(|e| io_failed("无法替换原文件", "cannot replace the file", &e.error))?;
            Ok(())
        }
    }
}

/// The message when the inputs named no file to read (an empty folder, a pattern matching
/// nothing): running on nothing is an error, never a silent pass.
pub fn nothing_to_read(inputs: &[PathBuf], lang: xxgk_model::Lang) -> String {
    let named: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    match lang {
        xxgk_model::Lang::Zh => format!(
            "没有找到可读取的文件：{}（文件夹为空，或通配符没有匹配到文件）",
            named.join("、")
        ),
        xxgk_model::Lang::En => format!(
            "no file to read in {} (an empty folder, or a pattern that matches nothing)",
            named.join(", ")
        ),
    }
}
