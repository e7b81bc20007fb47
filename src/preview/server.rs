//! The preview's HTTP server, on loopback only: the viewer page, its state (`/state`), each
//! page's SVG (`/page/<n>.svg?h=<hash>`) and text (`.txt`), and an SSE stream (`/events`) that says when the
//! state changed. Nothing else is served — never a file by path. A request whose `Host` is
//! not the served address (DNS rebinding) or that comes from another origin is refused.
//!
//! A small blocking server on `std::net` (one thread per connection, a bounded number of
//! them): the preview has one user on the same machine, and the maintained HTTP crates
//! either bring an async runtime (axum, hyper) or are no longer maintained (tiny_http).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::pages::Scale;
use super::state::Shared;

/// The viewer: one HTML file with its style and script.
pub const VIEWER: &str = include_str!("viewer.html");

/// At most this many connections at once (the page holds one stream and a few fetches).
const MAX_CONNECTIONS: usize = 64;
/// At most this many update streams per client address; a new one closes its oldest (a
/// browser holds one per tab, and a closed tab's stream may linger until its next write).
const MAX_STREAMS_PER_CLIENT: usize = 8;
/// A request head larger than this is refused.
const MAX_HEAD: usize = 16 * 1024;
/// A request head must have arrived this long after the connection was accepted, however
/// slowly its bytes trickle in.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// A response (or an update) that the client does not take within this time ends its
/// connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// An idle update stream sends a comment this often, so a closed tab is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Binds the preview's address: `port` if given (0: any free port), else the first free
/// port from 3000.
pub fn bind(port: Option<u16>) -> std::io::Result<TcpListener> {
    match port {
        Some(p) => TcpListener::bind((Ipv4Addr::LOCALHOST, p)),
        None => {
            let mut last = None;
            for p in 3000..3100 {
                match TcpListener::bind((Ipv4Addr::LOCALHOST, p)) {
                    Ok(l) => return Ok(l),
                    Err(e) => last = Some(e),
                }
            }
            Err(last.unwrap_or_else(|| std::io::Error::other("no free port from 3000")))
        }
    }
}

/// Serves `shared` on `listener` until the process ends.
pub fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(_) => return,
    };
    let open = Arc::new(Connections::default());
    for stream in listener.incoming().flatten() {
        let Some(conn) = open.admit(&stream, &shared) else {
            // Every connection is busy answering: this one is refused, the next gets room.
            drop(stream);
            continue;
        };
        let (conn_shared, conn_open, id) = (Arc::clone(&shared), Arc::clone(&open), conn.id);
        let spawned = std::thread::Builder::new()
            .name("preview-connection".into())
            .spawn(move || {
                let _ = handle(stream, addr, &conn_shared, &conn_open, &conn);
                conn_open.remove(conn.id);
            });
        if spawned.is_err() {
            // The place was taken for a thread that never ran.
            open.remove(id);
        }
    }
}

/// What a connection is doing: the server makes room by closing the ones that matter least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Waiting for its request head (a slow client is closed first).
    Head,
    /// Holding an update stream (its tab reconnects).
    Stream,
    /// Answering a request (never closed: it ends by itself).
    Busy,
}

/// One open connection, as the server keeps it.
struct Open {
    id: u64,
    client: std::net::IpAddr,
    phase: Phase,
    /// A handle on the socket, to close it from the accepting thread.
    socket: TcpStream,
    /// Set when the server closed it: its stream stops waiting.
    closed: Arc<std::sync::atomic::AtomicBool>,
}

/// A connection's own view of its place in [`Connections`].
#[derive(Clone)]
struct Conn {
    id: u64,
    client: std::net::IpAddr,
    closed: Arc<std::sync::atomic::AtomicBool>,
}

/// The open connections, bounded: a new connection takes the place of the oldest one still
/// waiting for its head (or else of the oldest update stream), so that a local client that
/// opens connections and sends nothing, or opens stream after stream, never locks a new tab
/// out.
#[derive(Default)]
struct Connections {
    open: std::sync::Mutex<Vec<Open>>,
    next: std::sync::atomic::AtomicU64,
}

