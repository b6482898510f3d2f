//! `pinterest`: every operation of Pinterest's REST API v5 from the command line.
//!
//! The subcommands are built at run time from the crate's operation table
//! (`pinterest_v5::operation`), grouped by API area (`pinterest pins create --board-id …`);
//! `pinterest call OPERATION_ID` names any operation by its id for scripts. Requests go through
//! the crate's client: OAuth tokens kept in the user's config directory and refreshed, retries,
//! rate limits, bookmark pagination and the video upload flow.

mod auth;
mod command;
mod exit;
mod media;
mod output;
mod request;
mod settings;

use exit::Failure;
use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = match command::root().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(match e.use_stderr() {
                true => exit::Status::Usage as u8,
                false => 0,
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Failure::other(format!("cannot start the runtime: {e}")).report(),
    };
    match runtime.block_on(command::run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
