//! load/validate: presentation profiles. Every word, label, number format and printing
//! choice that varies by region, year or layout is data: an embedded YAML profile per kind
//! and layout (`src/**/profiles/*.yaml`, a year's variant layered over its layout), which a
//! project overrides key by key with the same sections in its `budgetdoc.yaml` (`format:`,
//! `words:`, `units:`, `forms:`, …). Templates read the resolved profile's words through the
//! view and hold none a region might change.
//!
//! Resolution is kind-neutral: the layers are merged as YAML (mappings key by key, anything
//! else replaced whole), then the result is typed by the kind's profile struct. A key the
//! defaults do not have is refused (with the nearest keys), so a typo never passes silently.

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

/// A problem with a project's profile keys, at a key path of its main file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileProblem {
    /// The key path, e.g. `forms.labels.name`.
    pub path: String,
    /// Whether the problem is the key itself (an unknown key) rather than its value.
    pub at_key: bool,
    pub message: String,
    pub hint: String,
}

/// One embedded layer: its YAML and the section it fills (`""` for the whole profile).
#[derive(Debug, Clone, Copy)]
pub struct Layer {
    pub section: &'static str,
    pub yaml: &'static str,
}

/// Fills the `{key}` placeholders of a profile text with `values`.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// `template` with the document's identity in its placeholders — `{department}`, `{year}`
/// and `{prior}` (the year before) — which every configurable word may hold besides its
/// own (a table's `{title}`, `{ordinal}`, `{unit}`, `{id}`).
pub fn fill_identity(template: &str, department: &str, year: i32) -> String {
    fill(
        template,
        &[
            ("department", department),
            ("year", &year.to_string()),
            ("prior", &(year - 1).to_string()),
        ],
    )
}

/// A document's words (a profile's `words:`) with its identity in their placeholders:
/// `{department}`, `{title}`, `{year}`, `{prior}` (the year before) and `{unit}` (of its
/// sentences). Other placeholders (`{part}`, `{ordinal}`, `{id}`) are left for the view.
pub fn document_words(
    words: &std::collections::BTreeMap<String, String>,
    department: &str,
    title: &str,
    year: i32,
    unit: &str,
) -> std::collections::BTreeMap<String, String> {
    let (year, prior) = (year.to_string(), (year - 1).to_string());
    let values = [
        ("department", department),
        ("title", title),
        ("year", year.as_str()),
        ("prior", prior.as_str()),
        ("unit", unit),
    ];
    words
        .iter()
        .map(|(k, w)| (k.clone(), fill(w, &values)))
        .collect()
}

/// The default profile of `layers` (later layers override earlier ones), typed.
pub fn defaults<T: DeserializeOwned>(layers: &[Layer]) -> T {
    match resolve(layers, &[]) {
        Ok(t) => t,
        // The embedded profiles are complete; their unit tests type every one of them.
        Err(problems) => unreachable!("an embedded profile does not type: {problems:?}"),
    }
}

/// The profile of `layers` with the project's sections (`(key, value)` as typed in its main
/// file) merged over it, typed; or every problem of the project's keys.
pub fn resolve<T: DeserializeOwned>(
    layers: &[Layer],
    project: &[(&str, &Value)],
) -> Result<T, Vec<ProfileProblem>> {
    let mut merged = Value::Mapping(Mapping::new());
    for layer in layers {
        let value: Value = match serde_yaml::from_str(layer.yaml) {
            Ok(v) => v,
            Err(e) => {
                return Err(vec![ProfileProblem {
                    path: layer.section.to_string(),
                    at_key: false,
                    message: format!("embedded profile: {e}"),
                    hint: String::new(),
                }]);
            }
        };
        let slot = section_mut(&mut merged, layer.section);
        let mut ignored = Vec::new();
        merge(slot, value, layer.section, true, &mut ignored);
    }
    let mut problems = Vec::new();
    for (key, value) in project {
        let slot = section_mut(&mut merged, key);
        merge(slot, (*value).clone(), key, false, &mut problems);
    }
    // The unknown keys were left out: the rest is typed too, so a wrong value is reported
    // in the same run.
    match serde_path_to_error::deserialize(merged) {
        Ok(t) if problems.is_empty() => Ok(t),
        Ok(_) => Err(problems),
        Err(e) => {
            let path = e.path().to_string();
            problems.push(ProfileProblem {
                path: if path == "." { String::new() } else { path },
                at_key: false,
                message: plain_message(&e.inner().to_string()),
                hint: "see docs/profiles-and-packs.md for the key's values".to_string(),
            });
            Err(problems)
        }
    }
}

