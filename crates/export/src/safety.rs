//! Text from a report that goes into a spreadsheet or CSV must never become a formula.

/// Whether a spreadsheet would read `text` as a formula (it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` made safe for a CSV cell opened in Excel or WPS: a leading `'` is added where it would
/// start a formula (the OWASP recommendation). CSV importers remove it again with [`unguard_csv`].
pub fn guard_csv(text: &str) -> String {
    // Text that already starts with `'` is guarded too, so that unguarding is exact.
    if looks_like_formula(text) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes [`guard_csv`].
pub fn unguard_csv(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_and_restored() {
        for t in ["=SUM(A1)", "+1", "-", "@x", "—", "普通文字", "'=x"] {
            assert_eq!(unguard_csv(&guard_csv(t)), t);
        }
        assert_eq!(guard_csv("=1+1"), "'=1+1");
        assert_eq!(guard_csv("—"), "—");
    }
}
