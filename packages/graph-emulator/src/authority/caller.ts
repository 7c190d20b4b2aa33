/** Who called a Graph endpoint, from the validated bearer token. */
export interface Caller {
  kind: 'user' | 'app';
  /** What the journal records: the user's `oid`, or the app id for app-only tokens. */
  subject: string;
  /** Object id of the user, or of the app's service principal. */
  oid: string;
  /** The client (application) id that obtained the token (`appid` / `azp`). */
  appId: string;
  tenantId: string;
  displayName: string;
  /** Delegated scopes (`scp`) or application roles (`roles`). */
  permissions: ReadonlySet<string>;
  /** Users: template ids of the Entra directory roles they hold (the `wids` claim); apps: none. */
  directoryRoles: ReadonlySet<string>;
}

/**
 * The Entra directory role "SharePoint Backup Administrator" (its template id): in the delegated flow only its holders
 * may use browse sessions and list granular site and drive artifacts, as those pages say.
 */
export const SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE = '9d3e04ba-3ee4-4d1b-a3a7-9aef423a09be';

/** Graph's backup-storage permission names; delegated and application tokens use the same names. */
export const Permission = {
  RestoreRead: 'BackupRestore-Restore.Read.All',
  RestoreReadWrite: 'BackupRestore-Restore.ReadWrite.All',
  ControlRead: 'BackupRestore-Control.Read.All',
  ControlReadWrite: 'BackupRestore-Control.ReadWrite.All',
  ConfigurationRead: 'BackupRestore-Configuration.Read.All',
  ConfigurationReadWrite: 'BackupRestore-Configuration.ReadWrite.All',
  SearchRead: 'BackupRestore-Search.Read.All',
} as const;

/** Any one of these permissions grants access to a route. */
export type PermissionSet = readonly string[];

export const READ_RESTORE: PermissionSet = [Permission.RestoreRead, Permission.RestoreReadWrite];
export const WRITE_RESTORE: PermissionSet = [Permission.RestoreReadWrite];
export const READ_CONTROL: PermissionSet = [Permission.ControlRead, Permission.ControlReadWrite];
/** The mailbox and drive protection unit lists: their pages name only the Configuration permissions. */
export const READ_CONFIGURATION: PermissionSet = [Permission.ConfigurationRead, Permission.ConfigurationReadWrite];
/**
 * Restore points and protection units: Graph documents Configuration/Search permissions for some of these reads;
 * the emulator also accepts the Restore permissions so a restore operator (`reader`, `admin`) can pick restore points.
 */
export const READ_RESTORE_POINTS: PermissionSet = [
  Permission.RestoreRead,
  Permission.RestoreReadWrite,
  Permission.SearchRead,
  Permission.ConfigurationRead,
  Permission.ConfigurationReadWrite,
];
