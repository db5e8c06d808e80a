//! The intermediate representation: what the generated client contains.
//!
//! The IR is independent of OpenAPI (no `openapiv3` types) and of Rust syntax (no tokens).
//! `lower` builds it from a spec; `emit` turns it into code; tests snapshot its `Debug`
//! rendering so that a spec change shows as a readable diff of what the client offers.
//!
//! Every name appears twice: `api_name` is the spelling on the wire (for `serde(rename)`,
//! query keys, path templates) and `rust_name` is the identifier in code, decided once by
//! `names`. Every item keeps `origin`, the JSON pointer it was lowered from, so that later
//! errors can point back into the spec.
//!
//! The API also records what lowering decided on the spec's behalf: every name that is not
//! the plain spelling of its API name ([`Rename`]) and everything the spec said that the
//! client does not do as written ([`Warning`]: a fallback type, a skipped operation, a
//! repaired defect). The summary snapshot lists both, so a reviewer sees each decision.

/// A whole API: everything one generated crate contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`: the API's version, not OpenAPI's.
    pub version: String,
    /// The spec's `info.description`, which the crate docs open with.
    pub description: Option<String>,
    /// Server URLs in spec order; the first is the client's default base URL.
    pub servers: Vec<String>,
    /// The spec's top-level `tags` that have a description, in spec order: the command
    /// line's help for each tag.
    pub tags: Vec<Tag>,
    /// Sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Alternatives: any one requirement satisfies the API (OpenAPI's global `security`);
    /// empty means no credentials. When the spec declares schemes but no requirement
    /// anywhere, lowering makes each scheme an alternative (and warns).
    pub security: Vec<SecurityRequirement>,
    /// Every operation the client offers, in spec order, one per version of a versioned
    /// operation. A skipped operation is not here (its warning is).
    pub operations: Vec<Operation>,
    /// Named types, indexed by `TypeId`.
    pub types: Vec<TypeDef>,
    /// Names that differ from the plain spelling of their API name, in the order decided.
    pub renames: Vec<Rename>,
    /// What the client does not do as the spec says, in the order found.
    pub warnings: Vec<Warning>,
    /// The property names, normalised (lower case, no `_` or `-`), that an error body of
    /// no documented type is searched for at run time: its code, then its message.
    pub error_names: ErrorNames,
}

/// A tag the spec describes (its top-level `tags`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag as operations name it.
    pub name: String,
    /// Its description (CommonMark), as the spec gives it.
    pub description: String,
}

/// Property names of error bodies, normalised as [`normalise_property`] does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorNames {
    /// Names of a property holding the error's code (the configuration's `errors.code`);
    /// the first one present wins.
    pub code: Vec<String>,
    /// Names of a property holding the error's message (the configuration's
    /// `errors.message`); the first one present wins.
    pub message: Vec<String>,
}

/// A property name as error-body names compare: lower case, without `_` and `-`.
pub fn normalise_property(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What kind of item a name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    /// A named type ([`TypeDef`]).
    Type,
    /// A struct field ([`Field`]).
    Field,
    /// An operation's parameter ([`Parameter`]): an argument and a builder method.
    Parameter,
    /// An operation's method on the client ([`Operation`]).
    Operation,
    /// A variant of an enum ([`Variant`]).
    EnumValue,
    /// A variant of a union ([`UnionVariant`]).
    UnionVariant,
    /// The variant of an open enum or a union that keeps values the spec does not list.
    CatchAll,
    /// The `ClientBuilder` method that takes a security scheme's credentials.
    BuilderMethod,
}

impl NameKind {
    /// The kind as the summary's list of renames spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Type => "type",
            NameKind::Field => "field",
            NameKind::Parameter => "parameter",
            NameKind::Operation => "operation",
            NameKind::EnumValue => "enum value",
            NameKind::UnionVariant => "union variant",
            NameKind::CatchAll => "catch-all",
            NameKind::BuilderMethod => "builder method",
        }
    }
}

/// A Rust name other than the plain spelling of the API name: two items wanted one name
/// and this one yielded, or the configuration beside the spec chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    /// What kind of item was renamed.
    pub kind: NameKind,
    /// The JSON pointer of the item named (also the key that renames it in the configuration).
    pub origin: String,
    /// The name the spelling rules give.
    pub plain: String,
    /// The name the item was given instead.
    pub rust_name: String,
    /// Why: the item that kept the plain name, or the configuration.
    pub reason: String,
}

