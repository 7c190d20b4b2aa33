import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/build-schema.js';
import { entityKeys, missingKeys, type EntityKeys } from './key-coverage.js';

// Every documented operation selects the key fields of every entity it fetches, so that a client that copies it into an
// app with a normalising cache (the client kit's typePolicies key artifacts by `id restoreSessionId`) gets objects the
// cache can identify. Read from the pages as written: README.md, docs/*.md and each workspace package's README.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The documentation pages, relative to the repository root. */
function documentationPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  const packages = readdirSync(join(ROOT, 'packages'))
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(join(ROOT, path)));
  return ['README.md', ...docs.sort(), ...packages.sort()];
}

interface CodeBlock {
  page: string;
  /** 1-based position among the page's ```graphql blocks. */
  index: number;
  /** 1-based line of the block's first line of code in the page. */
  line: number;
  source: string;
}

/** The ```graphql fenced blocks of one page (indented ones too, as inside a list). */
function graphqlBlocks(page: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const match of text.matchAll(/^[ \t]*```graphql[^\n]*\n([\s\S]*?)^[ \t]*```/gm)) {
    blocks.push({ page, index: blocks.length + 1, line: text.slice(0, match.index).split('\n').length + 1, source: match[1]! });
  }
  return blocks;
}

/** How a finding names its place: page, block, operation and the line in the page. */
function describeBlock(block: CodeBlock, document: DocumentNode): string {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const name = operation?.kind === Kind.OPERATION_DEFINITION ? operation.name?.value : undefined;
  return `${block.page}, graphql block ${block.index}${name ? ` (${name})` : ''}`;
}

/** The page's problems: blocks that do not parse, and keyed selections without their keys. */
function checkPage(
  schema: GraphQLSchema,
  keys: EntityKeys,
  page: string,
  text = readFileSync(join(ROOT, page), 'utf8'),
): { problems: string[]; checked: number; blocks: number } {
  const blocks = graphqlBlocks(page, text);
  const problems: string[] = [];
  const parsed: Array<[CodeBlock, DocumentNode]> = [];
  for (const block of blocks) {
    try {
      parsed.push([block, parse(block.source)]);
    } catch (error) {
      problems.push(`${page}, graphql block ${block.index} (line ${block.line}) does not parse: ${String(error)}`);
    }
  }
  // A page may define a fragment in one block and spread it in another.
  const pageFragments = new Map<string, FragmentDefinitionNode>();
  for (const [, document] of parsed) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) pageFragments.set(d.name.value, d);
  }
  let checked = 0;
  for (const [block, document] of parsed) {
    const result = missingKeys(schema, keys, document, pageFragments);
    checked += result.checked;
    // One line per selection: an abstract one names the implementations that would arrive without their keys.
    const bySelection = new Map<string, { selectedAs: string; types: string[] }>();
    for (const f of result.findings) {
      const where = `line ${block.line + f.line - 1}: ${f.selectedAs} at \`${f.path}\` lacks its key field(s) ${f.missing.join(', ')}`;
      const entry = bySelection.get(where) ?? { selectedAs: f.selectedAs, types: [] };
      entry.types.push(f.type);
      bySelection.set(where, entry);
    }
    for (const [where, { selectedAs, types }] of bySelection) {
      const implementations = types.length === 1 && types[0] === selectedAs ? '' : ` (for ${types.join(', ')})`;
      problems.push(`${describeBlock(block, document)}, ${where}${implementations}`);
    }
  }
  return { problems, checked, blocks: blocks.length };
}

let schema: GraphQLSchema;
let keys: EntityKeys;

beforeAll(() => {
  schema = buildSchema();
  keys = entityKeys(schema);
});

describe('entity keys, read from the schema', () => {
  it('finds the @key of every entity, the interface and its implementations, and the stubs other subgraphs own', () => {
    expect(Object.fromEntries(keys)).toEqual({
      RestoreSession: [['id']],
      SharePointRestoreSession: [['id']],
      ExchangeRestoreSession: [['id']],
      OneDriveForBusinessRestoreSession: [['id']],
      SiteRestoreArtifact: [['id', 'restoreSessionId']],
      MailboxRestoreArtifact: [['id', 'restoreSessionId']],
      DriveRestoreArtifact: [['id', 'restoreSessionId']],
      GranularSiteRestoreArtifact: [['id', 'restoreSessionId']],
      GranularDriveRestoreArtifact: [['id', 'restoreSessionId']],
      GranularMailboxRestoreArtifact: [['id', 'restoreSessionId']],
      SharePointBrowseSession: [['id']],
      OneDriveForBusinessBrowseSession: [['id']],
      RestorePoint: [['id']],
      SiteProtectionUnit: [['id']],
      MailboxProtectionUnit: [['id']],
      DriveProtectionUnit: [['id']],
      User: [['id']],
      Site: [['id']],
    });
  });
});

