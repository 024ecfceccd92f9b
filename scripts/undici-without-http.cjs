// Bundled in place of node:http for undici's lib/core/util.js and lib/dispatcher/client.js
// (scripts/bundle.mjs). They import it as they load, for two things only: IncomingMessage, which
// util.js compares a stream's constructor with before destroying it (safe-pip gives undici no
// IncomingMessage, so a class of its own never matches), and http.maxHeaderSize, the default limit
// of a response's headers, which client.js reads as it loads (Node's default, 16 KiB; Node's
// --max-http-header-size, a setting of Node's own http module, does not reach safe-pip's client).
// Loading node:http would also load its server, agent and client: about 5 ms of every networked
// command's start on Node 20 (issue 12 §2).
'use strict';
class IncomingMessage {}
module.exports = { IncomingMessage, maxHeaderSize: 16 * 1024 };
