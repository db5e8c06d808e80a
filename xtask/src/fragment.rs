//! `cargo xtask fragment`.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("not yet".to_owned())
}
