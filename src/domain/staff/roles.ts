/**
 * Staff roles and what each may do. administrator: everything; editor: manages content and answers citizens;
 * viewer: reads every page and exports reports. province: a province-level user (no commune of its own) who may do
 * everything in every commune and reads the province report; only the command line creates one.
 */
export const roles = ['administrator', 'editor', 'viewer', 'province'] as const;
export type Role = (typeof roles)[number];
/** The roles a commune's administrator may give in the admin (never province). */
export const communeRoles = ['administrator', 'editor', 'viewer'] as const satisfies readonly Role[];

export type Permission =
  | 'read'
  | 'reports.export'
  | 'content.edit'
  | 'inbox.reply'
  | 'channels.test'
  | 'users.manage'
  /** See phone numbers in exports, delete a citizen's personal data on request (Nghị định 13/2023). */
  | 'personal.data'
  | 'province.view';

const grants: Record<Role, readonly Permission[]> = {
  administrator: ['read', 'reports.export', 'content.edit', 'inbox.reply', 'channels.test', 'users.manage', 'personal.data'],
  editor: ['read', 'reports.export', 'content.edit', 'inbox.reply'],
  viewer: ['read', 'reports.export'],
  province: ['read', 'reports.export', 'content.edit', 'inbox.reply', 'channels.test', 'users.manage', 'personal.data', 'province.view'],
};

/** Whether a role holds a permission. Unknown roles hold nothing. */
export function can(role: string, permission: Permission): boolean {
  return (grants as Record<string, readonly Permission[] | undefined>)[role]?.includes(permission) ?? false;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** A role a commune administrator may assign (see {@link communeRoles}). */
export function isCommuneRole(value: string): boolean {
  return (communeRoles as readonly string[]).includes(value);
}

/** Vietnamese names of the roles, for pages and the CLI. */
export const roleLabels: Record<Role, string> = {
  administrator: 'Quản trị viên',
  editor: 'Biên tập viên',
  viewer: 'Người xem',
  province: 'Cán bộ cấp tỉnh',
};
