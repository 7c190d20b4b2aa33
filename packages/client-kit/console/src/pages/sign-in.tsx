import { devUsers } from '../auth';
import type { ConsoleStore } from '../console-store';
import { PageHeading } from '../page-heading';

/**
 * Development sign-in: one button per seeded user of the emulator. The dev server mints their tokens; a deployment
 * shows its identity provider's sign-in here instead (msal-browser's `loginRedirect`, docs/restore-console.md).
 */
export function SignInPage({ store, signingIn, error }: { store: ConsoleStore; signingIn: boolean; error: string | undefined }) {
  return (
    <>
      <PageHeading>Sign in</PageHeading>
      <p className="lead">
        Development sign-in: choose one of the emulator&apos;s users. Their tokens come from this console&apos;s dev server, which asks the
        emulator for them.
      </p>
      <ul className="sign-in">
        {devUsers.map(({ user, description }) => (
          <li key={user}>
            <button type="button" className="primary" disabled={signingIn} onClick={() => void store.signIn(user)}>
              Sign in as {user}
            </button>{' '}
            <span className="detail">{description}</span>
          </li>
        ))}
      </ul>
      {signingIn && <p role="status">Signing in…</p>}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
