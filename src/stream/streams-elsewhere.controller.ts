import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PATHS } from '@tickstream/client/contract';
import { FieldErrorException } from '../validation/field-error.exception.js';

/**
 * GET /api/stream of a feed (ROLE=feed), which serves no streams: a 404 that says where they
 * are, for whoever pointed a client at the wrong instance, rather than the framework's bare
 * "Cannot GET". Nothing of the request is checked: it is no stream's refusal.
 */
@ApiExcludeController()
@Controller()
export class StreamsElsewhereController {
  @Get(PATHS.stream)
  streamsElsewhere(): never {
    throw new FieldErrorException(
      HttpStatus.NOT_FOUND,
      'ROLE',
      'this instance (ROLE=feed) serves no streams: they are on the ROLE=edge and ROLE=all instances',
      { value: 'feed' },
    );
  }
}
