//! Region packs: the shipped 上海 edition prints what its pack and its example's facts say;
//! a made-up region's pack (the manual's walk-through) builds from data alone; every
//! problem of a pack is located in the pack file; clauses without figures are left out.

use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::support::{copy_dir, run, stderr};

const SHANGHAI: &str = "examples/shanghai-district-2026-budget";

/// The text of a project's pages as laid out, every line joined (a sentence wrapped over
/// lines reads whole).
fn text_of(project: &Path) -> String {
    let figures = budgetdoc::explain::figures(project, &budgetdoc::BuildOptions::default())
        .unwrap_or_else(|d| panic!("{} builds: {d:?}", project.display()));
    figures
        .pages()
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| l.text.replace(' ', "")))
        .collect()
}

fn yaml(path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn amount(v: &serde_yaml::Value) -> Decimal {
    match v {
        serde_yaml::Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("not an amount: {other:?}"),
    }
}

/// `v` with thousands separators and `dp` decimals, half-up.
fn grouped(v: Decimal, dp: u32) -> String {
    let s = format!(
        "{:.*}",
        dp as usize,
        v.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    );
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    }
}

/// A copy of the 上海 example in a temporary directory, its main file edited by `edit`.
fn shanghai_variant(edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(SHANGHAI),
        &project,
    );
    let main = project.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    fs::write(&main, edit(text)).unwrap();
    (dir, project)
}

