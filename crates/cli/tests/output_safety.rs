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
