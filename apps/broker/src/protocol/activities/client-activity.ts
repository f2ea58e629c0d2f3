import type { Permissions } from '../../auth/permissions';
import type { Broker } from '../../broker';
import { BrokerError, Code } from '../../errors';
import { checkGroupName, checkTopicName } from '../../messaging/names';
import type { AutoRenewal } from '../auto-renewal';
import type { ClientSessions } from '../client-sessions';
import type { BidiHandler } from '../grpc/grpc-server';
import type { ServerCall } from '../grpc/server-call';
import { mergeSettings } from '../settings';
import { OK, statusOf } from '../status';
import type { Settings, TelemetryCommand } from '../wire';
import type { Authenticate, Request } from './request';

/** More topics than any client declares; a longer list is refused rather than kept per session. */
const MAX_DECLARED_TOPICS = 1000;

/** Heartbeat, NotifyClientTermination and the Telemetry stream (settings, check-backs). */
export class ClientActivity {
  constructor(
    private readonly broker: Broker,
    private readonly sessions: ClientSessions,
    private readonly authenticate: Authenticate,
    private readonly autoRenewal: AutoRenewal,
  ) {}

  heartbeat() {
    return { status: OK };
  }

  notifyClientTermination({ clientId }: Request<unknown>) {
    this.sessions.remove(clientId);
    this.autoRenewal.releaseClient(clientId);
    return { status: OK };
  }

  telemetry(call: ServerCall<TelemetryCommand>): ReturnType<BidiHandler> {
    let clientId: string;
    let permissions: Permissions;
    try {
      ({ clientId, permissions } = this.authenticate(call.metadata));
    } catch (error) {
      call.write({ status: statusOf(error) });
      call.end();
      return { message: () => undefined, end: () => undefined };
    }
    this.sessions.attach(clientId, call);
    const detach = () => {
      if (this.sessions.detach(clientId, call)) this.autoRenewal.releaseClient(clientId);
    };
    call.onCancelled(detach);
    return {
      message: (command: TelemetryCommand) => {
        if (!command.settings) return; // thread stack traces and verify results need no answer
        try {
          const settings = command.settings;
          const declared = declaredResources(settings, permissions);
          this.sessions.touch(clientId).settings = declared;
          call.write({ status: OK, settings: mergeSettings(settings, this.broker) });
        } catch (error) {
          call.write({ status: statusOf(error) });
        }
      },
      end: () => {
        detach();
        call.end();
      },
    };
  }
}

/**
 * What a session keeps of a client's settings: its type, a producer's topics, a consumer's group and
 * topics — names checked, and only what the key may use. The rest (user agent strings of any size)
 * is not kept, so a session's memory is bounded by these names.
 */
function declaredResources(settings: Settings, permissions: Permissions): Settings {
  const declared = (settings.publishing?.topics?.length ?? 0) + (settings.subscription?.subscriptions?.length ?? 0);
  if (declared > MAX_DECLARED_TOPICS) throw new BrokerError(Code.BAD_REQUEST, `settings declare ${declared} topics, over the limit of ${MAX_DECLARED_TOPICS}`);
  const kept: Settings = { clientType: settings.clientType };
  if (settings.publishing) {
    const topics = (settings.publishing.topics ?? []).map((topic) => ({ name: checkTopicName(topic.name, { allowDeadLetter: true }) }));
    for (const { name } of topics) permissions.requirePublish(name);
    kept.publishing = { topics };
  }
  if (settings.subscription) {
    const group = checkGroupName(settings.subscription.group?.name);
    const subscriptions = (settings.subscription.subscriptions ?? []).map((entry) => ({ topic: { name: checkTopicName(entry.topic?.name, { allowDeadLetter: true }) } }));
    for (const entry of subscriptions) permissions.requireSubscribe(entry.topic.name, group);
    kept.subscription = { group: { name: group }, subscriptions };
  }
  return kept;
}
