//! Operations offered in several JSON media types (Atlas's dated versions,
//! `application/vnd.atlas.2023-01-01+json` and later) become one operation per version.

use super::is_json;
use crate::ir::*;
use crate::names;

/// An operation whose success responses or request body come in several JSON media types
/// (Atlas's dated versions, `application/vnd.atlas.2023-01-01+json` and later) becomes one
/// operation per media type. The newest stable one keeps the plain name; the others are
/// suffixed with their version (`get_thing_v2023_01_01`), so a caller picks a version by
/// picking a method and gets that version's types.
pub(super) fn split(op: Operation) -> Vec<Operation> {
    let mut media_types: Vec<String> = Vec::new();
    let success = op.success_responses().flat_map(|r| &r.content);
    let body = op.request_body.iter().flat_map(|b| &b.content);
    for content in success.chain(body) {
        let media_type = &content.media_type;
        // `application/json` and `text/json` (with any parameters) are one plain JSON.
        let plain_known = plain_json(media_type) && media_types.iter().any(|m| plain_json(m));
        if is_json(media_type) && !plain_known && !media_types.contains(media_type) {
            media_types.push(media_type.clone());
        }
    }
    // Versions are offered side by side: the request body, or the success responses, in
    // several JSON media types. A JSON request answered in another JSON type
    // (`application/problem+json`) is one operation.
    let json_types = |content: &mut dyn Iterator<Item = &Content>| {
        let mut seen: Vec<&str> = Vec::new();
        for c in content {
            let plain_known = plain_json(&c.media_type) && seen.iter().any(|m| plain_json(m));
            if is_json(&c.media_type) && !plain_known && !seen.contains(&c.media_type.as_str()) {
                seen.push(&c.media_type);
            }
        }
        seen.len()
    };
    let offered_side_by_side = json_types(&mut op.request_body.iter().flat_map(|b| &b.content)) > 1
        || json_types(&mut op.success_responses().flat_map(|r| &r.content)) > 1;
    if media_types.len() < 2 || !offered_side_by_side {
        return vec![op];
    }
    // Versions sort by their text: dated media types sort by date. Previews are never
    // the default.
    media_types.sort();
    let stable = |m: &String| !m.contains("preview");
    let default = media_types
        .iter()
        .rev()
        .find(|m| stable(m))
        .cloned()
        .unwrap_or_else(|| media_types[media_types.len() - 1].clone());
    let mut out = Vec::with_capacity(media_types.len());
    for media_type in media_types.iter().rev() {
        let mut version = op.clone();
        let keep = |content: &mut Vec<Content>| {
            let same = |m: &String| m == media_type || (plain_json(m) && plain_json(media_type));
            let has = content.iter().any(|c| same(&c.media_type));
            if has {
                content.retain(|c| same(&c.media_type) || !is_json(&c.media_type));
            }
        };
        for response in version
            .responses
            .iter_mut()
            .filter(|r| r.status.is_success())
        {
            keep(&mut response.content);
        }
        if let Some(body) = &mut version.request_body {
            keep(&mut body.content);
        }
        version.version = Some(media_type.clone());
        if *media_type != default {
            let suffix = suffix(media_type);
            version.rust_name = format!(
                "{}_{}",
                names::unraw(&op.rust_name),
                suffix.to_ascii_lowercase()
            );
            version.builder_name = format!("{}{}", op.builder_name, names::camel(&suffix));
        }
        out.push(version);
    }
    // The default first, then the others newest first.
    out.sort_by_key(|o| o.rust_name != op.rust_name);
    out
}

/// `v2023_01_01` for `application/vnd.atlas.2023-01-01+json`, `preview` for a preview.
pub(super) fn suffix(media_type: &str) -> String {
    let subtype = media_type.split('/').nth(1).unwrap_or(media_type);
    let subtype = subtype.split('+').next().unwrap_or(subtype);
    let last = subtype.rsplit('.').next().unwrap_or(subtype);
    if last.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{}", last.replace('-', "_"))
    } else {
        names::snake(last)
    }
}

/// Whether a JSON media type is plain JSON rather than a version or a kind of JSON
/// document: `application/json` or `text/json`, with or without parameters
/// (`; charset=utf-8`).
pub(super) fn plain_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.eq_ignore_ascii_case("text/json")
}
