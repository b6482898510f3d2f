//! Video pins in one call: register the upload, send the file to the storage service, wait for
//! Pinterest to process it, create the pin.
//!
//! Pinterest's flow has four steps, all done by [`VideoPinUpload::send`]:
//!
//! 1. `POST /media` with `media_type: video` answers a `media_id`, an `upload_url` and
//!    `upload_parameters` (a signed S3 form policy).
//! 2. A multipart POST of the file to `upload_url`, every `upload_parameters` field *before* the
//!    file part. It goes to the storage service, not to Pinterest: no bearer token is sent. The
//!    file is streamed from disk or from your stream, never buffered whole.
//! 3. `GET /media/{media_id}` is polled every [`poll_interval`](VideoUpload::poll_interval) until
//!    the status is `succeeded` or `failed`, for at most [`timeout`](VideoUpload::timeout).
//! 4. `POST /pins` with `media_source {source_type: "video_id", media_id, cover_image_url}`.
//!
//! Each step is reported to an optional [`Progress`] callback. Failures specific to this flow
//! are [`Error::Media`] with a [`MediaError`]: the storage service refused the file, processing
//! ended `failed`, or the polling timeout ran out.
//!
//! ```no_run
//! # async fn run() -> Result<(), pinterest_v5::Error> {
//! use pinterest_v5::Client;
//! use pinterest_v5::media::{Progress, VideoSource};
//! use std::time::Duration;
//!
//! let client = Client::with_access_token("pina_…")?;
//! let created = client
//!     .video_pin("549755885175", VideoSource::path("clip.mp4"))
//!     .title("Five-minute soup")
//!     .cover_image_url("https://example.com/soup.jpg")
//!     .poll_interval(Duration::from_secs(2))
//!     .timeout(Duration::from_secs(600))
//!     .on_progress(|p: &Progress| println!("{p}"))
//!     .send()
//!     .await?;
//! println!("pin {} shows video {}", created.pin.id, created.media_id);
//! # Ok(())
//! # }
//! ```
//!
//! The module is written for the shapes of the generated types in the pinned release of the
//! description; on a release that reshapes them (an older one, built with
//! `PINTEREST_V5_UNPINNED`) the build leaves it out and says why in a warning.
#![cfg(pinterest_v5_media)]

pub use crate::error::MediaError;
use crate::types::{
    MediaUploadCreate, MediaUploadStatus, MediaUploadType, Pin, PinCreate, PinMediaSource,
    PinMediaSourceVideoId,
};
use crate::{Client, Error};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin as StdPin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncRead;

/// A stream of the video's bytes.
pub type ByteStream = StdPin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + 'static>>;

/// Where the video's bytes come from. Either way they are streamed to the storage service.
///
/// ```
/// use pinterest_v5::media::VideoSource;
/// let from_disk = VideoSource::path("clip.mp4");
/// let from_memory = VideoSource::reader(std::io::Cursor::new(vec![0u8; 16]), Some(16));
/// # let _ = (from_disk, from_memory);
/// ```
pub struct VideoSource {
    kind: SourceKind,
}

enum SourceKind {
    Path(PathBuf),
    Stream {
        stream: ByteStream,
        len: Option<u64>,
    },
}

impl fmt::Debug for VideoSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SourceKind::Path(p) => f.debug_tuple("VideoSource::Path").field(p).finish(),
            SourceKind::Stream { len, .. } => f
                .debug_struct("VideoSource::Stream")
                .field("len", len)
                .finish_non_exhaustive(),
        }
    }
}

impl VideoSource {
    /// A video file. It is opened when the upload starts; its size gives the upload's length.
    ///
    /// ```
    /// let source = pinterest_v5::media::VideoSource::path("clip.mp4");
    /// # let _ = source;
    /// ```
    pub fn path(path: impl Into<PathBuf>) -> VideoSource {
        VideoSource {
            kind: SourceKind::Path(path.into()),
        }
    }

