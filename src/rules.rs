//! The rule catalog: every consistency rule budgetdoc knows, with a stable ID, a severity, a
//! one-line statement and how it is enforced — checked on the typed facts, or guaranteed by
//! construction because budgetdoc derives the figure. IDs F01–F25, B01–B12 and P01–P04 are
//! those of `disclosure-rules.md` §2; the others are budgetdoc's own.

/// How bad a problem is: errors stop the build, warnings do not; a note is a problem the
/// project acknowledged (`accept:`), reported with its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    /// As every report format prints it.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How a rule is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforcement {
    /// `check` tests the typed facts.
    Checked,
    /// The input model cannot break it (the figure is derived); the reason.
    ByConstruction(&'static str),
}

/// One rule of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub statement: &'static str,
    pub enforcement: Enforcement,
}

impl Rule {
    /// Whether a project may acknowledge a breach (`accept:`): the content rules (F, B, P,
    /// T, R) may; the rules that protect reading and arithmetic (L, U, C) and those of the
    /// acknowledgements themselves (A) may not.
    pub fn acceptable(&self) -> bool {
        matches!(
            self.id.as_bytes().first(),
            Some(b'F' | b'B' | b'P' | b'T' | b'R')
        )
    }
}

use Enforcement::{ByConstruction as Built, Checked};
use Severity::{Error, Warning};

const fn rule(
    id: &'static str,
    severity: Severity,
    statement: &'static str,
    enforcement: Enforcement,
) -> Rule {
    Rule {
        id,
        severity,
        statement,
        enforcement,
    }
}

const DERIVED_TOTAL: &str = "every total of the table is summed from the typed 项/款 lines";

// The rules, each a typed value: a diagnostic takes one of these, never an ID string, so
// the severity it shows is always the catalog's.

// Loading.
pub static L01: Rule = rule(
    "L01",
    Error,
    "the file is readable UTF-8 YAML of reasonable size",
    Checked,
);
pub static L02: Rule = rule(
    "L02",
    Error,
    "every key is known, every required key present, every value of its type (unknown keys get the nearest valid key)",
    Checked,
);
pub static L03: Rule = rule(
    "L03",
    Error,
    "values are in range: names and goals not empty, amounts ≥ 0, a budget has units, a publication has forms",
    Checked,
);
pub static L04: Rule = rule(
    "L04",
    Warning,
    "a budget line carries at least one amount",
    Checked,
);
pub static U01: Rule = rule(
    "U01",
    Error,
    "one amount unit per document (元 or 万元), and settings (year, date, layout, table ids) are valid",
    Checked,
);
pub static U02: Rule = rule(
    "U02",
    Error,
    "an amount carries no more decimals than its unit makes exact (2 in 元, 6 in 万元: the 分)",
    Checked,
);
pub static U03: Rule = rule(
    "U03",
    Warning,
    "this year's amounts are plausible for the document's unit (元 or 万元)",
    Checked,
);

// Codes.
pub static C01: Rule = rule(
    "C01",
    Error,
    "a 功能分类 code is a 7-digit 项 code under a 类 of the classification, with a name from a catalog or typed on its line (unknown codes get the nearest codes of their 款 and 类)",
    Checked,
);
pub static C02: Rule = rule(
    "C02",
    Error,
    "the 类 and 款 of every 项 have names (embedded catalog, a catalog file or the project's `catalog:`)",
    Checked,
);
pub static C03: Rule = rule(
    "C03",
    Error,
    "an 经济分类 code is a known 5-digit 款 code in the right block (人员经费: 301, 303; 公用经费: the others)",
    Checked,
);
pub static C04: Rule = rule("C04", Error, "a code appears once in its list", Checked);
pub static C05: Rule = rule(
    "C05",
    Warning,
    "a typed 科目 name matches the catalog's name for the code",
    Checked,
);
pub static C06: Rule = rule(
    "C06",
    Warning,
    "a 项 code no catalog knows is printed with the name typed on its line",
    Checked,
);
pub static C07: Rule = rule(
    "C07",
    Warning,
    "a name from a catalog file or the project's `catalog:` agrees with the embedded catalog, and a catalog file names each code once",
    Checked,
);
pub static C08: Rule = rule(
    "C08",
    Error,
    "a catalog file is readable and has code and name columns; a `catalog:` entry is a 3-, 5- or 7-digit 功能分类 code with a name",
    Checked,
);

