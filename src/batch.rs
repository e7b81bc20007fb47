//! Many projects in one run (`build`/`check` with several paths): finding the projects under
//! the paths given, a stable split into shards for CI matrices, where each PDF goes with
//! `--out-dir`, checking committed PDFs (`--verify`), and running the projects on a pool of
//! threads that share one font store, reporting them in input order whatever the
//! scheduling.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Diagnostic;
use crate::load::PROJECT_FILE;

/// One project of a run: its path, and its path relative to the argument it was found
/// under (the name of its PDF under `--out-dir`, and the key of its shard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub project: PathBuf,
    pub relative: PathBuf,
}

/// The projects under `paths`, in argument order and sorted within each argument: a path
/// that is a project (a directory holding `budgetdoc.yaml`, or a YAML file) is one; another
/// directory is searched recursively for projects. A project named twice (`p`, `./p`,
/// `p/budgetdoc.yaml`) is one project, kept where it was first named. A path that does not
/// exist, and a directory with no project in it, are errors.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Target>, Diagnostic> {
    let mut out: Vec<Target> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for arg in paths {
        if arg.is_file() {
            let stem = arg.file_stem().map(PathBuf::from).unwrap_or_default();
            push(&mut out, &mut seen, arg.clone(), stem);
        } else if arg.is_dir() {
            if arg.join(PROJECT_FILE).is_file() {
                push(&mut out, &mut seen, arg.clone(), dir_name(arg));
            } else {
                let mut search = Search::default();
                search.walk(arg, 0);
                if search.found.is_empty() {
                    return Err(Diagnostic::error(format!(
                        "`{}` holds no project: {} director{} searched for `{PROJECT_FILE}`, none found",
                        arg.display(),
                        search.directories,
                        if search.directories == 1 { "y" } else { "ies" }
                    ))
                    .hint(format!(
                        "a project is a directory holding `{PROJECT_FILE}` or a YAML file; the search skips hidden directories and links and goes {MAX_DEPTH} levels deep; `budgetdoc init DIR` writes a starter project"
                    )));
                }
                search.found.sort();
                for project in search.found {
                    let relative = project.strip_prefix(arg).unwrap_or(&project).to_path_buf();
                    push(&mut out, &mut seen, project, relative);
                }
            }
        } else {
            return Err(
                Diagnostic::error(format!("`{}` does not exist", arg.display()))
                    .hint("give project directories, YAML files, or directories holding projects"),
            );
        }
    }
    Ok(out)
}

/// Adds a project unless it is already there: the same main file, after links and `.`.
fn push(
    out: &mut Vec<Target>,
    seen: &mut std::collections::HashSet<PathBuf>,
    project: PathBuf,
    relative: PathBuf,
) {
    let (_, main) = crate::load::project_paths(&project);
    let identity = main.canonicalize().unwrap_or(main);
    if seen.insert(identity) {
        out.push(Target { project, relative });
    }
}

/// The name of a directory given as a path (`.` is the working directory's name).
fn dir_name(dir: &Path) -> PathBuf {
    std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("project"))
}

/// The deepest the search for projects goes below a path.
const MAX_DEPTH: usize = 32;

/// The search for projects under a directory: not descending into a project, links or
/// hidden directories; at most [`MAX_DEPTH`] levels.
#[derive(Default)]
struct Search {
    found: Vec<PathBuf>,
    directories: usize,
}

impl Search {
    fn walk(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        self.directories += 1;
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Hidden directories (`.git`) are not searched; a project's own directories are
            // never reached, since the search stops at a project.
            if !kind.is_dir() || name.starts_with('.') {
                continue;
            }
            if path.join(PROJECT_FILE).is_file() {
                self.found.push(path);
            } else {
                self.walk(&path, depth + 1);
            }
        }
    }
}

/// The first two projects whose PDFs would be one file (`output` gives each project's), as
/// the usage error that stops the run before anything is built: two departments' documents
/// must never share a name in the output directory.
pub fn shared_output(
    targets: &[Target],
    output: impl Fn(&Target) -> Option<PathBuf>,
) -> Option<Diagnostic> {
    let mut by_place: std::collections::HashMap<PathBuf, &Target> = Default::default();
    for t in targets {
        let Some(pdf) = output(t) else { continue };
        if let Some(first) = by_place.insert(place(&pdf), t) {
            return Some(
                Diagnostic::error(format!(
                    "projects `{}` and `{}` would both write `{}`",
                    first.project.display(),
                    t.project.display(),
                    pdf.display()
                ))
                .hint("give their common parent directory instead (`budgetdoc build . --out-dir pdf` keeps each PDF under its path), or build them in separate runs with different --out-dir"),
            );
        }
    }
    None
}

/// Where a path lands: absolute, without `.` components, its directory after links when it
/// exists.
fn place(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let clean: PathBuf = abs
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    match (clean.parent().map(Path::canonicalize), clean.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => clean,
    }
}

