import { coreCount, jobsFor, PARALLEL_MIN_BYTES, parseJobs } from '../../../scan/parallel/jobs';

describe('how many judge workers a scan uses', () => {
  it('judges small inputs in the scan thread by default: a worker would cost more than it saves', () => {
    expect(jobsFor(undefined, [{ size: PARALLEL_MIN_BYTES - 1, gzip: false }])).toBe(1);
  });

  it('uses one worker per core by default once the inputs together are large', () => {
    const half = { size: PARALLEL_MIN_BYTES / 2, gzip: false };
    expect(jobsFor(undefined, [half, half])).toBe(coreCount());
  });

  it('counts a gzip input by its decompressed size, about eight times its size on disk', () => {
    expect(jobsFor(undefined, [{ size: PARALLEL_MIN_BYTES / 4, gzip: true }])).toBe(coreCount());
    expect(jobsFor(undefined, [{ size: PARALLEL_MIN_BYTES / 4, gzip: false }])).toBe(1);
  });

  it('does what --jobs asks, whatever the input size', () => {
    expect(jobsFor(3, [{ size: 10, gzip: false }])).toBe(3);
    expect(jobsFor(1, [{ size: PARALLEL_MIN_BYTES * 100, gzip: false }])).toBe(1);
  });

  it('reads --jobs as a whole number from 1 to 64, or auto', () => {
    expect(parseJobs(undefined)).toEqual({ ok: true });
    expect(parseJobs('auto')).toEqual({ ok: true });
    expect(parseJobs('4')).toEqual({ ok: true, jobs: 4 });
    expect(parseJobs(' 2 ')).toEqual({ ok: true, jobs: 2 });
    for (const bad of ['0', '65', '-1', '1.5', 'two', '']) expect(parseJobs(bad).ok).toBe(false);
  });
});
