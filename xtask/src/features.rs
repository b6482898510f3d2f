//! The generated block of cargo features in the root `Cargo.toml`: one feature per API area
//! (a tag of the description) and `full` for all of them.

use std::collections::BTreeSet;

/// The block's first line.
pub const BEGIN: &str = "# BEGIN GENERATED FEATURES (cargo xtask regen keeps this block in step with the description's tags)";
/// The block's last line.
pub const END: &str = "# END GENERATED FEATURES";

/// The block, first to last line, each ending in a newline.
///
/// A tag must be usable as a feature name that `build.rs` finds again as
/// `CARGO_FEATURE_<TAG>`: lowercase letters, digits and `_`.
pub fn render(areas: &BTreeSet<String>) -> Result<String, String> {
    for area in areas {
        let ok = !area.is_empty()
            && area
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && area != "full"
            && area != "default";
        if !ok {
            return Err(format!(
                "the description's tag `{area}` cannot name a cargo feature (only a-z, 0-9 and _, not `full` or `default`): teach codegen/src/filter.rs and build.rs a mapping first"
            ));
        }
    }
    let quoted: Vec<String> = areas.iter().map(|a| format!("\"{a}\"")).collect();
    let mut out = format!("{BEGIN}\nfull = [{}]\n", quoted.join(", "));
    for area in areas {
        out.push_str(&format!("{area} = []\n"));
    }
    out.push_str(END);
    out.push('\n');
    Ok(out)
}

/// The byte range of the block in `toml`, from the start of its first line to after its last.
fn span(toml: &str) -> Result<(usize, usize), String> {
    let missing = "Cargo.toml has no `# BEGIN GENERATED FEATURES` … `# END GENERATED FEATURES` block in [features]: put the two marker lines back";
    let start = toml.find("# BEGIN GENERATED FEATURES").ok_or(missing)?;
    let end_marker = toml[start..].find(END).ok_or(missing)? + start;
    let end = toml[end_marker..]
        .find('\n')
        .map_or(toml.len(), |i| end_marker + i + 1);
    Ok((start, end))
}

/// The block as it stands in `toml`.
pub fn current(toml: &str) -> Result<&str, String> {
    let (start, end) = span(toml)?;
    Ok(&toml[start..end])
}

/// `toml` with its block replaced by `block`.
pub fn replace(toml: &str, block: &str) -> Result<String, String> {
    let (start, end) = span(toml)?;
    Ok(format!("{}{block}{}", &toml[..start], &toml[end..]))
}

/// The areas a block declares (every feature but `full`).
pub fn areas(block: &str) -> BTreeSet<String> {
    block
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(name, _)| name.trim().to_string())
        .filter(|name| name != "full")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn block_lists_full_then_each_area() {
        let block = render(&set(&["pins", "boards"])).unwrap();
        assert_eq!(
            block,
            format!("{BEGIN}\nfull = [\"boards\", \"pins\"]\nboards = []\npins = []\n{END}\n")
        );
        assert_eq!(areas(&block), set(&["boards", "pins"]));
    }

    #[test]
    fn replacing_keeps_the_rest_of_the_file() {
        let toml = format!(
            "[features]\ndefault = [\"full\"]\n{BEGIN}\nfull = []\n{END}\n\n[[test]]\nname = \"it\"\n"
        );
        let block = render(&set(&["pins"])).unwrap();
        let out = replace(&toml, &block).unwrap();
        assert_eq!(
            out,
            format!("[features]\ndefault = [\"full\"]\n{block}\n[[test]]\nname = \"it\"\n")
        );
        assert_eq!(current(&out).unwrap(), block);
    }

    #[test]
    fn tags_that_cannot_be_features_are_refused() {
        let err = render(&set(&["ad accounts"])).unwrap_err();
        assert!(err.contains("`ad accounts`"), "{err}");
        assert!(current("[features]\n").is_err());
    }
}
