import type { Metadata } from './grpc/server-call';

/**
 * Request header the transport sets on ForwardMessageToDeadLetterQueue: why its handler gave up,
 * percent-encoded (gRPC metadata is ASCII). Apache's request has no field for it (ADR 0023).
 */
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';

/** Keeps a dead-letter copy within what the official client can receive (see MAX_RECEIVABLE_BODY_BYTES). */
export const MAX_DEAD_LETTER_REASON_LENGTH = 1024;

/** The DLQ_REASON of a message a client forwards to the DLQ: the header's reason, decoded and capped. */
export function forwardedReason(metadata: Metadata): string {
  const sent = metadata.get(DEAD_LETTER_REASON_HEADER);
  if (!sent) return 'forwarded by the client';
  let reason = sent;
  try {
    reason = decodeURIComponent(sent);
  } catch {
    // Not percent-encoded as the transport does it: kept as sent.
  }
  return reason.slice(0, MAX_DEAD_LETTER_REASON_LENGTH);
}
