//! A fault-injecting HTTP proxy in front of moto: it recognises each AWS request
//! (service, operation, region from the SigV4 scope) and either forwards it or answers
//! with a fault — throttling, a 500, an access-denied, or a dropped connection — so
//! the collectors' retries and failure reporting are tested end to end.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    /// Signing service: ec2, monitoring (CloudWatch), dynamodb, s3, ce, sts.
    pub service: String,
    pub operation: String,
    pub region: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    Forward,
    /// HTTP 400 with a throttling error code the SDK retries.
    Throttle,
    /// HTTP 500 InternalError.
    ServerError,
    /// HTTP 403 with an access-denied code (not retried).
    AccessDenied,
    /// Close the connection without answering (a service that is down).
    Drop,
}

type Policy = dyn Fn(&Request, u32) -> Fault + Send + Sync;

pub struct FaultProxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
    /// Requests seen per (service, operation, region), faults included.
    pub seen: Arc<Mutex<HashMap<Request, u32>>>,
}

impl FaultProxy {
    /// `policy(request, nth)` decides; `nth` counts that request kind from 1.
    pub fn start(upstream: u16, policy: impl Fn(&Request, u32) -> Fault + Send + Sync + 'static) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let seen: Arc<Mutex<HashMap<Request, u32>>> = Arc::default();
        let policy: Arc<Policy> = Arc::new(policy);
        let (stop2, seen2) = (stop.clone(), seen.clone());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (seen, policy) = (seen2.clone(), policy.clone());
                        std::thread::spawn(move || {
                            let _ = handle(stream, upstream, &seen, policy.as_ref());
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FaultProxy { port, stop, seen }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn count(&self, service: &str, operation: &str) -> u32 {
        let seen = self.seen.lock().expect("lock");
        seen.iter().filter(|(r, _)| r.service == service && r.operation == operation).map(|(_, n)| n).sum()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn handle(
    client: TcpStream,
    upstream: u16,
    seen: &Mutex<HashMap<Request, u32>>,
    policy: &Policy,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut content_length = 0usize;
    let mut headers: HashMap<String, String> = HashMap::new();
    let mut request_line = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if request_line.is_empty() {
            request_line = line.clone();
        } else if let Some((k, v)) = line.split_once(':') {
            let key = k.trim().to_ascii_lowercase();
            if key == "content-length" {
                content_length = v.trim().parse().unwrap_or(0);
            }
            if key == "connection" {
                continue; // replaced below
            }
            headers.insert(key, v.trim().to_string());
        }
        if line == "\r\n" {
            head.extend_from_slice(b"Connection: close\r\n\r\n");
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let request = classify(&request_line, &headers, &body);
    let nth = {
        let mut seen = seen.lock().expect("lock");
        let n = seen.entry(request.clone()).or_insert(0);
        *n += 1;
        *n
    };
    let mut client = client;
    match policy(&request, nth) {
        Fault::Forward => {
            let mut up = TcpStream::connect(("127.0.0.1", upstream))?;
            up.write_all(&head)?;
            up.write_all(&body)?;
            let mut response = Vec::new();
            up.read_to_end(&mut response)?;
            client.write_all(&response)?;
        }
        Fault::Drop => {}
        Fault::Throttle => {
            let code = match request.service.as_str() {
                "ec2" => "RequestLimitExceeded",
                "dynamodb" | "ce" => "ThrottlingException",
                _ => "Throttling",
            };
            respond(&mut client, &request, 400, code, "Rate exceeded")?
        }
        Fault::ServerError => respond(&mut client, &request, 500, "InternalError", "We encountered an internal error")?,
        Fault::AccessDenied => {
            let code = if request.service == "ec2" { "UnauthorizedOperation" } else { "AccessDeniedException" };
            respond(&mut client, &request, 403, code, "You are not authorized to perform this operation")?
        }
    }
    client.flush()
}

/// An error body in the service's protocol (XML for query/REST-XML, JSON otherwise).
fn respond(client: &mut TcpStream, r: &Request, status: u16, code: &str, message: &str) -> std::io::Result<()> {
    let (content_type, body) = match r.service.as_str() {
        "dynamodb" | "ce" => {
            ("application/x-amz-json-1.1", format!("{{\"__type\":\"com.amazonaws#{code}\",\"message\":\"{message}\"}}"))
        }
        "ec2" => (
            "text/xml",
            format!(
                "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>x</RequestID></Response>"
            ),
        ),
        "s3" => ("application/xml", format!("<Error><Code>{code}</Code><Message>{message}</Message></Error>")),
        _ => (
            "text/xml",
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
            ),
        ),
    };
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        _ => "Internal Server Error",
    };
    let header = if matches!(r.service.as_str(), "dynamodb" | "ce") {
        format!("x-amzn-ErrorType: {code}\r\n")
    } else {
        String::new()
    };
    write!(
        client,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n{header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn classify(request_line: &str, headers: &HashMap<String, String>, body: &[u8]) -> Request {
    // Credential=AKID/20261126/us-east-1/ec2/aws4_request
    let scope: Vec<&str> = headers
        .get("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .map(|c| c.split(',').next().unwrap_or_default().split('/').collect())
        .unwrap_or_default();
    let region = scope.get(2).copied().unwrap_or_default().to_string();
    let service = scope.get(3).copied().unwrap_or_default().to_string();
    let operation = if let Some(target) = headers.get("x-amz-target") {
        target.rsplit('.').next().unwrap_or_default().to_string()
    } else if let Some(action) =
        String::from_utf8_lossy(body).split('&').find_map(|kv| kv.strip_prefix("Action=").map(str::to_string))
    {
        action
    } else {
        // S3 REST: name the operation from the method and the query.
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default();
        let target = parts.next().unwrap_or_default();
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let sub = query.split('&').next().unwrap_or_default().split('=').next().unwrap_or_default();
        format!("{method} ?{sub}")
    };
    Request { service, operation, region }
}
