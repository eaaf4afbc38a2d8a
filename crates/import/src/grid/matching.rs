//! Label matching: how well a cell's text names an official label, header paths, and the
//! one-to-one assignment of rows or columns to catalogue entries.

use super::*;

/// How well a normalised text names a normalised official label: 3 equal; 2 the official label
/// followed by a local gloss in brackets, or both equal once their trailing notes in brackets are
/// dropped (`(二)部分公开` for the official `(二)部分公开(区分处理的,…)`, `本年收费金额(万元)` for
/// `本年收费金额(单位:万元)`); 1 a flattened path ending with the label (or with the label
/// without its note); 0 no match.
pub fn match_score(found: &str, official: &str) -> u8 {
    score_with_bases(found, without_note(found), official, without_note(official))
}

/// [`match_score`] given both labels without their trailing notes, for callers that compare one
/// text with many labels (or one label with many texts) and take each base once.
pub(super) fn score_with_bases(found: &str, found_base: &str, official: &str, official_base: &str) -> u8 {
    if found.is_empty() || official.is_empty() {
        return 0;
    }
    // Without a note in brackets on either side, every match below ends both texts alike (equal,
    // or a flattened path ending with the label): a different last byte rules them all out. Most
    // pairs a matcher tries are such.
    if found.as_bytes().last() != official.as_bytes().last() && !found.ends_with(')') && !official.ends_with(')') {
        return 0;
    }
    full_score(found, found_base, official, official_base)
}

/// [`score_with_bases`] without its quick refusal.
fn full_score(found: &str, found_base: &str, official: &str, official_base: &str) -> u8 {
    if found.is_empty() || official.is_empty() {
        return 0;
    }
    if found == official {
        return 3;
    }
    if found.starts_with(official) && found[official.len()..].starts_with('(') && found.ends_with(')') {
        return 2;
    }
    if found_base == official_base && (found_base.len() < found.len() || official_base.len() < official.len()) {
        return 2;
    }
    let flattened = |label: &str| {
        found.ends_with(label) && found.len() - label.len() <= MAX_FLATTENED_PREFIX && label.chars().count() >= 2
    };
    if flattened(official) || (official_base.len() < official.len() && flattened(official_base)) {
        1
    } else {
        0
    }
}

/// A normalised label without its trailing note in brackets: `本年收费金额(单位:万元)` →
/// `本年收费金额`. A label that is only a bracketed text, or starts with its bracket
/// (`(一)予以公开`), keeps it.
pub(super) fn without_note(label: &str) -> &str {
    if !label.ends_with(')') {
        return label;
    }
    let mut depth = 0usize;
    for (i, c) in label.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return if i == 0 { label } else { &label[..i] };
                }
            }
            _ => {}
        }
    }
    label
}

/// A normalised official label and its form without a trailing note, both made once (the
/// matchers compare each with many texts).
#[derive(Debug, Clone, Copy)]
pub(super) struct Official {
    pub(super) norm: &'static str,
    pub(super) base: &'static str,
}

impl Official {
    /// The official label `label` (as the catalogue writes it).
    pub(super) fn of(label: &'static str) -> Self {
        let norm = comparable_catalogue_label(label);
        Official {
            norm,
            base: without_note(norm),
        }
    }

    /// [`match_score`] of a normalised text given with its form without a note.
    pub(super) fn score(&self, found: &str, found_base: &str) -> u8 {
        score_with_bases(found, found_base, self.norm, self.base)
    }
}

/// A label path (outermost first) found for a row or a column.
pub(super) struct Path<'a> {
    /// Distinct texts from outermost to innermost.
    pub(super) parts: Vec<&'a str>,
}

impl Path<'_> {
    pub(super) fn leaf(&self) -> &str {
        self.parts.last().copied().unwrap_or("")
    }

    /// Score of this path naming `labels` (outermost first, the last is the leaf): the leaf must
    /// match; each ancestor found as its own part, or inside a flattened leaf, adds to the score.
    pub(super) fn score(&self, labels: &[Official]) -> Option<u32> {
        let (leaf, ancestors) = labels.split_last()?;
        let own = self.leaf();
        let leaf_score = leaf.score(own, without_note(own));
        if leaf_score == 0 {
            return None;
        }
        let inner = self.parts.len().saturating_sub(1);
        let found = ancestors
            .iter()
            .filter(|a| {
                self.parts[..inner].iter().any(|p| a.score(p, without_note(p)) >= 2)
                    || (leaf_score == 1 && own.contains(a.norm))
            })
            .count() as u32;
        Some(u32::from(leaf_score) * 100 + found)
    }
}

pub(super) fn push_part<'a>(parts: &mut Vec<&'a str>, text: &'a str) {
    if !text.is_empty() && parts.last() != Some(&text) {
        parts.push(text);
    }
}

/// The official form of each label of a path (normalised once per thread: no copy).
pub(super) fn comparable_path(labels: &[Label]) -> Vec<Official> {
    labels.iter().map(|l| Official::of(l.zh)).collect()
}

/// Picks, for each candidate position, the catalogue entry it names best; each entry is taken
/// once, by the first position that names it best. Ties go to the first entry not yet taken, in
/// catalogue order, so that repeated labels without group headers still map left to right.
pub(super) fn assign<K: Copy + PartialEq>(candidates: &[(u32, Vec<(K, u32)>)]) -> Vec<(u32, K)> {
    let mut taken: Vec<K> = Vec::new();
    let mut out = Vec::new();
    for (pos, scores) in candidates {
        let best = scores.iter().filter(|(k, _)| !taken.contains(k)).map(|(_, s)| *s).max();
        let Some(best) = best else { continue };
        if let Some((k, _)) = scores.iter().find(|(k, s)| *s == best && !taken.contains(k)) {
            taken.push(*k);
            out.push((*pos, *k));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::comparable_label;
    use xxgk_model::FormatVersion;

    /// The quick refusal never refuses a pair the full comparison would match: every official
    /// label of both versions against every other, and against texts made from them as
    /// departments write them (glossed, flattened under a group, without their note).
    #[test]
    fn the_quick_refusal_agrees_with_the_full_comparison() {
        let mut officials: Vec<String> = Vec::new();
        for v in [FormatVersion::V2019, FormatVersion::V2021] {
            for d in xxgk_model::catalogue::catalogue(v).cells() {
                for l in d.row_path.iter().chain(&d.column_path) {
                    officials.push(comparable_label(l.zh));
                }
            }
        }
        officials.sort();
        officials.dedup();
        let mut found: Vec<String> = officials.clone();
        for o in &officials {
            found.push(format!("{o}(注)"));
            found.push(format!("(二){o}"));
            found.push(format!("三、本年度办理结果{o}"));
            found.push(without_note(o).to_string());
            found.push(format!("{}(单位:万元)", without_note(o)));
        }
        let mut matched = 0;
        for f in &found {
            for o in &officials {
                let (fb, ob) = (without_note(f), without_note(o));
                let full = full_score(f, fb, o, ob);
                assert_eq!(score_with_bases(f, fb, o, ob), full, "{f} / {o}");
                matched += usize::from(full > 0);
            }
        }
        assert!(matched > officials.len(), "{matched}");
    }
}
