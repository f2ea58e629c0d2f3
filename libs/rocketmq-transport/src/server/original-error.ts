import { AsyncLocalStorage } from 'node:async_hooks';
import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';

/** The handler invocation running in this async context, and the first error Nest's filters were asked about. */
interface Invocation {
  seen: boolean;
  error: unknown;
}

const invocations = new AsyncLocalStorage<Invocation>();

/**
 * A `@Catch` type that matches nothing but notes what it is asked about. Nest picks an exception
 * filter by asking `exception instanceof Type` for each filter's types, method-level filters first,
 * before any filter runs: so this type sees what the handler or a pipe threw, and the filters chosen
 * after it (the service's own, then Nest's default) run exactly as if it were not there.
 */
class SeenByExceptionFilters {
  static [Symbol.hasInstance](exception: unknown): boolean {
    const invocation = invocations.getStore();
    if (invocation && !invocation.seen) {
      invocation.seen = true;
      invocation.error = exception;
    }
    return false;
  }
}

/**
 * Nest's RPC exception filter turns every error that is not an RpcException into "Internal server
 * error" before the transport sees it. This filter, which the RocketMQ pattern decorators put on each
 * handler, is never chosen (it catches nothing); it lets the transport keep the original error of
 * each message for the retry policy, the logs and the `dead-letter` event.
 *
 * Not an interceptor, as it was: on Node 20 any interceptor costs Nest two `AsyncResource.bind` per
 * call, each building deprecated `asyncResource` accessors — the largest item of the benchmark
 * client's profile (ADR 0024).
 */
@Catch(SeenByExceptionFilters)
export class RocketMQOriginalErrorFilter implements ExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): never {
    throw exception;
  }
}

/**
 * Runs one handler invocation; a failure rejects with the error the handler or a pipe threw, when an
 * exception filter was consulted about it, else with what reached the transport.
 */
export async function withOriginalError<T>(invoke: () => Promise<T>): Promise<T> {
  const invocation: Invocation = { seen: false, error: undefined };
  try {
    return await invocations.run(invocation, invoke);
  } catch (filtered) {
    throw invocation.seen ? invocation.error : filtered;
  }
}
