//! Rich text read as it is shown: Word runs and the runs of an xlsx shared string carry their
//! look (hidden, struck through, raised), and a reader that joins their text without it turns a
//! footnote mark into a digit (`12` and a raised `1` read as 121) or a struck-out figure into
//! part of the number (`5̶2` read as 52).

/// Whether an OOXML on/off property (`<w:vanish/>`, `<strike val="0"/>`, `<w:tblHeader/>`) is
/// on: it is unless its `val` says off.
pub(crate) fn switched_on(e: &quick_xml::events::BytesStart<'_>) -> bool {
    crate::xlsx_merges::attribute(e, "val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"))
}

/// How a run's text is shown, as far as it changes what the text says.
#[derive(Default, Clone, Copy)]
pub(crate) struct RunLook {
    /// Not shown (Word's `w:vanish`): not read.
    pub hidden: bool,
    pub struck: bool,
    pub raised: Option<Raised>,
}

#[derive(Clone, Copy)]
pub(crate) enum Raised {
    Superscript,
    Subscript,
}

impl Raised {
    /// From a `vertAlign` value (`superscript`, `subscript`, `baseline`).
    pub(crate) fn from_vert_align(value: Option<&str>) -> Option<Raised> {
        match value {
            Some("superscript") => Some(Raised::Superscript),
            Some("subscript") => Some(Raised::Subscript),
            _ => None,
        }
    }
}

impl RunLook {
    /// Whether the run's text would read otherwise than shown if joined as it is: a raised
    /// digit, or struck-through text.
    pub(crate) fn changes(&self, text: &str) -> bool {
        (self.raised.is_some() && text.bytes().any(|b| b.is_ascii_digit())) || (self.struck && !text.trim().is_empty())
    }

    /// Adds a run's text as it is shown: a raised digit (a footnote mark, `12¹`) is written as
    /// the superscript or subscript digit it looks like, and struck-through text carries a
    /// combining stroke (`5̶`), so that neither joins the digits beside it into another number
    /// (`12` + `¹` is no 121, `~~5~~2` no 52): such a cell is text, reported on the cell.
    pub(crate) fn push(&self, out: &mut String, text: &str) {
        if !self.struck && self.raised.is_none() {
            out.push_str(text);
            return;
        }
        for c in text.chars() {
            let shown = match (self.raised, c.to_digit(10)) {
                (Some(Raised::Superscript), Some(d)) => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d as usize],
                (Some(Raised::Subscript), Some(d)) => ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'][d as usize],
                _ => c,
            };
            out.push(shown);
            if self.struck && !c.is_whitespace() {
                out.push('\u{0336}');
            }
        }
    }
}

/// The runs of SpreadsheetML rich text (a shared string's `<si>`, an inline string's `<is>`),
/// followed event by event: the text as shown, and whether a run's look changes what the joined
/// text says. Phonetic guides (`<rPh>`) are no part of the text, as calamine reads it.
#[derive(Default)]
pub(crate) struct RichText {
    look: RunLook,
    in_props: bool,
    phonetic: bool,
    in_text: bool,
    /// The text as shown, so far.
    pub text: String,
    /// Whether a run's look changes what its text says (see [`RunLook::changes`]).
    pub changed: bool,
}

impl RichText {
    /// Starts a new string.
    pub(crate) fn begin(&mut self) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        *self = RichText {
            text,
            ..RichText::default()
        };
    }

    /// An element inside the string starts (`empty`: it is also its end).
    pub(crate) fn start(&mut self, e: &quick_xml::events::BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            "r" => self.look = RunLook::default(),
            "rPr" if !empty => self.in_props = true,
            "rPh" if !empty => self.phonetic = true,
            "t" if !empty => self.in_text = !self.phonetic,
            "vertAlign" if self.in_props => {
                self.look.raised = Raised::from_vert_align(crate::xlsx_merges::attribute(e, "val").as_deref());
            }
            "strike" if self.in_props => self.look.struck = switched_on(e),
            _ => {}
        }
    }

    /// An element inside the string ends.
    pub(crate) fn end(&mut self, local_name: &str) {
        match local_name {
            "r" => self.look = RunLook::default(),
            "rPr" => self.in_props = false,
            "rPh" => self.phonetic = false,
            "t" => self.in_text = false,
            _ => {}
        }
    }

    /// Text read inside the string.
    pub(crate) fn text(&mut self, t: &str) {
        if self.in_text {
            self.changed |= self.look.changes(t);
            self.look.push(&mut self.text, t);
        }
    }
}
