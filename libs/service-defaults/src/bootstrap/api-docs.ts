import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs-json. */
export function setupApiDocs(app: INestApplication, serviceName: string): void {
  const info = new DocumentBuilder()
    .setTitle(serviceName)
    .setDescription(`HTTP API of the ${serviceName} service. Everything between services travels over RocketMQ, not HTTP.`)
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, info));
}
