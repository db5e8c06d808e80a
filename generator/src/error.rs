//! Errors and warnings about a spec, pointing at the place in it that caused them.
//!
//! Lowering knows where it is as a JSON pointer; `generate` adds the line and column of
//! that pointer in the spec's text and the lines around it, so a maintainer can jump
//! straight to the offending construct.

use std::fmt;

use crate::ir::WarningKind;

/// Something in a spec the generator cannot turn into a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// File name of the spec, as the caller gave it.
    pub file: String,
    /// JSON pointer (RFC 6901) of the offending node; empty for the whole document.
    pub pointer: String,
    /// 1-based line and column of the node in the spec text, when it could be found.
    pub location: Option<(usize, usize)>,
    pub message: String,
    /// The spec lines around `location`, each prefixed with its line number.
    pub excerpt: Option<String>,
}

impl SpecError {
    pub(crate) fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: String::new(),
            pointer: pointer.into(),
            location: None,
            message: message.into(),
            excerpt: None,
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "{}:{line}:{column}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        f.write_str(&self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at #{})", self.pointer)?;
        }
        if let Some(excerpt) = &self.excerpt {
            write!(f, "\n{excerpt}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Something in a spec the client does not do as written (a fallback type, a skipped
/// operation, a repaired defect), and what it does instead; the rest still generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// File name of the spec, as the caller gave it.
    pub file: String,
    /// JSON pointer (RFC 6901) of the construct.
    pub pointer: String,
    /// 1-based line and column of the construct in the spec text, when it could be found.
    pub location: Option<(usize, usize)>,
    /// What is wrong or unsupported.
    pub message: String,
    /// What the generator did instead.
    pub action: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "{}:{line}:{column}: ", self.file)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(
            f,
            "{}: {}; {} (at #{})",
            self.kind.as_str(),
            self.message,
            self.action,
            self.pointer
        )
    }
}

/// Builds a JSON pointer from raw segments, escaping `~` and `/` as RFC 6901 requires.
pub(crate) fn pointer<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for segment in segments {
        push_segment(&mut out, segment);
    }
    out
}

/// Appends one raw segment to a pointer. (Lowering makes one for every item it meets, so
/// this allocates once.)
pub(crate) fn join(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    push_segment(&mut out, segment);
    out
}

fn push_segment(out: &mut String, segment: &str) {
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}
