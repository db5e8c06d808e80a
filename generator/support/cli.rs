//! The command line (the crate's `cli` feature): `<bin> api <tag> <operationId> [flags]`.
//!
//! Nothing here knows the spec: the generated `cli` module describes every operation in
//! static tables (its flags, their types, constraints and defaults) with one small
//! function per operation that turns the parsed flags into the library's request builder,
//! so values are checked by the library's own validated types. This module parses the
//! command line against those tables, writes help, finds credentials (environment, then
//! a profile file), sends the request and prints the result.

#![allow(
    dead_code,
    reason = "a spec uses only some kinds of flags, bodies, responses and credentials"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::io::{IsTerminal, Read, Write};
use std::pin::Pin;
use std::process::ExitCode;

use futures_core::Stream;

use crate::{ClientBuilder, Error, ErrorBody, PreparedRequest, Response};

/// Exit status: the API answered with an error, or the result could not be written.
pub const EXIT_API: u8 = 1;
/// Exit status: the command line is wrong (an unknown flag, a value that breaks its
/// constraint, a malformed body); nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: the request could not be sent or its answer not read.
pub const EXIT_TRANSPORT: u8 = 3;
/// Exit status: no credentials, credentials refused, or a 401 or 403 answer.
pub const EXIT_AUTH: u8 = 4;

/// The whole command line of one spec.
pub struct App {
    pub binary: &'static str,
    pub title: &'static str,
    /// The environment variables of each credential, the first set one winning.
    pub env: Credentials<&'static [&'static str]>,
    pub profile: Option<ProfileFile>,
    pub tags: &'static [Tag],
    pub commands: &'static [Command],
    /// The ways to authenticate the spec declares, in its order, for `--dry-run`.
    pub auth: &'static [CurlAuth],
    /// Applies the credentials found to a client builder.
    pub authenticate: fn(ClientBuilder, &Credentials<Option<String>>) -> ClientBuilder,
}

/// One value per credential the command line knows.
#[derive(Debug, Default, Clone)]
pub struct Credentials<T> {
    pub username: T,
    pub password: T,
    pub client_id: T,
    pub client_secret: T,
    pub token: T,
    pub base_url: T,
}

/// A TOML file of profiles under the user's configuration directory.
pub struct ProfileFile {
    /// The path under `$XDG_CONFIG_HOME` (else `$HOME/.config`).
    pub file: &'static str,
    /// The profile key of each credential.
    pub keys: Credentials<Option<&'static str>>,
    /// Parameters a profile key supplies when their flag is not given: (flag, key).
    pub defaults: &'static [(&'static str, &'static str)],
}

/// How `--dry-run` shows credentials, in the form of curl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurlAuth {
    Digest,
    Basic,
    Bearer,
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
}

pub struct Tag {
    /// The tag as the command line spells it (`legacyBackup`).
    pub name: &'static str,
    pub description: &'static str,
}

/// One operation in one version.
pub struct Command {
    pub tag: &'static str,
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub deprecated: bool,
    /// The API version this command sends (empty when the spec has one).
    pub version: &'static str,
    pub flags: &'static [Flag],
    /// The request body's media type, when the operation takes one.
    pub body: Option<&'static str>,
    pub paginated: bool,
    pub run: Run,
}

/// Builds the operation's request from the flags.
pub type Run = for<'c> fn(&'c crate::Client, &Args) -> Built<'c>;

/// A request built from the flags, or why it could not be.
pub type Built<'c> = Result<Call<'c>, Failure>;

/// A flag from a parameter.
pub struct Flag {
    /// The parameter's name in the spec, which the flag is spelled as.
    pub name: &'static str,
    pub kind: Kind,
    /// Takes several values (repeated, or separated by commas).
    pub list: bool,
    pub required: bool,
    pub deprecated: bool,
    pub description: &'static str,
    /// The constraints, as a person reads them.
    pub constraint: &'static str,
    pub default: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Bool,
    /// Anything else, given as JSON.
    Json,
}

impl Kind {
    fn shown(self, list: bool) -> &'static str {
        match (self, list) {
            (Kind::String, false) => "string",
            (Kind::Integer, false) => "int",
            (Kind::Number, false) => "float",
            (Kind::Bool, false) => "",
            (Kind::Json, false) => "json",
            (Kind::String, true) => "strings",
            (Kind::Integer, true) => "ints",
            (Kind::Number, true) => "floats",
            (Kind::Bool, true) => "bools",
            (Kind::Json, true) => "jsons",
        }
    }
}

/// What went wrong, with its exit status; the message never holds a secret.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    fn api(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_API,
            message: message.into(),
        }
    }
}

/// A successful response's body.
pub enum Output {
    /// Written in the order of the generated types (the spec's), not a map's.
    Json(Box<dyn Show>),
    Text(String),
    /// A body that is not text, with its content type.
    Bytes(String, bytes::Bytes),
    Empty,
}

type Sent<'c> = Pin<Box<dyn Future<Output = Result<Output, Failure>> + 'c>>;
type Items<'c> = Pin<Box<dyn Stream<Item = Result<Box<dyn Show>, Failure>> + 'c>>;

/// A decoded body, shown as compact or pretty JSON, or as a value for a table.
pub trait Show {
    fn compact(&self) -> String;
    fn pretty(&self) -> String;
    fn value(&self) -> serde_json::Value;
}

impl<T: serde::Serialize> Show for T {
    fn compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    fn value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// A request built from the flags: validated, and sent only when awaited.
pub struct Call<'c> {
    prepared: Result<PreparedRequest, Failure>,
    send: Sent<'c>,
    items: Option<Items<'c>>,
    /// The total of items the server reported, negative until known.
    total: Option<std::sync::Arc<std::sync::atomic::AtomicI64>>,
}

impl<'c> Call<'c> {
    pub fn new<E: ErrorBody + std::fmt::Debug>(
        prepared: Result<PreparedRequest, Error<E>>,
        send: impl Future<Output = Result<Output, Failure>> + 'c,
    ) -> Self {
        Call {
            prepared: prepared.map_err(failure),
            send: Box::pin(send),
            items: None,
            total: None,
        }
    }

