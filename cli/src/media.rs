//! `pinterest media upload FILE`: the crate's video flow (register, send the file to the
//! storage service, wait for processing, and with `--board-id` create the pin), with a
//! progress bar on stderr.

use crate::exit::Failure;
use crate::output;
use crate::settings::Settings;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use indicatif::{ProgressBar, ProgressStyle};
use pinterest_v5::media::{Progress, VideoSource};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// The subcommand's name in the `media` area.
pub(crate) const UPLOAD: &str = "upload";

/// `pinterest media upload`.
pub(crate) fn command() -> Command {
    let text = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name("TEXT")
            .action(ArgAction::Set)
            .requires("board-id")
            .help(help)
    };
    Command::new(UPLOAD)
        .about(
            "Uploads a video and waits until Pinterest has processed it; with --board-id, pins it",
        )
        .long_about(
            "Uploads a video (MP4 or MOV) and waits until Pinterest has processed it, printing \
             its media id; with --board-id, also creates a pin showing it. Progress goes to \
             stderr.",
        )
        .arg(
            Arg::new("file")
                .value_name("FILE")
                .required(true)
                .value_parser(value_parser!(PathBuf))
                .help("The video file"),
        )
        .arg(
            Arg::new("board-id")
                .long("board-id")
                .value_name("TEXT")
                .action(ArgAction::Set)
                .help("Create a pin on this board showing the video"),
        )
        .arg(text("title", "The pin's title"))
        .arg(text("description", "The pin's description"))
        .arg(text("link", "The pin's destination link"))
        .arg(text("cover-image-url", "The pin's cover image"))
        .arg(
            Arg::new("poll-interval")
                .long("poll-interval")
                .value_name("SECONDS")
                .value_parser(seconds)
                .default_value("2")
                .help("Seconds between two looks at the processing status"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .value_parser(seconds)
                .default_value("600")
                .help("Seconds to wait for processing"),
        )
}

/// Runs `pinterest media upload`.
pub(crate) async fn upload(settings: &Settings, m: &ArgMatches) -> Result<(), Failure> {
    let Some(file) = m.get_one::<PathBuf>("file") else {
        return Err(Failure::usage("name the video file"));
    };
    let duration = |id: &str, default: u64| {
        m.get_one::<Duration>(id)
            .copied()
            .unwrap_or(Duration::from_secs(default))
    };
    let (poll, timeout) = (duration("poll-interval", 2), duration("timeout", 600));
    let client = settings.client().await?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let report = move |p: &Progress| match p {
        Progress::Uploading {
            sent,
            total: Some(total),
            ..
        } => {
            shown.set_length(*total);
            shown.set_position(*sent);
        }
        Progress::Uploading { sent, .. } => shown.set_position(*sent),
        other => shown.set_message(other.to_string()),
    };
    let source = VideoSource::path(file);
    let reply = match m.get_one::<String>("board-id") {
        None => {
            let media_id = client
                .upload_video(source)
                .poll_interval(poll)
                .timeout(timeout)
                .on_progress(report)
                .send()
                .await;
            media_id.map(|id| Ok(json!({ "media_id": id })))
        }
        Some(board) => {
            let mut upload = client
                .video_pin(board, source)
                .poll_interval(poll)
                .timeout(timeout)
                .on_progress(report);
            let text = |id: &str| m.get_one::<String>(id).cloned();
            if let Some(t) = text("title") {
                upload = upload.title(t);
            }
            if let Some(t) = text("description") {
                upload = upload.description(t);
            }
            if let Some(t) = text("link") {
                upload = upload.link(t);
            }
            if let Some(t) = text("cover-image-url") {
                upload = upload.cover_image_url(t);
            }
            match upload.send().await {
                Ok(created) => {
                    let pin = serde_json::to_value(&created.pin).map_err(|e| {
                        Failure::other(format!(
                            "pin {} was created, but cannot be shown: {e}",
                            created.pin.id
                        ))
                    });
                    Ok(pin.map(|pin| json!({ "media_id": created.media_id, "pin": pin })))
                }
                Err(e) => Err(e),
            }
        }
    };
    bar.finish_and_clear();
    let reply = match reply {
        Ok(Ok(value)) => value,
        Ok(Err(failure)) => return Err(failure),
        Err(e) => return Err(e.into()),
    };
    output::print(settings.format, &reply)
}

/// A positive number of seconds (`0.5`, `2`).
fn seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}
