// Types for demo-servers.mjs (the demo script is plain JavaScript so it runs without a build).
export interface DemoServers {
  /** Base URL for `--pypi-url`, e.g. `http://127.0.0.1:PORT/pypi`. */
  pypiUrl: string;
  /** The RDAP base URL the bootstrap points the demo TLDs at. */
  rdapUrl: string;
  /** `127.0.0.1:PORT` for `--dns-server`. */
  dnsServer: string;
  bootstrap: {
    description: string;
    publication: string;
    services: [string[], string[]][];
    version: string;
  };
  /** Requests received, as `METHOD /path` (DNS: `TYPE name`). */
  requests: { pypi: string[]; rdap: string[]; dns: string[] };
  /** Write the bootstrap file into `dir`; returns its path (for `--rdap-bootstrap`). */
  writeBootstrap(dir: string): Promise<string>;
  close(): Promise<void>;
}

export function startDemoServers(options: {
  dataDir: string;
  now?: () => Date;
}): Promise<DemoServers>;

export function renderRecording(
  text: string,
  context: { now: Date; pypi?: string; rdap?: string },
): string;
