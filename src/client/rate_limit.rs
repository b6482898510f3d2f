//! Pinterest's rate limits, per `x-ratelimit-category` (`org_read`, `ads_write`, … 13 in
//! v5.23.0; [`crate::operation::Operation::rate_limit_category`] gives each operation's).
//!
//! Every reply's `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` are kept
//! per category and readable through [`crate::Client::rate_limits`]: a plain count, or the IETF
//! RateLimit draft's structured list (`X-RateLimit-Limit: 100, 100;w=1, 1000;w=60`, whose first
//! figure is the limit in force and the rest its quota policies, each with its window); a
//! reply without them is read in the draft's own fields (`RateLimit-Limit`, `RateLimit` with
//! `RateLimit-Policy`). A 429 whose reset is at
//! most [`RateLimitPolicy::max_wait`] away is waited out and the request sent again; a longer
//! one (the Trial tier's daily limit resets up to ~24 h later) comes back at once as
//! [`crate::Error::RateLimited`] carrying the reset instant, and so does a 429 whose message is
//! about spam, which waiting does not cure. With [`RateLimitPolicy::throttle`] the client also
//! holds requests of a category whose remaining count reached 0 until its reset, so a burst
//! does not run into 429 at all.
//!
//! ```
//! use pinterest_v5::client::rate_limit::RateLimitPolicy;
//! use std::time::Duration;
//!
//! let policy = RateLimitPolicy::default().max_wait(Duration::from_secs(2)).throttle(true);
//! assert_eq!(policy.wait_cap(), Duration::from_secs(2));
//! ```

use crate::error::{ApiError, RateLimited};
use reqwest::header::{HeaderMap, HeaderName};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the client reacts to rate limits.
///
/// Defaults: 429s whose reset is at most 5 s away are waited out (at most 3 times per
/// request); no client-side throttling.
///
/// ```
/// use pinterest_v5::client::rate_limit::RateLimitPolicy;
/// let p = RateLimitPolicy::default();
/// assert_eq!(p.wait_cap().as_secs(), 5);
/// assert!(!p.throttles());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitPolicy {
    max_wait: Duration,
    max_retries: u32,
    throttle: bool,
}

impl Default for RateLimitPolicy {
    fn default() -> Self {
        RateLimitPolicy {
            max_wait: Duration::from_secs(5),
            max_retries: 3,
            throttle: false,
        }
    }
}

impl RateLimitPolicy {
    /// A 429 whose reset is at most this far away is waited out and the request retried;
    /// beyond it the caller gets [`crate::Error::RateLimited`] at once. The same cap bounds the
    /// waits of throttling. Default 5 s; zero never waits.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::rate_limit::RateLimitPolicy::default().max_wait(Duration::ZERO);
    /// assert_eq!(p.wait_cap(), Duration::ZERO);
    /// ```
    pub fn max_wait(mut self, cap: Duration) -> Self {
        self.max_wait = cap;
        self
    }

    /// How many 429s of one request are waited out before the caller gets
    /// [`crate::Error::RateLimited`] (default 3).
    ///
    /// ```
    /// let p = pinterest_v5::client::rate_limit::RateLimitPolicy::default().max_retries(1);
    /// assert_eq!(p.retries(), 1);
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Hold a request whose category has no request left (`X-RateLimit-Remaining: 0`) until
    /// the category resets, when that is within [`RateLimitPolicy::max_wait`] (default off).
    /// Requests sent meanwhile are counted against the last remaining figure, so a burst of
    /// concurrent requests is held too.
    ///
    /// ```
    /// let p = pinterest_v5::client::rate_limit::RateLimitPolicy::default().throttle(true);
    /// assert!(p.throttles());
    /// ```
    pub fn throttle(mut self, on: bool) -> Self {
        self.throttle = on;
        self
    }

    /// The longest wait for a rate limit.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::client::rate_limit::RateLimitPolicy::default().wait_cap().as_secs(), 5);
    /// ```
    pub fn wait_cap(&self) -> Duration {
        self.max_wait
    }

    /// How many 429s of one request are waited out.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::client::rate_limit::RateLimitPolicy::default().retries(), 3);
    /// ```
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether client-side throttling is on.
    ///
    /// ```
    /// assert!(!pinterest_v5::client::rate_limit::RateLimitPolicy::default().throttles());
    /// ```
    pub fn throttles(&self) -> bool {
        self.throttle
    }
}

