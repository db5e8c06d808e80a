//! The larger corpora kept beside this repository in `../shared/` (the documentation
//! page the fixtures came from). A lone clone does not have them: a test that needs them
//! prints why it is skipped and passes, unless `REQUIRE_SHARED_CORPORA` is set (as
//! `.ci/run` sets it), in which case their absence fails the test.

use std::path::Path;

/// The text of `../shared/<relative>`, or `None` when the corpora are absent and not
/// required.
pub fn read(relative: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) if std::env::var_os("REQUIRE_SHARED_CORPORA").is_some() => panic!(
            "REQUIRE_SHARED_CORPORA is set but {} cannot be read: {error}",
            path.display()
        ),
        Err(error) => {
            eprintln!(
                "skipped: {} cannot be read ({error}); it is in the corpora beside the \
                 repository, which CI has (set REQUIRE_SHARED_CORPORA to make this an error)",
                path.display()
            );
            None
        }
    }
}
