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

function operation(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  return action ?? `${req.method} ${req.url}`;
}

/**
 * A local stand-in for AWS endpoints (AWS_ENDPOINT_URL) so a cold-start measurement needs no network:
 * Config's PutEvaluations succeeds, JSON-protocol calls get `{}`, query-protocol calls (SNS, STS) an empty
 * XML result. It answers what the handlers call; it checks nothing.
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
