import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Principal } from './principal.js';

const principals = new WeakMap<IncomingMessage, Principal>();

export function setPrincipal(request: IncomingMessage, principal: Principal): void {
  principals.set(request, principal);
}

/** The principal TokenGuard found for `request`; undefined on a route without the guard. */
export function principalOf(request: IncomingMessage): Principal | undefined {
  return principals.get(request);
}

/** The handler parameter for the request's principal. Only on routes guarded by TokenGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<IncomingMessage>());
    if (!principal) {
      throw new Error('@CurrentPrincipal() on a route without TokenGuard');
    }
    return principal;
  },
);