/// A project's main file as given, without `.` components: the project a freshness record
/// names.
pub fn main_file(target: &Target) -> PathBuf {
    let (_, main) = crate::load::project_paths(&target.project);
    main.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// The order to build `targets` in (indices into them): projects that are alike — the same
/// kind and layout or profile, by their main file's top-level keys — one after another, in
/// input order within each group. Typst's caches keep what the last few documents laid out,
/// so a region kept department by department (`d01/{部门预算,部门决算,…}`) builds as fast as
/// one kept kind by kind. Results are still reported in input order.
pub fn schedule(targets: &[Target]) -> Vec<usize> {
    let keys: Vec<String> = targets.iter().map(|t| likeness(&t.project)).collect();
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]).then(a.cmp(b)));
    order
}

/// What makes two projects lay out alike, read cheaply from the main file's first lines:
/// the values of its top-level `kind:`, `layout:` and `profile:` keys. Only an order: a
/// project whose keys are not found there builds with the others, just as correctly.
fn likeness(project: &Path) -> String {
    use std::io::Read;
    let (_, main) = crate::load::project_paths(project);
    let mut head = Vec::new();
    // Only a regular file is opened (opening a FIFO would wait for a writer); the build
    // reports anything else.
    if std::fs::metadata(&main).is_ok_and(|m| m.is_file())
        && let Ok(file) = std::fs::File::open(&main)
    {
        let _ = file.take(16 * 1024).read_to_end(&mut head);
    }
    let text = String::from_utf8_lossy(&head);
    let mut key = String::new();
    for wanted in ["kind:", "layout:", "profile:"] {
        let value = text
            .lines()
            .find_map(|l| l.strip_prefix(wanted))
            .map(|v| v.split('#').next().unwrap_or("").trim())
            .unwrap_or("");
        key.push_str(value);
        key.push('\u{0}');
    }
    key
}

/// `K/N`: shard K (from 1) of N.
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. `--shard 2/4`");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Whether `target` belongs to shard `k` of `n`: by a stable hash (FNV-1a) of its relative
/// path, so every machine splits the same way and the shards cover every project once.
pub fn in_shard(target: &Target, (k, n): (u64, u64)) -> bool {
    let key = target.relative.to_string_lossy().replace('\\', "/");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash % n == k - 1
}

/// Where `target`'s PDF goes under `out_dir`: its relative path with `.pdf`.
pub fn output_in(out_dir: &Path, target: &Target) -> PathBuf {
    let mut name = target.relative.clone().into_os_string();
    name.push(".pdf");
    out_dir.join(name)
}

/// Runs `work` on every target on `jobs` threads, starting them in `order` (indices into
/// `targets`, e.g. [`schedule`]'s); `report` receives each result in input order, as soon
/// as it and every earlier one are done.
pub fn run<T: Send>(
    targets: &[Target],
    order: &[usize],
    jobs: usize,
    work: impl Fn(&Target) -> T + Sync,
    mut report: impl FnMut(usize, &Target, T),
) {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<T>>> = Mutex::new(targets.iter().map(|_| None).collect());
    let ready = std::sync::Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, targets.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::AcqRel);
                    let Some(&i) = order.get(n) else {
                        break;
                    };
                    let target = &targets[i];
                    let result = work(target);
                    let mut slots = done.lock().unwrap_or_else(|e| e.into_inner());
                    slots[i] = Some(result);
                    ready.notify_all();
                }
            });
        }
        for (i, target) in targets.iter().enumerate() {
            let mut slots = done.lock().unwrap_or_else(|e| e.into_inner());
            let result = loop {
                if let Some(r) = slots[i].take() {
                    break r;
                }
                slots = ready.wait(slots).unwrap_or_else(|e| e.into_inner());
            };
            drop(slots);
            report(i, target, result);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_project_once() {
        let targets: Vec<Target> = (0..200)
            .map(|i| Target {
                project: PathBuf::from(format!("r/{i}")),
                relative: PathBuf::from(format!("dept-{i}/budget")),
            })
            .collect();
        let mut counts = [0usize; 4];
        for t in &targets {
            let shards: Vec<u64> = (1..=4).filter(|k| in_shard(t, (*k, 4))).collect();
            assert_eq!(shards.len(), 1);
            counts[(shards[0] - 1) as usize] += 1;
        }
        assert!(counts.iter().all(|c| *c > 20), "{counts:?}");
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        for bad in ["0/4", "5/4", "2", "a/b", "1/0"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn results_come_in_input_order() {
        let targets: Vec<Target> = (0..20)
            .map(|i| Target {
                project: PathBuf::from(i.to_string()),
                relative: PathBuf::from(i.to_string()),
            })
            .collect();
        let mut seen = Vec::new();
        let order: Vec<usize> = (0..targets.len()).rev().collect();
        run(
            &targets,
            &order,
            4,
            |t| {
                let i: u64 = t.project.to_string_lossy().parse().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(20 - i));
                i
            },
            |i, _, r| seen.push((i, r)),
        );
        assert_eq!(seen, (0..20).map(|i| (i, i as u64)).collect::<Vec<_>>());
    }

    #[test]
    fn outputs_mirror_the_project_paths() {
        let t = Target {
            project: PathBuf::from("region/a/budget"),
            relative: PathBuf::from("a/budget"),
        };
        assert_eq!(
            output_in(Path::new("pdf"), &t),
            PathBuf::from("pdf/a/budget.pdf")
        );
    }
}
