import type {
  BrowseSession,
  BulkAdditionRequest,
  MailSearch,
  IdentitySet,
  ProtectionUnit,
  ProtectionUnitStatus,
  RestorePoint,
  RestoreSession,
  RestoreArtifact,
  SessionKind,
  UnitKind,
} from './types.js';

/** Omit over each member of a union, keeping it a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
import type { SeedFixture, SeedUser } from './seed.js';
import { planArtifact } from './lifecycle.js';
import { planGranular } from './granular-lifecycle.js';
import { GRAPH_MAX_QUEUED_RESTORES, createRestoreQueue, type RestoreQueue } from './restore-queue.js';

/** Searches remembered for granular Exchange restores; older ones are forgotten (a create naming one is then refused). */
const MAX_MAIL_SEARCHES = 10_000;

/** The application every restore is shown as going through, as in the Graph examples. */
export const RESTORE_APPLICATION = { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', displayName: 'Microsoft Enhanced Restore' };

/**
 * Everything the emulator knows. Maps keep insertion order, which is the order Graph lists things in here.
 * Ids are compared case-insensitively, as Graph does for GUID keys: maps are keyed by the lower-cased id.
 */
export class EmulatorState {
  readonly users = new Map<string, SeedUser>();
  readonly units = new Map<string, ProtectionUnit>();
  readonly restorePoints = new Map<string, RestorePoint>();
  /** Restore point ids per unit, newest first. */
  readonly restorePointsByUnit = new Map<string, RestorePoint[]>();
  readonly sessions = new Map<string, RestoreSession>();
  readonly artifacts = new Map<string, RestoreArtifact>();
  readonly bulkRequests = new Map<string, BulkAdditionRequest>();
  /** Browse sessions by their exact (opaque, case-sensitive) id; expired ones are dropped as new ones come. */
  readonly browseSessions = new Map<string, BrowseSession>();
  /** Mailbox searches (`restorePoints/search` with an artifactQuery) by searchResponseId, the latest few thousand. */
  readonly mailSearches = new Map<string, MailSearch>();
  /** Each family's restores in parallel (restore-queue.ts), filled as sessions are activated. */
  private readonly queues = new Map<SessionKind, RestoreQueue>();

  constructor(
    readonly fixture: SeedFixture,
    /** Multiplies restore durations (EMULATOR_TIME_SCALE). */
    readonly timeScale: number,
    /** At most this many artifacts of one family are restored at once; the others wait (Graph: 1,000). */
    readonly maxQueuedRestores: number = GRAPH_MAX_QUEUED_RESTORES,
  ) {
    this.load(fixture);
  }

  unit(id: string): ProtectionUnit | undefined {
    return this.units.get(id.toLowerCase());
  }
  restorePoint(id: string): RestorePoint | undefined {
    return this.restorePoints.get(id.toLowerCase());
  }
  session(id: string): RestoreSession | undefined {
    return this.sessions.get(id.toLowerCase());
  }
  artifact(id: string): RestoreArtifact | undefined {
    return this.artifacts.get(id.toLowerCase());
  }
  bulkRequest(id: string): BulkAdditionRequest | undefined {
    return this.bulkRequests.get(id.toLowerCase());
  }
  sessionArtifacts(session: RestoreSession): RestoreArtifact[] {
    const out: RestoreArtifact[] = [];
    for (const id of session.artifactIds) {
      const a = this.artifacts.get(id.toLowerCase());
      if (a) out.push(a);
    }
    return out;
  }
  userByName(name: string): SeedUser | undefined {
    return this.users.get(name);
  }
  userById(id: string): SeedUser | undefined {
    for (const u of this.users.values()) if (u.id === id) return u;
    return undefined;
  }

  addSession(s: RestoreSession): void {
    this.sessions.set(s.id.toLowerCase(), s);
  }
  addArtifact(a: RestoreArtifact): void {
    this.artifacts.set(a.id.toLowerCase(), a);
  }
  addBulkRequest(b: BulkAdditionRequest): void {
    this.bulkRequests.set(b.id.toLowerCase(), b);
  }
  deleteSession(s: RestoreSession): void {
    for (const id of s.artifactIds) this.artifacts.delete(id.toLowerCase());
    for (const id of s.bulkRequestIds) this.bulkRequests.delete(id.toLowerCase());
    this.sessions.delete(s.id.toLowerCase());
  }

  /**
   * Activation: every artifact gets its plan (timeline and outcome), decided from the seed data only, and its place in
   * its family's queue. `scale` defaults to the emulator's time scale. A seeded session whose status the seed fixes
   * takes no slot: its artifacts only have to agree with the counts it fixes.
   */
  planSession(session: RestoreSession, activatedAt: number, scale = this.timeScale): void {
    session.activatedAt = activatedAt;
    const queue = session.fixed ? undefined : this.queueOf(session.kind);
    this.sessionArtifacts(session).forEach((a, i) => {
      const point = this.restorePoint(a.restorePointId);
      const unit = point ? this.unit(point.protectionUnitId) : undefined;
      const standard = planArtifact(a, i, activatedAt, scale, point, unit);
      const plan = a.granular ? planGranular(standard, a, unit, session, activatedAt) : standard;
      a.plan = queue ? queue.admit(activatedAt, plan) : plan;
    });
  }

  /** A browse session that has not expired at `now`; undefined otherwise. */
  browseSession(id: string, now: number): BrowseSession | undefined {
    const b = this.browseSessions.get(id);
    return b && now <= b.expirationDateTime ? b : undefined;
  }

  addBrowseSession(b: BrowseSession, now: number): void {
    for (const [id, old] of this.browseSessions) if (now > old.expirationDateTime) this.browseSessions.delete(id);
    this.browseSessions.set(b.id, b);
  }

  addMailSearch(search: MailSearch): void {
    if (this.mailSearches.size >= MAX_MAIL_SEARCHES) {
      const oldest = this.mailSearches.keys().next();
      if (!oldest.done) this.mailSearches.delete(oldest.value);
    }
    this.mailSearches.set(search.id, search);
  }

  private queueOf(kind: SessionKind): RestoreQueue {
    let queue = this.queues.get(kind);
    if (!queue) this.queues.set(kind, (queue = createRestoreQueue(this.maxQueuedRestores)));
    return queue;
  }

  /** Units of one workload, in seed order (what the unit lists show). */
  unitsOf<K extends UnitKind>(kind: K): Array<Extract<ProtectionUnit, { kind: K }>> {
    const out: Array<Extract<ProtectionUnit, { kind: K }>> = [];
    for (const u of this.units.values()) if (u.kind === kind) out.push(u as Extract<ProtectionUnit, { kind: K }>);
    return out;
  }

  identityOf(user: SeedUser | undefined): IdentitySet {
    if (!user) return { application: { ...RESTORE_APPLICATION } };
    return { application: { ...RESTORE_APPLICATION }, user: { id: user.id, displayName: user.displayName, email: user.email } };
  }

  /** A seeded unit of any workload, created (and last modified) by the seed's admin. */
  private addUnit(
    unit: DistributiveOmit<
      ProtectionUnit,
      'status' | 'legalHold' | 'createdBy' | 'createdDateTime' | 'lastModifiedBy' | 'lastModifiedDateTime'
    > & {
      status?: ProtectionUnitStatus;
      legalHold?: boolean;
    },
    createdDateTime: string,
  ): void {
    const created = Date.parse(createdDateTime);
    const by = this.identityOf(this.users.get('admin'));
    const full = {
      ...unit,
      status: unit.status ?? 'protected',
      legalHold: unit.legalHold ?? false,
      createdBy: by,
      createdDateTime: created,
      lastModifiedBy: by,
      lastModifiedDateTime: created,
    } as ProtectionUnit;
    this.units.set(unit.id.toLowerCase(), full);
  }

  private load(f: SeedFixture): void {
    for (const u of f.users) this.users.set(u.name, u);
    for (const u of f.protectionUnits) this.addUnit({ ...u, kind: 'site' }, u.createdDateTime);
    for (const u of f.mailboxProtectionUnits ?? []) {
      this.addUnit(
        {
          kind: 'mailbox',
          id: u.id,
          policyId: u.policyId,
          directoryObjectId: u.directoryObjectId,
          displayName: u.displayName,
          email: u.email,
          mailboxType: u.mailboxType ?? 'user',
          status: u.status,
          legalHold: u.legalHold,
          unchanged: u.unchanged ?? false,
        },
        u.createdDateTime,
      );
    }
    for (const u of f.driveProtectionUnits ?? []) this.addUnit({ ...u, kind: 'drive' }, u.createdDateTime);
    for (const p of f.restorePoints) {
      const point: RestorePoint = {
        id: p.id,
        protectionUnitId: p.protectionUnitId,
        protectionDateTime: Date.parse(p.protectionDateTime),
        expirationDateTime: Date.parse(p.expirationDateTime),
        tags: p.tags ?? 'none',
      };
      this.restorePoints.set(p.id.toLowerCase(), point);
      const list = this.restorePointsByUnit.get(p.protectionUnitId.toLowerCase()) ?? [];
      list.push(point);
      this.restorePointsByUnit.set(p.protectionUnitId.toLowerCase(), list);
    }
    for (const list of this.restorePointsByUnit.values()) list.sort((a, b) => b.protectionDateTime - a.protectionDateTime);
    const activated: Array<{ session: RestoreSession; at: number; scale: number }> = [];
    for (const s of f.sessions) {
      const created = Date.parse(s.createdDateTime);
      const by = this.identityOf(this.users.get(s.createdBy));
      const session: RestoreSession = {
        id: s.id,
        kind: s.kind,
        restoreJobType: s.restoreJobType ?? 'standard',
        createdBy: by,
        createdDateTime: created,
        lastModifiedBy: by,
        lastModifiedDateTime: created,
        activatedAt: null,
        artifactIds: [],
        bulkRequestIds: [],
      };
      if (s.fixed) {
        session.fixed = {
          status: s.fixed.status,
          counts: { ...s.fixed.counts },
          completedDateTime: s.fixed.completedDateTime ? Date.parse(s.fixed.completedDateTime) : null,
        };
        session.activatedAt = created;
      }
      for (const a of s.artifacts ?? []) {
        this.addArtifact({
          id: a.id,
          sessionId: s.id,
          restorePointId: a.restorePointId,
          destinationType: a.destinationType,
          createdDateTime: created,
          plan: null,
        });
        session.artifactIds.push(a.id);
      }
      this.addSession(session);
      // A fixed session's artifacts are planned too, so that listing them agrees with the counts the seed fixes.
      if (s.activatedDateTime) activated.push({ session, at: Date.parse(s.activatedDateTime), scale: s.durationScale ?? 1 });
    }
    // In activation order, whatever the seed's order, as the queues take them.
    activated.sort((a, b) => a.at - b.at);
    for (const { session, at, scale } of activated) this.planSession(session, at, scale);
  }
}
