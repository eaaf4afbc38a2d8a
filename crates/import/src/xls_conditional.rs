//! The conditional formats of an xls sheet (MS-XLS: the CFHeader, CF and DXFN structures),
//! for the number cells they may show otherwise than stored: a font coloured as the fill, or a
//! number format that hides or changes the number.
//!
//! A rule that compares the cell with constant numbers (`= 0`, `> 5`, `< -2`) is judged for the
//! cell's value; a rule with a formula may apply to any cell. Excel 2007's own rules (CF12, data
//! bars and icon sets kept for Excel alone) are not read: Excel writes a CF record beside them
//! for each rule that older readers can show.

use std::sync::Arc;

use crate::looks::{
    Condition, ConditionalRule, Effect, Look, MAX_CONDITIONAL_RANGES, Operator, Rgb, RulePlace, unseen,
};
use crate::number_format::Judged;

/// A sheet's conditional formats, as its CFHEADER and CF records give them.
#[derive(Default)]
pub(crate) struct XlsConditionals {
    blocks: Vec<Block>,
    /// Ranges and rules counted; past [`MAX_CONDITIONAL_RANGES`] the sheet is not judged.
    counted: usize,
}

/// The ranges of one CFHEADER and the rules of the CF records after it.
struct Block {
    /// (first row, last row, first column, last column), zero-based and inclusive.
    ranges: Vec<(u32, u32, u32, u32)>,
    /// The ranges as written in the message (`B5:D9 F5:F9`).
    place: String,
    rules: Vec<Rule>,
}

/// What one CF record may do, where it applies.
struct Rule {
    condition: Condition,
    /// The font colour index it sets, if any.
    font: Option<u16>,
    /// The colour index of the solid fill it sets, if any.
    fill: Option<u16>,
    /// The number format it sets, where that format may show a number otherwise.
    format: Option<Arc<Judged>>,
}

/// A cell's own colours, from its cell style, for a rule that sets only the font or the fill.
pub(crate) struct CellColours {
    pub(crate) font: Option<Rgb>,
    pub(crate) background: Option<Rgb>,
}

impl XlsConditionals {
    /// Whether nothing in the sheet may be shown otherwise by a conditional format.
    pub(crate) fn is_empty(&self) -> bool {
        self.counted <= MAX_CONDITIONAL_RANGES && self.blocks.iter().all(|b| b.rules.is_empty())
    }

    /// Looks each of `cells` number cells up in every range of the sheet, or, past a bound on
    /// that work (a large sheet under thousands of ranges would take minutes), puts every number
    /// of the sheet in doubt, as past [`MAX_CONDITIONAL_RANGES`].
    pub(crate) fn bound_work(&mut self, cells: usize) {
        const MAX_LOOK_UPS: u64 = 100_000_000;
        let ranges: usize = self
            .blocks
            .iter()
            .filter(|b| !b.rules.is_empty())
            .map(|b| b.ranges.len())
            .sum();
        if (cells as u64).saturating_mul(ranges as u64) > MAX_LOOK_UPS {
            self.counted = MAX_CONDITIONAL_RANGES + 1;
        }
    }

    /// A CFHEADER record: the ranges the CF records after it apply to.
    pub(crate) fn header(&mut self, d: &[u8]) {
        let count = usize::from(u16_at(d, 12));
        self.counted = self.counted.saturating_add(count.max(1));
        if self.counted > MAX_CONDITIONAL_RANGES {
            return;
        }
        let ranges: Vec<(u32, u32, u32, u32)> = d
            .get(14..)
            .unwrap_or_default()
            .chunks_exact(8)
            .take(count)
            .map(|r| {
                let at = |i: usize| u32::from(u16::from_le_bytes([r[i], r[i + 1]]));
                (at(0), at(2), at(4), at(6))
            })
            .filter(|&(r0, r1, c0, c1)| r0 <= r1 && c0 <= c1)
            .collect();
        let place = ranges
            .iter()
            .map(|&(r0, r1, c0, c1)| {
                let (from, to) = (crate::grid::a1(r0, c0), crate::grid::a1(r1, c1));
                if from == to { from } else { format!("{from}:{to}") }
            })
            .collect::<Vec<_>>()
            .join(" ");
        self.blocks.push(Block {
            ranges,
            place,
            rules: Vec::new(),
        });
    }

