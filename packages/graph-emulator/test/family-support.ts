/** What the Exchange and OneDrive suites share: Graph's answer shapes as they read them, and the constants they send. */

export type Json = Record<string, unknown>;
export type Err = { error: { code: string; message: string } };
export interface Page {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: Json[];
}

export const ROOT = '/solutions/backupRestore';
export const PREFER = { prefer: 'include-unknown-enum-members' };
/** A well-formed GUID no seed uses. */
export const UNKNOWN_GUID = '00000000-1111-4222-a333-444444444444';
