import { Router, type Route } from '../http/router.js';
import { rootRoutes } from './root.js';
import { sessionRoutes } from './sessions.js';
import { artifactRoutes } from './artifacts.js';
import { bulkRoutes } from './bulk.js';
import { restorePointRoutes } from './restore-points.js';
import { protectionUnitRoutes } from './protection-units.js';
import { browseSessionRoutes } from './browse-sessions.js';
import { granularRoutes } from './granular.js';

/** Every Graph endpoint the emulator serves. */
export const GRAPH_ROUTES: readonly Route[] = [
  ...rootRoutes,
  ...sessionRoutes,
  ...artifactRoutes,
  ...granularRoutes,
  ...bulkRoutes,
  ...restorePointRoutes,
  ...protectionUnitRoutes,
  ...browseSessionRoutes,
];

/** Every Graph endpoint the emulator serves, under both `/beta` and `/v1.0`. */
export function createGraphRouter(): Router {
  return new Router().add(...GRAPH_ROUTES);
}