    /// A CF record: one rule of the last CFHEADER's ranges. `judge` judges a number format by
    /// its index, `judge_code` by its code.
    pub(crate) fn rule(
        &mut self,
        d: &[u8],
        judge: impl Fn(u16) -> Option<Arc<Judged>>,
        judge_code: impl Fn(&str) -> Option<Arc<Judged>>,
    ) {
        self.counted = self.counted.saturating_add(1);
        if self.counted > MAX_CONDITIONAL_RANGES {
            return;
        }
        let Some(block) = self.blocks.last_mut() else {
            return;
        };
        if let Some(rule) = cf_rule(d, judge, judge_code)
            && (rule.font.is_some() || rule.fill.is_some() || rule.format.is_some())
        {
            block.rules.push(rule);
        }
    }

    /// Why the number `v` at (`row`, `col`) may be shown otherwise by a conditional format: each
    /// rule over the cell whose condition may hold and whose effect hides or changes `v`.
    pub(crate) fn looks(
        &self,
        (row, col): (u32, u32),
        v: f64,
        cell: &CellColours,
        colour: impl Fn(u16) -> Option<Rgb>,
        is_1904: bool,
    ) -> Vec<Look> {
        if self.counted > MAX_CONDITIONAL_RANGES {
            return vec![Look::TooManyConditions];
        }
        let mut out = Vec::new();
        for block in &self.blocks {
            if !block
                .ranges
                .iter()
                .any(|&(r0, r1, c0, c1)| (r0..=r1).contains(&row) && (c0..=c1).contains(&col))
            {
                continue;
            }
            for rule in &block.rules {
                let mut effects = Vec::new();
                if let Some(format) = &rule.format {
                    effects.push(Effect::Format(Arc::clone(format)));
                }
                if rule.font.is_some() || rule.fill.is_some() {
                    // What the rule does not set stays as the cell style has it; a colour that
                    // cannot be told is not judged.
                    let font = match rule.font {
                        Some(icv) => colour(icv),
                        None => cell.font,
                    };
                    let background = match rule.fill {
                        Some(icv) => colour(icv),
                        None => cell.background,
                    };
                    if let (Some(font), Some(background)) = (font, background)
                        && unseen(font, background)
                    {
                        effects.push(Effect::Unseen { font, background });
                    }
                }
                for effect in effects {
                    let look = Look::Conditional(Arc::new(ConditionalRule {
                        place: RulePlace::Range(block.place.clone()),
                        condition: rule.condition.clone(),
                        effect,
                        is_1904,
                    }));
                    if look.words(v).is_some() {
                        out.push(look);
                    }
                }
            }
        }
        out
    }
}

