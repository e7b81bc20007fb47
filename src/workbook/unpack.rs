//! import (workbook): opening a workbook without trusting what it claims. A workbook is a
//! zip of XML parts (xlsx, xlsb, ods) or a compound file (xls); a few kilobytes can claim a
//! sheet that spans A1:XFD1048576 (17 billion cells once laid out as a grid), and a
//! megabyte of zip can expand to gigabytes of cells repeated at one coordinate. Every such
//! sign is refused before anything large is allocated, with a message that names the sheet
//! or part and the limit:
//! - each part of the zip is expanded here first, counting bytes, and refused past
//!   [`MAX_PART_BYTES`] (or all parts past [`MAX_EXPANDED_BYTES`]) whatever its header
//!   claims;
//! - an ods sheet's repeated rows and columns are counted before they are expanded;
//! - xlsx and xlsb cells are read one by one: past [`MAX_CELLS_READ`] cells, or once the
//!   cells read span more than [`MAX_GRID_CELLS`], the sheet is refused.
//!
//! The xls format cannot exceed 65,536 × 256 cells a sheet; its sheets are checked once read.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use calamine::{
    Cell, Data, DataRef, Dimensions, Range, Reader, Sheets, open_workbook_auto_from_rs,
};

/// The most one part of a workbook may expand to (a finance export's sheet is a few MB).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most all parts of a workbook together may expand to.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// The most cells a sheet's grid may span, empty ones included (a finance export has a few
/// thousand).
pub const MAX_GRID_CELLS: usize = 4_000_000;
/// The most cells read from one sheet, repeats of one coordinate included.
pub const MAX_CELLS_READ: usize = 1_000_000;

/// One sheet as read: its cells, its formula cells and its merged regions.
#[derive(Debug)]
pub struct Unpacked {
    pub name: String,
    pub cells: Range<Data>,
    pub formulas: BTreeSet<(u32, u32)>,
    pub merges: Vec<Dimensions>,
}

/// Why a workbook is not read: what is wrong (a sentence to follow "cannot read workbook
/// `…`: ") and whether the file is no (or a damaged) workbook, or one that holds too much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    NotAWorkbook(String),
    Excessive(String),
}

impl Unreadable {
    pub fn message(&self) -> &str {
        match self {
            Unreadable::NotAWorkbook(m) | Unreadable::Excessive(m) => m,
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            Unreadable::NotAWorkbook(_) => {
                "give an .xlsx, .xls, .xlsb or .ods file exported by the finance software or by `budgetdoc build --xlsx` (a damaged file: export it again)"
            }
            Unreadable::Excessive(_) => {
                "check that this is the right workbook; a stray cell far below or right of a table can be removed in Excel by deleting the empty rows and columns after the table"
            }
        }
    }
}

/// Every sheet of the workbook `bytes`, or why it is not read.
pub fn sheets(bytes: Vec<u8>) -> Result<Vec<Unpacked>, Unreadable> {
    if bytes.starts_with(b"PK") {
        check_zip(&bytes)?;
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Unreadable::NotAWorkbook(format!("it is not an Excel workbook ({e})")))?;
    read_sheets(&mut book).map_err(Unreadable::Excessive)
}

fn read_sheets(book: &mut Sheets<Cursor<Vec<u8>>>) -> Result<Vec<Unpacked>, String> {
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let (cells, formulas) = match &mut *book {
            Sheets::Xlsx(x) => xlsx_sheet(x, &name)?,
            Sheets::Xlsb(x) => xlsb_sheet(x, &name)?,
            other => {
                let cells = other
                    .worksheet_range(&name)
                    .map_err(|e| format!("sheet `{name}`: {e}"))?;
                let formulas = other
                    .worksheet_formula(&name)
                    .map(|f| formula_cells(&f))
                    .unwrap_or_default();
                (cells, formulas)
            }
        };
        let (h, w) = cells.get_size();
        if h.saturating_mul(w) > MAX_GRID_CELLS {
            return Err(too_wide(&name, h, w));
        }
        let merges = merged(book, &name);
        out.push(Unpacked {
            name,
            cells,
            formulas,
            merges,
        });
    }
    Ok(out)
}

fn too_wide(sheet: &str, rows: usize, cols: usize) -> String {
    format!(
        "sheet `{sheet}` spans {rows} rows × {cols} columns, more than the {MAX_GRID_CELLS} cells budgetdoc reads in a sheet (a cell far from the table, e.g. at XFD1048576, does this)"
    )
}

