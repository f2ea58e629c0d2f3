import { spawn } from 'node:child_process';

const INNER_MARK = 'DEMO_OWN_PROCESS_GROUP';

/**
 * A terminal's Ctrl-C signals its whole foreground process group: Postgres would stop at once and
 * pull the database from under services that are still draining. So the demo re-runs itself as
 * the leader of a new process group and this process only relays signals: Ctrl-C then reaches the
 * demo alone, which stops services, broker and Postgres in that order.
 *
 * Returns true in the inner process (go on and run the demo); in the outer one it never returns.
 */
export function continueInOwnProcessGroup(): boolean {
  if (process.env[INNER_MARK] === '1') return true;
  const inner = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, [INNER_MARK]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => inner.kill(signal));
  inner.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}
