import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Authenticator } from '../auth/credentials';

/** Why a request is refused before any route runs, as an HTTP status and a message. */
export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** Liveness stays open, so health checks need no secret. */
const OPEN_PATHS = new Set(['/health']);

/**
 * Who may use the admin API: requests naming this host (an IP address, localhost or a configured
 * name — so a DNS-rebinding page cannot), not sent cross-site by a browser, with JSON bodies only
 * (a form or text/plain POST is what a foreign page can send without asking), and — once gRPC
 * authentication is on — HTTP Basic credentials of one of the same users holding the admin right.
 */
export class AdminAccess {
  private readonly allowedHosts: Set<string>;

  constructor(
    private readonly auth: Authenticator,
    allowedHosts: readonly string[],
  ) {
    this.allowedHosts = new Set(['localhost', ...allowedHosts.map((host) => host.toLowerCase())]);
  }

  check(req: IncomingMessage, pathname: string): Refusal | undefined {
    const host = req.headers.host ?? '';
    if (!this.isAllowedHost(host)) return { status: 403, message: `Host ${JSON.stringify(host)} is not this broker's admin API: add it to admin.allowedHosts` };
    const origin = req.headers.origin;
    if (origin !== undefined && hostOf(origin) !== host.toLowerCase()) return { status: 403, message: `cross-origin requests (from ${origin}) are refused` };
    if ((req.method === 'POST' || req.method === 'PUT') && !isJson(req.headers['content-type'])) {
      return { status: 415, message: 'request bodies must be sent as content-type application/json' };
    }
    if (!this.auth.enabled || OPEN_PATHS.has(pathname)) return undefined;
    const [accessKey, secretKey] = basicCredentials(req.headers.authorization);
    const permissions = accessKey === undefined ? undefined : this.auth.permissionsFor(accessKey, secretKey);
    if (!permissions) {
      return { status: 401, message: 'authentication required: HTTP Basic with an access key and its secret key', headers: { 'www-authenticate': 'Basic realm="rocketmq-broker admin"' } };
    }
    if (!permissions.admin) return { status: 403, message: `access key ${accessKey} has no admin permission` };
    return undefined;
  }

  private isAllowedHost(host: string): boolean {
    const name = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(host)?.[1] ?? host.replace(/:\d+$/, '');
    return isIP(name) !== 0 || this.allowedHosts.has(name.toLowerCase());
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === 'application/json';
}

function basicCredentials(authorization: string | undefined): [string | undefined, string] {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : [undefined, ''];
}