#[test]
fn the_shanghai_example_prints_the_district_edition_from_its_pack() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = root.join(SHANGHAI);
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("sh.pdf");
    let o = run(&[
        "build",
        SHANGHAI,
        "-o",
        pdf.to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = text_of(&project);
    let pack = yaml(&root.join("templates/packs/shanghai-district.yaml"));
    let facts = yaml(&project.join("budgetdoc.yaml"));
    let year = facts["year"].as_u64().unwrap().to_string();
    // The nine tables under the template's titles, in the pack's order.
    let mut at = 0;
    let parts = pack["parts"].as_sequence().unwrap();
    let tables: Vec<&str> = parts
        .iter()
        .flat_map(|p| p["blocks"].as_sequence().cloned().unwrap_or_default())
        .filter_map(|b| b["table"].as_str().map(str::to_string))
        .map(|id| pack["tables"][id.as_str()]["title"].as_str().unwrap())
        .collect();
    assert_eq!(tables.len(), 9);
    for title in tables {
        let title = title.replace("{year}", &year);
        let found = text[at..]
            .find(&title)
            .unwrap_or_else(|| panic!("table `{title}` in order"));
        at += found;
    }
    // The seven parts with their ordinals.
    for (i, p) in parts.iter().enumerate() {
        let heading = format!(
            "{}、{}",
            ["一", "二", "三", "四", "五", "六", "七"][i],
            p["title"].as_str().unwrap()
        );
        assert!(text.contains(&heading), "part `{heading}`");
    }
    assert_eq!(parts.len(), 7);
    // 其他相关情况说明 一–五.
    for (i, s) in parts[5]["sections"]
        .as_sequence()
        .unwrap()
        .iter()
        .enumerate()
    {
        let heading = format!(
            "{}、{}",
            ["一", "二", "三", "四", "五"][i],
            s["title"].as_str().unwrap().replace("{year}", &year)
        );
        assert!(text.contains(&heading), "其他相关 `{heading}`");
    }
    // The per-科目 list: one numbered item per 项 with 财政拨款, with its 主要用于.
    let lines = facts["general_budget"].as_sequence().unwrap();
    for (i, line) in lines.iter().enumerate() {
        let code = line["code"].as_str().unwrap();
        let use_ = facts["uses"][code].as_str().unwrap();
        let whole: Decimal = ["basic", "project"]
            .iter()
            .filter(|k| !line[**k].is_null())
            .map(|k| amount(&line[*k]))
            .sum();
        let item = format!("{}.“", i + 1);
        assert!(text.contains(&item), "item {}", i + 1);
        // 万元 with two decimals in the text, from 元 typed.
        let wan = grouped(whole / Decimal::from(10_000), 2);
        assert!(
            text.contains(&format!("科目{wan}万元，主要用于{use_}")),
            "{code}: 科目{wan}万元，主要用于{use_}"
        );
    }
    // Whole 元 with separators in the tables: the 一般公共预算 total.
    let general: Decimal = lines
        .iter()
        .flat_map(|l| ["basic", "project"].map(|k| l[k].clone()))
        .filter(|v| !v.is_null())
        .map(|v| amount(&v))
        .sum();
    assert!(text.contains(&format!("合计{}", grouped(general, 0))));
    // A 项目经费情况说明 block per project.
    for p in facts["projects"].as_sequence().unwrap() {
        let name = p["name"].as_str().unwrap();
        assert!(text.contains(&format!("{name}经费情况说明")), "{name}");
    }
    // The empty tables carry their notes.
    assert!(text.contains(&format!(
        "注：本部门{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    )));
}

#[test]
fn a_clause_whose_figure_is_absent_is_left_out_and_none_is_said_only_when_typed() {
    // Without non-财政拨款 income, the 编制说明 names no 事业收入 or 其他收入 (never "0万元").
    let (_d, project) = shanghai_variant(|t| {
        let start = t.find("other_sources:").unwrap();
        let end = t.find("# The prior year's 预算").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    let text = text_of(&project);
    assert!(!text.contains("；事业收入"), "{text}");
    assert!(!text.contains("；其他收入"));
    assert!(text.contains("收入预算2,782.33万元，其中：财政拨款收入2,782.33万元"));
    // Procurement not typed: neither sentence; typed as 0: "未安排".
    let (_d, project) = shanghai_variant(|t| {
        let start = t.find("procurement:").unwrap();
        let end = t.find("performance:").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    let text = text_of(&project);
    assert!(
        !text.contains("本部门政府采购预算"),
        "no sentence on procurement"
    );
    assert!(!text.contains("未安排政府采购预算"));
    let (_d, project) = shanghai_variant(|t| {
        let start = t.find("procurement:").unwrap();
        let end = t.find("performance:").unwrap();
        format!(
            "{}procurement: {{ goods: 0, works: 0, services: 0 }}\n{}",
            &t[..start],
            &t[end..]
        )
    });
    let text = text_of(&project);
    assert!(
        text.contains("上海市普陀区上海市普陀区人力资源和社会保障局2026年未安排政府采购预算。")
    );
}

/// The fenced block after `<!-- walkthrough: NAME -->` in the manual's chapter.
fn walkthrough(chapter: &str, name: &str) -> String {
    let marker = format!("<!-- walkthrough: {name} -->");
    let at = chapter
        .find(&marker)
        .unwrap_or_else(|| panic!("docs/profiles-and-packs.md has {marker}"));
    let rest = &chapter[at..];
    let start = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = rest[start..].find("```").unwrap();
    rest[start..start + end].to_string()
}

#[test]
fn the_manual_walkthrough_builds_as_written() {
    let manual = include_str!("../../docs/profiles-and-packs.md");
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("county");
    fs::create_dir(&project).unwrap();
    for name in ["pack.yaml", "budgetdoc.yaml"] {
        fs::write(project.join(name), walkthrough(manual, name)).unwrap();
    }
    let o = run(&["build", project.to_str().unwrap(), "--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = text_of(&project);
    // A different numbering, table set and sentence, from data alone.
    for want in [
        "第一部分单位职能",
        "第二部分预算情况",
        "1、支出预算",
        "2026年一般公共预算支出425.80万元，比上年预算增加25.80万元，其中基本支出345.80万元。",
        "2026年支出预算表",
    ] {
        assert!(text.contains(want), "`{want}` in:\n{text}");
    }
    // 类 and 款 rows only (no 项), and 合计 at the bottom.
    assert!(text.contains("201一般公共服务支出"));
    assert!(text.contains("20113商贸事务"));
    assert!(!text.contains("2011301"));
    let total = text.rfind("合计425.80345.8080.00").expect("合计 row");
    assert!(total > text.find("22102").unwrap(), "合计 after the rows");
    // A misspelt slot, as the manual says.
    let pack = project.join("pack.yaml");
    let t = fs::read_to_string(&pack).unwrap();
    fs::write(
        &pack,
        t.replacen("{expenditure.general}", "{expenditure.genral}", 1),
    )
    .unwrap();
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("pack.yaml:19:")
            && out.contains("error[K01]: the slot `expenditure.genral` is not a figure or text budgetdoc computes"),
        "{out}"
    );
    let o = run(&["check", project.to_str().unwrap()]);
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(all.contains("did you mean `expenditure.general`?"), "{all}");
}

/// `check` of the 上海 example with its own `pack.yaml` (which extends the shipped pack
/// unless it says otherwise): exit code and the short report.
fn check_with_pack(pack: &str, extra: &[(&str, &str)]) -> (Option<i32>, String) {
    let (dir, project) =
        shanghai_variant(|t| t.replacen("region: shanghai-district", "pack_file: pack.yaml", 1));
    fs::write(project.join("pack.yaml"), pack).unwrap();
    for (name, text) in extra {
        fs::write(project.join(name), text).unwrap();
    }
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    drop(dir);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn a_project_pack_extends_the_shipped_one_and_changes_one_table() {
    let (dir, project) =
        shanghai_variant(|t| t.replacen("region: shanghai-district", "pack_file: pack.yaml", 1));
    fs::write(
        project.join("pack.yaml"),
        "extends: shanghai-district\ntables:\n  income:\n    title: \"{year}年部门收入预算总表（区级）\"\n",
    )
    .unwrap();
    let o = run(&["build", project.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = text_of(&project);
    assert!(text.contains("2026年部门收入预算总表（区级）"));
    assert!(
        text.contains("2026年部门支出预算总表"),
        "the other tables stay"
    );
    drop(dir);
}

#[test]
fn every_problem_of_a_pack_is_located_in_the_pack_file() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "extends: shanghai-district\ncover:\n  lines: [\"{locality}{year}年{income.totl}\"]\n",
            "pack.yaml:3:",
            "the slot `income.totl` is not a figure or text budgetdoc computes",
        ),
        (
            "extends: shanghai-district\ntables:\n  income:\n    rows:\n      - { source: functionl, total: 合计 }\n",
            "pack.yaml:5:",
            "unknown row source `functionl`",
        ),
        (
            "extends: shanghai-district\ntables:\n  income:\n    columns:\n      - { header: 编码, field: code }\n      - { header: 空 }\n",
            "pack.yaml:6:",
            "the column `空` is bound to nothing",
        ),
        (
            "extends: shanghai-district\ncover:\n  lines: [\"{sum(income.total, income.fiscal)}\"]\n",
            "pack.yaml:3:",
            "unknown slot function `sum`",
        ),
        (
            "extends: shanghai-district\ntables:\n  income:\n    columns:\n      - { header: 编码, field: code }\n      - { header: 合计, figure: totl }\n",
            "pack.yaml:6:",
            "`totl` is not a figure of `functional`'s rows",
        ),
        (
            "extends: shanghai-district\nparts:\n  - title: 一\n    blocks:\n      - { table: incme }\n",
            "pack.yaml:5:",
            "no table `incme` in the pack",
        ),
    ];
    for (pack, at, message) in cases {
        let (code, out) = check_with_pack(pack, &[]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains(at) && out.contains("[K01]") && out.contains(message),
            "want {at} {message}:\n{out}"
        );
    }
    // Packs that extend each other in a cycle.
    let (code, out) = check_with_pack(
        "extends: other.yaml\n",
        &[("other.yaml", "extends: pack.yaml\n")],
    );
    assert_eq!(code, Some(1));
    assert!(
        out.contains("other.yaml:1:") && out.contains("cycle"),
        "{out}"
    );
    // A pack outside the project is refused, as every file a project names.
    let (code, out) = check_with_pack("extends: ../../outside.yaml\n", &[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("[L01]") || out.contains("outside"), "{out}");
}

#[test]
fn a_figure_accepted_as_printed_is_published_within_its_tolerance_and_always_reported() {
    // Each 项 is rounded to whole 元 from 分; the 款 derives to 1 元 more than the sum of
    // its printed 项, and the published document printed that sum.
    let with = |printed: &str, at: &str| {
        let (dir, project) = shanghai_variant(|t| {
            t.replacen("basic: 8523400.00 }", "basic: 8523400.40 }", 1)
                .replacen("project: 1280000.00 }", "project: 1280000.40 }", 1)
                .replacen("\"30101\": 4120000.00", "\"30101\": 4120000.40", 1)
                + &format!(
                    "\naccept:\n  - {{ rule: R08, at: {at}, printed: {printed}, tolerance: 1, reason: 款按各项印刷数合计 }}\n"
                )
        });
        let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
        (dir, project, o)
    };
    let (_d, project, o) = with("14230200", "general.20801.general");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("note[R08]: `general.20801.general` is printed 14230200 as published, where budgetdoc derives 14230201 (difference 1, tolerance 1)"),
        "{out}"
    );
    let text = text_of(&project);
    assert!(
        text.contains("20801人力资源和社会保障管理事务14,230,20011,740,2002,490,000"),
        "printed as published"
    );
    assert!(
        text.contains("20801人力资源和社会保障管理事务14,530,201"),
        "other tables derive"
    );
    // Beyond the tolerance, or a cell the document does not print: A03.
    let (_d, _p, o) = with("14230205", "general.20801.general");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("exceeds the tolerance 1"));
    let (_d, p, o) = with("14230200", "general.20802.general");
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("error[A03]: no table figure `general.20802.general`"),
        "{out}"
    );
    let o = run(&["check", p.to_str().unwrap()]);
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(all.contains("nearest: general.20801.general"), "{all}");
}

#[test]
fn the_shanghai_tables_round_trip_through_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sh.xlsx");
    let imported = dir.path().join("imported");
    crate::support::export_workbook(SHANGHAI, &book);
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
        "--format",
        "short",
    ]);
    // What the tables do not hold is reported at the place to type it, and only that.
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let errors: Vec<&str> = out.lines().filter(|l| l.contains("error[")).collect();
    assert!(
        !errors.is_empty() && errors.iter().all(|l| l.contains("error[K02]")),
        "{out}"
    );
    let main = imported.join("budgetdoc.yaml");
    let text = fs::read_to_string(&main).unwrap();
    assert!(text.contains("region: \"shanghai-district\""));
    // The clerk types the prior year's 预算, which no table prints.
    let example = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(SHANGHAI)
            .join("budgetdoc.yaml"),
    )
    .unwrap();
    let block = |from: &str, to: &str| {
        let s = example.find(from).unwrap();
        example[s..example[s..].find(to).unwrap() + s].to_string()
    };
    let prior_three_public = example
        .lines()
        .find(|l| l.trim_start().starts_with("prior_budget: { outbound"))
        .unwrap()
        .to_string();
    let text = text.replacen(
        "three_public:\n",
        &format!("three_public:\n{prior_three_public}\n"),
        1,
    ) + &block("prior_budget:\n", "\n\n");
    fs::write(&main, text).unwrap();
    let original = budgetdoc::check(&Path::new(env!("CARGO_MANIFEST_DIR")).join(SHANGHAI)).unwrap();
    let again = budgetdoc::check(&imported).unwrap_or_else(|e| panic!("{e:?}"));
    let (a, b) = (original.document.sheets(), again.document.sheets());
    assert_eq!(a.len(), 9);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "sheet `{}` differs after the round trip", x.name);
    }
    // The table facts are the example's, each naming its cell.
    let facts = |p: &Path| {
        let v = yaml(&p.join("budgetdoc.yaml"));
        ["general_budget", "other_sources", "basic_by_economic"]
            .map(|k| serde_yaml::to_string(&v[k]).unwrap())
            .join("\n")
            + &serde_yaml::to_string(&v["three_public"]["budget"]).unwrap()
            + &serde_yaml::to_string(&v["operating_costs"]["budget"]).unwrap()
    };
    let normalise = |s: String| s.replace(".0\n", "\n").replace(".00\n", "\n");
    assert_eq!(
        normalise(facts(&Path::new(env!("CARGO_MANIFEST_DIR")).join(SHANGHAI))),
        normalise(facts(&imported))
    );
}

#[test]
fn a_pack_named_for_the_run_applies_to_the_projects_of_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("region/dept");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(SHANGHAI),
        &project,
    );
    let main = project.join("budgetdoc.yaml");
    let t = fs::read_to_string(&main).unwrap();
    fs::write(&main, t.replacen("region: shanghai-district", "", 1)).unwrap();
    let pack = dir.path().join("region-pack.yaml");
    fs::write(
        &pack,
        "extends: shanghai-district\ncontents: 目录（本区版）\n",
    )
    .unwrap();
    // Named with --pack or BUDGETDOC_PACK, read where it is (outside the project).
    let o = run(&[
        "check",
        project.to_str().unwrap(),
        "--pack",
        pack.to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = crate::support::bin()
        .args(["check", project.to_str().unwrap(), "--deny-warnings"])
        .env("BUDGETDOC_PACK", &pack)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // A project of another kind in the same run is not touched by it.
    let o = run(&[
        "check",
        "examples/nx-hrss-2024-final",
        "--pack",
        pack.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A project's own pack file extends the named one.
    fs::write(
        project.join("own.yaml"),
        "cover: { lines: [\"{title}（本单位）\"] }\n",
    )
    .unwrap();
    let t = fs::read_to_string(&main).unwrap();
    fs::write(&main, format!("pack_file: own.yaml\n{t}")).unwrap();
    let o = crate::support::bin()
        .args(["check", project.to_str().unwrap()])
        .env("BUDGETDOC_PACK", &pack)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let figures = budgetdoc::explain::figures(
        &project,
        &budgetdoc::BuildOptions {
            catalogs: vec![pack.clone()],
            ..Default::default()
        },
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let text: String = figures
        .pages()
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| l.text.replace(' ', "")))
        .collect();
    assert!(
        text.contains("上海市普陀区人力资源和社会保障局（本单位）"),
        "the project's layer"
    );
    assert!(text.contains("目录（本区版）"), "the region's layer");
}

#[test]
fn a_pack_places_free_text_sections_anywhere_and_may_require_them() {
    let pack = "extends: shanghai-district\nrequires:\n  - { key: paragraphs.公开说明, hint: \"type the 公开说明 paragraphs\" }\nparts:\n  - title: 部门主要职能\n    blocks: [ { texts: duties } ]\n    sections:\n      - title: 公开说明\n        blocks: [ { texts: paragraphs.公开说明 } ]\n";
    let (dir, project) = shanghai_variant(|t| {
        t.replacen(
            "region: shanghai-district",
            "pack_file: pack.yaml\nregion: shanghai-district",
            1,
        )
    });
    fs::write(project.join("pack.yaml"), pack).unwrap();
    // Required and missing: K02 at the place to add it.
    let o = run(&["check", project.to_str().unwrap(), "--format", "short"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.contains("error[K02]: the region pack `shanghai-district` needs `paragraphs.公开说明`"),
        "{out}"
    );
    let main = project.join("budgetdoc.yaml");
    let t = fs::read_to_string(&main).unwrap();
    fs::write(
        &main,
        format!("{t}\nparagraphs:\n  公开说明:\n    - 本部门按规定公开部门预算。\n"),
    )
    .unwrap();
    let o = run(&["check", project.to_str().unwrap(), "--deny-warnings"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = text_of(&project);
    assert!(
        text.contains("（一）公开说明本部门按规定公开部门预算。"),
        "{text}"
    );
    // A text the kind has not: K01 with the texts it has.
    fs::write(
        project.join("pack.yaml"),
        pack.replace("paragraphs.公开说明 }", "notes }"),
    )
    .unwrap();
    let o = run(&["check", project.to_str().unwrap()]);
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(
        all.contains("no typed texts `notes`") && all.contains("paragraphs.*"),
        "{all}"
    );
    drop(dir);
}
