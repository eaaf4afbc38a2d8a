//! What xxgk prints: never a panic when standard output fails, a quiet end when its reader
//! goes away, and no control sequence from a report's text ever reaching the terminal.
#![cfg(unix)]

mod common;

use common::fixture;
use std::io::Read;
use std::process::{Command, Stdio};

fn xxgk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
}

/// Runs `xxgk args…` with standard output on /dev/full.
fn to_full(args: &[&str]) -> (Option<i32>, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let o = xxgk()
        .args(args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn a_full_disk_on_standard_output_is_exit_2_with_a_message() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let valid = fixture("valid-2021.json");
    let valid = valid.to_str().expect("path");
    let dir = tempfile::tempdir().expect("tmp");
    let sum = dir.path().join("sum.json");
    let sum = sum.to_str().expect("path");
    let commands: [&[&str]; 10] = [
        &["convert", valid, "--to", "json", "-o", "-"],
        &["convert", valid, "--to", "xlsx", "-o", "/dev/stdout"],
        &["validate", valid],
        &["validate", "--json", valid],
        &["rules"],
        &["rules", "--json"],
        &["exporters"],
        &["exporters", "--json"],
        &["aggregate", valid, "--to", "json", "-o", sum],
        &["aggregate", valid, "--to", "json", "--json", "-o", sum],
    ];
    for args in commands {
        let (code, err) = to_full(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.contains("无法写出到标准输出"), "{args:?}: {err}");
        let mut en = vec!["--lang", "en"];
        en.extend_from_slice(args);
        let (code, err) = to_full(&en);
        assert_eq!(code, Some(2), "{en:?}: {err}");
        assert!(err.contains("cannot write to standard output"), "{en:?}: {err}");
    }
    // `--help` has nothing to say on stderr, but does not claim success either.
    assert_eq!(to_full(&["--help"]).0, Some(2));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Enough output that the pipe fills: 300 reports, every check listed.
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("r{i:03}.json")), &text).expect("write");
    }
    for json in [false, true] {
        let mut cmd = xxgk();
        cmd.arg("validate").arg("--all").arg(dir.path());
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Read a little, as `head` does, and close the pipe.
        let mut first = [0u8; 100];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        let o = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.is_empty(), "json {json}: said something: {err}");
    }
}

/// Characters no terminal must receive from a report: ESC, BEL, C1 controls, bidi overrides.
fn assert_no_control(text: &str, what: &str) {
    // The only escape sequences left are colours, `ESC [ digits ; … m`.
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let seq = &rest[at + 1..];
        let end = seq.find('m').expect("an escape sequence that is not a colour");
        assert!(
            seq.starts_with('[') && seq[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "{what}: escape sequence {:?}",
            &seq[..end.min(20)]
        );
        rest = &seq[end..];
    }
    for c in ['\u{7}', '\u{9b}', '\u{9d}', '\u{202e}', '\u{2066}', '\r', '\u{8}'] {
        assert!(!text.contains(c), "{what}: {c:?} reached the terminal: {text:?}");
    }
}

#[test]
fn report_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    // An agency name that sets the window title, clears the screen, moves the cursor and
    // reverses text; in a failing report (so that aggregate lists it too) in a file whose own
    // name holds an escape sequence.
    let agency = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[H示例\u{9b}31m局\u{202e}txt.exe\r\u{8}";
    let text = std::fs::read_to_string(fixture("broken/DOC-SECTIONS.json")).expect("fixture");
    let original: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut report = original.clone();
    report["meta"]["agency"] = serde_json::Value::String(agency.to_string());
    let file = dir.path().join("evil\u{1b}[2J.json");
    std::fs::write(&file, serde_json::to_vec(&report).expect("json")).expect("write");
    let sum = dir.path().join("sum.xlsx");
    for args in [
        vec!["validate".into(), file.clone().into_os_string()],
        vec![
            "--lang".into(),
            "en".into(),
            "validate".into(),
            "--all".into(),
            file.clone().into_os_string(),
        ],
        vec![
            "aggregate".into(),
            file.clone().into_os_string(),
            "-q".into(),
            "-o".into(),
            sum.clone().into_os_string(),
        ],
    ] {
        // Colours forced on, as on a terminal.
        let o = xxgk().args(&args).env("CLICOLOR_FORCE", "1").output().expect("run");
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {out}{err}");
        assert!(out.contains("\u{1b}["), "colours are on: {out:?}");
        assert_no_control(&out, "stdout");
        assert_no_control(&err, "stderr");
        // The text is shown, escaped, not dropped.
        assert!(out.contains("\\u001b]0;owned\\u0007"), "{out}");
        assert!(out.contains("\\u202etxt.exe"), "{out}");
    }
    // Errors on standard error are filtered too: a damaged file whose name sets the title.
    let bad = dir.path().join("bad\u{1b}]0;owned\u{7}.json");
    std::fs::write(&bad, b"{ not json").expect("write");
    let o = xxgk()
        .arg("convert")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("out.json"))
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("bad\\u001b]0;owned\\u0007.json"), "{err}");
    assert_no_control(&err, "convert's stderr");
    // --json keeps the exact text (escaped the JSON way).
    let o = xxgk().arg("validate").arg("--json").arg(&file).output().expect("run");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_no_control(&out, "--json");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["files"][0]["reports"][0]["agency"], agency);
    assert_eq!(json["files"][0]["file"], file.display().to_string());
}

