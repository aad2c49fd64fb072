/** Actors the API names that are not users (server README, "Audit"), as people read them. */
const NOT_USERS: ReadonlyMap<string, string> = new Map([
  ['cli', 'CLI'],
  ['system', 'system'],
  ['anonymous', 'anonymous'],
]);

export interface ActorLabel {
  /** What the page shows; '' when nobody is recorded. */
  text: string;
  /** What a tooltip adds: the e-mail of a user shown by name, or the id of a deleted user. */
  title?: string;
}

/**
 * Who did something, as people read it. The server resolves user ids to names (`publishedByName`, `actorName`),
 * so the designer never shows a raw user id: a user id the server could not resolve is a user that is gone, shown
 * as "deleted user" with the id only in the tooltip; `cli`, `system` and `anonymous` are shown as words.
 */
export function actorLabel(actor: { id: string | undefined; name: string | undefined; email?: string | undefined }): ActorLabel {
  const { id, name, email } = actor;
  if (name) return email && email !== name ? { text: name, title: email } : { text: name };
  if (!id) return { text: '' };
  return { text: NOT_USERS.get(id) ?? 'deleted user', ...(NOT_USERS.has(id) ? {} : { title: id }) };
}
