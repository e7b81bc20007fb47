//! `budgetdoc preview` as a server: what it serves and refuses, the update event after a
//! file changes (including a save by rename), only the changed page getting a new hash, and
//! the diagnostics of a broken file while the last good pages stay.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{bin, copy_dir};

/// A running preview, stopped when dropped.
pub struct Running {
    child: Child,
    pub port: u16,
    pub project: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a preview of a copy of `example` on a free port and waits for its first build.
pub fn start(example: &str) -> Running {
    start_with(example, &[])
}

/// [`start`] with more arguments for `budgetdoc preview`.
pub fn start_with(example: &str, extra: &[&str]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(example),
        &project,
    );
    let mut child = bin()
        .args([
            "preview",
            project.to_str().unwrap(),
            "--no-open",
            "--port",
            "0",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the preview");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let running = Running {
        child,
        port,
        project,
        _dir: dir,
    };
    running.until(|s| s["status"] != "building", "the first build");
    running
}

impl Running {
    /// A request with the preview's own Host, plus `headers`: (status line, head, body).
    pub fn request(&self, method: &str, path: &str, headers: &str) -> (String, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let host = if headers.to_ascii_lowercase().contains("host:") {
            String::new()
        } else {
            format!("Host: 127.0.0.1:{}\r\n", self.port)
        };
        write!(stream, "{method} {path} HTTP/1.1\r\n{host}{headers}\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.lines().next().unwrap_or_default().to_string();
        (status, head, raw[split + 4..].to_vec())
    }

    pub fn state(&self) -> Value {
        let (status, _, body) = self.request("GET", "/state", "");
        assert!(status.contains("200"), "{status}");
        serde_json::from_slice(&body).unwrap()
    }

    /// Polls `/state` until `done` holds (at most 30 s).
    pub fn until(&self, done: impl Fn(&Value) -> bool, what: &str) -> Value {
        let start = Instant::now();
        loop {
            let s = self.state();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for {what}: {s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.project.join(rel)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Opens the update stream (`/events`), reads waiting at most `timeout`.
    pub fn events(&self, timeout: Duration) -> TcpStream {
        let mut events = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        events.set_read_timeout(Some(timeout)).unwrap();
        write!(
            events,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        events
    }
}

/// Saves `path` as editors do: a temporary file renamed over it.
pub fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("yaml.tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn hashes(s: &Value) -> Vec<String> {
    s["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["hash"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn it_serves_the_viewer_its_state_and_its_pages_and_nothing_else() {
    let p = start("examples/nx-employment-2024-targets");
    let (status, head, body) = p.request("GET", "/", "");
    assert!(
        status.contains("200") && head.contains("text/html"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("new EventSource(\"/events\")"));
    let s = p.state();
    assert_eq!(s["status"], "ready");
    assert_eq!(s["pages"].as_array().unwrap().len(), 9);
    assert!(
        s["outline"].as_array().unwrap().len() >= 7,
        "{}",
        s["outline"]
    );
    let hash = s["pages"][0]["hash"].as_str().unwrap();
    let (status, head, body) = p.request("GET", &format!("/page/0.svg?h={hash}"), "");
    assert!(status.contains("200") && head.contains("image/svg+xml") && head.contains("immutable"));
    assert!(body.starts_with(b"<svg"));
    // A PNG page has the pixels the viewer shows: `s` pixels per point (default 2).
    let width_pt = s["pages"][0]["width"].as_f64().unwrap();
    for (query, per_pt) in [
        ("&s=1", 1u32),
        ("&s=1.5", 0),
        ("", 2),
        ("&s=x", 2),
        ("&s=100", 4),
    ] {
        let (status, head, body) = p.request("GET", &format!("/page/0.png?h={hash}{query}"), "");
        assert!(
            status.contains("200") && head.contains("image/png"),
            "{query}: {status}"
        );
        let width = u32::from_be_bytes(body[16..20].try_into().unwrap());
        // 1.5 px/pt: three halves of the page's points.
        let expected = if query == "&s=1.5" {
            width_pt as u32 * 3 / 2
        } else {
            width_pt as u32 * per_pt
        };
        assert!(
            width.abs_diff(expected) <= 2,
            "{query}: {width} px for {expected}"
        );
    }
    // The viewer reports the pages in view (rendered first after a build); nonsense is
    // ignored.
    for query in [
        "p=3,4",
        "p=3,4&s=1.25",
        "p=x,,9999999999999999999999&s=NaN",
        "",
    ] {
        let (status, _, body) = p.request("GET", &format!("/view?{query}"), "");
        assert!(
            status.contains("204") && body.is_empty(),
            "{query}: {status}"
        );
    }
    let (status, _, _) = p.request("GET", "/view?p=1", "Host: evil.example:80\r\n");
    assert!(status.contains("403"), "{status}");
    // Refused: a foreign Host (DNS rebinding), another origin, a path, another method.
    let (status, _, _) = p.request("GET", "/state", "Host: evil.example:80\r\n");
    assert!(status.contains("403"), "{status}");
    let (status, _, _) = p.request("GET", "/state", "Origin: http://evil.example\r\n");
    assert!(status.contains("403"), "{status}");
    for path in [
        "/budgetdoc.yaml",
        "/page/99.svg",
        "/../../etc/passwd",
        "/page/x.svg",
    ] {
        let (status, _, _) = p.request("GET", path, "");
        assert!(status.contains("404"), "{path}: {status}");
    }
    let (status, _, _) = p.request("POST", "/state", "Content-Length: 0\r\n");
    assert!(status.contains("405"), "{status}");
}

#[test]
fn an_edit_sends_an_update_and_only_its_page_changes() {
    let p = start("examples/nx-employment-2024-targets");
    let before = p.state();
    // The update stream: its first event is the current version.
    let events = p.events(Duration::from_secs(20));
    let mut reader = BufReader::new(events);
    let mut seen = Vec::new();
    let mut line = String::new();
    while !seen.iter().any(|l: &String| l.starts_with("data:")) {
        line.clear();
        reader.read_line(&mut line).unwrap();
        seen.push(line.clone());
    }
    assert!(seen[0].contains("200 OK"), "{seen:?}");
    // An editor's save of the third form: its 项目名称 changes.
    let form = p.file("targets/03-employment-entrepreneurship-service-subsidy.yaml");
    let text = std::fs::read_to_string(&form).unwrap();
    let edited = text.replacen("name: \"", "name: \"改：", 1);
    assert_ne!(edited, text);
    save_by_rename(&form, &edited);
    // An event arrives for the rebuild.
    let version = before["version"].as_u64().unwrap();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if let Some(v) = line.strip_prefix("data: ")
            && serde_json::from_str::<serde_json::Value>(v).unwrap()["version"]
                .as_u64()
                .unwrap()
                > version
        {
            break;
        }
    }
    let after = p.until(
        |s| s["status"] == "ready" && s["version"].as_u64().unwrap() > version,
        "the rebuild",
    );
    let (a, b) = (hashes(&before), hashes(&after));
    assert_eq!(a.len(), b.len());
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(changed.len(), 1, "pages changed: {changed:?}");
    let (_, _, svg) = p.request("GET", &format!("/page/{}.svg", changed[0]), "");
    assert!(!svg.is_empty());
}

#[test]
fn a_broken_file_lists_its_problems_and_keeps_the_last_good_pages() {
    let p = start("examples/nx-employment-2024-targets");
    let good = p.state();
    let main = p.file("budgetdoc.yaml");
    let text = std::fs::read_to_string(&main).unwrap();
    let lines = text.lines().count();
    std::fs::write(&main, format!("{text}year: [broken\n")).unwrap();
    let failed = p.until(|s| s["status"] == "failed", "the failed build");
    assert_eq!(failed["errors"], 1);
    assert_eq!(hashes(&failed), hashes(&good), "the last good pages stay");
    let d = &failed["diagnostics"][0];
    assert!(
        d["file"].as_str().unwrap().ends_with("p/budgetdoc.yaml"),
        "{d}"
    );
    assert_eq!(d["line"].as_u64().unwrap() as usize, lines + 1);
    assert_eq!(d["rule"], "L01");
    let shown = d["text"].as_str().unwrap();
    assert!(
        shown.contains(&format!("budgetdoc.yaml:{}:", lines + 1))
            && shown.contains("error[L01]")
            && shown.contains("year: [broken")
            && shown.contains('^'),
        "{shown}"
    );
    // Fixing the data clears it.
    std::fs::write(&main, &text).unwrap();
    let fixed = p.until(|s| s["status"] == "ready", "the fixed build");
    assert_eq!(fixed["errors"], 0);
    assert_eq!(fixed["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(hashes(&fixed), hashes(&good));
}

#[test]
fn a_removed_and_recreated_form_and_a_template_override_are_followed() {
    let p = start("examples/nx-employment-2024-targets");
    let form = p.file("targets/07-unit-funds-project.yaml");
    let text = std::fs::read_to_string(&form).unwrap();
    std::fs::remove_file(&form).unwrap();
    p.until(
        |s| s["status"] == "ready" && s["pages"].as_array().unwrap().len() == 8,
        "one form fewer",
    );
    std::fs::write(&form, &text).unwrap();
    p.until(
        |s| s["status"] == "ready" && s["pages"].as_array().unwrap().len() == 9,
        "the form back",
    );
    // A template override that breaks, then goes away.
    let templates = p.file("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("main.typ"), "#let x = (\n").unwrap();
    let failed = p.until(|s| s["status"] == "failed", "the broken override");
    assert!(
        failed["diagnostics"][0]["text"]
            .as_str()
            .unwrap()
            .contains("main.typ")
    );
    std::fs::remove_file(templates.join("main.typ")).unwrap();
    p.until(|s| s["status"] == "ready", "the override removed");
}

/// The permanent part of the PDF's `/ID` (its first string; the second changes with each
/// revision).
fn pdf_id(bytes: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(3)
        .rposition(|w| w == b"/ID")
        .expect("the PDF has an /ID");
    let rest = &bytes[at..];
    let end = rest
        .iter()
        .position(|b| *b == b')' || *b == b'>')
        .expect("a string");
    rest[..end].to_vec()
}

#[test]
fn watch_rewrites_the_pdf_after_each_good_build_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nx-employment-2024-targets"),
        &project,
    );
    let pdf = dir.path().join("out.pdf");
    let mut child = bin()
        .args([
            "watch",
            project.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("the first PDF", &|| pdf.is_file());
    std::thread::sleep(Duration::from_millis(200));
    let first = std::fs::read(&pdf).unwrap();
    let form = project.join("targets/03-employment-entrepreneurship-service-subsidy.yaml");
    let text = std::fs::read_to_string(&form).unwrap();
    save_by_rename(
        &form,
        &text.replace("project_total: 250", "project_total: 262.5"),
    );
    wait_for("the rebuilt PDF", &|| {
        std::fs::read(&pdf).is_ok_and(|b| b != first)
    });
    let second = std::fs::read(&pdf).unwrap();
    assert_eq!(pdf_id(&first), pdf_id(&second), "the PDF keeps its ID");
    // A broken file: the last good PDF stays.
    std::fs::write(&form, "name: [broken\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(std::fs::read(&pdf).unwrap(), second);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_figure_is_explained_and_only_a_fact_file_opens_in_the_editor() {
    let p = start_with(
        "examples/nx-employment-2024-targets",
        &["--editor", "touch {file}.opened"],
    );
    let s = p.state();
    // The numbers of a page, with their boxes in points.
    let hash = s["pages"][3]["hash"].as_str().unwrap();
    let (status, head, body) = p.request("GET", &format!("/page/3.json?h={hash}"), "");
    assert!(
        status.contains("200") && head.contains("application/json"),
        "{status}"
    );
    let boxes: Value = serde_json::from_slice(&body).unwrap();
    let total = boxes
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["text"] == "250")
        .expect("项目总额 250 on the form's page");
    assert!(total["width"].as_f64().unwrap() > 0.0 && total["x"].as_f64().unwrap() > 0.0);
    // Its derivation, down to the typed fact.
    let (status, _, body) = p.request("GET", "/explain?q=250", "");
    assert!(status.contains("200"), "{status}");
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["editor"], true);
    let fact = answer["answer"]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| {
            let f = &m["derivation"]["operands"][0]["fact"];
            (f["path"] == "project_total").then(|| f.clone())
        })
        .expect("a match traced to project_total");
    let file = fact["file"].as_str().unwrap();
    assert!(file.ends_with("targets/03-employment-entrepreneurship-service-subsidy.yaml"));
    // A file the build read its facts from opens; any other file does not.
    let query = |f: &str| {
        format!(
            "/open?file={}&line={}&col={}",
            f.replace('/', "%2F"),
            fact["line"],
            fact["column"]
        )
    };
    let (status, _, _) = p.request("GET", &query(file), "");
    assert!(status.contains("204"), "{status}");
    let opened = PathBuf::from(format!("{file}.opened"));
    let start = Instant::now();
    while !opened.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the editor never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let outside = p.file("../outside.yaml");
    std::fs::write(&outside, "x: 1\n").unwrap();
    let (status, _, _) = p.request("GET", &query(outside.to_str().unwrap()), "");
    assert!(status.contains("404"), "{status}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!PathBuf::from(format!("{}.opened", outside.display())).exists());
}
