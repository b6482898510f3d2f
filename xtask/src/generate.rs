//! `cargo xtask generate FILE...`: show that the pipeline generates from each release of the
//! description, without compiling anything.
//!
//! For each file it runs what `build.rs` runs ([`pinterest_v5_codegen::run`], the full API),
//! parses the result with `syn` (generated code that does not parse is a failure too), and
//! prints one line: the release, its operations and schemas, and the fixes and passes that
//! touched something, with their counts. A release that fails gets the pipeline's own one-line
//! reason instead, and the task fails once every file has been tried. It takes seconds a release where `cargo check` takes minutes, so CI runs it
//! on every release beside the checkout and `cargo check`s only those the hand-written layer is
//! meant to build on.

use pinterest_v5_codegen::load;
use std::path::Path;
use std::time::Instant;

/// What one release generated.
pub struct Generated {
    /// `info.version` of the description.
    pub version: String,
    /// Operations generated.
    pub operations: usize,
    /// Component schemas after the fixes.
    pub schemas: usize,
    /// The fixes and passes that touched something: name and count, in pipeline order.
    pub touched: Vec<(&'static str, usize)>,
    /// Seconds the pipeline and the parse took.
    pub secs: f64,
}

impl std::fmt::Display for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let touched: Vec<String> = self
            .touched
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        write!(
            f,
            "v{}: {} operations, {} schemas, generated and parsed in {:.1} s; fixes: {}",
            self.version,
            self.operations,
            self.schemas,
            self.secs,
            touched.join(", ")
        )
    }
}

/// Generates from the description in `file` (any release: no pin check) and parses the code.
/// Every error is one line naming the file.
pub fn one(file: &Path) -> Result<Generated, String> {
    let started = Instant::now();
    let at = file.display();
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {at}: {e}"))?;
    let spec = load::parse(&bytes).map_err(|e| format!("{at}: {e}"))?;
    let version = spec
        .pointer("/info/version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("?")
        .to_string();
    let out = pinterest_v5_codegen::run(&spec, None)
        .map_err(|e| format!("{at} (v{version}): {}", crate::one_line(&e)))?;
    syn::parse_file(&out.code).map_err(|e| {
        format!("{at} (v{version}): the generated code does not parse as Rust: {e}")
    })?;
    Ok(Generated {
        version,
        operations: out.operations,
        schemas: out.schemas,
        touched: out
            .report
            .lines
            .iter()
            .filter(|l| l.count > 0)
            .map(|l| (l.name, l.count))
            .collect(),
        secs: started.elapsed().as_secs_f64(),
    })
}

/// Generates from every file in turn, printing a line for each (a failure on stderr), and fails
/// if any did.
pub fn run(files: &[impl AsRef<Path>]) -> Result<(), String> {
    if files.is_empty() {
        return Err("generate needs at least one description FILE".into());
    }
    let mut failed = 0;
    for file in files {
        match one(file.as_ref()) {
            Ok(generated) => println!("generate: {generated}"),
            Err(message) => {
                failed += 1;
                eprintln!("generate: failed: {message}");
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(format!(
            "{n} of {} description(s) do not generate (see above)",
            files.len()
        )),
    }
}