    /// Every item across pages, for `--all`, and the total the pages report.
    pub fn with_items<T: serde::Serialize + 'static, E: ErrorBody + std::fmt::Debug + 'c>(
        mut self,
        items: impl Stream<Item = Result<T, Error<E>>> + 'c,
        total: std::sync::Arc<std::sync::atomic::AtomicI64>,
    ) -> Self {
        self.total = Some(total);
        self.items = Some(Box::pin(AsJson(Box::pin(items))));
        self
    }
}

/// A stream of items as JSON values.
struct AsJson<S>(Pin<Box<S>>);

impl<T: serde::Serialize + 'static, E: ErrorBody + std::fmt::Debug, S> Stream for AsJson<S>
where
    S: Stream<Item = Result<T, Error<E>>>,
{
    type Item = Result<Box<dyn Show>, Failure>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| {
            item.map(|item| {
                item.map_err(failure)
                    .map(|item| Box::new(item) as Box<dyn Show>)
            })
        })
    }
}

/// A JSON response as output.
pub async fn json<T: serde::Serialize + 'static, E: ErrorBody + std::fmt::Debug>(
    sent: impl Future<Output = Result<Response<T>, Error<E>>>,
) -> Result<Output, Failure> {
    let body = sent.await.map_err(failure)?.into_inner();
    Ok(Output::Json(Box::new(body)))
}

/// A text response as output.
pub async fn text<E: ErrorBody + std::fmt::Debug>(
    sent: impl Future<Output = Result<Response<String>, Error<E>>>,
) -> Result<Output, Failure> {
    Ok(Output::Text(sent.await.map_err(failure)?.into_inner()))
}

/// A binary response as output.
pub async fn bytes<E: ErrorBody + std::fmt::Debug>(
    sent: impl Future<Output = Result<Response<bytes::Bytes>, Error<E>>>,
) -> Result<Output, Failure> {
    let response = sent.await.map_err(failure)?;
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    Ok(Output::Bytes(content_type, response.into_inner()))
}

/// A response without a body.
pub async fn empty<E: ErrorBody + std::fmt::Debug>(
    sent: impl Future<Output = Result<Response<()>, Error<E>>>,
) -> Result<Output, Failure> {
    sent.await.map_err(failure)?;
    Ok(Output::Empty)
}

/// An error of the library as a person reads it, with its exit status.
pub fn failure<E: ErrorBody + std::fmt::Debug>(error: Error<E>) -> Failure {
    let by_status = |status: crate::StatusCode| {
        if matches!(status.as_u16(), 401 | 403) {
            EXIT_AUTH
        } else {
            EXIT_API
        }
    };
    match &error {
        Error::InvalidRequest(invalid) if invalid.parameter() == "body" => {
            Failure::usage("the request body is required: give it with --file")
        }
        Error::InvalidRequest(invalid) => Failure::usage(format!(
            "invalid --{}: {}",
            invalid.parameter(),
            invalid.violation()
        )),
        Error::Api { status, body, .. } => {
            let mut message = status.as_u16().to_string();
            match (body.error_code(), body.error_message()) {
                (Some(code), Some(text)) => write!(message, " {code}: {text}"),
                (Some(text), None) | (None, Some(text)) => write!(message, " {text}"),
                (None, None) => write!(message, " {}", status.canonical_reason().unwrap_or("")),
            }
            .ok();
            Failure {
                code: by_status(*status),
                message: message.trim_end().to_owned(),
            }
        }
        Error::UnexpectedStatus { status, .. } => Failure {
            code: by_status(*status),
            message: error.to_string(),
        },
        Error::Transport(_) => Failure {
            code: EXIT_TRANSPORT,
            message: error.to_string(),
        },
        Error::Auth(_) => Failure {
            code: EXIT_AUTH,
            message: error.to_string(),
        },
        Error::Encode(_) | Error::File(_) => Failure::usage(error.to_string()),
        Error::Decode { .. } => Failure::api(error.to_string()),
    }
}

/// The flags given, by parameter name, and the body.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<&'static str, (Kind, bool, Vec<String>)>,
    body: Option<Vec<u8>>,
    body_source: String,
}

impl Args {
    /// A required parameter's value, decoded into its type (which checks its constraints).
    pub fn required<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Failure> {
        self.optional(name)?
            .ok_or_else(|| Failure::usage(format!("required flag --{name} not set")))
    }

    /// An optional parameter's value, decoded into its type.
    pub fn optional<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, Failure> {
        let Some((kind, list, raw)) = self.values.get(name) else {
            return Ok(None);
        };
        let value = if *list {
            let items: Result<Vec<_>, _> = raw
                .iter()
                .flat_map(|r| split_list(*kind, r))
                .map(|r| scalar(name, *kind, r))
                .collect();
            serde_json::Value::Array(items?)
        } else {
            let last = raw.last().map(String::as_str).unwrap_or_default();
            scalar(name, *kind, last)?
        };
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| Failure::usage(format!("invalid --{name}: {e}")))
    }

    /// The builder `b` with an optional parameter's value given to it by `set` when its
    /// flag is set, decoded into the parameter's type `T` (as [`Args::optional`] does).
    pub fn set<B, T: serde::de::DeserializeOwned>(
        &self,
        b: B,
        name: &str,
        set: impl FnOnce(B, T) -> B,
    ) -> Result<B, Failure> {
        Ok(match self.optional(name)? {
            Some(value) => set(b, value),
            None => b,
        })
    }

    /// The request body from `--file`, decoded into the request type: a malformed one
    /// is located by its JSON path.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let Some(body) = &self.body else {
            return Ok(None);
        };
        let mut decoder = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut decoder)
            .map(Some)
            .map_err(|e| {
                let path = e.path().to_string();
                let at = if path == "." {
                    String::new()
                } else {
                    format!(" at `{path}`")
                };
                Failure::usage(format!(
                    "invalid request body in {}{at}: {}",
                    self.body_source,
                    e.inner()
                ))
            })
    }

    /// The request body from `--file` as text.
    pub fn text_body(&self) -> Result<Option<String>, Failure> {
        self.body
            .clone()
            .map(|body| {
                String::from_utf8(body)
                    .map_err(|_| Failure::usage(format!("{} is not UTF-8 text", self.body_source)))
            })
            .transpose()
    }

    /// The request body from `--file` as bytes.
    pub fn bytes_body(&self) -> Result<Option<Vec<u8>>, Failure> {
        Ok(self.body.clone())
    }
}

