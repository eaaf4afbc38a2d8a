//! Running `xxgk` the way a batch job does, under a memory cap and a time bound: each run must
//! end by itself with exit code 0, 1 or 2, within the bound, and without a panic.

#![allow(dead_code)] // each test file uses part of this

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address-space cap of each run, in bytes. A report needs a few MiB; reading a device or
/// following a loop without end needs all there is.
pub const MEMORY: u64 = 1536 << 20;
/// Wall-time bound of each run (a debug build on a shared 2-core machine).
pub const TIME: Duration = Duration::from_secs(60);

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// The cap and bound the issue sets for a hostile file in a release build (512 MB, 2 s); the
/// time allowed here is wider, for a debug build on a shared machine.
pub const SMALL_MEMORY: u64 = 512 << 20;
pub const SHORT_TIME: Duration = Duration::from_secs(10);

/// `xxgk` with `args` under [`MEMORY`] (with `prlimit` where it exists, `ulimit -v` otherwise).
pub fn command(args: &[&std::ffi::OsStr]) -> Command {
    command_capped(args, MEMORY)
}

/// `xxgk` with `args` under an address-space cap of `memory` bytes.
pub fn command_capped(args: &[&std::ffi::OsStr], memory: u64) -> Command {
    let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let mut cmd = match prlimit {
        Some(p) => {
            let mut c = Command::new(p);
            c.arg(format!("--as={memory}")).arg(env!("CARGO_BIN_EXE_xxgk"));
            c
        }
        None => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {} && exec \"$@\"", memory / 1024))
                .arg("sh")
                .arg(env!("CARGO_BIN_EXE_xxgk"));
            c
        }
    };
    cmd.args(args)
        // glibc reserves 64 MiB of address space per thread arena; keep that out of the cap.
        .env("MALLOC_ARENA_MAX", "2");
    cmd
}

/// Runs `cmd` to its end or kills it at `time`; asserts exit 0, 1 or 2 within the bound and no
/// panic.
pub fn run_bounded(mut cmd: Command, what: &str, time: Duration) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xxgk");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > time {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {time:?} (killed)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out_reader.join().expect("stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().expect("stderr")).into_owned(),
        elapsed,
    };
    assert!(
        matches!(run.code, 0..=2),
        "{what}: exit {status:?} (a crash or the memory cap): {}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}: panic: {}", run.stderr);
    eprintln!("{what}: exit {} in {:?}", run.code, run.elapsed);
    run
}

/// `xxgk args…` under [`SMALL_MEMORY`], killed at [`SHORT_TIME`].
pub fn xxgk<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    let os: Vec<&std::ffi::OsStr> = args.iter().map(AsRef::as_ref).collect();
    let what = os.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ");
    run_bounded(command_capped(&os, SMALL_MEMORY), &what, SHORT_TIME)
}

/// Makes a FIFO at `path` with `mkfifo`; `false` (and the reason printed) where there is none.
pub fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("skipped: cannot make a FIFO ({other:?})");
            false
        }
    }
}

/// A symbolic link at `link` to `target`.
pub fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).expect("symlink");
    #[cfg(not(unix))]
    panic!(
        "symbolic links are tested on unix only: {:?}",
        (target.as_ref(), link.as_ref())
    );
}

/// `xxgk args…` run plainly (no cap, no bound): its exit code, standard output and standard error.
pub fn run_plain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .output()
        .expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
