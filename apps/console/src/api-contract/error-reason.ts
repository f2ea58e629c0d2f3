/**
 * The reason an error answer gives: the broker's `{ error }`, a Nest service's `{ message }` or, for
 * a validation failure, each field's issue (`{ issues: [{ path, message }] }`, ZodValidationPipe).
 */
export function reasonOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 500) || undefined;
  const { error, message, issues } = (body ?? {}) as { error?: unknown; message?: unknown; issues?: { path: string; message: string }[] };
  if (Array.isArray(issues) && issues.length > 0) return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  const reason = error ?? message;
  return Array.isArray(reason) ? reason.join('; ') : typeof reason === 'string' ? reason : undefined;
}
