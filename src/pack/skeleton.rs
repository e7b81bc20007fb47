//! validate/render: sentence skeletons. A skeleton is text with slots — `{name}` prints a
//! figure or a text of the registry, `{change(a, b)}` a function of figures — and optional
//! clauses in `[…]`, left out whole when a slot inside has nothing to print. `\{`, `\}`,
//! `\[` and `\]` print the character itself.

use crate::render::format::Fig;

/// A piece of a parsed skeleton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Text(String),
    Slot(Slot),
    Optional(Vec<Seg>),
}

/// A slot: a name, or a function and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub name: String,
    /// The arguments of a function slot (`change(a, b)`); empty for a plain name.
    pub args: Vec<String>,
    /// Whether it was written as a call (`f()` has no arguments but is still a call).
    pub call: bool,
}

/// A piece of printed text: words, or a figure of the registry.
#[derive(Debug, Clone)]
pub enum Run {
    Text(String),
    Fig(Fig),
}

impl serde::Serialize for Run {
    /// As its text (a figure as a figure: [`Fig`] serializes with its identity).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Run::Text(t) => s.serialize_str(t),
            Run::Fig(f) => f.serialize(s),
        }
    }
}

impl Run {
    /// The printed text.
    pub fn text(&self) -> &str {
        match self {
            Run::Text(t) => t,
            Run::Fig(f) => f.as_str(),
        }
    }
}

/// The skeleton `s` parsed, or what is wrong with it and at which character.
pub fn parse(s: &str) -> Result<Vec<Seg>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let segs = parse_until(&chars, &mut i, false)?;
    Ok(segs)
}

fn parse_until(chars: &[char], i: &mut usize, in_clause: bool) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Seg>| {
        if !text.is_empty() {
            out.push(Seg::Text(std::mem::take(text)));
        }
    };
    while *i < chars.len() {
        let c = chars[*i];
        *i += 1;
        match c {
            '\\' if *i < chars.len() && "{}[]\\".contains(chars[*i]) => {
                text.push(chars[*i]);
                *i += 1;
            }
            '[' => {
                flush(&mut text, &mut out);
                let inner = parse_until(chars, i, true)?;
                out.push(Seg::Optional(inner));
            }
            ']' if in_clause => {
                flush(&mut text, &mut out);
                return Ok(out);
            }
            ']' => {
                return Err(format!(
                    "`]` at character {} closes no `[` (write `\\]` for the character itself)",
                    *i
                ));
            }
            '{' => {
                flush(&mut text, &mut out);
                let start = *i;
                let end = chars[start..]
                    .iter()
                    .position(|&c| c == '}')
                    .map(|p| start + p)
                    .ok_or_else(|| format!("`{{` at character {start} has no closing `}}`"))?;
                let inside: String = chars[start..end].iter().collect();
                *i = end + 1;
                out.push(Seg::Slot(slot(&inside).map_err(|e| {
                    format!("slot `{{{inside}}}` at character {start}: {e}")
                })?));
            }
            '}' => {
                return Err(format!(
                    "`}}` at character {} closes no `{{` (write `\\}}` for the character itself)",
                    *i
                ));
            }
            c => text.push(c),
        }
    }
    if in_clause {
        return Err("a `[` is not closed by `]`".into());
    }
    flush(&mut text, &mut out);
    Ok(out)
}

/// `name` or `function(arg, arg)`.
fn slot(inside: &str) -> Result<Slot, String> {
    let inside = inside.trim();
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-')
    };
    match inside.split_once('(') {
        Some((name, rest)) => {
            let args = rest
                .strip_suffix(')')
                .ok_or("a function's arguments end with `)`")?;
            let args: Vec<String> = args
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect();
            let name = name.trim();
            if !ok(name) || !args.iter().all(|a| ok(a)) {
                return Err("names are letters, digits, `_`, `-` and `.`".into());
            }
            Ok(Slot {
                name: name.to_string(),
                args,
                call: true,
            })
        }
        None if ok(inside) => Ok(Slot {
            name: inside.to_string(),
            args: Vec::new(),
            call: false,
        }),
        None => Err("a slot is a name (`income.total`) or a function (`change(a, b)`)".into()),
    }
}

/// Every slot of a parsed skeleton, in order, optional clauses included.
pub fn slots(segs: &[Seg]) -> Vec<&Slot> {
    let mut out = Vec::new();
    for s in segs {
        match s {
            Seg::Slot(slot) => out.push(slot),
            Seg::Optional(inner) => out.extend(slots(inner)),
            Seg::Text(_) => {}
        }
    }
    out
}

/// The skeleton filled by `resolve`; `None` when a slot outside every optional clause has
/// nothing to print (the sentence is then left out, never printed with a 0).
pub fn fill(segs: &[Seg], resolve: &dyn Fn(&Slot) -> Option<Vec<Run>>) -> Option<Vec<Run>> {
    let mut out: Vec<Run> = Vec::new();
    for s in segs {
        let runs = match s {
            Seg::Text(t) => vec![Run::Text(t.clone())],
            Seg::Slot(slot) => resolve(slot)?,
            Seg::Optional(inner) => fill(inner, resolve).unwrap_or_default(),
        };
        for r in runs {
            match (out.last_mut(), r) {
                (Some(Run::Text(a)), Run::Text(b)) => a.push_str(&b),
                (_, r) => out.push(r),
            }
        }
    }
    Some(out)
}

/// The plain text of runs.
pub fn plain(runs: &[Run]) -> String {
    runs.iter().map(Run::text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Option<Vec<Run>> {
        Some(vec![Run::Text(s.into())])
    }

    #[test]
    fn slots_clauses_and_escapes() {
        let segs = parse("收入{income.total}万元[，其中：事业收入{income.business}万元]；比{change(a, b)}\\[注\\]").unwrap();
        let names: Vec<&str> = slots(&segs).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["income.total", "income.business", "change"]);
        assert_eq!(slots(&segs)[2].args, ["a", "b"]);
        let full = fill(&segs, &|s| match s.name.as_str() {
            "income.total" => text("10.00"),
            "change" => text("持平"),
            _ => None,
        })
        .unwrap();
        assert_eq!(plain(&full), "收入10.00万元；比持平[注]");
        let none = fill(&segs, &|s| match s.name.as_str() {
            "income.business" => text("1"),
            _ => None,
        });
        assert!(
            none.is_none(),
            "a required slot without a figure leaves the sentence out"
        );
    }

    #[test]
    fn malformed_skeletons_say_where() {
        assert!(parse("a{b").unwrap_err().contains("no closing"));
        assert!(parse("a]").unwrap_err().contains("closes no"));
        assert!(parse("[a").unwrap_err().contains("not closed"));
        assert!(parse("{a b}").unwrap_err().contains("slot"));
        assert!(parse("{f(a}").unwrap_err().contains("`)`"));
    }
}
