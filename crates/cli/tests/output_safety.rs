//! Outputs never replace their inputs, and an interrupted run never leaves a half-written file
//! where the old one was.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn xxgk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
}

#[test]
fn an_output_equal_to_an_input_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("report.json");
    std::fs::copy(fixture("valid-2021.json"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    // The same file, also when named through another path.
    let other_name = dir.path().join(".").join("report.json");
    for (cmd, out) in [("convert", &input), ("aggregate", &other_name)] {
        let o = xxgk()
            .arg(cmd)
            .arg(&input)
            .arg("-o")
            .arg(out)
            .args(["--to", "json"])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("就是输入文件"), "{cmd}");
        assert_eq!(
            std::fs::read(&input).expect("read"),
            before,
            "{cmd} left the input alone"
        );
    }
}

#[test]
fn a_killed_run_leaves_the_old_output_or_a_whole_new_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("dir");
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    for i in 0..400 {
        let named = text.replace("示例市示例区人民政府办公室", &format!("第{i}部门"));
        std::fs::write(inputs.join(format!("r{i}.json")), named).expect("write");
    }
    let out = dir.path().join("汇总.json");
    let old = b"old output, complete\n".to_vec();
    for delay_ms in [5, 40, 120, 400] {
        std::fs::write(&out, &old).expect("old");
        let mut child = xxgk()
            .arg("aggregate")
            .arg(&inputs)
            .arg("-o")
            .arg(&out)
            .args(["--to", "json", "--quiet"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("the output path still holds a file");
        // Whenever the kill landed, the target is the old file or a complete new one, never a part.
        if now != old {
            let parsed: serde_json::Value = serde_json::from_slice(&now).expect("a complete JSON document");
            assert_eq!(parsed.as_array().map(Vec::len), Some(401), "400 reports and their sum");
        }
    }
}

/// A run of `xxgk args…`: exit code, standard output and standard error.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (Option<i32>, String, String) {
    let o = xxgk().args(args).output().expect("run");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn an_input_named_through_a_link_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("tmp");
    let real = dir.path().join("real.json");
    std::fs::copy(fixture("valid-2021.json"), &real).expect("copy");
    let before = std::fs::read(&real).expect("read");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let hard = dir.path().join("hard.json");
    std::fs::hard_link(&real, &hard).expect("hard link");
    // The input named through a link and the output the file itself, and the other way round;
    // a hard link; and an input folder that holds the output.
    for (input, output) in [
        (&link, &real),
        (&real, &link),
        (&hard, &real),
        (&dir.path().to_path_buf(), &hard),
    ] {
        let (code, _, err) = run(&[
            "convert".as_ref(),
            input.as_os_str(),
            "--to".as_ref(),
            "json".as_ref(),
            "-o".as_ref(),
            output.as_os_str(),
        ]);
        assert_eq!(code, Some(2), "{} -o {}: {err}", input.display(), output.display());
        assert!(err.contains("就是输入文件"), "{err}");
        assert_eq!(std::fs::read(&real).expect("read"), before);
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
    }
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_links_are_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tmp");
    let input = fixture("valid-2021.json");
    let convert = |out: &Path| {
        run(&[
            "convert".as_ref(),
            input.as_os_str(),
            "--to".as_ref(),
            "json".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
    };

    // /dev/null stays the device (a rename would replace it with a regular file, as root).
    let (code, _, err) = convert(Path::new("/dev/null"));
    assert_eq!(code, Some(0), "{err}");
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(null.file_type().is_char_device());
    // And through a link to it.
    let to_null = dir.path().join("null.json");
    std::os::unix::fs::symlink("/dev/null", &to_null).expect("symlink");
    assert_eq!(convert(&to_null).0, Some(0));
    assert!(
        std::fs::symlink_metadata(&to_null)
            .expect("link")
            .file_type()
            .is_symlink()
    );

    // A FIFO is written through to its reader and stays a FIFO.
    let fifo = dir.path().join("out.fifo");
    if Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo))
        };
        let (code, _, err) = convert(&fifo);
        assert_eq!(code, Some(0), "{err}");
        let got = reader.join().expect("reader").expect("read the FIFO");
        let json: serde_json::Value = serde_json::from_slice(&got).expect("the report as JSON");
        assert_eq!(json["meta"]["agency"], "示例市示例区人民政府办公室");
        assert!(std::fs::symlink_metadata(&fifo).expect("fifo").file_type().is_fifo());
    } else {
        eprintln!("skipped the FIFO case: no mkfifo");
    }

    // A link to a regular file stays a link; the file it leads to gets the output.
    let target = dir.path().join("target.json");
    std::fs::write(&target, b"old").expect("old");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("target.json", &link).expect("symlink");
    let (code, _, err) = convert(&link);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).expect("target")).expect("json");
    assert_eq!(json["meta"]["year"], 2023);

    // /dev/stderr leading to a regular file (as after `2>> log`): appended to, not replaced.
    let log = dir.path().join("log.txt");
    std::fs::write(&log, b"before\n").expect("log");
    let log_file = std::fs::OpenOptions::new().append(true).open(&log).expect("open log");
    let o = xxgk()
        .args(["convert", "--to", "json", "-o", "/dev/stderr"])
        .arg(&input)
        .stderr(log_file)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(logged.starts_with("before\n{"), "{logged:.40}");
    assert!(logged.contains("示例市示例区人民政府办公室"));

    // /dev/full: the write fails, exit 2 naming the output.
    let (code, _, err) = convert(Path::new("/dev/full"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/dev/full"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_output_that_cannot_be_written_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing_input = dir.path().join("no-such-input.json");
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink("nowhere/x.json", &dangling).expect("symlink");
    let cases: [(&Path, &str, &str); 3] = [
        (&dir.path().join("no-such-folder/out.xlsx"), "不存在", "does not exist"),
        (dir.path(), "文件夹", "folder"),
        (&dangling, "符号链接", "symbolic link"),
    ];
    for (out, zh, en) in cases {
        for (lang, needle) in [("zh", zh), ("en", en)] {
            for cmd in ["convert", "aggregate"] {
                let (code, _, err) = run(&[
                    "--lang".as_ref(),
                    lang.as_ref(),
                    cmd.as_ref(),
                    missing_input.as_os_str(),
                    "--to".as_ref(),
                    "json".as_ref(),
                    "-o".as_ref(),
                    out.as_os_str(),
                ]);
                assert_eq!(code, Some(2), "{cmd} -o {}: {err}", out.display());
                assert!(err.contains(needle), "{cmd}: {err}");
                assert!(err.contains(&out.display().to_string()), "names the output: {err}");
                // Refused before reading: the missing input is not even mentioned.
                assert!(!err.contains("no-such-input"), "{cmd}: {err}");
                assert!(!err.contains(".xxgk-"), "names a temporary file: {err}");
            }
            let (code, _, err) = run(&[
                "--lang".as_ref(),
                lang.as_ref(),
                "template".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ]);
            assert_eq!(code, Some(2), "template: {err}");
            assert!(err.contains(needle), "template: {err}");
        }
    }
}

#[test]
fn operating_system_errors_are_described_in_the_users_language() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("不存在.xlsx");
    let (code, out, err) = run(&["validate".as_ref(), missing.as_os_str()]);
    assert_eq!(code, Some(2));
    let said = format!("{out}{err}");
    // The cause in Chinese, the system's own words kept as detail.
    assert!(said.contains("找不到该文件或文件夹（"), "{said}");
    assert!(said.contains("os error 2"), "{said}");
    let (code, out, err) = run(&[
        "validate".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    let said = format!("{out}{err}");
    assert!(said.contains("No such file or directory"), "{said}");
    assert!(!said.contains("找不到"), "{said}");
    // Standard output that cannot be written: the full disk named in Chinese.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let o = xxgk()
            .args(["validate"])
            .arg(fixture("example-2021.xlsx"))
            .stdout(full)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("磁盘空间已满"), "{err}");
    }
}
