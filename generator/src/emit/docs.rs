//! Spec descriptions as rustdoc that `cargo doc -D warnings` and clippy accept.
//!
//! Descriptions are CommonMark written for a web page, and rustdoc reads them with rules
//! of its own: `[x]` is an intra-doc link, a bare URL and an unclosed HTML-looking tag are
//! warnings, and any code block that is not marked as another language (fenced without
//! an info string, or indented by four spaces) is compiled as a Rust doctest. Clippy
//! adds lints on tabs, on list items whose continuation lines are not indented to the
//! item's text (lazy continuation) or are indented past it.
//!
//! So a description is rewritten in two passes that keep what it says and how it reads:
//!
//! - **Blocks**, line by line: tabs become spaces, lists are re-indented so every line of
//!   an item starts at the item's text, every code block becomes a fenced block that
//!   rustdoc will not compile (`text`, unless the spec names another language), and an
//!   unclosed fence is closed.
//! - **Inline**, one paragraph at a time (code spans may cross lines): code spans stay as
//!   they are, links to URLs stay links, bare URLs become `<autolinks>`, and brackets,
//!   angle brackets and stray backticks are escaped, so HTML shows as text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for a text, one per line, with a leading space like `///` has.
pub fn attrs(text: &str) -> TokenStream {
    let lines = lines(text).into_iter().map(line_literal);
    quote! { #(#[doc = #lines])* }
}

thread_local! {
    /// The doc lines of the part being emitted on this thread, while [`deferring`]: each
    /// line's attribute holds a short mark instead, and [`fill`] puts the line back into
    /// the formatted text. A long line escaped, parsed back and unescaped to be printed as
    /// it was cost a sixth of codegen.
    static DEFERRED: std::cell::RefCell<Option<Vec<String>>> =
        const { std::cell::RefCell::new(None) };
}

/// What a deferred line's attribute holds: `MARK_OPEN`, its number, `MARK_CLOSE`, plain
/// text that is cheap to escape and read back. No doc line is printed as `///` and the mark:
/// every other line starts with a space, as `/// text` does, or is empty.
const MARK_OPEN: &str = "#line";
const MARK_CLOSE: char = '#';

/// Runs `emit` with the doc lines it makes deferred (see [`fill`]); returns them too.
pub(crate) fn deferring<T>(emit: impl FnOnce() -> T) -> (T, Vec<String>) {
    DEFERRED.with(|d| *d.borrow_mut() = Some(Vec::new()));
    let out = emit();
    let lines = DEFERRED.with(|d| d.borrow_mut().take()).unwrap_or_default();
    (out, lines)
}

/// A doc line's string literal: a mark while [`deferring`] (see [`text`]), else the line.
fn line_literal(line: String) -> proc_macro2::Literal {
    match text(line) {
        Ok(mark) => super::string_literal(&mark),
        Err(line) => super::string_literal(&line),
    }
}

/// What a doc line's attribute holds: a mark while [`deferring`], for a line prettyplease
/// prints as `///` and the line (no line break, not starting with `/`); else the line.
pub(crate) fn text(line: String) -> Result<String, String> {
    if line.contains('\n') || line.starts_with('/') {
        return Err(line);
    }
    DEFERRED.with(|d| match d.borrow_mut().as_mut() {
        Some(lines) => {
            lines.push(line);
            Ok(format!("{MARK_OPEN}{}{MARK_CLOSE}", lines.len() - 1))
        }
        None => Err(line),
    })
}

/// Formatted text with the marks of deferred `lines` replaced by the lines, as
/// prettyplease prints them (trailing spaces trimmed).
pub(crate) fn fill(text: String, lines: &[String]) -> String {
    let open = format!("///{MARK_OPEN}");
    if lines.is_empty() || !text.contains(&open) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + lines.iter().map(String::len).sum::<usize>());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        let line = after
            .find(MARK_CLOSE)
            .and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)))
            .and_then(|(n, end)| Some((lines.get(n)?, end)));
        let Some((line, end)) = line else {
            out.push_str(&rest[..at + open.len()]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..at + 3]);
        out.push_str(line.trim_end_matches(' '));
        rest = &after[end + MARK_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The cleaned lines of a text, each with a leading space (empty lines stay empty).
pub fn lines(text: &str) -> Vec<String> {
    let mut blocks = Blocks::default();
    for line in normalised(text) {
        blocks.line(&line);
    }
    blocks.finish();
    let mut out = Vec::with_capacity(blocks.out.len());
    let mut paragraph: Vec<Line> = Vec::new();
    for line in blocks.out {
        let ends_paragraph = !matches!(line.kind, Kind::Prose { starts: false });
        if ends_paragraph && !paragraph.is_empty() {
            out.extend(inline(&paragraph));
            paragraph.clear();
        }
        match line.kind {
            Kind::Prose { .. } => paragraph.push(line),
            Kind::Blank => out.push(String::new()),
            Kind::Verbatim => out.push(format!(" {}{}", line.indent, line.text)),
        }
    }
    if !paragraph.is_empty() {
        out.extend(inline(&paragraph));
    }
    out
}

/// A spec's constant (a default) as inline code.
pub fn literal(literal: &crate::ir::Literal) -> String {
    use crate::ir::Literal;
    match literal {
        Literal::String(s) => code(&format!("{s:?}")),
        Literal::Int(i) => code(&i.to_string()),
        Literal::Float(f) => code(&f.to_string()),
        Literal::Bool(b) => code(&b.to_string()),
        Literal::Null => code("null"),
        Literal::Json(json) => code(json),
    }
}

/// A code span holding `text` on one line, whatever backticks it contains: the fence is
/// one backtick longer than the longest run inside, and padded where the text starts or
/// ends with one. For spec values shown in docs (enum values, patterns, defaults).
pub fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !is_forbidden(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if text.trim().is_empty() {
        return format!("{:?}", text);
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Characters rustc refuses in a doc comment: a bare carriage return is an error, and the
/// bidirectional overrides are denied by `text_direction_codepoint_in_comment`.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\r' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text's lines with carriage returns as line ends, forbidden characters dropped,
/// tabs expanded to the next multiple of four columns, trailing spaces trimmed, blank
/// lines around the text dropped and the indentation all lines share removed.
fn normalised(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            // Printable ASCII has no tab and nothing forbidden: the line as it is.
            if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return line.trim_end().to_owned();
            }
            let mut out = String::with_capacity(line.len());
            let mut column = 0;
            for c in line.chars().filter(|c| !is_forbidden(*c)) {
                if c == '\t' {
                    let spaces = 4 - column % 4;
                    out.push_str(&" ".repeat(spaces));
                    column += spaces;
                } else {
                    out.push(c);
                    column += 1;
                }
            }
            out.trim_end().to_owned()
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    let shared = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| indent_of(l))
        .min()
        .unwrap_or(0);
    for line in &mut lines {
        if !line.is_empty() {
            line.drain(..shared);
        }
    }
    lines
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// One output line of the block pass.
struct Line {
    indent: String,
    text: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Markdown text, escaped by the inline pass; `starts` when it begins a paragraph
    /// (code spans do not cross into it).
    Prose {
        starts: bool,
    },
    /// Code and fences, as they are.
    Verbatim,
    Blank,
}

/// What the previous line was, which decides what an indented line is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// The start of the text, or a blank line: an indented line starts a code block.
    Gap,
    /// Paragraph text: the next line may continue it, lazily.
    Paragraph,
    /// A heading, rule or fence.
    Other,
}

/// A list item the block pass is inside.
struct Item {
    /// The source column where the item's text starts: lines indented this far belong
    /// to the item.
    content: usize,
    /// The column where its text starts in the output.
    out: usize,
}

/// A fenced code block the block pass is inside.
struct Fence {
    marker: char,
    length: usize,
    /// Source indentation removed from its lines, and the output indentation they get.
    indent: usize,
    out: usize,
}

/// An indented code block, being rewritten as a fenced one: its lines are kept until it
/// ends, so the fence can be longer than any backtick run inside.
struct Indented {
    indent: usize,
    out: usize,
    lines: Vec<String>,
    /// Blank lines seen since its last line: inside it if it goes on, after it if not.
    blanks: usize,
}

struct Blocks {
    out: Vec<Line>,
    items: Vec<Item>,
    fence: Option<Fence>,
    indented: Option<Indented>,
    previous: Previous,
}

impl Default for Blocks {
    fn default() -> Self {
        Blocks {
            out: Vec::new(),
            items: Vec::new(),
            fence: None,
            indented: None,
            previous: Previous::Gap,
        }
    }
}

impl Blocks {
    fn push(&mut self, out: usize, text: impl Into<String>, kind: Kind) {
        self.out.push(Line {
            indent: " ".repeat(out),
            text: text.into(),
            kind,
        });
    }

    fn blank(&mut self) {
        self.out.push(Line {
            indent: String::new(),
            text: String::new(),
            kind: Kind::Blank,
        });
    }

    fn line(&mut self, line: &str) {
        if let Some(fence) = &self.fence {
            let (indent, rest) = (indent_of(line), line.trim_start_matches(' '));
            let (marker, length) = (fence.marker, fence.length);
            let closing = indent < fence.indent + 4
                && rest.chars().all(|c| c == marker)
                && rest.len() >= length;
            let out = fence.out;
            let text = line.get(fence.indent.min(indent)..).unwrap_or_default();
            if closing {
                self.fence = None;
                self.previous = Previous::Other;
                self.push(out, rest, Kind::Verbatim);
            } else if line.is_empty() {
                self.blank();
            } else {
                self.push(out, text, Kind::Verbatim);
            }
            return;
        }
        if let Some(code) = &mut self.indented {
            if line.is_empty() {
                code.blanks += 1;
                return;
            }
            if indent_of(line) >= code.indent {
                code.lines
                    .extend(std::iter::repeat_n(String::new(), code.blanks));
                code.blanks = 0;
                code.lines.push(line[code.indent..].to_owned());
                return;
            }
            self.close_indented();
        }
        if line.is_empty() {
            // One blank line separates blocks as well as several.
            if self.out.last().is_some_and(|last| last.kind != Kind::Blank) {
                self.blank();
            }
            self.previous = Previous::Gap;
            return;
        }
        let indent = indent_of(line);
        let rest = &line[indent..];
        let marker = list_marker(rest);
        let starts_block = marker.is_some() || opens_fence(rest).is_some() || is_heading(rest);
        // A line right after paragraph text continues it, even when it is not indented
        // to the item's text (a lazy continuation): it is moved there.
        if self.previous == Previous::Paragraph && !starts_block && !self.items.is_empty() {
            let out = self.items.last().map_or(0, |item| item.out);
            self.push(out, continuing(rest), Kind::Prose { starts: false });
            return;
        }
        // Items that this line is not indented into are over.
        while self.items.last().is_some_and(|item| indent < item.content) {
            self.items.pop();
        }
        let (container, out) = self
            .items
            .last()
            .map_or((0, 0), |item| (item.content, item.out));
        let relative = indent - container;
        if relative < 4 {
            if let Some((marker, length)) = opens_fence(rest) {
                let info = rest.trim_start_matches(marker).trim();
                let fence = marker.to_string().repeat(length);
                self.fence = Some(Fence {
                    marker,
                    length,
                    indent,
                    out,
                });
                self.previous = Previous::Other;
                self.push(out, format!("{fence}{}", code_info(info)), Kind::Verbatim);
                return;
            }
        }
        if relative >= 4 && self.previous != Previous::Paragraph {
            self.indented = Some(Indented {
                indent: container + 4,
                out,
                lines: vec![line[container + 4..].to_owned()],
                blanks: 0,
            });
            return;
        }
        if relative >= 4 {
            // Indented like code right after paragraph text, which code cannot interrupt:
            // it continues the paragraph, moved left to the paragraph's column.
            self.push(out, continuing(rest), Kind::Prose { starts: false });
            return;
        }
        if let Some((marker, spaces)) = marker {
            // The item's text starts one space after its marker in the output; in the
            // source, after up to four spaces (five or more start an indented code block
            // inside the item, so the text is one space after the marker).
            let text = rest[marker.len()..].trim_start_matches(' ');
            let content =
                indent + marker.len() + if (1..=4).contains(&spaces) { spaces } else { 1 };
            self.items.push(Item {
                content,
                out: out + marker.len() + 1,
            });
            self.previous = Previous::Paragraph;
            self.push(
                out,
                format!("{marker} {text}"),
                Kind::Prose { starts: true },
            );
            return;
        }
        let heading = is_heading(rest);
        let starts = heading || self.previous != Previous::Paragraph;
        self.previous = if heading {
            Previous::Other
        } else {
            Previous::Paragraph
        };
        self.push(out, rest, Kind::Prose { starts });
    }

    fn close_indented(&mut self) {
        if let Some(code) = self.indented.take() {
            // Longer than any backtick run that starts a line inside, so none closes it.
            let longest = code
                .lines
                .iter()
                .map(|line| {
                    let rest = line.trim_start_matches(' ');
                    rest.len() - rest.trim_start_matches('`').len()
                })
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            self.push(code.out, format!("{fence}text"), Kind::Verbatim);
            for line in code.lines {
                if line.is_empty() {
                    self.blank();
                } else {
                    self.push(code.out, line, Kind::Verbatim);
                }
            }
            self.push(code.out, fence, Kind::Verbatim);
            for _ in 0..code.blanks {
                self.blank();
            }
            self.previous = if code.blanks > 0 {
                Previous::Gap
            } else {
                Previous::Other
            };
        }
    }

    /// Closes what the text left open, so it does not swallow the docs that follow.
    fn finish(&mut self) {
        self.close_indented();
        if let Some(fence) = self.fence.take() {
            let closing = fence.marker.to_string().repeat(fence.length);
            self.push(fence.out, closing, Kind::Verbatim);
        }
    }
}

/// A line that continues a paragraph, as it must be written to stay a continuation once
/// its indentation changes: where it would start a block (a fence, a list item, a heading,
/// a rule) or underline the paragraph into a heading (`===`), the character that would do
/// so is escaped.
fn continuing(rest: &str) -> String {
    if let Some((marker, _)) = list_marker(rest) {
        let delimiter = marker.len() - 1;
        return format!("{}\\{}", &rest[..delimiter], &rest[delimiter..]);
    }
    let underline = rest.starts_with('=') && rest.trim_end().chars().all(|c| c == '=');
    if opens_fence(rest).is_some() || is_heading(rest) || underline {
        format!("\\{rest}")
    } else {
        rest.to_owned()
    }
}

/// A list marker at the start of `rest` (`-`, `*`, `+`, `1.`, `1)`), and how many spaces
/// follow it; `None` when the line is not a list item. A thematic break (`* * *`, `---`)
/// is not an item.
fn list_marker(rest: &str) -> Option<(&str, usize)> {
    let bytes = rest.as_bytes();
    let marker_len = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') if digits <= 9 => digits + 1,
                _ => return None,
            }
        }
        _ => return None,
    };
    let after = &rest[marker_len..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if !(after.is_empty() || spaces > 0) || is_rule(rest) {
        return None;
    }
    Some((&rest[..marker_len], spaces))
}