// 部门决算.
pub static F01: Rule = rule(
    "F01",
    Error,
    "01表: 收入总计 = 支出总计",
    Built("总计 is derived once and printed on both sides"),
);
pub static F02: Rule = rule(
    "F02",
    Error,
    "01表: 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
    Built(DERIVED_TOTAL),
);
pub static F03: Rule = rule(
    "F03",
    Error,
    "01表: 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
    Built("年末结转和结余 is derived from this identity"),
);
pub static F04: Rule = rule(
    "F04",
    Error,
    "01表: 本年收入合计 = Σ income lines",
    Built(DERIVED_TOTAL),
);
pub static F05: Rule = rule(
    "F05",
    Error,
    "01表: 本年支出合计 = Σ 功能 类 lines",
    Built(DERIVED_TOTAL),
);
pub static F06: Rule = rule(
    "F06",
    Error,
    "年末结转和结余 = 年初 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配",
    Built("年末结转和结余 is never typed; it is derived by this roll-forward"),
);
pub static F07: Rule = rule(
    "F07",
    Error,
    "02表, each row: 本年收入合计 = Σ its sources",
    Built(DERIVED_TOTAL),
);
pub static F08: Rule = rule(
    "F08",
    Error,
    "02表 合计 row = 01表 income lines",
    Built("01表's income lines are the 02表 totals"),
);
pub static F09: Rule = rule(
    "F09",
    Error,
    "03表, each row: 本年支出合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助",
    Built(DERIVED_TOTAL),
);
pub static F10: Rule = rule(
    "F10",
    Error,
    "03表 合计 and 类 subtotals = 01表",
    Built("01表's 类 lines are the 03表 类 subtotals"),
);
pub static F11: Rule = rule(
    "F11",
    Error,
    "04表: 收入总计 = 支出总计, per kind and in total",
    Built(DERIVED_TOTAL),
);
pub static F12: Rule = rule(
    "F12",
    Error,
    "04表 本年收入 by kind = 01表 income lines",
    Built("both come from the typed 02表 财政拨款 columns"),
);
pub static F13: Rule = rule(
    "F13",
    Error,
    "04表 一般公共预算 column = 05表 合计 and 类 subtotals",
    Built("04表's column is the 05表 roll-up"),
);
pub static F14: Rule = rule(
    "F14",
    Error,
    "05表, each row: 合计 = 基本支出 + 项目支出",
    Built(DERIVED_TOTAL),
);
pub static F15: Rule = rule(
    "F15",
    Error,
    "05表 基本支出 合计 (by 功能分类) = 06表 人员经费 + 公用经费 (by 经济分类)",
    Checked,
);
pub static F16: Rule = rule(
    "F16",
    Error,
    "06表: 人员经费 = Σ 301, 303; 公用经费 = Σ the other 类",
    Built("the block of each 款 follows from its code"),
);
pub static F17: Rule = rule(
    "F17",
    Error,
    "三公: 合计 = 出国 + 车辆 + 接待; 车辆 = 购置 + 运行",
    Built(DERIVED_TOTAL),
);
pub static F18: Rule = rule(
    "F18",
    Error,
    "06表 items ≤ the 三公 决算 items (30212 ≤ 因公出国, 30217 ≤ 公务接待, 30231 ≤ 公务用车运行, 31013 ≤ 公务用车购置)",
    Checked,
);
pub static F19: Rule = rule(
    "F19",
    Error,
    "政府性基金: 年末 = 年初 + 本年收入 − 本年支出; totals = 04表's column",
    Built("年末 is derived; the totals are the 08表 roll-up"),
);
pub static F20: Rule = rule(
    "F20",
    Error,
    "国有资本: 合计 = 基本 + 项目; totals = 04表's column",
    Built(DERIVED_TOTAL),
);
pub static F21: Rule = rule(
    "F21",
    Error,
    "类 = Σ 款, 款 = Σ 项, 合计 = Σ 类, leaves only",
    Built("only 项 lines are typed; every parent row is a sum of leaves"),
);
pub static F22: Rule = rule(
    "F22",
    Error,
    "publish to 项 level (功能) and 款 level (经济)",
    Built("the schema takes 7-digit 项 and 5-digit 款 codes only (C01, C03)"),
);
pub static F23: Rule = rule(
    "F23",
    Error,
    "a table with no data is still published, with a note",
    Built("every table is always printed; an empty one carries the 注"),
);
pub static F24: Rule = rule(
    "F24",
    Error,
    "every figure in the 情况说明 equals the table figure it refers to",
    Built("sentences are built from the derived figures; free-text numbers are R02"),
);
pub static F25: Rule = rule(
    "F25",
    Warning,
    "三公 决算 that differs from its 预算 is explained",
    Checked,
);
pub static F26: Rule = rule(
    "F26",
    Error,
    "per 科目, 05表 一般公共预算财政拨款 ≤ 03表 all-funds 支出 (基本 and 项目)",
    Checked,
);