fn split_list(kind: Kind, raw: &str) -> Vec<&str> {
    if kind == Kind::Json {
        vec![raw]
    } else {
        raw.split(',').collect()
    }
}

fn scalar(name: &str, kind: Kind, raw: &str) -> Result<serde_json::Value, Failure> {
    let bad = |what: &str| Failure::usage(format!("invalid --{name}: {raw:?} is not {what}"));
    Ok(match kind {
        Kind::String => serde_json::Value::String(raw.to_owned()),
        Kind::Integer => raw
            .parse::<i64>()
            .map(serde_json::Value::from)
            .map_err(|_| bad("an integer"))?,
        Kind::Number => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(serde_json::Value::Number)
            .ok_or_else(|| bad("a number"))?,
        Kind::Bool => match raw {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            _ => return Err(bad("true or false")),
        },
        Kind::Json => serde_json::from_str(raw).map_err(|_| bad("JSON"))?,
    })
}

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Pretty JSON on a terminal, compact otherwise.
    Auto,
    Json,
    Pretty,
    Table,
}

/// The flags every operation has.
#[derive(Debug, Default)]
struct Global {
    format: Option<Format>,
    output_file: Option<String>,
    profile: Option<String>,
    version: Option<String>,
    file: Option<String>,
    all: bool,
    dry_run: bool,
    help: bool,
}

/// Runs the command line with the process's arguments and environment.
pub fn main(app: &App) -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => {
                return report(
                    app,
                    Failure::usage(format!("argument {arg:?} is not UTF-8")),
                );
            }
        }
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match run(app, &args, &env) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(app, failure),
    }
}

fn report(app: &App, failure: Failure) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "Error: {}", failure.message);
    if failure.code == EXIT_USAGE && !failure.message.contains("--help") {
        let _ = writeln!(stderr, "Run '{} --help' for usage.", app.binary);
    }
    ExitCode::from(failure.code)
}

/// `legacyBackup` and `legacy-backup` both name `legacyBackup`.
fn same_name(given: &str, name: &str) -> bool {
    given == name || given == kebab(name)
}

fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c == '_' || c == ' ' {
            out.push('-');
            previous_lower = false;
        } else {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn run(app: &App, args: &[String], env: &dyn Fn(&str) -> Option<String>) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .take_while(|a| !a.starts_with('-'))
        .collect();
    let wants_help = args.iter().any(|a| a == "-h" || a == "--help");
    let print = |out: &mut dyn Write, text: String| {
        out.write_all(text.as_bytes())
            .map_err(|e| Failure::api(format!("cannot write the output: {e}")))
    };
    match words.as_slice() {
        [] => print(&mut stdout, top_help(app)),
        ["completion", shell] => print(&mut stdout, completion(app, shell)?),
        ["completion"] => Err(Failure::usage(
            "completion needs a shell: bash, zsh or fish",
        )),
        ["__complete", ..] => print(
            &mut stdout,
            complete(app, args.get(1..).unwrap_or_default()),
        ),
        ["api"] => print(&mut stdout, api_help(app)),
        ["api", tag] => {
            let tag = find_tag(app, tag)?;
            if wants_help || args.len() == 2 {
                print(&mut stdout, tag_help(app, tag))
            } else {
                Err(Failure::usage(format!(
                    "{} api {}: an operation is needed; see --help",
                    app.binary, tag.name
                )))
            }
        }
        ["api", tag, id] => {
            let tag = find_tag(app, tag)?;
            let versions: Vec<&Command> = app
                .commands
                .iter()
                .filter(|c| c.tag == tag.name && same_name(id, c.id))
                .collect();
            if versions.is_empty() {
                return Err(Failure::usage(format!(
                    "unknown operation {id:?} in {}: see '{} api {} --help'",
                    tag.name, app.binary, tag.name
                )));
            }
            // The flags follow the three words.
            operation(
                app,
                &versions,
                args.get(3..).unwrap_or_default(),
                env,
                &mut stdout,
            )
        }
        [first, ..] if *first != "api" => Err(Failure::usage(format!(
            "unknown command {first:?}: the commands are `api` and `completion`"
        ))),
        _ => Err(Failure::usage(format!(
            "too many arguments: {}",
            words.get(3..).unwrap_or_default().join(" ")
        ))),
    }
}

fn find_tag(app: &App, given: &str) -> Result<&'static Tag, Failure> {
    app.tags
        .iter()
        .find(|t| same_name(given, t.name))
        .ok_or_else(|| {
            Failure::usage(format!(
                "unknown tag {given:?}: see '{} api --help'",
                app.binary
            ))
        })
}

/// The newest stable version (a date sorts last; a named preview does not count).
fn default_version<'a>(versions: &[&'a Command]) -> &'a Command {
    versions
        .iter()
        .copied()
        .filter(|c| c.version.starts_with(|ch: char| ch.is_ascii_digit()))
        .max_by(|a, b| a.version.cmp(b.version))
        .unwrap_or(versions[0])
}

