import { useSyncExternalStore } from 'react';

// Three screens, addressed by the URL's hash, so that the query string stays free for `?transport=` and a reload or a
// shared link opens the same screen. A router library would add nothing here.

export type Route = { page: 'sessions' } | { page: 'session'; id: string } | { page: 'restore' };

export const hrefs = {
  sessions: '#/',
  session: (id: string) => `#/sessions/${encodeURIComponent(id)}`,
  restore: '#/restore',
};

export function routeOf(hash: string): Route {
  const session = /^#\/sessions\/([^/]+)$/.exec(hash);
  if (session?.[1]) return { page: 'session', id: decodeURIComponent(session[1]) };
  if (hash === hrefs.restore) return { page: 'restore' };
  return { page: 'sessions' };
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function navigate(href: string): void {
  window.location.hash = href;
}
