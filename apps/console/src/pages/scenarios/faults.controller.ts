import { Body, Controller, Get, HttpException, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { FAULT_SERVICES, type FaultService, type FaultSwitches } from '../../api-contract/scenarios';
import { ShopServices } from '../../upstream/shop-services';

const ServicePipe = new ZodValidationPipe(z.enum(FAULT_SERVICES));

/** The failure catalogue's switches: each service's own `/faults`, passed through (it validates the body). */
@ApiTags('scenarios')
@Controller('api/faults')
export class FaultsController {
  constructor(private readonly services: ShopServices) {}

  /** `enabled: false` when the service has no `/faults` (FAULTS_ENABLED is off) or the console does not know it. */
  @Get(':service')
  async current(@Param('service', ServicePipe) service: FaultService): Promise<FaultSwitches> {
    try {
      return { enabled: true, settings: await this.services.request<Record<string, unknown>>(service, 'GET', '/faults') };
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === HttpStatus.NOT_FOUND) return { enabled: false };
      throw error;
    }
  }

  @Put(':service')
  change(@Param('service', ServicePipe) service: FaultService, @Body() body: unknown): Promise<Record<string, unknown>> {
    return this.services.request(service, 'PUT', '/faults', body);
  }
}
