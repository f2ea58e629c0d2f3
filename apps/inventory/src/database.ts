import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { CreateOutboxMessages1795000000001, OutboxMessage } from '@rocketmq-shop/rocketmq-transport/outbox';
import { AddStockVersion1796000000004 } from './catalog/add-stock-version.migration';
import { CreateProducts1796000000000 } from './catalog/create-products.migration';
import { Product } from './catalog/product.entity';
import { AddPriceChangedAt1796000000002 } from './pricing/add-price-changed-at.migration';
import { AddReleasedAt1796000000003 } from './reservations/add-released-at.migration';
import { CreateStockDecisions1796000000001 } from './reservations/create-stock-decisions.migration';
import { StockDecision } from './reservations/stock-decision.entity';

/** Inventory's schema, table by table: the service and its database tests build it from the same list. */
export const INVENTORY_SCHEMA = {
  schema: 'inventory',
  entities: [Product, StockDecision, ProcessedMessage, OutboxMessage],
  migrations: [
    CreateProcessedMessages1795000000000,
    CreateOutboxMessages1795000000001,
    CreateProducts1796000000000,
    CreateStockDecisions1796000000001,
    AddPriceChangedAt1796000000002,
    AddReleasedAt1796000000003,
    AddStockVersion1796000000004,
  ],
};
