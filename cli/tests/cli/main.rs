//! The `pinterest` binary, run as a user runs it, against the stand-in and httpmock on
//! loopback: one module per capability.

mod auth;
mod bad_input;
mod call;
mod completions;
mod exit_codes;
mod media;
mod operations;
mod output;
mod pages;
mod refresh;

use pinterest_v5::auth::Token;
use pinterest_v5_standin::Standin;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// The binary, with none of the caller's `PINTEREST_*` settings and its config directory in
/// `config_dir`.
pub fn pinterest(config_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinterest"));
    for (name, _) in std::env::vars() {
        if name.starts_with("PINTEREST_") {
            command.env_remove(name);
        }
    }
    command
        .env("PINTEREST_CONFIG_DIR", config_dir)
        .stdin(Stdio::null());
    command
}

/// Runs `command` with `stdin` as its standard input.
pub fn run_with_stdin(command: &mut Command, stdin: &str) -> Run {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    finish(child.wait_with_output().expect("the binary ends"))
}

/// Runs `command` to its end.
pub fn run(command: &mut Command) -> Run {
    finish(command.output().expect("the binary runs"))
}

fn finish(output: std::process::Output) -> Run {
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The stand-in, served by a runtime of its own while the test runs the binary, and a config
/// directory.
pub struct Stand {
    pub standin: Standin,
    pub runtime: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
}

impl Stand {
    pub fn start() -> Stand {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let standin = runtime.block_on(Standin::start()).expect("stand-in");
        Stand {
            standin,
            runtime,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The binary against the stand-in, with the app's id and secret in the environment.
    pub fn pinterest(&self) -> Command {
        let mut command = pinterest(self.dir.path());
        command
            .args(["--base-url", &self.standin.base_url()])
            .env("PINTEREST_APP_ID", self.standin.client_id())
            .env("PINTEREST_APP_SECRET", self.standin.client_secret());
        command
    }

    /// Runs the binary against the stand-in with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        run(self.pinterest().args(args))
    }

    /// The token file of the config directory.
    pub fn token_file(&self) -> PathBuf {
        self.dir.path().join("token.json")
    }

    /// Saves tokens issued by the stand-in for `scopes` as `auth login` would.
    pub fn sign_in(&self, scopes: &[&str]) -> Token {
        let issued = self.standin.issue_tokens(scopes);
        let token = Token::new(issued.access_token)
            .with_refresh_token(issued.refresh_token.expect("a refresh token"))
            .with_expires_in(std::time::Duration::from_secs(issued.expires_in));
        self.save(&token);
        token
    }

    /// Writes `token` to the token file.
    pub fn save(&self, token: &Token) {
        std::fs::write(
            self.token_file(),
            serde_json::to_vec(token).expect("a token as JSON"),
        )
        .expect("token file written");
    }

    /// The token in the token file.
    pub fn saved(&self) -> Token {
        let bytes = std::fs::read(self.token_file()).expect("a token file");
        serde_json::from_slice(&bytes).expect("a token")
    }
}

/// A directory for a run that talks to httpmock (no token file: `--token` gives the token).
pub fn config_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The binary against `server` with a bare token.
pub fn against(server: &httpmock::MockServer, dir: &Path) -> Command {
    let mut command = pinterest(dir);
    command.args(["--base-url", &server.base_url(), "--token", SECRET_TOKEN]);
    command
}

/// The bare token of the httpmock runs; it must never be printed.
pub const SECRET_TOKEN: &str = "pina_SECRETSECRET";