fn too_many(sheet: &str) -> String {
    format!("sheet `{sheet}` holds more than {MAX_CELLS_READ} cells, more than budgetdoc reads")
}

/// The cells of a sheet read one at a time, refused at the first sign of excess: the grid
/// they span, or their number.
fn gather<E: std::fmt::Display>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<Cell<Data>>, E>,
) -> Result<Range<Data>, String> {
    let mut cells = Vec::new();
    let (mut read, mut top, mut bottom, mut left, mut right) = (0usize, u32::MAX, 0, u32::MAX, 0);
    while let Some(cell) = next().map_err(|e| format!("sheet `{sheet}`: {e}"))? {
        read += 1;
        if read > MAX_CELLS_READ {
            return Err(too_many(sheet));
        }
        if matches!(cell.get_value(), Data::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (top, bottom, left, right) = (top.min(r), bottom.max(r), left.min(c), right.max(c));
        let rows = (bottom - top) as usize + 1;
        let cols = (right - left) as usize + 1;
        if rows.saturating_mul(cols) > MAX_GRID_CELLS {
            return Err(too_wide(sheet, rows, cols));
        }
        cells.push(cell);
    }
    Ok(Range::from_sparse(cells))
}

fn owned(cell: Cell<DataRef<'_>>) -> Cell<Data> {
    Cell::new(cell.get_position(), Data::from(cell.get_value().clone()))
}

/// The coordinates of the formula cells, read one at a time under the same limit.
fn gather_formulas<E: std::fmt::Display>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<Cell<String>>, E>,
) -> Result<BTreeSet<(u32, u32)>, String> {
    let mut out = BTreeSet::new();
    let mut read = 0usize;
    while let Some(cell) = next().map_err(|e| format!("sheet `{sheet}`: {e}"))? {
        read += 1;
        if read > MAX_CELLS_READ {
            return Err(too_many(sheet));
        }
        if !cell.get_value().is_empty() {
            out.insert(cell.get_position());
        }
    }
    Ok(out)
}

type Read2 = (Range<Data>, BTreeSet<(u32, u32)>);

fn xlsx_sheet(x: &mut calamine::Xlsx<Cursor<Vec<u8>>>, name: &str) -> Result<Read2, String> {
    let cells = match x.worksheet_cells_reader(name) {
        Ok(mut reader) => gather(name, || reader.next_cell().map(|c| c.map(owned)))?,
        // A chart sheet holds no cells.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Default::default()),
        Err(e) => return Err(format!("sheet `{name}`: {e}")),
    };
    let formulas = match x.worksheet_cells_reader(name) {
        Ok(mut reader) => gather_formulas(name, || reader.next_formula())?,
        Err(_) => BTreeSet::new(),
    };
    Ok((cells, formulas))
}

fn xlsb_sheet(x: &mut calamine::Xlsb<Cursor<Vec<u8>>>, name: &str) -> Result<Read2, String> {
    let cells = match x.worksheet_cells_reader(name) {
        Ok(mut reader) => gather(name, || reader.next_cell().map(|c| c.map(owned)))?,
        Err(e) => return Err(format!("sheet `{name}`: {e}")),
    };
    let formulas = match x.worksheet_cells_reader(name) {
        Ok(mut reader) => gather_formulas(name, || reader.next_formula())?,
        Err(_) => BTreeSet::new(),
    };
    Ok((cells, formulas))
}

fn formula_cells(range: &Range<String>) -> BTreeSet<(u32, u32)> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .cells()
        .filter(|(_, _, f)| !f.is_empty())
        .map(|(r, c, _)| {
            (
                r0 + u32::try_from(r).unwrap_or(0),
                c0 + u32::try_from(c).unwrap_or(0),
            )
        })
        .collect()
}