/// `---`, `***`, `___`, with or without spaces between.
fn is_rule(rest: &str) -> bool {
    let mut chars = rest.chars().filter(|c| *c != ' ');
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_')
        && rest.chars().filter(|c| *c != ' ').count() >= 3
        && chars.all(|c| c == first)
}

fn is_heading(rest: &str) -> bool {
    let hashes = rest.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && (rest.len() == hashes || rest.as_bytes()[hashes] == b' ')
        || is_rule(rest)
}

/// The marker and length of a fence opening at the start of `rest`.
fn opens_fence(rest: &str) -> Option<(char, usize)> {
    let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = rest.chars().take_while(|c| *c == marker).count();
    let info = &rest[length..];
    // A backtick fence's info string cannot hold backticks (that is inline code).
    (length >= 3 && !(marker == '`' && info.contains('`'))).then_some((marker, length))
}

/// The info string a fence gets: the spec's language, unless rustdoc would read it as
/// Rust (no info, `rust`, or one of rustdoc's own attributes such as `no_run` or a
/// misspelling of one) or cannot parse it (`{...}` attributes); then `text`.
fn code_info(info: &str) -> String {
    const RUSTDOC: [&str; 10] = [
        "rust",
        "ignore",
        "panic",
        "run",
        "fail",
        "harness",
        "edition",
        "standalone",
        "custom",
        "test",
    ];
    let plain = info
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+-#._".contains(c));
    let lowered = info.to_ascii_lowercase();
    let rusty = RUSTDOC.iter().any(|word| lowered.contains(word));
    if info.is_empty() || !plain || rusty {
        "text".to_owned()
    } else {
        info.to_owned()
    }
}