/// What the last reply of a category said about its limit.
///
/// ```no_run
/// # #[cfg(feature = "boards")]
/// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
/// client.boards_list().send().await?;
/// if let Some(state) = client.rate_limits().get("org_read") {
///     println!("{:?} of {:?} left", state.remaining, state.limit);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitState {
    /// `X-RateLimit-Limit`: requests allowed in the window. Of a structured value
    /// (`100, 100;w=1, 1000;w=60`) the first figure, the limit in force; the IETF RateLimit
    /// draft's `RateLimit-Limit`, or the quota of the `RateLimit-Policy` in force, when the
    /// reply has no `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset` seconds after the reply was read).
    pub reset_at: Option<SystemTime>,
    /// How long the window of [`limit`](Self::limit) is, when the reply says (the `w=` of its
    /// quota policy: `100;w=60` is 100 requests a minute).
    pub window: Option<Duration>,
    /// When the reply carrying these figures was read.
    pub seen_at: SystemTime,
}

/// Rate-limit state of a client, per `x-ratelimit-category` (see [`crate::Client::rate_limits`]).
///
/// ```no_run
/// # async fn demo(client: &pinterest_v5::Client) {
/// for (category, state) in client.rate_limits().all() {
///     println!("{category}: {:?} left", state.remaining);
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimits {
    policy: RateLimitPolicy,
    seen: Mutex<BTreeMap<&'static str, RateLimitState>>,
}

/// What to do with a 429.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Hand the caller [`crate::Error::RateLimited`].
    GiveUp,
}

impl RateLimits {
    pub(crate) fn new(policy: RateLimitPolicy) -> Self {
        RateLimits {
            policy,
            seen: Mutex::new(BTreeMap::new()),
        }
    }

    /// The policy in force.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert_eq!(client.rate_limits().policy().wait_cap().as_secs(), 5);
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn policy(&self) -> &RateLimitPolicy {
        &self.policy
    }

    /// The state last seen for a category (`org_read`, `ads_write`, …), if a reply of that
    /// category carried rate-limit headers.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert_eq!(client.rate_limits().get("org_read"), None);
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn get(&self, category: &str) -> Option<RateLimitState> {
        self.seen.lock().ok()?.get(category).copied()
    }

    /// Every category seen so far with its last state, sorted by category.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert!(client.rate_limits().all().is_empty());
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn all(&self) -> Vec<(&'static str, RateLimitState)> {
        self.seen
            .lock()
            .map(|seen| seen.iter().map(|(c, s)| (*c, *s)).collect())
            .unwrap_or_default()
    }

    /// Keeps a reply's rate-limit headers as the category's state.
    pub(crate) fn record(&self, category: &'static str, headers: &HeaderMap) {
        let Some(state) = state_from(headers, SystemTime::now()) else {
            return;
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(category, state);
        }
    }

    /// Before sending a request of `category`: how long to hold it, if throttling is on and
    /// the category has no request left. A request let through is counted against the
    /// remaining figure until the next reply says otherwise.
    pub(crate) fn throttle(&self, category: &'static str) -> Option<Duration> {
        if !self.policy.throttle {
            return None;
        }
        let now = SystemTime::now();
        let mut seen = self.seen.lock().ok()?;
        let state = seen.get_mut(category)?;
        match state.remaining {
            Some(0) => {
                let wait = state
                    .reset_at
                    .and_then(|r| r.duration_since(now).ok())
                    .unwrap_or_default();
                // After the reset the window is new, its figures unknown until the next reply.
                state.remaining = None;
                // Beyond the cap the request goes as is: the server's answer decides.
                (!wait.is_zero() && wait <= self.policy.max_wait).then_some(wait)
            }
            Some(n) => {
                state.remaining = Some(n - 1);
                None
            }
            None => None,
        }
    }

    /// After a 429 (the `retries_so_far`-th of this request waited out so far): wait and retry,
    /// or give up.
    pub(crate) fn on_too_many_requests(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        retries_so_far: u32,
    ) -> Verdict {
        if retries_so_far >= self.policy.max_retries || is_about_spam(body) {
            return Verdict::GiveUp;
        }
        let now = SystemTime::now();
        let Some(reset_at) = state_from(headers, now).and_then(|s| s.reset_at) else {
            return Verdict::GiveUp;
        };
        let wait = reset_at.duration_since(now).unwrap_or_default();
        if wait <= self.policy.max_wait {
            Verdict::RetryAfter(wait)
        } else {
            Verdict::GiveUp
        }
    }
}

/// Whether a 429's message says the request was taken for spam: no wait cures that.
fn is_about_spam(body: &[u8]) -> bool {
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    message.to_ascii_lowercase().contains("spam")
}

