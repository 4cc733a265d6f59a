import { tables, type Db, type EditRow } from '@soundedit/service';
import { and, eq, ilike, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { apiError } from '../errors.ts';

const { edits } = tables;

export type EditOrderKey = 'NEWEST' | 'MOST_LIKED';

export interface EditPageQuery {
  first: number;
  after?: string | null;
  order: EditOrderKey;
  /** Conditions on top of the ordering (filters, "finished only", an author's). */
  where: (SQL | undefined)[];
}

export interface EditPage {
  edges: { cursor: string; node: EditRow }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const descNullsLast = (column: AnyColumn): SQL => sql`${column} desc nulls last`;

/** Cursor: the sort key of the last row, opaque to clients (base64url JSON). */
function cursorOf(row: EditRow, order: EditOrderKey): string {
  const key =
    order === 'NEWEST'
      ? [row.createdAt.toISOString(), row.id]
      : [row.likeCount, row.createdAt.toISOString(), row.id];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function afterCondition(cursor: string, order: EditOrderKey): SQL | undefined {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const bad = () => apiError('BAD_USER_INPUT', 'the cursor is not one this API gave out', { field: 'after' });
  if (!Array.isArray(key)) throw bad();
  if (order === 'NEWEST') {
    const [at, id] = key as [unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw bad();
    const t = new Date(at);
    return or(lt(edits.createdAt, t), and(eq(edits.createdAt, t), lt(edits.id, id)));
  }
  const [likes, at, id] = key as [unknown, unknown, unknown];
  if (
    !Number.isInteger(likes) ||
    typeof at !== 'string' ||
    typeof id !== 'string' ||
    Number.isNaN(Date.parse(at))
  )
    throw bad();
  const t = new Date(at);
  const n = likes as number;
  return or(
    lt(edits.likeCount, n),
    and(eq(edits.likeCount, n), or(lt(edits.createdAt, t), and(eq(edits.createdAt, t), lt(edits.id, id)))),
  );
}

/** One page of edits in a stable order (ties broken by creation time, then id). */
export async function editPage(db: Db, q: EditPageQuery, maxPageSize: number): Promise<EditPage> {
  if (!Number.isInteger(q.first) || q.first < 1 || q.first > maxPageSize)
    throw apiError('BAD_USER_INPUT', `first must be from 1 to ${maxPageSize}, got ${q.first}`, {
      field: 'first',
    });
  const conditions = [...q.where, q.after ? afterCondition(q.after, q.order) : undefined].filter(
    (c): c is SQL => c !== undefined,
  );
  // NULLS LAST as the indexes are built (drizzle-kit writes DESC NULLS LAST): with PostgreSQL's
  // default (NULLS FIRST for DESC) the planner cannot use them and sorts the whole table
  // (measured on 100k edits: 53 ms a page instead of 0.1 ms).
  const order =
    q.order === 'NEWEST'
      ? [descNullsLast(edits.createdAt), descNullsLast(edits.id)]
      : [descNullsLast(edits.likeCount), descNullsLast(edits.createdAt), descNullsLast(edits.id)];
  const rows = await db
    .select()
    .from(edits)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(q.first + 1);
  const page = rows.slice(0, q.first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node, q.order), node })),
    pageInfo: {
      hasNextPage: rows.length > q.first,
      endCursor: page.length ? cursorOf(page[page.length - 1]!, q.order) : null,
    },
  };
}

/** Case-insensitive substring of the prompt, with LIKE's wildcards taken literally. */
export function promptContains(text: string): SQL {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return ilike(edits.prompt, `%${escaped}%`);
}

export const finishedOnly = (): SQL => eq(edits.status, 'SUCCEEDED');
export const noCondition = (): SQL => sql`true`;
