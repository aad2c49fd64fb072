import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts.ts';

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('canvas shortcuts', () => {
  it.each([
    [key('z', { ctrl: true }), 'undo'],
    [key('Z', { ctrl: true, shift: true }), 'redo'],
    [key('z', { meta: true, shift: true }), 'redo'],
    [key('y', { ctrl: true }), 'redo'],
    [key('c', { ctrl: true }), 'copy'],
    [key('v', { meta: true }), 'paste'],
    [key('a', { ctrl: true }), 'selectAll'],
    [key('s', { ctrl: true }), 'save'],
    [key('Delete'), 'delete'],
    [key('Backspace'), 'delete'],
    [key('z'), null],
    [key('c', { ctrl: true, alt: true }), null],
  ])('%j → %s', (e, expected) => {
    expect(shortcutFor(e)).toBe(expected);
  });
});