/// The escaped lines of one paragraph.
fn inline(paragraph: &[Line]) -> Vec<String> {
    let joined: Vec<&str> = paragraph.iter().map(|l| l.text.as_str()).collect();
    let escaped = escape(&joined.join("\n"));
    escaped
        .split('\n')
        .zip(paragraph)
        .map(|(text, line)| format!(" {}{text}", line.indent))
        .collect()
}

/// Escapes paragraph text outside code spans (see the module docs).
fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// [`escape`], with links and bare URLs recognised or (in a link's own text, which cannot
/// hold another link) left as text.
fn escape_with(text: &str, links: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        // Text up to the next character that may start something is copied as it is.
        let plain = rest
            .bytes()
            .position(|b| b"`![<h\\]>".contains(&b))
            .unwrap_or(rest.len());
        if plain > 0 {
            out.push_str(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        if c == '`' {
            let run = rest.len() - rest.trim_start_matches('`').len();
            match code_span_len(rest, run) {
                Some(len) => out.push_str(&rest[..len]),
                // An unmatched run is literal backticks.
                None => out.push_str(&"\\`".repeat(run)),
            }
            rest = &rest[code_span_len(rest, run).unwrap_or(run)..];
            continue;
        }
        if let Some((len, link)) = link(rest).filter(|_| links) {
            out.push_str(&link);
            rest = &rest[len..];
            continue;
        }
        if let Some(len) = autolink_len(rest).filter(|_| links) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if let Some(len) = bare_url_len(rest).filter(|_| links) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let next = rest.chars().nth(1);
        match c {
            // A backslash before punctuation is Markdown's own escape: kept as it is.
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push('\\');
                out.extend(next);
                rest = &rest[2..];
                continue;
            }
            '\\' => out.push_str("\\\\"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the code span opened by the `run` backticks at the start of `text`: up
/// to the next run of exactly as many backticks.
fn code_span_len(text: &str, run: usize) -> Option<usize> {
    let mut at = run;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let length = text[start..].len() - text[start..].trim_start_matches('`').len();
        if length == run {
            return Some(start + length);
        }
        at = start + length;
    }
    None
}

/// A `[text](url)` or `![alt](url)` link at the start of `text` whose target rustdoc
/// takes as a URL (it has a `/`; anything else would be looked up as a Rust path): its
/// length and the link with its text escaped.
fn link(text: &str) -> Option<(usize, String)> {
    let bang = usize::from(text.starts_with('!'));
    let rest = text[bang..].strip_prefix('[')?;
    let close = rest.find(']')?;
    let label = &rest[..close];
    if label.contains(['[', '\n']) {
        return None;
    }
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let target = &after[..end];
    if target.is_empty() || target.contains(char::is_whitespace) || !target.contains('/') {
        return None;
    }
    let label = escape_with(label, false);
    let len = bang + 1 + close + 2 + end + 1;
    Some((len, format!("{}[{label}]({target})", &text[..bang])))
}

/// The length of an autolink (`<https://example.com>`) at the start of `text`.
fn autolink_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('<')?;
    let end = rest.find('>')?;
    let inside = &rest[..end];
    let is_url = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| inside.starts_with(scheme));
    (is_url && !inside.contains(|c: char| c.is_whitespace() || c == '<')).then_some(end + 2)
}

/// The length of a bare `http://` or `https://` URL at the start of `text`, without the
/// punctuation that ends a sentence around it.
fn bare_url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(lines(text), expected, "{text:?}");
    }

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
            // Markdown escapes stay escapes.
            ("Literal \\[x\\] and \\*", " Literal \\[x\\] and \\*"),
            // Autolinks stay; a link to something that is not a URL is text.
            ("<https://a.example/x>", " <https://a.example/x>"),
            (
                "[Pet](Pet) and [mail](mailto:a@b)",
                " \\[Pet\\](Pet) and \\[mail\\](mailto:a@b)",
            ),
            // HTML in a link's text is text.
            (
                "[<b>bold</b>](https://x.io/)",
                " [&lt;b&gt;bold&lt;/b&gt;](https://x.io/)",
            ),
            ("[`a<b>`](https://x.io/)", " [`a<b>`](https://x.io/)"),
            // An unmatched backtick is literal.
            ("it`s", " it\\`s"),
            ("``a ` b``", " ``a ` b``"),
            ("", ""),
        ];
        for (text, doc) in cases {
            let expected: Vec<&str> = if doc.is_empty() { vec![] } else { vec![doc] };
            check(text, &expected);
        }
    }

    #[test]
    fn code_spans_cross_lines_within_a_paragraph() {
        check(
            "Send `a\n[b]` then [c].\n\n`d\n\n[e]`",
            &[
                " Send `a",
                " [b]` then \\[c\\].",
                "",
                " \\`d",
                "",
                " \\[e\\]\\`",
            ],
        );
    }

    #[test]
    fn fences() {
        check(
            "Run:\n\n```\ncurl [x] https://a\n```\n\n```json\n{}\n```",
            &[
                " Run:",
                "",
                " ```text",
                " curl [x] https://a",
                " ```",
                "",
                " ```json",
                " {}",
                " ```",
            ],
        );
        // An unclosed fence is closed so it does not swallow the following docs.
        check("```\nx", &[" ```text", " x", " ```"]);
        // Anything rustdoc would compile or cannot parse is text.
        for info in [
            "rust",
            "no_run",
            "json,no_run",
            "should-panic",
            "{.class}",
            "ignore",
        ] {
            check(&format!("```{info}\nx\n```"), &[" ```text", " x", " ```"]);
        }
        check("~~~~sh\n```\n~~~~", &[" ~~~~sh", " ```", " ~~~~"]);
        // A fence line indented past the opening's is code, not the closing.
        check("````\n\t````", &[" ````text", "     ````", " ````"]);
        // Backticks in a backtick fence's info string make it inline code instead.
        check("```[```", &[" ```[```"]);
    }

    #[test]
    fn indented_code_becomes_a_text_fence() {
        check(
            "Example:\n\n    let x = [1];\n\n    x\n\nAfter.",
            &[
                " Example:",
                "",
                " ```text",
                " let x = [1];",
                "",
                " x",
                " ```",
                "",
                " After.",
            ],
        );
        // Indentation after paragraph text continues the paragraph, and what would start
        // a block once moved left does not.
        check("a\n    b", &[" a", " b"]);
        check(
            "a\n    ~~~\n    - b\n    12. c\n    # d\n    ===",
            &[" a", " \\~~~", " \\- b", " 12\\. c", " \\# d", " \\==="],
        );
        check("- a\n===", &[" - a", "   \\==="]);
        // A fence inside indented code is code: the new fence is longer.
        check(
            "Sample:\n\n    ```json\n    {}\n    ```",
            &[
                " Sample:",
                "",
                " ````text",
                " ```json",
                " {}",
                " ```",
                " ````",
            ],
        );
    }

    #[test]
    fn tabs_and_shared_indentation() {
        check("\tone\n\ttwo\tx", &[" one", " two x"]);
        check("a\r\nb\rc", &[" a", " b", " c"]);
        check("bidi \u{202E}gnp.exe", &[" bidi gnp.exe"]);
    }

    #[test]
    fn list_items_are_indented_to_their_text() {
        // Lazy continuations move to the item's text; over-indented ones too.
        check(
            "- one\ncontinued\n- two\n        deep\n* three",
            &[" - one", "   continued", " - two", "   deep", " * three"],
        );
        check(
            "1. first\n   next\n10) tenth\nlazy",
            &[" 1. first", "    next", " 10) tenth", "     lazy"],
        );
        // Nested items and a paragraph after a blank line inside an item.
        check(
            "- a\n    - b\n      c\n\n  more of a\n\nafter",
            &[" - a", "   - b", "     c", "", "   more of a", "", " after"],
        );
        // A fence inside an item keeps to the item.
        check(
            "- run:\n  ```\n  x\ny\n  ```",
            &[" - run:", "   ```text", "   x", "   y", "   ```"],
        );
        // Rules and headings are not items.
        check(
            "* * *\n# Title\n-1 is not",
            &[" * * *", " # Title", " -1 is not"],
        );
    }

    /// Any mix of hostile pieces gives lines rustc accepts, with every code block fenced,
    /// closed, and marked as something rustdoc does not compile.
    #[test]
    fn any_text_gives_closed_fences_rustdoc_does_not_compile() {
        use proptest::prelude::*;
        const PIECES: &[&str] = &[
            "\n",
            "\n\n",
            "\t",
            "\r",
            "    ",
            "  ",
            "- ",
            "* ",
            "1. ",
            "10) ",
            "+ ",
            "```",
            "~~~",
            "````",
            "```rust",
            "```json,no_run",
            "`",
            "``",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "#",
            "\\",
            "http://a.io/x",
            "[t](https://b.io/)",
            "<https://c.io>",
            "text",
            "é",
            "\u{202E}",
            "---",
            "> ",
            "<br>",
        ];
        let pieces = proptest::collection::vec(proptest::sample::select(PIECES), 0..60);
        // Failures are reported, not saved into the source tree.
        let config = ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        proptest!(config, |(pieces in pieces)| {
            let text: String = pieces.concat();
            let lines = lines(&text);
            // The open fence's marker, length and indentation.
            let mut fence: Option<(char, usize, usize)> = None;
            for line in &lines {
                prop_assert!(!line.contains(['\t', '\r', '\u{202E}']), "{line:?} in {lines:?}");
                let rest = line.trim_start();
                let indent = line.len() - rest.len();
                let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'));
                let run = marker.map_or(0, |m| rest.chars().take_while(|c| *c == m).count());
                match (fence, marker) {
                    (None, Some(m)) if opens_fence(rest).is_some() => {
                        let info = &rest[run..];
                        prop_assert!(
                            !info.is_empty() && code_info(info) == info,
                            "{info:?} in {lines:?} from {text:?}"
                        );
                        fence = Some((m, run, indent));
                    }
                    (Some((m, length, open)), Some(c))
                        if c == m && run >= length && rest.len() == run && indent < open + 4 =>
                    {
                        fence = None;
                    }
                    _ => {}
                }
            }
            prop_assert!(fence.is_none(), "unclosed in {lines:?} from {text:?}");
        });
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("^[a-z]+$"), "`^[a-z]+$`");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(code(""), "\"\"");
        // Escaping leaves a code span alone.
        assert_eq!(lines(&code("[x] <y>")), [" `[x] <y>`"]);
    }
}
