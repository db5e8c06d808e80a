//! Tests run inside the crate generated from `hostile.yaml` (see that file, and `.ci/run`):
//! what the hostile names, styles and bounds become, checked on the requests the crate
//! prepares and the values it decodes.

use hostile_names_v2::models::{Color, Filter, Kind, Thing, ThingOrName};
use hostile_names_v2::{Client, Constraint, Error};
use serde_json::json;

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap()
}

#[test]
fn parameters_named_like_generated_locals_keep_their_own_values() {
    let filter: Filter =
        serde_json::from_value(json!({"status": "open", "created": {"gte": "2024"}})).unwrap();
    let color = || serde_json::from_value::<Color>(json!({"R": 1, "G": 2})).unwrap();
    let raw = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap();
    let request = client()
        .list_things("a/b", vec![1, 2], "q")
        .headers("h")
        .body(3)
        .request(true)
        .raw(raw.with_timezone(&chrono::Utc))
        .value("v")
        .item(vec!["i1".to_owned(), "i2".to_owned()])
        .e(vec!["x".to_owned(), "y".to_owned()])
        .joined(vec![4, 5])
        .params("fine")
        .r#type(i32::MAX)
        .cookies(vec!["c1".to_owned(), "c2".to_owned()])
        .session("s; admin=1")
        .theme(vec!["dark".to_owned(), "wide".to_owned()])
        .filter(filter)
        .color(color())
        .flat(color())
        // One of several scalar types: taken as its text.
        .either("7")
        .pairs(color())
        .next("/a/b?c=d&e")
        .r#where(color())
        .prepare()
        .unwrap();
    // A label-style array path parameter, after an encoded one.
    assert_eq!(request.path(), "/things/a%2Fb/.1.2");
    // The query string as sent: every style as OpenAPI's examples spell it, values
    // percent-encoded (`:` too, without `allowReserved`), delimiters as they are.
    let expected = [
        "query=q",
        "headers=h",
        "body=3",
        "request=true",
        "raw=2024-01-02T03%3A04%3A05Z",
        "item=i1&item=i2",
        "e=x|y",
        "joined=4%205",
        "params=fine",
        "type=2147483647",
        "filter[created][gte]=2024&filter[status]=open",
        // Objects' keys come sorted, as `serde_json` keeps them.
        "G=2&R=1",
        "flat=G,2,R,1",
        "either=7",
        // `allowReserved`: reserved characters as they are, but never a pair delimiter.
        "next=/a/b?c%3Dd%26e",
        // Described by JSON `content`: the JSON text, encoded.
        "where=%7B%22R%22%3A1%2C%22G%22%3A2%7D",
    ];
    assert_eq!(request.query(), expected.join("&"));
    assert_eq!(
        request.headers(),
        [
            ("value", "v".to_owned()),
            ("cookies", "c1,c2".to_owned()),
            ("pairs", "G=2,R=1".to_owned()),
            (
                "cookie",
                "session=s%3B%20admin=1; theme=dark,wide".to_owned()
            ),
        ]
    );
    assert_eq!(request.accept(), "text/plain");
}

#[test]
fn invalid_arguments_name_their_parameter() {
    // A look-ahead pattern, checked by the ECMA-262 engine.
    let error = client()
        .list_things("c", Vec::new(), "q")
        .params("badword")
        .prepare()
        .unwrap_err();
    let Error::InvalidRequest(invalid) = error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.parameter(), "params");
    assert!(matches!(
        invalid.violation().constraint(),
        Constraint::Pattern(_)
    ));
    // Beyond int32: the format, not the spec's `maximum` beyond it, refuses it.
    let error = client()
        .list_things("c", Vec::new(), "q")
        .r#type(3_000_000_000_i64)
        .prepare()
        .unwrap_err();
    let Error::InvalidRequest(invalid) = error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.parameter(), "type");
    assert_eq!(
        invalid.violation().constraint(),
        &Constraint::Format("int32")
    );
    // An empty array is an empty label, and the path keeps its segment.
    let request = client().list_things("c", Vec::new(), "q").prepare();
    assert!(request.is_err(), "{request:?}");
}

