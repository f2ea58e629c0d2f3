/**
 * Database and schema names we create. Stricter than Postgres allows on purpose: lower case needs no
 * quoting in hand-written SQL, and 63 bytes is Postgres's identifier limit (longer names are truncated).
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(kind: 'database' | 'schema', name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: must match ${IDENTIFIER.source}`);
  return name;
}
