import { brokerGroups, brokerTopics } from '@rocketmq-shop/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apacheRocketmqSetupScript, SETUP_SCRIPT } from '../src/apache-rocketmq-setup';

const script = readFileSync(join(__dirname, '../../..', SETUP_SCRIPT), 'utf8');

describe(SETUP_SCRIPT, () => {
  it('is the one generated from libs/contracts', () => {
    const regenerate = `npx nx run demo:build && node apps/demo/dist/src/apache-rocketmq-setup.js > ${SETUP_SCRIPT}`;
    expect(script, `out of date; regenerate it from the repository root:\n${regenerate}`).toBe(apacheRocketmqSetupScript());
  });

  it('creates every topic with its message type and queue count', () => {
    for (const topic of brokerTopics()) {
      expect(script).toContain(`updateTopic -t ${topic.name} -r ${topic.queues} -w ${topic.queues} -a +message.type=${topic.type}\n`);
    }
  });

  it('creates every static group, FIFO groups consuming orderly', () => {
    for (const group of brokerGroups()) {
      expect(script).toContain(`updateSubGroup -g ${group.name}${group.fifo ? ' -o true' : ''}\n`);
    }
  });
});

describe('docs/scale-out.md', () => {
  const page = readFileSync(join(__dirname, '../../../docs/scale-out.md'), 'utf8');

  it('lists every topic with its message type and queues, and every static group with its FIFO flag', () => {
    for (const topic of brokerTopics()) expect(page).toContain(`| \`${topic.name}\` | ${topic.type} | ${topic.queues} |`);
    const groupRows = page.split('\n').filter((line) => line.startsWith('| `') && / \| (yes|no) \|$/.test(line));
    for (const group of brokerGroups()) {
      const row = groupRows.find((line) => line.includes(`\`${group.name}\``));
      expect(row, group.name).toMatch(group.fifo ? / yes \|$/ : / no \|$/);
    }
  });
});

