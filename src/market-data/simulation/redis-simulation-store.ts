import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Candle, CandleInterval, StatusData } from '@tickstream/client/contract';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../bus/redis-connection.js';
import { redisKeys, type RedisKeys } from '../../bus/redis-keys.js';
import type { AppConfig } from '../../config/app-config.js';
import { SimulationStore } from './simulation-store.js';
import { withPostedBars, type SymbolPast } from './symbol-past.js';

/**
 * Two Redis hashes, the past and the statuses, a field of JSON per symbol in each, and a counter
 * of the bars posted into the past.
 */
export class RedisSimulationStore extends SimulationStore implements OnModuleDestroy {
  private readonly logger = new Logger(RedisSimulationStore.name);
  private readonly keys: RedisKeys;
  private readonly redis: Redis;

  constructor(config: AppConfig) {
    super();
    this.keys = redisKeys(config.REDIS_PREFIX);
    this.redis = connectRedis(config.REDIS_URL, 'simulation', this.logger);
  }

  async savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    if (past.size > 0) {
      const fields = [...past].flatMap(([symbol, symbolPast]) => [
        symbol,
        JSON.stringify(symbolPast),
      ]);
      await this.redis.hset(this.keys.past, fields);
    }
  }

  async loadPast(): Promise<Map<string, SymbolPast>> {
    const stored = await this.redis.hgetall(this.keys.past);
    return new Map(
      Object.entries(stored).map(([symbol, json]) => [symbol, JSON.parse(json) as SymbolPast]),
    );
  }

  async addPastBars(
    symbol: string,
    interval: CandleInterval,
    bars: readonly Candle[],
  ): Promise<void> {
    const stored = await this.redis.hget(this.keys.past, symbol);
    const past = stored === null ? { bars: {} } : (JSON.parse(stored) as SymbolPast);
    const merged = withPostedBars(past, interval, bars);
    await this.redis
      .multi()
      .hset(this.keys.past, symbol, JSON.stringify(merged))
      .incr(this.keys.pastChanges)
      .exec();
  }

  async pastChanges(): Promise<number> {
    return Number(await this.redis.get(this.keys.pastChanges));
  }

  async saveStatus(status: StatusData): Promise<void> {
    await this.redis.hset(this.keys.simulatedStates, status.symbol, JSON.stringify(status));
  }

  async loadStatuses(): Promise<StatusData[]> {
    const stored = await this.redis.hgetall(this.keys.simulatedStates);
    return Object.values(stored).map((json) => JSON.parse(json) as StatusData);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
