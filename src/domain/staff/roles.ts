/**
 * Staff roles and what each may do. administrator: everything; editor: manages content and answers citizens;
 * viewer: reads every page and exports reports.
 */
export const roles = ['administrator', 'editor', 'viewer'] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | 'read'
  | 'reports.export'
  | 'content.edit'
  | 'inbox.reply'
  | 'channels.test'
  | 'users.manage'
  /** See phone numbers in exports, delete a citizen's personal data on request (Nghị định 13/2023). */
  | 'personal.data';

const grants: Record<Role, readonly Permission[]> = {
  administrator: ['read', 'reports.export', 'content.edit', 'inbox.reply', 'channels.test', 'users.manage', 'personal.data'],
  editor: ['read', 'reports.export', 'content.edit', 'inbox.reply'],
  viewer: ['read', 'reports.export'],
};

/** Whether a role holds a permission. Unknown roles hold nothing. */
export function can(role: string, permission: Permission): boolean {
  return (grants as Record<string, readonly Permission[] | undefined>)[role]?.includes(permission) ?? false;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Vietnamese names of the roles, for pages and the CLI. */
export const roleLabels: Record<Role, string> = {
  administrator: 'Quản trị viên',
  editor: 'Biên tập viên',
  viewer: 'Người xem',
};
