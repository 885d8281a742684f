import type { StatusChange } from './status-change.js';
import type { Tick } from './tick.js';

/** What the bus numbers, keeps and fans out, in one order for every instance. */
export type MarketEvent = Tick | StatusChange;
