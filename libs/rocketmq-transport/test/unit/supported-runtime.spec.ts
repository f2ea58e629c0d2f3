import { describe, expect, it } from 'vitest';
import { checkSupportedRuntime } from '../../src/supported-runtime';

const warnings: string[] = [];
const logger = { log: () => undefined, error: () => undefined, warn: (message: string) => void warnings.push(message) };

describe('checkSupportedRuntime', () => {
  it('fails the start on Node before 20, and on NestJS before 11, naming the version found', () => {
    expect(() => checkSupportedRuntime(logger, { node: '18.20.4', nest: '11.1.0' })).toThrow('needs Node.js 20 or later; this is 18.20.4');
    expect(() => checkSupportedRuntime(logger, { node: '20.19.0', nest: '10.4.15' })).toThrow('needs NestJS 11; @nestjs/core is 10.4.15');
  });

  it('warns once about a newer, untested NestJS major and then lets every start pass', () => {
    checkSupportedRuntime(logger, { node: '22.1.0', nest: '12.0.1' });
    checkSupportedRuntime(logger, { node: '22.1.0', nest: '12.0.1' });
    expect(warnings).toEqual(['rocketmq-transport is tested with NestJS 11; @nestjs/core 12.0.1 is not']);
  });
});
