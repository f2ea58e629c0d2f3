import type { LoggerService } from '@nestjs/common';

/** What the transport is built and tested for (README "Supported versions"). */
export const SUPPORTED = { node: 20, nest: 11 } as const;

let checked = false;

/**
 * Checked once per process when a client or server starts: an older Node or NestJS fails the start
 * with the reason, a newer NestJS major (untested: its microservices API moves between majors) is
 * allowed with a warning.
 */
export function checkSupportedRuntime(logger: LoggerService, versions = { node: process.versions.node, nest: installedNestVersion() }): void {
  if (checked) return;
  const node = majorOf(versions.node);
  if (node < SUPPORTED.node) throw new Error(`rocketmq-transport needs Node.js ${SUPPORTED.node} or later; this is ${versions.node}`);
  const nest = majorOf(versions.nest);
  if (nest < SUPPORTED.nest) throw new Error(`rocketmq-transport needs NestJS ${SUPPORTED.nest}; @nestjs/core is ${versions.nest}`);
  if (nest > SUPPORTED.nest) logger.warn(`rocketmq-transport is tested with NestJS ${SUPPORTED.nest}; @nestjs/core ${versions.nest} is not`);
  checked = true;
}

function installedNestVersion(): string {
  return (require('@nestjs/core/package.json') as { version: string }).version;
}

function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
