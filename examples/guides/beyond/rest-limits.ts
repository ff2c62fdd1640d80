import { Client, FleetRestLimiter } from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const limiter = new FleetRestLimiter(redis, { prefix: 'mybot:', globalLimit: 50, invalidLimit: 7500 });
limiter.on('degraded', (reason) => console.warn(`REST limits are local until Redis answers: ${reason}`));
const client = new Client(process.env.DISCORD_TOKEN ?? '', { rest: { limitCoordinator: limiter } });
await client.connect();