    /// A stream of the video's bytes. Give `len` (bytes) when you know it: the storage service
    /// needs a `Content-Length`, which a stream of unknown length cannot give.
    ///
    /// ```
    /// use bytes::Bytes;
    /// let chunks = vec![Ok(Bytes::from_static(b"abc")), Ok(Bytes::from_static(b"def"))];
    /// let source = pinterest_v5::media::VideoSource::stream(futures::stream::iter(chunks), Some(6));
    /// # let _ = source;
    /// ```
    pub fn stream<S>(stream: S, len: Option<u64>) -> VideoSource
    where
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        VideoSource {
            kind: SourceKind::Stream {
                stream: Box::pin(stream),
                len,
            },
        }
    }

    /// Any async reader (a file already open, a pipe, a download in progress), read in chunks.
    ///
    /// ```
    /// let source = pinterest_v5::media::VideoSource::reader(std::io::Cursor::new(vec![1, 2, 3]), Some(3));
    /// # let _ = source;
    /// ```
    pub fn reader<R>(reader: R, len: Option<u64>) -> VideoSource
    where
        R: AsyncRead + Send + 'static,
    {
        VideoSource::stream(tokio_util::io::ReaderStream::new(reader), len)
    }

    /// The file name to announce, from the path (`video.mp4` for streams).
    fn file_name(&self) -> String {
        match &self.kind {
            SourceKind::Path(p) => p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("video.mp4")
                .to_string(),
            SourceKind::Stream { .. } => "video.mp4".to_string(),
        }
    }

    /// Opens the source: its bytes and their count when known.
    async fn open(self) -> Result<(ByteStream, Option<u64>), Error> {
        match self.kind {
            SourceKind::Stream { stream, len } => Ok((stream, len)),
            SourceKind::Path(path) => {
                let read_error = |error: io::Error| {
                    Error::Media(MediaError::Read {
                        path: Some(path.clone()),
                        error: Arc::new(error),
                    })
                };
                let file = tokio::fs::File::open(&path).await.map_err(read_error)?;
                let metadata = file.metadata().await.map_err(read_error)?;
                if !metadata.is_file() {
                    return Err(read_error(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "not a regular file",
                    )));
                }
                let stream: ByteStream = Box::pin(tokio_util::io::ReaderStream::with_capacity(
                    file,
                    256 * 1024,
                ));
                Ok((stream, Some(metadata.len())))
            }
        }
    }
}

/// A step of the upload, reported to the [`on_progress`](VideoUpload::on_progress) callback.
///
/// ```
/// use pinterest_v5::media::Progress;
/// let p = Progress::Uploading { media_id: "1".into(), sent: 50, total: Some(200) };
/// assert_eq!(p.to_string(), "uploading video 1: 50 of 200 bytes (25%)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// `POST /media` registered the upload.
    Registered {
        /// The media upload's id.
        media_id: String,
    },
    /// Bytes of the file sent so far (reported per chunk).
    Uploading {
        /// The media upload's id.
        media_id: String,
        /// Bytes sent.
        sent: u64,
        /// The file's length, when known.
        total: Option<u64>,
    },
    /// The storage service accepted the whole file.
    Uploaded {
        /// The media upload's id.
        media_id: String,
        /// Bytes sent.
        bytes: u64,
    },
    /// A poll of `GET /media/{media_id}` answered a status that is not final yet.
    Processing {
        /// The media upload's id.
        media_id: String,
        /// The status (`registered`, `processing`, …).
        status: MediaUploadStatus,
    },
    /// Processing succeeded: the video can be used in a pin.
    Succeeded {
        /// The media upload's id.
        media_id: String,
    },
    /// The pin was created.
    PinCreated {
        /// The new pin's id.
        pin_id: String,
    },
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Progress::Registered { media_id } => write!(f, "registered video {media_id}"),
            Progress::Uploading {
                media_id,
                sent,
                total: Some(total),
            } => {
                let percent = if *total == 0 { 100 } else { sent * 100 / total };
                write!(
                    f,
                    "uploading video {media_id}: {sent} of {total} bytes ({percent}%)"
                )
            }
            Progress::Uploading {
                media_id,
                sent,
                total: None,
            } => write!(f, "uploading video {media_id}: {sent} bytes"),
            Progress::Uploaded { media_id, bytes } => {
                write!(f, "uploaded video {media_id} ({bytes} bytes)")
            }
            Progress::Processing { media_id, status } => {
                write!(f, "video {media_id} is {status}")
            }
            Progress::Succeeded { media_id } => write!(f, "video {media_id} is ready"),
            Progress::PinCreated { pin_id } => write!(f, "created pin {pin_id}"),
        }
    }
}

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Uploads a video and waits until Pinterest has processed it; answers the `media_id`. Built by
/// [`Client::upload_video`]; used by [`VideoPinUpload`].
#[must_use = "nothing happens until `.send().await`"]
pub struct VideoUpload<'a> {
    client: &'a Client,
    source: VideoSource,
    file_name: Option<String>,
    content_type: Option<String>,
    poll_interval: Duration,
    timeout: Duration,
    upload_timeout: Duration,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for VideoUpload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VideoUpload")
            .field("source", &self.source)
            .field("poll_interval", &self.poll_interval)
            .field("timeout", &self.timeout)
            .field("upload_timeout", &self.upload_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Uploads a video for later use (in a pin, an ad): `POST /media`, the file to the storage
    /// service, then polling until processing ends. Answers the `media_id` of a `succeeded`
    /// upload.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::media::VideoSource;
    /// let media_id = client.upload_video(VideoSource::path("clip.mp4")).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_video(&self, source: VideoSource) -> VideoUpload<'_> {
        VideoUpload {
            client: self,
            source,
            file_name: None,
            content_type: None,
            poll_interval: Duration::from_secs(2),
            timeout: Duration::from_secs(10 * 60),
            upload_timeout: Duration::from_secs(60 * 60),
            progress: None,
        }
    }

    /// Creates a video pin on `board_id` from `source`, doing every step of Pinterest's flow
    /// (see the [module documentation](crate::media)).
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::media::VideoSource;
    /// let created = client
    ///     .video_pin("549755885175", VideoSource::path("clip.mp4"))
    ///     .title("Soup")
    ///     .cover_image_key_frame_time(3)
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn video_pin(
        &self,
        board_id: impl Into<String>,
        source: VideoSource,
    ) -> VideoPinUpload<'_> {
        VideoPinUpload {
            upload: self.upload_video(source),
            pin: PinCreate {
                board_id: Some(board_id.into()),
                ..PinCreate::default()
            },
            cover_image_url: None,
            cover_image_key_frame_time: None,
        }
    }
}

