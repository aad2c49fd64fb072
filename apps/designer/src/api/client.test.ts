import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './client.ts';

describe('errorMessage', () => {
  it('shows the server message with the field problems it lists', () => {
    const err = new ApiError({ code: 'VALIDATION_FAILED', message: 'request is invalid', status: 400, details: [{ path: 'body.name', message: 'must not be empty' }] });
    expect(errorMessage(err)).toBe('request is invalid (body.name: must not be empty)');
  });

  it('does not repeat what the message already says', () => {
    const err = new ApiError({ code: 'FLOW_REV_CONFLICT', message: 'body.rev: stale', status: 409, details: [{ path: 'body.rev', message: 'stale' }] });
    expect(errorMessage(err)).toBe('body.rev: stale');
  });

  it('plain errors keep their message', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
  });
});
