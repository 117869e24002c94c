// The HTTP server the benchmarks talk to. It runs in its own process, so its work does not share the
// client's event loop, listens on 127.0.0.1 only, and stops by itself after `maxRequests` requests,
// after `maxLifetimeMs`, or when its parent goes away: a forgotten server cannot outlive a run.
import { createServer } from "node:http";

const config = JSON.parse(process.argv[2] ?? "{}");
const maxRequests = config.maxRequests ?? 100_000;
const maxLifetimeMs = config.maxLifetimeMs ?? 300_000;

// Bodies are built once, so serving a request costs the same every time.
const routes = new Map();
for (const [path, route] of Object.entries(config.routes ?? {})) {
  const body = route.bytes !== undefined ? Buffer.alloc(route.bytes, "x") : Buffer.from(route.body ?? "");
  routes.set(path, {
    status: route.status ?? 200,
    body,
    headers: { "content-type": route.contentType ?? "application/json", "content-length": String(body.length) },
  });
}
const notFound = Buffer.from('{"error":"not found"}');

let served = 0;
const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  served++;
  request.resume();
  request.on("end", () => {
    const route = routes.get(request.url.split("?")[0]);
    if (route) {
      response.writeHead(route.status, route.headers);
      response.end(route.body);
    } else {
      response.writeHead(404, { "content-type": "application/json", "content-length": notFound.length });
      response.end(notFound);
    }
    if (served >= maxRequests) stop(`served its limit of ${maxRequests} requests`);
  });
});

let stopping = false;
function stop(reason) {
  if (stopping) return;
  stopping = true;
  if (reason) process.stderr.write(`bench loopback server: stopping, ${reason}\n`);
  process.send?.({ type: "stopped", served, reason });
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
}

process.on("message", (message) => {
  if (message?.type === "stats") process.send?.({ type: "stats", served });
  if (message?.type === "stop") stop();
});
process.on("disconnect", () => stop("the parent process went away"));
setTimeout(() => stop(`reached its lifetime limit of ${maxLifetimeMs} ms`), maxLifetimeMs).unref();

server.listen(0, "127.0.0.1", () => {
  process.send?.({ type: "listening", port: server.address().port });
});
