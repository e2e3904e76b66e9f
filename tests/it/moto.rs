//! A real AWS-compatible endpoint for the collector tests: a moto server on 127.0.0.1,
//! installed with pip when missing (`pip install 'moto[server]'`) and started on a free
//! port, one per test, stopped when the handle drops.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> &'static str {
    if Command::new("python3").arg("--version").output().is_ok() { "python3" } else { "python" }
}

/// Make sure `moto.server` can be imported, installing it once per test run.
fn ensure_installed() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let has = |py: &str| {
            Command::new(py)
                .args(["-c", "import moto.server, flask, flask_cors"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if has(python()) {
            return;
        }
        eprintln!("tests: installing moto[server] with pip (needed for the AWS-compatible collector tests)");
        let status = Command::new(python())
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "moto[server]>=5.1,<5.3"])
            .status()
            .expect("run pip");
        assert!(status.success() && has(python()), "could not install moto[server] with pip");
    });
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Start a fresh moto server and wait until it answers.
pub fn start() -> Moto {
    ensure_installed();
    let port = free_port();
    let child = Command::new(python())
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto server");
    let moto = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto server did not start on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

/// Environment for a tierwise process pointed at `endpoint` with moto's fake credentials.
pub fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "AKIATESTTESTTEST".into()),
        ("AWS_SECRET_ACCESS_KEY", "tierwise-test-secret-do-not-print".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONFIG_FILE", "/nonexistent/tierwise-test".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/tierwise-test".into()),
        // A cache per endpoint, so tests running at once never share Cost Explorer months;
        // under the target directory, so runs do not pile up in /tmp.
        (
            "XDG_CACHE_HOME",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("tierwise-cache-{}", endpoint.replace([':', '/', '.'], "_")))
                .display()
                .to_string(),
        ),
    ]
}
