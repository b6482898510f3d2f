//! Video pins in one call (`client.video_pin(…)`), against the local stand-in: registration,
//! the upload to the storage service, polling, pin creation, and each way it can fail.

use bytes::Bytes;
use pinterest_v5::error::MediaError;
use pinterest_v5::media::{Progress, VideoSource};
use pinterest_v5::types::{BoardCreate, BoardPrivacy, PinMedia};
use pinterest_v5::{Client, Environment, Error};
use pinterest_v5_standin::{MediaOutcome, Standin};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SCOPES: [&str; 4] = ["boards:read", "boards:write", "pins:read", "pins:write"];

/// The eight fields `POST /v5/media` hands out as `upload_parameters`.
const UPLOAD_FIELDS: [&str; 8] = [
    "Content-Type",
    "key",
    "policy",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-signature",
];

struct Setup {
    standin: Standin,
    client: Client,
    board_id: String,
}

async fn setup() -> Setup {
    let standin = Standin::start().await.expect("stand-in");
    let client = Client::builder()
        .environment(Environment::custom(standin.base_url()).expect("a loopback URL"))
        .access_token(standin.issue_tokens(&SCOPES).access_token)
        .build()
        .expect("a client");
    let board = client
        .boards_create()
        .body(BoardCreate {
            name: "Videos".into(),
            description: None,
            is_ads_only: false,
            privacy: BoardPrivacy::Public,
        })
        .send()
        .await
        .expect("a board")
        .into_inner();
    Setup {
        standin,
        client,
        board_id: board.id,
    }
}

/// A temporary "video" of `len` bytes with a recognisable pattern.
fn video_file(len: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("clip.mp4");
    let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let mut file = std::fs::File::create(&path).expect("a file");
    file.write_all(&content).expect("written");
    (dir, path, content)
}

/// A progress callback that keeps every step.
fn recorder() -> (
    Arc<Mutex<Vec<Progress>>>,
    impl Fn(&Progress) + Send + Sync + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (seen, move |p: &Progress| {
        if let Ok(mut v) = sink.lock() {
            v.push(p.clone());
        }
    })
}

fn fast(
    upload: pinterest_v5::media::VideoPinUpload<'_>,
) -> pinterest_v5::media::VideoPinUpload<'_> {
    upload
        .poll_interval(Duration::from_millis(10))
        .timeout(Duration::from_secs(2))
}

#[tokio::test]
async fn a_video_pin_goes_through_register_upload_poll_and_create() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    standin.set_media_processing_polls(2);
    let (_dir, path, content) = video_file(300_000);
    let (seen, on_progress) = recorder();

    let created = fast(client.video_pin(board_id.clone(), VideoSource::path(&path)))
        .title("Soup in five minutes")
        .cover_image_url("https://example.com/cover.jpg")
        .on_progress(on_progress)
        .send()
        .await
        .expect("a video pin");

    assert_eq!(created.pin.board_id.as_deref(), Some(board_id.as_str()));
    assert_eq!(created.pin.title.as_deref(), Some("Soup in five minutes"));
    match &created.pin.media {
        Some(PinMedia::Video(v)) => {
            assert_eq!(
                v.cover_image_url.as_deref(),
                Some("https://example.com/cover.jpg")
            )
        }
        other => panic!("expected video media, got {other:?}"),
    }

    let counters = standin.counters();
    assert_eq!(counters.route("POST /v5/media"), 1);
    assert_eq!(counters.route("POST /upload/"), 1);
    assert_eq!(
        counters.route("GET /v5/media/{media_id}"),
        3,
        "processing, processing, succeeded"
    );
    assert_eq!(counters.route("POST /v5/pins"), 1);

    let seen = seen.lock().expect("progress").clone();
    let id = created.media_id.clone();
    assert_eq!(
        seen.first(),
        Some(&Progress::Registered {
            media_id: id.clone()
        })
    );
    let last_upload = seen
        .iter()
        .filter_map(|p| match p {
            Progress::Uploading { sent, total, .. } => Some((*sent, *total)),
            _ => None,
        })
        .next_back();
    assert_eq!(
        last_upload,
        Some((content.len() as u64, Some(content.len() as u64)))
    );
    assert!(seen.contains(&Progress::Uploaded {
        media_id: id.clone(),
        bytes: content.len() as u64
    }));
    let processing = seen
        .iter()
        .filter(|p| matches!(p, Progress::Processing { .. }))
        .count();
    assert_eq!(processing, 2);
    assert_eq!(
        seen[seen.len() - 2..],
        [
            Progress::Succeeded { media_id: id },
            Progress::PinCreated {
                pin_id: created.pin.id.clone()
            }
        ]
    );
}

#[tokio::test]
async fn the_upload_sends_every_upload_parameter_before_the_file_and_no_bearer_token() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    let (_dir, path, content) = video_file(70_000);
    fast(client.video_pin(board_id, VideoSource::path(&path)))
        .send()
        .await
        .expect("a video pin");

    let uploads = standin.uploads();
    assert_eq!(uploads.len(), 1);
    let upload = &uploads[0];
    assert_eq!(upload.status, 204);
    assert!(
        !upload.had_authorization_header,
        "the storage service gets no bearer token"
    );
    assert_eq!(upload.field_order.last().map(String::as_str), Some("file"));
    assert_eq!(upload.field_order.len(), UPLOAD_FIELDS.len() + 1);
    let before: Vec<&str> = upload
        .fields_before_file
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    for field in UPLOAD_FIELDS {
        assert!(
            before.contains(&field),
            "{field} must come before the file: {before:?}"
        );
    }
    assert_eq!(upload.file_name.as_deref(), Some("clip.mp4"));
    assert_eq!(upload.file_content_type.as_deref(), Some("video/mp4"));
    assert_eq!(upload.file_len, Some(content.len() as u64));
    assert_eq!(upload.file_start, content);
}

