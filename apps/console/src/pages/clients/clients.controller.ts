import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ClientSession } from '../../api-contract/operations';
import { BrokerAdmin } from '../../upstream/broker-admin';

@ApiTags('clients')
@Controller('api/clients')
export class ClientsController {
  constructor(private readonly broker: BrokerAdmin) {}

  @Get()
  sessions(): Promise<ClientSession[]> {
    return this.broker.get('/clients');
  }
}
