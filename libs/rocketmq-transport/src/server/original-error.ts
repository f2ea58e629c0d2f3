import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { type Observable, catchError, throwError } from 'rxjs';
import { RocketMQContext } from '../ctx-host/rocketmq.context';

const originals = new WeakMap<RocketMQContext, unknown>();

/**
 * Nest's RPC exception filter turns every error that is not an RpcException into "Internal server
 * error" before the transport sees it. This interceptor, which the RocketMQ pattern decorators put
 * on each handler (innermost, so pipes' and the handler's errors pass it first), remembers the
 * original error per message for the retry policy, the logs and the `dead-letter` event.
 */
export class RocketMQOriginalErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpcContext: unknown = context.getType() === 'rpc' ? context.switchToRpc().getContext() : undefined;
    if (!(rpcContext instanceof RocketMQContext)) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        originals.set(rpcContext, error);
        return throwError(() => error);
      }),
    );
  }
}

/** The error the handler (or a pipe) threw for this message, if the interceptor saw one; else what reached the transport. */
export function originalErrorOf(context: RocketMQContext, filtered: unknown): unknown {
  return originals.has(context) ? originals.get(context) : filtered;
}
