//! load: the scalar types a user types — amounts, codes and texts — with the checks that
//! belong to reading a single value (a number where a number belongs, at most two decimals).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

use super::positions::{Segment, format_path};
use crate::figures::provenance::{self, NodeId, Num};
use serde::{Deserialize, Serialize};

/// A money amount exactly as typed, in the document's unit (or 万元 in evaluations), with
/// its fact node when derivations are recorded ([`provenance`]). Amounts compare by value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Amount(pub Decimal, NodeId);

impl Amount {
    /// An amount that was not read from a file (a test's, or one derived by a rule).
    pub fn new(value: Decimal) -> Self {
        Self(value, NodeId::NONE)
    }

    /// The value of an optional typed amount, zero when it is absent.
    pub fn or_zero(a: Option<Amount>) -> Decimal {
        a.map(|a| a.0).unwrap_or_default()
    }

    /// The number of an optional typed amount, zero (recorded as nothing typed) when it is
    /// absent.
    pub fn num_or_zero(a: Option<Amount>) -> Num {
        a.map(Amount::num).unwrap_or_else(Num::empty)
    }

    /// The amount as a number of the derivations, traced to where it was typed.
    pub fn num(self) -> Num {
        Num::new(self.0, self.1)
    }
}

/// A typed scalar that carries its fact node (field 1) beside its value (field 0): it
/// compares by value, and it serializes as its value, or — while the facts of a file are
/// being named ([`name_facts`]) — as a marker with its node, so the walk learns each fact's
/// key path.
macro_rules! traced_scalar {
    ($ty:ident) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }

        impl Eq for $ty {}

        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $ty {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if NAMING_FACTS.with(|n| n.get()) && !self.1.is_none() {
                    serializer.serialize_str(&format!("{FACT_MARKER}{}", self.1.raw()))
                } else {
                    serializer.serialize_newtype_struct(stringify!($ty), &self.0)
                }
            }
        }
    };
}

traced_scalar!(Amount);

