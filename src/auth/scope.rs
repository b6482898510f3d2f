//! The permissions an app asks for.

use crate::Error;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A permission an app asks the user for (the scopes of the description's `pinterest_oauth2`
/// scheme). Parses from and displays as Pinterest's name (`boards:read`).
///
/// ```
/// use pinterest_v5::auth::Scope;
/// let scope: Scope = "pins:write".parse()?;
/// assert_eq!(scope, Scope::PinsWrite);
/// assert_eq!(Scope::BoardsReadSecret.to_string(), "boards:read_secret");
/// assert_eq!(Scope::ALL.len(), 19);
/// assert!("pins:delete".parse::<Scope>().is_err());
/// # Ok::<(), pinterest_v5::Error>(())
/// ```
///
/// A scope Pinterest grants that this crate does not know yet is kept as [`Scope::Other`] when
/// a token reply or a stored token is decoded, so a new scope never breaks decoding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// `ads:read`: see all of your advertising data, including ads, ad groups, campaigns etc.
    AdsRead,
    /// `ads:write`: create, update, or delete ads, ad groups, campaigns etc.
    AdsWrite,
    /// `billing:read`: see all of your billing data, billing profile, etc.
    BillingRead,
    /// `billing:write`: create, update, or delete billing data, billing profiles, etc.
    BillingWrite,
    /// `biz_access:read`: see business access data.
    BizAccessRead,
    /// `biz_access:write`: create, update, or delete business access data.
    BizAccessWrite,
    /// `boards:read`: see your public boards, including group boards you join.
    BoardsRead,
    /// `boards:read_secret`: see your secret boards.
    BoardsReadSecret,
    /// `boards:write`: create, update, or delete your public boards.
    BoardsWrite,
    /// `boards:write_secret`: create, update, or delete your secret boards.
    BoardsWriteSecret,
    /// `catalogs:read`: see all of your catalogs data.
    CatalogsRead,
    /// `catalogs:write`: create, update, or delete your catalogs data.
    CatalogsWrite,
    /// `msot:write`: create measurement source of truth events.
    MsotWrite,
    /// `pins:read`: see your public Pins.
    PinsRead,
    /// `pins:read_secret`: see your secret Pins.
    PinsReadSecret,
    /// `pins:write`: create, update, or delete your public Pins.
    PinsWrite,
    /// `pins:write_secret`: create, update, or delete your secret Pins.
    PinsWriteSecret,
    /// `user_accounts:read`: see your user accounts and followers.
    UserAccountsRead,
    /// `user_accounts:write`: update your user accounts and followers.
    UserAccountsWrite,
    /// A scope this crate does not know (kept as Pinterest wrote it).
    Other(String),
}

impl Scope {
    /// Every scope the description defines, in Pinterest's order.
    ///
    /// ```
    /// use pinterest_v5::auth::Scope;
    /// assert!(Scope::ALL.contains(&Scope::MsotWrite));
    /// ```
    pub const ALL: [Scope; 19] = [
        Scope::AdsRead,
        Scope::AdsWrite,
        Scope::BillingRead,
        Scope::BillingWrite,
        Scope::BizAccessRead,
        Scope::BizAccessWrite,
        Scope::BoardsRead,
        Scope::BoardsReadSecret,
        Scope::BoardsWrite,
        Scope::BoardsWriteSecret,
        Scope::CatalogsRead,
        Scope::CatalogsWrite,
        Scope::MsotWrite,
        Scope::PinsRead,
        Scope::PinsReadSecret,
        Scope::PinsWrite,
        Scope::PinsWriteSecret,
        Scope::UserAccountsRead,
        Scope::UserAccountsWrite,
    ];

    /// Pinterest's name of the scope.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::auth::Scope::AdsRead.as_str(), "ads:read");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Scope::AdsRead => "ads:read",
            Scope::AdsWrite => "ads:write",
            Scope::BillingRead => "billing:read",
            Scope::BillingWrite => "billing:write",
            Scope::BizAccessRead => "biz_access:read",
            Scope::BizAccessWrite => "biz_access:write",
            Scope::BoardsRead => "boards:read",
            Scope::BoardsReadSecret => "boards:read_secret",
            Scope::BoardsWrite => "boards:write",
            Scope::BoardsWriteSecret => "boards:write_secret",
            Scope::CatalogsRead => "catalogs:read",
            Scope::CatalogsWrite => "catalogs:write",
            Scope::MsotWrite => "msot:write",
            Scope::PinsRead => "pins:read",
            Scope::PinsReadSecret => "pins:read_secret",
            Scope::PinsWrite => "pins:write",
            Scope::PinsWriteSecret => "pins:write_secret",
            Scope::UserAccountsRead => "user_accounts:read",
            Scope::UserAccountsWrite => "user_accounts:write",
            Scope::Other(s) => s,
        }
    }

    /// Reads a scope as Pinterest sends it: a known name gives its variant, anything else
    /// [`Scope::Other`] (never fails).
    ///
    /// ```
    /// use pinterest_v5::auth::Scope;
    /// assert_eq!(Scope::from_wire("boards:read"), Scope::BoardsRead);
    /// assert_eq!(Scope::from_wire("reports:read"), Scope::Other("reports:read".into()));
    /// ```
    pub fn from_wire(name: &str) -> Scope {
        Scope::ALL
            .iter()
            .find(|s| s.as_str() == name)
            .cloned()
            .unwrap_or_else(|| Scope::Other(name.to_string()))
    }

    /// Splits a scope list as Pinterest writes it (comma- or space-separated).
    ///
    /// ```
    /// use pinterest_v5::auth::Scope;
    /// assert_eq!(
    ///     Scope::parse_list("boards:read,pins:read user_accounts:read"),
    ///     vec![Scope::BoardsRead, Scope::PinsRead, Scope::UserAccountsRead]
    /// );
    /// ```
    pub fn parse_list(list: &str) -> Vec<Scope> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Scope::from_wire)
            .collect()
    }

    /// Joins scopes the way the authorization URL and the token endpoint take them
    /// (comma-separated).
    ///
    /// ```
    /// use pinterest_v5::auth::Scope;
    /// assert_eq!(Scope::join(&[Scope::BoardsRead, Scope::PinsRead]), "boards:read,pins:read");
    /// ```
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    /// Parses one of the 19 known scope names; an unknown name is an error (to catch typos in
    /// configuration). Use [`Scope::from_wire`] to keep unknown names instead.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Scope::from_wire(s.trim()) {
            Scope::Other(name) => Err(Error::Config(format!(
                "`{name}` is not a Pinterest scope; use one of: {}",
                Scope::join(&Scope::ALL)
            ))),
            known => Ok(known),
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Scope::from_wire(&name))
    }
}
