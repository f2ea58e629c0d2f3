// Container healthcheck: `node deploy/healthcheck.js <url>` exits 0 when the URL answers 2xx.
// The images are node:*-slim, which have no curl or wget; Node 20's fetch does the job.
const url = process.argv[2];
fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
