//! Where requests go and with which key: flags, the environment
//! (`DRUN_ACCESS_KEY`, `DRUN_BASE_URL`, `DRUN_CA_BUNDLE`, `DRUN_PROFILE`)
//! and named profiles in a configuration file that `drun configure`
//! writes.
//!
//! The rule: with `--profile NAME` (or `DRUN_PROFILE`), that profile's
//! settings; otherwise the environment, and for what it leaves unset the
//! profile `default`, when the file has one. Flags (`--base-url`,
//! `--cacert`, `--insecure`) win over both.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fail::Failure;

/// d.run's console, where requests go unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://console.d.run";

/// The access key: shown nowhere, not even by `Debug`.
#[derive(Clone)]
pub struct AccessKey(String);

impl AccessKey {
    /// The key itself, for the client's builder only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKey(<redacted>)")
    }
}

/// What a request needs to reach d.run.
#[derive(Debug, Clone)]
pub struct Access {
    /// The console's URL.
    pub base_url: String,
    /// The access key, if one is set anywhere.
    pub key: Option<AccessKey>,
    /// A PEM file of certificates to trust besides the system's.
    pub cacert: Option<PathBuf>,
    /// Accept any certificate (what `curl -k` does).
    pub insecure: bool,
}

/// The options on every command that say where requests go.
#[derive(Debug, Default, Clone)]
pub struct AccessFlags {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--cacert`.
    pub cacert: Option<PathBuf>,
    /// `--insecure`.
    pub insecure: bool,
}

/// One named profile of the configuration file.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The console's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The access key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// A PEM file of certificates to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cacert: Option<PathBuf>,
    /// Accept any certificate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

/// The configuration file: profiles by name.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// Where the configuration file is: `DRUN_CONFIG`, else
/// `$XDG_CONFIG_HOME/drun/config.toml`, else `~/.config/drun/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DRUN_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("drun").join("config.toml"))
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty one.
    pub fn read(path: &Path) -> Result<Self, Failure> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Failure::config(format!("cannot read {}: {e}", path.display()))),
        };
        toml::from_str(&text).map_err(|e| Failure::config(format!("{}: {}", path.display(), e.message())))
    }

    /// Writes the file atomically (a temporary file, then a rename),
    /// readable by its owner only.
    pub fn write(&self, path: &Path) -> Result<(), Failure> {
        let text =
            toml::to_string(self).map_err(|e| Failure::config(format!("cannot write the configuration: {e}")))?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Failure::config(format!("cannot create {}: {e}", dir.display())))?;
        let temp = dir.join(format!(".config.toml.{}.tmp", std::process::id()));
        let written = write_private(&temp, text.as_bytes()).and_then(|()| std::fs::rename(&temp, path));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Failure::config(format!("cannot write {}: {e}", path.display()))
        })
    }
}

/// Creates `path` with owner-only permissions before any byte is written.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Resolves where requests go, by the rule in this module's docs.
pub fn resolve(flags: &AccessFlags) -> Result<Access, Failure> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let named = flags.profile.clone().or_else(|| env("DRUN_PROFILE"));
    let file = match config_path() {
        Some(path) => ConfigFile::read(&path)?,
        None => ConfigFile::default(),
    };
    let (profile, from_env) = match &named {
        Some(name) => {
            let profile = file.profiles.get(name).cloned().ok_or_else(|| {
                let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
                let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
                Failure::config(format!("no profile `{name}` in the configuration (profiles: {known}); `drun configure --profile {name}` writes one"))
            })?;
            (profile, false)
        }
        None => (file.profiles.get("default").cloned().unwrap_or_default(), true),
    };
    let pick = |env_name: &str, own: Option<String>| if from_env { env(env_name).or(own) } else { own };
    let base_url = flags
        .base_url
        .clone()
        .or_else(|| pick("DRUN_BASE_URL", profile.base_url.clone()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let key = pick("DRUN_ACCESS_KEY", profile.access_key.clone()).map(AccessKey);
    // A CI job's certificates, as `AWS_CA_BUNDLE` is for the AWS tools.
    let ca_bundle = pick("DRUN_CA_BUNDLE", None).map(PathBuf::from);
    Ok(Access {
        base_url,
        key,
        cacert: flags.cacert.clone().or(ca_bundle).or(profile.cacert),
        insecure: flags.insecure || profile.insecure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows_in_debug() {
        let access = Access {
            base_url: DEFAULT_BASE_URL.to_owned(),
            key: Some(AccessKey("sekrit-123".to_owned())),
            cacert: None,
            insecure: false,
        };
        assert!(!format!("{access:?}").contains("sekrit"));
    }

    #[test]
    fn a_profile_file_round_trips_and_is_private() {
        let dir = std::env::temp_dir().join(format!("drun-access-test-{}", std::process::id()));
        let path = dir.join("nested/config.toml");
        let mut file = ConfigFile::default();
        file.profiles.insert(
            "prod".to_owned(),
            Profile { base_url: Some("https://x".to_owned()), access_key: Some("k".to_owned()), ..Profile::default() },
        );
        file.write(&path).unwrap();
        let read = ConfigFile::read(&path).unwrap();
        assert_eq!(read.profiles["prod"].access_key.as_deref(), Some("k"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "[profiles.x]\nbase_ur = 1\n").unwrap();
        let error = ConfigFile::read(&path).unwrap_err();
        assert!(error.message.contains("base_ur"), "{}", error.message);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
