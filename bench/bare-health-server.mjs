// The baseline of bench/run.mjs: bare node:http answering the JSON /api/health answers, with no framework.
import { createServer } from 'node:http';

const body = JSON.stringify({
  status: 'ok',
  info: { database: { responseTime: 1, status: 'up' } },
  error: {},
  details: { database: { responseTime: 1, status: 'up' } },
  version: '0.1.0',
});
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
