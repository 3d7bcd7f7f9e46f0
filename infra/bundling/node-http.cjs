// `node:http` for bundles, through require. Importing it as ESM builds a facade
// that reads every export, and the WebSocket getter among them loads undici:
// about 17 ms of cold start in every function that carries the AWS SDK.
const name = 'node:http';
module.exports = require(name);
