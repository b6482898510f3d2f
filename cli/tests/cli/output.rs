//! `--output yaml|table`.

use crate::Stand;

#[test]
fn yaml_and_table_show_the_reply() {
    let stand = Stand::start();
    stand.sign_in(&["boards:read", "boards:write"]);
    for name in ["Soups", "Breads"] {
        assert_eq!(stand.run(&["boards", "create", "--name", name]).status, 0);
    }
    let yaml = stand.run(&["--output", "yaml", "boards", "list"]);
    assert_eq!(yaml.status, 0, "{yaml:?}");
    let parsed: serde_json::Value = serde_yaml_ng::from_str(&yaml.stdout).expect("YAML");
    assert_eq!(
        parsed["items"].as_array().map(Vec::len),
        Some(2),
        "{yaml:?}"
    );

    let table = stand.run(&["boards", "list", "-o", "table"]);
    assert_eq!(table.status, 0, "{table:?}");
    let header = table.stdout.lines().nth(1).expect("a header");
    assert!(
        header.contains("id") && header.contains("name"),
        "{table:?}"
    );
    assert!(table.stdout.contains("Soups") && table.stdout.contains("Breads"));
}
