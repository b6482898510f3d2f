//! What the description says about each operation, for the runtime: sandbox support, rate-limit
//! category, security, `explode: false` arrays, pagination, and, for callers that name
//! operations at run time ([`Client::call`](crate::Client::call), a command line), its summary,
//! parameters and request body. The table itself is generated.
//!
//! ```
//! # #[cfg(feature = "pins")] {
//! use pinterest_v5::operation::{self, Location};
//! let op = operation::lookup("pins/get").expect("generated with the `pins` area");
//! assert_eq!(op.name, "pins_get");
//! let pin_id = op.parameter("pin_id").expect("a path parameter");
//! assert_eq!(pin_id.location, Location::Path);
//! assert!(pin_id.required);
//! # }
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// One operation of the API, as described (a row of [`operations`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The generated method's name, also progenitor's `OperationInfo::operation_id` (`pins_create`).
    pub name: &'static str,
    /// The description's `operationId` (`pins/create`).
    pub operation_id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template below the base URL (`/pins/{pin_id}`).
    pub path: &'static str,
    /// API area: the operation's tag, also the cargo feature that generates it.
    pub area: &'static str,
    /// Whether the sandbox serves it (`x-sandbox` is not `disabled`).
    pub sandbox: bool,
    /// `x-ratelimit-category` (`org_read`, `ads_write`, …), empty when none is given.
    pub rate_limit_category: &'static str,
    /// Names of the security schemes that may authorise it (`pinterest_oauth2`, `basic`, …).
    pub security: &'static [&'static str],
    /// Array query parameters with `explode: false`: sent comma-joined (`columns=A,B`).
    pub comma_joined: &'static [&'static str],
    /// Whether it pages with a `bookmark` query parameter.
    pub paginated: bool,
    /// The first line of the description's summary (empty when it gives none).
    pub summary: &'static str,
    /// Its parameters, in the description's order.
    pub parameters: &'static [Parameter],
    /// Its request body, when it takes one.
    pub body: Option<Body>,
}

/// Where a [`Parameter`] goes in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the path (`/pins/{pin_id}`); always required.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// The type of a parameter's or body field's value (of each item, for an array).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// Text (also what a value of no simple type is given as).
    String,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// One parameter of an [`Operation`], as described.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The description's name (`pin_id`, `ad_account_id`, `page_size`).
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// The type of its value, or of each of its values for an array.
    pub value_type: ValueType,
    /// Whether the operation needs it.
    pub required: bool,
    /// Whether it takes several values (repeated keys, or comma-joined where the operation's
    /// [`comma_joined`](Operation::comma_joined) lists it).
    pub array: bool,
}

/// How a request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Another media type.
    Other,
}

/// The request body of an [`Operation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Body {
    /// Its encoding.
    pub kind: BodyKind,
    /// Whether the operation needs one.
    pub required: bool,
    /// Its top-level fields whose values are strings, numbers or booleans (a body object's
    /// other fields are given in a whole JSON body).
    pub fields: &'static [BodyField],
}

/// A top-level field of a request body whose value is a string, number or boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyField {
    /// Its name in the JSON object (`title`, `board_id`).
    pub name: &'static str,
    /// The type of its value.
    pub value_type: ValueType,
    /// Whether the body's schema requires it.
    pub required: bool,
}

impl Operation {
    /// Whether a bearer token is sent: false for operations authorised only by the app's own
    /// credentials (the description's HTTP Basic schemes: the token endpoint) or by nothing.
    ///
    /// ```
    /// # #[cfg(feature = "user_account")] {
    /// let op = pinterest_v5::operation::find("user_account_get").expect("generated");
    /// assert!(op.uses_bearer());
    /// # }
    /// ```
    pub fn uses_bearer(&self) -> bool {
        self.security
            .iter()
            .any(|s| !crate::generated::APP_CREDENTIAL_SCHEMES.contains(s))
    }

    /// Whether only the app's own credentials (HTTP Basic) authorise it: the token endpoint's
    /// operations, which go out with the app's client id and secret, never a token.
    pub(crate) fn needs_app_credentials(&self) -> bool {
        !self.security.is_empty()
            && self
                .security
                .iter()
                .all(|s| crate::generated::APP_CREDENTIAL_SCHEMES.contains(s))
    }

    /// The parameter named `name` (the description's name), if the operation has one.
    ///
    /// ```
    /// # #[cfg(feature = "boards")] {
    /// let op = pinterest_v5::operation::lookup("boards_list").expect("the `boards` area");
    /// assert!(op.parameter("page_size").is_some());
    /// assert!(op.parameter("pin_id").is_none());
    /// # }
    /// ```
    pub fn parameter(&self, name: &str) -> Option<&'static Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// Every generated operation (only those of the enabled features), sorted by method name.
pub fn operations() -> &'static [Operation] {
    crate::generated::OPERATIONS
}

/// Looks an operation up by method name (`pins_create`).
///
/// Every request looks its operation up, so this is one hash lookup rather than a binary
/// search, which over all 231 operations made eight string compares, each in another part of
/// the table (about half the instructions: benches/README.md).
pub fn find(name: &str) -> Option<&'static Operation> {
    // The keys are a few hundred short names fixed at build time, nothing to flood.
    static BY_NAME: OnceLock<
        HashMap<&'static str, &'static Operation, crate::hash::BuildWordHasher>,
    > = OnceLock::new();
    BY_NAME
        .get_or_init(|| operations().iter().map(|op| (op.name, op)).collect())
        .get(name)
        .copied()
}

/// Looks an operation up by the description's id (`pins/create`) or by method name
/// (`pins_create`).
///
/// ```
/// # #[cfg(feature = "pins")] {
/// use pinterest_v5::operation::lookup;
/// assert_eq!(lookup("pins/create"), lookup("pins_create"));
/// assert!(lookup("pins/create").is_some());
/// assert!(lookup("pins/fly").is_none());
/// # }
/// ```
pub fn lookup(id_or_name: &str) -> Option<&'static Operation> {
    find(id_or_name).or_else(|| operations().iter().find(|op| op.operation_id == id_or_name))
}
