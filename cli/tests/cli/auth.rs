//! `pinterest auth login` end to end, the test playing the browser: it reads the consent
//! page's URL the tool prints, consents on the stand-in, and follows the redirect to the
//! tool's loopback listener. Then `status`, and `logout`.

use crate::Stand;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

/// GETs `url` (http on loopback) and answers the reply's status line.
fn browse(url: &str) -> String {
    let parsed = url::Url::parse(url).expect("a URL");
    let host = parsed.host_str().expect("a host");
    let port = parsed.port().expect("a port");
    let mut stream = TcpStream::connect((host, port)).expect("the listener answers");
    let target = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_string(),
    };
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nhost: {host}:{port}\r\nconnection: close\r\n\r\n"
    )
    .expect("request sent");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.lines().next().unwrap_or_default().to_string()
}

/// A `pinterest auth login` in progress, and the consent page's URL it printed.
struct Login {
    child: std::process::Child,
    stderr: BufReader<std::process::ChildStderr>,
    url: String,
    seen: String,
}

impl Login {
    /// Starts `auth login --no-browser` on a loopback redirect URI, with `args` after it, and
    /// reads the authorization URL it prints.
    fn start(stand: &Stand, args: &[&str]) -> Login {
        let mut child = stand
            .pinterest()
            .args([
                "--redirect-uri",
                "http://127.0.0.1:0/callback",
                "auth",
                "login",
                "--no-browser",
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut seen = String::new();
        let url = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).expect("stderr read") == 0 {
                panic!("no authorization URL printed: {seen}");
            }
            seen.push_str(&line);
            if line.trim_start().starts_with("http") && line.contains("client_id=") {
                break line.trim().to_string();
            }
        };
        Login {
            child,
            stderr,
            url,
            seen,
        }
    }

    /// Waits for the command to end: its exit status and all it wrote on stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        let status = self.child.wait().expect("the binary ends");
        (status.code(), self.seen + &rest)
    }
}

#[test]
fn login_saves_the_token_status_shows_it_and_logout_removes_it() {
    let stand = Stand::start();
    let login = Login::start(
        &stand,
        &["--scopes", "boards:read,pins:read", "--timeout", "30"],
    );
    let redirect = stand.standin.consent(&login.url).expect("consent");
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    assert_eq!(browse(&redirect), "HTTP/1.1 200 OK");
    let (status, stderr) = login.finish();
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("Signed in"), "{stderr}");
    assert_eq!(stand.standin.counters().grant("authorization_code"), 1);

    let saved = stand.saved();
    assert!(!stderr.contains(saved.access_token().secret()), "{stderr}");
    let out = stand.run(&["auth", "status"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(
        out.json()["scopes"],
        serde_json::json!(["boards:read", "pins:read"])
    );
    assert!(
        !out.stdout.contains(saved.access_token().secret()),
        "{out:?}"
    );

    // The token works for a call.
    assert_eq!(stand.run(&["boards", "list"]).status, 0);

    let out = stand.run(&["auth", "logout"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert!(!stand.token_file().exists());
    let out = stand.run(&["auth", "status"]);
    assert_eq!(out.status, 3, "{out:?}");
}

#[test]
fn a_spare_connection_the_browser_never_sends_on_does_not_hold_up_the_redirect() {
    let stand = Stand::start();
    // The listener gives up reading a silent connection after 10 s; a login that read one
    // connection at a time would run out of its 8 s before it read the redirect.
    let login = Login::start(&stand, &["--timeout", "8"]);
    let redirect = stand.standin.consent(&login.url).expect("consent");
    let parsed = url::Url::parse(&redirect).expect("a URL");
    let spare = TcpStream::connect((
        parsed.host_str().expect("a host"),
        parsed.port().expect("a port"),
    ))
    .expect("the listener answers");
    assert_eq!(browse(&redirect), "HTTP/1.1 200 OK");
    let (status, stderr) = login.finish();
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stand.standin.counters().grant("authorization_code"), 1);
    drop(spare);
}

#[test]
fn a_redirect_with_the_wrong_state_is_refused() {
    let stand = Stand::start();
    let login = Login::start(&stand, &["--timeout", "30"]);
    let redirect = stand.standin.consent(&login.url).expect("consent");
    let forged = url::Url::parse(&redirect).expect("a URL");
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .map(|(k, v)| match k.as_ref() {
            "state" => (k.into_owned(), "forged".to_string()),
            _ => (k.into_owned(), v.into_owned()),
        })
        .collect();
    let mut forged = forged.clone();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    browse(forged.as_str());
    let (status, stderr) = login.finish();
    assert_eq!(status, Some(3), "{stderr}");
    assert_eq!(stand.standin.counters().grant("authorization_code"), 0);
    assert!(!stand.token_file().exists());
}
