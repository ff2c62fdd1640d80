import type { RemoteCacheStore } from 'athena';

/** A RemoteCacheStore over an HTTP key-value service (any backend with get/set/delete works). */
export class HttpCacheStore implements RemoteCacheStore {
  constructor(private readonly baseURL: string) {}

  private url(namespace: string, id = ''): string {
    return `${this.baseURL}/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`;
  }

  async getEntity(namespace: string, id: string): Promise<string | null> {
    const response = await fetch(this.url(namespace, id));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`cache GET ${response.status}`);
    return response.text();
  }

  getEntities(namespace: string, ids: string[]): Promise<Array<string | null>> {
    return Promise.all(ids.map((id) => this.getEntity(namespace, id)));
  }

  async getAllEntities(namespace: string): Promise<string[]> {
    const response = await fetch(this.url(namespace));
    if (!response.ok) throw new Error(`cache LIST ${response.status}`);
    return (await response.json()) as string[];
  }

  async setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void> {
    const ttl = ttlSeconds === undefined ? '' : `?ttl=${ttlSeconds}`;
    const response = await fetch(this.url(namespace, id) + ttl, { method: 'PUT', body: value });
    if (!response.ok) throw new Error(`cache PUT ${response.status}`);
  }

  async removeEntity(namespace: string, id: string): Promise<void> {
    const response = await fetch(this.url(namespace, id), { method: 'DELETE' });
    if (!response.ok && response.status !== 404) throw new Error(`cache DELETE ${response.status}`);
  }
}
