import type { UserRole } from '@tributary/store';

/**
 * Who may call a route: `public` (anyone), or the least role that may. Roles nest:
 * viewer ⊂ analyst ⊂ admin. The table of what each role does is in the server README.
 */
export type Access = 'public' | UserRole;

const RANK: Record<UserRole, number> = { viewer: 1, analyst: 2, admin: 3 };

export function roleAllows(role: UserRole, needed: Access): boolean {
  return needed === 'public' || RANK[role] >= RANK[needed];
}
