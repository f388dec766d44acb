// The built-in adapters by data.format.
import type { Adapter } from './adapter.ts';
import { diginetica } from './diginetica.ts';
import { movielens } from './movielens.ts';
import { onlineRetail } from './onlineRetail.ts';
import { otto } from './otto.ts';
import { retailrocket } from './retailrocket.ts';
import { taobao } from './taobao.ts';

export const ADAPTERS = {
  movielens,
  retailrocket,
  diginetica,
  'online-retail': onlineRetail,
  otto,
  taobao,
} as const satisfies Record<string, Adapter>;

export type AdapterFormat = keyof typeof ADAPTERS;

/**
 * True for formats read by a built-in adapter (no column map).
 *
 * @example
 * isAdapterFormat('otto'); // true
 * isAdapterFormat('csv'); // false
 */
export const isAdapterFormat = (format: string): format is AdapterFormat => Object.hasOwn(ADAPTERS, format);
