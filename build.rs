//! Generates the whole Pinterest API v5 client into `OUT_DIR` (see `codegen/`).
fn main() {
    pinterest_v5_codegen::build::run();
}
