//! Without a terminal the dashboard refuses to start and points to `tierwise report`.

use std::process::{Command, Stdio};

use crate::common::{bin, stderr};

#[test]
fn refuses_to_start_without_a_tty() {
    let out = Command::new(bin())
        .arg("--demo")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TIERWISE_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run tierwise");
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("tierwise report"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", String::from_utf8_lossy(&out.stdout));
}
