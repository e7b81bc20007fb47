//! export (workbook): [`Sheet`]s to xlsx bytes with rust_xlsxwriter — the printed table's
//! title, code, 公开部门 and 金额单位 lines, merged header, body and 注 lines; codes as text,
//! amounts as numbers in a thousands format, fixed column widths, landscape A4 fitted to the
//! page width with the header repeated. The creation time is fixed by the caller, so the
//! same input gives the same bytes.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{Cell, SHEET_NAME_CHARS, Sheet, Value};
use crate::diag::Diagnostic;

/// The workbook's creation date (the document's publication date, or a fixed one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Default for Created {
    /// A fixed date for documents without `date:`: the bytes never depend on the clock.
    fn default() -> Self {
        Self {
            year: 2000,
            month: 1,
            day: 1,
        }
    }
}

/// The xlsx bytes of `sheets`, one worksheet each, in order.
pub fn xlsx(sheets: &[Sheet], created: Created) -> Result<Vec<u8>, Diagnostic> {
    build(sheets, created).map_err(|e| Diagnostic::error(format!("cannot write the workbook: {e}")))
}

fn build(sheets: &[Sheet], created: Created) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(created.year, created.month, created.day)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_author("budgetdoc"),
    );
    let styles = Styles::new();
    let mut used = BTreeSet::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(unique_name(&sheet.name, &mut used))?;
        write_sheet(ws, sheet, &styles)?;
    }
    book.save_to_buffer()
}

/// A sheet name Excel accepts (no `[]:*?/\`, at most 31 characters) and not used yet.
fn unique_name(wanted: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let base: String = clean.chars().take(SHEET_NAME_CHARS).collect();
    let base = if base.trim().is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name) {
        let suffix = format!("({n})");
        let keep = SHEET_NAME_CHARS - suffix.chars().count();
        name = base.chars().take(keep).collect::<String>() + &suffix;
        n += 1;
    }
    used.insert(name.clone());
    name
}

struct Styles {
    title: Format,
    left: Format,
    right: Format,
    header: Format,
    label: Format,
    centre: Format,
    code: Format,
    empty: Format,
    note: Format,
}

