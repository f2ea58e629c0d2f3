import type { Permissions } from '../../auth/permissions';
import type { Metadata } from '../grpc/server-call';

/** A unary call after authentication: what every activity's handler receives. */
export interface Request<T> {
  request: T;
  metadata: Metadata;
  clientId: string;
  permissions: Permissions;
}

/** Checks a call's credentials and client id (streaming calls authenticate themselves). */
export type Authenticate = (metadata: Metadata) => { clientId: string; permissions: Permissions };
