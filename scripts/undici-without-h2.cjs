// Bundled in place of undici's lib/dispatcher/client-h2.js (scripts/bundle.mjs). safe-pip never
// turns HTTP/2 on (`allowH2` and `useH2c` stay unset, so ALPN offers http/1.1 alone and undici's
// client never calls this), and the real module loads node:http2 as it is imported, about 6 ms of
// every networked command's start on Node 20 (issue 12 §2).
'use strict';
module.exports = function connectH2() {
  throw new Error('safe-pip: HTTP/2 is not enabled in this build');
};