describe('the key check', () => {
  const findings = (source: string): string[] =>
    missingKeys(schema, keys, parse(source)).findings.map((f) => `${f.type}@${f.path}: ${f.missing.join(' ')}`);

  it('reports a keyed selection without its keys, for each type an abstract selection may return', () => {
    expect(
      findings('{ restorePoint(id: "p") { protectionDateTime protectionUnit { ... on SiteProtectionUnit { siteName } } } }').sort(),
    ).toEqual([
      'DriveProtectionUnit@restorePoint.protectionUnit: id',
      'MailboxProtectionUnit@restorePoint.protectionUnit: id',
      'RestorePoint@restorePoint: id',
      'SiteProtectionUnit@restorePoint.protectionUnit: id',
    ]);
    expect(findings('{ restoreSessions { nodes { status } } }').sort()).toEqual([
      'ExchangeRestoreSession@restoreSessions.nodes: id',
      'OneDriveForBusinessRestoreSession@restoreSessions.nodes: id',
      'SharePointRestoreSession@restoreSessions.nodes: id',
    ]);
  });

  it('wants both key fields of an artifact, and does not count a key selected only for one implementation', () => {
    expect(
      findings(`{
        restoreSessions {
          nodes { ... on SharePointRestoreSession { id siteRestoreArtifacts { nodes { id status } } } }
        }
      }`).sort(),
    ).toEqual([
      'ExchangeRestoreSession@restoreSessions.nodes: id',
      'OneDriveForBusinessRestoreSession@restoreSessions.nodes: id',
      'SiteRestoreArtifact@restoreSessions.nodes.siteRestoreArtifacts.nodes: restoreSessionId',
    ]);
  });

  it('counts keys from inline fragments and named fragments on the type or an interface it implements, not conditional ones', () => {
    expect(
      findings(`
        query { restoreSession(id: "s") { ...Summary ... on SharePointRestoreSession { status } } }
        fragment Summary on RestoreSession { id status }
      `),
    ).toEqual([]);
    expect(findings('{ restoreSession(id: "s") { ... { id } status } }')).toEqual([]);
    expect(findings('query ($k: Boolean!) { restoreSession(id: "s") { id @include(if: $k) status } }')).toHaveLength(3);
    expect(
      findings(`{
        restoreSession(id: "s") {
          id
          ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { ...Art } } }
        }
      }
      fragment Art on SiteRestoreArtifact { id restoreSessionId }`),
    ).toEqual([]);
  });

  it('checks subscriptions, mutation payloads and fields of stub entities, and skips fields the schema does not know', () => {
    expect(findings('subscription { siteRestoreArtifactStatusChanged(restoreSessionId: "s") { status } }')).toEqual([
      'SiteRestoreArtifact@siteRestoreArtifactStatusChanged: id restoreSessionId',
    ]);
    expect(findings('mutation { activateRestoreSession(id: "s") { restoreSession { status } } }')).toHaveLength(3);
    expect(findings('{ restoreSession(id: "s") { id createdBy { user { __typename } } } }')).toEqual([
      'User@restoreSession.createdBy.user: id',
    ]);
    expect(findings('{ restoreSession(id: "s") { id ticket { restoreSession { status } } } }')).toEqual([]);
  });
});

describe('documented examples', () => {
  it('finds the pages and their examples', () => {
    const pages = documentationPages();
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/live-status.md']));
    const api = checkPage(schema, keys, 'docs/api.md');
    expect(api.blocks).toBeGreaterThanOrEqual(15);
    expect(api.checked).toBeGreaterThanOrEqual(api.blocks);
  });

  it('are reported by page, block, operation, line and type, with fragments from other blocks of the page', () => {
    const page = [
      '# A page',
      '',
      '```graphql',
      'query Sessions {',
      '  restoreSessions { nodes { status } }',
      '}',
      '```',
      '',
      '- in a list:',
      '  ```graphql',
      '  query Points { restorePoint(id: "p") { ...Point } restoreSession(id: "s") { ...Summary } }',
      '  ```',
      '',
      '```graphql',
      'fragment Point on RestorePoint { id protectionDateTime }',
      'fragment Summary on RestoreSession { status ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { id } } } }',
      '```',
      '',
      '```graphql',
      'query Broken {',
      '```',
    ].join('\n');
    const { problems, blocks } = checkPage(schema, keys, 'docs/example.md', page);
    expect(blocks).toBe(4);
    expect(problems).toEqual([
      expect.stringMatching(/^docs\/example\.md, graphql block 4 \(line 20\) does not parse: Syntax Error/),
      'docs/example.md, graphql block 1 (Sessions), line 5: RestoreSession at `restoreSessions.nodes` lacks its key field(s) id ' +
        '(for SharePointRestoreSession, ExchangeRestoreSession, OneDriveForBusinessRestoreSession)',
      'docs/example.md, graphql block 2 (Points), line 11: RestoreSession at `restoreSession` lacks its key field(s) id ' +
        '(for SharePointRestoreSession, ExchangeRestoreSession, OneDriveForBusinessRestoreSession)',
      'docs/example.md, graphql block 3, line 16: SiteRestoreArtifact at `(fragment Summary).siteRestoreArtifacts.nodes` ' +
        'lacks its key field(s) restoreSessionId',
    ]);
  });

  it('select the key fields of every entity they fetch', () => {
    const problems = documentationPages().flatMap((page) => checkPage(schema, keys, page).problems);
    expect(problems).toEqual([]);
  });
});