fn operation(
    app: &App,
    versions: &[&'static Command],
    args: &[String],
    env: &dyn Fn(&str) -> Option<String>,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let default = default_version(versions);
    // The version first, as the flags are those of the version chosen (unless the
    // operation has a parameter of that name, which then keeps it).
    let asked = if default.flags.iter().any(|f| f.name == "version") {
        None
    } else {
        args.iter()
            .enumerate()
            .find_map(|(i, a)| match a.strip_prefix("--version") {
                Some("") => Some(args.get(i + 1).map_or("", String::as_str)),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            })
    };
    let command = match asked {
        Some(version) => versions
            .iter()
            .copied()
            .find(|c| c.version == version)
            .ok_or_else(|| {
                let known: Vec<&str> = versions.iter().map(|c| c.version).collect();
                Failure::usage(format!(
                    "invalid --version: {version:?} is not one of {}",
                    known.join(", ")
                ))
            })?,
        None => default,
    };
    let (global, mut given) = parse_flags(command, args)?;
    if global.help {
        return stdout
            .write_all(operation_help(app, command, versions).as_bytes())
            .map_err(|e| Failure::api(e.to_string()));
    }
    let profile = read_profile(app, global.profile.as_deref(), env)?;
    if let (Some(file), Some(profile)) = (&app.profile, &profile) {
        for (flag, key) in file.defaults {
            let Some(f) = command.flags.iter().find(|f| f.name == *flag) else {
                continue;
            };
            if let (false, Some(value)) = (given.values.contains_key(flag), profile.get(*key)) {
                given
                    .values
                    .insert(f.name, (f.kind, f.list, vec![value.clone()]));
            }
        }
    }
    for flag in command.flags.iter().filter(|f| f.required) {
        if !given.values.contains_key(flag.name) {
            return Err(Failure::usage(format!(
                "required flag --{} not set",
                flag.name
            )));
        }
    }
    if let Some(path) = &global.file {
        if command.body.is_none() {
            return Err(Failure::usage(format!(
                "--file: {} {} takes no request body",
                command.tag, command.id
            )));
        }
        given.body = Some(read_body(path)?);
        given.body_source = if path == "-" {
            "stdin".to_owned()
        } else {
            path.clone()
        };
    }
    if global.all && !command.paginated {
        return Err(Failure::usage(format!(
            "--all: {} is not paginated",
            command.id
        )));
    }
    let credentials = credentials(app, profile.as_ref(), env);
    let mut builder = crate::Client::builder().user_agent(concat!(
        env!("CARGO_PKG_NAME"),
        "-cli/",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(url) = &credentials.base_url {
        builder = builder.base_url(url.trim_end_matches('/'));
    }
    let client = (app.authenticate)(builder, &credentials)
        .build()
        .map_err(|e| Failure::usage(e.to_string()))?;
    let none = credentials.username.is_none()
        && credentials.client_id.is_none()
        && credentials.token.is_none();
    let hint = |mut failure: Failure| {
        if failure.code == EXIT_AUTH && none {
            write!(
                failure.message,
                " (no credentials were found: see '{} --help')",
                app.binary
            )
            .ok();
        }
        failure
    };
    let call = (command.run)(&client, &given)?;
    let prepared = call.prepared?;
    if global.dry_run {
        let text = curl(app, &client, &prepared, &credentials);
        return stdout
            .write_all(text.as_bytes())
            .map_err(|e| Failure::api(e.to_string()));
    }
    let format = global.format.unwrap_or(Format::Auto);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::api(format!("cannot start: {e}")))?;
    if global.all {
        let Some(mut items) = call.items else {
            return Err(Failure::usage("--all: the operation is not paginated"));
        };
        let mut sink = Sink::open(global.output_file.as_deref(), stdout)?;
        let progress = std::io::stderr().is_terminal();
        let mut count = 0u64;
        let mut rows = Vec::new();
        let outcome = runtime.block_on(async {
            while let Some(item) = std::future::poll_fn(|cx| items.as_mut().poll_next(cx)).await {
                let item = item?;
                count += 1;
                if format == Format::Table {
                    rows.push(item.value());
                } else {
                    sink.write(format!("{}\n", item.compact()).as_bytes())?;
                }
                if progress {
                    let total = call
                        .total
                        .as_ref()
                        .map_or(-1, |t| t.load(std::sync::atomic::Ordering::Relaxed));
                    if total >= 0 {
                        eprint!("\r{count} of {total} items");
                    } else {
                        eprint!("\r{count} items");
                    }
                }
            }
            Ok(())
        });
        if progress && count > 0 {
            eprintln!();
        }
        outcome.map_err(hint)?;
        if format == Format::Table {
            sink.write(table(&serde_json::Value::Array(rows)).as_bytes())?;
        }
        return sink.finish();
    }
    let output = runtime.block_on(call.send).map_err(hint)?;
    // The file is created only for an answer, so a failed call leaves none behind.
    let mut sink = Sink::open(global.output_file.as_deref(), stdout)?;
    match output {
        Output::Json(body) => {
            let text = match format {
                Format::Table => table(&body.value()),
                Format::Pretty => format!("{}\n", body.pretty()),
                Format::Auto if sink.is_terminal() => format!("{}\n", body.pretty()),
                Format::Auto | Format::Json => format!("{}\n", body.compact()),
            };
            sink.write(text.as_bytes())?;
        }
        Output::Text(text) => sink.write(text.as_bytes())?,
        Output::Bytes(content_type, bytes) => {
            if sink.is_terminal() {
                return Err(Failure::usage(format!(
                    "the response is binary ({content_type}): write it with --outputFile PATH or pipe it"
                )));
            }
            sink.write(&bytes)?;
        }
        Output::Empty => {}
    }
    sink.finish()
}

/// Where the result goes: `--outputFile`, else stdout.
enum Sink<'a> {
    File(String, std::io::BufWriter<std::fs::File>),
    Stdout(&'a mut dyn Write, bool),
}

impl<'a> Sink<'a> {
    fn open(path: Option<&str>, stdout: &'a mut dyn Write) -> Result<Self, Failure> {
        match path {
            Some(path) => std::fs::File::create(path)
                .map(|f| Sink::File(path.to_owned(), std::io::BufWriter::new(f)))
                .map_err(|e| Failure::usage(format!("--outputFile {path}: {e}"))),
            None => Ok(Sink::Stdout(stdout, std::io::stdout().is_terminal())),
        }
    }

    fn is_terminal(&self) -> bool {
        matches!(self, Sink::Stdout(_, true))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let (result, place) = match self {
            Sink::File(path, file) => (file.write_all(bytes), path.as_str()),
            Sink::Stdout(out, _) => (out.write_all(bytes), "stdout"),
        };
        result.map_err(|e| Failure::api(format!("cannot write to {place}: {e}")))
    }

    fn finish(self) -> Result<(), Failure> {
        let (result, place) = match self {
            Sink::File(path, mut file) => (file.flush(), path),
            Sink::Stdout(out, _) => (out.flush(), "stdout".to_owned()),
        };
        result.map_err(|e| Failure::api(format!("cannot write to {place}: {e}")))
    }
}

fn read_body(path: &str) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut body).map(|_| ()))
    };
    result
        .map(|()| body)
        .map_err(|e| Failure::usage(format!("--file {path}: {e}")))
}

