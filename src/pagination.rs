//! Bookmark pagination: every list operation that takes a `bookmark` query parameter and
//! answers `{items, bookmark}`, consumed as a [`futures::Stream`] of items or of pages.
//!
//! The generation pass `bookmark_streams` (in `codegen/src/generate/paginate.rs`) implements
//! [`Paginated`] for the builder of each such operation (56 in v5.23.0) and gives it two
//! methods:
//!
//! - `.stream()`: an [`Items`] stream of the items (the generated types, e.g. [`crate::types::Pin`]);
//! - `.pages()`: a [`Pages`] stream of [`Page`]s.
//!
//! Both are lazy: no request is sent until the stream is polled, the next page is requested only
//! when the consumer asks for more than the pages already fetched hold, and a dropped stream
//! sends nothing more. At most one page is held at a time. The stream ends after the page whose
//! `bookmark` is missing, `null` or empty. An error ends the stream after it is yielded.
//!
//! The page size is the builder's own `page_size` (Pinterest allows up to [`MAX_PAGE_SIZE`]).
//!
//! ```no_run
//! # #[cfg(feature = "pins")]
//! # async fn demo() -> pinterest_v5::Result<()> {
//! use futures::TryStreamExt;
//! use pinterest_v5::Client;
//!
//! let client = Client::with_access_token("pina_…")?;
//! let mut pins = client.pins_list().page_size(250u64).stream();
//! while let Some(pin) = pins.try_next().await? {
//!     println!("{:?}", pin.id);
//! }
//! # Ok(())
//! # }
//! ```

use crate::Error;
use futures::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The largest `page_size` Pinterest accepts.
///
/// ```
/// assert_eq!(pinterest_v5::pagination::MAX_PAGE_SIZE, 250);
/// ```
pub const MAX_PAGE_SIZE: u64 = 250;

/// One page of a bookmark-paginated list: its items and the bookmark of the next page.
///
/// ```
/// use pinterest_v5::pagination::Page;
/// let page = Page::new(vec![1, 2, 3], Some("b2".to_string()));
/// assert_eq!(page.next_bookmark(), Some("b2"));
/// let last = Page::new(Vec::<u8>::new(), Some(String::new()));
/// assert_eq!(last.next_bookmark(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The page's items, decoded into the operation's generated type.
    pub items: Vec<T>,
    /// The bookmark as Pinterest sent it (`None`, empty or a token for the next page).
    pub bookmark: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` followed by the page `bookmark` names.
    ///
    /// ```
    /// let page = pinterest_v5::pagination::Page::new(vec!["a"], None);
    /// assert_eq!(page.items, ["a"]);
    /// ```
    pub fn new(items: Vec<T>, bookmark: Option<String>) -> Self {
        Page { items, bookmark }
    }

    /// The bookmark of the next page, or `None` when this is the last page (no bookmark, or
    /// an empty one).
    ///
    /// ```
    /// let page = pinterest_v5::pagination::Page::new(vec![1], Some("next".into()));
    /// assert_eq!(page.next_bookmark(), Some("next"));
    /// ```
    pub fn next_bookmark(&self) -> Option<&str> {
        self.bookmark.as_deref().filter(|b| !b.is_empty())
    }
}

/// The request of one page, in flight (what [`Paginated::fetch_page`] returns).
///
/// ```no_run
/// # #[cfg(feature = "pins")]
/// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
/// use pinterest_v5::pagination::{PageFuture, Paginated};
/// let first: PageFuture<'_, pinterest_v5::types::Pin> = client.pins_list().fetch_page();
/// let page = first.await?;
/// # Ok(())
/// # }
/// ```
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send + 'a>>;

