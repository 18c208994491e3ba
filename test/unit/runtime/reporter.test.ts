import { EvaluationDeliveryError } from '../../../rules/runtime/errors';
import { compliant, nonCompliant, notApplicable } from '../../../rules/runtime/evaluation';
import { isThrottlingError, putEvaluations, TEST_MODE_TOKEN } from '../../../rules/runtime/reporter';
import type { Evaluation } from '../../../rules/runtime/types';
import { deepFreeze } from '../../fixtures/events/config-events';
import { awsError, FakeClient, recordingSleep } from '../../fixtures/events/fakes';

const AT = new Date('2026-11-20T10:15:30.123Z');
const TOKEN = 'eyJyZXN1bHRUb2tlbiI6InRva2VuIn0=';

const topics = (n: number): Evaluation[] =>
  deepFreeze(
    Array.from({ length: n }, (_, i) =>
      compliant({ resourceType: 'AWS::SNS::Topic', resourceId: `arn:aws:sns:us-east-2:123456789012:t${i}` }, 'ok'),
    ),
  );

const accepting = () => new FakeClient({ PutEvaluations: () => ({ FailedEvaluations: [] }) });
type Sent = { ComplianceResourceId: string; Annotation: string; ComplianceType: string; OrderingTimestamp: Date };
const sentIn = (client: FakeClient) => client.inputs('PutEvaluations').map((i) => i.Evaluations as Sent[]);