fn u16_at(d: &[u8], at: usize) -> u16 {
    d.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> u32 {
    d.get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// One CF record: its condition (`ct`, `cp` and the formulas) and what its DXFN sets.
fn cf_rule(
    d: &[u8],
    judge: impl Fn(u16) -> Option<Arc<Judged>>,
    judge_code: impl Fn(&str) -> Option<Arc<Judged>>,
) -> Option<Rule> {
    let (ct, cp) = (*d.first()?, *d.get(1)?);
    let (cce1, cce2) = (usize::from(u16_at(d, 2)), usize::from(u16_at(d, 4)));
    // DXFN: 32 bits of flags, 16 more, then the blocks its flags announce, in this order.
    let flags = u32_at(d, 6);
    let user_format = u16_at(d, 10) & 1 != 0;
    let has = |bit: u32| flags >> bit & 1 != 0;
    let mut at = 12usize;
    let mut format = None;
    if has(25) {
        if user_format {
            // DXFNumUsr: its size, then the format code as an XLUnicodeString.
            let size = usize::from(u16_at(d, at));
            let code = crate::spreadsheet::xls_string(d.get(at + 2..)?, true)?;
            format = judge_code(&code);
            at += size.max(2);
        } else {
            // DXFNumIfmt: an unused byte, then a built-in format's index.
            format = judge(u16::from(*d.get(at + 1)?));
            at += 2;
        }
    }
    let mut font = None;
    if has(26) {
        // DXFFntD: the colour (icvFore) at byte 80 of 118; all ones where it is not set.
        let icv = u32_at(d, at + 80);
        if icv != u32::MAX && icv <= 0x7FFF {
            font = Some(icv as u16);
        }
        at += 118;
    }
    if has(27) {
        at += 8;
    }
    if has(28) {
        at += 8;
    }
    let mut fill = None;
    if has(29) {
        // DXFPat: the pattern in the high 6 bits of its first 16, then the foreground and
        // background colour indexes, 7 bits each. A rule's solid fill is its background colour
        // (what Excel and LibreOffice write), where flsNinch and icvBNinch say they are set.
        let pattern = u16_at(d, at) >> 10;
        let background = u16_at(d, at + 2) >> 7 & 0x7F;
        if !has(16) && !has(18) && pattern == 1 {
            fill = Some(background);
        }
        at += 4;
    }
    if has(30) {
        at += 2;
    }
    let first = d.get(at..at + cce1)?;
    let second = d.get(at + cce1..at + cce1 + cce2)?;
    let condition = match (ct, operator(cp), constant(first), constant(second)) {
        (1, Some(operator), Some(a), b) => {
            let two = matches!(operator, Operator::Between | Operator::NotBetween);
            match (two, b) {
                (false, _) => Condition::Compare {
                    operator,
                    bounds: (a, a),
                },
                (true, Some(b)) => Condition::Compare {
                    operator,
                    bounds: (a, b),
                },
                (true, None) => Condition::Other("cellIs".into()),
            }
        }
        (1, ..) => Condition::Other("cellIs".into()),
        _ => Condition::Other("expression".into()),
    };
    Some(Rule {
        condition,
        font,
        fill,
        format,
    })
}

/// The comparison of a CF record's `cp` (MS-XLS, CF).
fn operator(cp: u8) -> Option<Operator> {
    Some(match cp {
        1 => Operator::Between,
        2 => Operator::NotBetween,
        3 => Operator::Equal,
        4 => Operator::NotEqual,
        5 => Operator::Greater,
        6 => Operator::Less,
        7 => Operator::GreaterOrEqual,
        8 => Operator::LessOrEqual,
        _ => return None,
    })
}

/// A formula that is one number: an integer (PtgInt) or a float (PtgNum), negated by a
/// PtgUminus after it or left as it is by a PtgUplus.
fn constant(rgce: &[u8]) -> Option<f64> {
    let (v, rest) = match rgce.first()? {
        0x1E => (f64::from(u16_at(rgce, 1)), rgce.get(3..)?),
        0x1F => (f64::from_le_bytes(rgce.get(1..9)?.try_into().ok()?), rgce.get(9..)?),
        _ => return None,
    };
    match rest {
        [] | [0x12] => Some(v),
        [0x13] => Some(-v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_read_with_their_sign_and_formulas_are_not() {
        assert_eq!(constant(&[0x1E, 5, 0]), Some(5.0));
        assert_eq!(constant(&[0x1E, 2, 0, 0x13]), Some(-2.0));
        let mut num = vec![0x1F];
        num.extend_from_slice(&2.5f64.to_le_bytes());
        assert_eq!(constant(&num), Some(2.5));
        // A cell reference, a constant with another token after it, nothing.
        assert_eq!(constant(&[0x44, 0, 0, 0, 0]), None);
        assert_eq!(constant(&[0x1E, 1, 0, 0x1E, 1, 0, 0x03]), None);
        assert_eq!(constant(&[]), None);
    }
}
