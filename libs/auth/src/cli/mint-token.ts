/*
 * Prints a development token:
 *   node --conditions=arc-source -r @swc-node/register libs/auth/src/cli/mint-token.ts --roles finance,sales --sub alice
 * Options: --business-units bu-north,bu-south  --name "Alice Martin"  --expires-in 8h
 * Signed with ARC_JWT_SECRET, or the development default the services also fall back to.
 */
import { parseArgs } from 'node:util';
import { isRole, ROLES, type Role } from '../roles';
import { durationInSeconds, mintDevelopmentToken } from '../tokens';

const USAGE = `usage: mint-token --sub <id> --roles <role,role> [--business-units <bu,bu>] [--name <text>] [--expires-in <90s|15m|8h|7d>]
roles: ${ROLES.join(', ')}`;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sub: { type: 'string' },
        roles: { type: 'string' },
        'business-units': { type: 'string' },
        name: { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const roles = list(values.roles);
  const problems: string[] = [];
  if (!values.sub) problems.push('--sub is required');
  if (roles.length === 0) problems.push('--roles is required');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) problems.push(`unknown roles: ${unknown.join(', ')}`);
  const expiresIn = values['expires-in'];
  if (expiresIn !== undefined) {
    try {
      durationInSeconds(expiresIn);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0 || !values.sub) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    return 2;
  }
  const businessUnits = values['business-units'] === undefined ? undefined : list(values['business-units']);
  const token = mintDevelopmentToken({
    sub: values.sub,
    roles: roles as Role[],
    ...(businessUnits ? { businessUnits } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(expiresIn ? { expiresIn: durationInSeconds(expiresIn) } : {}),
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
