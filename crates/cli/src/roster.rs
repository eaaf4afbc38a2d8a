//! `aggregate --roster`: the terminal's account of who has reported, who has not, who twice,
//! which files match no unit and which names nearly match. The check itself is
//! `xxgk_model::roster::check_roster`; this only prints it.

use crate::printing::println;
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
    let zh = lang == Lang::Zh;
    let c = &check.counts;
    let headline = if zh {
        format!(
            "报送情况（名单 {}）：应报送 {} 个单位，已报送 {}（其中重复报送 {}），未报送 {}（其中名称相近 {}）；不在名单中的报告 {} 份",
            check.roster, c.units, c.reported, c.twice, c.missing, c.near_miss, c.unmatched_files
        )
    } else {
        format!(
            "Submissions (list {}): {} units must report; {} reported ({} twice), {} not reported ({} with a near name); {} reports match no unit",
            check.roster, c.units, c.reported, c.twice, c.missing, c.near_miss, c.unmatched_files
        )
    };
    println!("{}", paint(style::BOLD, headline));

    let missing: Vec<&UnitStatus> = check
        .units
        .iter()
        .filter(|u| matches!(u.state, UnitState::Missing | UnitState::NearMiss))
        .collect();
    if !missing.is_empty() {
        println!(
            "{}",
            if zh {
                format!("未报送的单位 {} 个：", missing.len())
            } else {
                format!("{} units have not reported:", missing.len())
            }
        );
        for u in missing.iter().take(SHOWN) {
            let mut notes = Vec::new();
            if u.state == UnitState::NearMiss {
                notes.push(if zh {
                    "有名称相近的报告，见下"
                } else {
                    "a report's name is close, see below"
                });
            }
            if u.reported_last_year == Some(true) {
                notes.push(if zh { "上年已报送" } else { "reported last year" });
            }
            let notes = if notes.is_empty() {
                String::new()
            } else if zh {
                format!("（{}）", notes.join("；"))
            } else {
                format!(" ({})", notes.join("; "))
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
            if zh {
                format!("上年报送、本年未报送的单位 {n} 个：{}", names.join("、"))
            } else {
                format!("{n} units reported last year and not this year: {}", names.join(", "))
            }
        );
    }
    let twice: Vec<&UnitStatus> = check.in_state(UnitState::Twice).collect();
    if !twice.is_empty() {
        println!(
            "{}",
            if zh {
                format!("重复报送的单位 {} 个：", twice.len())
            } else {
                format!("{} units reported twice:", twice.len())
            }
        );
        for u in twice.iter().take(SHOWN) {
            println!("  {} {}", paint(style::WARNING, "⚠"), unit_line(u, lang));
            for f in &u.files {
                let counted = match (f.counted, zh) {
                    (true, true) => "计入合计",
                    (true, false) => "summed",
                    (false, true) => "未计入合计",
                    (false, false) => "not summed",
                };
                println!("      {}（{counted}）", f.file);
            }
        }
        more(twice.len(), lang);
    }
    if !check.near_misses.is_empty() {
        println!(
            "{}",
            if zh {
                format!(
                    "名称相近、未自动对应 {} 处（请统一报告中的机关名称或名单中的单位名称）：",
                    check.near_misses.len()
                )
            } else {
                format!(
                    "{} near names, not matched (make the report's agency and the list's name agree):",
                    check.near_misses.len()
                )
            }
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
            if zh {
                format!("不在名单中的报告 {} 份：", plain.len())
            } else {
                format!("{} reports match no unit of the list:", plain.len())
            }
        );
        for f in plain.iter().take(SHOWN) {
            println!("  {} {} — {}", paint(style::DIM, "?"), f.agency, f.file);
        }
        more(plain.len(), lang);
    }
}
