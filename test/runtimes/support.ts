import { createClient, type ExecutionResult } from 'graphql-sse';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../gateway/harness.js';
import { composeSupergraph, RESTORE_SESSIONS_SUBGRAPH, startTestSubgraph, type RunningServer } from '../federation/support.js';
import { errorCodes, streamWaits } from '../gateway/live-support.js';

export { errorCodes };
import { createHelpdeskSubgraph, type HelpdeskSubgraph } from './helpdesk-subgraph.js';

/**
 * Two subgraphs as a platform team runs them: this gateway (on the in-process emulator with a manual clock) and the
 * helpdesk, each on its own ephemeral port, and the supergraph composed from them with the URLs they listen on.
 */
export interface TwoSubgraphs {
  gw: TestGateway;
  helpdesk: HelpdeskSubgraph;
  /** Where the helpdesk subgraph listens. */
  helpdeskUrl: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

export async function startTwoSubgraphs(options: TestGatewayOptions = {}): Promise<TwoSubgraphs> {
  const gw = await startTestGateway(options);
  let helpdeskServer: RunningServer | undefined;
  try {
    const sdl = await gw.queryAs<{ _service: { sdl: string } }>(null, '{ _service { sdl } }');
    if (!sdl.data) throw new Error(`_service { sdl } failed: ${sdl.text}`);
    const helpdesk = createHelpdeskSubgraph();
    helpdeskServer = await startTestSubgraph(helpdesk);
    const { supergraphSdl } = composeSupergraph(sdl.data._service.sdl, [helpdesk], {
      [RESTORE_SESSIONS_SUBGRAPH]: gw.url,
      [helpdesk.name]: helpdeskServer.url,
    });
    const server = helpdeskServer;
    return {
      gw,
      helpdesk,
      helpdeskUrl: server.url,
      supergraphSdl,
      async close() {
        await server.stop();
        await gw.close();
      },
    };
  } catch (err) {
    await helpdeskServer?.stop();
    await gw.close();
    throw err;
  }
}

/** Before each test: the emulator's seed and clock, the gateway's upstream faults and cache, and the helpdesk's tickets. */
export function resetSubgraphs(subgraphs: TwoSubgraphs): void {
  subgraphs.gw.t.emu.reset();
  subgraphs.gw.resetUpstream();
  subgraphs.gw.gateway.graphCache?.clear();
  subgraphs.helpdesk.tickets.length = 0;
}

/** The results of one subscription a client holds, as they arrived. */
export interface SseStream<T> {
  results: Array<ExecutionResult<T, unknown>>;
  completed: boolean;
  error: unknown;
  /** Waits for at least `n` results. */
  next(n: number, timeoutMs?: number): Promise<void>;
  /** Waits for the completion (or an error). */
  ended(timeoutMs?: number): Promise<void>;
  dispose(): void;
}

/**
 * A subscription over the GraphQL over SSE protocol (graphql-sse's own client, distinct connections mode), as a web
 * client subscribes to a supergraph runtime. It never retries, so a refusal shows as it is.
 */
export function subscribeOverSse<T>(url: string, query: string, variables: Record<string, unknown>, authorization: string): SseStream<T> {
  const client = createClient({ url, headers: { authorization }, retryAttempts: 0 });
  const collected = { results: [] as SseStream<T>['results'], completed: false, error: undefined as unknown };
  const stream: SseStream<T> = Object.assign(collected, { ...streamWaits(collected), dispose: () => client.dispose() });
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => stream.results.push(result),
      error: (err) => {
        stream.error = err;
      },
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}
