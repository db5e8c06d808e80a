//! `multipart/form-data` request bodies: one part per field, files streamed from disk as
//! the request is sent rather than read into memory first.

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use serde_json::Value;
use tokio::io::AsyncReadExt as _;

use crate::runtime::{BodySource, Error, Payload};

/// A file to upload in a multipart part: bytes in memory, or a file on disk that is
/// opened and streamed when the request is sent (and reopened if it is retried), so a
/// large file is never read whole.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bytes(bytes) => write!(f, "{} bytes", bytes.len()),
            Source::Path(path) => write!(f, "{}", path.display()),
        }
    }
}

impl File {
    /// A file from bytes in memory. Its file name is the part's name unless
    /// [`file_name`](Self::file_name) sets one.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self {
            source: Source::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file on disk, streamed when the request is sent. Its file name is the path's
    /// last component unless [`file_name`](Self::file_name) sets one. A file that cannot be
    /// opened then is an [`Error::File`](crate::Error::File), and nothing is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .and_then(|name| name.to_str())
            .map(str::to_owned);
        Self {
            source: Source::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// The `filename` the part gives the server.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type`, in place of the one the spec gives the field
    /// (`application/octet-stream` unless it says otherwise).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("source", &self.source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A multipart body being assembled by an operation's `prepare()`.
#[derive(Debug, Clone)]
pub(crate) struct Multipart {
    boundary: String,
    /// Each part's head (boundary line and headers) and content.
    parts: Vec<(String, Source)>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Self {
            boundary: boundary(),
            parts: Vec::new(),
        }
    }

    /// A field's value as text parts: a string as it is, a number or boolean as JSON
    /// writes it, an object as JSON text; an array as one part per item; `null` as
    /// nothing. A JSON `content_type` writes the value as JSON text, whatever it is.
    #[allow(dead_code, reason = "only specs with fields that are not files use it")]
    pub(crate) fn value<T: serde::Serialize, E>(
        &mut self,
        name: &str,
        value: &T,
        content_type: &str,
    ) -> Result<(), Error<E>> {
        let value = serde_json::to_value(value).map_err(Error::Encode)?;
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        let subtype = essence.split_once('/').map_or("", |(_, s)| s);
        let json =
            subtype.eq_ignore_ascii_case("json") || subtype.to_ascii_lowercase().ends_with("+json");
        let items = match value {
            Value::Array(items) if !json => items,
            value => vec![value],
        };
        for item in items {
            let text = match item {
                Value::Null => continue,
                Value::String(text) if !json => text,
                other => other.to_string(),
            };
            self.part(name, None, content_type, Source::Bytes(Bytes::from(text)));
        }
        Ok(())
    }

    /// A file part; `content_type` is the spec's, used unless the file sets its own.
    #[allow(dead_code, reason = "only specs with file fields use it")]
    pub(crate) fn file(&mut self, name: &str, file: &File, content_type: &str) {
        let file_name = file.file_name.as_deref().unwrap_or(name);
        let content_type = file.content_type.as_deref().unwrap_or(content_type);
        self.part(name, Some(file_name), content_type, file.source.clone());
    }

    fn part(&mut self, name: &str, file_name: Option<&str>, content_type: &str, source: Source) {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            quoted(name)
        );
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
        }
        head.push_str(&format!(
            "\r\nContent-Type: {}\r\n\r\n",
            content_type.replace(['\r', '\n'], " ")
        ));
        self.parts.push((head, source));
    }

    pub(crate) fn into_payload(self) -> Payload {
        Payload::Streamed(Arc::new(self))
    }
}

impl BodySource for Multipart {
    fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn open(
        &self,
    ) -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<(reqwest::Body, u64)>> + Send + '_>>
    {
        Box::pin(async move {
            // Every file is opened, and its length taken, before anything is sent; one
            // that changes length while it is sent cuts the request short.
            let mut segments = VecDeque::with_capacity(self.parts.len() * 2 + 1);
            let mut length = 0u64;
            for (i, (head, source)) in self.parts.iter().enumerate() {
                let separator = if i == 0 { "" } else { "\r\n" };
                let head = Bytes::from(format!("{separator}{head}"));
                length += head.len() as u64;
                segments.push_back(Segment::Bytes(head));
                segments.push_back(match source {
                    Source::Bytes(bytes) => {
                        length += bytes.len() as u64;
                        Segment::Bytes(bytes.clone())
                    }
                    Source::Path(path) => {
                        let file = tokio::fs::File::open(path).await?;
                        length += file.metadata().await?.len();
                        Segment::File(file)
                    }
                });
            }
            let end = if self.parts.is_empty() { "" } else { "\r\n" };
            let end = Bytes::from(format!("{end}--{}--\r\n", self.boundary));
            length += end.len() as u64;
            segments.push_back(Segment::Bytes(end));
            let stream = futures_util::stream::unfold(segments, |mut segments| async move {
                loop {
                    match segments.pop_front()? {
                        Segment::Bytes(bytes) if bytes.is_empty() => continue,
                        Segment::Bytes(bytes) => return Some((Ok(bytes), segments)),
                        Segment::File(mut file) => {
                            let mut buffer = BytesMut::with_capacity(CHUNK);
                            match file.read_buf(&mut buffer).await {
                                Ok(0) => continue,
                                Ok(_) => {
                                    segments.push_front(Segment::File(file));
                                    return Some((Ok(buffer.freeze()), segments));
                                }
                                Err(error) => {
                                    segments.clear();
                                    return Some((Err(error), segments));
                                }
                            }
                        }
                    }
                }
            });
            Ok((reqwest::Body::wrap_stream(stream), length))
        })
    }
}

/// How much of a file is read at a time.
const CHUNK: usize = 64 * 1024;

/// What a multipart body is sent as: text in memory and open files.
enum Segment {
    Bytes(Bytes),
    File(tokio::fs::File),
}

/// A boundary no part is likely to contain: 32 random hexadecimal digits.
fn boundary() -> String {
    use std::hash::{BuildHasher, Hasher};
    let random = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("------------{:016x}{:016x}", random(1), random(2))
}

/// A name or file name inside a quoted header parameter, escaped as the HTML standard
/// does for form submissions: `"` as `%22`, line breaks as `%0D` and `%0A`.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
