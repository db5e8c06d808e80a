fn config(p: &str) -> generator::Config {
    generator::Config { crate_name: "x".into(), crate_version: "0.1.0".into(), spec_path: p.into(), command: "c".into(), dev_dependencies: vec![], skip_unsupported: false }
}
#[test]
fn deep() {
    for depth in [20usize, 40, 60] {
        let mut schema = "{\"type\": \"string\"}".to_owned();
        for i in 0..depth {
            schema = if i % 2 == 0 { format!("{{\"type\": \"array\", \"items\": {schema}}}") } else { format!("{{\"type\": \"object\", \"properties\": {{\"p\": {schema}}}}}") };
        }
        let spec = format!("{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"x\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}");
        let t = std::time::Instant::now();
        let r = generator::generate(&spec, &config("s.json"));
        println!("depth {depth}: {} in {:?}", match &r { Ok(_) => "ok".to_owned(), Err(e) => e.message.clone() }, t.elapsed());
        let mut broken = spec.clone();
        broken = broken.replacen("\"string\"", "\"string\", \"minLength\": -1", 1);
        let r = generator::generate(&broken, &config("s.json"));
        println!("  broken: {}", match &r { Ok(_) => "ok".to_owned(), Err(e) => format!("{} at {}", e.message, e.pointer.len()) });
    }
}
