//! Where a command's settings come from: the global flags, the environment and the config file
//! (`<config dir>/pinterest/config.toml`), in that order; and the client they make.
//!
//! The token of `pinterest auth login` lives beside the config file (`token.json`, kept by the
//! crate's `FileStore`: mode 0600, replaced atomically). `--token` or `PINTEREST_ACCESS_TOKEN`
//! give a bare access token instead, which is sent as is and never refreshed.

use crate::exit::Failure;
use crate::output::Format;
use clap::ArgMatches;
use pinterest_v5::auth::{FileStore, OAuthApp, Token, TokenManager, TokenStore};
use pinterest_v5::{Client, Environment};
use std::path::{Path, PathBuf};

/// The redirect URI `auth login` listens on when none is configured.
pub(crate) const DEFAULT_REDIRECT_URI: &str = "http://localhost:8085/";

/// What the config file may hold. Unknown keys are refused: a misspelt key would otherwise be
/// ignored without a word.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    app_id: Option<String>,
    app_secret: Option<String>,
    redirect_uri: Option<String>,
}

/// The settings of one run.
pub(crate) struct Settings {
    /// How replies are printed.
    pub(crate) format: Format,
    token: Option<String>,
    environment: Environment,
    token_file: Option<PathBuf>,
    config_dir: Option<PathBuf>,
    app_id: Option<String>,
    app_secret: Option<String>,
    redirect_uri: String,
}

impl Settings {
    /// Reads the global flags of `matches`, the environment and the config file.
    pub(crate) fn read(matches: &ArgMatches) -> Result<Settings, Failure> {
        let flag = |id: &str| matches.get_one::<String>(id).cloned();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let format = Format::parse(matches.get_one::<String>("output").map(String::as_str))?;
        let environment = match (flag("base-url"), matches.get_flag("sandbox")) {
            (Some(url), _) => Environment::custom(url).map_err(Failure::from)?,
            (None, true) => Environment::Sandbox,
            (None, false) => Environment::from_env().map_err(|e| {
                Failure::from(e).hint("PINTEREST_ENV takes `production`, `sandbox` or an https URL")
            })?,
        };
        let config_dir = var("PINTEREST_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::config_dir().map(|d| d.join("pinterest")));
        let config = match &config_dir {
            Some(dir) => read_config(&dir.join("config.toml"))?,
            None => ConfigFile::default(),
        };
        Ok(Settings {
            format,
            token: flag("token").or_else(|| var("PINTEREST_ACCESS_TOKEN")),
            environment,
            token_file: flag("token-file")
                .or_else(|| var("PINTEREST_TOKEN_FILE"))
                .map(PathBuf::from),
            config_dir,
            app_id: flag("app-id")
                .or_else(|| var("PINTEREST_APP_ID"))
                .or(config.app_id),
            app_secret: flag("app-secret")
                .or_else(|| var("PINTEREST_APP_SECRET"))
                .or(config.app_secret),
            redirect_uri: flag("redirect-uri")
                .or_else(|| var("PINTEREST_REDIRECT_URI"))
                .or(config.redirect_uri)
                .unwrap_or_else(|| DEFAULT_REDIRECT_URI.to_string()),
        })
    }

    /// The redirect URI registered for the app.
    pub(crate) fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The bare access token of `--token` or `PINTEREST_ACCESS_TOKEN`, if one was given.
    pub(crate) fn bare_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The token file: `--token-file`, `PINTEREST_TOKEN_FILE`, or `token.json` in the config
    /// directory.
    pub(crate) fn token_file(&self) -> Result<PathBuf, Failure> {
        match (&self.token_file, &self.config_dir) {
            (Some(file), _) => Ok(file.clone()),
            (None, Some(dir)) => Ok(dir.join("token.json")),
            (None, None) => Err(Failure::usage(
                "this system has no config directory for the token file; give one with --token-file or PINTEREST_TOKEN_FILE",
            )),
        }
    }

    /// The app's id, when one is configured (it is public; the secret is never shown).
    pub(crate) fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }

    /// The app, when its id and secret are both configured; its token requests go to the
    /// environment of the run.
    pub(crate) fn app(&self) -> Result<Option<OAuthApp>, Failure> {
        self.app_redirecting_to(&self.redirect_uri)
    }

