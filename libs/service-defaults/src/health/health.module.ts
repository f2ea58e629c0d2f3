import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HEALTH_PROBES, type HealthProbe } from './health-probe';

export interface HealthModuleOptions {
  /** Checked on every GET /health. None: /health answers 200 while the process serves HTTP. */
  probes?: Type<HealthProbe>[];
  /** Modules the probes' own dependencies come from (global modules such as TypeOrmModule need none). */
  imports?: ModuleMetadata['imports'];
}

/** GET /health through @nestjs/terminus: 200 with every probe up, 503 with the failing ones named. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const probes = options.probes ?? [];
    return {
      module: HealthModule,
      imports: [TerminusModule, ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [...probes, { provide: HEALTH_PROBES, useFactory: (...instances: HealthProbe[]) => instances, inject: probes }],
    };
  }
}
