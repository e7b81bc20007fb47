//! The preview end to end in a real browser: headless Chromium driven over its DevTools
//! protocol loads the preview of an example; an amount changed in the YAML appears in the
//! changed page while the scroll position stays and nothing reloads; a broken file shows the
//! overlay with its `file:line:col`; fixing it clears the overlay. Needs `chromium` (`.ci/run`
//! installs it); without it the test says so and passes, unless BUDGETDOC_REQUIRE_BROWSER is
//! set (as in CI). With BUDGETDOC_SCREENSHOTS=<dir> it also saves the README's screenshots.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::preview::{save_by_rename, start};

/// A headless Chromium, killed when dropped.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn chromium() -> Option<String> {
    if let Ok(b) = std::env::var("BUDGETDOC_CHROMIUM") {
        return Some(b);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(String::from)
}

/// Starts the browser; the DevTools WebSocket URL it listens on.
pub fn launch(binary: &str) -> (Browser, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(binary)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stderr = child.stderr.take().unwrap();
    let mut url = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("DevTools listening on ") {
            url = Some(u.trim().to_string());
            break;
        }
    }
    (
        Browser {
            child,
            _profile: profile,
        },
        url.expect("chromium printed its DevTools address"),
    )
}

/// A DevTools protocol client attached to one page.
pub struct Cdp {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
    session: Option<String>,
}