/// Parses the flags after the operation against its table.
fn parse_flags(command: &Command, args: &[String]) -> Result<(Global, Args), Failure> {
    let mut global = Global::default();
    let mut given = Args::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with('-') => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let Some(bare) = name
            .strip_prefix("--")
            .or_else(|| name.strip_prefix('-').filter(|n| n.len() == 1))
        else {
            return Err(Failure::usage(format!("unexpected argument {arg:?}")));
        };
        let mut value = |what: &str| -> Result<String, Failure> {
            if let Some(value) = &inline {
                return Ok(value.clone());
            }
            let value = args
                .get(i)
                .cloned()
                .ok_or_else(|| Failure::usage(format!("flag needs an argument: {what}")))?;
            i += 1;
            Ok(value)
        };
        // The spec's parameters first: a parameter may share a name with a global flag.
        if let Some(flag) = command
            .flags
            .iter()
            .find(|f| bare.len() > 1 && same_name(bare, f.name))
        {
            let raw = if flag.kind == Kind::Bool && !flag.list && inline.is_none() {
                "true".to_owned()
            } else {
                value(name)?
            };
            given
                .values
                .entry(flag.name)
                .or_insert_with(|| (flag.kind, flag.list, Vec::new()))
                .2
                .push(raw);
            continue;
        }
        match bare {
            "h" | "help" => global.help = true,
            "o" | "output" => {
                let raw = value(name)?;
                global.format = Some(match raw.as_str() {
                    "json" => Format::Json,
                    "pretty" => Format::Pretty,
                    "table" => Format::Table,
                    other => {
                        return Err(Failure::usage(format!(
                            "invalid --output: {other:?} is not one of json, pretty, table"
                        )));
                    }
                });
            }
            "outputFile" | "output-file" => global.output_file = Some(value(name)?),
            "P" | "profile" => global.profile = Some(value(name)?),
            "version" => global.version = Some(value(name)?),
            "file" => global.file = Some(value(name)?),
            "all" => global.all = true,
            "dry-run" | "dryRun" => global.dry_run = true,
            _ => return Err(Failure::usage(format!("unknown flag: {name}"))),
        }
    }
    Ok((global, given))
}

/// The profile's keys, when the spec's command line reads a profile file and it exists.
fn read_profile(
    app: &App,
    chosen: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<BTreeMap<String, String>>, Failure> {
    let Some(file) = &app.profile else {
        return Ok(chosen
            .map(|_| {
                Err(Failure::usage(
                    "--profile: this command line reads no profiles",
                ))
            })
            .transpose()?
            .flatten());
    };
    let directory = match (env("XDG_CONFIG_HOME"), env("HOME")) {
        (Some(config), _) => std::path::PathBuf::from(config),
        (None, Some(home)) => std::path::Path::new(&home).join(".config"),
        (None, None) => return Ok(None),
    };
    let path = directory.join(file.file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && chosen.is_none() => return Ok(None),
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read the profiles in {}: {e}",
                path.display()
            )));
        }
    };
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "cannot read the profiles in {}: {e}",
            path.display()
        ))
    })?;
    let name = chosen.unwrap_or("default");
    let Some(profile) = table.get(name).and_then(toml::Value::as_table) else {
        return match chosen {
            Some(_) => Err(Failure::usage(format!(
                "--profile: no profile {name:?} in {}",
                path.display()
            ))),
            None => Ok(None),
        };
    };
    Ok(Some(
        profile
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
            .collect(),
    ))
}

