import { enrollmentSourceLabel, exitReasonLabel, outcomeLabel } from './outcome';

describe('outcomes in words', () => {
  it('names a rule log entry’s outcome', () => {
    expect(outcomeLabel('fired')).toBe('Fired');
    expect(outcomeLabel('loop_guard')).toBe('Held back: loop guard');
  });

  it('says why a contact left a flow, and what enrolled them', () => {
    expect(exitReasonLabel('opted_out')).toBe('Opted out');
    expect(exitReasonLabel('send_failed: the 24-hour window is closed')).toBe(
      'A message could not be sent: the 24-hour window is closed',
    );
    expect(exitReasonLabel('something_new')).toBe('something new');
    expect(exitReasonLabel(null)).toBe('');
    expect(enrollmentSourceLabel('rule:0d3b')).toBe('A rule');
    expect(enrollmentSourceLabel('api')).toBe('By hand or the API');
  });
});