// Looked up by name objects made at compile time (a `&str` name is parsed on every lookup).
/// `X-RateLimit-Limit`.
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// `X-RateLimit-Remaining`.
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// `X-RateLimit-Reset`.
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
/// `RateLimit-Limit` (the IETF draft's early revisions, without `X-`).
const DRAFT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// `RateLimit-Remaining` (early revisions of the draft).
const DRAFT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
/// `RateLimit-Reset` (early revisions of the draft).
const DRAFT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");
/// `RateLimit-Policy`: the quota policies (`"default";q=100;w=60`, or `100;w=60` early on).
const POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");
/// `RateLimit`: what is left of a policy (`"default";r=50;t=30`), or in one revision of the
/// draft a dictionary (`limit=100, remaining=50, reset=30`).
const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");

/// One member of a comma-separated rate-limit field: its bare item (`100`, `"default"`,
/// `limit=100`) and its parameters (`w=60;q=100`, without the leading `;`).
///
/// Read by hand, leniently, rather than with a strict Structured Fields parser (RFC 8941):
/// these headers predate Structured Fields and servers write them loosely (`12.0`, spaces,
/// `window=` for `w=`); a value a strict parser refuses would lose every figure in it.
#[derive(Clone, Copy)]
struct Member<'a> {
    bare: &'a str,
    params: &'a str,
}

impl<'a> Member<'a> {
    fn of(text: &'a str) -> Member<'a> {
        let (bare, params) = text.split_once(';').unwrap_or((text, ""));
        Member {
            bare: bare.trim(),
            params,
        }
    }

    /// The value of the first parameter named one of `keys`.
    fn param(&self, keys: &[&str]) -> Option<&'a str> {
        self.params
            .split(';')
            .filter_map(|p| p.split_once('='))
            .find(|(key, _)| keys.contains(&key.trim()))
            .map(|(_, value)| value.trim())
    }

    /// The number it stands for: its bare item, or its quota (`q=`) when the bare item is a
    /// policy's name.
    fn number(&self) -> Option<u64> {
        number(self.bare).or_else(|| self.param(&["q"]).and_then(number))
    }

    /// Its window (`w=`, or `window=` as the draft's first revision wrote it), in seconds.
    fn window(&self) -> Option<u64> {
        self.param(&["w", "window"]).and_then(number)
    }

    /// The policy name of a list member (`"default"` or `default`), quotes dropped.
    fn name(&self) -> &'a str {
        self.bare.trim_matches('"')
    }
}

/// The members of every `name` header of a reply, in order (several headers of one name count
/// as one comma-joined value).
fn members<'a>(
    headers: &'a HeaderMap,
    name: &HeaderName,
) -> impl Iterator<Item = Member<'a>> + use<'a> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(Member::of)
        .filter(|m| !m.bare.is_empty() || !m.params.trim().is_empty())
}

/// A count or a number of seconds, tolerating `12.0`.
fn number(text: &str) -> Option<u64> {
    let text = text.trim().trim_matches('"');
    text.parse::<u64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f.ceil() as u64)
    })
}

/// The figure of a field whose first member is the current one (`X-RateLimit-Remaining: 12`,
/// `12;w=60`).
fn first_number(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    members(headers, name).next()?.number()
}

/// A limit field: its first member is the limit in force, the quota policies that may follow
/// (`100, 100;w=1, 1000;w=60`) say over which window. Returns (limit, window in seconds): the
/// first member's own window, or that of the first policy whose quota is the limit.
fn limit_and_window(headers: &HeaderMap, name: &HeaderName) -> (Option<u64>, Option<u64>) {
    let mut all = members(headers, name);
    let Some(first) = all.next() else {
        return (None, None);
    };
    let limit = first.number();
    let window = first.window().or_else(|| {
        let limit = limit?;
        all.find(|m| m.number() == Some(limit))?.window()
    });
    (limit, window)
}

/// What a reply's rate-limit headers say, before reset seconds become an instant.
#[derive(Default)]
struct Figures {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
    window: Option<u64>,
}

impl Figures {
    /// Reads every form: Pinterest's `X-RateLimit-*` (a plain count, or the draft's list with
    /// quota policies), then, for what those leave unsaid, the IETF RateLimit draft's fields:
    /// `RateLimit-Limit`/`-Remaining`/`-Reset`, and `RateLimit` with `RateLimit-Policy`.
    fn of(headers: &HeaderMap, drafts: bool) -> Figures {
        let (limit, window) = limit_and_window(headers, &LIMIT);
        let mut figures = Figures {
            limit,
            remaining: first_number(headers, &REMAINING),
            reset: first_number(headers, &RESET),
            window,
        };
        if drafts {
            figures.add_draft_fields(headers);
        }
        figures
    }

