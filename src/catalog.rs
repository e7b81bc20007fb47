//! The embedded catalog of 科目 names (政府收支分类科目), keyed by code, so users type codes
//! and budgetdoc prints the official names. Pure lookup data; no I/O at run time.
//!
//! 功能分类: 类 (3 digits) → 款 (5) → 项 (7). 经济分类: 类 (3) → 款 (5), each 类 in the
//! 人员经费 or 公用经费 block of 06表.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const FUNCTIONAL_TSV: &str = include_str!("catalog/functional.tsv");
const ECONOMIC_TSV: &str = include_str!("catalog/economic.tsv");

/// The 功能分类 类 rows that 01表 and 04表 always print, in their official order.
pub const STATEMENT_CLASSES: [&str; 26] = [
    "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
    "215", "216", "217", "219", "220", "221", "222", "223", "224", "229", "231", "232", "234",
];

/// Which half of 06表 an 经济分类 类 belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EconomicBlock {
    /// 人员经费 (301, 303).
    Personnel,
    /// 公用经费 (302, 307, 310, 399).
    Public,
}

/// One 经济分类 row in catalog order.
#[derive(Debug, Clone)]
pub struct EconomicEntry {
    pub code: &'static str,
    pub name: &'static str,
    /// Set on 类 rows only.
    pub block: Option<EconomicBlock>,
}

struct Catalog {
    functional: BTreeMap<&'static str, &'static str>,
    economic: Vec<EconomicEntry>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let rows = |tsv: &'static str| {
            tsv.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(|l| l.split('\t').collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let functional = rows(FUNCTIONAL_TSV)
            .into_iter()
            .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
            .collect();
        let economic = rows(ECONOMIC_TSV)
            .into_iter()
            .filter_map(|r| {
                Some(EconomicEntry {
                    code: r.first()?,
                    name: r.get(1)?,
                    block: match r.get(2).copied() {
                        Some("人员经费") => Some(EconomicBlock::Personnel),
                        Some("公用经费") => Some(EconomicBlock::Public),
                        _ => None,
                    },
                })
            })
            .collect();
        Catalog {
            functional,
            economic,
        }
    })
}

/// The official name of a 功能分类 code (类, 款 or 项).
pub fn functional_name(code: &str) -> Option<&'static str> {
    catalog().functional.get(code).copied()
}

/// Every 功能分类 code of the catalog (类, 款 and 项), in code order.
pub fn functional_codes() -> impl Iterator<Item = &'static str> {
    catalog().functional.keys().copied()
}

/// The official name of an 经济分类 code (类 or 款).
pub fn economic_name(code: &str) -> Option<&'static str> {
    catalog()
        .economic
        .iter()
        .find(|e| e.code == code)
        .map(|e| e.name)
}

/// All 经济分类 rows of 06表 in catalog order.
pub fn economic_entries() -> &'static [EconomicEntry] {
    &catalog().economic
}

/// The block (人员经费/公用经费) of an 经济分类 类 code.
pub fn economic_block(class: &str) -> Option<EconomicBlock> {
    catalog()
        .economic
        .iter()
        .find(|e| e.code == class)
        .and_then(|e| e.block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_has_a_named_class_and_section() {
        for code in functional_codes().filter(|c| c.len() == 7) {
            assert!(functional_name(&code[..3]).is_some(), "类 of {code}");
            assert!(functional_name(&code[..5]).is_some(), "款 of {code}");
        }
    }

    #[test]
    fn every_statement_class_has_a_name() {
        for c in STATEMENT_CLASSES {
            assert!(functional_name(c).is_some(), "类 {c} missing");
        }
        assert_eq!(functional_name("208"), Some("社会保障和就业支出"));
        assert_eq!(functional_name("2080101"), Some("行政运行"));
    }

    #[test]
    fn every_item_has_its_class_and_section() {
        for code in catalog().functional.keys() {
            if code.len() == 7 {
                assert!(functional_name(&code[..5]).is_some(), "款 of {code}");
            }
            if code.len() >= 5 {
                assert!(functional_name(&code[..3]).is_some(), "类 of {code}");
            }
        }
    }

    #[test]
    fn covers_every_code_of_the_seeds() {
        // Seed 002 (部门决算) and seed 004 (部门预算) 功能分类 codes.
        let functional = [
            "2011308", "2013299", "2019999", "2050803", "2080101", "2080102", "2080104", "2080105",
            "2080106", "2080108", "2080109", "2080110", "2080111", "2080112", "2080116", "2080150",
            "2080199", "2080501", "2080502", "2080505", "2080506", "2080507", "2080701", "2080702",
            "2080704", "2080705", "2080709", "2080711", "2080713", "2080799", "2080801", "2082602",
            "2089999", "2100201", "2101101", "2101102", "2101103", "2130804", "2210201", "2210203",
            "2230105",
        ];
        for code in functional {
            assert!(functional_name(code).is_some(), "{code}");
        }
        assert_eq!(functional_name("2080713"), Some("促进创业补贴"));
        for e in [
            "30108", "30212", "30231", "30299", "30399", "31013", "39908",
        ] {
            assert!(economic_name(e).is_some(), "{e}");
        }
    }

    #[test]
    fn economic_blocks() {
        assert_eq!(economic_block("301"), Some(EconomicBlock::Personnel));
        assert_eq!(economic_block("310"), Some(EconomicBlock::Public));
        assert_eq!(economic_name("30101"), Some("基本工资"));
        for e in economic_entries() {
            if e.code.len() == 5 {
                assert!(economic_block(&e.code[..3]).is_some(), "{}", e.code);
            }
        }
    }
}
