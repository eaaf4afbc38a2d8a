//! Cell values: a number, a blank, a placeholder or unreadable text — never a guess.

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// An exact number. Counts are whole numbers; money (万元) keeps every decimal written.
///
/// In JSON a whole number is written as a JSON integer and any other number as a decimal
/// string (`"103.3879"`), so that no reader goes through a binary float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Num(pub(crate) Decimal);

impl Num {
    /// Zero.
    pub const ZERO: Num = Num(Decimal::ZERO);

    /// A whole number.
    pub fn int(v: i64) -> Self {
        Num(Decimal::from(v))
    }

    /// An exact decimal as a number. The decimal is private so that every number goes through
    /// these constructors and accessors, and the representation can change without breaking users.
    pub fn from_decimal(d: Decimal) -> Self {
        Num(d)
    }

    /// The exact decimal.
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Whether the number has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.0.fract().is_zero()
    }

    /// Number of decimal places as written, trailing zeros removed.
    pub fn decimal_places(&self) -> u32 {
        self.0.normalize().scale()
    }

    /// The value as an `i64` when it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            i64::try_from(self.0.normalize()).ok()
        } else {
            None
        }
    }

    /// Checked addition (a `Decimal` holds 28 digits; a sum beyond that is an error, not a wrap).
    pub fn checked_add(self, other: Num) -> Option<Num> {
        self.0.checked_add(other.0).map(Num)
    }

    /// Checked subtraction.
    pub fn checked_sub(self, other: Num) -> Option<Num> {
        self.0.checked_sub(other.0).map(Num)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `-0` prints as `0`; trailing zeros of money are kept as written.
        if self.0.is_zero() {
            write!(f, "0")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl FromStr for Num {
    type Err = rust_decimal::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str_exact(s.trim()).map(Num)
    }
}

impl From<i64> for Num {
    fn from(v: i64) -> Self {
        Num::int(v)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(i) if self.0.scale() == 0 => s.serialize_i64(i),
            _ => s.serialize_str(&self.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl Visitor<'_> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a decimal number written as a string, e.g. \"103.3879\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                // A JSON number with a fraction: take the shortest text that reads back as the
                // same double, which is the text the writer wrote for any amount of ≤ 15 digits.
                if !v.is_finite() {
                    return Err(E::custom("number is not finite"));
                }
                Decimal::from_str_exact(&format!("{v}"))
                    .map(Num)
                    .map_err(|_| E::custom(format!("number {v} is out of range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                Num::from_str(v).map_err(|_| E::custom(format!("\"{v}\" is not a decimal number")))
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

impl JsonSchema for Num {
    fn schema_name() -> Cow<'static, str> {
        "Num".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact number: a JSON integer, or a decimal written as a string (\"103.3879\").",
            "oneOf": [
                { "type": "integer" },
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" }
            ]
        })
    }
}

/// A unit of money written in a cell (“251000元”, “103.3879万元”).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum MoneyUnit {
    /// 万元 (10,000 yuan).
    #[serde(rename = "万元")]
    WanYuan,
    /// 元.
    #[serde(rename = "元")]
    Yuan,
}

/// The content of one cell of the form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum Cell {
    /// A number was written.
    Number {
        /// The number.
        value: Num,
        /// The text as found, when it was not the plain number (“１２”, “22（其中修订16件）”).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        raw: Option<String>,
        /// A note written beside the number (“其中修订16件”).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotation: Option<String>,
        /// A unit written in the cell (“元”, “万元”).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<MoneyUnit>,
    },
    /// Nothing was written. Not the same as 0.
    #[default]
    Blank,
    /// A mark meaning “none” or “not applicable” (“/”, “-”, “—”, “无”, “不适用”). Not the same as 0.
    Placeholder {
        /// The mark as written.
        raw: String,
    },
    /// Text that is no number (kept as found; the rules report it).
    Text {
        /// The text as found.
        raw: String,
    },
}

/// The placeholders recognised as “none / not applicable”.
pub const PLACEHOLDERS: &[&str] = &[
    "/",
    "-",
    "—",
    "–",
    "－",
    "－－",
    "--",
    "——",
    "无",
    "不适用",
    "／",
    "\\",
    "空",
];

impl Cell {
    /// A plain number.
    pub fn number(value: impl Into<Num>) -> Self {
        Cell::Number {
            value: value.into(),
            raw: None,
            annotation: None,
            unit: None,
        }
    }

    /// The number, if the cell holds one.
    pub fn value(&self) -> Option<Num> {
        match self {
            Cell::Number { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The state as a stable word (`number`, `blank`, `placeholder`, `text`).
    pub fn state(&self) -> &'static str {
        match self {
            Cell::Number { .. } => "number",
            Cell::Blank => "blank",
            Cell::Placeholder { .. } => "placeholder",
            Cell::Text { .. } => "text",
        }
    }

    /// The text as found, or the number as written.
    pub fn raw_text(&self) -> String {
        match self {
            Cell::Number { value, raw, .. } => raw.clone().unwrap_or_else(|| value.to_string()),
            Cell::Blank => String::new(),
            Cell::Placeholder { raw } | Cell::Text { raw } => raw.clone(),
        }
    }

    /// Whether the cell says nothing numeric but is not an error (blank or placeholder).
    pub fn is_empty_like(&self) -> bool {
        matches!(self, Cell::Blank | Cell::Placeholder { .. })
    }

    /// Whether `text` (trimmed) is one of the recognised placeholders.
    pub fn is_placeholder_text(text: &str) -> bool {
        PLACEHOLDERS.contains(&text.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_exactly_through_json() {
        for (json, text) in [
            ("80", "80"),
            ("\"103.3879\"", "103.3879"),
            ("0", "0"),
            ("-3", "-3"),
            ("\"0.10\"", "0.10"),
        ] {
            let n: Num = serde_json::from_str(json).expect("parse");
            assert_eq!(n.to_string(), text);
            assert_eq!(serde_json::to_string(&n).expect("write"), json);
        }
        let n: Num = serde_json::from_str("103.3879").expect("float accepted");
        assert_eq!(n.to_string(), "103.3879");
        assert_eq!(n.decimal_places(), 4);
    }

    #[test]
    fn cells_are_tagged_by_state() {
        let c: Cell = serde_json::from_str(r#"{"state":"placeholder","raw":"/"}"#).expect("parse");
        assert_eq!(c, Cell::Placeholder { raw: "/".into() });
        assert_eq!(
            serde_json::to_string(&Cell::number(3)).expect("write"),
            r#"{"state":"number","value":3}"#
        );
        assert!(serde_json::from_str::<Cell>(r#"{"state":"number","value":1,"x":2}"#).is_err());
    }
}