/// The credentials: from the environment when any is set there, else from the profile
/// (the two are not mixed, so a pair always comes from one place); the base URL likewise.
fn credentials(
    app: &App,
    profile: Option<&BTreeMap<String, String>>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Credentials<Option<String>> {
    let from_env = |names: &[&str]| names.iter().find_map(|n| env(n));
    let found = Credentials {
        username: from_env(app.env.username),
        password: from_env(app.env.password),
        client_id: from_env(app.env.client_id),
        client_secret: from_env(app.env.client_secret),
        token: from_env(app.env.token),
        base_url: from_env(app.env.base_url),
    };
    let any = found.username.is_some()
        || found.password.is_some()
        || found.client_id.is_some()
        || found.client_secret.is_some()
        || found.token.is_some();
    let (Some(file), Some(profile)) = (&app.profile, profile) else {
        return found;
    };
    let key = |key: Option<&str>| {
        key.and_then(|k| profile.get(k))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let base_url = found.base_url.or_else(|| key(file.keys.base_url));
    if any {
        return Credentials { base_url, ..found };
    }
    Credentials {
        username: key(file.keys.username),
        password: key(file.keys.password),
        client_id: key(file.keys.client_id),
        client_secret: key(file.keys.client_secret),
        token: key(file.keys.token),
        base_url,
    }
}

/// A variable's name for `--dry-run`: the credential's first environment variable without
/// the prefix its variables share (`MONGODB_ATLAS_PUBLIC_KEY` is `PUBLIC_KEY`).
fn variable(app: &App, names: &[&str], fallback: &str) -> String {
    let Some(first) = names.first() else {
        return fallback.to_owned();
    };
    let all = [
        app.env.username,
        app.env.password,
        app.env.client_id,
        app.env.client_secret,
    ];
    let firsts: Vec<&str> = all.iter().filter_map(|n| n.first().copied()).collect();
    let mut prefix = firsts.first().copied().unwrap_or_default().to_owned();
    for name in &firsts {
        while !name.starts_with(&prefix) {
            prefix.pop();
        }
    }
    let prefix = match prefix.rfind('_') {
        Some(at) if firsts.len() > 1 => &prefix[..=at],
        _ => "",
    };
    first.strip_prefix(prefix).unwrap_or(first).to_owned()
}

/// The request as a curl command, with variables in place of secrets.
fn curl(
    app: &App,
    client: &crate::Client,
    request: &PreparedRequest,
    credentials: &Credentials<Option<String>>,
) -> String {
    let wanted = if credentials.client_id.is_some() || credentials.token.is_some() {
        app.auth.iter().find(|a| {
            matches!(
                a,
                CurlAuth::Bearer | CurlAuth::Header(_) | CurlAuth::Query(_)
            )
        })
    } else if credentials.username.is_some() {
        app.auth
            .iter()
            .find(|a| matches!(a, CurlAuth::Digest | CurlAuth::Basic))
    } else {
        None
    };
    // An operation that needs no credentials is shown without them.
    let auth = wanted
        .or(app.auth.first())
        .copied()
        .filter(|_| !request.security.is_empty());
    let mut lines: Vec<String> = Vec::new();
    let mut query = request.query().to_owned();
    let user = || {
        format!(
            "--user \"${{{}}}:${{{}}}\"",
            variable(app, app.env.username, "USERNAME"),
            variable(app, app.env.password, "PASSWORD")
        )
    };
    match auth {
        Some(CurlAuth::Digest) => {
            lines.push(user());
            lines.push("--digest --include".to_owned());
        }
        Some(CurlAuth::Basic) => lines.push(format!("{} --include", user())),
        Some(CurlAuth::Bearer) => {
            lines.push("--include --header \"Authorization: Bearer ${ACCESS_TOKEN}\"".to_owned())
        }
        Some(CurlAuth::Header(name)) => lines.push(format!(
            "--include --header \"{name}: ${{{}}}\"",
            variable(app, app.env.token, "API_KEY")
        )),
        Some(CurlAuth::Query(name)) => {
            lines.push("--include".to_owned());
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!(
                "{name}=${{{}}}",
                variable(app, app.env.token, "API_KEY")
            ));
        }
        None => lines.push("--include".to_owned()),
    }
    lines.push(format!("--header \"Accept: {}\"", request.accept()));
    for (name, value) in request.headers() {
        lines.push(format!("--header {}", quoted(&format!("{name}: {value}"))));
    }
    if let Some(content_type) = request.content_type() {
        lines.push(format!("--header \"Content-Type: {content_type}\""));
    }
    if let Some((_, body)) = request.body() {
        lines.push(format!(
            "--data-binary {}",
            quoted(&String::from_utf8_lossy(body))
        ));
    }
    let mut url = format!("{}{}", client.base_url(), request.path());
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    lines.push(format!("-X {} \"{url}\"", request.method()));
    let mut out = format!("curl {}", lines[0]);
    for line in &lines[1..] {
        out.push_str(" \\\n  ");
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// A shell word in single quotes.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A list as a table: one row per item, its scalar fields as columns (in the order they
/// first appear). A page object is shown by its list of items.
fn table(value: &serde_json::Value) -> String {
    let items: &[serde_json::Value] = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(object) => {
            match object.values().find_map(serde_json::Value::as_array) {
                Some(items) => items,
                None => std::slice::from_ref(value),
            }
        }
        _ => std::slice::from_ref(value),
    };
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        if let Some(object) = item.as_object() {
            for (key, value) in object {
                let scalar = !(value.is_array() || value.is_object());
                if scalar && !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
    }
    let cell = |item: &serde_json::Value, column: &str| match item.get(column) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.replace(['\n', '\t'], " "),
        Some(other) => other.to_string(),
    };
    if columns.is_empty() {
        return items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(s) => format!("{s}\n"),
                other => format!("{other}\n"),
            })
            .collect();
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| columns.iter().map(|c| cell(item, c)).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (text, width)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(text);
            } else {
                let pad = width - text.chars().count();
                out.push_str(text);
                out.push_str(&" ".repeat(pad + 3));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(columns.clone());
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  the API answered with an error (or the result could not be written)
  2  usage: an unknown flag, a value that breaks its constraint, a malformed body (nothing sent)
  3  transport: the request could not be sent or its answer not read
  4  authentication: no credentials, credentials refused, or a 401 or 403 answer
";

/// `1 tag`, `2 tags`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn top_help(app: &App) -> String {
    format!(
        "Command line of the {title}.

Usage:
  {bin} api <tag> <operationId> [flags]
  {bin} completion bash|zsh|fish

Commands:
  api          Call any operation of the API ({count} in {tags})
  completion   Print a shell completion script

Run '{bin} api --help' for the tags.

{credentials}
{EXIT_CODES}",
        title = app.title,
        bin = app.binary,
        count = plural(operation_count(app), "operation"),
        tags = plural(app.tags.len(), "tag"),
        credentials = credentials_help(app),
    )
}

/// Operations, each counted once whatever its versions.
fn operation_count(app: &App) -> usize {
    let mut seen: Vec<(&str, &str)> = app.commands.iter().map(|c| (c.tag, c.id)).collect();
    seen.dedup();
    seen.len()
}

fn credentials_help(app: &App) -> String {
    let mut out = String::from("Credentials (the environment first, then the profile):\n");
    let mut line = |what: &str, names: &[&str], key: Option<&str>| {
        if names.is_empty() && key.is_none() {
            return;
        }
        let mut sources: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        if let Some(key) = key {
            sources.push(format!("profile key {key}"));
        }
        out.push_str(&format!("  {what:<14} {}\n", sources.join(", ")));
    };
    let keys = app.profile.as_ref().map(|p| &p.keys);
    line("username", app.env.username, keys.and_then(|k| k.username));
    line("password", app.env.password, keys.and_then(|k| k.password));
    line(
        "client id",
        app.env.client_id,
        keys.and_then(|k| k.client_id),
    );
    line(
        "client secret",
        app.env.client_secret,
        keys.and_then(|k| k.client_secret),
    );
    line("token", app.env.token, keys.and_then(|k| k.token));
    line("base URL", app.env.base_url, keys.and_then(|k| k.base_url));
    if let Some(profile) = &app.profile {
        out.push_str(&format!(
            "Profiles are read from $XDG_CONFIG_HOME/{file} (else $HOME/.config/{file}): the profile\nnamed by -P/--profile, else \"default\".\n",
            file = profile.file
        ));
    }
    out
}

fn api_help(app: &App) -> String {
    let mut out = format!(
        "Call any operation of the {}.\n\nUsage:\n  {} api <tag> <operationId> [flags]\n\nTags:\n",
        app.title, app.binary
    );
    let width = app.tags.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for tag in app.tags {
        let text = if tag.description.is_empty() {
            let mut ids: Vec<&str> = app
                .commands
                .iter()
                .filter(|c| c.tag == tag.name)
                .map(|c| c.id)
                .collect();
            ids.dedup();
            match ids.len() {
                1 => "1 operation".to_owned(),
                n => format!("{n} operations"),
            }
        } else {
            first_sentence(tag.description).to_owned()
        };
        out.push_str(&format!("  {:<width$}   {text}\n", tag.name));
    }
    out
}

fn tag_help(app: &App, tag: &Tag) -> String {
    let mut out = String::new();
    if !tag.description.is_empty() {
        out.push_str(&wrap(tag.description, 0));
    }
    out.push_str(&format!(
        "Usage:\n  {} api {} <operationId> [flags]\n\nOperations:\n",
        app.binary, tag.name
    ));
    let mut seen: Vec<&str> = Vec::new();
    let commands: Vec<&Command> = app
        .commands
        .iter()
        .filter(|c| {
            c.tag == tag.name && !seen.contains(&c.id) && {
                seen.push(c.id);
                true
            }
        })
        .collect();
    let width = commands.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for command in commands {
        let deprecated = if command.deprecated {
            " (deprecated)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {:<width$}   {}{deprecated}\n",
            command.id, command.summary
        ));
    }
    out
}

