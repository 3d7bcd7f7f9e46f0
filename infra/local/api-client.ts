/** A minimal client of the platform's own API, for seeding and benchmarks. */
export class ApiClient {
  private token?: { value: string; until: number };

  constructor(
    readonly baseUrl: string,
    readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const response = await fetch(`${this.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.clientId,
        client_secret: this.clientSecret,
      }),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!response.ok || !body.access_token) {
      throw new Error(`Token request for ${this.clientId} failed: ${response.status} ${JSON.stringify(body)}`);
    }
    // Renew a minute before expiry.
    this.token = { value: body.access_token, until: Date.now() + ((body.expires_in ?? 60) - 60) * 1000 };
    return this.token.value;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${await this.accessToken()}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      // Throttled (per-client usage plan): wait as told, a few times.
      if (response.status === 429 && attempt < 5) {
        await new Promise((done) => setTimeout(done, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    }
  }

  /** A request that must succeed. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.request<T>(method, path, body);
    if (result.status >= 300) {
      throw new Error(`${method} ${path} failed with ${result.status}: ${JSON.stringify(result.body)}`);
    }
    return result.body;
  }
}