thread_local! {
    static NAMING_FACTS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts the string an [`Amount`] serializes to while its file's facts are named.
const FACT_MARKER: &str = "\u{1}fact:";

/// Gives every typed amount in `value` (read from one file, under the key path `prefix`)
/// its key path, when derivations are recorded: `value` is serialized with each amount as
/// a marker of its node, and the markers are found by walking the result.
pub fn name_facts<T: Serialize>(value: &T, prefix: &[Segment]) {
    if !provenance::recording() {
        return;
    }
    let tree = provenance::while_set(&NAMING_FACTS, || serde_json::to_value(value));
    let Ok(tree) = tree else { return };
    let mut path = prefix.to_vec();
    walk(&tree, &mut path);

    fn walk(v: &serde_json::Value, path: &mut Vec<Segment>) {
        match v {
            serde_json::Value::String(s) => {
                if let Some(id) = s.strip_prefix(FACT_MARKER).and_then(|n| n.parse().ok()) {
                    provenance::name_fact(NodeId::from_raw(id), format_path(path));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(item, path);
                    path.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    path.push(Segment::Key(k.clone()));
                    walk(item, path);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// The most decimals an amount may carry in 元: exact to the 分.
pub const YUAN_DECIMALS: u32 = 2;
/// The most decimals an amount may carry in 万元: still exact to the 分.
pub const TEN_THOUSAND_YUAN_DECIMALS: u32 = 6;

thread_local! {
    static MAX_DECIMALS: std::cell::Cell<u32> = const { std::cell::Cell::new(YUAN_DECIMALS) };
}

/// Runs `f` with amounts limited to `max` decimals (the unit of the file being read).
pub fn with_max_decimals<T>(max: u32, f: impl FnOnce() -> T) -> T {
    let before = MAX_DECIMALS.with(|m| m.replace(max));
    let out = f();
    MAX_DECIMALS.with(|m| m.set(before));
    out
}

/// `deserialize_with` for the attachments typed inline in a single-file project
/// (`evaluations:`, `targets:`): their amounts are in 万元 whatever the document's unit, as
/// they are in the attachment files of a project directory.
pub fn in_ten_thousand_yuan<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    with_max_decimals(TEN_THOUSAND_YUAN_DECIMALS, || T::deserialize(deserializer))
}

/// `deserialize_with` for a group of optional facts: `~` (null) is the empty group, as
/// leaving the key out is.
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Why `text` is not an amount: the marks a Chinese input method types into a number
/// (全角数字, 全角逗号/句点, thousands separators, 全角空格) named with the amount to type.
fn not_an_amount(text: &str) -> String {
    let full_width_digits = text.chars().any(|c| ('０'..='９').contains(&c));
    let separators = text.contains(['，', ',']);
    let full_width_other = text.contains(['．', '　', '－']);
    let plain: String = text
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
            '．' => Some('.'),
            '，' | ',' | '　' | ' ' => None,
            c => Some(c),
        })
        .collect();
    let fix = Decimal::from_str(&plain)
        .ok()
        .map(|_| format!("; type `{plain}`"))
        .unwrap_or_default();
    if full_width_digits || full_width_other {
        format!(
            "`{text}` is written with full-width characters (全角数字/全角标点), not an amount{fix} (switch the input method to half-width, 半角)"
        )
    } else if separators {
        format!(
            "`{text}` holds a thousands separator (`,` or 全角逗号 `，`), which an amount does not{fix}"
        )
    } else {
        format!(
            "expected an amount (a number such as 1234.56), found `{text}`; write digits only, without 元/万元, commas or spaces"
        )
    }
}

fn parse_amount<E: de::Error>(text: &str) -> Result<Amount, E> {
    let trimmed = text.trim();
    let value = Decimal::from_str(trimmed).map_err(|_| E::custom(not_an_amount(trimmed)))?;
    // Far above any budget (10^16 元 is a thousand times China's GDP), and small enough that
    // no sum or rate of such amounts can overflow `Decimal`.
    if value.abs() >= Decimal::from(10_000_000_000_000_000_u64) {
        return Err(E::custom(format!(
            "amount `{trimmed}` is implausibly large (10^16 or more)"
        )));
    }
    // Every typed amount is a fact ≥ 0 (income, spending, balances, funds, points): a
    // decrease or a deficit is derived, never typed. One guard for every kind and file.
    if value.is_sign_negative() && !value.is_zero() {
        return Err(E::custom(format!(
            "amount `{trimmed}` is negative; typed amounts are ≥ 0"
        )));
    }
    let max = MAX_DECIMALS.with(|m| m.get());
    if value.scale() > max {
        let unit = if max == YUAN_DECIMALS {
            "元"
        } else {
            "万元"
        };
        return Err(E::custom(format!(
            "amount `{trimmed}` has {} decimals, more than the {max} that are exact to the 分 in {unit}",
            value.scale()
        )));
    }
    Ok(Amount(value, provenance::fact(value)))
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount (a number exact to the 分)")
            }
            // Integers take the same checks as every other amount (sign, size).
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                parse_amount(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                parse_amount(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                // The YAML parser hands us an f64; its shortest round-trip text is exactly what
                // the user typed for any amount of up to 15 significant digits.
                if !v.is_finite() {
                    return Err(E::custom("expected an amount, found a non-finite number"));
                }
                let text = format!("{v}");
                let digits = text
                    .trim_start_matches(['-', '0', '.'])
                    .chars()
                    .filter(char::is_ascii_digit)
                    .count();
                if text.contains('e') || digits > 15 {
                    return Err(E::custom(format!(
                        "amount `{text}` has too many digits to be read exactly as a YAML number; quote it (\"…\") to keep every digit"
                    )));
                }
                parse_amount(&text)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                parse_amount(v)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Amount, E> {
                Err(E::custom(format!("expected an amount, found `{v}`")))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A whole count (vehicles, people, batches, projects), at most [`Count::MAX`] so that no
/// sum of counts can overflow.
/// Like an amount, it carries its fact node when derivations are recorded
/// ([`traced_scalar`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Count(pub u64, NodeId);

traced_scalar!(Count);

impl Count {
    /// A count that was not read from a file.
    pub fn new(value: u64) -> Self {
        Self(value, NodeId::NONE)
    }

    /// The count as a number of the derivations, traced to where it was typed.
    pub fn num(self) -> Num {
        Num::new(Decimal::from(self.0), self.1)
    }

    /// Far above any department's vehicles or visitors; a billion of a thing is a typo.
    pub const MAX: u64 = 1_000_000_000;

    /// The value of an optional typed count, zero when it is absent.
    pub fn or_zero(c: Option<Count>) -> u64 {
        c.map(|c| c.0).unwrap_or_default()
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(deserializer)?;
        if v > Count::MAX {
            return Err(de::Error::custom(format!(
                "count `{v}` is implausibly large (more than {})",
                Count::MAX
            )));
        }
        Ok(Count(v, provenance::fact(Decimal::from(v))))
    }
}

/// A text field; numbers typed without quotes are accepted and kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.trim_end().to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(format!("{v}")))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A classification code typed as digits (`"2080101"`, `"30101"`); an unquoted number is
/// accepted too because it cannot lose digits (codes never start with 0).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Code(pub String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_code<E: de::Error>(text: &str) -> Result<Code, E> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(E::custom(format!(
            "expected a classification code made of digits (e.g. \"2080101\"), found `{t}`"
        )));
    }
    Ok(Code(t.to_string()))
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a classification code such as \"2080101\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                parse_code(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                parse_code(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                parse_code(&v.to_string())
            }
        }
        deserializer.deserialize_any(V)
    }
}

