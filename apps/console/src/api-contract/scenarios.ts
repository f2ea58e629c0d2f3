/** The services whose `/faults` switches the scenario panels drive (404 there: faults are off). */
export const FAULT_SERVICES = ['registration', 'notification', 'inventory'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

/** `GET /api/faults/:service`: whether the service has fault switches (FAULTS_ENABLED=true), and their settings. */
export interface FaultSwitches {
  enabled: boolean;
  settings?: Record<string, unknown>;
}

/** `GET /api/scenarios/flash-sale?saleId=&sku=`: one sample of the flash-sale panel. */
export interface FlashSaleView {
  /** When the sample was taken, ms since the epoch. */
  at: number;
  saleId: string;
  sku: string;
  /** Inventory's stock of the SKU (null: no such product). */
  stock: number | null;
  /** Order's count of the sale's purchases; `confirmed` is what was sold. */
  sale: { accepted: number; pending: number; confirmed: number; rejected: number };
  /** The broker's view of `inventory-purchases` on `purchase-requests`: `acked` is cumulative (its change per second is the drain rate). */
  intake: { backlog: number; inflight: number; acked: number };
  /** Inventory's cap on purchase requests taken per second. */
  intakeRatePerSecond: number;
}

/** `POST /api/scenarios/flash-sale/purchases`: what order answered to the purchases posted. */
export interface PostedPurchases {
  accepted: number;
  refused: number;
}

/** `GET /api/scenarios/price-cache`: the latest price versions and each replica's. */
export interface PriceCacheView {
  latest: { sku: string; priceCents: number; priceVersion: number }[];
  replicas: ReplicaView[];
  /** The demo control is configured (CONSOLE_DEMO_CONTROL_URL) and answering: replicas can be stopped. */
  canStopReplicas: boolean;
}

export interface ReplicaView {
  instance: string;
  running: boolean;
  /** Stopped on request (demo control): supervision leaves it down. */
  takenDown: boolean;
  /** Price version per SKU this replica serves (null: it did not answer). */
  versions: Record<string, number> | null;
}

/** `GET /api/scenarios/registrations/:userId`: registration → email and SMS, with times. */
export interface RegistrationTimeline {
  userId: string;
  registeredAt: string;
  deliveries: { channel: string; sentAt: string; attempts: number }[];
}
