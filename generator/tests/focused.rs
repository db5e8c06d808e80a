//! Small specs, one behaviour each: a YAML fragment in, the emitted code (or the error, or
//! the decisions made on the spec's behalf) out, as a snapshot.

fn config() -> generator::Config {
    generator::Config {
        crate_name: "focused".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: "focused.yaml".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        ..Default::default()
    }
}

/// `config()` with the configuration file `codegen.yaml` of this text.
fn configured(text: &str) -> generator::Config {
    let spec_config =
        generator::config::parse(text, "codegen.yaml").unwrap_or_else(|e| panic!("{e}"));
    generator::Config {
        spec_config,
        ..config()
    }
}

/// What the generator decided on the spec's behalf: every rename and every warning (as
/// `cargo xtask codegen` prints it, located), then the types and operations it made.
fn decisions(spec: &str) -> String {
    decisions_with(spec, &config())
}

fn decisions_with(spec: &str, config: &generator::Config) -> String {
    let generated = generator::generate(spec, config).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for rename in &generated.api.renames {
        out.push_str(&format!(
            "rename {} #{}: {} -> {} ({})\n",
            rename.kind.as_str(),
            rename.origin,
            rename.plain,
            rename.rust_name,
            rename.reason
        ));
    }
    for warning in &generated.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out.push('\n');
    for def in &generated.api.types {
        out.push_str(&format!("type {}\n", shape(&generated.api, def)));
    }
    for op in &generated.api.operations {
        let parameters: Vec<&str> = op.parameters.iter().map(|p| p.rust_name.as_str()).collect();
        out.push_str(&format!(
            "operation {} {} -> {}({})\n",
            op.method.as_str(),
            op.path,
            op.rust_name,
            parameters.join(", ")
        ));
    }
    out
}

/// A type as one line: its name and what it holds, with Rust names and, where they differ,
/// API names.
fn shape(api: &generator::ir::Api, def: &generator::ir::TypeDef) -> String {
    use generator::ir::{Literal, TypeKind, TypeRef};
    fn ty(api: &generator::ir::Api, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(id) => api.type_def(*id).rust_name.clone(),
            TypeRef::Primitive(p) => format!("{p:?}"),
            TypeRef::Array(inner) => format!("Vec<{}>", ty(api, inner)),
            TypeRef::Map(inner) => format!("Map<{}>", ty(api, inner)),
            TypeRef::Any => "Value".to_owned(),
        }
    }
    let body = match &def.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    let flatten = if f.flatten { "flatten " } else { "" };
                    let spelled = if f.api_name == generator::names::unraw(&f.rust_name) {
                        String::new()
                    } else {
                        format!(" (`{}`)", f.api_name)
                    };
                    let optional = if f.required { "" } else { "?" };
                    let nullable = if f.nullable { " | null" } else { "" };
                    format!(
                        "{flatten}{}{spelled}{optional}: {}{nullable}",
                        f.rust_name,
                        ty(api, &f.ty)
                    )
                })
                .collect();
            format!("struct {{ {} }}", fields.join(", "))
        }
        TypeKind::Enum(e) => {
            let values: Vec<String> = e
                .variants
                .iter()
                .map(|v| match &v.value {
                    Literal::String(s) => format!("{} = {s:?}", v.rust_name),
                    other => format!("{} = {other:?}", v.rust_name),
                })
                .collect();
            format!("enum {{ {}, {}(..) }}", values.join(", "), e.catch_all)
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| format!("{}({})", v.rust_name, ty(api, &v.ty)))
                .collect();
            format!(
                "union {{ {}, {}(Value) }}",
                variants.join(", "),
                u.catch_all
            )
        }
        TypeKind::Constrained(c) => format!("validated {:?}", c.base),
        TypeKind::Alias(t) => format!("= {}", ty(api, t)),
    };
    format!("{} {body}", def.rust_name)
}

/// The item of `code` that starts with `start`, up to its closing brace.
fn item(code: &str, start: &str) -> String {
    let from = code
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in:\n{code}"));
    // An item inside a runtime macro's call is indented: it ends at its indentation, and
    // is shown without it.
    let indent = &code[code[..from].rfind('\n').map_or(0, |n| n + 1)..from];
    let rest = &code[from..];
    let close = format!("\n{indent}}}\n");
    let end = rest.find(&close).map_or(rest.len(), |e| e + close.len());
    rest[..end]
        .lines()
        .map(|line| format!("{}\n", line.strip_prefix(indent).unwrap_or(line)))
        .collect()
}

/// A spec with these component schemas and no operations.
fn with_schemas(schemas: &str) -> String {
    let indented: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
    )
}

/// A spec with one `GET /things/{id}` operation taking these parameters.
fn with_parameters(parameters: &str) -> String {
    let indented: String = parameters
        .lines()
        .map(|l| format!("        {l}\n"))
        .collect();
    format!(
        "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /things/{{id}}:\n    get:\n      operationId: getThing\n      parameters:\n{indented}      responses:\n        '200':\n          description: OK\n"
    )
}

/// The emitted file, without its header.
fn file(spec: &str, path: &str) -> String {
    let generated = generator::generate(spec, &config()).unwrap_or_else(|e| panic!("{e}"));
    let text = &generated.files[path];
    text.split_once("\n\n")
        .map(|(_, rest)| rest.to_owned())
        .unwrap_or_default()
}

