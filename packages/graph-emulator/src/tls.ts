import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, linkSync, unlinkSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import forge from 'node-forge';

/** The emulator's development CA and its `localhost` / `127.0.0.1` / `::1` server certificate. */
export interface EmulatorTls {
  /** PEM of the CA certificate: what NODE_EXTRA_CA_CERTS (or an HTTP client's `ca`) must trust. */
  caCert: string;
  /** PEM of the server certificate chain (leaf, then CA). */
  cert: string;
  /** PEM of the server key. */
  key: string;
  /** Path of a file holding `caCert`, for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
}

interface TlsBundle {
  caCert: string;
  cert: string;
  key: string;
}

/**
 * Loads the development certificates from `dir`, generating them on first use. The bundle is written to a temporary
 * file and hard-linked into place, which fails if another process got there first: parallel first starts never see
 * a half-written file, and all of them end up with the same CA.
 */
export function loadOrCreateTls(dir: string): EmulatorTls {
  const bundlePath = join(dir, 'tls.json');
  const caCertPath = join(dir, 'ca.pem');
  mkdirSync(dir, { recursive: true });
  let stored = readBundle(bundlePath);
  if (!stored || !stored.current) {
    // An expiring bundle is removed first (only if nobody replaced it meanwhile), so the link below can win.
    if (stored) retire(bundlePath, stored.text);
    const fresh = generateBundle();
    const tmp = `${bundlePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(fresh), { mode: 0o600 });
    try {
      linkSync(tmp, bundlePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    // Whoever linked first wins; every process uses that bundle.
    stored = readBundle(bundlePath);
    if (!stored) throw new Error(`could not read the emulator certificate bundle at ${bundlePath}`);
  }
  const { bundle } = stored;
  writeAtomically(caCertPath, bundle.caCert);
  return { ...bundle, caCertPath };
}

interface StoredBundle {
  bundle: TlsBundle;
  /** The file's text, to tell whether another process replaced it. */
  text: string;
  /** False when the certificate expires within a week and should be regenerated. */
  current: boolean;
}

function readBundle(path: string): StoredBundle | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const damaged = new Error(`the emulator certificate bundle at ${path} is damaged: delete the file to regenerate it`);
  let parsed: Partial<TlsBundle>;
  let notAfter: number;
  try {
    parsed = JSON.parse(text) as Partial<TlsBundle>;
    if (typeof parsed.caCert !== 'string' || typeof parsed.cert !== 'string' || typeof parsed.key !== 'string') throw damaged;
    notAfter = forge.pki.certificateFromPem(parsed.cert).validity.notAfter.getTime();
  } catch {
    throw damaged;
  }
  return {
    bundle: { caCert: parsed.caCert, cert: parsed.cert, key: parsed.key },
    text,
    // Regenerate shortly before expiry instead of failing TLS handshakes one day.
    current: notAfter - Date.now() >= 7 * 86_400_000,
  };
}

/** Deletes the bundle file if it still holds `text`. */
function retire(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // already replaced or removed by another process
  }
}

function writeAtomically(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) return;
  } catch {
    // absent: write it
  }
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native generator: node-forge's pure-JS one takes seconds for 2048 bits.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serial(): string {
  // Positive serial number: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function generateBundle(): TlsBundle {
  const now = new Date(Date.now() - 60_000);
  const ca = rsaKeyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = now;
  caCert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 86_400_000);
  const caName = [
    { name: 'commonName', value: 'Restore Gateway Graph Emulator Development CA' },
    { name: 'organizationName', value: 'restore-session-gateway (development only)' },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const leaf = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = now;
  // Under 398 days, the longest validity TLS clients accept for server certificates.
  cert.validity.notAfter = new Date(now.getTime() + 390 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(caCert);
  return {
    caCert: caPem,
    cert: forge.pki.certificateToPem(cert) + caPem,
    key: forge.pki.privateKeyToPem(leaf.privateKey),
  };
}
