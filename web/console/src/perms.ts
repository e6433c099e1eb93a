// What the signed-in role may call, from myPermissions: the same rows the
// server checks each call against. Pages hide or disable what is missing.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const Perms = createContext<Set<string>>(new Set());

export function useCan() {
  const perms = useContext(Perms);
  return (op: string) => perms.has(op);
}

export const notAllowed = 'Your role may not do this';
