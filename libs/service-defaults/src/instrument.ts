import { serviceInstrumentations } from './telemetry/instrumentations';

/*
 * Imported first in a service's main.ts (`import '@rocketmq-shop/service-defaults/instrument'`):
 * the transport and the app module load Nest before bootstrapService runs, and an instrumentation
 * patches only what loads after it is created.
 */
serviceInstrumentations();
