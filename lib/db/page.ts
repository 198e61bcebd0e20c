import { type TPage } from "@/lib/schemas/common";

/** One page of a list: the rows in the page's window and the total, read side by side, turned into DTOs. */
export async function readPage<Row, Dto>(
  query: { page: number; pageSize: number },
  rows: (window: { skip: number; take: number }) => Promise<Row[]>,
  count: () => Promise<number>,
  toDtos: (rows: Row[]) => Dto[] | Promise<Dto[]>,
): Promise<TPage<Dto>> {
  const [found, total] = await Promise.all([rows({ skip: (query.page - 1) * query.pageSize, take: query.pageSize }), count()]);
  return { items: await toDtos(found), total, page: query.page, pageSize: query.pageSize };
}
