//! TLS with rustls, with libpq's `sslmode` semantics, as a tokio-postgres TLS connector.
//!
//! What is checked (libpq's rules, fe-secure-openssl.c):
//! - `sslrootcert=system`: the platform's roots, chain and host name (only `verify-full` is allowed);
//! - a root certificate file that exists (`sslrootcert`, else `~/.postgresql/root.crt`): the chain, in
//!   every mode that uses TLS (so `require` with a root file behaves like `verify-ca`), and the host name
//!   for `verify-full`;
//! - no root file: nothing for `allow`, `prefer` and `require`; `verify-ca` and `verify-full` fail.
//!
//! Client certificates (`sslcert`, `sslkey`) are sent when the certificate file exists; the key file must
//! not be readable by group or others. The handshake offers ALPN `postgresql` and sends SNI for host
//! names. Invariant: nothing here weakens a mode; a check that cannot be done is an error.

use super::params::{RootCert, SslMode, TlsParams, TlsVersion};
use anyhow::{Context, Result, bail};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::Digest;
use std::future::Future;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::Socket;
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};

/// What the server's certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// A client configuration for one `TlsParams`.
#[derive(Clone)]
pub(crate) struct TlsSetup {
    pub config: Arc<ClientConfig>,
    /// The root certificates in use, for messages (`sslrootcert=...`).
    pub roots: Option<String>,
}

impl TlsSetup {
    pub fn new(tls: &TlsParams) -> Result<TlsSetup> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let (roots, check, roots_name) = roots(tls)?;
        let verifier = Verifier::new(roots, check, tls, &provider)?;
        let versions: Vec<&'static rustls::SupportedProtocolVersion> =
            [(TlsVersion::V1_2, &rustls::version::TLS12), (TlsVersion::V1_3, &rustls::version::TLS13)]
                .into_iter()
                .filter(|(v, _)| (tls.min_version..=tls.max_version).contains(v))
                .map(|(_, p)| p)
                .collect();
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&versions)
            .context("setting the TLS protocol versions")?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier));
        let mut config = match client_certificate(tls)? {
            Some((chain, key)) => {
                builder.with_client_auth_cert(chain, key).context("using the client certificate")?
            }
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        config.enable_sni = tls.sni;
        Ok(TlsSetup { config: Arc::new(config), roots: roots_name })
    }

    /// A connector that presents `server_name` (verification and SNI), whatever tokio-postgres passes.
    pub fn connector(&self, server_name: ServerName<'static>) -> RustlsConnect {
        RustlsConnect { config: self.config.clone(), server_name }
    }
}

/// The trust anchors, what to check, and their name for messages.
fn roots(tls: &TlsParams) -> Result<(Option<RootCertStore>, Check, Option<String>)> {
    let strict = matches!(tls.mode, SslMode::VerifyCa | SslMode::VerifyFull);
    let name_check = if tls.mode == SslMode::VerifyFull { Check::ChainAndName } else { Check::Chain };
    const HELP: &str = "provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to \
         disable server certificate verification";
    match &tls.rootcert {
        Some(RootCert::System) => {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            let (added, _) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                bail!("sslrootcert=system, but no trusted root certificates were found on this system");
            }
            Ok((Some(store), Check::ChainAndName, Some("system".to_string())))
        }
        Some(RootCert::File(path)) if path.exists() => {
            let mut store = RootCertStore::empty();
            for cert in read_pem::<CertificateDer>(path, "root certificate")? {
                store.add(cert).with_context(|| {
                    format!("root certificate file \"{}\": bad certificate", path.display())
                })?;
            }
            Ok((Some(store), name_check, Some(path.display().to_string())))
        }
        Some(RootCert::File(path)) if strict => {
            bail!("root certificate file \"{}\" does not exist: {HELP}", path.display())
        }
        None if strict => bail!("could not get home directory to locate root certificate file: {HELP}"),
        _ => Ok((None, Check::Nothing, None)),
    }
}

