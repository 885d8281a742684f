// npm run token -- --sub alice --symbols AAPL,MSFT --ttl 1h
// Prints a development token signed with JWT_SECRET (HS256), for a server run with
// STREAM_AUTH=jwt and the same JWT_SECRET.
import { parseArgs } from 'node:util';
import { mintToken } from './auth/mint-token.js';
import { MIN_SECRET_LENGTH } from './config/app-config.js';

const USAGE = 'usage: npm run -s token -- --sub <subject> --symbols <AAPL,MSFT | *> [--ttl 1h]';

function fail(message: string): never {
  console.error(`tickstream token: ${message}\n${USAGE}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { sub?: string; symbols?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      options: {
        sub: { type: 'string' },
        symbols: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const { sub, symbols, ttl = '1h' } = values;
  const secret = process.env.JWT_SECRET;
  if (!secret) {
    fail('JWT_SECRET is not set: export the secret the server verifies tokens with');
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    fail(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters, as the server requires`);
  }
  if (!sub) {
    fail('--sub is required');
  }
  const list = symbols?.split(',').map((symbol) => symbol.trim().toUpperCase());
  // "*" alone means every symbol; among symbols the server would refuse the token.
  if (!list || list.some((symbol) => symbol === '' || (symbol === '*' && list.length > 1))) {
    fail('--symbols must be "*" or a comma-separated list such as AAPL,MSFT');
  }
  try {
    const token = await mintToken(
      { sub, symbols: symbols === '*' ? '*' : list, expires: ttl },
      { secret },
    );
    console.log(token);
  } catch (error) {
    // jose refuses a period it cannot read, e.g. "--ttl soon".
    fail(`--ttl ${JSON.stringify(ttl)}: ${(error as Error).message}`);
  }
}

void main();
