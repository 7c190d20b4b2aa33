/** The doctor's command line: `npm run doctor -- [--json <path>] [--write] [--user-token <jwt>] [--help]`. */

export interface DoctorArgs {
  jsonPath: string | undefined;
  write: boolean;
  userToken: string | undefined;
  help: boolean;
}

/** Thrown for a command line the doctor does not understand (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run doctor -- [--json <path>] [--write] [--user-token <jwt>]

Checks, read-only unless --write is given, that the Microsoft Graph named by GRAPH_BASE_URL (with the AZURE_* settings
of docs/configuration.md) gives this gateway what it needs: the app token and its roles, the on-behalf-of exchange
(with a user token), the permissions of each endpoint family, and each capability the gateway relies on.

  --json <path>        also write the results as JSON (docs/operations.md, "The doctor's JSON file")
  --write              also create an empty draft SharePoint restore session and delete it
  --user-token <jwt>   a user's access token for the gateway's API, to check the on-behalf-of exchange
                       (or DOCTOR_USER_TOKEN, which keeps it out of the shell history and the process list)

Exit code: 0 everything the gateway needs works; 1 something it needs is refused, denied or failed; 2 bad usage or settings.
`;

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  const args: DoctorArgs = { jsonPath: undefined, write: false, userToken: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('--')))
        throw new UsageError(`${name} needs a value`);
      return next;
    };
    if (name === '--json') args.jsonPath = value();
    else if (name === '--user-token') args.userToken = value();
    else if (name === '--write' && inline === undefined) args.write = true;
    else if ((name === '--help' || name === '-h') && inline === undefined) args.help = true;
    // The value is not echoed: it may be a token pasted in the wrong place.
    else throw new UsageError(arg.startsWith('-') ? `unknown option ${name}` : 'unexpected argument (options start with --)');
  }
  return args;
}
