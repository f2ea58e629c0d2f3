// k6 provides `console` (https://grafana.com/docs/k6/latest/javascript-api/), but @types/k6 does not
// declare it and the DOM lib would bring browser globals k6 lacks.
declare const console: {
  log(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
};
