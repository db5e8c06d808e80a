//! Spec descriptions as rustdoc that `cargo doc -D warnings` accepts.
//!
//! Descriptions are CommonMark written for a web page. Rustdoc reads `[x]` as an
//! intra-doc link, warns on bare URLs and on unclosed HTML-looking tags, and compiles
//! untagged code fences as Rust doctests. Each line is cleaned up so the text reads the
//! same and rustdoc stays quiet; code spans and fenced blocks are left verbatim.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for a text, one per line, with a leading space like `///` has.
pub fn attrs(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #(#[doc = #lines])* }
}

/// The cleaned lines of a text, each with a leading space (empty lines stay empty).
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The column where the current list item's text starts, while inside one.
    let mut item_content: Option<usize> = None;
    for raw in text.trim().lines() {
        let mut line = raw.trim_end().to_owned();
        // A line that continues a list item must be indented, or Markdown (and clippy's
        // `doc_lazy_continuation`) reads it as lazily joined.
        let trimmed = line.trim_start().to_owned();
        let is_item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let indent = line.len() - trimmed.len();
        if let Some(content) = item_content {
            if !in_fence && !is_item && !trimmed.is_empty() && indent < content {
                line = format!("{}{trimmed}", " ".repeat(content));
            }
        }
        if !in_fence {
            item_content = if trimmed.is_empty() {
                None
            } else if is_item {
                let marker = trimmed.find(' ').unwrap_or(0) + 1;
                Some(indent + marker)
            } else {
                item_content
            };
        }
        let line = line.as_str();
        let fence = trimmed.as_str();
        let cleaned = if fence.starts_with("```") || fence.starts_with("~~~") {
            let opening = !in_fence;
            in_fence = !in_fence;
            let info = fence.trim_start_matches(['`', '~']).trim();
            if opening && info.is_empty() {
                // An untagged fence is a Rust doctest to rustdoc; the spec means text.
                format!("{line}text")
            } else {
                line.to_owned()
            }
        } else if in_fence {
            line.to_owned()
        } else {
            clean_line(line)
        };
        out.push(if cleaned.is_empty() {
            String::new()
        } else {
            format!(" {cleaned}")
        });
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}

/// Escapes one prose line outside code spans.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    // Odd-numbered pieces between backticks are code spans.
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(piece);
        } else {
            out.push_str(&clean_prose(piece));
        }
    }
    out
}

fn clean_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(link_len) = markdown_link_len(rest) {
            out.push_str(&rest[..link_len]);
            rest = &rest[link_len..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"')
                .unwrap_or(rest.len());
            // A sentence's final period or comma is not part of the URL.
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        rest = chars.as_str();
    }
    out
}

/// The length of a `[text](url)` link at the start of `text`, whose brackets are
/// markdown rather than stray.
fn markdown_link_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find(']')?;
    if rest[..close].contains('[') {
        return None;
    }
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    if after[..end].contains(char::is_whitespace) {
        return None;
    }
    Some(1 + close + 1 + 1 + end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose() {
        let cases = [
            (
                "See https://example.com/a.",
                " See <https://example.com/a>.",
            ),
            (
                "A [link](https://example.com) stays.",
                " A [link](https://example.com) stays.",
            ),
            (
                "Stray [brackets] and <tags>.",
                " Stray \\[brackets\\] and &lt;tags&gt;.",
            ),
            (
                "Code `[x] <y> https://z` stays.",
                " Code `[x] <y> https://z` stays.",
            ),
            ("C:\\path", " C:\\\\path"),
            ("(see https://example.com)", " (see <https://example.com>)"),
        ];
        for (text, doc) in cases {
            assert_eq!(lines(text), vec![doc.to_owned()], "{text}");
        }
    }

    #[test]
    fn fences() {
        assert_eq!(
            lines("Run:\n\n```\ncurl [x] https://a\n```\n\n```json\n{}\n```"),
            vec![
                " Run:",
                "",
                " ```text",
                " curl [x] https://a",
                " ```",
                "",
                " ```json",
                " {}",
                " ```"
            ]
        );
        // An unclosed fence is closed so it does not swallow the following docs.
        assert_eq!(lines("```\nx"), vec![" ```text", " x", " ```"]);
    }
}
