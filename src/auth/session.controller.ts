import {
  Controller,
  Delete,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { PATHS, TOKEN_COOKIE, type SessionInfo } from '@tickstream/client/contract';
import { stringifySetCookie, type SerializeOptions } from 'cookie';
import type { Request, Response } from 'express';
import { SessionDocs, SignOutDocs } from '../openapi/session-docs.decorator.js';
import type { Principal } from './principal.js';
import { CurrentPrincipal } from './request-principal.js';
import { TokenGuard } from './token.guard.js';
import { findToken } from './token-source.js';

/**
 * Signs a browser in and out. Page scripts cannot set an HttpOnly cookie, and a cookie they can
 * set they can also read: so the page hands its token here once, and the server, having checked
 * it, keeps it as the HttpOnly cookie that the stream and every REST request then carry.
 * SameSite=Strict keeps other sites' requests from carrying it; sending a token here from another
 * site needs a CORS preflight (the Authorization header), which only CORS_ORIGINS pass.
 */
@Controller(PATHS.session)
export class SessionController {
  @Post()
  @SessionDocs()
  @UseGuards(TokenGuard)
  @HttpCode(HttpStatus.OK)
  signIn(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): SessionInfo {
    const { subject, expiresAt } = principal;
    if (subject === undefined || expiresAt === undefined) {
      // STREAM_AUTH=none: nothing to keep.
      return { subject: null, expiresAt: null };
    }
    const maxAge = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
    response.setHeader(
      'Set-Cookie',
      stringifySetCookie(TOKEN_COOKIE, findToken(request).token, cookieOptions(request, maxAge)),
    );
    return { subject, expiresAt: new Date(expiresAt).toISOString() };
  }

  @Delete()
  @SignOutDocs()
  @HttpCode(HttpStatus.OK)
  signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): SessionInfo {
    response.setHeader(
      'Set-Cookie',
      stringifySetCookie(TOKEN_COOKIE, '', cookieOptions(request, 0)),
    );
    return { subject: null, expiresAt: null };
  }
}

/** `Secure` wherever the page came over HTTPS, directly or through a trusted proxy. */
function cookieOptions(request: Request, maxAge: number): SerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', maxAge, secure: request.secure };
}
