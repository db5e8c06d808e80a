//! Security schemes and requirements: what each scheme type lowers to, the decisions made
//! on the spec's behalf, and the builder methods emitted. (What the client sends is
//! tested over loopback in the crate generated from `crates/secure.yaml`.)

fn generate(spec: &str) -> generator::Generated {
    let config = generator::Config {
        crate_name: "secure".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: "secure.yaml".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        ..Default::default()
    };
    generator::generate(spec, &config).unwrap_or_else(|e| panic!("{e}"))
}

/// The summary's security part and every operation's, then the renames and warnings.
fn security_summary(generated: &generator::Generated) -> String {
    let summary = generator::summary::summary(&generated.api);
    let mut out: String = summary
        .lines()
        .skip_while(|line| *line != "security:")
        .take_while(|line| !line.starts_with("types:"))
        .map(|line| format!("{line}\n"))
        .collect();
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
    out
}

const EVERY_KIND: &str = r"
openapi: 3.0.1
info: {title: x, version: '1'}
security:
  - bearerAuth: []
    cookie: []
  - {}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: OK}}
    post:
      operationId: makeThing
      security: [{oauth: [write]}, {Bearer: [], basic: []}]
      responses: {'200': {description: OK}}
components:
  securitySchemes:
    basic: {type: http, scheme: Basic}
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
    Bearer: {type: http, scheme: bearer}
    DigestAuth: {type: http, scheme: basic}
    digest: {type: http, scheme: digest}
    negotiate: {type: http, scheme: Negotiate}
    spaced: {type: http, scheme: not a token}
    header: {type: apiKey, in: header, name: X-Key}
    query: {type: apiKey, in: query, name: 'key with spaces'}
    cookie: {type: apiKey, in: cookie, name: sid}
    badCookie: {type: apiKey, in: cookie, name: 'a;b'}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://example.com/token', scopes: {}}
        password: {tokenUrl: 'https://example.com/token', scopes: {}}
    implicit:
      type: oauth2
      flows:
        implicit: {authorizationUrl: 'https://example.com/authorize', scopes: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://example.com/.well-known/openid-configuration'}
";

#[test]
fn every_scheme_type_lowers_to_what_the_client_applies() {
    insta::assert_snapshot!(security_summary(&generate(EVERY_KIND)));
}

#[test]
fn every_supplied_scheme_gets_a_builder_method() {
    let generated = generate(EVERY_KIND);
    insta::assert_snapshot!(generated.files["src/security.rs"]);
    let operations = &generated.files["src/operations.rs"];
    // The API's requirement, and an operation's own, as the executor reads them.
    assert!(
        operations.contains(r#"security: &[&["bearerAuth", "cookie"], &[]],"#),
        "{operations}"
    );
    assert!(
        operations.contains(r#"security: &[&["oauth"], &["Bearer", "basic"]],"#),
        "{operations}"
    );
}

#[test]
fn schemes_that_no_operation_requires_become_alternatives() {
    let spec = r"
openapi: 3.0.1
info: {title: x, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: OK}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    token: {type: http, scheme: bearer}
";
    insta::assert_snapshot!(security_summary(&generate(spec)));
}

#[test]
fn an_operation_without_security_sends_no_credentials_when_another_requires_some() {
    let spec = r"
openapi: 3.0.1
info: {title: x, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: OK}}
    post:
      operationId: makeThing
      security: [{key: []}]
      responses: {'200': {description: OK}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
";
    let generated = generate(spec);
    assert!(generated.api.security.is_empty());
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    assert!(generated.files["src/operations.rs"].contains("security: &[],"));
}

#[test]
fn a_spec_without_schemes_has_no_security_module() {
    let spec = r"
openapi: 3.0.1
info: {title: x, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses: {'200': {description: OK}}
";
    let generated = generate(spec);
    assert!(!generated.files.contains_key("src/security.rs"));
    assert!(!generated.files["src/lib.rs"].contains("mod security"));
}
