// The part of undici safe-pip uses: its agents, its connector, and the request API on them.
// undici's index.js also loads fetch, WebSocket, EventSource, the cookie helpers, the mocks and
// the cache stores; loading all of it took about 100 ms of every networked command on the test
// machine, these modules about 35 ms (issue 12 §2). The API is attached to Dispatcher's prototype
// exactly as index.js does it (ProxyAgent itself calls `connect` through it).
import type { Dispatcher } from 'undici';
import type * as Undici from 'undici';
// undici publishes types for its index only; these are the classes and functions it re-exports there.
// @ts-expect-error no declaration file for undici's own modules
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';
// @ts-expect-error no declaration file for undici's own modules
import api from 'undici/lib/api/index.js';
// @ts-expect-error no declaration file for undici's own modules
import AgentClass from 'undici/lib/dispatcher/agent.js';
// @ts-expect-error no declaration file for undici's own modules
import ProxyAgentClass from 'undici/lib/dispatcher/proxy-agent.js';
// @ts-expect-error no declaration file for undici's own modules
import EnvHttpProxyAgentClass from 'undici/lib/dispatcher/env-http-proxy-agent.js';
// @ts-expect-error no declaration file for undici's own modules
import buildConnectorFunction from 'undici/lib/core/connect.js';

Object.assign((DispatcherClass as { prototype: object }).prototype, api as object);

export const Agent = AgentClass as typeof Undici.Agent;
export const ProxyAgent = ProxyAgentClass as typeof Undici.ProxyAgent;
export const EnvHttpProxyAgent = EnvHttpProxyAgentClass as typeof Undici.EnvHttpProxyAgent;
export const buildConnector = buildConnectorFunction as typeof Undici.buildConnector;

/** undici's `request(url, { dispatcher, … })`: the same origin/path split its index.js makes. */
export function request(url: string, options: { method: string; headers: Record<string, string>; dispatcher: Dispatcher }): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return Promise.reject(new TypeError(`not an http(s) URL: ${url}`));
  return dispatcher.request({ ...rest, origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname });
}
