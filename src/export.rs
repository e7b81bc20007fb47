//! export: PDF bytes from the laid-out document, byte-identical for the same input, written
//! atomically (temporary file + rename) so a failed build never touches an existing PDF.

use std::fs;
use std::io::Write;
use std::path::Path;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::Diagnostic;

/// Options that decide the PDF's bytes besides the document itself.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// A stable identifier of the document (its hash becomes the PDF's ID).
    pub ident: String,
    /// The creation date, from the data or `SOURCE_DATE_EPOCH`; `None` writes no date.
    pub timestamp: Option<Datetime>,
    /// Write a tagged (accessible) PDF; several times larger for table-heavy documents.
    pub tagged: bool,
}

/// Converts a Unix timestamp (as in `SOURCE_DATE_EPOCH`) into a UTC date and time.
pub fn datetime_from_epoch(secs: i64) -> Option<Datetime> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Datetime::from_ymd_hms(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(rem / 3600).ok()?,
        u8::try_from(rem % 3600 / 60).ok()?,
        u8::try_from(rem % 60).ok()?,
    )
}

/// Renders the PDF bytes.
pub fn pdf(doc: &PagedDocument, options: &ExportOptions) -> Result<Vec<u8>, Diagnostic> {
    let pdf_options = PdfOptions {
        ident: Smart::Custom(options.ident.clone()),
        creator: Smart::Custom(Some(format!("budgetdoc {}", env!("CARGO_PKG_VERSION")))),
        timestamp: options.timestamp.map(Timestamp::new_utc),
        tagged: options.tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &pdf_options).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Diagnostic::error(format!("PDF export failed: {}", text.join("; ")))
    })
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then rename.
/// Temporary files that a killed build left beside the same output are removed first.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| {
        Diagnostic::error(format!("cannot create directory `{}`: {e}", dir.display()))
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output.pdf".into());
    remove_stale_temporaries(&dir, &file_name);
    // Unique in the process too: two threads writing beside each other never share one.
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let sequence = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(temporary_name(&file_name, std::process::id(), sequence));
    let result = (|| -> std::io::Result<()> {
        // A leftover of an earlier process with the same id is ours to replace; `create_new`
        // then never follows a link planted at the name.
        let _ = fs::remove_file(&tmp);
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
            .hint("check that the directory is writable; the previous file, if any, is unchanged")
    })
}

/// `.<output name>.<process id>-<sequence>.tmp`
fn temporary_name(file_name: &str, pid: u32, sequence: u64) -> String {
    format!(".{file_name}.{pid}-{sequence}.tmp")
}

/// Removes the temporary files of `file_name` whose process no longer runs (a build killed
/// while writing). Where process ids cannot be checked (no `/proc`), nothing is removed.
fn remove_stale_temporaries(dir: &Path, file_name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{file_name}.");
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("doc.pdf");
        // A process id far above Linux's pid_max: no such process runs.
        let stale = dir.path().join(temporary_name("doc.pdf", 4_294_967_000, 0));
        let other = dir
            .path()
            .join(temporary_name("other.pdf", 4_294_967_000, 0));
        fs::write(&stale, b"half a PDF").unwrap();
        fs::write(&other, b"another output's").unwrap();
        write_atomic(&out, b"%PDF").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"%PDF");
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(other.exists(), "only this output's temporaries");
    }

    #[test]
    fn epoch_conversion() {
        assert_eq!(
            datetime_from_epoch(0),
            Datetime::from_ymd_hms(1970, 1, 1, 0, 0, 0)
        );
        // 2025-09-01T12:34:56Z
        assert_eq!(
            datetime_from_epoch(1_756_730_096),
            Datetime::from_ymd_hms(2025, 9, 1, 12, 34, 56)
        );
        assert_eq!(
            datetime_from_epoch(951_782_400),
            Datetime::from_ymd_hms(2000, 2, 29, 0, 0, 0)
        );
    }
}