#[tokio::test]
async fn a_stream_is_uploaded_chunk_by_chunk_with_progress_for_each() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    let chunks: Vec<std::io::Result<Bytes>> =
        (0..4u8).map(|i| Ok(Bytes::from(vec![i; 65_536]))).collect();
    let (seen, on_progress) = recorder();
    fast(client.video_pin(
        board_id,
        VideoSource::stream(futures::stream::iter(chunks), Some(4 * 65_536)),
    ))
    .file_name("stream.mov")
    .on_progress(on_progress)
    .send()
    .await
    .expect("a video pin");

    let sent: Vec<u64> = seen
        .lock()
        .expect("progress")
        .iter()
        .filter_map(|p| match p {
            Progress::Uploading { sent, .. } => Some(*sent),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [65_536, 131_072, 196_608, 262_144]);
    let upload = &standin.uploads()[0];
    assert_eq!(upload.file_len, Some(262_144));
    assert_eq!(upload.file_name.as_deref(), Some("stream.mov"));
    assert_eq!(upload.file_content_type.as_deref(), Some("video/quicktime"));
    assert_eq!(upload.file_start[65_536], 1);
}

#[tokio::test]
async fn an_upload_refused_by_the_storage_service_is_an_upload_rejected_error() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    standin.reject_uploads(true);
    let (_dir, path, _) = video_file(10_000);
    let result = fast(client.video_pin(board_id, VideoSource::path(&path)))
        .send()
        .await;
    match result {
        Err(Error::Media(MediaError::UploadRejected {
            status,
            code,
            message,
            ..
        })) => {
            assert_eq!(status, 403);
            assert_eq!(code.as_deref(), Some("AccessDenied"));
            assert!(message.contains("Policy"), "{message}");
        }
        other => panic!("expected UploadRejected, got {other:?}"),
    }
    let counters = standin.counters();
    assert_eq!(
        counters.route("GET /v5/media/{media_id}"),
        0,
        "no polling after a rejection"
    );
    assert_eq!(counters.route("POST /v5/pins"), 0);
}

#[tokio::test]
async fn failed_processing_is_a_processing_failed_error_and_no_pin_is_created() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    standin.set_media_outcome(MediaOutcome::Fail);
    let (_dir, path, _) = video_file(10_000);
    let result = fast(client.video_pin(board_id, VideoSource::path(&path)))
        .send()
        .await;
    let Err(Error::Media(MediaError::ProcessingFailed { media_id })) = result else {
        panic!("expected ProcessingFailed, got {result:?}");
    };
    let shown = Error::Media(MediaError::ProcessingFailed {
        media_id: media_id.clone(),
    })
    .to_string();
    assert!(
        shown.contains(&media_id) && shown.contains("failed"),
        "{shown}"
    );
    assert_eq!(standin.counters().route("POST /v5/pins"), 0);
}

#[tokio::test]
async fn polling_gives_up_with_a_timeout_error_when_processing_never_ends() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    standin.set_media_outcome(MediaOutcome::NeverFinish);
    let (_dir, path, _) = video_file(10_000);
    let started = std::time::Instant::now();
    let result = client
        .video_pin(board_id, VideoSource::path(&path))
        .poll_interval(Duration::from_millis(20))
        .timeout(Duration::from_millis(150))
        .send()
        .await;
    let elapsed = started.elapsed();
    match result {
        Err(Error::Media(MediaError::Timeout {
            last_status,
            waited,
            ..
        })) => {
            assert_eq!(last_status, "processing");
            // It gives up once the next poll would come after the timeout.
            assert!(
                waited > Duration::from_millis(130),
                "gave up early, after {waited:?}"
            );
            assert!(
                waited < Duration::from_secs(1),
                "gave up late, after {waited:?}"
            );
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(
        elapsed < Duration::from_secs(2),
        "gave up after {elapsed:?}"
    );
    let polls = standin.counters().route("GET /v5/media/{media_id}");
    assert!(
        (2..=9).contains(&polls),
        "{polls} polls in 150 ms at 20 ms intervals"
    );
    assert_eq!(standin.counters().route("POST /v5/pins"), 0);
}

#[tokio::test]
async fn a_missing_file_is_a_read_error_before_anything_is_registered() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    let result = client
        .video_pin(board_id, VideoSource::path("/nonexistent/clip.mp4"))
        .send()
        .await;
    match result {
        Err(Error::Media(MediaError::Read { path: Some(p), .. })) => {
            assert!(p.ends_with("clip.mp4"))
        }
        other => panic!("expected a read error, got {other:?}"),
    }
    assert_eq!(standin.counters().route("POST /v5/media"), 0);
}

#[tokio::test]
async fn a_stream_that_fails_midway_is_a_read_error() {
    let Setup {
        standin,
        client,
        board_id,
    } = setup().await;
    let chunks: Vec<std::io::Result<Bytes>> = vec![
        Ok(Bytes::from(vec![0u8; 1000])),
        Err(std::io::Error::other("the camera was unplugged")),
    ];
    let result = client
        .video_pin(
            board_id,
            VideoSource::stream(futures::stream::iter(chunks), Some(2000)),
        )
        .send()
        .await;
    match result {
        Err(Error::Media(MediaError::Read { path: None, error })) => {
            assert!(error.to_string().contains("unplugged"), "{error}")
        }
        other => panic!("expected a read error, got {other:?}"),
    }
    assert_eq!(standin.counters().route("POST /v5/pins"), 0);
}
