//! load: a 科目 catalog a region or department supplies — exported from its finance software
//! or converted from 财政部's yearly 《政府收支分类科目》 — as CSV, TSV or xlsx, with a code and
//! a name column and optionally a year column.
//!
//! Columns are found by their header (`科目编码`/`编码`/`code`, `科目名称`/`名称`/`name`,
//! `年度`/`year`, or `类`/`款`/`项` split code columns); without a header the first column is
//! the code, the second the name, the third (if it holds years) the year. Codes may be typed
//! with spaces (`208 01 01`). Only 支出功能分类 codes (3, 5 or 7 digits starting with 2) are
//! kept; other rows (收入分类, 经济分类, titles, totals) are counted and skipped. No I/O beyond
//! reading the one file, through the same guards as every project file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::{Confinement, read_bytes};

/// One entry of a supplied catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppliedEntry {
    pub code: String,
    pub name: String,
    /// The year the name is for; `None`: every year.
    pub year: Option<i32>,
    /// Where it is in the file (line = row, col = the name's column).
    pub at: Location,
}

/// A catalog file, read.
#[derive(Debug, Clone, Default)]
pub struct SuppliedCatalog {
    pub path: PathBuf,
    /// By code, in file order.
    pub entries: BTreeMap<String, Vec<SuppliedEntry>>,
    /// Rows that hold no 功能分类 code (titles, totals, other classifications).
    pub skipped: usize,
}

impl SuppliedCatalog {
    /// The name of `code` for `year`: the entry of that year, else one without a year.
    pub fn name(&self, code: &str, year: i32) -> Option<&SuppliedEntry> {
        let list = self.entries.get(code)?;
        list.iter()
            .find(|e| e.year == Some(year))
            .or_else(|| list.iter().find(|e| e.year.is_none()))
    }
}

/// The formats a catalog file may have, by extension.
fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "xls"))
}

/// Reads a catalog file. `confinement` is set for a file the project names (it must lie
/// inside the project); a file named on the command line or in the environment may be
/// anywhere. Returns the catalog and its warnings (a code named twice for one year).
pub fn read(
    path: &Path,
    confinement: Option<&Confinement>,
) -> Result<(SuppliedCatalog, Diagnostics), Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d.rule(&crate::rules::C08)]);
    let bytes = read_bytes(path, confinement).map_err(one)?;
    let rows = if is_spreadsheet(path) {
        spreadsheet_rows(path, bytes).map_err(one)?
    } else {
        let mut text = String::from_utf8(bytes).map_err(|e| {
            one(Diagnostic::error(format!(
                "catalog file `{}` is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
            .hint("save the catalog as UTF-8 CSV or TSV, or as xlsx"))
        })?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        crate::diag::remember_source(path, &text);
        let separator = if text.lines().take(20).any(|l| l.contains('\t')) {
            '\t'
        } else {
            ','
        };
        delimited_rows(&text, separator)
    };
    collect(path, &rows)
}

/// A row of cells with its 1-based line (or spreadsheet row) number.
type Row = (usize, Vec<String>);

/// Splits CSV/TSV text into rows; quoted fields may hold separators, doubled quotes and
/// line breaks (RFC 4180).
fn delimited_rows(text: &str, separator: char) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if cell.is_empty() => quoted = true,
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            '\r' if !quoted => {}
            c if c == separator && !quoted => row.push(std::mem::take(&mut cell)),
            c => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push((row_line, row));
    }
    rows
}

/// The rows of the first sheet that has any, as text.
fn spreadsheet_rows(path: &Path, bytes: Vec<u8>) -> Result<Vec<Row>, Diagnostic> {
    use calamine::Data;
    let fail = |e: String| {
        Diagnostic::error(format!(
            "cannot read catalog workbook `{}`: {e}",
            path.display()
        ))
        .hint("save the catalog as xlsx, or as UTF-8 CSV/TSV")
    };
    let sheets = crate::workbook::unpack::sheets(bytes).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read catalog workbook `{}`: {}",
            path.display(),
            e.message()
        ))
        .hint(match e {
            crate::workbook::unpack::Unreadable::NotAWorkbook(_) => {
                "save the catalog as xlsx, or as UTF-8 CSV/TSV"
            }
            crate::workbook::unpack::Unreadable::Excessive(_) => e.hint(),
        })
    })?;
    for sheet in sheets {
        let range = sheet.cells;
        if range.is_empty() {
            continue;
        }
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let texts = cells
                    .iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        // Codes typed as numbers come back as floats without a fraction.
                        Data::Float(f) => format!("{f}"),
                        other => other.to_string(),
                    })
                    .collect();
                (first_row + i + 1, texts)
            })
            .collect();
        return Ok(rows);
    }
    Err(fail("it has no sheet with data".into()))
}

/// Which columns hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Columns {
    /// The code, or the 类/款/项 columns joined.
    code: Vec<usize>,
    name: usize,
    year: Option<usize>,
    /// Rows up to and including this index are headers.
    header: Option<usize>,
}

fn clean(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_string()
}

