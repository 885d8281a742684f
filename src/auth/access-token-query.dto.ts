import { Allow } from 'class-validator';

/** Query DTOs of guarded routes extend this, so that validation lets the token param through. */
export class AccessTokenQueryDto {
  /** Read and checked by TokenGuard, never by validation, which would echo it in a 400. */
  @Allow()
  access_token?: unknown;
}
