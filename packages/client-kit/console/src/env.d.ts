/// <reference types="vite/client" />
import type { ApolloClient } from '@apollo/client';
import type * as operations from './operations';

declare global {
  interface Window {
    /** Development only (main.tsx): the signed-in client and the console's documents. */
    restoreConsole?: { client(): ApolloClient | undefined; operations: typeof operations };
  }
}
