/** GET /gateway, /gateway/bot, /users/@me, /users/:user_id. */
import { discordError } from '../errors.js';
import type { RouteDef } from '../router.js';

export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    template: '/gateway',
    bucket: null,
    auth: false,
    handle: ({ context }) => ({ status: 200, body: { url: context.gatewayURL() } })
  },
  {
    method: 'GET',
    template: '/gateway/bot',
    bucket: 'gateway',
    auth: true,
    handle: ({ context }) => ({
      status: 200,
      body: {
        url: context.gatewayURL(),
        shards: context.recommendedShards(),
        session_start_limit: context.sessionStartLimit()
      }
    })
  },
  {
    method: 'GET',
    template: '/users/@me',
    bucket: 'users',
    auth: true,
    handle: ({ context }) => ({ status: 200, body: context.world.botUser })
  },
  {
    method: 'GET',
    template: '/users/:user_id',
    bucket: 'users',
    auth: true,
    handle: ({ context, params }) => {
      const user = context.world.getUser(params.user_id);
      if (!user) throw discordError(10013);
      return { status: 200, body: user };
    }
  }
];
