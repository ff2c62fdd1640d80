/** Athena's REST layer: the rate-limited client, typed errors and Eris-named endpoints. */

export {
  encodeReaction,
  type GetGuildMembersOptions,
  type GetMessagesOptions,
  type MessageContent,
  RESTMethods
} from './Endpoints.js';
export { type DiscordErrorTree, DiscordHTTPError, DiscordRESTError, RESTRequestError } from './errors.js';
export { REST_DEFAULTS, type RestLogLevel, type RestOptions } from './options.js';
export {
  type HTTPMethod,
  type RateLimitEvent,
  type RequestOptions,
  RestClient,
  type RestClientEvents,
  USER_AGENT
} from './RestClient.js';
export type {
  RestLimitCoordinator,
  RestLimitHeaders,
  RestLimitOutcome,
  RestLimitTarget
} from './RestLimitCoordinator.js';
export type { RateLimitScope } from './rateLimitHeaders.js';
export type { FileContent, QueryValue } from './requestBody.js';
export { type RouteInfo, routeInfo } from './routeKey.js';
