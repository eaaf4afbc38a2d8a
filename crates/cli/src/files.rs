//! Reading inputs and writing outputs: the only place that touches the file system.

use std::io::Write;
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
            message: Text::new(format!("无法读取文件：{e}"), format!("cannot read the file: {e}")),
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

impl From<ImportError> for InputFailure {
    fn from(e: ImportError) -> Self {
        let kind = match e.kind {
            xxgk_import::ErrorKind::Syntax => "syntax",
            xxgk_import::ErrorKind::Shape => "shape",
            xxgk_import::ErrorKind::Format => "format",
            xxgk_import::ErrorKind::Missing => "missing",
            xxgk_import::ErrorKind::Limit => "limit",
            _ => "other",
        };
        InputFailure {
            file: e.file,
            kind,
            location: e.location,
            message: e.message,
        }
    }
}

/// Files named on the command line; folders are searched recursively for files xxgk reads, and
/// glob patterns (`报表/**/*.xlsx`, for shells that do not expand them) are expanded.
pub fn expand_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in inputs {
        let text = p.to_string_lossy();
        let is_pattern = !p.exists() && text.contains(['*', '?', '[']);
        if is_pattern && let Ok(paths) = glob::glob(&text) {
            let mut found: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
            found.sort();
            for f in found {
                if f.is_dir() {
                    collect_dir(&f, &mut out);
                } else {
                    out.push(f);
                }
            }
        } else if p.is_dir() {
            collect_dir(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf()); // reported as unreadable when read
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out);
        } else if is_importable(&p) {
            out.push(p);
        }
    }
}

fn is_importable(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    !name.starts_with('.') && !name.starts_with("~$") && xxgk_import::InputFormat::detect(&name, &[]).is_some()
}

/// Reads and imports one file.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Vec<Imported>, InputFailure> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| InputFailure::io(&name, &e))?;
    xxgk_import::check_size(&name, meta.len(), opts)?;
    let bytes = std::fs::read(path).map_err(|e| InputFailure::io(&name, &e))?;
    xxgk_import::import(&name, &bytes, opts).map_err(InputFailure::from)
}

/// Refuses to write over one of the inputs: the output would replace the data it is made from.
/// Returns the message to print, or `None` when the output is a different file.
pub fn output_is_an_input(output: &Path, inputs: &[PathBuf], lang: Lang) -> Option<String> {
    if output.as_os_str() == "-" {
        return None;
    }
    // The output may not exist yet: compare its folder, resolved, and its name.
    let resolve = |p: &Path| -> Option<PathBuf> {
        let name = p.file_name()?;
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(dir).ok()?.join(name))
    };
    let out = resolve(output)?;
    let clash = inputs.iter().find(|i| resolve(i).is_some_and(|i| i == out))?;
    Some(match lang {
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
    })
}

/// Writes a file atomically: a temporary file beside the target, then a rename, so that a
/// reader never sees half a file and a failed export never destroys the previous one.
/// `-` writes to standard output.
pub fn write_output(path: &Path, write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        write(&mut lock)?;
        lock.flush()?;
        return Ok(());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".xxgk-").suffix(".tmp");
    // A temporary file is private (0600); the output gets the usual mode, which the umask trims.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    {
        let mut buf = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buf)?;
        buf.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