fn merged(book: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        #[allow(deprecated)]
        Sheets::Xls(x) => x.worksheet_merge_cells(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Expands every part of a zip package, counting: refused past [`MAX_PART_BYTES`] a part or
/// [`MAX_EXPANDED_BYTES`] in all, whatever the headers claim (a zip bomb claims little).
/// An ods's `content.xml` is also counted for the rows and columns it repeats.
fn check_zip(bytes: &[u8]) -> Result<(), Unreadable> {
    let damaged = |what: String| Unreadable::NotAWorkbook(what);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| damaged(format!("it is not a readable zip package ({e})")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| damaged(format!("it is not a readable zip package ({e})")))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let too_big = |size: u64| {
            Unreadable::Excessive(format!(
                "its part `{name}` expands to more than {} MB (at least {size} bytes), more than budgetdoc reads",
                MAX_PART_BYTES / 1024 / 1024
            ))
        };
        if part.size() > MAX_PART_BYTES {
            return Err(too_big(part.size()));
        }
        let mut content = Vec::new();
        let keep = name == "content.xml";
        let mut limited = (&mut part).take(MAX_PART_BYTES + 1);
        let size = if keep {
            limited.read_to_end(&mut content)
        } else {
            std::io::copy(&mut limited, &mut std::io::sink()).map(|n| n as usize)
        }
        .map_err(|e| damaged(format!("its part `{name}` cannot be unpacked ({e})")))?
            as u64;
        if size > MAX_PART_BYTES {
            return Err(too_big(size));
        }
        total += size;
        if total > MAX_EXPANDED_BYTES {
            return Err(Unreadable::Excessive(format!(
                "it expands to more than {} MB, more than budgetdoc reads",
                MAX_EXPANDED_BYTES / 1024 / 1024
            )));
        }
        if keep {
            check_repeats(&content).map_err(Unreadable::Excessive)?;
        }
    }
    Ok(())
}

/// An ods `content.xml`: the cells its rows hold once `number-rows-repeated` and
/// `number-columns-repeated` are expanded, counted without expanding them. A row with no
/// value (the empty rows a spreadsheet writes to the sheet's end) costs nothing.
fn check_repeats(xml: &[u8]) -> Result<(), String> {
    let mut cells: u128 = 0;
    for row in split_tags(xml, b"<table:table-row").skip(1) {
        let head = &row[..row.iter().position(|b| *b == b'>').unwrap_or(row.len())];
        let rows = repeat(head, b"table:number-rows-repeated=\"");
        let mut width: u128 = 0;
        let mut valued = false;
        for cell in split_tags(row, b"<table:table-cell")
            .skip(1)
            .chain(split_tags(row, b"<table:covered-table-cell").skip(1))
        {
            let head = &cell[..cell.iter().position(|b| *b == b'>').unwrap_or(cell.len())];
            width += repeat(head, b"table:number-columns-repeated=\"");
            valued |= find(head, b"office:value-type=").is_some() || !head.ends_with(b"/");
        }
        if valued {
            cells = cells.saturating_add(rows.saturating_mul(width));
        }
        if cells > MAX_GRID_CELLS as u128 {
            return Err(format!(
                "its sheets repeat rows and columns into more than {MAX_GRID_CELLS} cells, more than budgetdoc reads"
            ));
        }
    }
    Ok(())
}

/// The pieces of `xml` that start at each `tag` (the first piece is what comes before),
/// a tag being followed by a space, `>` or `/`.
fn split_tags<'a>(xml: &'a [u8], tag: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut starts = vec![0];
    let mut from = 0;
    while let Some(i) = find(&xml[from..], tag) {
        let at = from + i;
        let next = xml.get(at + tag.len()).copied();
        if matches!(next, Some(b' ' | b'>' | b'/' | b'\n' | b'\r' | b'\t')) {
            starts.push(at);
        }
        from = at + tag.len();
    }
    starts.push(xml.len());
    let pieces: Vec<&[u8]> = starts.windows(2).map(|w| &xml[w[0]..w[1]]).collect();
    pieces.into_iter()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = haystack[from..].iter().position(|b| *b == first) {
        if haystack[from + i..].starts_with(needle) {
            return Some(from + i);
        }
        from += i + 1;
    }
    None
}

/// The value of a repeat attribute in a start tag (1 when absent or unreadable).
fn repeat(head: &[u8], attribute: &[u8]) -> u128 {
    find(head, attribute)
        .map(|i| &head[i + attribute.len()..])
        .and_then(|rest| {
            let digits: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(u8::is_ascii_digit)
                .collect();
            std::str::from_utf8(&digits).ok()?.parse::<u128>().ok()
        })
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_rows_of_values_are_counted_and_empty_ones_are_free() {
        let empty_tail = br#"<table:table-row table:number-rows-repeated="1048500"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        assert!(check_repeats(empty_tail).is_ok());
        let valued = br#"<table:table-row table:number-rows-repeated="1048500"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
        assert!(check_repeats(valued).unwrap_err().contains("repeat"));
        let small = br#"<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>"#;
        assert!(check_repeats(small).is_ok());
    }
}
