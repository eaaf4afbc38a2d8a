//! A table the reader could not read is not a table the report left empty. When the reader
//! names cells of a table as unread (an `IMPORT-…` error: values in an order that cannot be
//! settled, a row whose values do not fit, a table not found), the rule that says the table holds
//! no data at all (DOC-TABLES) is about the reading, not the report: its failure becomes *not
//! assessable* and says why.

use xxgk_model::{Finding, Status, TableId, Text};

/// Turns DOC-TABLES failures on tables the reader left (partly) unread into not-assessable
/// findings. `import` are the reader's findings, `rules` the rules'.
pub(crate) fn reading_not_blamed(import: &[Finding], rules: &mut [Finding]) {
    let unread = |t: TableId| {
        import.iter().any(|f| {
            f.rule.starts_with("IMPORT-")
                && f.status == Status::Fail
                && f.severity == xxgk_model::Severity::Error
                && (f.table == Some(t) || f.cells.iter().any(|c| c.table() == t))
        })
    };
    for f in rules.iter_mut() {
        let Some(t) = f.table else { continue };
        if f.rule == "DOC-TABLES" && f.status == Status::Fail && unread(t) {
            f.status = Status::NotAssessable;
            f.message = xxgk_model::Message::Text(Text::new(
                format!(
                    "{}的数值未能读取（见导入提示），无法判断报告是否填写了该表",
                    t.name(xxgk_model::Lang::Zh)
                ),
                format!(
                    "the values of {} could not be read (see the import findings); whether the report fills it in cannot be told",
                    t.name(xxgk_model::Lang::En)
                ),
            ));
        }
    }
}
