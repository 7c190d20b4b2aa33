import type { ApolloClient } from '@apollo/client';
import { createConsoleClient } from './apollo';
import { devSignIn, type Caller } from './auth';
import type { Transport } from './settings';

/**
 * The console's state outside React: who is signed in, their Apollo Client, and the last failed write. Kept out of
 * components so that a client is made once per sign-in (not per render, nor twice by StrictMode) and disposed at
 * sign-out. Only the user's name is remembered across a reload (sessionStorage), never a token.
 */

export interface SignedIn {
  caller: Caller;
  client: ApolloClient;
}

/** A failed mutation, shown until dismissed or until the page changes. */
export interface Notice {
  id: number;
  operationName: string | undefined;
  error: unknown;
}

export interface ConsoleState {
  signedIn?: SignedIn;
  signingIn: boolean;
  signInError?: string;
  notice?: Notice;
}

export interface ConsoleStore {
  subscribe(listener: () => void): () => void;
  getState(): ConsoleState;
  signIn(user: string): Promise<void>;
  signOut(): void;
  /** Signs in again as the user of the last visit in this tab, if any. */
  resume(): void;
  dismissNotice(): void;
}

const REMEMBERED_USER = 'restore-console.user';

export function createConsoleStore(options: { url: string; transport: Transport; storage: Storage }): ConsoleStore {
  let state: ConsoleState = { signingIn: false };
  let dispose: (() => void) | undefined;
  let notices = 0;
  const listeners = new Set<() => void>();
  const update = (change: Partial<ConsoleState>): void => {
    state = { ...state, ...change };
    for (const listener of listeners) listener();
  };

  async function signIn(user: string): Promise<void> {
    update({ signingIn: true, signInError: undefined });
    try {
      const caller = await devSignIn(user);
      const made = createConsoleClient({
        url: options.url,
        transport: options.transport,
        getToken: () => caller.getToken(),
        onMutationError: (error, operationName) => update({ notice: { id: ++notices, operationName, error } }),
      });
      dispose = made.dispose;
      options.storage.setItem(REMEMBERED_USER, user);
      update({ signedIn: { caller, client: made.client }, signingIn: false });
    } catch (err) {
      update({ signingIn: false, signInError: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getState: () => state,
    signIn,
    signOut() {
      dispose?.();
      dispose = undefined;
      options.storage.removeItem(REMEMBERED_USER);
      update({ signedIn: undefined, notice: undefined });
    },
    resume() {
      const user = options.storage.getItem(REMEMBERED_USER);
      if (user) void signIn(user);
    },
    dismissNotice: () => update({ notice: undefined }),
  };
}
