//! Simple patterns as data, so the emitter can check them without a regex engine.
//!
//! OpenAPI patterns are ECMA-262 regular expressions. Most in real specs are anchored runs
//! of ASCII character classes, like `^([a-f0-9]{24})$` or `^[a-zA-Z0-9][a-zA-Z0-9-]*$`.
//! Those parse here into `Atom`s, which the emitter turns into a byte loop: no engine, no
//! allocation, no start-up cost. A pattern outside this subset, or one where greedy
//! matching could need backtracking, returns `None` and is checked by an ECMA-262 engine.

/// One step of a simple pattern: a set of ASCII bytes repeated `min..=max` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// Inclusive byte ranges.
    pub ranges: Vec<(u8, u8)>,
    pub min: u32,
    /// `None` for unbounded.
    pub max: Option<u32>,
}

impl Atom {
    fn contains(&self, byte: u8) -> bool {
        self.ranges
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&byte))
    }

    fn overlaps(&self, other: &Atom) -> bool {
        (0u8..=127).any(|b| self.contains(b) && other.contains(b))
    }
}

/// Parses an anchored pattern into atoms that greedy matching checks exactly, or `None`.
pub fn simple(pattern: &str) -> Option<Vec<Atom>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    if body.ends_with('\\') {
        return None;
    }
    let body = strip_group(body);
    let bytes = body.as_bytes();
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (ranges, next) = match bytes[i] {
            b'[' => class(bytes, i + 1)?,
            b'\\' => (escape(*bytes.get(i + 1)?)?, i + 2),
            b'(' | b')' | b'|' | b'.' | b'*' | b'+' | b'?' | b'{' | b'}' | b'^' | b'$' | b']' => {
                return None;
            }
            b if b.is_ascii() => (vec![(b, b)], i + 1),
            _ => return None,
        };
        let (min, max, next) = quantifier(bytes, next)?;
        atoms.push(Atom { ranges, min, max });
        i = next;
    }
    // Greedy matching without backtracking is exact when no variable-length atom can take
    // a byte that a later atom would need.
    for (index, atom) in atoms.iter().enumerate() {
        if Some(atom.min) != atom.max && atoms[index + 1..].iter().any(|later| atom.overlaps(later))
        {
            return None;
        }
    }
    Some(atoms)
}

/// `(x)` or `(?:x)` around the whole body is only grouping.
fn strip_group(body: &str) -> &str {
    let inner = body
        .strip_prefix("(?:")
        .or_else(|| body.strip_prefix('('))
        .and_then(|b| b.strip_suffix(')'));
    match inner {
        Some(inner) if !inner.contains(['(', ')', '|']) => inner,
        _ => body,
    }
}

fn escape(byte: u8) -> Option<Vec<(u8, u8)>> {
    match byte {
        b'd' => Some(vec![(b'0', b'9')]),
        b'w' => Some(vec![(b'0', b'9'), (b'A', b'Z'), (b'_', b'_'), (b'a', b'z')]),
        b'.' | b'-' | b'_' | b'/' | b'\\' | b'+' | b'*' | b'?' | b'(' | b')' | b'[' | b']'
        | b'{' | b'}' | b'|' | b'^' | b'$' | b':' | b'@' | b'#' | b'!' | b'=' | b',' | b' ' => {
            Some(vec![(byte, byte)])
        }
        _ => None,
    }
}

/// A bracket class starting after `[`; returns the ranges and the index after `]`.
fn class(bytes: &[u8], mut i: usize) -> Option<(Vec<(u8, u8)>, usize)> {
    if bytes.get(i) == Some(&b'^') {
        return None;
    }
    let mut ranges = Vec::new();
    loop {
        let (lo, next) = match *bytes.get(i)? {
            b']' => return Some((ranges, i + 1)),
            b'\\' => {
                let escaped = escape(*bytes.get(i + 1)?)?;
                if escaped.len() != 1 || escaped[0].0 != escaped[0].1 {
                    ranges.extend(escaped);
                    i += 2;
                    continue;
                }
                (escaped[0].0, i + 2)
            }
            b'[' => return None,
            b if b.is_ascii() => (b, i + 1),
            _ => return None,
        };
        i = next;
        if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(|&b| b != b']') {
            let hi = match bytes[i + 1] {
                b'\\' => {
                    let escaped = escape(*bytes.get(i + 2)?)?;
                    if escaped.len() != 1 || escaped[0].0 != escaped[0].1 {
                        return None;
                    }
                    i += 3;
                    escaped[0].0
                }
                b if b.is_ascii() => {
                    i += 2;
                    b
                }
                _ => return None,
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
}

/// An optional quantifier at `i`; returns `(min, max, next index)`.
fn quantifier(bytes: &[u8], i: usize) -> Option<(u32, Option<u32>, usize)> {
    let (min, max, next) = match bytes.get(i) {
        Some(b'*') => (0, None, i + 1),
        Some(b'+') => (1, None, i + 1),
        Some(b'?') => (0, Some(1), i + 1),
        Some(b'{') => {
            let close = i + bytes[i..].iter().position(|&b| b == b'}')?;
            let inside = std::str::from_utf8(&bytes[i + 1..close]).ok()?;
            let (min, max) = match inside.split_once(',') {
                None => {
                    let n = inside.parse().ok()?;
                    (n, Some(n))
                }
                Some((min, "")) => (min.parse().ok()?, None),
                Some((min, max)) => (min.parse().ok()?, Some(max.parse().ok()?)),
            };
            (min, max, close + 1)
        }
        _ => (1, Some(1), i),
    };
    // Lazy quantifiers change which match is found, never whether one exists, but keep
    // the subset small and obvious.
    if next > i && bytes.get(next) == Some(&b'?') {
        return None;
    }
    if max.is_some_and(|max| max < min) {
        return None;
    }
    Some((min, max, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(ranges: &[(u8, u8)], min: u32, max: Option<u32>) -> Atom {
        Atom {
            ranges: ranges.to_vec(),
            min,
            max,
        }
    }

    #[test]
    fn group_id() {
        assert_eq!(
            simple("^([a-f0-9]{24})$"),
            Some(vec![atom(&[(b'a', b'f'), (b'0', b'9')], 24, Some(24))])
        );
    }

    #[test]
    fn cluster_name() {
        assert_eq!(
            simple("^[a-zA-Z0-9][a-zA-Z0-9-]*$"),
            Some(vec![
                atom(&[(b'a', b'z'), (b'A', b'Z'), (b'0', b'9')], 1, Some(1)),
                atom(
                    &[(b'a', b'z'), (b'A', b'Z'), (b'0', b'9'), (b'-', b'-')],
                    0,
                    None
                ),
            ])
        );
    }

    #[test]
    fn escapes_and_literals() {
        assert_eq!(
            simple(r"^\d+\.x$"),
            Some(vec![
                atom(&[(b'0', b'9')], 1, None),
                atom(&[(b'.', b'.')], 1, Some(1)),
                atom(&[(b'x', b'x')], 1, Some(1))
            ])
        );
    }

    #[test]
    fn outside_the_subset() {
        for pattern in [
            "[a-z]+",           // unanchored: a search, not a match
            "^(?!admin).*$",    // look-ahead
            "^(a|b)$",          // alternation
            "^[^a]$",           // negated class
            "^[a-z]*[a-z0-9]$", // greedy star would need to give a byte back
            "^a{2,1}$",         // empty range
            "^é$",              // non-ASCII
            "^a+?$",            // lazy quantifier
        ] {
            assert_eq!(simple(pattern), None, "{pattern}");
        }
    }
}
