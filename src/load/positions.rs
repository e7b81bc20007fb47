//! load: an index from key paths (`functional[3].income.other`) to the line and column
//! where the value starts in the user's YAML file, built in the same pass that guards the
//! file's structure.
//!
//! serde gives typed values without positions, so the file is parsed a second time with
//! yaml-rust2's event parser, which reports a marker for every event. Later stages ask this
//! index where a value came from; they never re-read the file.
//!
//! The pass runs before serde sees the file and is the one guard every file kind shares
//! against hostile structure: nesting deeper than any schema ([`MAX_DEPTH`]), aliases that
//! expand the document beyond its own size ([`alias_budget`]), a key typed twice in one
//! mapping, and a second YAML document. The events are pulled one at a time (never through
//! the parser's recursive `load`), so no input can exhaust the stack here, and the pass stops
//! at the first hard limit, so its cost is linear in the part of the file it read.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Formats segments as `a.b[2].c`.
pub fn format_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segments {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Where each value (and each mapping key) starts, by key path.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    values: HashMap<String, (usize, usize)>,
    keys: HashMap<String, (usize, usize)>,
}

/// Collections nested deeper than this are refused: budgetdoc's schemas nest about 6 levels,
/// and serde_yaml's own recursion limit is 128.
pub const MAX_DEPTH: usize = 64;

/// How much aliases may add to a document, in the weight the pass measures (one per event
/// plus the bytes of each scalar): as much as the file itself, and at least 1 MiB, so that
/// anchors that share an indicator block stay free while an alias bomb stops at once.
pub fn alias_budget(text_len: usize) -> u64 {
    (text_len as u64).max(1 << 20)
}

/// A problem with the file's structure, found while indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureProblem {
    /// 1-based line and column of the offending event.
    pub at: (usize, usize),
    pub message: String,
    pub hint: String,
    /// The key path of the offending value.
    pub path: String,
    /// Another place involved (the first occurrence of a duplicate key), with a note.
    pub related: Option<((usize, usize), String)>,
}

/// The index of a file and the structural problems found in it. A hard limit (depth,
/// aliases) stops the pass; duplicate keys are all collected.
#[derive(Debug, Default, Clone)]
pub struct Indexed {
    pub positions: Positions,
    pub problems: Vec<StructureProblem>,
}

impl Positions {
    /// Indexes a YAML text and checks its structure. A syntax error leaves a partial index
    /// and no problem: serde reports the error with its position.
    pub fn index(text: &str) -> Indexed {
        let mut builder = Builder::new(alias_budget(text.len()));
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            if event == Event::StreamEnd || !builder.on_event(event, mark) {
                break;
            }
        }
        Indexed {
            positions: builder.positions,
            problems: builder.problems,
        }
    }

    /// Line and column of the value at `path`, or of the nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.values.get(&p) {
                return Some(*pos);
            }
            p = parent(&p)?;
        }
    }

    /// Whether the file holds a value at exactly `path`.
    pub fn has(&self, path: &str) -> bool {
        self.values.contains_key(path)
    }

    /// Line and column of the key that introduces `path` (falls back to the value).
    pub fn key(&self, path: &str) -> Option<(usize, usize)> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }
}

fn parent(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(path[..cut].to_string())
}

enum Container {
    Map {
        expecting_key: bool,
        key: Option<String>,
        /// Keys seen in this mapping, with the position of their first occurrence.
        seen: HashMap<String, (usize, usize)>,
    },
    Seq {
        next: usize,
    },
}

struct Frame {
    container: Container,
    /// The anchor of this collection (0: none) and the weight when it started.
    anchor: usize,
    weight_at_start: u64,
}

struct Builder {
    positions: Positions,
    problems: Vec<StructureProblem>,
    stack: Vec<Frame>,
    path: Vec<Segment>,
    /// One per event plus the bytes of each scalar, aliases counted expanded.
    weight: u64,
    /// What aliases added to `weight` so far.
    expanded: u64,
    budget: u64,
    /// The expanded weight of every finished anchored node, by anchor id.
    anchors: HashMap<usize, u64>,
    documents: usize,
}

fn position(mark: Marker) -> (usize, usize) {
    (mark.line(), mark.col() + 1)
}

impl Builder {
    fn new(budget: u64) -> Self {
        Self {
            positions: Positions::default(),
            problems: Vec::new(),
            stack: Vec::new(),
            path: Vec::new(),
            weight: 0,
            expanded: 0,
            budget,
            anchors: HashMap::new(),
            documents: 0,
        }
    }

