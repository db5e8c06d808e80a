//! Rendering: token streams to formatted source text.
//!
//! `syn` checks that the tokens form a valid file and `prettyplease` formats it, so the
//! output never depends on an installed rustfmt and is the same on every machine.

use proc_macro2::TokenStream;

/// Formats one file. An error here means the emitter produced invalid Rust: a generator
/// bug, reported with the offending file rather than a panic.
pub fn render(tokens: TokenStream) -> Result<String, syn::Error> {
    Ok(space_items(&unspaced(tokens)?))
}

/// Formats one part of a file, without the blank lines between items that [`space_items`]
/// adds. A file's parts formatted one by one and joined are the file formatted at once
/// (prettyplease formats each item on its own), which lets the parts of a large file be
/// formatted on different threads.
pub fn unspaced(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(unparse(file))
}

/// Formats a syntax tree as `prettyplease` does, except for a call of a macro in braces
/// whose body is one item (the runtime's `open_str_enum! { /// docs pub enum Size { .. } }`,
/// which takes a type's data as an item): the body is formatted as that item, indented
/// inside the call, as a person writes it; `prettyplease` would run its tokens together.
pub fn unparse(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut out = String::new();
    let mut run = file;
    for item in items {
        if let Some(text) = macro_rules_of_items(&item) {
            if run.shebang.is_some() || !run.attrs.is_empty() || !run.items.is_empty() {
                out.push_str(&prettyplease::unparse(&run));
                run = empty_file(Vec::new());
            }
            out.push_str(&text);
            continue;
        }
        let Some(inner) = item_in_call(&item) else {
            run.items.push(item);
            continue;
        };
        if run.shebang.is_some() || !run.attrs.is_empty() || !run.items.is_empty() {
            out.push_str(&prettyplease::unparse(&run));
            run = empty_file(Vec::new());
        }
        let syn::Item::Macro(mut call) = item else {
            continue;
        };
        call.mac.tokens = TokenStream::new();
        // `path! {}`, after the call's attributes: opened, and closed after the body.
        let head = prettyplease::unparse(&empty_file(vec![syn::Item::Macro(call)]));
        out.push_str(head.trim_end().trim_end_matches('}'));
        out.push('\n');
        for line in prettyplease::unparse(&empty_file(vec![inner])).lines() {
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str("}\n");
    }
    if run.shebang.is_some() || !run.attrs.is_empty() || !run.items.is_empty() {
        out.push_str(&prettyplease::unparse(&run));
    }
    out
}

fn empty_file(items: Vec<syn::Item>) -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }
}

/// The item a braced macro call (not a `macro_rules!`) holds, if its body is one.
fn item_in_call(item: &syn::Item) -> Option<syn::Item> {
    use proc_macro2::{Delimiter, TokenTree};
    match item {
        syn::Item::Macro(call)
            if call.ident.is_none()
                && matches!(call.mac.delimiter, syn::MacroDelimiter::Brace(_)) =>
        {
            // `Name { .. }` (the rows of `object!`) is no item: not worth parsing to learn it.
            let mut tokens = call.mac.tokens.clone().into_iter();
            if let (Some(TokenTree::Ident(_)), Some(TokenTree::Group(group))) =
                (tokens.next(), tokens.next())
                && group.delimiter() == Delimiter::Brace
            {
                return None;
            }
            syn::parse2(call.mac.tokens.clone()).ok()
        }
        _ => None,
    }
}

