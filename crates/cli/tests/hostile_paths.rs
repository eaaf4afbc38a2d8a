//! Hostile folders and files that are not files: symbolic-link loops, FIFOs and devices in a
//! batch folder, and devices named directly. Each run ends by itself, under 512 MB of address
//! space and within a short bound (`common::xxgk`), reads each real file once and lists what it
//! skipped and why.
#![cfg(unix)]

mod common;

use common::{fixture, mkfifo, symlink, xxgk};
use std::path::Path;

/// A batch folder of two valid reports (one in a subfolder).
fn batch(root: &Path) -> std::path::PathBuf {
    let batch = root.join("batch");
    std::fs::create_dir_all(batch.join("sub")).expect("dirs");
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    std::fs::write(batch.join("a.json"), text.replace("示例市示例区人民政府办公室", "甲局")).expect("a");
    std::fs::write(
        batch.join("sub/b.json"),
        text.replace("示例市示例区人民政府办公室", "乙局"),
    )
    .expect("b");
    batch
}

/// How many reports the human output shows as passed (all reports here are valid).
fn checked(stdout: &str) -> usize {
    stdout.matches('✔').count()
}

/// `aggregate` over the batch ends, reads its two reports and writes the sum.
fn assert_aggregates_two(batch: &Path, out: &Path) {
    let mut args: Vec<&std::ffi::OsStr> = ["aggregate", "--to", "json", "--json", "-o"]
        .into_iter()
        .map(std::ffi::OsStr::new)
        .collect();
    args.extend([out.as_os_str(), batch.as_os_str()]);
    let r = xxgk(&args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(json["summary"]["reports"], 2, "{}", r.stdout);
    assert!(out.is_file());
}

#[test]
fn symbolic_link_loops_end_and_each_file_is_read_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let batch = batch(dir.path());
    // Two loops (which multiply: self/self2/self/…), a link back up, and a second name of a file.
    symlink(".", batch.join("self"));
    symlink(".", batch.join("self2"));
    symlink("..", batch.join("sub/up"));
    symlink("a.json", batch.join("alias.json"));
    let r = xxgk(&[std::ffi::OsStr::new("validate"), batch.as_os_str()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(checked(&r.stdout), 2, "each real file once: {}", r.stdout);
    assert_eq!(r.stdout.matches("甲局").count(), 1, "{}", r.stdout);
    // What was skipped is listed, each with its reason.
    for skipped in ["self：", "self2：", "up：", "alias.json："] {
        assert!(r.stderr.contains(skipped), "{skipped} not listed: {}", r.stderr);
    }
    assert!(r.stderr.contains("符号链接"), "{}", r.stderr);
    assert!(r.stderr.contains("同一个文件"), "{}", r.stderr);

    // A pattern with `**` walks the same way; and aggregate over the folder sums two reports.
    let pattern = format!("{}/**/*.json", batch.display());
    let r = xxgk(&["validate", pattern.as_str()]);
    assert_eq!((r.code, checked(&r.stdout)), (0, 2), "{}{}", r.stdout, r.stderr);
    assert_aggregates_two(&batch, &dir.path().join("sum.json"));
}

#[test]
fn fifos_and_devices_in_a_folder_are_skipped_and_listed() {
    let dir = tempfile::tempdir().expect("tmp");
    let batch = batch(dir.path());
    // A FIFO nobody writes to (reading it would block for ever), a link to /dev/zero (which
    // never ends, and whose size says 0), and a link to /dev/null.
    let have_fifo = mkfifo(&batch.join("pipe.json"));
    symlink("/dev/zero", batch.join("zero.xlsx"));
    symlink("/dev/null", batch.join("null.csv"));
    for cmd in [&["validate"][..], &["--lang", "en", "validate"][..]] {
        let mut args: Vec<&std::ffi::OsStr> = cmd.iter().map(std::ffi::OsStr::new).collect();
        args.push(batch.as_os_str());
        let r = xxgk(&args);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(checked(&r.stdout), 2, "{}", r.stdout);
        let en = cmd.contains(&"en");
        for (name, zh, english) in [
            ("zero.xlsx", "设备", "device"),
            ("null.csv", "设备", "device"),
            ("pipe.json", "命名管道", "FIFO"),
        ] {
            if name == "pipe.json" && !have_fifo {
                continue;
            }
            let line = r
                .stderr
                .lines()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("{name} not listed: {}", r.stderr));
            assert!(line.contains(if en { english } else { zh }), "{line}");
        }
    }
    // aggregate ends too, with the two reports.
    assert_aggregates_two(&batch, &dir.path().join("sum.json"));
}

#[test]
fn a_device_named_directly_is_read_only_up_to_the_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("zero.json");
    symlink("/dev/zero", &link);
    // /dev/zero says its size is 0 and never ends: the read stops one byte past the limit.
    for (path, limit) in [(Path::new("/dev/zero"), "1000000"), (link.as_path(), "1000000")] {
        let r = xxgk(&[
            std::ffi::OsStr::new("validate"),
            std::ffi::OsStr::new("--max-input-bytes"),
            std::ffi::OsStr::new(limit),
            path.as_os_str(),
        ]);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("--max-input-bytes"), "{}", r.stdout);
        assert!(r.stdout.contains(&path.display().to_string()), "{}", r.stdout);
    }
    // With the default limit (64 MiB) as well, within the memory cap.
    let r = xxgk(&["validate", "/dev/zero"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("--max-input-bytes"), "{}", r.stdout);
    // convert stops there too, and writes nothing.
    let r = xxgk(&[
        std::ffi::OsStr::new("convert"),
        dir.path().join("zero.json").as_os_str(),
        std::ffi::OsStr::new("--max-input-bytes"),
        std::ffi::OsStr::new("1000"),
        std::ffi::OsStr::new("-o"),
        dir.path().join("out.json").as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn a_pipe_named_directly_is_read() {
    // `xxgk validate <(…)`: a pipe named on the command line is read to its end.
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("in.json");
    if !mkfifo(&fifo) {
        return;
    }
    let text = std::fs::read(fixture("valid-2021.json")).expect("fixture");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, text))
    };
    let r = xxgk(&[std::ffi::OsStr::new("validate"), fifo.as_os_str()]);
    writer.join().expect("writer").expect("write the pipe");
    assert_eq!((r.code, checked(&r.stdout)), (0, 1), "{}{}", r.stdout, r.stderr);
}
