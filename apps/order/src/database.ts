import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { CreateOutboxMessages1795000000001, OutboxMessage } from '@rocketmq-shop/rocketmq-transport/outbox';
import { CreatePurchases1796000000001 } from './flash-sale/create-purchases.migration';
import { Purchase } from './flash-sale/purchase.entity';
import { CreateOrders1796000000000 } from './orders/create-orders.migration';
import { Order } from './orders/order.entity';

/** Order's schema, table by table: the service and its database tests build it from the same list. */
export const ORDER_SCHEMA = {
  schema: 'order',
  entities: [Order, Purchase, ProcessedMessage, OutboxMessage],
  migrations: [CreateProcessedMessages1795000000000, CreateOutboxMessages1795000000001, CreateOrders1796000000000, CreatePurchases1796000000001],
};
