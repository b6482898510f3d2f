//! `cargo xtask regen [--from FILE | --version TAG] [--sha256 HEX] [--check] [--root DIR]`
//! `cargo xtask build-on FILE [--target-dir DIR] [--root DIR]`
//! `cargo xtask generate FILE...`
//! `cargo xtask package-check [--features default|AREA,...] [--target-dir DIR] [--root DIR]`

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::build_on::{self, BuildOn};
use xtask::generate;
use xtask::package_check::{self, PackageCheck};
use xtask::regen::{self, Options, Source};

const USAGE: &str = "\
usage:
  cargo xtask regen [--from FILE | --version TAG] [--sha256 HEX] [--root DIR]
      move the crate to a release of Pinterest's OpenAPI description (with neither --from nor
      --version: re-derive the committed files from the pinned description in place);
      prints the change as a CHANGELOG.md section
  cargo xtask regen --check [--root DIR]
      fail if openapi/pin.json, openapi/fixes.txt or Cargo.toml's features
      block is stale against the description in place
  cargo xtask build-on FILE [--target-dir DIR] [--root DIR]
      regenerate a copy of the project (target/xtask/build-on) from FILE and cargo check it
  cargo xtask generate FILE...
      run the generation pipeline (no pin check, the full API) on each description and parse
      the code: one line per release (operations, schemas, the fixes that touched something),
      or the pipeline's one-line error; fails if any release does not generate
  cargo xtask package-check [--features default|AREA,...] [--target-dir DIR] [--root DIR]
      package pinterest-v5-codegen and pinterest-v5, unpack them outside the checkout, check
      what they hold, and build and run offline a crate depending on them (xtask/consumer)
      that calls one operation against a loopback server (features: user_account)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The value after a flag.
fn value(args: &mut std::vec::IntoIter<String>, flag: &str) -> Result<String, String> {
    args.next()
        .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut args = args.into_iter();
    let task = args.next();
    let mut root = xtask::default_root();
    match task.as_deref() {
        Some("regen") => {
            let (mut from, mut version, mut sha256, mut check) = (None, None, None, false);
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--from" => from = Some(PathBuf::from(value(&mut args, "--from")?)),
                    "--version" => version = Some(value(&mut args, "--version")?),
                    "--sha256" => sha256 = Some(value(&mut args, "--sha256")?),
                    "--root" => root = PathBuf::from(value(&mut args, "--root")?),
                    "--check" => check = true,
                    other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
                }
            }
            if check {
                if from.is_some() || version.is_some() || sha256.is_some() {
                    return Err("--check checks the description in place: it takes no --from, --version or --sha256".into());
                }
                return check_task(&root);
            }
            let source = match (from, version) {
                (Some(_), Some(_)) => {
                    return Err("give --from FILE or --version TAG, not both".into());
                }
                (Some(file), None) => Source::File(file),
                (None, Some(tag)) => Source::Upstream(tag),
                (None, None) => Source::InPlace,
            };
            regen_task(Options {
                root,
                source,
                sha256,
            })
        }
        Some("build-on") => {
            let mut description = None;
            let mut target_dir = None;
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--root" => root = PathBuf::from(value(&mut args, "--root")?),
                    "--target-dir" => {
                        target_dir = Some(PathBuf::from(value(&mut args, "--target-dir")?))
                    }
                    other if !other.starts_with("--") && description.is_none() => {
                        description = Some(PathBuf::from(other))
                    }
                    other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
                }
            }
            let description =
                description.ok_or_else(|| format!("build-on needs a description FILE\n{USAGE}"))?;
            build_on::run(&BuildOn {
                root,
                description,
                target_dir,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some("generate") => {
            let files: Vec<PathBuf> = args.map(PathBuf::from).collect();
            if let Some(flag) = files.iter().find(|f| f.to_string_lossy().starts_with("--")) {
                return Err(format!("unknown argument `{}`\n{USAGE}", flag.display()));
            }
            if files.is_empty() {
                return Err(format!("generate needs a description FILE\n{USAGE}"));
            }
            generate::run(&files)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("package-check") => {
            let mut areas = Some(vec!["user_account".to_string()]);
            let mut target_dir = None;
            while let Some(arg) = args.next() {
                match arg.as_str() {
                    "--root" => root = PathBuf::from(value(&mut args, "--root")?),
                    "--target-dir" => {
                        target_dir = Some(PathBuf::from(value(&mut args, "--target-dir")?))
                    }
                    "--features" => {
                        areas = match value(&mut args, "--features")?.as_str() {
                            "default" => None,
                            list => Some(list.split(',').map(str::to_string).collect()),
                        }
                    }
                    other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
                }
            }
            package_check::run(&PackageCheck {
                root,
                areas,
                target_dir,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown task `{other}`\n{USAGE}")),
    }
}

fn regen_task(opts: Options) -> Result<ExitCode, String> {
    let plan = regen::prepare(&opts)?;
    let written = plan.apply(&opts.root)?;
    // The CHANGELOG section on stdout (paste it as is); what was done on stderr.
    print!("{}", plan.changelog);
    eprintln!(
        "regen: v{} from {} (sha256 {})",
        plan.pin.version, plan.origin, plan.pin.sha256
    );
    if written.is_empty() {
        eprintln!("regen: every file was already in step");
    } else {
        eprintln!("regen: wrote {}", written.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn check_task(root: &std::path::Path) -> Result<ExitCode, String> {
    let check = regen::check(root)?;
    if check.stale.is_empty() {
        println!(
            "regen --check: the pin, fixes' report and features block are in step with {}",
            check.path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut files = 0;
    for line in &check.stale {
        if line.starts_with(' ') {
            eprintln!("{line}");
        } else {
            files += 1;
            eprintln!("stale: {line}");
        }
    }
    eprintln!(
        "error: {files} file(s) stale against {}: run `{}` and commit the result",
        check.path.display(),
        check.remedy()
    );
    Ok(ExitCode::FAILURE)
}
