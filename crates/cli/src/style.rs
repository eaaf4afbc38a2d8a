//! Colours for people on a terminal; `anstream` strips them when output is piped.

use anstyle::{AnsiColor, Style};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const OK: Style = AnsiColor::Green.on_default().bold();
pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();
/// Every style above: the only escape sequences xxgk writes (see `printing::clean`).
pub const ALL: [Style; 5] = [ERROR, WARNING, OK, DIM, BOLD];

/// Wraps text in a style.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}
