import { createHash } from 'node:crypto';

/** A stable GUID derived from a name, so the seed has the same ids on every start. */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Graph's session, artifact and bulk-request ids are GUIDs; anything else is 400 Invalid…Id. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Restore point ids look like `<unit guid>_<unix seconds>_14_1`, or plain GUIDs in some examples. */
export function isRestorePointId(value: string): boolean {
  return /^[0-9a-z-]{8,64}(_[0-9]{1,12}){0,4}$/i.test(value) && value.length <= 128;
}
