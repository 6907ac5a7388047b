//! What a client trusts, applied to the TLS backend the crate was built
//! with: `rustls` (the default; the `ring` crypto provider, or `aws-lc-rs`
//! with the `rustls-aws-lc` feature) or `native-tls` (the platform's
//! library), which wins when both are compiled since it was asked for on
//! top of the default.

use crate::error::Error;

#[cfg(all(feature = "__rustls", not(any(feature = "rustls", feature = "rustls-aws-lc"))))]
compile_error!("`__rustls` needs a crypto provider: enable `rustls` (ring) or `rustls-aws-lc` instead");

/// The certificates a client trusts beyond the built-in roots.
#[derive(Debug, Default)]
pub(crate) struct Trust {
    /// PEM bundles of CAs trusted as roots.
    pub roots: Vec<Vec<u8>>,
    /// PEM bundles of servers' own certificates, trusted exactly.
    pub servers: Vec<Vec<u8>>,
    /// Every certificate accepted (`curl -k`).
    pub accept_invalid: bool,
}

impl Trust {
    pub fn is_default(&self) -> bool {
        self.roots.is_empty() && self.servers.is_empty() && !self.accept_invalid
    }
}

/// The certificates of a PEM bundle, refused when it holds none.
#[cfg(feature = "native-tls")]
fn certificates(pem: &[u8], what: &str) -> Result<Vec<reqwest::Certificate>, Error> {
    let certificates = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| Error::Config(format!("invalid {what} certificate PEM: {e}")))?;
    if certificates.is_empty() {
        return Err(Error::Config(format!("the {what} certificate PEM holds no certificate")));
    }
    Ok(certificates)
}

/// The platform library checks a server's own certificate given as a root
/// like any root (OpenSSL takes a self-signed certificate in its store as
/// the whole chain, CA flag or not), host name included.
#[cfg(feature = "native-tls")]
pub(crate) fn apply(mut b: reqwest::ClientBuilder, trust: &Trust) -> Result<reqwest::ClientBuilder, Error> {
    b = b.tls_backend_native().danger_accept_invalid_certs(trust.accept_invalid);
    for (pem, what) in trust.roots.iter().map(|p| (p, "root")).chain(trust.servers.iter().map(|p| (p, "server"))) {
        for certificate in certificates(pem, what)? {
            b = b.add_root_certificate(certificate);
        }
    }
    Ok(b)
}

#[cfg(all(feature = "__rustls", not(feature = "native-tls")))]
pub(crate) fn apply(b: reqwest::ClientBuilder, trust: &Trust) -> Result<reqwest::ClientBuilder, Error> {
    rustls_backend::apply(b, trust)
}

/// reqwest built for rustls without aws-lc has no crypto provider of its
/// own: a `reqwest::Client` built by the caller (`Client::http_client`, or
/// anywhere else in the process) needs a process-wide one. The runtime's
/// provider becomes it, unless the process already chose one.
pub(crate) fn install_default_provider() {
    #[cfg(all(feature = "__rustls", not(feature = "native-tls")))]
    rustls_backend::install_default_provider();
}

#[cfg(not(any(feature = "__rustls", feature = "native-tls")))]
pub(crate) fn apply(b: reqwest::ClientBuilder, trust: &Trust) -> Result<reqwest::ClientBuilder, Error> {
    if trust.is_default() {
        Ok(b)
    } else {
        Err(Error::Config("TLS settings need a TLS backend: enable the `rustls` or `native-tls` feature".to_owned()))
    }
}

#[cfg(all(feature = "__rustls", not(feature = "native-tls")))]
mod rustls_backend {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};

    use rustls::pki_types::pem::PemObject;

    use super::Trust;
    use crate::error::Error;

    /// The crypto provider the features chose: `aws-lc-rs` when
    /// `rustls-aws-lc` asked for it (also beside the default `rustls`),
    /// `ring` otherwise.
    fn provider() -> CryptoProvider {
        #[cfg(feature = "rustls-aws-lc")]
        return rustls::crypto::aws_lc_rs::default_provider();
        #[cfg(not(feature = "rustls-aws-lc"))]
        return rustls::crypto::ring::default_provider();
    }

    pub(super) fn install_default_provider() {
        // An error means a provider is installed already: it stays.
        let _ = provider().install_default();
    }

    fn ders(pems: &[Vec<u8>], what: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
        let mut ders = Vec::new();
        for pem in pems {
            let before = ders.len();
            for der in CertificateDer::pem_slice_iter(pem) {
                ders.push(der.map_err(|e| Error::Config(format!("invalid {what} certificate PEM: {e}")))?);
            }
            if ders.len() == before {
                return Err(Error::Config(format!("the {what} certificate PEM holds no certificate")));
            }
        }
        Ok(ders)
    }

    /// A rustls configuration with this crate's own provider (whatever
    /// the process-wide default is) and a verifier for
    /// `trust`: the platform's roots plus the caller's, then the servers'
    /// own certificates matched exactly.
    pub(super) fn apply(b: reqwest::ClientBuilder, trust: &Trust) -> Result<reqwest::ClientBuilder, Error> {
        let provider = Arc::new(provider());
        let verifier: Arc<dyn ServerCertVerifier> = if trust.accept_invalid {
            Arc::new(Pinned { servers: Vec::new(), roots: None, provider: provider.clone() })
        } else {
            let roots = ders(&trust.roots, "root")?;
            let platform = if roots.is_empty() {
                rustls_platform_verifier::Verifier::new(provider.clone())
            } else {
                rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
            }
            .map_err(|e| Error::Config(format!("cannot load the certificate roots: {e}")))?;
            let servers = ders(&trust.servers, "server")?;
            if servers.is_empty() {
                Arc::new(platform)
            } else {
                Arc::new(Pinned { servers, roots: Some(platform), provider: provider.clone() })
            }
        };
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("cannot configure TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // The runtime speaks HTTP/1.1 only (reqwest without `http2`).
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(b.tls_backend_preconfigured(config))
    }

    /// Trusts a server whose certificate is exactly one of `servers`, and
    /// asks `roots` about every other (none: every certificate is accepted,
    /// `danger_accept_invalid_certificates`). Only the holder of a pinned
    /// certificate's private key can complete the handshake with it (the
    /// handshake's signature is checked against the certificate presented,
    /// whatever was trusted), so nothing else is trusted; its CA flag,
    /// names and dates are not looked at, which is what lets a self-signed
    /// on-premises certificate through.
    #[derive(Debug)]
    struct Pinned {
        servers: Vec<CertificateDer<'static>>,
        roots: Option<rustls_platform_verifier::Verifier>,
        provider: Arc<CryptoProvider>,
    }

    impl ServerCertVerifier for Pinned {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            match &self.roots {
                Some(roots) if !self.servers.iter().any(|s| s.as_ref() == end_entity.as_ref()) => {
                    roots.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                }
                _ => Ok(ServerCertVerified::assertion()),
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider.signature_verification_algorithms.supported_schemes()
        }
    }
}
