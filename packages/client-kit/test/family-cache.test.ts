import { ApolloClient, gql, HttpLink, InMemoryCache, type ApolloCache, type TypedDocumentNode } from '@apollo/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedDriveRestorePointId, seedMailboxRestorePointId, seedPerson } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from '../../../test/gateway/harness.js';
import { dataOf } from '../../../test/support/graphql.js';
import { createGatewayCache, typePolicies } from '../src/index.js';

// Exchange and OneDrive sessions in Apollo Client 4's cache, set up as the kit says: fragments on the RestoreArtifact
// and RestoreArtifactsBulkAdditionRequest interfaces, read back from the cache, match each object's concrete type, and
// artifacts are normalized under their id together with their session's id. Real answers of the gateway, on the
// emulator, fill the cache.

const gw = useTestGateway();
const clients: ApolloClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.stop();
});

async function clientWith(cache: ApolloCache): Promise<ApolloClient> {
  const client = new ApolloClient({
    link: new HttpLink({ uri: gw.url, headers: { authorization: await gw.authorization('admin') } }),
    cache,
  });
  clients.push(client);
  return client;
}

const FRAGMENTS = `
  fragment Artifact on RestoreArtifact {
    id
    restoreSessionId
    status
    destinationType
    restorePointId
    ... on MailboxRestoreArtifact {
      restoredFolderName
      restoredItemCount
    }
    ... on DriveRestoreArtifact {
      restoredSiteName
      restoredSiteWebUrl
    }
  }
  fragment BulkRequest on RestoreArtifactsBulkAdditionRequest {
    id
    restoreSessionId
    displayName
    status
    ... on MailboxRestoreArtifactsBulkAdditionRequest {
      mailboxes
    }
    ... on DriveRestoreArtifactsBulkAdditionRequest {
      drives
    }
  }
  fragment Session on RestoreSession {
    id
    status
    ... on ExchangeRestoreSession {
      mailboxRestoreArtifacts(first: 10) {
        nodes {
          ...Artifact
        }
      }
      mailboxRestoreArtifactsBulkAdditionRequests {
        ...BulkRequest
      }
    }
    ... on OneDriveForBusinessRestoreSession {
      driveRestoreArtifacts(first: 10) {
        nodes {
          ...Artifact
        }
      }
      driveRestoreArtifactsBulkAdditionRequests {
        ...BulkRequest
      }
    }
  }
`;

/** The ids of the four sessions the tests load: two with artifacts, two empty drafts with a bulk request each. */
type SessionVars = { exchange: string; oneDrive: string; exchangeBulk: string; oneDriveBulk: string };

const FAMILY_SESSIONS: TypedDocumentNode<Record<keyof SessionVars, unknown>, SessionVars> = gql`
  query FamilySessions($exchange: ID!, $oneDrive: ID!, $exchangeBulk: ID!, $oneDriveBulk: ID!) {
    exchange: restoreSession(id: $exchange) {
      ...Session
    }
    oneDrive: restoreSession(id: $oneDrive) {
      ...Session
    }
    exchangeBulk: restoreSession(id: $exchangeBulk) {
      ...Session
    }
    oneDriveBulk: restoreSession(id: $oneDriveBulk) {
      ...Session
    }
  }
  ${FRAGMENTS}
`;

/** An artifact as the `Artifact` fragment reads it: a type alias, so that it passes for Apollo's StoreObject. */
type ArtifactRead = {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  destinationType: string;
  restorePointId: string | null;
  restoredFolderName?: string | null;
  restoredItemCount?: number | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
};
const ARTIFACT: TypedDocumentNode<ArtifactRead> = gql(FRAGMENTS);

interface SessionRead {
  __typename: string;
  id: string;
  mailboxRestoreArtifacts?: { nodes: ArtifactRead[] };
  driveRestoreArtifacts?: { nodes: ArtifactRead[] };
  mailboxRestoreArtifactsBulkAdditionRequests?: Array<Record<string, unknown>>;
  driveRestoreArtifactsBulkAdditionRequests?: Array<Record<string, unknown>>;
}
const SESSION: TypedDocumentNode<SessionRead> = gql(FRAGMENTS);