fn operation_help(app: &App, command: &Command, versions: &[&Command]) -> String {
    let mut out = String::new();
    out.push_str(command.summary);
    if command.deprecated {
        out.push_str(" (deprecated)");
    }
    out.push_str("\n\n");
    if !command.description.is_empty() {
        out.push_str(&wrap(command.description, 0));
    }
    if command.deprecated {
        out.push_str("Deprecated: the API may remove this operation.\n\n");
    }
    out.push_str(&format!(
        "{} {}\n\nUsage:\n  {} api {} {}",
        command.method, command.path, app.binary, command.tag, command.id
    ));
    for flag in command.flags.iter().filter(|f| f.required) {
        out.push_str(&format!(
            " --{} <{}>",
            flag.name,
            flag.kind.shown(flag.list)
        ));
    }
    out.push_str(" [flags]\n\nFlags:\n");
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut flags: Vec<&Flag> = command.flags.iter().collect();
    flags.sort_by_key(|f| f.name);
    for flag in flags {
        let mut head = format!("--{}", flag.name);
        let shown = flag.kind.shown(flag.list);
        if !shown.is_empty() {
            head.push(' ');
            head.push_str(shown);
        }
        let mut text = String::new();
        let profile = app
            .profile
            .as_ref()
            .and_then(|p| p.defaults.iter().find(|(f, _)| *f == flag.name));
        if flag.required {
            text.push_str(if profile.is_some() {
                "Required (or from the profile). "
            } else {
                "Required. "
            });
        }
        if flag.deprecated {
            text.push_str("Deprecated. ");
        }
        text.push_str(flag.description);
        if !flag.constraint.is_empty() {
            text.push(' ');
            text.push_str(flag.constraint);
        }
        if let Some(default) = flag.default {
            text.push_str(&format!(" Default: {default}."));
        }
        if let Some((_, key)) = profile {
            text.push_str(&format!(" When omitted, the profile's {key} is used."));
        }
        rows.push((head, text));
    }
    let mut globals = vec![
        (
            "-o, --output string".to_owned(),
            "Output format: json, pretty or table (default: pretty JSON on a terminal, compact JSON otherwise).".to_owned(),
        ),
        (
            "--outputFile string".to_owned(),
            "Write the response body to this file (also --output-file).".to_owned(),
        ),
        (
            "-P, --profile string".to_owned(),
            "The profile to read credentials and defaults from.".to_owned(),
        ),
        ("--dry-run".to_owned(), "Validate and print the request as a curl command; send nothing.".to_owned()),
        ("-h, --help".to_owned(), "Help for this command.".to_owned()),
    ];
    if app.profile.is_none() {
        globals.remove(2);
    }
    if command.paginated {
        globals.insert(
            0,
            (
                "--all".to_owned(),
                "Every item across all pages, one JSON document per line.".to_owned(),
            ),
        );
    }
    if let Some(media) = command.body {
        globals.insert(
            0,
            (
                "--file string".to_owned(),
                format!("The request body ({media}) from this file, or - for stdin."),
            ),
        );
    }
    let mut known: Vec<&str> = versions
        .iter()
        .map(|c| c.version)
        .filter(|v| !v.is_empty())
        .collect();
    known.sort_unstable();
    if !known.is_empty() {
        globals.push((
            "--version string".to_owned(),
            format!(
                "API version: {} (default {}).",
                known.join(", "),
                default_version(versions).version
            ),
        ));
    }
    rows.extend(globals);
    let width = rows.iter().map(|(h, _)| h.len()).max().unwrap_or(0).min(30);
    for (head, text) in rows {
        let indent = width + 5;
        if head.len() > width {
            out.push_str(&format!("  {head}\n{}", " ".repeat(indent)));
        } else {
            out.push_str(&format!("  {head:<width$}   "));
        }
        let wrapped = wrap(&text, indent);
        out.push_str(wrapped.trim_start());
    }
    out.push('\n');
    out.push_str(EXIT_CODES);
    out
}

fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(at) => &line[..=at],
        None => line,
    }
}

