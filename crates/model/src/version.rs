//! The two official layouts of the annual report and which report years use which.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::OnceLock;

/// An official format of the annual report (统一格式).
///
/// Reports for 2019 and 2020 use 国办公开办函〔2019〕60号; reports from 2021 on use
/// 国办公开办函〔2021〕30号 (format-spec §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum FormatVersion {
    /// 国办公开办函〔2019〕60号 (report years 2019–2020).
    #[serde(rename = "2019")]
    V2019,
    /// 国办公开办函〔2021〕30号 (report years 2021 onward).
    #[serde(rename = "2021")]
    V2021,
}

impl FormatVersion {
    /// Both versions, oldest first.
    pub const ALL: [FormatVersion; 2] = [FormatVersion::V2019, FormatVersion::V2021];

    /// The year as used in JSON, CSV and on the command line (`2019`, `2021`).
    pub fn code(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "2019",
            FormatVersion::V2021 => "2021",
        }
    }

    /// Parses `2019`/`2021` (also `V2019`, `v2021`).
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().trim_start_matches(['V', 'v']) {
            "2019" => Some(FormatVersion::V2019),
            "2021" => Some(FormatVersion::V2021),
            _ => None,
        }
    }

    /// The document that prescribes the format.
    pub fn document(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "国办公开办函〔2019〕60号",
            FormatVersion::V2021 => "国办公开办函〔2021〕30号",
        }
    }

    /// The format a report for `year` must use, or `None` before 2019 (no unified format).
    pub fn for_year(year: u16) -> Option<Self> {
        match year {
            0..=2018 => None,
            2019 | 2020 => Some(FormatVersion::V2019),
            _ => Some(FormatVersion::V2021),
        }
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "V{}", self.code())
    }
}

/// The language of messages and labels meant for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese, the default: official wording.
    #[default]
    Zh,
    /// English.
    En,
}

/// A value derived once for each format version, on first use, and kept for the process: what is
/// derived from the catalogue (its cells, the matcher's plans, the labels distinctive of a form)
/// is the same for every report of a version.
pub struct PerVersion<T> {
    build: fn(FormatVersion) -> T,
    v2019: OnceLock<T>,
    v2021: OnceLock<T>,
}

impl<T> PerVersion<T> {
    /// `build` makes the value of a version; it runs at most once per version.
    pub const fn new(build: fn(FormatVersion) -> T) -> Self {
        PerVersion {
            build,
            v2019: OnceLock::new(),
            v2021: OnceLock::new(),
        }
    }

    /// The value of `version`, built on the first call.
    pub fn get(&self, version: FormatVersion) -> &T {
        let cell = match version {
            FormatVersion::V2019 => &self.v2019,
            FormatVersion::V2021 => &self.v2021,
        };
        cell.get_or_init(|| (self.build)(version))
    }
}

#[cfg(test)]
mod per_version_tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static BUILT: AtomicUsize = AtomicUsize::new(0);

    fn build(v: FormatVersion) -> String {
        BUILT.fetch_add(1, Ordering::SeqCst);
        v.code().to_string()
    }

    #[test]
    fn each_version_is_built_once_on_first_use() {
        static CODES: PerVersion<String> = PerVersion::new(build);
        assert_eq!(BUILT.load(Ordering::SeqCst), 0);
        let first = CODES.get(FormatVersion::V2021);
        assert_eq!(first, "2021");
        assert!(
            std::ptr::eq(first, CODES.get(FormatVersion::V2021)),
            "kept, not rebuilt"
        );
        assert_eq!(CODES.get(FormatVersion::V2019), "2019");
        assert_eq!(BUILT.load(Ordering::SeqCst), 2);
    }
}