impl Cdp {
    /// Connects to the browser at `ws_url` and opens `url` in a new page, attached.
    pub fn open(ws_url: &str, url: &str) -> Self {
        let (ws, _) = tungstenite::connect(ws_url).expect("DevTools WebSocket");
        let mut cdp = Cdp {
            ws,
            next: 0,
            session: None,
        };
        let target = cdp.call("Target.createTarget", json!({ "url": url }));
        let attached = cdp.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        cdp.session = Some(attached["sessionId"].as_str().unwrap().to_string());
        cdp.call("Runtime.enable", json!({}));
        cdp
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.ws.read().unwrap() else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is true (at most 30 s).
    pub fn until(&mut self, expression: &str) {
        let start = Instant::now();
        while self.eval(expression) != json!(true) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for: {expression}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&mut self, name: &str) {
        let Ok(dir) = std::env::var("BUDGETDOC_SCREENSHOTS") else {
            return;
        };
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        use std::io::Write;
        let bytes = decode_base64(shot["data"].as_str().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::File::create(std::path::Path::new(&dir).join(name))
            .unwrap()
            .write_all(&bytes)
            .unwrap();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn the_preview_in_a_real_browser_follows_edits_in_place_and_shows_problems() {
    let Some(binary) = chromium() else {
        assert!(
            std::env::var_os("BUDGETDOC_REQUIRE_BROWSER").is_none(),
            "chromium is required (BUDGETDOC_REQUIRE_BROWSER) but not installed"
        );
        eprintln!("skipped: no chromium (install the Debian package `chromium`)");
        return;
    };
    let preview = start("examples/nx-employment-2024-targets");
    let (_browser, ws_url) = launch(&binary);
    let mut cdp = Cdp::open(&ws_url, &format!("http://127.0.0.1:{}/", preview.port));

    // The pages, in order, with the outline.
    cdp.until("window.__preview && __preview.applied >= 1 && document.querySelectorAll('.page').length === 9");
    cdp.until("document.querySelectorAll('#side a').length >= 7");
    cdp.until("document.getElementById('status').dataset.state === 'ready'");
    // The third form's page (after the notice): its 项目总额 says 250 now.
    cdp.until("(window.__form = Array.from(document.querySelectorAll('.page')).find(d => d.querySelector('img').alt.includes('就业创业服务补贴'))) !== undefined");
    let form_page = cdp.eval("__form.id");
    assert_eq!(form_page, json!("page-4"));
    assert_eq!(
        cdp.eval("__form.querySelector('img').alt.includes('262.5')"),
        json!(false)
    );
    // Scroll into that page; mark every page element (a reload would lose the marks).
    cdp.eval("document.querySelectorAll('.page').forEach(d => d.__mark = true); main.scrollTop = __form.offsetTop + 200; true");
    let scroll = cdp.eval("main.scrollTop");
    let version = cdp.eval("__preview.version");
    cdp.until(
        "__form.querySelector('img').complete && __form.querySelector('img').naturalWidth > 0",
    );
    cdp.screenshot("preview.png");

    // One amount changed in the YAML (saved as editors do).
    let form = preview.file("targets/03-employment-entrepreneurship-service-subsidy.yaml");
    let text = std::fs::read_to_string(&form).unwrap();
    save_by_rename(
        &form,
        &text.replace("project_total: 250", "project_total: 262.5"),
    );
    cdp.until("__form.querySelector('img').alt.includes('262.5')");
    assert_eq!(
        cdp.eval("main.scrollTop"),
        scroll,
        "the scroll position stays"
    );
    assert_eq!(
        cdp.eval("Array.from(document.querySelectorAll('.page')).every(d => d.__mark === true)"),
        json!(true),
        "no page element was replaced (no reload)"
    );
    assert!(cdp.eval("__preview.version").as_u64() > version.as_u64());
    // The other pages kept their content.
    assert_eq!(
        cdp.eval("Array.from(document.querySelectorAll('.page img')).filter(i => i.alt.includes('262.5')).length"),
        json!(1)
    );

    // A click on a printed figure shows its derivation in the side panel, down to the
    // typed fact with its file:line:col.
    // Only figures are buttons; a click sends its point and the server explains the figure
    // whose box holds it.
    cdp.until("Array.from(__form.querySelectorAll('.fig')).some(b => b.title === '262.5')");
    cdp.eval(
        "Array.from(__form.querySelectorAll('.fig')).find(b => b.title === '262.5').click(); true",
    );
    cdp.until("document.getElementById('explain').classList.contains('shown') && document.getElementById('explain-body').innerText.includes('03-employment-entrepreneurship-service-subsidy.yaml:')");
    let panel = cdp.eval("document.getElementById('explain-body').innerText");
    let panel = panel.as_str().unwrap();
    assert!(
        panel.contains("项目总额"),
        "the fact is named as a clerk names it: {panel}"
    );
    assert!(panel.contains("rounded half-up"), "{panel}");
    cdp.screenshot("preview-explain.png");
    cdp.eval("document.querySelector('#explain .close').click(); true");
    // A number that is not a figure (a year, an ordinal, a code) is no button: a click on it
    // opens nothing.
    let (x, y, text) = not_a_figure(&preview.file("."), 4);
    let hit = cdp.eval(&format!(
        "(() => {{ const img = __form.querySelector('img'); const p = __preview.pages[3]; let r = img.getBoundingClientRect(); main.scrollTop += r.top + r.height * {y} / p.height - 200; r = img.getBoundingClientRect(); const el = document.elementFromPoint(r.left + r.width * {x} / p.width, r.top + r.height * {y} / p.height); if (!el) return 'nothing'; el.click(); return el.className; }})()"
    ));
    assert_ne!(hit, json!("fig"), "`{text}` is no button");
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        cdp.eval("document.getElementById('explain').classList.contains('shown')"),
        json!(false),
        "a click on `{text}` opens nothing"
    );
    cdp.eval(&format!("main.scrollTop = {scroll}; true"));

    // A broken file: the overlay names it with its file:line:col; the pages stay.
    let main = preview.file("budgetdoc.yaml");
    let good = std::fs::read_to_string(&main).unwrap();
    let line = good.lines().count() + 1;
    std::fs::write(&main, format!("{good}year: [broken\n")).unwrap();
    cdp.until("document.getElementById('overlay').classList.contains('shown')");
    let overlay = cdp.eval("document.getElementById('overlay').innerText");
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains(&format!("budgetdoc.yaml:{line}:")) && overlay.contains("error[L01]"),
        "{overlay}"
    );
    assert_eq!(
        cdp.eval("document.querySelectorAll('.page').length"),
        json!(9)
    );
    assert_eq!(
        cdp.eval("document.getElementById('status').dataset.state"),
        json!("failed")
    );
    cdp.screenshot("preview-error.png");

    // Fixed: the overlay goes.
    std::fs::write(&main, &good).unwrap();
    cdp.until("!document.getElementById('overlay').classList.contains('shown') && document.getElementById('status').dataset.state === 'ready'");
    assert_eq!(cdp.eval("main.scrollTop"), scroll);
}

/// A number printed on `page` (from 1) of `project` that is no figure (a year, an ordinal,
/// a code), with the centre of its box in points.
fn not_a_figure(project: &std::path::Path, page: usize) -> (f64, f64, String) {
    let options = budgetdoc::BuildOptions::default();
    let plain = budgetdoc::compile_with(project, &options).unwrap();
    let marked = budgetdoc::compile_marked(project, &options).unwrap();
    let figures = budgetdoc::render::figure_boxes(&marked.document.pages()[page - 1]);
    budgetdoc::render::number_boxes(&plain.document.pages()[page - 1])
        .into_iter()
        .find_map(|n| {
            let (x, y) = n.rect.centre();
            (!figures.iter().any(|f| f.rect.contains(x, y))).then_some((x, y, n.text))
        })
        .expect("a number that is no figure on the page")
}