/// What a warning reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// A schema the generator cannot express became a more general type
    /// (`serde_json::Value`, or bytes for a body).
    Fallback,
    /// An operation the generator cannot express was left out.
    Skipped,
    /// A defect in the spec was repaired as the message says.
    Repaired,
}

impl WarningKind {
    /// The kind as the summary's list of warnings spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Fallback => "fallback",
            WarningKind::Skipped => "skipped",
            WarningKind::Repaired => "repaired",
        }
    }
}

/// Something the spec says that the client does not do as written, and what it does instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// What kind of decision the warning reports.
    pub kind: WarningKind,
    /// The JSON pointer of the construct.
    pub origin: String,
    /// What is wrong or unsupported.
    pub message: String,
    /// What the generator did instead.
    pub action: String,
}

impl Api {
    /// The named type `id` indexes.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

impl Field {
    /// Whether a value must be present in every instance of the containing type: required
    /// by the spec, and not a readOnly property of a type that requests carry, nor a
    /// writeOnly property of a type that responses carry.
    pub fn always_present(&self, owner: &TypeDef) -> bool {
        self.required
            && !(self.read_only && owner.in_request)
            && !(self.write_only && owner.in_response)
    }
}

/// An index into `Api::types`. Reserved for every component before any body is lowered,
/// so forward and circular references resolve without special cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A security scheme the spec declares (`components/securitySchemes`), as the client
/// applies it. Schemes the client cannot use at all are not here (lowering warns); a
/// requirement naming one is never met.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The name requirements use, and the key the executor looks its credentials up by.
    pub api_name: String,
    /// The spec's description: the builder method's docs, or the crate docs' for the
    /// schemes the fixed methods configure.
    pub description: Option<String>,
    /// How the client gets the scheme's credentials onto a request.
    pub kind: SecuritySchemeKind,
}

/// How a scheme gets its credentials onto a request.
#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    /// `type: http, scheme: digest`: the client answers the server's challenge itself,
    /// from a username and password given to the support module's `digest_auth`, which
    /// configures every Digest scheme of the spec.
    Digest,
    /// `type: oauth2` with a `clientCredentials` flow: the client fetches and renews the
    /// token itself, from the `ServiceAccount` given to the support module's
    /// `service_account`, which configures every such scheme. When the scheme has other
    /// flows as well, `caller` is how the caller may supply a token instead.
    ClientCredentials {
        /// The flow's `tokenUrl` (the crate's `OAUTH_TOKEN_URL`, of the first such scheme).
        token_url: String,
        /// How the caller may supply a token of the scheme's other flows instead, when
        /// it has any.
        caller: Option<Supplied>,
    },
    /// Credentials the caller supplies through a builder method named after the scheme.
    Supplied(Supplied),
}

/// Credentials the caller supplies, and the `ClientBuilder` method that takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Supplied {
    /// The builder method, named after the scheme (`api_key_auth`); unique among the
    /// builder's methods.
    pub method: String,
    /// What the method takes, and where the client sends it.
    pub credential: Credential,
}

/// What the caller supplies and where the client sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// `type: http, scheme: basic`: a username and password, sent as
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// `type: apiKey`: a key sent as is, under `name`, in a header, the query or a cookie.
    ApiKey {
        /// The header, query parameter or cookie name, as sent.
        name: String,
        /// Where the key goes: the scheme's `in`.
        location: ApiKeyLocation,
    },
    /// A token the caller's `TokenSource` supplies before each request, sent as
    /// `Authorization: <prefix> <token>`.
    Token {
        /// The authentication scheme name sent before the token: `Bearer`, or the
        /// spec's `scheme` for another HTTP scheme.
        prefix: String,
        /// The kind of scheme the token is for, which the method's docs name.
        origin: TokenOrigin,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header (`in: header`).
    Header,
    /// A query parameter (`in: query`).
    Query,
    /// A cookie of the `Cookie` header (`in: cookie`).
    Cookie,
}

