//! On-premises TLS, against a loopback HTTPS server whose certificate is
//! made here, signed by a CA made here: refused without the CA, accepted
//! with it, accepted with the explicit opt-out of checks.

use std::sync::Arc;

use drun_client::prelude::*;
use drun_client::{Client, RetryPolicy};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A private CA and a server certificate for 127.0.0.1 signed by it.
struct Pki {
    ca_pem: String,
    server: ServerConfig,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "drun test CA");
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().expect("server key");
    let server_params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).expect("params");
    let server_cert = server_params.signed_by(&server_key, &issuer).expect("server certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let _ = tokio_rustls::rustls::crypto::aws_lc_rs::default_provider().install_default();
    let server = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![server_cert.der().clone()], key)
        .expect("server config");
    Pki { ca_pem: ca_cert.pem(), server }
}

/// Serves HTTPS on loopback: every request gets a user as JSON.
async fn https_server(config: ServerConfig) -> String {
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
                let body = r#"{"id":"u1","name":"alice"}"#;
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

#[tokio::test]
async fn a_private_ca_is_refused_without_its_root_and_trusted_with_it() {
    let pki = pki();
    let url = https_server(pki.server).await;

    let plain = Client::builder(&url).retry(RetryPolicy::none()).build().expect("client");
    let error = plain.ghippo().users().get_user("u1").await.expect_err("unknown CA");
    assert!(error.is_connect(), "{error}");
    assert!(error.to_string().contains("TLS certificate not trusted"), "{error}");

    let trusting = Client::builder(&url).add_root_certificate_pem(pki.ca_pem.clone()).build().expect("client");
    let user = trusting.ghippo().users().get_user("u1").await.expect("trusted");
    assert_eq!(user.name, "alice");
}

#[tokio::test]
async fn the_explicit_opt_out_accepts_any_certificate() {
    let pki = pki();
    let url = https_server(pki.server).await;
    let client = Client::builder(&url).danger_accept_invalid_certificates(true).build().expect("client");
    assert_eq!(client.ghippo().users().get_user("u1").await.expect("accepted").name, "alice");
}

#[test]
fn a_pem_without_certificates_is_a_configuration_error() {
    let error =
        Client::builder("https://127.0.0.1").add_root_certificate_pem("not a certificate").build().expect_err("bad");
    assert!(matches!(error, drun_client::Error::Config(_)), "{error}");
}
