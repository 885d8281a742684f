import { Global, Module } from '@nestjs/common';
import { TokenGuard } from './token.guard.js';
import { TokenVerifier } from './token-verifier.service.js';

/** Tokens and entitlements; global so that any controller can use TokenGuard. */
@Global()
@Module({
  providers: [TokenVerifier, TokenGuard],
  exports: [TokenVerifier, TokenGuard],
})
export class AuthModule {}
