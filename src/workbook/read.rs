//! import (workbook): open a workbook (xlsx, xls, xlsb or ods, with calamine) and find what
//! a kind needs in it by words, never by coordinates: sheets by code or title (`公开02表`,
//! `财决03`, `Z03`, `2.15`, a name cut at 31 characters), header columns by their text,
//! rows by 科目编码 or label. Every value read names its cell (`公开02表!E12`); `—` and empty
//! cells are "not applicable", never zero; a formula without a cached value, text where an
//! amount belongs and anything unreadable are errors naming the cell. No arithmetic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use calamine::{Data, Dimensions, Range};
use rust_decimal::Decimal;

use crate::diag::Diagnostic;

/// Workbooks larger than this are refused before they are unpacked.
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;

/// An opened workbook: every sheet's cells, merged regions and formula cells.
#[derive(Debug)]
pub struct Book {
    pub path: PathBuf,
    pub sheets: Vec<Grid>,
}

/// One sheet. Coordinates are 0-based (row, column) from A1.
#[derive(Debug)]
pub struct Grid {
    pub name: String,
    cells: Range<Data>,
    merges: Vec<Dimensions>,
    formulas: BTreeSet<(u32, u32)>,
}

/// A cell's place, printed `sheet!E12`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}!{}", self.sheet, a1(self.row, self.col))
    }
}

/// `E12` for row 11, column 4.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// Text compared the way headers and labels are matched: no whitespace of any width,
/// full-width brackets and colons as ASCII.
pub fn normal(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            other => other,
        })
        .collect()
}

