import { isStoreError, USER_ROLES, type UserRole } from '@tributary/store';
import { z } from 'zod';
import { hashPassword, passwordSchema } from '../auth/passwords.ts';
import { randomToken } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import { cliActor, cliDetails, command, err, EXIT, openCliStore, out, str, type AdminCommand } from './shared.ts';

export const usersCreate: AdminCommand = command({
  name: 'users create',
  usage: 'users create --email EMAIL --role ROLE [--name NAME] [--password PASSWORD]',
  summary: 'create a user; without --password a random one is generated and printed once',
  help: ['--email EMAIL        sign-in e-mail (unique)', `--role ROLE          ${USER_ROLES.join(', ')}`, '--name NAME          display name (default: the part of the e-mail before @)', '--password PASSWORD  at least 8 characters (beware shell history); omit to generate one'],
  options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  positionals: [],
  async run({ values }) {
    const email = z.string().trim().toLowerCase().email().safeParse(str(values, 'email'));
    const role = str(values, 'role');
    if (!email.success) {
      err('tributary users create: --email must be an e-mail address');
      return EXIT.USAGE;
    }
    if (!role || !(USER_ROLES as readonly string[]).includes(role)) {
      err(`tributary users create: --role must be one of ${USER_ROLES.join(', ')}`);
      return EXIT.USAGE;
    }
    const given = str(values, 'password');
    if (given !== undefined) {
      const p = passwordSchema.safeParse(given);
      if (!p.success) {
        err(`tributary users create: --password: ${p.error.issues[0]?.message ?? 'invalid'}`);
        return EXIT.USAGE;
      }
    }
    const password = given ?? randomToken(18);
    const { store, close } = await openCliStore(loadConfig());
    try {
      const user = await store.createUser({ email: email.data, name: str(values, 'name') ?? email.data.split('@')[0] ?? '', role: role as UserRole, passwordHash: await hashPassword(password) });
      await store.appendAudit({ actor: cliActor(), action: 'user.create', targetType: 'user', targetId: user.id, details: { ...cliDetails(), email: user.email, role: user.role } });
      out(`created ${user.role} ${user.email} (${user.id})`);
      if (given === undefined) out(`password: ${password}\n(shown once; the user can change it later)`);
      return EXIT.OK;
    } catch (e) {
      if (isStoreError(e) && e.code === 'STORE_DUPLICATE') {
        err(`tributary users create: a user with e-mail ${email.data} already exists`);
        return EXIT.FAILURE;
      }
      throw e;
    } finally {
      await close();
    }
  },
});
