import { required } from './dom.js';
import { formatAge, formatClock } from './format.js';
import type { StreamEvent } from '@tickstream/client';

type BadgeState =
  'connecting' | 'live' | 'reconnecting' | 'resumed' | 'gap' | 'failed' | 'signed out';

/** How long "resumed" and "gap" stay up before the badge goes back to "live". */
const NOTICE_MS = 3_000;
const AGE_REFRESH_MS = 250;

/** The state of the page's stream, and how long ago it last heard from the server. */
export class ConnectionBadge {
  private readonly label: HTMLElement;
  private readonly age: HTMLElement;
  private state: BadgeState = 'connecting';
  private noticeUntil = 0;
  private lastEventAt: number | undefined;

  constructor(private readonly element: HTMLElement) {
    this.label = required('.badge-label', HTMLElement, element);
    this.age = required('.badge-age', HTMLElement, element);
    setInterval(() => this.refresh(), AGE_REFRESH_MS);
  }

  /** A new subscription is being opened. */
  connecting(): void {
    this.show('connecting', 'opening the stream');
  }

  failed(message: string): void {
    this.show('failed', message);
  }

  /** The server wants a (new) token: `why` it refused the one it had. */
  signedOut(why: string): void {
    this.show('signed out', why);
  }

  event(event: StreamEvent): void {
    const now = Date.now();
    switch (event.type) {
      case 'open':
        // A reset may come just before its connection's open: the gap must stay visible.
        if (now >= this.noticeUntil) {
          this.show(event.resumed ? 'resumed' : 'live', `connected at ${formatClock(now)}`);
          this.noticeUntil = event.resumed ? now + NOTICE_MS : 0;
        }
        break;
      case 'reset':
        this.show('gap', `history lost at ${formatClock(now)}; prices restarted from a snapshot`);
        this.noticeUntil = now + NOTICE_MS;
        break;
      case 'token-expired':
      case 'ended':
        this.show('reconnecting', event.message);
        this.noticeUntil = 0;
        break;
      case 'reconnecting':
        this.show(
          'reconnecting',
          `attempt ${event.attempt} in ${formatAge(event.delayMs)}: ${event.reason}`,
        );
        this.noticeUntil = 0;
        break;
      case 'snapshot':
      case 'tick':
      case 'bar':
      case 'status':
      case 'heartbeat':
        this.lastEventAt = now;
        break;
    }
  }

  private show(state: BadgeState, detail: string): void {
    this.state = state;
    this.element.dataset.state = state;
    this.label.textContent = state;
    this.element.title = detail;
  }

  private refresh(): void {
    const now = Date.now();
    if ((this.state === 'resumed' || this.state === 'gap') && now >= this.noticeUntil) {
      this.show('live', this.element.title);
    }
    this.age.textContent =
      this.lastEventAt === undefined ? '' : `${formatAge(now - this.lastEventAt)} ago`;
  }
}