/// Which kind of scheme a token comes from, for the builder method's documentation.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenOrigin {
    /// `type: http` with `scheme: bearer` (`format` is its `bearerFormat`, such as `JWT`)
    /// or another scheme the client cannot run itself, whose credentials the token is.
    Http {
        /// The scheme's `bearerFormat`, when it has one.
        format: Option<String>,
    },
    /// `type: oauth2` flows the client cannot run (it has no user to send to a browser):
    /// `authorizationCode`, `implicit`, `password`, by those names.
    OAuth2 {
        /// The names of the flows, in spec order; empty when the scheme has none of them.
        flows: Vec<String>,
    },
    /// `type: openIdConnect`, with its discovery URL.
    OpenIdConnect {
        /// The scheme's `openIdConnectUrl`.
        url: String,
    },
}

/// One way to satisfy security: every named scheme applied together. No schemes means
/// the request may go without credentials. (Scopes are not kept: the client only sends
/// the credentials it is given, and a supplied token carries its own scopes.)
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// Scheme names, as in [`SecurityScheme::api_name`], in spec order.
    pub schemes: Vec<String>,
}

/// The HTTP method of an operation: the methods a path item may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method as sent on the wire, in upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// RFC 9110 section 9.2.2: methods a client may repeat without changing the outcome.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// An operation: one method of the client, and the request it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId`, or the method and path (`get /pets/{id}`) when it has none.
    pub api_name: String,
    /// The client method's name.
    pub rust_name: String,
    /// Name of the request builder type.
    pub builder_name: String,
    /// JSON pointer of the operation (`/paths/~1pets/get`).
    pub origin: String,
    /// The HTTP method the request is sent with.
    pub method: Method,
    /// The path template as the spec spells it (`/pets/{id}`).
    pub path: String,
    /// The path template split into literal text and path parameters, in order.
    pub path_segments: Vec<PathSegment>,
    /// The spec's `summary`.
    pub summary: Option<String>,
    /// The spec's `description`.
    pub description: Option<String>,
    /// The spec marks the operation deprecated.
    pub deprecated: bool,
    /// The spec's `tags`, in spec order.
    pub tags: Vec<String>,
    /// The parameters the request builder sends: the path item's, then the operation's
    /// (which replace a path item's of the same name and location). An optional one the
    /// client cannot send is left out (with a warning). [`PathSegment::Parameter`] and
    /// [`Pagination`] index them.
    pub parameters: Vec<Parameter>,
    /// The body the request carries, when the spec documents one.
    pub request_body: Option<RequestBody>,
    /// The documented responses, in spec order, with `default` last.
    pub responses: Vec<Response>,
    /// `None` inherits the API's security; otherwise alternatives (any one, tried in
    /// order), and `Some(vec![])` means no credentials.
    pub security: Option<Vec<SecurityRequirement>>,
    /// How to walk the pages of the result, when the operation is paginated.
    pub pagination: Option<Pagination>,
    /// The media type this operation was narrowed to, when the spec offers the
    /// operation in several versions (one IR operation per version).
    pub version: Option<String>,
}

impl Operation {
    /// The responses a caller gets as `Ok`: every 2xx.
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// The responses a caller gets as errors: every status outside 2xx, `default` included.
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

/// A piece of an operation's path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Text between parameters, as the template spells it.
    Literal(String),
    /// Index into `Operation::parameters`.
    Parameter(usize),
}

/// Where a parameter goes: OpenAPI's `in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterLocation {
    /// Substituted into the path template.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie of the `Cookie` header.
    Cookie,
}

/// Where a parameter goes and how its value is written there: OpenAPI 3.0's `in`, `style`,
/// `explode` and `allowReserved`, as the combinations the specification defines (its
/// "Style Values" and "Style Examples" tables). A style that does not belong to a
/// location cannot be written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A value substituted into the path template, percent-encoded.
    Path {
        /// How the value is written into the path.
        style: PathStyle,
        /// Whether arrays and objects are spread out.
        explode: bool,
    },
    /// One or more pairs of the query string, written as the style says.
    Query(QueryStyle),
    /// A request header (`simple` style: items and entries joined by commas; an exploded
    /// object as `key=value` entries).
    Header {
        /// Whether an object is written as `key=value` entries rather than alternating
        /// keys and values.
        explode: bool,
    },
    /// One or more `name=value` pairs of the `Cookie` header (`form` style).
    Cookie {
        /// Whether arrays and objects are spread over several pairs.
        explode: bool,
    },
}