/// Every PEM item of type `T` in `path`; at least one.
fn read_pem<T: PemObject>(path: &Path, what: &str) -> Result<Vec<T>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {what} file \"{}\"", path.display()))?;
    let items = T::pem_slice_iter(&bytes)
        .collect::<Result<Vec<T>, _>>()
        .with_context(|| format!("{what} file \"{}\" is not valid PEM", path.display()))?;
    if items.is_empty() {
        bail!("{what} file \"{}\" holds no {what} in PEM form", path.display());
    }
    Ok(items)
}

/// The client certificate chain and key, when a certificate file exists and sending is allowed.
fn client_certificate(
    tls: &TlsParams,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>> {
    let Some(cert_path) = tls.cert.as_deref().filter(|_| tls.send_client_cert) else { return Ok(None) };
    match std::fs::metadata(cert_path) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok(None);
        }
        Err(e) => bail!("could not open certificate file \"{}\": {e}", cert_path.display()),
    }
    let chain = read_pem::<CertificateDer>(cert_path, "certificate")?;
    let Some(key_path) = tls.key.as_deref() else {
        bail!("certificate present, but no private key file (sslkey)");
    };
    let meta = std::fs::metadata(key_path).with_context(|| {
        format!("certificate present, but not private key file \"{}\"", key_path.display())
    })?;
    check_key_permissions(key_path, &meta)?;
    let bytes = std::fs::read(key_path)
        .with_context(|| format!("reading private key file \"{}\"", key_path.display()))?;
    let key = PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
        anyhow::anyhow!(
            "private key file \"{}\" holds no unencrypted private key in PEM form (PKCS#1, PKCS#8 or SEC1; \
             encrypted keys are not supported)",
            key_path.display()
        )
    })?;
    Ok(Some((chain, key)))
}

/// libpq's rule: u=rw (0600) or less when owned by the user, u=rw,g=r (0640) or less when owned by root.
fn check_key_permissions(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if !meta.is_file() {
        bail!("private key file \"{}\" is not a regular file", path.display());
    }
    let mode = meta.permissions().mode();
    let allowed = if meta.uid() == 0 { 0o640 } else { 0o600 };
    if mode & 0o777 & !allowed != 0 {
        bail!(
            "private key file \"{}\" has group or world access; file must have permissions u=rw (0600) or less \
             if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root",
            path.display()
        );
    }
    Ok(())
}

/// Checks the server's certificate as `Check` says; handshake signatures are always verified.
#[derive(Debug)]
struct Verifier {
    check: Check,
    webpki: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl Verifier {
    fn new(
        roots: Option<RootCertStore>,
        check: Check,
        tls: &TlsParams,
        provider: &Arc<CryptoProvider>,
    ) -> Result<Self> {
        let webpki = match roots {
            None => None,
            Some(roots) => {
                let mut builder =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone());
                if let Some(crl) = &tls.crl {
                    let crls = read_pem::<CertificateRevocationListDer>(crl, "certificate revocation list")?;
                    // Every certificate of the chain needs its CRL, as libpq asks OpenSSL (CRL_CHECK_ALL).
                    builder = builder.with_crls(crls);
                }
                Some(builder.build().context("building the certificate verifier")?)
            }
        };
        Ok(Verifier { check, webpki, algorithms: provider.signature_verification_algorithms })
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(webpki) = self.webpki.as_ref().filter(|_| self.check != Check::Nothing) else {
            return Ok(ServerCertVerified::assertion());
        };
        // WebPkiServerVerifier checks the chain (and revocation) first and the name last, so a name error
        // means the chain was good: exactly verify-ca.
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.check == Check::Chain => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The TLS handshake failed (the server had agreed to TLS): `prefer` falls back to plaintext on this.
#[derive(Debug, thiserror::Error)]
#[error("TLS handshake failed: {0}")]
pub(crate) struct HandshakeError(#[source] pub io::Error);

impl HandshakeError {
    /// The rustls error behind it, if that is what it is.
    pub fn rustls(&self) -> Option<&rustls::Error> {
        self.0.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>())
    }
}

/// tokio-postgres's TLS hooks over rustls.
#[derive(Clone)]
pub(crate) struct RustlsConnect {
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
}

impl MakeTlsConnect<Socket> for RustlsConnect {
    type Stream = RustlsStream;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    fn make_tls_connect(&mut self, _domain: &str) -> Result<RustlsConnect, io::Error> {
        Ok(self.clone())
    }
}

impl TlsConnect<Socket> for RustlsConnect {
    type Stream = RustlsStream;
    type Error = HandshakeError;
    type Future = Pin<Box<dyn Future<Output = Result<RustlsStream, HandshakeError>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        Box::pin(async move {
            let connector = tokio_rustls::TlsConnector::from(self.config);
            let tls = connector.connect(self.server_name, stream).await.map_err(HandshakeError)?;
            Ok(RustlsStream(Box::new(tls)))
        })
    }
}

pub(crate) struct RustlsStream(Box<tokio_rustls::client::TlsStream<Socket>>);

impl AsyncRead for RustlsStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for RustlsStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
}

