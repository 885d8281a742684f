import { PATHS, StreamHttpError } from '@tickstream/client';
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
 * one. The server keeps the token as the HttpOnly cookie it reads, so that the stream and every
 * REST request carry it without the page's code holding or passing it.
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
      if (token !== '') {
        void this.signIn(token, onToken);
      }
    });
  }

  /** Shows the box, saying why the server refused the page. */
  ask(why: string): void {
    this.why.textContent = why;
    this.form.hidden = false;
    this.input.focus();
  }

  /**
   * Hands the token to the server, which checks it and keeps it as the HttpOnly cookie the
   * stream and every REST request carry: the page's scripts never hold it after this.
   */
  private async signIn(token: string, onToken: () => void): Promise<void> {
    const response = await fetch(`/${PATHS.session}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    }).catch(() => undefined);
    if (response?.ok) {
      this.input.value = '';
      this.form.hidden = true;
      onToken();
      return;
    }
    const body: unknown = await response?.json().catch(() => undefined);
    this.ask(messageOf(body) ?? 'the server could not be reached; try again');
  }
}
