/**
 * The name people see for a user, as SQL over `alias`, the users table LEFT JOINed into a query: the user's name,
 * or their e-mail while the name is blank. NULL when the join found no user: the column held 'system', 'cli',
 * 'anonymous' or NULL, or the user is gone. Resolving it in the query that reads the rows keeps listings to one
 * statement, and lets anyone who may read a row see who did it without the admin-only user list.
 */
export function userDisplayNameSql(alias: string): string {
  return `coalesce(nullif(btrim(${alias}.name), ''), ${alias}.email)`;
}
