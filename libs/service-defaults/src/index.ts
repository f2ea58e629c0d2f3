export { LOG_LEVELS, serviceConfig, type LogLevel, type ServiceConfig } from './config/service-config';
export { PinoLoggerService, createPinoLogger } from './logging/pino-logger';
export { ZodValidationPipe, type ValidationIssue } from './validation/zod-validation.pipe';
export { ZodBody } from './validation/zod-body.decorator';
export { zodToOpenApi } from './validation/zod-openapi';
export { HEALTH_PROBES, type HealthProbe } from './health/health-probe';
export { HealthModule, type HealthModuleOptions } from './health/health.module';
export { TypeOrmPingProbe } from './health/typeorm-ping.probe';
export { bootstrapService, type BootstrapOptions } from './bootstrap/bootstrap-service';
