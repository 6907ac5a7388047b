//! What a client trusts, against loopback HTTPS servers whose certificates
//! are made here the way installations make them: signed by a private CA,
//! or self-signed with the CA flag (what `openssl req -x509` makes) and
//! without it. `cargo xtask test` runs this file once per TLS backend:
//! rustls by default, then `native-tls` alone.

use std::sync::Arc;

use drun_runtime::request::{RequestParts, ResponseBody};
use drun_runtime::{Client, Error, RetryPolicy};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const NAMES: [&str; 2] = ["127.0.0.1", "localhost"];

/// A server's certificate (PEM) and its TLS configuration.
struct Identity {
    cert_pem: String,
    config: ServerConfig,
}

fn server_config(cert: CertificateDer<'static>, key: &KeyPair) -> ServerConfig {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
        .expect("server config")
}

/// A private CA (its PEM) and a server certificate for `names` it signed.
fn signed_by_private_ca(names: &[&str]) -> (String, Identity) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, "drun test CA");
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().expect("server key");
    let params = CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).expect("params");
    let cert = params.signed_by(&key, &issuer).expect("server certificate");
    (ca_cert.pem(), Identity { cert_pem: cert.pem(), config: server_config(cert.der().clone(), &key) })
}

/// A self-signed server certificate for loopback, with or without the CA
/// flag.
fn self_signed(ca_flag: bool) -> Identity {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(NAMES.map(str::to_owned).to_vec()).expect("params");
    params.is_ca = if ca_flag { IsCa::Ca(BasicConstraints::Unconstrained) } else { IsCa::NoCa };
    params.distinguished_name.push(rcgen::DnType::CommonName, "drun.example.internal");
    let cert = params.self_signed(&key).expect("certificate");
    Identity { cert_pem: cert.pem(), config: server_config(cert.der().clone(), &key) }
}

/// Serves HTTPS on loopback: every request gets `{"ok":true}`.
async fn serve(config: ServerConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake (the client refusing us) just ends.
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"ok":true}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

/// One GET through `client`: the body it read, or the error.
async fn get(client: &Client) -> Result<String, Error> {
    let mut parts = RequestParts::new("getThing", "Things", http::Method::GET);
    parts.path("/thing");
    client.call(parts, ResponseBody::text).await
}

fn builder(url: &str) -> drun_runtime::ClientBuilder {
    Client::builder(url).retry(RetryPolicy::none())
}

/// A refusal: a connection error whose message says `words`.
fn assert_refused(result: Result<String, Error>, words: &str) {
    let error = result.expect_err("the certificate should be refused");
    assert!(error.is_connect(), "not a connection error: {error}");
    assert!(error.to_string().contains(words), "`{words}` not in: {error}");
}

#[tokio::test]
async fn a_private_ca_is_refused_without_its_root_and_trusted_with_it() {
    let (ca_pem, server) = signed_by_private_ca(&NAMES);
    let url = serve(server.config).await;
    assert_refused(get(&builder(&url).build().expect("client")).await, "no trusted root issued it");
    let trusting = builder(&url).add_root_certificate_pem(ca_pem).build().expect("client");
    assert_eq!(get(&trusting).await.expect("trusted"), r#"{"ok":true}"#);
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused_even_from_a_trusted_root() {
    let (ca_pem, server) = signed_by_private_ca(&["d.run.example"]);
    let url = serve(server.config).await;
    let client = builder(&url).add_root_certificate_pem(ca_pem).build().expect("client");
    // OpenSSL's answer through native-tls does not say which check failed.
    let words =
        if cfg!(feature = "native-tls") { "TLS certificate not trusted" } else { "not valid for this host name" };
    assert_refused(get(&client).await, words);
}

#[tokio::test]
async fn a_self_signed_certificate_with_the_ca_flag_is_trusted_as_the_servers_own() {
    let server = self_signed(true);
    let url = serve(server.config).await;
    let pinned = builder(&url).trust_server_certificate_pem(server.cert_pem.clone()).build().expect("client");
    assert_eq!(get(&pinned).await.expect("trusted"), r#"{"ok":true}"#);

    // Given as a root instead, rustls refuses a CA certificate as a
    // server's own, and the error says what to do; OpenSSL takes a
    // self-signed certificate in its store as the whole chain.
    let as_root = builder(&url).add_root_certificate_pem(server.cert_pem).build().expect("client");
    if cfg!(feature = "native-tls") {
        assert_eq!(get(&as_root).await.expect("OpenSSL trusts it"), r#"{"ok":true}"#);
    } else {
        assert_refused(get(&as_root).await, "trust_server_certificate_pem");
    }
}

#[tokio::test]
async fn a_self_signed_certificate_without_the_ca_flag_is_trusted_as_the_servers_own() {
    let server = self_signed(false);
    let url = serve(server.config).await;
    let pinned = builder(&url).trust_server_certificate_pem(server.cert_pem).build().expect("client");
    assert_eq!(get(&pinned).await.expect("trusted"), r#"{"ok":true}"#);
}

#[tokio::test]
async fn an_untrusted_self_signed_certificate_is_refused_even_beside_another_trusted_one() {
    let server = self_signed(true);
    let other = self_signed(true);
    let url = serve(server.config).await;
    assert_refused(get(&builder(&url).build().expect("client")).await, "TLS certificate not trusted");
    let pinned_other = builder(&url).trust_server_certificate_pem(other.cert_pem).build().expect("client");
    assert_refused(get(&pinned_other).await, "TLS certificate not trusted");
}

#[tokio::test]
async fn the_explicit_opt_out_accepts_any_certificate() {
    let (_, server) = signed_by_private_ca(&["d.run.example"]);
    let url = serve(server.config).await;
    let client = builder(&url).danger_accept_invalid_certificates(true).build().expect("client");
    assert_eq!(get(&client).await.expect("accepted"), r#"{"ok":true}"#);
}

#[test]
fn a_pem_without_certificates_is_a_configuration_error() {
    for builder in [
        builder("https://127.0.0.1").add_root_certificate_pem("not a certificate"),
        builder("https://127.0.0.1").trust_server_certificate_pem(""),
    ] {
        let error = builder.build().expect_err("no certificate");
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert!(error.to_string().contains("holds no certificate"), "{error}");
    }
}
