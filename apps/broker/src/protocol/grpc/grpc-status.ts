/** The gRPC status codes this server answers with (grpc/doc/statuscodes.md). */
export enum GrpcStatus {
  OK = 0,
  RESOURCE_EXHAUSTED = 8,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
}

/** A call that fails at the gRPC layer (not a RocketMQ status in the response body). */
export class GrpcError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
  }
}