// 部门预算.
pub static B01: Rule = rule(
    "B01",
    Error,
    "收支总表: 收入总计 = 支出总计",
    Built("财政拨款 income is the units' spending; other income must balance (B14)"),
);
pub static B02: Rule = rule(
    "B02",
    Error,
    "收入总计 = 本年收入 + 上年结转; 支出总计 = 本年支出 + 结转下年",
    Built(DERIVED_TOTAL),
);
pub static B03: Rule = rule(
    "B03",
    Error,
    "本年收入合计 = Σ sources",
    Built(DERIVED_TOTAL),
);
pub static B04: Rule = rule(
    "B04",
    Error,
    "收入表/支出表 totals = 收支总表 lines",
    Built("all three are the same derived figures"),
);
pub static B05: Rule = rule(
    "B05",
    Error,
    "财政拨款收支总表: 收入总计 = 支出总计, per kind",
    Built(DERIVED_TOTAL),
);
pub static B06: Rule = rule(
    "B06",
    Error,
    "财政拨款收支总表 一般公共预算 = 一般公共预算支出表 合计 = 基本 + 项目",
    Built(DERIVED_TOTAL),
);
pub static B07: Rule = rule(
    "B07",
    Error,
    "一般公共预算 基本支出 (units' 项 lines) = 基本支出表 (人员经费 + 公用经费 by 经济分类)",
    Checked,
);
pub static B08: Rule = rule(
    "B08",
    Error,
    "Σ projects = 项目支出",
    Built("项目支出 is summed from the units' lines"),
);
pub static B09: Rule = rule(
    "B09",
    Error,
    "三公预算表: the equations of F17",
    Built(DERIVED_TOTAL),
);
pub static B10: Rule = rule(
    "B10",
    Error,
    "政府性基金 table totals = 财政拨款收支总表 column",
    Built(DERIVED_TOTAL),
);
pub static B11: Rule = rule(
    "B11",
    Error,
    "the performance-target forms of a unit add up to its 项目支出",
    Checked,
);
pub static B12: Rule = rule(
    "B12",
    Error,
    "hierarchy as in F21",
    Built("only 项 lines are typed"),
);
pub static B13: Rule = rule(
    "B13",
    Error,
    "a prior 项目支出 执行数 is at most the code's whole 执行数",
    Checked,
);
pub static B14: Rule = rule(
    "B14",
    Error,
    "non-财政拨款 income equals non-财政拨款 spending; 事业预算收入 ≥ its 其中 items",
    Checked,
);

// Performance tables.
pub static P01: Rule = rule(
    "P01",
    Error,
    "自评表: 年度资金总额 = 当年财政拨款 + 上年结转 + 其他资金, per column",
    Built("年度资金总额 is derived"),
);
pub static P02: Rule = rule(
    "P02",
    Error,
    "自评表: 执行率 = 全年执行数 ÷ 全年预算数",
    Built("执行率 and its 得分 are derived"),
);
pub static P03: Rule = rule(
    "P03",
    Error,
    "自评表: each 得分 ≤ its 分值 (none is negative: load refuses negative amounts, L03)",
    Checked,
);
pub static P04: Rule = rule(
    "P04",
    Error,
    "each 二级指标 sits under its 一级指标",
    Built("the schema nests 二级 under their 一级"),
);
pub static P05: Rule = rule(
    "P05",
    Warning,
    "自评表 分值: 执行率 10 + 产出 50 + 效益 30 + 满意度 10 = 100",
    Checked,
);
pub static T01: Rule = rule(
    "T01",
    Error,
    "目标表: 本级资金总额 = 财政拨款 + 其他资金 + 结余结转资金",
    Checked,
);
pub static T02: Rule = rule(
    "T02",
    Error,
    "目标表: 转移市县（区）资金总额 = 中央资金 + 自治区资金",
    Checked,
);
pub static T03: Rule = rule(
    "T03",
    Error,
    "目标表: 年度资金总额 = 本级资金 + 转移市县（区）资金",
    Checked,
);
pub static T04: Rule = rule("T04", Error, "目标表: 年度资金总额 ≤ 项目总额", Checked);
pub static T05: Rule = rule(
    "T05",
    Error,
    "目标表: 产出, 效益 and 满意度 each have an indicator",
    Checked,
);
pub static T06: Rule = rule(
    "T06",
    Error,
    "目标表: no 成本指标 states more 万元 than the year's funds",
    Checked,
);
pub static T07: Rule = rule(
    "T07",
    Error,
    "目标表: a form names its 实施单位 (a unit of the budget, or a name)",
    Checked,
);
pub static T08: Rule = rule(
    "T08",
    Warning,
    "目标表: a 二级指标 typed as `[]` prints what the form prints for it (a warning where that is no row)",
    Checked,
);

