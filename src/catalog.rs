//! The 科目 names (政府收支分类科目) a document prints, keyed by code, so users type codes and
//! budgetdoc prints the official names. Pure lookup data; no I/O at run time except reading
//! a supplied catalog file ([`supplied`]).
//!
//! 功能分类: 类 (3 digits) → 款 (5) → 项 (7). 经济分类: 类 (3) → 款 (5), each 类 in the
//! 人员经费 or 公用经费 block of 06表.
//!
//! Names come, in the order they win, from the project's own `catalog:` entries, then a
//! supplied catalog file (a region's, from its finance software or 财政部's yearly 科目
//! document), then the catalog embedded here (`catalog/functional.tsv`, whose provenance its
//! header gives); a 项 outside all three may still be printed with the `name:` typed on its
//! line. [`Catalogs`] answers which name a code has and where it came from.

pub mod supplied;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use std::path::PathBuf;

use crate::diag::{Diagnostics, Location};
use crate::load::scalar::{Code, Text};
use crate::load::{Confinement, Loaded};
pub use supplied::{SuppliedCatalog, SuppliedEntry};

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
    /// Each code's names: `(since, name)`, the year a name applies from (`None`: always).
    functional: BTreeMap<&'static str, Vec<(Option<i32>, &'static str)>>,
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
        let mut functional: BTreeMap<&str, Vec<(Option<i32>, &str)>> = BTreeMap::new();
        for r in rows(FUNCTIONAL_TSV) {
            if let (Some(code), Some(name)) = (r.first(), r.get(1)) {
                let since = r.get(2).and_then(|y| y.trim().parse().ok());
                functional.entry(*code).or_default().push((since, *name));
            }
        }
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

/// The embedded name of a 功能分类 code (类, 款 or 项), in its latest wording.
pub fn functional_name(code: &str) -> Option<&'static str> {
    functional_name_in(code, i32::MAX)
}

/// The embedded name of a 功能分类 code in the wording of `year`: the name with the latest
/// `since` at or before the year, else the earliest one.
pub fn functional_name_in(code: &str, year: i32) -> Option<&'static str> {
    let names = catalog().functional.get(code)?;
    names
        .iter()
        .filter(|(since, _)| since.is_none_or(|s| s <= year))
        .max_by_key(|(since, _)| *since)
        .or_else(|| names.iter().min_by_key(|(since, _)| *since))
        .map(|(_, name)| *name)
}

/// Whether `class` is a 类 of the 支出功能分类 (a 3-digit code of the embedded catalog).
pub fn is_functional_class(class: &str) -> bool {
    class.len() == 3 && catalog().functional.contains_key(class)
}

/// Where a name a document prints comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSource {
    /// budgetdoc's embedded catalog.
    Embedded,
    /// A supplied catalog file, at this row.
    File(Location),
    /// The project's `catalog:` entry of the code.
    Project,
}

/// The catalogs one document draws names from: its own `catalog:` entries, supplied catalog
/// files (in the order given), the embedded catalog; for the document's year.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    pub year: i32,
    /// The project's `catalog:` entries.
    pub project: BTreeMap<String, String>,
    pub files: Vec<SuppliedCatalog>,
    /// A region pack file named by the person running budgetdoc (`--pack`): region files
    /// are named together, catalogs and packs alike.
    pub pack: Option<std::path::PathBuf>,
}

/// Whether a region file named on the command line is a pack (YAML) rather than a catalog.
pub fn is_pack_file(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"))
}

impl Catalogs {
    /// The name of a 功能分类 code and its source, if any catalog has one.
    pub fn functional(&self, code: &str) -> Option<(String, NameSource)> {
        if let Some(name) = self.project.get(code) {
            return Some((name.clone(), NameSource::Project));
        }
        for file in &self.files {
            if let Some(e) = file.name(code, self.year) {
                return Some((e.name.clone(), NameSource::File(e.at.clone())));
            }
        }
        functional_name_in(code, self.year).map(|n| (n.to_string(), NameSource::Embedded))
    }

    /// Every 7-digit code some catalog names, with its name, in code order.
    pub fn items(&self) -> Vec<(String, String)> {
        let mut all: BTreeMap<String, String> = BTreeMap::new();
        for code in functional_codes().filter(|c| c.len() == 7) {
            if let Some((name, _)) = self.functional(code) {
                all.insert(code.to_string(), name);
            }
        }
        for code in self
            .files
            .iter()
            .flat_map(|f| f.entries.keys())
            .chain(self.project.keys())
            .filter(|c| c.len() == 7)
        {
            if let Some((name, _)) = self.functional(code) {
                all.insert(code.clone(), name);
            }
        }
        all.into_iter().collect()
    }
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

/// The catalogs of a document: the project's `catalog:` entries, the project's
/// `catalog_file` (inside the project), and the files named on the command line (anywhere).
/// Returns them with the warnings of reading the files.
pub fn for_document<M, A>(
    loaded: &Loaded<M, A>,
    year: i32,
    entries: &BTreeMap<Code, Text>,
    project_file: Option<&Text>,
    named: &[PathBuf],
) -> Result<(Catalogs, Diagnostics), Diagnostics> {
    let mut catalogs = Catalogs {
        year,
        project: entries
            .iter()
            .map(|(c, n)| (c.as_str().to_string(), n.as_str().trim().to_string()))
            .collect(),
        files: Vec::new(),
        pack: None,
    };
    let mut warnings = Diagnostics::default();
    let mut errors = Diagnostics::default();
    let confinement = Confinement::new(&loaded.root).map_err(|d| Diagnostics(vec![d]))?;
    // The project's own file first: a department's names win over its region's.
    let mut files: Vec<(PathBuf, Option<&Confinement>)> = project_file
        .map(|rel| (loaded.root.join(rel.as_str().trim()), Some(&confinement)))
        .into_iter()
        .collect();
    files.extend(named.iter().map(|p| (p.clone(), None)));
    for (path, confined) in files {
        match supplied::read(&path, confined) {
            Ok((file, w)) => {
                catalogs.files.push(file);
                warnings.extend(w);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok((catalogs, warnings))
    } else {
        Err(errors)
    }
}

/// The name a document prints for each 功能分类 code it uses (项, and the 类 and 款 above
/// them), resolved by validation from the catalogs and the names typed on lines.
#[derive(Debug, Clone, Default)]
pub struct Names(pub BTreeMap<String, String>);

impl Names {
    /// The printed name of a 功能分类 code: the resolved one, else the embedded catalog's
    /// (the 类 rows every 01表 prints), else empty.
    pub fn functional(&self, code: &str) -> String {
        self.0
            .get(code)
            .cloned()
            .or_else(|| functional_name(code).map(str::to_string))
            .unwrap_or_default()
    }
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