    fn add_draft_fields(&mut self, headers: &HeaderMap) {
        if self.limit.is_none() {
            (self.limit, self.window) = limit_and_window(headers, &DRAFT_LIMIT);
        }
        self.remaining = self
            .remaining
            .or_else(|| first_number(headers, &DRAFT_REMAINING));
        self.reset = self.reset.or_else(|| first_number(headers, &DRAFT_RESET));
        // The `RateLimit` field: a dictionary, or what is left of each policy.
        let mut policy_name = None;
        let mut ratelimit = members(headers, &RATELIMIT).peekable();
        if ratelimit.peek().is_some_and(|m| m.bare.contains('=')) {
            for member in ratelimit {
                let Some((key, value)) = member.bare.split_once('=') else {
                    continue;
                };
                let value = number(value);
                match key.trim() {
                    "limit" => {
                        self.limit = self.limit.or(value);
                        self.window = self.window.or_else(|| member.window());
                    }
                    "remaining" => self.remaining = self.remaining.or(value),
                    "reset" => self.reset = self.reset.or(value),
                    _ => {}
                }
            }
        } else {
            // Of several policies, the one with the fewest requests left is the one that
            // stops requests first: its figures apply.
            let applies = ratelimit
                .filter_map(|m| m.param(&["r"]).and_then(number).map(|r| (r, m)))
                .min_by_key(|(r, _)| *r);
            if let Some((left, member)) = applies {
                policy_name = Some(member.name());
                self.remaining = self.remaining.or(Some(left));
                self.reset = self.reset.or_else(|| member.param(&["t"]).and_then(number));
            }
        }
        // `RateLimit-Policy`: the applying policy's quota and window (the one `RateLimit`
        // names, else the one whose quota is the limit, else the first).
        if self.limit.is_none() || self.window.is_none() {
            let policies: Vec<Member<'_>> = members(headers, &POLICY).collect();
            let policy = policy_name
                .and_then(|name| policies.iter().find(|p| p.name() == name))
                .or_else(|| {
                    let limit = self.limit?;
                    policies.iter().find(|p| p.number() == Some(limit))
                })
                .or(policies.first().filter(|_| self.limit.is_none()));
            if let Some(policy) = policy {
                self.limit = self.limit.or_else(|| policy.number());
                if policy.number() == self.limit {
                    self.window = self.window.or_else(|| policy.window());
                }
            }
        }
    }
}

/// Resets this large are Unix times rather than seconds from now.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// The state a reply's headers describe, `None` when it has none of them.
fn state_from(headers: &HeaderMap, now: SystemTime) -> Option<RateLimitState> {
    // A glance at the few names of a reply is cheaper than hashed lookups of every form.
    let (mut pinterest, mut drafts) = (false, false);
    for name in headers.keys() {
        let name = name.as_str();
        pinterest |= name.starts_with("x-ratelimit-");
        drafts |= name.starts_with("ratelimit");
    }
    if !pinterest && !drafts {
        return None;
    }
    let figures = Figures::of(headers, drafts);
    let reset_at = figures.reset.map(|secs| {
        if secs >= EPOCH_THRESHOLD {
            UNIX_EPOCH + Duration::from_secs(secs)
        } else {
            now + Duration::from_secs(secs)
        }
    });
    if figures.limit.is_none() && figures.remaining.is_none() && reset_at.is_none() {
        return None;
    }
    Some(RateLimitState {
        limit: figures.limit,
        remaining: figures.remaining,
        reset_at,
        window: figures.window.map(Duration::from_secs),
        seen_at: now,
    })
}