/** Creates a session of `create` through the gateway, with artifacts on `points` (none: an empty draft), and returns its id. */
async function createSession(create: string, artifacts: string, points: string[]): Promise<string> {
  const input = points.length
    ? `{ ${artifacts}: [${points.map((p) => `{ restorePointId: "${p}", destinationType: NEW }`).join(', ')}] }`
    : '{}';
  const data = dataOf(
    await gw.query<Record<string, { restoreSession: { id: string } }>>(`mutation { ${create}(input: ${input}) { restoreSession { id } } }`),
  );
  return data[create]!.restoreSession.id;
}

/** Adds a bulk request (`create`) naming one person's mailbox or OneDrive in its `targets` list to the empty draft `sessionId`. */
async function addBulkRequest(create: string, targets: string, sessionId: string): Promise<void> {
  const since = new Date(gw.t.emu.clock.now() - 7 * 86_400_000).toISOString();
  dataOf(
    await gw.query(
      `mutation ($input: ${create[0]!.toUpperCase()}${create.slice(1)}Input!) { ${create}(input: $input) { bulkAdditionRequest { id } } }`,
      {
        input: {
          restoreSessionId: sessionId,
          displayName: `${targets} of last week`,
          [targets]: [seedPerson(2).email],
          destinationType: 'NEW',
          protectionTimePeriod: { startDateTime: since },
        },
      },
    ),
  );
}

/** An Exchange and a OneDrive session with two artifacts each, and an empty draft of each family with a bulk request. */
async function createFamilySessions(): Promise<SessionVars> {
  const exchange = await createSession(
    'createExchangeRestoreSession',
    'mailboxRestoreArtifacts',
    [2, 3].map((i) => seedMailboxRestorePointId(i, 0)),
  );
  const oneDrive = await createSession(
    'createOneDriveForBusinessRestoreSession',
    'driveRestoreArtifacts',
    [2, 3].map((i) => seedDriveRestorePointId(i, 0)),
  );
  const exchangeBulk = await createSession('createExchangeRestoreSession', 'mailboxRestoreArtifacts', []);
  const oneDriveBulk = await createSession('createOneDriveForBusinessRestoreSession', 'driveRestoreArtifacts', []);
  await addBulkRequest('createMailboxRestoreArtifactsBulkAdditionRequest', 'mailboxes', exchangeBulk);
  await addBulkRequest('createDriveRestoreArtifactsBulkAdditionRequest', 'drives', oneDriveBulk);
  return { exchange, oneDrive, exchangeBulk, oneDriveBulk };
}

/** Reads a session from the cache through the `Session` fragment (on the RestoreSession interface). */
function readSession(cache: ApolloCache, __typename: string, id: string): SessionRead | null {
  return cache.readFragment({ id: cache.identify({ __typename, id }), fragment: SESSION, fragmentName: 'Session' });
}

/** Reads an artifact from the cache by its key fields, through the `Artifact` fragment (on the RestoreArtifact interface). */
function readArtifact(cache: ApolloCache, artifact: Pick<ArtifactRead, '__typename' | 'id' | 'restoreSessionId'>): ArtifactRead | null {
  return cache.readFragment({ id: cache.identify(artifact), fragment: ARTIFACT, fragmentName: 'Artifact' });
}

/** The four sessions, loaded into `client`'s cache by one query as a console would load them. */
async function loadFamilySessions(client: ApolloClient): Promise<SessionVars> {
  const ids = await createFamilySessions();
  const result = await client.query({ query: FAMILY_SESSIONS, variables: ids });
  expect(result.error).toBeUndefined();
  return ids;
}

const artifactsOf = (session: SessionRead | null): ArtifactRead[] =>
  session?.mailboxRestoreArtifacts?.nodes ?? session?.driveRestoreArtifacts?.nodes ?? [];

