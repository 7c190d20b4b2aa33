// Where the gateway is, and how the console follows live status. The gateway's URL is fixed when the page is served:
// `npm run console` defines it from the gateway it started (its port is known only once it listens); a deployment's
// build defines it from its own configuration (Vite's `define`, or `import.meta.env` with a `VITE_` variable).
declare const __GATEWAY_URL__: string;

export const gatewayUrl: string = __GATEWAY_URL__;

/**
 * How subscriptions travel. `ws`: one graphql-ws socket carries them all (the default). `sse`: one Server-Sent Events
 * request per subscription. `multipart`: Apollo Client's own HttpLink, one multipart HTTP response per subscription.
 * The two HTTP transports hold a connection per subscription, and a browser opens at most six HTTP/1.1 connections to
 * one host: behind HTTP/2 that limit goes away, on plain HTTP/1.1 prefer the socket for screens that follow many.
 */
export type Transport = 'ws' | 'sse' | 'multipart';

export const transports: ReadonlyArray<{ value: Transport; label: string }> = [
  { value: 'ws', label: 'WebSocket (graphql-ws)' },
  { value: 'sse', label: 'Server-Sent Events' },
  { value: 'multipart', label: 'Multipart HTTP' },
];

/** The transport the page's `?transport=` asks for; WebSocket when it names none or an unknown one. */
export function transportOf(search: string): Transport {
  const asked = new URLSearchParams(search).get('transport');
  return transports.find((t) => t.value === asked)?.value ?? 'ws';
}

export function transportLabel(transport: Transport): string {
  return transports.find((t) => t.value === transport)?.label ?? transport;
}
