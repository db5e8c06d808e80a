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
    pub security_schemes: Vec<SecurityScheme>,
    /// Alternatives: any one requirement satisfies the API (OpenAPI's global `security`).
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

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    pub api_name: String,
    pub description: Option<String>,
    pub kind: SecuritySchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    /// `type: http` with a scheme such as `digest`, `basic` or `bearer`.
    Http { scheme: String },
    /// `type: apiKey`.
    ApiKey {
        name: String,
        location: ParameterLocation,
    },
    /// `type: oauth2` with the client-credentials flow.
    OAuth2ClientCredentials {
        token_url: String,
        scopes: Vec<String>,
    },
    /// Any other flow or scheme type, kept by name so the emitter can decide.
    Other { kind: String },
}

/// One way to satisfy security: all listed schemes together, each with its scopes.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    pub schemes: Vec<(String, Vec<String>)>,
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
    /// `None` inherits the API's security; `Some(vec![])` means no authentication.
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

/// OpenAPI's `style` for serializing a parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    Simple,
    Form,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub api_name: String,
    pub rust_name: String,
    pub origin: String,
    pub location: ParameterLocation,
    pub style: ParameterStyle,
    pub explode: bool,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub default: Option<Literal>,
    /// An example value from the parameter or its schema.
    pub example: Option<Literal>,
}

/// An operation's request body: one or more media types, of which the caller sends one.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a request without a body is invalid (it is never sent).
    pub required: bool,
    pub description: Option<String>,
    /// The media types the client can send, in spec order, at least one. A media type it
    /// cannot send as the spec says is left out with a warning; an operation left with
    /// none of them is skipped (the body may be required).
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

/// One media type of a request or response body and how the client exchanges it.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as the spec spells it: the request's `Content-Type`, a response's
    /// entry in `Accept`.
    pub media_type: String,
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