impl Placement {
    /// Where the value goes, without how it is written.
    pub fn location(self) -> ParameterLocation {
        match self {
            Placement::Path { .. } => ParameterLocation::Path,
            Placement::Query(_) => ParameterLocation::Query,
            Placement::Header { .. } => ParameterLocation::Header,
            Placement::Cookie { .. } => ParameterLocation::Cookie,
        }
    }

    /// Whether arrays and objects are spread out (OpenAPI's `explode`).
    pub fn explode(self) -> bool {
        match self {
            Placement::Path { explode, .. }
            | Placement::Header { explode }
            | Placement::Cookie { explode } => explode,
            Placement::Query(style) => match style {
                QueryStyle::Form { explode, .. } => explode,
                QueryStyle::DeepObject => true,
                QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited => false,
            },
        }
    }
}

/// The `style` of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `blue`, `blue,black`, `R,100,G,200` (`R=100,G=200` exploded).
    Simple,
    /// `.blue`, `.blue,black` (`.blue.black` exploded).
    Label,
    /// `;color=blue`, `;color=blue,black` (`;color=blue;color=black` exploded).
    Matrix,
}

/// The `style` of a query parameter, with what only it defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `color=blue,black` (`color=blue&color=black` exploded; an exploded object is its
    /// own keys). `allow_reserved` sends RFC 3986 reserved characters of values as they
    /// are instead of percent-encoded.
    Form {
        /// Whether arrays and objects are spread over several pairs.
        explode: bool,
        /// OpenAPI's `allowReserved`.
        allow_reserved: bool,
    },
    /// An array or object joined by `%20` (explode `false`, the only one defined).
    SpaceDelimited,
    /// An array or object joined by `|` (explode `false`, the only one defined).
    PipeDelimited,
    /// An object as `color[R]=100&color[G]=200` (explode `true`, the only one defined).
    DeepObject,
}

/// A parameter of an operation: a path, query, header or cookie value.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub api_name: String,
    /// The argument's (and builder method's) name.
    pub rust_name: String,
    /// JSON pointer of the parameter's definition.
    pub origin: String,
    /// Where the value goes and how it is written there.
    pub placement: Placement,
    /// The value's media type when the spec describes it by `content` rather than a
    /// schema and a style: the value is then written as its JSON text, as one string.
    pub media_type: Option<String>,
    /// The spec requires the parameter (as it must, for a path parameter): it is an
    /// argument of the client method rather than a builder method.
    pub required: bool,
    /// The spec marks the parameter deprecated.
    pub deprecated: bool,
    /// The spec's `description`.
    pub description: Option<String>,
    /// The value's type.
    pub ty: TypeRef,
    /// The validation keywords of the parameter's schema.
    pub constraints: Constraints,
    /// The schema's `default`: the value the server assumes when the parameter is not sent.
    pub default: Option<Literal>,
    /// An example value from the parameter or its schema.
    pub example: Option<Literal>,
}

impl Parameter {
    /// Where the parameter goes.
    pub fn location(&self) -> ParameterLocation {
        self.placement.location()
    }
}

/// An operation's request body: one or more media types, of which the caller sends one.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a request without a body is invalid (it is never sent).
    pub required: bool,
    /// The spec's `description`.
    pub description: Option<String>,
    /// The media types the client can send, in spec order, at least one. A media type it
    /// cannot send as the spec says is left out with a warning; an operation left with
    /// none of them is skipped (the body may be required).
    pub content: Vec<Content>,
}

/// The status a response is documented for: a key of the spec's `responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `1XX` .. `5XX`, holding the leading digit.
    Range(u8),
    /// `default`: every status no other key documents.
    Default,
}

impl Status {
    /// Whether the status is 2xx (`default` never is).
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(digit) => digit == 2,
            Status::Default => false,
        }
    }
}

/// A documented response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status (or statuses) it is documented for.
    pub status: Status,
    /// The spec's `description` (which OpenAPI requires).
    pub description: String,
    /// Empty when the response has no body (for example 204).
    pub content: Vec<Content>,
}