/// Text wrapped at 100 columns, each line after the first indented, paragraphs kept.
fn wrap(text: &str, indent: usize) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let mut column = indent;
        let mut first = true;
        for word in paragraph.split_whitespace() {
            if !first && column + 1 + word.chars().count() > 100 {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                column = indent;
            } else if !first {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += word.chars().count();
            first = false;
        }
        out.push('\n');
        if indent == 0 {
            out.push('\n');
        } else {
            out.push_str(&" ".repeat(indent));
        }
    }
    if indent > 0 {
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

fn completion(app: &App, shell: &str) -> Result<String, Failure> {
    let bin = app.binary;
    let function = format!("_{}", bin.replace(['-', '.'], "_"));
    Ok(match shell {
        "bash" => format!(
            "# bash completion for {bin}: source it, or put it in your bash-completion directory\n{function}() {{\n    local IFS=$'\\n'\n    COMPREPLY=($({bin} __complete \"${{COMP_WORDS[@]:1:COMP_CWORD}}\"))\n}}\ncomplete -o default -F {function} {bin}\n"
        ),
        "zsh" => format!(
            "#compdef {bin}\n{function}() {{\n    local -a candidates\n    candidates=(\"${{(@f)$({bin} __complete \"${{(@)words[2,CURRENT]}}\")}}\")\n    compadd -a candidates\n}}\ncompdef {function} {bin}\n"
        ),
        "fish" => format!(
            "complete -c {bin} -f -a '({bin} __complete (commandline -opc)[2..-1] (commandline -ct))'\n"
        ),
        other => {
            return Err(Failure::usage(format!(
                "unknown shell {other:?}: bash, zsh or fish"
            )));
        }
    })
}

/// The candidates for the last of `words` (the word being completed), one per line.
fn complete(app: &App, words: &[String]) -> String {
    let Some((current, before)) = words.split_last() else {
        return String::new();
    };
    let positional: Vec<&str> = before
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let mut candidates: Vec<String> = Vec::new();
    match positional.as_slice() {
        [] => candidates.extend(["api".to_owned(), "completion".to_owned()]),
        ["completion"] => candidates.extend(["bash", "zsh", "fish"].map(str::to_owned)),
        ["api"] => candidates.extend(app.tags.iter().map(|t| t.name.to_owned())),
        ["api", tag] => {
            for command in app.commands.iter().filter(|c| same_name(tag, c.tag)) {
                if !candidates.iter().any(|c| c == command.id) {
                    candidates.push(command.id.to_owned());
                }
            }
        }
        ["api", tag, id, ..] => {
            if let Some(command) = app
                .commands
                .iter()
                .find(|c| same_name(tag, c.tag) && same_name(id, c.id))
            {
                candidates.extend(command.flags.iter().map(|f| format!("--{}", f.name)));
                candidates.extend(
                    [
                        "--output",
                        "--outputFile",
                        "--profile",
                        "--dry-run",
                        "--help",
                    ]
                    .map(str::to_owned),
                );
                if command.paginated {
                    candidates.push("--all".to_owned());
                }
                if command.body.is_some() {
                    candidates.push("--file".to_owned());
                }
            }
        }
        _ => {}
    }
    candidates
        .into_iter()
        .filter(|c| c.starts_with(current.as_str()))
        .map(|c| c + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_aliases() {
        assert_eq!(kebab("legacyBackup"), "legacy-backup");
        assert_eq!(
            kebab("listLegacyBackupCheckpoints"),
            "list-legacy-backup-checkpoints"
        );
        assert_eq!(kebab("groupId"), "group-id");
        assert!(same_name("group-id", "groupId"));
    }

    fn never<'c>(_: &'c crate::Client, _: &Args) -> Result<Call<'c>, Failure> {
        Err(Failure::usage("not run"))
    }

    fn versioned(version: &'static str) -> Command {
        Command {
            tag: "t",
            id: "op",
            method: "GET",
            path: "/",
            summary: "",
            description: "",
            deprecated: false,
            version,
            flags: &[],
            body: None,
            paginated: false,
            run: never,
        }
    }

    #[test]
    fn the_newest_dated_version_is_the_default() {
        let commands = [
            versioned("2023-01-01"),
            versioned("preview"),
            versioned("2024-08-05"),
            versioned("2023-02-01"),
        ];
        let versions: Vec<&Command> = commands.iter().collect();
        assert_eq!(default_version(&versions).version, "2024-08-05");
        let undated = [versioned("")];
        let versions: Vec<&Command> = undated.iter().collect();
        assert_eq!(default_version(&versions).version, "");
    }

    #[test]
    fn flags_parse_against_the_table() {
        static FLAGS: &[Flag] = &[
            Flag {
                name: "groupId",
                kind: Kind::String,
                list: false,
                required: true,
                deprecated: false,
                description: "",
                constraint: "",
                default: None,
            },
            Flag {
                name: "envelope",
                kind: Kind::Bool,
                list: false,
                required: false,
                deprecated: false,
                description: "",
                constraint: "",
                default: None,
            },
            Flag {
                name: "ids",
                kind: Kind::Integer,
                list: true,
                required: false,
                deprecated: false,
                description: "",
                constraint: "",
                default: None,
            },
        ];
        let command = Command {
            flags: FLAGS,
            ..versioned("")
        };
        let args: Vec<String> = [
            "--group-id=abc",
            "--envelope",
            "--ids",
            "1,2",
            "--ids=3",
            "-o",
            "table",
            "--output-file",
            "x",
        ]
        .map(str::to_owned)
        .to_vec();
        let (global, given) = parse_flags(&command, &args).unwrap();
        assert_eq!(given.required::<String>("groupId").unwrap(), "abc");
        assert_eq!(given.optional::<bool>("envelope").unwrap(), Some(true));
        assert_eq!(
            given.optional::<Vec<i64>>("ids").unwrap(),
            Some(vec![1, 2, 3])
        );
        assert_eq!(global.format, Some(Format::Table));
        assert_eq!(global.output_file.as_deref(), Some("x"));
        let bad = parse_flags(&command, &["--nope".to_owned()]).unwrap_err();
        assert_eq!(
            (bad.code, bad.message.as_str()),
            (EXIT_USAGE, "unknown flag: --nope")
        );
        let missing = parse_flags(&command, &["--groupId".to_owned()]).unwrap_err();
        assert_eq!(missing.message, "flag needs an argument: --groupId");
    }

    #[test]
    fn tables_show_scalar_fields() {
        let value = serde_json::json!({"results": [{"id": "a", "n": 1, "x": {}}, {"id": "bb", "ok": true}], "totalCount": 2});
        assert_eq!(table(&value), "id   n   ok\na    1\nbb       true\n");
    }
}
