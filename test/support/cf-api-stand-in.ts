import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

export interface CfState {
  segments: Array<{ guid: string; name: string }>;
  orgs: Array<{ guid: string; name: string }>;
  spaces: Array<{ guid: string; name: string; org: string }>;
  /** segment guid -> entitled org guids */
  entitled: Record<string, string[]>;
  /** space guid -> segment guid */
  assigned: Record<string, string>;
}

/** A request the stand-in answers with a CF API error instead: `<METHOD> <path prefix>`. */
export type FailOn = string | undefined;

/**
 * A local stand-in for the few CF API v3 endpoints the isolation-segment step uses (127.0.0.1 only). It
 * keeps state like Cloud Controller, records every request, and answers one chosen request with a v3
 * error document, as Cloud Controller does (422 CF-UnprocessableEntity).
 */
export class CfApiStandIn {
  readonly requests: Recorded[] = [];
  failOn: FailOn;
  private server?: Server;
  private n = 0;

  constructor(readonly state: CfState) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }

  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text === '' ? undefined : JSON.parse(text);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    this.requests.push({ method, path, ...(body === undefined ? {} : { body }) });
    if (this.failOn && `${method} ${path}`.startsWith(this.failOn)) {
      return { status: 422, body: { errors: [{ code: 10008, title: 'CF-UnprocessableEntity', detail: 'Name must be unique (stand-in refusal)' }] } };
    }
    return this.route(method, new URL(path, 'http://x'), body);
  }

  private route(method: string, url: URL, body: any): { status: number; body: unknown } {
    const s = this.state;
    const p = url.pathname;
    const names = (url.searchParams.get('names') ?? '').split(',');
    const list = (resources: unknown[]) => ({ status: 200, body: { pagination: { total_results: resources.length }, resources } });
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '/v3/isolation_segments') return list(s.segments.filter((g) => names.includes(g.name)));
    if (method === 'POST' && p === '/v3/isolation_segments') {
      const g = { guid: `seg-${++this.n}`, name: String(body.name) };
      s.segments.push(g);
      return { status: 201, body: g };
    }
    if (method === 'GET' && p === '/v3/organizations') return list(s.orgs.filter((o) => names.includes(o.name)));
    if ((m = /^\/v3\/isolation_segments\/([^/]+)\/relationships\/organizations$/.exec(p))) {
      const seg = m[1];
      if (method === 'POST') s.entitled[seg] = [...new Set([...(s.entitled[seg] ?? []), ...body.data.map((d: { guid: string }) => d.guid)])];
      return { status: 200, body: { data: (s.entitled[seg] ?? []).map((guid) => ({ guid })) } };
    }
    if (method === 'GET' && p === '/v3/spaces') {
      const orgs = (url.searchParams.get('organization_guids') ?? '').split(',');
      return list(s.spaces.filter((x) => names.includes(x.name) && orgs.includes(x.org)));
    }
    if ((m = /^\/v3\/spaces\/([^/]+)\/relationships\/isolation_segment$/.exec(p))) {
      if (method === 'PATCH') s.assigned[m[1]] = body.data.guid;
      const g = s.assigned[m[1]];
      return { status: 200, body: { data: g ? { guid: g } : null } };
    }
    return { status: 404, body: { errors: [{ code: 10000, title: 'CF-NotFound', detail: `Unknown request ${method} ${p}` }] } };
  }
}

/**
 * A `cf` executable for PATH: `cf curl <path> [-X <method>] [-d <json>]` forwards to the stand-in at
 * $FAKE_CF_API and prints the body as cf curl does (exit 0 whatever the status); with FAKE_CF_LOGGED_OUT
 * set it answers as cf does without a session (FAKE_CF_NO_API: without an API target).
 */
export function writeFakeCf(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'cf');
  writeFileSync(
    file,
    [
      `#!${process.execPath}`,
      "const [cmd, path, ...rest] = process.argv.slice(2);",
      "if (cmd !== 'curl') { console.error(`fake cf: only curl, not ${cmd}`); process.exit(2); }",
      "if (process.env.FAKE_CF_NO_API) { console.log(\"No API endpoint set. Use 'cf login' or 'cf api' to target an endpoint.\"); console.log('FAILED'); process.exit(1); }",
      "if (process.env.FAKE_CF_LOGGED_OUT) { console.log(\"Not logged in. Use 'cf login' or 'cf login --sso' to log in.\"); console.log('FAILED'); process.exit(1); }",
      "let method = 'GET'; let data;",
      "for (let i = 0; i < rest.length; i++) { if (rest[i] === '-X') method = rest[++i]; else if (rest[i] === '-d') data = rest[++i]; }",
      "fetch(process.env.FAKE_CF_API + path, { method, body: data, headers: data ? { 'content-type': 'application/json' } : {} })",
      "  .then((r) => r.text()).then((t) => { process.stdout.write(t + '\\n'); })",
      "  .catch((e) => { console.log(`Request error: ${e.message}`); console.log('FAILED'); process.exit(1); });",
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}
