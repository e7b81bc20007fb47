//! Fuzz target: any bytes as a single-file project through load → validate → derive, and the
//! structural pass (positions, depth, aliases, duplicate keys) on the raw text and on two
//! hostile variants of it: the text nested under many block levels, and the text anchored
//! once and aliased many times. It must never panic, whatever the input.
#![no_main]

use budgetdoc::load::positions::Positions;
use libfuzzer_sys::fuzz_target;

/// The text as the value of `levels` nested block sequences (`- - - …`).
fn nested(text: &str, levels: usize) -> String {
    let indent = "  ".repeat(levels);
    let mut out = "- ".repeat(levels);
    out.push_str("|\n");
    for line in text.lines() {
        out.push_str(&indent);
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The text anchored once, then aliased `times` times in a list.
fn aliased(text: &str, times: usize) -> String {
    let mut out = String::from("kind: performance-targets\nshared: &s\n");
    for line in text.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("targets:\n");
    out.push_str(&"  - *s\n".repeat(times));
    out
}

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("budgetdoc-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("project.yaml");
    if std::fs::write(&file, data).is_ok() {
        let _ = budgetdoc::check(&file);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Positions::index(text);
        let first = data.first().copied().unwrap_or(0) as usize;
        let _ = Positions::index(&nested(text, 1 + first * 64));
        let _ = Positions::index(&aliased(text, 1 + first * 16));
    }
});
