import { describe, expect, it } from 'vitest';
import { actorLabel } from './actor-label.ts';

describe('actorLabel', () => {
  it('shows a user by the name the server resolved, with the e-mail as the tooltip', () => {
    expect(actorLabel({ id: 'usr_01ADA', name: 'Ada Lovelace', email: 'ada@example.com' })).toEqual({ text: 'Ada Lovelace', title: 'ada@example.com' });
    // A user without a name comes back named by e-mail: no tooltip repeating it.
    expect(actorLabel({ id: 'usr_01ADA', name: 'ada@example.com', email: 'ada@example.com' })).toEqual({ text: 'ada@example.com' });
    expect(actorLabel({ id: 'usr_01ADA', name: 'Ada Lovelace' })).toEqual({ text: 'Ada Lovelace' });
  });

  it('never shows an unresolved user id: that user is gone, and the id is only in the tooltip', () => {
    expect(actorLabel({ id: 'usr_01GONE', name: undefined })).toEqual({ text: 'deleted user', title: 'usr_01GONE' });
  });

  it('names actors that are not users as words, and nobody as nothing', () => {
    expect(actorLabel({ id: 'cli', name: undefined }).text).toBe('CLI');
    expect(actorLabel({ id: 'system', name: undefined }).text).toBe('system');
    expect(actorLabel({ id: 'anonymous', name: undefined }).text).toBe('anonymous');
    expect(actorLabel({ id: undefined, name: undefined })).toEqual({ text: '' });
    // A lookup table must not answer for inherited keys.
    expect(actorLabel({ id: 'constructor', name: undefined }).text).toBe('deleted user');
  });
});
