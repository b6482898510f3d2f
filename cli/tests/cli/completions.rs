//! `pinterest completions SHELL`.

use crate::{config_dir, pinterest, run};

#[test]
fn each_shell_gets_a_script_that_knows_the_areas_and_their_operations() {
    let dir = config_dir();
    for (shell, marker) in [
        ("bash", "_pinterest()"),
        ("zsh", "#compdef pinterest"),
        ("fish", "complete -c pinterest"),
    ] {
        let out = run(pinterest(dir.path()).args(["completions", shell]));
        assert_eq!(out.status, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(out.stdout.contains("list-pins"), "{shell}");
        assert!(out.stdout.contains("board-id"), "{shell}");
    }
    let unknown = run(pinterest(dir.path()).args(["completions", "tcsh"]));
    assert_eq!(unknown.status, 2);
}
