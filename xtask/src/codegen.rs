//! `cargo xtask codegen`.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("not yet".to_owned())
}