/// One media type of a request or response body and how the client exchanges it.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as the spec spells it: the request's `Content-Type`, a response's
    /// entry in `Accept`.
    pub media_type: String,
    /// How a body of this media type is written or read.
    pub body: Body,
}

/// How a body is written or read. Response bodies are only ever `Json`, `Text` or
/// `Bytes`; `Form` and `Multipart` are request bodies only.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON document of this type: `application/json` (with any parameters, such as
    /// `; charset=utf-8`), any `+json` suffix (`application/problem+json`, vendor types)
    /// and `text/json`.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: a value of this type, serialized to a JSON
    /// object whose properties become the form's fields, each written as its
    /// [`FormField`] says (a property without one as [`FieldEncoding::Default`]). A value
    /// that is not an object is an encoding error before anything is sent.
    Form(FormBody),
    /// `multipart/form-data`: the fields of a struct (the caller's type is a struct of
    /// the operation's own, with files for binary properties), one part per field (an
    /// array property: one part per item), in the struct's order.
    Multipart(MultipartBody),
    /// `text/*` (except `text/json`): a `String`, sent and read as UTF-8 text.
    Text,
    /// Anything else (`application/octet-stream`, `*/*`, images, `application/xml`):
    /// raw bytes, sent with this media type and read without decoding.
    Bytes,
}

impl Body {
    /// The type of the models this body is written from or read into, if any.
    pub fn type_ref(&self) -> Option<&TypeRef> {
        match self {
            Body::Json(ty) => Some(ty),
            Body::Form(form) => Some(&form.ty),
            Body::Multipart(multipart) => Some(&multipart.ty),
            Body::Text | Body::Bytes => None,
        }
    }
}

/// The type and per-property encoding of a form-urlencoded body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormBody {
    /// The body's type; any type that serializes to a JSON object (a struct, a union of
    /// structs, a map).
    pub ty: TypeRef,
    /// How each property the spec's `encoding` object names is written, in its order;
    /// every other property is written as [`FieldEncoding::Default`].
    pub fields: Vec<FormField>,
}

/// How one property of a form-urlencoded body is written.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// The property's API name, the form field's name.
    pub api_name: String,
    pub encoding: FieldEncoding,
}

/// The encoding of a form-urlencoded property: OpenAPI's `style` and `explode` (as for
/// query parameters) where the spec's `encoding` gives them, JSON text otherwise for
/// objects. Scalars are their text in every style; `null` and absent properties are left
/// out; array items that are objects are JSON text in every style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldEncoding {
    /// No `style` in the spec: an array as one field per item (`a=1&a=2`, the default
    /// `form` style), an object as JSON text (its default `contentType` is
    /// `application/json`).
    Default,
    /// `style: form`: exploded, an array as `a=1&a=2` and an object as `x=1&y=2`; not
    /// exploded, `a=1,2` and `o=x,1,y,2`.
    Form { explode: bool },
    /// `style: spaceDelimited`: an array as `a=1 2` (the space encoded).
    SpaceDelimited,
    /// `style: pipeDelimited`: an array as `a=1|2`.
    PipeDelimited,
    /// `style: deepObject`: an object as `o[x]=1&o[y]=2`.
    DeepObject,
    /// The value as JSON text, whatever its type: the property's `contentType` is JSON.
    Json,
}

/// The struct and parts of a multipart/form-data body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartBody {
    /// The body's struct type, always a named struct of the models; the operation's own
    /// multipart struct has its fields, with [`Part::file`] ones holding files.
    pub ty: TypeRef,
    /// One per field of the struct that is not readOnly, in the struct's order.
    pub parts: Vec<Part>,
}

/// One field of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The property's API name, the part's `name`.
    pub api_name: String,
    /// A `format: binary` string (or an array of them): the caller gives a file (bytes
    /// or a path streamed when sent), sent with a filename.
    pub file: bool,
    /// The part's `Content-Type` from `encoding.contentType` (of a list such as
    /// `image/png, image/jpeg`, the first type that is not a wildcard), or OpenAPI 3.0's
    /// default:
    /// `application/octet-stream` for a file, `application/json` for an object (or
    /// an array of objects), `text/plain` for anything else. A file's own content
    /// type, when the caller sets one, wins.
    pub content_type: String,
}

