import { GraphApiError, isRetryableMetaError } from './errors';

describe('GraphApiError', () => {
  it("reads Meta's error body: code, subcode, title without the (#code) prefix, details, trace id", () => {
    const error = GraphApiError.fromResponse(400, {
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        error_subcode: 2494055,
        fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      },
    });
    expect(error).toMatchObject({
      code: 130429,
      subcode: 2494055,
      title: 'Rate limit hit',
      details: 'Cloud API message throughput has been reached.',
      httpStatus: 400,
      fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      retryable: true,
    });
    expect(error.message).toBe('(#130429) Rate limit hit: Cloud API message throughput has been reached.');
  });

  it('round-trips through the body the sandbox sends', () => {
    const original = new GraphApiError(131047, 'Re-engagement message', 'More than 24 hours have passed', 400);
    expect(GraphApiError.fromResponse(400, original.toBody())).toMatchObject({
      code: 131047,
      title: 'Re-engagement message',
      details: 'More than 24 hours have passed',
    });
  });

  it('copes with bodies that are not Meta errors', () => {
    expect(GraphApiError.fromResponse(502, '<html>Bad gateway</html>')).toMatchObject({
      code: null,
      httpStatus: 502,
      retryable: true,
    });
    expect(GraphApiError.fromResponse(404, { message: 'nope' })).toMatchObject({ code: null, retryable: false });
  });

  it('treats network failures as retryable', () => {
    expect(new GraphApiError(null, 'Graph API unreachable: ECONNREFUSED', null, null).retryable).toBe(true);
  });
});

describe('isRetryableMetaError', () => {
  it.each([
    [130429, true],
    [131056, true],
    [131000, true],
    [131057, true],
    [2, true],
    [131047, false],
    [131026, false],
    [132000, false],
    [132001, false],
    [131050, false],
    [190, false],
    [100, false],
    [250, false],
  ])('%i → %s', (code, retryable) => {
    expect(isRetryableMetaError(code, 400)).toBe(retryable);
  });

  it('decides unknown codes by HTTP status', () => {
    expect(isRetryableMetaError(999999, 500)).toBe(true);
    expect(isRetryableMetaError(999999, 429)).toBe(true);
    expect(isRetryableMetaError(999999, 400)).toBe(false);
  });
});