impl<'a> VideoUpload<'a> {
    /// How long to wait between two polls of `GET /media/{media_id}` (default 2 s).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// # use std::time::Duration;
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .poll_interval(Duration::from_secs(5));
    /// # }
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How long to keep polling before giving up with [`MediaError::Timeout`] (default 10 min).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// # use std::time::Duration;
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .timeout(Duration::from_secs(30 * 60));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed for sending the file to the storage service (default 1 h; the client's
    /// per-request timeout does not apply to this request).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// # use std::time::Duration;
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .upload_timeout(Duration::from_secs(3 * 3600));
    /// # }
    /// ```
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload_timeout = timeout;
        self
    }

    /// The file name announced to the storage service (default: the path's, or `video.mp4`).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("/tmp/x"))
    ///     .file_name("soup.mov");
    /// # }
    /// ```
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The file part's content type (default from the file name's extension: `video/mp4`,
    /// `video/quicktime`, `video/x-m4v`, else `application/octet-stream`).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("clip"))
    ///     .content_type("video/mp4");
    /// # }
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Calls `report` at each step and for each chunk sent. To receive the steps elsewhere,
    /// send them into a channel:
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    /// let upload = client
    ///     .upload_video(pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .on_progress(move |p| {
    ///         let _ = tx.send(p.clone());
    ///     });
    /// # }
    /// ```
    pub fn on_progress(mut self, report: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// Runs the upload and the polling; answers the `media_id` once its status is `succeeded`.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::media::VideoSource;
    /// let media_id = client.upload_video(VideoSource::path("clip.mp4")).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<String, Error> {
        let report = |p: Progress| {
            if let Some(f) = &self.progress {
                f(&p);
            }
        };
        let client = self.client;
        // Open the video first: a missing file costs no registration.
        let file_name = self
            .file_name
            .clone()
            .unwrap_or_else(|| self.source.file_name());
        let content_type = self
            .content_type
            .clone()
            .unwrap_or_else(|| content_type_for(&file_name).to_string());
        let (stream, total) = self.source.open().await?;
        let registration = client
            .media_create()
            .body(MediaUploadCreate {
                media_type: MediaUploadType::Video,
            })
            .send()
            .await?
            .into_inner();
        let media_id = registration.media_id;
        report(Progress::Registered {
            media_id: media_id.clone(),
        });
        let incomplete = |missing| {
            Error::Media(MediaError::IncompleteRegistration {
                media_id: media_id.clone(),
                missing,
            })
        };
        let upload_url = registration
            .upload_url
            .ok_or_else(|| incomplete("upload_url"))?;
        let parameters = registration
            .upload_parameters
            .ok_or_else(|| incomplete("upload_parameters"))?;
        // Every field the reply carried, generically (the type's optional fields that are set).
        let fields = match serde_json::to_value(&parameters) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(incomplete("upload_parameters")),
        };
        if fields.is_empty() {
            return Err(incomplete("upload_parameters"));
        }

