import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleStore, SignedIn } from './console-store';
import { ErrorNotice } from './error-notice';
import { RestoreSitesPage } from './pages/restore-sites';
import { SessionPage } from './pages/session';
import { SessionsPage } from './pages/sessions';
import { SignInPage } from './pages/sign-in';
import { hrefs, routeOf, useHash, type Route } from './router';
import { transportLabel, transports, type Transport } from './settings';

function Screen({ route, signedIn }: { route: Route; signedIn: SignedIn }) {
  switch (route.page) {
    case 'session':
      // Keyed by id: another session is another page, with its own subscriptions.
      return <SessionPage key={route.id} id={route.id} caller={signedIn.caller} />;
    case 'restore':
      return <RestoreSitesPage caller={signedIn.caller} />;
    case 'sessions':
      return <SessionsPage />;
  }
}

/** Switching the transport reloads the page with another `?transport=`: a new client, the same screen and user. */
function TransportSwitch({ transport }: { transport: Transport }) {
  const change = (value: string): void => {
    const url = new URL(window.location.href);
    url.searchParams.set('transport', value);
    window.location.assign(url);
  };
  return (
    <label className="transport">
      Live updates over{' '}
      <select value={transport} onChange={(e) => change(e.target.value)}>
        {transports.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Header({ route, signedIn, store, transport }: { route: Route; signedIn?: SignedIn; store: ConsoleStore; transport: Transport }) {
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);
  return (
    <header className="top">
      <p className="brand">Restore console</p>
      {signedIn && (
        <nav aria-label="Main">
          <a href={hrefs.sessions} aria-current={current('sessions')}>
            Sessions
          </a>
          {signedIn.caller.canWrite && (
            <a href={hrefs.restore} aria-current={current('restore')}>
              Restore sites
            </a>
          )}
        </nav>
      )}
      <div className="who">
        <TransportSwitch transport={transport} />
        {signedIn && (
          <>
            <span>
              Signed in as <strong>{signedIn.caller.user}</strong> ({signedIn.caller.canWrite ? 'can restore' : 'read only'})
            </span>
            <button type="button" onClick={() => store.signOut()}>
              Sign out
            </button>
          </>
        )}
      </div>
    </header>
  );
}

export function App({ store, transport }: { store: ConsoleStore; transport: Transport }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const hash = useHash();
  const route = routeOf(hash);
  // A notice belongs to the screen where it happened.
  useEffect(() => store.dismissNotice(), [hash, store]);
  const { signedIn, notice } = state;
  return (
    <>
      <Header route={route} signedIn={signedIn} store={store} transport={transport} />
      <main id="main" aria-label={`Restore console, live updates over ${transportLabel(transport)}`}>
        {notice && (
          <div className="page-notice">
            <ErrorNotice error={notice.error} context="That did not work" />
            <button type="button" onClick={() => store.dismissNotice()}>
              Dismiss
            </button>
          </div>
        )}
        {signedIn ? (
          <ApolloProvider client={signedIn.client}>
            <Screen route={route} signedIn={signedIn} />
          </ApolloProvider>
        ) : (
          <SignInPage store={store} signingIn={state.signingIn} error={state.signInError} />
        )}
      </main>
    </>
  );
}