/// Page-number pagination as Atlas (and many APIs) spell it: a page number and a page size
/// in the query, and a response object with the items and an optional total.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Index into `Operation::parameters` of the page number.
    pub page_parameter: usize,
    /// Index into `Operation::parameters` of the page size.
    pub size_parameter: usize,
    /// API name of the array field holding the items.
    pub items_field: String,
    /// API name of the total-count field, when the response has one.
    pub total_field: Option<String>,
    /// The type of each item.
    pub item_type: TypeRef,
}

/// A named type: a component schema, or an inline schema that needs a name in Rust.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The type's own index into `Api::types`.
    pub id: TypeId,
    /// The component name, or the dotted path of an inline schema.
    pub api_name: String,
    /// The Rust type's name.
    pub rust_name: String,
    /// JSON pointer of the schema the type was lowered from.
    pub origin: String,
    /// The schema's `title`.
    pub title: Option<String>,
    /// The schema's `description`.
    pub description: Option<String>,
    /// The spec marks the schema deprecated.
    pub deprecated: bool,
    /// What the type is.
    pub kind: TypeKind,
    /// Whether the type is reachable from a request body, and from a response body:
    /// readOnly properties are optional in the first, writeOnly ones in the second.
    pub in_request: bool,
    /// Whether the type is reachable from a response body (see `in_request`).
    pub in_response: bool,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with properties.
    Struct(Struct),
    /// A string or integer `enum`.
    Enum(Enum),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// A scalar with constraints, emitted as a validated newtype.
    Constrained(Constrained),
    /// Another name for a type (a component that is only a reference, array or map).
    Alias(TypeRef),
}

/// An object schema with properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The properties in spec order, then the flattened parts.
    pub fields: Vec<Field>,
    /// Type of `additionalProperties` values when the object allows extra keys.
    pub additional_properties: Option<TypeRef>,
    /// API name of the field holding an error code (a string or a string enum), for a type
    /// that error responses carry (by the configuration's `errors.code` names).
    pub error_code: Option<String>,
    /// API name of the string field holding an error message, for a type that error
    /// responses carry (by the configuration's `errors.message` names).
    pub error_message: Option<String>,
}

/// A field of a struct: one property, or a flattened part.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire (for a flattened part, its field name).
    pub api_name: String,
    /// The field's name.
    pub rust_name: String,
    /// The property's `description`.
    pub description: Option<String>,
    /// The value's type, without the `Option` that absence or `null` adds.
    pub ty: TypeRef,
    /// The object's `required` lists the property (always true of a flattened part); see
    /// [`Field::always_present`].
    pub required: bool,
    /// The value may be `null`: `nullable`, or a `null` alternative of the schema.
    pub nullable: bool,
    /// The property is `readOnly`: the server sends it, a request need not.
    pub read_only: bool,
    /// The property is `writeOnly`: a request sends it, the server need not.
    pub write_only: bool,
    /// The spec marks the property deprecated.
    pub deprecated: bool,
    /// The validation keywords of the property's schema.
    pub constraints: Constraints,
    /// The property's `default`: the value the server assumes when it is absent.
    pub default: Option<Literal>,
    /// An example value from the property's own schema (what requests built for the
    /// conformance test use before building one from the constraints).
    pub example: Option<Literal>,
    /// The reference closes a cycle back to the containing type, so it needs a `Box`.
    pub boxed: bool,
    /// The field holds a part of the object rather than one property (an `allOf` part that
    /// is a union): its keys sit beside the other fields' on the wire (`serde(flatten)`).
    pub flatten: bool,
}

/// An open enum: the values the spec lists, and a catch-all variant for any other.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// What the values are on the wire.
    pub repr: EnumRepr,
    /// The listed values, in spec order, without repeats.
    pub variants: Vec<Variant>,
    /// The variant for values the spec does not list: `Unknown`, unless a value has that name.
    pub catch_all: String,
}

/// The JSON type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value on the wire: a `Literal::String` or a `Literal::Int`.
    pub value: Literal,
    /// The variant's name.
    pub rust_name: String,
}

