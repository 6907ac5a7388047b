//! Which properties of a ghippo document `Debug` redacts: the whole list,
//! so that a change to the rule shows here, property by property.

use drun_generator::ir::ModelKind;
use drun_generator::{Config, Previous, Source};

#[test]
fn every_redacted_property_of_the_ghippo_client() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config: Config = drun_generator::config::FamilyConfig::read(&root.join("specs/drun.yaml"))
        .expect("valid family")
        .module("ghippo")
        .expect("ghippo is a module");
    // A document from `specs/history/`, which updates never replace, so
    // that the list changes only when the rule does.
    let bytes = std::fs::read(root.join("specs/history/ghippo-v0.48.0.json")).expect("document");
    let (api, _) = drun_generator::model(&Source { display_path: "doc", bytes: &bytes }, &config, &Previous::default())
        .expect("models");
    let mut redacted = Vec::new();
    for m in &api.models {
        if let ModelKind::Struct { fields, .. } = &m.kind {
            redacted.extend(fields.iter().filter(|f| f.secret).map(|f| format!("{}.{}", m.name, f.wire_name)));
        }
    }
    redacted.sort();
    let expected = [
        "ClientInfo.secret",
        "CreateAccessTokenResponse.token",
        "CreateDomainRequest.appPrivateKey",
        "CreateIdpRequest.clientSecret",
        "CreateLdapRequest.bindCredential",
        "CreateOauth2Request.clientSecret",
        "CreateUserAccessTokenResponse.token",
        "CreateUserRequest.password",
        "GProductLicenseInfo.licenseKey",
        "GetLdapResponse.bindCredential",
        "GetOauth2Response.clientSecret",
        "GetSmtpServerResponse.password",
        "IdpInfo.clientSecret",
        "LoginPostResponse.idToken",
        "LoginPostResponse.refreshToken",
        "OidcTokenRequest.clientSecret",
        "OidcTokenRequest.password",
        "OidcTokenRequest.refreshToken",
        "OidcTokenResponse.accessToken",
        "OidcTokenResponse.idToken",
        "OidcTokenResponse.refreshToken",
        "RefreshTokenRequest.refreshToken",
        "RefreshTokenResponse.idToken",
        "RefreshTokenResponse.refreshToken",
        "SetCurrentUserPasswordRequest.newPassword",
        "SetCurrentUserPasswordRequest.oldPassword",
        "SetSmtpServerRequest.password",
        "SetUserPasswordBody.password",
        "SmtpConnTestRequest.password",
        "TestLdapAuthenticationRequest.bindCredential",
        "TestLdapConnectionRequest.bindCredential",
        "UpdateIdpBody.clientSecret",
        "UpdateLdapBody.bindCredential",
        "UpdateOauth2Request.clientSecret",
        "UpdatePasswordRequest.password",
    ];
    assert_eq!(redacted, expected, "redacted properties");
}
