import { purchaseRequested } from '@rocketmq-shop/contracts';

const { saleId, quantity } = purchaseRequested.schema.shape;

/** `:saleId` of the flash-sale routes. */
export const SaleId = saleId;

/** The body of `POST /flash-sales/:saleId/purchases`: the contract's fields a buyer chooses, one unit by default. */
export const RequestPurchase = purchaseRequested.schema.pick({ userId: true, sku: true }).extend({ quantity: quantity.default(1) });