impl TlsStream for RustlsStream {
    /// `tls-server-end-point` (RFC 5929): the server certificate's hash, for SCRAM-SHA-256-PLUS.
    fn channel_binding(&self) -> ChannelBinding {
        let (_, session) = self.0.get_ref();
        let end_point =
            session.peer_certificates().and_then(|certs| certs.first()).and_then(|c| end_point_hash(c));
        match end_point {
            Some(hash) => ChannelBinding::tls_server_end_point(hash),
            None => ChannelBinding::none(),
        }
    }
}

/// The certificate hashed with its signature's hash function (SHA-256 for MD5 and SHA-1), as the server
/// computes it; `None` for signatures without one (Ed25519, RSA-PSS).
fn end_point_hash(cert: &[u8]) -> Option<Vec<u8>> {
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    const ECDSA_SHA2: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
    let oid = signature_oid(cert)?;
    let bits = match oid.split_last()? {
        (&last, prefix) if prefix == RSA => match last {
            4 | 5 | 11 => 256,
            12 => 384,
            13 => 512,
            14 => 224,
            _ => return None,
        },
        (&last, prefix) if prefix == ECDSA_SHA2 => [0, 224, 256, 384, 512].get(last as usize).copied()?,
        _ if oid == ECDSA_SHA1 => 256,
        _ => return None,
    };
    Some(match bits {
        224 => sha2::Sha224::digest(cert).to_vec(),
        256 => sha2::Sha256::digest(cert).to_vec(),
        384 => sha2::Sha384::digest(cert).to_vec(),
        512 => sha2::Sha512::digest(cert).to_vec(),
        _ => return None,
    })
}

/// The signature algorithm OID of a DER certificate: `SEQUENCE { tbs, SEQUENCE { OID, ... }, BIT STRING }`.
fn signature_oid(cert: &[u8]) -> Option<&[u8]> {
    let (0x30, body, _) = der(cert)? else { return None };
    let (_, _, after_tbs) = der(body)?;
    let (0x30, algorithm, _) = der(after_tbs)? else { return None };
    match der(algorithm)? {
        (0x06, oid, _) => Some(oid),
        _ => None,
    }
}

/// One DER element: tag, contents, and what follows.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (rest[..n].iter().fold(0usize, |acc, &b| (acc << 8) | b as usize), &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths() {
        assert_eq!(der(&[0x06, 0x01, 0x2a, 0xff]), Some((0x06, &[0x2a][..], &[0xff][..])));
        let long = [&[0x04, 0x81, 0x80][..], &[7; 0x80]].concat();
        assert_eq!(der(&long).map(|(t, c, r)| (t, c.len(), r.len())), Some((0x04, 0x80, 0)));
        assert_eq!(der(&[0x04, 0x05, 1]), None);
        assert_eq!(der(&[0x04, 0x80]), None);
    }

    #[test]
    fn key_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("k");
        std::fs::write(&key, "x").unwrap();
        let owned_by_root = std::fs::metadata(&key).unwrap().uid() == 0;
        for (mode, ok) in
            [(0o600, true), (0o400, true), (0o640, owned_by_root), (0o644, false), (0o660, false)]
        {
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(mode)).unwrap();
            let result = check_key_permissions(&key, &std::fs::metadata(&key).unwrap());
            assert_eq!(result.is_ok(), ok, "{mode:o}: {result:?}");
        }
    }
}
