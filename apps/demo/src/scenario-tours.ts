/** Where things run, as the banner prints them: service URLs by instance and the broker's admin URL. */
export interface ShopUrls {
  service(instance: string): string | undefined;
  brokerAdmin: string;
}

/** A scenario of the shop and a few commands that show it, from the HTTP APIs in docs/adding-a-service.md. */
export interface ScenarioTour {
  title: string;
  /** Instances the commands call; the tour is left out while one of them is not running. */
  needs: string[];
  commands(urls: ShopUrls): string[];
}

const JSON_BODY = "-H 'content-type: application/json' -d";

/** Looks the URL up; a tour only runs when all of its `needs` are there, so this never misses. */
function url(urls: ShopUrls, instance: string): string {
  return urls.service(instance) ?? `<${instance} not running>`;
}

export const SCENARIO_TOURS: readonly ScenarioTour[] = [
  {
    title: 'Asynchronous decoupling: registration publishes once, email and SMS arrive independently',
    needs: ['registration', 'notification'],
    commands: (urls) => [
      `curl -s -X POST ${url(urls, 'registration')}/users ${JSON_BODY} '{"email":"ada@example.com","phone":"+15551230001","name":"Ada"}'`,
      `curl -s '${url(urls, 'notification')}/deliveries?userId=<userId>'`,
    ],
  },
  {
    title: 'Distributed transaction consistency: half message, local transaction, check-back',
    needs: ['registration'],
    commands: (urls) => [
      `curl -s -X PUT ${url(urls, 'registration')}/faults ${JSON_BODY} '{"crashBetweenHalfAndCommitRate":0.3}'`,
      `curl -s ${urls.brokerAdmin}/transactions`,
    ],
  },
  {
    title: 'Ordered delivery: FIFO per user ID',
    needs: ['registration', 'notification'],
    commands: (urls) => [
      `curl -s -X PUT ${url(urls, 'registration')}/users/<userId> ${JSON_BODY} '{"name":"Ada Lovelace"}'`,
      `curl -s -X DELETE ${url(urls, 'registration')}/users/<userId>`,
      `curl -s ${url(urls, 'notification')}/stats        # contacts.outOfOrder stays 0`,
    ],
  },
  {
    title: 'Peak-load shifting: the flash sale admits requests, inventory drains them at a capped rate',
    needs: ['order', 'inventory'],
    commands: (urls) => [
      `curl -s -X POST ${url(urls, 'order')}/flash-sales/sale-1/purchases ${JSON_BODY} '{"userId":"'$(cat /proc/sys/kernel/random/uuid)'","sku":"FLASH-001"}'`,
      `curl -s ${url(urls, 'order')}/flash-sales/sale-1/stats`,
      `curl -s ${url(urls, 'inventory')}/stats`,
      'k6 run load/flash-sale.ts            # the spike (install k6 first)',
    ],
  },
  {
    title: 'Large-scale cache synchronization: one price change, every replica converges',
    needs: ['inventory', 'price-cache-1', 'price-cache-2', 'price-cache-3'],
    commands: (urls) => [
      `curl -s -X PUT ${url(urls, 'inventory')}/products/MUG-CLASSIC/price ${JSON_BODY} '{"priceCents":1399}'`,
      `for replica in ${['price-cache-1', 'price-cache-2', 'price-cache-3'].map((instance) => url(urls, instance)).join(' ')}; do curl -s $replica/prices/MUG-CLASSIC; echo; done`,
      `curl -s ${url(urls, 'price-cache-1')}/cache`,
      `curl -s ${urls.brokerAdmin}/groups/price-cache-bcast-price-cache-1`,
    ],
  },
  {
    title: 'Function trigger: every order is POSTed to a function, no consumer process of its own',
    needs: ['order', 'trigger'],
    commands: (urls) => [
      `curl -s -X POST ${url(urls, 'order')}/orders ${JSON_BODY} '{"userId":"'$(cat /proc/sys/kernel/random/uuid)'","items":[{"sku":"MUG-CLASSIC","quantity":1}]}'`,
      `grep 'MESSAGE RECEIVED' -A1 .data/demo/logs/trigger.log`,
      `curl -s ${url(urls, 'trigger')}/function/received`,
      `curl -s ${url(urls, 'trigger')}/triggers`,
    ],
  },
];