/// A `macro_rules!` with arms that expand to associated items (the operations' shared
/// setters, `(envelope) => { /// docs pub fn envelope(..) {..} };`), formatted with each
/// such expansion written as those items, indented inside its arm; `prettyplease` runs the
/// tokens of an expansion together. `None` for any other item, and for a `macro_rules!`
/// without such arms, which `prettyplease` formats well enough.
fn macro_rules_of_items(item: &syn::Item) -> Option<String> {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let syn::Item::Macro(call) = item else {
        return None;
    };
    if call.ident.is_none() || !call.mac.path.is_ident("macro_rules") {
        return None;
    }
    // The formatted items of each arm that prettyplease is given empty, in order.
    let mut bodies: Vec<Option<String>> = Vec::new();
    let mut rules: Vec<TokenTree> = Vec::new();
    let mut after_arrow = false;
    for token in call.mac.tokens.clone() {
        let expansion = match &token {
            TokenTree::Group(group) if after_arrow => Some(group),
            _ => None,
        };
        after_arrow = matches!(&token, TokenTree::Punct(p) if p.as_char() == '>');
        let Some(group) = expansion else {
            rules.push(token);
            continue;
        };
        let body = group.stream();
        let items = syn::parse2::<syn::ItemImpl>(quote::quote! { impl X { #body } })
            .ok()
            .filter(|items| !items.items.is_empty());
        match items {
            Some(items) => {
                let text = prettyplease::unparse(&empty_file(vec![syn::Item::Impl(items)]));
                let lines: Vec<&str> = text.lines().collect();
                let inner = lines
                    .get(1..lines.len().saturating_sub(1))
                    .unwrap_or_default();
                bodies.push(Some(inner.join("\n")));
                rules.push(TokenTree::Group(Group::new(
                    Delimiter::Brace,
                    TokenStream::new(),
                )));
            }
            None if body.is_empty() => {
                bodies.push(None);
                rules.push(token);
            }
            None => rules.push(token),
        }
    }
    if bodies.iter().all(Option::is_none) {
        return None;
    }
    let mut call = call.clone();
    call.mac.tokens = rules.into_iter().collect();
    let text = prettyplease::unparse(&empty_file(vec![syn::Item::Macro(call)]));
    let mut bodies = bodies.into_iter();
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let body = match line.strip_suffix(" => {};") {
            Some(matcher) => bodies.next().flatten().map(|body| (matcher, body)),
            None => None,
        };
        let Some((matcher, body)) = body else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let indent = &line[..line.len() - line.trim_start().len()];
        out.push_str(matcher);
        out.push_str(" => {\n");
        for inner in body.lines() {
            if !inner.is_empty() {
                out.push_str(indent);
                out.push_str(inner);
            }
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str("};\n");
    }
    Some(out)
}

/// Separates items with a blank line, as hand-written code is: prettyplease puts them on
/// consecutive lines, which makes generated files and their snapshot diffs hard to scan.
/// A blank line goes after the module docs, after a run of `use` lines, and after a
/// closing brace that is followed by more code at the same depth, unless the brace ends
/// a match arm (the next arm follows it directly).
pub fn space_items(text: &str) -> String {
    let text = object_rows(text);
    // Each line with its indentation and its text trimmed, worked out once.
    let lines: Vec<(&str, usize, &str)> = text
        .lines()
        .map(|line| {
            let start = line.trim_start();
            (line, line.len() - start.len(), start.trim_end())
        })
        .collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // For each block open at this line: whether it is the body of a match arm.
    let mut open_blocks: Vec<bool> = Vec::new();
    let is_use = |l: &str| l.starts_with("use ") || l.starts_with("pub use ");
    for (i, &(line, indent, trimmed)) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let mut closes_arm = false;
        let comment = trimmed.starts_with("//");
        if !comment {
            if trimmed.starts_with('}') {
                closes_arm = open_blocks.pop().unwrap_or(false);
            }
            if trimmed.ends_with('{') {
                open_blocks.push(trimmed.contains("=> "));
            }
        }
        let Some(&(_, next_indent, next_trimmed)) = lines.get(i + 1) else {
            continue;
        };
        let docs_end = trimmed.starts_with("//!") && !next_trimmed.starts_with("//!");
        let uses_end = is_use(trimmed) && trimmed.ends_with(';') && !is_use(next_trimmed);
        let block_end = trimmed == "}"
            && !closes_arm
            && indent == next_indent
            && !next_trimmed.starts_with(['}', ')', ']', '.', ','])
            && !next_trimmed.starts_with("else");
        // An item ending in `;` (`struct A(B);`, `type T = U;`, `const C: u8 = 1;`) is
        // followed by a blank line when another item starts at the same depth.
        // A comment is never the end of an item, whatever it ends with: a blank line after
        // a doc comment would detach it from its item (`empty_line_after_doc_comments`).
        // A module declaration stays with its re-export (`mod a;` and, under the same
        // cfg, `pub use a::*;`).
        let reexported = trimmed.strip_prefix("mod ").is_some_and(|module| {
            lines.get(i + 2).is_some_and(|&(_, _, next)| {
                next.strip_prefix("pub use ")
                    .and_then(|rest| rest.strip_suffix("::*;"))
                    == module.strip_suffix(';')
            })
        });
        let item_end = trimmed.ends_with(';')
            && !comment
            && !is_use(trimmed)
            && !reexported
            && indent == next_indent
            && [
                "fn ", "pub ", "///", "#[", "impl", "struct ", "enum ", "const ", "static ",
                "type ",
            ]
            .iter()
            .any(|p| next_trimmed.starts_with(p));
        if docs_end || uses_end || block_end || item_end {
            out.push('\n');
        }
    }
    out
}

/// What a struct's `object!` call (the fields its serde impls read and write) lists, one
/// field to a line: prettyplease fills a macro's tokens into lines like words of a paragraph
/// (`id : "id" optional, name :`), which hides the one row per field the call is.
fn object_rows(text: &str) -> std::borrow::Cow<'_, str> {
    const START: &str = "crate::runtime::object! {";
    if !text.contains(START) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if line.trim_start() != START {
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let end = format!("{indent}}}");
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == end {
                break;
            }
            body.push(' ');
            body.push_str(line.trim());
        }
        // `Name { field : "wire" kind, ..., ..unknown }`, split at the commas outside the
        // wire names' literals.
        let body = body.trim();
        let (name, fields) = body.split_once(' ').unwrap_or((body, "{}"));
        let fields = fields.trim().trim_start_matches('{').trim_end_matches('}');
        let mut rows = Vec::new();
        let mut row = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in fields.chars() {
            match c {
                ',' if !in_string => rows.push(std::mem::take(&mut row)),
                _ => {
                    if in_string && !escaped && c == '"' {
                        in_string = false;
                    } else if !in_string && c == '"' {
                        in_string = true;
                    }
                    escaped = in_string && !escaped && c == '\\';
                    row.push(c);
                }
            }
        }
        rows.push(row);
        let rows: Vec<String> = rows
            .iter()
            .map(|row| row.trim().replacen(" : ", ": ", 1))
            .filter(|row| !row.is_empty())
            .collect();
        if rows.is_empty() {
            out.push_str(&format!("{indent}    {name} {{}}\n"));
        } else {
            out.push_str(&format!("{indent}    {name} {{\n"));
            for row in rows {
                let comma = if row.starts_with("..") { "" } else { "," };
                out.push_str(&format!("{indent}        {row}{comma}\n"));
            }
            out.push_str(&format!("{indent}    }}\n"));
        }
        out.push_str(&end);
        out.push('\n');
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_spaced() {
        let tokens: TokenStream =
            "use a::b; struct A; impl A { fn f() { if x { y() } z() } fn g() {} } fn h() {}"
                .parse()
                .unwrap();
        assert_eq!(
            render(tokens).unwrap(),
            "use a::b;\n\nstruct A;\n\nimpl A {\n    fn f() {\n        if x {\n            y()\n        }\n\n        z()\n    }\n\n    fn g() {}\n}\n\nfn h() {}\n"
        );
    }

    #[test]
    fn doc_lines_that_end_like_items_stay_attached() {
        // Spec descriptions end lines with `;` or `}`: a blank line there would detach the
        // rest of the docs from the item they document.
        let tokens: TokenStream =
            r#"#[doc = " a list;"] #[doc = " }"] #[doc = " use x;"] #[doc = " end"] fn f() {}"#
                .parse()
                .unwrap();
        assert_eq!(
            render(tokens).unwrap(),
            "/// a list;\n/// }\n/// use x;\n/// end\nfn f() {}\n"
        );
    }

    #[test]
    fn object_calls_have_a_row_per_field() {
        let tokens: TokenStream = r#"crate::runtime::object! { Pet { id: "id" required, r#type: "a, \"b\" : c" optional, named_for_a_long_time_to_come: "namedForALongTimeToCome" nullable, ..unknown_fields } } crate::runtime::object! { Empty {} }"#
            .parse()
            .unwrap();
        assert_eq!(
            render(tokens).unwrap(),
            "crate::runtime::object! {\n    Pet {\n        id: \"id\" required,\n        r#type: \"a, \\\"b\\\" : c\" optional,\n        named_for_a_long_time_to_come: \"namedForALongTimeToCome\" nullable,\n        ..unknown_fields\n    }\n}\n\ncrate::runtime::object! {\n    Empty {}\n}\n"
        );
    }

    #[test]
    fn match_arms_with_blocks_are_not_spaced() {
        let tokens: TokenStream = "fn f() { match x { A => { a(); b() } B => c(), } d() }"
            .parse()
            .unwrap();
        assert_eq!(
            render(tokens).unwrap(),
            "fn f() {\n    match x {\n        A => {\n            a();\n            b()\n        }\n        B => c(),\n    }\n\n    d()\n}\n"
        );
    }
}
