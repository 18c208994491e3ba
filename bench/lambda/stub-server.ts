import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub saw: request counts per operation (X-Amz-Target or Action). */
export interface StubServer {
  readonly endpoint: string;
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

const JSON_ANSWERS: Record<string, unknown> = {
  PutEvaluations: { FailedEvaluations: [] },
  GetComplianceDetailsByConfigRule: { EvaluationResults: [] },
  GetResourceConfigHistory: { configurationItems: [] },
};

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ward-sample-orders`;
const fn = (name: string, variables: Record<string, string>) => ({
  FunctionName: name,
  FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
  Role: ROLE,
  Runtime: 'nodejs22.x',
  Environment: { Variables: variables },
});

/** REST-JSON answers by path: Lambda's ListFunctions returns two functions sharing a role, one with a secret. */
const REST_ANSWERS: Record<string, unknown> = {
  '/2015-03-31/functions': {
    Functions: [
      fn('ward-sample-orders-api', { TABLE_NAME: 'orders', LOG_LEVEL: 'info' }),
      fn('ward-sample-billing', { DB_PASSWORD: 'Xk9#mP2$vL7qR4wZ', STRIPE_KEY: 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr' }),
    ],
  },
};

function operation(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  return action ?? `${req.method} ${req.url}`;
}

/**
 * A local stand-in for AWS endpoints (AWS_ENDPOINT_URL) so a cold-start measurement needs no network:
 * Config's PutEvaluations succeeds, JSON-protocol calls get `{}`, REST-JSON calls (Lambda) `{}` or the functions above, query-protocol calls
 * (SNS, STS) an empty XML result. It answers what the handlers call; it checks nothing.
 */
export function startStubServer(): Promise<StubServer> {
  const calls = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const op = operation(req, body);
      calls.set(op, (calls.get(op) ?? 0) + 1);
      if (typeof req.headers['x-amz-target'] === 'string') {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(JSON_ANSWERS[op] ?? {}));
      } else if (!/(?:^|&)Action=/.test(body)) {
        // REST-JSON services (Lambda: GET /2015-03-31/functions): an empty JSON answer.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(REST_ANSWERS[(req.url ?? '').split('?')[0].replace(/\/$/, '')] ?? {}));
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<${op}Response><${op}Result><MessageId>bench</MessageId></${op}Result>` +
            `<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></${op}Response>`,
        );
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        calls,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}
