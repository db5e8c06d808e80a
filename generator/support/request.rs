//! What every operation's request builder shares: taking validated arguments, filling in
//! the path template, writing optional query parameters and encoding a JSON body.
//!
//! Each builder in `operations` keeps only its own data (parameter names, the path
//! template, media types) and calls these once per parameter, so that the steps, and the
//! errors they give, are written once for all operations.

use std::fmt;

use crate::Error;
use crate::runtime::{
    Constraint, ConstraintViolation, InvalidRequest, Payload, Query, encode_path,
};

/// Converts an argument as it is given into the parameter's type, keeping the reason it
/// does not fit (named after the parameter) until the request is prepared.
#[allow(dead_code, reason = "only specs with constrained parameters use it")]
pub(crate) fn argument<T, V>(parameter: &'static str, value: V) -> Result<T, InvalidRequest>
where
    V: TryInto<T, Error: Into<ConstraintViolation>>,
{
    value
        .try_into()
        .map_err(|error| InvalidRequest::new(parameter, error.into()))
}

/// [`argument`] for an optional parameter that is being set.
#[allow(
    dead_code,
    reason = "only specs with optional constrained parameters use it"
)]
pub(crate) fn optional<T, V>(parameter: &'static str, value: V) -> Result<Option<T>, InvalidRequest>
where
    V: TryInto<T, Error: Into<ConstraintViolation>>,
{
    argument(parameter, value).map(Some)
}

/// A builder's stored value of an optional parameter: `Option<T>`, or the `Result` a
/// validated one is kept in. An invalid value counts as not set: `prepare` has returned
/// its error before it writes any parameter.
#[allow(dead_code, reason = "only specs with optional parameters use it")]
pub(crate) trait Given {
    type Value;

    fn given(&self) -> Option<&Self::Value>;
}

impl<T> Given for Option<T> {
    type Value = T;

    fn given(&self) -> Option<&T> {
        self.as_ref()
    }
}

impl<T> Given for Result<Option<T>, InvalidRequest> {
    type Value = T;

    fn given(&self) -> Option<&T> {
        self.as_ref().ok().and_then(Option::as_ref)
    }
}

/// The value of an optional parameter when it is set (and valid).
#[allow(dead_code, reason = "only specs with paginated operations use it")]
pub(crate) fn given<G: Given>(stored: &G) -> Option<&G::Value> {
    stored.given()
}

#[allow(dead_code, reason = "each spec uses what its query parameters need")]
impl Query {
    /// Appends `name=value` when an optional scalar parameter is set, the value written
    /// as its `Display` text (which is its wire text: a number, `true`, an enum's value).
    pub(crate) fn optional<G>(&mut self, name: &str, stored: &G, reserved: bool)
    where
        G: Given<Value: fmt::Display>,
    {
        if let Some(value) = stored.given() {
            self.push(name, &value.to_string(), reserved);
        }
    }
}

/// A request path being filled in: the spec's template (`/groups/{groupId}/clusters`),
/// each parameter's value written, percent-encoded, where its `{name}` stands.
#[derive(Debug)]
pub(crate) struct Path {
    template: &'static str,
    /// How much of the template has been written.
    done: usize,
    path: String,
}

#[allow(dead_code, reason = "each spec uses what its path parameters need")]
impl Path {
    pub(crate) fn new(template: &'static str) -> Self {
        Self {
            template,
            done: 0,
            path: String::with_capacity(template.len() + 16),
        }
    }

    /// The template's text up to the next parameter, and that parameter's name.
    fn next(&mut self) -> &'static str {
        let rest = &self.template[self.done..];
        let start = rest.find('{').unwrap_or(rest.len());
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |end| start + end);
        self.path.push_str(&rest[..start]);
        self.done += (end + 1).min(rest.len());
        rest.get(start + 1..end).unwrap_or_default()
    }

    /// Writes the next parameter's value as one path segment, percent-encoded; a value
    /// that would not stay one segment is refused (see `runtime::encode_path`).
    pub(crate) fn text(&mut self, value: &str) -> Result<(), InvalidRequest> {
        self.text_after("", value)
    }

    /// [`text`](Self::text) after `prefix` as it is (`.` for the `label` style, `;name=`
    /// for `matrix`).
    pub(crate) fn text_after(&mut self, prefix: &str, value: &str) -> Result<(), InvalidRequest> {
        let parameter = self.next();
        let encoded = encode_path(parameter, value)?;
        self.path.push_str(prefix);
        self.path.extend(encoded);
        Ok(())
    }

    /// Writes the next parameter's segment, already encoded by its style.
    pub(crate) fn encoded(&mut self, segment: &str) {
        self.next();
        self.path.push_str(segment);
    }

    /// The template the path was filled in from.
    pub(crate) fn template(&self) -> &'static str {
        self.template
    }

    /// The path, with the template's text after its last parameter.
    pub(crate) fn finish(mut self) -> String {
        self.path.push_str(&self.template[self.done..]);
        self.path
    }
}

/// The error of a request sent without the body it requires.
#[allow(dead_code, reason = "only specs with required request bodies use it")]
pub(crate) fn missing_body<E>() -> Error<E> {
    Error::InvalidRequest(InvalidRequest::new(
        "body",
        ConstraintViolation::new("nothing", Constraint::Required),
    ))
}

/// A required body, or the error of its absence.
#[allow(dead_code, reason = "only specs with required request bodies use it")]
pub(crate) fn required<T, E>(body: Option<T>) -> Result<T, Error<E>> {
    body.ok_or_else(missing_body)
}

/// A JSON body of the media type, when there is one.
#[allow(dead_code, reason = "only specs with JSON request bodies use it")]
pub(crate) fn json<T: serde::Serialize, E>(
    media_type: &'static str,
    body: Option<&T>,
) -> Result<Option<Payload>, Error<E>> {
    body.map(|value| {
        let bytes = serde_json::to_vec(value).map_err(Error::Encode)?;
        Ok(Payload::Buffered(media_type, bytes))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(template: &'static str, values: &[&str]) -> Result<String, InvalidRequest> {
        let mut path = Path::new(template);
        for value in values {
            path.text(value)?;
        }
        Ok(path.finish())
    }

    #[test]
    fn a_template_is_filled_in_with_encoded_values() {
        let path = filled("/groups/{groupId}/clusters/{name}/x", &["a b", "c/d"]);
        assert_eq!(path.unwrap(), "/groups/a%20b/clusters/c%2Fd/x");
        assert_eq!(filled("/{a}{b}", &["1", "2"]).unwrap(), "/12");
        assert_eq!(filled("/plain", &[]).unwrap(), "/plain");
        assert_eq!(filled("/a}b/{c}.json", &["d"]).unwrap(), "/a}b/d.json");
    }

    #[test]
    fn a_value_that_is_not_one_segment_is_refused_with_its_parameter() {
        let error = filled("/groups/{groupId}/clusters/{name}", &["a", ".."]).unwrap_err();
        assert_eq!(error.parameter(), "name");
        assert_eq!(error.violation().constraint(), &Constraint::PathSegment);
    }
}
