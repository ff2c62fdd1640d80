import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Client, Intents, type SessionInfo, type SessionStore } from 'athena';

/** Sessions in a JSON file, so a restarted process resumes its shards instead of identifying. */
class FileSessionStore implements SessionStore {
  private readonly sessions: Record<string, SessionInfo>;

  constructor(private readonly path: string) {
    this.sessions = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  }

  get(shardID: number): SessionInfo | undefined {
    return this.sessions[shardID];
  }

  set(shardID: number, session: SessionInfo): void {
    this.sessions[shardID] = session;
    writeFileSync(this.path, JSON.stringify(this.sessions));
  }

  delete(shardID: number): void {
    delete this.sessions[shardID];
    writeFileSync(this.path, JSON.stringify(this.sessions));
  }
}

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds,
  sessionStore: new FileSessionStore('sessions.json')
});
await client.connect();

// Stop for a deploy without ending the sessions: the next process resumes them.
process.once('SIGTERM', () => {
  client.disconnect({ keepSession: true });
  process.exit(0);
});
