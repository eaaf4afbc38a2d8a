//! `cargo xtask web`: builds the page's WebAssembly (`crates/web`, profile `wasm-release`: small
//! and whole-program optimised) and binds it with `wasm-bindgen --target web` into `web/pkg/`
//! (generated, not committed). The `wasm-bindgen` command must be the version the crate pins.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// The target the page's code is built for.
const TARGET: &str = "wasm32-unknown-unknown";

pub fn run(root: &Path) -> Result<()> {
    let pinned = pinned_version(root)?;
    let found = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .context("wasm-bindgen not found; install it with `cargo install wasm-bindgen-cli --version =VERSION --locked` (the version crates/web/Cargo.toml pins)")?;
    let found = String::from_utf8_lossy(&found.stdout).trim().to_string();
    if found.split_whitespace().nth(1) != Some(pinned.as_str()) {
        bail!(
            "wasm-bindgen is {found}, the crate pins {pinned}: run `cargo install wasm-bindgen-cli --version ={pinned} --locked`"
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "-p",
            "xxgk-web",
            "--target",
            TARGET,
            "--profile",
            "wasm-release",
        ])
        .status()
        .context("cargo build")?;
    if !status.success() {
        bail!("building the WebAssembly failed");
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    let wasm = target_dir.join(TARGET).join("wasm-release").join("xxgk_web.wasm");
    let out = root.join("web").join("pkg");
    let status = Command::new("wasm-bindgen")
        .arg("--target")
        .arg("web")
        .arg("--no-typescript")
        .arg("--out-dir")
        .arg(&out)
        .arg(&wasm)
        .status()
        .context("wasm-bindgen")?;
    if !status.success() {
        bail!("wasm-bindgen failed");
    }
    let size = std::fs::metadata(out.join("xxgk_web_bg.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("web/pkg/xxgk_web_bg.wasm: {size} bytes");
    Ok(())
}

/// The version `crates/web/Cargo.toml` pins wasm-bindgen to (`wasm-bindgen = "=X"`).
fn pinned_version(root: &Path) -> Result<String> {
    let manifest = std::fs::read_to_string(root.join("crates/web/Cargo.toml")).context("crates/web/Cargo.toml")?;
    manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
        .context("crates/web/Cargo.toml pins no wasm-bindgen version (wasm-bindgen = \"=X\")")
}
