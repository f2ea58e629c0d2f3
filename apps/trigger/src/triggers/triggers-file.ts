/** Injection token: path of the triggers file (`TRIGGERS_FILE`), or undefined for API-only triggers. */
export const TRIGGERS_FILE = Symbol('TRIGGERS_FILE');
