import { StreamHttpError, TOKEN_COOKIE } from '@tickstream/client';
import { ApiError, messageOf } from './api-error.js';
import { required } from './dom.js';

/**
 * Why the server wants a (new) token, when `error` is its 401 (from the stream or the REST
 * API): the body's message, which names where the token was looked for and what was wrong.
 */
export function tokenRefusal(error: unknown): string | undefined {
  const refused =
    (error instanceof StreamHttpError || error instanceof ApiError) && error.status === 401;
  return refused ? (messageOf(error.body) ?? 'a token is required') : undefined;
}

/**
 * The box that asks for a token when the server (STREAM_AUTH=jwt) refuses the page without
 * one. The token is kept as the cookie the server reads, so that the stream and every REST
 * request carry it without the page's code passing it along.
 */
export class SignIn {
  private readonly input: HTMLInputElement;
  private readonly why: HTMLElement;

  constructor(
    private readonly form: HTMLFormElement,
    onToken: () => void,
  ) {
    this.input = required('input[name=token]', HTMLInputElement, form);
    this.why = required('.sign-in-why', HTMLElement, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = this.input.value.trim();
      if (token === '') {
        return;
      }
      keepToken(token);
      this.input.value = '';
      form.hidden = true;
      onToken();
    });
  }

  /** Shows the box, saying why the server refused the page. */
  ask(why: string): void {
    this.why.textContent = why;
    this.form.hidden = false;
    this.input.focus();
  }
}

/**
 * A session cookie for this site only: `SameSite=Strict` keeps other sites' requests from
 * carrying it, `Secure` keeps it off plain HTTP wherever the page came over HTTPS.
 */
function keepToken(token: string): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; SameSite=Strict${secure}`;
}
