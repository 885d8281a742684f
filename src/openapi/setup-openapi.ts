import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addSecuritySchemes } from './security-schemes.js';

/** Serves the API document: Swagger UI at /docs, the OpenAPI JSON at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const config = addSecuritySchemes(
    new DocumentBuilder()
      .setTitle('tickstream')
      .setDescription(
        'Real-time market data over Server-Sent Events. The stream protocol in full (ids, throttle, resume, reset) is docs/protocol.md.',
      )
      .setVersion('1'),
  ).build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