/// A request builder of a bookmark-paginated operation. Implemented (by generation) for the
/// builder of every operation that takes a `bookmark` query parameter; its `.stream()` and
/// `.pages()` methods build [`Items`] and [`Pages`] from it.
///
/// Generic code can take any of them:
///
/// ```no_run
/// use futures::TryStreamExt;
/// use pinterest_v5::pagination::{Items, Paginated};
///
/// /// Counts the items of any paginated list.
/// async fn count<'a, B: Paginated<'a>>(list: B) -> pinterest_v5::Result<usize> {
///     Items::new(list).try_fold(0, |n, _| async move { Ok(n + 1) }).await
/// }
/// ```
pub trait Paginated<'a>: Clone + Send + 'a {
    /// The type of the list's items (a generated type such as [`crate::types::Board`]).
    ///
    /// ```
    /// # #[cfg(feature = "boards")] {
    /// use pinterest_v5::pagination::Paginated;
    /// fn item_type<'a, B: Paginated<'a>>(_: &B) -> &'static str {
    ///     std::any::type_name::<B::Item>()
    /// }
    /// let client = pinterest_v5::Client::builder().access_token("t").build().unwrap();
    /// assert!(item_type(&client.boards_list()).ends_with("types::Board"));
    /// # }
    /// ```
    type Item: Send + 'a;

    /// This request, asking for the page `bookmark` names.
    ///
    /// ```no_run
    /// # #[cfg(feature = "pins")]
    /// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
    /// use pinterest_v5::pagination::Paginated;
    /// let second = client.pins_list().with_bookmark("b2".into()).fetch_page().await?;
    /// # Ok(())
    /// # }
    /// ```
    fn with_bookmark(self, bookmark: String) -> Self;

    /// Sends this request and splits the reply into a [`Page`] (one request, no paging).
    ///
    /// ```no_run
    /// # #[cfg(feature = "pins")]
    /// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
    /// use pinterest_v5::pagination::Paginated;
    /// let page = client.pins_list().page_size(10u64).fetch_page().await?;
    /// println!("{} pins, next: {:?}", page.items.len(), page.next_bookmark());
    /// # Ok(())
    /// # }
    /// ```
    fn fetch_page(self) -> PageFuture<'a, Self::Item>;
}

/// Where a [`Pages`] stream stands.
enum State<'a, T> {
    /// The next request to send, with the bookmark it asks for (`None` for the first page).
    Next(Option<String>),
    /// A page requested with this bookmark is on its way.
    Fetching(PageFuture<'a, T>, Option<String>),
    /// The page just yielded names itself as the next one: this error comes next.
    Looping(String),
    /// The last page (or an error) was yielded.
    Done,
}

/// A lazy stream of the pages of a paginated list (built by a builder's `.pages()`).
///
/// Each poll past the last fetched page sends one request; the stream ends after the page
/// without a next bookmark, or after yielding an error. A bookmark the server sends back
/// unchanged (which would repeat the same page forever) ends the stream with an error.
///
/// ```no_run
/// # #[cfg(feature = "boards")]
/// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
/// use futures::TryStreamExt;
/// let mut pages = client.boards_list().page_size(100u64).pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} boards", page.items.len());
/// }
/// # Ok(())
/// # }
/// ```
pub struct Pages<'a, B: Paginated<'a>> {
    request: B,
    state: State<'a, B::Item>,
    requests: usize,
}

impl<'a, B: Paginated<'a>> Pages<'a, B> {
    /// The pages of the list `request` asks for, starting at its own bookmark if it has one.
    /// Nothing is sent until the stream is polled.
    ///
    /// ```no_run
    /// # #[cfg(feature = "pins")]
    /// # fn demo(client: &pinterest_v5::Client) {
    /// let pages = pinterest_v5::pagination::Pages::new(client.pins_list());
    /// assert_eq!(pages.requests_sent(), 0);
    /// # }
    /// ```
    pub fn new(request: B) -> Self {
        Pages {
            request,
            state: State::Next(None),
            requests: 0,
        }
    }

    /// How many page requests this stream has sent so far.
    ///
    /// ```no_run
    /// # #[cfg(feature = "pins")]
    /// # fn demo(client: &pinterest_v5::Client) {
    /// assert_eq!(client.pins_list().pages().requests_sent(), 0);
    /// # }
    /// ```
    pub fn requests_sent(&self) -> usize {
        self.requests
    }
}

// No field is structurally pinned: the in-flight future is boxed.
impl<'a, B: Paginated<'a>> Unpin for Pages<'a, B> {}

