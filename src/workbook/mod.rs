//! The tables as an Excel workbook, both ways. [`Sheet`] is one printed table as a grid —
//! title, 公开部门 and 金额单位 lines, the merged header, the body — which each kind builds
//! from its view (`DocumentKind::sheets`) and [`write`] turns into xlsx bytes (export).
//! [`read`] opens a workbook (ours or a finance system's) and finds sheets, rows and columns
//! by their words, never by coordinates; each kind maps what it finds to facts
//! (`DocumentKind::import`), and [`project`] writes them as a commented project (import).
//!
//! No arithmetic here: amounts pass through as the `Decimal` the table prints.

pub mod locate;
pub mod project;
pub mod read;
pub mod unpack;
pub mod write;

use rust_decimal::Decimal;

/// Excel's limit on a sheet name, in characters.
pub const SHEET_NAME_CHARS: usize = 31;

/// One printed table as a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The tab's name (at most 31 characters; [`write`] truncates and de-duplicates).
    pub name: String,
    pub title: String,
    /// The table's code printed above it (公开02表), if any.
    pub code: Option<String>,
    /// 公开部门：… (left) and 金额单位：… (right), as printed.
    pub publisher: String,
    pub unit_line: String,
    /// Column widths in characters.
    pub widths: Vec<u16>,
    /// The header's cells, placed on a grid of `header_rows` rows.
    pub header: Vec<Span>,
    pub header_rows: u32,
    /// The body, row by row; a cell may span several columns.
    pub body: Vec<Vec<Cell>>,
    /// The 注 line(s) below the table.
    pub notes: Vec<String>,
}

/// A header cell and the rows and columns it covers (0-based, inside the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub row: u32,
    pub col: u16,
    pub rows: u32,
    pub cols: u16,
    pub text: String,
}

impl Span {
    pub fn new(row: u32, col: u16, rows: u32, cols: u16, text: impl Into<String>) -> Self {
        Self {
            row,
            col,
            rows,
            cols,
            text: text.into(),
        }
    }
}

/// A body cell: what it holds and how many columns it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub cols: u16,
}

impl Cell {
    pub fn new(value: Value) -> Self {
        Self { value, cols: 1 }
    }
    pub fn spanning(value: Value, cols: u16) -> Self {
        Self { value, cols }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing printed (a fact nobody typed, or not applicable).
    Empty,
    /// A label, left-aligned.
    Label(String),
    /// A short centred text (行次, 栏次, a heading inside the body).
    Centre(String),
    /// A 科目 code, kept as text so 2080101 never becomes a number.
    Code(String),
    /// An amount with the number of decimals the table prints.
    Amount(Decimal),
    /// A percentage or rate as printed (增减%), as a number.
    Rate(Decimal),
}

impl Value {
    /// A printed amount (`1,234.50`, `-3`, `` for nothing) as an amount cell.
    pub fn amount(printed: &str) -> Value {
        match parse_printed(printed) {
            Some(d) => Value::Amount(d),
            None if printed.trim().is_empty() => Value::Empty,
            None => Value::Centre(printed.to_string()),
        }
    }

    /// A printed rate (`-49.69`, `182%`) as a rate cell.
    pub fn rate(printed: &str) -> Value {
        match parse_printed(printed.trim_end_matches('%')) {
            Some(d) => Value::Rate(d),
            None if printed.trim().is_empty() => Value::Empty,
            None => Value::Centre(printed.to_string()),
        }
    }

    pub fn label(text: &str) -> Value {
        if text.is_empty() {
            Value::Empty
        } else {
            Value::Label(text.to_string())
        }
    }

