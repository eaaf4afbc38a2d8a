//! Ctrl-C: a real SIGINT sent to `xxgk aggregate` while it reads a batch, and again while it
//! writes its output, ends the run with exit code 130 and “已中断”, and leaves no file behind —
//! neither a partial output nor a temporary one.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A folder of `n` reports (the valid report under `n` agency names).
fn batch(dir: &Path, n: usize) {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid-2021.json");
    let mut r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).expect("fixture")).expect("json");
    std::fs::create_dir_all(dir).expect("dir");
    for i in 0..n {
        r["meta"]["agency"] = format!("某区第{i}局").into();
        std::fs::write(dir.join(format!("{i:04}.json")), r.to_string()).expect("write");
    }
}

fn start(input: &Path, output: &Path, lang: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["--lang", lang, "aggregate"])
        .arg(input)
        .args(["-j", "1", "-o"])
        .arg(output)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

fn sigint(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "the process had already ended");
}

/// The files in `dir`, but the input folder.
fn left_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "in")
        .collect()
}

#[test]
fn ctrl_c_while_reading_ends_with_130_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    batch(&input, 400);
    let out = dir.path().join("汇总.xlsx");
    let child = start(&input, &out, "zh");
    std::thread::sleep(Duration::from_millis(300));
    sigint(&child);
    let done = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert_eq!(stderr.lines().last(), Some("已中断"), "{stderr}");
    assert!(done.stdout.is_empty(), "no summary of a run that did not finish");
    assert_eq!(left_in(dir.path()), Vec::<String>::new());
}

#[test]
fn ctrl_c_while_writing_removes_the_temporary_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    batch(&input, 300);
    let out = dir.path().join("stats.xlsx");
    let mut child = start(&input, &out, "en");
    // The temporary output appears beside the target when writing starts.
    let begun = Instant::now();
    loop {
        if left_in(dir.path()).iter().any(|n| n.starts_with(".xxgk-")) {
            break;
        }
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("finished ({status}) before its output was being written");
        }
        assert!(begun.elapsed() < Duration::from_secs(120), "no output begun");
        std::thread::sleep(Duration::from_millis(2));
    }
    sigint(&child);
    let done = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert_eq!(stderr.lines().last(), Some("interrupted"), "{stderr}");
    assert_eq!(
        left_in(dir.path()),
        Vec::<String>::new(),
        "neither the output nor its temporary file"
    );
}