describe("Exchange and OneDrive sessions in the client kit's cache", () => {
  it('reads a fragment on RestoreArtifact back as each artifact’s own family, keyed by id and session id', async () => {
    const client = await clientWith(createGatewayCache());
    const ids = await loadFamilySessions(client);
    const { cache } = client;
    const families = [
      {
        sessionType: 'ExchangeRestoreSession',
        id: ids.exchange,
        type: 'MailboxRestoreArtifact',
        own: { restoredFolderName: null, restoredItemCount: null },
      },
      {
        sessionType: 'OneDriveForBusinessRestoreSession',
        id: ids.oneDrive,
        type: 'DriveRestoreArtifact',
        own: { restoredSiteName: null, restoredSiteWebUrl: null },
      },
    ];
    for (const family of families) {
      const artifacts = artifactsOf(readSession(cache, family.sessionType, family.id));
      expect(artifacts).toHaveLength(2);
      for (const artifact of artifacts) {
        // Exactly the interface's fields and the own family's: the other family's fragment did not match.
        expect(readArtifact(cache, artifact)).toEqual({
          __typename: family.type,
          id: artifact.id,
          restoreSessionId: family.id,
          status: 'ADDED',
          destinationType: 'NEW',
          restorePointId: expect.any(String),
          ...family.own,
        });
        expect(cache.identify(artifact)).toBe(`${family.type}:${JSON.stringify({ id: artifact.id, restoreSessionId: family.id })}`);
      }
    }
  });

  it('reads a fragment on RestoreArtifactsBulkAdditionRequest back as each request’s own family, inside its session', async () => {
    const client = await clientWith(createGatewayCache());
    const ids = await loadFamilySessions(client);
    const { cache } = client;
    const exchange = readSession(cache, 'ExchangeRestoreSession', ids.exchangeBulk);
    const oneDrive = readSession(cache, 'OneDriveForBusinessRestoreSession', ids.oneDriveBulk);
    const [mailboxRequest] = exchange?.mailboxRestoreArtifactsBulkAdditionRequests ?? [];
    const [driveRequest] = oneDrive?.driveRestoreArtifactsBulkAdditionRequests ?? [];
    expect(mailboxRequest).toMatchObject({
      __typename: 'MailboxRestoreArtifactsBulkAdditionRequest',
      restoreSessionId: ids.exchangeBulk,
      displayName: 'mailboxes of last week',
      status: 'ACTIVE',
    });
    expect(driveRequest).toMatchObject({
      __typename: 'DriveRestoreArtifactsBulkAdditionRequest',
      restoreSessionId: ids.oneDriveBulk,
      displayName: 'drives of last week',
      status: 'ACTIVE',
    });
    // Each carries the interface's fields and its own family's list (null or empty in a list answer), not the other's.
    const shared = ['__typename', 'displayName', 'id', 'restoreSessionId', 'status'];
    expect(Object.keys(mailboxRequest ?? {}).sort()).toEqual([...shared, 'mailboxes'].sort());
    expect(Object.keys(driveRequest ?? {}).sort()).toEqual([...shared, 'drives'].sort());
    // A bulk request's id is unique only within its session and it has no @key: it stays inside the session that holds it.
    const stored = Object.keys((cache as InMemoryCache).extract());
    expect(stored.filter((key) => key.includes('BulkAdditionRequest'))).toEqual([]);
  });

  it('matches no interface fragment without the kit’s possibleTypes, which is what they are for', async () => {
    const client = await clientWith(new InMemoryCache({ typePolicies }));
    // Apollo warns of each fragment it cannot match; here that is the expected outcome, so it is checked, not printed.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const ids = await loadFamilySessions(client);
      expect(readSession(client.cache, 'ExchangeRestoreSession', ids.exchange)).toEqual({ __typename: 'ExchangeRestoreSession' });
      expect(readSession(client.cache, 'OneDriveForBusinessRestoreSession', ids.oneDrive)).toEqual({
        __typename: 'OneDriveForBusinessRestoreSession',
      });
      expect(warn.mock.calls.map((call) => call.join(' '))).toContainEqual(expect.stringMatching(/possibleTypes.*RestoreSession/s));
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps artifacts of two sessions with the same artifact id apart', async () => {
    const client = await clientWith(createGatewayCache());
    const ids = await loadFamilySessions(client);
    const { cache } = client;
    const [artifact] = artifactsOf(readSession(cache, 'ExchangeRestoreSession', ids.exchange));
    // Graph promises an artifact id unique only within its session; the emulator's ids happen to be unique everywhere,
    // so the namesake in another Exchange session is written as an answer about it would write it.
    const namesake = { ...artifact!, restoreSessionId: ids.exchangeBulk, status: 'FAILED' };
    cache.writeFragment({ id: cache.identify(namesake), fragment: ARTIFACT, fragmentName: 'Artifact', data: namesake });
    expect(cache.identify(namesake)).not.toBe(cache.identify(artifact!));
    expect(readArtifact(cache, artifact!)).toMatchObject({ restoreSessionId: ids.exchange, status: 'ADDED' });
    expect(readArtifact(cache, namesake)).toMatchObject({ restoreSessionId: ids.exchangeBulk, status: 'FAILED' });
  });
});
