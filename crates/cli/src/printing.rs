//! Everything xxgk prints goes through here: standard output through one writer that keeps the
//! first error instead of panicking, standard error without ever failing, and both through one
//! filter for terminal safety.
//!
//! - `println!` of the standard library panics when standard output fails (`> /dev/full`, a
//!   closed pipe). The [`println!`](crate::printing::println) of this module keeps the first
//!   error, writes nothing more after it, and [`finish`] turns it into exit code 2 with a message
//!   (none for a closed pipe such as `| head`, which ends the run quietly). Long runs ask
//!   [`stdout_failed`] to stop early.
//! - Report text (agency names, labels, cell text, sheet and file names) is untrusted: an agency
//!   name holding `ESC ] 0 ; … BEL` sets a terminal's title, `ESC [ 2 J` clears it, a bidi
//!   override reorders what is shown. [`clean`] writes every control character (C0 except the
//!   line feed, DEL, C1) and every bidi control as a visible `\uXXXX`, keeping only the colour
//!   sequences of [`crate::style`]. `\uXXXX` is also a JSON escape of the same character, so JSON
//!   passed through the filter stays exact JSON with the same values.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{LazyLock, Mutex, MutexGuard};
use xxgk_model::Lang;

/// Standard output: the terminal-aware stream for lines, a buffer for large raw writes (JSON),
/// and the first error met.
struct Stdout {
    stream: Option<anstream::AutoStream<std::io::Stdout>>,
    buffer: Vec<u8>,
    error: Option<std::io::Error>,
}

static STDOUT: Mutex<Stdout> = Mutex::new(Stdout {
    stream: None,
    buffer: Vec::new(),
    error: None,
});

/// Raw writes are passed on in pieces of this size.
const BUFFER: usize = 64 * 1024;

fn stdout() -> MutexGuard<'static, Stdout> {
    // A panic while printing leaves nothing half-done that matters here.
    STDOUT.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Stdout {
    fn stream(&mut self) -> &mut anstream::AutoStream<std::io::Stdout> {
        self.stream
            .get_or_insert_with(|| anstream::AutoStream::auto(std::io::stdout()))
    }

    fn flush_buffer(&mut self) {
        if self.buffer.is_empty() || self.error.is_some() {
            self.buffer.clear();
            return;
        }
        // The lines before went through the colour filter into the same standard output, which
        // keeps their order: the filter holds back nothing of a whole line.
        let result = std::io::stdout().lock().write_all(&self.buffer);
        self.keep(result);
        self.buffer.clear();
    }

    fn keep(&mut self, result: std::io::Result<()>) {
        if let Err(e) = result
            && self.error.is_none()
        {
            self.error = Some(e);
        }
    }
}

/// Prints one line on standard output, filtered by [`clean`]; after a write error, nothing.
pub fn print_line(args: std::fmt::Arguments<'_>) {
    let mut out = stdout();
    out.flush_buffer();
    if out.error.is_some() {
        return;
    }
    let mut text = clean(&args.to_string()).into_owned();
    text.push('\n');
    let result = out.stream().write_all(text.as_bytes());
    out.keep(result);
}

/// Writes text (an export shown on a terminal) on standard output through a buffer, every
/// unsafe character escaped (see [`escape_unsafe`]). Such text has no business holding
/// xxgk's colour sequences (an escape character in it is escaped too), so it goes to standard
/// output as it is, not through the colour filter.
pub fn print_raw(text: &str) {
    print_escaped(text.as_bytes());
}

/// Writes JSON text that serde_json wrote (UTF-8 by construction), like [`print_raw`]: not
/// through the colour filter, which cost a fifth of `validate --json`.
pub fn print_json(json: &[u8]) {
    print_escaped(json);
}

/// UTF-8 text on standard output, escaped by [`escape_unsafe`] without keeping any sequence.
fn print_escaped(text: &[u8]) {
    let mut out = stdout();
    if out.error.is_some() {
        return;
    }
    match first_unsafe(text) {
        None => out.buffer.extend_from_slice(text),
        Some(first) => {
            out.buffer.extend_from_slice(&text[..first]);
            // The callers give UTF-8: nothing is replaced here.
            let rest = String::from_utf8_lossy(&text[first..]);
            out.buffer.extend_from_slice(escape_unsafe(&rest, &[]).as_bytes());
        }
    }
    if out.buffer.len() >= BUFFER {
        out.flush_buffer();
    }
}