        let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = {
            let sent = sent.clone();
            let progress = self.progress.clone();
            let media_id = media_id.clone();
            stream.map(move |chunk| {
                if let Ok(bytes) = &chunk {
                    let now = sent
                        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed)
                        + bytes.len() as u64;
                    if let Some(f) = &progress {
                        f(&Progress::Uploading {
                            media_id: media_id.clone(),
                            sent: now,
                            total,
                        });
                    }
                }
                chunk
            })
        };
        let body = reqwest::Body::wrap_stream(counted);
        let part = match total {
            Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
            None => reqwest::multipart::Part::stream(body),
        };
        let part = part
            .file_name(file_name)
            .mime_str(&content_type)
            .map_err(|e| Error::InvalidRequest(format!("content type `{content_type}`: {e}")))?;
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            let value = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            form = form.text(name, value);
        }
        form = form.part("file", part);
        // The storage service is not Pinterest: the plain HTTP client, without the bearer token
        // the generated calls carry.
        let reply = client
            .client
            .post(&upload_url)
            .timeout(self.upload_timeout)
            .multipart(form)
            .send()
            .await
            .map_err(|e| upload_failure(&media_id, e))?;
        let status = reply.status();
        if !status.is_success() {
            let body = reply.bytes().await.unwrap_or_default();
            let (code, message) = crate::error::storage_error(&body);
            return Err(Error::Media(MediaError::UploadRejected {
                media_id,
                status,
                code,
                message,
            }));
        }
        report(Progress::Uploaded {
            media_id: media_id.clone(),
            bytes: sent.load(std::sync::atomic::Ordering::Relaxed),
        });

        let started = tokio::time::Instant::now();
        loop {
            let media = client
                .media_get()
                .media_id(media_id.clone())
                .send()
                .await?
                .into_inner();
            let status = media.status.unwrap_or(MediaUploadStatus::Registered);
            match status {
                MediaUploadStatus::Succeeded => {
                    report(Progress::Succeeded {
                        media_id: media_id.clone(),
                    });
                    return Ok(media_id);
                }
                MediaUploadStatus::Failed => {
                    return Err(Error::Media(MediaError::ProcessingFailed { media_id }));
                }
                other => {
                    report(Progress::Processing {
                        media_id: media_id.clone(),
                        status: other.clone(),
                    });
                    let waited = started.elapsed();
                    if waited + self.poll_interval > self.timeout {
                        return Err(Error::Media(MediaError::Timeout {
                            media_id,
                            waited,
                            last_status: other.to_string(),
                        }));
                    }
                    tokio::time::sleep(self.poll_interval).await;
                }
            }
        }
    }
}

/// A failed upload request: a read error of the source comes out as such.
fn upload_failure(media_id: &str, e: reqwest::Error) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            return Error::Media(MediaError::Read {
                path: None,
                error: Arc::new(io::Error::new(
                    io.kind(),
                    format!("while uploading video {media_id}: {io}"),
                )),
            });
        }
        source = err.source();
    }
    Error::from(e)
}

/// The content type of a video file, from its extension.
fn content_type_for(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("mp4") => "video/mp4",
        Some("mov") => "video/quicktime",
        Some("m4v") => "video/x-m4v",
        _ => "application/octet-stream",
    }
}

/// Creates a video pin: a [`VideoUpload`], then `POST /pins`. Built by [`Client::video_pin`].
#[must_use = "nothing happens until `.send().await`"]
#[derive(Debug)]
pub struct VideoPinUpload<'a> {
    upload: VideoUpload<'a>,
    pin: PinCreate,
    cover_image_url: Option<String>,
    cover_image_key_frame_time: Option<u64>,
}

/// A created video pin.
#[derive(Clone, Debug)]
pub struct VideoPinCreated {
    /// The media upload the pin shows.
    pub media_id: String,
    /// The pin, as `POST /pins` answered it.
    pub pin: Pin,
}