/// `oneOf`/`anyOf`, tagged by a discriminator property when the spec has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// API name of the discriminator property (`discriminator.propertyName`).
    pub discriminator: Option<String>,
    /// The alternatives, in spec order.
    pub variants: Vec<UnionVariant>,
    /// The variant for values no alternative takes: `Unknown`, unless a variant has that name.
    pub catch_all: String,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The variant's name.
    pub rust_name: String,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// The alternative's type.
    pub ty: TypeRef,
}

/// A scalar whose values are restricted beyond their type.
#[derive(Debug, Clone, PartialEq)]
pub struct Constrained {
    /// The type the newtype wraps.
    pub base: Primitive,
    /// What construction checks.
    pub constraints: Constraints,
}

/// A reference to a type from a field, parameter or body.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type of `Api::types`.
    Named(TypeId),
    /// A scalar.
    Primitive(Primitive),
    /// A JSON array of this type.
    Array(Box<TypeRef>),
    /// A JSON object with string keys and values of this type.
    Map(Box<TypeRef>),
    /// Any JSON value (a free-form object or an untyped schema).
    Any,
}

/// Where a type reference stands inside a named type, for passes that treat them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The struct field of this index.
    Field(usize),
    /// A struct's `additionalProperties` values.
    AdditionalProperties,
    /// The union variant of this index.
    Variant(usize),
    /// What an alias stands for.
    Alias,
}

impl TypeRef {
    /// The named type this reference holds directly (no array or map in between).
    pub fn direct(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// The innermost reference: through arrays and maps, to what they hold.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.innermost(),
            other => other,
        }
    }
}

impl TypeKind {
    /// Every type reference in this kind, where it stands: the one walk over the IR that
    /// the passes after lowering (boxing, directions, alias cycles) share.
    pub fn refs(&self) -> Vec<(Slot, &TypeRef)> {
        match self {
            TypeKind::Struct(s) => {
                let fields = s.fields.iter().enumerate();
                let mut out: Vec<(Slot, &TypeRef)> =
                    fields.map(|(i, f)| (Slot::Field(i), &f.ty)).collect();
                if let Some(ty) = &s.additional_properties {
                    out.push((Slot::AdditionalProperties, ty));
                }
                out
            }
            TypeKind::Union(u) => u
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| (Slot::Variant(i), &v.ty))
                .collect(),
            TypeKind::Alias(ty) => vec![(Slot::Alias, ty)],
            TypeKind::Enum(_) | TypeKind::Constrained(_) => Vec::new(),
        }
    }
}

/// A scalar type: OpenAPI's `type` and the `format`s the client gives a type of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// `string` of any other format.
    String,
    /// `boolean`.
    Bool,
    /// `integer` with `format: int32`.
    I32,
    /// `integer` of any other format.
    I64,
    /// `number` with `format: float`.
    F32,
    /// `number` of any other format.
    F64,
    /// `string` with `format: date-time` (RFC 3339).
    DateTime,
    /// `string` with `format: date` (RFC 3339 `full-date`).
    Date,
    /// `string` with `format: uuid`.
    Uuid,
    /// `string` with `format: binary` inside JSON, which gives it no standard encoding: kept
    /// as the text sent. (A binary body is [`Body::Bytes`].)
    Binary,
}

/// The validation keywords of a schema, kept as data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `format` as the spec spells it, including formats no [`Primitive`] stands for.
    pub format: Option<String>,
    /// `pattern`: an ECMA-262 regular expression the string must match. One that is not
    /// valid ECMA-262 is left out (with a warning), so values are not checked against it.
    pub pattern: Option<String>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<Number>,
    /// `maximum`.
    pub maximum: Option<Number>,
    /// `exclusiveMinimum`: `minimum` itself is not allowed.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`: `maximum` itself is not allowed.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<Number>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// The constraints of an array's items, where the items are of an unnamed type (a
    /// named item type carries its own): the `format` of a plain string item, for one.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether anything here restricts a value beyond its type.
    pub fn restricts(&self) -> bool {
        self.pattern.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.minimum.is_some()
            || self.maximum.is_some()
            || self.multiple_of.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items
    }
}

/// A numeric bound, as the schema's type gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A bound of an `integer` schema.
    Int(i64),
    /// A bound of a `number` schema.
    Float(f64),
}

/// A constant from the spec: a default, an example or an enum value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits an `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    String(String),
    /// Arrays and objects, kept as their JSON text.
    Json(String),
}