impl Styles {
    fn new() -> Self {
        let font = |f: Format| f.set_font_name("宋体").set_font_size(10);
        let boxed = |f: Format| {
            font(f)
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        Self {
            title: font(Format::new())
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            left: font(Format::new()).set_align(FormatAlign::Left),
            right: font(Format::new()).set_align(FormatAlign::Right),
            header: boxed(Format::new())
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            label: boxed(Format::new()).set_align(FormatAlign::Left),
            centre: boxed(Format::new()).set_align(FormatAlign::Center),
            code: boxed(Format::new())
                .set_align(FormatAlign::Left)
                .set_num_format("@"),
            empty: boxed(Format::new()),
            note: font(Format::new())
                .set_font_size(9)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
        }
    }
}

/// `#,##0.00` for an amount printed with two decimals, `#,##0` with none.
fn number_format(d: Decimal, thousands: bool) -> String {
    let whole = if thousands { "#,##0" } else { "0" };
    match d.scale() {
        0 => whole.to_string(),
        s => format!("{whole}.{}", "0".repeat(s as usize)),
    }
}

/// The nearest `f64` to a decimal (the workbook stores numbers as doubles; Rust's parsing is
/// correctly rounded, and the shortest printing of that double gives the decimal back for
/// the up to 15 significant digits of any amount).
fn as_double(d: Decimal) -> f64 {
    d.normalize().to_string().parse::<f64>().unwrap_or_default()
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, s: &Styles) -> Result<(), XlsxError> {
    let columns = u16::try_from(sheet.widths.len().max(1)).unwrap_or(1);
    let last = columns - 1;
    for (c, w) in sheet.widths.iter().enumerate() {
        ws.set_column_width(u16::try_from(c).unwrap_or(0), *w)?;
    }
    span(ws, 0, 0, 0, last, &sheet.title, &s.title)?;
    ws.set_row_height(0, 30)?;
    if let Some(code) = &sheet.code {
        ws.write_string_with_format(1, last, code, &s.right)?;
    }
    let half = columns / 2;
    if half == 0 || columns < 2 {
        ws.write_string_with_format(2, 0, &sheet.publisher, &s.left)?;
    } else {
        span(ws, 2, 0, 2, half - 1, &sheet.publisher, &s.left)?;
        span(ws, 2, half, 2, last, &sheet.unit_line, &s.right)?;
    }
    let top: u32 = 3;
    for h in &sheet.header {
        let (r0, c0) = (top + h.row, h.col);
        let (r1, c1) = (r0 + h.rows.max(1) - 1, c0 + h.cols.max(1) - 1);
        span(ws, r0, c0, r1, c1, &h.text, &s.header)?;
    }
    let mut row = top + sheet.header_rows;
    if sheet.header_rows > 0 {
        ws.set_repeat_rows(top, row - 1)?;
    }
    // Header cells wrap: room for two lines of 10-pt text (Excel does not grow a row for
    // wrapped text in merged cells).
    for r in top..row {
        ws.set_row_height(r, 27)?;
    }
    for cells in &sheet.body {
        let mut col: u16 = 0;
        for cell in cells {
            write_cell(ws, row, col, cell, s)?;
            col += cell.cols.max(1);
        }
        // Rows shorter than the table still get their borders.
        while col < columns {
            ws.write_blank(row, col, &s.empty)?;
            col += 1;
        }
        row += 1;
    }
    for note in &sheet.notes {
        span(ws, row, 0, row, last, note, &s.note)?;
        let lines = u32::try_from(note.chars().count() / 90 + 1).unwrap_or(1);
        ws.set_row_height(row, 14 * lines.min(6))?;
        row += 1;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// Writes `text` over a range, merged when it covers more than one cell.
fn span(
    ws: &mut Worksheet,
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if r0 == r1 && c0 == c1 {
        ws.write_string_with_format(r0, c0, text, format)?;
    } else {
        ws.merge_range(r0, c0, r1, c1, text, format)?;
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    s: &Styles,
) -> Result<(), XlsxError> {
    let last = col + cell.cols.max(1) - 1;
    match &cell.value {
        Value::Empty if last == col => {
            ws.write_blank(row, col, &s.empty)?;
        }
        Value::Empty => span(ws, row, col, row, last, "", &s.empty)?,
        Value::Label(t) => span(ws, row, col, row, last, t, &s.label)?,
        Value::Centre(t) => span(ws, row, col, row, last, t, &s.centre)?,
        Value::Code(t) => span(ws, row, col, row, last, t, &s.code)?,
        Value::Amount(d) | Value::Rate(d) => {
            let thousands = matches!(cell.value, Value::Amount(_));
            let format = s
                .empty
                .clone()
                .set_align(FormatAlign::Right)
                .set_num_format(number_format(*d, thousands));
            if last > col {
                ws.merge_range(row, col, row, last, "", &format)?;
            }
            ws.write_number_with_format(row, col, as_double(*d), &format)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::Span;

    fn sample() -> Sheet {
        Sheet {
            name: "公开02表 收入决算表".into(),
            title: "收入决算表".into(),
            code: Some("公开02表".into()),
            publisher: "公开部门：某局".into(),
            unit_line: "金额单位：元".into(),
            widths: vec![6, 6, 6, 30, 16],
            header: vec![Span::new(0, 0, 1, 4, "项目"), Span::new(0, 4, 1, 1, "合计")],
            header_rows: 1,
            body: vec![vec![
                Cell::spanning(Value::Code("2080101".into()), 3),
                Cell::new(Value::Label("行政运行".into())),
                Cell::new(Value::amount("1,234.50")),
            ]],
            notes: vec!["注：本表反映…".into()],
        }
    }

    #[test]
    fn the_same_sheets_give_the_same_bytes() {
        let a = xlsx(&[sample()], Created::default()).unwrap();
        let b = xlsx(&[sample()], Created::default()).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..2], b"PK");
    }

    #[test]
    fn names_are_unique_and_legal() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_name("a/b", &mut used), "a_b");
        assert_eq!(unique_name("a/b", &mut used), "a_b(2)");
        let long = "一".repeat(40);
        let n = unique_name(&long, &mut used);
        assert_eq!(n.chars().count(), 31);
        assert_eq!(unique_name(&long, &mut used).chars().count(), 31);
    }

    #[test]
    fn amounts_keep_their_printed_decimals() {
        assert_eq!(number_format(Decimal::new(123450, 2), true), "#,##0.00");
        assert_eq!(number_format(Decimal::new(3, 0), true), "#,##0");
        assert_eq!(number_format(Decimal::new(-4969, 2), false), "0.00");
        assert_eq!(as_double(Decimal::new(46778226628, 2)), 467782266.28);
    }
}
