import { invalidParameter } from '../../domain/errors.js';
import type { SortKey } from '../paging.js';
import type { Params } from '../params.js';
import type { WorkspaceState } from '../../domain/state.js';

/** Looks up an activity SID parameter that must exist in the workspace. */
export function activityParameter(
  workspace: WorkspaceState,
  params: Params,
  name: string,
): string | undefined {
  const sid = params.sid(name, 'WA');
  if (sid !== undefined && !workspace.activities.has(sid)) {
    throw invalidParameter(name, `activity ${sid} does not exist in this workspace`);
  }
  return sid;
}

/** Parses `Ordering` (`Field:asc,Other:desc`) against the fields a list can sort by. */
export function orderingParameter<T>(
  params: Params,
  fields: Readonly<Record<string, (item: T) => number | string>>,
): SortKey<T>[] {
  const raw = params.string('Ordering');
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((clause) => {
    const [field = '', direction = 'asc', ...rest] = clause.trim().split(':');
    const value = Object.hasOwn(fields, field) ? fields[field] : undefined;
    const lower = direction.toLowerCase();
    if (!value || rest.length > 0 || (lower !== 'asc' && lower !== 'desc')) {
      throw invalidParameter(
        'Ordering',
        `'${clause.trim()}' must be Field:asc or Field:desc with Field one of ${Object.keys(fields).join(', ')}`,
      );
    }
    return { value, descending: lower === 'desc', creationOrder: field === 'DateCreated' };
  });
}