/// The highest resident set size of a run, in KiB, read from /proc while it runs (the kernel's
/// high-water mark, so the last reading before the end is the peak up to then).
fn peak_rss_kib(mut cmd: Command) -> Option<(Option<i32>, u64)> {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return peak.map(|p| (status.code(), p));
        }
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = Some(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn validate_memory_does_not_grow_with_the_batch() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc to read the peak memory from");
        return;
    }
    // One JSON array of 300 tiny reports (every check of each is a finding: about 250 KB of
    // findings a report, 75 MB for all of them when they were kept to the end).
    let dir = tempfile::tempdir().expect("tmp");
    let many = dir.path().join("many.json");
    let reports: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"meta":{{"agency":"a{i}","year":2023,"format":"2021"}},"cells":{{}}}}"#))
        .collect();
    std::fs::write(&many, format!("[{}]", reports.join(","))).expect("write");
    for json in [false, true] {
        let mut cmd = xxgk();
        cmd.arg("validate").arg(&many);
        if json {
            cmd.arg("--json");
        }
        let (code, kib) = peak_rss_kib(cmd).expect("a reading of /proc");
        assert_eq!(code, Some(1), "json {json}");
        eprintln!("validate (json {json}) of 300 reports: peak {kib} KiB");
        assert!(kib < 48 * 1024, "json {json}: peak {kib} KiB");
    }
}

/// Runs a shell command line on a pseudo-terminal (`script`), as a user at a terminal would;
/// `None` where there is no util-linux `script`.
fn on_terminal(command_line: &str) -> Option<(Option<i32>, String)> {
    if !cfg!(target_os = "linux") || !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no util-linux script to make a terminal");
        return None;
    }
    let o = Command::new("/usr/bin/script")
        .args(["-qec", command_line, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("script");
    // The terminal turns each line feed into CR LF.
    Some((
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n"),
    ))
}

#[test]
fn an_export_to_a_terminal_is_filtered_or_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    let evil = dir.path().join("evil.json");
    std::fs::write(
        &evil,
        text.replace("示例市示例区人民政府办公室", "\\u001b]0;owned\\u0007\\u001b[2J局"),
    )
    .expect("write");
    let bin = env!("CARGO_BIN_EXE_xxgk");
    let quote = |p: &std::path::Path| format!("'{}'", p.display());
    // Text (CSV, JSON) is shown with the escapes written out.
    for to in ["csv", "json"] {
        let Some((code, out)) = on_terminal(&format!("{bin} convert {} --to {to} -o -", quote(&evil))) else {
            return;
        };
        assert_eq!(code, Some(0), "{to}: {out}");
        assert_no_control(&out, to);
        assert!(out.contains("\\u001b]0;owned"), "{to}: {out:.300}");
    }
    // A workbook is binary: refused on a terminal, exit 2, and nothing of it shown.
    let Some((code, out)) = on_terminal(&format!("{bin} convert {} --to xlsx -o -", quote(&evil))) else {
        return;
    };
    assert_eq!(code, Some(2), "{out:.300}");
    assert!(out.contains("二进制"), "{out:.300}");
    assert!(!out.contains("PK\u{3}\u{4}"), "{out:.300}");
    // Redirected to a file, the export is exact.
    let out = Command::new(bin)
        .args(["convert", "--to", "json", "-o", "-"])
        .arg(&evil)
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["meta"]["agency"], "\u{1b}]0;owned\u{7}\u{1b}[2J局");
}
