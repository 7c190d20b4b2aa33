import { readFileSync } from 'node:fs';
import { buildSchema as buildSdl, isObjectType, isSpecifiedDirective } from 'graphql';
import { describe, expect, it } from 'vitest';
import { generateKitFiles } from '../scripts/generate.js';
import { connectionFields, keyFields, possibleTypes, typePolicies } from '../src/index.js';

// The kit's generated files: the client schema without Federation plumbing, and the facts the cache needs, derived
// from the gateway's schema. `npm run codegen:check` fails in CI when the committed files are stale; so does this.

const kitFile = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe("the kit's schema and schema facts", () => {
  const generated = generateKitFiles();

  it('are what the generator writes from the current gateway schema (run `npm run codegen` after a schema change)', () => {
    for (const [path, content] of Object.entries(generated)) expect(kitFile(path), path).toBe(content);
  });

  it('print the public schema without Federation plumbing', () => {
    const sdl = generated['schema.graphql']!;
    const schema = buildSdl(sdl);
    const names = Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__'));
    expect(names.filter((n) => n.startsWith('_') || n.includes('__'))).toEqual([]);
    expect(Object.keys(schema.getQueryType()!.getFields()).filter((n) => n.startsWith('_'))).toEqual([]);
    expect(schema.getDirectives().filter((d) => !isSpecifiedDirective(d))).toEqual([]);
    expect(sdl).not.toMatch(/@(link|key|shareable)\b\s*\(/);
    // What clients use is all there: entities stubbed for other subgraphs stay as plain types.
    for (const type of ['RestoreSession', 'SiteRestoreArtifact', 'User', 'Site', 'GatewayErrorCode', 'DateTime', 'URL', 'NonNegativeInt']) {
      expect(schema.getType(type), type).toBeDefined();
    }
    expect(Object.keys(schema.getSubscriptionType()!.getFields())).toContain('restoreSessionStatusChanged');
    expect(isObjectType(schema.getType('SiteRestoreArtifact'))).toBe(true);
  });

  it('key every entity by its @key fields, and page every connection by its non-paging arguments', () => {
    expect(keyFields).toMatchObject({
      RestoreSession: ['id'],
      SharePointRestoreSession: ['id'],
      ExchangeRestoreSession: ['id'],
      OneDriveForBusinessRestoreSession: ['id'],
      SiteRestoreArtifact: ['id', 'restoreSessionId'],
      RestorePoint: ['id'],
      SiteProtectionUnit: ['id'],
      MailboxProtectionUnit: ['id'],
      DriveProtectionUnit: ['id'],
    });
    expect(possibleTypes['ProtectionUnit']).toEqual(['SiteProtectionUnit', 'MailboxProtectionUnit', 'DriveProtectionUnit']);
    expect(possibleTypes['RestoreSession']).toEqual([
      'SharePointRestoreSession',
      'ExchangeRestoreSession',
      'OneDriveForBusinessRestoreSession',
    ]);
    expect(connectionFields).toMatchObject({
      Query: {
        restoreSessions: ['filter'],
        sharePointRestoreSessions: ['filter'],
        siteProtectionUnits: [],
        mailboxProtectionUnits: [],
        driveProtectionUnits: [],
      },
      SharePointRestoreSession: { siteRestoreArtifacts: ['filter'] },
    });
    expect(typePolicies['SharePointRestoreSession']).toMatchObject({
      keyFields: ['id'],
      fields: { siteRestoreArtifacts: { keyArgs: ['filter'] } },
    });
    expect(typePolicies['Query']?.fields?.['siteProtectionUnits']).toMatchObject({ keyArgs: false });
    // An id that is no identity on its own: unique only within a session, or a snapshot of who did something.
    expect(typePolicies['SiteRestoreArtifactsBulkAdditionRequest']).toEqual({ keyFields: false });
    expect(typePolicies['Identity']).toEqual({ keyFields: false });
  });
});
