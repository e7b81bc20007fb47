//! The CI pipelines shipped as files (`examples/ci/`): they parse as YAML, define every
//! variable they use, install budgetdoc without compiling it, and their budgetdoc commands
//! run here as written (with a shard's values) on a copy of the examples.

use std::fs;
use std::path::Path;

use crate::support::copy_dir;

fn load(name: &str) -> serde_yaml::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ci")
        .join(name);
    serde_yaml::from_str(&fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{name} parses: {e}"))
}

/// The `$NAME` and `${NAME}` variables a command uses.
fn variables(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = command.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && chars.get(i + 1) != Some(&'(') {
            let mut j = i + 1;
            let braced = chars.get(j) == Some(&'{');
            if braced {
                j += 1;
            }
            let start = j;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            if j > start {
                out.push(chars[start..j].iter().collect());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Runs each budgetdoc command in a copy of the examples as `PROJECTS`, with the test's
/// binary as `budgetdoc` on the PATH and the shard's variables set.
fn run_commands(commands: &[String], env: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let projects = dir.path().join("departments");
    for e in fs::read_dir(&root).unwrap().filter_map(Result::ok) {
        if e.path().join("budgetdoc.yaml").is_file() {
            copy_dir(&e.path(), &projects.join(e.file_name()));
        }
    }
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_budgetdoc"), bin.join("budgetdoc")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for c in commands {
        let o = std::process::Command::new("sh")
            .args(["-c", c])
            .current_dir(dir.path())
            .env("PATH", &path)
            .envs(env.iter().copied())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "`{c}` failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The builds wrote the shard's PDFs.
    if commands.iter().any(|c| c.contains(" build ")) {
        let pdfs = fs::read_dir(dir.path().join("pdf"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(pdfs > 0, "no PDF written");
    }
}

#[test]
fn the_github_actions_pipeline_defines_its_variables_and_its_commands_run() {
    let p = load("github-actions.yml");
    let env = p["env"].as_mapping().expect("env: defines the variables");
    let defined: Vec<&str> = env.keys().filter_map(|k| k.as_str()).collect();
    let steps = p["jobs"]["build"]["steps"].as_sequence().unwrap();
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    assert!(
        !runs.iter().any(|r| r.contains("cargo ")),
        "installs a released binary, no compiling"
    );
    let github = ["GITHUB_", "RUNNER_"];
    for r in &runs {
        for v in variables(r) {
            assert!(
                defined.contains(&v.as_str()) || github.iter().any(|g| v.starts_with(g)),
                "`{v}` in `{r}` is not defined"
            );
        }
    }
    let commands: Vec<String> = runs
        .iter()
        .filter(|r| r.trim_start().starts_with("budgetdoc "))
        .map(|r| r.replace("${{ matrix.shard }}", "1"))
        .collect();
    assert_eq!(commands.len(), 2, "check and build");
    run_commands(&commands, &[("PROJECTS", "departments")]);
}

#[test]
fn the_gitlab_pipeline_defines_its_variables_and_its_commands_run() {
    let p = load("gitlab-ci.yml");
    let vars = p["variables"]
        .as_mapping()
        .expect("variables: defines them");
    let defined: Vec<&str> = vars.keys().filter_map(|k| k.as_str()).collect();
    let job = &p["documents"];
    let script: Vec<String> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    assert!(
        !script.iter().any(|r| r.contains("cargo ")),
        "uses the container, no compiling"
    );
    assert_eq!(job["image"]["name"].as_str(), Some("$BUDGETDOC_IMAGE"));
    for r in &script {
        for v in variables(r) {
            assert!(
                defined.contains(&v.as_str()) || v.starts_with("CI_"),
                "`{v}` in `{r}` is not defined"
            );
        }
    }
    let commands: Vec<String> = script
        .iter()
        .filter(|r| r.trim_start().starts_with("budgetdoc "))
        .cloned()
        .collect();
    assert_eq!(commands.len(), 3, "version, check and build");
    run_commands(
        &commands,
        &[
            ("PROJECTS", "departments"),
            ("CI_NODE_INDEX", "1"),
            ("CI_NODE_TOTAL", "4"),
        ],
    );
}
