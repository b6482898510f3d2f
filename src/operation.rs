//! What the description says about each operation, for the runtime: sandbox support, rate-limit
//! category, security, `explode: false` arrays, pagination. The table itself is generated.

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
