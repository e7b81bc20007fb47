//! figures: the 类/款/项 hierarchy of a 功能分类 table. Only 项 rows are typed; every 款 and
//! 类 row and the 合计 row is a sum of the leaves under it, so nothing is added twice.

use std::collections::BTreeMap;

use super::{Cell, sum_cells};
use crate::catalog::Names;

/// Level of a row in a 类/款/项 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Class,
    Section,
    Item,
}

/// One row of a hierarchical table: code, official name and the row's columns.
#[derive(Debug, Clone)]
pub struct HierRow {
    pub level: Level,
    pub code: String,
    pub name: String,
    pub cells: Vec<Cell>,
}

/// A 类/款/项 table: the 合计 row and the rows in code order.
#[derive(Debug, Clone)]
pub struct HierTable {
    pub total: Vec<Cell>,
    pub rows: Vec<HierRow>,
}

impl HierTable {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The 类 subtotal row for `class`, if present.
    pub fn class(&self, class: &str) -> Option<&HierRow> {
        self.rows
            .iter()
            .find(|r| r.level == Level::Class && r.code == class)
    }
}

/// Rolls 项 rows (7-digit code → `width` cells) up into 款 and 类 rows and the 合计 row.
pub fn roll_up(leaves: &BTreeMap<String, Vec<Cell>>, width: usize, names: &Names) -> HierTable {
    let add = |acc: &mut Vec<Cell>, cells: &[Cell]| {
        for (a, c) in acc.iter_mut().zip(cells) {
            *a = sum_cells([*a, *c]);
        }
    };
    let mut total = vec![None; width];
    let mut class_sums: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    let mut section_sums: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for (code, cells) in leaves {
        add(&mut total, cells);
        add(
            class_sums
                .entry(code[..3].to_string())
                .or_insert_with(|| vec![None; width]),
            cells,
        );
        add(
            section_sums
                .entry(code[..5].to_string())
                .or_insert_with(|| vec![None; width]),
            cells,
        );
    }
    let name = |code: &str| names.functional(code);
    let mut out = Vec::new();
    for (class, cells) in &class_sums {
        out.push(HierRow {
            level: Level::Class,
            code: class.clone(),
            name: name(class),
            cells: cells.clone(),
        });
        for (section, cells) in section_sums
            .range(class.clone()..)
            .take_while(|(s, _)| s.starts_with(class.as_str()))
        {
            out.push(HierRow {
                level: Level::Section,
                code: section.clone(),
                name: name(section),
                cells: cells.clone(),
            });
            for (item, cells) in leaves
                .range(section.clone()..)
                .take_while(|(s, _)| s.starts_with(section.as_str()))
            {
                out.push(HierRow {
                    level: Level::Item,
                    code: item.clone(),
                    name: name(item),
                    cells: cells.clone(),
                });
            }
        }
    }
    HierTable { total, rows: out }
}
