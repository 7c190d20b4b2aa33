/**
 * Whether a URL falls under one of the prefixes: the same origin (scheme, host and port, as the URL parser normalises
 * them) and the prefix's path segments first. `https://router.example.com.evil.net` is not under
 * `https://router.example.com`, nor `/callbacks` under `/callback`.
 */
export function createCallbackAllowList(prefixes: readonly string[]): (url: URL) => boolean {
  const entries = prefixes.map((prefix) => {
    const url = new URL(prefix);
    return { origin: url.origin, path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
  });
  return (url) =>
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    entries.some((e) => url.origin === e.origin && `${url.pathname}/`.startsWith(e.path));
}
