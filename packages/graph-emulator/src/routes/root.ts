import type { Route } from '../http/router.js';
import { READ_CONTROL } from '../authority/caller.js';
import { isoDate, parseSelect, project } from '../http/odata.js';

const DAY = 86_400_000;

/**
 * `GET solutions/backupRestore`: the backupRestoreRoot singleton with the v1.0 shape of its serviceStatus
 * (a single object; an older beta page calls it a collection, which its v1.0 example contradicts). The service was
 * enabled by the seeded admin 90 days before the seed's start instant, and stays enabled.
 */
export const rootRoutes: Route[] = [
  {
    method: 'GET',
    path: 'solutions/backupRestore',
    permissions: READ_CONTROL,
    queryOptions: ['$select'],
    handler: (req, _params, ctx) => {
      const select = parseSelect(req.query, ['id', 'serviceStatus']);
      const state = ctx.state;
      const enabledAt = Date.parse(state.fixture.clockStart) - 90 * DAY;
      const entity = {
        '@odata.context': `${req.origin}/${req.version}/$metadata#solutions/backupRestore/$entity`,
        id: ctx.authority.tenantId,
        serviceStatus: {
          status: 'enabled',
          disableReason: 'none',
          backupServiceConsumer: 'firstparty',
          lastModifiedDateTime: isoDate(enabledAt),
          lastModifiedBy: state.identityOf(state.userByName('admin')),
        },
      };
      return { status: 200, body: project(entity, select) };
    },
  },
];
