//! The events of an XML part as calamine's reader sees them (its configuration), read from the
//! part held in memory or from a stream.
//!
//! Where a part is in memory (a workbook's usual case: the container rebuilt with its XML parts
//! stored, see [`crate::unpacked`]) the events borrow from it. Copying each into a buffer, as a
//! stream must, cost a tenth of measuring an ods `content.xml` and more of checking a table of
//! shared strings, whose events are short.

use quick_xml::Reader;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::io::BufRead;

/// A source of events: [`in_memory`] or [`streamed`].
pub(crate) trait Events<'a> {
    fn next(&mut self) -> quick_xml::Result<Event<'a>>;
    /// Skips to the end tag `end` of the element just started.
    fn skip_to_end(&mut self, end: QName<'_>) -> quick_xml::Result<()>;
}

impl<'a> Events<'a> for Reader<&'a [u8]> {
    fn next(&mut self) -> quick_xml::Result<Event<'a>> {
        self.read_event()
    }
    fn skip_to_end(&mut self, end: QName<'_>) -> quick_xml::Result<()> {
        self.read_to_end(end).map(|_| ())
    }
}

/// A part read as a stream (one that could not be held unpacked), each event copied out, so
/// that memory stays bounded whatever the part's size.
pub(crate) struct Streamed<R> {
    reader: Reader<R>,
    buf: Vec<u8>,
}

impl<R: BufRead> Events<'static> for Streamed<R> {
    fn next(&mut self) -> quick_xml::Result<Event<'static>> {
        self.buf.clear();
        self.reader.read_event_into(&mut self.buf).map(Event::into_owned)
    }
    fn skip_to_end(&mut self, end: QName<'_>) -> quick_xml::Result<()> {
        self.buf.clear();
        self.reader.read_to_end_into(end, &mut self.buf).map(|_| ())
    }
}

/// The events of a part held in memory.
pub(crate) fn in_memory(content: &[u8]) -> Reader<&[u8]> {
    configured(Reader::from_reader(content))
}

/// The events of a part read as a stream.
pub(crate) fn streamed<R: BufRead>(content: R) -> Streamed<R> {
    Streamed {
        reader: configured(Reader::from_reader(content)),
        buf: Vec::new(),
    }
}

/// calamine's configuration of its XML readers (xlsx and ods alike).
fn configured<R>(mut reader: Reader<R>) -> Reader<R> {
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}
