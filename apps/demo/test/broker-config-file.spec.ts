import { brokerGroups, brokerTopics } from '@rocketmq-shop/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FILE = join(__dirname, '../../../deploy/broker.json');

describe('deploy/broker.json', () => {
  it('declares exactly the topics and groups of libs/contracts', () => {
    const regenerate = `node -e "const c = require('@rocketmq-shop/contracts'); console.log(JSON.stringify({ topics: c.brokerTopics(), groups: c.brokerGroups() }, null, 2))" > deploy/broker.json`;
    const file = JSON.parse(readFileSync(FILE, 'utf8')) as unknown;
    expect(file, `out of date; regenerate it from the repository root:\n${regenerate}`).toEqual({ topics: brokerTopics(), groups: brokerGroups() });
  });
});