    /// [`Settings::app`] with another redirect URI.
    pub(crate) fn app_redirecting_to(
        &self,
        redirect_uri: &str,
    ) -> Result<Option<OAuthApp>, Failure> {
        match (&self.app_id, &self.app_secret) {
            (Some(id), Some(secret)) => Ok(Some(
                OAuthApp::new(id, secret, redirect_uri).environment(self.environment.clone()),
            )),
            (None, None) => Ok(None),
            (Some(_), None) => Err(Failure::usage(
                "the app's id is set but not its secret; give it with PINTEREST_APP_SECRET, --app-secret or `app_secret` in the config file",
            )),
            (None, Some(_)) => Err(Failure::usage(
                "the app's secret is set but not its id; give it with PINTEREST_APP_ID, --app-id or `app_id` in the config file",
            )),
        }
    }

    /// The app, or what to configure for it.
    pub(crate) fn require_app(&self, needed_for: &str) -> Result<OAuthApp, Failure> {
        self.require_app_redirecting_to(needed_for, &self.redirect_uri)
    }

    /// [`Settings::require_app`] with another redirect URI.
    pub(crate) fn require_app_redirecting_to(
        &self,
        needed_for: &str,
        redirect_uri: &str,
    ) -> Result<OAuthApp, Failure> {
        self.app_redirecting_to(redirect_uri)?.ok_or_else(|| {
            Failure::usage(format!(
                "{needed_for} needs your app's id and secret (from the Pinterest developer portal); give them with PINTEREST_APP_ID and PINTEREST_APP_SECRET, --app-id and --app-secret, or `app_id` and `app_secret` in {}",
                self.config_file_name()
            ))
        })
    }

    fn config_file_name(&self) -> String {
        match &self.config_dir {
            Some(dir) => dir.join("config.toml").display().to_string(),
            None => "the config file".into(),
        }
    }

    /// The token kept in the token file, or None when there is none yet.
    pub(crate) async fn stored_token(&self) -> Result<Option<Token>, Failure> {
        let path = self.token_file()?;
        FileStore::new(&path)
            .load()
            .await
            .map_err(|e| unusable_token_file(&path, &e))
    }

    /// A client for the run: a bare token as is, else the token file's, refreshed (and saved
    /// back) through the app when the app is configured.
    pub(crate) async fn client(&self) -> Result<Client, Failure> {
        let builder = Client::builder()
            .environment(self.environment.clone())
            .user_agent(concat!("pinterest-v5-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(token) = &self.token {
            return builder.access_token(token).build().map_err(Failure::from);
        }
        let path = self.token_file()?;
        let not_signed_in = || {
            Failure::authorization(format!("not signed in: no token in {}", path.display())).hint(
                "sign in with `pinterest auth login`, or give an access token with --token or PINTEREST_ACCESS_TOKEN",
            )
        };
        let manager = match self.app()? {
            Some(app) => TokenManager::load(app, FileStore::new(&path))
                .await
                .map_err(|e| match e {
                    pinterest_v5::Error::TokenStore(io) => unusable_token_file(&path, &io),
                    pinterest_v5::Error::Config(_) => not_signed_in(),
                    other => Failure::from(other),
                })?,
            None => {
                let token = self.stored_token().await?.ok_or_else(not_signed_in)?;
                if token.expires_within(std::time::Duration::ZERO, chrono::Utc::now()) {
                    eprintln!(
                        "warning: the access token in {} has expired, and it cannot be refreshed without your app's id and secret (PINTEREST_APP_ID, PINTEREST_APP_SECRET)",
                        path.display()
                    );
                }
                TokenManager::from_access_token(token.access_token().secret())
            }
        };
        builder
            .token_manager(manager)
            .build()
            .map_err(Failure::from)
    }
}

/// A token file that cannot be used, named, with the way out.
pub(crate) fn unusable_token_file(path: &Path, e: &dyn std::fmt::Display) -> Failure {
    Failure::authorization(format!("cannot use the token file {}: {e}", path.display())).hint(
        "sign in again with `pinterest auth login` (it replaces the file), or give a token with --token",
    )
}

/// The config file at `path`, or the defaults when there is none.
fn read_config(path: &Path) -> Result<ConfigFile, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            )));
        }
    };
    toml::from_str(&text).map_err(|e| {
        // Only the place and, for a key the file may not have, its name: the parser's own
        // text quotes the line, which may hold the app's secret.
        let at = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                format!(" at line {line}")
            })
            .unwrap_or_default();
        Failure::usage(format!(
            "the config file {} is not valid{at}; it takes `app_id`, `app_secret` and `redirect_uri`, each a string (`app_id = \"1234567\"`)",
            path.display()
        ))
    })
}
