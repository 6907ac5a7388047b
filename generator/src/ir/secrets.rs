//! Which properties hold secrets, so that `Debug` of a model never prints
//! them.
//!
//! The rule, in order:
//! 1. the configuration's `secrets.not_secret` list (a wire name, or
//!    `Model.wireName`) says no;
//! 2. the configuration's `secrets.secret` list says yes;
//! 3. `format: password` says yes;
//! 4. a text property (a string, bytes, free-form JSON, or a list or map of
//!    them) whose name *ends* in a word that names a secret: `password`,
//!    `passwd`, `secret`, `token`, `credential`, `passphrase` (or their
//!    plurals), or in `private key`, `access key`, `secret key`, `api key`,
//!    `signing key`, `encryption key`, `license key`. So `refreshToken` and `clientSecret`
//!    are secrets, `tokenUrl`, `tokenType` and a boolean `emptyPassword`
//!    are not.
//!
//! Only `Debug` changes: serialisation sends and reads the value as ever.

use heck::ToSnakeCase;

use super::{Model, ModelKind, Type};
use crate::config::Secrets;

const LAST_WORDS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "passphrase",
];
const KEY_QUALIFIERS: &[&str] = &["private", "access", "secret", "api", "signing", "encryption", "license"];

/// Sets [`Field::secret`](super::Field::secret) on every field of `models`.
pub(crate) fn mark(models: &mut [Model], config: &Secrets) {
    for model in models {
        let ModelKind::Struct { fields, .. } = &mut model.kind else { continue };
        for field in fields {
            let qualified = format!("{}.{}", model.name, field.wire_name);
            let listed = |list: &[String]| list.iter().any(|e| *e == field.wire_name || *e == qualified);
            field.secret = if listed(&config.not_secret) {
                false
            } else {
                listed(&config.secret)
                    || field.password_format
                    || (holds_text(&field.ty) && name_says_secret(&field.wire_name))
            };
        }
    }
}

/// Whether the value is text that a secret could be written in.
fn holds_text(ty: &Type) -> bool {
    match ty {
        Type::String | Type::Base64 | Type::Json => true,
        Type::Vec(inner) | Type::Map(inner) => holds_text(inner),
        _ => false,
    }
}

/// Whether a property name ends in a word that names a secret.
pub(crate) fn name_says_secret(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [.., qualifier, "key" | "keys"] if KEY_QUALIFIERS.contains(qualifier) => true,
        [.., last] => LAST_WORDS.contains(last),
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::name_says_secret;

    #[test]
    fn names_that_hold_secrets() {
        for name in [
            "password",
            "newPassword",
            "smtp_password",
            "clientSecret",
            "token",
            "refreshToken",
            "id_token",
            "accessKey",
            "privateKey",
            "secretKey",
            "apiKeys",
            "credentials",
        ] {
            assert!(name_says_secret(name), "{name}");
        }
    }

    #[test]
    fn names_that_only_mention_one() {
        // (`emptyPassword` ends in a secret's word; it is left alone for
        // being a boolean, which the ghippo list in tests/secrets.rs shows.)
        for name in ["tokenUrl", "tokenType", "passwordPolicy", "key", "keyId", "secretName", "tokenExpiry", "name"] {
            assert!(!name_says_secret(name), "{name}");
        }
    }
}
