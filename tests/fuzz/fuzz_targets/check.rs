//! Fuzz target: any bytes as a single-file project through load → validate → derive. It must
//! never panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("budgetdoc-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("project.yaml");
    if std::fs::write(&file, data).is_ok() {
        let _ = budgetdoc::check(&file);
    }
});
