//! A user's program: one call of `pinterest-v5`, against a loopback server it starts itself (a
//! std listener that answers one request with one JSON reply). It exits non-zero, saying why,
//! unless the call was sent as Pinterest expects it and its reply decoded.

use pinterest_v5::{Client, Environment};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::ExitCode;

const TOKEN: &str = "consumer-check-token";
/// A reply with a field the description does not know, as the API may send.
const REPLY: &str =
    r#"{"username":"consumer_check","account_type":"BUSINESS","field_added_later":1}"#;

/// Answers one request; returns its request line and whether it carried the bearer token.
fn serve_one(listener: TcpListener) -> std::io::Result<(String, bool)> {
    let (mut stream, _) = listener.accept()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut authorised = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            authorised |= name.eq_ignore_ascii_case("authorization")
                && value.trim() == format!("Bearer {TOKEN}");
        }
    }
    let request_line = request_line.trim_end().to_string();
    let (status, body) = if request_line.starts_with("GET /v5/user_account ") && authorised {
        ("200 OK", REPLY)
    } else {
        (
            "400 Bad Request",
            r#"{"code":1,"message":"not the expected request"}"#,
        )
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    Ok((request_line, authorised))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let server = std::thread::spawn(move || serve_one(listener));
    let environment =
        Environment::custom(format!("http://{addr}/v5")).map_err(|e| e.to_string())?;
    let client = Client::builder()
        .environment(environment)
        .access_token(TOKEN)
        .build()
        .map_err(|e| e.to_string())?;
    let reply = client.user_account_get().send().await;
    let (request_line, authorised) = server
        .join()
        .map_err(|_| "the loopback server panicked".to_string())?
        .map_err(|e| format!("the loopback server failed: {e}"))?;
    let account = reply
        .map_err(|e| format!("`{request_line}` (bearer token sent: {authorised}) failed: {e}"))?
        .into_inner();
    match account.username.as_deref() {
        Some("consumer_check") => Ok(format!(
            "consumer: `{request_line}` answered, decoded: username {:?}, account type {:?}",
            account.username.as_deref().unwrap_or_default(),
            account.account_type
        )),
        other => Err(format!(
            "the reply decoded to username {other:?}, not \"consumer_check\""
        )),
    }
}