impl Connections {
    fn list(&self) -> std::sync::MutexGuard<'_, Vec<Open>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for `stream`, closing another connection when all are taken; `None` when every
    /// connection is answering a request.
    fn admit(&self, stream: &TcpStream, shared: &Shared) -> Option<Conn> {
        let socket = stream.try_clone().ok()?;
        let client = stream
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(Ipv4Addr::LOCALHOST.into());
        let mut open = self.list();
        if open.len() >= MAX_CONNECTIONS {
            let victim = open
                .iter()
                .enumerate()
                .filter(|(_, o)| o.phase != Phase::Busy)
                .min_by_key(|(_, o)| (o.phase, o.id))
                .map(|(i, _)| i)?;
            close(open.swap_remove(victim), shared);
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        open.push(Open {
            id,
            client,
            phase: Phase::Head,
            socket,
            closed: Arc::clone(&closed),
        });
        Some(Conn { id, client, closed })
    }

    /// The connection moves on to `phase`; a new update stream closes its client's oldest
    /// beyond [`MAX_STREAMS_PER_CLIENT`].
    fn enter(&self, conn: &Conn, phase: Phase, shared: &Shared) {
        let mut open = self.list();
        if let Some(o) = open.iter_mut().find(|o| o.id == conn.id) {
            o.phase = phase;
        }
        if phase != Phase::Stream {
            return;
        }
        let mut streams: Vec<u64> = open
            .iter()
            .filter(|o| o.phase == Phase::Stream && o.client == conn.client)
            .map(|o| o.id)
            .collect();
        streams.sort_unstable();
        let excess = streams.len().saturating_sub(MAX_STREAMS_PER_CLIENT);
        for id in streams.into_iter().take(excess) {
            if let Some(i) = open.iter().position(|o| o.id == id) {
                close(open.swap_remove(i), shared);
            }
        }
    }

    fn remove(&self, id: u64) {
        self.list().retain(|o| o.id != id);
    }
}

/// Closes a connection from outside its thread: its reads and writes fail at once, and a
/// stream waiting for the next state wakes up.
fn close(conn: Open, shared: &Shared) {
    conn.closed.store(true, Ordering::Release);
    let _ = conn.socket.shutdown(std::net::Shutdown::Both);
    shared.wake();
}

/// A socket read that ends at a deadline, however the bytes trickle in.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: std::time::Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self
            .until
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&mut &*self.stream).read(buf)
    }
}

/// A parsed request head.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub host: Option<String>,
    pub origin: Option<String>,
    pub fetch_site: Option<String>,
}

/// Reads and parses a request head (request line and headers) that arrives within
/// [`HEAD_DEADLINE`]; `None` when it is not one, or too late.
fn read_head(stream: &TcpStream) -> Option<Request> {
    let deadline = Deadline {
        stream,
        until: std::time::Instant::now() + HEAD_DEADLINE,
    };
    let mut reader = BufReader::new(deadline.take(MAX_HEAD as u64));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut req = Request {
        method,
        path: path.to_string(),
        query: query.to_string(),
        ..Request::default()
    };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = Some(value.trim().to_string());
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => req.host = value,
            "origin" => req.origin = value,
            "sec-fetch-site" => req.fetch_site = value,
            _ => {}
        }
    }
    Some(req)
}

/// Why a request is refused, if it is: a foreign `Host` (DNS rebinding), another origin.
pub fn refusal(req: &Request, addr: SocketAddr) -> Option<&'static str> {
    let port = addr.port();
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !req.host.as_ref().is_some_and(|h| hosts.contains(h)) {
        return Some("the Host header is not this preview's address");
    }
    if let Some(origin) = &req.origin
        && !hosts.iter().any(|h| *origin == format!("http://{h}"))
    {
        return Some("cross-origin requests are refused");
    }
    if req.fetch_site.as_deref() == Some("cross-site") {
        return Some("cross-site requests are refused");
    }
    None
}

/// A JSON answer that is never cached.
fn respond_json(stream: &mut TcpStream, json: &str, head_only: bool) -> std::io::Result<()> {
    respond(
        stream,
        "200 OK",
        "application/json",
        "no-store",
        json.as_bytes(),
        head_only,
    )
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    cache: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'self'; img-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // One write, sent at once: a page image is on the edit's critical path, and a head
    // written apart would wait for the client's delayed acknowledgement (Nagle).
    let mut response = head.into_bytes();
    if !head_only {
        response.extend_from_slice(body);
    }
    stream.write_all(&response)?;
    stream.flush()
}

