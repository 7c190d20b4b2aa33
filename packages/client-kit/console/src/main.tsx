import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createConsoleStore } from './console-store';
import * as operations from './operations';
import { gatewayUrl, transportOf } from './settings';
import './styles.css';

const transport = transportOf(window.location.search);
const store = createConsoleStore({ url: gatewayUrl, transport, storage: window.sessionStorage });
store.resume();

// In development only, the page's own client and documents, so that a test (or you, in the browser's console) can
// send what the screens do not offer: `restoreConsole.client()?.mutate({ mutation: restoreConsole.operations.…, … })`.
if (import.meta.env.DEV) {
  window.restoreConsole = { client: () => store.getState().signedIn?.client, operations };
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App store={store} transport={transport} />
  </StrictMode>,
);
