/** The departments that act through ARC's APIs. `admin` passes every declared route. */
export const ROLES = ['sales', 'finance', 'collections', 'legal', 'risk', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A service's whole access policy: one entry per use case, naming the roles allowed to perform it. */
export type RoleMatrix = Readonly<Record<string, readonly [Role, ...Role[]]>>;

/**
 * Declares a service's role matrix, kept in one file so the whole policy reads (and is reviewed) at a
 * glance; controllers then say `@Roles(ROLE_MATRIX.issueInvoice)`. The tuple type makes an empty entry a
 * compile error, and the run-time check catches what a cast slipped past the compiler.
 */
export function defineRoleMatrix<const M extends RoleMatrix>(matrix: M): M {
  for (const [useCase, roles] of Object.entries(matrix)) {
    const unknown = roles.filter((role) => !isRole(role));
    if (roles.length === 0 || unknown.length > 0) {
      throw new Error(`role matrix entry "${useCase}" must list known roles (${ROLES.join(', ')}); got [${roles.join(', ')}]`);
    }
  }
  return Object.freeze(matrix);
}
