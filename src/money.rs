//! Numbers: the one rounding policy (half-up, 四舍五入) and the formatting of amounts and
//! percentages into the strings that templates print.
//!
//! Every rounding in budgetdoc goes through [`round_half_up`]; `Decimal::round_dp` (banker's
//! rounding) is never used. No `f64` anywhere.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half away from zero (四舍五入): 0.125 → 0.13, −0.125 → −0.13.
pub fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `part / whole × 100`, unrounded; `None` when the whole is zero (no rate exists).
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        None
    } else {
        part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)
    }
}

/// Growth of `current` over `base` in percent; `None` against a zero base.
pub fn growth(current: Decimal, base: Decimal) -> Option<Decimal> {
    percent(current - base, base)
}

/// Fixed decimals, half-up, no separators: `1234.5` → `"1234.50"`.
pub fn fixed(value: impl Into<Decimal>, dp: u32) -> String {
    let mut v = round_half_up(value.into(), dp);
    v.rescale(dp);
    if v.is_zero() {
        // Never print "-0.00".
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// Like [`fixed`], but a value that rounds to a whole number prints without decimals
/// (`100.00` → `"100"`, `0.004` → `"0"`), as municipal budgets print percentages.
pub fn fixed_or_whole(value: impl Into<Decimal>, dp: u32) -> String {
    let rounded = round_half_up(value.into(), dp);
    if rounded.fract().is_zero() {
        fixed(rounded, 0)
    } else {
        fixed(rounded, dp)
    }
}

/// Fixed decimals with thousands separators: `1234567.8` → `"1,234,567.80"`.
pub fn grouped(value: impl Into<Decimal>, dp: u32) -> String {
    group(&fixed(value, dp))
}

/// Thousands separators in a number already printed (`-1055.4` → `"-1,055.4"`).
pub fn group(plain: &str) -> String {
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Counts the decimals a typed amount carries (`12.50` → 2, `3` → 0).
pub fn decimals(value: Decimal) -> u32 {
    value.scale()
}

/// Points (分值, 得分 totals) as forms print them: whole numbers without decimals, others
/// with 2.
pub fn points(value: impl Into<Decimal>) -> String {
    let value = value.into();
    fixed(value, if value.fract().is_zero() { 0 } else { 2 })
}

/// Chinese ordinal in lower case: 1 → 一, 10 → 十, 26 → 二十六.
pub fn chinese_ordinal(n: usize) -> String {
    use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
    (n as u64)
        .to_chinese(
            ChineseVariant::Simple,
            ChineseCase::Lower,
            ChineseCountMethod::TenThousand,
        )
        .unwrap_or_else(|_| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(26), "二十六");
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn whole_values_lose_their_decimals() {
        assert_eq!(fixed_or_whole(d("100"), 2), "100");
        assert_eq!(fixed_or_whole(d("-100.001"), 2), "-100");
        assert_eq!(fixed_or_whole(d("0.004"), 2), "0");
        assert_eq!(fixed_or_whole(d("7.1"), 2), "7.10");
        assert_eq!(fixed_or_whole(d("99.995"), 2), "100");
    }

    #[test]
    fn halves_round_up_not_to_even() {
        assert_eq!(fixed(d("0.125"), 2), "0.13");
        assert_eq!(fixed(d("0.135"), 2), "0.14");
        assert_eq!(fixed(d("2.5"), 0), "3");
        assert_eq!(fixed(d("3.5"), 0), "4");
        assert_eq!(fixed(d("174.5"), 0), "175");
    }

    #[test]
    fn negatives_round_away_from_zero() {
        assert_eq!(fixed(d("-0.125"), 2), "-0.13");
        assert_eq!(fixed(d("-2.5"), 0), "-3");
        assert_eq!(fixed(d("-0.001"), 2), "0.00");
    }

    #[test]
    fn fixed_pads_decimals() {
        assert_eq!(fixed(d("2147861.6"), 2), "2147861.60");
        assert_eq!(fixed(d("516247561"), 2), "516247561.00");
        assert_eq!(fixed(d("0"), 2), "0.00");
    }

    #[test]
    fn grouped_inserts_separators() {
        assert_eq!(grouped(d("472587029.28"), 2), "472,587,029.28");
        assert_eq!(grouped(d("999.999"), 2), "1,000.00");
        assert_eq!(grouped(d("-1234.5"), 2), "-1,234.50");
        assert_eq!(grouped(d("12"), 2), "12.00");
        assert_eq!(grouped(d("123456"), 0), "123,456");
    }

    #[test]
    fn zero_denominators_give_no_rate() {
        assert_eq!(percent(d("5"), Decimal::ZERO), None);
        assert_eq!(growth(d("5"), Decimal::ZERO), None);
    }

    #[test]
    fn rates_from_unrounded_amounts() {
        // Seed 002: 收支总计 516247561.00 against 464320325.00 → 11.18%.
        let g = growth(d("516247561.00"), d("464320325.00")).unwrap();
        assert_eq!(fixed(g, 2), "11.18");
        // 财政拨款收入 share 467782266.28 / 472587029.28 → 98.98%.
        let s = percent(d("467782266.28"), d("472587029.28")).unwrap();
        assert_eq!(fixed(s, 2), "98.98");
        // Decline is negative growth.
        let g = growth(d("90"), d("100")).unwrap();
        assert_eq!(fixed(g, 2), "-10.00");
    }

    #[test]
    fn decimals_counts_scale() {
        assert_eq!(decimals(d("12.50")), 2);
        assert_eq!(decimals(d("3")), 0);
        assert_eq!(decimals(d("1.005")), 3);
    }
}
