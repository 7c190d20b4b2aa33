import { createHash } from 'node:crypto';
import { stableGuid } from './ids.js';
import { DAY } from './seed-clock.js';
import { SEED_PERSON_COUNT, seedPerson } from './seed-workloads.js';
import type { EmulatorState } from './state.js';
import type { MailClause, MailItemKind, MailPattern, MailQuery, MailboxProtectionUnit } from './types.js';

/**
 * The mail items of a protected mailbox, as a granular Exchange restore searches them: generated from the mailbox
 * (never stored), dated over the 20 days before its newest restore point, so that older restore points hold fewer of
 * them. A restore point holds the items dated at or before the instant it was taken.
 */

export interface MailAddress {
  name: string;
  address: string;
}

export interface MailItem {
  id: string;
  kind: MailItemKind;
  subject: string;
  sender: MailAddress;
  /** To, Cc and Bcc (a meeting's attendees). */
  recipients: MailAddress[];
  hasAttachment: boolean;
  /** When it was received, created or last changed (epoch ms). */
  dateTime: number;
}

/** Items per mailbox. */
export const MAIL_ITEMS_PER_MAILBOX = 80;
/** How far before the newest restore point the oldest item is dated. */
const HISTORY_MS = 20 * DAY;

const EMAIL_SUBJECTS = [
  'Budget review',
  'Budget approval for Q3',
  'Invoice {n} from Fabrikam',
  'Project Alpha status',
  'Weekly sync notes',
  'Quarterly report draft',
  'Contract renewal',
  'Re: Budget review',
  'Team offsite planning',
  'Travel request',
  'Security training reminder',
  'Customer escalation',
];
const OTHER_SUBJECTS: Record<Exclude<MailItemKind, 'email' | 'contact'>, string[]> = {
  calendar: ['Team meeting', '1:1 with manager', 'Budget planning session'],
  task: ['Submit expense report', 'Review invoice batch', 'Update project plan'],
  note: ['Ideas for Project Alpha', 'Budget notes', 'Meeting notes'],
};
const EXTERNAL_SENDERS: MailAddress[] = [
  { name: 'Fabrikam Billing', address: 'billing@fabrikam.com' },
  { name: 'Contoso News', address: 'news@contoso.com' },
];
/** Six in ten items are e-mails, then one each of the other kinds. */
const KIND_CYCLE: MailItemKind[] = ['email', 'email', 'email', 'email', 'email', 'email', 'calendar', 'task', 'note', 'contact'];

const hashOf = (s: string): number => createHash('sha256').update(s).digest().readUInt32BE(0);

function person(n: number): MailAddress {
  const p = seedPerson(n % SEED_PERSON_COUNT);
  return { name: p.displayName, address: p.email };
}

/** The mailbox owner as mail names it. */
export interface MailboxOwner {
  id: string;
  displayName: string;
  email: string;
}

function mailItem(owner: MailboxOwner, i: number, anchor: number): MailItem {
  const h = hashOf(`${owner.id.toLowerCase()}:${i}`);
  const kind = KIND_CYCLE[i % KIND_CYCLE.length] ?? 'email';
  const me: MailAddress = { name: owner.displayName, address: owner.email };
  const step = HISTORY_MS / MAIL_ITEMS_PER_MAILBOX;
  const dateTime = anchor - HISTORY_MS + Math.floor(i * step) + (h % Math.floor(step / 2));
  const base = { id: stableGuid(`mail-item:${owner.id}:${i}`), kind, dateTime };
  if (kind === 'email') {
    const template = EMAIL_SUBJECTS[h % EMAIL_SUBJECTS.length] ?? 'Hello';
    const sender = h % 7 === 0 ? (EXTERNAL_SENDERS[(h >>> 3) % EXTERNAL_SENDERS.length] ?? me) : person(h >>> 4);
    const others = Array.from({ length: (h >>> 9) % 3 }, (_, k) => person((h >>> 12) + k * 5));
    return {
      ...base,
      subject: template.replace('{n}', String(1000 + ((h >>> 6) % 9000))),
      sender,
      recipients: [me, ...others],
      hasAttachment: (h >>> 2) % 3 === 0,
    };
  }
  if (kind === 'contact') {
    const contact = person(h >>> 4);
    return { ...base, subject: contact.name, sender: me, recipients: [], hasAttachment: false };
  }
  const subjects = OTHER_SUBJECTS[kind];
  const attendees = kind === 'calendar' ? [me, person(h >>> 4), person(h >>> 8)] : [];
  return {
    ...base,
    subject: subjects[h % subjects.length] ?? kind,
    sender: me,
    recipients: attendees,
    hasAttachment: kind === 'calendar' && (h >>> 2) % 5 === 0,
  };
}

/** The items of a mailbox whose newest restore point was taken at `anchor`, oldest first. */
export function mailItemsOf(owner: MailboxOwner, anchor: number): MailItem[] {
  return Array.from({ length: MAIL_ITEMS_PER_MAILBOX }, (_, i) => mailItem(owner, i, anchor));
}

// ---------------------------------------------------------------------------------------------- matching

function patternMatches(p: MailPattern, value: string): boolean {
  const source = p.pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const anchored = p.mode === 'contains' ? `.*${source}.*` : source;
  return new RegExp(`^${anchored}$`, 's').test(value.toLowerCase());
}

/** What a sender or participant pattern is compared with: the name, the alias and the SMTP address. */
function addressForms(a: MailAddress): string[] {
  return [a.name, a.address, a.address.split('@')[0] ?? a.address];
}

function clauseMatches(clause: MailClause, item: MailItem): boolean {
  switch (clause.field) {
    case 'subject':
      return clause.any.some((p) => patternMatches(p, item.subject));
    case 'sender':
      return clause.any.some((p) => addressForms(item.sender).some((v) => patternMatches(p, v)));
    case 'participants':
      return clause.any.some((p) => item.recipients.some((r) => addressForms(r).some((v) => patternMatches(p, v))));
    case 'hasAttachment':
      return item.hasAttachment === clause.value;
    case 'kind':
      return clause.any.includes(item.kind);
  }
}

export function mailItemMatches(query: MailQuery, item: MailItem): boolean {
  return query.clauses.every((c) => clauseMatches(c, item));
}

/** How many items of a mailbox a restore point taken at `pointTime` holds that match the query. */
export function mailHitCount(query: MailQuery, items: readonly MailItem[], pointTime: number): number {
  let n = 0;
  for (const item of items) if (item.dateTime <= pointTime && mailItemMatches(query, item)) n++;
  return n;
}

/**
 * The items of a protected mailbox, dated against its newest restore point (a mailbox without restore points has the
 * items it would have had at its creation). Small and cheap to generate, so never kept.
 */
export function mailboxItems(state: EmulatorState, unit: MailboxProtectionUnit): MailItem[] {
  const newest = state.restorePointsByUnit.get(unit.id.toLowerCase())?.[0];
  return mailItemsOf(unit, newest?.protectionDateTime ?? unit.createdDateTime);
}
