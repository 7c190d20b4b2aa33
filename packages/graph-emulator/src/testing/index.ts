/**
 * `@restore-session-gateway/graph-emulator/testing`: helpers for writing tests against the emulator. A separate entry
 * because they are not part of serving Graph: they bring an HTTP client (undici), vitest's lifecycle hooks and test
 * defaults (a manual clock, a CA outside the working tree) that `startEmulator` itself must not have.
 */
export { startTestEmulator, type TestEmulator, type EmuResponse, type CallOptions } from './test-emulator.js';
export { useTestEmulator } from './use-test-emulator.js';
export { graphEntries, graphCalls, upstreamRequests, upstreamRounds, tokenRequests } from './journal.js';
export { generateClientCertificate, type ClientCertificate } from '../authority/client-certificate.js';
export { prng } from '../admin/faults.js';
