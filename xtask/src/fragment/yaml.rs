//! A JSON document written as block-style YAML that every YAML reader reads back as the
//! same document: YAML 1.2 readers (serde_yaml) and YAML 1.1 readers (PyYAML, SnakeYAML,
//! Ruby's Psych), whose implicit types differ.
//!
//! A YAML 1.1 reader takes plain `2023-01-01` for a date, `yes`, `on` and `n` for
//! booleans, `1_000`, `0o17` or `1:20` for numbers and `~` for null, where a YAML 1.2 reader
//! sees strings, and it takes `1e3` for a string, where a YAML 1.2 reader sees a number.
//! So a string is written plain only when it cannot be read as anything else in either
//! version (it does not start like a number, a date, a null, a boolean or an indicator),
//! and quoted otherwise; a float always has a dot and a signed exponent.

use serde_json::{Map, Number, Value};

/// The YAML text of `value` (a mapping at the top), keys in their order.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        other => {
            out.push_str(&inline(other).unwrap_or_else(|| quoted(&other.to_string())));
            out.push('\n');
        }
    }
    out
}

/// Writes the entries of a non-empty mapping, each on its own line at `indent`.
fn mapping(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&scalar(key));
        out.push(':');
        nested(out, value, indent, false);
    }
}

/// Writes the items of a non-empty sequence, each on its own line at `indent`.
fn sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            // A mapping item starts on the dash's line, its other keys aligned under it.
            Value::Object(map) if !map.is_empty() => {
                out.push(' ');
                let mut entries = String::new();
                mapping(&mut entries, map, indent + 2);
                out.push_str(&entries[indent + 2..]);
            }
            other => nested(out, other, indent, true),
        }
    }
}

/// Writes a value after `key:` or `-`: on the same line when it is a scalar or empty,
/// on the following lines when it is a collection or a block scalar. A mapping's items
/// are indented; a sequence's are too under a `-`, but not under a key (`key:` then
/// `- item` at the key's column, as most YAML writers put them).
fn nested(out: &mut String, value: &Value, indent: usize, in_sequence: bool) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            let indent = if in_sequence { indent + 2 } else { indent };
            sequence(out, items, indent);
        }
        Value::String(text) if block_safe(text) => {
            literal(out, text, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// A scalar or an empty collection on one line; `None` for anything else.
fn inline(value: &Value) -> Option<String> {
    Some(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(text) => scalar(text),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        _ => return None,
    })
}

/// A number as both YAML versions read it: integers as digits, floats with a dot and,
/// when there is an exponent, a sign on it (`1.0e+300`, not `1e300`).
fn number(n: &Number) -> String {
    let text = n.to_string();
    if n.is_i64() || n.is_u64() {
        return text;
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text.as_str(), None),
    };
    let mut out = mantissa.to_owned();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(exponent) = exponent {
        out.push('e');
        if !exponent.starts_with(['+', '-']) {
            out.push('+');
        }
        out.push_str(exponent);
    }
    out
}

/// A string as a plain scalar when no reader could take it for anything else, quoted
/// otherwise.
fn scalar(text: &str) -> String {
    if plain_safe(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// Whether `text` reads back as this string, in YAML 1.1 and 1.2 alike, written plain.
fn plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let second = text.chars().nth(1);
    // YAML 1.1 and 1.2 resolve these words (in any case) to booleans or null.
    const WORDS: [&str; 10] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    let lowered = text.to_ascii_lowercase();
    let word = WORDS.contains(&lowered.as_str());
    // Numbers, dates, times and sexagesimals all start with a digit, or with a sign or a
    // dot before one; `.inf` and `.nan` with a dot before a letter.
    let numeric = first.is_ascii_digit()
        || (matches!(first, '-' | '+' | '.')
            && second.is_some_and(|c| c.is_ascii_digit() || c == '.'))
        || [".inf", "-.inf", "+.inf", ".nan"].contains(&lowered.as_str());
    let indicator = "-?:,[]{}#&*!|>'\"%@`<=~".contains(first);
    let breaks_plain = text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.chars().any(|c| c.is_control() || needs_escape(c));
    !(word || numeric || indicator || breaks_plain)
}

/// Characters a YAML reader may take for a line break or refuse in plain text.
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// `text` in quotes: single quotes (where only `'` is doubled) when it has no character
/// that needs an escape, double quotes with YAML's escapes otherwise.
fn quoted(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() || needs_escape(c)) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a string can be a literal block (`|`): it has several lines, none of which
/// starts the text with a space (that would need an indentation indicator), ends with
/// spaces (editors strip them) or holds a character that must be escaped.
fn block_safe(text: &str) -> bool {
    text.contains('\n')
        && !text.starts_with([' ', '\n'])
        && !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || needs_escape(c))
        && text.lines().all(|line| !line.ends_with([' ', '\t']))
}