fn handle(
    mut stream: TcpStream,
    addr: SocketAddr,
    shared: &Shared,
    open: &Connections,
    conn: &Conn,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    // A client that stops reading does not hold its connection for ever.
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let head = read_head(&stream);
    open.enter(conn, Phase::Busy, shared);
    let Some(req) = head else {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain",
            "no-store",
            b"bad request",
            false,
        );
    };
    if let Some(why) = refusal(&req, addr) {
        return respond(
            &mut stream,
            "403 Forbidden",
            "text/plain; charset=utf-8",
            "no-store",
            why.as_bytes(),
            false,
        );
    }
    let head_only = req.method == "HEAD";
    if req.method != "GET" && !head_only {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            "no-store",
            b"only GET",
            false,
        );
    }
    match req.path.as_str() {
        "/" | "/index.html" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            "no-store",
            VIEWER.as_bytes(),
            head_only,
        ),
        "/state" => {
            let json = shared.lock().to_json();
            respond_json(&mut stream, &json, head_only)
        }
        "/events" => {
            open.enter(conn, Phase::Stream, shared);
            events(stream, shared, &conn.closed)
        }
        "/explain" => {
            // The figure at a point of a page (`?at=18:402.5:233`, a click), as `budgetdoc
            // explain --at` gives it; or a query (`?q=182%25`), as `budgetdoc explain`.
            let at = param(&req.query, "at").map(decode);
            let json = match at.map(|a| a.parse::<crate::explain::Point>()) {
                Some(Ok(point)) => shared.explain_at(point),
                Some(Err(e)) => serde_json::json!({ "error": e }).to_string(),
                None => shared.explain(&decode(param(&req.query, "q").unwrap_or(""))),
            };
            respond_json(&mut stream, &json, head_only)
        }
        "/open" => {
            // Opens a typed fact in the user's editor (`--editor`), if it is a file the
            // build read.
            let file = decode(param(&req.query, "file").unwrap_or(""));
            let line = param(&req.query, "line").and_then(|l| l.parse().ok());
            let col = param(&req.query, "col").and_then(|c| c.parse().ok());
            let opened = match (line, col) {
                (Some(line), Some(col)) => shared.open_in_editor(&file, line, col),
                _ => false,
            };
            let status = if opened {
                "204 No Content"
            } else {
                "404 Not Found"
            };
            respond(&mut stream, status, "text/plain", "no-store", b"", true)
        }
        "/view" => {
            // The pages in the browser's viewport (`?p=3,4`) and the pixels per point it
            // shows them at (`&s=1.5`), rendered first after a build.
            let pages = param(&req.query, "p")
                .unwrap_or("")
                .split(',')
                .filter_map(|n| n.parse().ok())
                .collect();
            let scale = param(&req.query, "s")
                .and_then(Scale::parse)
                .unwrap_or_default();
            shared.set_viewed(pages, scale);
            respond(
                &mut stream,
                "204 No Content",
                "text/plain",
                "no-store",
                b"",
                true,
            )
        }
        path => match page_number(path) {
            Some((n, kind)) => {
                let wanted = req
                    .query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("h="))
                    .unwrap_or("");
                let page = shared.lock().pages.get(n).cloned();
                match page {
                    Some(p) => {
                        // A page asked for by its current hash never changes.
                        let cache = if p.hash == wanted {
                            "max-age=31536000, immutable"
                        } else {
                            "no-store"
                        };
                        let (content_type, body): (&str, Vec<u8>) = match kind {
                            PageFile::Svg => ("image/svg+xml", p.svg().as_bytes().to_vec()),
                            PageFile::Png => {
                                let scale = param(&req.query, "s")
                                    .and_then(Scale::parse)
                                    .unwrap_or_default();
                                ("image/png", p.png(scale).to_vec())
                            }
                            PageFile::Text => {
                                ("text/plain; charset=utf-8", p.text().as_bytes().to_vec())
                            }
                            PageFile::Figures => {
                                ("application/json", p.figures().as_bytes().to_vec())
                            }
                        };
                        respond(&mut stream, "200 OK", content_type, cache, &body, head_only)
                    }
                    None => respond(
                        &mut stream,
                        "404 Not Found",
                        "text/plain",
                        "no-store",
                        b"no such page",
                        false,
                    ),
                }
            }
            None => respond(
                &mut stream,
                "404 Not Found",
                "text/plain",
                "no-store",
                b"not found",
                false,
            ),
        },
    }
}