impl<'a, B: Paginated<'a>> Stream for Pages<'a, B> {
    type Item = Result<Page<B::Item>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Looping(bookmark) => {
                    let bookmark = std::mem::take(bookmark);
                    this.state = State::Done;
                    return Poll::Ready(Some(Err(Error::Decode {
                        status: None,
                        excerpt: format!("bookmark {bookmark:?}"),
                        message: "Pinterest named the page just fetched as the next one, so the list would never end; the stream stops here".into(),
                    })));
                }
                State::Next(bookmark) => {
                    let bookmark = bookmark.take();
                    let request = match &bookmark {
                        Some(b) => this.request.clone().with_bookmark(b.clone()),
                        None => this.request.clone(),
                    };
                    this.requests += 1;
                    this.state = State::Fetching(request.fetch_page(), bookmark);
                }
                State::Fetching(future, sent) => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    let sent = sent.take();
                    this.state = State::Done;
                    let page = match result {
                        Ok(page) => page,
                        Err(e) => return Poll::Ready(Some(Err(e))),
                    };
                    if let Some(next) = page.next_bookmark() {
                        this.state = if sent.as_deref() == Some(next) {
                            State::Looping(next.to_string())
                        } else {
                            State::Next(Some(next.to_string()))
                        };
                    }
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

impl<'a, B: Paginated<'a> + fmt::Debug> fmt::Debug for Pages<'a, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Next(_) => "idle",
            State::Fetching(..) => "fetching",
            State::Looping(_) => "looping",
            State::Done => "done",
        };
        f.debug_struct("Pages")
            .field("request", &self.request)
            .field("state", &state)
            .field("requests", &self.requests)
            .finish()
    }
}

/// A lazy stream of the items of a paginated list, page after page (built by a builder's
/// `.stream()`). It holds at most one page; the next page is requested only once the items of
/// the current one have all been taken.
///
/// ```no_run
/// # #[cfg(feature = "pins")]
/// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
/// use futures::{StreamExt, TryStreamExt};
/// // The first 10 pins: one request of 25, nothing more.
/// let pins: Vec<_> = client.pins_list().page_size(25u64).stream().take(10).try_collect().await?;
/// # Ok(())
/// # }
/// ```
pub struct Items<'a, B: Paginated<'a>> {
    pages: Pages<'a, B>,
    current: std::vec::IntoIter<B::Item>,
}

impl<'a, B: Paginated<'a>> Items<'a, B> {
    /// The items of the list `request` asks for. Nothing is sent until the stream is polled.
    ///
    /// ```no_run
    /// # #[cfg(feature = "boards")]
    /// # fn demo(client: &pinterest_v5::Client) {
    /// let boards = pinterest_v5::pagination::Items::new(client.boards_list());
    /// # }
    /// ```
    pub fn new(request: B) -> Self {
        Items {
            pages: Pages::new(request),
            current: Vec::new().into_iter(),
        }
    }

    /// How many page requests this stream has sent so far.
    ///
    /// ```no_run
    /// # #[cfg(feature = "boards")]
    /// # fn demo(client: &pinterest_v5::Client) {
    /// assert_eq!(client.boards_list().stream().requests_sent(), 0);
    /// # }
    /// ```
    pub fn requests_sent(&self) -> usize {
        self.pages.requests_sent()
    }
}

impl<'a, B: Paginated<'a>> Unpin for Items<'a, B> {}

impl<'a, B: Paginated<'a>> Stream for Items<'a, B> {
    type Item = Result<B::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.current.as_slice().is_empty() && this.current.size_hint().1 == Some(0) {
                // Free the spent page's buffer before the next one arrives: memory stays
                // bounded by one page, not two.
                this.current = Vec::new().into_iter();
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.current = page.items.into_iter(),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.current.len();
        match self.pages.state {
            State::Done => (buffered, Some(buffered)),
            _ => (buffered, None),
        }
    }
}

impl<'a, B: Paginated<'a> + fmt::Debug> fmt::Debug for Items<'a, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}
