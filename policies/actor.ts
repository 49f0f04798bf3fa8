// Who is acting: the principals the platform knows. Every verb receives one and checks it first.

export type StaffRole = 'security' | 'steward' | 'custodian';

export type Actor =
  | { type: 'staff'; id: string; username: string; role: StaffRole; department: string | null }
  | { type: 'operator'; id: string; licenses: string[] }
  | { type: 'public' }
  | { type: 'system'; id: string };

/** A short, value-free label for logs and audit: `staff:<id>`, `operator:<id>`, `public`, `system:<id>`. */
export function actorLabel(actor: Actor): string {
  return actor.type === 'public' ? 'public' : `${actor.type}:${actor.id}`;
}
