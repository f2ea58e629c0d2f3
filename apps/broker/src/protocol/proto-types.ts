import { join } from 'node:path';
import { Root, type Type } from 'protobufjs';
import { PROTO_ROOT } from './proto';

/*
 * protobufjs message types of the RocketMQ .proto files, for the hand-written request decoders: its
 * generated decoder without the generic path's toObject, a second walk over every field to build plain
 * objects. Loaded once, on first use.
 */

let root: Root | undefined;
/** Looking a type up walks the namespace by name: once per type, not per message. */
const types = new Map<string, Type>();

export function protoType(name: string): Type {
  let type = types.get(name);
  if (!type) {
    if (!root) {
      root = new Root();
      root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(PROTO_ROOT, target));
      root.loadSync('apache/rocketmq/v2/service.proto', { keepCase: false });
    }
    type = root.lookupType(`apache.rocketmq.v2.${name}`);
    types.set(name, type);
  }
  return type;
}

interface Long {
  toNumber(): number;
}

/** A decoded google.protobuf.Timestamp or Duration: int64 seconds arrive as a number or a Long. */
export interface DecodedSecondsNanos {
  seconds: number | Long;
  nanos: number;
}

export function secondsNanos(value: DecodedSecondsNanos | null | undefined): { seconds: number; nanos: number } | undefined {
  if (!value) return undefined;
  return { seconds: typeof value.seconds === 'number' ? value.seconds : value.seconds.toNumber(), nanos: value.nanos };
}

/** A proto3 optional field protobufjs left unset is null; the wire shapes (wire.ts) leave it out. */
export const present = <T>(value: T | null | undefined): T | undefined => (value === null || value === undefined ? undefined : value);