/// Finds the columns from a header row among the first rows, else by position.
fn columns(rows: &[Row]) -> Columns {
    for (i, (_, cells)) in rows.iter().enumerate().take(10) {
        let cells: Vec<String> = cells.iter().map(|c| clean(c).to_lowercase()).collect();
        let find = |keys: &[&str]| {
            cells
                .iter()
                .position(|c| keys.iter().any(|k| c.contains(k)))
        };
        let split: Vec<usize> = ["类", "款", "项"]
            .iter()
            .filter_map(|k| cells.iter().position(|c| c == k))
            .collect();
        let code = find(&["科目编码", "编码", "代码", "code"]);
        let name = find(&["科目名称", "名称", "name"]);
        if let Some(name) = name {
            let code = match code {
                Some(c) => vec![c],
                None if split.len() == 3 => split,
                None => continue,
            };
            return Columns {
                code,
                name,
                year: find(&["年度", "年份", "year"]),
                header: Some(i),
            };
        }
    }
    let third_is_year = rows.iter().take(10).any(|(_, cells)| {
        cells
            .get(2)
            .map(|c| clean(c))
            .is_some_and(|c| c.len() == 4 && c.chars().all(|d| d.is_ascii_digit()))
    });
    Columns {
        code: vec![0],
        name: 1,
        year: third_is_year.then_some(2),
        header: None,
    }
}

/// A 功能分类 code as typed in a cell (`2080101`, `208 01 01`, `2080101.0`), if it is one.
fn functional_code(typed: &str) -> Option<String> {
    let digits: String = typed
        .trim_end_matches(".0")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    (matches!(digits.len(), 3 | 5 | 7)
        && digits.starts_with('2')
        && digits.chars().all(|c| c.is_ascii_digit()))
    .then_some(digits)
}

fn collect(path: &Path, rows: &[Row]) -> Result<(SuppliedCatalog, Diagnostics), Diagnostics> {
    let cols = columns(rows);
    let mut catalog = SuppliedCatalog {
        path: path.to_path_buf(),
        ..SuppliedCatalog::default()
    };
    let mut warnings = Diagnostics::default();
    let at = |line: usize, col: usize| Location {
        file: path.to_path_buf(),
        line,
        col: col + 1,
    };
    for (i, (line, cells)) in rows.iter().enumerate() {
        if cols.header.is_some_and(|h| i <= h) {
            continue;
        }
        let cell = |c: usize| cells.get(c).map(|s| clean(s)).unwrap_or_default();
        let typed: String = cols.code.iter().map(|&c| cell(c)).collect();
        let name = cell(cols.name);
        let (Some(code), false) = (functional_code(&typed), name.is_empty()) else {
            catalog.skipped += 1;
            continue;
        };
        let year = cols
            .year
            .and_then(|c| cell(c).get(..4).and_then(|y| y.parse::<i32>().ok()));
        let entry = SuppliedEntry {
            code: code.clone(),
            name,
            year,
            at: at(*line, cols.name),
        };
        let list = catalog.entries.entry(code.clone()).or_default();
        if let Some(first) = list.iter().find(|e| e.year == year) {
            if first.name != entry.name {
                warnings.push(
                    Diagnostic::warning(format!(
                        "the catalog names `{code}` twice: `{}` and `{}`; the first is used",
                        first.name, entry.name
                    ))
                    .rule(&crate::rules::C07)
                    .at(Some(entry.at.clone()))
                    .related(Some(first.at.clone()), "", "the first name")
                    .hint("keep one row per code (and year)"),
                );
            }
            continue;
        }
        list.push(entry);
    }
    if catalog.entries.is_empty() {
        return Err(Diagnostics(vec![
            Diagnostic::error(format!(
                "catalog file `{}` holds no 功能分类 code with a name ({} rows read)",
                path.display(),
                rows.len()
            ))
            .rule(&crate::rules::C08)
            .at(Some(at(1, 0)))
            .hint("a catalog has a code column (科目编码, 3/5/7 digits such as 2080101) and a name column (科目名称)"),
        ]));
    }
    Ok((catalog, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, sep: char) -> (SuppliedCatalog, Diagnostics) {
        collect(Path::new("c.csv"), &delimited_rows(text, sep)).unwrap()
    }

    #[test]
    fn header_columns_in_any_order_and_quoted_cells() {
        let (c, w) = parse(
            "年度,科目名称,科目编码\n2025,\"城乡社区管理事务\",21201\n2025,\"行政运行\",\"212 01 01\"\n,合计,\n",
            ',',
        );
        assert!(w.is_empty());
        assert_eq!(c.name("21201", 2025).unwrap().name, "城乡社区管理事务");
        let e = c.name("2120101", 2025).unwrap();
        assert_eq!((e.name.as_str(), e.at.line, e.at.col), ("行政运行", 3, 2));
        assert_eq!(c.skipped, 1);
        assert!(c.name("2120101", 2024).is_none(), "named for 2025 only");
    }

    #[test]
    fn no_header_tabs_and_split_codes() {
        let (c, _) = parse("2010507\t专项普查活动\n101\t税收收入\n", '\t');
        assert_eq!(c.name("2010507", 2030).unwrap().name, "专项普查活动");
        assert_eq!(c.skipped, 1, "收入分类 skipped");
        let (c, _) = parse("类,款,项,科目名称\n201,05,07,专项普查活动\n", ',');
        assert_eq!(c.name("2010507", 2025).unwrap().name, "专项普查活动");
    }

    #[test]
    fn a_code_named_twice_warns_and_keeps_the_first() {
        let (c, w) = parse(
            "2129999,其他城乡社区支出\n2129999,其他城乡社区事务支出\n",
            ',',
        );
        assert_eq!(c.name("2129999", 2025).unwrap().name, "其他城乡社区支出");
        assert_eq!(w.0.len(), 1);
        assert_eq!(w.0[0].rule.map(|r| r.id), Some("C07"));
    }

    #[test]
    fn a_file_without_codes_is_an_error() {
        let err = collect(Path::new("c.csv"), &delimited_rows("a,b\nc,d\n", ',')).unwrap_err();
        assert_eq!(err.0[0].rule.map(|r| r.id), Some("C08"));
    }
}