// Narrative.
pub static R01: Rule = rule(
    "R01",
    Warning,
    "a change the 情况说明 reports has its 主要原因",
    Checked,
);
pub static R02: Rule = rule(
    "R02",
    Warning,
    "an amount or percentage typed into free text matches a figure of the document",
    Checked,
);
pub static R03: Rule = rule(
    "R03",
    Error,
    "a reason is keyed by a code that has a sentence",
    Checked,
);
pub static R04: Rule = rule(
    "R04",
    Warning,
    "a fact a table or sentence needs is typed; what is missing prints empty or is left out, never as 0",
    Checked,
);
pub static R05: Rule = rule(
    "R05",
    Warning,
    "a count typed into a text (N个项目) agrees with the count the data gives",
    Checked,
);
pub static R06: Rule = rule(
    "R06",
    Warning,
    "no text still holds the placeholder `import` writes (【待填写】)",
    Checked,
);
pub static R07: Rule = rule(
    "R07",
    Error,
    "no printed text holds a `{…}` placeholder that nothing filled",
    Checked,
);

// Acknowledged exceptions.
pub static A01: Rule = rule(
    "A01",
    Error,
    "an `accept:` entry names a rule that may be accepted (F, B, P, T, R), where it applies and why",
    Checked,
);
pub static A02: Rule = rule(
    "A02",
    Warning,
    "every `accept:` entry matches a problem the project has (otherwise it is stale)",
    Checked,
);

/// The catalog, in ID order within each family.
pub static R08: Rule = rule(
    "R08",
    Warning,
    "a table figure is printed as budgetdoc derives it; one printed as the published document prints it (`accept:` with `printed:`, within its `tolerance:`) is reported with its reason",
    Checked,
);

// Region packs.
pub static K01: Rule = rule(
    "K01",
    Error,
    "a region pack is complete and names only slots, figures, row sources, texts and tables budgetdoc has; packs extend each other without a cycle",
    Checked,
);
pub static K02: Rule = rule(
    "K02",
    Error,
    "every fact the project's region pack requires is typed",
    Checked,
);

pub static A03: Rule = rule(
    "A03",
    Error,
    "a figure accepted as printed names a cell the document prints and differs from the derived figure by at most its tolerance",
    Checked,
);

pub static RULES: &[&Rule] = &[
    &L01, &L02, &L03, &L04, &U01, &U02, &U03, &C01, &C02, &C03, &C04, &C05, &C06, &C07, &C08, &F01,
    &F02, &F03, &F04, &F05, &F06, &F07, &F08, &F09, &F10, &F11, &F12, &F13, &F14, &F15, &F16, &F17,
    &F18, &F19, &F20, &F21, &F22, &F23, &F24, &F25, &F26, &B01, &B02, &B03, &B04, &B05, &B06, &B07,
    &B08, &B09, &B10, &B11, &B12, &B13, &B14, &P01, &P02, &P03, &P04, &P05, &T01, &T02, &T03, &T04,
    &T05, &T06, &T07, &T08, &R01, &R02, &R03, &R04, &R05, &R06, &R07, &R08, &K01, &K02, &A01, &A02,
    &A03,
];

/// The rule with `id`.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_cover_the_design_document() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule IDs");
        for i in 1..=25 {
            assert!(find(&format!("F{i:02}")).is_some(), "F{i:02}");
        }
        for i in 1..=12 {
            assert!(find(&format!("B{i:02}")).is_some(), "B{i:02}");
        }
        for i in 1..=4 {
            assert!(find(&format!("P{i:02}")).is_some(), "P{i:02}");
        }
    }

    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../docs/rules.md");
        for r in RULES {
            assert!(
                readme.contains(&format!("| {} |", r.id)),
                "docs/rules.md lacks {}",
                r.id
            );
        }
    }
}