// The JSON Schema of the scalars (`budgetdoc schema`): what each accepts as typed.

impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount ≥ 0 in the document's unit (元 or 万元), exact to the 分: digits only, without 元/万元, commas or spaces.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*$" }
            ]
        })
    }
}

impl schemars::JsonSchema for Count {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Count".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole count (units, vehicles, projects).",
            "type": "integer",
            "minimum": 0
        })
    }
}

impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A text as printed (a number typed bare reads as its digits).",
            "type": ["string", "number"]
        })
    }
}

impl schemars::JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A code (科目, unit or department): quote it (\"2080101\") so that no leading 0 is lost.",
            "type": ["string", "integer"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(yaml: &str) -> Result<Amount, String> {
        serde_yaml::from_str::<Amount>(yaml).map_err(|e| e.to_string())
    }

    #[test]
    fn input_method_marks_in_an_amount_are_named_with_the_fix() {
        let e = amount("\"１２３.４５\"").unwrap_err();
        assert!(e.contains("全角数字") && e.contains("type `123.45`"), "{e}");
        let e = amount("1，234.00").unwrap_err();
        assert!(
            e.contains("全角逗号") && e.contains("type `1234.00`"),
            "{e}"
        );
        let e = amount("\"1,234.50\"").unwrap_err();
        assert!(
            e.contains("thousands separator") && e.contains("type `1234.50`"),
            "{e}"
        );
        let e = amount("１２３４．５").unwrap_err();
        assert!(e.contains("type `1234.5`"), "{e}");
    }

    #[test]
    fn negative_amounts_are_refused_however_typed() {
        for typed in ["-2000000", "-1.5", "\"-3\""] {
            let err = amount(typed).unwrap_err();
            assert!(err.contains("is negative"), "{typed}: {err}");
        }
        assert_eq!(amount("-0").unwrap(), Amount::new(Decimal::ZERO));
        assert_eq!(amount("12.50").unwrap(), Amount::new(Decimal::new(1250, 2)));
    }

    #[test]
    fn integers_too_large_for_any_budget_are_refused() {
        let err = amount("18446744073709551615").unwrap_err();
        assert!(err.contains("implausibly large"), "{err}");
    }

    #[test]
    fn counts_have_a_ceiling() {
        assert_eq!(serde_yaml::from_str::<Count>("9").unwrap(), Count::new(9));
        let err = serde_yaml::from_str::<Count>("18446744073709551615").unwrap_err();
        assert!(err.to_string().contains("implausibly large"), "{err}");
    }
}
