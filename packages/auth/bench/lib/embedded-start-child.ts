// The process measureEmbeddedStart times: opens the embedded database the environment names,
// as an app does (createAuthFromEnv), starts an HTTP listener, and prints "listening".
import { createServer } from "node:http";
import { createAuthFromEnv } from "../../src/create-auth-from-env.ts";
import { loadAuthEnv } from "../../src/config/env.ts";

const { auth, database } = await createAuthFromEnv(loadAuthEnv(), { log: () => {} });
const server = createServer((_req, res) => {
  void auth.keys.jwks().then((jwks) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
});
server.listen(0, "127.0.0.1", () => {
  console.log("listening");
  server.close();
  void database.close();
});
