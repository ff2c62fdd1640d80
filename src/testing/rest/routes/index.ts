/** Every route the simulator's REST server answers, literal paths before parameterised ones. */
import type { RouteDef } from '../router.js';
import { channelRoutes } from './channels.js';
import { guildRoutes } from './guilds.js';
import { userRoutes } from './users.js';

export const ROUTES: RouteDef[] = [...userRoutes, ...guildRoutes, ...channelRoutes];
