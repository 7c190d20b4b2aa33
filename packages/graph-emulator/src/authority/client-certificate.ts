import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A self-signed client certificate and its key, as a developer would upload to an app registration. */
export interface ClientCertificate {
  /** PEM of the certificate (what `registerClientCertificate` and msal-node's `clientCertificate.x5c` take). */
  certificatePem: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the form msal-node's `clientCertificate.privateKey` needs. */
  privateKeyPem: string;
  /** SHA-1 thumbprint, upper-case hex. */
  thumbprint: string;
  /** SHA-256 thumbprint, upper-case hex. */
  thumbprintSha256: string;
}

/** Long enough for any development setup or test run. */
const VALID_DAYS = 365;

/**
 * Makes a self-signed RSA certificate for certificate client credentials (`AZURE_CLIENT_CERTIFICATE_PATH`):
 * nothing about it is trusted by chain, Entra (and this authority) trust it because it is registered on the app.
 */
export function generateClientCertificate({
  commonName = 'restore-session-gateway client credential',
}: { commonName?: string } = {}): ClientCertificate {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = new Date(Date.now() - 60_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + VALID_DAYS * 86_400_000);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certificatePem: forge.pki.certificateToPem(cert),
    privateKeyPem: privateKey,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}
