//! load: an index from key paths (`functional[3].income.other`) to the line and column
//! where the value starts in the user's YAML file.
//!
//! serde gives typed values without positions, so the file is parsed a second time with
//! yaml-rust2's event parser, which reports a marker for every event. Later stages ask this
//! index where a value came from; they never re-read the file.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
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

impl Positions {
    /// Indexes a YAML text; a syntax error leaves a partial index (serde reports the error).
    pub fn index(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        builder.positions
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

/// Key paths deeper than this are not indexed (budgetdoc's schemas nest about 6 levels).
const MAX_INDEXED_DEPTH: usize = 64;

enum Frame {
    Map {
        expecting_key: bool,
        key: Option<String>,
    },
    Seq {
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    positions: Positions,
    stack: Vec<Frame>,
    path: Vec<Segment>,
}

impl Builder {
    /// Called when a value (scalar, mapping or sequence) starts: pushes its path segment.
    fn begin_value(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => {
                if let Some(k) = key.take() {
                    self.path.push(Segment::Key(k));
                }
            }
            Some(Frame::Seq { next }) => {
                self.path.push(Segment::Index(*next));
                *next += 1;
            }
            None => {}
        }
    }

    fn end_value(&mut self) {
        if let Some(Frame::Map { expecting_key, .. }) = self.stack.last_mut() {
            *expecting_key = true;
        }
        if !self.stack.is_empty() {
            self.path.pop();
        }
    }

    fn record(&mut self, mark: Marker) {
        // Deeper than any schema goes: not indexed (keeps hostile nesting linear); such a
        // value is located at its nearest indexed ancestor.
        if self.path.len() > MAX_INDEXED_DEPTH {
            return;
        }
        let pos = (mark.line(), mark.col() + 1);
        self.positions
            .values
            .entry(format_path(&self.path))
            .or_insert(pos);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { expecting_key, key }) = self.stack.last_mut()
                    && *expecting_key
                {
                    *expecting_key = false;
                    *key = Some(value.clone());
                    if self.path.len() <= MAX_INDEXED_DEPTH {
                        let mut p = self.path.clone();
                        p.push(Segment::Key(value));
                        self.positions
                            .keys
                            .insert(format_path(&p), (mark.line(), mark.col() + 1));
                    }
                    return;
                }
                self.begin_value();
                self.record(mark);
                self.end_value();
            }
            Event::Alias(_) => {
                self.begin_value();
                self.record(mark);
                self.end_value();
            }
            Event::MappingStart(..) => {
                self.begin_value();
                self.record(mark);
                self.stack.push(Frame::Map {
                    expecting_key: true,
                    key: None,
                });
            }
            Event::SequenceStart(..) => {
                self.begin_value();
                self.record(mark);
                self.stack.push(Frame::Seq { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.end_value();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_and_keys() {
        let text = "a: 1\nlist:\n  - code: \"201\"\n    x: { y: 2 }\n  - code: \"205\"\n";
        let p = Positions::index(text);
        assert_eq!(p.value("a"), Some((1, 4)));
        assert_eq!(p.value("list[0].code"), Some((3, 11)));
        assert_eq!(p.value("list[1].code"), Some((5, 11)));
        assert_eq!(p.value("list[0].x.y"), Some((4, 13)));
        assert_eq!(p.key("list[1].code"), Some((5, 5)));
        // Unknown child falls back to the nearest ancestor.
        assert_eq!(p.value("list[1].missing"), p.value("list[1]"));
    }
}
