import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { faultControllers } from '@rocketmq-shop/service-defaults';
import { OrderCancellationsHandler } from './order-cancellations.handler';
import { OrderCreatedHandler } from './order-created.handler';
import { PurchaseConsumption } from './purchase-consumption';
import { PurchaseDecisions } from './purchase-decisions.service';
import { PurchaseFaultsController } from './purchase-faults.controller';
import { PurchaseRequestsHandler } from './purchase-requests.handler';
import { PurchaseSlowdown } from './purchase-slowdown';
import { ReservationStats } from './reservation-stats.service';
import { ReservationsController } from './reservations.controller';
import { SellOutPublisher } from './sell-out-publisher';
import { StockDecision } from './stock-decision.entity';
import { StockReservationService } from './stock-reservation.service';

/** Reservations: answers orders and flash-sale purchases with RESERVED or REJECTED, never overselling; cancelled orders give stock back. */
@Module({
  imports: [TypeOrmModule.forFeature([StockDecision])],
  controllers: [ReservationsController, PurchaseRequestsHandler, OrderCreatedHandler, OrderCancellationsHandler, ...faultControllers([PurchaseFaultsController])],
  providers: [StockReservationService, PurchaseDecisions, SellOutPublisher, ReservationStats, PurchaseSlowdown, PurchaseConsumption],
})
export class ReservationsModule {}