describe('putEvaluations', () => {
  it('sends 250 evaluations as batches of 100, 100 and 50, each once and in order', async () => {
    const client = accepting();
    const sent = await putEvaluations(client, { resultToken: TOKEN, evaluations: topics(250), orderingTimestamp: AT });
    const batches = sentIn(client);
    expect(sent).toBe(250);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((e) => e.ComplianceResourceId)).toEqual(topics(250).map((e) => e.resourceId));
  });

  it('sends nothing when there is nothing to report', async () => {
    const client = accepting();
    await putEvaluations(client, { resultToken: TOKEN, evaluations: [], orderingTimestamp: AT });
    expect(client.calls).toHaveLength(0);
  });

  it('maps the evaluation to the wire shape with the ordering timestamp and the result token', async () => {
    const client = accepting();
    const e = nonCompliant({ resourceType: 'AWS::S3::Bucket', resourceId: 'logs' }, [
      { code: 'unencrypted', message: 'No SSE.' },
    ]);
    await putEvaluations(client, { resultToken: TOKEN, evaluations: [e], orderingTimestamp: AT });
    expect(client.inputs('PutEvaluations')[0]).toEqual({
      ResultToken: TOKEN,
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::S3::Bucket',
          ComplianceResourceId: 'logs',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'No SSE.',
          OrderingTimestamp: AT,
        },
      ],
    });
  });

  it.each([
    ['an empty annotation becomes "-"', '', '-'],
    ['whitespace only becomes "-"', '   \n ', '-'],
    ['a 256-character annotation is kept whole', 'a'.repeat(256), 'a'.repeat(256)],
    ['a 300-character annotation is cut to 256 with an ellipsis', 'b'.repeat(300), `${'b'.repeat(255)}…`],
  ])('fits annotations into 1..256 characters: %s', async (_name, annotation, expected) => {
    const client = accepting();
    const e = { ...notApplicable({ resourceType: 'AWS::SNS::Topic', resourceId: 't' }, 'x'), annotation };
    await putEvaluations(client, { resultToken: TOKEN, evaluations: [e], orderingTimestamp: AT });
    const sent = sentIn(client)[0][0].Annotation;
    expect(sent).toBe(expected);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThanOrEqual(256);
  });

  it('sends TestMode: true for the TESTMODE result token and never otherwise', async () => {
    const client = accepting();
    await putEvaluations(client, { resultToken: TEST_MODE_TOKEN, evaluations: topics(1), orderingTimestamp: AT });
    await putEvaluations(client, { resultToken: TOKEN, evaluations: topics(1), orderingTimestamp: AT });
    const [test, real] = client.inputs('PutEvaluations');
    expect(test.TestMode).toBe(true);
    expect(real).not.toHaveProperty('TestMode');
  });

  it('resends only the FailedEvaluations, then succeeds', async () => {
    let call = 0;
    const client = new FakeClient({
      PutEvaluations: (input) => {
        call++;
        const evs = input.Evaluations as Sent[];
        return { FailedEvaluations: call === 1 ? [{ ...evs[1], OrderingTimestamp: undefined }] : [] };
      },
    });
    const { sleep, delays } = recordingSleep();
    await putEvaluations(
      client,
      { resultToken: TOKEN, evaluations: topics(3), orderingTimestamp: AT },
      { sleep, random: () => 1 },
    );
    const batches = sentIn(client);
    expect(batches.map((b) => b.map((e) => e.ComplianceResourceId))).toEqual([
      topics(3).map((e) => e.resourceId),
      [topics(3)[1].resourceId],
    ]);
    // The resent entry is our own, complete with its OrderingTimestamp.
    expect(batches[1][0].OrderingTimestamp).toEqual(AT);
    expect(delays).toEqual([200]);
  });

  it('throws EvaluationDeliveryError when Config keeps rejecting evaluations after the last attempt', async () => {
    const client = new FakeClient({
      PutEvaluations: (input) => ({ FailedEvaluations: (input.Evaluations as Sent[]).slice(0, 1) }),
    });
    const { sleep } = recordingSleep();
    const run = putEvaluations(
      client,
      { resultToken: TOKEN, evaluations: topics(2), orderingTimestamp: AT },
      { sleep, maxAttempts: 3 },
    );
    await expect(run).rejects.toBeInstanceOf(EvaluationDeliveryError);
    await expect(run).rejects.toThrow(
      /rejected 1 evaluations after 3 attempts \(arn:aws:sns:us-east-2:123456789012:t0\)/,
    );
    expect(client.calls).toHaveLength(3);
  });

  it('retries throttling with exponential backoff and jitter, then delivers', async () => {
    let call = 0;
    const client = new FakeClient({
      PutEvaluations: () => {
        call++;
        if (call <= 3) throw awsError('ThrottlingException');
        return { FailedEvaluations: [] };
      },
    });
    const { sleep, delays } = recordingSleep();
    await putEvaluations(
      client,
      { resultToken: TOKEN, evaluations: topics(1), orderingTimestamp: AT },
      { sleep, random: () => 0.5 },
    );
    expect(client.calls).toHaveLength(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const client = new FakeClient({
      PutEvaluations: () => {
        throw awsError('TooManyRequestsException', 429);
      },
    });
    const { sleep, delays } = recordingSleep();
    const run = putEvaluations(
      client,
      { resultToken: TOKEN, evaluations: topics(1), orderingTimestamp: AT },
      { sleep, random: () => 1, maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 1000 },
    );
    await expect(run).rejects.toThrow(/still throttled after 6 attempts/);
    expect(delays).toEqual([200, 400, 800, 1000, 1000]);
  });

  it('does not retry an error that is not throttling and keeps it as the cause', async () => {
    const cause = awsError('InvalidResultTokenException');
    const client = new FakeClient({
      PutEvaluations: () => {
        throw cause;
      },
    });
    const { sleep, delays } = recordingSleep();
    const err = await putEvaluations(
      client,
      { resultToken: TOKEN, evaluations: topics(1), orderingTimestamp: AT },
      { sleep },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvaluationDeliveryError);
    expect((err as Error).cause).toBe(cause);
    expect(client.calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    ['ThrottlingException', awsError('ThrottlingException'), true],
    ['TooManyRequestsException', awsError('TooManyRequestsException'), true],
    ['any HTTP 429', awsError('SomethingElse', 429), true],
    ['a validation error', awsError('InvalidParameterValueException'), false],
    ['a server error', awsError('InternalFailure', 500), false],
    ['a non-error value', 'boom', false],
  ])('recognises throttling: %s', (_name, err, expected) => {
    expect(isThrottlingError(err)).toBe(expected);
  });
});
