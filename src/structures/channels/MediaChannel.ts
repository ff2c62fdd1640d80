import { ForumChannel } from './ForumChannel.js';

/** A media channel (type 16): a forum whose posts are media. */
export class MediaChannel extends ForumChannel {}