/// Records a failure to write to standard output met outside this module (an export written
/// to `-`), so that [`finish`] reports it like its own.
pub fn stdout_failed_with(e: &std::io::Error) {
    let copy = match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::from(e.kind()),
    };
    stdout().keep(Err(copy));
}

/// Whether writing to standard output has failed: a long run stops, nobody reads it.
pub fn stdout_failed() -> bool {
    stdout().error.is_some()
}

/// Prints one line on standard error, filtered by [`clean`]. A failure to write there cannot be
/// reported anywhere and is ignored.
pub fn eprint_line(args: std::fmt::Arguments<'_>) {
    let mut text = clean(&args.to_string()).into_owned();
    text.push('\n');
    let mut err = anstream::AutoStream::auto(std::io::stderr());
    let _ = err.write_all(text.as_bytes());
}

/// A note on standard error that does not change the outcome.
pub fn warn(text: &str) {
    eprint_line(format_args!("{}", crate::style::paint(crate::style::WARNING, text)));
}

/// Flushes standard output at the end of a command and gives the exit code: the command's own,
/// or 2 when standard output could not be written — said on standard error, except for a pipe
/// closed by its reader (`xxgk validate … | head`), which ends the run quietly.
pub fn finish(code: u8, lang: Lang) -> u8 {
    let mut out = stdout();
    out.flush_buffer();
    if out.error.is_none() {
        let result = out.stream().flush();
        out.keep(result);
    }
    let Some(e) = out.error.take() else {
        return code;
    };
    drop(out);
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        let why = xxgk_model::io_error_text(&e);
        eprint_line(format_args!(
            "{}",
            match lang {
                Lang::Zh => format!("无法写出到标准输出：{}；结果不完整", why.zh),
                Lang::En => format!("cannot write to standard output: {}; the output is incomplete", why.en),
            }
        ));
    }
    crate::exit::INPUT_ERROR
}

/// `println!` through [`print_line`].
macro_rules! println {
    () => {
        $crate::printing::print_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::printing::print_line(format_args!($($arg)*))
    };
}
pub(crate) use println;

/// `eprintln!` through [`eprint_line`].
macro_rules! eprintln {
    () => {
        $crate::printing::eprint_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::printing::eprint_line(format_args!($($arg)*))
    };
}
pub(crate) use eprintln;

/// A message in the language asked for, the two wordings side by side and formatted from the
/// same arguments: `say!(lang, "已写出 {}", "wrote {}", path.display())`. Only the chosen
/// language is formatted.
macro_rules! say {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            xxgk_model::Lang::Zh => format!($zh $(, $arg)*),
            xxgk_model::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use say;

/// A message in both languages, as data ([`xxgk_model::Text`]), for a function that does not
/// print it itself: `text!("没有名为 {name} 的导出格式", "no exporter named {name}")`.
macro_rules! text {
    ($zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        xxgk_model::Text::new(format!($zh $(, $arg)*), format!($en $(, $arg)*))
    };
}
pub(crate) use text;

/// The colour sequences xxgk itself writes (those of [`crate::style`]), each one `ESC [ … m`.
static OWN_SEQUENCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut all = Vec::new();
    for s in crate::style::ALL {
        for rendered in [s.render().to_string(), s.render_reset().to_string()] {
            for piece in rendered.split('\u{1b}').filter(|p| !p.is_empty()) {
                let seq = format!("\u{1b}{piece}");
                if !all.contains(&seq) {
                    all.push(seq);
                }
            }
        }
    }
    all
});

/// Whether a character must not reach a terminal as it is: C0 controls but the line feed, DEL,
/// C1 controls, and the marks and overrides that reorder text (bidi).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// The text with every unsafe character (see [`unsafe_char`]) written as `\uXXXX`, except the
/// colour sequences xxgk writes itself.
pub fn clean(text: &str) -> Cow<'_, str> {
    escape_unsafe(text, &OWN_SEQUENCES)
}