    pub fn code(text: &str) -> Value {
        if text.is_empty() {
            Value::Empty
        } else {
            Value::Code(text.to_string())
        }
    }
}

/// A figure as the view prints it (thousands separators, a sign) back to the exact decimal
/// it shows; `None` for anything that is not a plain number.
pub fn parse_printed(printed: &str) -> Option<Decimal> {
    let plain: String = printed
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if plain.is_empty() || !plain.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    plain.parse::<Decimal>().ok()
}

/// The standard 类/款/项 header of a 功能分类 table (公开02/03/05/08/09表, 预算 表二/五):
/// 项目 over 科目编码 (类 款 项) and 科目名称, then the amount columns — each a label, or a
/// label over sub-labels — and the 栏次 row. Returns the spans and the number of rows.
pub fn hierarchy_header(code_label: &str, columns: &[(&str, &[&str])]) -> (Vec<Span>, u32) {
    let mut spans = vec![
        Span::new(0, 0, 1, 4, "项目"),
        Span::new(1, 0, 1, 3, code_label),
        Span::new(1, 3, 2, 1, "科目名称"),
        Span::new(2, 0, 1, 1, "类"),
        Span::new(2, 1, 1, 1, "款"),
        Span::new(2, 2, 1, 1, "项"),
        Span::new(3, 0, 1, 4, "栏次"),
    ];
    let mut col: u16 = 4;
    let mut n = 0;
    for (label, subs) in columns {
        if subs.is_empty() {
            spans.push(Span::new(0, col, 3, 1, *label));
            n += 1;
            spans.push(Span::new(3, col, 1, 1, n.to_string()));
            col += 1;
        } else {
            let width = u16::try_from(subs.len()).unwrap_or(1);
            spans.push(Span::new(0, col, 1, width, *label));
            for s in *subs {
                spans.push(Span::new(1, col, 2, 1, *s));
                n += 1;
                spans.push(Span::new(3, col, 1, 1, n.to_string()));
                col += 1;
            }
        }
    }
    (spans, 4)
}

/// A view's string (a figure or a word) at `v`, or "" when absent.
pub fn text(v: &serde_json::Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A view's list at `v` (empty when absent).
pub fn list(v: &serde_json::Value) -> &[serde_json::Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// A printed 类/款/项 table as a sheet body: the 合计 row, then each row's code (over the
/// three code columns), name and amounts.
pub fn hierarchy_body(total: &serde_json::Value, rows: &[serde_json::Value]) -> Vec<Vec<Cell>> {
    let amounts = |v: &serde_json::Value| {
        list(v)
            .iter()
            .map(|c| Cell::new(Value::amount(&text(c))))
            .collect::<Vec<_>>()
    };
    let mut body = Vec::new();
    if !total.is_null() {
        let mut row = vec![
            Cell::spanning(Value::Empty, 3),
            Cell::new(Value::Centre("合计".into())),
        ];
        row.extend(amounts(total));
        body.push(row);
    }
    for r in rows {
        let mut row = vec![
            Cell::spanning(Value::code(&text(&r["code"])), 3),
            Cell::new(Value::label(&text(&r["name"]))),
        ];
        row.extend(amounts(&r["cells"]));
        body.push(row);
    }
    body
}

/// The header of one block of a “三公” table under its year's label (rows 1–2, from column
/// `col`): 合计, 因公出国（境）费, 公务用车购置及运行费 over 小计/购置费/`operation` (the kind's
/// word for 运行费), 公务接待费.
pub fn three_public_header(col: u16, operation: &str) -> Vec<Span> {
    vec![
        Span::new(1, col, 2, 1, "合计"),
        Span::new(1, col + 1, 2, 1, "因公出国（境）费"),
        Span::new(1, col + 2, 1, 3, "公务用车购置及运行费"),
        Span::new(1, col + 5, 2, 1, "公务接待费"),
        Span::new(2, col + 2, 1, 1, "小计"),
        Span::new(2, col + 3, 1, 1, "公务用车购置费"),
        Span::new(2, col + 4, 1, 1, operation),
    ]
}

/// The sheet name for a table: its code and title, cut at Excel's 31 characters.
pub fn sheet_name(code: &str, title: &str) -> String {
    let full = if code.is_empty() {
        title.to_string()
    } else {
        format!("{code} {title}")
    };
    full.chars().take(SHEET_NAME_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_figures_parse_exactly() {
        assert_eq!(parse_printed("1,234.50"), Some(Decimal::new(123450, 2)));
        assert_eq!(parse_printed("-49.69"), Some(Decimal::new(-4969, 2)));
        assert_eq!(parse_printed(""), None);
        assert_eq!(parse_printed("—"), None);
        assert_eq!(Value::amount("0.00"), Value::Amount(Decimal::new(0, 2)));
        assert_eq!(Value::amount(""), Value::Empty);
    }

    #[test]
    fn names_stop_at_31_characters() {
        let n = sheet_name(
            "公开08表",
            "政府性基金预算财政拨款收入支出决算表政府性基金预算",
        );
        assert_eq!(n.chars().count(), 31);
        assert!(n.starts_with("公开08表 政府性基金"));
    }

    #[test]
    fn the_hierarchy_header_numbers_every_amount_column() {
        let (spans, rows) = hierarchy_header(
            "功能分类科目编码",
            &[("合计", &[]), ("事业收入", &["小计", "其中：教育收费"])],
        );
        assert_eq!(rows, 4);
        let columns: Vec<&str> = spans
            .iter()
            .filter(|s| s.row == 3 && s.col >= 4)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(columns, ["1", "2", "3"]);
    }
}
