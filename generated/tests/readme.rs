//! The README's complete program is `examples/quickstart.rs`, which `cargo test` compiles:
//! this checks that the README shows that file as it is, so the two cannot drift apart.

#[test]
fn the_readme_shows_the_quickstart_example_as_it_is() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/../README.md")).unwrap();
    let example = std::fs::read_to_string(format!("{root}/examples/quickstart.rs")).unwrap();
    // The program without its module docs, which say how to run it.
    let program = &example[example.find("\nuse ").expect("a `use` line") + 1..];
    assert!(
        readme.contains(&format!("```rust\n{program}```")),
        "README.md does not show examples/quickstart.rs as it is; copy the file's code from its first `use` line"
    );
}
