//! Tests run inside the crate generated from `pets.yaml` (see that file, and `.ci/run`).

use pets::models::Pet;
use serde_json::json;

#[test]
fn a_subtype_without_the_tag_property_reads_back_as_itself() {
    let cat = json!({"kind": "cat", "lives": 9});
    let pet: Pet = serde_json::from_value(cat.clone()).unwrap();
    assert!(matches!(pet, Pet::Cat(_)), "{pet:?}");
    // `Cat` has no `kind`; writing the variant puts its tag back.
    assert_eq!(serde_json::to_value(&pet).unwrap(), cat);

    let dog = json!({"kind": "dog", "bark": true});
    let pet: Pet = serde_json::from_value(dog.clone()).unwrap();
    assert!(matches!(pet, Pet::Dog(_)), "{pet:?}");
    assert_eq!(serde_json::to_value(&pet).unwrap(), dog);

    let fish = json!({"kind": "fish", "fins": 2});
    let pet: Pet = serde_json::from_value(fish.clone()).unwrap();
    assert!(matches!(pet, Pet::Unknown(_)), "{pet:?}");
    assert_eq!(serde_json::to_value(&pet).unwrap(), fish);
}