/// Writes a literal block scalar, its lines at `indent`, with the chomping indicator
/// that keeps its final line breaks exactly (`|-` none, `|` one, `|+` more).
fn literal(out: &mut String, text: &str, indent: usize) {
    let body = text.trim_end_matches('\n');
    let chomping = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    out.push_str(" |");
    out.push_str(chomping);
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
    // `|+` keeps the extra line breaks as empty lines.
    for _ in 1..text.len() - body.len() {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Strings that a YAML 1.1 or 1.2 reader resolves to something else when plain.
    const SPECIAL: &[&str] = &[
        // Dates and timestamps (YAML 1.1).
        "2023-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        // Booleans (YAML 1.1 in every case, 1.2 true/false).
        "y",
        "Y",
        "n",
        "N",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        // Null.
        "~",
        "null",
        "Null",
        "NULL",
        "",
        // Integers: underscores, octal, hex, binary, sexagesimal (1.1), 1.2's `0o`.
        "1_000",
        "017",
        "0o17",
        "0x1F",
        "0b101",
        "1:20",
        "-1:20",
        "190:20:30",
        "+12",
        "-0",
        // Floats: 1.1 needs a dot, 1.2 does not; infinities and not-a-number.
        "1e3",
        "1.5",
        ".5",
        "-.5",
        "6.8523015e+5",
        "685.230_15e+03",
        "1:20.5",
        ".inf",
        "-.inf",
        "+.INF",
        ".NaN",
        // Merge key and value key (1.1), indicators, comments, and spaces.
        "<<",
        "=",
        "- item",
        "? key",
        ": x",
        "a: b",
        "a #b",
        "#c",
        "&a",
        "*a",
        "!t",
        "%d",
        "@x",
        "`x",
        "|",
        ">",
        "'",
        "\"",
        "[x]",
        "{x}",
        " lead",
        "trail ",
        "end:",
        // Line breaks and characters that must be escaped.
        "two\nlines",
        "tab\tin",
        "nul\0",
        "line\u{2028}separator",
        "bom\u{FEFF}",
    ];

    #[test]
    fn special_scalars_are_quoted() {
        for text in SPECIAL {
            assert!(
                !plain_safe(text),
                "{text:?} would not read back as a string"
            );
        }
        for text in [
            "listLegacyBackupCheckpoints",
            "application/json",
            "a-b",
            "x y",
            "é",
        ] {
            assert!(plain_safe(text), "{text:?} needs no quotes");
        }
    }

    #[test]
    fn every_string_reads_back_as_itself() {
        let mut strings: Vec<String> = SPECIAL.iter().map(|s| (*s).to_owned()).collect();
        strings.extend(
            [
                "multi\nline\n",
                "keeps\n\nbreaks\n\n\n",
                "  indented\nfirst",
                "trailing  \nspaces",
                "ends\n",
                "\u{85}next line",
            ]
            .map(str::to_owned),
        );
        let document = json!({
            "values": strings,
            "keys": strings.iter().map(|s| (s.clone(), json!(1))).collect::<Map<_, _>>(),
            "numbers": [0, -1, i64::MAX, u64::MAX, 0.5, 1.0, -0.0, 1e300, 1.5e-7, 3e-300],
            "nested": [{"a": [], "b": {}}, [[1, [2]], 3], {"c": [{"d": [null, "it's"]}]}],
        });
        let text = to_string(&document);
        let read: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(read, document, "{text}");
    }

    #[test]
    fn floats_have_a_dot_and_a_signed_exponent() {
        let cases = [
            (1e300, "1.0e+300"),
            (1.5e-7, "1.5e-7"),
            (0.5, "0.5"),
            (-2.0, "-2.0"),
        ];
        for (f, text) in cases {
            let n = Number::from_f64(f).unwrap();
            assert_eq!(number(&n), text);
        }
    }

    #[test]
    fn layout() {
        let document = json!({
            "x-xgen-version": "2023-01-01",
            "paths": {"/a": {"get": {"tags": ["One"], "parameters": [{"name": "a", "in": "query"}]}}},
            "description": "Two\nlines",
        });
        assert_eq!(
            to_string(&document),
            "x-xgen-version: '2023-01-01'\n\
             paths:\n  /a:\n    get:\n      tags:\n      - One\n      parameters:\n      - name: a\n        in: query\n\
             description: |-\n  Two\n  lines\n"
        );
    }

    /// PyYAML is a YAML 1.1 reader; when it is on the machine, it must read the same.
    #[test]
    fn a_yaml_1_1_reader_reads_the_same_document() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let document = json!({
            "strings": SPECIAL,
            "numbers": [1, -2, 0.5, 1e300, 1.5e-7],
            "block": "multi\nline\n",
        });
        let script = "import json, sys, yaml\n\
                      print(json.dumps(yaml.safe_load(sys.stdin.read())))";
        let child = Command::new("python3")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("python3 is not available: skipped");
            return;
        };
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(to_string(&document).as_bytes())
                .expect("write to python3");
        }
        let output = child.wait_with_output().expect("run python3");
        if !output.status.success() {
            let error = String::from_utf8_lossy(&output.stderr);
            assert!(
                error.contains("No module named 'yaml'"),
                "PyYAML failed: {error}"
            );
            eprintln!("PyYAML is not installed: skipped");
            return;
        }
        let read: Value = serde_json::from_slice(&output.stdout).expect("json from python3");
        assert_eq!(read, document);
    }
}
