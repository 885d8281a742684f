import { Global, Module } from '@nestjs/common';
import { SessionController } from './session.controller.js';
import { TokenGuard } from './token.guard.js';
import { TokenVerifier } from './token-verifier.service.js';

/** Tokens, entitlements and the browser's session; global so that any controller can use TokenGuard. */
@Global()
@Module({
  controllers: [SessionController],
  providers: [TokenVerifier, TokenGuard],
  exports: [TokenVerifier, TokenGuard],
})
export class AuthModule {}
