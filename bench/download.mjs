// A plain download for bench/answers.mjs, in a fresh process as the CLI is: GET each URL given
// (all at once) with node:http, as the CLI's transport sends them (keep-alive, gzip asked for and
// undone with node:zlib in 256 KiB chunks), drop the bytes, and print {url: {ms, bytes}} as JSON: milliseconds
// from sending the request to the last byte, timed here.
//
//   node bench/download.mjs URL [URL ...]
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";

const agent = new Agent({ keepAlive: true });

function download(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, headers: { "accept-encoding": "gzip, deflate, br" } });
    req.on("error", reject);
    req.on("response", (res) => {
      const gzip = res.headers["content-encoding"] === "gzip";
      const body = gzip ? createGunzip({ chunkSize: 256 * 1024 }) : res;
      if (gzip) pipeline(res, body, () => undefined);
      let bytes = 0;
      body.on("data", (chunk) => (bytes += chunk.length));
      body.on("error", reject);
      body.on("end", () => resolve({ ms: performance.now() - started, bytes }));
    });
    req.end();
  });
}

const urls = process.argv.slice(2);
const results = await Promise.all(urls.map(download));
console.log(JSON.stringify(Object.fromEntries(urls.map((u, i) => [u, results[i]]))));
agent.destroy();