macro_rules! pin_setters {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.pin.$name = Some(value.into());
            self
        }
    )*};
}

impl VideoPinUpload<'_> {
    pin_setters! {
        /// The pin's title (at most 100 characters).
        ///
        /// ```no_run
        /// # fn f(client: &pinterest_v5::Client) {
        /// let upload = client
        ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
        ///     .title("Soup");
        /// # }
        /// ```
        title;
        /// The pin's description (at most 800 characters).
        ///
        /// ```no_run
        /// # fn f(client: &pinterest_v5::Client) {
        /// let upload = client
        ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
        ///     .description("Five minutes, one pot");
        /// # }
        /// ```
        description;
        /// The pin's destination link.
        ///
        /// ```no_run
        /// # fn f(client: &pinterest_v5::Client) {
        /// let upload = client
        ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
        ///     .link("https://example.com/soup");
        /// # }
        /// ```
        link;
        /// The pin's alternative text (at most 500 characters).
        ///
        /// ```no_run
        /// # fn f(client: &pinterest_v5::Client) {
        /// let upload = client
        ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
        ///     .alt_text("A pot of soup");
        /// # }
        /// ```
        alt_text;
        /// The board section to put the pin in.
        ///
        /// ```no_run
        /// # fn f(client: &pinterest_v5::Client) {
        /// let upload = client
        ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
        ///     .board_section_id("4567");
        /// # }
        /// ```
        board_section_id;
    }

    /// The cover image, by URL.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .cover_image_url("https://example.com/cover.jpg");
    /// # }
    /// ```
    pub fn cover_image_url(mut self, url: impl Into<String>) -> Self {
        self.cover_image_url = Some(url.into());
        self
    }

    /// The cover image, as the video's frame at this second.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .cover_image_key_frame_time(2);
    /// # }
    /// ```
    pub fn cover_image_key_frame_time(mut self, seconds: u64) -> Self {
        self.cover_image_key_frame_time = Some(seconds);
        self
    }

    /// See [`VideoUpload::poll_interval`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .poll_interval(std::time::Duration::from_secs(5));
    /// # }
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.upload = self.upload.poll_interval(interval);
        self
    }

    /// See [`VideoUpload::timeout`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .timeout(std::time::Duration::from_secs(900));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.upload = self.upload.timeout(timeout);
        self
    }

    /// See [`VideoUpload::upload_timeout`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .upload_timeout(std::time::Duration::from_secs(7200));
    /// # }
    /// ```
    pub fn upload_timeout(mut self, timeout: Duration) -> Self {
        self.upload = self.upload.upload_timeout(timeout);
        self
    }

    /// See [`VideoUpload::file_name`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("/tmp/x"))
    ///     .file_name("soup.mp4");
    /// # }
    /// ```
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.upload = self.upload.file_name(name);
        self
    }

    /// See [`VideoUpload::content_type`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip"))
    ///     .content_type("video/mp4");
    /// # }
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.upload = self.upload.content_type(content_type);
        self
    }

    /// See [`VideoUpload::on_progress`]; also reports [`Progress::PinCreated`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let upload = client
    ///     .video_pin("1", pinterest_v5::media::VideoSource::path("clip.mp4"))
    ///     .on_progress(|p| eprintln!("{p}"));
    /// # }
    /// ```
    pub fn on_progress(mut self, report: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.upload = self.upload.on_progress(report);
        self
    }

    /// Runs the four steps; answers the created pin and its `media_id`.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::media::VideoSource;
    /// let created = client.video_pin("1", VideoSource::path("clip.mp4")).send().await?;
    /// println!("{}", created.pin.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<VideoPinCreated, Error> {
        let progress = self.upload.progress.clone();
        let client = self.upload.client;
        let media_id = self.upload.send().await?;
        let mut pin = self.pin;
        pin.media_source = Some(PinMediaSource::VideoId(PinMediaSourceVideoId {
            cover_image_key_frame_time: self.cover_image_key_frame_time,
            cover_image_url: self.cover_image_url,
            ..PinMediaSourceVideoId::new(media_id.clone())
        }));
        let pin = client.pins_create().body(pin).send().await?.into_inner();
        if let Some(f) = &progress {
            f(&Progress::PinCreated {
                pin_id: pin.id.clone(),
            });
        }
        Ok(VideoPinCreated { media_id, pin })
    }
}
