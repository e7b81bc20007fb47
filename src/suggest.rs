//! "Did you mean": the nearest candidates to a mistyped key or code, by edit distance
//! (Levenshtein over characters), for diagnostics' hints.

/// Edit distance between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to `n` candidates nearest to `typed`, close enough to be a plausible typo (at most a
/// third of the longer string's length, at least 1 edit allowed), nearest first, ties in
/// candidate order.
pub fn nearest<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (distance(typed, c), i, c))
        .filter(|(d, _, c)| {
            let longest = typed.chars().count().max(c.chars().count());
            *d <= (longest / 3).max(1)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_keys_and_codes() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(
            nearest("opning", ["opening", "closing", "other"], 1),
            ["opening"]
        );
        assert_eq!(
            nearest("2080108", ["2080101", "2080109", "2010101"], 2),
            ["2080101", "2080109"]
        );
        assert!(nearest("zzz", ["opening"], 1).is_empty());
    }
}