/// serde's message in the user's terms: a Rust type name (`expected struct BudgetFormat`)
/// becomes what to write (`expected a mapping of keys`).
fn plain_message(message: &str) -> String {
    match message.find("expected struct ") {
        Some(i) => format!("{}expected a mapping of keys", &message[..i]),
        None => message.to_string(),
    }
}

/// The mapping slot of `section` in `root` (`""`: the root itself), created empty.
fn section_mut<'a>(root: &'a mut Value, section: &str) -> &'a mut Value {
    if section.is_empty() {
        return root;
    }
    let Value::Mapping(m) = root else {
        unreachable!("the merged profile's root is a mapping")
    };
    let key = Value::String(section.to_string());
    if !m.contains_key(&key) {
        m.insert(key.clone(), Value::Null);
    }
    m.get_mut(&key).expect("inserted above")
}

/// Merges `over` into `base`: mappings key by key, anything else replaced. Unless `free`,
/// a key `base` lacks is a problem (a null or absent `base` takes `over` whole).
pub(crate) fn merge(
    base: &mut Value,
    over: Value,
    path: &str,
    free: bool,
    problems: &mut Vec<ProfileProblem>,
) {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
            for (k, v) in o {
                let name = match &k {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                let child = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v, &child, free, problems),
                    None if free => {
                        b.insert(k, v);
                    }
                    None => {
                        let known: Vec<&str> = b.keys().filter_map(Value::as_str).collect();
                        let near = crate::suggest::nearest(&name, known.iter().copied(), 1);
                        let hint = match near.first() {
                            Some(n) => {
                                format!("did you mean `{n}`? the keys here: {}", known.join(", "))
                            }
                            None => format!("the keys here: {}", known.join(", ")),
                        };
                        problems.push(ProfileProblem {
                            path: child,
                            at_key: true,
                            message: format!("unknown profile key `{name}`"),
                            hint,
                        });
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct P {
        words: W,
        decimals: u32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct W {
        title: String,
        label: Option<String>,
    }

    const BASE: Layer = Layer {
        section: "",
        yaml: "words: { title: 部门预算, label: ~ }\ndecimals: 2\n",
    };
    const YEAR: Layer = Layer {
        section: "words",
        yaml: "title: 单位预算\n",
    };

    fn value(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("（{year} 年度）", &[("year", "2024")]),
            "（2024 年度）"
        );
        assert_eq!(
            fill("{code}-{name}", &[("code", "303"), ("name", "人社厅")]),
            "303-人社厅"
        );
    }

    #[test]
    fn layers_and_the_project_override_key_by_key() {
        let p: P = defaults(&[BASE, YEAR]);
        assert_eq!(p.words.title, "单位预算");
        let words = value("label: 附件1");
        let p: P = resolve(&[BASE, YEAR], &[("words", &words)]).unwrap();
        assert_eq!(p.words.title, "单位预算");
        assert_eq!(p.words.label.as_deref(), Some("附件1"));
        assert_eq!(p.decimals, 2);
    }

    #[test]
    fn unknown_keys_and_wrong_values_name_their_path() {
        let words = value("titl: x");
        let e = resolve::<P>(&[BASE], &[("words", &words)]).unwrap_err();
        assert_eq!(e[0].path, "words.titl");
        assert!(e[0].at_key);
        assert!(e[0].hint.contains("did you mean `title`"), "{e:?}");
        let decimals = value("two");
        let e = resolve::<P>(&[BASE], &[("decimals", &decimals)]).unwrap_err();
        assert_eq!(e[0].path, "decimals");
        assert!(!e[0].at_key);
    }
}
