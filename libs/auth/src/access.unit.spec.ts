import { decideAccess, resolveAccessRule, type AccessRule } from './access';
import { Roles } from './decorators';
import { defineRoleMatrix, type Role } from './roles';

const financeOnly: AccessRule = { kind: 'roles', roles: ['finance'] };

describe('role matrix decisions', () => {
  it('asks for authentication on a restricted route when the caller has no valid token', () => {
    expect(decideAccess(financeOnly, undefined)).toEqual({ outcome: 'authenticate' });
  });

  it('allows a caller holding one of the route roles', () => {
    expect(decideAccess({ kind: 'roles', roles: ['finance', 'sales'] }, ['sales'])).toEqual({ outcome: 'allow' });
  });

  it('forbids a caller holding none of the route roles', () => {
    expect(decideAccess(financeOnly, ['sales', 'collections'])).toEqual({ outcome: 'forbid', reason: 'missing-role' });
  });

  it('forbids a caller with no roles at all', () => {
    expect(decideAccess(financeOnly, [])).toEqual({ outcome: 'forbid', reason: 'missing-role' });
  });

  it('lets admin through every declared route', () => {
    expect(decideAccess({ kind: 'roles', roles: ['legal'] }, ['admin'])).toEqual({ outcome: 'allow' });
  });

  it('refuses a route that declared nothing, even to admin (fail closed)', () => {
    expect(decideAccess({ kind: 'undeclared' }, ['admin'])).toEqual({ outcome: 'forbid', reason: 'undeclared-route' });
  });

  it('opens a public route without a token', () => {
    expect(decideAccess({ kind: 'public' }, undefined)).toEqual({ outcome: 'allow' });
  });
});

describe('resolving a route rule from its declarations', () => {
  it('treats a route with no declaration on handler or controller as undeclared', () => {
    expect(resolveAccessRule({}, {})).toEqual({ kind: 'undeclared' });
  });

  it('lets the handler declaration override the controller one', () => {
    expect(resolveAccessRule({ isPublic: true }, { roles: ['finance'] })).toEqual({ kind: 'public' });
    expect(resolveAccessRule({ roles: ['risk'] }, { isPublic: true })).toEqual({ kind: 'roles', roles: ['risk'] });
  });

  it('falls back to the controller declaration', () => {
    expect(resolveAccessRule({}, { roles: ['finance'] })).toEqual({ kind: 'roles', roles: ['finance'] });
  });
});

describe('declaring roles', () => {
  it('refuses an empty @Roles(), which would otherwise read as "open"', () => {
    expect(() => Roles()).toThrow(/at least one role/);
  });

  it('refuses an unknown role smuggled past the compiler', () => {
    expect(() => Roles('superuser' as Role)).toThrow(/unknown roles superuser/);
  });

  it('refuses a role matrix entry with no roles', () => {
    expect(() => defineRoleMatrix({ issueInvoice: [] as unknown as ['finance'] })).toThrow(/issueInvoice/);
  });

  it('keeps a valid matrix as declared, frozen', () => {
    const matrix = defineRoleMatrix({ issueInvoice: ['finance'], readInvoice: ['finance', 'sales'] });
    expect(matrix.readInvoice).toEqual(['finance', 'sales']);
    expect(Object.isFrozen(matrix)).toBe(true);
  });
});
