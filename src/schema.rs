//! export: the JSON Schema (draft 2020-12) of what a user writes — `budgetdoc.yaml` of every
//! kind (chosen by `kind:`) and the attachment files — generated from the load stage's
//! serde types, so it never disagrees with what `check` accepts: the same keys (unknown
//! ones refused), the same requirements, each key's description from its doc comment.
//! Editors read it through the `# yaml-language-server: $schema=…` line.

use serde_json::{Map, Value, json};

use crate::forms::input::TargetInput;
use crate::kinds::budget::input::BudgetInput;
use crate::kinds::final_accounts::input::{EvaluationInput, FinalAccountsInput};
use crate::kinds::performance_targets::input::TargetsDocumentInput;

/// The schema of `T` in `generator` (a `$ref` into its definitions, which one generator
/// keeps apart when two kinds name a type alike).
fn root<T: schemars::JsonSchema>(generator: &mut schemars::SchemaGenerator) -> Value {
    generator.subschema_for::<T>().to_value()
}

/// The schema of `budgetdoc.yaml` of every kind: its `kind:` chooses the keys.
pub fn main_file() -> Value {
    let mut generator = schemars::SchemaGenerator::default();
    let kinds: Vec<(&str, Value)> = vec![
        ("final-accounts", root::<FinalAccountsInput>(&mut generator)),
        ("budget", root::<BudgetInput>(&mut generator)),
        (
            "performance-targets",
            root::<TargetsDocumentInput>(&mut generator),
        ),
    ];
    let defs: Map<String, Value> = generator.definitions().clone();
    let all_of: Vec<Value> = kinds
        .iter()
        .map(|(key, schema)| {
            json!({
                "if": { "properties": { "kind": { "const": key } }, "required": ["kind"] },
                "then": schema
            })
        })
        .collect();
    let keys: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "budgetdoc.yaml",
        "description": "A budgetdoc project: facts only; every total, roll-up, change and share is derived.",
        "type": "object",
        "required": ["kind"],
        "properties": { "kind": { "enum": keys } },
        "allOf": all_of,
        "$defs": defs
    })
}

/// The attachment files: `evaluation` (`evaluations/*.yaml` of a 部门决算) or `target`
/// (`targets/*.yaml` of a 部门预算 or a performance-target publication).
pub fn attachment(which: &str) -> Option<Value> {
    let mut generator = schemars::SchemaGenerator::default();
    let (title, schema) = match which {
        "evaluation" => (
            "evaluations/*.yaml",
            root::<EvaluationInput>(&mut generator),
        ),
        "target" => ("targets/*.yaml", root::<TargetInput>(&mut generator)),
        _ => return None,
    };
    Some(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "allOf": [schema],
        "$defs": generator.definitions().clone()
    }))
}
