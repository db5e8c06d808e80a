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
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Server URLs in spec order; the first is the client's default base URL.
    pub servers: Vec<String>,
    /// Sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Alternatives: any one requirement satisfies the API (OpenAPI's global `security`);
    /// empty means no credentials. When the spec declares schemes but no requirement
    /// anywhere, lowering makes each scheme an alternative (and warns).
    pub security: Vec<SecurityRequirement>,
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

/// Property names of error bodies, normalised as [`normalise_property`] does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorNames {
    pub code: Vec<String>,
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
    Type,
    Field,
    Parameter,
    Operation,
    EnumValue,
    UnionVariant,
    /// The variant of an open enum or a union that keeps values the spec does not list.
    CatchAll,
    /// The `ClientBuilder` method that takes a security scheme's credentials.
    BuilderMethod,
}

impl NameKind {
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
    pub kind: NameKind,
    /// The JSON pointer of the item named (also the key that renames it in the configuration).
    pub origin: String,
    pub api_name: String,
    /// The name the spelling rules give.
    pub plain: String,
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
    pub kind: WarningKind,
    /// The JSON pointer of the construct.
    pub origin: String,
    /// What is wrong or unsupported.
    pub message: String,
    /// What the generator did instead.
    pub action: String,
}

impl Api {
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
        location: ApiKeyLocation,
    },
    /// A token the caller's `TokenSource` supplies before each request, sent as
    /// `Authorization: <prefix> <token>`.
    Token {
        /// The authentication scheme name sent before the token: `Bearer`, or the
        /// spec's `scheme` for another HTTP scheme.
        prefix: String,
        origin: TokenOrigin,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// Which kind of scheme a token comes from, for the builder method's documentation.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenOrigin {
    /// `type: http` with `scheme: bearer` (`format` is its `bearerFormat`, such as `JWT`)
    /// or another scheme the client cannot run itself, whose credentials the token is.
    Http { format: Option<String> },
    /// `type: oauth2` flows the client cannot run (it has no user to send to a browser):
    /// `authorizationCode`, `implicit`, `password`, by those names.
    OAuth2 { flows: Vec<String> },
    /// `type: openIdConnect`, with its discovery URL.
    OpenIdConnect { url: String },
}

/// One way to satisfy security: every named scheme applied together. No schemes means
/// the request may go without credentials. (Scopes are not kept: the client only sends
/// the credentials it is given, and a supplied token carries its own scopes.)
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// Scheme names, as in [`SecurityScheme::api_name`], in spec order.
    pub schemes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
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

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub api_name: String,
    pub rust_name: String,
    /// Name of the request builder type.
    pub builder_name: String,
    pub origin: String,
    pub method: Method,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// `None` inherits the API's security; otherwise alternatives (any one, tried in
    /// order), and `Some(vec![])` means no credentials.
    pub security: Option<Vec<SecurityRequirement>>,
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

    /// The responses that are errors with a documented body.
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::parameters`.
    Parameter(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
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
        style: PathStyle,
        explode: bool,
    },
    Query(QueryStyle),
    /// A request header (`simple` style: items and entries joined by commas; an exploded
    /// object as `key=value` entries).
    Header {
        explode: bool,
    },
    /// One or more `name=value` pairs of the `Cookie` header (`form` style).
    Cookie {
        explode: bool,
    },
}

impl Placement {
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
    Form { explode: bool, allow_reserved: bool },
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
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub default: Option<Literal>,
    /// An example value from the parameter or its schema.
    pub example: Option<Literal>,
}

impl Parameter {
    pub fn location(&self) -> ParameterLocation {
        self.placement.location()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub content: Vec<Content>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `1XX` .. `5XX`, holding the leading digit.
    Range(u8),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(digit) => digit == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// Empty when the response has no body (for example 204).
    pub content: Vec<Content>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub media_type: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON document (`application/json` or any `+json` suffix) of this type.
    Json(TypeRef),
    /// Anything else, exchanged as raw bytes.
    Bytes,
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
    pub item_type: TypeRef,
}

/// A named type: a component schema, or an inline schema that needs a name in Rust.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    /// The component name, or the dotted path of an inline schema.
    pub api_name: String,
    pub rust_name: String,
    pub origin: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Whether the type is reachable from a request body, and from a response body:
    /// readOnly properties are optional in the first, writeOnly ones in the second.
    pub in_request: bool,
    pub in_response: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A scalar with constraints, emitted as a validated newtype.
    Constrained(Constrained),
    /// Another name for a type (a component that is only a reference, array or map).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
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

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub api_name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub constraints: Constraints,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
    /// The variant for values the spec does not list: `Unknown`, unless a value has that name.
    pub catch_all: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub value: Literal,
    pub rust_name: String,
    pub description: Option<String>,
}

/// `oneOf`/`anyOf`, tagged by a discriminator property when the spec has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// The variant for values no alternative takes: `Unknown`, unless a variant has that name.
    pub catch_all: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Constrained {
    pub base: Primitive,
    pub constraints: Constraints,
}

/// A reference to a type from a field, parameter or body.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    Binary,
}

/// The validation keywords of a schema, kept as data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
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

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// A constant from the spec: a default or an enum value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// Arrays and objects, kept as their JSON text.
    Json(String),
}
