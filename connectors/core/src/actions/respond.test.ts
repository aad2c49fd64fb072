import { runAction } from '@tributary/connector-sdk/testing';
import { describe, expect, it } from 'vitest';
import { respondAction } from './respond.ts';

describe('core.respond', () => {
  it.each([
    ['defaults to 200 with no body', {}, { status: 200, headers: {}, body: null }],
    ['JSON body with its content type', { status: 201, body: { id: 'SO-1' } }, { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'SO-1' } }],
    ['text body as text', { body: 'ok' }, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }],
    ['header names lower-cased, own content type kept', { status: 202, headers: { 'X-Request-Id': 'r1', 'Content-Type': 'application/vnd.api+json' }, body: { a: 1 } }, { status: 202, headers: { 'x-request-id': 'r1', 'content-type': 'application/vnd.api+json' }, body: { a: 1 } }],
  ])('%s', async (_what, props, expected) => {
    expect(await runAction(respondAction, { props, input: null })).toEqual(expected);
  });
  it.each([[99], [600], ['200']])('refuses status %s', async (status) => {
    await expect(runAction(respondAction, { props: { status }, input: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