    fn problem(&mut self, at: (usize, usize), message: String, hint: &str) {
        self.problems.push(StructureProblem {
            at,
            message,
            hint: hint.to_string(),
            path: format_path(&self.path),
            related: None,
        });
    }

    /// Called when a value (scalar, mapping or sequence) starts: pushes its path segment.
    fn begin_value(&mut self) {
        match self.stack.last_mut().map(|f| &mut f.container) {
            Some(Container::Map { key, .. }) => {
                if let Some(k) = key.take() {
                    self.path.push(Segment::Key(k));
                }
            }
            Some(Container::Seq { next }) => {
                self.path.push(Segment::Index(*next));
                *next += 1;
            }
            None => {}
        }
    }

    fn end_value(&mut self) {
        if let Some(Container::Map { expecting_key, .. }) =
            self.stack.last_mut().map(|f| &mut f.container)
        {
            *expecting_key = true;
        }
        if !self.stack.is_empty() {
            self.path.pop();
        }
    }

    fn record(&mut self, mark: Marker) {
        self.positions
            .values
            .entry(format_path(&self.path))
            .or_insert(position(mark));
    }

    /// A mapping key: remembered for the value that follows, checked against the keys the
    /// mapping already has.
    fn on_key(&mut self, key: String, mark: Marker) {
        let at = position(mark);
        let mut p = self.path.clone();
        p.push(Segment::Key(key.clone()));
        let full = format_path(&p);
        let Some(Frame {
            container:
                Container::Map {
                    expecting_key,
                    key: pending,
                    seen,
                },
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        *expecting_key = false;
        *pending = Some(key.clone());
        if let Some(&first) = seen.get(&key) {
            self.problems.push(StructureProblem {
                at,
                message: format!("key `{key}` appears twice in the same mapping"),
                hint: "keep one of the two: YAML does not allow a key twice, and budgetdoc will not guess which value you meant".into(),
                path: full,
                related: Some((first, format!("`{key}` is first typed here"))),
            });
        } else {
            seen.insert(key, at);
            self.positions.keys.insert(full, at);
        }
    }

    /// Starts a collection; `false` when it is nested too deep (the pass stops).
    fn open(&mut self, container: Container, anchor: usize, mark: Marker) -> bool {
        self.begin_value();
        self.record(mark);
        if self.stack.len() >= MAX_DEPTH {
            self.problem(
                position(mark),
                format!("collections are nested more than {MAX_DEPTH} levels deep here"),
                "budgetdoc's YAML nests a few levels; check the indentation and that this is a project file",
            );
            return false;
        }
        self.stack.push(Frame {
            container,
            anchor,
            weight_at_start: self.weight,
        });
        true
    }

    fn close(&mut self) {
        if let Some(frame) = self.stack.pop()
            && frame.anchor != 0
        {
            self.anchors
                .insert(frame.anchor, self.weight - frame.weight_at_start);
        }
        self.end_value();
    }

    /// Handles one event; `false` stops the pass.
    fn on_event(&mut self, event: Event, mark: Marker) -> bool {
        self.weight = self.weight.saturating_add(1);
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.problem(
                        position(mark),
                        "the file holds a second YAML document".into(),
                        "a project file is one YAML document: remove the `---` line (or move the second document into its own file)",
                    );
                    return false;
                }
            }
            Event::Scalar(value, _, anchor, _) => {
                let len = value.len() as u64;
                self.weight = self.weight.saturating_add(len);
                if anchor != 0 {
                    self.anchors.insert(anchor, len + 1);
                }
                if let Some(Frame {
                    container: Container::Map { expecting_key, .. },
                    ..
                }) = self.stack.last()
                    && *expecting_key
                {
                    self.on_key(value, mark);
                    return true;
                }
                self.begin_value();
                self.record(mark);
                self.end_value();
            }
            Event::Alias(anchor) => {
                // Keys that are aliases are not indexed; the value side is what budgetdoc reads.
                if let Some(Frame {
                    container: Container::Map { expecting_key, .. },
                    ..
                }) = self.stack.last_mut()
                    && *expecting_key
                {
                    *expecting_key = false;
                }
                self.begin_value();
                self.record(mark);
                self.end_value();
                let Some(&size) = self.anchors.get(&anchor) else {
                    self.problem(
                        position(mark),
                        "an alias refers to a collection that contains it".into(),
                        "an alias (`*name`) may only repeat a value that is complete before it",
                    );
                    return false;
                };
                self.weight = self.weight.saturating_add(size);
                self.expanded = self.expanded.saturating_add(size);
                if self.expanded > self.budget {
                    self.problem(
                        position(mark),
                        format!(
                            "aliases expand the file beyond what it holds itself (more than {} KB added)",
                            self.budget / 1024
                        ),
                        "write the repeated values out, or repeat fewer of them with `*name`",
                    );
                    return false;
                }
            }
            Event::MappingStart(anchor, _) => {
                let map = Container::Map {
                    expecting_key: true,
                    key: None,
                    seen: HashMap::new(),
                };
                return self.open(map, anchor, mark);
            }
            Event::SequenceStart(anchor, _) => {
                return self.open(Container::Seq { next: 0 }, anchor, mark);
            }
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            _ => {}
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Indexed {
        Positions::index(text)
    }

    #[test]
    fn finds_nested_values_and_keys() {
        let text = "a: 1\nlist:\n  - code: \"201\"\n    x: { y: 2 }\n  - code: \"205\"\n";
        let i = index(text);
        assert!(i.problems.is_empty());
        let p = i.positions;
        assert_eq!(p.value("a"), Some((1, 4)));
        assert_eq!(p.value("list[0].code"), Some((3, 11)));
        assert_eq!(p.value("list[1].code"), Some((5, 11)));
        assert_eq!(p.value("list[0].x.y"), Some((4, 13)));
        assert_eq!(p.key("list[1].code"), Some((5, 5)));
        // Unknown child falls back to the nearest ancestor.
        assert_eq!(p.value("list[1].missing"), p.value("list[1]"));
    }

    #[test]
    fn deep_block_nesting_stops_at_the_limit_without_recursion() {
        let text = format!("{}1\n", "- ".repeat(100_000));
        let i = index(&text);
        assert_eq!(i.problems.len(), 1);
        assert_eq!(i.problems[0].at, (1, 2 * MAX_DEPTH + 1));
        assert!(i.problems[0].message.contains("nested more than 64"));
        // Block and flow levels add up.
        let mut mixed: String = (0..40)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        mixed.push_str(&format!(
            "{}{}1{}\n",
            " ".repeat(40),
            "[".repeat(30),
            "]".repeat(30)
        ));
        assert!(index(&mixed).problems[0].message.contains("nested"));
    }

    #[test]
    fn aliases_may_not_expand_beyond_the_budget() {
        let big = "x".repeat(100_000);
        let mut text = format!("a: &s \"{big}\"\ngoals:\n");
        for _ in 0..1000 {
            text.push_str("  - *s\n");
        }
        let i = index(&text);
        assert_eq!(i.problems.len(), 1, "{:?}", i.problems);
        assert!(i.problems[0].message.contains("aliases expand"));
        // The eleventh alias crosses 1 MiB.
        assert_eq!(i.problems[0].at, (13, 5));
        // Ordinary sharing is fine.
        let ok = "a: &x { k: 1 }\nb: *x\nc: *x\n";
        assert!(index(ok).problems.is_empty());
    }

    #[test]
    fn nested_alias_bombs_count_expanded_sizes() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            text.push_str(&format!(
                "{}: &{} [{}]\n",
                w[1],
                w[1],
                vec![format!("*{}", w[0]); 9].join(",")
            ));
        }
        let i = index(&text);
        assert!(
            i.problems[0].message.contains("aliases expand"),
            "{:?}",
            i.problems
        );
    }

    #[test]
    fn duplicate_keys_are_reported_at_both_occurrences() {
        let text = "kind: budget\nmap:\n  \"201\": 1\n  201: 2\nkind: x\n";
        let i = index(text);
        assert_eq!(i.problems.len(), 2);
        assert_eq!(i.problems[0].at, (4, 3));
        assert_eq!(i.problems[0].path, "map.201");
        assert_eq!(i.problems[0].related.as_ref().unwrap().0, (3, 3));
        assert_eq!(i.problems[1].at, (5, 1));
        assert_eq!(i.problems[1].related.as_ref().unwrap().0, (1, 1));
    }

    #[test]
    fn a_second_document_is_refused() {
        let i = index("kind: budget\n---\nkind: x\n");
        assert_eq!(i.problems.len(), 1);
        assert_eq!(i.problems[0].at.0, 2);
    }
}
