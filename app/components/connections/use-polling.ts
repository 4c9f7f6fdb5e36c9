import { useEffect } from 'react';
import { useRevalidator } from 'react-router';

/** Reloads the page's data every `ms` while `active` (a sync running), skipping a tick while a reload is in flight. */
export function useRevalidateWhile(active: boolean, ms = 2000): void {
  const revalidator = useRevalidator();
  const busy = revalidator.state !== 'idle';
  useEffect(() => {
    if (!active || busy) return;
    const timer = setTimeout(() => void revalidator.revalidate(), ms);
    return () => clearTimeout(timer);
  }, [active, busy, ms, revalidator]);
}
