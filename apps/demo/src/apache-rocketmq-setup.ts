import { brokerGroups, brokerTopics, type BrokerGroup, type BrokerTopic } from '@rocketmq-shop/contracts';

/** Where the script lives; docker-compose.yml's `rocketmq-init` and the Kubernetes overlay run it. */
export const SETUP_SCRIPT = 'deploy/rocketmq/create-topics-and-groups.sh';

/**
 * The shell script that creates the shop's topics (with their RocketMQ 5 message types) and static
 * consumer groups (FIFO ones consume orderly) on an Apache RocketMQ 5 cluster with `mqadmin`, from the
 * same contracts the embedded broker's deploy/broker.json comes from. It retries each command until the
 * broker has registered with the name server. Regenerate:
 *   node apps/demo/dist/src/apache-rocketmq-setup.js > deploy/rocketmq/create-topics-and-groups.sh
 */
export function apacheRocketmqSetupScript(topics: readonly BrokerTopic[] = brokerTopics(), groups: readonly BrokerGroup[] = brokerGroups()): string {
  const lines = [
    '#!/bin/sh',
    `# Generated from libs/contracts by apps/demo/src/apache-rocketmq-setup.ts: do not edit by hand.`,
    '# Creates the shop\'s topics and consumer groups on Apache RocketMQ 5 (idempotent: updateTopic and',
    '# updateSubGroup create or update). Usage: create-topics-and-groups.sh <namesrv host:port> [cluster]',
    'set -eu',
    'NAMESRV=${1:?name server address, e.g. rocketmq-namesrv:9876}',
    'CLUSTER=${2:-DefaultCluster}',
    'MQADMIN="${ROCKETMQ_HOME:-/home/rocketmq/rocketmq-5.3.2}/bin/mqadmin"',
    '# The broker registers with the name server some seconds after it starts: retry for up to 3 minutes.',
    'admin() {',
    '  attempt=0',
    '  until "$MQADMIN" "$@" -n "$NAMESRV" -c "$CLUSTER"; do',
    '    attempt=$((attempt + 1))',
    '    [ "$attempt" -lt 60 ] || { echo "mqadmin $* kept failing" >&2; exit 1; }',
    '    sleep 3',
    '  done',
    '}',
    ...topics.map((topic) => `admin updateTopic -t ${topic.name} -r ${topic.queues} -w ${topic.queues} -a +message.type=${topic.type}`),
    ...groups.map((group) => `admin updateSubGroup -g ${group.name}${group.fifo ? ' -o true' : ''}`),
    'echo "topics and groups created"',
  ];
  return `${lines.join('\n')}\n`;
}

if (require.main === module) process.stdout.write(apacheRocketmqSetupScript());
