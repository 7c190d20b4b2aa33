import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A screen's heading, focused when the screen opens: after a change of screen a keyboard or screen reader user starts
 * from its heading, as after a page load, rather than from wherever focus was left.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
