/**
 * The request logic of the k6 scripts as plain functions: what to send and what an answer means.
 * No k6 and no Node imports, so k6 runs it inside the scripts and a Node test
 * (apps/e2e/src/load-scripts.e2e.spec.ts) drives the same functions against the real shop: a change
 * to the shop's API that breaks a script fails CI although CI has no k6.
 */

export interface ShopRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  /** JSON text, when there is a body. */
  body?: string;
}

export interface ShopAnswer {
  status: number;
  body: string;
  retryAfter?: string | null;
}

/** A valid UUID (version 4 layout) per shopper, unique across runs without any randomness. */
export function shopperId(runId: number, shopper: number): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0').slice(-width);
  return `${hex(runId, 8)}-0000-4000-8000-${hex(shopper, 12)}`;
}

function json(method: ShopRequest['method'], url: string, body: unknown): ShopRequest {
  return { method, url, body: JSON.stringify(body) };
}

function parsed(answer: ShopAnswer): Record<string, unknown> {
  try {
    return JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** 503 is the shop's "try again later": it must say when. */
function isShed(answer: ShopAnswer): boolean {
  return answer.status === 503 && Number(answer.retryAfter) > 0;
}

export type PurchaseOutcome = 'admitted' | 'sold-out' | 'repeat-buyer' | 'shed' | 'broken';

export interface SaleStats {
  accepted: number;
  pending: number;
  confirmed: number;
  rejected: number;
}

export const flashSale = {
  setStock: (inventoryUrl: string, sku: string, stock: number): ShopRequest => json('PUT', `${inventoryUrl}/products/${sku}/stock`, { stock }),

  purchase: (orderUrl: string, saleId: string, userId: string, sku: string): ShopRequest => json('POST', `${orderUrl}/flash-sales/${saleId}/purchases`, { userId, sku }),

  stats: (orderUrl: string, saleId: string): ShopRequest => ({ method: 'GET', url: `${orderUrl}/flash-sales/${saleId}/stats` }),

  product: (inventoryUrl: string, sku: string): ShopRequest => ({ method: 'GET', url: `${inventoryUrl}/products/${sku}` }),

  /** 202 with a status URL, 409 sold out (the gate) or repeat buyer, 503 with Retry-After; anything else is broken. */
  classify(answer: ShopAnswer): PurchaseOutcome {
    const body = parsed(answer);
    if (answer.status === 202) return typeof body.statusUrl === 'string' ? 'admitted' : 'broken';
    if (answer.status === 409) return body.reason === 'sold-out' ? 'sold-out' : body.reason === 'already-purchased' ? 'repeat-buyer' : 'broken';
    return isShed(answer) ? 'shed' : 'broken';
  },

  /** The sale's stats from a stats answer. */
  readStats: (answer: ShopAnswer): SaleStats => parsed(answer) as unknown as SaleStats,

  /** What is wrong with a finished sale: more sold than stocked, or purchases never decided. Empty when all is well. */
  problems(stats: SaleStats, stock: number): string[] {
    const problems: string[] = [];
    if (stats.confirmed > stock) problems.push(`oversold: ${stats.confirmed} confirmed for a stock of ${stock}`);
    if (stats.pending > 0) problems.push(`unfinished: ${stats.pending} purchases still pending`);
    return problems;
  },
};

export type RegistrationOutcome = 'registered' | 'shed' | 'broken';

export const registration = {
  register: (registrationUrl: string, runId: number, n: number): ShopRequest =>
    json('POST', `${registrationUrl}/users`, {
      email: `k6-${runId}-${n}@example.com`,
      // E.164: + and up to 15 digits.
      phone: `+1555${String(n % 10_000_000).padStart(7, '0')}`,
      name: `Load test user ${n}`,
    }),

  classify(answer: ShopAnswer): RegistrationOutcome {
    if (answer.status === 201) return typeof parsed(answer).userId === 'string' ? 'registered' : 'broken';
    return isShed(answer) ? 'shed' : 'broken';
  },
};
