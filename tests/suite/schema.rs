//! `budgetdoc schema`: every shipped example, every starter and every attachment file
//! validates against the JSON Schema budgetdoc prints, and a misspelt key, a key of another
//! kind or a wrong type does not.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::{run, stderr};

fn schema(args: &[&str]) -> Value {
    let mut all = vec!["schema"];
    all.extend(args);
    let o = run(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Validates YAML texts against `schema`: the problems of each that fails.
fn failures(schema: Value, texts: &[(String, String)]) -> Vec<String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:budgetdoc", schema).unwrap();
    let index = compiler.compile("urn:budgetdoc", &mut schemas).unwrap();
    texts
        .iter()
        .filter_map(|(name, text)| {
            let value: Value = serde_yaml::from_str(text).unwrap();
            schemas
                .validate(&value, index)
                .err()
                .map(|e| format!("{name}: {e}"))
        })
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_example_and_starter_validates_and_a_misspelt_key_does_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut mains = Vec::new();
    let mut evaluations = Vec::new();
    let mut targets = Vec::new();
    for e in fs::read_dir(root.join("examples"))
        .unwrap()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if let Ok(text) = fs::read_to_string(p.join("budgetdoc.yaml")) {
            mains.push((p.display().to_string(), text));
            evaluations.extend(yaml_files(&p.join("evaluations")));
            targets.extend(yaml_files(&p.join("targets")));
        }
    }
    for kind in ["final-accounts", "budget", "performance-targets"] {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        assert!(
            run(&["init", project.to_str().unwrap(), "--kind", kind])
                .status
                .success()
        );
        mains.push((
            format!("starter {kind}"),
            fs::read_to_string(project.join("budgetdoc.yaml")).unwrap(),
        ));
        targets.extend(yaml_files(&project.join("targets")));
        evaluations.extend(yaml_files(&project.join("evaluations")));
    }
    assert_eq!(mains.len(), 8);
    assert!(!evaluations.is_empty() && !targets.is_empty());
    let main = schema(&[]);
    assert_eq!(
        main["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(
        failures(main.clone(), &mains).is_empty(),
        "{:?}",
        failures(main.clone(), &mains)
    );
    let ev = schema(&["--file", "evaluation"]);
    assert!(
        failures(ev.clone(), &evaluations).is_empty(),
        "{:?}",
        failures(ev, &evaluations)
    );
    let tg = schema(&["--file", "target"]);
    assert!(
        failures(tg.clone(), &targets).is_empty(),
        "{:?}",
        failures(tg, &targets)
    );
    // A misspelt key, a key of another kind, a wrong type, an unknown kind: each fails.
    let budget = mains
        .iter()
        .find(|(n, _)| n.contains("zhongwei"))
        .unwrap()
        .1
        .clone();
    for broken in [
        budget.replacen("department:", "departmnt:", 1),
        budget.replacen("kind: budget", "kind: final-accounts", 1),
        budget.replacen("year: 2024", "year: 二〇二四", 1),
        budget.replacen("kind: budget", "kind: budgte", 1),
    ] {
        assert_ne!(broken, budget);
        assert_eq!(
            failures(main.clone(), &[("broken".into(), broken)]).len(),
            1
        );
    }
    // Every key carries its description from the code's documentation.
    let text = main.to_string();
    assert!(
        text.contains("The prior year's 预算 (not 执行数)"),
        "descriptions"
    );
}