#[test]
fn operations_named_like_crate_items() {
    // `execute`: a matrix-style path parameter named `type`, with `minLength: 0`.
    let request = client().execute("abc").prepare().unwrap();
    assert_eq!(request.path(), "/execute/;type=abc");
    let error = client().execute("toolong").prepare().unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    // `error`: a required JSON body.
    let missing = client().error().prepare().unwrap_err();
    assert!(matches!(missing, Error::InvalidRequest(_)), "{missing:?}");
    let thing: Thing = serde_json::from_value(json!({"name": "a1"})).unwrap();
    let request = client().error().body(thing).prepare().unwrap();
    assert_eq!(
        request.body(),
        Some(("application/json", br#"{"name":"a1"}"#.as_slice()))
    );

    // `client`: an optional bytes body.
    assert_eq!(client().client().prepare().unwrap().body(), None);
    let request = client().client().body(vec![1, 2]).prepare().unwrap();
    assert_eq!(
        request.body(),
        Some(("application/octet-stream", [1, 2].as_slice()))
    );

    // `preparedRequest`, with a parameter whose type is named `Constraint`.
    let request = client()
        .prepared_request()
        .constraint("abc")
        .prepare()
        .unwrap();
    assert_eq!(request.query(), "constraint=abc");
    let error = client()
        .prepared_request()
        .constraint("ABC")
        .prepare()
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    // `type`: a keyword.
    assert_eq!(client().r#type().prepare().unwrap().path(), "/type");
}

#[test]
fn bounds_at_and_beyond_the_types_limits() {
    let thing = |value| serde_json::from_value::<Thing>(value).unwrap();
    let fine = thing(json!({
        "name": "a-1", "code": "A`", "count": i32::MIN, "odd": 6, "ratio": f32::MAX,
    }));
    assert_eq!(fine.constraint_violations(), Vec::new());
    let broken = thing(json!({"name": "1a", "code": "ab", "count": i32::MAX, "odd": 4}));
    let fields: Vec<&str> = broken
        .constraint_violations()
        .iter()
        .map(|(field, _)| *field)
        .collect();
    assert_eq!(fields, ["name", "code", "odd"]);
    // An exclusive minimum: 0 is not above it.
    let zero = thing(json!({"name": "a", "odd": 0}));
    let violations = zero.constraint_violations();
    assert!(
        matches!(
            violations[0].1.constraint(),
            Constraint::Minimum {
                exclusive: true,
                ..
            }
        ),
        "{violations:?}"
    );
}

#[test]
fn undeclared_properties_beside_one_named_like_them() {
    let value = json!({"R": 1, "additional_properties": true, "B": 3});
    let color: Color = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(color.additional_properties, Some(true));
    assert_eq!(color.additional_properties_.get("B"), Some(&3));
    assert_eq!(serde_json::to_value(&color).unwrap(), value);
}

#[test]
fn values_with_odd_text_and_recursive_unions_round_trip() {
    assert_eq!(Kind::from("a`b"), Kind::KNOWN[0]);
    assert_eq!(Kind::from("two\nlines").as_str(), "two\nlines");
    // A bidirectional override is kept in the value (escaped in the source).
    assert!(!Kind::from("rtl\u{202E}override").is_unknown());
    let nested = json!({"name": "a", "next": {"name": "b", "next": "c", "only": {"R": 1}}});
    let thing: Thing = serde_json::from_value(nested.clone()).unwrap();
    assert!(
        matches!(thing.next, Some(ThingOrName::ThingAlias(_))),
        "{thing:?}"
    );
    assert_eq!(serde_json::to_value(&thing).unwrap(), nested);
}