impl Book {
    /// Opens `path`; an error says what is wrong with the file.
    pub fn open(path: &Path) -> Result<Book, Diagnostic> {
        let fail = |what: String| {
            Diagnostic::error(format!("cannot read workbook `{}`: {what}", path.display()))
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if !meta.is_file() {
            return Err(fail("it is not a regular file".into()));
        }
        if meta.len() > MAX_WORKBOOK_BYTES {
            return Err(fail(format!(
                "it is {} bytes, more than the {} MB budgetdoc reads",
                meta.len(),
                MAX_WORKBOOK_BYTES / 1024 / 1024
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let sheets = super::unpack::sheets(bytes)
            .map_err(|e| fail(e.message().to_string()).hint(e.hint()))?
            .into_iter()
            .map(|u| Grid {
                name: u.name,
                cells: u.cells,
                merges: u.merges,
                formulas: u.formulas,
            })
            .collect();
        Ok(Book {
            path: path.to_path_buf(),
            sheets,
        })
    }

    /// The workbook's file name, as an imported project's header names it.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The sheet a table is in: one whose name carries one of `codes` (`公开02表`, `财决03`,
    /// `Z03`; not followed by another digit, `-` or `_`), or whose name or first rows carry
    /// one of `titles` exactly (after its code and a `(财决…)` suffix; a name cut at 31
    /// characters matches the start of a title).
    pub fn sheet(&self, codes: &[&str], titles: &[&str]) -> Option<&Grid> {
        self.sheets
            .iter()
            .find(|g| {
                codes
                    .iter()
                    .any(|k| carries_code(&normal(&g.name), &normal(k)))
            })
            .or_else(|| {
                self.sheets
                    .iter()
                    .find(|g| titles.iter().any(|t| g.is_titled(&normal(t))))
            })
    }
}

/// Whether a normalised sheet name carries `code` as a whole token.
fn carries_code(name: &str, code: &str) -> bool {
    let mut from = 0;
    while let Some(i) = name[from..].find(code) {
        let end = from + i + code.len();
        let before_ok = name[..from + i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let after_ok = name[end..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_digit() || c == '-' || c == '_' || c == '.'));
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

impl Grid {
    /// Whether the sheet's name or one of its first rows is `title` (normalised).
    fn is_titled(&self, title: &str) -> bool {
        let name = normal(&self.name);
        // Strip a leading code token (`Z03`, `公开02表`, `2.15`) and a `(财决03表)` suffix.
        let bare = name
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            .trim_start_matches(['公', '开'])
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches('表');
        let bare = bare.split('(').next().unwrap_or(bare);
        if bare == title {
            return true;
        }
        let cut = self.name.chars().count() >= super::SHEET_NAME_CHARS;
        if cut && bare.chars().count() >= 4 && title.starts_with(bare) {
            return true;
        }
        (0..6).any(|r| (0..4).any(|c| normal(&self.text(r, c)) == title))
    }

    pub fn place(&self, row: u32, col: u32) -> Place {
        Place {
            sheet: self.name.clone(),
            row,
            col,
        }
    }

    /// Rows and columns the sheet uses (exclusive ends).
    pub fn extent(&self) -> (u32, u32) {
        self.cells.end().map_or((0, 0), |(r, c)| (r + 1, c + 1))
    }

    fn data(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get_value((row, col))
    }

    /// The merged region a cell belongs to (a 1×1 region when none).
    pub fn region(&self, row: u32, col: u32) -> Dimensions {
        self.merges
            .iter()
            .find(|d| d.start.0 <= row && row <= d.end.0 && d.start.1 <= col && col <= d.end.1)
            .copied()
            .unwrap_or(Dimensions {
                start: (row, col),
                end: (row, col),
            })
    }

    /// A cell's text as displayed (numbers without a fraction as integers; a merged region
    /// reads as its first cell only).
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.data(row, col) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::String(s)) => s.trim().to_string(),
            Some(Data::Float(f)) => format!("{f}"),
            Some(other) => other.to_string(),
        }
    }

    /// The first row holding a number (where a table's body starts), or the sheet's end.
    pub fn first_number_row(&self) -> u32 {
        self.cells
            .cells()
            .find(|(_, _, d)| matches!(d, Data::Float(_) | Data::Int(_)))
            .map_or(self.extent().0, |(r, _, _)| {
                self.cells.start().map_or(0, |(r0, _)| r0) + u32::try_from(r).unwrap_or(0)
            })
    }

    /// Whether a cell holds text (not a number).
    pub fn is_text(&self, row: u32, col: u32) -> bool {
        matches!(self.data(row, col), Some(Data::String(_)))
    }

    /// The first cell in rows `rows` whose normalised text is one of `texts`.
    pub fn find(&self, rows: std::ops::Range<u32>, texts: &[&str]) -> Option<(u32, u32)> {
        let wanted: Vec<String> = texts.iter().map(|t| normal(t)).collect();
        let (_, width) = self.extent();
        rows.flat_map(|r| (0..width).map(move |c| (r, c)))
            .find(|&(r, c)| {
                let t = normal(&self.text(r, c));
                !t.is_empty() && wanted.contains(&t)
            })
    }

    /// An amount: `None` for an empty cell or one marking "not applicable" (`—`, `-`, `/`);
    /// an error naming the cell for text, a formula whose result was never calculated, an
    /// error value or a date.
    pub fn amount(&self, row: u32, col: u32) -> Result<Option<Decimal>, Diagnostic> {
        let value = self.amount_as_written(row, col)?;
        match value {
            // No department's amount comes near 10^15 (in 元 or 万元); far larger values
            // are a broken cell, and sums of them would overflow.
            Some(v) if v.abs() >= Decimal::from(1_000_000_000_000_000_i64) => {
                let place = self.place(row, col);
                Err(
                    Diagnostic::error(format!("{place}: `{v}` is not a plausible amount"))
                        .path(place.to_string())
                        .hint("check the cell: amounts are in 元 or 万元, below 10^15"),
                )
            }
            other => Ok(other),
        }
    }

    fn amount_as_written(&self, row: u32, col: u32) -> Result<Option<Decimal>, Diagnostic> {
        let place = self.place(row, col);
        let wrong =
            |what: String| Diagnostic::error(format!("{place}: {what}")).path(place.to_string());
        match self.data(row, col) {
            None | Some(Data::Empty) => {
                if self.formulas.contains(&(row, col)) {
                    Err(wrong("a formula with no calculated value".into()).hint(
                        "open the workbook in Excel or WPS and save it, so that every formula's result is stored",
                    ))
                } else {
                    Ok(None)
                }
            }
            Some(Data::Int(i)) => Ok(Some(Decimal::from(*i))),
            Some(Data::Float(f)) => exact(*f)
                .map(Some)
                .ok_or_else(|| wrong(format!("`{f}` is not an amount"))),
            Some(Data::String(s)) => {
                let t = s.trim();
                if t.is_empty() && self.formulas.contains(&(row, col)) {
                    return Err(wrong("a formula with no calculated value".into()).hint(
                        "open the workbook in Excel or WPS and save it, so that every formula's result is stored",
                    ));
                }
                if t.is_empty() || ["—", "——", "-", "－", "/", "－－", "--"].contains(&t) {
                    return Ok(None);
                }
                super::parse_printed(t).map(Some).ok_or_else(|| {
                    wrong(format!("text `{t}` where an amount belongs"))
                        .hint("type the amount as a number, or `—` where nothing applies")
                })
            }
            Some(other) => Err(wrong(format!("`{other}` where an amount belongs"))
                .hint("type the amount as a number, or `—` where nothing applies")),
        }
    }
}

/// The decimal a double stands for: its shortest printing (exact for the 15 significant
/// digits of any amount), with binary noise below a millionth of a 分 removed.
pub fn exact(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let d: Decimal = format!("{f}").parse().ok()?;
    let cents = crate::money::round_half_up(d, 2);
    if d.scale() > 2 && (d - cents).abs() < Decimal::new(1, 8) {
        Some(cents)
    } else {
        Some(d)
    }
}

/// Where each header text sits: column ranges of the header cells found in `rows`.
pub fn header_cells(
    grid: &Grid,
    rows: std::ops::Range<u32>,
) -> BTreeMap<(u32, u32), (String, Dimensions)> {
    let (_, width) = grid.extent();
    let mut out = BTreeMap::new();
    for r in rows {
        for c in 0..width {
            let t = normal(&grid.text(r, c));
            if !t.is_empty() {
                out.insert((r, c), (t, grid.region(r, c)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 4), "E12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
    }

    #[test]
    fn codes_match_as_whole_tokens() {
        assert!(carries_code("Z03收入决算表(财决03表)", "Z03"));
        assert!(carries_code("Z03收入决算表(财决03表)", "财决03"));
        assert!(!carries_code(
            "Z08_1一般公共预算财政拨款基本支出决算明细表(财决08-",
            "Z08"
        ));
        assert!(!carries_code(
            "Z08_1一般公共预算财政拨款基本支出决算明细表(财决08-",
            "财决08"
        ));
        assert!(carries_code(
            "Z08_1一般公共预算财政拨款基本支出决算明细表(财决08-",
            "Z08_1"
        ));
        assert!(carries_code("公开02表收入决算表", "公开02表"));
        assert!(!carries_code("2.150单位", "2.15"));
        assert!(carries_code("2.15单位收支总表", "2.15"));
    }

    #[test]
    fn dashes_are_not_applicable_and_numbers_exact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.set_name("表").unwrap();
        ws.write(1, 2, "十二").unwrap();
        ws.write(1, 3, "—").unwrap();
        ws.write(1, 4, 12.5).unwrap();
        ws.write(1, 5, "1,234.50").unwrap();
        ws.write(1, 6, 7.0e27).unwrap();
        book.save(&path).unwrap();
        let book = Book::open(&path).unwrap();
        let g = &book.sheets[0];
        let e = g.amount(1, 2).unwrap_err();
        assert!(
            e.message
                .starts_with("表!C2: text `十二` where an amount belongs"),
            "{}",
            e.message
        );
        assert_eq!(g.amount(1, 3).unwrap(), None);
        assert_eq!(g.amount(1, 4).unwrap(), Some(Decimal::new(125, 1)));
        assert_eq!(g.amount(1, 5).unwrap(), Some(Decimal::new(123450, 2)));
        assert_eq!(g.amount(9, 9).unwrap(), None);
        let e = g.amount(1, 6).unwrap_err();
        assert!(
            e.message.contains("not a plausible amount"),
            "{}",
            e.message
        );
    }

    #[test]
    fn doubles_come_back_as_the_decimals_they_print() {
        assert_eq!(exact(467782266.28), Some(Decimal::new(46778226628, 2)));
        assert_eq!(exact(0.300_000_000_000_000_04), Some(Decimal::new(30, 2)));
        assert_eq!(exact(f64::NAN), None);
    }
}