/// The text with every unsafe character written as `\uXXXX`, except the escape sequences in
/// `keep`. Text without any (nearly all) is returned as it is after one pass over its bytes.
fn escape_unsafe<'a>(text: &'a str, keep: &[String]) -> Cow<'a, str> {
    let Some(first) = first_unsafe(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(own) = keep.iter().find(|s| rest.starts_with(s.as_str()))
        {
            out.push_str(own);
            rest = &rest[own.len()..];
            continue;
        }
        if unsafe_char(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Where the first unsafe character starts, by bytes: each one is an ASCII control or DEL, or
/// starts with the byte 0xC2 (C1 controls), 0xD8 (U+061C) or 0xE2 (the other bidi marks), so
/// only those characters are decoded. The bytes are looked at in blocks of 32 that the compiler
/// tests at once: a report's JSON is a quarter of a megabyte, and a byte at a time cost a sixth of
/// `validate --json`.
fn first_unsafe(text: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let suspect = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7f) | (b == 0xc2) | (b == 0xd8) | (b == 0xe2);
    // Within a block (or the short end) that holds a suspect byte: the first unsafe character.
    let first_in = |block: &[u8], at: usize| {
        block.iter().enumerate().find_map(|(j, &b)| {
            let i = at + j;
            // The character starting there: at most four bytes are decoded.
            let decoded = || {
                let bytes = &text[i..text.len().min(i + 4)];
                bytes.utf8_chunks().next().and_then(|c| c.valid().chars().next())
            };
            (suspect(b) && (b < 0x80 || decoded().is_some_and(unsafe_char))).then_some(i)
        })
    };
    let blocks = text.chunks_exact(BLOCK);
    let end = blocks.remainder();
    for (k, block) in blocks.enumerate() {
        if block.iter().fold(false, |any, &b| any | suspect(b))
            && let Some(i) = first_in(block, k * BLOCK)
        {
            return Some(i);
        }
    }
    first_in(end, text.len() - end.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_keeps_own_colours_and_line_feeds() {
        let hostile = "示例\u{1b}]0;owned\u{7}局\u{1b}[2J\u{1b}[8m\u{9b}1m\r\t\u{202e}cba\u{2066}";
        let cleaned = clean(hostile);
        assert_eq!(
            cleaned,
            "示例\\u001b]0;owned\\u0007局\\u001b[2J\\u001b[8m\\u009b1m\\u000d\\u0009\\u202ecba\\u2066"
        );
        // What xxgk paints itself passes; so do line feeds and ordinary text.
        let own = crate::style::paint(crate::style::ERROR, "✘ 不通过");
        assert_eq!(clean(&format!("{own}\n二、主动公开")), format!("{own}\n二、主动公开"));
        assert!(matches!(clean("plain 文本"), Cow::Borrowed(_)));
    }

    /// The byte scan finds exactly the characters `unsafe_char` names, wherever they stand.
    #[test]
    fn the_byte_scan_finds_every_unsafe_character_and_no_other() {
        // In the short end, at the end of a block of 32 bytes, across two blocks, within a block.
        for pad in [0, 26, 27, 40] {
            for c in (0..0x3000).chain(0xfe00..0x10000).filter_map(char::from_u32) {
                let text = format!("{}局“{c}”{}", "\n".repeat(pad), "x".repeat(pad));
                let at = pad + "局“".len();
                assert_eq!(
                    first_unsafe(text.as_bytes()),
                    unsafe_char(c).then_some(at),
                    "{:04x} after {pad}",
                    u32::from(c)
                );
            }
        }
    }

    /// Raw text (JSON, an export) keeps no escape sequence, xxgk's own colours included: it
    /// bypasses the colour filter.
    #[test]
    fn raw_text_escapes_even_own_colours() {
        let own = format!("{}✘", OWN_SEQUENCES[0]);
        assert!(own.contains('\u{1b}'));
        assert_eq!(clean(&own), own);
        let raw = escape_unsafe(&own, &[]);
        assert!(!raw.contains('\u{1b}'), "{raw}");
    }

    #[test]
    fn cleaned_json_is_the_same_json() {
        let value = serde_json::json!({ "agency": "局\u{9b}\u{202e}\u{7f}\u{1b}[2J", "n": [1, 2] });
        let text = serde_json::to_string_pretty(&value).expect("json");
        let cleaned = clean(&text);
        assert!(!cleaned.chars().any(unsafe_char));
        let back: serde_json::Value = serde_json::from_str(&cleaned).expect("still JSON");
        assert_eq!(back, value);
    }
}
