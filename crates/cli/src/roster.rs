//! `aggregate --roster`: the terminal's account of who has reported, who has not, who twice,
//! which files match no unit and which names nearly match. The check itself is
//! `xxgk_model::roster::check_roster`; this only prints it.

use crate::printing::{println, say};
use crate::style::{self, paint};
use xxgk_model::Lang;
use xxgk_model::roster::{RosterCheck, UnitState, UnitStatus};

/// Lines shown per list before “……另有 N 个”.
const SHOWN: usize = 50;

fn unit_line(u: &UnitStatus, lang: Lang) -> String {
    let mut s = u.unit.name.clone();
    if let Some(c) = &u.unit.code {
        s.push_str(&format!("（{c}）"));
    }
    if let Some(p) = u.unit.place.as_ref().map(|p| p.display(lang)).filter(|p| !p.is_empty()) {
        s.push_str(&match lang {
            Lang::Zh => format!("  名单 {p}"),
            Lang::En => format!("  list {p}"),
        });
    }
    s
}

fn more(n: usize, lang: Lang) {
    if n > SHOWN {
        println!(
            "  {}",
            match lang {
                Lang::Zh => format!("……另有 {} 个，见输出文件的“报送情况”或 --json", n - SHOWN),
                Lang::En => format!("… {} more; see the Submissions sheet or --json", n - SHOWN),
            }
        );
    }
}

/// Prints the roster check: the counts, then each list that needs the officer.
pub fn print(check: &RosterCheck, lang: Lang) {
    let c = &check.counts;
    let headline = say!(
        lang,
        "报送情况（名单 {}）：应报送 {} 个单位，已报送 {}（其中重复报送 {}），未报送 {}（其中名称相近 {}）；不在名单中的报告 {} 份",
        "Submissions (list {}): {} units must report; {} reported ({} twice), {} not reported ({} with a near name); {} reports match no unit",
        check.roster,
        c.units,
        c.reported,
        c.twice,
        c.missing,
        c.near_miss,
        c.unmatched_files
    );
    println!("{}", paint(style::BOLD, headline));

    let missing: Vec<&UnitStatus> = check
        .units
        .iter()
        .filter(|u| matches!(u.state, UnitState::Missing | UnitState::NearMiss))
        .collect();
    if !missing.is_empty() {
        println!(
            "{}",
            say!(
                lang,
                "未报送的单位 {} 个：",
                "{} units have not reported:",
                missing.len()
            )
        );
        for u in missing.iter().take(SHOWN) {
            let mut notes = Vec::new();
            if u.state == UnitState::NearMiss {
                notes.push(say!(
                    lang,
                    "有名称相近的报告，见下",
                    "a report's name is close, see below"
                ));
            }
            if u.reported_last_year == Some(true) {
                notes.push(say!(lang, "上年已报送", "reported last year"));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                say!(lang, "（{}）", " ({})", notes.join(say!(lang, "；", "; ").as_str()))
            };
            println!("  {} {}{notes}", paint(style::ERROR, "✘"), unit_line(u, lang));
        }
        more(missing.len(), lang);
    }
    if let Some(n) = c.not_this_year
        && n > 0
    {
        let names: Vec<&str> = check
            .not_this_year()
            .map(|u| u.unit.name.as_str())
            .take(SHOWN)
            .collect();
        println!(
            "{}",
            say!(
                lang,
                "上年报送、本年未报送的单位 {n} 个：{}",
                "{n} units reported last year and not this year: {}",
                names.join(say!(lang, "、", ", ").as_str())
            )
        );
    }
    let twice: Vec<&UnitStatus> = check.in_state(UnitState::Twice).collect();
    if !twice.is_empty() {
        println!(
            "{}",
            say!(lang, "重复报送的单位 {} 个：", "{} units reported twice:", twice.len())
        );
        for u in twice.iter().take(SHOWN) {
            println!("  {} {}", paint(style::WARNING, "⚠"), unit_line(u, lang));
            for f in &u.files {
                let counted = if f.counted {
                    say!(lang, "计入合计", "summed")
                } else {
                    say!(lang, "未计入合计", "not summed")
                };
                println!("      {}（{counted}）", f.file);
            }
        }
        more(twice.len(), lang);
    }
    if !check.near_misses.is_empty() {
        println!(
            "{}",
            say!(
                lang,
                "名称相近、未自动对应 {} 处（请统一报告中的机关名称或名单中的单位名称）：",
                "{} near names, not matched (make the report's agency and the list's name agree):",
                check.near_misses.len()
            )
        );
        for n in check.near_misses.iter().take(SHOWN) {
            println!("  {} {}: {}", paint(style::WARNING, "≈"), n.file, n.message.get(lang));
        }
        more(check.near_misses.len(), lang);
    }
    let plain: Vec<_> = check.unmatched_files.iter().filter(|f| !f.near_miss).collect();
    if !plain.is_empty() {
        println!(
            "{}",
            say!(
                lang,
                "不在名单中的报告 {} 份：",
                "{} reports match no unit of the list:",
                plain.len()
            )
        );
        for f in plain.iter().take(SHOWN) {
            println!("  {} {} — {}", paint(style::DIM, "?"), f.agency, f.file);
        }
        more(plain.len(), lang);
    }
}
