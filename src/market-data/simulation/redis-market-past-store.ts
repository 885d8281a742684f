import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../bus/redis-connection.js';
import { redisKeys } from '../../bus/redis-keys.js';
import type { AppConfig } from '../../config/app-config.js';
import { MarketPastStore } from './market-past-store.js';
import type { SymbolPast } from './symbol-past.js';

/** The market's past in one Redis hash, a field of JSON per symbol. */
export class RedisMarketPastStore extends MarketPastStore implements OnModuleDestroy {
  private readonly logger = new Logger(RedisMarketPastStore.name);
  private readonly key: string;
  private readonly redis: Redis;

  constructor(config: AppConfig) {
    super();
    this.key = redisKeys(config.REDIS_PREFIX).past;
    this.redis = connectRedis(config.REDIS_URL, 'market-past', this.logger);
  }

  async save(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    if (past.size > 0) {
      const fields = [...past].flatMap(([symbol, symbolPast]) => [
        symbol,
        JSON.stringify(symbolPast),
      ]);
      await this.redis.hset(this.key, fields);
    }
  }

  async load(): Promise<Map<string, SymbolPast>> {
    const stored = await this.redis.hgetall(this.key);
    return new Map(
      Object.entries(stored).map(([symbol, json]) => [symbol, JSON.parse(json) as SymbolPast]),
    );
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