/// The [`RateLimited`] error for a 429 reply.
pub(crate) fn rate_limited_from(api: &ApiError, category: Option<&'static str>) -> RateLimited {
    let state = state_from(&api.headers, SystemTime::now());
    RateLimited {
        category,
        reset_at: state.and_then(|s| s.reset_at),
        limit: state.and_then(|s| s.limit),
        remaining: state.and_then(|s| s.remaining),
        message: api.message.clone(),
        request_id: api.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(reset: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-reset", HeaderValue::from_str(reset).unwrap());
        h
    }

    #[test]
    fn a_reset_within_the_cap_is_waited_out() {
        let limits = RateLimits::new(RateLimitPolicy::default());
        assert_eq!(
            limits.on_too_many_requests(&headers("2"), b"{}", 0),
            Verdict::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            limits.on_too_many_requests(&headers("2"), b"{}", 3),
            Verdict::GiveUp
        );
    }

    #[test]
    fn a_reset_given_as_a_unix_time_is_read_as_one() {
        let now = SystemTime::now();
        let at = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
        let state = state_from(&headers(&at.to_string()), now).unwrap();
        let wait = state.reset_at.unwrap().duration_since(now).unwrap();
        assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600));
    }

    /// The state of a reply with these headers.
    fn state(pairs: &[(&'static str, &'static str)]) -> RateLimitState {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_static(value));
        }
        state_from(&h, SystemTime::now()).expect("rate-limit figures")
    }

    /// (limit, remaining, window in seconds).
    fn figures(state: RateLimitState) -> (Option<u64>, Option<u64>, Option<u64>) {
        (
            state.limit,
            state.remaining,
            state.window.map(|w| w.as_secs()),
        )
    }

    #[test]
    fn a_structured_limit_keeps_its_first_figure_and_the_window_of_that_figure() {
        // (value, limit, window in seconds)
        let cases = [
            ("100", Some(100), None),
            ("12.0", Some(12), None),
            ("100, 100;w=1, 1000;w=60", Some(100), Some(1)),
            ("1000, 100;w=1, 1000;w=60", Some(1000), Some(60)),
            ("100;w=60", Some(100), Some(60)),
            ("10, 10;window=1, 50;window=60", Some(10), Some(1)),
            (" 50 ;w=3600 , 10;w=1", Some(50), Some(3600)),
            ("\"default\";q=100;w=60", Some(100), Some(60)),
        ];
        for (value, limit, window) in cases {
            let state = state(&[("x-ratelimit-limit", value), ("x-ratelimit-remaining", "7")]);
            assert_eq!(figures(state), (limit, Some(7), window), "{value}");
        }
    }

    #[test]
    fn a_limit_over_several_header_lines_reads_as_one_list() {
        let state = state(&[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-limit", "100;w=1, 1000;w=60"),
        ]);
        assert_eq!(figures(state), (Some(100), None, Some(1)));
    }

    #[test]
    fn an_unreadable_limit_keeps_the_other_figures() {
        let state = state(&[
            ("x-ratelimit-limit", "lots"),
            ("x-ratelimit-remaining", "3"),
        ]);
        assert_eq!(figures(state), (None, Some(3), None));
    }

    #[test]
    fn the_drafts_separate_fields_are_read_without_x() {
        let state = state(&[
            ("ratelimit-limit", "10, 10;w=1, 50;w=60"),
            ("ratelimit-remaining", "4"),
            ("ratelimit-reset", "30"),
        ]);
        assert_eq!(figures(state), (Some(10), Some(4), Some(1)));
        assert!(state.reset_at.is_some());
    }

    #[test]
    fn the_drafts_policy_field_gives_the_window_of_the_limit_in_force() {
        let state = state(&[
            ("ratelimit-limit", "50"),
            ("ratelimit-remaining", "4"),
            ("ratelimit-policy", "10;w=1, 50;w=60"),
        ]);
        assert_eq!(figures(state), (Some(50), Some(4), Some(60)));
    }

    #[test]
    fn the_drafts_ratelimit_field_names_the_policy_that_applies() {
        // Two policies; the daily one has fewer requests left, so it is the one in force.
        let state = state(&[
            (
                "ratelimit-policy",
                "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400",
            ),
            ("ratelimit", "\"burst\";r=80;t=20, \"daily\";r=5;t=3600"),
        ]);
        assert_eq!(figures(state), (Some(1000), Some(5), Some(86400)));
        let reset_in = state
            .reset_at
            .and_then(|r| r.duration_since(state.seen_at).ok());
        assert_eq!(reset_in, Some(Duration::from_secs(3600)));
    }

    #[test]
    fn the_drafts_ratelimit_dictionary_is_read() {
        let state = state(&[("ratelimit", "limit=100, remaining=50, reset=5")]);
        assert_eq!(figures(state), (Some(100), Some(50), None));
        assert!(state.reset_at.is_some());
    }

    #[test]
    fn pinterests_own_headers_win_over_the_drafts() {
        let state = state(&[
            ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remaining", "12"),
            ("ratelimit", "\"default\";r=99;t=1"),
            ("ratelimit-policy", "\"default\";q=999;w=1"),
        ]);
        assert_eq!(figures(state), (Some(300), Some(12), None));
    }

    #[test]
    fn a_spam_message_is_never_waited_out() {
        let limits = RateLimits::new(RateLimitPolicy::default());
        let body = br#"{"code":8,"message":"Your request was blocked as Spam."}"#;
        assert_eq!(
            limits.on_too_many_requests(&headers("1"), body, 0),
            Verdict::GiveUp
        );
    }
}
