import { explainError } from './explain-error';

/** An error where it happened: a heading, what to do, and the code. */
export function ErrorNotice({ error, context }: { error: unknown; context?: string }) {
  const { code, title, advice } = explainError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        <span aria-hidden="true">⚠ </span>
        {context ? `${context}: ` : ''}
        {title}
      </p>
      <p>{advice}</p>
      {code && (
        <p className="notice-code">
          Error code: <code>{code}</code>
        </p>
      )}
    </div>
  );
}
