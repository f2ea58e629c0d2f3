import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HalfMessage } from '../../api-contract/operations';
import { BrokerAdmin } from '../../upstream/broker-admin';

@ApiTags('transactions')
@Controller('api/transactions')
export class TransactionsController {
  constructor(private readonly broker: BrokerAdmin) {}

  /** Half messages waiting for their producer's commit or rollback, with the check-backs sent so far. */
  @Get()
  halfMessages(): Promise<HalfMessage[]> {
    return this.broker.get('/transactions');
  }
}