fn error(spec: &str) -> String {
    match generator::generate(spec, &config()) {
        Ok(_) => panic!("the spec was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn keyword_field_names() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    type: {type: string}\n    ref: {type: string}\n    self: {type: string}\n    2fa: {type: boolean}\n  required: [type]",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn string_constraints() {
    let spec = with_parameters(
        "- name: id\n  in: path\n  required: true\n  schema: {type: string, pattern: '^[a-z][a-z0-9-]*$', minLength: 3, maxLength: 10}\n- name: tag\n  in: query\n  schema: {type: string, pattern: '^(?!admin).+$'}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
    assert!(generator::generate(&spec, &config()).unwrap().files["Cargo.toml"].contains("regress"));
}

#[test]
fn number_constraints() {
    let spec = with_parameters(
        "- name: id\n  in: path\n  required: true\n  schema: {type: integer, format: int32, minimum: 1, maximum: 10, exclusiveMaximum: true}\n- name: ratio\n  in: query\n  schema: {type: number, minimum: 0.5, multipleOf: 0.25}\n- name: step\n  in: query\n  schema: {type: integer, minimum: -5, multipleOf: 5}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn operation_with_parameters_in_every_place() {
    let spec = with_parameters(
        "- name: id\n  in: path\n  required: true\n  schema: {type: string}\n- name: when\n  in: query\n  required: true\n  schema: {type: string, format: date-time}\n- name: tags\n  in: query\n  schema: {type: array, minItems: 1, maxItems: 5, uniqueItems: true, items: {type: string}}\n- name: X-Trace\n  in: header\n  schema: {type: string}",
    );
    insta::assert_snapshot!(file(&spec, "src/operations.rs"));
}

#[test]
fn enums() {
    let spec = with_schemas(
        "Size:\n  type: string\n  enum: [M10, M10+, R_40, small]\nLevel:\n  type: integer\n  enum: [1, 2, -3]",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

/// `open_str_enum!` documents each variant as its wire value in a code span; an enum with
/// a value that docs show otherwise (a backtick, an empty value) is written out in full,
/// so its docs read as before.
#[test]
fn an_enum_whose_values_docs_cannot_show_plainly_is_written_in_full() {
    let spec = with_schemas("Mark:\n  type: string\n  enum: ['a`b', '', plain]");
    insta::assert_snapshot!(item(&file(&spec, "src/models.rs"), "pub enum Mark"));
}

#[test]
fn arrays_of_references_and_maps() {
    let spec = with_schemas(
        "Item:\n  type: object\n  properties:\n    name: {type: string}\nBag:\n  type: object\n  required: [items]\n  properties:\n    items:\n      type: array\n      items: {$ref: '#/components/schemas/Item'}\n    byName:\n      type: object\n      additionalProperties: {$ref: '#/components/schemas/Item'}\n    anything: {type: object}\n    nested:\n      type: array\n      items:\n        type: object\n        properties:\n          depth: {type: integer}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn recursion_is_boxed_where_the_cycle_closes() {
    let spec = with_schemas(
        "Node:\n  type: object\n  properties:\n    parent: {$ref: '#/components/schemas/Node'}\n    children:\n      type: array\n      items: {$ref: '#/components/schemas/Node'}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn descriptions_with_markdown_brackets_and_urls() {
    let spec = with_schemas(
        "Doc:\n  description: |-\n    Uses **bold**, a [link](https://example.com/a), a bare https://example.com/b. and [brackets] <tags>.\n\n    ```\n    curl [x] https://example.com\n    ```\n\n    - item `code [y] <z>`\n  type: object\n  properties:\n    a: {type: string}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn invalid_yaml_points_at_the_line() {
    insta::assert_snapshot!(error("openapi: 3.0.1\ninfo: [\n"));
}

#[test]
fn other_openapi_versions_are_refused() {
    insta::assert_snapshot!(error(
        "openapi: 3.1.0\ninfo:\n  title: x\n  version: '1'\npaths: {}\n"
    ));
}

#[test]
fn undeclared_path_parameter_is_an_error() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: x\n  version: '1'\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      responses:\n        '200':\n          description: OK\n";
    insta::assert_snapshot!(error(spec));
}

#[test]
fn all_of_merges_properties_in_order() {
    let spec = with_schemas(
        "Base:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\nDerived:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - type: object\n      properties:\n        extra: {type: integer, format: int64}",
    );
    insta::assert_snapshot!(file(&spec, "src/models.rs"));
}

#[test]
fn one_of_with_a_discriminator_is_a_tagged_enum() {
    let spec = with_schemas(
        "Cat:\n  type: object\n  properties:\n    kind: {type: string}\n    lives: {type: integer}\nDog:\n  type: object\n  properties:\n    kind: {type: string}\n    bark: {type: boolean}\nPet:\n  oneOf:\n    - $ref: '#/components/schemas/Cat'\n    - $ref: '#/components/schemas/Dog'\n  discriminator:\n    propertyName: kind\n    mapping:\n      cat: '#/components/schemas/Cat'\n      kitten: '#/components/schemas/Cat'\n      dog: '#/components/schemas/Dog'",
    );
    let models = file(&spec, "src/models.rs");
    let pet = &models[models.find("pub enum Pet").unwrap()..];
    insta::assert_snapshot!(pet);
}

#[test]
fn a_base_with_a_discriminator_mapping_is_a_tagged_enum_of_its_subtypes() {
    // Atlas's way: the base names its subtypes only in its mapping, and they include it
    // through allOf. A value keeps its subtype's fields; the subtypes stay structs.
    let spec = with_schemas(
        "Role:
  type: object
  required: [provider]
  properties:
    provider: {type: string}
    id: {type: string}
  discriminator:
    propertyName: provider
    mapping:
      GCP: '#/components/schemas/GcpRole'
      AWS: '#/components/schemas/AwsRole'
      AWS_GOV: '#/components/schemas/AwsRole'
AwsRole:
  allOf:
    - $ref: '#/components/schemas/Role'
    - type: object
      properties:
        arn: {type: string}
GcpRole:
  allOf:
    - $ref: '#/components/schemas/Role'
    - type: object
      properties:
        serviceAccount: {type: string}
Holder:
  type: object
  properties:
    role: {$ref: '#/components/schemas/Role'}",
    );
    let models = file(&spec, "src/models.rs");
    let role = &models[models.find("pub enum Role").unwrap()..];
    insta::assert_snapshot!(role);
    let aws = &models[models.find("pub struct AwsRole").unwrap()..];
    let aws = &aws[..aws.find("\n}\n").unwrap() + 3];
    assert!(aws.contains("pub provider: String,"), "{aws}");
    assert!(aws.contains("pub arn: Option<String>,"), "{aws}");
    assert!(models.contains("pub role: Option<Role>,"), "{models}");
}

#[test]
fn a_subtype_without_the_tag_property_gets_the_tag_back_when_written() {
    // `Cat` has no `kind`: written as it is, a cat would read back as `Unknown`.
    let spec = with_schemas(
        "Pet:\n  type: object\n  properties:\n    kind: {type: string}\n  discriminator:\n    propertyName: kind\n    mapping:\n      cat: '#/components/schemas/Cat'\n      dog: '#/components/schemas/Dog'\nCat:\n  type: object\n  properties:\n    lives: {type: integer}\nDog:\n  type: object\n  properties:\n    kind: {type: string}\n    bark: {type: boolean}",
    );
    let models = file(&spec, "src/models.rs");
    let serialize = &models[models.find("impl serde::Serialize for Pet").unwrap()..];
    let serialize = &serialize[..serialize.find("\n}\n").unwrap() + 3];
    insta::assert_snapshot!(serialize);
}

#[test]
fn a_discriminator_mapping_that_names_the_base_itself_leaves_it_a_struct() {
    let spec = with_schemas(
        "Shape:
  type: object
  properties:
    kind: {type: string}
  discriminator:
    propertyName: kind
    mapping:
      plain: '#/components/schemas/Shape'
      round: '#/components/schemas/Circle'
Circle:
  allOf:
    - $ref: '#/components/schemas/Shape'
    - type: object
      properties:
        radius: {type: number}",
    );
    let models = file(&spec, "src/models.rs");
    assert!(models.contains("pub struct Shape {"), "{models}");
}

#[test]
fn one_of_without_a_discriminator_ranks_alternatives_by_known_keys() {
    let spec = with_schemas(
        "Email:\n  type: object\n  properties:\n    address: {type: string}\nSms:\n  type: object\n  properties:\n    phone: {type: string}\n    country: {type: string}\nChannel:\n  oneOf:\n    - $ref: '#/components/schemas/Email'\n    - $ref: '#/components/schemas/Sms'\n    - type: string",
    );
    let models = file(&spec, "src/models.rs");
    let channel = &models[models.find("pub enum Channel").unwrap()..];
    insta::assert_snapshot!(channel);
}

#[test]
fn one_of_alternatives_sharing_their_keys_are_ranked_by_enum_values() {
    // Atlas's alert configurations: the same keys, told apart by `eventTypeName`.
    let spec = with_schemas(
        "Default:\n  type: object\n  properties:\n    eventTypeName: {type: string}\n    enabled: {type: boolean}\nHost:\n  type: object\n  properties:\n    eventTypeName: {type: string, enum: [HOST_DOWN, HOST_UP]}\n    enabled: {type: boolean}\nMetric:\n  type: object\n  properties:\n    eventTypeName: {type: string, enum: [OUTSIDE_METRIC_THRESHOLD]}\n    enabled: {type: boolean}\n    threshold: {type: number}\nConfig:\n  oneOf:\n    - $ref: '#/components/schemas/Default'\n    - $ref: '#/components/schemas/Host'\n    - $ref: '#/components/schemas/Metric'",
    );
    let models = file(&spec, "src/models.rs");
    let config = &models[models
        .find("impl<'de> serde::Deserialize<'de> for Config")
        .unwrap()..];
    let config = &config[..config.find("\n}\n").unwrap() + 3];
    insta::assert_snapshot!(config);
    // `Default` would shadow the trait that the generated code names.
    assert!(models.contains("pub struct DefaultType {"), "{models}");
}

#[test]
fn one_of_string_enums_merge_into_one_open_enum() {
    let spec = with_schemas(
        "Region:\n  oneOf:\n    - type: string\n      enum: [US_EAST_1, EU_WEST_1]\n    - type: string\n      enum: [eastus, US_EAST_1]",
    );
    let models = file(&spec, "src/models.rs");
    insta::assert_snapshot!(item(&models, "pub enum Region"));
}

/// A spec whose `Thing` is read by GET and written by PATCH.
fn request_and_response(schema: &str) -> String {
    let indented: String = schema.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /things:\n    get:\n      operationId: getThing\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n    patch:\n      operationId: updateThing\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Thing'}}\n      responses:\n        '200':\n          description: OK\ncomponents:\n  schemas:\n{indented}"
    )
}

#[test]
fn nullable_read_only_and_write_only_fields() {
    // `id` is required but readOnly and `secret` required but writeOnly: a PATCH body
    // need not carry the first and a response does not carry the second, so both are
    // optional. `note` may be null or absent, and a PATCH must tell them apart.
    let spec = request_and_response(
        "Thing:\n  type: object\n  required: [id, secret, name, label]\n  properties:\n    id: {type: string, readOnly: true}\n    secret: {type: string, writeOnly: true}\n    name: {type: string}\n    label: {type: string, nullable: true}\n    note: {type: string, nullable: true}",
    );
    let models = file(&spec, "src/models.rs");
    let thing = &models[models.find("pub struct Thing").unwrap()..];
    insta::assert_snapshot!(thing);
}

#[test]
fn an_operation_in_several_versions_is_one_method_per_version() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: OK\n          content:\n            application/vnd.api.2023-01-01+json:\n              schema: {type: object, properties: {old: {type: string}}}\n            application/vnd.api.2024-05-30+json:\n              schema: {type: object, properties: {new: {type: string}}}\n            application/vnd.api.preview+json:\n              schema: {type: object, properties: {next: {type: string}}}\n";
    let generated = generator::generate(spec, &config()).unwrap();
    let methods: Vec<(String, Option<String>)> = generated
        .api
        .operations
        .iter()
        .map(|op| (op.rust_name.clone(), op.version.clone()))
        .collect();
    insta::assert_debug_snapshot!(methods);
    let operations = file(spec, "src/operations.rs");
    assert!(operations.contains("accept: \"application/vnd.api.2024-05-30+json\""));
    assert!(operations.contains("pub fn list_things_v2023_01_01("));
    assert!(operations.contains("pub fn list_things_preview("));
}

// -----------------------------------------------------------------------------------------
// Names: every collision kind is resolved by the rules of `names.rs`, whatever the order.

#[test]
fn components_alike_after_casing_keep_both() {
    // The component spelled as the Rust name keeps it; the other takes a number.
    let spec = with_schemas(
        "nullTime:\n  type: string\n  format: date-time\nNullTime:\n  type: object\n  properties:\n    time: {type: string, format: date-time}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn components_alike_but_for_punctuation_keep_both() {
    // Neither is spelled as the Rust name: the first in byte order keeps it (`-` before `_`).
    let spec = with_schemas(
        "a_b_c:\n  type: object\n  properties:\n    x: {type: string}\na_b-c:\n  type: object\n  properties:\n    y: {type: string}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_inline_type_yields_to_a_component() {
    let spec = with_schemas(
        "Connection:\n  type: object\n  properties:\n    metadata:\n      type: object\n      properties:\n        note: {type: string}\nConnectionMetadata:\n  type: object\n  properties:\n    id: {type: string}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn two_properties_alike_after_casing_keep_both_fields() {
    let spec = with_schemas(
        "Token:\n  type: object\n  properties:\n    authTime: {type: integer, format: int32}\n    auth_time: {type: integer, format: int64}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn a_path_and_a_query_parameter_of_one_name_get_a_suffix_by_location() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /movies/{language}:\n    get:\n      operationId: discoverMovies\n      parameters:\n        - {name: language, in: query, schema: {type: string}}\n        - {name: language, in: path, required: true, schema: {type: string}}\n        - {name: groupId, in: query, schema: {type: string}}\n        - {name: group_id, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: OK\n";
    insta::assert_snapshot!(decisions(spec));
    let operations = file(spec, "src/operations.rs");
    assert!(operations.contains("language_query"), "{operations}");
}

#[test]
fn setters_of_parameters_that_operations_share_are_written_once() {
    // `pretty`, `type` and `itemsPerPage` are components two operations take: their setters
    // are arms of `shared_setters!`. `limit` has one taker, and the third operation's own
    // `pretty` is another type: both keep their setters in their builders.
    let spec = "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /a:\n    get:\n      operationId: listA\n      parameters:\n        - $ref: '#/components/parameters/pretty'\n        - $ref: '#/components/parameters/type'\n        - $ref: '#/components/parameters/itemsPerPage'\n        - $ref: '#/components/parameters/limit'\n      responses:\n        '200':\n          description: OK\n  /b:\n    get:\n      operationId: listB\n      parameters:\n        - $ref: '#/components/parameters/itemsPerPage'\n        - $ref: '#/components/parameters/type'\n        - $ref: '#/components/parameters/pretty'\n      responses:\n        '200':\n          description: OK\n  /c:\n    get:\n      operationId: listC\n      parameters:\n        - {name: pretty, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: OK\ncomponents:\n  parameters:\n    pretty:\n      name: pretty\n      in: query\n      description: Whether the response is indented.\n      schema: {type: boolean, default: false}\n    type:\n      name: type\n      in: query\n      schema: {type: string}\n    itemsPerPage:\n      name: itemsPerPage\n      in: query\n      schema: {type: integer, minimum: 1, maximum: 500}\n    limit:\n      name: limit\n      in: query\n      schema: {type: integer}\n";
    insta::assert_snapshot!(file(spec, "src/operations.rs"));
}

#[test]
fn an_enum_value_unknown_keeps_its_name_and_the_catch_all_becomes_other() {
    let spec = with_schemas(
        "Mode:\n  type: string\n  enum: [known, unknown]\nState:\n  type: string\n  enum: [Unknown, Other, done]",
    );
    insta::assert_snapshot!(decisions(&spec));
    let models = file(&spec, "src/models.rs");
    insta::assert_snapshot!(
        "an_enum_value_unknown_keeps_its_name_code",
        item(&models, "pub enum Mode")
    );
}

#[test]
fn enum_values_alike_after_casing_keep_both() {
    let spec = with_schemas("Mode:\n  type: string\n  enum: [read-only, READ_ONLY, fast, fast]");
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn union_variants_are_named_by_component_title_tag_property_items_or_kind() {
    // No `Variant1`: an alternative is named after its component, its title, the one value
    // of a tag property, its one property, its items, or its kind (its format when another
    // alternative has the same kind); a component called `Unknown` keeps its name.
    let spec = with_schemas(
        "Unknown:\n  type: object\n  properties:\n    raw: {type: string}\nDocument:\n  type: object\n  properties:\n    text: {type: string}\nStatus:\n  oneOf:\n    - type: object\n      properties:\n        status: {type: string, enum: [disabled]}\n    - type: object\n      properties:\n        status: {type: string, enum: [enabled]}\n        peers: {type: integer}\n    - type: object\n      properties:\n        error: {type: string}\n    - $ref: '#/components/schemas/Unknown'\nValue:\n  anyOf:\n    - $ref: '#/components/schemas/Document'\n    - type: array\n      items: {$ref: '#/components/schemas/Document'}\n    - type: array\n      items: {type: string}\n    - {type: string, format: uri}\n    - {type: string}\n    - {type: integer, title: Count}\n",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn operation_ids_alike_after_casing_or_repeated_keep_both_methods() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /a:\n    get:\n      operationId: getThing\n      responses: {'200': {description: OK}}\n  /b:\n    get:\n      operationId: get_thing\n      responses: {'200': {description: OK}}\n  /c:\n    get:\n      operationId: listThings\n      responses: {'200': {description: OK}}\n  /d:\n    get:\n      operationId: listThings\n      responses: {'200': {description: OK}}\n";
    insta::assert_snapshot!(decisions(spec));
    let operations = file(spec, "src/operations.rs");
    for builder in [
        "pub struct GetThing<",
        "pub struct GetThing2<",
        "pub struct ListThings2<",
    ] {
        assert!(operations.contains(builder), "{builder}");
    }
}

// -----------------------------------------------------------------------------------------
// The configuration beside the spec: names chosen by a maintainer, keyed by JSON pointer.

const RENAMED: &str = r#"openapi: 3.0.1
info: {title: Focused, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - $ref: '#/components/parameters/Verbose'
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/nullTime'}
components:
  parameters:
    Verbose: {name: verbose, in: query, schema: {type: boolean}}
  schemas:
    nullTime:
      type: object
      properties:
        authTime: {type: integer}
        mode: {type: string, enum: [fast, slow]}
        inline: {type: object, properties: {a: {type: string}}}
    NullTime:
      oneOf:
        - {type: string}
        - {type: integer}
"#;

#[test]
fn the_configuration_names_any_item_by_its_pointer() {
    let config = configured(
        "names:\n  /components/schemas/nullTime: NullableTime\n  /components/schemas/nullTime/properties/authTime: authenticated_at\n  /components/schemas/nullTime/properties/mode/enum/1: Careful\n  /components/schemas/nullTime/properties/inline: {name: inline_thing, type: InlineThing}\n  /components/schemas/NullTime/oneOf/0: Text\n  /paths/~1things~1{id}/get: fetch_thing\n  /paths/~1things~1{id}/get/parameters/0: thing_id\n  '#/components/parameters/Verbose': type\n",
    );
    insta::assert_snapshot!(decisions_with(RENAMED, &config));
}

#[test]
fn a_configured_name_that_names_nothing_is_an_error_in_the_configuration() {
    let config = configured("names:\n  /components/schemas/NoSuchThing: Thing\n");
    let error = generator::generate(RENAMED, &config).unwrap_err();
    assert_eq!(error.file, "codegen.yaml");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn a_configured_name_of_the_wrong_case_is_an_error_in_the_configuration() {
    let config = configured("names:\n  /paths/~1things~1{id}/get: FetchThing\n");
    insta::assert_snapshot!(
        generator::generate(RENAMED, &config)
            .unwrap_err()
            .to_string()
    );
}

#[test]
fn a_configured_name_wins_over_the_rules_but_two_alike_are_an_error() {
    // The component that would keep `NullTime` yields to the configured name.
    let config = configured("names:\n  /components/schemas/nullTime: NullTime\n");
    let generated = generator::generate(RENAMED, &config).unwrap();
    let names: Vec<&str> = generated
        .api
        .types
        .iter()
        .map(|t| t.rust_name.as_str())
        .collect();
    assert_eq!(names[..2], ["NullTime2", "NullTime"]);
    let config = configured(
        "names:\n  /components/schemas/nullTime: Same\n  /components/schemas/NullTime: Same\n",
    );
    insta::assert_snapshot!(
        generator::generate(RENAMED, &config)
            .unwrap_err()
            .to_string()
    );
}

#[test]
fn an_unknown_configuration_key_is_an_error_where_it_stands() {
    let error =
        generator::config::parse("pagination:\n  pages: [page]\n", "codegen.yaml").unwrap_err();
    insta::assert_snapshot!(error.to_string());
}

// -----------------------------------------------------------------------------------------
// Conventions from the configuration: page-number pagination and error codes.

/// A spec with one `GET /things` whose parameters and page object are given.
fn paginated(parameters: &str, page: &str) -> String {
    format!(
        "openapi: 3.0.1\ninfo: {{title: Focused, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      parameters: {parameters}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {page}\n        '404':\n          description: Not found\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  code: {{type: string}}\n                  failure: {{type: string}}\n"
    )
}

#[test]
fn page_number_pagination_is_recognised_by_the_default_names() {
    let spec = paginated(
        "[{name: page, in: query, schema: {type: integer, minimum: 1}}, {name: per_page, in: query, schema: {type: integer}}]",
        "{type: object, properties: {data: {type: array, items: {type: string}}, total: {type: integer}}}",
    );
    let generated = generator::generate(&spec, &config()).unwrap();
    insta::assert_debug_snapshot!(generated.api.operations[0].pagination);
    // An error body's `code` is its error code by default.
    assert!(
        generated.files["src/models.rs"]
            .contains("impl crate::ErrorBody for ListThingsResponse404")
    );
}

#[test]
fn a_page_number_without_a_first_page_or_an_offset_is_not_pagination() {
    // No default and no minimum of 1: where pages start is unknown. `offset` is no page.
    for parameters in [
        "[{name: page, in: query, schema: {type: integer}}, {name: per_page, in: query, schema: {type: integer}}]",
        "[{name: offset, in: query, schema: {type: integer, default: 0}}, {name: limit, in: query, schema: {type: integer}}]",
    ] {
        let spec = paginated(
            parameters,
            "{type: object, properties: {items: {type: array, items: {type: string}}}}",
        );
        let generated = generator::generate(&spec, &config()).unwrap();
        assert_eq!(generated.api.operations[0].pagination, None, "{parameters}");
    }
}

#[test]
fn pagination_and_error_codes_follow_the_configuration() {
    let spec = paginated(
        "[{name: pageNum, in: query, schema: {type: integer, default: 1}}, {name: itemsPerPage, in: query, schema: {type: integer}}]",
        "{type: object, properties: {results: {type: array, items: {type: string}}, totalCount: {type: integer}}}",
    );
    // Atlas's names are not among the defaults.
    assert_eq!(
        generator::generate(&spec, &config())
            .unwrap()
            .api
            .operations[0]
            .pagination,
        None
    );
    let config = configured(
        "pagination:\n  page: [pageNum]\n  size: [itemsPerPage]\n  items: [results]\n  total: [totalCount]\nerrors:\n  code: [failure]\n",
    );
    let generated = generator::generate(&spec, &config).unwrap();
    insta::assert_debug_snapshot!(generated.api.operations[0].pagination);
    let models = &generated.files["src/models.rs"];
    insta::assert_snapshot!(item(
        models,
        "impl crate::ErrorBody for ListThingsResponse404"
    ));
}

// -----------------------------------------------------------------------------------------
// Degrade, don't stop: what the generator cannot express falls back, with a warning.

#[test]
fn not_falls_back_to_any_value() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    name: {type: string}\n    other:\n      not: {type: string}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_all_of_that_no_value_satisfies_falls_back_to_any_value() {
    let spec = with_schemas(
        "Name:\n  allOf:\n    - type: string\n    - type: object\n      properties:\n        id: {type: string}\nOther:\n  type: object\n  properties:\n    name: {$ref: '#/components/schemas/Name'}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_operation_whose_parameters_cannot_be_expressed_is_skipped_with_a_warning() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: x\n  version: '1'\npaths:\n  /good:\n    get:\n      operationId: good\n      responses:\n        '200':\n          description: OK\n  /bad:\n    get:\n      operationId: bad\n      parameters:\n        - name: q\n          in: query\n          required: true\n          content:\n            text/csv:\n              schema: {type: object}\n      responses:\n        '200':\n          description: OK\n  /elsewhere:\n    $ref: 'other.yaml#/paths/~1x'\n";
    insta::assert_snapshot!(decisions(spec));
}

#[test]
fn every_defined_style_is_sent_and_what_has_no_defined_form_is_left_out() {
    // Objects, delimited arrays, cookies and JSON `content` are sent; an undefined
    // combination (pipeDelimited exploded) falls back with a warning; an array of objects
    // and a deepObject array have no defined form: left out of the builder when optional,
    // the operation left out when required. A parameter of no type is a string, and so is
    // one of several scalar types (with a warning).
    let spec = r#"openapi: 3.0.1
info: {title: Focused, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {name: {type: string}}}}
        - {name: tags, in: query, style: spaceDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, style: pipeDelimited, explode: true, schema: {type: array, items: {type: string}}}
        - {name: anything, in: query, schema: {}}
        - {name: where, in: query, content: {application/json: {schema: {type: object, properties: {near: {type: string}}}}}}
        - {name: rows, in: query, schema: {type: array, items: {type: object}}}
        - {name: deep, in: query, style: deepObject, schema: {type: array, items: {type: string}}}
      responses: {'200': {description: OK}}
  /points/{id}:
    get:
      operationId: getPoint
      parameters:
        - {name: id, in: path, required: true, schema: {anyOf: [{type: integer}, {type: string, format: uuid}]}}
      responses: {'200': {description: OK}}
  /session:
    get:
      operationId: getSession
      parameters:
        - {name: token, in: cookie, required: true, schema: {type: string}}
      responses: {'200': {description: OK}}
  /grid:
    get:
      operationId: getGrid
      parameters:
        - {name: cells, in: header, required: true, schema: {type: array, items: {type: array, items: {type: integer}}}}
      responses: {'200': {description: OK}}
"#;
    insta::assert_snapshot!(decisions(spec));
}

// -----------------------------------------------------------------------------------------
// Common spec defects: repaired, each with a warning that says how.

#[test]
fn a_required_property_that_is_not_declared_is_not_required() {
    let spec = with_schemas(
        "File:\n  type: object\n  required: [id, Name]\n  properties:\n    Id: {type: string}\n    Name: {type: string}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn required_true_on_a_property_makes_it_required_by_its_object() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    id:\n      type: string\n      required: true\n    note:\n      type: string\n      required: false",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn integer_bounds_beyond_64_bits_and_fractions_are_read_as_an_i64_reads_them() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    huge: {type: integer, format: int64, minimum: -9223372036854776000, maximum: 9223372036854776000}\n    unsigned: {type: integer, maximum: 18446744073709551615}\n    half: {type: integer, minimum: 0.5, exclusiveMinimum: true}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn keywords_of_another_type_are_ignored_and_the_type_kept() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    when: {type: integer, pattern: '^[0-9]+$'}\n    tags: {type: array, items: {type: string}, maxLength: 3}\n    size: {type: string, enum: [1, 2]}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn openapi_3_1_spellings_are_read_as_3_0() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    count: {type: [integer, 'null'], exclusiveMinimum: 0}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_invalid_pattern_is_not_checked() {
    let spec = with_parameters(
        "- name: id\n  in: path\n  required: true\n  schema: {type: string, pattern: '^(?i)[a-z]+$'}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn a_reference_to_a_missing_schema_is_any_value() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    owner:\n      $ref: '#/components/schemas/Owner'",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn a_security_requirement_naming_an_undeclared_scheme_is_ignored() {
    let spec = "openapi: 3.0.1\ninfo: {title: x, version: '1'}\nsecurity:\n  - apiKey: []\n  - bearer: []\npaths:\n  /things:\n    get:\n      operationId: listThings\n      security: [{session: []}]\n      responses: {'200': {description: OK}}\ncomponents:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n";
    insta::assert_snapshot!(decisions(spec));
    let generated = generator::generate(spec, &config()).unwrap();
    assert_eq!(generated.api.security.len(), 1);
    assert_eq!(generated.api.operations[0].security, Some(Vec::new()));
}

// -----------------------------------------------------------------------------------------
// allOf with any kind of part, and unions that are really one type.

#[test]
fn an_all_of_of_one_reference_is_that_type() {
    // A date-time wrapper given a description, and a base that is a union: no copies.
    let spec = with_schemas(
        "Timestamp:\n  type: string\n  format: date-time\nDeadman:\n  type: object\n  properties:\n    type: {type: string}\nCheckDiscriminator:\n  oneOf:\n    - $ref: '#/components/schemas/Deadman'\n  discriminator:\n    propertyName: type\n    mapping:\n      deadman: '#/components/schemas/Deadman'\nCheck:\n  allOf:\n    - $ref: '#/components/schemas/CheckDiscriminator'\nEvent:\n  type: object\n  properties:\n    at:\n      description: When it happened.\n      allOf:\n        - $ref: '#/components/schemas/Timestamp'\n    nested:\n      allOf:\n        - allOf:\n            - $ref: '#/components/schemas/Timestamp'\n          description: nested",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_all_of_with_a_union_part_is_a_struct_that_flattens_the_union() {
    let spec = with_schemas(
        "Deadman:\n  type: object\n  properties:\n    type: {type: string}\n    every: {type: string}\nThreshold:\n  type: object\n  properties:\n    type: {type: string}\n    level: {type: integer}\nCheck:\n  oneOf:\n    - $ref: '#/components/schemas/Deadman'\n    - $ref: '#/components/schemas/Threshold'\n  discriminator:\n    propertyName: type\nTemplateCheck:\n  allOf:\n    - $ref: '#/components/schemas/Check'\n    - type: object\n      properties:\n        templateName: {type: string}",
    );
    insta::assert_snapshot!(decisions(&spec));
    let models = file(&spec, "src/models.rs");
    insta::assert_snapshot!(
        "an_all_of_with_a_union_part_code",
        item(&models, "pub struct TemplateCheck")
    );
}

#[test]
fn nested_all_ofs_merge_in_order_and_a_subtype_of_a_polymorphic_base_stays_a_struct() {
    let spec = with_schemas(
        "Base:\n  type: object\n  required: [kind]\n  properties:\n    kind: {type: string}\n  discriminator:\n    propertyName: kind\n    mapping:\n      plain: '#/components/schemas/Plain'\n      fancy: '#/components/schemas/Fancy'\nPlain:\n  allOf:\n    - $ref: '#/components/schemas/Base'\nMiddle:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - type: object\n      properties:\n        middle: {type: string}\nFancy:\n  allOf:\n    - $ref: '#/components/schemas/Middle'\n    - type: object\n      required: [extra]\n      properties:\n        extra: {type: integer}",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn an_alternative_that_only_says_null_makes_the_field_nullable() {
    // Generated specs spell `Option<T>` as `anyOf: [T, {nullable: true}]`.
    let spec = with_schemas(
        "Info:\n  type: object\n  properties:\n    a: {type: string}\nThing:\n  type: object\n  required: [info]\n  properties:\n    info:\n      anyOf:\n        - $ref: '#/components/schemas/Info'\n        - nullable: true\n    only:\n      oneOf:\n        - $ref: '#/components/schemas/Info'",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn alternatives_that_only_constrain_leave_an_object_a_struct() {
    let spec = with_schemas(
        "CustomField:\n  type: object\n  properties:\n    id: {type: string}\n    name: {type: string}\n  anyOf:\n    - required: [id]\n    - required: [name]",
    );
    insta::assert_snapshot!(decisions(&spec));
}

#[test]
fn response_types_keep_unknown_fields_and_hold_int32_counts_as_i64() {
    // `Page` is read: it keeps what it does not declare, and its int32 `count` is an i64
    // whose range is checked by `constraint_violations`. `NewThing` is only written: it
    // keeps its i32 and has nothing unknown to keep.
    let spec = "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Page'}\n    post:\n      operationId: createThing\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/NewThing'}\n      responses:\n        '204':\n          description: Created\ncomponents:\n  schemas:\n    Page:\n      type: object\n      required: [count]\n      properties:\n        count: {type: integer, format: int32}\n        sizes: {type: array, items: {type: integer, format: int32}}\n        total: {type: integer, format: int32, minimum: 0}\n    NewThing:\n      type: object\n      properties:\n        size: {type: integer, format: int32}\n";
    insta::assert_snapshot!(file(spec, "src/models.rs"));
}

#[test]
fn error_bodies_say_their_code_and_message() {
    // One operation per shape of error body: each `Error<E>` needs an `ErrorBody`, which
    // takes the code and message from the properties conventionally named so.
    let operation = |name: &str, schema: &str| {
        format!(
            "  /{name}:\n    get:\n      operationId: {name}\n      responses:\n        '200':\n          description: OK\n        '404':\n          description: Not found\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    };
    let paths: String = [
        ("atlas", "{$ref: '#/components/schemas/AtlasError'}"),
        ("oauth", "{$ref: '#/components/schemas/OAuthError'}"),
        ("problem", "{$ref: '#/components/schemas/Problem'}"),
        ("coded", "{$ref: '#/components/schemas/Coded'}"),
        ("plain", "{type: string}"),
        ("listed", "{$ref: '#/components/schemas/Errors'}"),
    ]
    .iter()
    .map(|(name, schema)| operation(name, schema))
    .collect();
    let spec = format!(
        "openapi: 3.0.1\ninfo:\n  title: Focused\n  version: '1'\npaths:\n{paths}components:\n  schemas:\n    AtlasError:\n      type: object\n      required: [error, errorCode]\n      properties:\n        error: {{type: integer, format: int32}}\n        errorCode: {{type: string}}\n        detail: {{type: string}}\n        reason: {{type: string}}\n    OAuthError:\n      type: object\n      required: [error]\n      properties:\n        error: {{type: string}}\n        error_description: {{type: string}}\n    Problem:\n      type: object\n      properties:\n        type: {{type: string}}\n        title: {{type: string}}\n        status: {{type: integer}}\n        detail: {{type: string, nullable: true}}\n    Coded:\n      type: object\n      properties:\n        code: {{type: string, enum: [BAD, WORSE]}}\n        Message: {{type: string}}\n    Errors:\n      type: array\n      items: {{$ref: '#/components/schemas/Problem'}}\n"
    );
    let models = file(&spec, "src/models.rs");
    let impls = &models[models.find("impl crate::ErrorBody").unwrap()..];
    insta::assert_snapshot!(impls);
    // An undocumented error status is still tried as the operation's error type.
    let operations = file(&spec, "src/operations.rs");
    assert!(operations.contains("404 => Err(raw.api_error()),"));
    assert!(operations.contains("_ => Err(raw.undocumented()),"));
}

/// The request body and success content of each operation, as the IR holds them.
fn bodies(spec: &str) -> String {
    let generated = generator::generate(spec, &config()).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for warning in &generated.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    for op in &generated.api.operations {
        out.push_str(&format!("operation {}\n", op.rust_name));
        for content in op.request_body.iter().flat_map(|b| &b.content) {
            out.push_str(&format!(
                "  request {}: {:?}\n",
                content.media_type, content.body
            ));
        }
        for content in op.success_responses().flat_map(|r| &r.content) {
            out.push_str(&format!(
                "  response {}: {:?}\n",
                content.media_type, content.body
            ));
        }
    }
    out
}

#[test]
fn body_media_types_and_their_encodings() {
    insta::assert_snapshot!(bodies(
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: many
      requestBody:
        content:
          application/json; charset=utf-8: {schema: {$ref: '#/components/schemas/Form'}}
          text/json: {schema: {$ref: '#/components/schemas/Form'}}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Form'}
            encoding:
              list: {style: form}
              flat: {style: form, explode: false}
              spaced: {style: spaceDelimited}
              deep: {style: deepObject}
              json: {contentType: application/json}
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Upload'}
            encoding:
              image: {contentType: 'image/png, image/jpeg'}
          text/plain: {schema: {type: string}}
          application/pdf: {schema: {type: string, format: binary}}
      responses:
        '200': {description: OK, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Form'}}}}
  /b:
    get:
      operationId: download
      responses:
        '200': {description: OK, content: {text/csv: {schema: {type: string}}, '*/*': {schema: {type: string, format: binary}}}}
components:
  schemas:
    Form:
      type: object
      properties:
        list: {type: array, items: {type: string}}
        flat: {type: array, items: {type: string}}
        spaced: {type: array, items: {type: string}}
        deep: {type: object, properties: {a: {type: string}}}
        json: {type: string}
    Upload:
      type: object
      properties:
        name: {type: string}
        meta: {$ref: '#/components/schemas/Form'}
        file: {type: string, format: binary}
        image: {type: string, format: binary}
        files: {type: array, items: {type: string, format: binary}}
        counts: {type: array, items: {type: integer}}
"#
    ));
}

#[test]
fn request_media_types_the_client_cannot_send_are_left_out() {
    insta::assert_snapshot!(bodies(
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /mixed:
    post:
      operationId: mixedOnly
      requestBody:
        required: true
        content:
          multipart/mixed: {schema: {type: object, properties: {a: {type: string}}}}
      responses:
        '204': {description: Done}
  /free:
    post:
      operationId: freeForm
      requestBody:
        content:
          multipart/form-data: {schema: {type: object}}
          application/x-www-form-urlencoded: {schema: {type: array, items: {type: string}}}
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        '204': {description: Done}
"#
    ));
}

/// Three tags: a feature each and `full`; an operation behind its tags' features, a type
/// behind the features of the tags that reach it (through another type too), a type no
/// operation reaches behind `full`, untagged operations always compiled; what one feature
/// alone compiles in that feature's module.
#[test]
fn features_per_tag() {
    let spec = r##"openapi: 3.0.1
info: {title: Focused, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: Missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /orders:
    get:
      operationId: listOrders
      tags: [Store Orders]
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
        '404': {description: Missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /both:
    get:
      operationId: both
      tags: [Pets, Store Orders]
      responses:
        '204': {description: Done}
  /health:
    get:
      operationId: health
      responses:
        '204': {description: Done}
  /admin:
    get:
      operationId: admin
      tags: [Admin]
      responses:
        '204': {description: Done}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        label: {$ref: '#/components/schemas/Label'}
    Owner:
      type: object
      properties:
        name: {type: string, maxLength: 10}
    Order:
      type: object
      properties:
        label: {$ref: '#/components/schemas/Label'}
    Label: {type: string, enum: [a, b]}
    Problem:
      type: object
      properties:
        detail: {type: string}
    Unused:
      type: object
      properties:
        label: {$ref: '#/components/schemas/Label'}
"##;
    let generated = generator::generate(spec, &config()).unwrap_or_else(|e| panic!("{e}"));
    // Each cfg with the line of the item it gates.
    let mut out = String::new();
    for path in ["src/models.rs", "src/operations.rs", "src/cli.rs"] {
        out.push_str(&format!("{path}:\n"));
        let lines: Vec<&str> = generated.files[path].lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("#[cfg(") {
                let item = lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim_start().starts_with("#["))
                    .unwrap_or(&"");
                out.push_str(&format!("  {} {}\n", line.trim(), item.trim()));
            }
        }
    }
    // What one feature alone compiles is in its module: each module's docs and items.
    for (path, text) in &generated.files {
        if !path.starts_with("src/models/") && !path.starts_with("src/operations/") {
            continue;
        }
        out.push_str(&format!("{path}:\n"));
        for line in text.lines().skip(3) {
            let shown = [
                "//!",
                "use ",
                "pub ",
                "impl",
                "crate::",
                "struct ",
                "enum ",
                "fn ",
                "    pub fn ",
            ];
            if shown.iter().any(|p| line.starts_with(p)) {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    let manifest = &generated.files["Cargo.toml"];
    let features = &manifest[manifest.find("[features]").unwrap_or(0)..];
    let features = &features[..features.find("\n[[").unwrap_or(features.len())];
    out.push_str(features);
    insta::assert_snapshot!(out);
}
