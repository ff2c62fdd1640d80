import { TextChannel } from './TextChannel.js';

/** An announcement channel (type 5); Eris's NewsChannel. */
export class NewsChannel extends TextChannel {}

/** The current Discord name for NewsChannel. */
export const AnnouncementChannel = NewsChannel;
export type AnnouncementChannel = NewsChannel;