/// What of a page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageFile {
    /// `/page/<n>.svg`: the page.
    Svg,
    /// `/page/<n>.png`: the page as an image at 2 pixels per point.
    Png,
    /// `/page/<n>.txt`: its text, the image's alternative text.
    Text,
    /// `/page/<n>.json`: the figures printed on it (their ids and boxes).
    Figures,
}

/// `/page/<n>.svg` or `/page/<n>.txt` → n (from 0) and which.
fn page_number(path: &str) -> Option<(usize, PageFile)> {
    let name = path.strip_prefix("/page/")?;
    let (n, kind) = if let Some(n) = name.strip_suffix(".svg") {
        (n, PageFile::Svg)
    } else if let Some(n) = name.strip_suffix(".png") {
        (n, PageFile::Png)
    } else if let Some(n) = name.strip_suffix(".json") {
        (n, PageFile::Figures)
    } else {
        (name.strip_suffix(".txt")?, PageFile::Text)
    };
    Some((n.parse().ok()?, kind))
}

/// The value of `key` in a query string, as sent (percent-encoded).
fn param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
}

/// Percent-decoding of a query value (`+` is a space); an invalid escape stays as it is.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The update stream: an event carrying the state (`/state`'s JSON, one line) each time it
/// changes, so that the viewer applies an update without asking for it.
fn events(
    mut stream: TcpStream,
    shared: &Shared,
    closed: &std::sync::atomic::AtomicBool,
) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
    )?;
    let (mut seen, json) = {
        let s = shared.lock();
        (s.version, s.to_json())
    };
    stream.write_all(format!("event: state\ndata: {json}\n\n").as_bytes())?;
    stream.flush()?;
    loop {
        let now = shared.wait_unless(seen, KEEPALIVE, closed);
        if closed.load(Ordering::Acquire) {
            return Ok(());
        }
        if now == seen {
            stream.write_all(b": keepalive\n\n")?;
        } else {
            let (version, json) = {
                let s = shared.lock();
                (s.version, s.to_json())
            };
            seen = version;
            stream.write_all(format!("event: state\ndata: {json}\n\n").as_bytes())?;
        }
        stream.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(host: &str, origin: Option<&str>) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: Some(host.into()),
            origin: origin.map(String::from),
            ..Request::default()
        }
    }

    #[test]
    fn only_this_address_and_origin_are_served() {
        let addr: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        assert_eq!(refusal(&req("127.0.0.1:3000", None), addr), None);
        assert_eq!(
            refusal(&req("localhost:3000", Some("http://localhost:3000")), addr),
            None
        );
        assert!(refusal(&req("evil.example:3000", None), addr).is_some());
        assert!(refusal(&req("127.0.0.1:3001", None), addr).is_some());
        assert!(refusal(&req("127.0.0.1:3000", Some("http://evil.example")), addr).is_some());
        let mut r = req("127.0.0.1:3000", None);
        r.host = None;
        assert!(refusal(&r, addr).is_some());
    }

    #[test]
    fn query_values_are_percent_decoded() {
        assert_eq!(decode("182%25"), "182%");
        assert_eq!(decode("a+b%E5%AE%8C"), "a b完");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(param("q=1&file=x%2Fy", "file"), Some("x%2Fy"));
        assert_eq!(param("qq=1", "q"), None);
    }

    #[test]
    fn pages_are_named_by_number() {
        assert_eq!(page_number("/page/12.svg"), Some((12, PageFile::Svg)));
        assert_eq!(page_number("/page/3.txt"), Some((3, PageFile::Text)));
        assert_eq!(page_number("/page/../x.svg"), None);
        assert_eq!(page_number("/page/1.png"), Some((1, PageFile::Png)));
        assert_eq!(page_number("/page/1.gif"), None);
    }
}
