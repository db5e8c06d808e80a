//! Small specs, one behaviour each: a YAML fragment in, the emitted code (or the error)
//! out, as a snapshot.

fn config() -> generator::Config {
    generator::Config {
        crate_name: "focused".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: "focused.yaml".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        dev_dependencies: Vec::new(),
        skip_unsupported: false,
        benches: Vec::new(),
        threads: 0,
    }
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
fn fields_colliding_after_casing_are_an_error() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    groupId: {type: string}\n    group_id: {type: string}",
    );
    insta::assert_snapshot!(error(&spec));
}

#[test]
fn types_colliding_after_casing_are_an_error() {
    let spec = with_schemas(
        "ApiBSONView:\n  type: object\n  properties:\n    a: {type: string}\nApiBsonView:\n  type: object\n  properties:\n    b: {type: string}",
    );
    insta::assert_snapshot!(error(&spec));
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
        "- name: id\n  in: path\n  required: true\n  schema: {type: string}\n- name: when\n  in: query\n  required: true\n  schema: {type: string, format: date-time}\n- name: tags\n  in: query\n  schema: {type: array, items: {type: string}}\n- name: X-Trace\n  in: header\n  schema: {type: string}",
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

#[test]
fn enum_values_colliding_are_an_error() {
    let spec = with_schemas("Mode:\n  type: string\n  enum: [fast, FAST]");
    insta::assert_snapshot!(error(&spec));
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
fn unresolvable_reference_points_at_the_line() {
    let spec = with_schemas(
        "Thing:\n  type: object\n  properties:\n    other:\n      $ref: '#/components/schemas/Missing'",
    );
    insta::assert_snapshot!(error(&spec));
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
    let region =
        &models[models.find("pub enum Region").unwrap()..models.find("impl Region").unwrap()];
    insta::assert_snapshot!(region);
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

#[test]
fn unsupported_operations_can_be_skipped_with_a_warning() {
    let spec = "openapi: 3.0.1\ninfo:\n  title: x\n  version: '1'\npaths:\n  /good:\n    get:\n      operationId: good\n      responses:\n        '200':\n          description: OK\n  /bad:\n    get:\n      operationId: bad\n      parameters:\n        - name: q\n          in: query\n          content:\n            application/json:\n              schema: {type: object}\n      responses:\n        '200':\n          description: OK\n";
    assert!(generator::generate(spec, &config()).is_err());
    let skipping = generator::Config {
        skip_unsupported: true,
        ..config()
    };
    let generated = generator::generate(spec, &skipping).unwrap();
    assert_eq!(generated.api.operations.len(), 1);
    assert_eq!(generated.api.operations[0].api_name, "good");
    assert_eq!(generated.skipped.len(), 1);
    insta::assert_snapshot!(generated.skipped[0].to_string());
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
